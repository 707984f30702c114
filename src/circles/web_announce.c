/*
 * web_announce.c: announcements from a circle's facilitators to its
 * members: listed on the circle's page (members only) and, when the
 * facilitator asks, sent by email through the job queue.
 *
 * The email is discreet: it names neither the circle nor recovery, and
 * holds no part of the announcement, since someone else may read the
 * inbox or see the lock screen; it only says there is news and where to
 * sign in.
 */
#include "app/handlers.h"

#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "circles/web_int.h"
#include "notify/jobs.h"
#include "view/view.h"

#define ANNOUNCEMENTS_SHOWN	20

static char *
trimmed(struct ctx *c, const char *s)
{
	return arena_cstr(c->a, str_trim(str_c(s)));
}

json_t *
circles_announcements_json(struct ctx *c, int64_t circle_id)
{
	struct db_rows *r;
	json_t *a;
	size_t i;

	r = db_query(c->db, "SELECT a.id, a.title, a.body, a.created_at, u.display_name FROM "
	    "circle_announcements a LEFT JOIN users u ON u.id = a.author_id WHERE a.circle_id = ? "
	    "ORDER BY a.created_at DESC, a.id DESC LIMIT ?", DB_I(circle_id),
	    DB_I(ANNOUNCEMENTS_SHOWN));
	if (r == NULL)
		return NULL;
	a = json_array();
	for (i = 0; i < db_rows_count(r); i++)
		json_array_append_new(a, json_pack("{s:I, s:s, s:s, s:I, s:s}",
		    "id", (json_int_t)db_rows_int(r, i, 0), "title", db_rows_text(r, i, 1),
		    "body", db_rows_text(r, i, 2), "created_at", (json_int_t)db_rows_int(r, i, 3),
		    "author", db_rows_text(r, i, 4)));
	db_rows_free(r);
	return a;
}

void
h_api_circle_announcements(struct ctx *c)
{
	struct seen s;
	json_t *a;

	if (!circles_load_seen(c, &s))
		return;
	if (!circle_roster_visible(&s.v)) {
		respond_error(c, 404, "not_found", NULL, NULL);
		return;
	}
	if ((a = circles_announcements_json(c, s.circle.id)) == NULL) {
		circles_server_error(c, "announcements");
		return;
	}
	respond_json(c, 200, json_pack("{s:o}", "announcements", a));
}

static bool
wants_email(struct ctx *c)
{
	const char *v;

	if (c->json != NULL)
		return json_is_true(json_object_get(c->json, "email"));
	v = params_get(&c->form, "email");
	return v != NULL && (strcmp(v, "1") == 0 || strcmp(v, "yes") == 0);
}

int
circles_queue_email(struct ctx *c, int64_t user_id, const char *email, const char *lang,
    const char *key, const char *url, const char *dedupe)
{
	json_t *vars;
	char *text;
	int64_t id;

	if (!i18n_supported(lang))
		lang = "en";
	vars = json_pack("{s:s}", "url", url);
	text = i18n_format(lang, arena_printf(c->a, "%s.text", key), vars);
	json_decref(vars);
	id = jobs_enqueue_email(c->db, email, i18n_get(lang, arena_printf(c->a, "%s.subject", key)),
	    text, dedupe, user_id, c->now);
	free(text);
	return id < 0 ? -1 : 0;
}

int
circles_email_user(struct ctx *c, int64_t user_id, const char *key, const char *url,
    const char *dedupe)
{
	struct db_rows *r = db_query(c->db, "SELECT email, lang FROM users WHERE id = ? AND "
	    "disabled = 0 AND email IS NOT NULL", DB_I(user_id));
	int rc = 0;

	if (r == NULL)
		return -1;
	if (db_rows_count(r) > 0)
		rc = circles_queue_email(c, user_id, db_rows_text(r, 0, 0), db_rows_text(r, 0, 1),
		    key, url, dedupe);
	db_rows_free(r);
	return rc;
}

/* Queue the discreet email to every other active member with an address. */
static int
enqueue_emails(struct ctx *c, int64_t circle_id, int64_t announcement_id)
{
	struct db_rows *r;
	size_t i;
	int rc = 0;
	const char *url = arena_printf(c->a, "%s/circles/%lld", c->cfg->public_url,
	    (long long)circle_id);

	r = db_query(c->db, "SELECT u.id, u.email, u.lang FROM circle_members m JOIN users u "
	    "ON u.id = m.user_id WHERE m.circle_id = ? AND m.state = 'active' AND u.id <> ? "
	    "AND u.disabled = 0 AND u.email IS NOT NULL", DB_I(circle_id), DB_I(c->user->id));
	if (r == NULL)
		return -1;
	for (i = 0; i < db_rows_count(r) && rc == 0; i++)
		rc = circles_queue_email(c, db_rows_int(r, i, 0), db_rows_text(r, i, 1),
		    db_rows_text(r, i, 2), "circles.announce_email", url,
		    arena_printf(c->a, "announcement:%lld:%lld", (long long)announcement_id,
		    (long long)db_rows_int(r, i, 0)));
	db_rows_free(r);
	return rc;
}

/* 0 posted (*id), 1 answered already. */
static int
announce(struct ctx *c, struct seen *s, int64_t *id)
{
	const char *title = ctx_field(c, "title"), *body = ctx_field(c, "body");
	enum circle_input_error e;
	bool email = wants_email(c);

	if (!circles_load_seen(c, s))
		return 1;
	if (!circle_can_manage(&s->v)) {
		respond_error(c, 404, "not_found", NULL, NULL);
		return 1;
	}
	if ((e = circle_text_check(title, CIRCLE_ANNOUNCE_TITLE_MAX, false)) != CIRCLE_INPUT_OK) {
		respond_error(c, 422, "invalid_field", e == CIRCLE_INPUT_MISSING ?
		    "circles.errors.api_missing" : e == CIRCLE_INPUT_TOO_LONG ?
		    "circles.errors.api_too_long" : "circles.errors.api_invalid", "title");
		return 1;
	}
	if ((e = circle_text_check(body, CIRCLE_ANNOUNCE_BODY_MAX, true)) != CIRCLE_INPUT_OK) {
		respond_error(c, 422, "invalid_field", e == CIRCLE_INPUT_MISSING ?
		    "circles.errors.api_missing" : e == CIRCLE_INPUT_TOO_LONG ?
		    "circles.errors.api_too_long" : "circles.errors.api_invalid", "body");
		return 1;
	}
	if (db_begin(c->db) != 0)
		goto fail;
	*id = db_insert(c->db, "INSERT INTO circle_announcements (circle_id, author_id, title, "
	    "body, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id", DB_I(s->circle.id),
	    DB_I(c->user->id), DB_T(trimmed(c, title)), DB_T(trimmed(c, body)), DB_I(c->now));
	if (*id <= 0 || (email && enqueue_emails(c, s->circle.id, *id) != 0)) {
		db_rollback(c->db);
		goto fail;
	}
	if (db_commit(c->db) != 0)
		goto fail;
	if (email)
		jobs_worker_wake();
	return 0;
fail:
	circles_server_error(c, "announce");
	return 1;
}

void
h_api_circle_announce(struct ctx *c)
{
	struct seen s;
	int64_t id;

	if (announce(c, &s, &id) == 0)
		respond_json(c, 201, json_pack("{s:I}", "id", (json_int_t)id));
}

void
h_circle_announce(struct ctx *c)
{
	struct seen s;
	int64_t id;

	if (announce(c, &s, &id) == 0)
		respond_redirect(c, arena_printf(c->a, "/circles/%lld?notice=announced",
		    (long long)s.circle.id));
}
