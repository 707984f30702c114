/*
 * web_plan.c: the crisis plan in the browser and over the API, and
 * sharing it with the people the member picks.
 *
 * Handlers are thin: plan.c reads and checks a plan, store.c keeps it
 * sealed.  Sharing is an ordinary consent of category "crisis_plan"
 * (privacy/consent.h), so it shows and can be revoked on the privacy page
 * too.  Someone else's plan is read only through privacy_read(): without
 * an active consent the answer is 404, as if there were no plan, and every
 * read is written to the audit log the member can see.
 *
 * The edit form works without JavaScript: each section shows the lines
 * written so far and two blank ones; saving and coming back gives two
 * more (up to PLAN_ITEMS_MAX).  An error is shown beside its field and in
 * a summary at the top that links to it, and nothing typed is lost.
 */
#include "app/handlers.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "accounts/roles.h"
#include "http/params.h"
#include "privacy/consent.h"
#include "safety/plan.h"
#include "safety/store.h"
#include "safety/web_util.h"
#include "view/view.h"

#define BLANK_ROWS	2
#define MIN_ROWS	3
#define CANDIDATES_MAX	200

/* ---- shared pieces ---- */

/* A plan's sections for safety/_plan: title, prompt and lines. */
json_t *
sf_plan_view(struct ctx *c, const struct crisis_plan *p)
{
	json_t *sections = json_array();
	int s, i;

	for (s = 0; s < PLAN_SECTIONS; s++) {
		const char *tok = plan_section_token((enum plan_section)s);
		json_t *items = json_array();

		for (i = 0; i < p->n[s]; i++) {
			const struct plan_item *it = &p->items[s][i];
			json_t *item = json_pack("{s:s}", "text", it->text);

			if (it->phone != NULL && strcmp(it->phone, it->text) != 0) {
				const char *tel = sf_tel(c, it->phone);

				json_object_set_new(item, "phone", json_string(it->phone));
				if (tel != NULL)
					json_object_set_new(item, "tel", json_string(tel));
			} else if (it->phone != NULL) {
				const char *tel = sf_tel(c, it->phone);

				if (tel != NULL)
					json_object_set_new(item, "tel", json_string(tel));
			}
			json_array_append_new(items, item);
		}
		json_array_append_new(sections, json_pack("{s:s, s:s, s:s, s:o, s:b}",
		    "token", tok,
		    "title", i18n_get(c->lang, arena_printf(c->a, "safety.plan.sections.%s.title", tok)),
		    "prompt", i18n_get(c->lang, arena_printf(c->a, "safety.plan.sections.%s.prompt",
		    tok)),
		    "items", items, "empty", p->n[s] == 0));
	}
	return sections;
}

/* The message key for an invalid field, API or form name. */
static const char *
field_message_key(const char *field)
{
	if (strstr(field, "phone") != NULL)
		return "safety.plan.errors.phone";
	if (strchr(field, '[') == NULL && strchr(field, '_') == NULL)
		return "safety.plan.errors.section";
	return "safety.plan.errors.text";
}

/* People the member shared the plan with: [{consent_id, user_id, name, since, since_iso}]. */
static json_t *
shares_json(struct ctx *c)
{
	struct db_rows *r;
	json_t *a = json_array();
	size_t i;

	r = db_query(c->db, "SELECT c.id, c.grantee_user_id, u.display_name, c.created_at, "
	    "o.name FROM consents c LEFT JOIN users u ON u.id = c.grantee_user_id "
	    "LEFT JOIN organizations o ON o.id = c.grantee_org_id "
	    "WHERE c.member_id = ? AND c.category = ? AND " CONSENT_ACTIVE_SQL("c") " "
	    "ORDER BY c.created_at, c.id",
	    DB_I(c->user->id), DB_T(CONSENT_CRISIS_PLAN), DB_I(c->now));
	if (r == NULL)
		return a;
	for (i = 0; i < db_rows_count(r); i++) {
		const char *name = db_rows_isnull(r, i, 1) ? db_rows_text(r, i, 4) :
		    db_rows_text(r, i, 2);

		json_array_append_new(a, json_pack("{s:I, s:o, s:s, s:I, s:s, s:s}",
		    "consent_id", (json_int_t)db_rows_int(r, i, 0),
		    "user_id", db_rows_isnull(r, i, 1) ? json_null() :
		    json_integer(db_rows_int(r, i, 1)),
		    "name", name, "since", (json_int_t)db_rows_int(r, i, 3),
		    "since_text", sf_datetime(c, db_rows_int(r, i, 3)),
		    "since_iso", sf_iso(c, db_rows_int(r, i, 3))));
	}
	db_rows_free(r);
	return a;
}

