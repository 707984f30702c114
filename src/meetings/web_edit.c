/*
 * web_edit.c: the coordinators' pages for meetings: the list, the form to
 * add or change a meeting, and a meeting's sessions (cancel or move one).
 *
 * The form is plain HTML (no script needed): its fields become the same
 * meeting object the API takes, checked and stored by
 * meetings_store_object() (web.c), so the form and POST/PATCH
 * /api/v1/meetings give the same answers.  A refused form comes back with
 * everything typed still in it, the error beside its field and a summary
 * at the top linking to it.  Cancelling or moving a session goes through
 * meetings_read_exception(), as the API's does.
 */
#include "app/handlers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "formats/meetingguide.h"
#include "http/params.h"
#include "meetings/cache.h"
#include "meetings/finder.h"
#include "meetings/store.h"
#include "meetings/tz.h"
#include "meetings/web.h"
#include "view/view.h"

#define LIST_SHOWN		200
#define CIRCLES_OFFERED		500
#define SESSIONS_SHOWN		12
#define LIST_VALUES_MAX		100	/* checkboxes of one name read from a form */

/* The form's one-line and multi-line text fields, by name (the API's names). */
static const char *const text_names[] = {
	"name", "circle_id", "schedule", "month_day", "date", "time", "end_time", "timezone",
	"attendance_option", "location", "address", "city", "state", "postal_code", "country",
	"region", "latitude", "longitude", "location_notes", "transit_notes", "conference_url",
	"conference_url_notes", "conference_phone", "conference_phone_notes", "notes",
};
/* Its groups of checkboxes. */
static const char *const list_names[] = { "days", "weeks", "access", "languages", "types" };

/* Languages offered as checkboxes (a meeting's others are added to them). */
static const char *const form_languages[] = {
	"en", "es", "fr", "pt", "de", "it", "pl", "ru", "uk", "ar", "fa", "ko", "ja", "tl",
};

static json_t *
str_list(json_t *f, const char *name)
{
	json_t *v = json_object_get(f, name);

	return json_is_array(v) ? v : NULL;
}

static bool
listed(json_t *f, const char *name, const char *value)
{
	json_t *arr = str_list(f, name), *e;
	size_t i;

	json_array_foreach(arr, i, e)
		if (strcmp(json_string_value(e), value) == 0)
			return true;
	return false;
}

static const char *
fval(json_t *f, const char *name)
{
	const char *s = json_string_value(json_object_get(f, name));

	return s ? s : "";
}

/* ---- the form's values: from a meeting, from a post ---- */

static json_t *
values_blank(void)
{
	json_t *f = json_object();
	size_t i;

	for (i = 0; i < sizeof(text_names) / sizeof(text_names[0]); i++)
		json_object_set_new(f, text_names[i], json_string(""));
	for (i = 0; i < sizeof(list_names) / sizeof(list_names[0]); i++)
		json_object_set_new(f, list_names[i], json_array());
	json_object_set_new(f, "schedule", json_string("weekly"));
	json_object_set_new(f, "attendance_option", json_string("in_person"));
	json_object_set_new(f, "temporarily_closed", json_false());
	return f;
}

/* Codes the form sets through other fields: languages, access, online, closed. */
static bool
derived_type(const char *code)
{
	return meeting_type_language(code) != NULL || meeting_type_access(code) != 0 ||
	    strcmp(code, "ONL") == 0 || strcmp(code, "TC") == 0;
}

static void
set_s(json_t *f, const char *name, const char *v)
{
	json_object_set_new(f, name, json_string(v ? v : ""));
}

