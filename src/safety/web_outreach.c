/*
 * web_outreach.c: the outreach queue of early warnings, for the peer
 * supporters a member allowed, and the member's own view of who reached
 * out.
 *
 * Who sees an item: the people the member gave a consent for the data the
 * warning comes from (check-ins; attendance for missed meetings).  Every
 * item shown, in the list or alone, goes through privacy_read(), so each
 * is a read in the member's "who saw my data".  Others get 404 for an
 * item, and an empty list.
 *
 * Each item says in plain words why it was raised.  The member never sees
 * a risk label: their page lists only that someone reached out, when and
 * how.
 */
#include "app/handlers.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/utf8.h"
#include "http/params.h"
#include "privacy/consent.h"
#include "safety/warnings.h"
#include "safety/warnings_store.h"
#include "safety/web_util.h"
#include "view/view.h"

#define REACH_OUTS_MAX	50

static const char *
tenths(struct ctx *c, int32_t v)
{
	if (v < 0)
		return "?";
	return arena_printf(c->a, "%d.%d", (int)(v / 10), (int)(v % 10));
}

/* Why the item was raised, in the reader's words. */
static const char *
reason_words(struct ctx *c, const struct outreach_item *it)
{
	const char *date = sf_datetime(c, it->episode);

	if (strcmp(it->cause, "checkins_stopped") == 0)
		return ctx_tr(c, it->usual <= 1 ? "safety.outreach.reasons.checkins_stopped_daily" :
		    "safety.outreach.reasons.checkins_stopped", json_pack("{s:i, s:i}", "days",
		    (int)it->value, "usual", (int)it->usual));
	if (strcmp(it->cause, "meetings_missed") == 0)
		return ctx_tr(c, "safety.outreach.reasons.meetings_missed", json_pack("{s:i}", "count",
		    (int)it->value));
	if (strcmp(it->cause, "craving_rising") == 0 || strcmp(it->cause, "mood_falling") == 0)
		return ctx_tr(c, arena_printf(c->a, "safety.outreach.reasons.%s", it->cause),
		    json_pack("{s:s, s:s}", "recent", tenths(c, it->value), "usual",
		    tenths(c, it->usual)));
	if (strcmp(it->cause, "use_reported") == 0 || strcmp(it->cause, "alert_unanswered") == 0) {
		/* The alert's episode is its id: its date is when the item was raised. */
		if (strcmp(it->cause, "alert_unanswered") == 0)
			date = sf_datetime(c, it->created_at);
		return ctx_tr(c, arena_printf(c->a, "safety.outreach.reasons.%s", it->cause),
		    json_pack("{s:s}", "date", date));
	}
	return it->cause;
}

static json_t *
opt_time(int64_t t)
{
	return t > 0 ? json_integer(t) : json_null();
}

static json_t *
item_json(struct ctx *c, const struct outreach_item *it)
{
	const char *name = sf_user_name(c, it->member_id);
	const char *claimer = it->claimed_by > 0 ? sf_user_name(c, it->claimed_by) : NULL;

	return json_pack("{s:I, s:{s:I, s:s}, s:s, s:s, s:I, s:s, s:o, s:o, s:o, s:o, s:o, s:I, s:o}",
	    "id", (json_int_t)it->id,
	    "member", "id", (json_int_t)it->member_id, "display_name", name ? name : "",
	    "cause", it->cause, "reason", reason_words(c, it),
	    "episode", (json_int_t)it->episode, "state", it->state,
	    "claimed_by", claimer ? json_pack("{s:I, s:s}", "id", (json_int_t)it->claimed_by,
	    "display_name", claimer) : json_null(),
	    "claimed_at", opt_time(it->claimed_at), "contacted_at", opt_time(it->contacted_at),
	    "resolved_at", opt_time(it->resolved_at),
	    "resolution", it->resolution[0] ? json_string(it->resolution) : json_null(),
	    "created_at", (json_int_t)it->created_at,
	    "figures", it->value >= 0 ? json_pack("{s:i, s:i}", "value", (int)it->value, "usual",
	    (int)it->usual) : json_null());
}

/*
 * Load an item the caller may see, through the audited gate; false after
 * answering 404 (or 500).
 */
