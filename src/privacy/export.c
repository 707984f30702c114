/*
 * export.c: a member's copy of their data, and the JSON shapes the privacy
 * pages share with it.
 *
 * Design:
 *
 * - The export is a table of sections, each a name and a function that
 *   returns that section's JSON.  A feature that stores member data adds
 *   one line here; a section that fails makes the whole export fail, so a
 *   member never receives a copy silently missing something.
 * - Secrets never leave: no password hash, no session token or CSRF token,
 *   no two-step secret.  Sessions are described by when and from what
 *   device.
 * - Audit rows name people by pseudonym.  Shown to the member, a pseudonym
 *   becomes the person's display name and role, "Circles" for the system,
 *   or "a deleted account" once the mapping is gone.
 */
#include "privacy/export.h"

#include <string.h>

#include "accounts/roles.h"
#include "accounts/users.h"
#include "base/log.h"
#include "checkins/meeting_prefs.h"
#include "checkins/store.h"
#include "circles/export.h"
#include "matching/store.h"
#include "safety/safety.h"
#include "view/view.h"

#define EXPORT_ROWS_MAX		100000
#define CONSENTS_MAX		1000

static json_t *
int_or_null(struct db_rows *r, size_t row, size_t col)
{
	return db_rows_isnull(r, row, col) ? json_null() :
	    json_integer(db_rows_int(r, row, col));
}

static json_t *
text_or_null(struct db_rows *r, size_t row, size_t col)
{
	return db_rows_isnull(r, row, col) ? json_null() :
	    json_string(db_rows_text(r, row, col));
}

