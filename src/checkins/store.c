/*
 * store.c: the accountability area's queries (see store.h).
 *
 * Design:
 *
 * - Sealed text is written in the same transaction as its row, so a row
 *   never exists with its text missing, and the associated data can name
 *   the row id.
 * - A ciphertext that no longer opens (a wrong key file) reads as null
 *   rather than failing the whole list: the member still sees the rest,
 *   and the log says which row, never what it held.
 * - Dates the member gives (goal due dates, start date, relapse dates) are
 *   kept as "YYYY-MM-DD" text, checked by days_parse_date before they get
 *   here; day numbers are computed from them when needed.
 */
#include "checkins/store.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/mem.h"
#include "checkins/days.h"
#include "http/params.h"
#include "privacy/crypto.h"

#define EXPORT_MAX		100000
#define MILESTONES_SHOWN	50

static struct db_value
opt_int(int v)
{
	return v < 0 ? DB_NUL : DB_I(v);
}

/* Seal text for column col of row id and store it with sql ("UPDATE ... SET x = ? WHERE id = ?"). */
static int
seal_into(struct db *db, const char *sql, const char *col, int64_t id, const char *text)
{
	char ad[96];
	unsigned char *blob;
	size_t blen;
	int64_t n;

	snprintf(ad, sizeof(ad), "%s:%" PRId64, col, id);
	blob = crypto_seal(text, strlen(text), ad, &blen);
	n = db_exec(db, sql, DB_B(blob, blen), DB_I(id));
	free(blob);
	return n == 1 ? 0 : -1;
}

/* Open a sealed cell; NULL when the cell is NULL or does not open. malloc'd. */
static char *
open_cell(struct db_rows *r, size_t row, size_t col, const char *what, int64_t id)
{
	const unsigned char *blob;
	char ad[96], *plain;
	size_t blen, plen;

	if (db_rows_isnull(r, row, col))
		return NULL;
	blob = db_rows_blob(r, row, col, &blen);
	snprintf(ad, sizeof(ad), "%s:%" PRId64, what, id);
	plain = crypto_open(blob, blen, ad, &plen);
	if (plain == NULL)
		log_warnx("checkins: %s of row %" PRId64 " does not decrypt", what, id);
	return plain;
}

static json_t *
text_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* ---- check-ins ---- */

int64_t
checkins_add(struct db *db, int64_t user_id, const struct checkin *ci, const char *source,
    int64_t now)
{
	int64_t id;

	if (db_begin(db) == -1)
		return -1;
	id = db_insert(db, "INSERT INTO checkins (user_id, created_at, mood, craving, stress, "
	    "sleep_halves, used, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
	    DB_I(user_id), DB_I(now), opt_int(ci->mood), opt_int(ci->craving),
	    opt_int(ci->stress), opt_int(ci->sleep_halves), DB_T(checkin_used_token(ci->used)),
	    DB_T(source));
	if (id <= 0)
		goto fail;
	if (ci->note != NULL && *ci->note != '\0' &&
	    seal_into(db, "UPDATE checkins SET note_enc = ? WHERE id = ?", "checkins.note", id,
	    ci->note) == -1)
		goto fail;
	if (db_commit(db) == -1)
		goto fail;
	return id;
fail:
	log_warnx("checkins: saving a check-in failed: %s", db_errmsg(db));
	db_rollback(db);
	return -1;
}

json_t *
checkin_json(const struct checkin *ci)
{
	json_t *o = json_object();

#define INT_OR_NULL(v)	((v) < 0 ? json_null() : json_integer(v))
	json_object_set_new(o, "id", json_integer(ci->id));
	json_object_set_new(o, "created_at", json_integer(ci->created_at));
	json_object_set_new(o, "mood", INT_OR_NULL(ci->mood));
	json_object_set_new(o, "craving", INT_OR_NULL(ci->craving));
	json_object_set_new(o, "stress", INT_OR_NULL(ci->stress));
	json_object_set_new(o, "sleep_hours", checkin_sleep_json(ci->sleep_halves));
	json_object_set_new(o, "used", text_or_null(checkin_used_token(ci->used)));
	json_object_set_new(o, "note", text_or_null(ci->note && *ci->note ? ci->note : NULL));
	json_object_set_new(o, "source", json_string(ci->source ? ci->source : "web"));
#undef INT_OR_NULL
	return o;
}

