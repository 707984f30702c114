/*
 * meetingguide.c: Meeting Guide JSON and 12 Step Meeting List CSV, in and
 * out (see meetingguide.h).
 *
 * Reading follows what the 12 Step Meeting List plugin does with the same
 * data, because feeds are written for it:
 *
 *   - TC (location temporarily closed) with an online link means the
 *     meeting is online; TC alone means it is inactive.  ONL means there is
 *     an online way in.  Neither code is kept as a type: the attendance
 *     and the closed flag say it.
 *   - A link or phone to join, with an approximate or missing address, is
 *     an online meeting; with a street address it is hybrid.  An address
 *     such as "zoom" or "online" is approximate whatever the feed says.
 *   - A meeting without a time is "by appointment".
 *
 * Rejected, one meeting at a time: no name, no slug, a slug already used
 * earlier in the same feed (the first keeps it), a day outside 0-6, a time
 * that is not a time, an unknown time zone, text over its limit.
 *
 * Writing: one object per meeting in the feed's shape, keys in a fixed
 * order, empty optional fields left out, "updated" in UTC.
 */
#include "formats/meetingguide.h"

#include <ctype.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/mem.h"
#include "base/utf8.h"
#include "formats/text.h"
#include "meetings/tz.h"

#define PHONE_MAX	64

static const struct {
	const char	*token;
	const char	*text;
} reasons[] = {
	{ "not_an_object", "the entry is not a JSON object" },
	{ "name_missing", "no name" },
	{ "slug_missing", "no slug" },
	{ "slug_invalid", "the slug has characters a web address cannot hold (/ ? # % \\ or control characters)" },
	{ "slug_duplicate", "the slug repeats one used earlier in this feed (the first meeting keeps it)" },
	{ "day_out_of_range", "the day is outside 0 (Sunday) to 6 (Saturday)" },
	{ "day_invalid", "the day is not a day" },
	{ "time_invalid", "the time is not a time (use HH:MM)" },
	{ "timezone_unknown", "the time zone is not a known IANA zone" },
	{ "timezone_missing", "no time zone, and none to assume (give a default time zone)" },
	{ "field_too_long", "a field is over its length limit" },
	{ "field_invalid", "a field has a value that cannot be read" },
	{ "schedule_invalid", "the schedule is incomplete (monthly needs weeks and one day; once needs a date)" },
	{ "not_json", "the feed is not valid JSON" },
	{ "not_an_array", "the feed is not an array of meetings" },
	{ "not_csv", "the CSV has no header row with a Name column" },
	{ "not_utf8", "the file is not UTF-8 text" },
	{ "too_large", "the feed is too large" },
	{ "too_many", "the feed holds too many meetings" },
	{ "empty", "the feed is empty" },
};

