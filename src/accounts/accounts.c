/*
 * accounts.c: the rules of signing up and in.
 *
 * Care points:
 * - An unknown email costs the same argon2id work as a wrong password, so
 *   timing does not reveal who has an account; the reset request answers
 *   the same either way.
 * - Tokens (reset links, invitations) are stored only as keyed hashes.
 * - Emails that leave Circles say nothing about recovery: a housemate may
 *   read the lock screen.
 */
#include "accounts/accounts.h"

#include <stdlib.h>
#include <string.h>

#include "accounts/password.h"
#include "accounts/roles.h"
#include "accounts/session.h"
#include "accounts/totp.h"
#include "accounts/users.h"
#include "base/log.h"
#include "base/mem.h"
#include "notify/jobs.h"
#include "privacy/crypto.h"
#include "view/view.h"

static void
fe_set(struct field_error *fe, int status, const char *code, const char *field, const char *key)
{
	fe->status = status;
	fe->code = code;
	fe->field = field;
	fe->msg_key = key;
}

/* ---- throttling ---- */

static const char *
account_key(struct ctx *c, const char *email)
{
	char mac[65];

	crypto_mac_hex("throttle", email, strlen(email), mac);
	return arena_printf(c->a, "acct:%s", mac);
}

static const char *
addr_key(struct ctx *c)
{
	return arena_printf(c->a, "addr:%s", c->req->client[0] ? c->req->client : c->req->peer);
}

static int64_t
locked_for(struct ctx *c, const char *key)
{
	struct db_rows *r = db_query(c->db, "SELECT locked_until FROM login_throttle WHERE key = ?",
	    DB_T(key));
	int64_t left = 0;

	if (r != NULL && db_rows_count(r) > 0 && db_rows_int(r, 0, 0) > c->now)
		left = db_rows_int(r, 0, 0) - c->now;
	db_rows_free(r);
	return left;
}

static void
record_failure(struct ctx *c, const char *key, int64_t limit)
{
	/* One statement, so concurrent failures from several servers all count. */
	db_exec(c->db, "INSERT INTO login_throttle (key, failures, locked_until, updated_at) "
	    "VALUES (?, 1, 0, ?) ON CONFLICT (key) DO UPDATE SET "
	    "failures = login_throttle.failures + 1, updated_at = excluded.updated_at",
	    DB_T(key), DB_I(c->now));
	db_exec(c->db, "UPDATE login_throttle SET locked_until = ?, failures = 0 "
	    "WHERE key = ? AND failures >= ?", DB_I(c->now + ACCOUNTS_LOCK_S), DB_T(key),
	    DB_I(limit));
}

static void
clear_failures(struct ctx *c, const char *key)
{
	db_exec(c->db, "DELETE FROM login_throttle WHERE key = ?", DB_T(key));
}

/* ---- signing in ---- */

static bool
totp_matches(struct ctx *c, int64_t user_id, const unsigned char *blob, size_t blen,
    int64_t last_step, const char *code)
{
	char *secret;
	size_t slen;
	int64_t step;
	bool ok;
	char ad[48];

	snprintf(ad, sizeof(ad), "users.totp:%lld", (long long)user_id);
	secret = crypto_open(blob, blen, ad, &slen);
	if (secret == NULL)
		return false;
	ok = totp_verify((unsigned char *)secret, slen, code, c->now, last_step, &step);
	memset(secret, 0, slen);
	free(secret);
	if (ok)
		db_exec(c->db, "UPDATE users SET totp_last_step = ? WHERE id = ?", DB_I(step),
		    DB_I(user_id));
	return ok;
}

