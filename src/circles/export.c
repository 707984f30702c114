/*
 * export.c: the "circles" section of a member's privacy export.
 *
 * Only the member's own rows: the circles they belong to or asked to join
 * (with when they accepted each agreement), their RSVPs, their attendance,
 * the attendance proofs they created and the rota swaps they asked for or
 * were asked about; the sessions they are fixed to lead and those they
 * cannot make, the circles they created, the announcements and agendas
 * they wrote, and whether they have a calendar address (not its token,
 * which is not kept).  Other members never appear: who
 * recorded an attendance is reduced to "the member themselves or not", and
 * a proof's MAC stays out (it is not the member's data, it is the seal).
 */
#include "circles/export.h"

#include "base/log.h"
#include "circles/calendar_link.h"

#define CIRCLES_EXPORT_ROWS_MAX	100000

static json_t *
int_or_null(struct db_rows *r, size_t row, size_t col)
{
	return db_rows_isnull(r, row, col) ? json_null() :
	    json_integer(db_rows_int(r, row, col));
}

static json_t *
memberships(struct db *db, const struct user *u)
{
	struct db_rows *r;
	json_t *a;
	size_t i;

	r = db_query(db, "SELECT cm.circle_id, c.name, cm.role, cm.state, "
	    "cm.agreement_accepted_at, cm.joined_at, cm.volunteer, cm.created_at "
	    "FROM circle_members cm JOIN circles c ON c.id = cm.circle_id "
	    "WHERE cm.user_id = ? ORDER BY cm.circle_id LIMIT ?",
	    DB_I(u->id), DB_I(CIRCLES_EXPORT_ROWS_MAX));
	if (r == NULL)
		return NULL;
	a = json_array();
	for (i = 0; i < db_rows_count(r); i++)
		json_array_append_new(a, json_pack("{s:{s:I, s:s}, s:s, s:s, s:I, s:o, s:b, s:I}",
		    "circle", "id", (json_int_t)db_rows_int(r, i, 0),
		    "name", db_rows_text(r, i, 1),
		    "role", db_rows_text(r, i, 2),
		    "state", db_rows_text(r, i, 3),
		    "agreement_accepted_at", (json_int_t)db_rows_int(r, i, 4),
		    "joined_at", int_or_null(r, i, 5),
		    "volunteers_to_lead", db_rows_int(r, i, 6) != 0,
		    "created_at", (json_int_t)db_rows_int(r, i, 7)));
	db_rows_free(r);
	return a;
}

static json_t *
rsvps(struct db *db, const struct user *u)
{
	struct db_rows *r;
	json_t *a;
	size_t i;

	r = db_query(db, "SELECT r.meeting_id, m.name, m.circle_id, r.session_start, "
	    "r.response, r.updated_at FROM circle_rsvps r "
	    "JOIN meetings m ON m.id = r.meeting_id "
	    "WHERE r.user_id = ? ORDER BY r.session_start, r.meeting_id LIMIT ?",
	    DB_I(u->id), DB_I(CIRCLES_EXPORT_ROWS_MAX));
	if (r == NULL)
		return NULL;
	a = json_array();
	for (i = 0; i < db_rows_count(r); i++)
		json_array_append_new(a, json_pack("{s:{s:I, s:s}, s:o, s:I, s:s, s:I}",
		    "meeting", "id", (json_int_t)db_rows_int(r, i, 0),
		    "name", db_rows_text(r, i, 1),
		    "circle_id", int_or_null(r, i, 2),
		    "session_start", (json_int_t)db_rows_int(r, i, 3),
		    "response", db_rows_text(r, i, 4),
		    "updated_at", (json_int_t)db_rows_int(r, i, 5)));
	db_rows_free(r);
	return a;
}

