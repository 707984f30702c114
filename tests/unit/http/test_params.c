/*
 * Unit tests for http/params.c: urlencoded pairs and their limits,
 * percent-decoding errors, UTF-8 validity (overlongs, surrogates),
 * cookies, url_encode, and JSON bodies (depth, duplicates, UTF-8).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "http/params.h"

#define S(lit)	((struct str){ (lit), sizeof(lit) - 1 })

static void
test_urlencoded_basic(void **state)
{
	struct arena a;
	struct params p;
	(void)state;

	arena_init(&a);
	assert_true(params_parse_urlencoded(&a, S("a=1&b=two"), &p));
	assert_int_equal(p.n, 2);
	assert_string_equal(p.items[0].name, "a");
	assert_string_equal(p.items[0].value, "1");
	assert_int_equal(p.items[0].value_len, 1);
	assert_string_equal(params_get(&p, "b"), "two");
	assert_null(params_get(&p, "c"));
	assert_null(params_get(NULL, "a"));

	assert_true(params_parse_urlencoded(&a, S(""), &p));
	assert_int_equal(p.n, 0);
	assert_null(params_get(&p, "a"));

	/* empty pairs are skipped; no '=' means an empty value */
	assert_true(params_parse_urlencoded(&a, S("&a=1&&b&=x&"), &p));
	assert_int_equal(p.n, 3);
	assert_string_equal(params_get(&p, "a"), "1");
	assert_string_equal(params_get(&p, "b"), "");
	assert_string_equal(params_get(&p, ""), "x");

	/* the first '=' splits; decoding; first value wins */
	assert_true(params_parse_urlencoded(&a,
	    S("q=a=b&q=second&msg=hello+world%21&%41%62=%e2%82%AC&p=%2B"), &p));
	assert_string_equal(params_get(&p, "q"), "a=b");
	assert_string_equal(params_get(&p, "msg"), "hello world!");
	assert_string_equal(params_get(&p, "Ab"), "\xe2\x82\xac");
	assert_string_equal(params_get(&p, "p"), "+");
	arena_free(&a);
}

static void
test_urlencoded_errors(void **state)
{
	static const struct {
		const char	*in;
		size_t		 len;
	} bad[] = {
#define B(s)	{ s, sizeof(s) - 1 }
		B("a=%"), B("a=%4"), B("a=%zz"), B("a=%4g"), B("%=1"),
		B("a=%00"), B("a%00=1"), B("a=x\0y"),
		B("a=\xff"), B("a=%ff"), B("a=%C3"),		/* truncated */
		B("a=%C0%80"), B("a=%E0%80%AF"),		/* overlong */
		B("a=%ED%A0%80"), B("a=%ED%BF%BF"),		/* surrogates */
		B("a=%F4%90%80%80"),				/* > U+10FFFF */
		B("ok=1&a=%"),
#undef B
	};
	struct arena a;
	struct params p;
	size_t i;
	(void)state;

	arena_init(&a);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (params_parse_urlencoded(&a, (struct str){ bad[i].in, bad[i].len }, &p))
			fail_msg("bad case %zu accepted", i);
	assert_true(params_parse_urlencoded(&a, S("a=%F4%8F%BF%BF&b=%ED%9F%BF"), &p));
	arena_free(&a);
}

static void
test_urlencoded_limits(void **state)
{
	struct arena a;
	struct params p;
	struct buf b = BUF_INIT;
	size_t i;
	(void)state;

	arena_init(&a);
	/* PARAMS_MAX pairs pass, one more fails (empty pairs do not count) */
	for (i = 0; i < PARAMS_MAX; i++)
		buf_printf(&b, "k%zu=v&&", i);
	assert_true(params_parse_urlencoded(&a, (struct str){ b.data, b.len }, &p));
	assert_int_equal(p.n, PARAMS_MAX);
	assert_string_equal(params_get(&p, "k255"), "v");
	buf_puts(&b, "x=1");
	assert_false(params_parse_urlencoded(&a, (struct str){ b.data, b.len }, &p));
	buf_reset(&b);

	/* names: 128 bytes pass, 129 fail, counted after decoding */
	for (i = 0; i < PARAMS_MAX_NAME; i++)
		buf_puts(&b, "%6E");
	buf_puts(&b, "=1");
	assert_true(params_parse_urlencoded(&a, (struct str){ b.data, b.len }, &p));
	assert_int_equal(strlen(p.items[0].name), PARAMS_MAX_NAME);
	buf_reset(&b);
	for (i = 0; i <= PARAMS_MAX_NAME; i++)
		buf_putc(&b, 'n');
	buf_puts(&b, "=1");
	assert_false(params_parse_urlencoded(&a, (struct str){ b.data, b.len }, &p));
	buf_reset(&b);

	/* values: 64 KiB pass (even fully escaped), one more byte fails */
	buf_puts(&b, "v=");
	for (i = 0; i < PARAMS_MAX_VALUE; i++)
		buf_puts(&b, "%41");
	assert_true(params_parse_urlencoded(&a, (struct str){ b.data, b.len }, &p));
	assert_int_equal(p.items[0].value_len, PARAMS_MAX_VALUE);
	buf_puts(&b, "A");
	assert_false(params_parse_urlencoded(&a, (struct str){ b.data, b.len }, &p));
	buf_reset(&b);
	buf_puts(&b, "v=");
	for (i = 0; i <= PARAMS_MAX_VALUE; i++)
		buf_putc(&b, 'A');
	assert_false(params_parse_urlencoded(&a, (struct str){ b.data, b.len }, &p));

	buf_free(&b);
	arena_free(&a);
}

