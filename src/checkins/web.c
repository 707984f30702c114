/*
 * web.c: check-ins over the API and in the browser, the history charts, and
 * a member's shared check-ins for the people they chose.
 *
 * Handlers are thin: checkin.c checks the values, store.c keeps them,
 * trends.c and chart.c draw the history.  Another member's check-ins are
 * read only through privacy_read() (category "checkins"): without an
 * active consent the answer is 404, as if there were nothing, and every
 * read that happens is audited for the member to see.
 *
 * The check-in form answers with a redirect after saving (so reloading
 * the page does not check in twice), or with the form again, the error
 * beside its field and what was typed kept (422).
 */
#include "safety/safety.h"
#include "app/handlers.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/users.h"
#include "checkins/chart.h"
#include "checkins/checkin.h"
#include "checkins/days.h"
#include "checkins/store.h"
#include "checkins/trends.h"
#include "checkins/web_util.h"
#include "privacy/consent.h"
#include "view/view.h"

#define RECENT_ON_FORM		7
#define HISTORY_WEEKS_DEFAULT	12
#define HISTORY_ROWS_MAX	5000

static const int week_choices[] = { 4, 12, 26, 52 };

/* The catalog key for an invalid field's message. */
static const char *
field_message(struct ctx *c, const char *field)
{
	static const char *const known[] = {
		"mood", "craving", "stress", "sleep_hours", "used", "note", "limit", "before",
		NULL,
	};
	size_t i;

	for (i = 0; known[i] != NULL; i++)
		if (strcmp(known[i], field) == 0)
			return ck_error_key(c, field);
	return "checkins.errors.unknown_field";
}

/* ---- API ---- */

/*
 * After a check-in is saved: the early-warning rules run for the member, and
 * a note is scanned for crisis language.  Returns > 0 when the note was
 * flagged (the on-call supporter is alerted; the caller shows help).
 */
static int64_t
after_checkin(struct ctx *c, int64_t id, const struct checkin *ci)
{
	safety_note_checkin(c->db, c->cfg, c->user->id, c->now);
	if (ci->note == NULL || *ci->note == '\0')
		return 0;
	return safety_crisis_text(c->db, c->cfg, c->user->id, "checkin_note", id, ci->note,
	    strlen(ci->note), c->now);
}

void
h_api_checkins_create(struct ctx *c)
{
	struct checkin ci;
	const char *bad;
	int64_t id;

	if (c->json == NULL) {
		respond_error(c, 400, "malformed_json", "errors.400.message", NULL);
		return;
	}
	if ((bad = checkin_from_json(c->json, &ci)) != NULL) {
		respond_error(c, 422, "invalid_field", field_message(c, bad), bad);
		return;
	}
	if ((id = checkins_add(c->db, c->user->id, &ci, "api", c->now)) <= 0) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	ci.id = id;
	ci.user_id = c->user->id;
	ci.created_at = c->now;
	ci.source = "api";
	{
		json_t *out = checkin_json(&ci);

		/* Crisis language in the note: the writer is shown help at once. */
		if (after_checkin(c, id, &ci) > 0)
			json_object_set_new(out, "help_url", json_string("/help-now"));
		respond_json(c, 201, out);
	}
}

/* A page of member_id's check-ins as the API answers it. */
static void
api_list(struct ctx *c, int64_t member_id)
{
	int64_t limit, before, next;
	json_t *list;

	if (ck_query_int(c, "limit", CHECKINS_PAGE_DEFAULT, 1, CHECKINS_PAGE_MAX, &limit) < 0) {
		respond_error(c, 422, "invalid_field", field_message(c, "limit"), "limit");
		return;
	}
	if (ck_query_int(c, "before", 0, 1, INT64_MAX, &before) < 0) {
		respond_error(c, 422, "invalid_field", field_message(c, "before"), "before");
		return;
	}
	if ((list = checkins_list_json(c->db, member_id, before, (int)limit, &next)) == NULL) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	respond_json(c, 200, json_pack("{s:o, s:o}", "checkins", list,
	    "next_before", next > 0 ? json_integer(next) : json_null()));
}

void
h_api_checkins_list(struct ctx *c)
{
	api_list(c, c->user->id);
}

/*
 * The gate for someone else's check-ins: the member must exist and have
 * consented; the read is audited.  false: answered 404.
 */
static bool
may_read_checkins(struct ctx *c, int64_t member_id)
{
	if (member_id <= 0 || !privacy_read(c, member_id, CONSENT_CHECKINS,
	    arena_printf(c->a, "checkins:%" PRId64, member_id))) {
		respond_error(c, 404, "not_found", NULL, NULL);
		return false;
	}
	return true;
}