static json_t *
values_from_meeting(struct ctx *c, const struct meeting *m)
{
	json_t *f = values_blank();
	char hm[6];
	size_t i;
	unsigned bit;
	int d;

	set_s(f, "name", m->name);
	if (m->circle_id > 0)
		set_s(f, "circle_id", arena_printf(c->a, "%lld", (long long)m->circle_id));
	set_s(f, "schedule", meeting_kind_token(m->sched.kind));
	for (d = 0; d < 7; d++)
		if (m->sched.days & (1u << d)) {
			if (m->sched.kind == SCHED_MONTHLY)
				set_s(f, "month_day", arena_printf(c->a, "%d", d));
			else
				json_array_append_new(json_object_get(f, "days"),
				    json_sprintf("%d", d));
		}
	for (d = 0; d < 5; d++)
		if (m->sched.weeks & (1u << d))
			json_array_append_new(json_object_get(f, "weeks"), json_sprintf("%d", d + 1));
	if (m->sched.weeks & SCHED_WEEK_LAST)
		json_array_append_new(json_object_get(f, "weeks"), json_string("last"));
	if (m->sched.kind == SCHED_ONCE)
		set_s(f, "date", arena_printf(c->a, "%04d-%02d-%02d", m->sched.once_y,
		    m->sched.once_m, m->sched.once_d));
	if (m->sched.start_min >= 0) {
		schedule_format_hhmm(m->sched.start_min, hm);
		set_s(f, "time", hm);
	}
	if (m->sched.end_min >= 0) {
		schedule_format_hhmm(m->sched.end_min, hm);
		set_s(f, "end_time", hm);
	}
	set_s(f, "timezone", m->timezone);
	set_s(f, "attendance_option", meeting_attendance_token(m->attendance));
	set_s(f, "location", m->location);
	/* A feed may give the address only as one line: it becomes the street field. */
	set_s(f, "address", m->address ? m->address : m->formatted_address);
	set_s(f, "city", m->city);
	set_s(f, "state", m->state);
	set_s(f, "postal_code", m->postal_code);
	set_s(f, "country", m->country);
	set_s(f, "region", m->region);
	if (m->has_coords) {
		set_s(f, "latitude", arena_printf(c->a, "%.6f", (double)m->lat_e6 / 1e6));
		set_s(f, "longitude", arena_printf(c->a, "%.6f", (double)m->lon_e6 / 1e6));
	}
	set_s(f, "location_notes", m->location_notes);
	set_s(f, "transit_notes", m->transit_notes);
	set_s(f, "conference_url", m->conference_url);
	set_s(f, "conference_url_notes", m->conference_url_notes);
	set_s(f, "conference_phone", m->conference_phone);
	set_s(f, "conference_phone_notes", m->conference_phone_notes);
	set_s(f, "notes", m->notes);
	for (bit = 1; bit < (1u << ACCESS_COUNT); bit <<= 1)
		if (m->access & bit)
			json_array_append_new(json_object_get(f, "access"),
			    json_string(meeting_access_token(bit)));
	for (i = 0; i < m->nlanguages; i++)
		json_array_append_new(json_object_get(f, "languages"), json_string(m->languages[i]));
	for (i = 0; i < m->ntypes; i++)
		if (!derived_type(m->types[i]))
			json_array_append_new(json_object_get(f, "types"), json_string(m->types[i]));
	json_object_set_new(f, "temporarily_closed", json_boolean(m->temporarily_closed));
	return f;
}

static json_t *
values_from_post(struct ctx *c)
{
	json_t *f = values_blank();
	const char *v;
	size_t i, k;

	for (i = 0; i < sizeof(text_names) / sizeof(text_names[0]); i++)
		if ((v = params_get(&c->form, text_names[i])) != NULL)
			set_s(f, text_names[i], v);
	for (k = 0; k < sizeof(list_names) / sizeof(list_names[0]); k++) {
		json_t *arr = json_object_get(f, list_names[k]);

		for (i = 0; i < c->form.n && json_array_size(arr) < LIST_VALUES_MAX; i++) {
			const struct param *p = &c->form.items[i];

			if (strcmp(p->name, list_names[k]) == 0 && p->value_len > 0 &&
			    !listed(f, list_names[k], p->value))
				json_array_append_new(arr, json_stringn(p->value, p->value_len));
		}
	}
	v = params_get(&c->form, "temporarily_closed");
	json_object_set_new(f, "temporarily_closed", json_boolean(v != NULL && *v != '\0'));
	return f;
}

/* ---- the form's values as the API's meeting object ---- */

static json_t *
text_or_null(json_t *f, const char *name)
{
	const char *s = fval(f, name);

	return str_trim(str_c(s)).len ? json_string(s) : json_null();
}

/* A whole number as JSON, else the text (which the checks then refuse). */
static json_t *
number_or_text(json_t *f, const char *name)
{
	const char *s = fval(f, name);
	char *end;
	long long n;

	if (str_trim(str_c(s)).len == 0)
		return json_null();
	n = strtoll(s, &end, 10);
	return *end == '\0' && end != s ? json_integer(n) : json_string(s);
}