static void
test_url_decode(void **state)
{
	static const struct {
		const char	*in;
		bool		 plus;
		bool		 ok;
		const char	*out;
	} cases[] = {
		{ "", true, true, "" },
		{ "abc", true, true, "abc" },
		{ "a+b", true, true, "a b" },
		{ "a+b", false, true, "a+b" },
		{ "%20%2b%2B", false, true, " ++" },
		{ "%7e%7E", true, true, "~~" },
		{ "100%", true, false, NULL },
		{ "%a", true, false, NULL },
		{ "%%41", true, false, NULL },
		{ "%G1", true, false, NULL },
		{ "% 1", true, false, NULL },
		{ "%00", true, false, NULL },
		{ "%ff", true, true, "\xff" },	/* UTF-8 is the caller's check */
	};
	struct arena a;
	size_t i, n;
	char *out;
	(void)state;

	arena_init(&a);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool ok = url_decode(&a, str_c(cases[i].in), cases[i].plus, &out, &n);
		if (ok != cases[i].ok)
			fail_msg("url_decode case %zu: got %d", i, ok);
		if (ok) {
			assert_string_equal(out, cases[i].out);
			assert_int_equal(n, strlen(cases[i].out));
		}
	}
	assert_false(url_decode(&a, (struct str){ "a\0b", 3 }, true, &out, &n));
	arena_free(&a);
}

static void
test_utf8(void **state)
{
	static const struct {
		const char	*s;
		size_t		 n;
		bool		 ok;
	} cases[] = {
#define U(s, ok)	{ s, sizeof(s) - 1, ok }
		U("", true),
		U("plain ascii", true),
		U("\x7f", true),
		U("\xc3\xa9", true),			/* é */
		U("\xe2\x82\xac", true),		/* € */
		U("\xf0\x9f\x98\x80", true),		/* 😀 */
		U("\xc2\x80", true),			/* U+0080 */
		U("\xe0\xa0\x80", true),		/* U+0800 */
		U("\xed\x9f\xbf", true),		/* U+D7FF */
		U("\xee\x80\x80", true),		/* U+E000 */
		U("\xef\xbf\xbf", true),		/* U+FFFF */
		U("\xf0\x90\x80\x80", true),		/* U+10000 */
		U("\xf4\x8f\xbf\xbf", true),		/* U+10FFFF */
		U("\x80", false),			/* lone continuation */
		U("a\xbf", false),
		U("\xc0\x80", false),			/* overlong NUL */
		U("\xc0\xaf", false),			/* overlong '/' */
		U("\xc1\xbf", false),
		U("\xe0\x80\xaf", false),
		U("\xe0\x9f\xbf", false),
		U("\xf0\x80\x80\xaf", false),
		U("\xf0\x8f\xbf\xbf", false),
		U("\xed\xa0\x80", false),		/* U+D800 */
		U("\xed\xbf\xbf", false),		/* U+DFFF */
		U("\xed\xa0\xbd\xed\xb8\x80", false),	/* CESU-8 pair */
		U("\xf4\x90\x80\x80", false),		/* U+110000 */
		U("\xf5\x80\x80\x80", false),
		U("\xf8\x88\x80\x80\x80", false),
		U("\xfe", false),
		U("\xff", false),
		U("\xc3", false),			/* truncated */
		U("\xe2\x82", false),
		U("\xf0\x9f\x98", false),
		U("\xc3\x28", false),			/* bad continuation */
		U("\xe2\x28\xa1", false),
		U("\xe2\x82\x28", false),
		U("\xf0\x9f\x28\x80", false),
		U("\xf0\x9f\x98\x28", false),
#undef U
	};
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (utf8_valid(cases[i].s, cases[i].n) != cases[i].ok)
			fail_msg("utf8 case %zu: want %d", i, cases[i].ok);
}

