/*
 * web.c: the privacy pages and API: consents, "who saw my data", the
 * export and deleting one's account.
 *
 * Handlers are thin: parse and check input, call consent.c / audit.c /
 * export.c, render.  The API and the HTML forms share the validation
 * (parse_consent) and the account deletion (delete_account) so both give
 * the same answers; they differ only in how they report.
 *
 * HTML forms answer by rendering the page again: with a notice after a
 * change, or with the error beside its field (422) and what was typed
 * kept.  Another member's data answers 404, as if it did not exist.
 */
#include "app/handlers.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accounts/accounts.h"
#include "accounts/password.h"
#include "accounts/roles.h"
#include "accounts/session.h"
#include "accounts/users.h"
#include "base/log.h"
#include "http/params.h"
#include "privacy/audit.h"
#include "privacy/consent.h"
#include "privacy/export.h"
#include "view/view.h"

#define AUDIT_PAGE_DEFAULT	50
#define AUDIT_PAGE_MAX		200
#define GRANTEES_API_MAX	20
#define GRANTEES_PAGE_MAX	100
#define SEARCH_MAX		100

/* ---- small helpers ---- */

static const char *const month_keys[12] = {
	"january", "february", "march", "april", "may", "june", "july", "august",
	"september", "october", "november", "december",
};

/* "3 March 2026" or "3 March 2026, 14:05 UTC" in the request's language. */
static const char *
format_time(struct ctx *c, int64_t t, bool with_time)
{
	struct tm tm;
	time_t tt = (time_t)t;
	char hm[8];

	if (gmtime_r(&tt, &tm) == NULL)
		return "";
	snprintf(hm, sizeof(hm), "%02d:%02d", tm.tm_hour, tm.tm_min);
	return ctx_tr(c, with_time ? "privacy.date.datetime" : "privacy.date.date",
	    json_pack("{s:i, s:s, s:i, s:s}", "day", tm.tm_mday,
	    "month", ctx_trk(c, "privacy.date.months.%s", month_keys[tm.tm_mon]),
	    "year", tm.tm_year + 1900, "time", hm));
}

static const char *
category_name(struct ctx *c, const char *cat)
{
	return ctx_trk(c, "privacy.categories.%s.name", cat);
}

/*
 * An id from a JSON integer or a form string of digits.  1 with *out set,
 * 0 when absent, empty or null, -1 when malformed.
 */
static int
field_id(struct ctx *c, const char *name, int64_t *out)
{
	uint64_t v;

	*out = 0;
	if (c->json != NULL) {
		json_t *j = json_object_get(c->json, name);

		if (j == NULL || json_is_null(j))
			return 0;
		if (!json_is_integer(j) || json_integer_value(j) <= 0)
			return -1;
		*out = json_integer_value(j);
		return 1;
	}
	{
		const char *s = params_get(&c->form, name);

		if (s == NULL || *s == '\0')
			return 0;
		if (!str_to_u64(str_c(s), INT64_MAX, &v) || v == 0)
			return -1;
		*out = (int64_t)v;
		return 1;
	}
}

/* A positive integer query parameter, at most max; def when absent or malformed. */
static int64_t
query_int(struct ctx *c, const char *name, int64_t def, int64_t max)
{
	const char *s = params_get(&c->query, name);
	uint64_t v;

	if (s == NULL || !str_to_u64(str_c(s), UINT64_MAX, &v) || v == 0)
		return def;
	return v > (uint64_t)max ? max : (int64_t)v;
}

/* Trimmed text of a field, or NULL when absent. */
static const char *
field_trimmed(struct ctx *c, const char *name)
{
	const char *s = ctx_field(c, name);

	if (s == NULL)
		return NULL;
	return arena_cstr(c->a, str_trim(str_c(s)));
}

/* ---- grantees: the people and organisations a member may share with ---- */

