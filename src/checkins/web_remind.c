/*
 * web_remind.c: the member's time zone and check-in reminders, over the
 * API and in the browser.
 *
 * One parser (parse_settings) reads the JSON body or the form into the
 * settings, so the API and the page refuse the same things: an unknown
 * zone, more than four times, a half-given quiet period, reminders by
 * text without a linked number or by email without an address.
 */
#include "app/handlers.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "checkins/remind.h"
#include "checkins/sms.h"
#include "checkins/web_util.h"
#include "view/view.h"

/* Zones offered in the form; the API takes any IANA name. */
static const char *const zones[] = {
	"America/New_York", "America/Chicago", "America/Denver", "America/Phoenix",
	"America/Los_Angeles", "America/Anchorage", "Pacific/Honolulu", "America/Puerto_Rico",
	"America/Mexico_City", "America/Bogota", "Europe/London", "Europe/Madrid", "UTC", NULL,
};

struct readiness {
	bool	 phone;		/* a verified number */
	bool	 email;		/* an address on the account */
};

static int
readiness(struct ctx *c, struct readiness *r)
{
	struct sms_phone p;

	if (sms_phone_get(c->db, c->user->id, c->now, &p) == -1)
		return -1;
	r->phone = p.verified;
	r->email = c->user->email != NULL;
	return 0;
}

static bool
set_zone(struct checkin_settings *s, const char *name)
{
	const char *canon;

	if (name == NULL || (canon = tz_canonical(name)) == NULL || tz_get(canon) == NULL)
		return false;
	snprintf(s->time_zone, sizeof(s->time_zone), "%s", canon);
	return true;
}

/* A quiet-hours bound: "" or null clears, else "HH:MM". 1 set, 0 cleared, -1 bad, 2 absent. */
static int
quiet_bound(struct ctx *c, const char *name, int *out)
{
	const char *s;

	*out = -1;
	if (c->json != NULL) {
		json_t *v = json_object_get(c->json, name);

		if (v == NULL)
			return 2;
		if (json_is_null(v))
			return 0;
		if (!json_is_string(v))
			return -1;
		s = json_string_value(v);
	} else {
		s = params_get(&c->form, name);
		if (s == NULL || *s == '\0')
			return 0;
	}
	if (*s == '\0')
		return 0;
	return reminders_parse_time(s, out) ? 1 : -1;
}

/* Read the changes into s.  NULL, or the invalid field's name (*msg its message key). */
static const char *
parse_settings(struct ctx *c, struct checkin_settings *s, const struct readiness *rd,
    const char **msg)
{
	int qs, qe, rs, re, i;

	*msg = NULL;
	if (c->json != NULL) {
		static const char *const known[] = {
			"time_zone", "times", "by_sms", "by_email", "quiet_start", "quiet_end", NULL,
		};
		const char *key;
		json_t *v, *times;
		size_t k;

		json_object_foreach(c->json, key, v) {
			for (k = 0; known[k] != NULL && strcmp(known[k], key) != 0; k++)
				;
			if (known[k] == NULL) {
				*msg = "checkins.errors.unknown_field";
				return arena_strdup(c->a, key);
			}
		}
		if ((v = json_object_get(c->json, "time_zone")) != NULL &&
		    !set_zone(s, json_string_value(v)))
			return "time_zone";
		if ((times = json_object_get(c->json, "times")) != NULL) {
			if (!json_is_array(times) || json_array_size(times) > REMINDER_TIMES_MAX)
				return "times";
			s->plan.ntimes = 0;
			json_array_foreach(times, k, v) {
				int m;

				if (!reminders_parse_time(json_string_value(v), &m))
					return "times";
				reminders_add_time(&s->plan, m);
			}
		}
		if ((v = json_object_get(c->json, "by_sms")) != NULL) {
			if (!json_is_boolean(v))
				return "by_sms";
			s->by_sms = json_is_true(v);
		}
		if ((v = json_object_get(c->json, "by_email")) != NULL) {
			if (!json_is_boolean(v))
				return "by_email";
			s->by_email = json_is_true(v);
		}
	} else {
		const char *v;

		if (!set_zone(s, params_get(&c->form, "time_zone")))
			return "time_zone";
		s->plan.ntimes = 0;
		for (i = 1; i <= REMINDER_TIMES_MAX; i++) {
			int m;

			v = params_get(&c->form, arena_printf(c->a, "time%d", i));
			if (v == NULL || *v == '\0')
				continue;
			if (!reminders_parse_time(v, &m))
				return arena_printf(c->a, "time%d", i);
			reminders_add_time(&s->plan, m);
		}
		v = params_get(&c->form, "by_sms");
		s->by_sms = v != NULL && strcmp(v, "1") == 0;
		v = params_get(&c->form, "by_email");
		s->by_email = v != NULL && strcmp(v, "1") == 0;
	}
	rs = quiet_bound(c, "quiet_start", &qs);
	re = quiet_bound(c, "quiet_end", &qe);
	if (rs < 0)
		return "quiet_start";
	if (re < 0)
		return "quiet_end";
	if (rs != 2 || re != 2) {
		if ((rs == 1) != (re == 1)) {
			*msg = "checkins.errors.quiet_both";
			return rs == 1 ? "quiet_end" : "quiet_start";
		}
		s->plan.quiet_start = rs == 1 ? qs : -1;
		s->plan.quiet_end = re == 1 ? qe : -1;
	}
	if (s->by_sms && !rd->phone)
		return "by_sms";
	if (s->by_email && !rd->email)
		return "by_email";
	return NULL;
}

