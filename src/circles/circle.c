/*
 * circle.c: the pure rules of circles (see circle.h).
 *
 * Limits count code points, not bytes, so a Spanish or Chinese circle name
 * gets the same room as an English one.
 */
#include "circles/circle.h"

#include <string.h>

#include "base/utf8.h"

/* Code points of s between its leading and trailing white space, or -1 if bad. */
static long
text_len(const char *s, bool multiline)
{
	size_t n = strlen(s), b = 0, e = n, i;
	long cp = 0;

	if (!utf8_valid(s, n))
		return -1;
	while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r' || s[b] == '\n'))
		b++;
	while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r' ||
	    s[e - 1] == '\n'))
		e--;
	for (i = b; i < e; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch < 0x20 || ch == 0x7f) {
			if (!multiline || (ch != '\n' && ch != '\r' && ch != '\t'))
				return -1;
		}
		if ((ch & 0xc0) != 0x80)
			cp++;
	}
	return cp;
}

static enum circle_input_error
check_text(const char *s, long max, bool multiline)
{
	long n;

	if (s == NULL)
		return CIRCLE_INPUT_MISSING;
	n = text_len(s, multiline);
	if (n < 0)
		return CIRCLE_INPUT_INVALID;
	if (n == 0)
		return CIRCLE_INPUT_MISSING;
	if (n > max)
		return CIRCLE_INPUT_TOO_LONG;
	return CIRCLE_INPUT_OK;
}

enum circle_input_error
circle_text_check(const char *s, long max, bool multiline)
{
	return check_text(s, max, multiline);
}

struct circle_check
circle_input_check(const struct circle_input *in)
{
	struct circle_check r = { CIRCLE_INPUT_OK, NULL };
	const struct { const char *field; const char *value; long max; bool ml; } f[] = {
		{ "name", in->name, CIRCLE_NAME_MAX, false },
		{ "purpose", in->purpose, CIRCLE_PURPOSE_MAX, true },
		{ "norms", in->norms, CIRCLE_NORMS_MAX, true },
		{ "agreement", in->agreement, CIRCLE_AGREEMENT_MAX, true },
	};
	size_t i;

	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		r.error = check_text(f[i].value, f[i].max, f[i].ml);
		if (r.error != CIRCLE_INPUT_OK) {
			r.field = f[i].field;
			return r;
		}
	}
	if (in->membership == NULL || *in->membership == '\0') {
		r.error = CIRCLE_INPUT_MISSING;
		r.field = "membership";
	} else if (circle_membership_parse(in->membership) == 0) {
		r.error = CIRCLE_INPUT_INVALID;
		r.field = "membership";
	}
	return r;
}

enum circle_membership
circle_membership_parse(const char *s)
{
	if (s == NULL)
		return 0;
	if (strcmp(s, "open") == 0)
		return CIRCLE_OPEN;
	if (strcmp(s, "request") == 0)
		return CIRCLE_BY_REQUEST;
	return 0;
}

const char *
circle_membership_name(enum circle_membership m)
{
	return m == CIRCLE_BY_REQUEST ? "request" : "open";
}

bool
circle_visible(const struct circle_viewer *v)
{
	return v->standing != CIRCLE_NONE || v->same_chapter || v->coordinator;
}

bool
circle_roster_visible(const struct circle_viewer *v)
{
	/*
	 * Who sits in a recovery circle is itself private: only the people
	 * inside it see the roster.  A coordinator who is not a member does not.
	 */
	return v->standing == CIRCLE_MEMBER || v->standing == CIRCLE_FACILITATOR;
}

bool
circle_can_manage(const struct circle_viewer *v)
{
	return v->standing == CIRCLE_FACILITATOR;
}

enum circle_join_result
circle_join_decide(enum circle_membership m, enum circle_standing s, bool accepted_agreement)
{
	if (s != CIRCLE_NONE)
		return CIRCLE_JOIN_ALREADY;
	if (!accepted_agreement)
		return CIRCLE_JOIN_NEEDS_AGREEMENT;
	return m == CIRCLE_BY_REQUEST ? CIRCLE_JOIN_REQUESTED : CIRCLE_JOIN_JOINED;
}