static json_t *
values_to_object(json_t *f)
{
	static const char *const plain[] = {
		"name", "time", "end_time", "timezone", "attendance_option", "location",
		"address", "city", "state", "postal_code", "country", "region", "latitude",
		"longitude", "location_notes", "transit_notes", "conference_url",
		"conference_url_notes", "conference_phone", "conference_phone_notes", "notes",
	};
	const char *kind = fval(f, "schedule");
	json_t *o = json_object(), *arr, *e;
	size_t i;

	for (i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		json_object_set_new(o, plain[i], text_or_null(f, plain[i]));
	json_object_set_new(o, "circle_id", number_or_text(f, "circle_id"));
	json_object_set_new(o, "schedule", json_string(*kind ? kind : "weekly"));
	json_object_set_new(o, "day", json_null());
	json_object_set_new(o, "weeks", json_null());
	json_object_set_new(o, "date", json_null());
	if (strcmp(kind, "weekly") == 0) {
		arr = json_array();
		json_array_foreach(str_list(f, "days"), i, e)
			json_array_append_new(arr, json_string(json_string_value(e)));
		json_object_set_new(o, "day", arr);
	} else if (strcmp(kind, "monthly") == 0) {
		arr = json_array();
		json_array_foreach(str_list(f, "weeks"), i, e) {
			const char *w = json_string_value(e);
			json_array_append_new(arr, strcmp(w, "last") == 0 ? json_integer(-1) :
			    strlen(w) == 1 && w[0] >= '1' && w[0] <= '5' ? json_integer(w[0] - '0') :
			    json_string(w));
		}
		json_object_set_new(o, "weeks", arr);
		json_object_set_new(o, "day", text_or_null(f, "month_day"));
	} else if (strcmp(kind, "once") == 0) {
		json_object_set_new(o, "date", text_or_null(f, "date"));
	}
	json_object_set_new(o, "accessibility", json_deep_copy(str_list(f, "access")));
	json_object_set_new(o, "languages", json_deep_copy(str_list(f, "languages")));
	json_object_set_new(o, "types", json_deep_copy(str_list(f, "types")));
	json_object_set_new(o, "temporarily_closed", json_boolean(json_is_true(
	    json_object_get(f, "temporarily_closed"))));
	return o;
}

/* ---- the page ---- */

/* The form field (its id) an object field's error belongs beside. */
static const char *
form_field(json_t *f, const char *field)
{
	if (field == NULL)
		return "name";
	if (strcmp(field, "day") == 0)
		return strcmp(fval(f, "schedule"), "monthly") == 0 ? "month_day" : "days";
	if (strcmp(field, "accessibility") == 0)
		return "access";
	if (strcmp(field, "regions") == 0 || strcmp(field, "sub_region") == 0)
		return "region";
	if (strcmp(field, "slug") == 0)
		return "name";
	if (strcmp(field, "formatted_address") == 0)
		return "address";
	return field;
}

/* Beside-the-field message: a field's own when it has one, else the reason's. */
static const char *
field_message(struct ctx *c, const char *id, const char *reason)
{
	const char *key = arena_printf(c->a, "coordinator.errors.%s", id), *s;

	if (reason != NULL && (strcmp(reason, "field_too_long") == 0 ||
	    strcmp(reason, "timezone_missing") == 0 || strcmp(reason, "slug_taken") == 0)) {
		key = arena_printf(c->a, "coordinator.errors.%s", reason);
		return i18n_get(c->lang, key);
	}
	s = i18n_get(c->lang, key);
	if (strcmp(s, key) != 0)
		return s;
	return ctx_trk(c, "meetings.import.reasons.%s", reason ? reason : "field_invalid");
}

static json_t *
options_of(struct ctx *c, const char *key_fmt, const char *const *values, size_t n,
    const char *selected)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:b}", "value", values[i],
		    "label", ctx_trk(c, key_fmt, values[i]), "selected",
		    selected != NULL && strcmp(selected, values[i]) == 0));
	return arr;
}

static json_t *
checks_of(struct ctx *c, json_t *f, const char *group, const char *key_fmt,
    const char *const *values, size_t n)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:b}", "value", values[i],
		    "id", arena_printf(c->a, "%s-%s", group, values[i]),
		    "label", ctx_trk(c, key_fmt, values[i]), "checked", listed(f, group, values[i])));
	return arr;
}

static json_t *
circle_options(struct ctx *c, const char *selected)
{
	struct db_rows *r = db_query(c->db, "SELECT id, name FROM circles ORDER BY LOWER(name), id "
	    "LIMIT ?", DB_I(CIRCLES_OFFERED));
	json_t *arr = json_array();
	size_t i;

	if (r == NULL)
		return arr;
	for (i = 0; i < db_rows_count(r); i++) {
		const char *id = arena_printf(c->a, "%lld", (long long)db_rows_int(r, i, 0));
		json_array_append_new(arr, json_pack("{s:s, s:s, s:b}", "value", id,
		    "label", db_rows_text(r, i, 1), "selected", strcmp(id, selected) == 0));
	}
	db_rows_free(r);
	return arr;
}

