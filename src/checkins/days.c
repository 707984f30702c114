/*
 * days.c: days in recovery and milestones (the rules are in days.h).
 *
 * The calendar arithmetic is the usual era-based conversion between civil
 * dates and day numbers (400-year eras of 146097 days), valid for any date
 * this program will meet.  Relapse days are copied, sorted and de-duplicated
 * here, so callers may pass them in any order.
 */
#include "checkins/days.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

#define DAYS_RELAPSES_MAX	100000

static const int64_t day_milestones[] = { 1, 7, 30, 60, 90, 180, 365 };
#define NDAY_MILESTONES	(sizeof(day_milestones) / sizeof(day_milestones[0]))

static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = floor_div(y, 400);
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
days_to_civil(int64_t day, int64_t *y, int *m, int *d)
{
	int64_t z = day + 719468, era, doe, yoe, doy, mp;

	era = floor_div(z, 146097);
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static bool
is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
month_days(int64_t y, int m)
{
	static const int n[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && is_leap(y) ? 29 : n[m - 1];
}

bool
days_parse_date(const char *s, int64_t *day)
{
	int64_t y = 0;
	int m, d, i;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	for (i = 0; i < 4; i++)
		y = y * 10 + (s[i] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > month_days(y, m))
		return false;
	*day = days_from_civil(y, m, d);
	return true;
}

void
days_format_date(int64_t day, char out[11])
{
	int64_t y;
	int m, d;

	days_to_civil(day, &y, &m, &d);
	if (y < 0 || y > 9999) {
		snprintf(out, 11, "0000-00-00");
		return;
	}
	snprintf(out, 11, "%04d-%02d-%02d", (int)y, m, d);
}

int64_t
days_of_time(int64_t t, int64_t offset_s)
{
	return floor_div(t + offset_s, 86400);
}

int
days_weekday(int64_t day)
{
	/* 1970-01-01 was a Thursday (3 when Monday is 0). */
	return (int)(((day % 7) + 7 + 3) % 7);
}

int64_t
days_add_years(int64_t day, int years)
{
	int64_t y;
	int m, d;

	days_to_civil(day, &y, &m, &d);
	y += years;
	if (m == 2 && d == 29 && !is_leap(y)) {
		m = 3;
		d = 1;
	}
	return days_from_civil(y, m, d);
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The relapses that count, sorted and unique, in a malloc'd array (NULL
 * when there are none).  -1 if there are too many.
 */
static int64_t
counted_relapses(int64_t start, const int64_t *relapses, size_t n, int64_t today,
    int64_t **out)
{
	int64_t *v;
	size_t i, k = 0;

	*out = NULL;
	if (n > DAYS_RELAPSES_MAX)
		return -1;
	if (n == 0)
		return 0;
	v = xcalloc(n, sizeof(*v));
	for (i = 0; i < n; i++)
		if (relapses[i] >= start && relapses[i] <= today)
			v[k++] = relapses[i];
	qsort(v, k, sizeof(*v), cmp_i64);
	n = k;
	for (i = k = 0; i < n; i++)
		if (k == 0 || v[k - 1] != v[i])
			v[k++] = v[i];
	if (k == 0) {
		free(v);
		return 0;
	}
	*out = v;
	return (int64_t)k;
}

int
days_summarize(int64_t start, const int64_t *relapses, size_t n, int64_t today,
    struct days_summary *out)
{
	int64_t *r, nr, s, i, len;

	memset(out, 0, sizeof(*out));
	out->run_start = start;
	if (start > today)
		return n > DAYS_RELAPSES_MAX ? -1 : 0;
	if ((nr = counted_relapses(start, relapses, n, today, &r)) < 0)
		return -1;
	out->started = true;
	s = start;
	for (i = 0; i < nr; i++) {
		len = r[i] - s;		/* r[i] >= s: sorted, unique, >= start */
		out->total += len;
		if (len > out->longest)
			out->longest = len;
		s = r[i] + 1;
	}
	free(r);
	len = today - s > 0 ? today - s : 0;
	out->total += len;
	if (len > out->longest)
		out->longest = len;
	out->current = len;
	out->run_start = s;
	out->runs = nr + 1;
	return 0;
}

/*
 * Visit the milestones of one run of length len (days counted) starting
 * on s.  Calls emit for each, oldest first.
 */
struct ms_sink {
	struct milestone	*out;
	size_t			 max;
	int64_t			 skip;	/* the oldest ones left out */
	int64_t			 seen;
	size_t			 n;
};

static void
emit(struct ms_sink *k, const struct milestone *m)
{
	if (k->seen++ < k->skip || k->out == NULL || k->n >= k->max)
		return;
	k->out[k->n++] = *m;
}

static void
run_milestones(struct ms_sink *k, int64_t s, int64_t len, int run, bool current)
{
	struct milestone m;
	size_t i;
	int y;

	for (i = 0; i < NDAY_MILESTONES && day_milestones[i] <= len; i++) {
		m.days = day_milestones[i];
		m.years = day_milestones[i] == 365 ? 1 : 0;
		m.reached_on = s + day_milestones[i];
		m.run = run;
		m.current_run = current;
		emit(k, &m);
	}
	for (y = 2; y < 200; y++) {
		int64_t at = days_add_years(s, y);

		if (at - s > len)
			break;
		m.days = at - s;
		m.years = y;
		m.reached_on = at;
		m.run = run;
		m.current_run = current;
		emit(k, &m);
	}
}

static int64_t
walk_milestones(int64_t start, const int64_t *r, int64_t nr, int64_t today, struct ms_sink *k)
{
	int64_t s = start, i;

	for (i = 0; i < nr; i++) {
		run_milestones(k, s, r[i] - s, (int)i, false);
		s = r[i] + 1;
	}
	if (today >= s)
		run_milestones(k, s, today - s, (int)nr, true);
	return k->seen;
}

int64_t
days_milestones(int64_t start, const int64_t *relapses, size_t n, int64_t today,
    struct milestone *out, size_t max)
{
	struct ms_sink k = { 0 };
	int64_t *r, nr, total;

	if (start > today)
		return n > DAYS_RELAPSES_MAX ? -1 : 0;
	if ((nr = counted_relapses(start, relapses, n, today, &r)) < 0)
		return -1;
	total = walk_milestones(start, r, nr, today, &k);
	if (out != NULL && max > 0) {
		memset(&k, 0, sizeof(k));
		k.out = out;
		k.max = max;
		k.skip = total > (int64_t)max ? total - (int64_t)max : 0;
		walk_milestones(start, r, nr, today, &k);
	}
	free(r);
	return total;
}

void
days_next_milestone(int64_t run_start, int64_t today, struct milestone *next)
{
	int64_t len = today - run_start;
	size_t i;
	int y;

	memset(next, 0, sizeof(*next));
	next->current_run = true;
	for (i = 0; i < NDAY_MILESTONES; i++) {
		if (day_milestones[i] > len) {
			next->days = day_milestones[i];
			next->years = day_milestones[i] == 365 ? 1 : 0;
			next->reached_on = run_start + day_milestones[i];
			return;
		}
	}
	for (y = 2; ; y++) {
		int64_t at = days_add_years(run_start, y);

		if (at - run_start > len || y >= 10000) {
			next->days = at - run_start;
			next->years = y;
			next->reached_on = at;
			return;
		}
	}
}
