/*
 * schedule.c: upcoming sessions of a meeting (see schedule.h).
 *
 * Sessions are generated day by day in the meeting's local calendar and
 * only then turned into instants, so a weekly 19:00 meeting is at 19:00
 * local time whatever the offset that week.  Exceptions are applied by
 * the regular date they replace; a moved session is placed at its new
 * date even when that lies outside the generated window.
 */
#include "meetings/schedule.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

#define HORIZON_DAYS	400

int
schedule_duration(const struct schedule *s)
{
	if (s->start_min < 0 || s->end_min < 0)
		return SCHED_DEFAULT_MINUTES;
	if (s->end_min > s->start_min)
		return s->end_min - s->start_min;
	return s->end_min + 1440 - s->start_min;	/* ends after midnight */
}

bool
schedule_on_date(const struct schedule *s, int y, int m, int d)
{
	int wd = tz_weekday(tz_days_from_civil(y, m, d));
	int nth, dim;

	switch (s->kind) {
	case SCHED_WEEKLY:
		return (s->days >> wd) & 1u;
	case SCHED_MONTHLY:
		if (!((s->days >> wd) & 1u))
			return false;
		nth = (d - 1) / 7 + 1;
		dim = tz_days_in_month(y, m);
		return ((s->weeks >> (nth - 1)) & 1u) ||
		    ((s->weeks & SCHED_WEEK_LAST) && d + 7 > dim);
	case SCHED_ONCE:
		return y == s->once_y && m == s->once_m && d == s->once_d;
	default:
		return false;
	}
}

unsigned
schedule_weekdays(const struct schedule *s)
{
	switch (s->kind) {
	case SCHED_WEEKLY:
	case SCHED_MONTHLY:
		return s->days & 0x7fu;
	case SCHED_ONCE:
		return 1u << tz_weekday(tz_days_from_civil(s->once_y, s->once_m, s->once_d));
	default:
		return 0;
	}
}

static unsigned
popcount(unsigned v)
{
	unsigned n = 0;

	for (; v; v &= v - 1)
		n++;
	return n;
}

const char *
schedule_check(const struct schedule *s)
{
	if (s->end_min < -1 || s->end_min >= 1440)
		return "end_time";
	switch (s->kind) {
	case SCHED_WEEKLY:
		if (s->days == 0 || s->days > 0x7fu)
			return "day";
		break;
	case SCHED_MONTHLY:
		if (popcount(s->days) != 1 || s->days > 0x7fu)
			return "day";
		if (s->weeks == 0 || s->weeks > SCHED_WEEKS_ALL)
			return "weeks";
		break;
	case SCHED_ONCE:
		if (s->once_m < 1 || s->once_m > 12 || s->once_d < 1 ||
		    s->once_d > tz_days_in_month(s->once_y, s->once_m) ||
		    s->once_y < 1970 || s->once_y > 9999)
			return "date";
		break;
	case SCHED_APPOINTMENT:
		if (s->days > 0x7fu)
			return "day";
		return NULL;
	default:
		return "schedule";
	}
	if (s->start_min < 0 || s->start_min >= 1440)
		return "time";
	return NULL;
}

static void
make_occurrence(const struct tz *tz, int y, int m, int d, int start_min, int end_min,
    struct occurrence *o)
{
	struct schedule tmp = { .start_min = start_min, .end_min = end_min };
	int64_t local = tz_days_from_civil(y, m, d) * 86400 + (int64_t)start_min * 60;

	memset(o, 0, sizeof(*o));
	o->y = o->orig_y = y;
	o->m = o->orig_m = m;
	o->d = o->orig_d = d;
	o->start_min = start_min;
	o->end_min = end_min >= 0 ? end_min : (start_min + SCHED_DEFAULT_MINUTES) % 1440;
	o->start = tz_local_to_utc(tz, local);
	o->end = tz_local_to_utc(tz, local + (int64_t)schedule_duration(&tmp) * 60);
	if (o->end <= o->start)		/* a session inside a skipped hour */
		o->end = o->start + (int64_t)schedule_duration(&tmp) * 60;
}

static const struct sched_exception *
find_exception(const struct sched_exception *ex, size_t nex, int y, int m, int d)
{
	size_t i;

	for (i = 0; i < nex; i++)
		if (ex[i].y == y && ex[i].m == m && ex[i].d == d)
			return &ex[i];
	return NULL;
}

