/*
 * web_rota.c: the leadership rota of a circle: who volunteers to lead,
 * the sessions each cannot make, the proposed rota for the coming sessions
 * (circles/rota.c), and swaps between the people leading two sessions.
 *
 * Only members of the circle see the rota (others 404).  The pool is the
 * circle's facilitators and the members who volunteered.  A swap fixes both
 * sessions; everything else is proposed afresh on each read, so a new
 * volunteer or a new "can't make it" reshapes the rest fairly.
 */
#include "app/handlers.h"

#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "circles/rota.h"
#include "circles/web_int.h"
#include "view/view.h"

struct rota {
	int64_t			*pool;
	const char		**names;
	size_t			 npool;
	struct rota_slot	*slots;
	struct cmeeting		**slot_meeting;
	size_t			 nslots;
};

static const char *
pool_name(const struct rota *r, int64_t user)
{
	size_t i;

	for (i = 0; i < r->npool; i++)
		if (r->pool[i] == user)
			return r->names[i];
	return NULL;
}

static int
cmp_slot(const void *a, const void *b)
{
	const struct rota_slot *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->meeting_id < y->meeting_id ? -1 : x->meeting_id > y->meeting_id;
}

/* Build the rota of circle_id for its next nmax sessions.  0 or -1. */
static int
rota_build(struct ctx *c, int64_t circle_id, size_t nmax, struct rota *r)
{
	struct cmeeting *cm;
	struct rota_unavailable *un;
	struct db_rows *q;
	size_t n, i, j, k = 0, total = 0, nun;

	memset(r, 0, sizeof(*r));
	q = db_query(c->db, "SELECT u.id, u.display_name FROM circle_members m JOIN users u "
	    "ON u.id = m.user_id WHERE m.circle_id = ? AND m.state = 'active' AND "
	    "(m.role = 'facilitator' OR m.volunteer = 1) AND u.disabled = 0 "
	    "ORDER BY m.joined_at, u.id", DB_I(circle_id));
	if (q == NULL)
		return -1;
	r->npool = db_rows_count(q);
	r->pool = arena_zalloc(c->a, (r->npool + 1) * sizeof(*r->pool));
	r->names = arena_zalloc(c->a, (r->npool + 1) * sizeof(*r->names));
	for (i = 0; i < r->npool; i++) {
		r->pool[i] = db_rows_int(q, i, 0);
		r->names[i] = arena_strdup(c->a, db_rows_text(q, i, 1));
	}
	db_rows_free(q);
	if (circles_load_meetings(c, circle_id, &cm, &n) != 0)
		return -1;
	for (i = 0; i < n; i++)
		if (cm[i].next >= 0)
			total += cm[i].n - (size_t)cm[i].next;
	r->slots = arena_zalloc(c->a, (total + 1) * sizeof(*r->slots));
	for (i = 0; i < n; i++)
		for (j = cm[i].next >= 0 ? (size_t)cm[i].next : cm[i].n; j < cm[i].n; j++) {
			r->slots[k].meeting_id = cm[i].m->id;
			r->slots[k].start = cm[i].s[j].start;
			k++;
		}
	qsort(r->slots, k, sizeof(*r->slots), cmp_slot);
	r->nslots = k < nmax ? k : nmax;
	r->slot_meeting = arena_zalloc(c->a, (r->nslots + 1) * sizeof(*r->slot_meeting));
	for (i = 0; i < r->nslots; i++)
		for (j = 0; j < n; j++)
			if (cm[j].m->id == r->slots[i].meeting_id)
				r->slot_meeting[i] = &cm[j];
	q = db_query(c->db, "SELECT meeting_id, session_start, user_id FROM circle_rota "
	    "WHERE circle_id = ? AND session_start >= ?", DB_I(circle_id), DB_I(c->now - 86400));
	if (q == NULL)
		return -1;
	for (i = 0; i < db_rows_count(q); i++)
		for (j = 0; j < r->nslots; j++)
			if (r->slots[j].meeting_id == db_rows_int(q, i, 0) &&
			    r->slots[j].start == db_rows_int(q, i, 1) &&
			    pool_name(r, db_rows_int(q, i, 2)) != NULL)
				r->slots[j].fixed_user = db_rows_int(q, i, 2);
	db_rows_free(q);
	q = db_query(c->db, "SELECT user_id, meeting_id, session_start FROM circle_unavailable "
	    "WHERE circle_id = ? AND session_start >= ?", DB_I(circle_id), DB_I(c->now - 86400));
	if (q == NULL)
		return -1;
	nun = db_rows_count(q);
	un = arena_zalloc(c->a, (nun + 1) * sizeof(*un));
	for (i = 0; i < nun; i++) {
		un[i].user_id = db_rows_int(q, i, 0);
		un[i].meeting_id = db_rows_int(q, i, 1);
		un[i].start = db_rows_int(q, i, 2);
	}
	db_rows_free(q);
	rota_propose(r->pool, r->npool, un, nun, r->slots, r->nslots);
	return 0;
}

