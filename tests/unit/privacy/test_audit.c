/*
 * Unit tests for privacy/audit.c against a real (temporary) SQLite
 * database migrated with db_migrate:
 *
 * - an empty log verifies (0 rows); appended rows chain from 64 zeros;
 * - editing any field of a row (action, subject from NULL to "", time)
 *   makes audit_verify return -(that row's id);
 * - moving bytes between neighbouring fields ("ab"+"c" -> "a"+"bc") is
 *   caught too: the serialization is length-prefixed;
 * - removing a row breaks the chain at its successor;
 * - deleting a user keeps the chain valid (rows name pseudonyms);
 * - required fields are required.
 * The database refuses UPDATE and DELETE on the log (triggers of migration
 * 2); to play someone who edits the file behind Circles' back, the tamper
 * tests drop those triggers first.  Each of them starts from an empty log.
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
#include "privacy/audit.h"
#include "privacy/crypto.h"

#define NOW	1772546700

static const unsigned char test_key[CRYPTO_KEY_BYTES] = {
	1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 121, 98, 219,
	61, 24, 85, 109, 194, 47, 241, 32, 17, 49, 66, 115, 181, 40, 221, 5,
};

struct fixture {
	char		 dir[64];
	struct db	*db;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char url[128], *err = NULL;

	crypto_init_with_key(test_key);
	strcpy(f->dir, "/tmp/circles-audit-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	snprintf(url, sizeof(url), "sqlite:%s/test.db", f->dir);
	if ((f->db = db_open(url, &err)) == NULL || db_migrate(f->db, &err) == -1) {
		fprintf(stderr, "# %s\n", err ? err : "open failed");
		return -1;
	}
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	db_close(f->db);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

/* Drop the append-only triggers (as a tamperer would) and empty the log. */
static int
empty_log(void **state)
{
	struct fixture *f = *state;

	if (db_exec(f->db, "DROP TRIGGER IF EXISTS audit_log_no_update") < 0 ||
	    db_exec(f->db, "DROP TRIGGER IF EXISTS audit_log_no_delete") < 0)
		return -1;
	return db_exec(f->db, "DELETE FROM audit_log") >= 0 ? 0 : -1;
}

/* Append n rows about subject; returns the id of the first. */
static int64_t
append(struct fixture *f, int n, const char *subject)
{
	struct db_rows *r;
	int64_t first;
	int i;

	for (i = 0; i < n; i++) {
		char object[32];

		snprintf(object, sizeof(object), "contact:%d", i + 1);
		assert_int_equal(audit_record(f->db, NOW + i, "actor-pseudonym", subject, "read",
		    "contact", object), 0);
	}
	r = db_query(f->db, "SELECT MAX(id) FROM audit_log");
	first = db_rows_int(r, 0, 0) - n + 1;
	db_rows_free(r);
	return first;
}

static void
test_database_refuses_edits(void **state)
{
	struct fixture *f = *state;
	int64_t first = append(f, 2, "subject-pseudonym");

	assert_int_equal(db_exec(f->db, "UPDATE audit_log SET action = 'x' WHERE id = ?",
	    DB_I(first)), -1);
	assert_int_equal(db_exec(f->db, "DELETE FROM audit_log WHERE id = ?", DB_I(first)), -1);
	assert_int_equal(audit_verify(f->db), 2);
}

static void
test_empty_log_verifies(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(audit_verify(f->db), 0);
}

static void
test_chain_verifies(void **state)
{
	struct fixture *f = *state;
	struct db_rows *r;

	append(f, 5, "subject-pseudonym");
	assert_int_equal(audit_record(f->db, NOW, "system", NULL, "job.run", NULL, NULL), 0);
	assert_int_equal(audit_verify(f->db), 6);

	r = db_query(f->db, "SELECT prev_hash, hash FROM audit_log ORDER BY id");
	assert_non_null(r);
	assert_string_equal(db_rows_text(r, 0, 0),
	    "0000000000000000000000000000000000000000000000000000000000000000");
	assert_int_equal(strlen(db_rows_text(r, 0, 1)), 64);
	assert_string_equal(db_rows_text(r, 1, 0), db_rows_text(r, 0, 1));
	assert_string_equal(db_rows_text(r, 5, 0), db_rows_text(r, 4, 1));
	db_rows_free(r);
}

static void
test_tampered_action_found(void **state)
{
	struct fixture *f = *state;
	int64_t first = append(f, 5, "subject-pseudonym");

	assert_int_equal(db_exec(f->db, "UPDATE audit_log SET action = 'consent.grant' "
	    "WHERE id = ?", DB_I(first + 2)), 1);
	assert_int_equal(audit_verify(f->db), -(first + 2));
}

