/*
 * web_attend.c: RSVPs and attendance for the sessions of a circle's
 * meetings (meetings.circle_id), the member's own history, the same shared
 * by consent, and counts for coordinators.
 *
 * A session is named by its meeting and its start instant; the schedule
 * (meetings/schedule.c, with cancelled and moved sessions) says which
 * sessions exist, so nobody can RSVP to or check in at a session that is
 * not happening.  Only a circle's active members RSVP and check in; only
 * its facilitators see the session code and take roster attendance.  A
 * member's history is private: another person reads it only through
 * privacy_read() (consent category "attendance", audited), else 404.
 * Coordinators see counts, never names.
 */
#include "app/handlers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/roles.h"
#include "circles/attend.h"
#include "circles/web_int.h"
#include "base/str.h"
#include "meetings/meeting.h"
#include "meetings/schedule.h"
#include "meetings/store.h"
#include "meetings/tz.h"
#include "privacy/consent.h"
#include "privacy/crypto.h"
#include "view/view.h"

#define CIRCLE_MEETINGS_MAX	20
#define HISTORY_MAX		500

int
circles_load_meetings(struct ctx *c, int64_t circle_id, struct cmeeting **out, size_t *nout)
{
	struct db_rows *r;
	struct cmeeting *cm;
	size_t i, k = 0;
	int64_t since;

	/* No attendance for sessions before the circle existed. */
	r = db_query(c->db, "SELECT created_at FROM circles WHERE id = ?", DB_I(circle_id));
	if (r == NULL)
		return -1;
	since = db_rows_int(r, 0, 0);
	db_rows_free(r);
	r = db_query(c->db, "SELECT slug FROM meetings WHERE circle_id = ? AND "
	    "temporarily_closed = 0 ORDER BY LOWER(name), id LIMIT ?", DB_I(circle_id),
	    DB_I(CIRCLE_MEETINGS_MAX));
	if (r == NULL)
		return -1;
	cm = arena_zalloc(c->a, (db_rows_count(r) + 1) * sizeof(*cm));
	for (i = 0; i < db_rows_count(r); i++) {
		struct meeting *m = meetings_get(c->db, c->a, db_rows_text(r, i, 0));
		struct meeting_exception_row *rows = NULL;
		struct sched_exception *ex;
		const struct tz *tz;
		size_t nrows = 0, j;

		if (m == NULL || (tz = tz_get(m->timezone)) == NULL)
			continue;
		if (meetings_load_exceptions(c->db, c->a, m->id, &rows, &nrows) != 0) {
			db_rows_free(r);
			return -1;
		}
		ex = arena_zalloc(c->a, (nrows + 1) * sizeof(*ex));
		for (j = 0; j < nrows; j++)
			ex[j] = rows[j].ex;
		cm[k].m = m;
		cm[k].n = schedule_next(&m->sched, tz, ex, nrows,
		    c->now - (int64_t)ATTEND_ROSTER_DAYS * 86400, SESSIONS_MAX, 0, cm[k].o);
		cm[k].next = -1;
		for (j = 0; j < cm[k].n; j++) {
			cm[k].s[j].start = cm[k].o[j].start;
			cm[k].s[j].end = cm[k].o[j].end;
			if (cm[k].next < 0 && cm[k].o[j].end > c->now)
				cm[k].next = (long)j;
		}
		cm[k].current = attend_current(cm[k].s, cm[k].n, c->now);
		cm[k].roster = attend_roster_session(cm[k].s, cm[k].n, c->now);
		if (cm[k].roster >= 0 && cm[k].s[cm[k].roster].start + ATTEND_EARLY < since)
			cm[k].roster = -1;
		k++;
	}
	db_rows_free(r);
	*out = cm;
	*nout = k;
	return 0;
}

struct cmeeting *
circles_find_meeting(struct cmeeting *cm, size_t n, const char *slug)
{
	size_t i;

	for (i = 0; slug != NULL && i < n; i++)
		if (strcmp(cm[i].m->slug, slug) == 0)
			return &cm[i];
	return NULL;
}

