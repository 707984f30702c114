/*
 * warnings_store.c: the outreach queue in the database (see
 * warnings_store.h).
 *
 * Design:
 *
 * - The network pass reads check-ins a page of members at a time (by id),
 *   so its memory stays bounded whatever the size of the network, and
 *   feeds the pure rules one member after the other.
 * - An item is inserted with ON CONFLICT DO NOTHING against the two
 *   unique indexes (one per episode, one open per cause), inside a
 *   transaction with the sealed detail, so an item never exists without
 *   its figures and a race between servers inserts one item.
 * - Attendance comes from the circles area (circle_attendance, one row per
 *   person who came).  A member's usual meetings are those they came to at
 *   least twice in the window; a session of one of them that took place
 *   (someone's attendance was recorded) without them is a missed meeting.
 *   If that table cannot be read, the rules run on check-ins alone.
 */
#include "safety/warnings_store.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/utf8.h"
#include "notify/jobs.h"
#include "privacy/consent.h"
#include "privacy/crypto.h"

#define DAY		86400
#define PAGE_MEMBERS	500
#define WARN_INTERVAL	3600

/* ---- thresholds ---- */

#define PARAM(name)	{ #name, offsetof(struct warn_params, name) }
static const struct {
	const char	*name;
	size_t		 off;
} params[] = {
	PARAM(gap_factor_pct), PARAM(gap_min_days), PARAM(min_checkins), PARAM(missed_meetings),
	PARAM(craving_delta_tenths), PARAM(mood_delta_tenths), PARAM(baseline_min),
	PARAM(use_days), PARAM(stale_days),
};
#define NPARAMS	(sizeof(params) / sizeof(params[0]))

static int *
param_at(struct warn_params *p, size_t i)
{
	return (int *)((char *)p + params[i].off);
}

json_t *
warnings_params_json(const struct warn_params *p)
{
	json_t *o = json_object();
	size_t i;

	for (i = 0; i < NPARAMS; i++)
		json_object_set_new(o, params[i].name,
		    json_integer(*param_at((struct warn_params *)p, i)));
	return o;
}

/* Overlay JSON members on p; false if one is unknown or not an integer (*bad names it). */
static bool
params_overlay(struct warn_params *p, json_t *in, const char **bad)
{
	const char *key;
	json_t *v;
	size_t i;

	json_object_foreach(in, key, v) {
		for (i = 0; i < NPARAMS; i++)
			if (strcmp(params[i].name, key) == 0)
				break;
		if (i == NPARAMS || !json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > 100000) {
			*bad = key;
			return false;
		}
		*param_at(p, i) = (int)json_integer_value(v);
	}
	return true;
}

void
warnings_params(struct db *db, struct warn_params *out)
{
	struct db_rows *r;
	json_t *j = NULL;
	const char *bad;

	warn_params_default(out);
	r = db_query(db, "SELECT value FROM settings WHERE key = 'safety.warnings'");
	if (r != NULL && db_rows_count(r) > 0)
		j = json_loads(db_rows_text(r, 0, 0), 0, NULL);
	db_rows_free(r);
	if (json_is_object(j)) {
		struct warn_params p = *out;

		if (params_overlay(&p, j, &bad) && warn_params_check(&p) == NULL)
			*out = p;
	}
	json_decref(j);
}

const char *
warnings_params_check(struct arena *a, json_t *in)
{
	struct warn_params p;
	const char *bad = NULL;

	warn_params_default(&p);
	if (!json_is_object(in))
		return "warnings";
	if (!params_overlay(&p, in, &bad))
		return arena_printf(a, "warnings.%s", bad);
	if ((bad = warn_params_check(&p)) != NULL)
		return arena_printf(a, "warnings.%s", bad);
	return NULL;
}

int
warnings_params_save(struct db *db, json_t *in)
{
	struct warn_params p;
	const char *bad;
	json_t *j;
	char *s;
	int64_t n;

	warnings_params(db, &p);
	if (!params_overlay(&p, in, &bad) || warn_params_check(&p) != NULL)
		return -1;
	j = warnings_params_json(&p);
	s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	if (s == NULL)
		return -1;
	n = db_exec(db, "INSERT INTO settings (key, value) VALUES ('safety.warnings', ?) "
	    "ON CONFLICT (key) DO UPDATE SET value = excluded.value", DB_T(s));
	free(s);
	return n < 0 ? -1 : 0;
}