static json_t *
timezone_options(const char *selected)
{
	json_t *arr = json_array();
	size_t i, n = tz_zone_count();
	bool found = false;

	for (i = 0; i < n; i++) {
		const char *z = tz_zone_at(i);
		bool sel = strcmp(z, selected) == 0;

		/* Etc/GMT+5 and the like confuse more than they help; UTC stays. */
		if (strchr(z, '/') == NULL || (strncmp(z, "Etc/", 4) == 0 && strcmp(z, "Etc/UTC") != 0))
			if (!sel)
				continue;
		found |= sel;
		json_array_append_new(arr, json_pack("{s:s, s:b}", "value", z, "selected", sel));
	}
	if (!found && *selected)	/* kept as typed, so the error can point at it */
		json_array_insert_new(arr, 0, json_pack("{s:s, s:b}", "value", selected, "selected", 1));
	return arr;
}

static json_t *
type_checks(struct ctx *c, json_t *f)
{
	json_t *arr = json_array(), *e;
	size_t i, n = meeting_type_count();

	for (i = 0; i < n; i++) {
		const char *code = meeting_type_at(i);

		if (derived_type(code))
			continue;
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:b}", "value", code,
		    "id", arena_printf(c->a, "types-%zu", i), "label",
		    ctx_trk(c, "meetings.types.%s", code), "checked", listed(f, "types", code)));
	}
	/* Codes a feed brought that the list does not know stay, and can be unticked. */
	json_array_foreach(str_list(f, "types"), i, e) {
		const char *code = json_string_value(e);

		if (!meeting_type_known(code) && meeting_type_code_ok(code))
			json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:b}", "value", code,
			    "id", arena_printf(c->a, "types-x%zu", i), "label", code, "checked", 1));
	}
	return arr;
}

static json_t *
language_checks(struct ctx *c, json_t *f)
{
	const size_t nl = sizeof(form_languages) / sizeof(form_languages[0]);
	json_t *arr = checks_of(c, f, "languages", "meetings.languages.%s", form_languages, nl), *e;
	size_t i, k;

	json_array_foreach(str_list(f, "languages"), i, e) {
		const char *code = json_string_value(e);
		const char *name;

		for (k = 0; k < nl && strcmp(form_languages[k], code) != 0; k++)
			;
		if (k < nl || !meeting_lang_ok(code))
			continue;
		name = ctx_trk(c, "meetings.languages.%s", code);
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:b}", "value", code,
		    "id", arena_printf(c->a, "languages-%s", code), "label",
		    strncmp(name, "meetings.", 9) == 0 ? code : name, "checked", 1));
	}
	return arr;
}

/*
 * Text inputs of the form as [{id, label, value, help, error, describedby,
 * textarea, type, inputmode, autocomplete, max}].
 */
static json_t *
text_inputs(struct ctx *c, json_t *f, json_t *errors, const char *const *names, size_t n)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < n; i++) {
		const char *id = names[i], *hk = arena_printf(c->a, "coordinator.form.help.%s", id);
		const char *help = i18n_get(c->lang, hk), *err = json_string_value(
		    json_object_get(errors, id));
		bool has_help = strcmp(help, hk) != 0, notes = strstr(id, "notes") != NULL;
		bool url = strcmp(id, "conference_url") == 0, tel = strcmp(id, "conference_phone") == 0;
		bool coord = strcmp(id, "latitude") == 0 || strcmp(id, "longitude") == 0;
		const char *db = has_help && err ? arena_printf(c->a, "%s-help %s-error", id, id) :
		    has_help ? arena_printf(c->a, "%s-help", id) : err ?
		    arena_printf(c->a, "%s-error", id) : NULL;
		json_t *o = json_pack("{s:s, s:s, s:s, s:b, s:s, s:i}", "id", id, "label",
		    ctx_trk(c, "coordinator.form.fields.%s", id), "value", fval(f, id), "textarea", notes,
		    "type", url ? "url" : tel ? "tel" : "text", "max", notes ? MEETING_TEXT_MAX :
		    url ? MEETING_URL_MAX : MEETING_FIELD_MAX);

		json_object_set_new(o, "help", has_help ? json_string(help) : json_null());
		json_object_set_new(o, "error", err ? json_string(err) : json_null());
		json_object_set_new(o, "describedby", db ? json_string(db) : json_null());
		json_object_set_new(o, "inputmode", coord ? json_string("decimal") : json_null());
		json_object_set_new(o, "autocomplete", strcmp(id, "postal_code") == 0 ?
		    json_string("postal-code") : json_null());
		json_array_append_new(arr, o);
	}
	return arr;
}