/* Members whose plan the caller may read now: [{member_id, name, since}]. */
static json_t *
shared_with_me_json(struct ctx *c)
{
	struct db_rows *r;
	json_t *a = json_array();
	size_t i;

	r = db_query(c->db, "SELECT DISTINCT c.member_id, u.display_name FROM consents c "
	    "JOIN users u ON u.id = c.member_id WHERE c.category = ? AND "
	    CONSENT_ACTIVE_SQL("c") " AND u.disabled = 0 "
	    "AND (c.grantee_user_id = ? OR (c.grantee_org_id IS NOT NULL AND c.grantee_org_id = ?)) "
	    "ORDER BY u.display_name, c.member_id",
	    DB_T(CONSENT_CRISIS_PLAN), DB_I(c->now), DB_I(c->user->id),
	    DB_I(c->user->org_id > 0 ? c->user->org_id : -1));
	if (r == NULL)
		return a;
	for (i = 0; i < db_rows_count(r); i++)
		json_array_append_new(a, json_pack("{s:I, s:s}",
		    "member_id", (json_int_t)db_rows_int(r, i, 0), "name", db_rows_text(r, i, 1)));
	db_rows_free(r);
	return a;
}

/*
 * People the member may share the plan with: peer supporters,
 * facilitators, coordinators and clinicians, people of the member's
 * chapter, and accountability partners.  Not already shared with.
 */
static json_t *
candidates_json(struct ctx *c, int64_t only_id)
{
	struct db_rows *r;
	json_t *a = json_array();
	size_t i;

	r = db_query(c->db, "SELECT u.id, u.display_name FROM users u WHERE u.disabled = 0 "
	    "AND u.id <> ? AND (? = 0 OR u.id = ?) AND ("
	    "EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role IN "
	    "('peer_supporter', 'facilitator', 'coordinator', 'clinician')) "
	    "OR u.chapter_id = ? "
	    "OR EXISTS (SELECT 1 FROM partnerships p WHERE p.state = 'active' AND "
	    "((p.proposer_id = ? AND p.partner_id = u.id) OR (p.partner_id = ? AND p.proposer_id = u.id)))) "
	    "AND NOT EXISTS (SELECT 1 FROM consents c WHERE c.member_id = ? AND "
	    "c.grantee_user_id = u.id AND c.category = ? AND " CONSENT_ACTIVE_SQL("c") ") "
	    "ORDER BY LOWER(u.display_name), u.id LIMIT ?",
	    DB_I(c->user->id), DB_I(only_id), DB_I(only_id),
	    DB_I(c->user->chapter_id > 0 ? c->user->chapter_id : -1), DB_I(c->user->id),
	    DB_I(c->user->id), DB_I(c->user->id), DB_T(CONSENT_CRISIS_PLAN), DB_I(c->now),
	    DB_I(CANDIDATES_MAX));
	if (r == NULL)
		return a;
	for (i = 0; i < db_rows_count(r); i++)
		json_array_append_new(a, json_pack("{s:I, s:s}",
		    "id", (json_int_t)db_rows_int(r, i, 0), "name", db_rows_text(r, i, 1)));
	db_rows_free(r);
	return a;
}

static json_t *
plan_api_json(const struct crisis_plan *p)
{
	return json_pack("{s:o, s:b, s:o, s:o}", "plan", plan_sections_json(p),
	    "exists", p->exists,
	    "created_at", p->exists ? json_integer(p->created_at) : json_null(),
	    "updated_at", p->exists ? json_integer(p->updated_at) : json_null());
}