static void
test_url_encode(void **state)
{
	struct buf b = BUF_INIT;
	struct arena a;
	char *back;
	size_t n;
	(void)state;

	url_encode(&b, "a b&c=d/\xc3\xa9~-._+%", 16);
	assert_string_equal(b.data, "a%20b%26c%3Dd%2F%C3%A9~-._%2B%25");
	/* round trip */
	arena_init(&a);
	assert_true(url_decode(&a, (struct str){ b.data, b.len }, false, &back, &n));
	assert_string_equal(back, "a b&c=d/\xc3\xa9~-._+%");
	arena_free(&a);
	buf_free(&b);
}

static void
test_cookies(void **state)
{
	struct arena a;
	struct params p;
	struct buf b = BUF_INIT;
	size_t i;
	(void)state;

	arena_init(&a);
	assert_true(params_parse_cookies(&a, S("a=1; b=2"), &p));
	assert_int_equal(p.n, 2);
	assert_string_equal(params_get(&p, "a"), "1");
	assert_string_equal(params_get(&p, "b"), "2");

	assert_true(params_parse_cookies(&a,
	    S("sid=abc%41;theme=\"dark mode\";  e= ; x=a=b;dup=1;dup=2"), &p));
	assert_string_equal(params_get(&p, "sid"), "abc%41");	/* not decoded */
	assert_string_equal(params_get(&p, "theme"), "dark mode");
	assert_string_equal(params_get(&p, "e"), "");
	assert_string_equal(params_get(&p, "x"), "a=b");
	assert_string_equal(params_get(&p, "dup"), "1");
	assert_int_equal(p.items[1].value_len, 9);

	/* pairs without '=' or a name are skipped, not fatal */
	assert_true(params_parse_cookies(&a, S("junk; =x; ;; a=1;"), &p));
	assert_int_equal(p.n, 1);
	assert_string_equal(params_get(&p, "a"), "1");
	assert_true(params_parse_cookies(&a, S(""), &p));
	assert_int_equal(p.n, 0);
	/* a lone quote is kept */
	assert_true(params_parse_cookies(&a, S("q=\""), &p));
	assert_string_equal(params_get(&p, "q"), "\"");

	/* control bytes and invalid UTF-8 fail */
	assert_false(params_parse_cookies(&a, S("a=x\x01y"), &p));
	assert_false(params_parse_cookies(&a, S("a=x\0y"), &p));
	assert_false(params_parse_cookies(&a, S("a=\xff"), &p));
	assert_false(params_parse_cookies(&a, S("\xc0\x80=1"), &p));
	assert_true(params_parse_cookies(&a, S("a=\xc3\xa9"), &p));

	/* limits: count, name, value */
	for (i = 0; i < PARAMS_MAX; i++)
		buf_printf(&b, "c%zu=v; ", i);
	assert_true(params_parse_cookies(&a, (struct str){ b.data, b.len }, &p));
	assert_int_equal(p.n, PARAMS_MAX);
	buf_puts(&b, "z=1");
	assert_false(params_parse_cookies(&a, (struct str){ b.data, b.len }, &p));
	buf_reset(&b);
	for (i = 0; i < PARAMS_MAX_NAME; i++)
		buf_putc(&b, 'n');
	buf_puts(&b, "=1");
	assert_true(params_parse_cookies(&a, (struct str){ b.data, b.len }, &p));
	buf_reset(&b);
	for (i = 0; i <= PARAMS_MAX_NAME; i++)
		buf_putc(&b, 'n');
	buf_puts(&b, "=1");
	assert_false(params_parse_cookies(&a, (struct str){ b.data, b.len }, &p));
	buf_reset(&b);
	buf_puts(&b, "v=");
	for (i = 0; i < PARAMS_MAX_VALUE; i++)
		buf_putc(&b, 'A');
	assert_true(params_parse_cookies(&a, (struct str){ b.data, b.len }, &p));
	buf_putc(&b, 'A');
	assert_false(params_parse_cookies(&a, (struct str){ b.data, b.len }, &p));

	buf_free(&b);
	arena_free(&a);
}

