/*
 * parser.c: the strict HTTP/1.1 request head parser and chunked decoder.
 *
 * Design choices:
 *
 * - The head parser is stateless: it re-scans the buffered bytes on every
 *   call.  Heads are capped at a few KiB, so the re-scan costs less than the
 *   bugs a resumable state machine invites.  Every complete line is checked
 *   as soon as it is seen, so garbage is refused without waiting for the
 *   rest of the head; framing rules that need the whole head (Content-Length
 *   against Transfer-Encoding, Host) are applied once the blank line is in.
 *
 * - Anything a front proxy could read differently from us is refused, and
 *   the caller closes the connection after answering.  The statuses:
 *     400  malformed, or a smuggling shape (CL+TE, duplicate CL, CL that is
 *          not all digits, TE on HTTP/1.0, TE whose final coding is not
 *          chunked or which names chunked twice, more than one TE line,
 *          whitespace before a colon, obs-fold, bare CR, control bytes in
 *          a value, duplicate or invalid Host)
 *     501  a well-formed Transfer-Encoding list ending in chunked but with
 *          other codings before it ("gzip, chunked"): RFC 9112 6.1 asks for
 *          501 for codings we do not implement.  "chunked, gzip" is 400,
 *          because RFC 9112 6.3 says the body length is then unknowable.
 *     505  a well-formed "HTTP/d.d" other than 1.0 and 1.1.
 *
 * - Line ends in the head are CRLF or a bare LF (RFC 9112 2.2); a CR
 *   anywhere else is refused.  Chunked framing lines are part of the body
 *   and must end in CRLF exactly: lenient chunk-line parsing is where the
 *   recent smuggling bugs live.
 *
 * - One empty line before the request line is skipped (RFC 9112 2.2), for
 *   clients that send a stray CRLF after a POST body.  It is counted in the
 *   return value but not against the limits.
 *
 * - Targets: origin-form, "*" (OPTIONS only) and absolute-form with an
 *   http or https scheme, a non-empty authority and no userinfo.  For
 *   "http://host" or "http://host?q" the path is the literal "/", the one
 *   slice that does not point into the caller's buffer.  Host is still
 *   required (and validated) on HTTP/1.1 even with an absolute target.
 *
 * - Expect: 100-continue sets expect_continue on 1.1 and is ignored on 1.0
 *   (RFC 9110 10.1.1); any other expectation is 417.  Methods are
 *   case-sensitive: "get" is a valid token but HTTP_OTHER.
 */
#include "http/parser.h"

#include <string.h>
#include <strings.h>

const struct http_limits http_default_limits = {
	.max_line = 8 * 1024,
	.max_head = 32 * 1024,
	.max_headers = 64,
	.max_body = 1024 * 1024,
};

#define CHUNK_LINE_MAX	4096	/* chunk-size line, and the whole trailer section */

