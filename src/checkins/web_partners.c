/*
 * web_partners.c: accountability partners over the API and in the browser.
 *
 * One reader (read_terms) takes the JSON body or the form, so the API and
 * the page accept and refuse the same things.  A partnership the caller is
 * not part of answers 404, as if it did not exist.
 */
#include "app/handlers.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "checkins/partners.h"
#include "checkins/web_util.h"
#include "view/view.h"

static const int every_choices[] = { 1, 2, 3, 7, 14 };
static const int alert_choices[] = { 1, 2, 3, 5, 7, 14 };

struct terms {
	int64_t	 partner_id;
	int	 shares;
	int	 every;
	int	 alert;		/* -1: never */
};

/* An integer JSON member in [min, max]; null/absent keeps *out.  false if malformed. */
static bool
json_int_in(json_t *v, int min, int max, int *out, bool nullable)
{
	if (v == NULL)
		return true;
	if (json_is_null(v)) {
		if (!nullable)
			return false;
		*out = -1;
		return true;
	}
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
		return false;
	*out = (int)json_integer_value(v);
	return true;
}

/* A form number in [min, max]; "" is -1 when nullable. */
static bool
form_int_in(struct ctx *c, const char *name, int min, int max, int *out, bool nullable)
{
	const char *s = params_get(&c->form, name);
	uint64_t v;

	if (s == NULL)
		return true;
	if (*s == '\0') {
		if (!nullable)
			return false;
		*out = -1;
		return true;
	}
	if (!str_to_u64(str_c(s), (uint64_t)max, &v) || (int64_t)v < min)
		return false;
	*out = (int)v;
	return true;
}

/*
 * Read the terms the caller gives: with_partner for a proposal (who, how
 * often), else for acceptance.  NULL or the invalid field.
 */
static const char *
read_terms(struct ctx *c, struct terms *t, bool with_partner)
{
	memset(t, 0, sizeof(*t));
	t->every = 1;
	t->alert = -1;
	if (c->json != NULL) {
		const char *key;
		json_t *v, *sh;
		size_t i;

		json_object_foreach(c->json, key, v) {
			if (strcmp(key, "shares") != 0 && strcmp(key, "alert_after_days") != 0 &&
			    !(with_partner && (strcmp(key, "partner_id") == 0 ||
			    strcmp(key, "checkin_every_days") == 0)))
				return arena_strdup(c->a, key);
		}
		if (with_partner) {
			v = json_object_get(c->json, "partner_id");
			if (!json_is_integer(v) || json_integer_value(v) <= 0)
				return "partner_id";
			t->partner_id = json_integer_value(v);
			if (!json_int_in(json_object_get(c->json, "checkin_every_days"), 1,
			    PARTNER_EVERY_MAX, &t->every, false))
				return "checkin_every_days";
		}
		sh = json_object_get(c->json, "shares");
		if (sh != NULL) {
			if (!json_is_array(sh))
				return "shares";
			json_array_foreach(sh, i, v) {
				int bit = partners_shares_parse(json_string_value(v));

				if (!json_is_string(v) || bit <= 0)
					return "shares";
				t->shares |= bit;
			}
		}
		if (!json_int_in(json_object_get(c->json, "alert_after_days"), 1, PARTNER_ALERT_MAX,
		    &t->alert, true))
			return "alert_after_days";
		return NULL;
	}
	if (with_partner) {
		const char *s = params_get(&c->form, "partner_id");
		uint64_t v;

		if (s == NULL || !str_to_u64(str_c(s), INT64_MAX, &v) || v == 0)
			return "partner_id";
		t->partner_id = (int64_t)v;
		if (!form_int_in(c, "checkin_every_days", 1, PARTNER_EVERY_MAX, &t->every, false))
			return "checkin_every_days";
	}
	if (params_get(&c->form, "share_checkins") != NULL)
		t->shares |= SHARE_CHECKINS;
	if (params_get(&c->form, "share_goals") != NULL)
		t->shares |= SHARE_GOALS;
	if (params_get(&c->form, "share_milestones") != NULL)
		t->shares |= SHARE_MILESTONES;
	if (!form_int_in(c, "alert_after_days", 1, PARTNER_ALERT_MAX, &t->alert, true))
		return "alert_after_days";
	return NULL;
}

static const char *
field_key(struct ctx *c, const char *field)
{
	static const char *const known[] = {
		"partner_id", "shares", "checkin_every_days", "alert_after_days", NULL,
	};
	size_t i;

	for (i = 0; known[i] != NULL; i++)
		if (strcmp(known[i], field) == 0)
			return arena_printf(c->a, "checkins.partners.errors.%s", field);
	return "checkins.errors.unknown_field";
}

