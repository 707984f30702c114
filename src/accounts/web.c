/*
 * web.c: account handlers for the JSON API and for browsers.
 *
 * Both call the same decisions in accounts.c; this file only reads fields
 * and shapes answers.  HTML forms re-render with the error beside its field
 * (and never echo a password back).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accounts/accounts.h"
#include "accounts/roles.h"
#include "accounts/session.h"
#include "accounts/users.h"
#include "app/handlers.h"
#include "base/log.h"
#include "view/view.h"

/* ---- shared helpers ---- */

static void
api_field_error(struct ctx *c, const struct field_error *fe)
{
	respond_error(c, fe->status, fe->code, fe->msg_key, fe->field);
}

static json_t *
session_json(struct ctx *c, const char *csrf, int64_t user_id)
{
	struct user *u = user_load(c->db, c->a, user_id);

	return json_pack("{s:s, s:o}", "csrf_token", csrf, "user", u ? user_to_json(u) : json_null());
}

/* Where to go after signing in: a local path only. */
static const char *
safe_next(const char *next)
{
	if (next == NULL || next[0] != '/' || next[1] == '/' || next[1] == '\\' ||
	    strpbrk(next, "\r\n") != NULL || strncmp(next, "/login", 6) == 0)
		return "/";
	return next;
}

static json_t *
form_page(struct ctx *c, const struct field_error *fe, const char *keep[], size_t nkeep)
{
	json_t *d = json_object(), *vals = json_object(), *errs = json_object();
	size_t i;

	for (i = 0; i < nkeep; i++) {
		const char *v = ctx_field(c, keep[i]);
		if (v != NULL)
			json_object_set_new(vals, keep[i], json_string(v));
	}
	if (fe != NULL) {
		const char *msg = i18n_get(c->lang, fe->msg_key);
		json_object_set_new(d, "error", json_string(msg));
		if (fe->field != NULL)
			json_object_set_new(errs, fe->field, json_string(msg));
	}
	json_object_set_new(d, "values", vals);
	json_object_set_new(d, "errors", errs);
	return d;
}

static void
throttled(struct ctx *c, int64_t retry_after)
{
	char ra[32];

	snprintf(ra, sizeof(ra), "%lld", (long long)(retry_after > 0 ? retry_after : 60));
	http_response_header(c->resp, "Retry-After", ra);
	respond_error(c, 429, "too_many_attempts", "accounts.errors.throttled", NULL);
}

/* ---- API ---- */

void
h_api_session_create(struct ctx *c)
{
	const char *email = ctx_field(c, "email"), *pw = ctx_field(c, "password");
	const char *code = ctx_field(c, "totp"), *csrf;
	int64_t uid, retry;

	if (c->json == NULL) {
		respond_error(c, 400, "malformed_json", "errors.400.message", NULL);
		return;
	}
	if (email == NULL || pw == NULL) {
		respond_error(c, 422, "invalid_field", "accounts.errors.required",
		    email == NULL ? "email" : "password");
		return;
	}
	switch (accounts_authenticate(c, email, pw, code, &uid, &retry)) {
	case AUTH_OK:
		break;
	case AUTH_THROTTLED:
		throttled(c, retry);
		return;
	case AUTH_TOTP_REQUIRED:
		respond_error(c, 401, "totp_required", "accounts.errors.code_required", "totp");
		return;
	case AUTH_TOTP_INVALID:
		respond_error(c, 401, "invalid_totp", "accounts.errors.code_invalid", "totp");
		return;
	case AUTH_DISABLED:
		respond_error(c, 403, "account_disabled", "accounts.errors.disabled", NULL);
		return;
	case AUTH_INVALID:
		respond_error(c, 401, "invalid_credentials", "accounts.errors.invalid", NULL);
		return;
	default:
		respond_error(c, 503, "unavailable", "errors.503.message", NULL);
		return;
	}
	/* A new sign-in replaces whatever session this browser had. */
	if (c->session_id != 0)
		session_end(c);
	if ((csrf = session_start(c, uid, false)) == NULL) {
		respond_error(c, 503, "unavailable", "errors.503.message", NULL);
		return;
	}
	respond_json(c, 200, session_json(c, csrf, uid));
}

void
h_api_session_delete(struct ctx *c)
{
	session_end(c);
	respond_empty(c, 204);
}

