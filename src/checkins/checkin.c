/*
 * checkin.c: the values of a check-in and their checks (see checkin.h).
 *
 * Design: the API is strict about types (a mood of "4" as a string, or 4.0,
 * is refused with the field's name, so a client bug shows at once), while
 * the form is forgiving about spacing and the decimal comma, since people
 * type there.  Unknown JSON members are refused too: a misspelt "craving"
 * should not be silently dropped.
 */
#include "checkins/checkin.h"

#include <math.h>
#include <string.h>

void
checkin_init(struct checkin *ci)
{
	memset(ci, 0, sizeof(*ci));
	ci->mood = CHECKIN_SKIPPED;
	ci->craving = CHECKIN_SKIPPED;
	ci->stress = CHECKIN_SKIPPED;
	ci->sleep_halves = CHECKIN_SKIPPED;
	ci->used = CHECKIN_USED_UNSET;
}

const char *
checkin_used_token(enum checkin_used u)
{
	switch (u) {
	case CHECKIN_USED_YES:
		return "yes";
	case CHECKIN_USED_NO:
		return "no";
	case CHECKIN_USED_PREFER_NOT:
		return "prefer_not";
	default:
		return NULL;
	}
}

bool
checkin_used_from_token(const char *s, enum checkin_used *out)
{
	if (s == NULL)
		return false;
	if (strcmp(s, "yes") == 0)
		*out = CHECKIN_USED_YES;
	else if (strcmp(s, "no") == 0)
		*out = CHECKIN_USED_NO;
	else if (strcmp(s, "prefer_not") == 0)
		*out = CHECKIN_USED_PREFER_NOT;
	else
		return false;
	return true;
}

bool
checkin_mood_valid(int64_t v)
{
	return v >= CHECKIN_MOOD_MIN && v <= CHECKIN_MOOD_MAX;
}

bool
checkin_scale_valid(int64_t v)
{
	return v >= 0 && v <= CHECKIN_SCALE_MAX;
}

bool
checkin_sleep_from_hours(double hours, int *halves)
{
	double h2;

	if (!isfinite(hours) || hours < 0 || hours > CHECKIN_SLEEP_MAX_HALVES / 2.0)
		return false;
	h2 = hours * 2.0;
	if (h2 != floor(h2))
		return false;
	*halves = (int)h2;
	return true;
}

bool
checkin_sleep_from_text(const char *s, int *halves)
{
	int whole = 0, digits = 0, h;
	bool half = false;

	if (s == NULL)
		return false;
	while (*s == ' ' || *s == '\t')
		s++;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (++digits > 2)
			return false;
		whole = whole * 10 + (*s - '0');
	}
	if (digits == 0)
		return false;
	if (*s == '.' || *s == ',') {
		s++;
		if (*s == '5')
			half = true;
		else if (*s != '0')
			return false;
		s++;
		while (*s == '0')	/* 7.50 */
			s++;
	}
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s != '\0')
		return false;
	h = whole * 2 + (half ? 1 : 0);
	if (h > CHECKIN_SLEEP_MAX_HALVES)
		return false;
	*halves = h;
	return true;
}

bool
checkin_note_valid(const char *s, size_t len)
{
	size_t i;

	if (len > CHECKIN_NOTE_MAX || !utf8_valid(s, len))
		return false;
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];

		if ((ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') || ch == 0x7f)
			return false;
	}
	return true;
}

/* An integer member: absent/null skips; anything but an integer in range fails. */
static bool
json_int_field(json_t *v, bool (*valid)(int64_t), int *out)
{
	if (v == NULL || json_is_null(v))
		return true;
	if (!json_is_integer(v) || !valid(json_integer_value(v)))
		return false;
	*out = (int)json_integer_value(v);
	return true;
}

const char *
checkin_from_json(json_t *obj, struct checkin *ci)
{
	static const char *const known[] = {
		"mood", "craving", "stress", "sleep_hours", "used", "note", NULL,
	};
	const char *key;
	json_t *v;
	size_t i;

	checkin_init(ci);
	if (obj == NULL)
		return NULL;
	json_object_foreach(obj, key, v) {
		for (i = 0; known[i] != NULL; i++)
			if (strcmp(known[i], key) == 0)
				break;
		if (known[i] == NULL)
			return key;
	}
	if (!json_int_field(json_object_get(obj, "mood"), checkin_mood_valid, &ci->mood))
		return "mood";
	if (!json_int_field(json_object_get(obj, "craving"), checkin_scale_valid, &ci->craving))
		return "craving";
	if (!json_int_field(json_object_get(obj, "stress"), checkin_scale_valid, &ci->stress))
		return "stress";
	v = json_object_get(obj, "sleep_hours");
	if (v != NULL && !json_is_null(v) && (!json_is_number(v) ||
	    !checkin_sleep_from_hours(json_number_value(v), &ci->sleep_halves)))
		return "sleep_hours";
	v = json_object_get(obj, "used");
	if (v != NULL && !json_is_null(v) &&
	    !checkin_used_from_token(json_string_value(v), &ci->used))
		return "used";
	v = json_object_get(obj, "note");
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_string(v) || !checkin_note_valid(json_string_value(v),
		    json_string_length(v)))
			return "note";
		if (json_string_length(v) > 0)
			ci->note = json_string_value(v);
	}
	return NULL;
}

/* A small whole number typed in a form: "", or digits with spaces around. */
static bool
form_int(const char *s, bool (*valid)(int64_t), int *out)
{
	int64_t v = 0;
	int digits = 0;

	if (s == NULL)
		return true;
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '\0')
		return true;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (++digits > 3)
			return false;
		v = v * 10 + (*s - '0');
	}
	while (*s == ' ' || *s == '\t')
		s++;
	if (digits == 0 || *s != '\0' || !valid(v))
		return false;
	*out = (int)v;
	return true;
}

static bool
blank(const char *s)
{
	if (s == NULL)
		return true;
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	return *s == '\0';
}

const char *
checkin_from_form(const struct params *form, struct checkin *ci)
{
	const char *s;

	checkin_init(ci);
	if (!form_int(params_get(form, "mood"), checkin_mood_valid, &ci->mood))
		return "mood";
	if (!form_int(params_get(form, "craving"), checkin_scale_valid, &ci->craving))
		return "craving";
	if (!form_int(params_get(form, "stress"), checkin_scale_valid, &ci->stress))
		return "stress";
	s = params_get(form, "sleep_hours");
	if (!blank(s) && !checkin_sleep_from_text(s, &ci->sleep_halves))
		return "sleep_hours";
	s = params_get(form, "used");
	if (s != NULL && *s != '\0' && !checkin_used_from_token(s, &ci->used))
		return "used";
	s = params_get(form, "note");
	if (!blank(s)) {
		if (!checkin_note_valid(s, strlen(s)))
			return "note";
		ci->note = s;
	}
	return NULL;
}

json_t *
checkin_sleep_json(int halves)
{
	if (halves < 0)
		return json_null();
	if (halves % 2 == 0)
		return json_integer(halves / 2);
	return json_real(halves / 2.0);
}