static void
session_code(int64_t meeting_id, int64_t start, char out[ATTEND_CODE_LEN + 1])
{
	char data[64], mac[65];
	int n = snprintf(data, sizeof(data), "%lld:%lld", (long long)meeting_id, (long long)start);

	crypto_mac_hex("circles.attendance_code", data, (size_t)n, mac);
	attend_code_from_mac(mac, out);
}

/* "Tuesday 3 March, 19:00" in the meeting's own time zone. */
static const char *
session_label(struct ctx *c, const struct occurrence *o)
{
	char hm[6];

	schedule_format_hhmm(o->start_min, hm);
	return ctx_tr(c, "circles.sessions.when", json_pack("{s:i, s:s, s:i, s:s}",
	    "day", o->d, "month", i18n_get(c->lang, arena_printf(c->a, "circles.date.month%d",
	    o->m)), "year", o->y, "time", hm));
}

/* The member's RSVP ("yes", "no") to a session, or NULL; *going counts the yeses. */
static int
rsvp_state(struct ctx *c, int64_t meeting_id, int64_t start, const char **mine, int64_t *going,
    bool *attended)
{
	struct db_rows *r;
	size_t i;

	*mine = NULL;
	*going = 0;
	*attended = false;
	r = db_query(c->db, "SELECT user_id, response FROM circle_rsvps WHERE meeting_id = ? "
	    "AND session_start = ?", DB_I(meeting_id), DB_I(start));
	if (r == NULL)
		return -1;
	for (i = 0; i < db_rows_count(r); i++) {
		const char *resp = db_rows_text(r, i, 1);

		if (strcmp(resp, "yes") == 0)
			(*going)++;
		if (db_rows_int(r, i, 0) == c->user->id)
			*mine = arena_strdup(c->a, resp);
	}
	db_rows_free(r);
	r = db_query(c->db, "SELECT 1 FROM circle_attendance WHERE meeting_id = ? AND "
	    "session_start = ? AND user_id = ?", DB_I(meeting_id), DB_I(start), DB_I(c->user->id));
	if (r == NULL)
		return -1;
	*attended = db_rows_count(r) > 0;
	db_rows_free(r);
	return 0;
}

json_t *
circles_sessions_json(struct ctx *c, const struct seen *s, bool for_page)
{
	struct cmeeting *cm;
	size_t n, i;
	json_t *a;
	bool fac = circle_can_manage(&s->v);

	if (circles_load_meetings(c, s->circle.id, &cm, &n) != 0)
		return NULL;
	a = json_array();
	for (i = 0; i < n; i++) {
		const struct occurrence *o;
		const char *mine;
		int64_t going;
		bool attended;
		json_t *e;

		if (cm[i].next < 0)
			continue;
		o = &cm[i].o[cm[i].next];
		if (rsvp_state(c, cm[i].m->id, o->start, &mine, &going, &attended) != 0) {
			json_decref(a);
			return NULL;
		}
		e = json_pack("{s:s, s:s, s:I, s:I, s:I, s:b, s:b}", "meeting", cm[i].m->slug,
		    "meeting_name", cm[i].m->name, "start", (json_int_t)o->start,
		    "end", (json_int_t)o->end, "going", (json_int_t)going, "attended", attended,
		    "checkin_open", cm[i].current >= 0);
		json_object_set_new(e, "my_rsvp", mine ? json_string(mine) : json_null());
		if (fac && cm[i].current >= 0) {
			char code[ATTEND_CODE_LEN + 1];

			session_code(cm[i].m->id, cm[i].s[cm[i].current].start, code);
			json_object_set_new(e, "code", json_string(code));
		}
		if (fac && cm[i].roster >= 0)
			json_object_set_new(e, "roster_start",
			    json_integer(cm[i].s[cm[i].roster].start));
		if (for_page) {
			json_object_set_new(e, "when", json_string(session_label(c, o)));
			json_object_set_new(e, "rsvp_yes", json_boolean(mine && strcmp(mine, "yes") == 0));
			json_object_set_new(e, "rsvp_no", json_boolean(mine && strcmp(mine, "no") == 0));
			if (fac && cm[i].roster >= 0)
				json_object_set_new(e, "roster_when", json_string(session_label(c,
				    &cm[i].o[cm[i].roster])));
			{
				json_t *ag = circles_agenda_json(c, cm[i].m->id, o->start, fac);

				if (ag == NULL) {
					json_decref(e);
					json_decref(a);
					return NULL;
				}
				json_object_set_new(e, "agenda", ag);
			}
		}
		json_array_append_new(a, e);
	}
	return a;
}