static void
test_json(void **state)
{
	static const struct {
		const char	*in;
		size_t		 len;
		size_t		 depth;
		bool		 ok;
		const char	*err;	/* substring of the message */
	} cases[] = {
#define J(s, d, ok, e)	{ s, sizeof(s) - 1, d, ok, e }
		J("{}", 1, true, NULL),
		J("{\"a\":1,\"b\":[1,2],\"c\":\"x\"}", 2, true, NULL),
		J(" {\"a\":\"\xc3\xa9\\u00e9\"} \n", 1, true, NULL),
		J("{\"a\":{\"b\":{}}}", 3, true, NULL),
		J("{\"a\":{\"b\":{\"c\":{}}}}", 3, false, "deep"),
		J("{\"a\":[[[]]]}", 3, false, "deep"),
		J("{\"a\":[[]]}", 3, true, NULL),
		J("{\"a\":\"[[[[[[{{{{\"}", 1, true, NULL),
		J("{\"a\":\"\\\"[[[[\"}", 1, true, NULL),
		J("{\"a\":\"\\\\\",\"b\":[]}", 1, false, "deep"),
		J("{\"a\":1,\"a\":2}", 4, false, "duplicate"),
		J("{\"a\":{\"b\":1,\"b\":1}}", 4, false, "duplicate"),
		J("[1]", 4, false, "object"),
		J("\"s\"", 4, false, "JSON"),
		J("1", 4, false, "JSON"),
		J("null", 4, false, "JSON"),
		J("", 4, false, "empty"),
		J("{", 4, false, "JSON"),
		J("{\"a\":1} x", 4, false, "JSON"),
		J("{\"a\":1}{}", 4, false, "JSON"),
		J("{'a':1}", 4, false, "JSON"),
		J("{\"a\":\"\xff\"}", 4, false, "UTF-8"),
		J("{\"a\":\"\xed\xa0\x80\"}", 4, false, "UTF-8"),
		J("{\"a\":\"\\u0000\"}", 4, false, "NUL"),
		J("{\"a\0\":1}", 4, false, "JSON"),
		J("{\"a\":\"\\ud800\"}", 4, false, "JSON"),
		J("{\"a\":1e999999}", 4, false, "JSON"),
		J("{\"a\":99999999999999999999999}", 4, false, "range"),
#undef J
	};
	char err[128];
	size_t i;
	json_t *v;
	(void)state;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		v = params_parse_json((struct str){ cases[i].in, cases[i].len },
		    cases[i].depth, err, sizeof(err));
		if ((v != NULL) != cases[i].ok)
			fail_msg("json case %zu: got %p (%s)", i, (void *)v, err);
		if (v == NULL && strstr(err, cases[i].err) == NULL)
			fail_msg("json case %zu: message \"%s\"", i, err);
		json_decref(v);
	}

	v = params_parse_json(S("{\"n\":{\"k\":[true]}}"), 3, NULL, 0);
	assert_non_null(v);
	assert_true(json_is_true(json_array_get(json_object_get(
	    json_object_get(v, "n"), "k"), 0)));
	json_decref(v);
	assert_null(params_parse_json(S("[]"), 3, NULL, 0));
	/* a short buffer truncates the message, never overflows */
	assert_null(params_parse_json(S("[]"), 3, err, 4));
	assert_int_equal(strlen(err), 3);
}

/* A document nested far beyond any limit is refused without recursion. */
static void
test_json_deep(void **state)
{
	struct buf b = BUF_INIT;
	char err[128];
	size_t i;
	(void)state;

	buf_putc(&b, '{');
	buf_puts(&b, "\"a\":");
	for (i = 0; i < 100000; i++)
		buf_putc(&b, '[');
	assert_null(params_parse_json((struct str){ b.data, b.len }, 32, err,
	    sizeof(err)));
	assert_non_null(strstr(err, "deep"));
	/* the error never quotes the body */
	buf_reset(&b);
	buf_puts(&b, "{\"password\":\"hunter2\" x}");
	assert_null(params_parse_json((struct str){ b.data, b.len }, 32, err,
	    sizeof(err)));
	assert_null(strstr(err, "hunter2"));
	assert_null(strstr(err, "x"));
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_urlencoded_basic),
		cmocka_unit_test(test_urlencoded_errors),
		cmocka_unit_test(test_urlencoded_limits),
		cmocka_unit_test(test_url_decode),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_url_encode),
		cmocka_unit_test(test_cookies),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_json_deep),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
