/*
 * Unit tests for privacy/consent.c against a real (temporary) SQLite
 * database migrated with db_migrate:
 *
 * - consent_allows as a truth table: the member themself, no consent, a
 *   consent to the viewer, to the viewer's organisation, revoked, expired,
 *   not yet expired, another category, another member's consent, and roles
 *   alone (admin, coordinator) never granting anything;
 * - privacy_read writes exactly one audit row when it allows, none when it
 *   refuses, and none for the member reading their own data;
 * - consent_grant refuses bad input (and writes nothing); grants and
 *   revocations are audited once, a second revocation changes nothing, and
 *   another member's consent cannot be revoked.
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
#include "privacy/consent.h"
#include "privacy/crypto.h"

#define NOW	1772546700	/* 3 March 2026 14:05 UTC */

static const unsigned char test_key[CRYPTO_KEY_BYTES] = {
	9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 11, 12, 13, 14, 15, 16,
	17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32,
};

struct fixture {
	char		 dir[64];
	struct db	*db;
	struct arena	 a;
	int64_t		 org;		/* a partner organisation */
	int64_t		 other_org;
	struct user	*member;	/* Mia, whose data is asked for */
	struct user	*other_member;
	struct user	*peer;		/* a peer supporter */
	struct user	*clinician;	/* in org */
	struct user	*outsider;	/* clinician in other_org */
	struct user	*admin;
	struct user	*coordinator;
};

static struct user *
make_user(struct fixture *f, const char *email, const char *name, unsigned roles)
{
	int64_t id = user_create(f->db, email, name, NULL, roles, 0, "en", NOW - 86400);
	struct user *u;

	assert_true(id > 0);
	u = user_load(f->db, &f->a, id);
	assert_non_null(u);
	return u;
}