static int
occ_cmp(const void *a, const void *b)
{
	const struct occurrence *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return 0;
}

size_t
schedule_next(const struct schedule *s, const struct tz *tz,
    const struct sched_exception *ex, size_t nex, int64_t from, size_t max,
    unsigned flags, struct occurrence *out)
{
	struct occurrence *tmp, o;
	size_t n = 0, regular = 0, cap, i;
	int64_t day, first, last;
	int y, m, d;

	if (max == 0 || tz == NULL || s->kind == SCHED_APPOINTMENT || s->start_min < 0 ||
	    schedule_check(s) != NULL)
		return 0;
	cap = max + nex + 1;
	tmp = xcalloc(cap, sizeof(*tmp));

	/* Moved sessions first: they may land anywhere. */
	for (i = 0; i < nex; i++) {
		const struct sched_exception *e = &ex[i];
		if (e->cancelled || !schedule_on_date(s, e->y, e->m, e->d))
			continue;
		if (e->new_m < 1 || e->new_m > 12 || e->new_d < 1 ||
		    e->new_d > tz_days_in_month(e->new_y, e->new_m))
			continue;
		make_occurrence(tz, e->new_y, e->new_m, e->new_d,
		    e->new_start_min >= 0 ? e->new_start_min : s->start_min,
		    e->new_start_min >= 0 ? e->new_end_min : s->end_min, &o);
		o.orig_y = e->y;
		o.orig_m = e->m;
		o.orig_d = e->d;
		o.moved = true;
		if (o.end > from && n < cap)
			tmp[n++] = o;
	}

	/* Regular sessions, from the day before "from" (one may still be running). */
	if (s->kind == SCHED_ONCE) {
		first = last = tz_days_from_civil(s->once_y, s->once_m, s->once_d);
	} else {
		first = tz_floor_div(tz_utc_to_local(tz, from), 86400) - 1;
		last = first + HORIZON_DAYS;
	}
	for (day = first; day <= last && regular < max && n < cap; day++) {
		const struct sched_exception *e;

		tz_civil_from_days(day, &y, &m, &d);
		if (!schedule_on_date(s, y, m, d))
			continue;
		e = find_exception(ex, nex, y, m, d);
		if (e != NULL && !e->cancelled)
			continue;		/* moved: placed above */
		make_occurrence(tz, y, m, d, s->start_min, s->end_min, &o);
		if (o.end <= from)
			continue;
		if (e != NULL) {
			if (!(flags & SCHED_INCLUDE_CANCELLED))
				continue;
			o.cancelled = true;
		}
		tmp[n++] = o;
		regular++;
	}
	qsort(tmp, n, sizeof(*tmp), occ_cmp);
	if (n > max)
		n = max;
	memcpy(out, tmp, n * sizeof(*tmp));
	free(tmp);
	return n;
}

int
schedule_parse_hhmm(const char *s)
{
	int h = 0, m = 0, i = 0, digits = 0;

	if (s == NULL)
		return -1;
	while (s[i] >= '0' && s[i] <= '9' && digits < 2) {
		h = h * 10 + (s[i++] - '0');
		digits++;
	}
	if (digits == 0 || s[i++] != ':')
		return -1;
	if (!(s[i] >= '0' && s[i] <= '9' && s[i + 1] >= '0' && s[i + 1] <= '9'))
		return -1;
	m = (s[i] - '0') * 10 + (s[i + 1] - '0');
	i += 2;
	if (s[i] == ':') {
		if (!(s[i + 1] >= '0' && s[i + 1] <= '5' && s[i + 2] >= '0' && s[i + 2] <= '9'))
			return -1;
		i += 3;
	}
	if (s[i] != '\0' || h > 24 || m > 59 || (h == 24 && m != 0))
		return -1;
	return (h % 24) * 60 + m;
}

bool
schedule_parse_date(const char *s, int *y, int *m, int *d)
{
	int i;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	*y = atoi(s);
	*m = (s[5] - '0') * 10 + (s[6] - '0');
	*d = (s[8] - '0') * 10 + (s[9] - '0');
	return *y >= 1970 && *m >= 1 && *m <= 12 && *d >= 1 && *d <= tz_days_in_month(*y, *m);
}

void
schedule_format_hhmm(int min, char out[6])
{
	if (min < 0 || min >= 1440) {
		out[0] = '\0';
		return;
	}
	snprintf(out, 6, "%02d:%02d", min / 60, min % 60);
}