static json_t *
rota_json(struct ctx *c, const struct rota *r)
{
	json_t *pool = json_array(), *slots = json_array();
	size_t i;

	for (i = 0; i < r->npool; i++)
		json_array_append_new(pool, json_pack("{s:I, s:s}", "user_id",
		    (json_int_t)r->pool[i], "display_name", r->names[i]));
	for (i = 0; i < r->nslots; i++) {
		const struct rota_slot *s = &r->slots[i];
		json_t *o = json_pack("{s:s, s:s, s:I, s:b}", "meeting",
		    r->slot_meeting[i]->m->slug, "meeting_name", r->slot_meeting[i]->m->name,
		    "start", (json_int_t)s->start, "fixed", s->fixed_user != 0);

		json_object_set_new(o, "user_id", s->user ? json_integer(s->user) : json_null());
		json_object_set_new(o, "display_name", s->user ?
		    json_string(pool_name(r, s->user)) : json_null());
		json_object_set_new(o, "date", json_string(circles_format_date(c, s->start)));
		json_object_set_new(o, "mine", json_boolean(s->user != 0 && s->user == c->user->id));
		json_object_set_new(o, "key", json_string(arena_printf(c->a, "%s@%lld",
		    r->slot_meeting[i]->m->slug, (long long)s->start)));
		json_array_append_new(slots, o);
	}
	return json_pack("{s:o, s:o}", "pool", pool, "rota", slots);
}

json_t *
circles_rota_json(struct ctx *c, int64_t circle_id, size_t nmax)
{
	struct rota r;

	if (rota_build(c, circle_id, nmax, &r) != 0)
		return NULL;
	return rota_json(c, &r);
}

static bool
load_member(struct ctx *c, struct seen *s)
{
	if (!circles_load_seen(c, s))
		return false;
	if (!circle_roster_visible(&s->v)) {
		respond_error(c, 404, "not_found", NULL, NULL);
		return false;
	}
	return true;
}

void
h_api_circle_rota(struct ctx *c)
{
	struct seen s;
	const char *q = params_get(&c->query, "sessions");
	uint64_t n = ROTA_SESSIONS_DEFAULT;
	json_t *j;

	if (!load_member(c, &s))
		return;
	if (q != NULL && (!str_to_u64(str_c(q), ROTA_SESSIONS_MAX, &n) || n == 0)) {
		respond_error(c, 422, "invalid_field", "circles.errors.sessions", "sessions");
		return;
	}
	if ((j = circles_rota_json(c, s.circle.id, (size_t)n)) == NULL) {
		circles_server_error(c, "rota");
		return;
	}
	respond_json(c, 200, j);
}

static bool
json_flag(struct ctx *c, const char *name)
{
	const char *v;

	if (c->json != NULL) {
		json_t *j = json_object_get(c->json, name);

		return j == NULL || json_is_true(j);
	}
	v = params_get(&c->form, name);
	return v == NULL || strcmp(v, "0") != 0;
}

