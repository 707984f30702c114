/*
 * web.c: the circles pages and API: the list of circles a member can see,
 * a circle's page (purpose, norms, the confidentiality agreement, joining,
 * the roster for its members only), creating circles, and facilitators
 * answering requests to join.
 *
 * Handlers are thin: gather the facts (store.c), let circle.c decide,
 * render.  A circle the viewer may not see, and a roster the viewer is not
 * part of, answer 404 as if they did not exist.  The HTML forms and the API
 * share the validation, so both give the same answers.
 */
#include "app/handlers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accounts/roles.h"
#include "base/log.h"
#include "checkins/circle_milestones.h"
#include "circles/circle.h"
#include "circles/rota.h"
#include "circles/store.h"
#include "circles/web_int.h"
#include "meetings/web.h"
#include "notify/jobs.h"
#include "view/view.h"

#define CIRCLES_LIST_MAX	500
#define ROSTER_MAX		500
#define CREATE_ROLES		(ROLE_FACILITATOR | ROLE_COORDINATOR | ROLE_ADMIN)

/* ---- small helpers ---- */

/* "3 March 2026" in the request's language. */
const char *
circles_format_date(struct ctx *c, int64_t t)
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (t <= 0 || gmtime_r(&tt, &tm) == NULL)
		return "";
	return ctx_tr(c, "circles.date.date", json_pack("{s:i, s:s, s:i}", "day", tm.tm_mday,
	    "month", i18n_get(c->lang, arena_printf(c->a, "circles.date.month%d", tm.tm_mon + 1)),
	    "year", tm.tm_year + 1900));
}

static const char *
iso_date(struct ctx *c, int64_t t)
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (t <= 0 || gmtime_r(&tt, &tm) == NULL)
		return "";
	return arena_printf(c->a, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* Text as paragraphs (one per non-blank line) for templates: [{text}]. */
static json_t *
paragraphs(const char *s)
{
	json_t *a = json_array();
	const char *p = s;

	while (p != NULL && *p != '\0') {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		size_t b = 0;

		while (b < n && (p[b] == ' ' || p[b] == '\t' || p[b] == '\r'))
			b++;
		while (n > b && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
			n--;
		if (n > b)
			json_array_append_new(a, json_pack("{s:s%}", "text", p + b, n - b));
		p = e ? e + 1 : NULL;
	}
	return a;
}

static const char *
standing_name(enum circle_standing s)
{
	switch (s) {
	case CIRCLE_PENDING:		return "pending";
	case CIRCLE_MEMBER:		return "member";
	case CIRCLE_FACILITATOR:	return "facilitator";
	default:			return "none";
	}
}

/* A JSON boolean, or a form checkbox ("1", "yes", "on", "true"). */
static bool
field_bool(struct ctx *c, const char *name)
{
	const char *s;

	if (c->json != NULL)
		return json_is_true(json_object_get(c->json, name));
	s = params_get(&c->form, name);
	return s != NULL && (strcmp(s, "1") == 0 || strcmp(s, "yes") == 0 ||
	    strcmp(s, "on") == 0 || strcmp(s, "true") == 0);
}

void
circles_done(struct ctx *c, int64_t circle_id, const char *notice)
{
	respond_done(c, arena_printf(c->a, "/circles/%lld?notice=%s", (long long)circle_id,
	    notice));
}

void
circles_server_error(struct ctx *c, const char *what)
{
	log_warnx("circles: %s: %s", what, db_errmsg(c->db));
	respond_error(c, 500, "internal", NULL, NULL);
}

/*
 * Load circle :id (path parameter 0) as the viewer sees it.  Returns true
 * when visible; otherwise the answer (404 or 500) has been given.
 */
bool
circles_load_seen(struct ctx *c, struct seen *s)
{
	int64_t id = ctx_param_id(c, 0);
	int rc;

	memset(s, 0, sizeof(*s));
	if (id <= 0) {
		respond_error(c, 404, "not_found", NULL, NULL);
		return false;
	}
	rc = circles_load(c->db, c->a, id, &s->circle);
	if (rc < 0 || (rc == 1 && circles_standing(c->db, id, c->user->id, &s->st) != 0)) {
		circles_server_error(c, "load");
		return false;
	}
	s->v.standing = s->st.standing;
	s->v.same_chapter = s->circle.chapter_id == 0 ||
	    (c->user->chapter_id > 0 && s->circle.chapter_id == c->user->chapter_id);
	s->v.coordinator = ctx_has_role(c, ROLE_COORDINATOR | ROLE_ADMIN);
	if (rc == 0 || !circle_visible(&s->v)) {
		respond_error(c, 404, "not_found", NULL, NULL);
		return false;
	}
	return true;
}

static json_t *
circle_json(const struct seen *s)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:I}",
	    "id", (json_int_t)s->circle.id, "name", s->circle.name,
	    "purpose", s->circle.purpose, "norms", s->circle.norms,
	    "agreement", s->circle.agreement,
	    "membership", circle_membership_name(s->circle.membership),
	    "member_count", (json_int_t)s->circle.member_count,
	    "standing", standing_name(s->st.standing),
	    "created_at", (json_int_t)s->circle.created_at);

	json_object_set_new(o, "chapter_id", s->circle.chapter_id > 0 ?
	    json_integer(s->circle.chapter_id) : json_null());
	json_object_set_new(o, "agreement_accepted_at", s->st.agreement_accepted_at > 0 ?
	    json_integer(s->st.agreement_accepted_at) : json_null());
	json_object_set_new(o, "joined_at", s->st.joined_at > 0 ?
	    json_integer(s->st.joined_at) : json_null());
	return o;
}