#define CHECKIN_COLS	"id, user_id, created_at, mood, craving, stress, sleep_halves, used, " \
			"source, note_enc"

static int
cell_int(struct db_rows *r, size_t i, size_t col)
{
	return db_rows_isnull(r, i, col) ? CHECKIN_SKIPPED : (int)db_rows_int(r, i, col);
}

/* Row i of a CHECKIN_COLS query; strings point into r (the note is not read). */
static void
row_checkin(struct db_rows *r, size_t i, struct checkin *ci)
{
	checkin_init(ci);
	ci->id = db_rows_int(r, i, 0);
	ci->user_id = db_rows_int(r, i, 1);
	ci->created_at = db_rows_int(r, i, 2);
	ci->mood = cell_int(r, i, 3);
	ci->craving = cell_int(r, i, 4);
	ci->stress = cell_int(r, i, 5);
	ci->sleep_halves = cell_int(r, i, 6);
	if (!db_rows_isnull(r, i, 7))
		checkin_used_from_token(db_rows_text(r, i, 7), &ci->used);
	ci->source = db_rows_text(r, i, 8);
}

static json_t *
rows_json(struct db_rows *r)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < db_rows_count(r); i++) {
		struct checkin ci;
		char *note;

		row_checkin(r, i, &ci);
		note = open_cell(r, i, 9, "checkins.note", ci.id);
		ci.note = note;
		json_array_append_new(a, checkin_json(&ci));
		free(note);
	}
	return a;
}

json_t *
checkins_list_json(struct db *db, int64_t user_id, int64_t before, int limit,
    int64_t *next_before)
{
	struct db_rows *r;
	json_t *a;
	size_t n;

	*next_before = 0;
	if (before <= 0)
		before = INT64_MAX;
	if (limit <= 0 || limit > CHECKINS_PAGE_MAX)
		limit = CHECKINS_PAGE_MAX;
	/* One more than asked tells whether there is a next page. */
	r = db_query(db, "SELECT " CHECKIN_COLS " FROM checkins WHERE user_id = ? AND id < ? "
	    "ORDER BY id DESC LIMIT ?", DB_I(user_id), DB_I(before), DB_I(limit + 1));
	if (r == NULL) {
		log_warnx("checkins: list failed: %s", db_errmsg(db));
		return NULL;
	}
	a = rows_json(r);
	n = json_array_size(a);
	if (n > (size_t)limit) {
		json_array_remove(a, n - 1);
		*next_before = json_integer_value(json_object_get(json_array_get(a, n - 2), "id"));
	}
	db_rows_free(r);
	return a;
}

int
checkins_since(struct db *db, int64_t user_id, int64_t from, size_t max, struct checkin **out,
    size_t *n)
{
	struct db_rows *r;
	size_t i;

	*out = NULL;
	*n = 0;
	r = db_query(db, "SELECT " CHECKIN_COLS " FROM checkins WHERE user_id = ? "
	    "AND created_at >= ? ORDER BY created_at, id LIMIT ?", DB_I(user_id), DB_I(from),
	    DB_I((int64_t)max));
	if (r == NULL) {
		log_warnx("checkins: range failed: %s", db_errmsg(db));
		return -1;
	}
	*n = db_rows_count(r);
	*out = xcalloc(*n ? *n : 1, sizeof(**out));
	for (i = 0; i < *n; i++) {
		row_checkin(r, i, &(*out)[i]);
		(*out)[i].source = NULL;	/* points into r, freed below */
	}
	db_rows_free(r);
	return 0;
}

int64_t
checkins_last_time(struct db *db, int64_t user_id)
{
	struct db_rows *r;
	int64_t t;

	r = db_query(db, "SELECT MAX(created_at) FROM checkins WHERE user_id = ?", DB_I(user_id));
	if (r == NULL)
		return -1;
	t = db_rows_isnull(r, 0, 0) ? 0 : db_rows_int(r, 0, 0);
	db_rows_free(r);
	return t;
}

/* ---- goals ---- */

