/*
 * web.c: administration: people and their roles, invitations, chapters.
 *
 * Every route here is admin-only by the route table.  The API and the
 * admin page share the decisions (change_user, create_invitation,
 * create_chapter), so both refuse the same things the same way:
 *
 * - an admin cannot take away their own admin role or turn off their own
 *   account (409 "self_lockout"): there must always be a way back in;
 * - turning an account off ends all its sessions at once;
 * - role, chapter and on/off changes are written to the audit log with the
 *   admin as actor and the person as subject, so the person sees them
 *   under "who saw my data";
 * - invitation links are random tokens stored only as keyed hashes and
 *   valid for 14 days; the invitation email is deliberately plain (no
 *   word about recovery), since others may read a person's inbox.
 *
 * Roles never give access to a member's private data (that takes consent,
 * privacy/consent.h); they only open these pages.
 */
#include "app/handlers.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accounts/roles.h"
#include "accounts/users.h"
#include "admin/chapters.h"
#include "base/log.h"
#include "base/mem.h"
#include "http/params.h"
#include "notify/jobs.h"
#include "privacy/audit.h"
#include "privacy/crypto.h"
#include "view/view.h"

#define USERS_PAGE_DEFAULT	50
#define USERS_PAGE_MAX		200
#define INVITE_TTL_S		(14 * 86400)
#define CHAPTER_NAME_MAX	80
#define SEARCH_MAX		100

/* A refusal: status, machine code, field (or NULL), catalog key. */
struct refusal {
	int		 status;
	const char	*code;
	const char	*field;
	const char	*msg_key;
};

static int
refuse(struct refusal *e, int status, const char *code, const char *field, const char *msg_key)
{
	e->status = status;
	e->code = code;
	e->field = field;
	e->msg_key = msg_key;
	return -1;
}

static void
respond_refusal(struct ctx *c, const struct refusal *e)
{
	respond_error(c, e->status, e->code, e->msg_key, e->field);
}

/* ---- small helpers ---- */

static int64_t
query_int(struct ctx *c, const char *name, int64_t def, int64_t max)
{
	const char *s = params_get(&c->query, name);
	uint64_t v;

	if (s == NULL || !str_to_u64(str_c(s), UINT64_MAX, &v) || v == 0)
		return def;
	return v > (uint64_t)max ? max : (int64_t)v;
}

static json_t *
roles_json(unsigned roles)
{
	json_t *a = json_array();
	int i;

	for (i = 0; i < ROLE_COUNT; i++)
		if (roles & role_at(i))
			json_array_append_new(a, json_string(role_token(role_at(i))));
	return a;
}

/* "peer_supporter,member" for the audit row's object. */
static const char *
roles_text(struct ctx *c, unsigned roles)
{
	struct buf b = BUF_INIT;
	const char *out;
	int i;

	for (i = 0; i < ROLE_COUNT; i++) {
		if (!(roles & role_at(i)))
			continue;
		if (b.len > 0)
			buf_putc(&b, ',');
		buf_puts(&b, role_token(role_at(i)));
	}
	out = arena_strdup(c->a, b.len ? b.data : "");
	buf_free(&b);
	return out;
}

static bool
chapter_exists(struct db *db, int64_t id)
{
	struct db_rows *r = db_query(db, "SELECT 1 FROM chapters WHERE id = ?", DB_I(id));
	bool ok = r != NULL && db_rows_count(r) > 0;

	db_rows_free(r);
	return ok;
}

/* "3 March 2026" (UTC) in the request's language, from the privacy catalog. */
static const char *
format_date(struct ctx *c, int64_t t)
{
	static const char *const months[12] = {
		"january", "february", "march", "april", "may", "june", "july", "august",
		"september", "october", "november", "december",
	};
	struct tm tm;
	time_t tt = (time_t)t;
	json_t *vars;
	char *s;
	const char *out;

	if (gmtime_r(&tt, &tm) == NULL)
		return "";
	vars = json_pack("{s:i, s:s, s:i}", "day", tm.tm_mday,
	    "month", i18n_get(c->lang, arena_printf(c->a, "privacy.date.months.%s",
	    months[tm.tm_mon])), "year", tm.tm_year + 1900);
	s = i18n_format(c->lang, "privacy.date.date", vars);
	json_decref(vars);
	out = arena_strdup(c->a, s);
	free(s);
	return out;
}