/* ---- raising items ---- */

const char *
outreach_category(const char *cause)
{
	return strcmp(cause, "meetings_missed") == 0 ? CONSENT_ATTENDANCE : CONSENT_CHECKINS;
}

/* 1 raised, 0 already there (this episode, or an open item of the cause), -1. */
static int
raise_item(struct db *db, int64_t member_id, const char *cause, int64_t episode, int32_t value,
    int32_t usual, int64_t now)
{
	char ad[64], detail[96];
	unsigned char *blob;
	size_t blen;
	int64_t id;

	if (db_begin(db) == -1)
		return -1;
	id = db_insert(db, "INSERT INTO outreach_items (member_id, cause, episode, created_at, "
	    "updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id",
	    DB_I(member_id), DB_T(cause), DB_I(episode), DB_I(now), DB_I(now));
	if (id <= 0) {
		db_rollback(db);
		return id == 0 ? 0 : -1;
	}
	snprintf(detail, sizeof(detail), "{\"value\":%d,\"usual\":%d}", (int)value, (int)usual);
	snprintf(ad, sizeof(ad), "outreach_items.detail:%" PRId64, id);
	blob = crypto_seal(detail, strlen(detail), ad, &blen);
	db_exec(db, "UPDATE outreach_items SET detail_enc = ? WHERE id = ?", DB_B(blob, blen),
	    DB_I(id));
	free(blob);
	if (db_commit(db) == -1) {
		db_rollback(db);
		return -1;
	}
	log_info("safety: outreach item %" PRId64 " raised (%s)", id, cause);
	return 1;
}

static int
raise_findings(struct db *db, int64_t member_id, const struct warn_finding *f, int n,
    int64_t now)
{
	int i, raised = 0, rc;

	for (i = 0; i < n; i++) {
		rc = raise_item(db, member_id, warn_cause_token((enum warn_cause)f[i].cause),
		    f[i].episode, f[i].value, f[i].usual, now);
		if (rc < 0)
			return -1;
		raised += rc;
	}
	return raised;
}

/*
 * The member's usual meetings since since, as attended/missed events in
 * time order (malloc'd into *out, *n events).  0, or -1 when attendance
 * cannot be read (the caller goes on without it).
 */
static int
load_attendance(struct db *db, int64_t member_id, int64_t since, int64_t now,
    struct warn_event **out, size_t *n)
{
	struct db_rows *r;
	size_t i;

	*out = NULL;
	*n = 0;
	r = db_query(db, "SELECT s.session_start, EXISTS (SELECT 1 FROM circle_attendance a2 WHERE "
	    "a2.meeting_id = s.meeting_id AND a2.session_start = s.session_start AND "
	    "a2.user_id = ?) FROM (SELECT DISTINCT a.meeting_id, a.session_start FROM "
	    "circle_attendance a WHERE a.session_start >= ? AND a.session_start <= ? AND "
	    "a.meeting_id IN (SELECT u.meeting_id FROM circle_attendance u WHERE u.user_id = ? AND "
	    "u.session_start >= ? GROUP BY u.meeting_id HAVING COUNT(*) >= 2)) s WHERE "
	    "s.session_start >= (SELECT MIN(f.session_start) FROM circle_attendance f WHERE "
	    "f.user_id = ? AND f.meeting_id = s.meeting_id AND f.session_start >= ?) "
	    "ORDER BY s.session_start, s.meeting_id", DB_I(member_id), DB_I(since), DB_I(now),
	    DB_I(member_id), DB_I(since), DB_I(member_id), DB_I(since));
	if (r == NULL)
		return -1;
	if (db_rows_count(r) > 0) {
		*out = xcalloc(db_rows_count(r), sizeof(**out));
		for (i = 0; i < db_rows_count(r); i++) {
			(*out)[i].at = db_rows_int(r, i, 0);
			(*out)[i].kind = db_rows_int(r, i, 1) ? WARN_EV_ATTENDED : WARN_EV_MISSED;
		}
		*n = db_rows_count(r);
	}
	db_rows_free(r);
	return 0;
}