const char *
mg_reason_text(const char *token)
{
	size_t i;

	for (i = 0; token && i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (strcmp(reasons[i].token, token) == 0)
			return reasons[i].text;
	return token ? token : "";
}

/* ---- small readers ---- */

/* A string, or a number written as one; NULL for null, false, objects... */
static char *
getstr(struct arena *a, json_t *v)
{
	if (json_is_string(v))
		return meeting_text(a, json_string_value(v));
	if (json_is_integer(v))
		return arena_printf(a, "%lld", (long long)json_integer_value(v));
	if (json_is_real(v)) {
		double d = json_real_value(v);
		if (isfinite(d) && d == floor(d) && fabs(d) < 1e15)
			return arena_printf(a, "%.0f", d);
		return isfinite(d) ? arena_printf(a, "%.10g", d) : NULL;
	}
	return NULL;
}

/* Plain text of a field that may hold HTML; *html counts cleaned fields. */
static char *
gettext(struct arena *a, json_t *v, size_t *html)
{
	char *s = getstr(a, v);
	struct buf b = BUF_INIT;
	char *r;

	if (s == NULL)
		return NULL;
	if (strchr(s, '<') == NULL && strchr(s, '&') == NULL && strchr(s, '\r') == NULL)
		return s;
	if (html_to_text(s, strlen(s), &b) > 0 && html)
		(*html)++;
	r = b.len ? arena_strndup(a, b.data, b.len) : NULL;
	buf_free(&b);
	return r;
}

static bool
too_long(const char *s, size_t max)
{
	return s != NULL && strlen(s) > max;
}

int
mg_parse_time(const char *s)
{
	char t[16];
	size_t n, i, j = 0;
	int h = 0, m = 0, digits = 0;
	bool pm = false, am = false;

	if (s == NULL)
		return -1;
	n = strlen(s);
	if (n == 0 || n >= sizeof(t))
		return -1;
	for (i = 0; i < n; i++)
		if (!isspace((unsigned char)s[i]) && s[i] != '.')
			t[j++] = (char)tolower((unsigned char)s[i]);
	t[j] = '\0';
	if (strcmp(t, "noon") == 0)
		return 720;
	if (strcmp(t, "midnight") == 0)
		return 0;
	if (j >= 2 && strcmp(t + j - 2, "pm") == 0) {
		pm = true;
		t[j -= 2] = '\0';
	} else if (j >= 2 && strcmp(t + j - 2, "am") == 0) {
		am = true;
		t[j -= 2] = '\0';
	}
	if (!am && !pm)
		return schedule_parse_hhmm(t);
	i = 0;
	while (isdigit((unsigned char)t[i]) && digits < 2) {
		h = h * 10 + (t[i++] - '0');
		digits++;
	}
	if (digits == 0)
		return -1;
	if (t[i] == ':') {
		if (!isdigit((unsigned char)t[i + 1]) || !isdigit((unsigned char)t[i + 2]))
			return -1;
		m = (t[i + 1] - '0') * 10 + (t[i + 2] - '0');
		i += 3;
	}
	if (t[i] != '\0' || h < 1 || h > 12 || m > 59)
		return -1;
	if (h == 12)
		h = 0;
	return (pm ? h + 12 : h) * 60 + m;
}

int
mg_parse_day(const char *s)
{
	static const char *const names[7][6] = {
		{ "sunday", "sun", "domingo", "dom", NULL, NULL },
		{ "monday", "mon", "lunes", "lun", NULL, NULL },
		{ "tuesday", "tue", "tues", "martes", "mar", NULL },
		{ "wednesday", "wed", "miercoles", "miércoles", "mie", "mié" },
		{ "thursday", "thu", "thur", "thurs", "jueves", "jue" },
		{ "friday", "fri", "viernes", "vie", NULL, NULL },
		{ "saturday", "sat", "sabado", "sábado", "sab", "sáb" },
	};
	size_t i, k, n;
	uint64_t v = 0;

	if (s == NULL || (n = strlen(s)) == 0)
		return -1;
	for (i = 0; i < n && isdigit((unsigned char)s[i]); i++)
		if ((v = v * 10 + (uint64_t)(s[i] - '0')) > 1000)
			break;
	if (i == n)
		return v <= 6 ? (int)v : -2;
	if (s[0] == '-' && n > 1) {
		for (i = 1; i < n && isdigit((unsigned char)s[i]); i++)
			;
		if (i == n)
			return -2;
	}
	for (i = 0; i < 7; i++)
		for (k = 0; k < 6 && names[i][k]; k++)
			if (strcasecmp(s, names[i][k]) == 0)
				return (int)i;
	return -1;
}

/* One day value: 0-6, -1 malformed, -2 out of range. */
static int
day_value(json_t *v)
{
	if (json_is_integer(v)) {
		json_int_t d = json_integer_value(v);
		return d >= 0 && d <= 6 ? (int)d : -2;
	}
	if (json_is_real(v)) {
		double d = json_real_value(v);
		if (!isfinite(d) || d != floor(d))
			return -1;
		return d >= 0 && d <= 6 ? (int)d : -2;
	}
	if (json_is_string(v)) {
		char t[32];
		struct str s = str_trim(str_c(json_string_value(v)));
		if (s.len == 0 || s.len >= sizeof(t))
			return s.len == 0 ? -3 : -1;
		memcpy(t, s.p, s.len);
		t[s.len] = '\0';
		return mg_parse_day(t);
	}
	return -1;
}

static bool
parse_bool(json_t *v, bool *out)
{
	if (json_is_boolean(v)) {
		*out = json_is_true(v);
		return true;
	}
	if (json_is_integer(v)) {
		*out = json_integer_value(v) != 0;
		return true;
	}
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		if (!strcasecmp(s, "yes") || !strcasecmp(s, "true") || !strcmp(s, "1") ||
		    !strcasecmp(s, "y")) {
			*out = true;
			return true;
		}
		if (!strcasecmp(s, "no") || !strcasecmp(s, "false") || !strcmp(s, "0") ||
		    !strcasecmp(s, "n")) {
			*out = false;
			return true;
		}
	}
	return false;
}

static bool
parse_coord(struct arena *a, json_t *v, double lim, double *out)
{
	char *s, *end;
	double d;

	if (json_is_number(v)) {
		d = json_number_value(v);
	} else if ((s = getstr(a, v)) != NULL) {
		d = strtod(s, &end);
		if (end == s || *end != '\0')
			return false;
	} else {
		return false;
	}
	if (!isfinite(d) || d < -lim || d > lim)
		return false;
	*out = d;
	return true;
}

static bool
slug_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (strlen(s) > MEETING_SLUG_MAX)
		return false;
	for (; *p; p++)
		if (*p < 0x20 || *p == 0x7f || *p == '/' || *p == '?' || *p == '#' || *p == '%' ||
		    *p == '\\')
			return false;
	return true;
}

/* An address that only says the meeting is online. */
static bool
pseudo_address(const char *s)
{
	static const char *const words[] = {
		"zoom", "online", "online only", "online-only", "virtual", "remote", "internet",
		"web", "n/a", "na", "none", "tbd", "tba", "google meet", "teams", "skype",
		"phone", "telephone", "conference call", "en línea", "en linea", "virtual meeting",
		"online meeting", NULL
	};
	size_t i;

	if (s == NULL)
		return true;
	for (i = 0; words[i]; i++)
		if (strcasecmp(s, words[i]) == 0)
			return true;
	return false;
}

/* Keep the characters a phone link can hold; NULL if nothing dialable. */
static char *
clean_phone(struct arena *a, const char *s)
{
	char out[PHONE_MAX + 1];
	size_t n = 0, digits = 0;

	if (s == NULL)
		return NULL;
	for (; *s && n < PHONE_MAX; s++) {
		if (isdigit((unsigned char)*s)) {
			out[n++] = *s;
			digits++;
		} else if (strchr("+,*#-() .", *s) != NULL) {
			out[n++] = *s;
		} else {
			return NULL;
		}
	}
	out[n] = '\0';
	return digits >= 3 && *s == '\0' ? meeting_text(a, out) : NULL;
}

