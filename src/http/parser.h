/*
 * parser.h: the strict HTTP/1.1 request parser (pure, no I/O, fuzzed).
 *
 * The head parser works on whatever bytes the connection has buffered so
 * far and is simply called again when more arrive (request heads are small,
 * so re-scanning is cheaper than keeping state).  Slices in the result point
 * into the caller's buffer.  The chunked decoder is incremental.
 *
 * Strictness: request line "METHOD SP origin-form|absolute-form|* SP
 * HTTP/1.x CRLF" (a bare LF is accepted as a line end, as RFC 9112 allows,
 * but never a bare CR); method is a token; header names are tokens with no
 * whitespace before the colon (400); obs-fold is refused (400); header
 * values may not contain CR, LF or NUL.  Message framing that could be
 * smuggled is refused with 400: both Content-Length and Transfer-Encoding,
 * duplicate Content-Length (even if equal), a Content-Length that is not all
 * digits, a Transfer-Encoding other than exactly "chunked", Transfer-Encoding
 * on HTTP/1.0.  HTTP/1.1 without Host is 400.  Unknown versions are 505.
 */
#ifndef CIRCLES_HTTP_PARSER_H
#define CIRCLES_HTTP_PARSER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/str.h"

#define HTTP_MAX_HEADERS	64

struct http_limits {
	size_t	max_line;	/* request line, bytes incl. CRLF; beyond: 414 */
	size_t	max_head;	/* whole head in bytes; beyond: 431 */
	size_t	max_headers;	/* header count (<= HTTP_MAX_HEADERS); beyond: 431 */
	uint64_t max_body;	/* body bytes; beyond: 413 */
};

/** The defaults Circles serves with: 8 KiB line, 32 KiB head, 64 headers, 1 MiB body. */
extern const struct http_limits http_default_limits;

enum http_method {
	HTTP_OTHER = 0, HTTP_GET, HTTP_HEAD, HTTP_POST, HTTP_PUT, HTTP_PATCH,
	HTTP_DELETE, HTTP_OPTIONS
};

struct http_header {
	struct str	name;
	struct str	value;	/* leading/trailing whitespace removed */
};

struct http_head {
	struct str		method;
	enum http_method	method_id;
	struct str		target;		/* as sent */
	struct str		path;		/* target up to '?', still %-encoded */
	struct str		query;		/* after '?', without it; may be empty */
	int			minor;		/* 0 or 1 (HTTP/1.minor) */
	struct http_header	headers[HTTP_MAX_HEADERS];
	size_t			nheaders;

	/* framing and connection semantics, decided by the parser */
	bool			has_content_length;
	uint64_t		content_length;
	bool			chunked;
	bool			keep_alive;	/* 1.1 default yes; "close" no; 1.0 needs keep-alive */
	bool			expect_continue; /* Expect: 100-continue (other expectations: 417) */
};

/**
 * Parse one request head from buf[0..len).
 * Returns the number of bytes the head occupies (through the blank line) when
 * complete; 0 when more bytes are needed (and the limits are not yet
 * exceeded); or a negative HTTP status to answer before closing:
 * -400 malformed or smuggling-shaped, -413 Content-Length above max_body,
 * -414 request line too long, -431 head too large or too many headers,
 * -417 unsupported Expect, -501 unsupported transfer coding, -505 version.
 */
long	http_parse_head(const char *buf, size_t len, const struct http_limits *lim,
	    struct http_head *out);

/** Find a header by case-insensitive name; NULL if absent. */
const struct http_header *http_head_find(const struct http_head *h, const char *name);

struct http_chunked {
	int		state;
	uint64_t	remaining;	/* bytes left in the current chunk */
	uint64_t	total;		/* decoded bytes so far */
	size_t		line_len;	/* bytes in the current size/trailer line, capped */
};

void	http_chunked_init(struct http_chunked *c);

/**
 * Decode chunked body bytes from in[0..len), appending payload to out.
 * *consumed receives how many input bytes were used.  Returns 1 when the
 * final chunk and trailers are complete (bytes after it belong to the next
 * request), 0 when more input is needed, -400 on malformed framing (bad hex,
 * missing CRLF, chunk-size line or trailers over 4 KiB, size overflow) and
 * -413 when the decoded body would exceed max_body.
 */
int	http_chunked_decode(struct http_chunked *c, const char *in, size_t len,
	    size_t *consumed, struct buf *out, uint64_t max_body);

#endif