/* ---- people ---- */

/* One person as the admin API shows them, or NULL if there is none. */
static json_t *
user_json(struct db *db, int64_t id)
{
	struct db_rows *r;
	json_t *o;

	r = db_query(db, "SELECT id, email, display_name, chapter_id, disabled, created_at "
	    "FROM users WHERE id = ?", DB_I(id));
	if (r == NULL || db_rows_count(r) == 0) {
		db_rows_free(r);
		return NULL;
	}
	o = json_pack("{s:I, s:o, s:s, s:o, s:o, s:b, s:I}",
	    "id", (json_int_t)db_rows_int(r, 0, 0),
	    "email", db_rows_isnull(r, 0, 1) ? json_null() : json_string(db_rows_text(r, 0, 1)),
	    "display_name", db_rows_text(r, 0, 2),
	    "roles", roles_json(user_roles(db, id)),
	    "chapter_id", db_rows_isnull(r, 0, 3) ? json_null() :
	    json_integer(db_rows_int(r, 0, 3)),
	    "disabled", db_rows_int(r, 0, 4) != 0,
	    "created_at", (json_int_t)db_rows_int(r, 0, 5));
	db_rows_free(r);
	return o;
}

/* A page of people matching q (email or name), ids above after. */
static json_t *
list_users(struct ctx *c, const char *q, int64_t after, int limit)
{
	struct db_rows *r;
	const char *pat = db_like_contains(c->a, q);
	json_t *a;
	size_t i;

	r = db_query(c->db, "SELECT id FROM users WHERE id > ? AND "
	    "(LOWER(COALESCE(email, '')) LIKE ? ESCAPE '\\' OR LOWER(display_name) LIKE ? "
	    "ESCAPE '\\') ORDER BY id LIMIT ?", DB_I(after), DB_T(pat), DB_T(pat), DB_I(limit));
	if (r == NULL)
		return NULL;
	a = json_array();
	for (i = 0; i < db_rows_count(r); i++) {
		json_t *u = user_json(c->db, db_rows_int(r, i, 0));

		if (u != NULL)
			json_array_append_new(a, u);
	}
	db_rows_free(r);
	return a;
}

struct user_change {
	bool		 set_roles;
	unsigned	 roles;
	bool		 set_chapter;
	int64_t		 chapter_id;	/* 0: none */
	bool		 set_disabled;
	bool		 disabled;
};

/*
 * Apply an admin's change to person id.  0, or -1 with *e.  The change is
 * one transaction; the audit rows follow it.
 */
