/*
 * params.c: query strings, urlencoded forms, cookies and JSON bodies.
 *
 * Design choices:
 *
 * - Every limit makes the whole parse fail (the caller answers 400); we
 *   never hand a handler a silently truncated form.  Limits are checked on
 *   decoded lengths, after a cheap check on the raw length (a percent
 *   escape shrinks three bytes to one, so raw > 3 * limit cannot fit).
 *
 * - Names and values come out NUL-terminated in the request arena and
 *   valid UTF-8, so handlers and templates can treat them as C strings.
 *   A decoded NUL is refused rather than allowed to cut a string short.
 *
 * - Forms: empty pairs ("a=1&&b=2", a trailing '&') are skipped and a pair
 *   without '=' has an empty value, as browsers do.  Cookies: a pair
 *   without '=' or with an empty name is skipped (it may belong to another
 *   application on the same host and is none of our business), but limits,
 *   control bytes and invalid UTF-8 still fail the parse.
 *
 * - JSON: nesting is checked by a bracket scan before jansson sees the
 *   body, so a deep document is refused without recursing into it.  Error
 *   messages are fixed strings with a position and never quote the input,
 *   which may hold a password.
 */
#include "http/params.h"

#include <stdio.h>
#include <string.h>

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool
url_decode(struct arena *a, struct str in, bool plus_is_space, char **out,
    size_t *outlen)
{
	char *d = arena_alloc(a, in.len + 1);
	size_t i, n = 0;

	for (i = 0; i < in.len; i++) {
		unsigned char c = (unsigned char)in.p[i];

		if (c == '%') {
			int hi, lo;

			if (in.len - i < 3)
				return false;
			if ((hi = hexval((unsigned char)in.p[i + 1])) < 0 ||
			    (lo = hexval((unsigned char)in.p[i + 2])) < 0)
				return false;
			c = (unsigned char)(hi << 4 | lo);
			i += 2;
		} else if (c == '+' && plus_is_space) {
			c = ' ';
		}
		if (c == '\0')
			return false;
		d[n++] = (char)c;
	}
	d[n] = '\0';
	*out = d;
	*outlen = n;
	return true;
}

void
url_encode(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~') {
			buf_putc(b, (char)c);
		} else {
			char e[3] = { '%', hex[c >> 4], hex[c & 15] };
			buf_append(b, e, 3);
		}
	}
}

const char *
params_get(const struct params *p, const char *name)
{
	size_t i;

	if (p == NULL)
		return NULL;
	for (i = 0; i < p->n; i++)
		if (strcmp(p->items[i].name, name) == 0)
			return p->items[i].value;
	return NULL;
}

/* Number of sep-separated segments in in (an upper bound on pairs). */
static size_t
count_segments(struct str in, char sep)
{
	size_t i, n = 1;

	for (i = 0; i < in.len; i++)
		if (in.p[i] == sep)
			n++;
	return n;
}

static bool
decode_field(struct arena *a, struct str raw, size_t max, char **out,
    size_t *outlen)
{
	if (raw.len / 3 > max)
		return false;
	if (!url_decode(a, raw, true, out, outlen))
		return false;
	return *outlen <= max && utf8_valid(*out, *outlen);
}

bool
params_parse_urlencoded(struct arena *a, struct str in, struct params *out)
{
	size_t i = 0, cap;

	out->items = NULL;
	out->n = 0;
	if (in.len == 0)
		return true;
	cap = count_segments(in, '&');
	if (cap > PARAMS_MAX)
		cap = PARAMS_MAX;
	out->items = arena_alloc(a, cap * sizeof(*out->items));

	while (i <= in.len) {
		struct str pair, name, value;
		const char *eq;
		struct param *pp;
		size_t start = i, nlen;
		char *nm;

		while (i < in.len && in.p[i] != '&')
			i++;
		pair.p = in.p + start;
		pair.len = i - start;
		i++;
		if (pair.len == 0)
			continue;
		if (out->n == PARAMS_MAX)
			return false;
		eq = memchr(pair.p, '=', pair.len);
		if (eq == NULL) {
			name = pair;
			value.p = pair.p + pair.len;
			value.len = 0;
		} else {
			name.p = pair.p;
			name.len = (size_t)(eq - pair.p);
			value.p = eq + 1;
			value.len = pair.len - name.len - 1;
		}
		pp = &out->items[out->n];
		if (!decode_field(a, name, PARAMS_MAX_NAME, &nm, &nlen))
			return false;
		pp->name = nm;
		if (!decode_field(a, value, PARAMS_MAX_VALUE, &nm,
		    &pp->value_len))
			return false;
		pp->value = nm;
		out->n++;
	}
	return true;
}

