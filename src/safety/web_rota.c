/*
 * web_rota.c: the on-call rota coordinators keep, and the network's
 * safety settings (the crisis lines shown to members, the minutes to wait
 * for an acknowledgement before escalating).
 *
 * Times are Unix seconds in the API and "YYYY-MM-DDTHH:MM" (UTC, as
 * <input type="datetime-local"> sends them) in the form; a shift lasts at
 * most 14 days and must end in the future.  The rota's order (position
 * 1, 2, ...) is the order in which an unanswered alert goes from one
 * person on call to the next.
 */
#include "app/handlers.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "accounts/roles.h"
#include "http/params.h"
#include "privacy/audit.h"
#include "safety/alerts.h"
#include "safety/warnings_store.h"
#include "safety/web_util.h"
#include "view/view.h"

#define POSITION_MAX	20

/* "2026-03-03T14:05" (UTC) as Unix seconds, or -1. */
static int64_t
parse_local(const char *s)
{
	struct tm tm;
	int y, mo, d, h, mi;
	char tail;
	time_t t;

	if (s == NULL || sscanf(s, "%4d-%2d-%2dT%2d:%2d%c", &y, &mo, &d, &h, &mi, &tail) != 5 ||
	    strlen(s) != 16)
		return -1;
	if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    h < 0 || mi < 0)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	t = timegm(&tm);
	if (t == (time_t)-1 || tm.tm_mday != d)
		return -1;
	return (int64_t)t;
}

static const char *
format_local(struct ctx *c, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char out[32] = "";

	if (gmtime_r(&tt, &tm) != NULL)
		strftime(out, sizeof(out), "%Y-%m-%dT%H:%M", &tm);
	return arena_strdup(c->a, out);
}

struct shift_in {
	int64_t	 user_id, starts_at, ends_at;
	int	 position;
};

/* Read and check a shift; NULL, or the invalid field (API or form name). */
static const char *
parse_shift(struct ctx *c, struct shift_in *in)
{
	json_t *j;
	int64_t pos = 1;

	memset(in, 0, sizeof(*in));
	if (sf_field_id(c, c->json ? "user_id" : "user", &in->user_id) != 1)
		return c->json ? "user_id" : "user";
	if (c->json != NULL) {
		j = json_object_get(c->json, "starts_at");
		if (!json_is_integer(j) || json_integer_value(j) <= 0)
			return "starts_at";
		in->starts_at = json_integer_value(j);
		j = json_object_get(c->json, "ends_at");
		if (!json_is_integer(j) || json_integer_value(j) <= 0)
			return "ends_at";
		in->ends_at = json_integer_value(j);
		j = json_object_get(c->json, "position");
		if (j != NULL && !json_is_null(j)) {
			if (!json_is_integer(j))
				return "position";
			pos = json_integer_value(j);
		}
	} else {
		const char *p = sf_field_trimmed(c, "position");
		uint64_t v;

		if ((in->starts_at = parse_local(sf_field_trimmed(c, "starts_at"))) < 0)
			return "starts_at";
		if ((in->ends_at = parse_local(sf_field_trimmed(c, "ends_at"))) < 0)
			return "ends_at";
		if (p != NULL && *p != '\0') {
			if (!str_to_u64(str_c(p), POSITION_MAX, &v))
				return "position";
			pos = (int64_t)v;
		}
	}
	if (in->ends_at <= in->starts_at || in->ends_at - in->starts_at > ONCALL_SHIFT_MAX ||
	    in->ends_at <= c->now)
		return "ends_at";
	if (pos < 1 || pos > POSITION_MAX)
		return "position";
	in->position = (int)pos;
	return NULL;
}

static json_t *
rota_view(struct ctx *c)
{
	json_t *list = oncall_list_json(c->db, c->now), *rows = json_array(), *s;
	size_t i;

	json_array_foreach(list, i, s) {
		json_t *v = json_deep_copy(s);
		int64_t a = json_integer_value(json_object_get(s, "starts_at"));
		int64_t b = json_integer_value(json_object_get(s, "ends_at"));

		json_object_set_new(v, "from", json_string(sf_datetime(c, a)));
		json_object_set_new(v, "from_iso", json_string(sf_iso(c, a)));
		json_object_set_new(v, "to", json_string(sf_datetime(c, b)));
		json_object_set_new(v, "to_iso", json_string(sf_iso(c, b)));
		json_array_append_new(rows, v);
	}
	json_decref(list);
	return rows;
}