static int
change_user(struct ctx *c, int64_t id, const struct user_change *ch, struct refusal *e)
{
	struct db_rows *r;
	const char *pseudonym;
	int64_t old_chapter;
	bool old_disabled, roles_changed, chapter_changed, disabled_changed;
	unsigned old_roles;

	r = db_query(c->db, "SELECT pseudonym, chapter_id, disabled FROM users WHERE id = ?",
	    DB_I(id));
	if (r == NULL)
		return refuse(e, 500, "internal", NULL, NULL);
	if (db_rows_count(r) == 0) {
		db_rows_free(r);
		return refuse(e, 404, "not_found", NULL, NULL);
	}
	pseudonym = arena_strdup(c->a, db_rows_text(r, 0, 0));
	old_chapter = db_rows_int(r, 0, 1);
	old_disabled = db_rows_int(r, 0, 2) != 0;
	db_rows_free(r);
	old_roles = user_roles(c->db, id);

	if (ch->set_roles && ch->roles == 0)
		return refuse(e, 422, "invalid_field", "roles", "admin.errors.roles_empty");
	if (ch->set_chapter && ch->chapter_id != 0 && !chapter_exists(c->db, ch->chapter_id))
		return refuse(e, 422, "invalid_field", "chapter_id", "admin.errors.chapter_unknown");
	if (id == c->user->id && ((ch->set_roles && !(ch->roles & ROLE_ADMIN)) ||
	    (ch->set_disabled && ch->disabled)))
		return refuse(e, 409, "self_lockout", ch->set_disabled && ch->disabled ?
		    "disabled" : "roles", "admin.errors.self_lockout");

	roles_changed = ch->set_roles && ch->roles != old_roles;
	chapter_changed = ch->set_chapter && ch->chapter_id != old_chapter;
	disabled_changed = ch->set_disabled && ch->disabled != old_disabled;
	if (!roles_changed && !chapter_changed && !disabled_changed)
		return 0;

	if (db_begin(c->db) == -1)
		return refuse(e, 503, "unavailable", NULL, "errors.503.message");
	if (roles_changed && user_set_roles(c->db, id, ch->roles) == -1)
		goto fail;
	if (chapter_changed && db_exec(c->db, "UPDATE users SET chapter_id = ?, updated_at = ? "
	    "WHERE id = ?", ch->chapter_id ? DB_I(ch->chapter_id) : DB_NUL, DB_I(c->now),
	    DB_I(id)) != 1)
		goto fail;
	if (disabled_changed && db_exec(c->db, "UPDATE users SET disabled = ?, updated_at = ? "
	    "WHERE id = ?", DB_I(ch->disabled ? 1 : 0), DB_I(c->now), DB_I(id)) != 1)
		goto fail;
	/* Turning an account off signs it out everywhere, now. */
	if (disabled_changed && ch->disabled &&
	    db_exec(c->db, "DELETE FROM sessions WHERE user_id = ?", DB_I(id)) < 0)
		goto fail;
	if (db_commit(c->db) == -1)
		goto fail;

	if (roles_changed)
		audit_record(c->db, c->now, c->user->pseudonym, pseudonym, "admin.roles", NULL,
		    arena_printf(c->a, "roles:%s", roles_text(c, ch->roles)));
	if (chapter_changed)
		audit_record(c->db, c->now, c->user->pseudonym, pseudonym, "admin.chapter", NULL,
		    ch->chapter_id ? arena_printf(c->a, "chapter:%" PRId64, ch->chapter_id) :
		    "chapter:none");
	if (disabled_changed)
		audit_record(c->db, c->now, c->user->pseudonym, pseudonym,
		    ch->disabled ? "admin.disable" : "admin.enable", NULL, NULL);
	log_info("admin: user %" PRId64 " changed by %" PRId64, id, c->user->id);
	return 0;
fail:
	log_warnx("admin: changing user %" PRId64 " failed: %s", id, db_errmsg(c->db));
	db_rollback(c->db);
	return refuse(e, 500, "internal", NULL, NULL);
}

/* ---- invitations ---- */

/*
 * Create an invitation for role (and chapter, and email if given) and
 * queue its email.  Sets *url (arena) and *expires_at.
 */