/* The caller's partnership id as the API shows it, or NULL. */
static json_t *
one(struct ctx *c, int64_t id)
{
	json_t *list = partners_list_json(c), *v, *out = NULL;
	size_t i;

	json_array_foreach(list, i, v)
		if (json_integer_value(json_object_get(v, "id")) == id)
			out = json_incref(v);
	json_decref(list);
	return out;
}

/* ---- API ---- */

void
h_api_partners(struct ctx *c)
{
	json_t *list = partners_list_json(c);

	if (list == NULL) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	respond_json(c, 200, json_pack("{s:o}", "partnerships", list));
}

void
h_api_partner_candidates(struct ctx *c)
{
	const char *q = params_get(&c->query, "q");
	json_t *people;

	if (q != NULL && strlen(q) > 100) {
		respond_error(c, 422, "invalid_field", "checkins.partners.errors.search", "q");
		return;
	}
	if ((people = partners_candidates_json(c, q)) == NULL) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	respond_json(c, 200, json_pack("{s:o}", "people", people));
}

void
h_api_partners_propose(struct ctx *c)
{
	struct terms t;
	const char *bad;
	int64_t id;
	json_t *o;

	if (c->json == NULL) {
		respond_error(c, 400, "malformed_json", "errors.400.message", NULL);
		return;
	}
	if ((bad = read_terms(c, &t, true)) != NULL) {
		respond_error(c, 422, "invalid_field", field_key(c, bad), bad);
		return;
	}
	id = partners_propose(c, t.partner_id, t.shares, t.every, t.alert);
	if (id == -2) {
		respond_error(c, 404, "not_found", "checkins.partners.errors.no_person", "partner_id");
		return;
	}
	if (id == 0) {
		respond_error(c, 409, "already_partners", "checkins.partners.errors.exists",
		    "partner_id");
		return;
	}
	if (id < 0 || (o = one(c, id)) == NULL) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	respond_json(c, 201, o);
}

static void
api_result(struct ctx *c, int rc, int64_t id, int ok_status)
{
	json_t *o;

	if (rc == 1) {
		respond_error(c, 404, "not_found", NULL, NULL);
		return;
	}
	if (rc != 0) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	if (ok_status == 204) {
		respond_empty(c, 204);
		return;
	}
	if ((o = one(c, id)) == NULL) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	respond_json(c, ok_status, o);
}

void
h_api_partner_accept(struct ctx *c)
{
	struct terms t;
	const char *bad;

	if ((bad = read_terms(c, &t, false)) != NULL) {
		respond_error(c, 422, "invalid_field", field_key(c, bad), bad);
		return;
	}
	api_result(c, partners_accept(c, ctx_param_id(c, 0), t.shares, t.alert),
	    ctx_param_id(c, 0), 200);
}

void
h_api_partner_decline(struct ctx *c)
{
	api_result(c, partners_decline(c, ctx_param_id(c, 0)), 0, 204);
}

void
h_api_partner_end(struct ctx *c)
{
	api_result(c, partners_end(c, ctx_param_id(c, 0)), 0, 204);
}

void
h_api_partner_update(struct ctx *c)
{
	int64_t id = ctx_param_id(c, 0);
	json_t *v = c->json ? json_object_get(c->json, "alert_after_days") : NULL;
	const char *key;
	json_t *x;
	int alert = -1;

	if (partners_other(c, id) == 0) {
		respond_error(c, 404, "not_found", NULL, NULL);
		return;
	}
	if (c->json != NULL) {
		json_object_foreach(c->json, key, x) {
			if (strcmp(key, "alert_after_days") != 0) {
				respond_error(c, 422, "invalid_field", field_key(c, key), key);
				return;
			}
		}
	}
	if (v == NULL || !json_int_in(v, 1, PARTNER_ALERT_MAX, &alert, true)) {
		respond_error(c, 422, "invalid_field", field_key(c, "alert_after_days"),
		    "alert_after_days");
		return;
	}
	api_result(c, partners_set_alert(c, id, alert), id, 200);
}

void
h_api_partner_nudge(struct ctx *c)
{
	switch (partners_nudge(c, ctx_param_id(c, 0))) {
	case 0:
		respond_json(c, 202, json_pack("{s:b}", "sent", 1));
		break;
	case 1:
		respond_error(c, 404, "not_found", NULL, NULL);
		break;
	case 2:
		respond_error(c, 429, "too_soon", "checkins.partners.errors.nudge_wait", NULL);
		break;
	default:
		respond_error(c, 500, "internal", NULL, NULL);
		break;
	}
}

