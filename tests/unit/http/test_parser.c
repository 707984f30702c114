/*
 * Unit tests for http/parser.c: the request head table (valid shapes,
 * every smuggling shape, versions), limits at and one past each boundary,
 * byte-at-a-time input, pipelining, keep-alive, and the chunked decoder
 * split at every byte offset.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/parser.h"

#define FULL	LONG_MAX	/* complete: returns the whole input length */

struct head_case {
	const char	*name;
	const char	*in;
	size_t		 len;
	long		 want;
};

#define HC(name, in, want)	{ name, in, sizeof(in) - 1, want }

static const struct head_case head_cases[] = {
	/* valid shapes */
	HC("simple", "GET / HTTP/1.1\r\nHost: a\r\n\r\n", FULL),
	HC("bare LF", "GET / HTTP/1.1\nHost: a\n\n", FULL),
	HC("mixed line ends", "GET / HTTP/1.1\r\nHost: a\n\r\n", FULL),
	HC("leading CRLF", "\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", FULL),
	HC("leading LF", "\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", FULL),
	HC("two leading CRLF", "\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", -400),
	HC("1.0 without Host", "GET / HTTP/1.0\r\n\r\n", FULL),
	HC("empty Host", "GET / HTTP/1.1\r\nHost:\r\n\r\n", FULL),
	HC("Host with port", "GET / HTTP/1.1\r\nHost: a.example:8080\r\n\r\n", FULL),
	HC("Host IPv6", "GET / HTTP/1.1\r\nHost: [::1]:80\r\n\r\n", FULL),
	HC("query", "GET /a/b?x=1&y=%20 HTTP/1.1\r\nHost: a\r\n\r\n", FULL),
	HC("OPTIONS *", "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", FULL),
	HC("absolute http", "GET http://a.example/x?y HTTP/1.1\r\nHost: a\r\n\r\n", FULL),
	HC("absolute https", "GET HTTPS://a.example HTTP/1.1\r\nHost: a\r\n\r\n", FULL),
	HC("lowercase method", "get / HTTP/1.1\r\nHost: a\r\n\r\n", FULL),
	HC("extension method", "PROPFIND / HTTP/1.1\r\nHost: a\r\n\r\n", FULL),
	HC("tab in value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\tb\r\n\r\n", FULL),
	HC("obs-text in value", "GET / HTTP/1.1\r\nHost: a\r\nX: \xc3\xa9\xff\r\n\r\n", FULL),
	HC("empty value", "GET / HTTP/1.1\r\nHost: a\r\nX:\r\n\r\n", FULL),
	HC("chunked", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n", FULL),
	HC("Chunked any case", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: ChUnKeD\r\n\r\n", FULL),
	HC("TE with OWS", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:  chunked \t\r\n\r\n", FULL),
	HC("CL with OWS", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length:  5 \r\n\r\n", FULL),
	HC("CL leading zeros", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0005\r\n\r\n", FULL),
	HC("CL zero", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n", FULL),
	HC("expect", "POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\n\r\n", FULL),

	/* incomplete */
	HC("empty", "", 0),
	HC("lone CR", "\r", 0),
	HC("leading CRLF only", "\r\n", 0),
	HC("line only", "GET / HTTP/1.1\r\n", 0),
	HC("no blank line", "GET / HTTP/1.1\r\nHost: a\r\n", 0),
	HC("half blank line", "GET / HTTP/1.1\r\nHost: a\r\n\r", 0),

	/* request line */
	HC("no target", "GET\r\n\r\n", -400),
	HC("no version", "GET /\r\n\r\n", -400),
	HC("empty method", " / HTTP/1.1\r\nHost: a\r\n\r\n", -400),
	HC("bad method char", "GE(T / HTTP/1.1\r\nHost: a\r\n\r\n", -400),
	HC("method with tab", "GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", -400),
	HC("two spaces", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", -400),
	HC("trailing space", "GET / HTTP/1.1 \r\nHost: a\r\n\r\n", -400),
	HC("space in target", "GET /a b HTTP/1.1\r\nHost: a\r\n\r\n", -400),
	HC("fragment", "GET /a#b HTTP/1.1\r\nHost: a\r\n\r\n", -400),
	HC("DEL in target", "GET /a\x7f HTTP/1.1\r\nHost: a\r\n\r\n", -400),
	HC("8-bit target", "GET /\xc3\xa9 HTTP/1.1\r\nHost: a\r\n\r\n", -400),
	HC("relative target", "GET a HTTP/1.1\r\nHost: a\r\n\r\n", -400),
	HC("GET *", "GET * HTTP/1.1\r\nHost: a\r\n\r\n", -400),
	HC("authority-form", "CONNECT a.example:443 HTTP/1.1\r\nHost: a\r\n\r\n", -400),
	HC("other scheme", "GET ftp://a/ HTTP/1.1\r\nHost: a\r\n\r\n", -400),
	HC("empty authority", "GET http:///x HTTP/1.1\r\nHost: a\r\n\r\n", -400),
	HC("userinfo", "GET http://u@a/ HTTP/1.1\r\nHost: a\r\n\r\n", -400),
	HC("bad authority", "GET http://a\"b/ HTTP/1.1\r\nHost: a\r\n\r\n", -400),
	HC("bare CR in line", "GET / HTTP/1.1\r\r\nHost: a\r\n\r\n", -400),
	HC("CR mid line", "GET /\r HTTP/1.1\r\nHost: a\r\n\r\n", -400),
	HC("CR early", "GET /\rX", -400),
	HC("NUL in line", "GET /\0 HTTP/1.1\r\nHost: a\r\n\r\n", -400),

	/* versions */
	HC("HTTP/1.2", "GET / HTTP/1.2\r\nHost: a\r\n\r\n", -505),
	HC("HTTP/2.0", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", -505),
	HC("HTTP/0.9", "GET / HTTP/0.9\r\n\r\n", -505),
	HC("h2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", -505),
	HC("HTTP/1.10", "GET / HTTP/1.10\r\nHost: a\r\n\r\n", -400),
	HC("HTTP/1", "GET / HTTP/1\r\nHost: a\r\n\r\n", -400),
	HC("lowercase http", "GET / http/1.1\r\nHost: a\r\n\r\n", -400),
	HC("HTTP/x.y", "GET / HTTP/x.y\r\nHost: a\r\n\r\n", -400),

	/* Host */
	HC("1.1 without Host", "GET / HTTP/1.1\r\n\r\n", -400),
	HC("two Hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", -400),
	HC("Host with space", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", -400),
	HC("Host with slash", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", -400),
	HC("Host with at", "GET / HTTP/1.1\r\nHost: u@a\r\n\r\n", -400),

	/* field syntax */
	HC("space before colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", -400),
	HC("tab before colon", "GET / HTTP/1.1\r\nHost\t: a\r\n\r\n", -400),
	HC("obs-fold", "GET / HTTP/1.1\r\nHost: a\r\nX: b\r\n c\r\n\r\n", -400),
	HC("obs-fold tab", "GET / HTTP/1.1\r\nHost: a\r\nX: b\r\n\tc\r\n\r\n", -400),
	HC("space first line", "GET / HTTP/1.1\r\n Host: a\r\n\r\n", -400),
	HC("no colon", "GET / HTTP/1.1\r\nHost: a\r\nX\r\n\r\n", -400),
	HC("empty name", "GET / HTTP/1.1\r\nHost: a\r\n: x\r\n\r\n", -400),
	HC("space in name", "GET / HTTP/1.1\r\nHost: a\r\nX Y: x\r\n\r\n", -400),
	HC("8-bit name", "GET / HTTP/1.1\r\nHost: a\r\nX\xc3\xa9: x\r\n\r\n", -400),
	HC("NUL in value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\0b\r\n\r\n", -400),
	HC("bare CR in value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n", -400),
	HC("CR CR LF", "GET / HTTP/1.1\r\nHost: a\r\nX: a\r\r\n\r\n", -400),
	HC("bare CR blank", "GET / HTTP/1.1\r\nHost: a\r\n\r\r\n", -400),
	HC("CTL in value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\x01\r\n\r\n", -400),
	HC("DEL in value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\x7f\r\n\r\n", -400),
	HC("VT in value", "GET / HTTP/1.1\r\nHost: a\r\nX: \x0b\r\n\r\n", -400),

	/* smuggling: Content-Length */
	HC("CL and TE", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", -400),
	HC("TE and CL", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n", -400),
	HC("CL twice equal", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n", -400),
	HC("CL twice differ", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\ncontent-length: 6\r\n\r\n", -400),
	HC("CL list", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\n", -400),
	HC("CL comma", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5,5\r\n\r\n", -400),
	HC("CL plus", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\n", -400),
	HC("CL minus", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -5\r\n\r\n", -400),
	HC("CL inner space", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5 5\r\n\r\n", -400),
	HC("CL hex", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x5\r\n\r\n", -400),
	HC("CL decimal point", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5.0\r\n\r\n", -400),
	HC("CL suffix", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5a\r\n\r\n", -400),
	HC("CL empty", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length:\r\n\r\n", -400),
	HC("CL space colon", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length : 5\r\n\r\n", -400),
	HC("CL vtab", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \x0b" "5\r\n\r\n", -400),

	/* smuggling: Transfer-Encoding */
	HC("TE chunked, gzip", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", -400),
	HC("TE gzip", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", -400),
	HC("TE identity", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: identity\r\n\r\n", -400),
	HC("TE gzip, chunked", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", -501),
	HC("TE chunked twice", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", -400),
	HC("TE two lines", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", -400),
	HC("TE two lines gzip", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n", -400),
	HC("TE trailing comma", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked,\r\n\r\n", -400),
	HC("TE leading comma", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: ,chunked\r\n\r\n", -400),
	HC("TE param", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked;q=1\r\n\r\n", -400),
	HC("TE quoted", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \"chunked\"\r\n\r\n", -400),
	HC("TE prefix", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n", -400),
	HC("TE empty", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\r\n\r\n", -400),
	HC("TE space colon", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding : chunked\r\n\r\n", -400),
	HC("TE vtab", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \x0b" "chunked\r\n\r\n", -400),
	HC("TE obs-fold", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\r\n chunked\r\n\r\n", -400),
	HC("TE on 1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", -400),
	HC("TE-ish name", "POST / HTTP/1.1\r\nHost: a\r\nTransfer_Encoding: chunked\r\n\r\n", FULL),

	/* Expect */
	HC("expect other", "POST / HTTP/1.1\r\nHost: a\r\nExpect: foo\r\n\r\n", -417),
	HC("expect list", "POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue, foo\r\n\r\n", -417),
	HC("expect 1.0 other", "POST / HTTP/1.0\r\nExpect: foo\r\n\r\n", -417),

	/* body size from the header, default 1 MiB */
	HC("CL at max", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1048576\r\n\r\n", FULL),
	HC("CL over max", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1048577\r\n\r\n", -413),
	HC("CL u64 max", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 18446744073709551615\r\n\r\n", -413),
	HC("CL overflow", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\n", -413),
};

static void
test_head_table(void **state)
{
	struct http_head h;
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(head_cases) / sizeof(head_cases[0]); i++) {
		const struct head_case *c = &head_cases[i];
		size_t len = c->len;
		long want = c->want == FULL ? (long)len : c->want, got;

		got = http_parse_head(c->in, len, &http_default_limits, &h);
		if (got != want)
			fail_msg("case \"%s\": got %ld, want %ld", c->name, got, want);
	}
}

/* Every prefix of a valid head is incomplete, never an error. */
static void
test_head_bytewise(void **state)
{
	struct http_head h;
	size_t i, k;
	(void)state;

	for (i = 0; i < sizeof(head_cases) / sizeof(head_cases[0]); i++) {
		const struct head_case *c = &head_cases[i];
		size_t len = c->len;

		if (c->want != FULL)
			continue;
		for (k = 0; k < len; k++) {
			char *copy = malloc(k + 1);	/* ASan sees overreads */
			long got;

			memcpy(copy, c->in, k);
			got = http_parse_head(copy, k, &http_default_limits, &h);
			free(copy);
			if (got != 0)
				fail_msg("case \"%s\" prefix %zu: got %ld", c->name, k, got);
		}
		assert_int_equal(http_parse_head(c->in, len, &http_default_limits, &h),
		    (long)len);
	}
}

static void
test_head_fields(void **state)
{
	static const char req[] =
	    "POST /a/b%20c?x=1&y HTTP/1.1\r\n"
	    "host:  a.example \r\n"
	    "Content-Length: 42\r\n"
	    "X-Empty:\r\n"
	    "X-Tab:\tv\t\r\n"
	    "\r\n";
	struct http_head h;
	const struct http_header *f;
	(void)state;

	assert_int_equal(http_parse_head(req, sizeof(req) - 1,
	    &http_default_limits, &h), (long)sizeof(req) - 1);
	assert_true(str_eqc(h.method, "POST"));
	assert_int_equal(h.method_id, HTTP_POST);
	assert_true(str_eqc(h.target, "/a/b%20c?x=1&y"));
	assert_true(str_eqc(h.path, "/a/b%20c"));
	assert_true(str_eqc(h.query, "x=1&y"));
	assert_int_equal(h.minor, 1);
	assert_int_equal(h.nheaders, 4);
	assert_true(h.has_content_length);
	assert_true(h.content_length == 42);
	assert_false(h.chunked);
	assert_true(h.keep_alive);
	assert_false(h.expect_continue);
	f = http_head_find(&h, "HOST");
	assert_non_null(f);
	assert_true(str_eqc(f->name, "host"));
	assert_true(str_eqc(f->value, "a.example"));
	f = http_head_find(&h, "x-empty");
	assert_non_null(f);
	assert_int_equal(f->value.len, 0);
	assert_true(str_eqc(http_head_find(&h, "x-tab")->value, "v"));
	assert_null(http_head_find(&h, "x-missing"));
	assert_null(http_head_find(&h, "x-emp"));
}

static void
test_head_targets(void **state)
{
	static const struct {
		const char	*in;
		const char	*path, *query;
		int		 method;
	} cases[] = {
		{ "GET / HTTP/1.1\r\nHost: a\r\n\r\n", "/", "", HTTP_GET },
		{ "HEAD /x? HTTP/1.1\r\nHost: a\r\n\r\n", "/x", "", HTTP_HEAD },
		{ "PUT /x?a?b HTTP/1.1\r\nHost: a\r\n\r\n", "/x", "a?b", HTTP_PUT },
		{ "PATCH http://h/p?q HTTP/1.1\r\nHost: a\r\n\r\n", "/p", "q", HTTP_PATCH },
		{ "DELETE http://h HTTP/1.1\r\nHost: a\r\n\r\n", "/", "", HTTP_DELETE },
		{ "GET https://h:8443?q=1 HTTP/1.1\r\nHost: a\r\n\r\n", "/", "q=1", HTTP_GET },
		{ "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", "*", "", HTTP_OPTIONS },
		{ "get / HTTP/1.1\r\nHost: a\r\n\r\n", "/", "", HTTP_OTHER },
		{ "Post / HTTP/1.1\r\nHost: a\r\n\r\n", "/", "", HTTP_OTHER },
		{ "GETS / HTTP/1.1\r\nHost: a\r\n\r\n", "/", "", HTTP_OTHER },
	};
	struct http_head h;
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len = strlen(cases[i].in);
		assert_int_equal(http_parse_head(cases[i].in, len,
		    &http_default_limits, &h), (long)len);
		if (!str_eqc(h.path, cases[i].path) ||
		    !str_eqc(h.query, cases[i].query) ||
		    (int)h.method_id != cases[i].method)
			fail_msg("target case %zu: path \"%.*s\" query \"%.*s\" method %d",
			    i, (int)h.path.len, h.path.p, (int)h.query.len,
			    h.query.p, (int)h.method_id);
	}
}

static void
test_keep_alive(void **state)
{
	static const struct {
		const char	*in;
		bool		 keep;
	} cases[] = {
		{ "GET / HTTP/1.1\r\nHost: a\r\n\r\n", true },
		{ "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", false },
		{ "GET / HTTP/1.1\r\nHost: a\r\nConnection: CLOSE\r\n\r\n", false },
		{ "GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive\r\n\r\n", true },
		{ "GET / HTTP/1.1\r\nHost: a\r\nConnection: upgrade, close\r\n\r\n", false },
		{ "GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive\r\nConnection: close\r\n\r\n", false },
		{ "GET / HTTP/1.1\r\nHost: a\r\nConnection: closed\r\n\r\n", true },
		{ "GET / HTTP/1.0\r\n\r\n", false },
		{ "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", true },
		{ "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", true },
		{ "GET / HTTP/1.0\r\nConnection: te ,  keep-alive \r\n\r\n", true },
		{ "GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n", false },
		{ "GET / HTTP/1.0\r\nConnection: close\r\n\r\n", false },
		{ "GET / HTTP/1.0\r\nKeep-Alive: 1\r\n\r\n", false },
	};
	struct http_head h;
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len = strlen(cases[i].in);
		assert_int_equal(http_parse_head(cases[i].in, len,
		    &http_default_limits, &h), (long)len);
		if (h.keep_alive != cases[i].keep)
			fail_msg("keep-alive case %zu: got %d", i, h.keep_alive);
	}
}

static void
test_expect(void **state)
{
	static const char r11[] = "POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\n";
	static const char r10[] = "POST / HTTP/1.0\r\nExpect: 100-continue\r\n\r\n";
	static const char te[] = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
	struct http_head h;
	(void)state;

	assert_int_equal(http_parse_head(r11, sizeof(r11) - 1, &http_default_limits, &h),
	    (long)sizeof(r11) - 1);
	assert_true(h.expect_continue);
	/* RFC 9110 10.1.1: a 1.0 client gets no 100 Continue */
	assert_int_equal(http_parse_head(r10, sizeof(r10) - 1, &http_default_limits, &h),
	    (long)sizeof(r10) - 1);
	assert_false(h.expect_continue);
	assert_int_equal(http_parse_head(te, sizeof(te) - 1, &http_default_limits, &h),
	    (long)sizeof(te) - 1);
	assert_true(h.chunked);
	assert_false(h.has_content_length);
	/* a reused head carries nothing over from the previous parse */
	assert_int_equal(http_parse_head(r10, sizeof(r10) - 1, &http_default_limits, &h),
	    (long)sizeof(r10) - 1);
	assert_false(h.chunked);
}

static void
test_pipelined(void **state)
{
	static const char two[] =
	    "GET /a HTTP/1.1\r\nHost: a\r\n\r\n"
	    "GET /b HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
	static const char withbody[] =
	    "POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"
	    "GET /b HTTP/1.1\r\nHost: a\r\n\r\n";
	static const char partial[] =
	    "GET /a HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHo";
	struct http_head h;
	long n, m;
	size_t off;
	(void)state;

	n = http_parse_head(two, sizeof(two) - 1, &http_default_limits, &h);
	assert_int_equal(n, (long)strlen("GET /a HTTP/1.1\r\nHost: a\r\n\r\n"));
	assert_true(str_eqc(h.path, "/a"));
	assert_true(h.keep_alive);
	m = http_parse_head(two + n, sizeof(two) - 1 - (size_t)n, &http_default_limits, &h);
	assert_int_equal(n + m, (long)sizeof(two) - 1);
	assert_true(str_eqc(h.path, "/b"));
	assert_false(h.keep_alive);

	n = http_parse_head(withbody, sizeof(withbody) - 1, &http_default_limits, &h);
	assert_true(n > 0);
	assert_true(h.content_length == 5);
	assert_memory_equal(withbody + n, "hello", 5);
	off = (size_t)n + 5;
	m = http_parse_head(withbody + off, sizeof(withbody) - 1 - off,
	    &http_default_limits, &h);
	assert_int_equal(off + (size_t)m, sizeof(withbody) - 1);
	assert_true(str_eqc(h.path, "/b"));

	n = http_parse_head(partial, sizeof(partial) - 1, &http_default_limits, &h);
	assert_true(n > 0);
	assert_int_equal(http_parse_head(partial + n, sizeof(partial) - 1 - (size_t)n,
	    &http_default_limits, &h), 0);
}

/* A request line of exactly n bytes (with CRLF). */
static char *
request_line(size_t n)
{
	char *s = malloc(n + 1);
	size_t pre = strlen("GET /"), post = strlen(" HTTP/1.1\r\n");

	assert_true(n > pre + post);
	memcpy(s, "GET /", pre);
	memset(s + pre, 'a', n - pre - post);
	memcpy(s + n - post, " HTTP/1.1\r\n", post);
	s[n] = '\0';
	return s;
}

static void
test_limit_line(void **state)
{
	struct http_limits lim = http_default_limits;
	struct http_head h;
	char buf[512], *line;
	long n;
	(void)state;

	lim.max_line = 100;
	/* exactly at the limit passes */
	line = request_line(100);
	snprintf(buf, sizeof(buf), "%sHost: a\r\n\r\n", line);
	n = http_parse_head(buf, strlen(buf), &lim, &h);
	assert_int_equal(n, (long)strlen(buf));
	assert_int_equal(h.target.len, 100 - strlen("GET  HTTP/1.1\r\n"));
	/* the incomplete line: 99 bytes wait, 100 without LF are too many */
	assert_int_equal(http_parse_head(buf, 99, &lim, &h), 0);
	free(line);

	/* one over fails, whether or not the LF has arrived */
	line = request_line(101);
	snprintf(buf, sizeof(buf), "%sHost: a\r\n\r\n", line);
	assert_int_equal(http_parse_head(buf, strlen(buf), &lim, &h), -414);
	assert_int_equal(http_parse_head(buf, 100, &lim, &h), -414);
	assert_int_equal(http_parse_head(buf, 99, &lim, &h), 0);
	free(line);

	/* bare LF: the line is one byte shorter */
	line = request_line(101);
	line[99] = '\n';
	line[100] = '\0';
	snprintf(buf, sizeof(buf), "%sHost: a\r\n\r\n", line);
	assert_int_equal(http_parse_head(buf, strlen(buf), &lim, &h), (long)strlen(buf));
	free(line);

	/* a skipped leading CRLF does not count against the line */
	line = request_line(100);
	snprintf(buf, sizeof(buf), "\r\n%sHost: a\r\n\r\n", line);
	assert_int_equal(http_parse_head(buf, strlen(buf), &lim, &h), (long)strlen(buf));
	free(line);
}

/* A head of exactly n bytes: request line, Host, filler header, CRLF. */
static char *
head_of(size_t n)
{
	static const char pre[] = "GET / HTTP/1.1\r\nHost: a\r\nX: ";
	char *s = malloc(n + 1);
	size_t fill = n - (sizeof(pre) - 1) - 4;

	assert_true(n > sizeof(pre) + 4);
	memcpy(s, pre, sizeof(pre) - 1);
	memset(s + sizeof(pre) - 1, 'v', fill);
	memcpy(s + n - 4, "\r\n\r\n", 4);
	s[n] = '\0';
	return s;
}

static void
test_limit_head(void **state)
{
	static const char longline[] = "GET /aaaaaaaaaaaaaaaaaaaaaaa HTTP/1.1\r\n";
	struct http_limits lim = http_default_limits;
	struct http_head h;
	char *s;
	(void)state;

	lim.max_head = 200;
	s = head_of(200);
	assert_int_equal(http_parse_head(s, 200, &lim, &h), 200);
	assert_int_equal(http_parse_head(s, 199, &lim, &h), 0);
	free(s);

	s = head_of(201);
	assert_int_equal(http_parse_head(s, 201, &lim, &h), -431);
	/* 200 bytes and still no end: no way to finish within the limit */
	assert_int_equal(http_parse_head(s, 200, &lim, &h), -431);
	assert_int_equal(http_parse_head(s, 199, &lim, &h), 0);
	free(s);

	/* the default: 32 KiB exactly passes, one more byte does not */
	s = head_of(32 * 1024);
	assert_int_equal(http_parse_head(s, 32 * 1024, &http_default_limits, &h),
	    32 * 1024);
	free(s);
	s = head_of(32 * 1024 + 1);
	assert_int_equal(http_parse_head(s, 32 * 1024 + 1, &http_default_limits, &h),
	    -431);
	free(s);

	/* a request line longer than the head limit is 431, not 414 */
	lim.max_head = 20;
	assert_int_equal(http_parse_head(longline, sizeof(longline) - 1, &lim, &h),
	    -431);
}

static char *
head_with_headers(size_t nfields)
{
	struct buf b = BUF_INIT;
	size_t i;

	buf_puts(&b, "GET / HTTP/1.1\r\nHost: a\r\n");
	for (i = 1; i < nfields; i++)
		buf_printf(&b, "X-%zu: %zu\r\n", i, i);
	buf_puts(&b, "\r\n");
	return buf_steal(&b);
}

static void
test_limit_headers(void **state)
{
	struct http_limits lim = http_default_limits;
	struct http_head h;
	char *s;
	(void)state;

	lim.max_headers = 10;
	s = head_with_headers(10);
	assert_int_equal(http_parse_head(s, strlen(s), &lim, &h), (long)strlen(s));
	assert_int_equal(h.nheaders, 10);
	free(s);
	s = head_with_headers(11);
	assert_int_equal(http_parse_head(s, strlen(s), &lim, &h), -431);
	free(s);

	/* the default, 64 */
	s = head_with_headers(64);
	assert_int_equal(http_parse_head(s, strlen(s), &http_default_limits, &h),
	    (long)strlen(s));
	free(s);
	s = head_with_headers(65);
	assert_int_equal(http_parse_head(s, strlen(s), &http_default_limits, &h), -431);
	free(s);

	/* a limit above the array size is capped to it */
	lim.max_headers = 1000;
	s = head_with_headers(HTTP_MAX_HEADERS + 1);
	assert_int_equal(http_parse_head(s, strlen(s), &lim, &h), -431);
	free(s);
}

static void
test_limit_body(void **state)
{
	struct http_limits lim = http_default_limits;
	struct http_head h;
	static const char at[] = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n";
	static const char over[] = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 101\r\n\r\n";
	static const char both[] = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 101\r\n"
	    "Transfer-Encoding: chunked\r\n\r\n";
	(void)state;

	lim.max_body = 100;
	assert_int_equal(http_parse_head(at, sizeof(at) - 1, &lim, &h), (long)sizeof(at) - 1);
	assert_true(h.content_length == 100);
	assert_int_equal(http_parse_head(over, sizeof(over) - 1, &lim, &h), -413);
	/* smuggling shapes win over size */
	assert_int_equal(http_parse_head(both, sizeof(both) - 1, &lim, &h), -400);
}

/* chunked decoding */

struct chunk_case {
	const char	*name;
	const char	*in;
	int		 want;
	const char	*body;		/* decoded, when want == 1 */
	size_t		 rest;		/* bytes left unconsumed, when want == 1 */
	size_t		 len;
};

#define CC(name, in, want, body, rest)	{ name, in, want, body, rest, sizeof(in) - 1 }

static const struct chunk_case chunk_cases[] = {
	CC("one chunk", "5\r\nhello\r\n0\r\n\r\n", 1, "hello", 0),
	CC("two chunks", "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", 1, "hello world", 0),
	CC("empty body", "0\r\n\r\n", 1, "", 0),
	CC("upper hex", "A\r\n0123456789\r\n0\r\n\r\n", 1, "0123456789", 0),
	CC("lower hex", "a\r\n0123456789\r\n0\r\n\r\n", 1, "0123456789", 0),
	CC("leading zeros", "0005\r\nhello\r\n000\r\n\r\n", 1, "hello", 0),
	CC("extension", "5;name=value\r\nhello\r\n0;x\r\n\r\n", 1, "hello", 0),
	CC("quoted extension", "5;a=\"b;c\"\r\nhello\r\n0\r\n\r\n", 1, "hello", 0),
	CC("BWS before ;", "5 \t;a\r\nhello\r\n0\r\n\r\n", 1, "hello", 0),
	CC("trailers", "5\r\nhello\r\n0\r\nX-A: 1\r\nX-B: 2\r\n\r\n", 1, "hello", 0),
	CC("CRLF in data", "4\r\n\r\n\r\n\r\n0\r\n\r\n", 1, "\r\n\r\n", 0),
	CC("next request", "5\r\nhello\r\n0\r\n\r\nGET / HTTP/1.1\r\n", 1, "hello", 16),
	CC("incomplete", "5\r\nhel", 0, NULL, 0),
	CC("no final CRLF", "5\r\nhello\r\n0\r\n", 0, NULL, 0),
	CC("in trailers", "0\r\nX: 1\r\n", 0, NULL, 0),

	CC("empty size", "\r\nhello\r\n0\r\n\r\n", -400, NULL, 0),
	CC("bad hex", "g\r\n", -400, NULL, 0),
	CC("0x prefix", "0x5\r\nhello\r\n0\r\n\r\n", -400, NULL, 0),
	CC("plus", "+5\r\nhello\r\n0\r\n\r\n", -400, NULL, 0),
	CC("minus", "-5\r\nhello\r\n0\r\n\r\n", -400, NULL, 0),
	CC("leading space", " 5\r\nhello\r\n0\r\n\r\n", -400, NULL, 0),
	CC("trailing space", "5 \r\nhello\r\n0\r\n\r\n", -400, NULL, 0),
	CC("bare LF size", "5\nhello\r\n0\r\n\r\n", -400, NULL, 0),
	CC("CR CR", "5\r\rhello\r\n0\r\n\r\n", -400, NULL, 0),
	CC("bare LF after data", "5\r\nhello\n0\r\n\r\n", -400, NULL, 0),
	CC("data too long", "5\r\nhelloX\r\n0\r\n\r\n", -400, NULL, 0),
	CC("data too short", "5\r\nhell\r\n0\r\n\r\n", -400, NULL, 0),
	CC("LF in extension", "5;a\nb\r\nhello\r\n0\r\n\r\n", -400, NULL, 0),
	CC("NUL in extension", "5;a\0b\r\nhello\r\n0\r\n\r\n", -400, NULL, 0),
	CC("bare LF final", "0\r\n\n", -400, NULL, 0),
	CC("bare LF trailer", "0\r\nX: 1\n\r\n", -400, NULL, 0),
	CC("bare CR trailer", "0\r\nX: 1\rY\r\n\r\n", -400, NULL, 0),
	CC("size overflow", "10000000000000000\r\n", -400, NULL, 0),
	CC("size overflow long", "fffffffffffffffff\r\n", -400, NULL, 0),
};

static void
test_chunked_table(void **state)
{
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(chunk_cases) / sizeof(chunk_cases[0]); i++) {
		const struct chunk_case *c = &chunk_cases[i];
		struct http_chunked ch;
		struct buf out = BUF_INIT;
		size_t len = c->len, used = 0;
		int rv;

		http_chunked_init(&ch);
		rv = http_chunked_decode(&ch, c->in, len, &used, &out, UINT64_MAX);
		if (rv != c->want)
			fail_msg("chunk case \"%s\": got %d, want %d", c->name, rv, c->want);
		if (rv == 1) {
			assert_int_equal(out.len, strlen(c->body));
			assert_memory_equal(out.data ? out.data : "", c->body, out.len);
			assert_int_equal(len - used, c->rest);
			assert_true(ch.total == out.len);
			/* done stays done and takes nothing more */
			assert_int_equal(http_chunked_decode(&ch, "x", 1, &used, &out,
			    UINT64_MAX), 1);
			assert_int_equal(used, 0);
		} else if (rv == 0) {
			assert_int_equal(used, len);
		} else {
			/* an error sticks */
			assert_int_equal(http_chunked_decode(&ch, "0\r\n\r\n", 5, &used,
			    &out, UINT64_MAX), rv);
		}
		buf_free(&out);
	}
}

/* Feed a valid body split at every offset, and one byte at a time. */
static void
test_chunked_split(void **state)
{
	size_t i, k, j;
	(void)state;

	for (i = 0; i < sizeof(chunk_cases) / sizeof(chunk_cases[0]); i++) {
		const struct chunk_case *c = &chunk_cases[i];
		size_t len = c->len, end = len - c->rest;

		if (c->want != 1)
			continue;
		for (k = 0; k <= end; k++) {
			struct http_chunked ch;
			struct buf out = BUF_INIT;
			size_t used;
			int rv;

			http_chunked_init(&ch);
			rv = http_chunked_decode(&ch, c->in, k, &used, &out, UINT64_MAX);
			if (k < end) {
				assert_int_equal(rv, 0);
				assert_int_equal(used, k);
				rv = http_chunked_decode(&ch, c->in + k, len - k, &used,
				    &out, UINT64_MAX);
				assert_int_equal(used, end - k);
			} else {
				assert_int_equal(used, end);
			}
			if (rv != 1)
				fail_msg("chunk case \"%s\" split at %zu: %d", c->name, k, rv);
			assert_int_equal(out.len, strlen(c->body));
			assert_memory_equal(out.data ? out.data : "", c->body, out.len);
			buf_free(&out);
		}

		{
			struct http_chunked ch;
			struct buf out = BUF_INIT;
			size_t used;
			int rv = 0;

			http_chunked_init(&ch);
			for (j = 0; j < end; j++) {
				rv = http_chunked_decode(&ch, c->in + j, 1, &used, &out,
				    UINT64_MAX);
				assert_int_equal(used, 1);
				assert_int_equal(rv, j + 1 == end ? 1 : 0);
			}
			assert_int_equal(out.len, strlen(c->body));
			buf_free(&out);
		}
	}
}

static void
test_chunked_limits(void **state)
{
	struct http_chunked ch;
	struct buf out = BUF_INIT, in = BUF_INIT;
	size_t used;
	(void)state;

	/* max_body: exactly at the limit passes, one more is 413 */
	http_chunked_init(&ch);
	assert_int_equal(http_chunked_decode(&ch, "a\r\n0123456789\r\n0\r\n\r\n", 20,
	    &used, &out, 10), 1);
	buf_reset(&out);
	http_chunked_init(&ch);
	assert_int_equal(http_chunked_decode(&ch, "b\r\n", 3, &used, &out, 10), -413);
	assert_int_equal(out.len, 0);
	/* across chunks */
	http_chunked_init(&ch);
	assert_int_equal(http_chunked_decode(&ch, "5\r\nhello\r\n6\r\n", 13, &used,
	    &out, 10), -413);
	buf_reset(&out);
	/* a huge size under a small limit is 413, decided from the size line */
	http_chunked_init(&ch);
	assert_int_equal(http_chunked_decode(&ch, "ffffffffffffffff\r\n", 18, &used,
	    &out, 1024 * 1024), -413);
	/* the largest size that fits in 64 bits is not an overflow */
	http_chunked_init(&ch);
	assert_int_equal(http_chunked_decode(&ch, "ffffffffffffffff\r\nab", 20, &used,
	    &out, UINT64_MAX), 0);
	assert_true(ch.remaining == UINT64_MAX - 2);
	buf_reset(&out);

	/* the size line (with its CR) may be 4096 bytes, not 4097 */
	buf_puts(&in, "1;");
	while (in.len < 4095)
		buf_putc(&in, 'x');
	buf_puts(&in, "\r\nZ\r\n0\r\n\r\n");
	http_chunked_init(&ch);
	assert_int_equal(http_chunked_decode(&ch, in.data, in.len, &used, &out, 100), 1);
	assert_string_equal(out.data, "Z");
	buf_reset(&in);
	buf_reset(&out);
	buf_puts(&in, "1;");
	while (in.len < 4096)
		buf_putc(&in, 'x');
	buf_puts(&in, "\r\nZ\r\n0\r\n\r\n");
	http_chunked_init(&ch);
	assert_int_equal(http_chunked_decode(&ch, in.data, in.len, &used, &out, 100), -400);
	buf_reset(&in);

	/* leading zeros count against the same cap */
	while (in.len < 5000)
		buf_putc(&in, '0');
	http_chunked_init(&ch);
	assert_int_equal(http_chunked_decode(&ch, in.data, in.len, &used, &out, 100), -400);
	buf_reset(&in);

	/* the trailer section (with its CRLFs, less the last LF) is capped at 4096 */
	buf_puts(&in, "0\r\nX: ");
	while (in.len < 3 + 4096 - 3)
		buf_putc(&in, 'v');
	buf_puts(&in, "\r\n\r\n");
	http_chunked_init(&ch);
	assert_int_equal(http_chunked_decode(&ch, in.data, in.len, &used, &out, 100), 1);
	buf_reset(&in);
	buf_puts(&in, "0\r\nX: ");
	while (in.len < 3 + 4096 - 2)
		buf_putc(&in, 'v');
	buf_puts(&in, "\r\n\r\n");
	http_chunked_init(&ch);
	assert_int_equal(http_chunked_decode(&ch, in.data, in.len, &used, &out, 100), -400);
	buf_reset(&in);

	/* many small trailer lines hit the same cap */
	buf_puts(&in, "0\r\n");
	while (in.len < 10000)
		buf_puts(&in, "X: 1\r\n");
	buf_puts(&in, "\r\n");
	http_chunked_init(&ch);
	assert_int_equal(http_chunked_decode(&ch, in.data, in.len, &used, &out, 100), -400);

	buf_free(&in);
	buf_free(&out);
}

/* Head then body, as the server will drive them, across a pipeline. */
static void
test_chunked_after_head(void **state)
{
	static const char req[] =
	    "POST /f HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
	    "3;x=y\r\nabc\r\n2\r\nde\r\n0\r\nT: v\r\n\r\n"
	    "GET /next HTTP/1.1\r\nHost: a\r\n\r\n";
	struct http_head h;
	struct http_chunked ch;
	struct buf out = BUF_INIT;
	size_t used, off;
	long n;
	(void)state;

	n = http_parse_head(req, sizeof(req) - 1, &http_default_limits, &h);
	assert_true(n > 0);
	assert_true(h.chunked);
	off = (size_t)n;
	http_chunked_init(&ch);
	assert_int_equal(http_chunked_decode(&ch, req + off, sizeof(req) - 1 - off,
	    &used, &out, http_default_limits.max_body), 1);
	assert_string_equal(out.data, "abcde");
	off += used;
	n = http_parse_head(req + off, sizeof(req) - 1 - off, &http_default_limits, &h);
	assert_int_equal(off + (size_t)n, sizeof(req) - 1);
	assert_true(str_eqc(h.path, "/next"));
	buf_free(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_head_table),
		cmocka_unit_test(test_head_bytewise),
		cmocka_unit_test(test_head_fields),
		cmocka_unit_test(test_head_targets),
		cmocka_unit_test(test_keep_alive),
		cmocka_unit_test(test_expect),
		cmocka_unit_test(test_pipelined),
		cmocka_unit_test(test_limit_line),
		cmocka_unit_test(test_limit_head),
		cmocka_unit_test(test_limit_headers),
		cmocka_unit_test(test_limit_body),
		cmocka_unit_test(test_chunked_table),
		cmocka_unit_test(test_chunked_split),
		cmocka_unit_test(test_chunked_limits),
		cmocka_unit_test(test_chunked_after_head),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