static int
create_invitation(struct ctx *c, const char *email, const char *role, int64_t chapter_id,
    const char **url, int64_t *expires_at, struct refusal *e)
{
	char *token, hash[65];
	const char *norm = NULL;
	int64_t id;

	if (role_from_token(role) == 0)
		return refuse(e, 422, "invalid_field", "role", "admin.errors.role_unknown");
	if (email != NULL && str_trim(str_c(email)).len > 0) {
		if ((norm = user_normalize_email(c->a, email)) == NULL)
			return refuse(e, 422, "invalid_field", "email", "admin.errors.email_invalid");
		if (user_id_by_email(c->db, norm) != 0)
			return refuse(e, 409, "email_taken", "email", "admin.errors.email_taken");
	}
	if (chapter_id != 0 && !chapter_exists(c->db, chapter_id))
		return refuse(e, 422, "invalid_field", "chapter_id", "admin.errors.chapter_unknown");

	token = crypto_token(32);
	crypto_token_hash(token, hash);
	*url = arena_printf(c->a, "%s/invite/%s", c->cfg->public_url, token);
	free(token);
	*expires_at = c->now + INVITE_TTL_S;

	if (db_begin(c->db) == -1)
		return refuse(e, 503, "unavailable", NULL, "errors.503.message");
	id = db_insert(c->db, "INSERT INTO invitations (token_hash, email, role, chapter_id, "
	    "invited_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
	    DB_T(hash), DB_T(norm), DB_T(role), chapter_id ? DB_I(chapter_id) : DB_NUL,
	    DB_I(c->user->id), DB_I(c->now), DB_I(*expires_at));
	if (id <= 0)
		goto fail;
	if (norm != NULL) {
		/* Plain words only: someone else may read this inbox. */
		json_t *vars = json_pack("{s:s, s:i}", "url", *url, "days", INVITE_TTL_S / 86400);
		char *text = i18n_format(c->lang, "admin.invite_email.text", vars);
		int64_t job;

		json_decref(vars);
		job = jobs_enqueue_email(c->db, norm, i18n_get(c->lang, "admin.invite_email.subject"),
		    text, arena_printf(c->a, "invitation:%" PRId64, id), 0, c->now);
		free(text);
		if (job < 0)
			goto fail;
	}
	if (db_commit(c->db) == -1)
		goto fail;
	if (norm != NULL)
		jobs_worker_wake();
	audit_record(c->db, c->now, c->user->pseudonym, NULL, "admin.invite", NULL,
	    arena_printf(c->a, "invitation:%" PRId64, id));
	return 0;
fail:
	log_warnx("admin: creating an invitation failed: %s", db_errmsg(c->db));
	db_rollback(c->db);
	return refuse(e, 500, "internal", NULL, NULL);
}

/* ---- chapters ---- */

json_t *
admin_chapters_json(struct db *db)
{
	struct db_rows *r = db_query(db, "SELECT id, name FROM chapters ORDER BY LOWER(name), id");
	json_t *a;
	size_t i;

	if (r == NULL)
		return NULL;
	a = json_array();
	for (i = 0; i < db_rows_count(r); i++)
		json_array_append_new(a, json_pack("{s:I, s:s}", "id",
		    (json_int_t)db_rows_int(r, i, 0), "name", db_rows_text(r, i, 1)));
	db_rows_free(r);
	return a;
}

static int
create_chapter(struct ctx *c, const char *name, int64_t *id, const char **clean,
    struct refusal *e)
{
	struct db_rows *r;
	struct str s = str_trim(str_c(name));
	size_t i;
	bool dup;

	if (name == NULL || s.len == 0 || s.len > CHAPTER_NAME_MAX || !utf8_valid(s.p, s.len))
		return refuse(e, 422, "invalid_field", "name", "admin.errors.chapter_name");
	for (i = 0; i < s.len; i++)
		if ((unsigned char)s.p[i] < 0x20 || s.p[i] == 0x7f)
			return refuse(e, 422, "invalid_field", "name", "admin.errors.chapter_name");
	*clean = arena_strndup(c->a, s.p, s.len);
	r = db_query(c->db, "SELECT 1 FROM chapters WHERE LOWER(name) = LOWER(?)", DB_T(*clean));
	if (r == NULL)
		return refuse(e, 500, "internal", NULL, NULL);
	dup = db_rows_count(r) > 0;
	db_rows_free(r);
	if (dup)
		return refuse(e, 409, "duplicate", "name", "admin.errors.chapter_duplicate");
	*id = db_insert(c->db, "INSERT INTO chapters (name, created_at) VALUES (?, ?) RETURNING id",
	    DB_T(*clean), DB_I(c->now));
	if (*id <= 0) {
		if (db_errcode(c->db) == DB_ERR_CONSTRAINT)
			return refuse(e, 409, "duplicate", "name", "admin.errors.chapter_duplicate");
		return refuse(e, 500, "internal", NULL, NULL);
	}
	return 0;
}