static bool
gate(struct ctx *c, int64_t id, struct outreach_item *it)
{
	int rc = id > 0 ? outreach_get(c->db, id, it) : 0;

	if (rc < 0) {
		respond_error(c, 500, "internal", NULL, NULL);
		return false;
	}
	if (rc == 0 || it->member_id == c->user->id ||
	    !privacy_read(c, it->member_id, outreach_category(it->cause),
	    arena_printf(c->a, "outreach:%" PRId64, it->id))) {
		respond_error(c, 404, "not_found", NULL, NULL);
		return false;
	}
	return true;
}

/* The visible items (each an audited read) as API JSON. */
static json_t *
visible_items(struct ctx *c, bool with_resolved)
{
	int64_t ids[OUTREACH_LIST_MAX];
	int n = outreach_visible_ids(c->db, c->user->id, c->user->org_id, c->now, with_resolved,
	    ids, OUTREACH_LIST_MAX), i;
	json_t *a = json_array();

	for (i = 0; i < n; i++) {
		struct outreach_item it;

		if (outreach_get(c->db, ids[i], &it) != 1)
			continue;
		if (!privacy_read(c, it.member_id, outreach_category(it.cause),
		    arena_printf(c->a, "outreach:%" PRId64, it.id)))
			continue;
		json_array_append_new(a, item_json(c, &it));
	}
	return a;
}

/* ---- API ---- */

void
h_api_outreach(struct ctx *c)
{
	const char *all = params_get(&c->query, "resolved");

	warnings_schedule(c->db, c->now);
	respond_json(c, 200, json_pack("{s:o}", "items",
	    visible_items(c, all != NULL && strcmp(all, "1") == 0)));
}

void
h_api_outreach_item(struct ctx *c)
{
	struct outreach_item it;
	json_t *j;

	if (!gate(c, ctx_param_id(c, 0), &it))
		return;
	j = item_json(c, &it);
	json_object_set_new(j, "contacts", outreach_notes_json(c->db, it.id));
	respond_json(c, 200, j);
}

static void
api_item_answer(struct ctx *c, int64_t id)
{
	struct outreach_item it;
	json_t *j;

	if (outreach_get(c->db, id, &it) != 1) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	j = item_json(c, &it);
	json_object_set_new(j, "contacts", outreach_notes_json(c->db, it.id));
	respond_json(c, 200, j);
}

void
h_api_outreach_claim(struct ctx *c)
{
	struct outreach_item it;

	if (!gate(c, ctx_param_id(c, 0), &it))
		return;
	switch (outreach_claim(c->db, it.id, c->user->id, c->now)) {
	case 0:
		api_item_answer(c, it.id);
		break;
	case 1:
		respond_error(c, 409, "already_claimed", "safety.outreach.errors.claimed", NULL);
		break;
	case 2:
		respond_error(c, 409, "resolved", "safety.outreach.errors.resolved", NULL);
		break;
	default:
		respond_error(c, 500, "internal", NULL, NULL);
		break;
	}
}

/* Read a contact: channel, reached, note; NULL or the bad field. */
static const char *
parse_contact(struct ctx *c, const char **channel, bool *reached, const char **note)
{
	const char *r;
	size_t i, len, chars = 0;

	*channel = ctx_field(c, "channel");
	if (!outreach_channel_valid(*channel))
		return "channel";
	if (c->json != NULL) {
		json_t *j = json_object_get(c->json, "reached");

		if (j != NULL && !json_is_boolean(j))
			return "reached";
		*reached = json_is_true(j);
	} else {
		r = ctx_field(c, "reached");
		*reached = r != NULL && strcmp(r, "yes") == 0;
	}
	if (c->json != NULL && json_object_get(c->json, "note") != NULL &&
	    !json_is_string(json_object_get(c->json, "note")) &&
	    !json_is_null(json_object_get(c->json, "note")))
		return "note";
	*note = sf_field_trimmed(c, "note");
	if (*note == NULL)
		*note = "";
	len = strlen(*note);
	if (!utf8_valid(*note, len))
		return "note";
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)(*note)[i];

		if ((ch < 0x20 && ch != '\n' && ch != '\r' && ch != '\t') || ch == 0x7f)
			return "note";
		if ((ch & 0xc0) != 0x80)
			chars++;
	}
	if (chars > OUTREACH_NOTE_MAX)
		return "note";
	return NULL;
}