/* ---- the member: sessions, RSVP, check-in with the code ---- */

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
h_api_circle_sessions(struct ctx *c)
{
	struct seen s;
	json_t *a;

	if (!load_member(c, &s))
		return;
	if ((a = circles_sessions_json(c, &s, false)) == NULL) {
		circles_server_error(c, "sessions");
		return;
	}
	respond_json(c, 200, json_pack("{s:o}", "sessions", a));
}

/* 0 done (*cmo, *start), 1 answered already. */
static int
rsvp(struct ctx *c, struct seen *s, const char **response, int64_t *start)
{
	struct cmeeting *cm, *m;
	size_t n;
	const char *slug = ctx_field(c, "meeting");

	*response = ctx_field(c, "response");
	if (!load_member(c, s))
		return 1;
	if (circles_load_meetings(c, s->circle.id, &cm, &n) != 0) {
		circles_server_error(c, "rsvp");
		return 1;
	}
	m = circles_find_meeting(cm, n, slug);
	if (m == NULL || m->next < 0) {
		respond_error(c, 422, "invalid_field", "circles.errors.meeting", "meeting");
		return 1;
	}
	if (*response == NULL || (strcmp(*response, "yes") != 0 && strcmp(*response, "no") != 0)) {
		respond_error(c, 422, "invalid_field", "circles.errors.response", "response");
		return 1;
	}
	*start = m->s[m->next].start;
	if (db_exec(c->db, "INSERT INTO circle_rsvps (meeting_id, session_start, user_id, response, "
	    "updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (meeting_id, session_start, user_id) "
	    "DO UPDATE SET response = excluded.response, updated_at = excluded.updated_at",
	    DB_I(m->m->id), DB_I(*start), DB_I(c->user->id), DB_T(*response), DB_I(c->now)) < 0) {
		circles_server_error(c, "rsvp");
		return 1;
	}
	return 0;
}

void
h_api_circle_rsvp(struct ctx *c)
{
	struct seen s;
	const char *response;
	int64_t start;

	if (rsvp(c, &s, &response, &start) == 0)
		respond_json(c, 200, json_pack("{s:s, s:I, s:s}", "meeting", ctx_field(c, "meeting"),
		    "start", (json_int_t)start, "response", response));
}

void
h_circle_rsvp(struct ctx *c)
{
	struct seen s;
	const char *response;
	int64_t start;

	if (rsvp(c, &s, &response, &start) == 0)
		respond_redirect(c, arena_printf(c->a, "/circles/%lld?notice=rsvp#sessions-h",
		    (long long)s.circle.id));
}

static int
record(struct ctx *c, int64_t circle_id, int64_t meeting_id, int64_t start, int64_t user_id,
    const char *method)
{
	return db_exec(c->db, "INSERT INTO circle_attendance (meeting_id, session_start, user_id, "
	    "circle_id, method, recorded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
	    "ON CONFLICT (meeting_id, session_start, user_id) DO NOTHING", DB_I(meeting_id),
	    DB_I(start), DB_I(user_id), DB_I(circle_id), DB_T(method), DB_I(c->user->id),
	    DB_I(c->now)) < 0 ? -1 : 0;
}

/* A code that opens no session: the field's error (the page again, for forms). */
static void
code_error(struct ctx *c, const struct seen *s)
{
	if (c->api)
		respond_error(c, 422, "invalid_field", "circles.errors.code", "code");
	else {
		http_response_header(c->resp, "X-Error-Code", "invalid_field");
		circles_render_circle(c, 422, s, NULL, NULL,
		    i18n_get(c->lang, "circles.errors.code"));
	}
}

