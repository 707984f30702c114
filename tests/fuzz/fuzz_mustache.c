/* SOURCES: src/view/mustache.c src/base/str.c src/base/mem.c src/base/log.c */
/*
 * fuzz_mustache.c: libFuzzer target for view/mustache.c.
 *
 * Input: if the first line parses as JSON (any value), it is the context
 * and the rest is the template; otherwise the whole input is the template
 * and the context is a fixed value with nested objects, lists, numbers,
 * hostile strings and a "child" chain.  Partials: "self" is the template
 * itself; any other name is a fixed partial that includes itself through
 * the "child" chain, standalone and indented, and also unconditionally
 * through "{{>loop}}" so the max_depth bound is exercised.
 *
 * Checked beyond memory safety: a failed render leaves the output as it
 * was and sets a message naming a line; a successful one stays within the
 * documented output cap.
 *
 * Build: clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE
 *   -Isrc $SOURCES tests/fuzz/fuzz_mustache.c -ljansson
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "view/mustache.h"

static const char fixed_ctx[] =
    "{\"name\": \"<b>&\\\"'\", \"n\": 42, \"r\": 1.21, \"neg\": -7,"
    " \"t\": true, \"f\": false, \"z\": null, \"s\": \"\", \"e\": [],"
    " \"list\": [1, \"two\", {\"name\": \"x\", \"list\": [3, 4]}, [5], null],"
    " \"obj\": {\"a\": {\"b\": {\"c\": \"deep\"}}, \"name\": \"o\"},"
    " \"child\": {\"name\": \"c1\", \"child\": {\"name\": \"c2\","
    " \"child\": {\"name\": \"c3\", \"child\": false}}}}";

static const char fixed_partial[] =
    "<{{name}}>\n"
    "{{#child}}\n"
    "  {{>node}}\n"
    "{{/child}}\n"
    "{{^child}}{{>loop}}{{/child}}";

struct input {
	const char	*tmpl;
	size_t		 len;
};

static const char *
partial(const char *name, size_t *len, void *ud)
{
	struct input *in = ud;

	if (strcmp(name, "self") == 0) {
		*len = in->len;
		return in->tmpl;
	}
	if (strcmp(name, "none") == 0)
		return NULL;
	if (strcmp(name, "loop") == 0) {
		*len = sizeof("{{>loop}}") - 1;
		return "{{>loop}}";
	}
	*len = sizeof(fixed_partial) - 1;
	return fixed_partial;
}

/* The same partials compiled once per input, as the view serves them. */
struct compiled_set {
	struct input		 *in;
	const char		 *text[3];
	struct mustache_template *mt[3];
	size_t			  n;
};

static const struct mustache_template *
compiled(const char *name, void *ud)
{
	struct compiled_set *cs = ud;
	size_t len, i;
	const char *text = partial(name, &len, cs->in);

	if (text == NULL)
		return NULL;
	for (i = 0; i < cs->n; i++)
		if (cs->text[i] == text)
			return cs->mt[i];
	if (cs->n == 3)
		return NULL;
	cs->text[cs->n] = text;
	cs->mt[cs->n] = mustache_compile(text, len, 0, NULL, 0);
	return cs->mt[cs->n++];
}

static const char *
partial_set(const char *name, size_t *len, void *ud)
{
	return partial(name, len, ((struct compiled_set *)ud)->in);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static json_t *fixed;
	const char *s = (const char *)data;
	const char *nl = memchr(s, '\n', size);
	struct input in = { s, size };
	struct mustache_opts opts = { partial, &in, 0, NULL };
	struct compiled_set cs = { &in, { NULL }, { NULL }, 0 };
	struct mustache_opts copts = { partial_set, &cs, 0, compiled };
	struct mustache_template *mt;
	struct buf out = BUF_INIT, cout = BUF_INIT;
	size_t i;
	json_t *ctx = NULL;
	char err[256];
	int rc;

	if (fixed == NULL && (fixed = json_loads(fixed_ctx, 0, NULL)) == NULL)
		abort();
	if (nl != NULL &&
	    (ctx = json_loadb(s, (size_t)(nl - s), JSON_DECODE_ANY, NULL)) !=
	    NULL) {
		in.tmpl = nl + 1;
		in.len = size - (size_t)(nl - s) - 1;
	}
	/* A small max_depth now and then reaches the bound more often. */
	if (size > 0 && data[size - 1] == '\t')
		opts.max_depth = 4;

	buf_puts(&out, "");
	rc = mustache_render(in.tmpl, in.len, ctx ? ctx : fixed, &opts, &out,
	    err, sizeof(err));
	if (rc == -1) {
		if (out.len != 0 || strncmp(err, "line ", 5) != 0)
			abort();
	} else if (rc != 0 || out.len > ((size_t)16 << 20) + size)
		abort();

	/*
	 * Compiled once, with compiled partials: a success gives the same
	 * bytes (the work budget differs slightly, so one way may stop early).
	 */
	copts.max_depth = opts.max_depth;
	buf_puts(&cout, "");
	if ((mt = mustache_compile(in.tmpl, in.len, opts.max_depth, err, sizeof(err))) != NULL) {
		if (mustache_render_compiled(mt, ctx ? ctx : fixed, &copts, &cout, err,
		    sizeof(err)) == 0 && rc == 0 &&
		    (cout.len != out.len || memcmp(cout.data, out.data, out.len) != 0))
			abort();
		mustache_template_free(mt);
	} else if (rc == 0) {
		abort();	/* it rendered, so it parses */
	}
	for (i = 0; i < cs.n; i++)
		mustache_template_free(cs.mt[i]);
	buf_free(&cout);
	buf_free(&out);
	json_decref(ctx);
	return 0;
}
