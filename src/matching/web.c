/*
 * web.c: matching over the API and in the browser.
 *
 * Members: /matching/profile (and GET/PUT /api/v1/me/matching-profile)
 * to fill their matching profile and opt in or out; the page turns its
 * form into the API's JSON document so both are checked by the same
 * matching_profile_check().  Their active mentorships are listed there.
 *
 * Coordinators and admins: /coordinator/matching (and
 * /api/v1/coordinator/matching/...) for the network's settings (minimum
 * days in recovery, the score weights), mentors (approve, trained),
 * "Suggest pairs" over the whole network or one chapter, and approving or
 * rejecting each suggestion.  Every view of a member's matching data there
 * is an audited read (store.c: matching_gate).
 */
#include "app/handlers.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin/chapters.h"
#include "checkins/days.h"
#include "matching/match.h"
#include "matching/store.h"
#include "privacy/audit.h"
#include "view/view.h"

/* Weekdays in the order the page shows them (engine days: 0 = Sunday). */
static const int day_order[] = { 1, 2, 3, 4, 5, 6, 0 };
static const char *const day_keys[] = {
	"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
};

static const char *
field_key(struct ctx *c, const char *field)
{
	static const char *const known[] = {
		"opted_in", "seeks", "languages", "gender", "wants_gender", "pathway", "tags",
		"age_band", "region", "lat", "lon", "availability", "capacity",
		"min_recovery_days", "trained", "approved", "by_text", "chapter_id", "settings",
		NULL,
	};
	size_t i;

	for (i = 0; known[i] != NULL; i++)
		if (strcmp(known[i], field) == 0)
			return arena_printf(c->a, "matching.errors.%s", field);
	/* every weight has the same rule */
	if (strncmp(field, "weights", 7) == 0 || strncmp(field, "w_", 2) == 0)
		return "matching.errors.weight";
	return "matching.errors.unknown_field";
}

static void
invalid(struct ctx *c, const char *field)
{
	respond_error(c, 422, "invalid_field", field_key(c, field), field);
}

/* ---- the member's profile: API ---- */

static json_t *
profile_or_null(struct ctx *c, bool *err)
{
	json_t *p = matching_profile_load(c->db, c->user->id, err);

	return p != NULL ? p : json_null();
}

void
h_api_matching_profile(struct ctx *c)
{
	bool err;
	json_t *p = profile_or_null(c, &err), *ms = matching_my_mentorships_json(c);

	if (err || ms == NULL) {
		json_decref(p);
		json_decref(ms);
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	respond_json(c, 200, json_pack("{s:o, s:o}", "profile", p, "mentorships", ms));
}

void
h_api_matching_profile_put(struct ctx *c)
{
	const char *bad;
	json_t *p;

	if (c->json == NULL) {
		respond_error(c, 400, "malformed_json", "errors.400.message", NULL);
		return;
	}
	if ((bad = matching_profile_check(c->a, c->json, &p)) != NULL) {
		invalid(c, bad);
		return;
	}
	if (matching_profile_save(c->db, c->user->id, p, c->now) == -1) {
		json_decref(p);
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	respond_json(c, 200, json_pack("{s:o}", "profile", p));
}

/* ---- the member's profile: page ---- */

/* The form as the API's document; values that are not numbers stay strings (then refused). */
static json_t *
form_profile(struct ctx *c)
{
	static const char *const words[] = { "gender", "wants_gender", "pathway", "age_band" };
	json_t *o = json_object(), *langs = json_array(), *tags = json_array(), *av = json_array();
	const char *s;
	size_t i, k;

	json_object_set_new(o, "opted_in", json_boolean(params_get(&c->form, "opted_in") != NULL));
	json_object_set_new(o, "by_text", json_boolean(params_get(&c->form, "by_text") != NULL));
	if ((s = params_get(&c->form, "seeks")) != NULL)
		json_object_set_new(o, "seeks", json_string(s));
	for (i = 0; matching_languages[i] != NULL; i++)
		if (params_get(&c->form, arena_printf(c->a, "lang_%s", matching_languages[i])))
			json_array_append_new(langs, json_string(matching_languages[i]));
	json_object_set_new(o, "languages", langs);
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if ((s = params_get(&c->form, words[i])) != NULL && *s != '\0')
			json_object_set_new(o, words[i], json_string(s));
	for (i = 0; matching_tags[i] != NULL; i++)
		if (params_get(&c->form, arena_printf(c->a, "tag_%s", matching_tags[i])))
			json_array_append_new(tags, json_string(matching_tags[i]));
	json_object_set_new(o, "tags", tags);
	if ((s = params_get(&c->form, "region")) != NULL)
		json_object_set_new(o, "region", json_string(s));
	for (i = 0; i < 2; i++) {
		const char *name = i == 0 ? "lat" : "lon";
		char *end;
		double d;

		s = params_get(&c->form, name);
		if (s == NULL || *s == '\0')
			continue;
		d = strtod(s, &end);
		json_object_set_new(o, name, *end == '\0' && isfinite(d) ? json_real(d) :
		    json_string(s));
	}
	for (i = 0; i < 7; i++)
		for (k = 0; k < MATCHING_NPERIODS; k++)
			if (params_get(&c->form, arena_printf(c->a, "avail_%zu_%s", i,
			    matching_periods[k].name)))
				json_array_append_new(av, json_pack("[i, i, i]", (int)i,
				    matching_periods[k].start, matching_periods[k].end));
	json_object_set_new(o, "availability", av);
	if ((s = params_get(&c->form, "capacity")) != NULL && *s != '\0') {
		uint64_t v;

		json_object_set_new(o, "capacity", str_to_u64(str_c(s), 1000, &v) ?
		    json_integer((json_int_t)v) : json_string(s));
	}
	return o;
}

static bool
list_has(json_t *list, const char *w)
{
	json_t *v;
	size_t i;

	json_array_foreach(list, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), w) == 0)
			return true;
	return false;
}

