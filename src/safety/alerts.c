/*
 * alerts.c: help-now alerts, their escalation, the on-call rota and the
 * safety settings (see alerts.h).
 *
 * Design:
 *
 * - A new alert is written with step -1; step 0 (the first people told)
 *   is taken by the same code as every later step, so there is one path
 *   that tells people.  Each step is claimed with
 *   UPDATE ... WHERE state = 'open' AND step = <previous>: whoever changes
 *   the row tells the people, nobody else does.
 * - Recipients are rows (help_alert_recipients), so "who was told" is a
 *   query, the alerts page is theirs, and a later step never tells someone
 *   twice.  Messages go through the job queue with dedupe keys naming the
 *   alert, the person, the kind and the channel: a retried job sends
 *   nothing twice.
 * - After the last step (the coordinators), one more job, due after the
 *   same wait, records that the alert went unanswered, so the timeline
 *   shows it and the outreach queue can pick it up.
 * - Timeline details are tokens (the channels, the reason someone was
 *   told), never free text.
 */
#include "safety/alerts.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/mem.h"
#include "checkins/sms.h"
#include "notify/jobs.h"
#include "safety/crisis_lang.h"
#include "safety/escalate.h"
#include "safety/live.h"
#include "safety/plan.h"
#include "safety/store.h"
#include "app/ctx.h"
#include "base/utf8.h"
#include "safety/safety.h"
#include "safety/warnings_store.h"
#include "view/view.h"

#define ALERT_REUSE_S		(24 * 3600)	/* an open alert this recent is the same one */
#define PEOPLE_MAX		ESCALATE_MAX_PEOPLE

/* ---- settings ---- */

static char *
setting_get(struct db *db, const char *key)
{
	struct db_rows *r = db_query(db, "SELECT value FROM settings WHERE key = ?", DB_T(key));
	char *v = NULL;

	if (r != NULL && db_rows_count(r) > 0)
		v = xstrdup(db_rows_text(r, 0, 0));
	db_rows_free(r);
	return v;
}

static int
setting_put(struct db *db, const char *key, const char *value)
{
	return db_exec(db, "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) "
	    "DO UPDATE SET value = excluded.value", DB_T(key), DB_T(value)) < 0 ? -1 : 0;
}

int
safety_ack_minutes(struct db *db)
{
	char *v = setting_get(db, "safety.ack_minutes");
	uint64_t n;
	int out = SAFETY_ACK_MINUTES_DEFAULT;

	if (v != NULL && str_to_u64(str_c(v), SAFETY_ACK_MINUTES_MAX, &n) && n > 0)
		out = (int)n;
	free(v);
	return out;
}

bool
safety_crisis_lines_custom(struct db *db)
{
	char *v = setting_get(db, "safety.crisis_lines");
	bool custom = v != NULL;

	free(v);
	return custom;
}

/* The lines setting as safety_crisis_lines gives it; v may be NULL. */
static json_t *
lines_parse(const char *v, const char *lang)
{
	json_t *lines = v ? json_loads(v, 0, NULL) : NULL;

	if (json_is_array(lines))
		return lines;
	json_decref(lines);
	return json_pack("[{s:s, s:s, s:s}]", "name",
	    i18n_get(lang, "safety.help.default_line_name"), "phone", "988", "text", "988");
}

/* The emergency number setting as safety_emergency_number gives it. */
static const char *
emergency_parse(const char *v, struct arena *a)
{
	return arena_strdup(a, v != NULL && plan_phone_valid(v) ? v : SAFETY_EMERGENCY_DEFAULT);
}

const char *
safety_emergency_number(struct db *db, struct arena *a)
{
	char *v = setting_get(db, "safety.emergency_number");
	const char *out = emergency_parse(v, a);

	free(v);
	return out;
}

json_t *
safety_crisis_lines(struct db *db, const char *lang)
{
	char *v = setting_get(db, "safety.crisis_lines");
	json_t *lines = lines_parse(v, lang);

	free(v);
	return lines;
}

json_t *
safety_contacts(struct db *db, const char *lang, struct arena *a, const char **emergency)
{
	struct db_rows *r = db == NULL ? NULL : db_query(db, "SELECT key, value FROM settings "
	    "WHERE key IN ('safety.crisis_lines', 'safety.emergency_number')");
	const char *lines = NULL, *em = NULL;
	json_t *out;
	size_t i;

	for (i = 0; r != NULL && i < db_rows_count(r); i++) {
		if (strcmp(db_rows_text(r, i, 0), "safety.crisis_lines") == 0)
			lines = db_rows_text(r, i, 1);
		else
			em = db_rows_text(r, i, 1);
	}
	out = lines_parse(lines, lang);
	*emergency = emergency_parse(em, a);
	db_rows_free(r);
	return out;
}