static json_t *
grantee_people(struct ctx *c, const char *q, int limit)
{
	struct db_rows *r;
	json_t *a;
	size_t i;

	r = db_query(c->db, "SELECT u.id, u.display_name FROM users u WHERE u.disabled = 0 "
	    "AND u.id <> ? AND (EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND "
	    "r.role IN ('peer_supporter', 'facilitator', 'coordinator', 'clinician')) "
	    "OR u.chapter_id = ?) AND LOWER(u.display_name) LIKE ? ESCAPE '\\' "
	    "ORDER BY LOWER(u.display_name), u.id LIMIT ?",
	    DB_I(c->user->id), DB_I(c->user->chapter_id > 0 ? c->user->chapter_id : -1),
	    DB_T(db_like_contains(c->a, q)), DB_I(limit));
	if (r == NULL)
		return NULL;
	a = json_array();
	for (i = 0; i < db_rows_count(r); i++)
		json_array_append_new(a, json_pack("{s:I, s:s}",
		    "id", (json_int_t)db_rows_int(r, i, 0), "display_name", db_rows_text(r, i, 1)));
	db_rows_free(r);
	return a;
}

static json_t *
grantee_orgs(struct ctx *c, const char *q, int limit)
{
	struct db_rows *r;
	json_t *a;
	size_t i;

	r = db_query(c->db, "SELECT id, name FROM organizations WHERE LOWER(name) LIKE ? "
	    "ESCAPE '\\' ORDER BY LOWER(name), id LIMIT ?", DB_T(db_like_contains(c->a, q)),
	    DB_I(limit));
	if (r == NULL)
		return NULL;
	a = json_array();
	for (i = 0; i < db_rows_count(r); i++)
		json_array_append_new(a, json_pack("{s:I, s:s}",
		    "id", (json_int_t)db_rows_int(r, i, 0), "name", db_rows_text(r, i, 1)));
	db_rows_free(r);
	return a;
}

/* Name of an enabled person or an organisation, or NULL if there is none. */
static const char *
grantee_name(struct ctx *c, int64_t user_id, int64_t org_id)
{
	struct db_rows *r;
	const char *name = NULL;

	if (user_id > 0)
		r = db_query(c->db, "SELECT display_name FROM users WHERE id = ? AND disabled = 0",
		    DB_I(user_id));
	else
		r = db_query(c->db, "SELECT name FROM organizations WHERE id = ?", DB_I(org_id));
	if (r != NULL && db_rows_count(r) > 0)
		name = arena_strdup(c->a, db_rows_text(r, 0, 0));
	db_rows_free(r);
	return name;
}

/* ---- creating a consent: one validation for the API and the form ---- */

struct consent_input {
	int64_t		 user_id;
	int64_t		 org_id;
	const char	*category;
	const char	*purpose;
	int64_t		 expires_at;	/* 0: until revoked */
	const char	*grantee_name;
};

enum check { CHECK_OK, CHECK_INVALID, CHECK_NO_GRANTEE };

/* "2026-03-31" as the first second after that day (UTC), or -1. */
static int64_t
parse_until(const char *s)
{
	struct tm tm;
	int y, m, d;
	char tail;
	time_t t;

	if (s == NULL || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
		return -1;
	if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	t = timegm(&tm);
	if (t == (time_t)-1 || tm.tm_mday != d || tm.tm_mon != m - 1)
		return -1;	/* 31 April rolled over */
	return (int64_t)t + 86400;
}

static bool
purpose_ok(const char *p)
{
	size_t i, len = strlen(p);

	if (len == 0 || len > CONSENT_PURPOSE_MAX || !utf8_valid(p, len))
		return false;
	for (i = 0; i < len; i++)
		if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f)
			return false;
	return true;
}

/*
 * Read and check a new consent.  On CHECK_INVALID, *field names the
 * field and *msg_key the message.
 */