/* Is attendance there to read?  (The circles area may not be installed.) */
static bool
attendance_readable(struct db *db)
{
	struct db_rows *r = db_query(db, "SELECT 1 FROM circle_attendance LIMIT 1");

	db_rows_free(r);
	return r != NULL;
}

static void
row_event(struct db_rows *r, size_t i, struct warn_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->kind = WARN_EV_CHECKIN;
	ev->at = db_rows_int(r, i, 1);
	ev->mood = db_rows_isnull(r, i, 2) ? 0 : (int8_t)db_rows_int(r, i, 2);
	ev->craving = db_rows_isnull(r, i, 3) ? -1 : (int8_t)db_rows_int(r, i, 3);
	ev->used = strcmp(db_rows_text(r, i, 4), "yes") == 0;
}

int
warnings_evaluate_member(struct db *db, int64_t member_id, int64_t now)
{
	struct warn_params p;
	struct warn_state s;
	struct warn_finding f[WARN_CAUSES];
	struct warn_event ev;
	struct db_rows *r;
	size_t i;
	int n;

	struct warn_event *att = NULL;
	size_t natt = 0, j = 0;
	int64_t since = now - WARN_HISTORY_DAYS * DAY;

	warnings_params(db, &p);
	if (attendance_readable(db) && load_attendance(db, member_id, since, now, &att, &natt) == -1)
		log_warnx("safety: attendance not read: %s", db_errmsg(db));
	r = db_query(db, "SELECT user_id, created_at, mood, craving, used FROM checkins WHERE "
	    "user_id = ? AND created_at >= ? AND created_at <= ? ORDER BY created_at, id",
	    DB_I(member_id), DB_I(since), DB_I(now));
	if (r == NULL) {
		free(att);
		return -1;
	}
	warn_state_init(&s);
	for (i = 0; i < db_rows_count(r); i++) {
		row_event(r, i, &ev);
		for (; j < natt && att[j].at <= ev.at; j++)
			warn_feed(&p, &s, &att[j]);
		warn_feed(&p, &s, &ev);
	}
	for (; j < natt; j++)
		warn_feed(&p, &s, &att[j]);
	db_rows_free(r);
	free(att);
	n = warn_evaluate(&p, &s, now, f);
	return raise_findings(db, member_id, f, n, now);
}

/*
 * One member of the network pass: their check-ins are rows [*row, ...) of
 * r (sorted by member); their attendance is read here when has_att.
 */
static int
pass_member(struct db *db, const struct warn_params *p, int64_t uid, struct db_rows *r,
    size_t *row, bool has_att, int64_t since, int64_t now)
{
	struct warn_state s;
	struct warn_finding f[WARN_CAUSES];
	struct warn_event ev, *att = NULL;
	size_t natt = 0, j = 0;
	int n;

	if (has_att && load_attendance(db, uid, since, now, &att, &natt) == -1)
		log_warnx("safety: attendance not read: %s", db_errmsg(db));
	warn_state_init(&s);
	for (; *row < db_rows_count(r) && db_rows_int(r, *row, 0) == uid; (*row)++) {
		row_event(r, *row, &ev);
		for (; j < natt && att[j].at <= ev.at; j++)
			warn_feed(p, &s, &att[j]);
		warn_feed(p, &s, &ev);
	}
	for (; j < natt; j++)
		warn_feed(p, &s, &att[j]);
	free(att);
	n = warn_evaluate(p, &s, now, f);
	return n == 0 ? 0 : raise_findings(db, uid, f, n, now);
}