static json_t *
attendance(struct db *db, const struct user *u)
{
	struct db_rows *r;
	json_t *a;
	size_t i;

	r = db_query(db, "SELECT a.circle_id, c.name, a.meeting_id, m.name, a.session_start, "
	    "a.method, a.recorded_by, a.created_at FROM circle_attendance a "
	    "JOIN circles c ON c.id = a.circle_id JOIN meetings m ON m.id = a.meeting_id "
	    "WHERE a.user_id = ? ORDER BY a.session_start, a.meeting_id LIMIT ?",
	    DB_I(u->id), DB_I(CIRCLES_EXPORT_ROWS_MAX));
	if (r == NULL)
		return NULL;
	a = json_array();
	for (i = 0; i < db_rows_count(r); i++)
		json_array_append_new(a, json_pack("{s:{s:I, s:s}, s:{s:I, s:s}, s:I, s:s, s:b, s:I}",
		    "circle", "id", (json_int_t)db_rows_int(r, i, 0),
		    "name", db_rows_text(r, i, 1),
		    "meeting", "id", (json_int_t)db_rows_int(r, i, 2),
		    "name", db_rows_text(r, i, 3),
		    "session_start", (json_int_t)db_rows_int(r, i, 4),
		    "method", db_rows_text(r, i, 5),
		    "recorded_by_self", !db_rows_isnull(r, i, 6) &&
		    db_rows_int(r, i, 6) == u->id,
		    "created_at", (json_int_t)db_rows_int(r, i, 7)));
	db_rows_free(r);
	return a;
}

static json_t *
proofs(struct db *db, const struct user *u)
{
	struct db_rows *r;
	json_t *a, *payload;
	size_t i;

	r = db_query(db, "SELECT id, payload, created_at, revoked_at FROM attendance_proofs "
	    "WHERE user_id = ? ORDER BY created_at, id LIMIT ?",
	    DB_I(u->id), DB_I(CIRCLES_EXPORT_ROWS_MAX));
	if (r == NULL)
		return NULL;
	a = json_array();
	for (i = 0; i < db_rows_count(r); i++) {
		payload = json_loads(db_rows_text(r, i, 1), 0, NULL);
		if (payload == NULL)
			payload = json_string(db_rows_text(r, i, 1));
		json_array_append_new(a, json_pack("{s:s, s:o, s:I, s:o}",
		    "id", db_rows_text(r, i, 0),
		    "shows", payload,
		    "created_at", (json_int_t)db_rows_int(r, i, 2),
		    "revoked_at", int_or_null(r, i, 3)));
	}
	db_rows_free(r);
	return a;
}

/* Rota swaps the member asked for or was asked about; the other person stays out. */
static json_t *
swap_requests(struct db *db, const struct user *u)
{
	struct db_rows *r;
	json_t *a;
	size_t i;

	r = db_query(db, "SELECT s.circle_id, c.name, ma.name, s.start_a, mb.name, s.start_b, "
	    "s.requester_id, s.state, s.created_at, s.answered_at FROM circle_swap_requests s "
	    "JOIN circles c ON c.id = s.circle_id JOIN meetings ma ON ma.id = s.meeting_a "
	    "JOIN meetings mb ON mb.id = s.meeting_b WHERE s.requester_id = ? OR "
	    "s.responder_id = ? ORDER BY s.created_at, s.id LIMIT ?", DB_I(u->id), DB_I(u->id),
	    DB_I(CIRCLES_EXPORT_ROWS_MAX));
	if (r == NULL)
		return NULL;
	a = json_array();
	for (i = 0; i < db_rows_count(r); i++)
		json_array_append_new(a, json_pack("{s:I, s:s, s:s, s:I, s:s, s:I, s:b, s:s, s:I, "
		    "s:o}", "circle_id", (json_int_t)db_rows_int(r, i, 0),
		    "circle_name", db_rows_text(r, i, 1), "asker_meeting", db_rows_text(r, i, 2),
		    "asker_session_start", (json_int_t)db_rows_int(r, i, 3),
		    "other_meeting", db_rows_text(r, i, 4),
		    "other_session_start", (json_int_t)db_rows_int(r, i, 5),
		    "asked_by_self", db_rows_int(r, i, 6) == u->id, "state", db_rows_text(r, i, 7),
		    "created_at", (json_int_t)db_rows_int(r, i, 8),
		    "answered_at", int_or_null(r, i, 9)));
	db_rows_free(r);
	return a;
}