static enum check
parse_consent(struct ctx *c, struct consent_input *in, const char **field, const char **msg_key)
{
	int ru, ro;

	memset(in, 0, sizeof(*in));
	*field = NULL;
	*msg_key = NULL;

	if (c->json != NULL) {
		json_t *e = json_object_get(c->json, "expires_at");

		ru = field_id(c, "grantee_user_id", &in->user_id);
		ro = field_id(c, "grantee_org_id", &in->org_id);
		if (e != NULL && !json_is_null(e)) {
			if (!json_is_integer(e) || json_integer_value(e) <= 0) {
				*field = "expires_at";
				*msg_key = "privacy.errors.until_format";
				return CHECK_INVALID;
			}
			in->expires_at = json_integer_value(e);
		}
	} else {
		/* The form's select says "u:ID" or "o:ID". */
		const char *g = ctx_field(c, "grantee");
		const char *until = field_trimmed(c, "until");
		uint64_t v;

		ru = ro = 0;
		if (g != NULL && (g[0] == 'u' || g[0] == 'o') && g[1] == ':' &&
		    str_to_u64(str_c(g + 2), INT64_MAX, &v) && v > 0) {
			if (g[0] == 'u') {
				in->user_id = (int64_t)v;
				ru = 1;
			} else {
				in->org_id = (int64_t)v;
				ro = 1;
			}
		} else if (g != NULL && *g != '\0') {
			ru = -1;
		}
		if (until != NULL && *until != '\0') {
			if ((in->expires_at = parse_until(until)) < 0) {
				*field = "until";
				*msg_key = "privacy.errors.until_format";
				return CHECK_INVALID;
			}
		}
	}
	if (ru < 0 || ro < 0 || (ru == 1) == (ro == 1)) {
		*field = c->json ? (ro < 0 ? "grantee_org_id" : "grantee_user_id") : "grantee";
		*msg_key = "privacy.errors.grantee";
		return CHECK_INVALID;
	}
	in->category = ctx_field(c, "category");
	if (!consent_category_valid(in->category)) {
		*field = "category";
		*msg_key = "privacy.errors.category";
		return CHECK_INVALID;
	}
	in->purpose = field_trimmed(c, "purpose");
	if (in->purpose == NULL || !purpose_ok(in->purpose)) {
		*field = "purpose";
		*msg_key = "privacy.errors.purpose";
		return CHECK_INVALID;
	}
	if (in->expires_at != 0 && in->expires_at <= c->now) {
		*field = c->json ? "expires_at" : "until";
		*msg_key = "privacy.errors.until_past";
		return CHECK_INVALID;
	}
	if (in->user_id == c->user->id) {
		*field = c->json ? "grantee_user_id" : "grantee";
		*msg_key = "privacy.errors.grantee_self";
		return CHECK_INVALID;
	}
	in->grantee_name = grantee_name(c, in->user_id, in->org_id);
	if (in->grantee_name == NULL)
		return CHECK_NO_GRANTEE;
	return CHECK_OK;
}

/* ---- deleting one's account ---- */

enum delete_result { DELETE_OK, DELETE_NO_PASSWORD, DELETE_WRONG_PASSWORD, DELETE_THROTTLED,
	DELETE_LAST_ADMIN, DELETE_ERROR };

/*
 * Is password the signed-in person's?  Through accounts_authenticate when
 * they have an email, so wrong guesses here count towards the same
 * sign-in throttle: a stolen session cannot be used to try passwords.
 */
static enum delete_result
check_password(struct ctx *c, const char *password)
{
	struct db_rows *r;
	int64_t uid, retry;
	bool ok;

	if (strlen(password) > PASSWORD_MAX_LEN)
		return DELETE_WRONG_PASSWORD;
	if (c->user->email != NULL) {
		switch (accounts_authenticate(c, c->user->email, password, NULL, &uid, &retry)) {
		case AUTH_OK:
		case AUTH_TOTP_REQUIRED:	/* the password was right */
			return uid == c->user->id ? DELETE_OK : DELETE_WRONG_PASSWORD;
		case AUTH_THROTTLED:
			if (retry > 0)
				http_response_header(c->resp, "Retry-After",
				    arena_printf(c->a, "%" PRId64, retry));
			return DELETE_THROTTLED;
		case AUTH_ERROR:
			return DELETE_ERROR;
		default:
			return DELETE_WRONG_PASSWORD;
		}
	}
	r = db_query(c->db, "SELECT password_hash FROM users WHERE id = ?", DB_I(c->user->id));
	if (r == NULL)
		return DELETE_ERROR;
	ok = db_rows_count(r) > 0 && !db_rows_isnull(r, 0, 0) &&
	    password_verify(db_rows_text(r, 0, 0), password, strlen(password));
	db_rows_free(r);
	return ok ? DELETE_OK : DELETE_WRONG_PASSWORD;
}

/*
 * Check the password, record "account.delete", then delete the person.
 * Sessions, roles and consents go with them (ON DELETE CASCADE); audit
 * rows stay, naming a pseudonym that no longer maps to anyone.
 */