static char *
clean_url(struct arena *a, const char *s)
{
	if (s == NULL || strlen(s) > MEETING_URL_MAX)
		return NULL;
	if (text_is_http_url(s))
		return arena_strdup(a, s);
	/* "zoom.us/j/123" without a scheme */
	if (strchr(s, ' ') == NULL && strchr(s, '.') != NULL && strstr(s, "://") == NULL) {
		char *u = arena_printf(a, "https://%s", s);
		if (text_is_http_url(u))
			return u;
	}
	return NULL;
}

static unsigned
parse_weeks(struct arena *a, json_t *v)
{
	unsigned w = 0;
	size_t i;
	json_t *e;

	if (json_is_array(v)) {
		json_array_foreach(v, i, e) {
			if (json_is_integer(e)) {
				json_int_t n = json_integer_value(e);
				if (n >= 1 && n <= 5)
					w |= 1u << (n - 1);
				else if (n == -1)
					w |= SCHED_WEEK_LAST;
				else
					return 0;
			} else if (json_is_string(e) && !strcasecmp(json_string_value(e), "last")) {
				w |= SCHED_WEEK_LAST;
			} else {
				return 0;
			}
		}
		return w;
	}
	if (json_is_string(v)) {
		char **parts;
		size_t n = meeting_split(a, json_string_value(v), &parts);
		for (i = 0; i < n; i++) {
			if (!strcasecmp(parts[i], "last") || !strcmp(parts[i], "-1"))
				w |= SCHED_WEEK_LAST;
			else if (strlen(parts[i]) == 1 && parts[i][0] >= '1' && parts[i][0] <= '5')
				w |= 1u << (parts[i][0] - '1');
			else
				return 0;
		}
	}
	return w;
}

#define FAIL(r, f)	do { *reason = (r); *field = (f); return false; } while (0)

/* Text fields: name, max, where in struct meeting. */
struct text_field {
	const char	*key;
	size_t		 max;
	bool		 html;
	size_t		 off;
};

#define TF(k, mx, h, member)	{ k, mx, h, offsetof(struct meeting, member) }

static const struct text_field text_fields[] = {
	TF("location", MEETING_FIELD_MAX, true, location),
	TF("address", MEETING_FIELD_MAX, false, address),
	TF("city", MEETING_FIELD_MAX, false, city),
	TF("state", MEETING_FIELD_MAX, false, state),
	TF("postal_code", 32, false, postal_code),
	TF("country", MEETING_FIELD_MAX, false, country),
	TF("formatted_address", 2 * MEETING_FIELD_MAX, false, formatted_address),
	TF("region", MEETING_FIELD_MAX, true, region),
	TF("sub_region", MEETING_FIELD_MAX, true, sub_region),
	TF("location_notes", MEETING_TEXT_MAX, true, location_notes),
	TF("transit_notes", MEETING_TEXT_MAX, true, transit_notes),
	TF("conference_url_notes", MEETING_TEXT_MAX, true, conference_url_notes),
	TF("conference_phone_notes", MEETING_TEXT_MAX, true, conference_phone_notes),
	TF("notes", MEETING_TEXT_MAX, true, notes),
	TF("group", MEETING_FIELD_MAX, true, group),
};