/* 0 checked in (*mo, *start), 1 answered. */
static int
checkin(struct ctx *c, struct seen *s, struct cmeeting **mo, int64_t *start)
{
	struct cmeeting *cm;
	size_t n, i;
	const char *typed = ctx_field(c, "code");

	if (!load_member(c, s))
		return 1;
	if (typed == NULL || *typed == '\0' || strlen(typed) > 32) {
		code_error(c, s);
		return 1;
	}
	if (circles_load_meetings(c, s->circle.id, &cm, &n) != 0) {
		circles_server_error(c, "checkin");
		return 1;
	}
	for (i = 0; i < n; i++) {
		char code[ATTEND_CODE_LEN + 1];

		if (cm[i].current < 0)
			continue;
		session_code(cm[i].m->id, cm[i].s[cm[i].current].start, code);
		if (attend_code_matches(typed, code)) {
			*mo = &cm[i];
			*start = cm[i].s[cm[i].current].start;
			if (record(c, s->circle.id, cm[i].m->id, *start, c->user->id, "code") != 0) {
				circles_server_error(c, "checkin");
				return 1;
			}
			return 0;
		}
	}
	code_error(c, s);
	return 1;
}

void
h_api_circle_checkin(struct ctx *c)
{
	struct seen s;
	struct cmeeting *m;
	int64_t start;

	if (checkin(c, &s, &m, &start) == 0)
		respond_json(c, 201, json_pack("{s:s, s:I}", "meeting", m->m->slug,
		    "start", (json_int_t)start));
}

void
h_circle_checkin(struct ctx *c)
{
	struct seen s;
	struct cmeeting *m;
	int64_t start;

	if (checkin(c, &s, &m, &start) == 0)
		respond_redirect(c, arena_printf(c->a, "/circles/%lld?notice=checked_in#sessions-h",
		    (long long)s.circle.id));
}

/* ---- the facilitator: attendance from the roster ---- */

static bool
json_or_form_present(struct ctx *c)
{
	const char *v;

	if (c->json != NULL) {
		json_t *p = json_object_get(c->json, "present");

		return p == NULL || json_is_true(p);
	}
	v = params_get(&c->form, "present");
	return v == NULL || strcmp(v, "0") != 0;
}

static int64_t
field_user(struct ctx *c)
{
	const char *v;
	uint64_t u;

	if (c->json != NULL) {
		json_t *j = json_object_get(c->json, "user_id");

		return json_is_integer(j) && json_integer_value(j) > 0 ? json_integer_value(j) : 0;
	}
	v = params_get(&c->form, "user_id");
	if (v == NULL || !str_to_u64(str_c(v), INT64_MAX, &u))
		return 0;
	return (int64_t)u;
}

/* 0 done, 1 answered. */
static int
roster_mark(struct ctx *c, struct seen *s)
{
	struct cmeeting *cm, *m;
	struct circle_standing_row who;
	size_t n;
	int64_t uid = field_user(c), start;

	if (!circles_load_seen(c, s))
		return 1;
	if (!circle_can_manage(&s->v)) {
		respond_error(c, 404, "not_found", NULL, NULL);
		return 1;
	}
	if (circles_load_meetings(c, s->circle.id, &cm, &n) != 0) {
		circles_server_error(c, "roster");
		return 1;
	}
	m = circles_find_meeting(cm, n, ctx_field(c, "meeting"));
	if (m == NULL || m->roster < 0) {
		respond_error(c, 422, "invalid_field", "circles.errors.no_session", "meeting");
		return 1;
	}
	if (uid <= 0 || circles_standing(c->db, s->circle.id, uid, &who) != 0 ||
	    who.standing == CIRCLE_NONE || who.standing == CIRCLE_PENDING) {
		respond_error(c, 422, "invalid_field", "circles.errors.user", "user_id");
		return 1;
	}
	start = m->s[m->roster].start;
	if (json_or_form_present(c) ? record(c, s->circle.id, m->m->id, start, uid, "roster") != 0 :
	    db_exec(c->db, "DELETE FROM circle_attendance WHERE meeting_id = ? AND "
	    "session_start = ? AND user_id = ?", DB_I(m->m->id), DB_I(start), DB_I(uid)) < 0) {
		circles_server_error(c, "roster");
		return 1;
	}
	return 0;
}