/* Active members ([{user_id, display_name, role, joined_at}]) or pending requests. */
static json_t *
roster(struct ctx *c, int64_t circle_id, bool pending)
{
	struct db_rows *r;
	json_t *a;
	size_t i;

	r = db_query(c->db, "SELECT u.id, u.display_name, m.role, m.joined_at, m.created_at "
	    "FROM circle_members m JOIN users u ON u.id = m.user_id WHERE m.circle_id = ? "
	    "AND m.state = ? AND u.disabled = 0 ORDER BY m.role, LOWER(u.display_name), u.id "
	    "LIMIT ?", DB_I(circle_id), DB_T(pending ? "pending" : "active"), DB_I(ROSTER_MAX));
	if (r == NULL)
		return NULL;
	a = json_array();
	for (i = 0; i < db_rows_count(r); i++) {
		json_t *o = json_pack("{s:I, s:s}", "user_id", (json_int_t)db_rows_int(r, i, 0),
		    "display_name", db_rows_text(r, i, 1));

		if (pending)
			json_object_set_new(o, "requested_at", json_integer(db_rows_int(r, i, 4)));
		else {
			json_object_set_new(o, "role", json_string(db_rows_text(r, i, 2)));
			json_object_set_new(o, "joined_at", json_integer(db_rows_int(r, i, 3)));
		}
		json_array_append_new(a, o);
	}
	db_rows_free(r);
	return a;
}