/* tchar from RFC 9110 5.6.2. */
static int
is_tchar(unsigned char c)
{
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z'))
		return 1;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static int
is_token(struct str s)
{
	size_t i;

	if (s.len == 0)
		return 0;
	for (i = 0; i < s.len; i++)
		if (!is_tchar((unsigned char)s.p[i]))
			return 0;
	return 1;
}

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

static enum http_method
method_id(struct str m)
{
	static const struct {
		const char		*name;
		enum http_method	 id;
	} tab[] = {
		{ "GET", HTTP_GET }, { "HEAD", HTTP_HEAD }, { "POST", HTTP_POST },
		{ "PUT", HTTP_PUT }, { "PATCH", HTTP_PATCH },
		{ "DELETE", HTTP_DELETE }, { "OPTIONS", HTTP_OPTIONS },
	};
	size_t i;

	/* Methods are case-sensitive (RFC 9110 9.1): "get" is not GET. */
	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (str_eqc(m, tab[i].name))
			return tab[i].id;
	return HTTP_OTHER;
}

/* Split target into path and query at the first '?'. */
static void
split_query(struct str t, struct str *path, struct str *query)
{
	const char *q = memchr(t.p, '?', t.len);

	if (q == NULL) {
		*path = t;
		query->p = t.p + t.len;
		query->len = 0;
	} else {
		path->p = t.p;
		path->len = (size_t)(q - t.p);
		query->p = q + 1;
		query->len = t.len - path->len - 1;
	}
}

/* Characters allowed in a Host value: reg-name, IP literal, port. */
static int
host_valid(struct str h)
{
	size_t i;

	for (i = 0; i < h.len; i++) {
		unsigned char c = (unsigned char)h.p[i];
		if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z'))
			continue;
		if (strchr("-._~!$&'()*+,;=:[]%", c) == NULL || c == '\0')
			return 0;
	}
	return 1;
}

/*
 * The request target: origin-form "/...", absolute-form "http(s)://auth/...",
 * or "*" for OPTIONS.  Authority-form (CONNECT) is not served.
 */
static long
parse_target(struct http_head *h)
{
	struct str t = h->target, rest;
	size_t skip, i;

	if (t.p[0] == '/') {
		split_query(t, &h->path, &h->query);
		return 0;
	}
	if (t.len == 1 && t.p[0] == '*') {
		if (h->method_id != HTTP_OPTIONS)
			return -400;
		h->path = t;
		h->query.p = t.p + 1;
		h->query.len = 0;
		return 0;
	}
	if (t.len >= 7 && strncasecmp(t.p, "http://", 7) == 0)
		skip = 7;
	else if (t.len >= 8 && strncasecmp(t.p, "https://", 8) == 0)
		skip = 8;
	else
		return -400;
	/* authority: non-empty, no userinfo (RFC 9110 4.2.4) */
	for (i = skip; i < t.len && t.p[i] != '/' && t.p[i] != '?'; i++)
		if (t.p[i] == '@')
			return -400;
	if (i == skip)
		return -400;
	if (!host_valid((struct str){ t.p + skip, i - skip }))
		return -400;
	rest.p = t.p + i;
	rest.len = t.len - i;
	split_query(rest, &h->path, &h->query);
	if (h->path.len == 0)
		h->path = STR("/");	/* "http://a?x": the path is "/" */
	return 0;
}

static long
parse_request_line(const char *p, size_t n, struct http_head *h)
{
	const char *sp1, *sp2, *v;
	size_t i;

	sp1 = memchr(p, ' ', n);
	if (sp1 == NULL)
		return -400;
	h->method.p = p;
	h->method.len = (size_t)(sp1 - p);
	if (!is_token(h->method))
		return -400;
	h->method_id = method_id(h->method);

	h->target.p = sp1 + 1;
	sp2 = memchr(h->target.p, ' ', n - h->method.len - 1);
	if (sp2 == NULL)
		return -400;
	h->target.len = (size_t)(sp2 - h->target.p);
	if (h->target.len == 0)
		return -400;
	for (i = 0; i < h->target.len; i++) {
		unsigned char c = (unsigned char)h->target.p[i];
		/* visible ASCII only; a fragment is never sent */
		if (c <= 0x20 || c >= 0x7f || c == '#')
			return -400;
	}

	v = sp2 + 1;
	if ((size_t)(p + n - v) != 8 || memcmp(v, "HTTP/", 5) != 0 ||
	    v[5] < '0' || v[5] > '9' || v[6] != '.' || v[7] < '0' || v[7] > '9')
		return -400;
	if (v[5] != '1' || (v[7] != '0' && v[7] != '1'))
		return -505;
	h->minor = v[7] - '0';

	return parse_target(h);
}

/* One field line (without its line end) into h->headers[h->nheaders]. */
static long
parse_field(const char *p, size_t n, struct http_header *f)
{
	const char *colon;
	size_t i;

	/* obs-fold, or whitespace before the first field: both refused */
	if (p[0] == ' ' || p[0] == '\t')
		return -400;
	colon = memchr(p, ':', n);
	if (colon == NULL)
		return -400;
	f->name.p = p;
	f->name.len = (size_t)(colon - p);
	/* also refuses "Name :" and an empty name */
	if (!is_token(f->name))
		return -400;
	f->value.p = colon + 1;
	f->value.len = n - f->name.len - 1;
	for (i = 0; i < f->value.len; i++) {
		unsigned char c = (unsigned char)f->value.p[i];
		/* field-vchar, SP, HTAB, obs-text; no other controls */
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return -400;
	}
	f->value = str_trim(f->value);
	return 0;
}

/*
 * Transfer-Encoding: a comma-separated list of bare codings (no
 * parameters).  0 for exactly chunked, -400 if chunked is not last or
 * appears twice or the list is malformed, -501 for other codings before
 * a final chunked.
 */
static long
check_te(struct str v)
{
	size_t i = 0, n = 0;
	int saw_chunked = 0, last_chunked = 0;

	for (;;) {
		struct str el;
		size_t start = i;

		while (i < v.len && v.p[i] != ',')
			i++;
		el = str_trim((struct str){ v.p + start, i - start });
		if (!is_token(el))
			return -400;
		last_chunked = str_caseeqc(el, "chunked");
		if (last_chunked) {
			if (saw_chunked)
				return -400;
			saw_chunked = 1;
		}
		n++;
		if (i == v.len)
			break;
		i++;	/* the comma */
	}
	if (!last_chunked)
		return -400;
	return n == 1 ? 0 : -501;
}

/* Content-Length: 1*DIGIT.  -400 for any other shape, -413 above max. */
static long
check_cl(struct str v, uint64_t max, uint64_t *out)
{
	uint64_t n = 0;
	int over = 0;
	size_t i;

	if (v.len == 0)
		return -400;
	for (i = 0; i < v.len; i++) {
		unsigned d;

		if (v.p[i] < '0' || v.p[i] > '9')
			return -400;
		d = (unsigned)(v.p[i] - '0');
		if (n > (UINT64_MAX - d) / 10)
			over = 1;
		else
			n = n * 10 + d;
	}
	if (over || n > max)
		return -413;
	*out = n;
	return 0;
}

/* Connection: a list of tokens; we care about "close" and "keep-alive". */
static void
scan_connection(struct str v, int *want_close, int *want_keep)
{
	size_t i = 0;

	while (i <= v.len) {
		size_t start = i;
		struct str el;

		while (i < v.len && v.p[i] != ',')
			i++;
		el = str_trim((struct str){ v.p + start, i - start });
		if (str_caseeqc(el, "close"))
			*want_close = 1;
		else if (str_caseeqc(el, "keep-alive"))
			*want_keep = 1;
		i++;
	}
}

/* Whole-head rules: framing, Host, Connection, Expect. */
static long
check_semantics(struct http_head *h, const struct http_limits *lim)
{
	const struct http_header *cl = NULL, *te = NULL, *host = NULL;
	int conn_close = 0, conn_keep = 0;
	long rv;
	size_t i;

	for (i = 0; i < h->nheaders; i++) {
		const struct http_header *f = &h->headers[i];

		if (str_caseeqc(f->name, "content-length")) {
			if (cl != NULL)
				return -400;	/* even if equal */
			cl = f;
		} else if (str_caseeqc(f->name, "transfer-encoding")) {
			if (te != NULL)
				return -400;
			te = f;
		} else if (str_caseeqc(f->name, "host")) {
			if (host != NULL || !host_valid(f->value))
				return -400;
			host = f;
		} else if (str_caseeqc(f->name, "connection")) {
			scan_connection(f->value, &conn_close, &conn_keep);
		}
	}
	if (cl != NULL && te != NULL)
		return -400;
	if (te != NULL && h->minor == 0)
		return -400;
	if (host == NULL && h->minor == 1)
		return -400;
	if (te != NULL) {
		if ((rv = check_te(te->value)) != 0)
			return rv;
		h->chunked = true;
	}
	if (cl != NULL) {
		if ((rv = check_cl(cl->value, lim->max_body,
		    &h->content_length)) != 0)
			return rv;
		h->has_content_length = true;
	}

	/* Expect last: only a request we would otherwise accept gets 417 */
	for (i = 0; i < h->nheaders; i++) {
		const struct http_header *f = &h->headers[i];

		if (!str_caseeqc(f->name, "expect"))
			continue;
		if (!str_caseeqc(f->value, "100-continue"))
			return -417;
		/* RFC 9110 10.1.1: ignored in an HTTP/1.0 request */
		if (h->minor == 1)
			h->expect_continue = true;
	}

	if (h->minor == 1)
		h->keep_alive = !conn_close;
	else
		h->keep_alive = conn_keep && !conn_close;
	return 0;
}

/*
 * Find the next line end in p[0..n).  Returns the index just past the LF,
 * 0 if there is none, -1 on a CR that does not precede the LF.  *linelen
 * receives the line length without CRLF/LF.
 */
static long
next_line(const char *p, size_t n, size_t *linelen)
{
	const char *lf = memchr(p, '\n', n), *cr;
	size_t l;

	if (lf == NULL) {
		/* a CR followed by anything but LF is already fatal */
		cr = memchr(p, '\r', n);
		if (cr != NULL && (size_t)(cr - p) + 1 < n)
			return -1;
		return 0;
	}
	l = (size_t)(lf - p);
	if (l > 0 && p[l - 1] == '\r')
		l--;
	if (memchr(p, '\r', l) != NULL)
		return -1;
	*linelen = l;
	return (long)(lf - p) + 1;
}

long
http_parse_head(const char *buf, size_t len, const struct http_limits *lim,
    struct http_head *out)
{
	size_t start = 0, pos, used, room, ll, maxh;
	long n, rv;

	memset(out, 0, offsetof(struct http_head, headers));
	out->nheaders = 0;
	out->has_content_length = false;
	out->content_length = 0;
	out->chunked = false;
	out->keep_alive = false;
	out->expect_continue = false;

	maxh = lim->max_headers < HTTP_MAX_HEADERS ?
	    lim->max_headers : HTTP_MAX_HEADERS;

	if (len >= 1 && buf[0] == '\n')
		start = 1;
	else if (len >= 2 && buf[0] == '\r' && buf[1] == '\n')
		start = 2;
	else if (len == 1 && buf[0] == '\r')
		return 0;

	/* request line */
	room = len - start < lim->max_line ? len - start : lim->max_line;
	n = next_line(buf + start, room, &ll);
	if (n < 0)
		return -400;
	if (n == 0)
		return len - start >= lim->max_line ? -414 : 0;
	if (ll == 0)
		return -400;
	if ((rv = parse_request_line(buf + start, ll, out)) != 0)
		return rv;
	pos = start + (size_t)n;

	/* field lines up to the empty line */
	for (;;) {
		used = pos - start;
		if (used > lim->max_head)
			return -431;
		room = lim->max_head - used;
		if (room > len - pos)
			room = len - pos;
		n = next_line(buf + pos, room, &ll);
		if (n < 0)
			return -400;
		if (n == 0)
			return len - pos >= lim->max_head - used ? -431 : 0;
		if (ll == 0) {
			pos += (size_t)n;
			break;
		}
		if (out->nheaders >= maxh)
			return -431;
		if ((rv = parse_field(buf + pos, ll,
		    &out->headers[out->nheaders])) != 0)
			return rv;
		out->nheaders++;
		pos += (size_t)n;
	}

	if ((rv = check_semantics(out, lim)) != 0)
		return rv;
	return (long)pos;
}

const struct http_header *
http_head_find(const struct http_head *h, const char *name)
{
	size_t i;

	for (i = 0; i < h->nheaders; i++)
		if (str_caseeqc(h->headers[i].name, name))
			return &h->headers[i];
	return NULL;
}

/*
 * Chunked decoder states.  In the trailer states line_len counts the whole
 * trailer section, so one 4 KiB cap covers both its lines and their number.
 */
enum {
	CH_SIZE0,	/* first hex digit of a chunk size */
	CH_SIZE,	/* more hex digits, ';', BWS or CR */
	CH_BWS,		/* whitespace after the size: only ';' may follow */
	CH_EXT,		/* chunk extension, ignored until CR */
	CH_SIZE_LF,	/* LF ending the size line */
	CH_DATA,	/* remaining payload bytes */
	CH_DATA_CR,	/* CR after the payload */
	CH_DATA_LF,	/* LF after the payload */
	CH_TRAILER0,	/* start of a trailer line (or the final CRLF) */
	CH_TRAILER,	/* inside a trailer line */
	CH_TRAILER_LF,	/* LF ending a trailer line */
	CH_END_LF,	/* LF of the final empty line */
	CH_DONE,
	CH_BAD400,
	CH_BAD413,
};

void
http_chunked_init(struct http_chunked *c)
{
	memset(c, 0, sizeof(*c));
	c->state = CH_SIZE0;
}

static int
chunk_fail(struct http_chunked *c, int status, size_t i, size_t *consumed)
{
	c->state = status == -413 ? CH_BAD413 : CH_BAD400;
	*consumed = i;
	return status;
}

int
http_chunked_decode(struct http_chunked *c, const char *in, size_t len,
    size_t *consumed, struct buf *out, uint64_t max_body)
{
	size_t i = 0;

	*consumed = 0;
	if (c->state == CH_DONE)
		return 1;
	if (c->state == CH_BAD400)
		return -400;
	if (c->state == CH_BAD413)
		return -413;

	while (i < len) {
		unsigned char ch = (unsigned char)in[i];
		int d;

		switch (c->state) {
		case CH_SIZE0:
		case CH_SIZE:
			if ((d = hexval(ch)) >= 0) {
				if (c->remaining > (UINT64_MAX >> 4))
					return chunk_fail(c, -400, i, consumed);
				c->remaining = (c->remaining << 4) | (uint64_t)d;
				c->state = CH_SIZE;
			} else if (c->state == CH_SIZE0) {
				return chunk_fail(c, -400, i, consumed);
			} else if (ch == '\r') {
				c->state = CH_SIZE_LF;
			} else if (ch == ';') {
				c->state = CH_EXT;
			} else if (ch == ' ' || ch == '\t') {
				c->state = CH_BWS;
			} else {
				return chunk_fail(c, -400, i, consumed);
			}
			break;
		case CH_BWS:
			if (ch == ';')
				c->state = CH_EXT;
			else if (ch != ' ' && ch != '\t')
				return chunk_fail(c, -400, i, consumed);
			break;
		case CH_EXT:
			if (ch == '\r')
				c->state = CH_SIZE_LF;
			else if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
				return chunk_fail(c, -400, i, consumed);
			break;
		case CH_SIZE_LF:
			if (ch != '\n')
				return chunk_fail(c, -400, i, consumed);
			if (c->total > max_body ||
			    c->remaining > max_body - c->total)
				return chunk_fail(c, -413, i, consumed);
			c->line_len = 0;
			c->state = c->remaining == 0 ? CH_TRAILER0 : CH_DATA;
			i++;
			continue;
		case CH_DATA: {
			size_t take = len - i;

			if ((uint64_t)take > c->remaining)
				take = (size_t)c->remaining;
			buf_append(out, in + i, take);
			c->remaining -= take;
			c->total += take;
			i += take;
			if (c->remaining == 0)
				c->state = CH_DATA_CR;
			continue;
		}
		case CH_DATA_CR:
			if (ch != '\r')
				return chunk_fail(c, -400, i, consumed);
			c->state = CH_DATA_LF;
			break;
		case CH_DATA_LF:
			if (ch != '\n')
				return chunk_fail(c, -400, i, consumed);
			c->state = CH_SIZE0;
			c->line_len = 0;
			i++;
			continue;
		case CH_TRAILER0:
		case CH_TRAILER:
			if (ch == '\r')
				c->state = c->state == CH_TRAILER0 ?
				    CH_END_LF : CH_TRAILER_LF;
			else if (ch == '\n' || ch == '\0')
				return chunk_fail(c, -400, i, consumed);
			else
				c->state = CH_TRAILER;
			break;
		case CH_TRAILER_LF:
			if (ch != '\n')
				return chunk_fail(c, -400, i, consumed);
			c->state = CH_TRAILER0;
			break;
		case CH_END_LF:
			if (ch != '\n')
				return chunk_fail(c, -400, i, consumed);
			c->state = CH_DONE;
			*consumed = i + 1;
			return 1;
		default:
			return chunk_fail(c, -400, i, consumed);
		}
		/* framing bytes: size lines and the trailer section are capped */
		if (++c->line_len > CHUNK_LINE_MAX)
			return chunk_fail(c, -400, i, consumed);
		i++;
	}
	*consumed = i;
	return 0;
}