static enum delete_result
delete_account(struct ctx *c, const char *password)
{
	enum delete_result pw;
	struct db_rows *r;
	bool ok;

	if (password == NULL || *password == '\0')
		return DELETE_NO_PASSWORD;
	if ((pw = check_password(c, password)) != DELETE_OK)
		return pw;

	/* The network must keep someone who can administer it. */
	if (c->user->roles & ROLE_ADMIN) {
		r = db_query(c->db, "SELECT COUNT(*) FROM user_roles ur JOIN users u ON "
		    "u.id = ur.user_id WHERE ur.role = 'admin' AND u.disabled = 0 AND u.id <> ?",
		    DB_I(c->user->id));
		if (r == NULL)
			return DELETE_ERROR;
		ok = db_rows_int(r, 0, 0) > 0;
		db_rows_free(r);
		if (!ok)
			return DELETE_LAST_ADMIN;
	}

	if (audit_record(c->db, c->now, c->user->pseudonym, c->user->pseudonym,
	    "account.delete", NULL, NULL) == -1)
		return DELETE_ERROR;
	if (db_begin(c->db) == -1 ||
	    db_exec(c->db, "DELETE FROM users WHERE id = ?", DB_I(c->user->id)) != 1 ||
	    db_commit(c->db) == -1) {
		log_warnx("privacy: deleting account %" PRId64 " failed: %s", c->user->id,
		    db_errmsg(c->db));
		db_rollback(c->db);
		return DELETE_ERROR;
	}
	log_info("privacy: account %" PRId64 " deleted by its owner", c->user->id);
	respond_cookie(c, SESSION_COOKIE, "", 0, true);
	c->user = NULL;
	c->csrf_token = NULL;
	c->session_id = 0;
	return DELETE_OK;
}

/* ---- API ---- */

