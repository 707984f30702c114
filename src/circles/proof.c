/*
 * proof.c: the payload of a proof of attendance (see proof.h).
 */
#include "circles/proof.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static void
ymd(int64_t t, char out[11])
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL)
		snprintf(out, 11, "0000-00-00");
	else
		snprintf(out, 11, "%04u-%02u-%02u", (unsigned)(tm.tm_year + 1900) % 10000u,
		    (unsigned)(tm.tm_mon + 1) % 100u, (unsigned)tm.tm_mday % 100u);
}

bool
proof_choice_valid(const struct proof_choice *ch)
{
	return ch->show_count || ch->show_meetings || ch->show_dates;
}

static int
cmp_start(const void *a, const void *b)
{
	const struct proof_session *x = *(const struct proof_session *const *)a;
	const struct proof_session *y = *(const struct proof_session *const *)b;

	return x->start < y->start ? -1 : x->start > y->start;
}

json_t *
proof_payload(const struct proof_choice *ch, const struct proof_session *rows, size_t n,
    const char *name, int64_t now)
{
	const struct proof_session **in = calloc(n + 1, sizeof(*in));
	json_t *o = json_object(), *sessions = json_array();
	size_t i, k = 0;
	char d[11];

	if (in == NULL)
		abort();
	for (i = 0; i < n; i++)
		if ((ch->from == 0 || rows[i].start >= ch->from) &&
		    (ch->to == 0 || rows[i].start <= ch->to))
			in[k++] = &rows[i];
	qsort(in, k, sizeof(*in), cmp_start);
	ymd(now, d);
	json_object_set_new(o, "issued_at", json_string(d));
	if (ch->show_name && name != NULL)
		json_object_set_new(o, "name", json_string(name));
	if (ch->show_count)
		json_object_set_new(o, "count", json_integer((json_int_t)k));
	if (ch->from) {
		ymd(ch->from, d);
		json_object_set_new(o, "from", json_string(d));
	}
	if (ch->to) {
		ymd(ch->to, d);
		json_object_set_new(o, "to", json_string(d));
	}
	if (ch->show_meetings || ch->show_dates) {
		for (i = 0; i < k; i++) {
			json_t *e = json_object();

			if (ch->show_meetings)
				json_object_set_new(e, "meeting", json_string(in[i]->meeting_name));
			if (ch->show_dates) {
				ymd(in[i]->start, d);
				json_object_set_new(e, "date", json_string(d));
			}
			json_array_append_new(sessions, e);
		}
		json_object_set_new(o, "sessions", sessions);
	} else
		json_decref(sessions);
	free(in);
	return o;
}
