/*
 * meeting_prefs.c: a member's meeting preferences (see meeting_prefs.h).
 *
 * No second filter: the preferences become the finder's query parameters
 * and go through finder_parse, and each time band the member picked is
 * tried with finder_match, so "evening" means here exactly what it means
 * on the finder page.  A region is free text (one of the network's
 * regions or cities), kept as typed and folded by the finder.
 */
#include "checkins/meeting_prefs.h"

#include <string.h>

#include "app/ctx.h"
#include "base/str.h"
#include "base/utf8.h"
#include "http/params.h"

static const char *const att_tokens[] = { "any", "in_person", "online" };
static const char *const time_tokens[] = { NULL, "morning", "afternoon", "evening", "night" };

const char *
mprefs_attendance_token(enum mprefs_attendance a)
{
	return (unsigned)a < 3 ? att_tokens[a] : "any";
}

const char *
mprefs_time_token(enum finder_time t)
{
	return (unsigned)t <= FINDER_NIGHT ? time_tokens[t] : NULL;
}

bool
mprefs_parse(const char *attendance, const char *region, const char *const *times,
    size_t ntimes, struct meeting_prefs *out, const char **bad_field)
{
	struct str r;
	size_t i, k;

	memset(out, 0, sizeof(*out));
	*bad_field = NULL;
	if (attendance != NULL && *attendance != '\0') {
		for (k = 0; k < 3 && strcmp(attendance, att_tokens[k]) != 0; k++)
			;
		if (k == 3) {
			*bad_field = "attendance";
			return false;
		}
		out->attendance = (enum mprefs_attendance)k;
	}
	if (region != NULL) {
		r = str_trim(str_c(region));
		if (r.len > MPREFS_REGION_MAX || !utf8_valid(r.p, r.len)) {
			*bad_field = "region";
			return false;
		}
		for (i = 0; i < r.len; i++)
			if ((unsigned char)r.p[i] < 0x20 || r.p[i] == 0x7f) {
				*bad_field = "region";
				return false;
			}
		memcpy(out->region, r.p, r.len);
		out->region[r.len] = '\0';
	}
	for (i = 0; i < ntimes; i++) {
		if (times[i] == NULL || *times[i] == '\0')
			continue;
		for (k = FINDER_MORNING; k <= FINDER_NIGHT && strcmp(times[i], time_tokens[k]) != 0;
		    k++)
			;
		if (k > FINDER_NIGHT) {
			*bad_field = "times";
			return false;
		}
		out->times |= 1u << k;
	}
	return true;
}

static void
add(struct arena *a, struct params *p, const char *name, const char *value)
{
	struct param *items = arena_alloc(a, (p->n + 1) * sizeof(*items));

	if (p->n > 0)
		memcpy(items, p->items, p->n * sizeof(*items));
	items[p->n].name = name;
	items[p->n].value = arena_strdup(a, value);
	items[p->n].value_len = strlen(value);
	p->items = items;
	p->n++;
}

static struct params
finder_params(struct arena *a, const struct meeting_prefs *p, const char *lang)
{
	struct params fp = { NULL, 0 };

	if (lang != NULL && *lang != '\0')
		add(a, &fp, "lang", lang);
	if (p->attendance != MPREFS_ANY)
		add(a, &fp, "attendance", att_tokens[p->attendance]);
	if (p->region[0] != '\0')
		add(a, &fp, "region", p->region);
	return fp;
}

bool
mprefs_query(struct arena *a, const struct meeting_prefs *p, const char *lang,
    struct finder_query *q)
{
	struct params fp = finder_params(a, p, lang);
	const char *bad;

	return finder_parse(a, &fp, q, &bad);
}

bool
mprefs_match(const struct finder_item *it, const struct meeting_prefs *p,
    struct finder_query *q, int64_t now)
{
	enum finder_time t;
	bool ok = false;