void
h_circle_attendance_mark(struct ctx *c)
{
	struct seen s;

	if (roster_mark(c, &s) == 0)
		circles_done(c, s.circle.id, "marked#sessions-h");
}

/* ---- history: one's own, or shared by consent ---- */

static json_t *
history(struct ctx *c, int64_t user_id)
{
	struct db_rows *r;
	json_t *a;
	size_t i;

	r = db_query(c->db, "SELECT a.circle_id, c.name, m.slug, m.name, a.session_start, a.method "
	    "FROM circle_attendance a JOIN circles c ON c.id = a.circle_id JOIN meetings m "
	    "ON m.id = a.meeting_id WHERE a.user_id = ? ORDER BY a.session_start DESC LIMIT ?",
	    DB_I(user_id), DB_I(HISTORY_MAX));
	if (r == NULL)
		return NULL;
	a = json_array();
	for (i = 0; i < db_rows_count(r); i++)
		json_array_append_new(a, json_pack("{s:I, s:s, s:s, s:s, s:I, s:s}",
		    "circle_id", (json_int_t)db_rows_int(r, i, 0), "circle_name", db_rows_text(r, i, 1),
		    "meeting", db_rows_text(r, i, 2), "meeting_name", db_rows_text(r, i, 3),
		    "start", (json_int_t)db_rows_int(r, i, 4), "method", db_rows_text(r, i, 5)));
	db_rows_free(r);
	return a;
}

void
h_api_my_attendance(struct ctx *c)
{
	json_t *a = history(c, c->user->id);

	if (a == NULL) {
		circles_server_error(c, "history");
		return;
	}
	respond_json(c, 200, json_pack("{s:o}", "attendance", a));
}

void
h_api_member_attendance(struct ctx *c)
{
	int64_t id = ctx_param_id(c, 0);
	json_t *a;

	if (id <= 0 || !privacy_read(c, id, CONSENT_ATTENDANCE,
	    arena_printf(c->a, "attendance:%lld", (long long)id))) {
		respond_error(c, 404, "not_found", NULL, NULL);
		return;
	}
	if ((a = history(c, id)) == NULL) {
		circles_server_error(c, "history");
		return;
	}
	respond_json(c, 200, json_pack("{s:o}", "attendance", a));
}

void
h_attendance(struct ctx *c)
{
	json_t *a = history(c, c->user->id), *o;
	size_t i;

	if (a == NULL) {
		circles_server_error(c, "history");
		return;
	}
	json_array_foreach(a, i, o) {
		json_object_set_new(o, "date", json_string(circles_format_date(c,
		    json_integer_value(json_object_get(o, "start")))));
		json_object_set_new(o, "by_code", json_boolean(strcmp(json_string_value(
		    json_object_get(o, "method")), "code") == 0));
	}
	respond_page(c, 200, "circles/attendance", "circles.attendance.title",
	    json_pack("{s:o, s:b, s:I}", "rows", a, "has_rows", json_array_size(a) > 0,
	    "count", (json_int_t)json_array_size(a)));
}

/* ---- counts for coordinators: no names ---- */

/*
 * Attended counts per session of the circle's meetings, newest first
 * ([{meeting, meeting_name, timezone, start, attended}]), for the API and
 * the coordinators' page.  Counts only: never who.  NULL on error.
 */
static json_t *
attendance_counts(struct ctx *c, int64_t circle_id)
{
	struct db_rows *r;
	json_t *a;
	size_t i;

	r = db_query(c->db, "SELECT m.slug, m.name, a.session_start, COUNT(*), m.timezone FROM "
	    "circle_attendance a JOIN meetings m ON m.id = a.meeting_id WHERE a.circle_id = ? "
	    "GROUP BY m.slug, m.name, a.session_start, m.timezone "
	    "ORDER BY a.session_start DESC, m.slug LIMIT ?", DB_I(circle_id), DB_I(HISTORY_MAX));
	if (r == NULL)
		return NULL;
	a = json_array();
	for (i = 0; i < db_rows_count(r); i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:I, s:I}", "meeting",
		    db_rows_text(r, i, 0), "meeting_name", db_rows_text(r, i, 1), "timezone",
		    db_rows_text(r, i, 4), "start", (json_int_t)db_rows_int(r, i, 2), "attended",
		    (json_int_t)db_rows_int(r, i, 3)));
	db_rows_free(r);
	return a;
}

