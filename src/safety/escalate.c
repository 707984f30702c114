/*
 * escalate.c: the recipients of each step of a help-now alert (see
 * escalate.h).  The steps are numbered so that a retried job computes the
 * same recipients again: the rota and the coordinators are read afresh at
 * each step (a shift may have ended), and people told before are skipped.
 */
#include "safety/escalate.h"

static bool
contains(const int64_t *list, size_t n, int64_t id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (list[i] == id)
			return true;
	return false;
}

static bool
taken(const struct escalate_people *p, const struct escalate_recipient *out, size_t n,
    int64_t id)
{
	size_t i;

	if (id <= 0 || id == p->member_id || contains(p->already, p->nalready, id))
		return true;
	for (i = 0; i < n; i++)
		if (out[i].user_id == id)
			return true;
	return false;
}

static size_t
add(const struct escalate_people *p, struct escalate_recipient *out, size_t n, size_t max,
    int64_t id, enum escalate_reason why)
{
	if (n >= max || taken(p, out, n, id))
		return n;
	out[n].user_id = id;
	out[n].reason = why;
	return n + 1;
}

/* The rota without the member (who may be on call themself). */
static size_t
rota_at(const struct escalate_people *p, size_t k, int64_t *id)
{
	size_t i, seen = 0;

	for (i = 0; i < p->nrota && i < ESCALATE_MAX_PEOPLE; i++) {
		if (p->rota[i] == p->member_id || contains(p->rota, i, p->rota[i]))
			continue;
		if (seen++ == k) {
			*id = p->rota[i];
			return 1;
		}
	}
	return 0;
}

static size_t
rota_len(const struct escalate_people *p)
{
	size_t n = 0;
	int64_t id;

	while (rota_at(p, n, &id))
		n++;
	return n;
}

static size_t
add_coordinators(const struct escalate_people *p, struct escalate_recipient *out, size_t n,
    size_t max)
{
	size_t i;

	for (i = 0; i < p->ncoordinators && i < ESCALATE_MAX_PEOPLE; i++)
		n = add(p, out, n, max, p->coordinators[i], REASON_COORDINATOR);
	return n;
}

size_t
escalate_step(const struct escalate_people *p, int step, struct escalate_recipient *out,
    size_t max, bool *last)
{
	size_t n = 0, i, nrota = rota_len(p);
	int64_t id;

	*last = true;
	if (step < 0)
		return 0;
	if (step == 0) {
		if (p->partners_too)
			for (i = 0; i < p->npartners && i < ESCALATE_MAX_PEOPLE; i++)
				n = add(p, out, n, max, p->partners[i], REASON_PARTNER);
		if (nrota > 0 && rota_at(p, 0, &id)) {
			n = add(p, out, n, max, id, REASON_ONCALL);
			*last = false;
		} else {
			n = add_coordinators(p, out, n, max);
		}
		return n;
	}
	if ((size_t)step < nrota) {
		rota_at(p, (size_t)step, &id);
		n = add(p, out, n, max, id, REASON_ONCALL);
		*last = false;
		return n;
	}
	if ((size_t)step == nrota && nrota > 0)
		return add_coordinators(p, out, n, max);
	return 0;
}

const char *
escalate_reason_token(enum escalate_reason r)
{
	switch (r) {
	case REASON_PARTNER:
		return "partner";
	case REASON_ONCALL:
		return "oncall";
	case REASON_COORDINATOR:
		return "coordinator";
	}
	return "oncall";
}