/* Everything the form template needs; consumes f and errors. */
static json_t *
form_page(struct ctx *c, json_t *f, json_t *errors, const struct meeting *m)
{
	static const char *const days[] = { "0", "1", "2", "3", "4", "5", "6" };
	static const char *const weeks[] = { "1", "2", "3", "4", "5", "last" };
	static const char *const kinds[] = { "weekly", "monthly", "once", "appointment" };
	static const char *const att[] = { "in_person", "online", "hybrid" };
	static const char *const access[] = { "wheelchair", "accessible_bathroom", "childcare",
	    "interpreter", "sign_language", "fragrance_free" };
	json_t *d = json_object(), *summary = json_array(), *v, *radios;
	const char *k;
	size_t i;

	json_object_foreach(errors, k, v)
		json_array_append_new(summary, json_pack("{s:s, s:O}", "id", k, "message", v));
	radios = json_array();
	for (i = 0; i < 4; i++)
		json_array_append_new(radios, json_pack("{s:s, s:s, s:s, s:b}", "value", kinds[i],
		    "id", arena_printf(c->a, "schedule-%s", kinds[i]),
		    "label", ctx_trk(c, "coordinator.form.kinds.%s", kinds[i]),
		    "checked", strcmp(fval(f, "schedule"), kinds[i]) == 0));
	json_object_set_new(d, "kinds", radios);
	radios = json_array();
	for (i = 0; i < 3; i++)
		json_array_append_new(radios, json_pack("{s:s, s:s, s:s, s:b}", "value", att[i],
		    "id", arena_printf(c->a, "attendance-%s", att[i]),
		    "label", ctx_trk(c, "meetings.attendance.%s", att[i]),
		    "checked", strcmp(fval(f, "attendance_option"), att[i]) == 0));
	json_object_set_new(d, "attendances", radios);
	json_object_set_new(d, "days", checks_of(c, f, "days", "meetings.days.%s", days, 7));
	json_object_set_new(d, "weeks", checks_of(c, f, "weeks", "meetings.weeks.%s", weeks, 6));
	json_object_set_new(d, "month_days", options_of(c, "meetings.days.%s", days, 7,
	    fval(f, "month_day")));
	json_object_set_new(d, "access", checks_of(c, f, "access", "meetings.access.%s", access, 6));
	json_object_set_new(d, "languages", language_checks(c, f));
	json_object_set_new(d, "types", type_checks(c, f));
	json_object_set_new(d, "circles", circle_options(c, fval(f, "circle_id")));
	json_object_set_new(d, "timezones", timezone_options(fval(f, "timezone")));
	{
		static const char *const place[] = { "location", "address", "city", "state",
		    "postal_code", "country", "region", "latitude", "longitude", "location_notes",
		    "transit_notes" };
		static const char *const online[] = { "conference_url", "conference_url_notes",
		    "conference_phone", "conference_phone_notes" };

		json_object_set_new(d, "place_fields", text_inputs(c, f, errors, place,
		    sizeof(place) / sizeof(place[0])));
		json_object_set_new(d, "online_fields", text_inputs(c, f, errors, online,
		    sizeof(online) / sizeof(online[0])));
	}
	json_object_set_new(d, "has_errors", json_boolean(json_array_size(summary) > 0));
	json_object_set_new(d, "summary", summary);
	json_object_set_new(d, "errors", errors);
	json_object_set_new(d, "f", f);
	if (m != NULL) {
		const char *slug = ctx_url_segment(c, m->slug);

		json_object_set_new(d, "editing", json_true());
		json_object_set_new(d, "title", json_string(m->name));
		json_object_set_new(d, "action", json_string(arena_printf(c->a,
		    "/coordinator/meetings/%s", slug)));
		json_object_set_new(d, "public_url", json_string(arena_printf(c->a, "/meetings/%s",
		    slug)));
	} else {
		json_object_set_new(d, "editing", json_false());
		json_object_set_new(d, "title", json_string(i18n_get(c->lang,
		    "coordinator.form.new_title")));
		json_object_set_new(d, "action", json_string("/coordinator/meetings"));
	}
	return d;
}