const char *
privacy_primary_role(unsigned roles)
{
	int i;

	for (i = 0; i < ROLE_COUNT; i++)
		if ((roles & role_at(i)) && role_at(i) != ROLE_MEMBER)
			return role_token(role_at(i));
	return role_token(ROLE_MEMBER);
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

json_t *
privacy_consents_json(struct db *db, const struct user *u, bool given, bool active_only,
    int64_t now)
{
	struct db_rows *r;
	json_t *out;
	size_t i;

	if (given)
		r = db_query(db, "SELECT c.id, c.grantee_user_id, c.grantee_org_id, "
		    "COALESCE(u.display_name, o.name), c.category, c.purpose, c.created_at, "
		    "c.expires_at, c.revoked_at FROM consents c "
		    "LEFT JOIN users u ON u.id = c.grantee_user_id "
		    "LEFT JOIN organizations o ON o.id = c.grantee_org_id "
		    "WHERE c.member_id = ? ORDER BY c.id DESC LIMIT ?",
		    DB_I(u->id), DB_I(CONSENTS_MAX));
	else
		r = db_query(db, "SELECT c.id, c.member_id, c.grantee_org_id, m.display_name, "
		    "c.category, c.purpose, c.created_at, c.expires_at, c.revoked_at "
		    "FROM consents c JOIN users m ON m.id = c.member_id "
		    "WHERE (c.grantee_user_id = ? OR c.grantee_org_id = ?) "
		    "ORDER BY c.id DESC LIMIT ?",
		    DB_I(u->id), DB_I(u->org_id > 0 ? u->org_id : -1), DB_I(CONSENTS_MAX));
	if (r == NULL) {
		log_warnx("privacy: consent list failed: %s", db_errmsg(db));
		return NULL;
	}
	out = json_array();
	for (i = 0; i < db_rows_count(r); i++) {
		bool revoked = !db_rows_isnull(r, i, 8);
		bool expired = !db_rows_isnull(r, i, 7) && db_rows_int(r, i, 7) <= now;
		bool active = !revoked && !expired;
		json_t *o;

		if (active_only && !active)
			continue;
		o = json_object();
		json_object_set_new(o, "id", json_integer(db_rows_int(r, i, 0)));
		if (given) {
			bool user = !db_rows_isnull(r, i, 1);

			json_object_set_new(o, "grantee", json_pack("{s:s, s:I, s:s}",
			    "type", user ? "user" : "organization",
			    "id", (json_int_t)db_rows_int(r, i, user ? 1 : 2),
			    "name", db_rows_text(r, i, 3)));
		} else {
			json_object_set_new(o, "member", json_pack("{s:I, s:s}",
			    "id", (json_int_t)db_rows_int(r, i, 1), "name", db_rows_text(r, i, 3)));
			json_object_set_new(o, "via", json_string(db_rows_isnull(r, i, 2) ?
			    "user" : "organization"));
		}
		json_object_set_new(o, "category", json_string(db_rows_text(r, i, 4)));
		json_object_set_new(o, "purpose", json_string(db_rows_text(r, i, 5)));
		json_object_set_new(o, "created_at", json_integer(db_rows_int(r, i, 6)));
		json_object_set_new(o, "expires_at", int_or_null(r, i, 7));
		json_object_set_new(o, "revoked_at", int_or_null(r, i, 8));
		json_object_set_new(o, "active", json_boolean(active));
		json_array_append_new(out, o);
	}
	db_rows_free(r);
	return out;
}

/* A small cache of actor roles: a page of audit rows names few people. */
struct role_cache {
	int64_t		 id[16];
	unsigned	 roles[16];
	size_t		 n;
};

static unsigned
cached_roles(struct db *db, struct role_cache *rc, int64_t id)
{
	size_t i;
	unsigned roles;

	for (i = 0; i < rc->n; i++)
		if (rc->id[i] == id)
			return rc->roles[i];
	roles = user_roles(db, id);
	if (rc->n < sizeof(rc->id) / sizeof(rc->id[0])) {
		rc->id[rc->n] = id;
		rc->roles[rc->n++] = roles;
	}
	return roles;
}

json_t *
privacy_audit_json(struct db *db, const struct user *u, const char *lang, int64_t before,
    int limit)
{
	struct role_cache rc = { .n = 0 };
	struct db_rows *r;
	json_t *out;
	size_t i;

	if (before <= 0)
		before = INT64_MAX;
	r = db_query(db, "SELECT a.id, a.at, a.actor, a.action, a.category, a.object, "
	    "u.id, u.display_name FROM audit_log a LEFT JOIN users u ON u.pseudonym = a.actor "
	    "WHERE a.subject = ? AND a.id < ? ORDER BY a.id DESC LIMIT ?",
	    DB_T(u->pseudonym), DB_I(before), DB_I(limit));
	if (r == NULL) {
		log_warnx("privacy: audit list failed: %s", db_errmsg(db));
		return NULL;
	}
	out = json_array();
	for (i = 0; i < db_rows_count(r); i++) {
		const char *actor = db_rows_text(r, i, 2);
		json_t *a;

		if (strcmp(actor, u->pseudonym) == 0)
			a = json_pack("{s:s, s:s}", "type", "self", "name", u->display_name);
		else if (strcmp(actor, AUDIT_ACTOR_SYSTEM) == 0)
			a = json_pack("{s:s, s:s}", "type", "system",
			    "name", i18n_get(lang, "privacy.audit.system_actor"));
		else if (db_rows_isnull(r, i, 6))
			a = json_pack("{s:s, s:s}", "type", "deleted",
			    "name", i18n_get(lang, "privacy.audit.deleted_actor"));
		else
			a = json_pack("{s:s, s:s, s:s}", "type", "person",
			    "name", db_rows_text(r, i, 7),
			    "role", privacy_primary_role(cached_roles(db, &rc,
			    db_rows_int(r, i, 6))));
		json_array_append_new(out, json_pack("{s:I, s:I, s:o, s:s, s:o, s:o}",
		    "id", (json_int_t)db_rows_int(r, i, 0),
		    "at", (json_int_t)db_rows_int(r, i, 1),
		    "actor", a,
		    "action", db_rows_text(r, i, 3),
		    "category", text_or_null(r, i, 4),
		    "object", text_or_null(r, i, 5)));
	}
	db_rows_free(r);
	return out;
}

/* ---- sections of the export ---- */

static json_t *
section_profile(struct db *db, const struct user *u, int64_t now)
{
	struct db_rows *r;
	json_t *o;

	(void)now;
	r = db_query(db, "SELECT u.email, u.display_name, u.lang, u.chapter_id, ch.name, "
	    "u.org_id, o.name, u.created_at, u.updated_at, u.totp_enabled FROM users u "
	    "LEFT JOIN chapters ch ON ch.id = u.chapter_id "
	    "LEFT JOIN organizations o ON o.id = u.org_id WHERE u.id = ?", DB_I(u->id));
	if (r == NULL || db_rows_count(r) == 0) {
		db_rows_free(r);
		return NULL;
	}
	o = json_object();
	json_object_set_new(o, "id", json_integer(u->id));
	json_object_set_new(o, "email", text_or_null(r, 0, 0));
	json_object_set_new(o, "display_name", json_string(db_rows_text(r, 0, 1)));
	json_object_set_new(o, "language", json_string(db_rows_text(r, 0, 2)));
	json_object_set_new(o, "chapter", db_rows_isnull(r, 0, 3) ? json_null() :
	    json_pack("{s:I, s:s}", "id", (json_int_t)db_rows_int(r, 0, 3),
	    "name", db_rows_text(r, 0, 4)));
	json_object_set_new(o, "organization", db_rows_isnull(r, 0, 5) ? json_null() :
	    json_pack("{s:I, s:s}", "id", (json_int_t)db_rows_int(r, 0, 5),
	    "name", db_rows_text(r, 0, 6)));
	json_object_set_new(o, "roles", roles_json(user_roles(db, u->id)));
	json_object_set_new(o, "two_step_sign_in", json_boolean(db_rows_int(r, 0, 9) != 0));
	json_object_set_new(o, "created_at", json_integer(db_rows_int(r, 0, 7)));
	json_object_set_new(o, "updated_at", json_integer(db_rows_int(r, 0, 8)));
	db_rows_free(r);
	return o;
}

static json_t *
section_consents_given(struct db *db, const struct user *u, int64_t now)
{
	return privacy_consents_json(db, u, true, false, now);
}

static json_t *
section_consents_received(struct db *db, const struct user *u, int64_t now)
{
	return privacy_consents_json(db, u, false, false, now);
}

static json_t *
section_sessions(struct db *db, const struct user *u, int64_t now)
{
	struct db_rows *r;
	json_t *a;
	size_t i;

	(void)now;
	r = db_query(db, "SELECT created_at, last_seen_at, expires_at, user_agent FROM sessions "
	    "WHERE user_id = ? AND mfa_pending = 0 ORDER BY id DESC", DB_I(u->id));
	if (r == NULL)
		return NULL;
	a = json_array();
	for (i = 0; i < db_rows_count(r); i++)
		json_array_append_new(a, json_pack("{s:I, s:I, s:I, s:s}",
		    "created_at", (json_int_t)db_rows_int(r, i, 0),
		    "last_seen_at", (json_int_t)db_rows_int(r, i, 1),
		    "expires_at", (json_int_t)db_rows_int(r, i, 2),
		    "device", db_rows_text(r, i, 3)));
	db_rows_free(r);
	return a;
}

static json_t *
section_audit(struct db *db, const struct user *u, int64_t now)
{
	(void)now;
	return privacy_audit_json(db, u, u->lang ? u->lang : "en", 0, EXPORT_ROWS_MAX);
}

static const struct export_section {
	const char	*name;
	json_t		*(*fn)(struct db *, const struct user *, int64_t);
} sections[] = {
	{ "profile",		section_profile },
	{ "consents_given",	section_consents_given },
	{ "consents_received",	section_consents_received },
	{ "sessions",		section_sessions },
	{ "audit",		section_audit },
	{ "checkins",		checkins_export },
	{ "goals",		goals_export },
	{ "recovery",		recovery_export },
	{ "meeting_preferences", mprefs_export },
	{ "safety",		safety_export },
	{ "circles",		circles_export },
	{ "matching",		matching_export },
};

json_t *
privacy_export(struct db *db, const struct user *u, int64_t now)
{
	json_t *doc, *v;
	size_t i;

	doc = json_pack("{s:i, s:s, s:I, s:s}", "format", PRIVACY_EXPORT_FORMAT,
	    "service", "Circles", "generated_at", (json_int_t)now,
	    "timestamps", "Unix seconds, UTC");
	for (i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
		if ((v = sections[i].fn(db, u, now)) == NULL) {
			log_warnx("privacy: export section %s failed", sections[i].name);
			json_decref(doc);
			return NULL;
		}
		json_object_set_new(doc, sections[i].name, v);
	}
	return doc;
}
