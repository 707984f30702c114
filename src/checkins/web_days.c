/*
 * web_days.c: goals, and days and milestones, over the API and in the
 * browser; a member's goals and milestones for the people they chose.
 *
 * Goals are small concrete steps with an optional date, marked done (or
 * not done again).  Days count from the recovery start date; a relapse is
 * recorded as an event with an optional reflection and never erases
 * anything: the longest run, the total days and the milestones already
 * reached stay (days.c has the rules).  Milestones reached today are
 * celebrated on the page.  Whether the member's circles may see their
 * milestones is the member's flag (share_milestones), off by default.
 *
 * Another member's goals (consent "goals") and days and milestones
 * (consent "milestones") are read only through privacy_read(); relapse
 * reflections are never part of either.
 */
#include "app/handlers.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkins/checkin.h"
#include "checkins/days.h"
#include "checkins/store.h"
#include "checkins/web_util.h"
#include "privacy/consent.h"
#include "view/view.h"

/* ---- shared checks ---- */

enum check { CHECK_OK, CHECK_INVALID, CHECK_FULL, CHECK_ERROR };

struct goal_input {
	const char	*title;		/* trimmed, arena */
	const char	*due_on;	/* "YYYY-MM-DD" or NULL */
};

static enum check
parse_goal(struct ctx *c, struct goal_input *in, const char **field)
{
	const char *title = ctx_field(c, "title"), *due;
	json_t *jd = c->json ? json_object_get(c->json, "due_on") : NULL;
	int64_t day;

	memset(in, 0, sizeof(*in));
	if (c->json != NULL) {
		const char *key;
		json_t *v;

		json_object_foreach(c->json, key, v) {
			if (strcmp(key, "title") != 0 && strcmp(key, "due_on") != 0) {
				*field = arena_strdup(c->a, key);
				return CHECK_INVALID;
			}
		}
		if (jd != NULL && !json_is_null(jd) && !json_is_string(jd)) {
			*field = "due_on";
			return CHECK_INVALID;
		}
	}
	if (!goal_title_valid(title)) {
		*field = "title";
		return CHECK_INVALID;
	}
	in->title = arena_cstr(c->a, str_trim(str_c(title)));
	due = ctx_field(c, "due_on");
	if (due != NULL && *due != '\0') {
		if (!days_parse_date(due, &day)) {
			*field = "due_on";
			return CHECK_INVALID;
		}
		in->due_on = due;
	}
	return CHECK_OK;
}

/* Message key for a goal or days field. */
static const char *
msg_key(struct ctx *c, const char *field)
{
	static const char *const known[] = {
		"title", "due_on", "done", "start_date", "share_milestones", "date",
		"reflection", NULL,
	};
	size_t i;

	for (i = 0; known[i] != NULL; i++)
		if (strcmp(known[i], field) == 0)
			return arena_printf(c->a, "checkins.errors.%s", field);
	return "checkins.errors.unknown_field";
}

/* "3 days", "1 day", "1 year", "2 years" (also for circles: web_util.h) */
const char *
ck_milestone_label(struct ctx *c, int64_t days, int years)
{
	if (years == 1)
		return i18n_get(c->lang, "checkins.days.one_year");
	if (years > 1)
		return ctx_tr(c, "checkins.days.years", json_pack("{s:i}", "n", years));
	if (days == 1)
		return i18n_get(c->lang, "checkins.days.one_day");
	return ctx_tr(c, "checkins.days.days", json_pack("{s:I}", "n", (json_int_t)days));
}

/* ---- goals: API ---- */

void
h_api_goals_list(struct ctx *c)
{
	json_t *list = goals_list_json(c->db, c->user->id);

	if (list == NULL) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	respond_json(c, 200, json_pack("{s:o}", "goals", list));
}

/* The goal id of user_id as the API shows it, or NULL. */
static json_t *
goal_by_id(struct ctx *c, int64_t id)
{
	json_t *list = goals_list_json(c->db, c->user->id), *v, *out = NULL;
	size_t i;

	json_array_foreach(list, i, v) {
		if (json_integer_value(json_object_get(v, "id")) == id) {
			out = json_incref(v);
			break;
		}
	}
	json_decref(list);
	return out;
}

