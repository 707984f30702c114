/*
 * rota.c: the fair round-robin rota (see rota.h).  O(slots * pool * unavailable),
 * small numbers by design (a circle, a few weeks).
 */
#include "circles/rota.h"

#include <stdbool.h>
#include <stdlib.h>

static bool
unavailable(const struct rota_unavailable *un, size_t nun, int64_t user,
    const struct rota_slot *s)
{
	size_t i;

	for (i = 0; i < nun; i++)
		if (un[i].user_id == user && un[i].meeting_id == s->meeting_id &&
		    un[i].start == s->start)
			return true;
	return false;
}

void
rota_propose(const int64_t *pool, size_t npool, const struct rota_unavailable *un,
    size_t nun, struct rota_slot *slots, size_t nslots)
{
	size_t *count = calloc(npool + 1, sizeof(*count));
	long *last = malloc((npool + 1) * sizeof(*last));
	size_t i, p;

	if (count == NULL || last == NULL)
		abort();
	for (p = 0; p < npool; p++)
		last[p] = -1;
	for (i = 0; i < nslots; i++)
		for (p = 0; p < npool; p++)
			if (slots[i].fixed_user == pool[p]) {
				count[p]++;
				if ((long)i > last[p])
					last[p] = (long)i;
			}
	for (i = 0; i < nslots; i++) {
		long best = -1;

		if (slots[i].fixed_user != 0) {
			slots[i].user = slots[i].fixed_user;
			continue;
		}
		for (p = 0; p < npool; p++) {
			if (unavailable(un, nun, pool[p], &slots[i]))
				continue;
			if (best < 0 || count[p] < count[best] ||
			    (count[p] == count[best] && last[p] < last[best]))
				best = (long)p;
		}
		slots[i].user = best < 0 ? 0 : pool[best];
		if (best >= 0) {
			count[best]++;
			last[best] = (long)i;
		}
	}
	free(count);
	free(last);
}