bool
mg_parse_meeting(struct arena *a, json_t *obj, const struct mg_options *opt, bool make_slug,
    struct meeting *m, const char **reason, const char **field, size_t *html,
    bool *link_from_notes)
{
	json_t *v, *e;
	const char *s, *tzname, *kind_s;
	size_t i, html_before = html ? *html : 0, h = 0;
	bool tc = false, onl = false, b, has_address;
	int day;
	char *str;
	double lat, lon;
	enum sched_kind kind;

	memset(m, 0, sizeof(*m));
	m->sched.start_min = m->sched.end_min = -1;
	*reason = NULL;
	*field = NULL;
	if (link_from_notes)
		*link_from_notes = false;
	if (!json_is_object(obj))
		FAIL("not_an_object", NULL);

	m->name = gettext(a, json_object_get(obj, "name"), &h);
	if (m->name == NULL)
		FAIL("name_missing", "name");
	if (too_long(m->name, MEETING_NAME_MAX))
		FAIL("field_too_long", "name");

	m->slug = getstr(a, json_object_get(obj, "slug"));
	if (m->slug == NULL)
		m->slug = getstr(a, json_object_get(obj, "id"));
	if (m->slug == NULL) {
		if (!make_slug)
			FAIL("slug_missing", "slug");
		m->slug = meeting_slugify(a, m->name);
	}
	if (!slug_ok(m->slug))
		FAIL(strlen(m->slug) > MEETING_SLUG_MAX ? "field_too_long" : "slug_invalid", "slug");

	/* Day: an integer, a string, a name, or an array of them. */
	v = json_object_get(obj, "day");
	if (json_is_array(v)) {
		json_array_foreach(v, i, e) {
			day = day_value(e);
			if (day == -2)
				FAIL("day_out_of_range", "day");
			if (day == -1)
				FAIL("day_invalid", "day");
			if (day >= 0)
				m->sched.days |= 1u << day;
		}
	} else if (v != NULL && !json_is_null(v)) {
		day = day_value(v);
		if (day == -2)
			FAIL("day_out_of_range", "day");
		if (day == -1)
			FAIL("day_invalid", "day");
		if (day >= 0)
			m->sched.days = 1u << day;
	}

	str = getstr(a, json_object_get(obj, "time"));
	if (str != NULL && (m->sched.start_min = mg_parse_time(str)) < 0)
		FAIL("time_invalid", "time");
	str = getstr(a, json_object_get(obj, "end_time"));
	if (str != NULL && m->sched.start_min >= 0)
		m->sched.end_min = mg_parse_time(str);	/* a bad end time is dropped */

	/* Circles' own schedules: monthly by rule, or a single date. */
	kind_s = json_string_value(json_object_get(obj, "schedule"));
	kind = kind_s ? meeting_kind_from(kind_s) : 0;
	if (kind_s != NULL && kind == 0)
		FAIL("schedule_invalid", "schedule");
	if (kind == SCHED_MONTHLY) {
		m->sched.weeks = parse_weeks(a, json_object_get(obj, "weeks"));
		if (m->sched.weeks == 0)
			FAIL("schedule_invalid", "weeks");
	} else if (kind == SCHED_ONCE) {
		s = json_string_value(json_object_get(obj, "date"));
		if (!schedule_parse_date(s, &m->sched.once_y, &m->sched.once_m, &m->sched.once_d))
			FAIL("schedule_invalid", "date");
		m->sched.days = 0;
	}
	if (m->sched.start_min < 0 || kind == SCHED_APPOINTMENT) {
		m->sched.kind = SCHED_APPOINTMENT;
		m->sched.start_min = m->sched.end_min = -1;
		m->sched.weeks = 0;
	} else if (kind == SCHED_MONTHLY || kind == SCHED_ONCE) {
		m->sched.kind = kind;
	} else {
		m->sched.kind = m->sched.days ? SCHED_WEEKLY : SCHED_APPOINTMENT;
		if (m->sched.kind == SCHED_APPOINTMENT)
			m->sched.start_min = m->sched.end_min = -1;
	}
	if (schedule_check(&m->sched) != NULL)
		FAIL("schedule_invalid", schedule_check(&m->sched));

	str = getstr(a, json_object_get(obj, "timezone"));
	if (str != NULL) {
		if ((tzname = tz_canonical(str)) == NULL || tz_get(tzname) == NULL)
			FAIL("timezone_unknown", "timezone");
	} else {
		tzname = opt && opt->default_timezone ? tz_canonical(opt->default_timezone) : NULL;
		if (tzname == NULL)
			FAIL("timezone_missing", "timezone");
	}
	m->timezone = arena_strdup(a, tzname);

	/* Types: an array, or a comma-separated string. */
	v = json_object_get(obj, "types");
	{
		char **parts = NULL;
		size_t n = 0;

		if (json_is_array(v)) {
			parts = arena_alloc(a, (json_array_size(v) + 1) * sizeof(char *));
			json_array_foreach(v, i, e)
				if ((str = getstr(a, e)) != NULL)
					parts[n++] = str;
		} else if ((str = getstr(a, v)) != NULL) {
			n = meeting_split(a, str, &parts);
		}
		for (i = 0; i < n; i++) {
			if (!meeting_type_code_ok(parts[i]))
				continue;	/* not a code at all: nothing to keep */
			if (strcmp(parts[i], "TC") == 0)
				tc = true;
			else if (strcmp(parts[i], "ONL") == 0)
				onl = true;
			else
				meeting_add_type(a, m, parts[i]);
		}
		if (m->ntypes > MEETING_MAX_TYPES)
			FAIL("field_too_long", "types");
	}
	v = json_object_get(obj, "languages");
	json_array_foreach(v, i, e) {
		s = json_string_value(e);
		if (!meeting_lang_ok(s))
			FAIL("field_invalid", "languages");
		meeting_add_language(a, m, s);
	}
	if (m->nlanguages > MEETING_MAX_LANGUAGES)
		FAIL("field_too_long", "languages");
	v = json_object_get(obj, "accessibility");
	json_array_foreach(v, i, e) {
		unsigned bit;
		s = json_string_value(e);
		for (bit = 1; bit < (1u << ACCESS_COUNT); bit <<= 1)
			if (s && strcmp(meeting_access_token(bit), s) == 0)
				break;
		if (bit >= (1u << ACCESS_COUNT))
			FAIL("field_invalid", "accessibility");
		m->access |= bit;
	}

	for (i = 0; i < sizeof(text_fields) / sizeof(text_fields[0]); i++) {
		const struct text_field *tf = &text_fields[i];
		char **dst = (char **)((char *)m + tf->off);

		*dst = tf->html ? gettext(a, json_object_get(obj, tf->key), &h) :
		    getstr(a, json_object_get(obj, tf->key));
		if (too_long(*dst, tf->max))
			FAIL("field_too_long", tf->key);
	}
	/* "regions": most general first; the first is the region, the rest its sub-region. */
	v = json_object_get(obj, "regions");
	if (m->region == NULL && json_is_array(v) && json_array_size(v) > 0) {
		struct buf sub = BUF_INIT;
		m->region = getstr(a, json_array_get(v, 0));
		for (i = 1; i < json_array_size(v); i++) {
			if ((str = getstr(a, json_array_get(v, i))) == NULL)
				continue;
			if (sub.len)
				buf_puts(&sub, " > ");
			buf_puts(&sub, str);
		}
		if (sub.len && m->sub_region == NULL)
			m->sub_region = arena_strdup(a, sub.data);
		buf_free(&sub);
		if (too_long(m->region, MEETING_FIELD_MAX) || too_long(m->sub_region, MEETING_FIELD_MAX))
			FAIL("field_too_long", "regions");
	}

	if (parse_coord(a, json_object_get(obj, "latitude"), 90, &lat) &&
	    parse_coord(a, json_object_get(obj, "longitude"), 180, &lon) &&
	    !(lat == 0 && lon == 0)) {
		m->has_coords = true;
		m->lat_e6 = llround(lat * 1e6);
		m->lon_e6 = llround(lon * 1e6);
	}

	str = getstr(a, json_object_get(obj, "conference_url"));
	m->conference_url = clean_url(a, str);
	str = getstr(a, json_object_get(obj, "conference_phone"));
	m->conference_phone = clean_phone(a, str);
	str = getstr(a, json_object_get(obj, "url"));
	m->url = clean_url(a, str);
	if (m->conference_url == NULL && m->notes != NULL) {
		char found[MEETING_URL_MAX + 1];
		if (text_find_conference_url(m->notes, found, sizeof(found))) {
			m->conference_url = arena_strdup(a, found);
			if (link_from_notes)
				*link_from_notes = true;
		}
	}

	str = getstr(a, json_object_get(obj, "updated"));
	if (str == NULL || !meeting_parse_utc(str, &m->updated))
		m->updated = opt ? opt->now : 0;

	/* Where: approximate, unless the feed gives a street address or coordinates. */
	has_address = !pseudo_address(m->address) ||
	    (m->address == NULL && m->formatted_address != NULL &&
	    !pseudo_address(m->formatted_address));
	if (parse_bool(json_object_get(obj, "approximate"), &b))
		m->approximate = b;
	else
		m->approximate = !has_address && !m->has_coords;
	if (!has_address && !m->has_coords)
		m->approximate = true;

	/* How to attend, read as the 12 Step Meeting List reads it. */
	{
		bool link = m->conference_url != NULL || m->conference_phone != NULL;
		const char *opt_s = json_string_value(json_object_get(obj, "attendance_option"));
		enum meeting_attendance explicit = meeting_attendance_from(opt_s);

		if (parse_bool(json_object_get(obj, "temporarily_closed"), &b))
			m->temporarily_closed = b;
		if (opt_s != NULL && strcmp(opt_s, "inactive") == 0) {
			m->temporarily_closed = true;
			m->attendance = link ? ATTEND_ONLINE : ATTEND_IN_PERSON;
		} else if (explicit != 0) {
			m->attendance = explicit;
		} else if (tc) {
			if (link)
				m->attendance = ATTEND_ONLINE;
			else {
				m->attendance = ATTEND_IN_PERSON;
				m->temporarily_closed = true;
			}
		} else if (link || onl) {
			m->attendance = m->approximate ? ATTEND_ONLINE : ATTEND_HYBRID;
		} else {
			m->attendance = ATTEND_IN_PERSON;
		}
	}

	v = json_object_get(obj, "circle_id");
	if (json_is_integer(v) && json_integer_value(v) > 0)
		m->circle_id = json_integer_value(v);

	if (html != NULL && h > 0)
		*html = html_before + 1;
	meeting_normalize(a, m);
	return true;
}