/* ---- a meeting's sessions ---- */

/* The coming sessions (cancelled ones too) and the exceptions in force. */
static void
add_sessions(struct ctx *c, json_t *d, const struct meeting *m, json_t *sf, json_t *serrors)
{
	const struct finder_snapshot *s = finder_acquire(c->db);
	struct meeting_exception_row *rows = NULL;
	struct occurrence o[SESSIONS_SHOWN];
	json_t *up = json_array(), *exs = json_array(), *dates = json_array(), *v;
	size_t i, n = 0, nrows = 0;
	long idx = s ? finder_find_slug(s, m->slug) : -1;
	const char *k, *sel = json_string_value(json_object_get(sf, "date"));

	if (idx >= 0 && s->items[idx].tz != NULL)
		n = schedule_next(&m->sched, s->items[idx].tz, s->items[idx].ex, s->items[idx].nex,
		    c->now, SESSIONS_SHOWN, SCHED_INCLUDE_CANCELLED, o);
	for (i = 0; i < n; i++) {
		int y = o[i].moved ? o[i].orig_y : o[i].y, mo = o[i].moved ? o[i].orig_m : o[i].m;
		int dd = o[i].moved ? o[i].orig_d : o[i].d;
		const char *iso = arena_printf(c->a, "%04d-%02d-%02d", y, mo, dd);
		char t[6];

		schedule_format_hhmm(o[i].start_min, t);
		json_array_append_new(up, json_pack("{s:s, s:s, s:b, s:b}", "date",
		    meetings_date_label(c, o[i].y, o[i].m, o[i].d), "time", t,
		    "cancelled", o[i].cancelled, "moved", o[i].moved));
		if (!o[i].cancelled && !o[i].moved)
			json_array_append_new(dates, json_pack("{s:s, s:s, s:b}", "value", iso,
			    "label", meetings_date_label(c, y, mo, dd),
			    "selected", sel != NULL && strcmp(sel, iso) == 0));
	}
	finder_release(s);
	if (meetings_load_exceptions(c->db, c->a, m->id, &rows, &nrows) == 0) {
		for (i = 0; i < nrows; i++) {
			const struct sched_exception *e = &rows[i].ex;
			json_t *x = json_pack("{s:s, s:s, s:b}", "iso", arena_printf(c->a,
			    "%04d-%02d-%02d", e->y, e->m, e->d), "date", meetings_date_label(c, e->y,
			    e->m, e->d), "cancelled", e->cancelled);

			if (!e->cancelled)
				json_object_set_new(x, "new_date", json_string(meetings_date_label(c,
				    e->new_y, e->new_m, e->new_d)));
			json_object_set_new(x, "note", rows[i].note ? json_string(rows[i].note) :
			    json_null());
			json_array_append_new(exs, x);
		}
	}
	json_object_set_new(d, "upcoming", up);
	json_object_set_new(d, "has_upcoming", json_boolean(n > 0));
	json_object_set_new(d, "session_dates", dates);
	json_object_set_new(d, "has_session_dates", json_boolean(json_array_size(dates) > 0));
	json_object_set_new(d, "exceptions", exs);
	json_object_set_new(d, "has_exceptions", json_boolean(nrows > 0));
	json_object_set_new(d, "sessions_action", json_string(arena_printf(c->a,
	    "/coordinator/meetings/%s/sessions", ctx_url_segment(c, m->slug))));
	json_object_set_new(d, "slug_path", json_string(ctx_url_segment(c, m->slug)));
	{
		json_t *summary = json_array();

		json_object_foreach(serrors, k, v)
			json_array_append_new(summary, json_pack("{s:s, s:O}", "id",
			    arena_printf(c->a, "session-%s", k), "message", v));
		json_object_set_new(d, "session_summary", summary);
		json_object_set_new(d, "session_has_errors", json_boolean(json_array_size(summary)));
	}
	json_object_set_new(d, "se", serrors);
	json_object_set_new(d, "sf", sf);
}

static void
render_edit(struct ctx *c, int status, const struct meeting *m, json_t *f, json_t *errors,
    json_t *sf, json_t *serrors)
{
	json_t *d = form_page(c, f, errors, m);
	const char *n = params_get(&c->query, "notice");

	add_sessions(c, d, m, sf ? sf : json_pack("{s:s, s:b}", "status", "cancelled",
	    "cancelled", 1), serrors ? serrors : json_object());
	if (n != NULL && (strcmp(n, "created") == 0 || strcmp(n, "saved") == 0 ||
	    strcmp(n, "session") == 0 || strcmp(n, "restored") == 0))
		json_object_set_new(d, "notice", json_string(ctx_trk(c, "coordinator.notices.%s", n)));
	respond_page(c, status, "meetings/edit", NULL, d);
}