/* ---- API ---- */

void
h_api_admin_users(struct ctx *c)
{
	const char *q = params_get(&c->query, "q");
	int64_t after = query_int(c, "after", 0, INT64_MAX);
	int limit = (int)query_int(c, "limit", USERS_PAGE_DEFAULT, USERS_PAGE_MAX);
	json_t *users, *next = json_null();
	size_t n;

	if (q != NULL && strlen(q) > SEARCH_MAX) {
		respond_error(c, 422, "invalid_field", "admin.errors.search", "q");
		return;
	}
	if ((users = list_users(c, q, after, limit)) == NULL) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	n = json_array_size(users);
	if (n == (size_t)limit)
		next = json_integer(json_integer_value(json_object_get(json_array_get(users, n - 1),
		    "id")));
	respond_json(c, 200, json_pack("{s:o, s:o}", "users", users, "next_after", next));
}

void
h_api_admin_user_update(struct ctx *c)
{
	int64_t id = ctx_param_id(c, 0);
	struct user_change ch = { 0 };
	struct refusal e;
	json_t *v, *u;
	size_t i;

	if (id == 0 || c->json == NULL) {
		respond_error(c, id == 0 ? 404 : 400, id == 0 ? "not_found" : "malformed_json",
		    NULL, NULL);
		return;
	}
	if ((v = json_object_get(c->json, "roles")) != NULL) {
		json_t *r;

		if (!json_is_array(v)) {
			respond_error(c, 422, "invalid_field", "admin.errors.role_unknown", "roles");
			return;
		}
		ch.set_roles = true;
		json_array_foreach(v, i, r) {
			unsigned bit = json_is_string(r) ? role_from_token(json_string_value(r)) : 0;

			if (bit == 0) {
				respond_error(c, 422, "invalid_field", "admin.errors.role_unknown",
				    "roles");
				return;
			}
			ch.roles |= bit;
		}
	}
	if ((v = json_object_get(c->json, "chapter_id")) != NULL) {
		if (!json_is_null(v) && (!json_is_integer(v) || json_integer_value(v) <= 0)) {
			respond_error(c, 422, "invalid_field", "admin.errors.chapter_unknown",
			    "chapter_id");
			return;
		}
		ch.set_chapter = true;
		ch.chapter_id = json_is_null(v) ? 0 : json_integer_value(v);
	}
	if ((v = json_object_get(c->json, "disabled")) != NULL) {
		if (!json_is_boolean(v)) {
			respond_error(c, 422, "invalid_field", "admin.errors.disabled", "disabled");
			return;
		}
		ch.set_disabled = true;
		ch.disabled = json_is_true(v);
	}
	if (change_user(c, id, &ch, &e) == -1) {
		respond_refusal(c, &e);
		return;
	}
	if ((u = user_json(c->db, id)) == NULL) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	respond_json(c, 200, u);
}

/* chapter_id from JSON (integer or null) or a form ("" for none); -1 if malformed. */
static int64_t
chapter_field(struct ctx *c)
{
	uint64_t v;

	if (c->json != NULL) {
		json_t *j = json_object_get(c->json, "chapter_id");

		if (j == NULL || json_is_null(j))
			return 0;
		return json_is_integer(j) && json_integer_value(j) > 0 ?
		    json_integer_value(j) : -1;
	} else {
		const char *s = params_get(&c->form, "chapter_id");

		if (s == NULL || *s == '\0')
			return 0;
		return str_to_u64(str_c(s), INT64_MAX, &v) && v > 0 ? (int64_t)v : -1;
	}
}