bool
goal_title_valid(const char *s)
{
	struct str t;
	size_t i;

	if (s == NULL)
		return false;
	t = str_trim(str_c(s));
	if (t.len == 0 || t.len > GOAL_TITLE_MAX || !utf8_valid(t.p, t.len))
		return false;
	for (i = 0; i < t.len; i++)
		if ((unsigned char)t.p[i] < 0x20 || t.p[i] == 0x7f)
			return false;
	return true;
}

int64_t
goals_add(struct db *db, int64_t user_id, const char *title, const char *due_on, int64_t now)
{
	struct db_rows *r;
	int64_t id, count;

	if (db_begin(db) == -1)
		return -1;
	r = db_query(db, "SELECT COUNT(*) FROM goals WHERE user_id = ?", DB_I(user_id));
	if (r == NULL)
		goto fail;
	count = db_rows_int(r, 0, 0);
	db_rows_free(r);
	if (count >= GOALS_MAX) {
		db_rollback(db);
		return 0;
	}
	id = db_insert(db, "INSERT INTO goals (user_id, title_enc, due_on, created_at, updated_at) "
	    "VALUES (?, ?, ?, ?, ?) RETURNING id", DB_I(user_id), DB_B("", 0), DB_T(due_on),
	    DB_I(now), DB_I(now));
	if (id <= 0 || seal_into(db, "UPDATE goals SET title_enc = ? WHERE id = ?", "goals.title",
	    id, title) == -1 || db_commit(db) == -1)
		goto fail;
	return id;
fail:
	log_warnx("checkins: saving a goal failed: %s", db_errmsg(db));
	db_rollback(db);
	return -1;
}

int
goals_set_done(struct db *db, int64_t user_id, int64_t goal_id, bool done, int64_t now)
{
	int64_t n;

	if (done)
		n = db_exec(db, "UPDATE goals SET done_at = COALESCE(done_at, ?), updated_at = ? "
		    "WHERE id = ? AND user_id = ?", DB_I(now), DB_I(now), DB_I(goal_id),
		    DB_I(user_id));
	else
		n = db_exec(db, "UPDATE goals SET done_at = NULL, updated_at = ? "
		    "WHERE id = ? AND user_id = ?", DB_I(now), DB_I(goal_id), DB_I(user_id));
	return n < 0 ? -1 : n == 0 ? 1 : 0;
}

int
goals_delete(struct db *db, int64_t user_id, int64_t goal_id)
{
	int64_t n = db_exec(db, "DELETE FROM goals WHERE id = ? AND user_id = ?", DB_I(goal_id),
	    DB_I(user_id));

	return n < 0 ? -1 : n == 0 ? 1 : 0;
}

json_t *
goals_list_json(struct db *db, int64_t user_id)
{
	struct db_rows *r;
	json_t *a;
	size_t i;

	r = db_query(db, "SELECT id, title_enc, due_on, done_at, created_at FROM goals "
	    "WHERE user_id = ? ORDER BY CASE WHEN done_at IS NULL THEN 0 ELSE 1 END, "
	    "CASE WHEN done_at IS NULL THEN COALESCE(due_on, '9999-12-31') ELSE '' END, "
	    "done_at DESC, id LIMIT ?", DB_I(user_id), DB_I(GOALS_MAX));
	if (r == NULL) {
		log_warnx("checkins: goal list failed: %s", db_errmsg(db));
		return NULL;
	}
	a = json_array();
	for (i = 0; i < db_rows_count(r); i++) {
		int64_t id = db_rows_int(r, i, 0);
		char *title = open_cell(r, i, 1, "goals.title", id);
		bool done = !db_rows_isnull(r, i, 3);

		json_array_append_new(a, json_pack("{s:I, s:o, s:o, s:b, s:o, s:I}",
		    "id", (json_int_t)id,
		    "title", text_or_null(title),
		    "due_on", db_rows_isnull(r, i, 2) ? json_null() :
		    json_string(db_rows_text(r, i, 2)),
		    "done", done,
		    "done_at", done ? json_integer(db_rows_int(r, i, 3)) : json_null(),
		    "created_at", (json_int_t)db_rows_int(r, i, 4)));
		free(title);
	}
	db_rows_free(r);
	return a;
}

/* ---- recovery days ---- */