void
h_api_me(struct ctx *c)
{
	respond_json(c, 200, user_to_json(c->user));
}

/* Shared by PATCH /api/v1/me and POST /account. */
static int
update_profile(struct ctx *c, struct field_error *fe)
{
	const char *name = ctx_field(c, "display_name"), *lang = ctx_field(c, "lang");
	char *dname = NULL;

	if (name != NULL && (dname = user_normalize_name(c->a, name)) == NULL) {
		*fe = (struct field_error){ 422, "invalid_field", "display_name",
		    "accounts.errors.name_invalid" };
		return -1;
	}
	if (lang != NULL && !i18n_supported(lang)) {
		*fe = (struct field_error){ 422, "invalid_field", "lang", "accounts.errors.lang_invalid" };
		return -1;
	}
	if (db_exec(c->db, "UPDATE users SET display_name = COALESCE(?, display_name), "
	    "lang = COALESCE(?, lang), updated_at = ? WHERE id = ?", DB_T(dname), DB_T(lang),
	    DB_I(c->now), DB_I(c->user->id)) != 1) {
		*fe = (struct field_error){ 503, "unavailable", NULL, "errors.503.message" };
		return -1;
	}
	if (dname)
		c->user->display_name = dname;
	if (lang) {
		c->user->lang = arena_strdup(c->a, lang);
		c->lang = c->user->lang;
		respond_cookie(c, "lang", lang, 365L * 86400, false);
	}
	return 0;
}

void
h_api_me_update(struct ctx *c)
{
	struct field_error fe;

	if (c->json == NULL) {
		respond_error(c, 400, "malformed_json", "errors.400.message", NULL);
		return;
	}
	if (update_profile(c, &fe) == -1) {
		api_field_error(c, &fe);
		return;
	}
	respond_json(c, 200, user_to_json(c->user));
}

void
h_api_register(struct ctx *c)
{
	struct field_error fe;
	int64_t uid;
	const char *csrf;

	if (c->json == NULL) {
		respond_error(c, 400, "malformed_json", "errors.400.message", NULL);
		return;
	}
	if (accounts_register(c, ctx_field(c, "email"), ctx_field(c, "display_name"),
	    ctx_field(c, "password"), ctx_field(c, "invitation"), &uid, &fe) == -1) {
		api_field_error(c, &fe);
		return;
	}
	if (c->session_id != 0)
		session_end(c);
	csrf = session_start(c, uid, false);
	respond_json(c, 201, session_json(c, csrf ? csrf : "", uid));
}

void
h_api_password_change(struct ctx *c)
{
	struct field_error fe;

	if (accounts_change_password(c, ctx_field(c, "current_password"),
	    ctx_field(c, "new_password"), &fe) == -1) {
		api_field_error(c, &fe);
		return;
	}
	respond_empty(c, 204);
}

void
h_api_password_forgot(struct ctx *c)
{
	const char *email = ctx_field(c, "email");

	if (email == NULL) {
		respond_error(c, 422, "invalid_field", "accounts.errors.required", "email");
		return;
	}
	accounts_request_reset(c, email);
	/* The same answer whether or not the address has an account. */
	respond_json(c, 202, json_pack("{s:s}", "status", "sent_if_known"));
}

void
h_api_password_reset(struct ctx *c)
{
	struct field_error fe;

	if (accounts_reset_password(c, ctx_field(c, "token"), ctx_field(c, "new_password"),
	    &fe) == -1) {
		api_field_error(c, &fe);
		return;
	}
	respond_empty(c, 204);
}

static json_t *
sessions_json(struct ctx *c)
{
	struct db_rows *r = db_query(c->db, "SELECT id, created_at, last_seen_at, user_agent "
	    "FROM sessions WHERE user_id = ? AND mfa_pending = 0 ORDER BY last_seen_at DESC",
	    DB_I(c->user->id));
	json_t *arr = json_array();
	size_t i;

	for (i = 0; r != NULL && i < db_rows_count(r); i++)
		json_array_append_new(arr, json_pack("{s:I, s:I, s:I, s:s, s:b}",
		    "id", (json_int_t)db_rows_int(r, i, 0),
		    "created_at", (json_int_t)db_rows_int(r, i, 1),
		    "last_seen_at", (json_int_t)db_rows_int(r, i, 2),
		    "device", db_rows_text(r, i, 3),
		    "current", db_rows_int(r, i, 0) == c->session_id));
	db_rows_free(r);
	return arr;
}