/* ---- the page ---- */

static json_t *
choices(struct ctx *c, const int *v, size_t n, int selected, const char *key_one,
    const char *key_many)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:i, s:s, s:b}", "value", v[i],
		    "label", v[i] == 1 ? i18n_get(c->lang, key_one) : ctx_tr(c, key_many,
		    json_pack("{s:i}", "n", v[i])), "selected", v[i] == selected));
	return a;
}

static const char *
shares_text(struct ctx *c, json_t *list)
{
	struct buf b = BUF_INIT;
	const char *out;
	json_t *v;
	size_t i;

	json_array_foreach(list, i, v) {
		if (b.len > 0)
			buf_puts(&b, ", ");
		buf_puts(&b, i18n_get(c->lang, arena_printf(c->a, "checkins.partners.shares.%s",
		    json_string_value(v))));
	}
	out = b.len ? arena_strdup(c->a, b.data) : i18n_get(c->lang,
	    "checkins.partners.shares.nothing");
	buf_free(&b);
	return out;
}

static bool
has_share(json_t *list, const char *what)
{
	json_t *v;
	size_t i;

	json_array_foreach(list, i, v)
		if (strcmp(json_string_value(v), what) == 0)
			return true;
	return false;
}

static void
render_partners(struct ctx *c, int status, json_t *errors, const char *notice_key)
{
	json_t *list = partners_list_json(c), *incoming, *outgoing, *active, *v, *data, *people;
	const char *q = params_get(&c->query, "q");
	size_t i;

	if (q != NULL && strlen(q) > 100)
		q = NULL;
	people = partners_candidates_json(c, q);
	if (list == NULL || people == NULL) {
		json_decref(list);
		json_decref(people);
		json_decref(errors);
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	incoming = json_array();
	outgoing = json_array();
	active = json_array();
	json_array_foreach(list, i, v) {
		const char *state = json_string_value(json_object_get(v, "state"));
		bool mine = strcmp(json_string_value(json_object_get(v, "role")), "proposer") == 0;
		json_t *they = json_object_get(v, "they_share");
		json_t *alert = json_object_get(v, "my_alert_days");
		int every = (int)json_integer_value(json_object_get(v, "checkin_every_days"));
		json_t *row = json_pack("{s:I, s:s, s:s, s:s, s:s}",
		    "id", json_integer_value(json_object_get(v, "id")),
		    "name", json_string_value(json_object_get(json_object_get(v, "other"),
		    "display_name")),
		    "i_share", shares_text(c, json_object_get(v, "i_share")),
		    "they_share", shares_text(c, they),
		    "every", every == 1 ? i18n_get(c->lang, "checkins.partners.every_one") :
		    ctx_tr(c, "checkins.partners.every_many", json_pack("{s:i}", "n", every)));

		json_object_set_new(row, "other_id", json_incref(json_object_get(json_object_get(v,
		    "other"), "id")));
		json_object_set_new(row, "sees_checkins", json_boolean(has_share(they,
		    "checkins")));
		json_object_set_new(row, "alert_choices", choices(c, alert_choices,
		    sizeof(alert_choices) / sizeof(alert_choices[0]), json_is_integer(alert) ?
		    (int)json_integer_value(alert) : -1, "checkins.partners.days_one",
		    "checkins.partners.days_many"));
		json_object_set_new(row, "alert_off", json_boolean(!json_is_integer(alert)));
		if (json_is_integer(json_object_get(v, "nudged_at")))
			json_object_set_new(row, "nudged", json_string(ctx_tr(c,
			    "checkins.partners.nudged_you", json_pack("{s:s}", "when", ck_datetime(c,
			    json_integer_value(json_object_get(v, "nudged_at")))))));
		if (strcmp(state, "active") == 0)
			json_array_append_new(active, row);
		else if (mine)
			json_array_append_new(outgoing, row);
		else
			json_array_append_new(incoming, row);
	}
	json_decref(list);
	data = json_pack("{s:o, s:o, s:o, s:b, s:b, s:b}", "incoming", incoming,
	    "outgoing", outgoing, "active", active,
	    "has_incoming", json_array_size(incoming) > 0,
	    "has_outgoing", json_array_size(outgoing) > 0,
	    "has_active", json_array_size(active) > 0);
	json_object_set_new(data, "has_people", json_boolean(json_array_size(people) > 0));
	json_object_set_new(data, "people", people);
	json_object_set_new(data, "q", json_string(q ? q : ""));
	json_object_set_new(data, "in_chapter", json_boolean(c->user->chapter_id > 0));
	json_object_set_new(data, "every_choices", choices(c, every_choices,
	    sizeof(every_choices) / sizeof(every_choices[0]), 1, "checkins.partners.every_one",
	    "checkins.partners.every_many"));
	json_object_set_new(data, "alert_choices", choices(c, alert_choices,
	    sizeof(alert_choices) / sizeof(alert_choices[0]), -1, "checkins.partners.days_one",
	    "checkins.partners.days_many"));
	if (errors != NULL) {
		json_object_set_new(data, "error", json_string(i18n_get(c->lang,
		    "checkins.errors.summary")));
		json_object_set_new(data, "errors", errors);
	}
	if (notice_key != NULL)
		json_object_set_new(data, "notice", json_string(i18n_get(c->lang, notice_key)));
	c->path = "/partnerships";
	respond_page(c, status, "checkins/partners", "checkins.partners.title", data);
}

void
h_partners(struct ctx *c)
{
	static const char *const notices[] = {
		"proposed", "accepted", "declined", "ended", "nudged", "saved", NULL,
	};
	const char *n = params_get(&c->query, "done"), *key = NULL;
	size_t i;

	for (i = 0; n != NULL && notices[i] != NULL; i++)
		if (strcmp(n, notices[i]) == 0)
			key = arena_printf(c->a, "checkins.partners.notices.%s", n);
	render_partners(c, 200, NULL, key);
}

void
h_partners_propose(struct ctx *c)
{
	struct terms t;
	const char *bad = read_terms(c, &t, true);
	int64_t id;

	if (bad != NULL) {
		render_partners(c, 422, ck_field_error(c, bad, field_key(c, bad)), NULL);
		return;
	}
	id = partners_propose(c, t.partner_id, t.shares, t.every, t.alert);
	if (id == -2 || id == 0) {
		render_partners(c, id == 0 ? 409 : 404, ck_field_error(c, "partner_id",
		    id == 0 ? "checkins.partners.errors.exists" :
		    "checkins.partners.errors.no_person"), NULL);
		return;
	}
	if (id < 0) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	respond_redirect(c, "/partnerships?done=proposed");
}

static void
page_result(struct ctx *c, int rc, const char *done)
{
	if (rc == 1) {
		respond_error(c, 404, "not_found", NULL, NULL);
		return;
	}
	if (rc != 0) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	respond_redirect(c, arena_printf(c->a, "/partnerships?done=%s", done));
}

void
h_partner_accept(struct ctx *c)
{
	struct terms t;
	const char *bad = read_terms(c, &t, false);

	if (bad != NULL) {
		render_partners(c, 422, ck_field_error(c, bad, field_key(c, bad)), NULL);
		return;
	}
	page_result(c, partners_accept(c, ctx_param_id(c, 0), t.shares, t.alert), "accepted");
}

void
h_partner_decline(struct ctx *c)
{
	page_result(c, partners_decline(c, ctx_param_id(c, 0)), "declined");
}

void
h_partner_end(struct ctx *c)
{
	page_result(c, partners_end(c, ctx_param_id(c, 0)), "ended");
}

void
h_partner_alert(struct ctx *c)
{
	int64_t id = ctx_param_id(c, 0);
	int alert = -1;

	if (partners_other(c, id) == 0) {
		respond_error(c, 404, "not_found", NULL, NULL);
		return;
	}
	if (!form_int_in(c, "alert_after_days", 1, PARTNER_ALERT_MAX, &alert, true)) {
		render_partners(c, 422, ck_field_error(c, "alert_after_days",
		    field_key(c, "alert_after_days")), NULL);
		return;
	}
	page_result(c, partners_set_alert(c, id, alert), "saved");
}

void
h_partner_nudge(struct ctx *c)
{
	switch (partners_nudge(c, ctx_param_id(c, 0))) {
	case 0:
		respond_redirect(c, "/partnerships?done=nudged");
		break;
	case 1:
		respond_error(c, 404, "not_found", NULL, NULL);
		break;
	case 2:
		render_partners(c, 429, NULL, "checkins.partners.errors.nudge_wait");
		break;
	default:
		respond_error(c, 500, "internal", NULL, NULL);
		break;
	}
}