/* The circles the viewer may see: their chapter's, network-wide ones, their own. */
static json_t *
visible_circles(struct ctx *c)
{
	struct db_rows *r;
	json_t *a;
	size_t i;

	r = db_query(c->db, "SELECT c.id, c.name, c.purpose, c.membership, c.chapter_id, "
	    "m.role, m.state, (SELECT COUNT(*) FROM circle_members x WHERE x.circle_id = c.id "
	    "AND x.state = 'active') FROM circles c LEFT JOIN circle_members m "
	    "ON m.circle_id = c.id AND m.user_id = ? WHERE ? = 1 OR m.user_id IS NOT NULL "
	    "OR c.chapter_id IS NULL OR c.chapter_id = ? ORDER BY LOWER(c.name), c.id LIMIT ?",
	    DB_I(c->user->id), DB_I(ctx_has_role(c, ROLE_COORDINATOR | ROLE_ADMIN) ? 1 : 0),
	    DB_I(c->user->chapter_id > 0 ? c->user->chapter_id : -1), DB_I(CIRCLES_LIST_MAX));
	if (r == NULL)
		return NULL;
	a = json_array();
	for (i = 0; i < db_rows_count(r); i++) {
		const char *state = db_rows_text(r, i, 6), *role = db_rows_text(r, i, 5);
		enum circle_standing st = CIRCLE_NONE;
		json_t *o;

		if (strcmp(state, "pending") == 0)
			st = CIRCLE_PENDING;
		else if (strcmp(state, "active") == 0)
			st = strcmp(role, "facilitator") == 0 ? CIRCLE_FACILITATOR : CIRCLE_MEMBER;
		o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:I}",
		    "id", (json_int_t)db_rows_int(r, i, 0), "name", db_rows_text(r, i, 1),
		    "purpose", db_rows_text(r, i, 2), "membership", db_rows_text(r, i, 3),
		    "standing", standing_name(st), "member_count", (json_int_t)db_rows_int(r, i, 7));
		json_object_set_new(o, "chapter_id", db_rows_isnull(r, i, 4) ? json_null() :
		    json_integer(db_rows_int(r, i, 4)));
		json_array_append_new(a, o);
	}
	db_rows_free(r);
	return a;
}

/* ---- creating a circle ---- */

static void
read_input(struct ctx *c, struct circle_input *in)
{
	in->name = ctx_field(c, "name");
	in->purpose = ctx_field(c, "purpose");
	in->norms = ctx_field(c, "norms");
	in->agreement = ctx_field(c, "agreement");
	in->membership = ctx_field(c, "membership");
}

static const char *
input_error_token(enum circle_input_error e)
{
	switch (e) {
	case CIRCLE_INPUT_MISSING:	return "missing";
	case CIRCLE_INPUT_TOO_LONG:	return "too_long";
	default:			return "invalid";
	}
}

static int
field_max(const char *field)
{
	if (strcmp(field, "name") == 0)
		return CIRCLE_NAME_MAX;
	if (strcmp(field, "purpose") == 0)
		return CIRCLE_PURPOSE_MAX;
	if (strcmp(field, "norms") == 0)
		return CIRCLE_NORMS_MAX;
	return CIRCLE_AGREEMENT_MAX;
}

static json_t *
new_form_data(struct ctx *c, const struct circle_input *in, const struct circle_check *chk)
{
	const char *m = in && in->membership ? in->membership : "open";
	json_t *form = json_pack("{s:s, s:s, s:s, s:s, s:b, s:b}",
	    "name", in && in->name ? in->name : "",
	    "purpose", in && in->purpose ? in->purpose : "",
	    "norms", in && in->norms ? in->norms : "",
	    "agreement", in && in->agreement ? in->agreement : "",
	    "open", strcmp(m, "request") != 0, "request", strcmp(m, "request") == 0);
	json_t *errors = json_object();

	if (chk != NULL && chk->field != NULL) {
		const char *key = strcmp(chk->field, "membership") == 0 ?
		    "circles.errors.membership" :
		    arena_printf(c->a, "circles.errors.%s", input_error_token(chk->error));

		json_object_set_new(errors, chk->field, json_string(ctx_tr(c, key,
		    json_pack("{s:i}", "max", field_max(chk->field)))));
	}
	return json_pack("{s:o, s:o, s:I, s:I, s:I, s:I}", "form", form, "errors", errors,
	    "name_max", (json_int_t)CIRCLE_NAME_MAX, "purpose_max",
	    (json_int_t)CIRCLE_PURPOSE_MAX, "norms_max", (json_int_t)CIRCLE_NORMS_MAX,
	    "agreement_max", (json_int_t)CIRCLE_AGREEMENT_MAX);
}

void
h_circle_new_form(struct ctx *c)
{
	respond_page(c, 200, "circles/new", "circles.new.title", new_form_data(c, NULL, NULL));
}