static json_t *
options(struct ctx *c, const char *const *list, const char *group, const char *selected)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; list[i] != NULL; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "value", list[i],
		    "label", ctx_trk(c, arena_printf(c->a, "matching.%s.%%s", group), list[i]),
		    "selected", selected != NULL && strcmp(selected, list[i]) == 0));
	return a;
}

static json_t *
checks(struct ctx *c, const char *const *list, const char *group, const char *prefix,
    json_t *chosen)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; list[i] != NULL; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:b}",
		    "name", arena_printf(c->a, "%s%s", prefix, list[i]),
		    "label", ctx_trk(c, arena_printf(c->a, "matching.%s.%%s", group), list[i]),
		    "checked", list_has(chosen, list[i])));
	return a;
}

/* Does any availability block of p overlap [start, end) on day? */
static bool
covers(json_t *av, int day, int start, int end)
{
	json_t *b;
	size_t i;

	json_array_foreach(av, i, b)
		if (json_integer_value(json_array_get(b, 0)) == day &&
		    json_integer_value(json_array_get(b, 1)) < end &&
		    json_integer_value(json_array_get(b, 2)) > start)
			return true;
	return false;
}

static const char *
number_text(struct ctx *c, json_t *v)
{
	if (json_is_number(v))
		return arena_printf(c->a, "%.6g", json_number_value(v));
	return json_is_string(v) ? json_string_value(v) : "";
}