void
h_api_admin_invite(struct ctx *c)
{
	int64_t chapter = chapter_field(c), expires;
	const char *url;
	struct refusal e;

	if (chapter < 0) {
		respond_error(c, 422, "invalid_field", "admin.errors.chapter_unknown", "chapter_id");
		return;
	}
	if (create_invitation(c, ctx_field(c, "email"), ctx_field(c, "role"), chapter, &url,
	    &expires, &e) == -1) {
		respond_refusal(c, &e);
		return;
	}
	respond_json(c, 201, json_pack("{s:s, s:I}", "invitation_url", url,
	    "expires_at", (json_int_t)expires));
}

void
h_api_chapters(struct ctx *c)
{
	json_t *a = admin_chapters_json(c->db);

	if (a == NULL) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	respond_json(c, 200, json_pack("{s:o}", "chapters", a));
}

void
h_api_admin_chapter_create(struct ctx *c)
{
	struct refusal e;
	const char *name;
	int64_t id;

	if (create_chapter(c, ctx_field(c, "name"), &id, &name, &e) == -1) {
		respond_refusal(c, &e);
		return;
	}
	respond_json(c, 201, json_pack("{s:I, s:s}", "id", (json_int_t)id, "name", name));
}

/* ---- HTML ---- */

struct admin_page {
	int		 status;
	const char	*notice;	/* catalog key */
	const char	*error;		/* catalog key for the summary */
	int64_t		 user_id;	/* the person whose form had the error */
	const char	*user_error;	/* catalog key */
	json_t		*invite_errors;	/* {field: message} */
	json_t		*invite_form;	/* what was typed */
	const char	*invitation_url;
	int64_t		 invitation_expires;
	const char	*chapter_error;	/* catalog key */
	const char	*chapter_name;	/* what was typed */
};

static json_t *
role_options(struct ctx *c, unsigned checked, const char *prefix)
{
	json_t *a = json_array();
	int i;

	for (i = 0; i < ROLE_COUNT; i++) {
		const char *tok = role_token(role_at(i));

		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:b}", "token", tok,
		    "label", i18n_get(c->lang, arena_printf(c->a, "roles.%s", tok)),
		    "input_id", arena_printf(c->a, "%s-%s", prefix, tok),
		    "checked", (checked & role_at(i)) != 0));
	}
	return a;
}

static json_t *
chapter_options(json_t *chapters, int64_t selected)
{
	json_t *a = json_array(), *v;
	size_t i;

	json_array_foreach(chapters, i, v) {
		json_int_t id = json_integer_value(json_object_get(v, "id"));

		json_array_append_new(a, json_pack("{s:I, s:O, s:b}", "id", id,
		    "name", json_object_get(v, "name"), "selected", id == selected));
	}
	return a;
}

static const char *
chapter_name(json_t *chapters, int64_t id)
{
	json_t *v;
	size_t i;

	json_array_foreach(chapters, i, v)
		if (json_integer_value(json_object_get(v, "id")) == id)
			return json_string_value(json_object_get(v, "name"));
	return NULL;
}

