/*
 * web_agenda.c: a session's agenda and its facilitator notes.
 *
 * Every session follows the circle's template: opening check-in, shared
 * discussion, skill practice, closing reflection.  Facilitators set the
 * discussion topic and the skill for a session; members of the circle see
 * the agenda.  Facilitator notes are for the circle's facilitators only:
 * encrypted at rest (AD "circle_sessions.notes:<meeting_id>:<start>", so a
 * ciphertext moved to another row does not open) and never shown to
 * anyone else, who get 404 for the notes as if they did not exist.
 */
#include "app/handlers.h"

#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "circles/web_int.h"
#include "privacy/crypto.h"
#include "view/view.h"

#define TOPIC_MAX	200
#define NOTES_MAX	4000

static const char *
notes_ad(struct ctx *c, int64_t meeting_id, int64_t start)
{
	return arena_printf(c->a, "circle_sessions.notes:%lld:%lld", (long long)meeting_id,
	    (long long)start);
}

/* The session (meeting slug + start) among the circle's, or answered 422/500. */
static bool
find_session(struct ctx *c, const struct seen *s, const char *slug, int64_t start,
    struct cmeeting **mo)
{
	struct cmeeting *cm, *m;
	size_t n, i;

	if (circles_load_meetings(c, s->circle.id, &cm, &n) != 0) {
		circles_server_error(c, "agenda");
		return false;
	}
	m = circles_find_meeting(cm, n, slug);
	for (i = 0; m != NULL && i < m->n; i++)
		if (m->s[i].start == start) {
			*mo = m;
			return true;
		}
	respond_error(c, 422, "invalid_field", "circles.errors.session", "start");
	return false;
}

static int64_t
start_field(struct ctx *c)
{
	const char *v;
	uint64_t u;

	if (c->json != NULL) {
		json_t *j = json_object_get(c->json, "start");

		return json_is_integer(j) ? json_integer_value(j) : 0;
	}
	if ((v = params_get(&c->form, "start")) == NULL)
		v = params_get(&c->query, "start");
	if (v == NULL || !str_to_u64(str_c(v), INT64_MAX, &u))
		return 0;
	return (int64_t)u;
}

/* The agenda of one session as JSON; notes only when with_notes.  NULL on error. */
json_t *
circles_agenda_json(struct ctx *c, int64_t meeting_id, int64_t start, bool with_notes)
{
	struct db_rows *r;
	json_t *o;

	r = db_query(c->db, "SELECT discussion, skill, notes_enc FROM circle_sessions WHERE "
	    "meeting_id = ? AND session_start = ?", DB_I(meeting_id), DB_I(start));
	if (r == NULL)
		return NULL;
	o = json_object();
	json_object_set_new(o, "discussion", db_rows_count(r) && !db_rows_isnull(r, 0, 0) ?
	    json_string(db_rows_text(r, 0, 0)) : json_null());
	json_object_set_new(o, "skill", db_rows_count(r) && !db_rows_isnull(r, 0, 1) ?
	    json_string(db_rows_text(r, 0, 1)) : json_null());
	if (with_notes) {
		size_t len = 0, plen;
		const unsigned char *b = db_rows_count(r) ? db_rows_blob(r, 0, 2, &len) : NULL;
		char *plain = b ? crypto_open(b, len, notes_ad(c, meeting_id, start), &plen) : NULL;

		json_object_set_new(o, "notes", plain ? json_string(plain) : json_null());
		free(plain);
	}
	db_rows_free(r);
	return o;
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
h_api_circle_agenda(struct ctx *c)
{
	struct seen s;
	struct cmeeting *m;
	json_t *o;

	if (!load_member(c, &s) || !find_session(c, &s, params_get(&c->query, "meeting"),
	    start_field(c), &m))
		return;
	o = circles_agenda_json(c, m->m->id, start_field(c), circle_can_manage(&s.v));
	if (o == NULL) {
		circles_server_error(c, "agenda");
		return;
	}
	json_object_set_new(o, "meeting", json_string(m->m->slug));
	json_object_set_new(o, "start", json_integer(start_field(c)));
	respond_json(c, 200, o);
}

/* An optional text field: NULL absent or blank, else trimmed; *bad on invalid. */
static const char *
topic(struct ctx *c, const char *name, long max, bool multiline, const char **bad)
{
	const char *v = ctx_field(c, name);
	enum circle_input_error e;

	if (v == NULL)
		return NULL;
	e = circle_text_check(v, max, multiline);
	if (e == CIRCLE_INPUT_MISSING)
		return NULL;
	if (e != CIRCLE_INPUT_OK) {
		*bad = name;
		return NULL;
	}
	return arena_cstr(c->a, str_trim(str_c(v)));
}

/* 0 saved, 1 answered. */
static int
save(struct ctx *c, struct seen *s)
{
	struct cmeeting *m;
	const char *bad = NULL, *discussion, *skill, *notes;
	unsigned char *enc = NULL;
	size_t enclen = 0;
	int64_t start = start_field(c), n;

	if (!circles_load_seen(c, s))
		return 1;
	if (!circle_can_manage(&s->v)) {
		respond_error(c, 404, "not_found", NULL, NULL);
		return 1;
	}
	if (!find_session(c, s, ctx_field(c, "meeting"), start, &m))
		return 1;
	discussion = topic(c, "discussion", TOPIC_MAX, false, &bad);
	skill = topic(c, "skill", TOPIC_MAX, false, &bad);
	notes = topic(c, "notes", NOTES_MAX, true, &bad);
	if (bad != NULL) {
		respond_error(c, 422, "invalid_field", "circles.errors.api_invalid", bad);
		return 1;
	}
	if (notes != NULL)
		enc = crypto_seal(notes, strlen(notes), notes_ad(c, m->m->id, start), &enclen);
	n = db_exec(c->db, "INSERT INTO circle_sessions (meeting_id, session_start, circle_id, "
	    "discussion, skill, notes_enc, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
	    "ON CONFLICT (meeting_id, session_start) DO UPDATE SET discussion = excluded.discussion, "
	    "skill = excluded.skill, notes_enc = excluded.notes_enc, updated_by = excluded.updated_by, "
	    "updated_at = excluded.updated_at", DB_I(m->m->id), DB_I(start), DB_I(s->circle.id),
	    DB_T(discussion), DB_T(skill), DB_B(enc, enclen), DB_I(c->user->id), DB_I(c->now));
	free(enc);
	if (n < 0) {
		circles_server_error(c, "agenda save");
		return 1;
	}
	return 0;
}

void
h_circle_agenda_save(struct ctx *c)
{
	struct seen s;

	if (save(c, &s) == 0)
		circles_done(c, s.circle.id, "agenda#sessions-h");
}