static void
test_tampered_time_found(void **state)
{
	struct fixture *f = *state;
	int64_t first = append(f, 3, "subject-pseudonym");

	assert_int_equal(db_exec(f->db, "UPDATE audit_log SET at = at + 1 WHERE id = ?",
	    DB_I(first)), 1);
	assert_int_equal(audit_verify(f->db), -first);
}

static void
test_null_is_not_empty(void **state)
{
	struct fixture *f = *state;
	int64_t first = append(f, 1, NULL);

	assert_int_equal(audit_verify(f->db), 1);
	assert_int_equal(db_exec(f->db, "UPDATE audit_log SET subject = '' WHERE id = ?",
	    DB_I(first)), 1);
	assert_int_equal(audit_verify(f->db), -first);
}

static void
test_shifted_bytes_found(void **state)
{
	struct fixture *f = *state;
	struct db_rows *r;
	int64_t id;

	assert_int_equal(audit_record(f->db, NOW, "ab", "c", "read", "contact", "x"), 0);
	r = db_query(f->db, "SELECT MAX(id) FROM audit_log");
	id = db_rows_int(r, 0, 0);
	db_rows_free(r);
	assert_int_equal(audit_verify(f->db), 1);
	assert_int_equal(db_exec(f->db, "UPDATE audit_log SET actor = 'a', subject = 'bc' "
	    "WHERE id = ?", DB_I(id)), 1);
	assert_int_equal(audit_verify(f->db), -id);
}

static void
test_removed_row_found(void **state)
{
	struct fixture *f = *state;
	int64_t first = append(f, 4, "subject-pseudonym");

	assert_int_equal(db_exec(f->db, "DELETE FROM audit_log WHERE id = ?", DB_I(first + 1)), 1);
	assert_int_equal(audit_verify(f->db), -(first + 2));
}

static void
test_removed_first_row_found(void **state)
{
	struct fixture *f = *state;
	int64_t first = append(f, 3, "subject-pseudonym");

	assert_int_equal(db_exec(f->db, "DELETE FROM audit_log WHERE id = ?", DB_I(first)), 1);
	assert_int_equal(audit_verify(f->db), -(first + 1));
}

static void
test_deleting_user_keeps_chain(void **state)
{
	struct fixture *f = *state;
	struct arena a;
	const char *pseudo;
	int64_t uid;

	arena_init(&a);
	uid = user_create(f->db, "gone@example.org", "Gone", NULL, ROLE_MEMBER, 0, "en", NOW);
	assert_true(uid > 0);
	pseudo = user_pseudonym(f->db, &a, uid);
	assert_non_null(pseudo);
	append(f, 2, pseudo);
	assert_int_equal(audit_record(f->db, NOW, pseudo, pseudo, "account.delete", NULL, NULL),
	    0);
	assert_int_equal(db_exec(f->db, "DELETE FROM users WHERE id = ?", DB_I(uid)), 1);
	append(f, 1, "someone-else");
	assert_int_equal(audit_verify(f->db), 4);
	arena_free(&a);
}

static void
test_required_fields(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(audit_record(f->db, NOW, NULL, "s", "read", NULL, NULL), -1);
	assert_int_equal(audit_record(f->db, NOW, "a", "s", NULL, NULL, NULL), -1);
	assert_int_equal(audit_verify(f->db), 0);
}

static void
test_many_rows_span_batches(void **state)
{
	struct fixture *f = *state;
	int64_t first = append(f, 1005, "subject-pseudonym");

	assert_int_equal(audit_verify(f->db), 1005);
	assert_int_equal(db_exec(f->db, "UPDATE audit_log SET object = 'contact:0' WHERE id = ?",
	    DB_I(first + 1002)), 1);
	assert_int_equal(audit_verify(f->db), -(first + 1002));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_database_refuses_edits),
		cmocka_unit_test_setup(test_empty_log_verifies, empty_log),
		cmocka_unit_test_setup(test_chain_verifies, empty_log),
		cmocka_unit_test_setup(test_tampered_action_found, empty_log),
		cmocka_unit_test_setup(test_tampered_time_found, empty_log),
		cmocka_unit_test_setup(test_null_is_not_empty, empty_log),
		cmocka_unit_test_setup(test_shifted_bytes_found, empty_log),
		cmocka_unit_test_setup(test_removed_row_found, empty_log),
		cmocka_unit_test_setup(test_removed_first_row_found, empty_log),
		cmocka_unit_test_setup(test_deleting_user_keeps_chain, empty_log),
		cmocka_unit_test_setup(test_required_fields, empty_log),
		cmocka_unit_test_setup(test_many_rows_span_batches, empty_log),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