static bool
line_text_ok(const char *s, size_t max)
{
	size_t i, len = strlen(s), chars = 0;

	if (len == 0 || !utf8_valid(s, len))
		return false;
	for (i = 0; i < len; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			chars++;
	}
	return chars <= max;
}

const char *
safety_settings_check(struct arena *a, json_t *in)
{
	const char *key;
	json_t *v;

	if (!json_is_object(in))
		return "settings";
	json_object_foreach(in, key, v) {
		if (strcmp(key, "ack_minutes") == 0) {
			if (!json_is_integer(v) || json_integer_value(v) < 1 ||
			    json_integer_value(v) > SAFETY_ACK_MINUTES_MAX)
				return "ack_minutes";
		} else if (strcmp(key, "emergency_number") == 0) {
			if (!json_is_null(v) && (!json_is_string(v) ||
			    !plan_phone_valid(json_string_value(v))))
				return "emergency_number";
		} else if (strcmp(key, "crisis_lines") == 0) {
			size_t i;
			json_t *line;

			if (json_is_null(v))
				continue;	/* back to the default */
			if (!json_is_array(v) || json_array_size(v) == 0 ||
			    json_array_size(v) > SAFETY_LINES_MAX)
				return "crisis_lines";
			json_array_foreach(v, i, line) {
				json_t *n = json_object_get(line, "name"), *p = json_object_get(line,
				    "phone"), *t = json_object_get(line, "text");

				if (!json_is_object(line) || json_object_size(line) > 3)
					return arena_printf(a, "crisis_lines[%zu]", i);
				if (!json_is_string(n) || !line_text_ok(json_string_value(n),
				    SAFETY_LINE_NAME_MAX))
					return arena_printf(a, "crisis_lines[%zu].name", i);
				if (!json_is_string(p) || !plan_phone_valid(json_string_value(p)))
					return arena_printf(a, "crisis_lines[%zu].phone", i);
				if (t != NULL && !json_is_null(t) && (!json_is_string(t) ||
				    !plan_phone_valid(json_string_value(t))))
					return arena_printf(a, "crisis_lines[%zu].text", i);
			}
		} else {
			return arena_strdup(a, key);
		}
	}
	return NULL;
}

int
safety_settings_save(struct db *db, json_t *in)
{
	json_t *m = json_object_get(in, "ack_minutes"), *lines = json_object_get(in,
	    "crisis_lines"), *em = json_object_get(in, "emergency_number");
	char buf[32];

	if (json_is_null(em)) {
		if (db_exec(db, "DELETE FROM settings WHERE key = ?",
		    DB_T("safety.emergency_number")) < 0)
			return -1;
	} else if (em != NULL && setting_put(db, "safety.emergency_number",
	    json_string_value(em)) == -1) {
		return -1;
	}
	if (m != NULL) {
		snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT, json_integer_value(m));
		if (setting_put(db, "safety.ack_minutes", buf) == -1)
			return -1;
	}
	if (json_is_null(lines)) {
		if (db_exec(db, "DELETE FROM settings WHERE key = ?", DB_T("safety.crisis_lines")) < 0)
			return -1;
	} else if (lines != NULL) {
		json_t *clean = json_array(), *line;
		char *s;
		size_t i;
		int rc;

		json_array_foreach(lines, i, line) {
			json_t *t = json_object_get(line, "text");

			json_array_append_new(clean, json_pack("{s:O, s:O, s:O}", "name",
			    json_object_get(line, "name"), "phone", json_object_get(line, "phone"),
			    "text", json_is_string(t) ? t : json_null()));
		}
		s = json_dumps(clean, JSON_COMPACT);
		json_decref(clean);
		if (s == NULL)
			return -1;
		rc = setting_put(db, "safety.crisis_lines", s);
		free(s);
		if (rc == -1)
			return -1;
	}
	return 0;
}

/* ---- the on-call rota ---- */

static int
ids_query(struct db_rows *r, int64_t *ids, int max)
{
	int n = 0;
	size_t i;

	if (r == NULL)
		return -1;
	for (i = 0; i < db_rows_count(r) && n < max; i++)
		ids[n++] = db_rows_int(r, i, 0);
	db_rows_free(r);
	return n;
}

int
oncall_now(struct db *db, int64_t now, int64_t *ids, int max)
{
	return ids_query(db_query(db, "SELECT s.user_id FROM oncall_shifts s JOIN users u ON "
	    "u.id = s.user_id WHERE s.starts_at <= ? AND s.ends_at > ? AND u.disabled = 0 "
	    "ORDER BY s.position, s.starts_at, s.id LIMIT ?", DB_I(now), DB_I(now), DB_I(max)),
	    ids, max);
}