static void
render_profile(struct ctx *c, int status, json_t *p, const char *bad, const char *notice_key)
{
	json_t *data = json_object(), *days = json_array(), *ms, *mlist = json_array(), *v;
	const char *seeks = json_string_value(json_object_get(p, "seeks"));
	json_t *av = json_object_get(p, "availability");
	size_t i, k;

	if ((ms = matching_my_mentorships_json(c)) == NULL) {
		json_decref(data);
		json_decref(days);
		json_decref(mlist);
		json_decref(p);
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	json_object_set_new(data, "opted_in", json_boolean(json_is_true(json_object_get(p,
	    "opted_in"))));
	json_object_set_new(data, "by_text", json_boolean(json_is_true(json_object_get(p,
	    "by_text"))));
	json_object_set_new(data, "seeks", options(c, matching_seeks, "seeks",
	    seeks ? seeks : "mentor"));
	json_object_set_new(data, "languages", checks(c, matching_languages, "languages",
	    "lang_", json_object_get(p, "languages")));
	json_object_set_new(data, "genders", options(c, matching_genders, "genders",
	    json_string_value(json_object_get(p, "gender"))));
	json_object_set_new(data, "wants_genders", options(c, matching_genders, "genders",
	    json_string_value(json_object_get(p, "wants_gender"))));
	json_object_set_new(data, "pathways", options(c, matching_pathways, "pathways",
	    json_string_value(json_object_get(p, "pathway"))));
	json_object_set_new(data, "tags", checks(c, matching_tags, "tags", "tag_",
	    json_object_get(p, "tags")));
	json_object_set_new(data, "age_bands", options(c, matching_age_bands, "age_bands",
	    json_string_value(json_object_get(p, "age_band"))));
	json_object_set_new(data, "region", json_string(json_is_string(json_object_get(p,
	    "region")) ? json_string_value(json_object_get(p, "region")) : ""));
	json_object_set_new(data, "lat", json_string(number_text(c, json_object_get(p, "lat"))));
	json_object_set_new(data, "lon", json_string(number_text(c, json_object_get(p, "lon"))));
	v = json_object_get(p, "capacity");
	json_object_set_new(data, "capacity", json_string(json_is_string(v) ? json_string_value(v) :
	    json_integer_value(v) > 0 ? arena_printf(c->a, "%" JSON_INTEGER_FORMAT,
	    json_integer_value(v)) : ""));
	for (i = 0; i < 7; i++) {
		int d = day_order[i];
		json_t *periods = json_array();

		for (k = 0; k < MATCHING_NPERIODS; k++)
			json_array_append_new(periods, json_pack("{s:s, s:s, s:s, s:b}",
			    "name", arena_printf(c->a, "avail_%d_%s", d, matching_periods[k].name),
			    "id", arena_printf(c->a, "avail-%d-%s", d, matching_periods[k].name),
			    "label", ctx_trk(c, "matching.periods.%s", matching_periods[k].name),
			    "checked", covers(av, d, matching_periods[k].start,
			    matching_periods[k].end)));
		json_array_append_new(days, json_pack("{s:s, s:o}", "name",
		    ctx_trk(c, "matching.days.%s", day_keys[d]), "periods", periods));
	}
	json_object_set_new(data, "days", days);
	json_array_foreach(ms, i, v) {
		bool seeker = strcmp(json_string_value(json_object_get(v, "role")), "seeker") == 0;
		const char *kind = json_string_value(json_object_get(v, "kind"));
		char date[11];

		days_format_date(days_of_time(json_integer_value(json_object_get(v, "since")), 0),
		    date);
		json_array_append_new(mlist, json_pack("{s:I, s:s, s:s, s:s}",
		    "id", json_integer_value(json_object_get(v, "id")),
		    "name", json_string_value(json_object_get(json_object_get(v, "other"),
		    "display_name")),
		    "what", i18n_get(c->lang, strcmp(kind, "peer") == 0 ? "matching.mine.peer" :
		    seeker ? "matching.mine.your_mentor" : "matching.mine.your_mentee"),
		    "since", date));
	}
	json_decref(ms);
	json_object_set_new(data, "mentorships", mlist);
	json_object_set_new(data, "has_mentorships", json_boolean(json_array_size(mlist) > 0));
	if (bad != NULL) {
		json_object_set_new(data, "error", json_string(i18n_get(c->lang,
		    "matching.errors.summary")));
		json_object_set_new(data, "errors", json_pack("{s:s}", bad,
		    i18n_get(c->lang, field_key(c, bad))));
	}
	if (notice_key != NULL)
		json_object_set_new(data, "notice", json_string(i18n_get(c->lang, notice_key)));
	json_decref(p);
	c->path = "/matching/profile";
	respond_page(c, status, "matching/profile", "matching.profile.title", data);
}

void
h_matching_profile(struct ctx *c)
{
	const char *done = params_get(&c->query, "done"), *key = NULL;
	bool err;
	json_t *p = matching_profile_load(c->db, c->user->id, &err);

	if (err) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	if (done != NULL && (strcmp(done, "saved") == 0 || strcmp(done, "ended") == 0))
		key = arena_printf(c->a, "matching.notices.%s", done);
	render_profile(c, 200, p != NULL ? p : json_object(), NULL, key);
}

void
h_matching_profile_save(struct ctx *c)
{
	json_t *in = form_profile(c), *p;
	const char *bad = matching_profile_check(c->a, in, &p);

	if (bad != NULL) {
		render_profile(c, 422, in, bad, NULL);
		return;
	}
	json_decref(in);
	if (matching_profile_save(c->db, c->user->id, p, c->now) == -1) {
		json_decref(p);
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	json_decref(p);
	respond_redirect(c, "/matching/profile?done=saved");
}

/* Ending a mentorship, by a member of it or by a coordinator; API and form alike. */
static void
end_mentorship(struct ctx *c, bool by_coordinator, const char *page)
{
	int rc = matching_end_mentorship(c, ctx_param_id(c, 0), by_coordinator);

	if (rc == 0)
		respond_done(c, page);
	else
		respond_error(c, rc == 1 ? 404 : 500, rc == 1 ? "not_found" : "internal", NULL, NULL);
}

void
h_my_mentorship_end(struct ctx *c)
{
	end_mentorship(c, false, "/matching/profile?done=ended");
}

/* ---- coordinators: API ---- */

/* the network's weights, in points */
static json_t *
weights_json(const struct match_weights *w)
{
	struct match_weights copy = *w;
	json_t *o = json_object();
	size_t i;

	for (i = 0; i < MATCH_NWEIGHTS; i++)
		json_object_set_new(o, match_weight_names[i],
		    json_real(*match_weight_ref(&copy, i) / 100.0));
	return o;
}

/* The fixed parts of the score rules, for API clients. */
static json_t *
score_rules_json(const struct match_weights *w)
{
	return json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:f}", "hour_max", MATCH_MAX_HOURS,
	    "tag_max", MATCH_MAX_TAGS, "near_km", MATCH_NEAR_KM, "age_similar_years",
	    MATCH_AGE_SIMILAR, "age_close_years", MATCH_AGE_CLOSE, "weight_max",
	    MATCH_WEIGHT_MAX / 100, "score_max", match_score_max(w) / 100.0);
}

