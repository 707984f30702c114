/*
 * web_help.c: "I need help now" for the member, and the alerts page of
 * the people who are told.
 *
 * The layout's button posts to /help-now: that raises the alert (or finds
 * the one still open) and redirects to the help page, which shows the
 * crisis lines first, then what has happened so far (who was told, who
 * answered), the "I'm safe now" button, and the member's own plan.  The
 * page works without JavaScript; with htmx its status part refreshes
 * every few seconds (/help-now/status), and so does the alerts list
 * (/alerts/list).  Both regions are aria-live so a screen reader hears
 * the change.
 *
 * An alert is visible to the member it is about (on /help-now and
 * /api/v1/help-now) and, under /alerts, to the people who were told about
 * it; nobody else (404).  It carries no content of the
 * member's, only that they asked for help and when; their plan is shown to
 * the people told only through privacy_read (their consent, audited).
 */
#include "app/handlers.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "http/params.h"
#include "privacy/consent.h"
#include "safety/alerts.h"
#include "safety/plan.h"
#include "safety/safety.h"
#include "safety/store.h"
#include "safety/web_util.h"
#include "view/view.h"

#define ALERTS_PAGE_MAX		50

/* ---- shared pieces ---- */

/*
 * Crisis lines for the page: [{name, phone, tel, text, sms}], from the
 * network's settings; *emergency (when not NULL) gets its emergency number
 * from the same read.
 */
static json_t *
lines_view(struct ctx *c, const char **emergency)
{
	const char *em;
	json_t *lines = safety_contacts(c->db, c->lang, c->a, &em), *out = json_array(), *l;
	size_t i;

	json_array_foreach(lines, i, l) {
		const char *phone = json_string_value(json_object_get(l, "phone"));
		const char *text = json_string_value(json_object_get(l, "text"));
		const char *tel = sf_tel(c, phone), *sms = text ? sf_tel(c, text) : NULL;
		json_t *v = json_pack("{s:O, s:s}", "name", json_object_get(l, "name"),
		    "phone", phone ? phone : "");

		if (tel != NULL) {
			json_object_set_new(v, "tel", json_string(tel));
			json_object_set_new(v, "call_label", json_string(ctx_tr(c,
			    "safety.help.call", json_pack("{s:s}", "number", phone))));
		}
		if (sms != NULL) {
			/* sms:988 rather than tel:988 */
			json_object_set_new(v, "sms", json_string(arena_printf(c->a, "sms:%s",
			    sms + 4)));
			json_object_set_new(v, "text_label", json_string(ctx_tr(c,
			    "safety.help.text", json_pack("{s:s}", "number", text))));
		}
		json_array_append_new(out, v);
	}
	json_decref(lines);
	if (emergency != NULL)
		*emergency = em;
	return out;
}

json_t *
safety_footer_view(struct ctx *c)
{
	const char *em, *tel, *name, *phone;
	json_t *lines = safety_contacts(c->db, c->lang, c->a, &em), *first;
	json_t *out = json_object();

	if ((tel = sf_tel(c, em)) != NULL)
		json_object_set_new(out, "emergency_tel", json_string(tel));
	json_object_set_new(out, "emergency_call", json_string(ctx_tr(c, "layout.emergency_call",
	    json_pack("{s:s}", "number", em))));
	first = json_array_get(lines, 0);
	name = json_string_value(json_object_get(first, "name"));
	phone = json_string_value(json_object_get(first, "phone"));
	if (name != NULL && phone != NULL) {
		if ((tel = sf_tel(c, phone)) != NULL)
			json_object_set_new(out, "line_tel", json_string(tel));
		json_object_set_new(out, "line_call", json_string(ctx_tr(c, "layout.line_call",
		    json_pack("{s:s, s:s}", "name", name, "number", phone))));
	}
	json_decref(lines);
	return out;
}