static void
render_admin(struct ctx *c, struct admin_page *p)
{
	const char *q = params_get(&c->query, "q");
	int64_t after = query_int(c, "after", 0, INT64_MAX);
	json_t *users, *chapters, *people = json_array(), *data, *v;
	size_t i;

	if (q != NULL && strlen(q) > SEARCH_MAX)
		q = NULL;
	users = list_users(c, q, after, USERS_PAGE_DEFAULT);
	chapters = admin_chapters_json(c->db);
	if (users == NULL || chapters == NULL) {
		json_decref(users);
		json_decref(chapters);
		json_decref(people);
		json_decref(p->invite_errors);
		json_decref(p->invite_form);
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	json_array_foreach(users, i, v) {
		json_int_t id = json_integer_value(json_object_get(v, "id"));
		json_t *cj = json_object_get(v, "chapter_id"), *r;
		int64_t ch = json_is_integer(cj) ? json_integer_value(cj) : 0;
		const char *cname = ch != 0 ? chapter_name(chapters, ch) : NULL;
		unsigned bits = 0;
		size_t k;
		bool disabled = json_is_true(json_object_get(v, "disabled"));
		struct buf label = BUF_INIT;
		json_t *row;

		json_array_foreach(json_object_get(v, "roles"), k, r) {
			bits |= role_from_token(json_string_value(r));
			if (label.len > 0)
				buf_puts(&label, ", ");
			buf_puts(&label, i18n_get(c->lang, arena_printf(c->a, "roles.%s",
			    json_string_value(r))));
		}
		row = json_pack("{s:I, s:O, s:O, s:s, s:o, s:o, s:b, s:s, s:b, s:b}",
		    "id", id, "display_name", json_object_get(v, "display_name"),
		    "email", json_object_get(v, "email"),
		    "roles_label", label.len ? label.data : "",
		    "role_options", role_options(c, bits, arena_printf(c->a, "u%" JSON_INTEGER_FORMAT
		    "-role", id)),
		    "chapter_options", chapter_options(chapters, ch),
		    "disabled", disabled,
		    "status", i18n_get(c->lang, disabled ? "admin.people.status_off" :
		    "admin.people.status_on"),
		    "is_self", id == c->user->id,
		    "open", p->user_id == id);
		buf_free(&label);
		json_object_set_new(row, "chapter_name", cname ? json_string(cname) : json_null());
		json_object_set_new(row, "error", p->user_id == id && p->user_error != NULL ?
		    json_string(i18n_get(c->lang, p->user_error)) : json_null());
		json_array_append_new(people, row);
	}
	data = json_object();
	json_object_set_new(data, "has_people", json_boolean(json_array_size(people) > 0));
	json_object_set_new(data, "people", people);
	json_object_set_new(data, "q", json_string(q ? q : ""));
	{
		struct buf b = BUF_INIT;

		url_encode(&b, q ? q : "", q ? strlen(q) : 0);
		json_object_set_new(data, "q_url", json_string(b.data ? b.data : ""));
		buf_free(&b);
	}
	if (json_array_size(users) == USERS_PAGE_DEFAULT)
		json_object_set_new(data, "next_after", json_integer(json_integer_value(
		    json_object_get(json_array_get(users, USERS_PAGE_DEFAULT - 1), "id"))));
	json_object_set_new(data, "paged", json_boolean(after > 0));
	json_decref(users);

	{
		json_t *f = p->invite_form;
		const char *role = f ? json_string_value(json_object_get(f, "role")) : NULL;
		json_int_t ich = f ? json_integer_value(json_object_get(f, "chapter_id")) : 0;

		json_object_set_new(data, "invite_roles", role_options(c,
		    role_from_token(role) ? role_from_token(role) : ROLE_MEMBER, "invite-role"));
		json_object_set_new(data, "invite_chapters", chapter_options(chapters, ich));
		json_object_set_new(data, "invite_form", f ? f : json_object());
		json_object_set_new(data, "invite_errors", p->invite_errors ? p->invite_errors :
		    json_object());
	}
	if (p->invitation_url != NULL) {
		json_t *vars = json_pack("{s:s}", "date", format_date(c, p->invitation_expires));
		char *expires = i18n_format(c->lang, "admin.invite.expires", vars);

		json_object_set_new(data, "invitation", json_pack("{s:s, s:s}",
		    "url", p->invitation_url, "expires", expires));
		json_decref(vars);
		free(expires);
	}
	json_object_set_new(data, "has_chapters", json_boolean(json_array_size(chapters) > 0));
	json_object_set_new(data, "chapters", chapters);
	json_object_set_new(data, "new_chapter", json_string(p->chapter_name ?
	    p->chapter_name : ""));
	if (p->chapter_error != NULL)
		json_object_set_new(data, "chapter_error", json_string(i18n_get(c->lang,
		    p->chapter_error)));
	if (p->error != NULL)
		json_object_set_new(data, "error", json_string(i18n_get(c->lang, p->error)));
	if (p->notice != NULL)
		json_object_set_new(data, "notice", json_string(i18n_get(c->lang, p->notice)));
	/* Re-rendered after a POST: the language switch must come back to a page. */
	c->path = "/admin";
	respond_page(c, p->status ? p->status : 200, "admin/index", "admin.title", data);
}

void
h_admin(struct ctx *c)
{
	struct admin_page p = { .status = 200 };

	render_admin(c, &p);
}

void
h_admin_user_update(struct ctx *c)
{
	struct admin_page p = { .status = 200 };
	struct user_change ch = { .set_roles = true, .set_chapter = true, .set_disabled = true };
	int64_t id = ctx_param_id(c, 0);
	struct refusal e;
	size_t i;

	for (i = 0; i < c->form.n; i++) {
		unsigned bit;

		if (strcmp(c->form.items[i].name, "roles") != 0)
			continue;
		if ((bit = role_from_token(c->form.items[i].value)) == 0) {
			respond_error(c, 422, "invalid_field", "admin.errors.role_unknown", "roles");
			return;
		}
		ch.roles |= bit;
	}
	if ((ch.chapter_id = chapter_field(c)) < 0) {
		respond_error(c, 422, "invalid_field", "admin.errors.chapter_unknown", "chapter_id");
		return;
	}
	ch.disabled = params_get(&c->form, "disabled") != NULL;
	if (id == 0) {
		respond_error(c, 404, "not_found", NULL, NULL);
		return;
	}
	if (change_user(c, id, &ch, &e) == -1) {
		if (e.status == 404 || e.status >= 500) {
			respond_error(c, e.status, e.code, e.msg_key, NULL);
			return;
		}
		p.status = e.status;
		p.user_id = id;
		p.user_error = e.msg_key;
		p.error = e.msg_key;
		render_admin(c, &p);
		return;
	}
	p.notice = "admin.notices.user_saved";
	render_admin(c, &p);
}

void
h_admin_invite(struct ctx *c)
{
	struct admin_page p = { .status = 200 };
	const char *email = ctx_field(c, "email"), *role = ctx_field(c, "role");
	int64_t chapter = chapter_field(c);
	struct refusal e;

	if (chapter < 0) {
		refuse(&e, 422, "invalid_field", "chapter_id", "admin.errors.chapter_unknown");
	} else if (create_invitation(c, email, role, chapter, &p.invitation_url,
	    &p.invitation_expires, &e) == 0) {
		p.notice = email != NULL && *email != '\0' ? "admin.notices.invited_email" :
		    "admin.notices.invited_link";
		render_admin(c, &p);
		return;
	}
	if (e.status >= 500) {
		respond_error(c, e.status, "internal", NULL, NULL);
		return;
	}
	p.status = e.status;
	p.error = "admin.errors.summary";
	p.invite_form = json_pack("{s:s, s:s, s:I}", "email", email ? email : "",
	    "role", role ? role : "", "chapter_id", (json_int_t)(chapter > 0 ? chapter : 0));
	p.invite_errors = json_pack("{s:s}", e.field ? e.field : "role",
	    i18n_get(c->lang, e.msg_key));
	render_admin(c, &p);
}

void
h_admin_chapter_create(struct ctx *c)
{
	struct admin_page p = { .status = 200 };
	struct refusal e;
	const char *name;
	int64_t id;

	if (create_chapter(c, ctx_field(c, "name"), &id, &name, &e) == -1) {
		if (e.status >= 500) {
			respond_error(c, e.status, "internal", NULL, NULL);
			return;
		}
		p.status = e.status;
		p.error = "admin.errors.summary";
		p.chapter_error = e.msg_key;
		p.chapter_name = ctx_field(c, "name");
		render_admin(c, &p);
		return;
	}
	p.notice = "admin.notices.chapter_added";
	render_admin(c, &p);
}