void
h_api_member_checkins(struct ctx *c)
{
	int64_t id = ctx_param_id(c, 0);

	if (may_read_checkins(c, id))
		api_list(c, id);
}

/* ---- pages ---- */

static const char *
mood_word(struct ctx *c, int mood)
{
	return mood < 1 ? "" : i18n_get(c->lang, arena_printf(c->a, "checkins.mood.m%d", mood));
}

static const char *
used_word(struct ctx *c, enum checkin_used u)
{
	const char *t = checkin_used_token(u);

	return t == NULL ? "" : i18n_get(c->lang, arena_printf(c->a, "checkins.used.%s", t));
}

/* One check-in as a row of the pages' tables. */
static json_t *
checkin_row(struct ctx *c, json_t *ci)
{
	json_t *row = json_object();
	int64_t at = json_integer_value(json_object_get(ci, "created_at"));
	json_t *mood = json_object_get(ci, "mood"), *sleep = json_object_get(ci, "sleep_hours");
	enum checkin_used used = CHECKIN_USED_UNSET;
	char num[16];

	json_object_set_new(row, "when", json_string(ck_datetime(c, at)));
	json_object_set_new(row, "when_iso", json_string(ck_iso(c, at)));
	if (json_is_integer(mood))
		json_object_set_new(row, "mood", json_string(ctx_tr(c, "checkins.table.mood_value",
		    json_pack("{s:I, s:s}", "n", json_integer_value(mood), "word",
		    mood_word(c, (int)json_integer_value(mood))))));
	if (json_is_integer(json_object_get(ci, "craving")))
		json_object_set(row, "craving", json_object_get(ci, "craving"));
	if (json_is_integer(json_object_get(ci, "stress")))
		json_object_set(row, "stress", json_object_get(ci, "stress"));
	if (json_is_number(sleep)) {
		chart_number(json_number_value(sleep), num);
		json_object_set_new(row, "sleep", json_string(num));
	}
	checkin_used_from_token(json_string_value(json_object_get(ci, "used")), &used);
	if (used != CHECKIN_USED_UNSET)
		json_object_set_new(row, "used", json_string(used_word(c, used)));
	if (json_is_string(json_object_get(ci, "note")))
		json_object_set(row, "note", json_object_get(ci, "note"));
	json_object_set_new(row, "by_text", json_boolean(strcmp(json_string_value(
	    json_object_get(ci, "source")), "sms") == 0));
	return row;
}

static json_t *
checkin_rows(struct ctx *c, json_t *list)
{
	json_t *rows = json_array(), *v;
	size_t i;

	json_array_foreach(list, i, v)
		json_array_append_new(rows, checkin_row(c, v));
	return rows;
}

/* Radio options 1..5 (mood) or the "used" answers, with the typed one checked. */
static json_t *
mood_options(struct ctx *c, const char *typed)
{
	json_t *a = json_array();
	int m;

	for (m = CHECKIN_MOOD_MIN; m <= CHECKIN_MOOD_MAX; m++) {
		char v[4];

		snprintf(v, sizeof(v), "%d", m);
		json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "value", v,
		    "label", mood_word(c, m), "checked", typed != NULL && strcmp(typed, v) == 0));
	}
	return a;
}

static json_t *
used_options(struct ctx *c, const char *typed)
{
	static const enum checkin_used order[] = {
		CHECKIN_USED_NO, CHECKIN_USED_YES, CHECKIN_USED_PREFER_NOT,
	};
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		const char *tok = checkin_used_token(order[i]);

		json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "value", tok,
		    "label", used_word(c, order[i]), "checked", typed != NULL &&
		    strcmp(typed, tok) == 0));
	}
	return a;
}

static const char *
typed(struct ctx *c, const char *name)
{
	const char *v = params_get(&c->form, name);

	return v ? v : "";
}

/*
 * The check-in page: the form (with what was typed and errors after a
 * refused submit), the last few check-ins, and links onwards.  Consumes
 * errors.
 */