void
h_api_outreach_contact(struct ctx *c)
{
	struct outreach_item it;
	const char *channel, *note, *bad;
	bool reached = false;

	if (!gate(c, ctx_param_id(c, 0), &it))
		return;
	if ((bad = parse_contact(c, &channel, &reached, &note)) != NULL) {
		respond_error(c, 422, "invalid_field", arena_printf(c->a,
		    "safety.outreach.errors.%s", bad), bad);
		return;
	}
	if (strcmp(it.state, "resolved") == 0) {
		respond_error(c, 409, "resolved", "safety.outreach.errors.resolved", NULL);
		return;
	}
	if (outreach_contact(c->db, it.id, c->user->id, channel, reached, note, c->now) <= 0) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	api_item_answer(c, it.id);
}

void
h_api_outreach_resolve(struct ctx *c)
{
	struct outreach_item it;
	const char *res;

	if (!gate(c, ctx_param_id(c, 0), &it))
		return;
	res = ctx_field(c, "resolution");
	if (!outreach_resolution_valid(res)) {
		respond_error(c, 422, "invalid_field", "safety.outreach.errors.resolution",
		    "resolution");
		return;
	}
	switch (outreach_resolve(c->db, it.id, res, c->now)) {
	case 0:
		api_item_answer(c, it.id);
		break;
	case 1:
		respond_error(c, 409, "resolved", "safety.outreach.errors.resolved", NULL);
		break;
	default:
		respond_error(c, 500, "internal", NULL, NULL);
		break;
	}
}

void
h_api_outreach_evaluate(struct ctx *c)
{
	int members, n = warnings_evaluate_all(c->db, c->now, &members);

	if (n < 0) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	respond_json(c, 200, json_pack("{s:i, s:i}", "members", members, "raised", n));
}

void
h_api_reach_outs(struct ctx *c)
{
	respond_json(c, 200, json_pack("{s:o}", "reach_outs",
	    outreach_reach_outs_json(c->db, c->user->id, REACH_OUTS_MAX)));
}

/* ---- pages ---- */

static json_t *
item_view(struct ctx *c, json_t *j)
{
	json_t *v = json_deep_copy(j);
	const char *state = json_string_value(json_object_get(j, "state"));
	json_t *by = json_object_get(j, "claimed_by");

	json_object_set_new(v, "when", json_string(sf_datetime(c,
	    json_integer_value(json_object_get(j, "created_at")))));
	json_object_set_new(v, "when_iso", json_string(sf_iso(c,
	    json_integer_value(json_object_get(j, "created_at")))));
	json_object_set_new(v, "state_words", json_string(i18n_get(c->lang,
	    arena_printf(c->a, "safety.outreach.states.%s", state))));
	json_object_set_new(v, "is_open", json_boolean(strcmp(state, "open") == 0));
	json_object_set_new(v, "is_resolved", json_boolean(strcmp(state, "resolved") == 0));
	json_object_set_new(v, "mine", json_boolean(json_is_object(by) &&
	    json_integer_value(json_object_get(by, "id")) == c->user->id));
	return v;
}

void
h_outreach(struct ctx *c)
{
	json_t *items = visible_items(c, false), *rows = json_array(), *j;
	size_t i;

	warnings_schedule(c->db, c->now);
	json_array_foreach(items, i, j)
		json_array_append_new(rows, item_view(c, j));
	json_decref(items);
	respond_page(c, 200, "safety/outreach", "safety.outreach.title",
	    json_pack("{s:o, s:b}", "items", rows, "has_items", json_array_size(rows) > 0));
}

static void
render_item(struct ctx *c, int status, const struct outreach_item *it, const char *bad,
    const char *notice)
{
	json_t *j = item_json(c, it), *v, *notes, *n;
	size_t i;

	v = item_view(c, j);
	json_decref(j);
	notes = outreach_notes_json(c->db, it->id);
	json_array_foreach(notes, i, n) {
		json_object_set_new(n, "when", json_string(sf_datetime(c,
		    json_integer_value(json_object_get(n, "at")))));
		json_object_set_new(n, "when_iso", json_string(sf_iso(c,
		    json_integer_value(json_object_get(n, "at")))));
		json_object_set_new(n, "channel_words", json_string(i18n_get(c->lang,
		    arena_printf(c->a, "safety.outreach.channels.%s",
		    json_string_value(json_object_get(n, "channel"))))));
	}
	json_object_set_new(v, "contacts", notes);
	json_object_set_new(v, "has_contacts", json_boolean(json_array_size(notes) > 0));
	json_object_set_new(v, "heading", json_string(ctx_tr(c, "safety.outreach.heading_one",
	    json_pack("{s:O}", "name", json_object_get(json_object_get(v, "member"),
	    "display_name")))));
	if (bad != NULL) {
		const char *note = sf_field_trimmed(c, "note");

		json_object_set_new(v, "errors", json_pack("{s:s}", bad, i18n_get(c->lang,
		    arena_printf(c->a, "safety.outreach.errors.%s", bad))));
		json_object_set_new(v, "typed_note", json_string(note ? note : ""));
	}
	if (notice != NULL)
		json_object_set_new(v, "notice", json_string(i18n_get(c->lang, notice)));
	respond_page(c, status, "safety/outreach_item", "safety.outreach.title_one", v);
}