int
warnings_evaluate_all(struct db *db, int64_t now, int *members)
{
	struct warn_params p;
	int64_t after = 0, since = now - WARN_HISTORY_DAYS * DAY;
	bool has_att = attendance_readable(db);
	int raised = 0;

	*members = 0;
	warnings_params(db, &p);
	for (;;) {
		struct db_rows *ids, *r;
		int64_t first, last;
		size_t i, row = 0;
		int n;

		/* A page of people, then their check-ins in one query. */
		ids = db_query(db, "SELECT id FROM users WHERE id > ? AND disabled = 0 ORDER BY id "
		    "LIMIT ?", DB_I(after), DB_I(PAGE_MEMBERS));
		if (ids == NULL)
			return -1;
		if (db_rows_count(ids) == 0) {
			db_rows_free(ids);
			break;
		}
		first = db_rows_int(ids, 0, 0);
		last = db_rows_int(ids, db_rows_count(ids) - 1, 0);
		r = db_query(db, "SELECT user_id, created_at, mood, craving, used FROM checkins "
		    "WHERE user_id >= ? AND user_id <= ? AND created_at >= ? AND created_at <= ? "
		    "ORDER BY user_id, created_at, id", DB_I(first), DB_I(last), DB_I(since),
		    DB_I(now));
		if (r == NULL) {
			db_rows_free(ids);
			return -1;
		}
		for (i = 0; i < db_rows_count(ids); i++) {
			int64_t uid = db_rows_int(ids, i, 0);

			while (row < db_rows_count(r) && db_rows_int(r, row, 0) < uid)
				row++;
			if ((n = pass_member(db, &p, uid, r, &row, has_att, since, now)) < 0) {
				db_rows_free(r);
				db_rows_free(ids);
				return -1;
			}
			raised += n;
			(*members)++;
		}
		db_rows_free(r);
		db_rows_free(ids);
		after = last;
	}
	return raised;
}

void
warnings_schedule(struct db *db, int64_t now)
{
	int64_t at = now - now % WARN_INTERVAL + WARN_INTERVAL;
	char dedupe[64];
	json_t *p = json_object();

	snprintf(dedupe, sizeof(dedupe), "safety_warnings:%" PRId64, at);
	jobs_enqueue(db, "safety_warnings", p, dedupe, at, now);
	json_decref(p);
}

void
warnings_alert_unanswered(struct db *db, int64_t member_id, int64_t alert_id, int64_t now)
{
	if (raise_item(db, member_id, "alert_unanswered", alert_id, 0, 0, now) < 0)
		log_warnx("safety: outreach item for alert %" PRId64 " not raised: %s", alert_id,
		    db_errmsg(db));
}

int
warnings_job(struct db *db, const struct config *cfg, json_t *payload, int64_t job_id,
    char **err)
{
	int64_t now = clock_now();
	int members, n;

	(void)cfg;
	(void)payload;
	(void)job_id;
	n = warnings_evaluate_all(db, now, &members);
	warnings_schedule(db, now);
	if (n < 0) {
		*err = xstrdup("database error");
		return -1;
	}
	log_info("safety: early warnings over %d members, %d new outreach items", members, n);
	return 0;
}

/* ---- the queue ---- */

int
outreach_get(struct db *db, int64_t id, struct outreach_item *out)
{
	struct db_rows *r;
	const unsigned char *blob;
	char ad[64], *plain;
	size_t blen, plen;

	memset(out, 0, sizeof(*out));
	r = db_query(db, "SELECT id, member_id, cause, episode, state, claimed_by, claimed_at, "
	    "resolved_at, resolution, contacted_at, created_at, detail_enc FROM outreach_items "
	    "WHERE id = ?", DB_I(id));
	if (r == NULL)
		return -1;
	if (db_rows_count(r) == 0) {
		db_rows_free(r);
		return 0;
	}
	out->id = db_rows_int(r, 0, 0);
	out->member_id = db_rows_int(r, 0, 1);
	snprintf(out->cause, sizeof(out->cause), "%s", db_rows_text(r, 0, 2));
	out->episode = db_rows_int(r, 0, 3);
	snprintf(out->state, sizeof(out->state), "%s", db_rows_text(r, 0, 4));
	out->claimed_by = db_rows_int(r, 0, 5);
	out->claimed_at = db_rows_int(r, 0, 6);
	out->resolved_at = db_rows_int(r, 0, 7);
	snprintf(out->resolution, sizeof(out->resolution), "%s", db_rows_text(r, 0, 8));
	out->contacted_at = db_rows_int(r, 0, 9);
	out->created_at = db_rows_int(r, 0, 10);
	out->value = out->usual = -1;
	if (!db_rows_isnull(r, 0, 11)) {
		blob = db_rows_blob(r, 0, 11, &blen);
		snprintf(ad, sizeof(ad), "outreach_items.detail:%" PRId64, out->id);
		if ((plain = crypto_open(blob, blen, ad, &plen)) != NULL) {
			json_t *j = json_loadb(plain, plen, 0, NULL);

			out->value = (int32_t)json_integer_value(json_object_get(j, "value"));
			out->usual = (int32_t)json_integer_value(json_object_get(j, "usual"));
			json_decref(j);
			free(plain);
		}
	}
	db_rows_free(r);
	return 1;
}