/* Shared by the form and the API: 0 created (*id), 1 invalid (chk), -1 error. */
static int
create_circle(struct ctx *c, struct circle_input *in, struct circle_check *chk, int64_t *id)
{
	read_input(c, in);
	*chk = circle_input_check(in);
	if (chk->error != CIRCLE_INPUT_OK)
		return 1;
	*id = circles_create(c->db, in, c->user->chapter_id, c->user->id, c->now);
	return *id > 0 ? 0 : -1;
}

void
h_circle_create(struct ctx *c)
{
	struct circle_input in;
	struct circle_check chk;
	int64_t id = 0;
	int rc = create_circle(c, &in, &chk, &id);

	if (rc < 0)
		circles_server_error(c, "create");
	else if (rc == 1)
		respond_page(c, 422, "circles/new", "circles.new.title", new_form_data(c, &in, &chk));
	else
		respond_redirect(c, arena_printf(c->a, "/circles/%lld?notice=created", (long long)id));
}

void
h_api_circle_create(struct ctx *c)
{
	struct circle_input in;
	struct circle_check chk;
	struct seen s;
	int64_t id = 0;
	int rc = create_circle(c, &in, &chk, &id);

	if (rc < 0) {
		circles_server_error(c, "create");
		return;
	}
	if (rc == 1) {
		respond_error(c, 422, "invalid_field", arena_printf(c->a, "circles.errors.api_%s",
		    input_error_token(chk.error)), chk.field);
		return;
	}
	memset(&s, 0, sizeof(s));
	if (circles_load(c->db, c->a, id, &s.circle) != 1 ||
	    circles_standing(c->db, id, c->user->id, &s.st) != 0) {
		circles_server_error(c, "reload");
		return;
	}
	respond_json(c, 201, circle_json(&s));
}

/* ---- the list ---- */

void
h_circles(struct ctx *c)
{
	json_t *list = visible_circles(c), *d;
	size_t i;
	json_t *o;

	if (list == NULL) {
		circles_server_error(c, "list");
		return;
	}
	json_array_foreach(list, i, o) {
		const char *st = json_string_value(json_object_get(o, "standing"));

		json_object_set_new(o, "is_member", json_boolean(strcmp(st, "member") == 0 ||
		    strcmp(st, "facilitator") == 0));
		json_object_set_new(o, "is_facilitator", json_boolean(strcmp(st, "facilitator") == 0));
		json_object_set_new(o, "is_pending", json_boolean(strcmp(st, "pending") == 0));
		json_object_set_new(o, "by_request", json_boolean(strcmp(json_string_value(
		    json_object_get(o, "membership")), "request") == 0));
	}
	d = json_pack("{s:b, s:b}", "can_create", ctx_has_role(c, CREATE_ROLES),
	    "has_circles", json_array_size(list) > 0);
	json_object_set_new(d, "circles", list);
	respond_page(c, 200, "circles/list", "circles.list.title", d);
}

void
h_api_circles(struct ctx *c)
{
	json_t *list = visible_circles(c);

	if (list == NULL) {
		circles_server_error(c, "list");
		return;
	}
	respond_json(c, 200, json_pack("{s:o}", "circles", list));
}

/* ---- one circle ---- */