/* Load the caller's own plan, answering 500 on failure. */
static bool
load_own(struct ctx *c, struct crisis_plan *p)
{
	if (safety_plan_load(c->db, c->a, c->user->id, p) == -1) {
		respond_error(c, 500, "internal", NULL, NULL);
		return false;
	}
	return true;
}

/*
 * The gate for someone else's plan: consent, then the audited read.
 * false: answered 404 (or 500).
 */
static bool
load_member(struct ctx *c, int64_t member_id, struct crisis_plan *p, const char **name)
{
	if (member_id <= 0 || member_id == c->user->id ||
	    (*name = sf_user_name(c, member_id)) == NULL ||
	    !privacy_read(c, member_id, CONSENT_CRISIS_PLAN,
	    arena_printf(c->a, "crisis_plan:%" PRId64, member_id))) {
		respond_error(c, 404, "not_found", NULL, NULL);
		return false;
	}
	if (safety_plan_load(c->db, c->a, member_id, p) == -1) {
		respond_error(c, 500, "internal", NULL, NULL);
		return false;
	}
	return true;
}

/* ---- API ---- */

void
h_api_crisis_plan(struct ctx *c)
{
	struct crisis_plan p;
	json_t *out;

	if (!load_own(c, &p))
		return;
	out = plan_api_json(&p);
	json_object_set_new(out, "shared_with", shares_json(c));
	respond_json(c, 200, out);
}

void
h_api_crisis_plan_put(struct ctx *c)
{
	struct crisis_plan p, old;
	const char *bad;
	json_t *out;

	if (c->json == NULL) {
		respond_error(c, 400, "malformed_json", "errors.400.message", NULL);
		return;
	}
	if ((bad = plan_from_json(c->a, c->json, &p)) != NULL) {
		respond_error(c, 422, "invalid_field", field_message_key(bad), bad);
		return;
	}
	if (!load_own(c, &old))
		return;
	if (safety_plan_save(c->db, c->user->id, &p, c->now) == -1) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	p.exists = true;
	p.created_at = old.exists ? old.created_at : c->now;
	p.updated_at = c->now;
	out = plan_api_json(&p);
	json_object_set_new(out, "shared_with", shares_json(c));
	respond_json(c, 200, out);
}

void
h_api_crisis_plan_delete(struct ctx *c)
{
	if (safety_plan_delete(c->db, c->user->id) == -1) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	respond_empty(c, 204);
}

void
h_api_member_crisis_plan(struct ctx *c)
{
	struct crisis_plan p;
	const char *name = NULL;
	int64_t id = ctx_param_id(c, 0);
	json_t *out;

	if (!load_member(c, id, &p, &name))
		return;
	out = plan_api_json(&p);
	json_object_set_new(out, "member", json_pack("{s:I, s:s}", "id", (json_int_t)id,
	    "display_name", name));
	respond_json(c, 200, out);
}

void
h_api_crisis_plans_shared(struct ctx *c)
{
	respond_json(c, 200, json_pack("{s:o}", "members", shared_with_me_json(c)));
}

/* ---- pages ---- */

static void
render_view(struct ctx *c, int status, const struct crisis_plan *p, const char *notice,
    const char *share_error)
{
	json_t *d = json_pack("{s:o, s:b, s:i, s:o, s:o, s:o}",
	    "sections", sf_plan_view(c, p), "exists", p->exists, "count", plan_count(p),
	    "shares", shares_json(c), "candidates", candidates_json(c, 0),
	    "shared_with_me", shared_with_me_json(c));

	if (p->exists) {
		json_object_set_new(d, "updated_text", json_string(sf_datetime(c, p->updated_at)));
		json_object_set_new(d, "updated_iso", json_string(sf_iso(c, p->updated_at)));
	}
	if (notice != NULL)
		json_object_set_new(d, "notice", json_string(i18n_get(c->lang, notice)));
	if (share_error != NULL)
		json_object_set_new(d, "share_error", json_string(i18n_get(c->lang, share_error)));
	json_object_set_new(d, "has_shares", json_boolean(json_array_size(json_object_get(d,
	    "shares")) > 0));
	json_object_set_new(d, "has_candidates", json_boolean(json_array_size(
	    json_object_get(d, "candidates")) > 0));
	json_object_set_new(d, "has_shared_with_me", json_boolean(json_array_size(
	    json_object_get(d, "shared_with_me")) > 0));
	respond_page(c, status, "safety/plan", "safety.plan.title", d);
}