#undef FAIL

/* ---- feeds ---- */

/* A small set of strings for duplicate slugs (open addressing, arena-backed). */
struct strset {
	const char	**slot;
	size_t		 cap;
};

static uint64_t
fnv(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static void
strset_init(struct arena *a, struct strset *st, size_t n)
{
	st->cap = 16;
	while (st->cap < n * 2 + 16)
		st->cap *= 2;
	st->slot = arena_zalloc(a, st->cap * sizeof(char *));
}

/* false if s was already there. */
static bool
strset_add(struct strset *st, const char *s)
{
	size_t i = fnv(s) & (st->cap - 1);

	while (st->slot[i] != NULL) {
		if (strcmp(st->slot[i], s) == 0)
			return false;
		i = (i + 1) & (st->cap - 1);
	}
	st->slot[i] = s;
	return true;
}

static bool
strset_has(const struct strset *st, const char *s)
{
	size_t i = fnv(s) & (st->cap - 1);

	while (st->slot[i] != NULL) {
		if (strcmp(st->slot[i], s) == 0)
			return true;
		i = (i + 1) & (st->cap - 1);
	}
	return false;
}

/* The feed's most common time zone, when the caller has no default. */
static const char *
common_timezone(struct arena *a, json_t *arr)
{
	const char **names = arena_alloc(a, (json_array_size(arr) + 1) * sizeof(char *));
	size_t *counts = arena_zalloc(a, (json_array_size(arr) + 1) * sizeof(size_t));
	size_t n = 0, i, k, best = 0;
	json_t *e;

	json_array_foreach(arr, i, e) {
		const char *c = tz_canonical(json_string_value(json_object_get(e, "timezone")));
		if (c == NULL)
			continue;
		for (k = 0; k < n && strcmp(names[k], c) != 0; k++)
			;
		if (k == n)
			names[n++] = c;
		counts[k]++;
		if (counts[k] > counts[best])
			best = k;
	}
	return n ? names[best] : NULL;
}

static void
reject(struct arena *a, struct mg_feed *f, size_t cap, size_t index, json_t *obj,
    const char *reason, const char *field)
{
	struct mg_rejection *r;

	if (f->nrejected >= cap)
		return;
	r = &f->rejected[f->nrejected++];
	r->index = index;
	r->slug = getstr(a, json_object_get(obj, "slug"));
	r->name = getstr(a, json_object_get(obj, "name"));
	if (r->name != NULL && strlen(r->name) > 120)
		r->name = arena_strndup(a, r->name, 120);
	if (r->slug != NULL && strlen(r->slug) > 140)
		r->slug = arena_strndup(a, r->slug, 140);
	r->reason = reason;
	r->field = field;
}

static void
count_unknown(struct arena *a, struct mg_feed *f, const struct meeting *m)
{
	size_t i, k;

	for (i = 0; i < m->ntypes; i++) {
		if (meeting_type_known(m->types[i]))
			continue;
		for (k = 0; k < f->nunknown; k++)
			if (strcmp(f->unknown[k].code, m->types[i]) == 0)
				break;
		if (k == f->nunknown) {
			struct mg_unknown_type *nu = arena_alloc(a, (f->nunknown + 1) * sizeof(*nu));
			if (f->nunknown)
				memcpy(nu, f->unknown, f->nunknown * sizeof(*nu));
			nu[k].code = m->types[i];
			nu[k].count = 0;
			f->unknown = nu;
			f->nunknown++;
		}
		f->unknown[k].count++;
	}
}

/*
 * Read an array of meeting objects into f.  generated_slugs: entries
 * without a slug get one from their name, made unique with -2, -3 ...
 */
static void
read_array(struct arena *a, json_t *arr, const struct mg_options *opt, bool generated_slugs,
    struct mg_feed *f)
{
	struct mg_options o = opt ? *opt : (struct mg_options){ 0 };
	struct strset seen;
	size_t n = json_array_size(arr), i;
	json_t *e;

	if (o.default_timezone == NULL)
		o.default_timezone = common_timezone(a, arr);
	f->meetings = arena_zalloc(a, (n + 1) * sizeof(struct meeting));
	f->rejected = arena_zalloc(a, (n + 1) * sizeof(struct mg_rejection));
	f->total = n;
	strset_init(a, &seen, n);
	json_array_foreach(arr, i, e) {
		struct meeting *m = &f->meetings[f->n];
		const char *reason, *field;
		bool from_notes, given = json_object_get(e, "slug") != NULL ||
		    json_object_get(e, "id") != NULL;

		if (!mg_parse_meeting(a, e, &o, generated_slugs, m, &reason, &field,
		    &f->html_cleaned, &from_notes)) {
			reject(a, f, n, i + 1, e, reason, field);
			continue;
		}
		if (!given && generated_slugs && strset_has(&seen, m->slug)) {
			char *base = m->slug;
			int k;
			for (k = 2; strset_has(&seen, m->slug); k++)
				m->slug = arena_printf(a, "%s-%d", base, k);
		}
		if (!strset_add(&seen, m->slug)) {
			reject(a, f, n, i + 1, e, "slug_duplicate", "slug");
			continue;
		}
		if (from_notes)
			f->links_from_notes++;
		count_unknown(a, f, m);
		f->n++;
	}
}

int
mg_parse_json(struct arena *a, const char *data, size_t len, const struct mg_options *opt,
    struct mg_feed *f)
{
	json_error_t jerr;
	json_t *root, *arr;

	memset(f, 0, sizeof(*f));
	if (len > MG_MAX_BYTES) {
		f->error = "too_large";
		return -1;
	}
	root = json_loadb(data, len, 0, &jerr);
	if (root == NULL) {
		f->error = "not_json";
		return -1;
	}
	arr = json_is_object(root) ? json_object_get(root, "meetings") : root;
	if (!json_is_array(arr)) {
		json_decref(root);
		f->error = "not_an_array";
		return -1;
	}
	if (json_array_size(arr) > MG_MAX_MEETINGS) {
		json_decref(root);
		f->error = "too_many";
		return -1;
	}
	read_array(a, arr, opt, false, f);
	json_decref(root);
	return 0;
}

/* ---- CSV (12 Step Meeting List template) ---- */

struct csv {
	const char	*p, *end;
};

/* Next field into b; *eol set at the end of a record, false at end of input. */
static bool
csv_field(struct csv *c, struct buf *b, bool *eol)
{
	buf_reset(b);
	*eol = false;
	if (c->p >= c->end)
		return false;
	if (*c->p == '"') {
		c->p++;
		while (c->p < c->end) {
			if (*c->p == '"') {
				if (c->p + 1 < c->end && c->p[1] == '"') {
					buf_putc(b, '"');
					c->p += 2;
					continue;
				}
				c->p++;
				break;
			}
			buf_putc(b, *c->p++);
		}
		/* anything between the closing quote and the separator is kept */
		while (c->p < c->end && *c->p != ',' && *c->p != '\n' && *c->p != '\r')
			buf_putc(b, *c->p++);
	} else {
		while (c->p < c->end && *c->p != ',' && *c->p != '\n' && *c->p != '\r')
			buf_putc(b, *c->p++);
	}
	if (c->p < c->end && *c->p == ',') {
		c->p++;
		if (c->p >= c->end)
			*eol = true;
		return true;
	}
	if (c->p < c->end && *c->p == '\r')
		c->p++;
	if (c->p < c->end && *c->p == '\n')
		c->p++;
	*eol = true;
	return true;
}

/* One record as an array of arena strings; 0 fields at end of input. */
static size_t
csv_record(struct arena *a, struct csv *c, char ***out)
{
	struct buf b = BUF_INIT;
	char **fields = NULL;
	size_t n = 0, cap = 0;
	bool eol = false;

	while (!eol && csv_field(c, &b, &eol)) {
		if (n == cap) {
			char **nf;
			if (cap >= 512)
				continue;	/* read the rest of the record, keep none of it */
			cap = cap ? cap * 2 : 16;
			nf = arena_alloc(a, cap * sizeof(char *));
			if (n)
				memcpy(nf, fields, n * sizeof(char *));
			fields = nf;
		}
		fields[n++] = arena_strndup(a, b.data ? b.data : "", b.len);
	}
	buf_free(&b);
	*out = fields;
	return n;
}

static const struct {
	const char	*column;
	const char	*key;
} csv_columns[] = {
	{ "name", "name" }, { "slug", "slug" }, { "id", "slug" }, { "day", "day" },
	{ "time", "time" }, { "end time", "end_time" }, { "timezone", "timezone" },
	{ "time zone", "timezone" }, { "location", "location" },
	{ "location notes", "location_notes" }, { "city", "city" }, { "state", "state" },
	{ "postal code", "postal_code" }, { "zip", "postal_code" }, { "country", "country" },
	{ "formatted address", "formatted_address" }, { "region", "region" },
	{ "sub region", "sub_region" }, { "sub-region", "sub_region" }, { "notes", "notes" },
	{ "group", "group" }, { "url", "url" }, { "website", "website" },
	{ "conference url", "conference_url" }, { "conference url notes", "conference_url_notes" },
	{ "conference phone", "conference_phone" },
	{ "conference phone notes", "conference_phone_notes" }, { "updated", "updated" },
	{ "latitude", "latitude" }, { "longitude", "longitude" }, { "approximate", "approximate" },
	{ "attendance option", "attendance_option" }, { "address", "address" },
	{ "types", "types" }, { "languages", "languages_csv" },
};

static const char *
csv_key(const char *column)
{
	struct str c = str_trim(str_c(column));
	size_t i;

	for (i = 0; i < sizeof(csv_columns) / sizeof(csv_columns[0]); i++)
		if (c.len == strlen(csv_columns[i].column) &&
		    strncasecmp(c.p, csv_columns[i].column, c.len) == 0)
			return csv_columns[i].key;
	return NULL;
}

/* A CSV row as the JSON object mg_parse_meeting reads. */
static json_t *
csv_row_object(struct arena *a, const char **keys, char **vals, size_t n, bool has_parts)
{
	json_t *o = json_object();
	size_t i;

	for (i = 0; i < n; i++) {
		const char *k = keys[i], *v = vals[i];
		struct str t = str_trim(str_c(v));

		if (k == NULL || t.len == 0)
			continue;
		if (strcmp(k, "types") == 0) {
			json_t *arr = json_array();
			char **parts;
			size_t np = meeting_split(a, v, &parts), j;
			for (j = 0; j < np; j++) {
				const char *code = meeting_type_from_name(parts[j]);
				json_array_append_new(arr, json_string(code ? code : parts[j]));
			}
			json_object_set_new(o, "types", arr);
		} else if (strcmp(k, "day") == 0 && memchr(t.p, ',', t.len) != NULL) {
			json_t *arr = json_array();
			char **parts;
			size_t np = meeting_split(a, v, &parts), j;
			for (j = 0; j < np; j++)
				json_array_append_new(arr, json_string(parts[j]));
			json_object_set_new(o, "day", arr);
		} else if (strcmp(k, "address") == 0 && !has_parts) {
			json_object_set_new(o, "formatted_address", json_stringn(t.p, t.len));
		} else if (strcmp(k, "website") == 0) {
			if (json_object_get(o, "url") == NULL)
				json_object_set_new(o, "url", json_stringn(t.p, t.len));
		} else if (strcmp(k, "updated") == 0 && t.len == 18 && isdigit((unsigned char)t.p[10])) {
			/* "2020-04-0416:50:58": the template's date and time without a space */
			char fixed[20];
			memcpy(fixed, t.p, 10);
			fixed[10] = ' ';
			memcpy(fixed + 11, t.p + 10, 8);
			fixed[19] = '\0';
			json_object_set_new(o, "updated", json_string(fixed));
		} else if (strcmp(k, "languages_csv") == 0) {
			json_t *arr = json_array();
			char **parts;
			size_t np = meeting_split(a, v, &parts), j;
			for (j = 0; j < np; j++)
				json_array_append_new(arr, json_string(parts[j]));
			json_object_set_new(o, "languages", arr);
		} else {
			json_object_set_new(o, k, json_stringn(t.p, t.len));
		}
	}
	return o;
}

int
mg_parse_csv(struct arena *a, const char *data, size_t len, const struct mg_options *opt,
    struct mg_feed *f)
{
	struct csv c;
	char **hdr, **row;
	const char **keys;
	size_t nh, nr, i, rows = 0;
	bool has_name = false, has_parts = false;
	json_t *arr;

	memset(f, 0, sizeof(*f));
	if (len > MG_MAX_BYTES) {
		f->error = "too_large";
		return -1;
	}
	/* Text only: valid UTF-8 and no NUL bytes (the database refuses them). */
	if (!utf8_valid(data, len) || memchr(data, '\0', len) != NULL) {
		f->error = "not_utf8";
		return -1;
	}
	c.p = data;
	c.end = data + len;
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		c.p += 3;
	nh = csv_record(a, &c, &hdr);
	keys = arena_zalloc(a, (nh + 1) * sizeof(char *));
	for (i = 0; i < nh; i++) {
		keys[i] = csv_key(hdr[i]);
		if (keys[i] && strcmp(keys[i], "name") == 0)
			has_name = true;
		if (keys[i] && (!strcmp(keys[i], "city") || !strcmp(keys[i], "state") ||
		    !strcmp(keys[i], "postal_code")))
			has_parts = true;
	}
	if (!has_name) {
		f->error = "not_csv";
		return -1;
	}
	arr = json_array();
	while ((nr = csv_record(a, &c, &row)) > 0) {
		json_t *o;
		if (nr == 1 && row[0][0] == '\0')
			continue;	/* blank line */
		if (++rows > MG_MAX_MEETINGS) {
			json_decref(arr);
			f->error = "too_many";
			return -1;
		}
		o = csv_row_object(a, keys, row, nr < nh ? nr : nh, has_parts);
		json_array_append_new(arr, o);
	}
	read_array(a, arr, opt, true, f);
	json_decref(arr);
	return 0;
}

int
mg_parse_any(struct arena *a, const char *data, size_t len, const struct mg_options *opt,
    struct mg_feed *f)
{
	size_t i = 0;

	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len && isspace((unsigned char)data[i]))
		i++;
	if (i == len) {
		memset(f, 0, sizeof(*f));
		f->error = "empty";
		return -1;
	}
	if (data[i] == '[' || data[i] == '{')
		return mg_parse_json(a, data + i, len - i, opt, f);
	return mg_parse_csv(a, data, len, opt, f);
}