/* rota, "can't make it", circles created, announcements, agendas */

/*
 * Rows of (circle id, circle name, meeting id, meeting name, session_start)
 * as {circle {id, name}, meeting {id, name}, session_start}.
 */
static json_t *
sessions_of(struct db_rows *r)
{
	json_t *a;
	size_t i;

	if (r == NULL)
		return NULL;
	a = json_array();
	for (i = 0; i < db_rows_count(r); i++)
		json_array_append_new(a, json_pack("{s:{s:I, s:s}, s:{s:I, s:s}, s:I}",
		    "circle", "id", (json_int_t)db_rows_int(r, i, 0),
		    "name", db_rows_text(r, i, 1),
		    "meeting", "id", (json_int_t)db_rows_int(r, i, 2),
		    "name", db_rows_text(r, i, 3),
		    "session_start", (json_int_t)db_rows_int(r, i, 4)));
	db_rows_free(r);
	return a;
}

/*
 * Sessions the member is fixed to lead (the rota's stored assignments, set
 * by a swap); the rest of the rota is proposed afresh each time from the
 * volunteers (memberships' volunteers_to_lead) and is not stored.
 */
static json_t *
rota_assignments(struct db *db, const struct user *u)
{
	return sessions_of(db_query(db, "SELECT r.circle_id, c.name, r.meeting_id, m.name, "
	    "r.session_start FROM circle_rota r JOIN circles c ON c.id = r.circle_id "
	    "JOIN meetings m ON m.id = r.meeting_id WHERE r.user_id = ? "
	    "ORDER BY r.session_start, r.meeting_id LIMIT ?", DB_I(u->id),
	    DB_I(CIRCLES_EXPORT_ROWS_MAX)));
}

/* Sessions the member said they cannot make (so the rota skips them). */
static json_t *
unavailable(struct db *db, const struct user *u)
{
	return sessions_of(db_query(db, "SELECT x.circle_id, c.name, x.meeting_id, m.name, "
	    "x.session_start FROM circle_unavailable x JOIN circles c ON c.id = x.circle_id "
	    "JOIN meetings m ON m.id = x.meeting_id WHERE x.user_id = ? "
	    "ORDER BY x.session_start, x.meeting_id LIMIT ?", DB_I(u->id),
	    DB_I(CIRCLES_EXPORT_ROWS_MAX)));
}

static json_t *
circles_created(struct db *db, const struct user *u)
{
	struct db_rows *r = db_query(db, "SELECT id, name, created_at FROM circles "
	    "WHERE created_by = ? ORDER BY id LIMIT ?", DB_I(u->id), DB_I(CIRCLES_EXPORT_ROWS_MAX));
	json_t *a;
	size_t i;

	if (r == NULL)
		return NULL;
	a = json_array();
	for (i = 0; i < db_rows_count(r); i++)
		json_array_append_new(a, json_pack("{s:I, s:s, s:I}",
		    "id", (json_int_t)db_rows_int(r, i, 0), "name", db_rows_text(r, i, 1),
		    "created_at", (json_int_t)db_rows_int(r, i, 2)));
	db_rows_free(r);
	return a;
}