/* Volunteer to lead sessions, or stop. */
static int
volunteer(struct ctx *c, struct seen *s)
{
	if (!load_member(c, s))
		return 1;
	if (db_exec(c->db, "UPDATE circle_members SET volunteer = ? WHERE circle_id = ? AND "
	    "user_id = ?", DB_I(json_flag(c, "volunteer") ? 1 : 0), DB_I(s->circle.id),
	    DB_I(c->user->id)) < 0) {
		circles_server_error(c, "volunteer");
		return 1;
	}
	return 0;
}

void
h_api_circle_volunteer(struct ctx *c)
{
	struct seen s;

	if (volunteer(c, &s) == 0)
		respond_empty(c, 204);
}

void
h_circle_volunteer(struct ctx *c)
{
	struct seen s;

	if (volunteer(c, &s) == 0)
		respond_redirect(c, arena_printf(c->a, "/circles/%lld?notice=rota#rota-h",
		    (long long)s.circle.id));
}

static int64_t
json_int(struct ctx *c, const char *name)
{
	json_t *j = c->json ? json_object_get(c->json, name) : NULL;

	return json_is_integer(j) ? json_integer_value(j) : 0;
}

static long
find_slot(const struct rota *r, const char *slug, int64_t start)
{
	size_t i;

	for (i = 0; slug != NULL && i < r->nslots; i++)
		if (r->slots[i].start == start && strcmp(r->slot_meeting[i]->m->slug, slug) == 0)
			return (long)i;
	return -1;
}

/* Mark one's own session as one one cannot make (or can again).  0 done, 1 answered. */
static int
unavailable(struct ctx *c, struct seen *s, const char *slug, int64_t start, bool unavail)
{
	struct rota r;
	long i;

	if (!load_member(c, s))
		return 1;
	if (rota_build(c, s->circle.id, ROTA_SESSIONS_MAX, &r) != 0) {
		circles_server_error(c, "rota");
		return 1;
	}
	if (pool_name(&r, c->user->id) == NULL) {
		respond_error(c, 404, "not_found", NULL, NULL);
		return 1;
	}
	i = find_slot(&r, slug, start);
	if (i < 0) {
		respond_error(c, 422, "invalid_field", "circles.errors.session", "start");
		return 1;
	}
	if ((unavail ?
	    db_exec(c->db, "INSERT INTO circle_unavailable (meeting_id, session_start, user_id, "
	    "circle_id) VALUES (?, ?, ?, ?) ON CONFLICT (meeting_id, session_start, user_id) "
	    "DO NOTHING", DB_I(r.slots[i].meeting_id), DB_I(r.slots[i].start), DB_I(c->user->id),
	    DB_I(s->circle.id)) :
	    db_exec(c->db, "DELETE FROM circle_unavailable WHERE meeting_id = ? AND "
	    "session_start = ? AND user_id = ?", DB_I(r.slots[i].meeting_id),
	    DB_I(r.slots[i].start), DB_I(c->user->id))) < 0 ||
	    /* a fixed assignment of someone who now can't make it is dropped */
	    db_exec(c->db, "DELETE FROM circle_rota WHERE meeting_id = ? AND session_start = ? "
	    "AND user_id = ? AND ? = 1", DB_I(r.slots[i].meeting_id), DB_I(r.slots[i].start),
	    DB_I(c->user->id), DB_I(unavail ? 1 : 0)) < 0) {
		circles_server_error(c, "unavailable");
		return 1;
	}
	return 0;
}

void
h_api_circle_unavailable(struct ctx *c)
{
	struct seen s;

	if (unavailable(c, &s, ctx_field(c, "meeting"), json_int(c, "start"),
	    json_flag(c, "unavailable")) == 0)
		respond_empty(c, 204);
}

/* "slug@start" from a form's select or hidden field. */
static bool
session_key(struct ctx *c, const char *name, const char **slug, int64_t *start)
{
	const char *v = params_get(&c->form, name), *at;
	uint64_t u;

	*slug = NULL;
	*start = 0;
	if (v == NULL || (at = strrchr(v, '@')) == NULL ||
	    !str_to_u64(str_c(at + 1), INT64_MAX, &u))
		return false;
	*slug = arena_strndup(c->a, v, (size_t)(at - v));
	*start = (int64_t)u;
	return true;
}