void
circles_render_circle(struct ctx *c, int status, const struct seen *s, const char *notice,
    const char *agreement_error, const char *code_error)
{
	json_t *d = circle_json(s), *sessions, *news, *rota, *milestones;

	json_object_set_new(d, "title", json_string(s->circle.name));
	json_object_set_new(d, "purpose_p", paragraphs(s->circle.purpose));
	json_object_set_new(d, "norms_p", paragraphs(s->circle.norms));
	json_object_set_new(d, "agreement_p", paragraphs(s->circle.agreement));
	json_object_set_new(d, "by_request", json_boolean(s->circle.membership == CIRCLE_BY_REQUEST));
	json_object_set_new(d, "is_none", json_boolean(s->st.standing == CIRCLE_NONE));
	json_object_set_new(d, "is_pending", json_boolean(s->st.standing == CIRCLE_PENDING));
	json_object_set_new(d, "is_member", json_boolean(circle_roster_visible(&s->v)));
	json_object_set_new(d, "is_facilitator", json_boolean(circle_can_manage(&s->v)));
	json_object_set_new(d, "can_counts", json_boolean(ctx_has_role(c, ROLE_COORDINATOR |
	    ROLE_ADMIN)));
	if (s->st.agreement_accepted_at > 0) {
		json_object_set_new(d, "accepted_text", json_string(ctx_tr(c, "circles.page.accepted_on",
		    json_pack("{s:s}", "date", circles_format_date(c, s->st.agreement_accepted_at)))));
		json_object_set_new(d, "accepted_iso",
		    json_string(iso_date(c, s->st.agreement_accepted_at)));
	}
	if (circle_roster_visible(&s->v)) {
		json_t *members = roster(c, s->circle.id, false);
		size_t i;
		json_t *o;

		if (members == NULL) {
			circles_server_error(c, "roster");
			json_decref(d);
			return;
		}
		json_array_foreach(members, i, o) {
			json_object_set_new(o, "is_facilitator", json_boolean(strcmp(json_string_value(
			    json_object_get(o, "role")), "facilitator") == 0));
			json_object_set_new(o, "since", json_string(circles_format_date(c,
			    json_integer_value(json_object_get(o, "joined_at")))));
		}
		json_object_set_new(d, "members", members);
		sessions = circles_sessions_json(c, s, true);
		if (sessions == NULL) {
			circles_server_error(c, "sessions");
			json_decref(d);
			return;
		}
		json_object_set_new(d, "has_sessions", json_boolean(json_array_size(sessions) > 0));
		json_object_set_new(d, "sessions", sessions);
		news = circles_announcements_json(c, s->circle.id);
		if (news == NULL) {
			circles_server_error(c, "announcements");
			json_decref(d);
			return;
		}
		{
			size_t i;
			json_t *o;

			json_array_foreach(news, i, o) {
				json_object_set_new(o, "body_p", paragraphs(json_string_value(
				    json_object_get(o, "body"))));
				json_object_set_new(o, "date", json_string(circles_format_date(c,
				    json_integer_value(json_object_get(o, "created_at")))));
			}
		}
		json_object_set_new(d, "has_news", json_boolean(json_array_size(news) > 0));
		json_object_set_new(d, "news", news);
		rota = circles_rota_json(c, s->circle.id, ROTA_SESSIONS_DEFAULT);
		if (rota == NULL) {
			circles_server_error(c, "rota");
			json_decref(d);
			return;
		}
		json_object_set_new(d, "has_rota", json_boolean(json_array_size(
		    json_object_get(rota, "rota")) > 0));
		json_object_set_new(d, "has_swap_requests", json_boolean(json_array_size(
		    json_object_get(rota, "swap_requests")) > 0));
		json_object_set_new(d, "rota", rota);
		json_object_set_new(d, "volunteer", json_boolean(s->st.volunteer));
		/* milestones members chose to share with their circles (checkins area) */
		milestones = circle_milestones_json(c, s->circle.id);
		if (milestones == NULL) {
			circles_server_error(c, "milestones");
			json_decref(d);
			return;
		}
		json_object_set_new(d, "has_milestones", json_boolean(json_array_size(milestones) > 0));
		json_object_set_new(d, "milestones", milestones);
	}
	if (circle_can_manage(&s->v)) {
		json_t *req = roster(c, s->circle.id, true);
		size_t i;
		json_t *o;

		if (req == NULL) {
			circles_server_error(c, "requests");
			json_decref(d);
			return;
		}
		json_array_foreach(req, i, o)
			json_object_set_new(o, "since", json_string(circles_format_date(c,
			    json_integer_value(json_object_get(o, "requested_at")))));
		json_object_set_new(d, "has_requests", json_boolean(json_array_size(req) > 0));
		json_object_set_new(d, "requests", req);
	}
	if (notice != NULL)
		json_object_set_new(d, "notice", json_string(notice));
	if (agreement_error != NULL)
		json_object_set_new(d, "agreement_error", json_string(agreement_error));
	if (code_error != NULL)
		json_object_set_new(d, "code_error", json_string(code_error));
	respond_page(c, status, "circles/circle", "circles.page.title", d);
}