void
h_api_consents_list(struct ctx *c)
{
	json_t *given = privacy_consents_json(c->db, c->user, true, false, c->now);
	json_t *received = privacy_consents_json(c->db, c->user, false, true, c->now);

	if (given == NULL || received == NULL) {
		json_decref(given);
		json_decref(received);
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	respond_json(c, 200, json_pack("{s:o, s:o}", "given", given, "received", received));
}

void
h_api_consent_create(struct ctx *c)
{
	struct consent_input in;
	const char *field, *msg;
	json_t *consent;
	int64_t id;

	switch (parse_consent(c, &in, &field, &msg)) {
	case CHECK_OK:
		break;
	case CHECK_INVALID:
		respond_error(c, 422, "invalid_field", msg, field);
		return;
	case CHECK_NO_GRANTEE:
		respond_error(c, 404, "grantee_not_found", "privacy.errors.grantee_missing",
		    in.org_id ? "grantee_org_id" : "grantee_user_id");
		return;
	}
	id = consent_grant(c->db, c->user, in.user_id, in.org_id, in.category, in.purpose,
	    in.expires_at, c->now);
	if (id <= 0) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	consent = json_pack("{s:I, s:{s:s, s:I, s:s}, s:s, s:s, s:I, s:o, s:n, s:b}",
	    "id", (json_int_t)id,
	    "grantee", "type", in.user_id ? "user" : "organization",
	    "id", (json_int_t)(in.user_id ? in.user_id : in.org_id), "name", in.grantee_name,
	    "category", in.category, "purpose", in.purpose,
	    "created_at", (json_int_t)c->now,
	    "expires_at", in.expires_at ? json_integer(in.expires_at) : json_null(),
	    "revoked_at", "active", 1);
	respond_json(c, 201, consent);
}

void
h_api_consent_revoke(struct ctx *c)
{
	switch (consent_revoke(c->db, c->user, ctx_param_id(c, 0), c->now)) {
	case 0:
		respond_empty(c, 204);
		break;
	case 1:
		respond_error(c, 404, "not_found", NULL, NULL);
		break;
	default:
		respond_error(c, 500, "internal", NULL, NULL);
		break;
	}
}

void
h_api_audit(struct ctx *c)
{
	int64_t before = query_int(c, "before", 0, INT64_MAX);
	int limit = (int)query_int(c, "limit", AUDIT_PAGE_DEFAULT, AUDIT_PAGE_MAX);
	json_t *entries, *next = json_null();
	size_t n;

	entries = privacy_audit_json(c->db, c->user, c->lang, before, limit);
	if (entries == NULL) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	n = json_array_size(entries);
	if (n == (size_t)limit)
		next = json_integer(json_integer_value(json_object_get(
		    json_array_get(entries, n - 1), "id")));
	respond_json(c, 200, json_pack("{s:o, s:o}", "entries", entries, "next_before", next));
}

void
h_api_audit_verify(struct ctx *c)
{
	int64_t n = audit_verify(c->db);

	if (n == AUDIT_VERIFY_FAILED)
		respond_error(c, 500, "internal", NULL, NULL);
	else if (n < 0)
		respond_json(c, 200, json_pack("{s:b, s:I}", "ok", 0, "broken_at", (json_int_t)-n));
	else
		respond_json(c, 200, json_pack("{s:b, s:I}", "ok", 1, "rows", (json_int_t)n));
}

static void
send_export(struct ctx *c)
{
	json_t *doc;

	/* Recorded first, so the copy itself shows that it was taken. */
	if (audit_record(c->db, c->now, c->user->pseudonym, c->user->pseudonym, "data.export",
	    NULL, NULL) == -1 || (doc = privacy_export(c->db, c->user, c->now)) == NULL) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	respond_json(c, 200, doc);
	http_response_header(c->resp, "Content-Disposition",
	    "attachment; filename=\"circles-export.json\"");
}

void
h_api_export(struct ctx *c)
{
	send_export(c);
}

void
h_api_me_delete(struct ctx *c)
{
	switch (delete_account(c, ctx_field(c, "password"))) {
	case DELETE_OK:
		respond_empty(c, 204);
		break;
	case DELETE_NO_PASSWORD:
		respond_error(c, 422, "invalid_field", "privacy.errors.password_missing",
		    "password");
		break;
	case DELETE_WRONG_PASSWORD:
		respond_error(c, 403, "wrong_password", "privacy.errors.wrong_password",
		    "password");
		break;
	case DELETE_THROTTLED:
		respond_error(c, 429, "throttled", "privacy.errors.throttled", "password");
		break;
	case DELETE_LAST_ADMIN:
		respond_error(c, 409, "last_admin", "privacy.errors.last_admin", NULL);
		break;
	case DELETE_ERROR:
		respond_error(c, 500, "internal", NULL, NULL);
		break;
	}
}

void
h_api_member_contact(struct ctx *c)
{
	int64_t id = ctx_param_id(c, 0);
	struct user *m;
	const char *object;

	m = id > 0 ? user_load(c->db, c->a, id) : NULL;
	object = arena_printf(c->a, "contact:%" PRId64, id);
	if (m == NULL || !privacy_read(c, id, CONSENT_CONTACT, object)) {
		respond_error(c, 404, "not_found", NULL, NULL);
		return;
	}
	respond_json(c, 200, json_pack("{s:I, s:s, s:s?}", "id", (json_int_t)m->id,
	    "display_name", m->display_name, "email", m->email));
}

void
h_api_grantees(struct ctx *c)
{
	const char *q = params_get(&c->query, "q");
	json_t *people, *orgs;

	if (q != NULL && strlen(q) > SEARCH_MAX) {
		respond_error(c, 422, "invalid_field", "privacy.errors.search", "q");
		return;
	}
	people = grantee_people(c, q, GRANTEES_API_MAX);
	orgs = grantee_orgs(c, q, GRANTEES_API_MAX);
	if (people == NULL || orgs == NULL) {
		json_decref(people);
		json_decref(orgs);
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	respond_json(c, 200, json_pack("{s:o, s:o}", "people", people, "organizations", orgs));
}

/* ---- HTML ---- */

static json_t *
category_options(struct ctx *c, const char *selected)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; consent_categories[i] != NULL; i++) {
		const char *cat = consent_categories[i];

		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:b}", "value", cat,
		    "name", category_name(c, cat),
		    "about", ctx_trk(c, "privacy.categories.%s.about", cat),
		    "selected", selected != NULL && strcmp(selected, cat) == 0));
	}
	return a;
}