void
h_api_sessions_list(struct ctx *c)
{
	respond_json(c, 200, json_pack("{s:o}", "sessions", sessions_json(c)));
}

void
h_api_sessions_delete_all(struct ctx *c)
{
	session_end_all(c->db, c->user->id, 0);
	respond_cookie(c, SESSION_COOKIE, "", 0, true);
	respond_empty(c, 204);
}

static bool
revoke_one(struct ctx *c)
{
	int64_t id = ctx_param_id(c, 0);

	return id > 0 && db_exec(c->db, "DELETE FROM sessions WHERE id = ? AND user_id = ?",
	    DB_I(id), DB_I(c->user->id)) == 1;
}

void
h_api_session_revoke(struct ctx *c)
{
	if (!revoke_one(c)) {
		respond_error(c, 404, "not_found", NULL, NULL);
		return;
	}
	respond_empty(c, 204);
}

void
h_api_totp_setup(struct ctx *c)
{
	const char *secret, *uri;

	if (accounts_totp_setup(c, &secret, &uri) == -1) {
		respond_error(c, 503, "unavailable", NULL, NULL);
		return;
	}
	respond_json(c, 200, json_pack("{s:s, s:s}", "secret", secret, "otpauth_uri", uri));
}

void
h_api_totp_enable(struct ctx *c)
{
	struct field_error fe;

	if (accounts_totp_enable(c, ctx_field(c, "code"), &fe) == -1) {
		api_field_error(c, &fe);
		return;
	}
	respond_json(c, 200, json_pack("{s:b}", "totp_enabled", 1));
}

void
h_api_totp_disable(struct ctx *c)
{
	struct field_error fe;

	if (accounts_totp_disable(c, ctx_field(c, "password"), &fe) == -1) {
		api_field_error(c, &fe);
		return;
	}
	respond_json(c, 200, json_pack("{s:b}", "totp_enabled", 0));
}

/* ---- pages ---- */

void
h_login_form(struct ctx *c)
{
	json_t *d = json_object();
	const char *next = params_get(&c->query, "next");

	json_object_set_new(d, "next", json_string(safe_next(next)));
	respond_page(c, 200, "accounts/login", "accounts.login.title", d);
}

void
h_login_submit(struct ctx *c)
{
	static const char *keep[] = { "email" };
	const char *email = ctx_field(c, "email"), *pw = ctx_field(c, "password");
	const char *next = safe_next(ctx_field(c, "next"));
	struct field_error fe = { 401, "invalid_credentials", NULL, "accounts.errors.invalid" };
	int64_t uid, retry = 0;
	json_t *d;

	switch (email && pw ? accounts_authenticate(c, email, pw, NULL, &uid, &retry) : AUTH_INVALID) {
	case AUTH_OK:
		if (c->session_id != 0)
			session_end(c);
		session_start(c, uid, false);
		respond_redirect(c, next);
		return;
	case AUTH_TOTP_REQUIRED:
		if (c->session_id != 0)
			session_end(c);
		session_start(c, uid, true);
		respond_redirect(c, arena_printf(c->a, "/login/code?next=%s", next));
		return;
	case AUTH_THROTTLED:
		fe = (struct field_error){ 429, "too_many_attempts", NULL, "accounts.errors.throttled" };
		break;
	case AUTH_DISABLED:
		fe = (struct field_error){ 403, "account_disabled", NULL, "accounts.errors.disabled" };
		break;
	default:
		break;
	}
	d = form_page(c, &fe, keep, 1);
	json_object_set_new(d, "next", json_string(next));
	if (fe.status == 429) {
		char ra[32];
		snprintf(ra, sizeof(ra), "%lld", (long long)(retry > 0 ? retry : 60));
		http_response_header(c->resp, "Retry-After", ra);
	}
	respond_page(c, fe.status, "accounts/login", "accounts.login.title", d);
}

void
h_login_code_form(struct ctx *c)
{
	json_t *d = json_object();

	if (session_pending_user(c) == 0) {
		respond_redirect(c, "/login");
		json_decref(d);
		return;
	}
	json_object_set_new(d, "next", json_string(safe_next(params_get(&c->query, "next"))));
	respond_page(c, 200, "accounts/login_code", "accounts.code.title", d);
}