/* ---- handlers ---- */

void
h_coord_meetings(struct ctx *c)
{
	const struct finder_snapshot *s = finder_acquire(c->db);
	const char *q = params_get(&c->query, "q");
	char want[FINDER_Q_MAX * 2 + 1] = "", hay[MEETING_NAME_MAX * 2 + 1];
	json_t *rows = json_array(), *d;
	size_t i, matched = 0;

	if (s == NULL) {
		json_decref(rows);
		respond_error(c, 503, "unavailable", "errors.503.message", NULL);
		return;
	}
	if (q != NULL && strlen(q) <= FINDER_Q_MAX)
		meeting_fold(q, want, sizeof(want));
	for (i = 0; i < s->n; i++) {
		const struct meeting *m = s->items[i].m;

		meeting_fold(m->name, hay, sizeof(hay));
		if (*want && strstr(hay, want) == NULL && strstr(m->slug, want) == NULL)
			continue;
		if (++matched > LIST_SHOWN)
			continue;
		json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:s, s:b}", "name", m->name,
		    "schedule", meetings_schedule_text(c, m), "edit_url", arena_printf(c->a,
		    "/coordinator/meetings/%s", ctx_url_segment(c, m->slug)), "public_url",
		    arena_printf(c->a, "/meetings/%s", ctx_url_segment(c, m->slug)), "closed",
		    m->temporarily_closed));
	}
	finder_release(s);
	d = json_pack("{s:o, s:b, s:s, s:b}", "rows", rows, "has_rows", matched > 0, "q",
	    q ? q : "", "more", matched > LIST_SHOWN);
	json_object_set_new(d, "count_text", json_string(ctx_tr(c, "coordinator.list.count",
	    json_pack("{s:i, s:i}", "shown", (json_int_t)(matched > LIST_SHOWN ? LIST_SHOWN :
	    matched), "count", (json_int_t)matched))));
	respond_page(c, 200, "meetings/coordinator", "coordinator.list.title", d);
}

void
h_coord_meeting_new(struct ctx *c)
{
	respond_page(c, 200, "meetings/edit", NULL, form_page(c, values_blank(), json_object(),
	    NULL));
}

/*
 * The checks stop at the first fault; a form should name them all.  So the
 * faulty field is taken out and the same checks run again, until they pass
 * or a field repeats (a required one, missing for good): every field named
 * is one the real checks refused.
 */
static void
more_errors(struct ctx *c, json_t *f, const struct meeting *old, const char *field,
    json_t *errors)
{
	static const struct { const char *field, *json; } stand_in[] = {
		{ "name", "\"x\"" }, { "time", "\"12:00\"" }, { "timezone", "\"Etc/UTC\"" },
		{ "day", "1" }, { "weeks", "[1]" }, { "date", "\"2000-01-01\"" },
		{ "schedule", "\"weekly\"" },
	};
	json_t *obj = values_to_object(f);
	struct meeting m;
	const char *reason, *id;
	size_t k;
	int tries;

	for (tries = 0; tries < 12 && field != NULL; tries++) {
		json_t *probe;
		int rc;

		json_object_set_new(obj, field, json_null());
		if (strcmp(field, "latitude") == 0 || strcmp(field, "longitude") == 0) {
			json_object_set_new(obj, "latitude", json_null());
			json_object_set_new(obj, "longitude", json_null());
		}
		/* A required field gets a stand-in, so the fields after it are checked. */
		for (k = 0; k < sizeof(stand_in) / sizeof(stand_in[0]); k++)
			if (strcmp(field, stand_in[k].field) == 0)
				json_object_set_new(obj, field, json_loads(stand_in[k].json,
				    JSON_DECODE_ANY, NULL));
		probe = old ? meetings_merge(old, obj, c->now) : json_incref(obj);
		rc = meetings_check_object(c, probe, old ? old->id : 0, &m, &reason, &field);
		json_decref(probe);
		if (rc != 1)
			break;
		id = form_field(f, field);
		if (json_object_get(errors, id) != NULL)
			break;
		json_object_set_new(errors, id, json_string(field_message(c, id, reason)));
	}
	json_decref(obj);
}