int
recovery_load(struct db *db, int64_t user_id, struct recovery *rec)
{
	struct db_rows *r;

	memset(rec, 0, sizeof(*rec));
	r = db_query(db, "SELECT start_on, share_milestones FROM recovery_profiles "
	    "WHERE user_id = ?", DB_I(user_id));
	if (r == NULL) {
		log_warnx("checkins: recovery profile failed: %s", db_errmsg(db));
		return -1;
	}
	if (db_rows_count(r) > 0) {
		rec->has_start = !db_rows_isnull(r, 0, 0) &&
		    days_parse_date(db_rows_text(r, 0, 0), &rec->start_day);
		rec->share_milestones = db_rows_int(r, 0, 1) != 0;
	}
	db_rows_free(r);
	return 0;
}

int
recovery_save(struct db *db, int64_t user_id, int64_t start_day, bool share, int64_t now)
{
	char date[11];

	if (start_day >= 0)
		days_format_date(start_day, date);
	if (db_exec(db, "INSERT INTO recovery_profiles (user_id, start_on, share_milestones, "
	    "updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET "
	    "start_on = excluded.start_on, share_milestones = excluded.share_milestones, "
	    "updated_at = excluded.updated_at", DB_I(user_id),
	    start_day >= 0 ? DB_T(date) : DB_NUL, DB_I(share ? 1 : 0), DB_I(now)) < 0) {
		log_warnx("checkins: saving recovery profile failed: %s", db_errmsg(db));
		return -1;
	}
	return 0;
}

int64_t
recovery_add_relapse(struct db *db, int64_t user_id, int64_t day, const char *reflection,
    int64_t now)
{
	struct db_rows *r;
	char date[11];
	int64_t id, count;

	days_format_date(day, date);
	if (db_begin(db) == -1)
		return -1;
	r = db_query(db, "SELECT COUNT(*) FROM recovery_events WHERE user_id = ?", DB_I(user_id));
	if (r == NULL)
		goto fail;
	count = db_rows_int(r, 0, 0);
	db_rows_free(r);
	if (count >= RELAPSES_MAX) {
		db_rollback(db);
		return 0;
	}
	id = db_insert(db, "INSERT INTO recovery_events (user_id, kind, on_date, created_at) "
	    "VALUES (?, 'relapse', ?, ?) RETURNING id", DB_I(user_id), DB_T(date), DB_I(now));
	if (id <= 0)
		goto fail;
	if (reflection != NULL && *reflection != '\0' &&
	    seal_into(db, "UPDATE recovery_events SET reflection_enc = ? WHERE id = ?",
	    "recovery_events.reflection", id, reflection) == -1)
		goto fail;
	if (db_commit(db) == -1)
		goto fail;
	return id;
fail:
	log_warnx("checkins: saving a relapse failed: %s", db_errmsg(db));
	db_rollback(db);
	return -1;
}

int
recovery_relapse_days(struct db *db, int64_t user_id, int64_t **days, size_t *n)
{
	struct db_rows *r;
	size_t i, k = 0;

	*days = NULL;
	*n = 0;
	r = db_query(db, "SELECT on_date FROM recovery_events WHERE user_id = ? AND "
	    "kind = 'relapse' LIMIT ?", DB_I(user_id), DB_I(RELAPSES_MAX));
	if (r == NULL) {
		log_warnx("checkins: relapse days failed: %s", db_errmsg(db));
		return -1;
	}
	*days = xcalloc(db_rows_count(r) + 1, sizeof(**days));
	for (i = 0; i < db_rows_count(r); i++)
		if (days_parse_date(db_rows_text(r, i, 0), &(*days)[k]))
			k++;
	*n = k;
	db_rows_free(r);
	return 0;
}