void
h_crisis_plan(struct ctx *c)
{
	struct crisis_plan p;
	const char *n = params_get(&c->query, "done");
	const char *notice = NULL;

	if (!load_own(c, &p))
		return;
	if (n != NULL && strcmp(n, "saved") == 0)
		notice = "safety.plan.notices.saved";
	else if (n != NULL && strcmp(n, "deleted") == 0)
		notice = "safety.plan.notices.deleted";
	else if (n != NULL && strcmp(n, "shared") == 0)
		notice = "safety.plan.notices.shared";
	else if (n != NULL && strcmp(n, "unshared") == 0)
		notice = "safety.plan.notices.unshared";
	render_view(c, 200, &p, notice, NULL);
}

/* The edit form's sections: rows of what was typed (or saved) and blanks. */
static json_t *
form_sections(struct ctx *c, const struct crisis_plan *p, const char *bad_field,
    const char *(*typed)(void *ud, const char *name), void *ud)
{
	json_t *sections = json_array();
	int s, i;

	for (s = 0; s < PLAN_SECTIONS; s++) {
		const char *tok = plan_section_token((enum plan_section)s);
		bool contacts = plan_section_has_contacts((enum plan_section)s);
		int rows = p->n[s] + BLANK_ROWS;
		json_t *arr = json_array();

		if (rows < MIN_ROWS)
			rows = MIN_ROWS;
		if (typed != NULL)
			rows = PLAN_ITEMS_MAX;	/* after an error: everything as typed */
		if (rows > PLAN_ITEMS_MAX)
			rows = PLAN_ITEMS_MAX;
		for (i = 1; i <= rows; i++) {
			const char *field = contacts ? arena_printf(c->a, "%s_%d_name", tok, i) :
			    arena_printf(c->a, "%s_%d", tok, i);
			const char *pfield = arena_printf(c->a, "%s_%d_phone", tok, i);
			const char *text, *phone;
			json_t *row;

			if (typed != NULL) {
				text = typed(ud, field);
				phone = typed(ud, pfield);
				/* Keep blank rows out, except the first few. */
				if ((text == NULL || *text == '\0') && (phone == NULL || *phone == '\0') &&
				    i > MIN_ROWS && (bad_field == NULL || (strcmp(bad_field, field) != 0 &&
				    strcmp(bad_field, pfield) != 0)))
					continue;
			} else {
				text = i <= p->n[s] ? p->items[s][i - 1].text : "";
				phone = i <= p->n[s] ? p->items[s][i - 1].phone : NULL;
				/* A contact saved under its number alone shows it once. */
				if (phone != NULL && strcmp(text, phone) == 0)
					text = "";
			}
			row = json_pack("{s:i, s:s, s:s, s:s, s:s}", "i", i, "field", field,
			    "pfield", pfield, "text", text ? text : "", "phone", phone ? phone : "");
			if (bad_field != NULL && strcmp(bad_field, field) == 0)
				json_object_set_new(row, "error", json_string(i18n_get(c->lang,
				    "safety.plan.errors.text")));
			if (bad_field != NULL && strcmp(bad_field, pfield) == 0)
				json_object_set_new(row, "phone_error", json_string(i18n_get(c->lang,
				    "safety.plan.errors.phone")));
			json_array_append_new(arr, row);
		}
		json_array_append_new(sections, json_pack("{s:s, s:s, s:s, s:s, s:b, s:o}",
		    "token", tok,
		    "title", i18n_get(c->lang, arena_printf(c->a, "safety.plan.sections.%s.title", tok)),
		    "prompt", i18n_get(c->lang, arena_printf(c->a, "safety.plan.sections.%s.prompt",
		    tok)),
		    "help", i18n_get(c->lang, arena_printf(c->a, "safety.plan.sections.%s.help", tok)),
		    "contacts", contacts, "rows", arr));
	}
	return sections;
}

