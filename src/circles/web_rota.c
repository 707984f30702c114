/*
 * web_rota.c: the leadership rota of a circle: who volunteers to lead,
 * the sessions each cannot make, the proposed rota for the coming sessions
 * (circles/rota.c), and swaps between the people leading two sessions.
 *
 * Only members of the circle see the rota (others 404).  The pool is the
 * circle's facilitators and the members who volunteered.  A swap fixes both
 * sessions; everything else is proposed afresh on each read, so a new
 * volunteer or a new "can't make it" reshapes the rest fairly.  Swapping
 * with a session someone else leads is a request that person accepts or
 * declines (emailed to them, discreetly, through the job queue); it takes
 * effect only if both sessions still have the leaders asked about.
 */
#include "app/handlers.h"

#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "circles/rota.h"
#include "circles/web_int.h"
#include "notify/jobs.h"
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

static json_t *swap_requests_json(struct ctx *c, int64_t circle_id);

json_t *
circles_rota_json(struct ctx *c, int64_t circle_id, size_t nmax)
{
	struct rota r;
	json_t *j, *req;

	if (rota_build(c, circle_id, nmax, &r) != 0 ||
	    (req = swap_requests_json(c, circle_id)) == NULL)
		return NULL;
	j = rota_json(c, &r);
	json_object_set_new(j, "swap_requests", req);
	return j;
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
h_circle_volunteer(struct ctx *c)
{
	struct seen s;

	if (volunteer(c, &s) == 0)
		circles_done(c, s.circle.id, "rota#rota-h");
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
		circles_done(c, s.circle.id, "rota#rota-h");
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
		circles_done(c, s.circle.id, "rota#rota-h");
}

/* Fix the leaders of two slots crosswise: ua now leads b, ub leads a.  In a transaction. */
static int
apply_swap(struct ctx *c, int64_t circle_id, int64_t meeting_a, int64_t start_a, int64_t ua,
    int64_t meeting_b, int64_t start_b, int64_t ub)
{
	if (db_exec(c->db, "DELETE FROM circle_rota WHERE (meeting_id = ? AND session_start = ?) "
	    "OR (meeting_id = ? AND session_start = ?)", DB_I(meeting_a), DB_I(start_a),
	    DB_I(meeting_b), DB_I(start_b)) < 0 ||
	    (ub != 0 && db_exec(c->db, "INSERT INTO circle_rota (meeting_id, session_start, "
	    "circle_id, user_id, updated_at) VALUES (?, ?, ?, ?, ?)", DB_I(meeting_a),
	    DB_I(start_a), DB_I(circle_id), DB_I(ub), DB_I(c->now)) < 0) ||
	    (ua != 0 && db_exec(c->db, "INSERT INTO circle_rota (meeting_id, session_start, "
	    "circle_id, user_id, updated_at) VALUES (?, ?, ?, ?, ?)", DB_I(meeting_b),
	    DB_I(start_b), DB_I(circle_id), DB_I(ua), DB_I(c->now)) < 0))
		return -1;
	return 0;
}

static const char *
rota_url(struct ctx *c, int64_t circle_id)
{
	return arena_printf(c->a, "%s/circles/%lld#rota-h", c->cfg->public_url,
	    (long long)circle_id);
}

/*
 * Open the transaction a rota change is checked and made in, under the
 * circle's rota lock: the leaders a change was checked against are still
 * the leaders when it is written, even with two answers at once (or two
 * servers on PostgreSQL).  0, or -1 (nothing open).
 */
static int
rota_begin(struct ctx *c, int64_t circle_id)
{
	if (db_begin(c->db) != 0)
		return -1;
	if (db_tx_lock(c->db, arena_printf(c->a, "rota:%lld", (long long)circle_id)) != 0) {
		db_rollback(c->db);
		return -1;
	}
	return 0;
}

/* swap(), inside rota_begin's transaction (committed on success, else left to the caller). */
static int
swap_locked(struct ctx *c, struct seen *s, const char *slug_a, int64_t start_a,
    const char *slug_b, int64_t start_b, int64_t *request)
{
	struct rota r;
	long a, b, t;
	int64_t ua, ub, id;
	struct db_rows *q;

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
	if (ub == c->user->id && ua != c->user->id) {
		/* a is always the asker's own session from here on */
		t = a, a = b, b = t;
		ua = r.slots[a].user;
		ub = r.slots[b].user;
	}
	if (ua == c->user->id && ub != 0 && ub != ua) {
		/* The same question again is the same request, not a second email. */
		q = db_query(c->db, "SELECT id FROM circle_swap_requests WHERE circle_id = ? AND "
		    "state = 'pending' AND requester_id = ? AND responder_id = ? AND meeting_a = ? "
		    "AND start_a = ? AND meeting_b = ? AND start_b = ?", DB_I(s->circle.id),
		    DB_I(ua), DB_I(ub), DB_I(r.slots[a].meeting_id), DB_I(r.slots[a].start),
		    DB_I(r.slots[b].meeting_id), DB_I(r.slots[b].start));
		if (q == NULL) {
			db_rollback(c->db);
			goto fail;
		}
		id = db_rows_count(q) ? db_rows_int(q, 0, 0) : 0;
		db_rows_free(q);
		if (id == 0 && ((id = db_insert(c->db, "INSERT INTO circle_swap_requests "
		    "(circle_id, requester_id, responder_id, meeting_a, start_a, user_a, meeting_b, "
		    "start_b, user_b, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
		    DB_I(s->circle.id), DB_I(ua), DB_I(ub), DB_I(r.slots[a].meeting_id),
		    DB_I(r.slots[a].start), DB_I(ua), DB_I(r.slots[b].meeting_id),
		    DB_I(r.slots[b].start), DB_I(ub), DB_I(c->now))) <= 0 ||
		    circles_email_user(c, ub, "circles.swap_email", rota_url(c, s->circle.id),
		    arena_printf(c->a, "swap:%lld", (long long)id)) != 0)) {
			db_rollback(c->db);
			goto fail;
		}
		if (db_commit(c->db) != 0)
			goto fail;
		jobs_worker_wake();
		*request = id;
		return 2;
	}
	if (apply_swap(c, s->circle.id, r.slots[a].meeting_id, r.slots[a].start, ua,
	    r.slots[b].meeting_id, r.slots[b].start, ub) != 0) {
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

/*
 * Swap who leads sessions a and b.  When the other session is someone
 * else's, nothing changes yet: a request waits for that person's answer
 * (*request set, and they are emailed).  Swapping with an open session, or
 * a facilitator rearranging two sessions that are neither theirs, takes
 * effect at once.  0 done, 2 requested, 1 answered with an error.
 */
static int
swap(struct ctx *c, struct seen *s, const char *slug_a, int64_t start_a, const char *slug_b,
    int64_t start_b, int64_t *request)
{
	int rc;

	*request = 0;
	if (!load_member(c, s))
		return 1;
	if (rota_begin(c, s->circle.id) != 0) {
		circles_server_error(c, "swap");
		return 1;
	}
	rc = swap_locked(c, s, slug_a, start_a, slug_b, start_b, request);
	db_rollback(c->db);	/* an answered error leaves it open; after a commit, nothing */
	return rc;
}

/* The viewer's pending swap requests in this circle, asked or to answer. */
static json_t *
swap_requests_json(struct ctx *c, int64_t circle_id)
{
	struct db_rows *q = db_query(c->db, "SELECT r.id, r.requester_id, r.responder_id, "
	    "ma.slug, ma.name, r.start_a, mb.slug, mb.name, r.start_b, ua.display_name, "
	    "ub.display_name FROM circle_swap_requests r JOIN meetings ma ON ma.id = r.meeting_a "
	    "JOIN meetings mb ON mb.id = r.meeting_b JOIN users ua ON ua.id = r.requester_id "
	    "JOIN users ub ON ub.id = r.responder_id WHERE r.circle_id = ? AND "
	    "r.state = 'pending' AND (r.requester_id = ? OR r.responder_id = ?) AND "
	    "r.start_a >= ? AND r.start_b >= ? ORDER BY r.created_at, r.id", DB_I(circle_id),
	    DB_I(c->user->id), DB_I(c->user->id), DB_I(c->now), DB_I(c->now));
	json_t *arr;
	size_t i;

	if (q == NULL)
		return NULL;
	arr = json_array();
	for (i = 0; i < db_rows_count(q); i++) {
		int64_t sa = db_rows_int(q, i, 5), sb = db_rows_int(q, i, 8);

		json_array_append_new(arr, json_pack("{s:I, s:b, s:b, s:s, s:s, s:I, s:s, s:s, s:s, "
		    "s:I, s:s, s:s, s:s}", "request_id", (json_int_t)db_rows_int(q, i, 0),
		    "asked_by_me", db_rows_int(q, i, 1) == c->user->id,
		    "to_me", db_rows_int(q, i, 2) == c->user->id,
		    "meeting_a", db_rows_text(q, i, 3), "meeting_a_name", db_rows_text(q, i, 4),
		    "start_a", (json_int_t)sa, "date_a", circles_format_date(c, sa),
		    "meeting_b", db_rows_text(q, i, 6), "meeting_b_name", db_rows_text(q, i, 7),
		    "start_b", (json_int_t)sb, "date_b", circles_format_date(c, sb),
		    "requester", db_rows_text(q, i, 9), "responder", db_rows_text(q, i, 10)));
	}
	db_rows_free(q);
	return arr;
}

void
h_api_circle_swap(struct ctx *c)
{
	struct seen s;
	json_t *j;
	int64_t req;
	int rc = swap(c, &s, ctx_field(c, "meeting_a"), json_int(c, "start_a"),
	    ctx_field(c, "meeting_b"), json_int(c, "start_b"), &req);

	if (rc == 1)
		return;
	if (rc == 2) {
		respond_json(c, 202, json_pack("{s:I, s:s}", "request_id", (json_int_t)req,
		    "state", "pending"));
		return;
	}
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
	int64_t a, b, req;
	int rc;

	session_key(c, "session", &sa, &a);
	session_key(c, "with", &sb, &b);
	if ((rc = swap(c, &s, sa, a, sb, b, &req)) != 1)
		respond_redirect(c, arena_printf(c->a, "/circles/%lld?notice=%s#rota-h",
		    (long long)s.circle.id, rc == 2 ? "swap_requested" : "rota"));
}

/*
 * Answer a swap request: its responder accepts or declines, its asker may
 * withdraw it.  Accepting swaps only if both sessions are still led by the
 * people asked about; otherwise the request is marked stale (409).  Returns
 * the state written ("accepted", "declined", "withdrawn") or NULL when
 * answered with an error.
 */
static const char *
answer_swap_locked(struct ctx *c, struct seen *s, bool accept)
{
	int64_t id = ctx_param_id(c, 1), requester, responder, ma, sa, ua, mb, sb, ub;
	struct db_rows *q;
	struct rota r;
	const char *state;
	long a = -1, b = -1;
	size_t i;

	q = db_query(c->db, "SELECT requester_id, responder_id, meeting_a, start_a, user_a, "
	    "meeting_b, start_b, user_b FROM circle_swap_requests WHERE id = ? AND circle_id = ? "
	    "AND state = 'pending'", DB_I(id > 0 ? id : -1), DB_I(s->circle.id));
	if (q == NULL) {
		circles_server_error(c, "swap answer");
		return NULL;
	}
	if (db_rows_count(q) == 0) {
		db_rows_free(q);
		respond_error(c, 404, "not_found", NULL, NULL);
		return NULL;
	}
	requester = db_rows_int(q, 0, 0);
	responder = db_rows_int(q, 0, 1);
	ma = db_rows_int(q, 0, 2), sa = db_rows_int(q, 0, 3), ua = db_rows_int(q, 0, 4);
	mb = db_rows_int(q, 0, 5), sb = db_rows_int(q, 0, 6), ub = db_rows_int(q, 0, 7);
	db_rows_free(q);
	/* Only the two people concerned; the asker can only withdraw. */
	if (c->user->id != responder && c->user->id != requester) {
		respond_error(c, 404, "not_found", NULL, NULL);
		return NULL;
	}
	if (accept && c->user->id != responder) {
		respond_error(c, 403, "not_yours", "circles.errors.swap_not_yours", NULL);
		return NULL;
	}
	state = !accept ? (c->user->id == responder ? "declined" : "withdrawn") : "accepted";
	if (accept) {
		if (rota_build(c, s->circle.id, ROTA_SESSIONS_MAX, &r) != 0) {
			circles_server_error(c, "rota");
			return NULL;
		}
		for (i = 0; i < r.nslots; i++) {
			if (r.slots[i].meeting_id == ma && r.slots[i].start == sa)
				a = (long)i;
			if (r.slots[i].meeting_id == mb && r.slots[i].start == sb)
				b = (long)i;
		}
		if (a < 0 || b < 0 || r.slots[a].user != ua || r.slots[b].user != ub) {
			if (db_exec(c->db, "UPDATE circle_swap_requests SET state = 'stale', "
			    "answered_at = ? WHERE id = ? AND state = 'pending'", DB_I(c->now),
			    DB_I(id)) < 0 || db_commit(c->db) != 0)
				circles_server_error(c, "swap answer");
			else
				respond_error(c, 409, "stale", "circles.errors.swap_stale", NULL);
			return NULL;
		}
	}
	switch (db_exec(c->db, "UPDATE circle_swap_requests SET state = ?, answered_at = ? "
	    "WHERE id = ? AND state = 'pending'", DB_T(state), DB_I(c->now), DB_I(id))) {
	case 1:
		break;
	case 0:		/* answered meanwhile, from another page or server */
		db_rollback(c->db);
		respond_error(c, 404, "not_found", NULL, NULL);
		return NULL;
	default:
		db_rollback(c->db);
		goto fail;
	}
	if ((accept && apply_swap(c, s->circle.id, ma, sa, ua, mb, sb, ub) != 0) ||
	    (strcmp(state, "withdrawn") != 0 && circles_email_user(c, requester,
	    "circles.swap_answer_email", rota_url(c, s->circle.id), arena_printf(c->a,
	    "swap-answer:%lld", (long long)id)) != 0)) {
		db_rollback(c->db);
		goto fail;
	}
	if (db_commit(c->db) != 0)
		goto fail;
	jobs_worker_wake();
	return state;
fail:
	circles_server_error(c, "swap answer");
	return NULL;
}

/*
 * Answer a swap request (answer_swap_locked) in rota_begin's transaction,
 * so the check that both sessions still have the leaders asked about and
 * the swap itself are one step.
 */
static const char *
answer_swap(struct ctx *c, struct seen *s, bool accept)
{
	const char *state;

	if (!load_member(c, s))
		return NULL;
	if (rota_begin(c, s->circle.id) != 0) {
		circles_server_error(c, "swap answer");
		return NULL;
	}
	state = answer_swap_locked(c, s, accept);
	db_rollback(c->db);	/* an answered error leaves it open; after a commit, nothing */
	return state;
}

static void
api_answer(struct ctx *c, bool accept)
{
	struct seen s;
	const char *state = answer_swap(c, &s, accept);
	json_t *j;

	if (state == NULL)
		return;
	if ((j = circles_rota_json(c, s.circle.id, ROTA_SESSIONS_DEFAULT)) == NULL) {
		circles_server_error(c, "swap answer");
		return;
	}
	json_object_set_new(j, "state", json_string(state));
	respond_json(c, 200, j);
}

static void
page_answer(struct ctx *c, bool accept)
{
	struct seen s;
	const char *state = answer_swap(c, &s, accept);

	if (state != NULL)
		respond_redirect(c, arena_printf(c->a, "/circles/%lld?notice=swap_%s#rota-h",
		    (long long)s.circle.id, state));
}

void
h_api_circle_swap_accept(struct ctx *c)
{
	api_answer(c, true);
}

void
h_api_circle_swap_decline(struct ctx *c)
{
	api_answer(c, false);
}

void
h_circle_swap_accept(struct ctx *c)
{
	page_answer(c, true);
}

void
h_circle_swap_decline(struct ctx *c)
{
	page_answer(c, false);
}