int
outreach_visible_ids(struct db *db, int64_t viewer_id, int64_t viewer_org, int64_t now,
    bool with_resolved, int64_t *ids, int max)
{
	struct db_rows *r;
	size_t i;
	int n = 0;

	r = db_query(db, "SELECT i.id FROM outreach_items i WHERE (? = 1 OR i.state <> 'resolved') "
	    "AND i.member_id <> ? AND EXISTS (SELECT 1 FROM consents c WHERE "
	    "c.member_id = i.member_id AND c.category = CASE i.cause WHEN 'meetings_missed' THEN "
	    "'attendance' ELSE 'checkins' END AND c.revoked_at IS NULL AND (c.expires_at IS NULL "
	    "OR c.expires_at > ?) AND (c.grantee_user_id = ? OR (c.grantee_org_id IS NOT NULL AND "
	    "c.grantee_org_id = ?))) ORDER BY CASE i.state WHEN 'open' THEN 0 WHEN 'claimed' THEN 1 "
	    "ELSE 2 END, i.id DESC LIMIT ?", DB_I(with_resolved ? 1 : 0), DB_I(viewer_id), DB_I(now),
	    DB_I(viewer_id), DB_I(viewer_org > 0 ? viewer_org : -1), DB_I(max));
	if (r == NULL)
		return -1;
	for (i = 0; i < db_rows_count(r) && n < max; i++)
		ids[n++] = db_rows_int(r, i, 0);
	db_rows_free(r);
	return n;
}

int
outreach_claim(struct db *db, int64_t id, int64_t user_id, int64_t now)
{
	struct outreach_item it;
	int64_t n;

	n = db_exec(db, "UPDATE outreach_items SET state = 'claimed', claimed_by = ?, claimed_at = ?, "
	    "updated_at = ? WHERE id = ? AND state = 'open'", DB_I(user_id), DB_I(now), DB_I(now),
	    DB_I(id));
	if (n < 0)
		return -1;
	if (n == 1)
		return 0;
	if (outreach_get(db, id, &it) != 1)
		return -1;
	if (strcmp(it.state, "resolved") == 0)
		return 2;
	return it.claimed_by == user_id ? 0 : 1;
}

int64_t
outreach_contact(struct db *db, int64_t id, int64_t user_id, const char *channel, bool reached,
    const char *note, int64_t now)
{
	char ad[64];
	unsigned char *blob;
	size_t blen;
	int64_t nid;

	if (db_begin(db) == -1)
		return -1;
	nid = db_insert(db, "INSERT INTO outreach_notes (item_id, author_id, channel, reached, "
	    "created_at) VALUES (?, ?, ?, ?, ?) RETURNING id", DB_I(id), DB_I(user_id),
	    DB_T(channel), DB_I(reached ? 1 : 0), DB_I(now));
	if (nid > 0 && note != NULL && *note != '\0') {
		snprintf(ad, sizeof(ad), "outreach_notes.note:%" PRId64, nid);
		blob = crypto_seal(note, strlen(note), ad, &blen);
		db_exec(db, "UPDATE outreach_notes SET note_enc = ? WHERE id = ?", DB_B(blob, blen),
		    DB_I(nid));
		free(blob);
	}
	db_exec(db, "UPDATE outreach_items SET contacted_at = ?, updated_at = ?, "
	    "state = CASE state WHEN 'open' THEN 'claimed' ELSE state END, "
	    "claimed_by = CASE state WHEN 'open' THEN ? ELSE claimed_by END, "
	    "claimed_at = CASE state WHEN 'open' THEN ? ELSE claimed_at END WHERE id = ?",
	    DB_I(now), DB_I(now), DB_I(user_id), DB_I(now), DB_I(id));
	if (nid <= 0 || db_commit(db) == -1) {
		db_rollback(db);
		return -1;
	}
	return nid;
}