/* Rows of the "shared by you" and "shared with you" tables, in words. */
static bool
add_consent_rows(struct ctx *c, json_t *data)
{
	json_t *given = privacy_consents_json(c->db, c->user, true, false, c->now);
	json_t *received = privacy_consents_json(c->db, c->user, false, true, c->now);
	json_t *active, *past, *recv, *v;
	size_t i;

	if (given == NULL || received == NULL) {
		json_decref(given);
		json_decref(received);
		return false;
	}
	active = json_array();
	past = json_array();
	recv = json_array();
	json_array_foreach(given, i, v) {
		const char *cat = json_string_value(json_object_get(v, "category"));
		json_t *g = json_object_get(v, "grantee");
		json_t *exp = json_object_get(v, "expires_at"), *rev = json_object_get(v, "revoked_at");
		json_t *row = json_pack("{s:I, s:s, s:s, s:s, s:s}",
		    "id", json_integer_value(json_object_get(v, "id")),
		    "category_name", category_name(c, cat),
		    "grantee_name", json_string_value(json_object_get(g, "name")),
		    "purpose", json_string_value(json_object_get(v, "purpose")),
		    "since", format_time(c, json_integer_value(json_object_get(v, "created_at")),
		    false));

		json_object_set_new(row, "is_org", json_boolean(strcmp(json_string_value(
		    json_object_get(g, "type")), "organization") == 0));
		if (json_is_true(json_object_get(v, "active"))) {
			json_object_set_new(row, "until", json_string(json_is_integer(exp) ?
			    format_time(c, json_integer_value(exp) - 1, false) :
			    i18n_get(c->lang, "privacy.given.until_revoked")));
			json_object_set_new(row, "revoke_context", json_string(ctx_tr(c,
			    "privacy.given.revoke_context", json_pack("{s:s, s:s}",
			    "category", category_name(c, cat), "name",
			    json_string_value(json_object_get(g, "name"))))));
			json_array_append_new(active, row);
		} else {
			bool revoked = json_is_integer(rev);
			json_object_set_new(row, "ended", json_string(ctx_tr(c, revoked ?
			    "privacy.past.revoked_on" : "privacy.past.expired_on",
			    json_pack("{s:s}", "date", format_time(c, revoked ?
			    json_integer_value(rev) : json_integer_value(exp) - 1, false)))));
			json_array_append_new(past, row);
		}
	}
	json_array_foreach(received, i, v) {
		const char *cat = json_string_value(json_object_get(v, "category"));
		json_t *exp = json_object_get(v, "expires_at");

		json_array_append_new(recv, json_pack("{s:s, s:s, s:s, s:s, s:b}",
		    "member_name", json_string_value(json_object_get(json_object_get(v, "member"),
		    "name")),
		    "category_name", category_name(c, cat),
		    "purpose", json_string_value(json_object_get(v, "purpose")),
		    "until", json_is_integer(exp) ? format_time(c, json_integer_value(exp) - 1,
		    false) : i18n_get(c->lang, "privacy.given.until_revoked"),
		    "via_org", strcmp(json_string_value(json_object_get(v, "via")),
		    "organization") == 0));
	}
	json_decref(given);
	json_decref(received);
	json_object_set_new(data, "has_active", json_boolean(json_array_size(active) > 0));
	json_object_set_new(data, "has_past", json_boolean(json_array_size(past) > 0));
	json_object_set_new(data, "has_received", json_boolean(json_array_size(recv) > 0));
	json_object_set_new(data, "active", active);
	json_object_set_new(data, "past", past);
	json_object_set_new(data, "received", recv);
	return true;
}

/* Options of the grantee select; an unreadable list shows as empty. */
static json_t *
grantee_options(struct ctx *c, json_t *list, char kind, const char *name_key,
    const char *selected)
{
	json_t *out = json_array(), *v;
	size_t i;

	if (list == NULL)
		return out;
	json_array_foreach(list, i, v) {
		const char *value = arena_printf(c->a, "%c:%" JSON_INTEGER_FORMAT, kind,
		    json_integer_value(json_object_get(v, "id")));

		json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "value", value,
		    "name", json_string_value(json_object_get(v, name_key)),
		    "selected", selected != NULL && strcmp(selected, value) == 0));
	}
	json_decref(list);
	return out;
}

/*
 * The privacy page.  form holds what was typed (on an error), errors the
 * per-field messages; both may be NULL.  Consumes form and errors.
 */
