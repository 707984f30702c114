/*
 * params.h: query string, urlencoded form and cookie parsing with limits.
 *
 * All results are allocated from the request arena.  Names and values are
 * percent-decoded ('+' is a space in queries and forms).  Invalid percent
 * escapes, NUL bytes after decoding, invalid UTF-8, more than max_params
 * pairs, a name over 128 bytes or a value over max_value bytes make the
 * parse fail (the caller answers 400), never truncate silently.
 */
#ifndef CIRCLES_HTTP_PARAMS_H
#define CIRCLES_HTTP_PARAMS_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "base/arena.h"
#include "base/str.h"
#include "base/utf8.h"

struct param {
	const char	*name;
	const char	*value;
	size_t		 value_len;
};

struct params {
	struct param	*items;
	size_t		 n;
};

#define PARAMS_MAX		256
#define PARAMS_MAX_VALUE	(64 * 1024)
#define PARAMS_MAX_NAME		128

/** Parse "a=1&b=two" (query or application/x-www-form-urlencoded). */
bool	params_parse_urlencoded(struct arena *a, struct str in, struct params *out);
/** Parse a Cookie header "a=1; b=2" (values are not percent-decoded; quotes stripped). */
bool	params_parse_cookies(struct arena *a, struct str in, struct params *out);
/** First value for name, or NULL. */
const char *params_get(const struct params *p, const char *name);
/** Percent-decode in into the arena; plus_is_space for forms. false on bad escape or NUL. */
bool	url_decode(struct arena *a, struct str in, bool plus_is_space, char **out, size_t *outlen);
/** Append s percent-encoded (unreserved characters kept) to b. */
void	url_encode(struct buf *b, const char *s, size_t n);

/**
 * Parse a JSON request body.  The top level must be an object; duplicate
 * keys, invalid UTF-8, "\u0000" and nesting deeper than max_depth (the top
 * object is depth 1) are refused.  Returns a new reference (json_decref it)
 * or NULL with a short, client-safe message in err[0..errlen).
 */
json_t	*params_parse_json(struct str body, size_t max_depth, char *err,
	    size_t errlen);

#endif