/*
 * Merge a JSON object of weights in points into *w.  NULL when all is
 * well, else the field to blame ("weights", "weights.<name>").
 */
static const char *
weights_from_json(struct ctx *c, json_t *in, struct match_weights *w)
{
	const char *key;
	json_t *v;
	size_t i;

	if (!json_is_object(in))
		return "weights";
	json_object_foreach(in, key, v) {
		int h = -1;

		for (i = 0; i < MATCH_NWEIGHTS; i++)
			if (strcmp(key, match_weight_names[i]) == 0)
				break;
		if (i < MATCH_NWEIGHTS && json_is_number(v))
			h = match_weight_from_points(json_number_value(v));
		if (h < 0)
			return arena_printf(c->a, "weights.%s", key);
		*match_weight_ref(w, i) = h;
	}
	return NULL;
}

void
h_api_coord_matching(struct ctx *c)
{
	json_t *s = matching_suggestions_json(c), *m = matching_mentors_json(c);
	json_t *ms = matching_mentorships_json(c);
	struct match_weights w;

	if (s == NULL || m == NULL || ms == NULL) {
		json_decref(s);
		json_decref(m);
		json_decref(ms);
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	matching_weights(c->db, &w);
	respond_json(c, 200, json_pack("{s:I, s:o, s:o, s:o, s:o, s:o}",
	    "min_recovery_days", (json_int_t)matching_min_days(c->db), "weights", weights_json(&w),
	    "score_rules", score_rules_json(&w), "suggestions", s, "mentors", m,
	    "mentorships", ms));
}

/* {"min_recovery_days": N, "weights": {name: points}}: either or both; weights not given stay. */
void
h_api_coord_matching_settings(struct ctx *c)
{
	json_t *v = c->json ? json_object_get(c->json, "min_recovery_days") : NULL;
	json_t *wv = c->json ? json_object_get(c->json, "weights") : NULL;
	struct match_weights w;
	const char *key, *bad;
	json_t *x;

	if (c->json == NULL) {
		respond_error(c, 400, "malformed_json", "errors.400.message", NULL);
		return;
	}
	json_object_foreach(c->json, key, x)
		if (strcmp(key, "min_recovery_days") != 0 && strcmp(key, "weights") != 0) {
			invalid(c, key);
			return;
		}
	if (v == NULL && wv == NULL) {
		invalid(c, "settings");
		return;
	}
	if (v != NULL && (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > MATCHING_DAYS_MAX)) {
		invalid(c, "min_recovery_days");
		return;
	}
	matching_weights(c->db, &w);
	if (wv != NULL && (bad = weights_from_json(c, wv, &w)) != NULL) {
		invalid(c, bad);
		return;
	}
	if (matching_set_settings(c->db, v != NULL ? json_integer_value(v) : -1,
	    wv != NULL ? &w : NULL) == -1) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	audit_record(c->db, c->now, c->user->pseudonym, NULL, "matching.settings", "settings", NULL);
	respond_json(c, 200, json_pack("{s:I, s:o, s:o}", "min_recovery_days",
	    (json_int_t)matching_min_days(c->db), "weights", weights_json(&w), "score_rules",
	    score_rules_json(&w)));
}

/*
 * The pool a coordinator asks about: chapter_id absent, null, 0 or "" is
 * the whole network (0), else one existing chapter.  -1 when it is not.
 */
static int64_t
pool_chapter(struct ctx *c)
{
	json_t *chapters, *ch;
	int64_t id = -1;
	uint64_t u;
	size_t i;

	if (c->json != NULL) {
		json_t *v = json_object_get(c->json, "chapter_id");

		if (v == NULL || json_is_null(v))
			return 0;
		if (!json_is_integer(v) || json_integer_value(v) < 0)
			return -1;
		id = json_integer_value(v);
	} else {
		const char *s = params_get(&c->form, "chapter_id");

		if (s == NULL || *s == '\0')
			return 0;
		if (!str_to_u64(str_c(s), INT64_MAX, &u))
			return -1;
		id = (int64_t)u;
	}
	if (id == 0)
		return 0;
	if ((chapters = admin_chapters_json(c->db)) == NULL)
		return -1;
	json_array_foreach(chapters, i, ch)
		if (json_integer_value(json_object_get(ch, "id")) == id)
			break;
	if (i == json_array_size(chapters))
		id = -1;
	json_decref(chapters);
	return id;
}

void
h_api_coord_matching_suggest(struct ctx *c)
{
	int made, unmatched;
	int64_t chapter;
	const char *key;
	json_t *s, *x;

	if (c->json != NULL)
		json_object_foreach(c->json, key, x)
			if (strcmp(key, "chapter_id") != 0) {
				invalid(c, key);
				return;
			}
	if ((chapter = pool_chapter(c)) < 0) {
		invalid(c, "chapter_id");
		return;
	}
	if (matching_suggest(c, chapter, &made, &unmatched) == -1 ||
	    (s = matching_suggestions_json(c)) == NULL) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	respond_json(c, 200, json_pack("{s:i, s:i, s:o, s:o}", "made", made, "unmatched",
	    unmatched, "chapter_id", chapter > 0 ? json_integer(chapter) : json_null(),
	    "suggestions", s));
}

static void
api_decide(struct ctx *c, bool approve)
{
	int64_t mid = 0;

	switch (matching_decide(c, ctx_param_id(c, 0), approve, &mid)) {
	case 0:
		if (approve)
			respond_json(c, 200, json_pack("{s:I}", "mentorship_id", (json_int_t)mid));
		else
			respond_empty(c, 204);
		break;
	case 1:
		respond_error(c, 404, "not_found", NULL, NULL);
		break;
	case 2:
		respond_error(c, 409, "no_longer_possible", "matching.errors.no_longer_possible",
		    NULL);
		break;
	default:
		respond_error(c, 500, "internal", NULL, NULL);
		break;
	}
}

void
h_api_coord_matching_approve(struct ctx *c)
{
	api_decide(c, true);
}

void
h_api_coord_matching_reject(struct ctx *c)
{
	api_decide(c, false);
}

/* A JSON boolean or form "0"/"1" field: 1/0, -1 absent, -2 malformed. */
static int
flag(struct ctx *c, const char *name)
{
	const char *s;

	if (c->json != NULL) {
		json_t *v = json_object_get(c->json, name);

		return v == NULL ? -1 : json_is_boolean(v) ? json_is_true(v) : -2;
	}
	s = params_get(&c->form, name);
	if (s == NULL)
		return -1;
	return strcmp(s, "1") == 0 ? 1 : strcmp(s, "0") == 0 ? 0 : -2;
}

/* 0 done, else the answer was given. */
static int
set_mentor(struct ctx *c)
{
	int64_t id = ctx_param_id(c, 0);
	int trained = flag(c, "trained"), approved = flag(c, "approved"), rc;
	const char *key, *bad = NULL;
	json_t *x;

	if (c->json != NULL)
		json_object_foreach(c->json, key, x)
			if (strcmp(key, "trained") != 0 && strcmp(key, "approved") != 0 && bad == NULL)
				bad = arena_strdup(c->a, key);
	if (bad == NULL && trained == -2)
		bad = "trained";
	if (bad == NULL && approved == -2)
		bad = "approved";
	if (bad == NULL && trained == -1 && approved == -1)
		bad = "trained";
	/* the member must be in the pool first: nobody else's profile exists here */
	if ((rc = matching_in_pool(c->db, id)) != 1) {
		respond_error(c, rc == 0 ? 404 : 500, rc == 0 ? "not_found" : "internal", NULL, NULL);
		return 1;
	}
	if (bad != NULL) {
		invalid(c, bad);
		return 1;
	}
	if ((rc = matching_set_mentor(c, id, trained, approved)) != 0) {
		respond_error(c, rc == 1 ? 404 : 500, rc == 1 ? "not_found" : "internal", NULL, NULL);
		return 1;
	}
	return 0;
}

void
h_api_coord_matching_mentor(struct ctx *c)
{
	if (set_mentor(c) == 0)
		respond_empty(c, 204);
}

void
h_api_coord_matching_profile(struct ctx *c)
{
	int64_t id = ctx_param_id(c, 0);
	bool err;
	json_t *p;

	if (!matching_gate(c, id, arena_printf(c->a, "matching_profile:%" PRId64, id))) {
		respond_error(c, 404, "not_found", NULL, NULL);
		return;
	}
	if ((p = matching_profile_load(c->db, id, &err)) == NULL) {
		respond_error(c, err ? 500 : 404, err ? "internal" : "not_found", NULL, NULL);
		return;
	}
	respond_json(c, 200, json_pack("{s:o}", "profile", p));
}

/* ---- coordinators: page ---- */

static const char *
kind_label(struct ctx *c, const char *kind)
{
	return ctx_trk(c, "matching.kinds.%s", kind);
}

/*
 * the weights form
 * One row per weight: the value typed (after a refused POST) or the
 * network's, and its error.
 */
static json_t *
weights_rows(struct ctx *c, const struct match_weights *w, const char *bad)
{
	struct match_weights copy = *w;
	json_t *a = json_array();
	char p[32];
	size_t i;

	for (i = 0; i < MATCH_NWEIGHTS; i++) {
		const char *name = arena_printf(c->a, "w_%s", match_weight_names[i]);
		const char *typed = params_get(&c->form, name);
		json_t *row;

		match_format_score(*match_weight_ref(&copy, i), p);
		row = json_pack("{s:s, s:s, s:s, s:s}", "name", name,
		    "id", arena_printf(c->a, "w-%s", match_weight_names[i]),
		    "label", ctx_trk(c, "matching.coord.weight_labels.%s", match_weight_names[i]),
		    "value", typed != NULL ? typed : p);
		if (bad != NULL && strcmp(bad, name) == 0)
			json_object_set_new(row, "error", json_string(i18n_get(c->lang,
			    "matching.errors.weight")));
		json_array_append_new(a, row);
	}
	return a;
}

/* The chapters to choose a pool from, `selected` marked. */
static json_t *
chapter_options(struct ctx *c, int64_t selected)
{
	json_t *a = admin_chapters_json(c->db), *ch;
	size_t i;

	if (a == NULL)
		return json_array();
	json_array_foreach(a, i, ch)
		json_object_set_new(ch, "selected", json_boolean(json_integer_value(
		    json_object_get(ch, "id")) == selected));
	return a;
}

static void
render_coord(struct ctx *c, int status, const char *bad, const char *notice_key)
{
	json_t *s = matching_suggestions_json(c), *m = matching_mentors_json(c);
	json_t *ms = matching_mentorships_json(c), *data, *v, *rows, *vars;
	const char *typed_days = params_get(&c->form, "min_recovery_days");
	const char *pool = params_get(&c->query, "pool");
	struct match_weights w;
	char max[32], *of_max;
	uint64_t u;
	size_t i;

	if (s == NULL || m == NULL || ms == NULL) {
		json_decref(s);
		json_decref(m);
		json_decref(ms);
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	data = json_pack("{s:s, s:b, s:b, s:b}", "min_recovery_days", typed_days != NULL ?
	    typed_days : arena_printf(c->a, "%" PRId64, matching_min_days(c->db)),
	    "has_suggestions", json_array_size(s) > 0,
	    "has_mentors", json_array_size(m) > 0, "has_mentorships", json_array_size(ms) > 0);
	matching_weights(c->db, &w);
	match_format_score(match_score_max(&w), max);
	if (strcmp(c->lang, "es") == 0 && strchr(max, '.') != NULL)
		*strchr(max, '.') = ',';	/* "de 13,5" */
	vars = json_pack("{s:s}", "max", max);
	of_max = i18n_format(c->lang, "matching.coord.of_max", vars);
	json_decref(vars);
	json_object_set_new(data, "of_max", json_string(of_max));
	free(of_max);
	json_object_set_new(data, "weights", weights_rows(c, &w, bad));
	json_object_set_new(data, "chapters", chapter_options(c, pool != NULL &&
	    str_to_u64(str_c(pool), INT64_MAX, &u) ? (int64_t)u : 0));
	rows = json_array();
	json_array_foreach(s, i, v)
		json_array_append_new(rows, json_pack("{s:O, s:s, s:O, s:O, s:O, s:O, s:b}",
		    "id", json_object_get(v, "id"),
		    "kind", kind_label(c, json_string_value(json_object_get(v, "kind"))),
		    "seeker", json_object_get(json_object_get(v, "seeker"), "display_name"),
		    "mentor", json_object_get(json_object_get(v, "mentor"), "display_name"),
		    "score", json_object_get(v, "score_text"),
		    "reasons", json_object_get(v, "reasons"),
		    "has_reasons", json_array_size(json_object_get(v, "reasons")) > 0));
	json_object_set_new(data, "suggestions", rows);
	rows = json_array();
	json_array_foreach(m, i, v)
		json_array_append_new(rows, json_pack("{s:O, s:O, s:O, s:O, s:b, s:b, s:b, s:b, "
		    "s:s}", "id", json_object_get(v, "id"),
		    "name", json_object_get(v, "display_name"),
		    "capacity", json_object_get(v, "capacity"),
		    "current", json_object_get(v, "current"),
		    "meets_min_days", json_is_true(json_object_get(v, "meets_min_days")),
		    "trained", json_is_true(json_object_get(v, "trained")),
		    "approved", json_is_true(json_object_get(v, "approved")),
		    "eligible", json_is_true(json_object_get(v, "eligible")),
		    "status", i18n_get(c->lang, json_is_true(json_object_get(v, "eligible")) ?
		    "matching.coord.mentor_yes" : "matching.coord.mentor_no")));
	json_object_set_new(data, "mentors", rows);
	rows = json_array();
	json_array_foreach(ms, i, v) {
		char date[11];

		days_format_date(days_of_time(json_integer_value(json_object_get(v, "since")), 0),
		    date);
		json_array_append_new(rows, json_pack("{s:O, s:s, s:O, s:O, s:s}",
		    "id", json_object_get(v, "id"),
		    "kind", kind_label(c, json_string_value(json_object_get(v, "kind"))),
		    "seeker", json_object_get(json_object_get(v, "seeker"), "display_name"),
		    "mentor", json_object_get(json_object_get(v, "mentor"), "display_name"),
		    "since", date));
	}
	json_object_set_new(data, "mentorships", rows);
	json_decref(s);
	json_decref(m);
	json_decref(ms);
	if (bad != NULL) {
		json_object_set_new(data, "error", json_string(i18n_get(c->lang, field_key(c, bad))));
		json_object_set_new(data, "errors", json_pack("{s:s}", bad,
		    i18n_get(c->lang, field_key(c, bad))));
	}
	if (notice_key != NULL)
		json_object_set_new(data, "notice", json_string(i18n_get(c->lang, notice_key)));
	c->path = "/coordinator/matching";
	respond_page(c, status, "matching/coordinator", "matching.coord.title", data);
}

void
h_coord_matching(struct ctx *c)
{
	static const char *const notices[] = {
		"saved", "suggested", "approved", "rejected", "mentor", "ended", "gone", NULL,
	};
	const char *n = params_get(&c->query, "done"), *key = NULL;
	size_t i;

	for (i = 0; n != NULL && notices[i] != NULL; i++)
		if (strcmp(n, notices[i]) == 0)
			key = arena_printf(c->a, "matching.notices.%s", n);
	render_coord(c, 200, NULL, key);
}

void
h_coord_matching_settings(struct ctx *c)
{
	const char *s = params_get(&c->form, "min_recovery_days");
	struct match_weights w;
	uint64_t v;
	size_t i;

	if (s == NULL || !str_to_u64(str_c(s), MATCHING_DAYS_MAX, &v)) {
		render_coord(c, 422, "min_recovery_days", NULL);
		return;
	}
	/* the weights, in points ("1.5" or "1,5"); a field left out stays */
	matching_weights(c->db, &w);
	for (i = 0; i < MATCH_NWEIGHTS; i++) {
		const char *name = arena_printf(c->a, "w_%s", match_weight_names[i]);
		char *text, *end, *comma;
		double d;
		int h = -1;

		if ((s = params_get(&c->form, name)) == NULL)
			continue;
		text = arena_strdup(c->a, s);
		if ((comma = strchr(text, ',')) != NULL)
			*comma = '.';
		d = strtod(text, &end);
		if (end != text && *end == '\0')
			h = match_weight_from_points(d);
		if (h < 0) {
			render_coord(c, 422, name, NULL);
			return;
		}
		*match_weight_ref(&w, i) = h;
	}
	if (matching_set_settings(c->db, (int64_t)v, &w) == -1) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	audit_record(c->db, c->now, c->user->pseudonym, NULL, "matching.settings", "settings", NULL);
	respond_redirect(c, "/coordinator/matching?done=saved");
}

void
h_coord_matching_suggest(struct ctx *c)
{
	int made, unmatched;
	int64_t chapter = pool_chapter(c);

	if (chapter < 0) {
		render_coord(c, 422, "chapter_id", NULL);
		return;
	}
	if (matching_suggest(c, chapter, &made, &unmatched) == -1) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	respond_redirect(c, chapter > 0 ? arena_printf(c->a, "/coordinator/matching?done="
	    "suggested&pool=%" PRId64, chapter) : "/coordinator/matching?done=suggested");
}

static void
page_decide(struct ctx *c, bool approve)
{
	switch (matching_decide(c, ctx_param_id(c, 0), approve, NULL)) {
	case 0:
		respond_redirect(c, approve ? "/coordinator/matching?done=approved" :
		    "/coordinator/matching?done=rejected");
		break;
	case 1:
		respond_error(c, 404, "not_found", NULL, NULL);
		break;
	case 2:
		render_coord(c, 409, NULL, "matching.errors.no_longer_possible");
		break;
	default:
		respond_error(c, 500, "internal", NULL, NULL);
		break;
	}
}

void
h_coord_matching_approve(struct ctx *c)
{
	page_decide(c, true);
}

void
h_coord_matching_reject(struct ctx *c)
{
	page_decide(c, false);
}

void
h_coord_matching_mentor(struct ctx *c)
{
	if (set_mentor(c) == 0)
		respond_redirect(c, "/coordinator/matching?done=mentor");
}

void
h_coord_mentorship_end(struct ctx *c)
{
	end_mentorship(c, true, "/coordinator/matching?done=ended");
}