enum auth_result
accounts_authenticate(struct ctx *c, const char *email, const char *password, const char *totp,
    int64_t *user_id, int64_t *retry_after)
{
	static const char dummy[] =
	    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$"
	    "3xgx1Vdu0gGQBXzo1Ol1P0ShDc1ujbGXYLpClvlTvqI";
	char *norm = user_normalize_email(c->a, email);
	const char *akey, *ipkey = addr_key(c);
	struct db_rows *r;
	int64_t left, id;
	bool ok, disabled, totp_on;
	enum auth_result res;

	*user_id = 0;
	*retry_after = 0;
	akey = account_key(c, norm ? norm : email);
	if ((left = locked_for(c, akey)) > 0 || (left = locked_for(c, ipkey)) > 0) {
		*retry_after = left;
		return AUTH_THROTTLED;
	}
	r = norm ? db_query(c->db, "SELECT id, password_hash, disabled, totp_enabled, "
	    "totp_secret_enc, totp_last_step FROM users WHERE email = ?", DB_T(norm)) : NULL;
	if (r == NULL || db_rows_count(r) == 0 || db_rows_isnull(r, 0, 1)) {
		password_verify(dummy, password, strlen(password));
		db_rows_free(r);
		record_failure(c, akey, ACCOUNTS_MAX_FAILURES);
		record_failure(c, ipkey, ACCOUNTS_MAX_ADDR_FAILURES);
		return AUTH_INVALID;
	}
	id = db_rows_int(r, 0, 0);
	ok = password_verify(db_rows_text(r, 0, 1), password, strlen(password));
	disabled = db_rows_int(r, 0, 2) != 0;
	totp_on = db_rows_int(r, 0, 3) != 0;
	if (!ok) {
		db_rows_free(r);
		record_failure(c, akey, ACCOUNTS_MAX_FAILURES);
		record_failure(c, ipkey, ACCOUNTS_MAX_ADDR_FAILURES);
		return AUTH_INVALID;
	}
	if (disabled) {
		db_rows_free(r);
		return AUTH_DISABLED;
	}
	res = AUTH_OK;
	if (totp_on) {
		size_t blen;
		const unsigned char *blob = db_rows_blob(r, 0, 4, &blen);

		if (totp == NULL || *totp == '\0')
			res = AUTH_TOTP_REQUIRED;
		else if (!totp_matches(c, id, blob, blen, db_rows_int(r, 0, 5), totp)) {
			record_failure(c, akey, ACCOUNTS_MAX_FAILURES);
			res = AUTH_TOTP_INVALID;
		}
	}
	if (res == AUTH_OK) {
		/* Upgrade hashes made with weaker parameters, now that we know the password. */
		if (password_needs_rehash(db_rows_text(r, 0, 1))) {
			char h[PASSWORD_HASH_MAX];
			if (password_hash(password, strlen(password), h) == 0)
				db_exec(c->db, "UPDATE users SET password_hash = ? WHERE id = ?",
				    DB_T(h), DB_I(id));
		}
		clear_failures(c, akey);
	}
	db_rows_free(r);
	*user_id = id;
	return res;
}

enum auth_result
accounts_check_totp(struct ctx *c, int64_t user_id, const char *code)
{
	struct db_rows *r;
	const unsigned char *blob;
	size_t blen;
	enum auth_result res = AUTH_TOTP_INVALID;
	const char *ipkey = addr_key(c);
	int64_t left;

	if ((left = locked_for(c, ipkey)) > 0)
		return AUTH_THROTTLED;
	r = db_query(c->db, "SELECT totp_secret_enc, totp_last_step, email FROM users WHERE id = ? "
	    "AND totp_enabled = 1 AND disabled = 0", DB_I(user_id));
	if (r == NULL || db_rows_count(r) == 0) {
		db_rows_free(r);
		return AUTH_INVALID;
	}
	blob = db_rows_blob(r, 0, 0, &blen);
	if (code != NULL && totp_matches(c, user_id, blob, blen, db_rows_int(r, 0, 1), code))
		res = AUTH_OK;
	else {
		record_failure(c, account_key(c, db_rows_text(r, 0, 2)), ACCOUNTS_MAX_FAILURES);
		record_failure(c, ipkey, ACCOUNTS_MAX_ADDR_FAILURES);
	}
	db_rows_free(r);
	return res;
}

/* ---- signing up ---- */

const char *
accounts_invitation_role(struct ctx *c, const char *token, const char **email)
{
	char hash[65];
	struct db_rows *r;
	const char *role = NULL;

	if (token == NULL || strlen(token) < 20 || strlen(token) > 100)
		return NULL;
	crypto_token_hash(token, hash);
	r = db_query(c->db, "SELECT role, email FROM invitations WHERE token_hash = ? AND "
	    "used_at IS NULL AND expires_at > ?", DB_T(hash), DB_I(c->now));
	if (r != NULL && db_rows_count(r) > 0) {
		role = arena_strdup(c->a, db_rows_text(r, 0, 0));
		if (email != NULL)
			*email = db_rows_isnull(r, 0, 1) ? NULL : arena_strdup(c->a,
			    db_rows_text(r, 0, 1));
	}
	db_rows_free(r);
	return role;
}