/* One timeline line in words, for the member (mine) or the people told. */
static const char *
timeline_words(struct ctx *c, json_t *ev, bool mine)
{
	const char *kind = json_string_value(json_object_get(ev, "kind"));
	const char *detail = json_string_value(json_object_get(ev, "detail"));
	json_t *actor = json_object_get(ev, "actor");
	const char *name = json_is_object(actor) ? json_string_value(json_object_get(actor,
	    "display_name")) : "";
	char reason[32] = "";

	if (detail != NULL && strcmp(kind, "notified") == 0)
		snprintf(reason, sizeof(reason), "%.*s", (int)strcspn(detail, ":"), detail);
	if (strcmp(kind, "raised") == 0) {
		bool asked = detail == NULL || strcmp(detail, "web") == 0 ||
		    strcmp(detail, "api") == 0 || strcmp(detail, "sms") == 0;

		return i18n_get(c->lang, asked ? (mine ? "safety.timeline.raised_mine" :
		    "safety.timeline.raised") : (mine ? "safety.timeline.raised_text_mine" :
		    "safety.timeline.raised_text"));
	}
	if (strcmp(kind, "notified") == 0)
		return ctx_tr(c, arena_printf(c->a, "safety.timeline.notified_%s",
		    reason[0] ? reason : "oncall"), json_pack("{s:s}", "name", name));
	if (strcmp(kind, "escalated") == 0)
		return i18n_get(c->lang, "safety.timeline.escalated");
	if (strcmp(kind, "acknowledged") == 0)
		return ctx_tr(c, "safety.timeline.acknowledged", json_pack("{s:s}", "name", name));
	if (strcmp(kind, "safe") == 0)
		return i18n_get(c->lang, mine ? "safety.timeline.safe_mine" : "safety.timeline.safe");
	if (strcmp(kind, "nobody") == 0)
		return i18n_get(c->lang, "safety.timeline.nobody");
	if (strcmp(kind, "unanswered") == 0)
		return i18n_get(c->lang, "safety.timeline.unanswered");
	return kind;
}

/* An alert for the pages: the API's JSON plus words and times. */
static json_t *
alert_view(struct ctx *c, json_t *a, bool mine)
{
	json_t *v = json_deep_copy(a), *tl = json_array(), *ev;
	const char *state = json_string_value(json_object_get(a, "state"));
	size_t i;
	bool nobody = false;

	json_array_foreach(json_object_get(a, "timeline"), i, ev) {
		int64_t at = json_integer_value(json_object_get(ev, "at"));

		if (strcmp(json_string_value(json_object_get(ev, "kind")), "nobody") == 0)
			nobody = true;
		json_array_append_new(tl, json_pack("{s:s, s:s, s:s}", "words",
		    timeline_words(c, ev, mine), "when", sf_datetime(c, at), "iso", sf_iso(c, at)));
	}
	json_object_set_new(v, "steps", tl);
	json_array_foreach(json_object_get(v, "recipients"), i, ev)
		json_object_set_new(ev, "reason_words", json_string(i18n_get(c->lang,
		    arena_printf(c->a, "safety.alerts.reasons.%s",
		    json_string_value(json_object_get(ev, "reason"))))));
	json_object_set_new(v, "has_recipients", json_boolean(json_array_size(
	    json_object_get(v, "recipients")) > 0));
	json_object_set_new(v, "is_open", json_boolean(strcmp(state, "open") == 0));
	json_object_set_new(v, "is_acknowledged", json_boolean(strcmp(state, "acknowledged") == 0));
	json_object_set_new(v, "is_safe", json_boolean(strcmp(state, "safe") == 0));
	json_object_set_new(v, "nobody", json_boolean(nobody));
	json_object_set_new(v, "when", json_string(sf_datetime(c,
	    json_integer_value(json_object_get(a, "created_at")))));
	json_object_set_new(v, "state_words", json_string(i18n_get(c->lang,
	    arena_printf(c->a, "safety.alerts.states.%s", state))));
	if (json_is_object(json_object_get(a, "acknowledged_by")))
		json_object_set_new(v, "ack_words", json_string(ctx_tr(c, mine ?
		    "safety.help.acknowledged" : "safety.alerts.acknowledged_by",
		    json_pack("{s:O}", "name", json_object_get(json_object_get(a,
		    "acknowledged_by"), "display_name")))));
	return v;
}

/* ---- the member: help now ---- */

/*
 * The status part of the help page: {alert, has_alert}.  just_safe: the
 * member has just said they are safe, so their latest alert is shown even
 * though it is closed (its whole timeline, the safe step last).
 */