static void
render_privacy(struct ctx *c, int status, json_t *form, json_t *errors, const char *notice)
{
	json_t *data = json_object(), *people, *orgs;
	const char *q = params_get(&c->query, "q");
	const char *sel_grantee = form ? json_string_value(json_object_get(form, "grantee")) : NULL;
	const char *sel_cat = form ? json_string_value(json_object_get(form, "category")) : NULL;

	if (q != NULL && strlen(q) > SEARCH_MAX)
		q = NULL;
	if (!add_consent_rows(c, data)) {
		json_decref(data);
		json_decref(form);
		json_decref(errors);
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	people = grantee_options(c, grantee_people(c, q, GRANTEES_PAGE_MAX), 'u',
	    "display_name", sel_grantee);
	orgs = grantee_options(c, grantee_orgs(c, q, GRANTEES_PAGE_MAX), 'o', "name",
	    sel_grantee);
	json_object_set_new(data, "has_grantees",
	    json_boolean(json_array_size(people) + json_array_size(orgs) > 0));
	json_object_set_new(data, "has_people", json_boolean(json_array_size(people) > 0));
	json_object_set_new(data, "has_orgs", json_boolean(json_array_size(orgs) > 0));
	json_object_set_new(data, "people", people);
	json_object_set_new(data, "orgs", orgs);
	json_object_set_new(data, "q", json_string(q ? q : ""));
	json_object_set_new(data, "categories", category_options(c, sel_cat));
	json_object_set_new(data, "form", form ? form : json_object());
	if (errors != NULL && json_object_size(errors) > 0) {
		json_object_set_new(data, "error", json_string(i18n_get(c->lang,
		    "privacy.errors.summary")));
		json_object_set_new(data, "errors", errors);
	} else {
		json_decref(errors);
	}
	if (notice != NULL)
		json_object_set_new(data, "notice", json_string(i18n_get(c->lang, notice)));
	/* Re-rendered after a POST: the language switch must come back to a page. */
	c->path = "/privacy";
	respond_page(c, status, "privacy/index", "privacy.title", data);
}

void
h_privacy(struct ctx *c)
{
	render_privacy(c, 200, NULL, NULL, NULL);
}

void
h_privacy_consent_create(struct ctx *c)
{
	struct consent_input in;
	const char *field, *msg;
	json_t *form;
	enum check rc;

	form = json_pack("{s:s, s:s, s:s, s:s}",
	    "grantee", ctx_field(c, "grantee") ? ctx_field(c, "grantee") : "",
	    "category", ctx_field(c, "category") ? ctx_field(c, "category") : "",
	    "purpose", ctx_field(c, "purpose") ? ctx_field(c, "purpose") : "",
	    "until", ctx_field(c, "until") ? ctx_field(c, "until") : "");
	rc = parse_consent(c, &in, &field, &msg);
	if (rc == CHECK_NO_GRANTEE) {
		rc = CHECK_INVALID;
		field = "grantee";
		msg = "privacy.errors.grantee_missing";
	}
	if (rc == CHECK_INVALID) {
		render_privacy(c, 422, form, json_pack("{s:s}", field, i18n_get(c->lang, msg)),
		    NULL);
		return;
	}
	if (consent_grant(c->db, c->user, in.user_id, in.org_id, in.category,
	    in.purpose, in.expires_at, c->now) <= 0) {
		json_decref(form);
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	json_decref(form);
	render_privacy(c, 200, NULL, NULL, "privacy.notices.consent_granted");
}

void
h_privacy_consent_revoke(struct ctx *c)
{
	switch (consent_revoke(c->db, c->user, ctx_param_id(c, 0), c->now)) {
	case 0:
		render_privacy(c, 200, NULL, NULL, "privacy.notices.consent_revoked");
		break;
	case 1:
		respond_error(c, 404, "not_found", NULL, NULL);
		break;
	default:
		respond_error(c, 500, "internal", NULL, NULL);
		break;
	}
}

/* One audit row as a sentence: "Ana (peer supporter) viewed your contact details". */
static const char *
audit_sentence(struct ctx *c, json_t *e)
{
	static const struct {
		const char	*action;
		const char	*key;
	} actions[] = {
		{ "read",		"privacy.audit.did.read" },
		{ "consent.grant",	"privacy.audit.did.consent_grant" },
		{ "consent.revoke",	"privacy.audit.did.consent_revoke" },
		{ "data.export",	"privacy.audit.did.data_export" },
		{ "admin.roles",	"privacy.audit.did.admin_roles" },
		{ "admin.chapter",	"privacy.audit.did.admin_chapter" },
		{ "admin.disable",	"privacy.audit.did.admin_disable" },
		{ "admin.enable",	"privacy.audit.did.admin_enable" },
	};
	json_t *a = json_object_get(e, "actor");
	const char *type = json_string_value(json_object_get(a, "type"));
	const char *action = json_string_value(json_object_get(e, "action"));
	const char *cat = json_string_value(json_object_get(e, "category"));
	const char *key = "privacy.audit.did.other", *who, *what = "";
	size_t i;

	if (strcmp(type, "self") == 0)
		who = i18n_get(c->lang, "privacy.audit.you");
	else if (strcmp(type, "person") == 0)
		who = ctx_tr(c, "privacy.audit.person", json_pack("{s:s, s:s}",
		    "name", json_string_value(json_object_get(a, "name")),
		    "role", ctx_trk(c, "privacy.role_names.%s",
		    json_string_value(json_object_get(a, "role")))));
	else
		who = json_string_value(json_object_get(a, "name"));
	for (i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		if (strcmp(actions[i].action, action) == 0)
			key = actions[i].key;
	if (strcmp(type, "self") == 0 && strcmp(key, "privacy.audit.did.read") != 0 &&
	    strcmp(key, "privacy.audit.did.other") != 0)
		key = arena_printf(c->a, "%s_self", key);
	if (cat != NULL && consent_category_valid(cat))
		what = ctx_trk(c, "privacy.categories.%s.your", cat);
	return ctx_tr(c, key, json_pack("{s:s, s:s, s:s}", "actor", who, "what", what,
	    "action", action));
}

void
h_privacy_audit(struct ctx *c)
{
	int64_t before = query_int(c, "before", 0, INT64_MAX);
	json_t *entries, *rows = json_array(), *data, *e;
	size_t i, n;

	entries = privacy_audit_json(c->db, c->user, c->lang, before, AUDIT_PAGE_DEFAULT);
	if (entries == NULL) {
		json_decref(rows);
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	json_array_foreach(entries, i, e) {
		int64_t at = json_integer_value(json_object_get(e, "at"));
		time_t tt = (time_t)at;
		struct tm tm;
		char iso[32] = "";

		if (gmtime_r(&tt, &tm) != NULL)
			strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%SZ", &tm);
		json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:b}",
		    "when", format_time(c, at, true), "when_iso", iso,
		    "sentence", audit_sentence(c, e),
		    "is_read", strcmp(json_string_value(json_object_get(e, "action")), "read") == 0));
	}
	n = json_array_size(entries);
	data = json_pack("{s:o, s:b, s:b}", "entries", rows, "has_entries", n > 0,
	    "paged", before > 0);
	if (n == AUDIT_PAGE_DEFAULT)
		json_object_set_new(data, "next_before", json_integer(json_integer_value(
		    json_object_get(json_array_get(entries, n - 1), "id"))));
	json_decref(entries);
	respond_page(c, 200, "privacy/audit", "privacy.audit.title", data);
}

void
h_privacy_export(struct ctx *c)
{
	send_export(c);
}

void
h_privacy_delete(struct ctx *c)
{
	const char *msg = NULL;
	int status = 422;

	switch (delete_account(c, ctx_field(c, "password"))) {
	case DELETE_OK:
		c->path = "/";
		respond_page(c, 200, "privacy/deleted", "privacy.deleted.title", NULL);
		return;
	case DELETE_NO_PASSWORD:
		msg = "privacy.errors.password_missing";
		break;
	case DELETE_WRONG_PASSWORD:
		msg = "privacy.errors.wrong_password";
		status = 403;
		break;
	case DELETE_THROTTLED:
		msg = "privacy.errors.throttled";
		status = 429;
		break;
	case DELETE_LAST_ADMIN:
		msg = "privacy.errors.last_admin";
		status = 409;
		break;
	case DELETE_ERROR:
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	render_privacy(c, status, NULL, json_pack("{s:s}", "password", i18n_get(c->lang, msg)),
	    NULL);
}