static void
render_rota(struct ctx *c, int status, const char *bad, const char *notice)
{
	json_t *shifts = rota_view(c);
	json_t *d = json_pack("{s:o, s:b, s:o, s:b, s:{s:s, s:s, s:s, s:s}}",
	    "shifts", shifts, "has_shifts", json_array_size(shifts) > 0,
	    "people", oncall_people_json(c->db),
	    "can_edit", ctx_has_role(c, ROLE_COORDINATOR | ROLE_ADMIN),
	    "form", "user", "", "starts_at", format_local(c, c->now - c->now % 3600 + 3600),
	    "ends_at", format_local(c, c->now - c->now % 3600 + 3600 + 12 * 3600),
	    "position", "1");

	if (bad != NULL) {
		json_t *form = json_object_get(d, "form");
		const char *v;

		if ((v = sf_field_trimmed(c, "user")) != NULL)
			json_object_set_new(form, "user", json_string(v));
		if ((v = sf_field_trimmed(c, "starts_at")) != NULL)
			json_object_set_new(form, "starts_at", json_string(v));
		if ((v = sf_field_trimmed(c, "ends_at")) != NULL)
			json_object_set_new(form, "ends_at", json_string(v));
		if ((v = sf_field_trimmed(c, "position")) != NULL)
			json_object_set_new(form, "position", json_string(v));
		json_object_set_new(d, "errors", json_pack("{s:s}", bad, i18n_get(c->lang,
		    arena_printf(c->a, "safety.oncall.errors.%s", bad))));
	}
	{
		/* Mark the chosen person in the select. */
		json_t *p;
		size_t i;
		const char *sel = json_string_value(json_object_get(json_object_get(d, "form"),
		    "user"));

		json_array_foreach(json_object_get(d, "people"), i, p)
			json_object_set_new(p, "selected", json_boolean(sel != NULL &&
			    strcmp(sel, arena_printf(c->a, "%" JSON_INTEGER_FORMAT,
			    json_integer_value(json_object_get(p, "id")))) == 0));
	}
	if (notice != NULL)
		json_object_set_new(d, "notice", json_string(i18n_get(c->lang, notice)));
	respond_page(c, status, "safety/oncall", "safety.oncall.title", d);
}

void
h_oncall(struct ctx *c)
{
	const char *done = params_get(&c->query, "done");

	render_rota(c, 200, NULL, done == NULL ? NULL : strcmp(done, "added") == 0 ?
	    "safety.oncall.notices.added" : strcmp(done, "removed") == 0 ?
	    "safety.oncall.notices.removed" : NULL);
}

void
h_oncall_add(struct ctx *c)
{
	struct shift_in in;
	const char *bad = parse_shift(c, &in);
	int64_t id;

	if (bad != NULL) {
		render_rota(c, 422, bad, NULL);
		return;
	}
	id = oncall_add(c->db, in.user_id, in.starts_at, in.ends_at, in.position, c->user->id,
	    c->now);
	if (id == 0) {
		render_rota(c, 422, "user", NULL);
		return;
	}
	if (id < 0) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	respond_redirect(c, "/oncall?done=added");
}