json_t *
oncall_list_json(struct db *db, int64_t now)
{
	struct db_rows *r;
	json_t *a;
	size_t i;

	r = db_query(db, "SELECT s.id, s.user_id, u.display_name, s.starts_at, s.ends_at, "
	    "s.position FROM oncall_shifts s JOIN users u ON u.id = s.user_id WHERE s.ends_at > ? "
	    "ORDER BY s.starts_at, s.position, s.id LIMIT ?", DB_I(now), DB_I(ONCALL_LIST_MAX));
	if (r == NULL)
		return NULL;
	a = json_array();
	for (i = 0; i < db_rows_count(r); i++)
		json_array_append_new(a, json_pack("{s:I, s:I, s:s, s:I, s:I, s:I, s:b}",
		    "id", (json_int_t)db_rows_int(r, i, 0),
		    "user_id", (json_int_t)db_rows_int(r, i, 1),
		    "name", db_rows_text(r, i, 2),
		    "starts_at", (json_int_t)db_rows_int(r, i, 3),
		    "ends_at", (json_int_t)db_rows_int(r, i, 4),
		    "position", (json_int_t)db_rows_int(r, i, 5),
		    "now", db_rows_int(r, i, 3) <= now));
	db_rows_free(r);
	return a;
}

#define ONCALL_ROLES	"('peer_supporter', 'facilitator', 'coordinator')"

json_t *
oncall_people_json(struct db *db)
{
	struct db_rows *r;
	json_t *a = json_array();
	size_t i;

	r = db_query(db, "SELECT u.id, u.display_name FROM users u WHERE u.disabled = 0 AND "
	    "EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role IN " ONCALL_ROLES
	    ") ORDER BY LOWER(u.display_name), u.id LIMIT ?", DB_I(ONCALL_LIST_MAX));
	if (r == NULL)
		return a;
	for (i = 0; i < db_rows_count(r); i++)
		json_array_append_new(a, json_pack("{s:I, s:s}", "id",
		    (json_int_t)db_rows_int(r, i, 0), "name", db_rows_text(r, i, 1)));
	db_rows_free(r);
	return a;
}

int64_t
oncall_add(struct db *db, int64_t user_id, int64_t starts_at, int64_t ends_at, int position,
    int64_t created_by, int64_t now)
{
	struct db_rows *r;
	bool ok;

	r = db_query(db, "SELECT 1 FROM users u WHERE u.id = ? AND u.disabled = 0 AND EXISTS "
	    "(SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role IN " ONCALL_ROLES ")",
	    DB_I(user_id));
	if (r == NULL)
		return -1;
	ok = db_rows_count(r) > 0;
	db_rows_free(r);
	if (!ok)
		return 0;
	return db_insert(db, "INSERT INTO oncall_shifts (user_id, starts_at, ends_at, position, "
	    "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id", DB_I(user_id),
	    DB_I(starts_at), DB_I(ends_at), DB_I(position), DB_I(created_by), DB_I(now));
}

int
oncall_remove(struct db *db, int64_t id)
{
	int64_t n = db_exec(db, "DELETE FROM oncall_shifts WHERE id = ?", DB_I(id));

	return n < 0 ? -1 : n == 0 ? 1 : 0;
}

/* ---- telling people ---- */

static void
event(struct db *db, int64_t alert_id, int64_t at, const char *kind, int64_t actor,
    const char *detail)
{
	if (db_exec(db, "INSERT INTO help_alert_events (alert_id, at, kind, actor_id, detail) "
	    "VALUES (?, ?, ?, ?, ?)", DB_I(alert_id), DB_I(at), DB_T(kind),
	    actor > 0 ? DB_I(actor) : DB_NUL, DB_T(detail)) < 0)
		log_warnx("safety: timeline of alert %" PRId64 " not written: %s", alert_id,
		    db_errmsg(db));
}

/*
 * Queue the discreet messages of kind ("needs_you", "safe") to user_id by
 * email and text message, in their language.  Writes the channels used
 * ("app", "app,email", "app,email,sms") into chan.
 */