static json_t *
help_status(struct ctx *c, bool just_safe, bool *failed)
{
	int64_t id = alert_current(c->db, c->user->id);
	json_t *d = json_object(), *a;

	if (id == 0 && just_safe)
		id = alert_latest(c->db, c->user->id);
	*failed = id < 0;
	if (id > 0 && (a = alert_json(c->db, id)) != NULL) {
		json_object_set_new(d, "alert", alert_view(c, a, true));
		json_object_set_new(d, "has_alert", json_true());
		json_object_set_new(d, "polling", json_boolean(strcmp(json_string_value(
		    json_object_get(a, "state")), "safe") != 0));
		json_decref(a);
	} else {
		json_object_set_new(d, "has_alert", json_false());
	}
	return d;
}

void
h_help_now(struct ctx *c)
{
	struct crisis_plan p;
	bool failed;
	const char *em;
	const char *done = params_get(&c->query, "done");
	bool just_safe = done != NULL && strcmp(done, "safe") == 0;
	json_t *d = help_status(c, just_safe, &failed);

	if (failed || safety_plan_load(c->db, c->a, c->user->id, &p) == -1) {
		json_decref(d);
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	json_object_set_new(d, "lines", lines_view(c, &em));
	json_object_set_new(d, "emergency", json_string(ctx_tr(c, "safety.help.emergency",
	    json_pack("{s:s}", "number", em))));
	json_object_set_new(d, "has_plan", json_boolean(p.exists && plan_count(&p) > 0));
	if (p.exists)
		json_object_set_new(d, "sections", sf_plan_view(c, &p));
	if (just_safe)
		json_object_set_new(d, "notice", json_string(i18n_get(c->lang,
		    "safety.help.notices.safe")));
	respond_page(c, 200, "safety/help", "safety.help.title", d);
}

void
h_help_now_status(struct ctx *c)
{
	bool failed;
	json_t *d = help_status(c, false, &failed);

	if (failed) {
		json_decref(d);
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	sf_respond_fragment(c, "safety/_help_status", d);
}

void
h_help_now_raise(struct ctx *c)
{
	if (safety_help_now(c->db, c->cfg, c->user->id, "web", c->now) <= 0) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	respond_redirect(c, "/help-now");
}

void
h_help_now_safe(struct ctx *c)
{
	if (alert_safe(c->db, c->cfg, c->user->id, c->now) == -1) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	respond_redirect(c, "/help-now?done=safe");
}

/* {alert, crisis_lines, plan} for the API. */
static void
api_help(struct ctx *c, int status, int64_t alert_id)
{
	struct crisis_plan p;
	json_t *a = alert_id > 0 ? alert_json(c->db, alert_id) : NULL;

	if (safety_plan_load(c->db, c->a, c->user->id, &p) == -1) {
		json_decref(a);
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	respond_json(c, status, json_pack("{s:o, s:o, s:o}", "alert", a ? a : json_null(),
	    "crisis_lines", safety_crisis_lines(c->db, c->lang),
	    "plan", plan_sections_json(&p)));
}

void
h_api_help_now(struct ctx *c)
{
	int64_t id = alert_current(c->db, c->user->id);

	if (id < 0) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	api_help(c, 200, id);
}

void
h_api_help_now_raise(struct ctx *c)
{
	bool created;
	int64_t id = alert_raise(c->db, c->cfg, c->user->id, "api", c->now, &created);

	if (id <= 0) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	api_help(c, created ? 201 : 200, id);
}

void
h_api_help_now_safe(struct ctx *c)
{
	int64_t id = alert_current(c->db, c->user->id);

	if (id < 0) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	switch (alert_safe(c->db, c->cfg, c->user->id, c->now)) {
	case 0:
		respond_json(c, 200, json_pack("{s:o}", "alert", alert_json(c->db, id)));
		break;
	case 1:
		respond_error(c, 404, "no_open_alert", "safety.help.errors.no_alert", NULL);
		break;
	default:
		respond_error(c, 500, "internal", NULL, NULL);
		break;
	}
}

/* ---- the people told: alerts ---- */

/*
 * The alert if the caller was told about it, else NULL after answering
 * 404.  (The member follows their own alert on /help-now.)
 */
static json_t *
visible_alert(struct ctx *c, int64_t id, bool *mine)
{
	json_t *a;

	*mine = false;
	if (id <= 0 || !alert_is_recipient(c->db, id, c->user->id) ||
	    (a = alert_json(c->db, id)) == NULL) {
		respond_error(c, 404, "not_found", NULL, NULL);
		return NULL;
	}
	return a;
}

static json_t *
alerts_view(struct ctx *c)
{
	json_t *list = alerts_for_recipient_json(c->db, c->user->id, ALERTS_PAGE_MAX);
	json_t *rows = json_array(), *a;
	size_t i;
	int open = 0;

	json_array_foreach(list, i, a) {
		json_t *v = json_deep_copy(a);
		const char *state = json_string_value(json_object_get(a, "state"));

		open += strcmp(state, "open") == 0;
		json_object_set_new(v, "is_open", json_boolean(strcmp(state, "open") == 0));
		json_object_set_new(v, "when", json_string(sf_datetime(c,
		    json_integer_value(json_object_get(a, "created_at")))));
		json_object_set_new(v, "when_iso", json_string(sf_iso(c,
		    json_integer_value(json_object_get(a, "created_at")))));
		json_object_set_new(v, "state_words", json_string(i18n_get(c->lang,
		    arena_printf(c->a, "safety.alerts.states.%s", state))));
		json_array_append_new(rows, v);
	}
	json_decref(list);
	return json_pack("{s:o, s:b, s:i}", "alerts", rows, "has_alerts",
	    json_array_size(rows) > 0, "open_count", open);
}

void
h_alerts(struct ctx *c)
{
	respond_page(c, 200, "safety/alerts", "safety.alerts.title", alerts_view(c));
}

void
h_alerts_list(struct ctx *c)
{
	sf_respond_fragment(c, "safety/_alerts_list", alerts_view(c));
}

void
h_alert(struct ctx *c)
{
	bool mine;
	json_t *a = visible_alert(c, ctx_param_id(c, 0), &mine), *v;
	int64_t member;

	if (a == NULL)
		return;
	v = alert_view(c, a, mine);
	member = json_integer_value(json_object_get(json_object_get(a, "member"), "id"));
	json_decref(a);
	json_object_set_new(v, "mine", json_boolean(mine));
	/* A link to the plan only where the member shared it; reading it is audited there. */
	json_object_set_new(v, "plan_shared", json_boolean(!mine && consent_allows(c->db, c->user,
	    member, CONSENT_CRISIS_PLAN, c->now)));
	json_object_set_new(v, "lines", lines_view(c, NULL));
	json_object_set_new(v, "heading", json_string(ctx_tr(c, "safety.alerts.heading_one",
	    json_pack("{s:O}", "name", json_object_get(json_object_get(v, "member"),
	    "display_name")))));
	if (params_get(&c->query, "done") != NULL)
		json_object_set_new(v, "notice", json_string(i18n_get(c->lang,
		    "safety.alerts.notices.acknowledged")));
	respond_page(c, 200, "safety/alert", "safety.alerts.title_one", v);
}

void
h_alert_ack(struct ctx *c)
{
	int64_t id = ctx_param_id(c, 0);

	switch (id > 0 ? alert_ack(c->db, c->cfg, id, c->user->id, c->now) : 1) {
	case 0:
		respond_redirect(c, arena_printf(c->a, "/alerts/%" PRId64 "?done=acknowledged", id));
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
h_api_alerts(struct ctx *c)
{
	respond_json(c, 200, json_pack("{s:o}", "alerts",
	    alerts_for_recipient_json(c->db, c->user->id, ALERTS_PAGE_MAX)));
}

void
h_api_alert(struct ctx *c)
{
	bool mine;
	json_t *a = visible_alert(c, ctx_param_id(c, 0), &mine);

	if (a != NULL)
		respond_json(c, 200, a);
}

void
h_api_alert_ack(struct ctx *c)
{
	int64_t id = ctx_param_id(c, 0);

	switch (id > 0 ? alert_ack(c->db, c->cfg, id, c->user->id, c->now) : 1) {
	case 0:
		respond_json(c, 200, alert_json(c->db, id));
		break;
	case 1:
		respond_error(c, 404, "not_found", NULL, NULL);
		break;
	default:
		respond_error(c, 500, "internal", NULL, NULL);
		break;
	}
}

/* ---- crisis lines, for anyone ---- */

void
h_api_crisis_lines(struct ctx *c)
{
	respond_json(c, 200, json_pack("{s:o}", "crisis_lines",
	    safety_crisis_lines(c->db, c->lang)));
}
