/*
 * The safety area's entry points for the rest of Circles, against a real
 * SQLite database (a temporary file, migrated): crisis language in a
 * check-in note raises an alert for the person on call (never the
 * member's partners) and records a flag without the words; a clean note
 * does nothing; a help-now press is one alert however often it comes;
 * a check-in after a silence runs the early-warning rules for that member
 * and raises one outreach item, once; and a sealed plan section moved to
 * another member's row does not open.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accounts/roles.h"
#include "accounts/users.h"
#include "app/ctx.h"
#include "base/config.h"
#include "db/db.h"
#include "privacy/crypto.h"
#include "safety/plan.h"
#include "safety/safety.h"
#include "safety/store.h"
#include "safety/warnings_store.h"

#define DAY	86400
#define T0	1767225600

static char dir[64];
static struct db *db;
static struct config cfg;
static int64_t member, partner, oncall;

static int64_t
count(const char *sql, int64_t id)
{
	struct db_rows *r = db_query(db, sql, DB_I(id));
	int64_t n;

	assert_non_null(r);
	n = db_rows_int(r, 0, 0);
	db_rows_free(r);
	return n;
}

static int
setup(void **state)
{
	unsigned char key[CRYPTO_KEY_BYTES];
	char url[128], *err = NULL;

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/circles-safety-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(url, sizeof(url), "sqlite:%s/t.db", dir);
	memset(key, 7, sizeof(key));
	crypto_init_with_key(key);
	if ((db = db_open(url, &err)) == NULL || db_migrate(db, &err) == -1) {
		fprintf(stderr, "%s\n", err ? err : "");
		return -1;
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.public_url = "http://circles.test";
	member = user_create(db, "m@example.org", "Mo", NULL, ROLE_MEMBER, 0, "en", T0);
	partner = user_create(db, "p@example.org", "Pat", NULL, ROLE_MEMBER, 0, "en", T0);
	oncall = user_create(db, "s@example.org", "Sky", NULL, ROLE_PEER_SUPPORTER, 0, "en", T0);
	assert_true(member > 0 && partner > 0 && oncall > 0);
	assert_int_equal(db_exec(db, "INSERT INTO partnerships (proposer_id, partner_id, state, "
	    "created_at) VALUES (?, ?, 'active', ?)", DB_I(member), DB_I(partner), DB_I(T0)), 1);
	assert_int_equal(db_exec(db, "INSERT INTO oncall_shifts (user_id, starts_at, ends_at, "
	    "position, created_at) VALUES (?, ?, ?, 1, ?)", DB_I(oncall), DB_I(T0),
	    DB_I(T0 + 365 * DAY), DB_I(T0)), 1);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	db_close(db);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
test_crisis_text(void **state)
{
	static const char note[] = "Rough day. Honestly I don't want to be here anymore.";
	struct db_rows *r;
	int64_t alert;

	(void)state;
	assert_int_equal(safety_crisis_text(db, &cfg, member, "checkin_note", 41,
	    "Dying to get to the meeting tonight", 35, T0 + 10), 0);
	assert_int_equal(count("SELECT COUNT(*) FROM crisis_flags WHERE member_id = ?", member), 0);

	alert = safety_crisis_text(db, &cfg, member, "checkin_note", 42, note, strlen(note),
	    T0 + 20);
	assert_true(alert > 0);
	r = db_query(db, "SELECT source, source_id, categories, alert_id FROM crisis_flags "
	    "WHERE member_id = ?", DB_I(member));
	assert_non_null(r);
	assert_int_equal(db_rows_count(r), 1);
	assert_string_equal(db_rows_text(r, 0, 0), "checkin_note");
	assert_int_equal(db_rows_int(r, 0, 1), 42);
	assert_string_equal(db_rows_text(r, 0, 2), "suicide");
	assert_int_equal(db_rows_int(r, 0, 3), alert);
	db_rows_free(r);
	/* The person on call is told; the partner is not (the member did not ask). */
	assert_int_equal(count("SELECT COUNT(*) FROM help_alert_recipients WHERE alert_id = ?",
	    alert), 1);
	r = db_query(db, "SELECT user_id, reason FROM help_alert_recipients WHERE alert_id = ?",
	    DB_I(alert));
	assert_int_equal(db_rows_int(r, 0, 0), oncall);
	assert_string_equal(db_rows_text(r, 0, 1), "oncall");
	db_rows_free(r);
	/* ... by a discreet email job. */
	assert_true(count("SELECT COUNT(*) FROM jobs WHERE kind = 'email' AND dedupe_key LIKE "
	    "'safety:' || ? || ':%'", alert) == 1);
	/* Pressing "help now" meanwhile is the same open alert (the partner is not added). */
	assert_int_equal(safety_help_now(db, &cfg, member, "sms", T0 + 30), alert);
	db_exec(db, "UPDATE help_alerts SET state = 'safe' WHERE id = ?", DB_I(alert));
	/* A new press after that is a new alert, and this time the partner is told. */
	alert = safety_help_now(db, &cfg, member, "sms", T0 + 40);
	assert_true(alert > 0);
	assert_int_equal(count("SELECT COUNT(*) FROM help_alert_recipients WHERE alert_id = ?",
	    alert), 2);
}

