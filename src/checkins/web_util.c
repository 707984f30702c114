/*
 * web_util.c: helpers shared by the accountability pages (see web_util.h).
 */
#include "checkins/web_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "checkins/days.h"
#include "checkins/remind.h"
#include "view/view.h"

/*
 * The member's offset, looked up once per request: pages call ck_offset
 * for every row they show.  The cache is this thread's, keyed by the
 * request's user and second and by the settings generation, so a change
 * of zone shows on the very next page.
 */
static _Thread_local struct {
	int64_t	 user_id;
	int64_t	 now;
	uint64_t generation;
	int64_t	 offset;
	bool	 valid;
} offset_cache;

int64_t
ck_offset(struct ctx *c)
{
	if (c->user == NULL)
		return 0;
	uint64_t gen = settings_generation();

	if (!offset_cache.valid || offset_cache.user_id != c->user->id ||
	    offset_cache.now != c->now || offset_cache.generation != gen) {
		offset_cache.offset = settings_offset(c->db, c->user->id, c->now);
		offset_cache.user_id = c->user->id;
		offset_cache.now = c->now;
		offset_cache.generation = gen;
		offset_cache.valid = true;
	}
	return offset_cache.offset;
}

int64_t
ck_today(struct ctx *c)
{
	return days_of_time(c->now, ck_offset(c));
}

static const char *
month_name(struct ctx *c, int m, bool is_short)
{
	return i18n_get(c->lang, arena_printf(c->a, "checkins.date.%s%d",
	    is_short ? "mon" : "month", m));
}

const char *
ck_date(struct ctx *c, int64_t day)
{
	int64_t y;
	int m, d;

	days_to_civil(day, &y, &m, &d);
	return ctx_tr(c, "checkins.date.long", json_pack("{s:i, s:s, s:I}", "day", d,
	    "month", month_name(c, m, false), "year", (json_int_t)y));
}

const char *
ck_date_short(struct ctx *c, int64_t day)
{
	int64_t y;
	int m, d;

	days_to_civil(day, &y, &m, &d);
	return ctx_tr(c, "checkins.date.short", json_pack("{s:i, s:s}", "day", d,
	    "month", month_name(c, m, true)));
}

const char *
ck_datetime(struct ctx *c, int64_t t)
{
	int64_t local = t + ck_offset(c);
	int64_t day = days_of_time(t, ck_offset(c));
	int64_t secs = local - day * 86400;
	char hm[8];

	snprintf(hm, sizeof(hm), "%02d:%02d", (int)(secs / 3600), (int)(secs % 3600 / 60));
	return ctx_tr(c, "checkins.date.datetime", json_pack("{s:s, s:s}",
	    "date", ck_date(c, day), "time", hm));
}

const char *
ck_iso(struct ctx *c, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char iso[32] = "";

	if (gmtime_r(&tt, &tm) != NULL)
		strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return arena_strdup(c->a, iso);
}

int
ck_query_int(struct ctx *c, const char *name, int64_t def, int64_t min, int64_t max,
    int64_t *out)
{
	const char *s = params_get(&c->query, name);
	uint64_t v;

	*out = def;
	if (s == NULL)
		return 0;
	if (!str_to_u64(str_c(s), (uint64_t)max, &v) || (int64_t)v < min)
		return -1;
	*out = (int64_t)v;
	return 1;
}

const char *
ck_error_key(struct ctx *c, const char *field)
{
	return arena_printf(c->a, "checkins.errors.%s", field);
}

json_t *
ck_field_error(struct ctx *c, const char *field, const char *msg_key)
{
	return json_pack("{s:s}", field, i18n_get(c->lang, msg_key));
}