void
h_login_code_submit(struct ctx *c)
{
	int64_t uid = session_pending_user(c);
	const char *next = safe_next(ctx_field(c, "next"));
	struct field_error fe = { 422, "invalid_field", "code", "accounts.errors.code_invalid" };
	enum auth_result res;
	json_t *d;

	if (uid == 0) {
		respond_redirect(c, "/login");
		return;
	}
	res = accounts_check_totp(c, uid, ctx_field(c, "code"));
	if (res == AUTH_OK) {
		session_complete_mfa(c);
		session_start(c, uid, false);
		respond_redirect(c, next);
		return;
	}
	if (res == AUTH_THROTTLED)
		fe = (struct field_error){ 429, "too_many_attempts", NULL, "accounts.errors.throttled" };
	d = form_page(c, &fe, NULL, 0);
	json_object_set_new(d, "next", json_string(next));
	respond_page(c, fe.status, "accounts/login_code", "accounts.code.title", d);
}

void
h_logout(struct ctx *c)
{
	session_end(c);
	respond_redirect(c, "/");
}

static void
signup_page(struct ctx *c, int status, const struct field_error *fe, const char *invitation)
{
	static const char *keep[] = { "email", "display_name" };
	json_t *d = form_page(c, fe, keep, 2);
	const char *inv_email = NULL, *role = NULL;

	if (invitation != NULL) {
		role = accounts_invitation_role(c, invitation, &inv_email);
		json_object_set_new(d, "invitation", json_string(invitation));
		if (role != NULL) {
			char key[64];
			snprintf(key, sizeof(key), "roles.%s", role);
			json_object_set_new(d, "invited_role", json_string(i18n_get(c->lang, key)));
			if (inv_email != NULL && json_object_get(json_object_get(d, "values"), "email") == NULL)
				json_object_set_new(json_object_get(d, "values"), "email",
				    json_string(inv_email));
		}
	}
	json_object_set_new(d, "invite_only", json_boolean(c->cfg->registration ==
	    REGISTRATION_INVITE && invitation == NULL));
	respond_page(c, status, "accounts/signup", "accounts.signup.title", d);
}

void
h_signup_form(struct ctx *c)
{
	signup_page(c, 200, NULL, params_get(&c->query, "invitation"));
}

void
h_invite_accept_form(struct ctx *c)
{
	const char *token = c->param[0];

	if (accounts_invitation_role(c, token, NULL) == NULL) {
		struct field_error fe = { 404, "invalid_invitation", NULL,
		    "accounts.errors.invitation_invalid" };
		signup_page(c, 404, &fe, NULL);
		return;
	}
	signup_page(c, 200, NULL, token);
}

void
h_signup_submit(struct ctx *c)
{
	struct field_error fe;
	int64_t uid;
	const char *inv = ctx_field(c, "invitation");

	if (inv != NULL && *inv == '\0')
		inv = NULL;
	if (accounts_register(c, ctx_field(c, "email"), ctx_field(c, "display_name"),
	    ctx_field(c, "password"), inv, &uid, &fe) == -1) {
		signup_page(c, fe.status, &fe, inv);
		return;
	}
	if (c->session_id != 0)
		session_end(c);
	session_start(c, uid, false);
	respond_redirect(c, "/?notice=welcome");
}

void
h_forgot_form(struct ctx *c)
{
	respond_page(c, 200, "accounts/forgot", "accounts.forgot.title", NULL);
}

void
h_forgot_submit(struct ctx *c)
{
	const char *email = ctx_field(c, "email");
	json_t *d = json_object();

	if (email != NULL)
		accounts_request_reset(c, email);
	json_object_set_new(d, "sent", json_true());
	json_object_set_new(d, "notice", json_string(i18n_get(c->lang, "accounts.forgot.sent")));
	respond_page(c, 200, "accounts/forgot", "accounts.forgot.title", d);
}

void
h_reset_form(struct ctx *c)
{
	json_t *d = json_object();
	const char *token = params_get(&c->query, "token");

	json_object_set_new(d, "token", json_string(token ? token : ""));
	respond_page(c, 200, "accounts/reset", "accounts.reset.title", d);
}