void
h_api_circle_attendance_counts(struct ctx *c)
{
	struct seen s;
	json_t *a, *e;
	size_t i;

	if (!circles_load_seen(c, &s))
		return;
	if ((a = attendance_counts(c, s.circle.id)) == NULL) {
		circles_server_error(c, "counts");
		return;
	}
	json_array_foreach(a, i, e)
		json_object_del(e, "timezone");
	respond_json(c, 200, json_pack("{s:I, s:o}", "circle_id", (json_int_t)s.circle.id,
	    "sessions", a));
}

void
h_circle_attendance_counts(struct ctx *c)
{
	struct seen s;
	json_t *a, *e, *meetings = json_array(), *d;
	size_t i, k;

	if (!circles_load_seen(c, &s)) {
		json_decref(meetings);
		return;
	}
	if ((a = attendance_counts(c, s.circle.id)) == NULL) {
		json_decref(meetings);
		circles_server_error(c, "counts");
		return;
	}
	json_array_foreach(a, i, e) {
		const char *slug = json_string_value(json_object_get(e, "meeting"));
		const struct tz *tz = tz_get(json_string_value(json_object_get(e, "timezone")));
		int64_t start = json_integer_value(json_object_get(e, "start"));
		int64_t local = tz ? tz_utc_to_local(tz, start) : start;
		int64_t days = tz_floor_div(local, 86400);
		json_int_t n = json_integer_value(json_object_get(e, "attended"));
		json_t *m = NULL;

		/* The session's date and time where the meeting is held. */
		json_object_set_new(e, "date", json_string(circles_format_date(c, local)));
		json_object_set_new(e, "time", json_string(arena_printf(c->a, "%02d:%02d",
		    (int)((local - days * 86400) / 3600), (int)((local - days * 86400) / 60 % 60))));
		for (k = 0; k < json_array_size(meetings); k++)
			if (strcmp(json_string_value(json_object_get(json_array_get(meetings, k),
			    "meeting")), slug) == 0)
				m = json_array_get(meetings, k);
		if (m == NULL) {
			m = json_pack("{s:s, s:O, s:I, s:I}", "meeting", slug, "meeting_name",
			    json_object_get(e, "meeting_name"), "sessions", (json_int_t)0,
			    "attended", (json_int_t)0);
			json_array_append_new(meetings, m);
		}
		json_object_set_new(m, "sessions", json_integer(json_integer_value(
		    json_object_get(m, "sessions")) + 1));
		json_object_set_new(m, "attended", json_integer(json_integer_value(
		    json_object_get(m, "attended")) + n));
	}
	json_array_foreach(meetings, i, e) {
		json_int_t ns = json_integer_value(json_object_get(e, "sessions"));
		json_int_t na = json_integer_value(json_object_get(e, "attended"));

		char *avg = arena_printf(c->a, "%.1f", ns ? (double)na / (double)ns : 0.0);

		if (strcmp(c->lang, "es") == 0)
			*strchr(avg, '.') = ',';	/* "2,5" in Spanish, as the matching page */
		json_object_set_new(e, "average", json_string(avg));
	}
	d = json_pack("{s:I, s:s, s:o, s:o, s:b}", "circle_id", (json_int_t)s.circle.id,
	    "circle_name", s.circle.name, "sessions", a, "meetings", meetings,
	    "has_sessions", json_array_size(a) > 0);
	json_object_set_new(d, "title", json_string(ctx_tr(c, "circles.counts.title",
	    json_pack("{s:s}", "name", s.circle.name))));
	json_object_set_new(d, "truncated", json_boolean(json_array_size(a) >= HISTORY_MAX));
	respond_page(c, 200, "circles/counts", NULL, d);
}