static const char *
notice_text(struct ctx *c)
{
	const char *n = params_get(&c->query, "notice");
	static const char *const known[] = { "created", "joined", "requested", "left",
	    "approved", "declined", "rsvp", "checked_in", "marked", "announced", "rota", "agenda",
	    "swap_requested", "swap_accepted", "swap_declined", "swap_withdrawn", NULL };
	size_t i;

	if (n == NULL)
		return NULL;
	for (i = 0; known[i] != NULL; i++)
		if (strcmp(n, known[i]) == 0)
			return i18n_get(c->lang, arena_printf(c->a, "circles.notices.%s", n));
	return NULL;
}

void
h_circle_page(struct ctx *c)
{
	struct seen s;

	if (circles_load_seen(c, &s))
		circles_render_circle(c, 200, &s, notice_text(c), NULL, NULL);
}

void
h_api_circle(struct ctx *c)
{
	struct seen s;

	if (circles_load_seen(c, &s))
		respond_json(c, 200, circle_json(&s));
}

/*
 * The circle's open meetings as iCalendar.  Circles are never public: the
 * feed follows the circle's page (whoever may see the circle: its members,
 * its chapter, coordinators; 404 for anyone else).  The meetings
 * themselves are in the public finder; what this adds is which meetings
 * are the circle's, and its name.
 */
void
h_api_circle_ics(struct ctx *c)
{
	struct seen s;

	if (circles_load_seen(c, &s))
		meetings_ics_circle(c, s.circle.id, s.circle.name);
}

void
h_api_circle_members(struct ctx *c)
{
	struct seen s;
	json_t *members, *o;

	if (!circles_load_seen(c, &s))
		return;
	if (!circle_roster_visible(&s.v)) {
		respond_error(c, 404, "not_found", NULL, NULL);
		return;
	}
	members = roster(c, s.circle.id, false);
	if (members == NULL) {
		circles_server_error(c, "roster");
		return;
	}
	o = json_pack("{s:o}", "members", members);
	if (circle_can_manage(&s.v)) {
		json_t *req = roster(c, s.circle.id, true);

		if (req == NULL) {
			json_decref(o);
			circles_server_error(c, "requests");
			return;
		}
		json_object_set_new(o, "requests", req);
	}
	respond_json(c, 200, o);
}

/* ---- joining and leaving ---- */

/*
 * Tell the circle's facilitators that someone asked to join, so a request
 * does not wait unseen.  Discreet like the announcements: no circle name,
 * no person's name, nothing about health; only where to sign in.  A
 * failure to queue is logged, and the request stands (it is on the page).
 */
static void
email_facilitators(struct ctx *c, int64_t circle_id)
{
	struct db_rows *r = db_query(c->db, "SELECT u.id, u.email, u.lang FROM circle_members m "
	    "JOIN users u ON u.id = m.user_id WHERE m.circle_id = ? AND m.state = 'active' AND "
	    "m.role = 'facilitator' AND u.disabled = 0 AND u.email IS NOT NULL",
	    DB_I(circle_id));
	const char *url = arena_printf(c->a, "%s/circles/%lld", c->cfg->public_url,
	    (long long)circle_id);
	size_t i;

	if (r == NULL) {
		log_warnx("circles: request email: %s", db_errmsg(c->db));
		return;
	}
	for (i = 0; i < db_rows_count(r); i++)
		if (circles_queue_email(c, db_rows_int(r, i, 0), db_rows_text(r, i, 1),
		    db_rows_text(r, i, 2), "circles.request_email", url, arena_printf(c->a,
		    "join-request:%lld:%lld:%lld:%lld", (long long)circle_id,
		    (long long)c->user->id, (long long)db_rows_int(r, i, 0), (long long)c->now)) != 0)
			log_warnx("circles: request email: %s", db_errmsg(c->db));
	db_rows_free(r);
	jobs_worker_wake();
}