	if (p->times == 0) {
		q->time = FINDER_TIME_ANY;
		return finder_match(it, q, now);
	}
	for (t = FINDER_MORNING; t <= FINDER_NIGHT && !ok; t++) {
		if (!(p->times & (1u << t)))
			continue;
		q->time = t;
		ok = finder_match(it, q, now);
	}
	q->time = FINDER_TIME_ANY;
	return ok;
}

const char *
mprefs_finder_qs(struct arena *a, const struct meeting_prefs *p, const char *lang)
{
	struct params fp = finder_params(a, p, lang);
	struct buf b = BUF_INIT;
	const char *out;
	size_t i, nbits = 0;
	enum finder_time one = FINDER_TIME_ANY, t;

	for (i = 0; i < fp.n; i++) {
		if (b.len > 0)
			buf_putc(&b, '&');
		buf_puts(&b, fp.items[i].name);
		buf_putc(&b, '=');
		url_encode(&b, fp.items[i].value, fp.items[i].value_len);
	}
	/* the finder takes one time band: pass it on when there is just one */
	for (t = FINDER_MORNING; t <= FINDER_NIGHT; t++)
		if (p->times & (1u << t)) {
			nbits++;
			one = t;
		}
	if (nbits == 1)
		buf_printf(&b, "%stime=%s", b.len ? "&" : "", time_tokens[one]);
	out = arena_strdup(a, b.data ? b.data : "");
	buf_free(&b);
	return out;
}

json_t *
mprefs_json(const struct meeting_prefs *p)
{
	json_t *times = json_array();
	enum finder_time t;

	for (t = FINDER_MORNING; t <= FINDER_NIGHT; t++)
		if (p->times & (1u << t))
			json_array_append_new(times, json_string(time_tokens[t]));
	return json_pack("{s:s, s:o, s:o}", "attendance", att_tokens[p->attendance],
	    "region", p->region[0] ? json_string(p->region) : json_null(), "times", times);
}

int
mprefs_load(struct db *db, int64_t user_id, struct meeting_prefs *out)
{
	struct db_rows *r;
	const char *att, *region;
	size_t k;

	memset(out, 0, sizeof(*out));
	r = db_query(db, "SELECT attendance, region, times FROM meeting_prefs WHERE user_id = ?",
	    DB_I(user_id));
	if (r == NULL)
		return -1;
	if (db_rows_count(r) > 0) {
		att = db_rows_text(r, 0, 0);
		for (k = 0; k < 3; k++)
			if (att != NULL && strcmp(att, att_tokens[k]) == 0)
				out->attendance = (enum mprefs_attendance)k;
		region = db_rows_isnull(r, 0, 1) ? NULL : db_rows_text(r, 0, 1);
		if (region != NULL && strlen(region) <= MPREFS_REGION_MAX)
			memcpy(out->region, region, strlen(region) + 1);
		out->times = (unsigned)db_rows_int(r, 0, 2) &
		    ((1u << FINDER_MORNING) | (1u << FINDER_AFTERNOON) | (1u << FINDER_EVENING) |
		    (1u << FINDER_NIGHT));
	}
	db_rows_free(r);
	return 0;
}

int
mprefs_save(struct db *db, int64_t user_id, const struct meeting_prefs *p, int64_t now)
{
	return db_exec(db, "INSERT INTO meeting_prefs (user_id, attendance, region, times, "
	    "updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET "
	    "attendance = excluded.attendance, region = excluded.region, times = excluded.times, "
	    "updated_at = excluded.updated_at", DB_I(user_id),
	    DB_T(att_tokens[p->attendance]), p->region[0] ? DB_T(p->region) : DB_NUL,
	    DB_I((int64_t)p->times), DB_I(now)) < 0 ? -1 : 0;
}

json_t *
mprefs_export(struct db *db, const struct user *u, int64_t now)
{
	struct meeting_prefs p;

	(void)now;
	if (mprefs_load(db, u->id, &p) == -1)
		return NULL;
	return mprefs_json(&p);
}
