/* SOURCES: src/http/params.c src/base/utf8.c src/base/str.c src/base/mem.c src/base/arena.c */
/*
 * fuzz_params.c: libFuzzer target for query/form and cookie parsing and
 * percent-coding.
 *
 * Invariants checked: every parsed name and value is valid UTF-8 with no
 * NUL inside and within the limits; url_encode then url_decode gives the
 * input back; a successful url_decode never grows the input.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/params.h"

#define CHECK(x)	do { if (!(x)) abort(); } while (0)

static void
check_params(const struct params *p)
{
	size_t i, nl;

	CHECK(p->n <= PARAMS_MAX);
	for (i = 0; i < p->n; i++) {
		nl = strlen(p->items[i].name);
		CHECK(nl <= PARAMS_MAX_NAME);
		CHECK(utf8_valid(p->items[i].name, nl));
		CHECK(strlen(p->items[i].value) == p->items[i].value_len);
		CHECK(p->items[i].value_len <= PARAMS_MAX_VALUE);
		CHECK(utf8_valid(p->items[i].value, p->items[i].value_len));
		CHECK(params_get(p, p->items[i].name) != NULL);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct str in = { (const char *)data, size };
	struct arena a;
	struct params p;
	struct buf b = BUF_INIT;
	char *out, *back;
	size_t n, m;

	arena_init(&a);
	if (params_parse_urlencoded(&a, in, &p))
		check_params(&p);
	if (params_parse_cookies(&a, in, &p))
		check_params(&p);
	if (url_decode(&a, in, true, &out, &n)) {
		CHECK(n <= size && strlen(out) == n);
	}
	if (url_decode(&a, in, false, &out, &n)) {
		CHECK(n <= size && strlen(out) == n);
		/* encode what was decoded and decode it again: same bytes */
		url_encode(&b, out, n);
		CHECK(url_decode(&a, (struct str){ b.data ? b.data : "", b.len },
		    false, &back, &m));
		CHECK(m == n && memcmp(back, out, n) == 0);
	}
	(void)utf8_valid(in.p, in.len);
	buf_free(&b);
	arena_free(&a);
	return 0;
}