int
accounts_register(struct ctx *c, const char *email, const char *name, const char *password,
    const char *invitation, int64_t *user_id, struct field_error *fe)
{
	char *norm, *dname, hash[65];
	const char *why, *inv_email = NULL;
	unsigned roles = ROLE_MEMBER;
	int64_t chapter = 0, inv_id = 0, id;
	struct db_rows *r;

	if (invitation != NULL && *invitation != '\0') {
		crypto_token_hash(invitation, hash);
		r = db_query(c->db, "SELECT id, role, chapter_id, email FROM invitations WHERE "
		    "token_hash = ? AND used_at IS NULL AND expires_at > ?", DB_T(hash), DB_I(c->now));
		if (r == NULL || db_rows_count(r) == 0) {
			db_rows_free(r);
			fe_set(fe, 422, "invalid_invitation", "invitation",
			    "accounts.errors.invitation_invalid");
			return -1;
		}
		inv_id = db_rows_int(r, 0, 0);
		roles = role_from_token(db_rows_text(r, 0, 1));
		chapter = db_rows_int(r, 0, 2);
		inv_email = db_rows_isnull(r, 0, 3) ? NULL : arena_strdup(c->a, db_rows_text(r, 0, 3));
		db_rows_free(r);
		if (roles == 0)
			roles = ROLE_MEMBER;
	} else if (c->cfg->registration == REGISTRATION_INVITE) {
		fe_set(fe, 403, "invitation_required", NULL, "accounts.errors.invitation_required");
		return -1;
	}
	if ((norm = user_normalize_email(c->a, email)) == NULL) {
		fe_set(fe, 422, "invalid_field", "email", "accounts.errors.email_invalid");
		return -1;
	}
	if (inv_email != NULL && strcmp(inv_email, norm) != 0) {
		fe_set(fe, 422, "invalid_field", "email", "accounts.errors.invitation_email");
		return -1;
	}
	if ((dname = user_normalize_name(c->a, name)) == NULL) {
		fe_set(fe, 422, "invalid_field", "display_name", "accounts.errors.name_invalid");
		return -1;
	}
	if (password == NULL || (why = password_check_policy(password, strlen(password))) != NULL) {
		fe_set(fe, 422, "invalid_field", "password", "accounts.errors.password_policy");
		return -1;
	}
	if (db_begin(c->db) == -1) {
		fe_set(fe, 503, "unavailable", NULL, "errors.503.message");
		return -1;
	}
	id = user_create(c->db, norm, dname, password, roles, chapter, c->lang, c->now);
	if (id == 0) {
		db_rollback(c->db);
		fe_set(fe, 409, "email_taken", "email", "accounts.errors.email_taken");
		return -1;
	}
	if (id < 0 || (inv_id > 0 && db_exec(c->db, "UPDATE invitations SET used_at = ? WHERE "
	    "id = ? AND used_at IS NULL", DB_I(c->now), DB_I(inv_id)) != 1)) {
		db_rollback(c->db);
		fe_set(fe, 409, "conflict", NULL, "errors.409.message");
		return -1;
	}
	if (db_commit(c->db) == -1) {
		fe_set(fe, 503, "unavailable", NULL, "errors.503.message");
		return -1;
	}
	*user_id = id;
	return 0;
}

/* ---- passwords ---- */

static int
set_password(struct ctx *c, int64_t user_id, const char *pw)
{
	char h[PASSWORD_HASH_MAX];

	if (password_hash(pw, strlen(pw), h) == -1)
		return -1;
	return db_exec(c->db, "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?",
	    DB_T(h), DB_I(c->now), DB_I(user_id)) == 1 ? 0 : -1;
}

static void
notify_password_changed(struct ctx *c, int64_t user_id, const char *to, const char *lang)
{
	char *text;
	json_t *vars;

	if (to == NULL)
		return;
	vars = json_pack("{s:s}", "url", c->cfg->public_url);
	text = i18n_format(lang, "accounts.email.changed_body", vars);
	jobs_enqueue_email(c->db, to, i18n_get(lang, "accounts.email.changed_subject"), text, NULL,
	    user_id, c->now);
	free(text);
	json_decref(vars);
}

int
accounts_change_password(struct ctx *c, const char *current, const char *next,
    struct field_error *fe)
{
	struct db_rows *r;
	bool ok;