static void
send_messages(struct db *db, const struct config *cfg, int64_t alert_id, int64_t user_id,
    const char *kind, int64_t now, char *chan, size_t chansize)
{
	struct db_rows *r;
	struct sms_phone ph;
	char *email = NULL, lang[8] = "en", key[96], dedupe[128], *subject, *body;
	json_t *vars;

	snprintf(chan, chansize, "app");
	r = db_query(db, "SELECT email, lang FROM users WHERE id = ? AND disabled = 0",
	    DB_I(user_id));
	if (r == NULL || db_rows_count(r) == 0) {
		db_rows_free(r);
		return;
	}
	if (!db_rows_isnull(r, 0, 0))
		email = xstrdup(db_rows_text(r, 0, 0));
	if (i18n_supported(db_rows_text(r, 0, 1)))
		snprintf(lang, sizeof(lang), "%s", db_rows_text(r, 0, 1));
	db_rows_free(r);

	{
		char *url = xasprintf("%s/alerts/%" PRId64, cfg->public_url, alert_id);

		vars = json_pack("{s:s}", "url", url);
		free(url);
	}
	snprintf(key, sizeof(key), "safety.messages.%s_subject", kind);
	subject = i18n_format(lang, key, vars);
	snprintf(key, sizeof(key), "safety.messages.%s_body", kind);
	body = i18n_format(lang, key, vars);
	if (email != NULL) {
		snprintf(dedupe, sizeof(dedupe), "safety:%" PRId64 ":%" PRId64 ":%s:email", alert_id,
		    user_id, kind);
		if (jobs_enqueue_email(db, email, subject, body, dedupe, user_id, now) >= 0)
			snprintf(chan, chansize, "app,email");
	}
	if (sms_phone_get(db, user_id, now, &ph) == 0 && ph.present && ph.verified) {
		char *text;

		snprintf(key, sizeof(key), "safety.messages.%s_text", kind);
		text = i18n_format(lang, key, vars);
		snprintf(dedupe, sizeof(dedupe), "safety:%" PRId64 ":%" PRId64 ":%s:sms", alert_id,
		    user_id, kind);
		if (sms_enqueue(db, ph.number, text, user_id, dedupe, now, now) >= 0)
			snprintf(chan + strlen(chan), chansize - strlen(chan), ",sms");
		free(text);
	}
	json_decref(vars);
	free(subject);
	free(body);
	free(email);
}

static int
partners_of(struct db *db, int64_t member_id, int64_t *ids, int max)
{
	return ids_query(db_query(db, "SELECT CASE WHEN p.proposer_id = ? THEN p.partner_id "
	    "ELSE p.proposer_id END FROM partnerships p WHERE p.state = 'active' AND "
	    "(p.proposer_id = ? OR p.partner_id = ?) ORDER BY p.id LIMIT ?", DB_I(member_id),
	    DB_I(member_id), DB_I(member_id), DB_I(max)), ids, max);
}

/* Coordinators of the member's chapter, or all coordinators when it has none. */
static int
coordinators_for(struct db *db, int64_t member_id, int64_t *ids, int max)
{
	int n = ids_query(db_query(db, "SELECT u.id FROM users u JOIN user_roles r ON "
	    "r.user_id = u.id AND r.role = 'coordinator' JOIN users m ON m.id = ? WHERE "
	    "u.disabled = 0 AND m.chapter_id IS NOT NULL AND u.chapter_id = m.chapter_id "
	    "ORDER BY u.id LIMIT ?", DB_I(member_id), DB_I(max)), ids, max);

	if (n != 0)
		return n;
	return ids_query(db_query(db, "SELECT u.id FROM users u JOIN user_roles r ON "
	    "r.user_id = u.id AND r.role = 'coordinator' WHERE u.disabled = 0 ORDER BY u.id "
	    "LIMIT ?", DB_I(max)), ids, max);
}

static int
told_so_far(struct db *db, int64_t alert_id, int64_t *ids, int max)
{
	return ids_query(db_query(db, "SELECT user_id FROM help_alert_recipients WHERE "
	    "alert_id = ? ORDER BY notified_at, user_id LIMIT ?", DB_I(alert_id), DB_I(max)),
	    ids, max);
}

static bool
partners_too(const char *via)
{
	return strcmp(via, "web") == 0 || strcmp(via, "api") == 0 || strcmp(via, "sms") == 0;
}

static void
schedule(struct db *db, int64_t alert_id, int step, int64_t at, int64_t now)
{
	json_t *p = json_pack("{s:I, s:i}", "alert_id", (json_int_t)alert_id, "step", step);
	char dedupe[96];

	snprintf(dedupe, sizeof(dedupe), "safety_escalate:%" PRId64 ":%d", alert_id, step);
	if (jobs_enqueue(db, "safety_escalate", p, dedupe, at, now) < 0)
		log_warnx("safety: escalation of alert %" PRId64 " not scheduled: %s", alert_id,
		    db_errmsg(db));
	json_decref(p);
}

/*
 * Take step of alert_id (the alert must be open at step - 1).  Steps that
 * would tell nobody new are passed straight through.
 */