void
h_api_goals_create(struct ctx *c)
{
	struct goal_input in;
	const char *field = NULL;
	int64_t id;
	json_t *g;

	if (c->json == NULL) {
		respond_error(c, 400, "malformed_json", "errors.400.message", NULL);
		return;
	}
	if (parse_goal(c, &in, &field) != CHECK_OK) {
		respond_error(c, 422, "invalid_field", msg_key(c, field), field);
		return;
	}
	id = goals_add(c->db, c->user->id, in.title, in.due_on, c->now);
	if (id == 0) {
		respond_error(c, 409, "too_many_goals", "checkins.errors.too_many_goals", NULL);
		return;
	}
	if (id < 0 || (g = goal_by_id(c, id)) == NULL) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	respond_json(c, 201, g);
}

void
h_api_goal_update(struct ctx *c)
{
	int64_t id = ctx_param_id(c, 0);
	json_t *done = c->json ? json_object_get(c->json, "done") : NULL, *g;
	const char *key;
	json_t *v;

	if (c->json != NULL) {
		json_object_foreach(c->json, key, v) {
			if (strcmp(key, "done") != 0) {
				respond_error(c, 422, "invalid_field", msg_key(c, key), key);
				return;
			}
		}
	}
	if (!json_is_boolean(done)) {
		/* someone else's goal is not there at all, whatever the body */
		if ((g = goal_by_id(c, id)) == NULL) {
			respond_error(c, 404, "not_found", NULL, NULL);
			return;
		}
		json_decref(g);
		respond_error(c, 422, "invalid_field", msg_key(c, "done"), "done");
		return;
	}
	switch (goals_set_done(c->db, c->user->id, id, json_is_true(done), c->now)) {
	case 0:
		break;
	case 1:
		respond_error(c, 404, "not_found", NULL, NULL);
		return;
	default:
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	if ((g = goal_by_id(c, id)) == NULL) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	respond_json(c, 200, g);
}

void
h_api_goal_delete(struct ctx *c)
{
	switch (goals_delete(c->db, c->user->id, ctx_param_id(c, 0))) {
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
h_api_member_goals(struct ctx *c)
{
	int64_t id = ctx_param_id(c, 0);
	json_t *list;

	if (id <= 0 || !privacy_read(c, id, CONSENT_GOALS,
	    arena_printf(c->a, "goals:%" PRId64, id))) {
		respond_error(c, 404, "not_found", NULL, NULL);
		return;
	}
	if ((list = goals_list_json(c->db, id)) == NULL) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	respond_json(c, 200, json_pack("{s:o}", "goals", list));
}

/* ---- goals: pages ---- */

static void
render_goals(struct ctx *c, int status, json_t *errors, const char *notice_key)
{
	json_t *list = goals_list_json(c->db, c->user->id), *open, *done, *v, *data;
	size_t i;
	int64_t today = ck_today(c), day;

	if (list == NULL) {
		json_decref(errors);
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	open = json_array();
	done = json_array();
	json_array_foreach(list, i, v) {
		json_t *row = json_pack("{s:I, s:o}", "id", json_integer_value(json_object_get(v,
		    "id")), "title", json_incref(json_object_get(v, "title")));
		const char *due = json_string_value(json_object_get(v, "due_on"));

		if (due != NULL && days_parse_date(due, &day)) {
			json_object_set_new(row, "due", json_string(ck_date(c, day)));
			json_object_set_new(row, "due_iso", json_string(due));
			json_object_set_new(row, "due_today", json_boolean(day == today));
			json_object_set_new(row, "due_past", json_boolean(day < today));
		}
		if (json_is_true(json_object_get(v, "done"))) {
			int64_t at = json_integer_value(json_object_get(v, "done_at"));

			json_object_set_new(row, "done_on", json_string(ck_date(c,
			    days_of_time(at, ck_offset(c)))));
			json_array_append_new(done, row);
		} else {
			json_array_append_new(open, row);
		}
	}
	json_decref(list);
	data = json_pack("{s:o, s:o, s:b, s:b}", "open", open, "done", done,
	    "has_open", json_array_size(open) > 0, "has_done", json_array_size(done) > 0);
	json_object_set_new(data, "values", json_pack("{s:s, s:s}",
	    "title", ctx_field(c, "title") && errors ? ctx_field(c, "title") : "",
	    "due_on", ctx_field(c, "due_on") && errors ? ctx_field(c, "due_on") : ""));
	if (errors != NULL) {
		json_object_set_new(data, "error", json_string(i18n_get(c->lang,
		    "checkins.errors.summary")));
		json_object_set_new(data, "errors", errors);
	}
	if (notice_key != NULL)
		json_object_set_new(data, "notice", json_string(i18n_get(c->lang, notice_key)));
	c->path = "/goals";
	respond_page(c, status, "checkins/goals", "checkins.goals.title", data);
}

static const char *
notice_from_query(struct ctx *c)
{
	static const char *const known[] = { "added", "done", "undone", "deleted", NULL };
	const char *n = params_get(&c->query, "done");
	size_t i;

	if (n == NULL)
		return NULL;
	for (i = 0; known[i] != NULL; i++)
		if (strcmp(known[i], n) == 0)
			return arena_printf(c->a, "checkins.goals.notices.%s", n);
	return NULL;
}

void
h_goals(struct ctx *c)
{
	render_goals(c, 200, NULL, notice_from_query(c));
}

void
h_goals_submit(struct ctx *c)
{
	struct goal_input in;
	const char *field = NULL;
	int64_t id;

	if (parse_goal(c, &in, &field) != CHECK_OK) {
		render_goals(c, 422, ck_field_error(c, field, msg_key(c, field)), NULL);
		return;
	}
	id = goals_add(c->db, c->user->id, in.title, in.due_on, c->now);
	if (id == 0) {
		render_goals(c, 409, ck_field_error(c, "title", "checkins.errors.too_many_goals"),
		    NULL);
		return;
	}
	if (id < 0) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	respond_redirect(c, "/goals?done=added");
}

static void
goal_change(struct ctx *c, int what)
{
	int64_t id = ctx_param_id(c, 0);
	int rc;

	if (what == 2)
		rc = goals_delete(c->db, c->user->id, id);
	else
		rc = goals_set_done(c->db, c->user->id, id, what == 1, c->now);
	if (rc == 1) {
		respond_error(c, 404, "not_found", NULL, NULL);
		return;
	}
	if (rc < 0) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	respond_redirect(c, what == 2 ? "/goals?done=deleted" : what == 1 ? "/goals?done=done" :
	    "/goals?done=undone");
}

void
h_goal_done(struct ctx *c)
{
	goal_change(c, 1);
}

void
h_goal_undo(struct ctx *c)
{
	goal_change(c, 0);
}

void
h_goal_delete(struct ctx *c)
{
	goal_change(c, 2);
}

/* ---- days and milestones ---- */

/*
 * Read a start date: "" or null clears it.  1 with *day (-1: cleared),
 * 0 when absent, -1 invalid (*msg set).
 */
static int
parse_start(struct ctx *c, int64_t *day, const char **msg)
{
	json_t *j = c->json ? json_object_get(c->json, "start_date") : NULL;
	const char *s;

	*day = -1;
	if (c->json != NULL) {
		if (j == NULL)
			return 0;
		if (json_is_null(j))
			return 1;
		if (!json_is_string(j)) {
			*msg = "checkins.errors.start_date";
			return -1;
		}
		s = json_string_value(j);
	} else {
		if ((s = params_get(&c->form, "start_date")) == NULL)
			return 0;
		s = arena_cstr(c->a, str_trim(str_c(s)));
	}
	if (*s == '\0')
		return 1;
	if (!days_parse_date(s, day)) {
		*msg = "checkins.errors.start_date";
		return -1;
	}
	if (*day > ck_today(c)) {
		*msg = "checkins.errors.start_future";
		return -1;
	}
	return 1;
}

/* The days page's numbers in words, added to data. */
static bool
add_days(struct ctx *c, json_t *data, int64_t member_id, bool own)
{
	json_t *rec = recovery_json(c->db, member_id, ck_today(c), own), *v, *ms, *next;
	int64_t today = ck_today(c), day;
	size_t i;

	if (rec == NULL)
		return false;
	json_object_set_new(data, "started", json_boolean(json_is_true(json_object_get(rec,
	    "started"))));
	json_object_set_new(data, "has_start", json_boolean(json_is_string(json_object_get(rec,
	    "start_date"))));
	if (json_is_string(json_object_get(rec, "start_date"))) {
		days_parse_date(json_string_value(json_object_get(rec, "start_date")), &day);
		json_object_set_new(data, "start_date", json_incref(json_object_get(rec,
		    "start_date")));
		json_object_set_new(data, "start_text", json_string(ck_date(c, day)));
	}
	json_object_set_new(data, "current", json_string(ck_milestone_label(c,
	    json_integer_value(json_object_get(rec, "current_days")), 0)));
	json_object_set_new(data, "current_days", json_incref(json_object_get(rec,
	    "current_days")));
	json_object_set_new(data, "longest", json_string(ck_milestone_label(c,
	    json_integer_value(json_object_get(rec, "longest_days")), 0)));
	json_object_set_new(data, "total", json_string(ck_milestone_label(c,
	    json_integer_value(json_object_get(rec, "total_days")), 0)));
	json_object_set_new(data, "share_milestones", json_incref(json_object_get(rec,
	    "share_milestones")));

	ms = json_array();
	json_array_foreach(json_object_get(rec, "milestones"), i, v) {
		const char *date = json_string_value(json_object_get(v, "date"));
		json_t *row;

		days_parse_date(date, &day);
		row = json_pack("{s:s, s:s, s:s, s:b, s:b}",
		    "label", ck_milestone_label(c, json_integer_value(json_object_get(v, "days")),
		    (int)json_integer_value(json_object_get(v, "years"))),
		    "date", ck_date(c, day), "date_iso", date,
		    "current_run", json_is_true(json_object_get(v, "current_run")),
		    "today", day == today);
		if (day == today && json_object_get(data, "celebrate") == NULL)
			json_object_set_new(data, "celebrate", json_string(ctx_tr(c,
			    own ? "checkins.days.celebrate" : "checkins.days.celebrate_other",
			    json_pack("{s:s}", "milestone", json_string_value(json_object_get(row,
			    "label"))))));
		json_array_append_new(ms, row);
	}
	json_object_set_new(data, "has_milestones", json_boolean(json_array_size(ms) > 0));
	json_object_set_new(data, "milestones", ms);
	next = json_object_get(rec, "next_milestone");
	if (json_is_object(next)) {
		days_parse_date(json_string_value(json_object_get(next, "date")), &day);
		json_object_set_new(data, "next", json_string(ctx_tr(c, "checkins.days.next",
		    json_pack("{s:s, s:s, s:I}", "milestone", ck_milestone_label(c,
		    json_integer_value(json_object_get(next, "days")),
		    (int)json_integer_value(json_object_get(next, "years"))),
		    "date", ck_date(c, day),
		    "n", json_integer_value(json_object_get(next, "days_to_go"))))));
	}
	if (own) {
		json_t *rel = json_array();

		json_array_foreach(json_object_get(rec, "relapses"), i, v) {
			days_parse_date(json_string_value(json_object_get(v, "date")), &day);
			json_array_append_new(rel, json_pack("{s:s, s:s, s:O}",
			    "date", ck_date(c, day),
			    "date_iso", json_string_value(json_object_get(v, "date")),
			    "reflection", json_object_get(v, "reflection")));
		}
		json_object_set_new(data, "has_relapses", json_boolean(json_array_size(rel) > 0));
		json_object_set_new(data, "relapses", rel);
	}
	json_decref(rec);
	return true;
}

static void
render_days(struct ctx *c, int status, json_t *errors, const char *notice)
{
	json_t *data = json_object();
	char today[11];

	if (!add_days(c, data, c->user->id, true)) {
		json_decref(data);
		json_decref(errors);
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	days_format_date(ck_today(c), today);
	json_object_set_new(data, "today", json_string(today));
	if (errors != NULL) {
		json_object_set_new(data, "error", json_string(i18n_get(c->lang,
		    "checkins.errors.summary")));
		json_object_set_new(data, "errors", errors);
		json_object_set_new(data, "values", json_pack("{s:s, s:s, s:s}",
		    "start_date", params_get(&c->form, "start_date") ?
		    params_get(&c->form, "start_date") : "",
		    "date", params_get(&c->form, "date") ? params_get(&c->form, "date") : "",
		    "reflection", params_get(&c->form, "reflection") ?
		    params_get(&c->form, "reflection") : ""));
	}
	if (notice != NULL)
		json_object_set_new(data, "notice", json_string(notice));
	c->path = "/recovery";
	respond_page(c, status, "checkins/days", "checkins.days.title", data);
}

void
h_days(struct ctx *c)
{
	const char *n = params_get(&c->query, "saved");
	const char *notice = NULL;

	if (n != NULL && strcmp(n, "start") == 0)
		notice = i18n_get(c->lang, "checkins.days.notices.start");
	else if (n != NULL && strcmp(n, "relapse") == 0)
		notice = i18n_get(c->lang, "checkins.days.notices.relapse");
	render_days(c, 200, NULL, notice);
}

void
h_days_start(struct ctx *c)
{
	const char *msg = NULL, *share = params_get(&c->form, "share_milestones");
	int64_t day;

	if (parse_start(c, &day, &msg) < 0) {
		render_days(c, 422, ck_field_error(c, "start_date", msg), NULL);
		return;
	}
	if (recovery_save(c->db, c->user->id, day, share != NULL && strcmp(share, "1") == 0,
	    c->now) == -1) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	respond_redirect(c, "/recovery?saved=start");
}

/*
 * Check a relapse: a date on or after the start date and not after today,
 * and an optional reflection.  CHECK_INVALID with *field and *msg.
 */
static enum check
parse_relapse(struct ctx *c, int64_t *day, const char **reflection, const char **field,
    const char **msg)
{
	struct recovery rec;
	const char *date = ctx_field(c, "date"), *refl = ctx_field(c, "reflection");
	json_t *jr = c->json ? json_object_get(c->json, "reflection") : NULL;

	*reflection = NULL;
	if (c->json != NULL) {
		const char *key;
		json_t *v;

		json_object_foreach(c->json, key, v) {
			if (strcmp(key, "date") != 0 && strcmp(key, "reflection") != 0) {
				*field = arena_strdup(c->a, key);
				*msg = "checkins.errors.unknown_field";
				return CHECK_INVALID;
			}
		}
		if (jr != NULL && !json_is_null(jr) && !json_is_string(jr)) {
			*field = "reflection";
			*msg = "checkins.errors.reflection";
			return CHECK_INVALID;
		}
	}
	*field = "date";
	if (date == NULL || !days_parse_date(arena_cstr(c->a, str_trim(str_c(date))), day)) {
		*msg = "checkins.errors.date";
		return CHECK_INVALID;
	}
	if (*day > ck_today(c)) {
		*msg = "checkins.errors.date_future";
		return CHECK_INVALID;
	}
	if (recovery_load(c->db, c->user->id, &rec) == -1)
		return CHECK_ERROR;
	if (!rec.has_start) {
		*msg = "checkins.errors.no_start";
		return CHECK_INVALID;
	}
	if (*day < rec.start_day) {
		*msg = "checkins.errors.date_before_start";
		return CHECK_INVALID;
	}
	if (refl != NULL && str_trim(str_c(refl)).len > 0) {
		if (!checkin_note_valid(refl, strlen(refl))) {
			*field = "reflection";
			*msg = "checkins.errors.reflection";
			return CHECK_INVALID;
		}
		*reflection = refl;
	}
	return CHECK_OK;
}

void
h_days_relapse(struct ctx *c)
{
	const char *refl, *field, *msg;
	int64_t day, id;

	switch (parse_relapse(c, &day, &refl, &field, &msg)) {
	case CHECK_OK:
		break;
	case CHECK_INVALID:
		render_days(c, 422, ck_field_error(c, field, msg), NULL);
		return;
	default:
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	if ((id = recovery_add_relapse(c->db, c->user->id, day, refl, c->now)) < 0) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	if (id == 0) {
		render_days(c, 409, ck_field_error(c, "date", "checkins.errors.too_many_relapses"),
		    NULL);
		return;
	}
	respond_redirect(c, "/recovery?saved=relapse");
}

/* ---- days: API ---- */

static void
respond_recovery(struct ctx *c, int status, int64_t member_id, bool own)
{
	json_t *rec = recovery_json(c->db, member_id, ck_today(c), own);

	if (rec == NULL) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	if (!own)
		json_object_del(rec, "share_milestones");
	respond_json(c, status, rec);
}

void
h_api_recovery(struct ctx *c)
{
	respond_recovery(c, 200, c->user->id, true);
}

void
h_api_recovery_update(struct ctx *c)
{
	struct recovery rec;
	json_t *share = c->json ? json_object_get(c->json, "share_milestones") : NULL;
	const char *msg = NULL, *key;
	int64_t day;
	json_t *v;
	int rc;

	if (c->json == NULL) {
		respond_error(c, 400, "malformed_json", "errors.400.message", NULL);
		return;
	}
	json_object_foreach(c->json, key, v) {
		if (strcmp(key, "start_date") != 0 && strcmp(key, "share_milestones") != 0) {
			respond_error(c, 422, "invalid_field", msg_key(c, key), key);
			return;
		}
	}
	if ((rc = parse_start(c, &day, &msg)) < 0) {
		respond_error(c, 422, "invalid_field", msg, "start_date");
		return;
	}
	if (share != NULL && !json_is_boolean(share)) {
		respond_error(c, 422, "invalid_field", msg_key(c, "share_milestones"),
		    "share_milestones");
		return;
	}
	if (recovery_load(c->db, c->user->id, &rec) == -1) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	if (rc == 0)		/* start_date absent: keep it */
		day = rec.has_start ? rec.start_day : -1;
	if (recovery_save(c->db, c->user->id, day, share ? json_is_true(share) :
	    rec.share_milestones, c->now) == -1) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	respond_recovery(c, 200, c->user->id, true);
}

void
h_api_recovery_relapse(struct ctx *c)
{
	const char *refl, *field, *msg;
	int64_t day, id;

	if (c->json == NULL) {
		respond_error(c, 400, "malformed_json", "errors.400.message", NULL);
		return;
	}
	switch (parse_relapse(c, &day, &refl, &field, &msg)) {
	case CHECK_OK:
		break;
	case CHECK_INVALID:
		respond_error(c, 422, "invalid_field", msg, field);
		return;
	default:
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	if ((id = recovery_add_relapse(c->db, c->user->id, day, refl, c->now)) < 0) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	if (id == 0) {
		respond_error(c, 409, "too_many_relapses", "checkins.errors.too_many_relapses",
		    "date");
		return;
	}
	respond_recovery(c, 201, c->user->id, true);
}

void
h_api_member_milestones(struct ctx *c)
{
	int64_t id = ctx_param_id(c, 0);

	if (id <= 0 || !privacy_read(c, id, CONSENT_MILESTONES,
	    arena_printf(c->a, "milestones:%" PRId64, id))) {
		respond_error(c, 404, "not_found", NULL, NULL);
		return;
	}
	respond_recovery(c, 200, id, false);
}