	if (current == NULL || next == NULL) {
		fe_set(fe, 422, "invalid_field", current ? "new_password" : "current_password",
		    "accounts.errors.required");
		return -1;
	}
	r = db_query(c->db, "SELECT password_hash FROM users WHERE id = ?", DB_I(c->user->id));
	ok = r != NULL && db_rows_count(r) > 0 && !db_rows_isnull(r, 0, 0) &&
	    password_verify(db_rows_text(r, 0, 0), current, strlen(current));
	db_rows_free(r);
	if (!ok) {
		fe_set(fe, 403, "wrong_password", "current_password", "accounts.errors.wrong_password");
		return -1;
	}
	if (password_check_policy(next, strlen(next)) != NULL) {
		fe_set(fe, 422, "invalid_field", "new_password", "accounts.errors.password_policy");
		return -1;
	}
	if (set_password(c, c->user->id, next) == -1) {
		fe_set(fe, 503, "unavailable", NULL, "errors.503.message");
		return -1;
	}
	session_end_all(c->db, c->user->id, c->session_id);
	notify_password_changed(c, c->user->id, c->user->email, c->user->lang);
	return 0;
}

void
accounts_request_reset(struct ctx *c, const char *email)
{
	char *norm = user_normalize_email(c->a, email), *token, hash[65], *text, *link;
	struct db_rows *r;
	int64_t uid, rid;
	const char *lang;
	char dedupe[64];
	json_t *vars;

	if (norm == NULL)
		return;
	r = db_query(c->db, "SELECT id, lang FROM users WHERE email = ? AND disabled = 0",
	    DB_T(norm));
	if (r == NULL || db_rows_count(r) == 0) {
		db_rows_free(r);
		return;
	}
	uid = db_rows_int(r, 0, 0);
	lang = arena_strdup(c->a, db_rows_text(r, 0, 1));
	db_rows_free(r);

	/* At most one reset email per account per ten minutes. */
	r = db_query(c->db, "SELECT 1 FROM password_resets WHERE user_id = ? AND created_at > ?",
	    DB_I(uid), DB_I(c->now - 600));
	if (r == NULL || db_rows_count(r) > 0) {
		db_rows_free(r);
		return;
	}
	db_rows_free(r);

	token = crypto_token(32);
	crypto_token_hash(token, hash);
	rid = db_insert(c->db, "INSERT INTO password_resets (token_hash, user_id, created_at, "
	    "expires_at) VALUES (?, ?, ?, ?) RETURNING id", DB_T(hash), DB_I(uid), DB_I(c->now),
	    DB_I(c->now + ACCOUNTS_RESET_TTL_S));
	if (rid > 0) {
		snprintf(dedupe, sizeof(dedupe), "reset:%lld", (long long)rid);
		link = arena_printf(c->a, "%s/password/reset?token=%s", c->cfg->public_url, token);
		vars = json_pack("{s:s}", "link", link);
		text = i18n_format(lang, "accounts.email.reset_body", vars);
		jobs_enqueue_email(c->db, norm, i18n_get(lang, "accounts.email.reset_subject"), text,
		    dedupe, uid, c->now);
		free(text);
		json_decref(vars);
	}
	free(token);
}

int
accounts_reset_password(struct ctx *c, const char *token, const char *next,
    struct field_error *fe)
{
	char hash[65];
	struct db_rows *r;
	int64_t rid, uid;
	const char *email;

