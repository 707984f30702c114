/*
 * finder.c: parsing and matching the finder's filters (see finder.h).
 *
 * Choices a visitor would expect:
 *   - "in_person" also finds hybrid meetings, and so does "online": a
 *     hybrid meeting can be joined either way.  "hybrid" finds only hybrid.
 *   - A language matches through the meeting's languages, which include
 *     those its Meeting Guide language types say (S is Spanish).
 *   - Day and time of day go by the meeting's local start; a meeting by
 *     appointment has neither, so it is never listed by day or time.
 *   - Meetings without coordinates are not near anything.
 *   - Text matches every word, ignoring case and Latin accents.
 */
#include "meetings/finder.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/str.h"
#include "formats/meetingguide.h"

/* All values of a repeated parameter (types=O&types=D), comma lists split. */
static size_t
param_values(struct arena *a, const struct params *p, const char *name, char ***out)
{
	char **all = NULL, **parts;
	size_t n = 0, i, k, np;

	for (i = 0; i < p->n; i++) {
		if (strcmp(p->items[i].name, name) != 0)
			continue;
		np = meeting_split(a, p->items[i].value, &parts);
		if (np == 0)
			continue;
		{
			char **na = arena_alloc(a, (n + np) * sizeof(char *));
			if (n)
				memcpy(na, all, n * sizeof(char *));
			for (k = 0; k < np; k++)
				na[n + k] = parts[k];
			all = na;
			n += np;
		}
	}
	*out = all;
	return n;
}

/* A value that is present and not blank, else NULL. */
static const char *
param(const struct params *p, const char *name)
{
	const char *v = params_get(p, name);
	struct str t;

	if (v == NULL)
		return NULL;
	t = str_trim(str_c(v));
	return t.len ? v : NULL;
}

static bool
parse_double(const char *s, double *out)
{
	char *end;
	double d;

	if (s == NULL)
		return false;
	while (isspace((unsigned char)*s))
		s++;
	d = strtod(s, &end);
	while (isspace((unsigned char)*end))
		end++;
	if (end == s || *end != '\0' || !isfinite(d))
		return false;
	*out = d;
	return true;
}

enum finder_time
finder_time_band(int start_min)
{
	if (start_min < 0)
		return FINDER_TIME_ANY;
	if (start_min >= 4 * 60 && start_min < 12 * 60)
		return FINDER_MORNING;
	if (start_min >= 12 * 60 && start_min < 17 * 60)
		return FINDER_AFTERNOON;
	if (start_min >= 17 * 60 && start_min < 21 * 60)
		return FINDER_EVENING;
	return FINDER_NIGHT;
}

#define BAD(f)	do { *bad_field = (f); return false; } while (0)

