/* SOURCES: src/http/parser.c src/base/str.c src/base/mem.c */
/*
 * fuzz_http_parser.c: libFuzzer target for the request head parser and
 * the chunked decoder.
 *
 * Each input is parsed as a pipeline: head, then the body it announces
 * (Content-Length skipped, chunked decoded), then the next head.  Besides
 * the sanitizers, it checks the invariants callers rely on: the return
 * value never passes the input, slices stay inside the buffer, a complete
 * head parses to the same length alone and every shorter prefix of it is
 * merely incomplete, and the chunked decoder gives the same answer fed all
 * at once and fed one byte at a time.  The input is parsed under the
 * default limits and under tiny ones, so the limit paths are reached with
 * short inputs.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/parser.h"

#define CHECK(x)	do { if (!(x)) abort(); } while (0)

static const struct http_limits tiny = {
	.max_line = 48,
	.max_head = 160,
	.max_headers = 6,
	.max_body = 64,
};

static void
check_slice(struct str s, const char *buf, size_t n)
{
	CHECK(s.len <= n);
	if (s.len == 0 || s.p == NULL)
		return;
	/* "/" for an absolute-form target without a path is a literal */
	if (s.len == 1 && s.p[0] == '/' && (s.p < buf || s.p >= buf + n))
		return;
	CHECK(s.p >= buf && s.p + s.len <= buf + n);
}

/* Decode in[0..len) all at once and byte by byte; both must agree. */
static size_t
chunked_both(const char *in, size_t len, uint64_t max_body, int *rv_out)
{
	struct http_chunked a, b;
	struct buf oa = BUF_INIT, ob = BUF_INIT;
	size_t used_a = 0, u = 0, i;
	int ra, rb = 0;

	http_chunked_init(&a);
	ra = http_chunked_decode(&a, in, len, &used_a, &oa, max_body);
	CHECK(used_a <= len);
	CHECK(ra == 1 || ra == 0 || ra == -400 || ra == -413);
	if (ra == 0)
		CHECK(used_a == len);
	CHECK(a.total == oa.len && oa.len <= max_body);

	http_chunked_init(&b);
	for (i = 0; i < len; i++) {
		rb = http_chunked_decode(&b, in + i, 1, &u, &ob, max_body);
		if (rb != 0)
			break;
		CHECK(u == 1);
	}
	CHECK(ra == rb);
	CHECK(oa.len == ob.len);
	CHECK(oa.len == 0 || memcmp(oa.data, ob.data, oa.len) == 0);
	if (ra == 1)
		CHECK(used_a == i + u);
	buf_free(&oa);
	buf_free(&ob);
	*rv_out = ra;
	return used_a;
}

static void
run(const char *buf, size_t size, const struct http_limits *lim)
{
	struct http_head h, h2;
	size_t off = 0, i;
	int rounds;

	for (rounds = 0; rounds < 4 && off < size; rounds++) {
		const char *p = buf + off;
		size_t n = size - off;
		long r = http_parse_head(p, n, lim, &h);

		if (r <= 0) {
			CHECK(r == 0 || r == -400 || r == -413 || r == -414 ||
			    r == -417 || r == -431 || r == -501 || r == -505);
			return;
		}
		CHECK((size_t)r <= n);
		CHECK(h.nheaders <= lim->max_headers && h.nheaders <= HTTP_MAX_HEADERS);
		CHECK(h.minor == 0 || h.minor == 1);
		CHECK(!(h.chunked && h.has_content_length));
		CHECK(!h.has_content_length || h.content_length <= lim->max_body);
		check_slice(h.method, p, (size_t)r);
		check_slice(h.target, p, (size_t)r);
		check_slice(h.path, p, (size_t)r);
		check_slice(h.query, p, (size_t)r);
		for (i = 0; i < h.nheaders; i++) {
			check_slice(h.headers[i].name, p, (size_t)r);
			check_slice(h.headers[i].value, p, (size_t)r);
			CHECK(h.headers[i].name.len > 0);
		}
		if (h.minor == 1)
			CHECK(http_head_find(&h, "host") != NULL);

		/* the head alone is complete; shorter prefixes are not yet */
		CHECK(http_parse_head(p, (size_t)r, lim, &h2) == r);
		CHECK(http_parse_head(p, (size_t)r - 1, lim, &h2) == 0);
		CHECK(http_parse_head(p, (size_t)r / 2, lim, &h2) == 0);

		off += (size_t)r;
		if (h.has_content_length) {
			if (h.content_length > size - off)
				return;
			off += (size_t)h.content_length;
		} else if (h.chunked) {
			int rv;
			size_t used = chunked_both(buf + off, size - off,
			    lim->max_body, &rv);
			if (rv != 1)
				return;
			off += used;
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int rv;

	run((const char *)data, size, &http_default_limits);
	run((const char *)data, size, &tiny);
	/* the whole input as a chunked body, too */
	chunked_both((const char *)data, size, tiny.max_body, &rv);
	chunked_both((const char *)data, size, UINT64_MAX, &rv);
	return 0;
}