	if (token == NULL || strlen(token) < 20 || strlen(token) > 100) {
		fe_set(fe, 422, "invalid_token", "token", "accounts.errors.reset_invalid");
		return -1;
	}
	if (next == NULL || password_check_policy(next, strlen(next)) != NULL) {
		fe_set(fe, 422, "invalid_field", "new_password", "accounts.errors.password_policy");
		return -1;
	}
	crypto_token_hash(token, hash);
	r = db_query(c->db, "SELECT r.id, r.user_id, u.email FROM password_resets r JOIN users u "
	    "ON u.id = r.user_id WHERE r.token_hash = ? AND r.used_at IS NULL AND r.expires_at > ?",
	    DB_T(hash), DB_I(c->now));
	if (r == NULL || db_rows_count(r) == 0) {
		db_rows_free(r);
		fe_set(fe, 422, "invalid_token", "token", "accounts.errors.reset_invalid");
		return -1;
	}
	rid = db_rows_int(r, 0, 0);
	uid = db_rows_int(r, 0, 1);
	email = arena_strdup(c->a, db_rows_text(r, 0, 2));
	db_rows_free(r);
	if (db_begin(c->db) == -1)
		goto unavailable;
	/* used_at IS NULL in the WHERE makes a link good exactly once, even under a race. */
	if (db_exec(c->db, "UPDATE password_resets SET used_at = ? WHERE id = ? AND used_at IS NULL",
	    DB_I(c->now), DB_I(rid)) != 1) {
		db_rollback(c->db);
		fe_set(fe, 422, "invalid_token", "token", "accounts.errors.reset_invalid");
		return -1;
	}
	if (set_password(c, uid, next) == -1 || session_end_all(c->db, uid, 0) < 0) {
		db_rollback(c->db);
		goto unavailable;
	}
	if (db_commit(c->db) == -1)
		goto unavailable;
	clear_failures(c, account_key(c, email));
	return 0;
unavailable:
	fe_set(fe, 503, "unavailable", NULL, "errors.503.message");
	return -1;
}

/* ---- two-step sign-in ---- */

int
accounts_totp_setup(struct ctx *c, const char **secret_b32, const char **uri)
{
	unsigned char secret[TOTP_SECRET_BYTES];
	char b32[64], ad[48];
	unsigned char *blob;
	size_t blen;
	struct buf label = BUF_INIT;
	int rc;

	crypto_random(secret, sizeof(secret));
	base32_encode(secret, sizeof(secret), b32);
	snprintf(ad, sizeof(ad), "users.totp:%lld", (long long)c->user->id);
	blob = crypto_seal(secret, sizeof(secret), ad, &blen);
	memset(secret, 0, sizeof(secret));
	rc = db_exec(c->db, "UPDATE users SET totp_secret_enc = ?, totp_enabled = 0, "
	    "totp_last_step = 0 WHERE id = ?", DB_B(blob, blen), DB_I(c->user->id)) == 1 ? 0 : -1;
	free(blob);
	if (rc == -1)
		return -1;
	url_encode(&label, c->user->email ? c->user->email : c->user->display_name,
	    strlen(c->user->email ? c->user->email : c->user->display_name));
	*secret_b32 = arena_strdup(c->a, b32);
	*uri = arena_printf(c->a, "otpauth://totp/Circles:%s?secret=%s&issuer=Circles&digits=6&period=30",
	    label.data ? label.data : "", b32);
	buf_free(&label);
	return 0;
}

int
accounts_totp_enable(struct ctx *c, const char *code, struct field_error *fe)
{
	struct db_rows *r;
	const unsigned char *blob;
	size_t blen;
	bool ok = false;

	r = db_query(c->db, "SELECT totp_secret_enc, totp_last_step FROM users WHERE id = ? AND "
	    "totp_secret_enc IS NOT NULL", DB_I(c->user->id));
	if (r != NULL && db_rows_count(r) > 0) {
		blob = db_rows_blob(r, 0, 0, &blen);
		ok = code != NULL && totp_matches(c, c->user->id, blob, blen, db_rows_int(r, 0, 1),
		    code);
	}
	db_rows_free(r);
	if (!ok) {
		fe_set(fe, 422, "invalid_field", "code", "accounts.errors.code_invalid");
		return -1;
	}
	db_exec(c->db, "UPDATE users SET totp_enabled = 1 WHERE id = ?", DB_I(c->user->id));
	return 0;
}

int
accounts_totp_disable(struct ctx *c, const char *password, struct field_error *fe)
{
	struct db_rows *r;
	bool ok;

	r = db_query(c->db, "SELECT password_hash FROM users WHERE id = ?", DB_I(c->user->id));
	ok = password != NULL && r != NULL && db_rows_count(r) > 0 && !db_rows_isnull(r, 0, 0) &&
	    password_verify(db_rows_text(r, 0, 0), password, strlen(password));
	db_rows_free(r);
	if (!ok) {
		fe_set(fe, 403, "wrong_password", "password", "accounts.errors.wrong_password");
		return -1;
	}
	db_exec(c->db, "UPDATE users SET totp_enabled = 0, totp_secret_enc = NULL, "
	    "totp_last_step = 0 WHERE id = ?", DB_I(c->user->id));
	return 0;
}