/* Announcements the member wrote to a circle's members. */
static json_t *
announcements(struct db *db, const struct user *u)
{
	struct db_rows *r = db_query(db, "SELECT a.circle_id, c.name, a.title, a.body, "
	    "a.created_at FROM circle_announcements a JOIN circles c ON c.id = a.circle_id "
	    "WHERE a.author_id = ? ORDER BY a.created_at, a.id LIMIT ?", DB_I(u->id),
	    DB_I(CIRCLES_EXPORT_ROWS_MAX));
	json_t *a;
	size_t i;

	if (r == NULL)
		return NULL;
	a = json_array();
	for (i = 0; i < db_rows_count(r); i++)
		json_array_append_new(a, json_pack("{s:{s:I, s:s}, s:s, s:s, s:I}",
		    "circle", "id", (json_int_t)db_rows_int(r, i, 0),
		    "name", db_rows_text(r, i, 1),
		    "title", db_rows_text(r, i, 2), "body", db_rows_text(r, i, 3),
		    "created_at", (json_int_t)db_rows_int(r, i, 4)));
	db_rows_free(r);
	return a;
}

/*
 * Session agendas the member last edited (topic and skill).  The
 * facilitators' notes stay out: they are about the session and may name
 * other members, and are readable on the circle's page by its facilitators.
 */
static json_t *
agendas(struct db *db, const struct user *u)
{
	struct db_rows *r = db_query(db, "SELECT s.circle_id, c.name, s.meeting_id, m.name, "
	    "s.session_start, s.discussion, s.skill, s.updated_at FROM circle_sessions s "
	    "JOIN circles c ON c.id = s.circle_id JOIN meetings m ON m.id = s.meeting_id "
	    "WHERE s.updated_by = ? ORDER BY s.session_start, s.meeting_id LIMIT ?",
	    DB_I(u->id), DB_I(CIRCLES_EXPORT_ROWS_MAX));
	json_t *a;
	size_t i;

	if (r == NULL)
		return NULL;
	a = json_array();
	for (i = 0; i < db_rows_count(r); i++)
		json_array_append_new(a, json_pack("{s:{s:I, s:s}, s:{s:I, s:s}, s:I, s:o, s:o, "
		    "s:I}", "circle", "id", (json_int_t)db_rows_int(r, i, 0),
		    "name", db_rows_text(r, i, 1),
		    "meeting", "id", (json_int_t)db_rows_int(r, i, 2),
		    "name", db_rows_text(r, i, 3),
		    "session_start", (json_int_t)db_rows_int(r, i, 4),
		    "discussion", db_rows_isnull(r, i, 5) ? json_null() :
		    json_string(db_rows_text(r, i, 5)),
		    "skill", db_rows_isnull(r, i, 6) ? json_null() :
		    json_string(db_rows_text(r, i, 6)),
		    "updated_at", (json_int_t)db_rows_int(r, i, 7)));
	db_rows_free(r);
	return a;
}

#define NPARTS	11

json_t *
circles_export(struct db *db, const struct user *u, int64_t now)
{
	static const char *const names[NPARTS] = { "memberships", "rsvps", "attendance",
	    "attendance_proofs", "rota_swap_requests", "rota_assignments", "unavailable",
	    "circles_created", "announcements", "agendas", "calendar_link" };
	json_t *parts[NPARTS], *o;
	size_t i;

	(void)now;
	parts[0] = memberships(db, u);
	parts[1] = rsvps(db, u);
	parts[2] = attendance(db, u);
	parts[3] = proofs(db, u);
	parts[4] = swap_requests(db, u);
	parts[5] = rota_assignments(db, u);
	parts[6] = unavailable(db, u);
	parts[7] = circles_created(db, u);
	parts[8] = announcements(db, u);
	parts[9] = agendas(db, u);
	parts[10] = calendar_link_export(db, u);	/* its existence, never the token */
	for (i = 0; i < NPARTS; i++)
		if (parts[i] == NULL) {
			log_warnx("circles: export failed: %s", db_errmsg(db));
			for (i = 0; i < NPARTS; i++)
				json_decref(parts[i]);
			return NULL;
		}
	o = json_object();
	for (i = 0; i < NPARTS; i++)
		json_object_set_new(o, names[i], parts[i]);
	return o;
}