int
outreach_resolve(struct db *db, int64_t id, const char *resolution, int64_t now)
{
	int64_t n = db_exec(db, "UPDATE outreach_items SET state = 'resolved', resolved_at = ?, "
	    "resolution = ?, updated_at = ? WHERE id = ? AND state <> 'resolved'", DB_I(now),
	    DB_T(resolution), DB_I(now), DB_I(id));

	return n < 0 ? -1 : n == 0 ? 1 : 0;
}

json_t *
outreach_notes_json(struct db *db, int64_t item_id)
{
	struct db_rows *r;
	json_t *a = json_array();
	size_t i;

	r = db_query(db, "SELECT n.id, n.created_at, n.author_id, u.display_name, n.channel, "
	    "n.reached, n.note_enc FROM outreach_notes n LEFT JOIN users u ON u.id = n.author_id "
	    "WHERE n.item_id = ? ORDER BY n.id", DB_I(item_id));
	for (i = 0; r != NULL && i < db_rows_count(r); i++) {
		char ad[64], *plain = NULL;
		const unsigned char *blob;
		size_t blen, plen;
		int64_t nid = db_rows_int(r, i, 0);

		if (!db_rows_isnull(r, i, 6)) {
			blob = db_rows_blob(r, i, 6, &blen);
			snprintf(ad, sizeof(ad), "outreach_notes.note:%" PRId64, nid);
			plain = crypto_open(blob, blen, ad, &plen);
		}
		json_array_append_new(a, json_pack("{s:I, s:I, s:o, s:s, s:b, s:o}",
		    "id", (json_int_t)nid, "at", (json_int_t)db_rows_int(r, i, 1),
		    "by", db_rows_isnull(r, i, 2) ? json_null() : json_pack("{s:I, s:s}", "id",
		    (json_int_t)db_rows_int(r, i, 2), "display_name", db_rows_text(r, i, 3)),
		    "channel", db_rows_text(r, i, 4), "reached", db_rows_int(r, i, 5) != 0,
		    "note", plain ? json_string(plain) : json_null()));
		free(plain);
	}
	db_rows_free(r);
	return a;
}

json_t *
outreach_reach_outs_json(struct db *db, int64_t member_id, int limit)
{
	struct db_rows *r;
	json_t *a = json_array();
	size_t i;

	r = db_query(db, "SELECT n.created_at, u.display_name, n.channel, n.reached FROM "
	    "outreach_notes n JOIN outreach_items i ON i.id = n.item_id LEFT JOIN users u ON "
	    "u.id = n.author_id WHERE i.member_id = ? ORDER BY n.id DESC LIMIT ?",
	    DB_I(member_id), DB_I(limit));
	for (i = 0; r != NULL && i < db_rows_count(r); i++)
		json_array_append_new(a, json_pack("{s:I, s:s, s:s, s:b}",
		    "at", (json_int_t)db_rows_int(r, i, 0), "by", db_rows_text(r, i, 1),
		    "channel", db_rows_text(r, i, 2), "reached", db_rows_int(r, i, 3) != 0));
	db_rows_free(r);
	return a;
}

bool
outreach_channel_valid(const char *s)
{
	static const char *const ok[] = { "call", "text", "in_person", "message", "email",
	    "other", NULL };
	size_t i;

	for (i = 0; s != NULL && ok[i] != NULL; i++)
		if (strcmp(ok[i], s) == 0)
			return true;
	return false;
}

bool
outreach_resolution_valid(const char *s)
{
	static const char *const ok[] = { "reached", "referred", "no_response", "not_needed",
	    NULL };
	size_t i;

	for (i = 0; s != NULL && ok[i] != NULL; i++)
		if (strcmp(ok[i], s) == 0)
			return true;
	return false;
}
