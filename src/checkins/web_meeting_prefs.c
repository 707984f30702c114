/*
 * web_meeting_prefs.c: the member's meeting preferences, on a small page
 * (/account/meeting-preferences, a plain form) and over the API
 * (GET/PUT /api/v1/me/meeting-preferences).
 *
 * They decide which meetings the MEETINGS text message lists (with the
 * member's language); both ways share mprefs_parse, so the page and the
 * API refuse the same things and name the same field.
 */
#include "app/handlers.h"

#include <string.h>

#include "checkins/meeting_prefs.h"
#include "checkins/web_util.h"
#include "meetings/cache.h"
#include "view/view.h"

#define TIMES_MAX	8
#define REGIONS_MAX	60

/* Regions and cities of the listed meetings, for the form's suggestions. */
static json_t *
known_regions(struct ctx *c)
{
	const struct finder_snapshot *s = finder_acquire(c->db);
	json_t *out = json_array();
	size_t i, k;

	if (s == NULL)
		return out;
	for (i = 0; i < s->n && json_array_size(out) < REGIONS_MAX; i++) {
		const char *r = s->items[i].m->region;
		json_t *e;

		if (r == NULL || !s->items[i].listed)
			continue;
		json_array_foreach(out, k, e)
			if (strcmp(json_string_value(json_object_get(e, "name")), r) == 0)
				break;
		if (k == json_array_size(out))
			json_array_append_new(out, json_pack("{s:s}", "name", r));
	}
	finder_release(s);
	return out;
}

static void
render(struct ctx *c, int status, const struct meeting_prefs *p, const char *bad,
    const char *region_typed, bool saved)
{
	static const char *const atts[] = { "any", "in_person", "online" };
	static const enum finder_time times[] = { FINDER_MORNING, FINDER_AFTERNOON, FINDER_EVENING,
	    FINDER_NIGHT };
	json_t *d = json_object(), *arr = json_array();
	size_t i;

	for (i = 0; i < 3; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:b}", "value", atts[i],
		    "id", arena_printf(c->a, "att-%s", atts[i]),
		    "label", i18n_get(c->lang, arena_printf(c->a,
		    "checkins.meeting_prefs.attendance_%s", atts[i])),
		    "checked", strcmp(mprefs_attendance_token(p->attendance), atts[i]) == 0));
	json_object_set_new(d, "attendances", arr);
	arr = json_array();
	for (i = 0; i < 4; i++) {
		const char *tok = mprefs_time_token(times[i]);

		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:b}", "value", tok,
		    "id", arena_printf(c->a, "time-%s", tok),
		    "label", i18n_get(c->lang, arena_printf(c->a, "meetings.times.%s", tok)),
		    "checked", (p->times & (1u << times[i])) != 0));
	}
	json_object_set_new(d, "times", arr);
	json_object_set_new(d, "region", json_string(region_typed ? region_typed : p->region));
	json_object_set_new(d, "regions", known_regions(c));
	if (bad != NULL) {
		json_object_set_new(d, "error", json_string(i18n_get(c->lang,
		    "checkins.meeting_prefs.errors.summary")));
		json_object_set_new(d, "errors", ck_field_error(c, bad, arena_printf(c->a,
		    "checkins.meeting_prefs.errors.%s", bad)));
	}
	if (saved)
		json_object_set_new(d, "notice", json_string(i18n_get(c->lang,
		    "checkins.meeting_prefs.saved")));
	c->path = "/account/meeting-preferences";
	respond_page(c, status, "checkins/meeting_prefs", "checkins.meeting_prefs.title", d);
}

void
h_meeting_prefs(struct ctx *c)
{
	struct meeting_prefs p;
	const char *done = params_get(&c->query, "done");

	if (mprefs_load(c->db, c->user->id, &p) == -1) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	render(c, 200, &p, NULL, NULL, done != NULL && strcmp(done, "saved") == 0);
}

void
h_meeting_prefs_submit(struct ctx *c)
{
	const char *times[TIMES_MAX], *bad = NULL, *ignored;
	const char *att = params_get(&c->form, "attendance");
	struct meeting_prefs p, shown, one;
	size_t i, n = 0;

	for (i = 0; i < c->form.n; i++)
		if (strcmp(c->form.items[i].name, "times") == 0) {
			if (n == TIMES_MAX) {
				bad = "times";	/* more boxes than the form has */
				break;
			}
			times[n++] = c->form.items[i].value;
		}
	if (bad == NULL && mprefs_parse(att, params_get(&c->form, "region"), times, n, &p,
	    &bad)) {
		if (mprefs_save(c->db, c->user->id, &p, c->now) == -1) {
			respond_error(c, 500, "internal", NULL, NULL);
			return;
		}
		respond_redirect(c, "/account/meeting-preferences?done=saved");
		return;
	}
	/* Show again what was chosen, as far as it can be read: nothing typed is lost. */
	memset(&shown, 0, sizeof(shown));
	if (mprefs_parse(att, NULL, NULL, 0, &one, &ignored))
		shown.attendance = one.attendance;
	for (i = 0; i < n; i++)
		if (mprefs_parse(NULL, NULL, &times[i], 1, &one, &ignored))
			shown.times |= one.times;
	render(c, 422, &shown, bad, params_get(&c->form, "region"), false);
}

void
h_api_meeting_prefs(struct ctx *c)
{
	struct meeting_prefs p;

	if (mprefs_load(c->db, c->user->id, &p) == -1) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	respond_json(c, 200, mprefs_json(&p));
}

void
h_api_meeting_prefs_put(struct ctx *c)
{
	const char *times[TIMES_MAX], *bad = NULL, *key;
	json_t *jt, *v, *ja, *jr;
	struct meeting_prefs p;
	size_t i, n = 0;

	if (c->json == NULL) {
		respond_error(c, 400, "malformed_json", "errors.400.message", NULL);
		return;
	}
	json_object_foreach(c->json, key, v)
		if (strcmp(key, "attendance") != 0 && strcmp(key, "region") != 0 &&
		    strcmp(key, "times") != 0) {
			respond_error(c, 422, "invalid_field", "checkins.meeting_prefs.errors.unknown",
			    arena_strdup(c->a, key));
			return;
		}
	ja = json_object_get(c->json, "attendance");
	jr = json_object_get(c->json, "region");
	jt = json_object_get(c->json, "times");
	if (ja != NULL && !json_is_string(ja) && !json_is_null(ja))
		bad = "attendance";
	else if (jr != NULL && !json_is_string(jr) && !json_is_null(jr))
		bad = "region";
	else if (jt != NULL && !json_is_null(jt) && (!json_is_array(jt) ||
	    json_array_size(jt) > TIMES_MAX))
		bad = "times";
	json_array_foreach(jt, i, v) {
		if (bad != NULL)
			break;
		if (!json_is_string(v))
			bad = "times";
		else
			times[n++] = json_string_value(v);
	}
	if (bad != NULL || !mprefs_parse(json_string_value(ja), json_string_value(jr), times, n,
	    &p, &bad)) {
		respond_error(c, 422, "invalid_field", arena_printf(c->a,
		    "checkins.meeting_prefs.errors.%s", bad), bad);
		return;
	}
	if (mprefs_save(c->db, c->user->id, &p, c->now) == -1) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	respond_json(c, 200, mprefs_json(&p));
}