static void
test_checkin_warnings(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < 7; i++)
		assert_true(db_exec(db, "INSERT INTO checkins (user_id, created_at, mood, craving) "
		    "VALUES (?, ?, 4, 2)", DB_I(partner), DB_I(T0 + i * DAY)) == 1);
	safety_note_checkin(db, &cfg, partner, T0 + 7 * DAY);
	assert_int_equal(count("SELECT COUNT(*) FROM outreach_items WHERE member_id = ?",
	    partner), 0);
	safety_note_checkin(db, &cfg, partner, T0 + 12 * DAY);
	safety_note_checkin(db, &cfg, partner, T0 + 13 * DAY);
	assert_int_equal(count("SELECT COUNT(*) FROM outreach_items WHERE member_id = ? AND "
	    "cause = 'checkins_stopped'", partner), 1);
	/* The hourly pass over the network is queued, once per hour. */
	assert_true(count("SELECT COUNT(*) FROM jobs WHERE kind = 'safety_warnings' AND "
	    "run_at > ?", T0) >= 1);
}

/* Usual meetings missed, from the circles area's attendance. */
static void
test_meetings_missed(void **state)
{
	int64_t who, other, circle, meeting;
	int i;

	(void)state;
	who = user_create(db, "a@example.org", "Ari", NULL, ROLE_MEMBER, 0, "en", T0);
	other = user_create(db, "o@example.org", "Oli", NULL, ROLE_MEMBER, 0, "en", T0);
	circle = db_insert(db, "INSERT INTO circles (name, purpose, norms, agreement, membership, "
	    "created_at, updated_at) VALUES ('Tuesdays', 'p', 'n', 'a', 'open', ?, ?) RETURNING id",
	    DB_I(T0), DB_I(T0));
	meeting = db_insert(db, "INSERT INTO meetings (slug, name, circle_id, schedule, timezone, "
	    "attendance, fingerprint, created_at, updated) VALUES ('tue', 'Tuesdays', ?, 'weekly', "
	    "'UTC', 'in_person', 'x', ?, ?) RETURNING id", DB_I(circle), DB_I(T0), DB_I(T0));
	assert_true(who > 0 && other > 0 && circle > 0 && meeting > 0);
	/* Five weekly sessions: Ari comes to the first three, Oli to all five. */
	for (i = 0; i < 5; i++) {
		int64_t at = T0 + i * 7 * DAY;

		assert_int_equal(db_exec(db, "INSERT INTO circle_attendance (meeting_id, "
		    "session_start, user_id, circle_id, method, created_at) VALUES (?, ?, ?, ?, "
		    "'roster', ?)", DB_I(meeting), DB_I(at), DB_I(other), DB_I(circle), DB_I(at)), 1);
		if (i < 3)
			assert_int_equal(db_exec(db, "INSERT INTO circle_attendance (meeting_id, "
			    "session_start, user_id, circle_id, method, created_at) VALUES (?, ?, ?, "
			    "?, 'roster', ?)", DB_I(meeting), DB_I(at), DB_I(who), DB_I(circle),
			    DB_I(at)), 1);
	}
	safety_note_checkin(db, &cfg, who, T0 + 3 * 7 * DAY + 3600);
	assert_int_equal(count("SELECT COUNT(*) FROM outreach_items WHERE member_id = ? AND "
	    "cause = 'meetings_missed'", who), 0);	/* one missed */
	safety_note_checkin(db, &cfg, who, T0 + 4 * 7 * DAY + 3600);
	assert_int_equal(count("SELECT COUNT(*) FROM outreach_items WHERE member_id = ? AND "
	    "cause = 'meetings_missed'", who), 1);	/* two in a row */
	/* The network pass finds the same and raises nothing twice. */
	{
		int members;

		assert_true(warnings_evaluate_all(db, T0 + 4 * 7 * DAY + 7200, &members) >= 0);
		assert_true(members >= 2);
	}
	assert_int_equal(count("SELECT COUNT(*) FROM outreach_items WHERE member_id = ? AND "
	    "cause = 'meetings_missed'", who), 1);
	/* Oli never missed. */
	assert_int_equal(count("SELECT COUNT(*) FROM outreach_items WHERE member_id = ?", other),
	    0);
}