bool
finder_parse(struct arena *a, const struct params *p, struct finder_query *q,
    const char **bad_field)
{
	static const char *const times[] = { "", "morning", "afternoon", "evening", "night" };
	char **vals;
	const char *v;
	size_t n, i;
	struct buf canon = BUF_INIT;

	memset(q, 0, sizeof(*q));
	*bad_field = NULL;

	n = param_values(a, p, "day", &vals);
	for (i = 0; i < n; i++) {
		if (strlen(vals[i]) != 1 || vals[i][0] < '0' || vals[i][0] > '6')
			BAD("day");
		q->days |= 1u << (vals[i][0] - '0');
	}
	if ((v = param(p, "time")) != NULL) {
		for (i = 1; i < 5; i++)
			if (strcmp(v, times[i]) == 0)
				q->time = (enum finder_time)i;
		if (q->time == FINDER_TIME_ANY)
			BAD("time");
	}
	n = param_values(a, p, "types", &vals);
	if (n > FINDER_MAX_TYPES)
		BAD("types");
	for (i = 0; i < n; i++) {
		size_t k;
		if (!meeting_type_code_ok(vals[i]))
			BAD("types");
		for (k = 0; k < q->ntypes && strcmp(q->types[k], vals[i]) != 0; k++)
			;
		if (k == q->ntypes)
			q->types[q->ntypes++] = vals[i];
	}
	if ((v = param(p, "attendance")) != NULL &&
	    (q->attendance = meeting_attendance_from(v)) == 0)
		BAD("attendance");
	if ((v = param(p, "lang")) != NULL) {
		if (!meeting_lang_ok(v))
			BAD("lang");
		q->lang = arena_strdup(a, v);
	}
	if ((v = param(p, "region")) == NULL)
		v = param(p, "city");
	if (v != NULL) {
		char *f;
		if (strlen(v) > 255)
			BAD("region");
		f = arena_alloc(a, strlen(v) + 1);
		meeting_fold(str_trim(str_c(v)).p, f, str_trim(str_c(v)).len + 1);
		q->region = f;
		q->raw_region = arena_strdup(a, v);
	}
	if ((v = param(p, "near")) != NULL) {
		const char *comma = strchr(v, ',');
		char *lat;
		if (comma == NULL || strlen(v) > 64)
			BAD("near");
		lat = arena_strndup(a, v, (size_t)(comma - v));
		if (!parse_double(lat, &q->lat) || !parse_double(comma + 1, &q->lon) ||
		    q->lat < -90 || q->lat > 90 || q->lon < -180 || q->lon > 180)
			BAD("near");
		q->near = true;
		q->raw_near = arena_strdup(a, v);
		q->radius_km = FINDER_RADIUS_DEFAULT;
	}
	if ((v = param(p, "radius_km")) != NULL) {
		double r;
		if (!parse_double(v, &r) || r <= 0 || r > FINDER_RADIUS_MAX)
			BAD("radius_km");
		q->radius_km = r;
		q->raw_radius = arena_strdup(a, v);
	}
	if ((v = param(p, "q")) != NULL) {
		size_t len = strlen(v);
		char *f, *save = NULL, *w;
		if (len > FINDER_Q_MAX)
			BAD("q");
		f = arena_alloc(a, len + 1);
		meeting_fold(v, f, len + 1);
		for (w = strtok_r(f, " \t\r\n", &save); w && q->nwords < 8;
		    w = strtok_r(NULL, " \t\r\n", &save))
			q->words[q->nwords++] = w;
		q->raw_q = arena_strdup(a, v);
	}
	if ((v = param(p, "when")) != NULL) {
		if (strcmp(v, "now") == 0)
			q->when = FINDER_NOW;
		else if (strcmp(v, "soon") == 0)
			q->when = FINDER_SOON;
		else
			BAD("when");
	}

	/* A stable text of what was asked, whatever the parameter order. */
	buf_printf(&canon, "d%u;t%d;a%d;w%d", q->days, (int)q->time, (int)q->attendance,
	    (int)q->when);
	for (i = 0; i < q->ntypes; i++)
		buf_printf(&canon, ";y%s", q->types[i]);
	if (q->lang)
		buf_printf(&canon, ";l%s", q->lang);
	if (q->region)
		buf_printf(&canon, ";r%.200s", q->region);
	if (q->near)
		buf_printf(&canon, ";n%.6f,%.6f,%.3f", q->lat, q->lon, q->radius_km);
	for (i = 0; i < q->nwords; i++)
		buf_printf(&canon, ";q%.100s", q->words[i]);
	snprintf(q->canonical, sizeof(q->canonical), "%s", canon.data);
	buf_free(&canon);
	q->any = q->days || q->time || q->ntypes || q->attendance || q->lang || q->region ||
	    q->near || q->nwords || q->when;
	return true;
}

#undef BAD

static char *
fold(struct arena *a, const char *s)
{
	size_t n;
	char *f;

	if (s == NULL)
		return NULL;
	n = strlen(s);
	f = arena_alloc(a, n + 1);
	meeting_fold(s, f, n + 1);
	return f;
}