static int
take_step(struct db *db, const struct config *cfg, int64_t alert_id, int step, int64_t now)
{
	int64_t partners[PEOPLE_MAX], rota[PEOPLE_MAX], coords[PEOPLE_MAX], already[PEOPLE_MAX];
	struct escalate_recipient out[PEOPLE_MAX * 3];
	struct escalate_people people;
	struct db_rows *r;
	int64_t member_id, wait, changed;
	char via[32], chan[32], detail[64];
	int np, nr, nc, na;
	size_t n, i;
	bool last;

	r = db_query(db, "SELECT member_id, via, state, step FROM help_alerts WHERE id = ?",
	    DB_I(alert_id));
	if (r == NULL)
		return -1;
	if (db_rows_count(r) == 0 || strcmp(db_rows_text(r, 0, 2), "open") != 0 ||
	    db_rows_int(r, 0, 3) != step - 1) {
		db_rows_free(r);
		return 0;	/* answered, closed, or this step was taken already */
	}
	member_id = db_rows_int(r, 0, 0);
	snprintf(via, sizeof(via), "%s", db_rows_text(r, 0, 1));
	db_rows_free(r);
	wait = (int64_t)safety_ack_minutes(db) * 60;

	for (;;) {
		if ((np = partners_of(db, member_id, partners, PEOPLE_MAX)) < 0 ||
		    (nr = oncall_now(db, now, rota, PEOPLE_MAX)) < 0 ||
		    (nc = coordinators_for(db, member_id, coords, PEOPLE_MAX)) < 0 ||
		    (na = told_so_far(db, alert_id, already, PEOPLE_MAX)) < 0)
			return -1;
		memset(&people, 0, sizeof(people));
		people.member_id = member_id;
		people.partners = partners;
		people.npartners = (size_t)np;
		people.rota = rota;
		people.nrota = (size_t)nr;
		people.coordinators = coords;
		people.ncoordinators = (size_t)nc;
		people.already = already;
		people.nalready = (size_t)na;
		people.partners_too = partners_too(via);
		n = escalate_step(&people, step, out, sizeof(out) / sizeof(out[0]), &last);

		/* Claim the step: only one job (or server) tells these people. */
		changed = db_exec(db, "UPDATE help_alerts SET step = ?, next_step_at = ? WHERE "
		    "id = ? AND state = 'open' AND step = ?", DB_I(step),
		    n == 0 && last ? DB_NUL : DB_I(now + wait), DB_I(alert_id), DB_I(step - 1));
		if (changed < 0)
			return -1;
		if (changed == 0)
			return 0;
		if (n == 0 && last) {
			event(db, alert_id, now, step == 0 ? "nobody" : "unanswered", 0, NULL);
			if (step > 0)
				warnings_alert_unanswered(db, member_id, alert_id, now);
			return 0;
		}
		if (n == 0) {
			step++;		/* nobody new at this step: go straight on */
			continue;
		}
		if (step > 0) {
			snprintf(detail, sizeof(detail), "%d", step);
			event(db, alert_id, now, "escalated", 0, detail);
		}
		for (i = 0; i < n; i++) {
			if (db_exec(db, "INSERT INTO help_alert_recipients (alert_id, user_id, reason, "
			    "step, notified_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
			    DB_I(alert_id), DB_I(out[i].user_id),
			    DB_T(escalate_reason_token(out[i].reason)), DB_I(step), DB_I(now)) < 0)
				return -1;
			send_messages(db, cfg, alert_id, out[i].user_id, "needs_you", now, chan,
			    sizeof(chan));
			snprintf(detail, sizeof(detail), "%s:%s",
			    escalate_reason_token(out[i].reason), chan);
			event(db, alert_id, now, "notified", out[i].user_id, detail);
		}
		/* The next step, or after the last one the "unanswered" check. */
		schedule(db, alert_id, step + 1, now + wait, now);
		return 0;
	}
}

int64_t
alert_raise(struct db *db, const struct config *cfg, int64_t member_id, const char *via,
    int64_t now, bool *created)
{
	struct db_rows *r;
	int64_t id;

	*created = false;
	r = db_query(db, "SELECT id FROM help_alerts WHERE member_id = ? AND state = 'open' AND "
	    "created_at > ? ORDER BY id DESC LIMIT 1", DB_I(member_id), DB_I(now - ALERT_REUSE_S));
	if (r == NULL)
		return -1;
	if (db_rows_count(r) > 0) {
		id = db_rows_int(r, 0, 0);
		db_rows_free(r);
		return id;
	}
	db_rows_free(r);
	id = db_insert(db, "INSERT INTO help_alerts (member_id, via, step, created_at) VALUES "
	    "(?, ?, -1, ?) RETURNING id", DB_I(member_id), DB_T(via), DB_I(now));
	if (id <= 0) {
		log_warnx("safety: raising an alert failed: %s", db_errmsg(db));
		return -1;
	}
	*created = true;
	safety_live_changed();		/* the live notice asks again (web_live.c) */
	event(db, id, now, "raised", member_id, via);
	log_info("safety: help-now alert %" PRId64 " raised (%s)", id, via);
	if (take_step(db, cfg, id, 0, now) == -1)
		log_warnx("safety: first step of alert %" PRId64 " failed: %s", id, db_errmsg(db));
	return id;
}