static void
render_form(struct ctx *c, int status, json_t *errors, const char *notice_key)
{
	json_t *data = json_object(), *list, *values;
	int64_t next;
	const char *mood = params_get(&c->form, "mood"), *used = params_get(&c->form, "used");

	list = checkins_list_json(c->db, c->user->id, 0, RECENT_ON_FORM, &next);
	if (list == NULL) {
		json_decref(data);
		json_decref(errors);
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	values = json_pack("{s:s, s:s, s:s, s:s}", "craving", typed(c, "craving"),
	    "stress", typed(c, "stress"), "sleep_hours", typed(c, "sleep_hours"),
	    "note", typed(c, "note"));
	json_object_set_new(data, "values", values);
	json_object_set_new(data, "mood_options", mood_options(c, mood));
	json_object_set_new(data, "mood_skipped", json_boolean(mood == NULL || *mood == '\0'));
	json_object_set_new(data, "used_options", used_options(c, used));
	json_object_set_new(data, "used_skipped", json_boolean(used == NULL || *used == '\0'));
	json_object_set_new(data, "recent", checkin_rows(c, list));
	json_object_set_new(data, "has_recent", json_boolean(json_array_size(list) > 0));
	json_decref(list);
	if (errors != NULL) {
		json_object_set_new(data, "error", json_string(i18n_get(c->lang,
		    "checkins.errors.summary")));
		json_object_set_new(data, "errors", errors);
	}
	if (notice_key != NULL)
		json_object_set_new(data, "notice", json_string(i18n_get(c->lang, notice_key)));
	c->path = "/checkins";
	respond_page(c, status, "checkins/index", "checkins.title", data);
}

void
h_checkins(struct ctx *c)
{
	const char *saved = params_get(&c->query, "saved");

	render_form(c, 200, NULL, saved && strcmp(saved, "1") == 0 ?
	    "checkins.notices.saved" : NULL);
}

void
h_checkins_submit(struct ctx *c)
{
	struct checkin ci;
	const char *bad = checkin_from_form(&c->form, &ci);
	int64_t id;

	if (bad != NULL) {
		render_form(c, 422, ck_field_error(c, bad, field_message(c, bad)), NULL);
		return;
	}
	if ((id = checkins_add(c->db, c->user->id, &ci, "web", c->now)) <= 0) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	respond_redirect(c, after_checkin(c, id, &ci) > 0 ? "/help-now" : "/checkins?saved=1");
}

/* ---- history ---- */

struct measure_def {
	enum trend_measure	 m;
	const char		*id;
	const char		*key;		/* checkins.history.<key>_title ... */
	const char		*color;
	double			 ymin, ymax, ystep;
};

static const struct measure_def measures[] = {
	{ TREND_MOOD, "chart-mood", "mood", "#2f7d4f", 1, 5, 1 },
	{ TREND_CRAVING, "chart-craving", "craving", "#b4462a", 0, 10, 2 },
	{ TREND_STRESS, "chart-stress", "stress", "#8a5a00", 0, 10, 2 },
	{ TREND_SLEEP, "chart-sleep", "sleep", "#3559b7", 0, 12, 2 },
};

static const char *
mean_text(struct ctx *c, const struct trend_week *w, enum trend_measure m)
{
	char num[32];
	size_t len;

	if (!w->has[m])
		return i18n_get(c->lang, "checkins.history.none");
	/* one decimal is enough for a weekly mean: "3.5", "4" */
	snprintf(num, sizeof(num), "%.1f", w->mean[m]);
	len = strlen(num);
	if (len > 2 && strcmp(num + len - 2, ".0") == 0)
		num[len - 2] = '\0';
	return arena_strdup(c->a, num);
}

/*
 * The history of member_id over weeks: four charts and the table of the
 * same numbers.  who is NULL for one's own history, else the member's name.
 */
static void
render_history(struct ctx *c, int64_t member_id, const char *who)
{
	struct trend_week weeks[TRENDS_WEEKS_MAX];
	struct checkin *rows;
	size_t n, k;
	int64_t today = ck_today(c), nweeks, from;
	json_t *data, *charts, *table, *choices, *list;
	int w;
	int64_t next;

	if (ck_query_int(c, "weeks", HISTORY_WEEKS_DEFAULT, 1, TRENDS_WEEKS_MAX, &nweeks) < 0)
		nweeks = HISTORY_WEEKS_DEFAULT;
	for (k = 0; k < sizeof(week_choices) / sizeof(week_choices[0]); k++)
		if (week_choices[k] == nweeks)
			break;
	if (k == sizeof(week_choices) / sizeof(week_choices[0]))
		nweeks = HISTORY_WEEKS_DEFAULT;
	from = trends_first_day(today, (int)nweeks) * 86400 - ck_offset(c);
	if (checkins_since(c->db, member_id, from, HISTORY_ROWS_MAX, &rows, &n) == -1) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	nweeks = trends_weekly(rows, n, today, ck_offset(c), (int)nweeks, weeks);
	free(rows);

	charts = json_array();
	for (k = 0; k < sizeof(measures) / sizeof(measures[0]); k++) {
		const struct measure_def *md = &measures[k];
		double values[TRENDS_WEEKS_MAX];
		bool present[TRENDS_WEEKS_MAX];
		const char *labels[TRENDS_WEEKS_MAX];
		struct chart ch;
		struct buf svg = BUF_INIT;
		int given = 0;

		memset(&ch, 0, sizeof(ch));
		for (w = 0; w < nweeks; w++) {
			values[w] = weeks[w].mean[md->m];
			present[w] = weeks[w].has[md->m];
			labels[w] = ck_date_short(c, weeks[w].first_day);
			given += present[w];
			if (md->m == TREND_SLEEP && present[w] && values[w] > 12)
				ch.ymax = 24;
		}
		ch.id = md->id;
		ch.title = i18n_get(c->lang, arena_printf(c->a, "checkins.history.%s_title", md->key));
		ch.desc = i18n_get(c->lang, arena_printf(c->a, "checkins.history.%s_desc", md->key));
		ch.color = md->color;
		ch.ymin = md->ymin;
		ch.ymax = ch.ymax > 0 ? ch.ymax : md->ymax;
		ch.ystep = md->m == TREND_SLEEP && ch.ymax > 12 ? 4 : md->ystep;
		ch.n = (size_t)nweeks;
		ch.values = values;
		ch.present = present;
		ch.xlabels = labels;
		chart_svg(&ch, &svg);
		json_array_append_new(charts, json_pack("{s:s, s:s, s:s, s:b}",
		    "id", md->id, "title", ch.title, "svg", svg.data, "empty", given == 0));
		buf_free(&svg);
	}

	table = json_array();
	for (w = (int)nweeks - 1; w >= 0; w--) {
		json_array_append_new(table, json_pack("{s:s, s:i, s:s, s:s, s:s, s:s}",
		    "week", ctx_tr(c, "checkins.history.week_of", json_pack("{s:s}", "date",
		    ck_date(c, weeks[w].first_day))),
		    "count", weeks[w].checkins,
		    "mood", mean_text(c, &weeks[w], TREND_MOOD),
		    "craving", mean_text(c, &weeks[w], TREND_CRAVING),
		    "stress", mean_text(c, &weeks[w], TREND_STRESS),
		    "sleep", mean_text(c, &weeks[w], TREND_SLEEP)));
	}
	choices = json_array();
	for (k = 0; k < sizeof(week_choices) / sizeof(week_choices[0]); k++)
		json_array_append_new(choices, json_pack("{s:i, s:s, s:b}",
		    "weeks", week_choices[k], "label", ctx_tr(c, "checkins.history.weeks_choice",
		    json_pack("{s:i}", "n", week_choices[k])), "current", week_choices[k] == nweeks));

	list = checkins_list_json(c->db, member_id, 0, CHECKINS_PAGE_DEFAULT, &next);
	if (list == NULL) {
		json_decref(charts);
		json_decref(table);
		json_decref(choices);
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	data = json_object();
	/* two charts a row on a wide screen (Pico's grid stacks them on a phone) */
	{
		json_t *rows = json_array();

		for (k = 0; k < json_array_size(charts); k += 2) {
			json_t *pair = json_array();

			json_array_append(pair, json_array_get(charts, k));
			if (k + 1 < json_array_size(charts))
				json_array_append(pair, json_array_get(charts, k + 1));
			json_array_append_new(rows, json_pack("{s:o}", "charts", pair));
		}
		json_decref(charts);
		json_object_set_new(data, "chart_rows", rows);
	}
	json_object_set_new(data, "weeks", table);
	json_object_set_new(data, "week_choices", choices);
	json_object_set_new(data, "period", json_string(ctx_tr(c, "checkins.history.period",
	    json_pack("{s:I}", "n", (json_int_t)nweeks))));
	json_object_set_new(data, "recent", checkin_rows(c, list));
	json_object_set_new(data, "has_recent", json_boolean(json_array_size(list) > 0));
	json_decref(list);
	json_object_set_new(data, "self", json_boolean(who == NULL));
	if (who != NULL) {
		json_object_set_new(data, "member_name", json_string(who));
		json_object_set_new(data, "base", json_string(arena_printf(c->a,
		    "/members/%" PRId64 "/checkins", member_id)));
		json_object_set_new(data, "title", json_string(ctx_tr(c,
		    "checkins.shared.title", json_pack("{s:s}", "name", who))));
	} else {
		json_object_set_new(data, "base", json_string("/checkins/history"));
	}
	respond_page(c, 200, "checkins/history", "checkins.history.title", data);
}

void
h_checkins_history(struct ctx *c)
{
	render_history(c, c->user->id, NULL);
}

void
h_member_checkins(struct ctx *c)
{
	int64_t id = ctx_param_id(c, 0);
	struct user *m;

	if (id == c->user->id) {
		respond_redirect(c, "/checkins/history");
		return;
	}
	if (!may_read_checkins(c, id))
		return;
	if ((m = user_load(c->db, c->a, id)) == NULL) {
		respond_error(c, 404, "not_found", NULL, NULL);
		return;
	}
	render_history(c, id, m->display_name);
}
