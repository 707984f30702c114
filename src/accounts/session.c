/*
 * session.c: sessions stored by token hash, with idle and absolute expiry.
 *
 * last_seen_at is refreshed at most once a minute per session, so a busy
 * page does not turn every read into a write.
 */
#include "accounts/session.h"

#include <stdlib.h>
#include <string.h>

#include "accounts/users.h"
#include "base/log.h"
#include "http/params.h"
#include "privacy/crypto.h"

#define SESSION_TOUCH_EVERY	60

static const char *
cookie_token(struct ctx *c)
{
	const char *t = params_get(&c->cookies, SESSION_COOKIE);

	if (t == NULL || strlen(t) < 20 || strlen(t) > 100)
		return NULL;
	return t;
}

void
session_load(struct ctx *c)
{
	const char *token = cookie_token(c);
	char hash[65];
	struct db_rows *r;
	int64_t sid, uid, created, seen;
	bool pending;

	if (token == NULL)
		return;
	crypto_token_hash(token, hash);
	r = db_query(c->db, "SELECT s.id, s.user_id, s.csrf_token, s.created_at, s.last_seen_at, "
	    "s.mfa_pending FROM sessions s JOIN users u ON u.id = s.user_id "
	    "WHERE s.token_hash = ? AND u.disabled = 0", DB_T(hash));
	if (r == NULL || db_rows_count(r) == 0) {
		db_rows_free(r);
		return;
	}
	sid = db_rows_int(r, 0, 0);
	uid = db_rows_int(r, 0, 1);
	created = db_rows_int(r, 0, 3);
	seen = db_rows_int(r, 0, 4);
	pending = db_rows_int(r, 0, 5) != 0;
	if (c->now - seen > c->cfg->session_idle_s ||
	    c->now - created > c->cfg->session_absolute_s) {
		db_rows_free(r);
		db_exec(c->db, "DELETE FROM sessions WHERE id = ?", DB_I(sid));
		return;
	}
	if (pending) {
		db_rows_free(r);
		return;
	}
	c->csrf_token = arena_strdup(c->a, db_rows_text(r, 0, 2));
	db_rows_free(r);
	c->user = user_load(c->db, c->a, uid);
	if (c->user == NULL) {
		c->csrf_token = NULL;
		return;
	}
	c->session_id = sid;
	/* A page's background poll is not the person doing anything (ctx.h). */
	if (c->now - seen >= SESSION_TOUCH_EVERY && !c->background)
		db_exec(c->db, "UPDATE sessions SET last_seen_at = ? WHERE id = ?", DB_I(c->now),
		    DB_I(sid));
}

const char *
session_start(struct ctx *c, int64_t user_id, bool mfa_pending)
{
	char *token = crypto_token(32), *csrf = crypto_token(24);
	char hash[65];
	const char *ua = ctx_header(c, "user-agent");
	char uabuf[128];
	const char *out = NULL;
	int64_t id;

	/* Keep a short, printable user agent so people recognise their devices. */
	snprintf(uabuf, sizeof(uabuf), "%s", ua ? ua : "");
	for (char *p = uabuf; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			*p = '?';
	crypto_token_hash(token, hash);
	id = db_insert(c->db, "INSERT INTO sessions (token_hash, user_id, csrf_token, user_agent, "
	    "mfa_pending, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
	    "RETURNING id", DB_T(hash), DB_I(user_id), DB_T(csrf), DB_T(uabuf),
	    DB_I(mfa_pending ? 1 : 0), DB_I(c->now), DB_I(c->now),
	    DB_I(c->now + c->cfg->session_absolute_s));
	if (id <= 0)
		log_warnx("session insert failed: %s", db_errmsg(c->db));
	if (id > 0) {
		respond_cookie(c, SESSION_COOKIE, token, -1, true);
		out = arena_strdup(c->a, csrf);
		if (!mfa_pending) {
			c->session_id = id;
			c->csrf_token = out;
		}
	}
	free(token);
	free(csrf);
	return out;
}

int64_t
session_pending_user(struct ctx *c)
{
	const char *token = cookie_token(c);
	char hash[65];
	struct db_rows *r;
	int64_t uid = 0;

	if (token == NULL)
		return 0;
	crypto_token_hash(token, hash);
	r = db_query(c->db, "SELECT user_id, created_at FROM sessions WHERE token_hash = ? AND "
	    "mfa_pending = 1", DB_T(hash));
	/* A half-done two-step sign-in is good for five minutes. */
	if (r != NULL && db_rows_count(r) > 0 && c->now - db_rows_int(r, 0, 1) <= 300)
		uid = db_rows_int(r, 0, 0);
	db_rows_free(r);
	return uid;
}

int
session_complete_mfa(struct ctx *c)
{
	const char *token = cookie_token(c);
	char hash[65];

	if (token == NULL)
		return -1;
	crypto_token_hash(token, hash);
	/* A fresh token after the second step, so the first-step cookie is worthless. */
	db_exec(c->db, "DELETE FROM sessions WHERE token_hash = ?", DB_T(hash));
	return 0;
}

void
session_end(struct ctx *c)
{
	const char *token = cookie_token(c);
	char hash[65];

	if (token != NULL) {
		crypto_token_hash(token, hash);
		db_exec(c->db, "DELETE FROM sessions WHERE token_hash = ?", DB_T(hash));
	}
	respond_cookie(c, SESSION_COOKIE, "", 0, true);
}

int64_t
session_end_all(struct db *db, int64_t user_id, int64_t keep_id)
{
	return db_exec(db, "DELETE FROM sessions WHERE user_id = ? AND id <> ?", DB_I(user_id),
	    DB_I(keep_id));
}