void
h_circle_unavailable(struct ctx *c)
{
	struct seen s;
	const char *slug;
	int64_t start;

	session_key(c, "session", &slug, &start);
	if (unavailable(c, &s, slug, start, json_flag(c, "unavailable")) == 0)
		respond_redirect(c, arena_printf(c->a, "/circles/%lld?notice=rota#rota-h",
		    (long long)s.circle.id));
}

/* Swap who leads sessions a and b.  0 done, 1 answered. */
static int
swap(struct ctx *c, struct seen *s, const char *slug_a, int64_t start_a, const char *slug_b,
    int64_t start_b)
{
	struct rota r;
	long a, b;
	int64_t ua, ub;

	if (!load_member(c, s))
		return 1;
	if (rota_build(c, s->circle.id, ROTA_SESSIONS_MAX, &r) != 0) {
		circles_server_error(c, "rota");
		return 1;
	}
	if (pool_name(&r, c->user->id) == NULL) {
		respond_error(c, 404, "not_found", NULL, NULL);
		return 1;
	}
	a = find_slot(&r, slug_a, start_a);
	b = find_slot(&r, slug_b, start_b);
	if (a < 0 || b < 0 || a == b) {
		respond_error(c, 422, "invalid_field", "circles.errors.session", a < 0 ?
		    "start_a" : "start_b");
		return 1;
	}
	ua = r.slots[a].user;
	ub = r.slots[b].user;
	/* One's own sessions only, unless one facilitates the circle. */
	if (!circle_can_manage(&s->v) && ua != c->user->id && ub != c->user->id) {
		respond_error(c, 422, "invalid_field", "circles.errors.swap_own", "start_a");
		return 1;
	}
	if (db_begin(c->db) != 0)
		goto fail;
	if (db_exec(c->db, "DELETE FROM circle_rota WHERE (meeting_id = ? AND session_start = ?) "
	    "OR (meeting_id = ? AND session_start = ?)", DB_I(r.slots[a].meeting_id),
	    DB_I(r.slots[a].start), DB_I(r.slots[b].meeting_id), DB_I(r.slots[b].start)) < 0 ||
	    (ub != 0 && db_exec(c->db, "INSERT INTO circle_rota (meeting_id, session_start, "
	    "circle_id, user_id, updated_at) VALUES (?, ?, ?, ?, ?)", DB_I(r.slots[a].meeting_id),
	    DB_I(r.slots[a].start), DB_I(s->circle.id), DB_I(ub), DB_I(c->now)) < 0) ||
	    (ua != 0 && db_exec(c->db, "INSERT INTO circle_rota (meeting_id, session_start, "
	    "circle_id, user_id, updated_at) VALUES (?, ?, ?, ?, ?)", DB_I(r.slots[b].meeting_id),
	    DB_I(r.slots[b].start), DB_I(s->circle.id), DB_I(ua), DB_I(c->now)) < 0)) {
		db_rollback(c->db);
		goto fail;
	}
	if (db_commit(c->db) != 0)
		goto fail;
	return 0;
fail:
	circles_server_error(c, "swap");
	return 1;
}

void
h_api_circle_swap(struct ctx *c)
{
	struct seen s;
	json_t *j;

	if (swap(c, &s, ctx_field(c, "meeting_a"), json_int(c, "start_a"),
	    ctx_field(c, "meeting_b"), json_int(c, "start_b")) != 0)
		return;
	if ((j = circles_rota_json(c, s.circle.id, ROTA_SESSIONS_DEFAULT)) == NULL)
		circles_server_error(c, "swap");
	else
		respond_json(c, 200, j);
}

void
h_circle_swap(struct ctx *c)
{
	struct seen s;
	const char *sa, *sb;
	int64_t a, b;

	session_key(c, "session", &sa, &a);
	session_key(c, "with", &sb, &b);
	if (swap(c, &s, sa, a, sb, b) == 0)
		respond_redirect(c, arena_printf(c->a, "/circles/%lld?notice=rota#rota-h",
		    (long long)s.circle.id));
}
