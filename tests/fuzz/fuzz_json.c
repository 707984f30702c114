/* SOURCES: src/http/params.c src/base/utf8.c src/base/str.c src/base/mem.c src/base/arena.c */
/*
 * fuzz_json.c: libFuzzer target for params_parse_json.
 *
 * The first byte picks max_depth (0..15), the rest is the body.  A
 * document that is accepted must be an object, no deeper than max_depth,
 * with an error buffer left empty, and must survive a dump and reparse.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/params.h"

#define CHECK(x)	do { if (!(x)) abort(); } while (0)

static size_t
depth_of(json_t *v)
{
	size_t d = 0, i;
	const char *k;
	json_t *x;

	if (json_is_object(v)) {
		json_object_foreach(v, k, x) {
			size_t c = depth_of(x);
			if (c > d)
				d = c;
		}
		return d + 1;
	}
	if (json_is_array(v)) {
		json_array_foreach(v, i, x) {
			size_t c = depth_of(x);
			if (c > d)
				d = c;
		}
		return d + 1;
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[96];
	size_t depth;
	json_t *v, *w;
	char *s;

	if (size < 1)
		return 0;
	depth = data[0] & 15;
	v = params_parse_json((struct str){ (const char *)data + 1, size - 1 },
	    depth, err, sizeof(err));
	if (v == NULL) {
		CHECK(err[0] != '\0');
		return 0;
	}
	CHECK(json_is_object(v));
	CHECK(depth_of(v) <= depth);
	s = json_dumps(v, JSON_COMPACT);
	CHECK(s != NULL);
	w = params_parse_json(str_c(s), depth, err, sizeof(err));
	CHECK(w != NULL && json_equal(v, w));
	free(s);
	json_decref(w);
	json_decref(v);
	return 0;
}