void
h_reset_submit(struct ctx *c)
{
	struct field_error fe;
	const char *token = ctx_field(c, "token");
	json_t *d;

	if (accounts_reset_password(c, token, ctx_field(c, "new_password"), &fe) == -1) {
		d = form_page(c, &fe, NULL, 0);
		json_object_set_new(d, "token", json_string(token ? token : ""));
		respond_page(c, fe.status, "accounts/reset", "accounts.reset.title", d);
		return;
	}
	respond_redirect(c, "/login?notice=password_reset");
}

static void
account_page(struct ctx *c, int status, const struct field_error *fe, json_t *extra)
{
	json_t *d = form_page(c, fe, NULL, 0), *sessions = sessions_json(c), *langs = json_array();
	const char *const *l;
	size_t i;
	json_t *s;

	json_array_foreach(sessions, i, s) {
		time_t t = (time_t)json_integer_value(json_object_get(s, "last_seen_at"));
		struct tm tm;
		char iso[32], text[32];

		gmtime_r(&t, &tm);
		strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%SZ", &tm);
		strftime(text, sizeof(text), "%Y-%m-%d %H:%M UTC", &tm);
		json_object_set_new(s, "last_seen_iso", json_string(iso));
		json_object_set_new(s, "last_seen_text", json_string(text));
	}
	for (l = i18n_languages(); *l; l++) {
		char key[32];
		snprintf(key, sizeof(key), "lang.%s", *l);
		json_array_append_new(langs, json_pack("{s:s, s:s, s:b}", "code", *l, "name",
		    i18n_get(*l, key), "selected", strcmp(*l, c->user->lang) == 0));
	}
	json_object_set_new(d, "profile", json_pack("{s:s, s:s?}", "display_name",
	    c->user->display_name, "email", c->user->email));
	json_object_set_new(d, "profile_langs", langs);
	json_object_set_new(d, "sessions", sessions);
	json_object_set_new(d, "can_totp", json_boolean(c->user->roles & ROLE_TOTP_ELIGIBLE));
	json_object_set_new(d, "totp_enabled", json_boolean(c->user->totp_enabled));
	if (extra != NULL) {
		json_object_update(d, extra);
		json_decref(extra);
	}
	respond_page(c, status, "accounts/account", "accounts.account.title", d);
}

void
h_account(struct ctx *c)
{
	account_page(c, 200, NULL, NULL);
}

void
h_account_update(struct ctx *c)
{
	struct field_error fe;

	if (update_profile(c, &fe) == -1) {
		account_page(c, fe.status, &fe, NULL);
		return;
	}
	respond_redirect(c, "/account?notice=profile_saved");
}

void
h_account_password(struct ctx *c)
{
	struct field_error fe;

	if (accounts_change_password(c, ctx_field(c, "current_password"),
	    ctx_field(c, "new_password"), &fe) == -1) {
		account_page(c, fe.status, &fe, NULL);
		return;
	}
	respond_redirect(c, "/account?notice=password_changed");
}

void
h_account_sessions_revoke_all(struct ctx *c)
{
	session_end_all(c->db, c->user->id, 0);
	respond_cookie(c, SESSION_COOKIE, "", 0, true);
	respond_redirect(c, "/login?notice=signed_out_everywhere");
}

void
h_account_session_revoke(struct ctx *c)
{
	if (!revoke_one(c)) {
		respond_error(c, 404, "not_found", NULL, NULL);
		return;
	}
	respond_redirect(c, "/account?notice=session_ended");
}

void
h_account_totp_setup(struct ctx *c)
{
	const char *secret, *uri;

	if (accounts_totp_setup(c, &secret, &uri) == -1) {
		respond_error(c, 503, "unavailable", NULL, NULL);
		return;
	}
	account_page(c, 200, NULL, json_pack("{s:s, s:s}", "totp_secret", secret, "totp_uri", uri));
}

void
h_account_totp_enable(struct ctx *c)
{
	struct field_error fe;

	if (accounts_totp_enable(c, ctx_field(c, "code"), &fe) == -1) {
		account_page(c, fe.status, &fe, NULL);
		return;
	}
	respond_redirect(c, "/account?notice=totp_enabled");
}

void
h_account_totp_disable(struct ctx *c)
{
	struct field_error fe;

	if (accounts_totp_disable(c, ctx_field(c, "password"), &fe) == -1) {
		account_page(c, fe.status, &fe, NULL);
		return;
	}
	respond_redirect(c, "/account?notice=totp_disabled");
}