int
alert_escalate(struct db *db, const struct config *cfg, int64_t alert_id, int step, int64_t now)
{
	struct db_rows *r;
	bool due;

	if (step < 1)
		return 0;
	r = db_query(db, "SELECT next_step_at FROM help_alerts WHERE id = ?", DB_I(alert_id));
	if (r == NULL)
		return -1;
	due = db_rows_count(r) > 0 && !db_rows_isnull(r, 0, 0) && db_rows_int(r, 0, 0) <= now;
	db_rows_free(r);
	if (!due)
		return 0;
	return take_step(db, cfg, alert_id, step, now);
}

int
alert_escalate_job(struct db *db, const struct config *cfg, json_t *payload, int64_t job_id,
    char **err)
{
	json_int_t id = json_integer_value(json_object_get(payload, "alert_id"));
	json_int_t step = json_integer_value(json_object_get(payload, "step"));

	(void)job_id;
	if (id <= 0 || step < 1 || step > 1000) {
		*err = xstrdup("malformed escalation job");
		return -2;
	}
	if (alert_escalate(db, cfg, (int64_t)id, (int)step, clock_now()) == -1) {
		*err = xstrdup("database error");
		return -1;
	}
	return 0;
}

bool
alert_is_recipient(struct db *db, int64_t alert_id, int64_t user_id)
{
	struct db_rows *r = db_query(db, "SELECT 1 FROM help_alert_recipients WHERE alert_id = ? "
	    "AND user_id = ?", DB_I(alert_id), DB_I(user_id));
	bool yes = r != NULL && db_rows_count(r) > 0;

	db_rows_free(r);
	return yes;
}

int64_t
alert_member(struct db *db, int64_t alert_id)
{
	struct db_rows *r = db_query(db, "SELECT member_id FROM help_alerts WHERE id = ?",
	    DB_I(alert_id));
	int64_t id = r != NULL && db_rows_count(r) > 0 ? db_rows_int(r, 0, 0) : 0;

	db_rows_free(r);
	return id;
}

int
alert_ack(struct db *db, const struct config *cfg, int64_t alert_id, int64_t user_id,
    int64_t now)
{
	int64_t n;

	(void)cfg;
	if (!alert_is_recipient(db, alert_id, user_id))
		return 1;
	n = db_exec(db, "UPDATE help_alerts SET state = 'acknowledged', acknowledged_at = ?, "
	    "acknowledged_by = ?, next_step_at = NULL WHERE id = ? AND state = 'open'", DB_I(now),
	    DB_I(user_id), DB_I(alert_id));
	if (n < 0)
		return -1;
	if (n == 1)
		event(db, alert_id, now, "acknowledged", user_id, NULL);
	return 0;
}

int
alert_safe(struct db *db, const struct config *cfg, int64_t member_id, int64_t now)
{
	struct db_rows *r;
	int64_t id, n;
	size_t i;
	char chan[32];

	if ((id = alert_current(db, member_id)) <= 0)
		return id == 0 ? 1 : -1;
	n = db_exec(db, "UPDATE help_alerts SET state = 'safe', safe_at = ?, next_step_at = NULL "
	    "WHERE id = ? AND state IN ('open', 'acknowledged')", DB_I(now), DB_I(id));
	if (n < 0)
		return -1;
	if (n == 0)
		return 1;
	event(db, id, now, "safe", member_id, NULL);
	/* Tell the people who were told, so nobody rushes for nothing. */
	r = db_query(db, "SELECT user_id FROM help_alert_recipients WHERE alert_id = ?", DB_I(id));
	if (r == NULL)
		return 0;
	for (i = 0; i < db_rows_count(r); i++)
		send_messages(db, cfg, id, db_rows_int(r, i, 0), "safe", now, chan, sizeof(chan));
	db_rows_free(r);
	return 0;
}

/* The id in the first row of r (0 if none, -1 if the query failed); frees r. */
static int64_t
first_id(struct db_rows *r)
{
	int64_t id;

	if (r == NULL)
		return -1;
	id = db_rows_count(r) > 0 ? db_rows_int(r, 0, 0) : 0;
	db_rows_free(r);
	return id;
}

int64_t
alert_current(struct db *db, int64_t member_id)
{
	return first_id(db_query(db, "SELECT id FROM help_alerts WHERE member_id = ? AND "
	    "state IN ('open', 'acknowledged') ORDER BY id DESC LIMIT 1", DB_I(member_id)));
}

int64_t
alert_latest(struct db *db, int64_t member_id)
{
	return first_id(db_query(db, "SELECT id FROM help_alerts WHERE member_id = ? "
	    "ORDER BY id DESC LIMIT 1", DB_I(member_id)));
}