/* ---- writing ---- */

bool
mg_exportable(const struct meeting *m)
{
	return !m->temporarily_closed &&
	    (m->sched.kind == SCHED_WEEKLY || m->sched.kind == SCHED_APPOINTMENT);
}

static void
put_key(struct buf *b, const char *key)
{
	buf_puts(b, ",\"");
	buf_puts(b, key);
	buf_puts(b, "\":");
}

static void
put_str(struct buf *b, const char *key, const char *val)
{
	if (val == NULL)
		return;
	put_key(b, key);
	buf_putc(b, '"');
	buf_append_json(b, val, strlen(val));
	buf_putc(b, '"');
}

static void
put_e6(struct buf *b, const char *key, int64_t v)
{
	uint64_t u = v < 0 ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v;
	char frac[8];
	int n;

	put_key(b, key);
	n = snprintf(frac, sizeof(frac), "%06llu", (unsigned long long)(u % 1000000));
	while (n > 1 && frac[n - 1] == '0')
		frac[--n] = '\0';
	buf_printf(b, "%s%llu.%s", v < 0 ? "-" : "", (unsigned long long)(u / 1000000), frac);
}

void
mg_write_meeting(struct buf *b, const struct meeting *m)
{
	char t[20];
	size_t i;
	int d, ndays = 0;

	buf_puts(b, "{\"name\":\"");
	buf_append_json(b, m->name, strlen(m->name));
	buf_puts(b, "\"");
	put_str(b, "slug", m->slug);
	for (d = 0; d < 7; d++)
		if (m->sched.days & (1u << d))
			ndays++;
	if (ndays == 1 && (m->sched.kind == SCHED_WEEKLY || m->sched.kind == SCHED_APPOINTMENT)) {
		for (d = 0; !(m->sched.days & (1u << d)); d++)
			;
		put_key(b, "day");
		buf_printf(b, "%d", d);
	} else if (ndays > 1 && (m->sched.kind == SCHED_WEEKLY ||
	    m->sched.kind == SCHED_APPOINTMENT)) {
		bool first = true;
		put_key(b, "day");
		buf_putc(b, '[');
		for (d = 0; d < 7; d++)
			if (m->sched.days & (1u << d)) {
				buf_printf(b, "%s%d", first ? "" : ",", d);
				first = false;
			}
		buf_putc(b, ']');
	}
	if (m->sched.kind != SCHED_APPOINTMENT && m->sched.start_min >= 0) {
		char hm[6];
		int end = m->sched.end_min >= 0 ? m->sched.end_min :
		    (m->sched.start_min + SCHED_DEFAULT_MINUTES) % 1440;
		schedule_format_hhmm(m->sched.start_min, hm);
		put_str(b, "time", hm);
		schedule_format_hhmm(end, hm);
		put_str(b, "end_time", hm);
	}
	put_str(b, "timezone", m->timezone);
	put_key(b, "types");
	buf_putc(b, '[');
	for (i = 0; i < m->ntypes; i++) {
		if (i)
			buf_putc(b, ',');
		buf_putc(b, '"');
		buf_append_json(b, m->types[i], strlen(m->types[i]));
		buf_putc(b, '"');
	}
	buf_putc(b, ']');
	put_str(b, "attendance_option", m->temporarily_closed ? "inactive" :
	    meeting_attendance_token(m->attendance));
	put_str(b, "notes", m->notes);
	put_str(b, "location", m->location);
	put_str(b, "location_notes", m->location_notes);
	put_str(b, "formatted_address", m->formatted_address);
	put_str(b, "address", m->address);
	put_str(b, "city", m->city);
	put_str(b, "state", m->state);
	put_str(b, "postal_code", m->postal_code);
	put_str(b, "country", m->country);
	put_str(b, "region", m->region);
	put_str(b, "sub_region", m->sub_region);
	if (m->has_coords) {
		put_e6(b, "latitude", m->lat_e6);
		put_e6(b, "longitude", m->lon_e6);
	}
	put_str(b, "approximate", m->approximate ? "yes" : "no");
	put_str(b, "conference_url", m->conference_url);
	put_str(b, "conference_url_notes", m->conference_url_notes);
	put_str(b, "conference_phone", m->conference_phone);
	put_str(b, "conference_phone_notes", m->conference_phone_notes);
	put_str(b, "group", m->group);
	put_str(b, "url", m->url);
	meeting_format_utc(m->updated, t);
	put_str(b, "updated", t);
	buf_putc(b, '}');
}