void
h_outreach_item(struct ctx *c)
{
	struct outreach_item it;
	const char *done = params_get(&c->query, "done");
	const char *notice = NULL;

	if (!gate(c, ctx_param_id(c, 0), &it))
		return;
	if (done != NULL && (strcmp(done, "claimed") == 0 || strcmp(done, "contact") == 0 ||
	    strcmp(done, "resolved") == 0))
		notice = arena_printf(c->a, "safety.outreach.notices.%s", done);
	render_item(c, 200, &it, NULL, notice);
}

void
h_outreach_claim(struct ctx *c)
{
	struct outreach_item it;

	if (!gate(c, ctx_param_id(c, 0), &it))
		return;
	switch (outreach_claim(c->db, it.id, c->user->id, c->now)) {
	case 0:
		respond_redirect(c, arena_printf(c->a, "/outreach/%" PRId64 "?done=claimed", it.id));
		break;
	case 1:
		respond_error(c, 409, "already_claimed", "safety.outreach.errors.claimed", NULL);
		break;
	case 2:
		respond_error(c, 409, "resolved", "safety.outreach.errors.resolved", NULL);
		break;
	default:
		respond_error(c, 500, "internal", NULL, NULL);
		break;
	}
}

void
h_outreach_contact(struct ctx *c)
{
	struct outreach_item it;
	const char *channel, *note, *bad;
	bool reached = false;

	if (!gate(c, ctx_param_id(c, 0), &it))
		return;
	if ((bad = parse_contact(c, &channel, &reached, &note)) != NULL) {
		render_item(c, 422, &it, bad, NULL);
		return;
	}
	if (strcmp(it.state, "resolved") == 0) {
		respond_error(c, 409, "resolved", "safety.outreach.errors.resolved", NULL);
		return;
	}
	if (outreach_contact(c->db, it.id, c->user->id, channel, reached, note, c->now) <= 0) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	respond_redirect(c, arena_printf(c->a, "/outreach/%" PRId64 "?done=contact", it.id));
}

void
h_outreach_resolve(struct ctx *c)
{
	struct outreach_item it;
	const char *res;

	if (!gate(c, ctx_param_id(c, 0), &it))
		return;
	res = ctx_field(c, "resolution");
	if (!outreach_resolution_valid(res)) {
		render_item(c, 422, &it, "resolution", NULL);
		return;
	}
	if (outreach_resolve(c->db, it.id, res, c->now) < 0) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	respond_redirect(c, arena_printf(c->a, "/outreach/%" PRId64 "?done=resolved", it.id));
}

void
h_reach_outs(struct ctx *c)
{
	json_t *list = outreach_reach_outs_json(c->db, c->user->id, REACH_OUTS_MAX), *r;
	size_t i;

	json_array_foreach(list, i, r) {
		json_object_set_new(r, "when", json_string(sf_datetime(c,
		    json_integer_value(json_object_get(r, "at")))));
		json_object_set_new(r, "when_iso", json_string(sf_iso(c,
		    json_integer_value(json_object_get(r, "at")))));
		json_object_set_new(r, "channel_words", json_string(i18n_get(c->lang,
		    arena_printf(c->a, "safety.outreach.channels.%s",
		    json_string_value(json_object_get(r, "channel"))))));
	}
	respond_page(c, 200, "safety/reach_outs", "safety.reach_outs.title",
	    json_pack("{s:o, s:b}", "reach_outs", list, "has_reach_outs",
	    json_array_size(list) > 0));
}