/* No control bytes (HTAB aside), valid UTF-8. */
static bool
cookie_text_ok(struct str s)
{
	size_t i;

	for (i = 0; i < s.len; i++) {
		unsigned char c = (unsigned char)s.p[i];
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return false;
	}
	return utf8_valid(s.p, s.len);
}

bool
params_parse_cookies(struct arena *a, struct str in, struct params *out)
{
	size_t i = 0, cap;

	out->items = NULL;
	out->n = 0;
	if (in.len == 0)
		return true;
	cap = count_segments(in, ';');
	if (cap > PARAMS_MAX)
		cap = PARAMS_MAX;
	out->items = arena_alloc(a, cap * sizeof(*out->items));

	while (i <= in.len) {
		struct str pair, name, value;
		const char *eq;
		struct param *pp;
		size_t start = i;

		while (i < in.len && in.p[i] != ';')
			i++;
		pair = str_trim((struct str){ in.p + start, i - start });
		i++;
		if (pair.len == 0 || (eq = memchr(pair.p, '=', pair.len)) == NULL)
			continue;
		name = str_trim((struct str){ pair.p, (size_t)(eq - pair.p) });
		if (name.len == 0)
			continue;
		value = str_trim((struct str){ eq + 1,
		    pair.len - (size_t)(eq - pair.p) - 1 });
		if (value.len >= 2 && value.p[0] == '"' &&
		    value.p[value.len - 1] == '"') {
			value.p++;
			value.len -= 2;
		}
		if (out->n == PARAMS_MAX || name.len > PARAMS_MAX_NAME ||
		    value.len > PARAMS_MAX_VALUE)
			return false;
		if (!cookie_text_ok(name) || !cookie_text_ok(value))
			return false;
		pp = &out->items[out->n++];
		pp->name = arena_cstr(a, name);
		pp->value = arena_cstr(a, value);
		pp->value_len = value.len;
	}
	return true;
}

/*
 * Deepest bracket nesting outside strings.  Stops counting once past
 * limit, so the answer is only exact up to limit + 1.
 */
static size_t
json_depth(struct str s, size_t limit)
{
	size_t i, depth = 0, max = 0;
	int in_str = 0;

	for (i = 0; i < s.len; i++) {
		char c = s.p[i];

		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = 0;
			continue;
		}
		if (c == '"') {
			in_str = 1;
		} else if (c == '{' || c == '[') {
			if (++depth > max)
				max = depth;
			if (max > limit)
				return max;
		} else if ((c == '}' || c == ']') && depth > 0) {
			depth--;
		}
	}
	return max;
}

static void
set_err(char *err, size_t errlen, const char *msg, const json_error_t *je)
{
	if (err == NULL || errlen == 0)
		return;
	if (je != NULL)
		snprintf(err, errlen, "%s at line %d, column %d", msg,
		    je->line, je->column);
	else
		snprintf(err, errlen, "%s", msg);
}

json_t *
params_parse_json(struct str body, size_t max_depth, char *err, size_t errlen)
{
	json_error_t je;
	json_t *v;
	const char *msg;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (body.len == 0) {
		set_err(err, errlen, "empty JSON body", NULL);
		return NULL;
	}
	if (!utf8_valid(body.p, body.len)) {
		set_err(err, errlen, "JSON is not valid UTF-8", NULL);
		return NULL;
	}
	if (json_depth(body, max_depth) > max_depth) {
		set_err(err, errlen, "JSON nested too deeply", NULL);
		return NULL;
	}
	v = json_loadb(body.p, body.len, JSON_REJECT_DUPLICATES, &je);
	if (v == NULL) {
		switch (json_error_code(&je)) {
		case json_error_duplicate_key:
			msg = "duplicate key in JSON";
			break;
		case json_error_null_character:
		case json_error_null_byte_in_key:
			msg = "NUL character in JSON";
			break;
		case json_error_invalid_utf8:
			msg = "JSON is not valid UTF-8";
			break;
		case json_error_numeric_overflow:
			msg = "number out of range in JSON";
			break;
		case json_error_stack_overflow:
			msg = "JSON nested too deeply";
			break;
		case json_error_premature_end_of_input:
			msg = "JSON ends too early";
			break;
		default:
			msg = "invalid JSON";
			break;
		}
		set_err(err, errlen, msg, &je);
		return NULL;
	}
	if (!json_is_object(v)) {
		json_decref(v);
		set_err(err, errlen, "JSON body must be an object", NULL);
		return NULL;
	}
	return v;
}