/* Store the posted form as a new meeting (old NULL) or over old. */
static void
save_form(struct ctx *c, const struct meeting *old)
{
	json_t *f = values_from_post(c), *obj = values_to_object(f), *errors;
	struct meeting m;
	const char *reason = NULL, *field = NULL, *id;
	int rc;

	if (old != NULL) {
		json_t *merged = meetings_merge(old, obj, c->now);

		/* Recomputed from what the form says, not kept from a feed. */
		json_object_del(merged, "approximate");
		json_object_del(merged, "formatted_address");
		json_decref(obj);
		obj = merged;
	}
	rc = meetings_store_object(c, obj, old ? old->id : 0, &m, &reason, &field);
	json_decref(obj);
	if (rc == 0) {
		json_decref(f);
		respond_redirect(c, arena_printf(c->a, "/coordinator/meetings/%s?notice=%s",
		    ctx_url_segment(c, m.slug), old ? "saved" : "created"));
		return;
	}
	if (rc < 0) {
		json_decref(f);
		log_warnx("meetings: form save: %s", db_errmsg(c->db));
		respond_error(c, 503, "unavailable", "errors.503.message", NULL);
		return;
	}
	id = form_field(f, field);
	errors = json_pack("{s:s}", id, field_message(c, id, rc == 2 ? "slug_taken" : reason));
	if (rc == 1)
		more_errors(c, f, old, field, errors);
	if (old != NULL)
		render_edit(c, 422, old, f, errors, NULL, NULL);
	else
		respond_page(c, 422, "meetings/edit", NULL, form_page(c, f, errors, NULL));
}

void
h_coord_meeting_create(struct ctx *c)
{
	save_form(c, NULL);
}

static struct meeting *
load_or_404(struct ctx *c)
{
	struct meeting *m = meetings_get(c->db, c->a, c->param[0]);

	if (m == NULL)
		respond_error(c, 404, "not_found", "errors.404.message", NULL);
	return m;
}

void
h_coord_meeting_page(struct ctx *c)
{
	struct meeting *m = load_or_404(c);

	if (m != NULL)
		render_edit(c, 200, m, values_from_meeting(c, m), json_object(), NULL, NULL);
}

void
h_coord_meeting_update(struct ctx *c)
{
	struct meeting *m = load_or_404(c);

	if (m != NULL)
		save_form(c, m);
}

void
h_coord_meeting_session(struct ctx *c)
{
	struct meeting *m = load_or_404(c);
	struct sched_exception ex;
	const char *note, *field, *key;
	static const char *const kept[] = { "date", "status", "new_date", "new_time",
	    "new_end_time", "note" };
	json_t *sf;
	size_t i;

	if (m == NULL)
		return;
	if (!meetings_read_exception(c, m, &ex, &note, &field, &key)) {
		sf = json_object();
		for (i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
			set_s(sf, kept[i], params_get(&c->form, kept[i]));
		json_object_set_new(sf, "cancelled", json_boolean(strcmp(fval(sf, "status"),
		    "moved") != 0));
		{
			/* The page's own wording when it has one, else the API's. */
			const char *own = arena_printf(c->a, "coordinator.errors.session_%s", field);
			const char *msg = i18n_get(c->lang, own);

			if (strcmp(msg, own) == 0)
				msg = i18n_get(c->lang, key);
			render_edit(c, 422, m, values_from_meeting(c, m), json_object(), sf,
			    json_pack("{s:s}", field, msg));
		}
		return;
	}
	if (meetings_set_exception(c->db, m->id, &ex, note, c->now) == -1) {
		respond_error(c, 503, "unavailable", "errors.503.message", NULL);
		return;
	}
	respond_redirect(c, arena_printf(c->a, "/coordinator/meetings/%s?notice=session#sessions",
	    ctx_url_segment(c, m->slug)));
}

void
h_coord_meeting_session_restore(struct ctx *c)
{
	struct meeting *m = load_or_404(c);
	int y, mo, d, n;

	if (m == NULL)
		return;
	if (!schedule_parse_date(c->param[1], &y, &mo, &d)) {
		respond_error(c, 404, "not_found", "errors.404.message", NULL);
		return;
	}
	if ((n = meetings_clear_exception(c->db, m->id, y, mo, d, c->now)) < 0) {
		respond_error(c, 503, "unavailable", "errors.503.message", NULL);
		return;
	}
	if (n == 0) {
		respond_error(c, 404, "not_found", "errors.404.message", NULL);
		return;
	}
	respond_redirect(c, arena_printf(c->a, "/coordinator/meetings/%s?notice=restored#sessions",
	    ctx_url_segment(c, m->slug)));
}