static void
test_plan_sealed_per_row(void **state)
{
	struct crisis_plan p, q;
	struct arena a;
	json_t *in = json_pack("{s:[s]}", "reasons", "My kids");

	(void)state;
	arena_init(&a);
	assert_null(plan_from_json(&a, in, &p));
	json_decref(in);
	assert_int_equal(safety_plan_save(db, member, &p, T0), 0);
	assert_int_equal(safety_plan_save(db, partner, &p, T0), 0);
	assert_int_equal(safety_plan_load(db, &a, member, &q), 0);
	assert_string_equal(q.items[PLAN_REASONS][0].text, "My kids");
	/* The privacy export carries the plan and the alerts, and no risk label. */
	{
		struct user u = { .id = member };
		json_t *doc = safety_export(db, &u, T0);
		char *s;

		assert_non_null(doc);
		assert_string_equal(json_string_value(json_array_get(json_object_get(json_object_get(
		    json_object_get(doc, "crisis_plan"), "sections"), "reasons"), 0)), "My kids");
		assert_int_equal(json_array_size(json_object_get(doc, "help_alerts")), 2);
		s = json_dumps(doc, 0);
		assert_null(strstr(s, "crisis_flags"));
		assert_null(strstr(s, "checkins_stopped"));
		free(s);
		json_decref(doc);
	}
	/* Copy the member's sealed section onto the partner's row: it must not open. */
	assert_int_equal(db_exec(db, "UPDATE crisis_plans SET reasons_enc = (SELECT reasons_enc "
	    "FROM crisis_plans WHERE user_id = ?) WHERE user_id = ?", DB_I(member),
	    DB_I(partner)), 1);
	assert_int_equal(safety_plan_load(db, &a, partner, &q), -1);
	/* ... nor in another section of the same row. */
	assert_int_equal(db_exec(db, "UPDATE crisis_plans SET coping_enc = reasons_enc WHERE "
	    "user_id = ?", DB_I(member)), 1);
	assert_int_equal(safety_plan_load(db, &a, member, &q), -1);
	arena_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crisis_text),
		cmocka_unit_test(test_checkin_warnings),
		cmocka_unit_test(test_meetings_missed),
		cmocka_unit_test(test_plan_sealed_per_row),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