void
h_crisis_plan_edit(struct ctx *c)
{
	struct crisis_plan p;

	if (!load_own(c, &p))
		return;
	respond_page(c, 200, "safety/plan_edit", "safety.plan.edit_title",
	    json_pack("{s:o}", "sections", form_sections(c, &p, NULL, NULL, NULL)));
}

static const char *
form_get(void *ud, const char *name)
{
	struct ctx *c = ud;

	return params_get(&c->form, name);
}

void
h_crisis_plan_save(struct ctx *c)
{
	struct crisis_plan p;
	const char *bad;

	if ((bad = plan_from_form(c->a, form_get, c, &p)) != NULL) {
		respond_page(c, 422, "safety/plan_edit", "safety.plan.edit_title",
		    json_pack("{s:o, s:s, s:s}", "sections", form_sections(c, &p, bad, form_get, c),
		    "error_field", bad, "error_summary", i18n_get(c->lang,
		    strstr(bad, "phone") ? "safety.plan.errors.phone" : "safety.plan.errors.text")));
		return;
	}
	if (safety_plan_save(c->db, c->user->id, &p, c->now) == -1) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	respond_redirect(c, "/crisis-plan?done=saved");
}

void
h_crisis_plan_delete(struct ctx *c)
{
	if (safety_plan_delete(c->db, c->user->id) == -1) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	respond_redirect(c, "/crisis-plan?done=deleted");
}

void
h_crisis_plan_share(struct ctx *c)
{
	struct crisis_plan p;
	int64_t grantee;
	json_t *cand;
	bool ok;

	ok = sf_field_id(c, "grantee", &grantee) == 1;
	if (ok) {
		cand = candidates_json(c, grantee);
		ok = json_array_size(cand) == 1;
		json_decref(cand);
	}
	if (!ok) {
		if (!load_own(c, &p))
			return;
		render_view(c, 422, &p, NULL, "safety.plan.errors.grantee");
		return;
	}
	if (consent_grant(c->db, c->user, grantee, 0, CONSENT_CRISIS_PLAN,
	    i18n_get(c->lang, "safety.plan.share_purpose"), 0, c->now) <= 0) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	respond_redirect(c, "/crisis-plan?done=shared");
}

void
h_crisis_plan_unshare(struct ctx *c)
{
	struct db_rows *r;
	int64_t id = ctx_param_id(c, 0);
	bool mine;

	/* Only this page's own kind of consent: the privacy page handles the rest. */
	r = db_query(c->db, "SELECT 1 FROM consents WHERE id = ? AND member_id = ? AND category = ?",
	    DB_I(id), DB_I(c->user->id), DB_T(CONSENT_CRISIS_PLAN));
	if (r == NULL) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	mine = db_rows_count(r) > 0;
	db_rows_free(r);
	if (!mine) {
		respond_error(c, 404, "not_found", NULL, NULL);
		return;
	}
	switch (consent_revoke(c->db, c->user, id, c->now)) {
	case 0:
		respond_redirect(c, "/crisis-plan?done=unshared");
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
h_member_crisis_plan(struct ctx *c)
{
	struct crisis_plan p;
	const char *name = NULL;
	int64_t id = ctx_param_id(c, 0);
	json_t *d;

	if (!load_member(c, id, &p, &name))
		return;
	d = json_pack("{s:o, s:b, s:s, s:s}", "sections", sf_plan_view(c, &p),
	    "exists", p.exists, "name", name,
	    "heading", ctx_tr(c, "safety.plan.member_heading", json_pack("{s:s}", "name", name)));
	json_object_set_new(d, "member_lead", json_string(ctx_tr(c, "safety.plan.member_lead",
	    json_pack("{s:s}", "name", name))));
	if (p.exists) {
		json_object_set_new(d, "updated_text", json_string(sf_datetime(c, p.updated_at)));
		json_object_set_new(d, "updated_iso", json_string(sf_iso(c, p.updated_at)));
	}
	json_object_set_new(d, "title", json_string(json_string_value(json_object_get(d,
	    "heading"))));
	respond_page(c, 200, "safety/plan_member", NULL, d);
}