/* 0 decided (*res), -1 answered with an error. */
static int
join(struct ctx *c, struct seen *s, enum circle_join_result *res)
{
	*res = circle_join_decide(s->circle.membership, s->st.standing,
	    field_bool(c, "accept_agreement"));
	if (*res == CIRCLE_JOIN_JOINED || *res == CIRCLE_JOIN_REQUESTED) {
		if (circles_add_member(c->db, s->circle.id, c->user->id,
		    *res == CIRCLE_JOIN_REQUESTED, c->now) != 0 ||
		    circles_standing(c->db, s->circle.id, c->user->id, &s->st) != 0) {
			circles_server_error(c, "join");
			return -1;
		}
		s->v.standing = s->st.standing;
		if (*res == CIRCLE_JOIN_REQUESTED)
			email_facilitators(c, s->circle.id);
	}
	return 0;
}

void
h_circle_join(struct ctx *c)
{
	struct seen s;
	enum circle_join_result res;

	if (!circles_load_seen(c, &s) || join(c, &s, &res) != 0)
		return;
	if (res == CIRCLE_JOIN_NEEDS_AGREEMENT) {
		circles_render_circle(c, 422, &s, NULL, i18n_get(c->lang, "circles.errors.agreement"),
		    NULL);
		return;
	}
	respond_redirect(c, arena_printf(c->a, "/circles/%lld%s", (long long)s.circle.id,
	    res == CIRCLE_JOIN_JOINED ? "?notice=joined" :
	    res == CIRCLE_JOIN_REQUESTED ? "?notice=requested" : ""));
}

void
h_api_circle_join(struct ctx *c)
{
	struct seen s;
	enum circle_join_result res;

	if (!circles_load_seen(c, &s) || join(c, &s, &res) != 0)
		return;
	if (res == CIRCLE_JOIN_NEEDS_AGREEMENT) {
		respond_error(c, 422, "invalid_field", "circles.errors.agreement",
		    "accept_agreement");
		return;
	}
	respond_json(c, res == CIRCLE_JOIN_ALREADY ? 200 : 201, circle_json(&s));
}

static bool
leave(struct ctx *c, struct seen *s)
{
	if (s->st.standing == CIRCLE_NONE)
		return true;
	if (circles_remove_member(c->db, s->circle.id, c->user->id) < 0) {
		circles_server_error(c, "leave");
		return false;
	}
	s->st.standing = CIRCLE_NONE;
	s->st.agreement_accepted_at = 0;
	s->st.joined_at = 0;
	return true;
}

void
h_circle_leave(struct ctx *c)
{
	struct seen s;

	if (circles_load_seen(c, &s) && leave(c, &s))
		circles_done(c, s.circle.id, "left");
}

/* ---- facilitators answering requests ---- */

/* 1 done, 0 answered 404/500 already. */
static int
answer_request(struct ctx *c, bool approve, struct seen *s)
{
	int64_t member = ctx_param_id(c, 1);
	int rc;

	if (!circles_load_seen(c, s))
		return 0;
	if (!circle_can_manage(&s->v) || member <= 0) {
		respond_error(c, 404, "not_found", NULL, NULL);
		return 0;
	}
	rc = approve ? circles_approve(c->db, s->circle.id, member, c->now) :
	    circles_decline(c->db, s->circle.id, member);
	if (rc < 0) {
		circles_server_error(c, "answer request");
		return 0;
	}
	if (rc == 0) {
		respond_error(c, 404, "not_found", NULL, NULL);
		return 0;
	}
	return 1;
}

void
h_circle_request_approve(struct ctx *c)
{
	struct seen s;

	if (answer_request(c, true, &s))
		circles_done(c, s.circle.id, "approved");
}

void
h_circle_request_decline(struct ctx *c)
{
	struct seen s;

	if (answer_request(c, false, &s))
		circles_done(c, s.circle.id, "declined");
}