static json_t *
person(struct db_rows *r, size_t row, size_t id_col, size_t name_col)
{
	if (db_rows_isnull(r, row, id_col))
		return json_null();
	return json_pack("{s:I, s:s}", "id", (json_int_t)db_rows_int(r, row, id_col),
	    "display_name", db_rows_text(r, row, name_col));
}

static json_t *
opt_int(struct db_rows *r, size_t row, size_t col)
{
	return db_rows_isnull(r, row, col) ? json_null() : json_integer(db_rows_int(r, row, col));
}

json_t *
alert_json(struct db *db, int64_t alert_id)
{
	struct db_rows *r;
	json_t *a, *arr;
	size_t i;

	r = db_query(db, "SELECT a.id, a.member_id, m.display_name, a.via, a.state, a.step, "
	    "a.created_at, a.acknowledged_at, a.acknowledged_by, k.display_name, a.safe_at, "
	    "a.next_step_at FROM help_alerts a JOIN users m ON m.id = a.member_id LEFT JOIN users k "
	    "ON k.id = a.acknowledged_by WHERE a.id = ?", DB_I(alert_id));
	if (r == NULL || db_rows_count(r) == 0) {
		db_rows_free(r);
		return NULL;
	}
	a = json_pack("{s:I, s:o, s:s, s:s, s:I, s:I, s:o, s:o, s:o, s:o}",
	    "id", (json_int_t)db_rows_int(r, 0, 0),
	    "member", person(r, 0, 1, 2),
	    "via", db_rows_text(r, 0, 3), "state", db_rows_text(r, 0, 4),
	    "step", (json_int_t)db_rows_int(r, 0, 5),
	    "created_at", (json_int_t)db_rows_int(r, 0, 6),
	    "acknowledged_at", opt_int(r, 0, 7),
	    "acknowledged_by", person(r, 0, 8, 9),
	    "safe_at", opt_int(r, 0, 10),
	    "next_step_at", opt_int(r, 0, 11));
	db_rows_free(r);

	r = db_query(db, "SELECT h.user_id, u.display_name, h.reason, h.step, h.notified_at FROM "
	    "help_alert_recipients h JOIN users u ON u.id = h.user_id WHERE h.alert_id = ? "
	    "ORDER BY h.notified_at, h.step, h.user_id", DB_I(alert_id));
	arr = json_array();
	for (i = 0; r != NULL && i < db_rows_count(r); i++)
		json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:I, s:I}",
		    "id", (json_int_t)db_rows_int(r, i, 0), "display_name", db_rows_text(r, i, 1),
		    "reason", db_rows_text(r, i, 2), "step", (json_int_t)db_rows_int(r, i, 3),
		    "notified_at", (json_int_t)db_rows_int(r, i, 4)));
	db_rows_free(r);
	json_object_set_new(a, "recipients", arr);

	r = db_query(db, "SELECT e.at, e.kind, e.actor_id, u.display_name, e.detail FROM "
	    "help_alert_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.alert_id = ? "
	    "ORDER BY e.id", DB_I(alert_id));
	arr = json_array();
	for (i = 0; r != NULL && i < db_rows_count(r); i++)
		json_array_append_new(arr, json_pack("{s:I, s:s, s:o, s:o}",
		    "at", (json_int_t)db_rows_int(r, i, 0), "kind", db_rows_text(r, i, 1),
		    "actor", person(r, i, 2, 3),
		    "detail", db_rows_isnull(r, i, 4) ? json_null() :
		    json_string(db_rows_text(r, i, 4))));
	db_rows_free(r);
	json_object_set_new(a, "timeline", arr);
	return a;
}

json_t *
alerts_for_recipient_json(struct db *db, int64_t user_id, int limit)
{
	struct db_rows *r;
	json_t *arr = json_array();
	size_t i;

	r = db_query(db, "SELECT a.id, a.member_id, m.display_name, a.state, a.created_at, "
	    "a.acknowledged_at, a.acknowledged_by, k.display_name, a.safe_at, h.reason, a.via "
	    "FROM help_alert_recipients h JOIN help_alerts a ON a.id = h.alert_id "
	    "JOIN users m ON m.id = a.member_id LEFT JOIN users k ON k.id = a.acknowledged_by "
	    "WHERE h.user_id = ? ORDER BY CASE a.state WHEN 'open' THEN 0 WHEN 'acknowledged' "
	    "THEN 1 ELSE 2 END, a.id DESC LIMIT ?", DB_I(user_id), DB_I(limit));
	for (i = 0; r != NULL && i < db_rows_count(r); i++)
		json_array_append_new(arr, json_pack("{s:I, s:o, s:s, s:I, s:o, s:o, s:o, s:s, s:s}",
		    "id", (json_int_t)db_rows_int(r, i, 0), "member", person(r, i, 1, 2),
		    "state", db_rows_text(r, i, 3), "created_at", (json_int_t)db_rows_int(r, i, 4),
		    "acknowledged_at", opt_int(r, i, 5), "acknowledged_by", person(r, i, 6, 7),
		    "safe_at", opt_int(r, i, 8), "reason", db_rows_text(r, i, 9),
		    "via", db_rows_text(r, i, 10)));
	db_rows_free(r);
	return arr;
}