void
finder_item_init(struct arena *a, struct finder_item *it, const struct meeting *m,
    const struct sched_exception *ex, size_t nex)
{
	const char *parts[] = { m->name, m->location, m->formatted_address, m->address, m->city,
	    m->state, m->postal_code, m->region, m->sub_region, m->group, m->notes,
	    m->location_notes, m->transit_notes };
	struct buf b = BUF_INIT;
	size_t i;

	memset(it, 0, sizeof(*it));
	it->m = m;
	it->tz = tz_get(m->timezone);
	it->ex = ex;
	it->nex = nex;
	it->weekdays = schedule_weekdays(&m->sched);
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		if (parts[i] == NULL)
			continue;
		buf_puts(&b, parts[i]);
		buf_putc(&b, '\n');
	}
	it->hay = fold(a, b.data ? b.data : "");
	buf_free(&b);
	it->region_f = fold(a, m->region);
	it->sub_region_f = fold(a, m->sub_region);
	it->city_f = fold(a, m->city);
	if (m->has_coords) {
		it->lat = (double)m->lat_e6 / 1e6;
		it->lon = (double)m->lon_e6 / 1e6;
	}
	it->listed = !m->temporarily_closed && it->tz != NULL;
	it->in_feed = it->listed && mg_exportable(m);
}

double
finder_distance_km(double lat1, double lon1, double lat2, double lon2)
{
	const double r = 6371.0088, rad = M_PI / 180.0;
	double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
	double h = sin(dlat / 2) * sin(dlat / 2) +
	    cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);

	if (h > 1)
		h = 1;
	return 2 * r * asin(sqrt(h));
}

static bool
has_string(char *const *arr, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(arr[i], s) == 0)
			return true;
	return false;
}

bool
finder_match(const struct finder_item *it, const struct finder_query *q, int64_t now)
{
	const struct meeting *m = it->m;
	size_t i;

	if (!it->listed)
		return false;
	if (q->days && !(q->days & it->weekdays))
		return false;
	if (q->time && (m->sched.kind == SCHED_APPOINTMENT ||
	    finder_time_band(m->sched.start_min) != q->time))
		return false;
	for (i = 0; i < q->ntypes; i++)
		if (!has_string(m->types, m->ntypes, q->types[i]))
			return false;
	if (q->attendance) {
		if (q->attendance == ATTEND_HYBRID && m->attendance != ATTEND_HYBRID)
			return false;
		if (q->attendance != ATTEND_HYBRID && m->attendance != q->attendance &&
		    m->attendance != ATTEND_HYBRID)
			return false;
	}
	if (q->lang && !has_string(m->languages, m->nlanguages, q->lang))
		return false;
	if (q->region && !((it->region_f && strcmp(it->region_f, q->region) == 0) ||
	    (it->sub_region_f && strcmp(it->sub_region_f, q->region) == 0) ||
	    (it->city_f && strcmp(it->city_f, q->region) == 0)))
		return false;
	if (q->near && (!m->has_coords ||
	    finder_distance_km(q->lat, q->lon, it->lat, it->lon) > q->radius_km))
		return false;
	for (i = 0; i < q->nwords; i++)
		if (strstr(it->hay, q->words[i]) == NULL)
			return false;
	if (q->when || m->sched.kind == SCHED_ONCE) {
		struct occurrence o;

		if (schedule_next(&m->sched, it->tz, it->ex, it->nex, now, 1, 0, &o) == 0)
			return false;	/* a single date that has passed, or nothing ahead */
		if (q->when == FINDER_NOW && !(o.start <= now && now < o.end))
			return false;
		if (q->when == FINDER_SOON && !(o.start > now && o.start <= now + FINDER_SOON_SECONDS))
			return false;
	}
	return true;
}

int
finder_item_cmp(const void *a, const void *b)
{
	const struct finder_item *x = a, *y = b;
	int dx = x->weekdays ? __builtin_ctz(x->weekdays) : 7;
	int dy = y->weekdays ? __builtin_ctz(y->weekdays) : 7;
	int c;

	if (dx != dy)
		return dx - dy;
	if (x->m->sched.start_min != y->m->sched.start_min)
		return x->m->sched.start_min - y->m->sched.start_min;
	if ((c = strcasecmp(x->m->name, y->m->name)) != 0)
		return c;
	return strcmp(x->m->slug, y->m->slug);
}