void
h_oncall_remove(struct ctx *c)
{
	switch (oncall_remove(c->db, ctx_param_id(c, 0))) {
	case 0:
		respond_redirect(c, "/oncall?done=removed");
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
h_api_oncall(struct ctx *c)
{
	json_t *list = oncall_list_json(c->db, c->now);
	int64_t ids[64];
	int n = oncall_now(c->db, c->now, ids, 64), i;
	json_t *now = json_array();

	if (list == NULL || n < 0) {
		json_decref(list);
		json_decref(now);
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	for (i = 0; i < n; i++)
		json_array_append_new(now, json_integer(ids[i]));
	respond_json(c, 200, json_pack("{s:o, s:o}", "shifts", list, "on_call_now", now));
}

void
h_api_oncall_add(struct ctx *c)
{
	struct shift_in in;
	const char *bad;
	int64_t id;

	if (c->json == NULL) {
		respond_error(c, 400, "malformed_json", "errors.400.message", NULL);
		return;
	}
	if ((bad = parse_shift(c, &in)) != NULL) {
		respond_error(c, 422, "invalid_field", arena_printf(c->a,
		    "safety.oncall.errors.%s", strcmp(bad, "user_id") == 0 ? "user" : bad), bad);
		return;
	}
	id = oncall_add(c->db, in.user_id, in.starts_at, in.ends_at, in.position, c->user->id,
	    c->now);
	if (id == 0) {
		respond_error(c, 422, "invalid_field", "safety.oncall.errors.user", "user_id");
		return;
	}
	if (id < 0) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	respond_json(c, 201, json_pack("{s:I, s:I, s:I, s:I, s:i}", "id", (json_int_t)id,
	    "user_id", (json_int_t)in.user_id, "starts_at", (json_int_t)in.starts_at,
	    "ends_at", (json_int_t)in.ends_at, "position", in.position));
}

void
h_api_oncall_remove(struct ctx *c)
{
	switch (oncall_remove(c->db, ctx_param_id(c, 0))) {
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

/* ---- settings ---- */

static json_t *
settings_json(struct ctx *c)
{
	struct warn_params wp;
	const char *em;
	json_t *lines = safety_contacts(c->db, c->lang, c->a, &em);

	warnings_params(c->db, &wp);
	return json_pack("{s:i, s:s, s:o, s:b, s:o}", "ack_minutes", safety_ack_minutes(c->db),
	    "emergency_number", em, "crisis_lines", lines,
	    "crisis_lines_custom", safety_crisis_lines_custom(c->db),
	    "warnings", warnings_params_json(&wp));
}

void
h_api_safety_settings(struct ctx *c)
{
	respond_json(c, 200, settings_json(c));
}

void
h_api_safety_settings_put(struct ctx *c)
{
	const char *bad;
	json_t *warnings;

	if (c->json == NULL) {
		respond_error(c, 400, "malformed_json", "errors.400.message", NULL);
		return;
	}
	/* The thresholds of the early warnings are checked and kept on their own. */
	warnings = json_incref(json_object_get(c->json, "warnings"));
	json_object_del(c->json, "warnings");
	if ((bad = safety_settings_check(c->a, c->json)) != NULL ||
	    (warnings != NULL && (bad = warnings_params_check(c->a, warnings)) != NULL)) {
		json_decref(warnings);
		respond_error(c, 422, "invalid_field", strcmp(bad, "ack_minutes") == 0 ?
		    "safety.settings.errors.ack_minutes" : strncmp(bad, "warnings", 8) == 0 ?
		    "safety.settings.errors.warnings" : "safety.settings.errors.lines", bad);
		return;
	}
	if (safety_settings_save(c->db, c->json) == -1 ||
	    (warnings != NULL && warnings_params_save(c->db, warnings) == -1)) {
		json_decref(warnings);
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	audit_record(c->db, c->now, c->user->pseudonym, NULL, "safety.settings", "settings", NULL);
	json_decref(warnings);
	respond_json(c, 200, settings_json(c));
}

/* The form: ack_minutes and up to SAFETY_LINES_MAX rows line_<i>_name/_phone/_text. */
static void
render_settings(struct ctx *c, int status, const char *bad, const char *notice)
{
	json_t *s = settings_json(c), *rows = json_array(), *l;
	bool custom = json_is_true(json_object_get(s, "crisis_lines_custom"));
	size_t i;

	for (i = 0; i < SAFETY_LINES_MAX; i++) {
		char f[32];
		const char *name, *phone, *text;

		/* The default lines are not typed in: all rows empty means "the default". */
		l = custom ? json_array_get(json_object_get(s, "crisis_lines"), i) : NULL;
		if (bad != NULL) {
			snprintf(f, sizeof(f), "line_%zu_name", i + 1);
			name = sf_field_trimmed(c, f);
			snprintf(f, sizeof(f), "line_%zu_phone", i + 1);
			phone = sf_field_trimmed(c, f);
			snprintf(f, sizeof(f), "line_%zu_text", i + 1);
			text = sf_field_trimmed(c, f);
		} else {
			name = json_string_value(json_object_get(l, "name"));
			phone = json_string_value(json_object_get(l, "phone"));
			text = json_string_value(json_object_get(l, "text"));
		}
		json_array_append_new(rows, json_pack("{s:I, s:s, s:s, s:s}", "i", (json_int_t)i + 1,
		    "name", name ? name : "", "phone", phone ? phone : "", "text", text ? text : ""));
	}
	json_object_set_new(s, "rows", rows);
	if (!custom) {
		struct buf b = BUF_INIT;

		json_array_foreach(json_object_get(s, "crisis_lines"), i, l) {
			buf_printf(&b, "%s%s (%s)", i > 0 ? "; " : "",
			    json_string_value(json_object_get(l, "name")),
			    json_string_value(json_object_get(l, "phone")));
		}
		json_object_set_new(s, "lines_default", json_string(ctx_tr(c,
		    "safety.settings.lines_default", json_pack("{s:s}", "lines", b.data ? b.data : ""))));
		buf_free(&b);
	}
	if (bad != NULL) {
		const char *m = sf_field_trimmed(c, "ack_minutes");
		const char *e = sf_field_trimmed(c, "emergency_number");
		const char *which = strcmp(bad, "ack_minutes") == 0 ? "ack_minutes" :
		    strcmp(bad, "emergency_number") == 0 ? "emergency_number" : "lines";

		json_object_set_new(s, "ack_minutes_typed", json_string(m ? m : ""));
		json_object_set_new(s, "emergency_typed", json_string(e ? e : ""));
		json_object_set_new(s, "errors", json_pack("{s:s}", which, ctx_trk(c,
		    "safety.settings.errors.%s", which)));
	} else {
		json_object_set_new(s, "ack_minutes_typed", json_string(arena_printf(c->a, "%d",
		    safety_ack_minutes(c->db))));
		json_object_set_new(s, "emergency_typed", json_string(safety_emergency_number(c->db,
		    c->a)));
	}
	if (notice != NULL)
		json_object_set_new(s, "notice", json_string(i18n_get(c->lang, notice)));
	respond_page(c, status, "safety/settings", "safety.settings.title", s);
}

void
h_safety_settings(struct ctx *c)
{
	render_settings(c, 200, NULL, params_get(&c->query, "done") ?
	    "safety.settings.saved" : NULL);
}

void
h_safety_settings_save(struct ctx *c)
{
	json_t *in = json_object(), *lines = json_array();
	const char *m = sf_field_trimmed(c, "ack_minutes"), *bad;
	const char *em = sf_field_trimmed(c, "emergency_number");
	uint64_t v;
	size_t i;

	if (m == NULL || !str_to_u64(str_c(m), SAFETY_ACK_MINUTES_MAX, &v) || v == 0) {
		json_decref(in);
		json_decref(lines);
		render_settings(c, 422, "ack_minutes", NULL);
		return;
	}
	json_object_set_new(in, "ack_minutes", json_integer((json_int_t)v));
	/* An empty emergency number means the default (911). */
	json_object_set_new(in, "emergency_number", em != NULL && *em != '\0' ? json_string(em) :
	    json_null());
	for (i = 1; i <= SAFETY_LINES_MAX; i++) {
		const char *name = sf_field_trimmed(c, arena_printf(c->a, "line_%zu_name", i));
		const char *phone = sf_field_trimmed(c, arena_printf(c->a, "line_%zu_phone", i));
		const char *text = sf_field_trimmed(c, arena_printf(c->a, "line_%zu_text", i));

		if ((name == NULL || *name == '\0') && (phone == NULL || *phone == '\0'))
			continue;
		json_array_append_new(lines, json_pack("{s:s, s:s, s:o}", "name", name ? name : "",
		    "phone", phone ? phone : "", "text", text && *text ? json_string(text) :
		    json_null()));
	}
	/* Every row empty: back to the network's default line. */
	json_object_set_new(in, "crisis_lines", json_array_size(lines) > 0 ? lines :
	    (json_decref(lines), json_null()));
	if ((bad = safety_settings_check(c->a, in)) != NULL) {
		json_decref(in);
		render_settings(c, 422, bad, NULL);
		return;
	}
	if (safety_settings_save(c->db, in) == -1) {
		json_decref(in);
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	audit_record(c->db, c->now, c->user->pseudonym, NULL, "safety.settings", "settings", NULL);
	json_decref(in);
	respond_redirect(c, "/safety/settings?done=saved");
}