json_t *
alerts_waiting_json(struct db *db, int64_t user_id, int max)
{
	struct db_rows *r;
	json_t *arr = json_array();
	size_t i;

	/* Open alerts are few at any time: start from them, then the recipient's key. */
	r = db_query(db, "SELECT a.id, m.display_name FROM help_alerts a "
	    "JOIN help_alert_recipients h ON h.alert_id = a.id AND h.user_id = ? "
	    "JOIN users m ON m.id = a.member_id "
	    "WHERE a.state = 'open' ORDER BY a.id DESC LIMIT ?", DB_I(user_id), DB_I(max));
	for (i = 0; r != NULL && i < db_rows_count(r); i++)
		json_array_append_new(arr, json_pack("{s:I, s:s}", "id",
		    (json_int_t)db_rows_int(r, i, 0), "member_name", db_rows_text(r, i, 1)));
	db_rows_free(r);
	return arr;
}

/* ---- the public entry points (safety.h) ---- */

void
safety_init(void)
{
	jobs_register("safety_escalate", alert_escalate_job);
	jobs_register("safety_warnings", warnings_job);
}

int64_t
safety_help_now(struct db *db, const struct config *cfg, int64_t member_id, const char *via,
    int64_t now)
{
	bool created;

	return alert_raise(db, cfg, member_id, via, now, &created);
}

void
safety_note_checkin(struct db *db, const struct config *cfg, int64_t member_id, int64_t now)
{
	(void)cfg;
	if (warnings_evaluate_member(db, member_id, now) < 0)
		log_warnx("safety: early warnings for %" PRId64 " failed: %s", member_id,
		    db_errmsg(db));
	warnings_schedule(db, now);
}

int64_t
safety_crisis_text(struct db *db, const struct config *cfg, int64_t member_id,
    const char *source, int64_t source_id, const char *text, size_t len, int64_t now)
{
	struct crisis_result res;
	char cats[48] = "";
	unsigned bit;
	int64_t alert;
	bool created;

	crisis_scan(text, len, &res);
	if (!res.flagged)
		return 0;
	for (bit = CRISIS_SUICIDE; bit <= CRISIS_OVERDOSE; bit <<= 1)
		if (res.categories & bit)
			snprintf(cats + strlen(cats), sizeof(cats) - strlen(cats), "%s%s",
			    cats[0] ? "," : "", crisis_category_token(bit));
	alert = alert_raise(db, cfg, member_id, source, now, &created);
	if (db_exec(db, "INSERT INTO crisis_flags (member_id, source, source_id, categories, "
	    "alert_id, created_at) VALUES (?, ?, ?, ?, ?, ?)", DB_I(member_id), DB_T(source),
	    source_id > 0 ? DB_I(source_id) : DB_NUL, DB_T(cats),
	    alert > 0 ? DB_I(alert) : DB_NUL, DB_I(now)) < 0)
		log_warnx("safety: crisis flag not recorded: %s", db_errmsg(db));
	log_info("safety: crisis language in a %s (%s)", source, cats);
	return alert > 0 ? alert : -1;
}

json_t *
safety_export(struct db *db, const struct user *u, int64_t now)
{
	struct crisis_plan p;
	struct arena a;
	struct db_rows *r;
	json_t *doc = NULL, *alerts, *al;
	size_t i;

	(void)now;
	arena_init(&a);
	if (safety_plan_load(db, &a, u->id, &p) == -1)
		goto out;
	r = db_query(db, "SELECT id FROM help_alerts WHERE member_id = ? ORDER BY id",
	    DB_I(u->id));
	if (r == NULL)
		goto out;
	alerts = json_array();
	for (i = 0; i < db_rows_count(r); i++)
		if ((al = alert_json(db, db_rows_int(r, i, 0))) != NULL)
			json_array_append_new(alerts, al);
	db_rows_free(r);
	doc = json_pack("{s:o, s:o, s:o}",
	    "crisis_plan", p.exists ? json_pack("{s:o, s:I, s:I}", "sections",
	    plan_sections_json(&p), "created_at", (json_int_t)p.created_at, "updated_at",
	    (json_int_t)p.updated_at) : json_null(),
	    "help_alerts", alerts,
	    "reach_outs", outreach_reach_outs_json(db, u->id, 10000));
out:
	arena_free(&a);
	return doc;
}