json_t *
recovery_relapses_json(struct db *db, int64_t user_id)
{
	struct db_rows *r;
	json_t *a;
	size_t i;

	r = db_query(db, "SELECT id, on_date, reflection_enc, created_at FROM recovery_events "
	    "WHERE user_id = ? AND kind = 'relapse' ORDER BY on_date DESC, id DESC LIMIT ?",
	    DB_I(user_id), DB_I(RELAPSES_MAX));
	if (r == NULL) {
		log_warnx("checkins: relapse list failed: %s", db_errmsg(db));
		return NULL;
	}
	a = json_array();
	for (i = 0; i < db_rows_count(r); i++) {
		int64_t id = db_rows_int(r, i, 0);
		char *refl = open_cell(r, i, 2, "recovery_events.reflection", id);

		json_array_append_new(a, json_pack("{s:I, s:s, s:o, s:I}",
		    "id", (json_int_t)id, "date", db_rows_text(r, i, 1),
		    "reflection", text_or_null(refl),
		    "created_at", (json_int_t)db_rows_int(r, i, 3)));
		free(refl);
	}
	db_rows_free(r);
	return a;
}

static json_t *
milestone_json(const struct milestone *m, int64_t today)
{
	char date[11];

	days_format_date(m->reached_on, date);
	return json_pack("{s:I, s:i, s:s, s:b, s:I}", "days", (json_int_t)m->days,
	    "years", m->years, "date", date, "current_run", m->current_run,
	    "days_to_go", (json_int_t)(m->reached_on > today ? m->reached_on - today : 0));
}

json_t *
recovery_json(struct db *db, int64_t user_id, int64_t today, bool with_events)
{
	struct recovery rec;
	struct days_summary sum;
	struct milestone ms[MILESTONES_SHOWN], next;
	int64_t *relapses = NULL, total = 0, k;
	size_t n = 0;
	json_t *o, *list;
	char date[11];

	if (recovery_load(db, user_id, &rec) == -1 ||
	    recovery_relapse_days(db, user_id, &relapses, &n) == -1)
		return NULL;
	o = json_object();
	list = json_array();
	if (rec.has_start) {
		days_format_date(rec.start_day, date);
		json_object_set_new(o, "start_date", json_string(date));
		if (days_summarize(rec.start_day, relapses, n, today, &sum) == -1 ||
		    (total = days_milestones(rec.start_day, relapses, n, today, ms,
		    MILESTONES_SHOWN)) < 0) {
			free(relapses);
			json_decref(o);
			json_decref(list);
			return NULL;
		}
		/* newest first */
		for (k = (total < MILESTONES_SHOWN ? total : MILESTONES_SHOWN) - 1; k >= 0; k--)
			json_array_append_new(list, milestone_json(&ms[k], today));
		days_format_date(sum.run_start, date);
		json_object_set_new(o, "run_start", json_string(date));
		days_next_milestone(sum.run_start, today, &next);
		json_object_set_new(o, "next_milestone", milestone_json(&next, today));
	} else {
		memset(&sum, 0, sizeof(sum));
		json_object_set_new(o, "start_date", json_null());
		json_object_set_new(o, "run_start", json_null());
		json_object_set_new(o, "next_milestone", json_null());
	}
	free(relapses);
	json_object_set_new(o, "started", json_boolean(sum.started));
	json_object_set_new(o, "current_days", json_integer(sum.current));
	json_object_set_new(o, "longest_days", json_integer(sum.longest));
	json_object_set_new(o, "total_days", json_integer(sum.total));
	json_object_set_new(o, "milestones", list);
	json_object_set_new(o, "milestones_count", json_integer(total));
	json_object_set_new(o, "share_milestones", json_boolean(rec.share_milestones));
	if (with_events) {
		json_t *ev = recovery_relapses_json(db, user_id);

		if (ev == NULL) {
			json_decref(o);
			return NULL;
		}
		json_object_set_new(o, "relapses", ev);
	}
	return o;
}

/* ---- export sections ---- */

json_t *
checkins_export(struct db *db, const struct user *u, int64_t now)
{
	struct db_rows *r;
	json_t *a;

	(void)now;
	r = db_query(db, "SELECT " CHECKIN_COLS " FROM checkins WHERE user_id = ? "
	    "ORDER BY id LIMIT ?", DB_I(u->id), DB_I(EXPORT_MAX));
	if (r == NULL)
		return NULL;
	a = rows_json(r);
	db_rows_free(r);
	return a;
}

json_t *
goals_export(struct db *db, const struct user *u, int64_t now)
{
	(void)now;
	return goals_list_json(db, u->id);
}

json_t *
recovery_export(struct db *db, const struct user *u, int64_t now)
{
	return recovery_json(db, u->id, days_of_time(now, 0), true);
}