static const char *
error_key(struct ctx *c, const char *field, const char *msg)
{
	if (msg != NULL)
		return msg;
	if (strncmp(field, "time", 4) == 0 && field[4] >= '1' && field[4] <= '9')
		return "checkins.errors.times";
	return arena_printf(c->a, "checkins.errors.%s", field);
}

static json_t *
settings_json(struct ctx *c, const struct checkin_settings *s, const struct readiness *rd)
{
	json_t *times = json_array();
	int64_t next = settings_next_reminder(s, c->now);
	char t[6];
	int i;

	for (i = 0; i < s->plan.ntimes; i++) {
		reminders_format_time(s->plan.times[i], t);
		json_array_append_new(times, json_string(t));
	}
	json_t *o = json_pack("{s:s, s:o, s:b, s:b, s:b, s:b}", "time_zone", s->time_zone,
	    "times", times, "by_sms", s->by_sms, "by_email", s->by_email,
	    "phone_linked", rd->phone, "has_email", rd->email);
	if (s->plan.quiet_start >= 0) {
		reminders_format_time(s->plan.quiet_start, t);
		json_object_set_new(o, "quiet_start", json_string(t));
		reminders_format_time(s->plan.quiet_end, t);
		json_object_set_new(o, "quiet_end", json_string(t));
	} else {
		json_object_set_new(o, "quiet_start", json_null());
		json_object_set_new(o, "quiet_end", json_null());
	}
	json_object_set_new(o, "next_reminder", next > 0 ? json_integer(next) : json_null());
	return o;
}

/* ---- API ---- */

void
h_api_reminders(struct ctx *c)
{
	struct checkin_settings s;
	struct readiness rd;

	if (settings_load(c->db, c->user->id, &s) == -1 || readiness(c, &rd) == -1) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	respond_json(c, 200, settings_json(c, &s, &rd));
}

void
h_api_reminders_update(struct ctx *c)
{
	struct checkin_settings s;
	struct readiness rd;
	const char *field, *msg;

	if (c->json == NULL) {
		respond_error(c, 400, "malformed_json", "errors.400.message", NULL);
		return;
	}
	if (settings_load(c->db, c->user->id, &s) == -1 || readiness(c, &rd) == -1) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	if ((field = parse_settings(c, &s, &rd, &msg)) != NULL) {
		respond_error(c, 422, "invalid_field", error_key(c, field, msg), field);
		return;
	}
	if (settings_save(c->db, c->user->id, &s, c->now) == -1) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	respond_json(c, 200, settings_json(c, &s, &rd));
}

/* ---- the page ---- */

static void
render_reminders(struct ctx *c, int status, const struct checkin_settings *s,
    const struct readiness *rd, json_t *errors, const char *notice_key)
{
	json_t *data = settings_json(c, s, rd), *slots = json_array(), *zl = json_array();
	int64_t next = settings_next_reminder(s, c->now);
	bool listed = false;
	int i;

	for (i = 0; i < REMINDER_TIMES_MAX; i++) {
		char t[6] = "";

		if (i < s->plan.ntimes)
			reminders_format_time(s->plan.times[i], t);
		json_array_append_new(slots, json_pack("{s:i, s:s}", "n", i + 1, "value", t));
	}
	const char *mine = tz_canonical(s->time_zone);

	for (i = 0; zones[i] != NULL; i++) {
		const char *canon = tz_canonical(zones[i]);
		bool sel = canon != NULL && mine != NULL && strcmp(canon, mine) == 0;

		listed |= sel;
		json_array_append_new(zl, json_pack("{s:s, s:s, s:b}", "value", zones[i],
		    "label", i18n_get(c->lang, arena_printf(c->a, "checkins.reminders.zones.%s",
		    zones[i])), "selected", sel));
	}
	if (!listed)
		json_array_insert_new(zl, 0, json_pack("{s:s, s:s, s:b}", "value", s->time_zone,
		    "label", s->time_zone, "selected", 1));
	json_object_set_new(data, "slots", slots);
	json_object_set_new(data, "zones", zl);
	if (next > 0)
		json_object_set_new(data, "next_text", json_string(ctx_tr(c,
		    "checkins.reminders.next", json_pack("{s:s}", "when", ck_datetime(c, next)))));
	if (errors != NULL) {
		json_object_set_new(data, "error", json_string(i18n_get(c->lang,
		    "checkins.errors.summary")));
		json_object_set_new(data, "errors", errors);
	}
	if (notice_key != NULL)
		json_object_set_new(data, "notice", json_string(i18n_get(c->lang, notice_key)));
	c->path = "/reminders";
	respond_page(c, status, "checkins/reminders", "checkins.reminders.title", data);
}

void
h_reminders(struct ctx *c)
{
	struct checkin_settings s;
	struct readiness rd;
	const char *saved = params_get(&c->query, "saved");

	if (settings_load(c->db, c->user->id, &s) == -1 || readiness(c, &rd) == -1) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	render_reminders(c, 200, &s, &rd, NULL, saved && strcmp(saved, "1") == 0 ?
	    "checkins.reminders.saved" : NULL);
}

void
h_reminders_submit(struct ctx *c)
{
	struct checkin_settings s, typed;
	struct readiness rd;
	const char *field, *msg;

	if (settings_load(c->db, c->user->id, &s) == -1 || readiness(c, &rd) == -1) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	typed = s;
	if ((field = parse_settings(c, &typed, &rd, &msg)) != NULL) {
		render_reminders(c, 422, &s, &rd, ck_field_error(c, field, error_key(c, field, msg)),
		    NULL);
		return;
	}
	if (settings_save(c->db, c->user->id, &typed, c->now) == -1) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	respond_redirect(c, "/reminders?saved=1");
}