static int64_t
make_org(struct fixture *f, const char *name)
{
	int64_t id = db_insert(f->db, "INSERT INTO organizations (name, created_at) VALUES (?, ?) "
	    "RETURNING id", DB_T(name), DB_I(NOW));

	assert_true(id > 0);
	return id;
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char url[128], *err = NULL;

	crypto_init_with_key(test_key);
	strcpy(f->dir, "/tmp/circles-consent-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	snprintf(url, sizeof(url), "sqlite:%s/test.db", f->dir);
	if ((f->db = db_open(url, &err)) == NULL || db_migrate(f->db, &err) == -1) {
		fprintf(stderr, "# %s\n", err ? err : "open failed");
		return -1;
	}
	arena_init(&f->a);
	f->org = make_org(f, "Riverside Clinic");
	f->other_org = make_org(f, "Hillside Health");
	f->member = make_user(f, "mia@example.org", "Mia", ROLE_MEMBER);
	f->other_member = make_user(f, "noa@example.org", "Noa", ROLE_MEMBER);
	f->peer = make_user(f, "ana@example.org", "Ana", ROLE_PEER_SUPPORTER | ROLE_MEMBER);
	f->clinician = make_user(f, "dr@example.org", "Dr Ruiz", ROLE_CLINICIAN);
	f->outsider = make_user(f, "dr2@example.org", "Dr Hill", ROLE_CLINICIAN);
	f->admin = make_user(f, "admin@example.org", "Ada", ROLE_ADMIN);
	f->coordinator = make_user(f, "coord@example.org", "Cole", ROLE_COORDINATOR);
	assert_int_equal(db_exec(f->db, "UPDATE users SET org_id = ? WHERE id = ?", DB_I(f->org),
	    DB_I(f->clinician->id)), 1);
	assert_int_equal(db_exec(f->db, "UPDATE users SET org_id = ? WHERE id = ?",
	    DB_I(f->other_org), DB_I(f->outsider->id)), 1);
	f->clinician = user_load(f->db, &f->a, f->clinician->id);
	f->outsider = user_load(f->db, &f->a, f->outsider->id);
	assert_int_equal(f->clinician->org_id, f->org);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	db_close(f->db);
	arena_free(&f->a);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

static int64_t
count(struct fixture *f, const char *sql)
{
	struct db_rows *r = db_query(f->db, sql);
	int64_t n;

	assert_non_null(r);
	n = db_rows_int(r, 0, 0);
	db_rows_free(r);
	return n;
}

/* A consent row written directly, to set up states the API cannot reach. */
static void
put_consent(struct fixture *f, int64_t member, int64_t to_user, int64_t to_org,
    const char *category, int64_t expires_at, int64_t revoked_at)
{
	assert_true(db_insert(f->db, "INSERT INTO consents (member_id, grantee_user_id, "
	    "grantee_org_id, category, purpose, created_at, expires_at, revoked_at) VALUES "
	    "(?, ?, ?, ?, 'test', ?, ?, ?) RETURNING id", DB_I(member),
	    to_user ? DB_I(to_user) : DB_NUL, to_org ? DB_I(to_org) : DB_NUL, DB_T(category),
	    DB_I(NOW - 3600), expires_at ? DB_I(expires_at) : DB_NUL,
	    revoked_at ? DB_I(revoked_at) : DB_NUL) > 0);
}

/* ---- consent_allows ---- */

enum viewer { V_MEMBER, V_PEER, V_CLINICIAN, V_OUTSIDER, V_ADMIN, V_COORDINATOR,
	V_OTHER_MEMBER };

enum setup_kind {
	S_NONE,			/* no consent at all */
	S_TO_PEER,		/* contact to the peer, open-ended */
	S_TO_ORG,		/* contact to the clinician's organisation */
	S_TO_PEER_REVOKED,
	S_TO_PEER_EXPIRED,	/* expired one second ago */
	S_TO_PEER_EXPIRES_NOW,	/* expires_at == now: already over */
	S_TO_PEER_LATER,	/* expires tomorrow */
	S_TO_PEER_CHECKINS,	/* another category */
	S_OTHER_MEMBER_TO_PEER,	/* someone else's consent */
};

static const struct allows_case {
	const char	*name;
	enum setup_kind	 setup;
	enum viewer	 viewer;
	const char	*category;
	bool		 allowed;
} allows_cases[] = {
	{ "member sees own data",		S_NONE, V_MEMBER, CONSENT_CONTACT, true },
	{ "member sees own crisis plan",	S_NONE, V_MEMBER, CONSENT_CRISIS_PLAN, true },
	{ "no consent: peer refused",		S_NONE, V_PEER, CONSENT_CONTACT, false },
	{ "consent to viewer",			S_TO_PEER, V_PEER, CONSENT_CONTACT, true },
	{ "consent to viewer, other viewer",	S_TO_PEER, V_OTHER_MEMBER, CONSENT_CONTACT, false },
	{ "consent to viewer's org",		S_TO_ORG, V_CLINICIAN, CONSENT_CONTACT, true },
	{ "consent to org, other org",		S_TO_ORG, V_OUTSIDER, CONSENT_CONTACT, false },
	{ "consent to org, not a person",	S_TO_ORG, V_PEER, CONSENT_CONTACT, false },
	{ "revoked",				S_TO_PEER_REVOKED, V_PEER, CONSENT_CONTACT, false },
	{ "expired",				S_TO_PEER_EXPIRED, V_PEER, CONSENT_CONTACT, false },
	{ "expires exactly now",		S_TO_PEER_EXPIRES_NOW, V_PEER, CONSENT_CONTACT, false },
	{ "expires later",			S_TO_PEER_LATER, V_PEER, CONSENT_CONTACT, true },
	{ "wrong category",			S_TO_PEER_CHECKINS, V_PEER, CONSENT_CONTACT, false },
	{ "right category",			S_TO_PEER_CHECKINS, V_PEER, CONSENT_CHECKINS, true },
	{ "unknown category",			S_TO_PEER, V_PEER, "everything", false },
	{ "someone else's consent",		S_OTHER_MEMBER_TO_PEER, V_PEER, CONSENT_CONTACT, false },
	{ "admin role alone",			S_NONE, V_ADMIN, CONSENT_CONTACT, false },
	{ "admin role, consent to another",	S_TO_PEER, V_ADMIN, CONSENT_CONTACT, false },
	{ "coordinator role alone",		S_NONE, V_COORDINATOR, CONSENT_CHECKINS, false },
};

static struct user *
viewer_of(struct fixture *f, enum viewer v)
{
	switch (v) {
	case V_MEMBER:		return f->member;
	case V_PEER:		return f->peer;
	case V_CLINICIAN:	return f->clinician;
	case V_OUTSIDER:	return f->outsider;
	case V_ADMIN:		return f->admin;
	case V_COORDINATOR:	return f->coordinator;
	case V_OTHER_MEMBER:	return f->other_member;
	}
	return NULL;
}

static void
test_allows_truth_table(void **state)
{
	struct fixture *f = *state;
	size_t i;

	for (i = 0; i < sizeof(allows_cases) / sizeof(allows_cases[0]); i++) {
		const struct allows_case *tc = &allows_cases[i];
		int64_t m = f->member->id, p = f->peer->id;
		bool got;

		assert_true(db_exec(f->db, "DELETE FROM consents") >= 0);
		switch (tc->setup) {
		case S_NONE:
			break;
		case S_TO_PEER:
			put_consent(f, m, p, 0, CONSENT_CONTACT, 0, 0);
			break;
		case S_TO_ORG:
			put_consent(f, m, 0, f->org, CONSENT_CONTACT, 0, 0);
			break;
		case S_TO_PEER_REVOKED:
			put_consent(f, m, p, 0, CONSENT_CONTACT, 0, NOW - 60);
			break;
		case S_TO_PEER_EXPIRED:
			put_consent(f, m, p, 0, CONSENT_CONTACT, NOW - 1, 0);
			break;
		case S_TO_PEER_EXPIRES_NOW:
			put_consent(f, m, p, 0, CONSENT_CONTACT, NOW, 0);
			break;
		case S_TO_PEER_LATER:
			put_consent(f, m, p, 0, CONSENT_CONTACT, NOW + 86400, 0);
			break;
		case S_TO_PEER_CHECKINS:
			put_consent(f, m, p, 0, CONSENT_CHECKINS, 0, 0);
			break;
		case S_OTHER_MEMBER_TO_PEER:
			put_consent(f, f->other_member->id, p, 0, CONSENT_CONTACT, 0, 0);
			break;
		}
		got = consent_allows(f->db, viewer_of(f, tc->viewer), m, tc->category, NOW);
		if (got != tc->allowed)
			fail_msg("case \"%s\": expected %s", tc->name,
			    tc->allowed ? "allowed" : "refused");
	}
}

static void
test_allows_null_viewer(void **state)
{
	struct fixture *f = *state;

	assert_false(consent_allows(f->db, NULL, f->member->id, CONSENT_CONTACT, NOW));
	assert_false(consent_allows(f->db, f->peer, 0, CONSENT_CONTACT, NOW));
	assert_false(consent_allows(f->db, f->member, f->member->id, NULL, NOW));
}

/*
 * Matching: the member's opt-in is the consent, to coordinators and admins
 * only, and only while it stands; it is never granted to a person.
 */
static void
test_allows_matching_opt_in(void **state)
{
	struct fixture *f = *state;
	struct user *who[] = { f->peer, f->other_member, f->clinician, f->coordinator, f->admin };
	size_t i;

	for (i = 0; i < sizeof(who) / sizeof(who[0]); i++)
		assert_false(consent_allows(f->db, who[i], f->member->id, CONSENT_MATCHING, NOW));
	assert_true(consent_allows(f->db, f->member, f->member->id, CONSENT_MATCHING, NOW));
	assert_int_equal(db_exec(f->db, "INSERT INTO matching_profiles (user_id, opted_in, seeks, "
	    "profile_enc, updated_at) VALUES (?, 1, 'mentor', ?, ?)", DB_I(f->member->id),
	    DB_B("x", 1), DB_I(NOW)), 1);
	assert_false(consent_allows(f->db, f->peer, f->member->id, CONSENT_MATCHING, NOW));
	assert_false(consent_allows(f->db, f->other_member, f->member->id, CONSENT_MATCHING, NOW));
	assert_false(consent_allows(f->db, f->clinician, f->member->id, CONSENT_MATCHING, NOW));
	assert_true(consent_allows(f->db, f->coordinator, f->member->id, CONSENT_MATCHING, NOW));
	assert_true(consent_allows(f->db, f->admin, f->member->id, CONSENT_MATCHING, NOW));
	/* the opt-in covers matching only */
	assert_false(consent_allows(f->db, f->coordinator, f->member->id, CONSENT_CHECKINS, NOW));
	/* opting out withdraws it */
	assert_int_equal(db_exec(f->db, "UPDATE matching_profiles SET opted_in = 0 WHERE user_id = ?",
	    DB_I(f->member->id)), 1);
	assert_false(consent_allows(f->db, f->coordinator, f->member->id, CONSENT_MATCHING, NOW));
	assert_false(consent_category_valid(CONSENT_MATCHING));
	assert_int_equal(consent_grant(f->db, f->member, f->peer->id, 0, CONSENT_MATCHING,
	    "matching", 0, NOW), -1);
	assert_int_equal(db_exec(f->db, "DELETE FROM matching_profiles WHERE user_id = ?",
	    DB_I(f->member->id)), 1);
}

static void
test_categories(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; consent_categories[i] != NULL; i++)
		assert_true(consent_category_valid(consent_categories[i]));
	assert_int_equal(i, 8);
	assert_false(consent_category_valid(""));
	assert_false(consent_category_valid("Contact"));
	assert_false(consent_category_valid(NULL));
}

/* ---- privacy_read ---- */

static struct ctx
ctx_for(struct fixture *f, struct user *viewer)
{
	struct ctx c;

	memset(&c, 0, sizeof(c));
	c.db = f->db;
	c.a = &f->a;
	c.user = viewer;
	c.now = NOW;
	c.lang = "en";
	return c;
}

static void
test_read_audits_once_when_allowed(void **state)
{
	struct fixture *f = *state;
	struct ctx c = ctx_for(f, f->peer);
	struct db_rows *r;
	int64_t before;

	assert_true(db_exec(f->db, "DELETE FROM consents") >= 0);
	put_consent(f, f->member->id, f->peer->id, 0, CONSENT_CONTACT, 0, 0);
	before = count(f, "SELECT COUNT(*) FROM audit_log");
	assert_true(privacy_read(&c, f->member->id, CONSENT_CONTACT, "contact:1"));
	assert_int_equal(count(f, "SELECT COUNT(*) FROM audit_log"), before + 1);

	r = db_query(f->db, "SELECT actor, subject, action, category, object, at FROM audit_log "
	    "ORDER BY id DESC LIMIT 1");
	assert_non_null(r);
	assert_string_equal(db_rows_text(r, 0, 0), f->peer->pseudonym);
	assert_string_equal(db_rows_text(r, 0, 1), f->member->pseudonym);
	assert_string_equal(db_rows_text(r, 0, 2), "read");
	assert_string_equal(db_rows_text(r, 0, 3), CONSENT_CONTACT);
	assert_string_equal(db_rows_text(r, 0, 4), "contact:1");
	assert_int_equal(db_rows_int(r, 0, 5), NOW);
	db_rows_free(r);
}

static void
test_read_refused_writes_nothing(void **state)
{
	struct fixture *f = *state;
	struct ctx stranger = ctx_for(f, f->other_member);
	struct ctx admin = ctx_for(f, f->admin);
	struct ctx peer = ctx_for(f, f->peer);
	int64_t before;

	assert_true(db_exec(f->db, "DELETE FROM consents") >= 0);
	put_consent(f, f->member->id, f->peer->id, 0, CONSENT_CONTACT, NOW - 1, 0);
	before = count(f, "SELECT COUNT(*) FROM audit_log");
	assert_false(privacy_read(&stranger, f->member->id, CONSENT_CONTACT, "contact:1"));
	assert_false(privacy_read(&admin, f->member->id, CONSENT_CONTACT, "contact:1"));
	assert_false(privacy_read(&peer, f->member->id, CONSENT_CONTACT, "contact:1"));
	assert_false(privacy_read(&peer, 999999, CONSENT_CONTACT, "contact:999999"));
	assert_int_equal(count(f, "SELECT COUNT(*) FROM audit_log"), before);
}

static void
test_read_own_data_not_audited(void **state)
{
	struct fixture *f = *state;
	struct ctx c = ctx_for(f, f->member);
	int64_t before = count(f, "SELECT COUNT(*) FROM audit_log");

	assert_true(privacy_read(&c, f->member->id, CONSENT_CRISIS_PLAN, "crisis_plan:1"));
	assert_int_equal(count(f, "SELECT COUNT(*) FROM audit_log"), before);
}

static void
test_read_signed_out(void **state)
{
	struct fixture *f = *state;
	struct ctx c = ctx_for(f, NULL);

	assert_false(privacy_read(&c, f->member->id, CONSENT_CONTACT, "contact:1"));
}

/* ---- consent_grant / consent_revoke ---- */

static void
test_grant_refuses_bad_input(void **state)
{
	struct fixture *f = *state;
	char long_purpose[CONSENT_PURPOSE_MAX + 2];
	int64_t consents, audits;

	memset(long_purpose, 'x', sizeof(long_purpose) - 1);
	long_purpose[sizeof(long_purpose) - 1] = '\0';
	assert_true(db_exec(f->db, "DELETE FROM consents") >= 0);
	consents = count(f, "SELECT COUNT(*) FROM consents");
	audits = count(f, "SELECT COUNT(*) FROM audit_log");

	/* to oneself, to nobody, to both a person and an organisation */
	assert_int_equal(consent_grant(f->db, f->member, f->member->id, 0, CONSENT_CONTACT, "x",
	    0, NOW), -1);
	assert_int_equal(consent_grant(f->db, f->member, 0, 0, CONSENT_CONTACT, "x", 0, NOW), -1);
	assert_int_equal(consent_grant(f->db, f->member, f->peer->id, f->org, CONSENT_CONTACT,
	    "x", 0, NOW), -1);
	/* unknown category, empty or too long purpose, control characters */
	assert_int_equal(consent_grant(f->db, f->member, f->peer->id, 0, "diary", "x", 0, NOW),
	    -1);
	assert_int_equal(consent_grant(f->db, f->member, f->peer->id, 0, CONSENT_CONTACT, "", 0,
	    NOW), -1);
	assert_int_equal(consent_grant(f->db, f->member, f->peer->id, 0, CONSENT_CONTACT,
	    long_purpose, 0, NOW), -1);
	assert_int_equal(consent_grant(f->db, f->member, f->peer->id, 0, CONSENT_CONTACT,
	    "a\nb", 0, NOW), -1);
	/* expiry now or in the past */
	assert_int_equal(consent_grant(f->db, f->member, f->peer->id, 0, CONSENT_CONTACT, "x",
	    NOW, NOW), -1);
	/* a grantee that does not exist (foreign key) */
	assert_int_equal(consent_grant(f->db, f->member, 999999, 0, CONSENT_CONTACT, "x", 0, NOW),
	    -1);

	assert_int_equal(count(f, "SELECT COUNT(*) FROM consents"), consents);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM audit_log"), audits);
}

static void
test_grant_and_revoke_are_audited(void **state)
{
	struct fixture *f = *state;
	int64_t id, audits;
	struct db_rows *r;

	assert_true(db_exec(f->db, "DELETE FROM consents") >= 0);
	audits = count(f, "SELECT COUNT(*) FROM audit_log");
	id = consent_grant(f->db, f->member, f->peer->id, 0, CONSENT_CHECKINS,
	    "so Ana can check in with me", NOW + 86400, NOW);
	assert_true(id > 0);
	assert_true(consent_allows(f->db, f->peer, f->member->id, CONSENT_CHECKINS, NOW));
	assert_int_equal(count(f, "SELECT COUNT(*) FROM audit_log"), audits + 1);

	r = db_query(f->db, "SELECT actor, subject, action, category, object FROM audit_log "
	    "ORDER BY id DESC LIMIT 1");
	assert_string_equal(db_rows_text(r, 0, 0), f->member->pseudonym);
	assert_string_equal(db_rows_text(r, 0, 1), f->member->pseudonym);
	assert_string_equal(db_rows_text(r, 0, 2), "consent.grant");
	assert_string_equal(db_rows_text(r, 0, 3), CONSENT_CHECKINS);
	db_rows_free(r);

	/* Someone else cannot revoke it: "not found", and it still holds. */
	assert_int_equal(consent_revoke(f->db, f->peer, id, NOW), 1);
	assert_int_equal(consent_revoke(f->db, f->member, id + 1000, NOW), 1);
	assert_true(consent_allows(f->db, f->peer, f->member->id, CONSENT_CHECKINS, NOW));

	assert_int_equal(consent_revoke(f->db, f->member, id, NOW + 10), 0);
	assert_false(consent_allows(f->db, f->peer, f->member->id, CONSENT_CHECKINS, NOW + 10));
	assert_int_equal(count(f, "SELECT COUNT(*) FROM audit_log"), audits + 2);
	r = db_query(f->db, "SELECT action FROM audit_log ORDER BY id DESC LIMIT 1");
	assert_string_equal(db_rows_text(r, 0, 0), "consent.revoke");
	db_rows_free(r);

	/* Revoking again changes nothing and records nothing. */
	assert_int_equal(consent_revoke(f->db, f->member, id, NOW + 20), 0);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM audit_log"), audits + 2);
	assert_true(audit_verify(f->db) > 0);
}

static void
test_grant_to_org(void **state)
{
	struct fixture *f = *state;

	assert_true(db_exec(f->db, "DELETE FROM consents") >= 0);
	assert_true(consent_grant(f->db, f->member, 0, f->org, CONSENT_REFERRALS, "referral",
	    0, NOW) > 0);
	assert_true(consent_allows(f->db, f->clinician, f->member->id, CONSENT_REFERRALS, NOW));
	assert_false(consent_allows(f->db, f->outsider, f->member->id, CONSENT_REFERRALS, NOW));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_categories),
		cmocka_unit_test(test_allows_truth_table),
		cmocka_unit_test(test_allows_null_viewer),
		cmocka_unit_test(test_allows_matching_opt_in),
		cmocka_unit_test(test_read_audits_once_when_allowed),
		cmocka_unit_test(test_read_refused_writes_nothing),
		cmocka_unit_test(test_read_own_data_not_audited),
		cmocka_unit_test(test_read_signed_out),
		cmocka_unit_test(test_grant_refuses_bad_input),
		cmocka_unit_test(test_grant_and_revoke_are_audited),
		cmocka_unit_test(test_grant_to_org),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
