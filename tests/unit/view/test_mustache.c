/*
 * Unit tests for view/mustache.c.
 *
 * Every case of the Mustache spec files in tests/data/mustache-spec (the
 * required modules; lambdas and ~inheritance are not implemented) becomes
 * one cmocka test named "<file>: <case>", followed by Circles' own cases:
 * escaping of hostile strings, template errors that name their line, and
 * the bounds that keep hostile templates from running away.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/mem.h"
#include "base/str.h"
#include "view/mustache.h"

static const char *spec_files[] = {
	"comments", "delimiters", "interpolation", "inverted", "partials",
	"sections",
};
#define SPEC_CASES	136	/* in the files above, at spec commit 9cb20c3 */

static size_t spec_loaded;

/* Partials of a spec case come from its "partials" object. */
static const char *
spec_partial(const char *name, size_t *len, void *ud)
{
	json_t *p = json_object_get(json_object_get(ud, "partials"), name);

	if (!json_is_string(p))
		return NULL;
	*len = json_string_length(p);
	return json_string_value(p);
}

/* The same partials parsed once, as the view serves them; freed after each case. */
static struct mustache_template *compiled[16];
static size_t ncompiled;

static const struct mustache_template *
spec_compiled(const char *name, void *ud)
{
	size_t len;
	const char *text = spec_partial(name, &len, ud);
	struct mustache_template *mt;

	if (text == NULL || ncompiled == sizeof(compiled) / sizeof(compiled[0]))
		return NULL;
	if ((mt = mustache_compile(text, len, 0, NULL, 0)) != NULL)
		compiled[ncompiled++] = mt;
	return mt;
}

/*
 * Each case three ways: parsed on the fly, compiled once with text
 * partials, and compiled with compiled partials (the view's way).
 */
static void
test_spec_case(void **state)
{
	json_t *t = *state;
	const char *tmpl = json_string_value(json_object_get(t, "template"));
	const char *want = json_string_value(json_object_get(t, "expected"));
	struct mustache_opts opts = { spec_partial, t, 0, NULL };
	struct mustache_template *mt;
	struct buf out = BUF_INIT;
	char err[256];
	int way, rc;

	assert_non_null(tmpl);
	assert_non_null(want);
	for (way = 0; way < 3; way++) {
		buf_reset(&out);
		opts.compiled = way == 2 ? spec_compiled : NULL;
		if (way == 0) {
			rc = mustache_render(tmpl, strlen(tmpl), json_object_get(t, "data"),
			    &opts, &out, err, sizeof(err));
		} else {
			mt = mustache_compile(tmpl, strlen(tmpl), 0, err, sizeof(err));
			if (mt == NULL)
				fail_msg("compile failed: %s", err);
			rc = mustache_render_compiled(mt, json_object_get(t, "data"), &opts,
			    &out, err, sizeof(err));
			mustache_template_free(mt);
		}
		while (ncompiled > 0)
			mustache_template_free(compiled[--ncompiled]);
		if (rc != 0)
			fail_msg("render %d failed: %s", way, err);
		if (out.len != strlen(want) ||
		    (out.len > 0 && memcmp(out.data, want, out.len) != 0))
			fail_msg("way %d: template %s\nexpected [%s]\ngot      [%s]", way, tmpl,
			    want, out.data);
	}
	buf_free(&out);
}

static void
test_spec_count(void **state)
{
	(void)state;
	/* A missing or truncated spec directory must not pass silently. */
	assert_int_equal(spec_loaded, SPEC_CASES);
}

static struct buf render_out = BUF_INIT;

static int
free_render_out(void **state)
{
	(void)state;
	buf_free(&render_out);
	return 0;
}

/* Render with no partials; return the output or NULL on error. */
static const char *
render(const char *tmpl, const char *json, char *err, size_t errlen)
{
	struct buf out = render_out;
	json_t *ctx = json_loads(json, 0, NULL);
	int rc;

	assert_non_null(ctx);
	buf_reset(&out);
	buf_puts(&out, "");
	rc = mustache_render(tmpl, strlen(tmpl), ctx, NULL, &out, err, errlen);
	json_decref(ctx);
	render_out = out;
	return rc == 0 ? out.data : NULL;
}

static void
test_escape_hostile(void **state)
{
	char err[128];
	const char *ctx = "{\"x\": \"<script>\\\"&'</script>\"}";

	(void)state;
	assert_string_equal(render("<p>{{x}}</p>", ctx, err, sizeof(err)),
	    "<p>&lt;script&gt;&quot;&amp;'&lt;/script&gt;</p>");
	assert_string_equal(render("<p title=\"{{ x }}\">", ctx, err,
	    sizeof(err)),
	    "<p title=\"&lt;script&gt;&quot;&amp;'&lt;/script&gt;\">");
	/* Raw forms are raw. */
	assert_string_equal(render("{{{x}}}|{{&x}}", ctx, err, sizeof(err)),
	    "<script>\"&'</script>|<script>\"&'</script>");
	/* Data is never re-parsed as a template. */
	assert_string_equal(render("{{x}}", "{\"x\": \"{{x}}\"}", err,
	    sizeof(err)), "{{x}}");
}

static void
test_values(void **state)
{
	char err[128];

	(void)state;
	assert_string_equal(render("{{a}} {{b}} {{c}} {{d}} {{e}} {{f}}",
	    "{\"a\": 1.21, \"b\": 0.1, \"c\": -3, \"d\": 1.0, \"e\": 1e21,"
	    " \"f\": 9007199254740993}", err, sizeof(err)),
	    "1.21 0.1 -3 1 1e+21 9007199254740993");
	assert_string_equal(render("[{{t}}][{{f}}][{{n}}][{{o}}][{{l}}]",
	    "{\"t\": true, \"f\": false, \"n\": null, \"o\": {\"a\": 1},"
	    " \"l\": [1]}", err, sizeof(err)), "[true][false][][][]");
	/* Truthiness: "", 0 and {} are true; false, null, [] are false. */
	assert_string_equal(render(
	    "{{#s}}s{{/s}}{{#z}}z{{/z}}{{#o}}o{{/o}}"
	    "{{^f}}f{{/f}}{{^n}}n{{/n}}{{^l}}l{{/l}}{{^m}}m{{/m}}",
	    "{\"s\": \"\", \"z\": 0, \"o\": {}, \"f\": false, \"n\": null,"
	    " \"l\": []}", err, sizeof(err)), "szofnlm");
}

static void
test_errors(void **state)
{
	struct buf out = BUF_INIT;
	json_t *ctx = json_object();
	char err[128];
	static const struct {
		const char	*tmpl;
		const char	*msg;
	} cases[] = {
		{ "a\n{{#s}}\nb", "line 2: unclosed section \"s\"" },
		{ "a\n\n{{name", "line 3: unclosed tag" },
		{ "{{#a}}\n{{/b}}", "line 2: section \"a\" (line 1) closed by \"b\"" },
		{ "x{{/a}}", "line 1: end of section \"a\" that was not opened" },
		{ "{{=<% %>=}}\n<%x}}", "line 2: unclosed tag" },
		{ "{{= | =}}", "line 1: bad delimiter change \" | \"" },
		{ "{{=a=b c=}}", "line 1: bad delimiter change \"a=b c\"" },
		{ "{{=x=}}", "line 1: bad delimiter change \"x\"" },
		{ "{{ }}", "line 1: empty tag name" },
		{ "{{{}}}", "line 1: empty tag name" },
		{ "{{", "line 1: unclosed tag" },
		{ "{{{x}}", "line 1: unclosed tag" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_reset(&out);
		buf_puts(&out, "kept");
		assert_int_equal(mustache_render(cases[i].tmpl,
		    strlen(cases[i].tmpl), ctx, NULL, &out, err, sizeof(err)),
		    -1);
		assert_string_equal(err, cases[i].msg);
		/* Nothing half-written: out is back to what it was. */
		assert_string_equal(out.data, "kept");
	}
	/* A NULL err is allowed. */
	assert_int_equal(mustache_render("{{#a}}", 6, ctx, NULL, &out, NULL, 0),
	    -1);
	/* Errors in a section that is not rendered are still errors. */
	assert_int_equal(mustache_render("{{#no}}{{/yes}}{{/no}}", 22, ctx,
	    NULL, &out, err, sizeof(err)), -1);
	buf_free(&out);
	json_decref(ctx);
}

static void
test_deep_nesting(void **state)
{
	struct buf tmpl = BUF_INIT, out = BUF_INIT;
	struct mustache_opts opts = { NULL, NULL, 10 };
	json_t *ctx = json_pack("{s:b}", "a", 1);
	char err[128];
	int i;

	(void)state;
	for (i = 0; i < 100000; i++)
		buf_puts(&tmpl, "{{#a}}");
	assert_int_equal(mustache_render(tmpl.data, tmpl.len, ctx, NULL, &out,
	    err, sizeof(err)), -1);
	assert_string_equal(err, "line 1: sections nested deeper than 64");

	buf_reset(&tmpl);
	for (i = 0; i < 10; i++)
		buf_puts(&tmpl, "{{#a}}");
	buf_puts(&tmpl, "x");
	for (i = 0; i < 10; i++)
		buf_puts(&tmpl, "{{/a}}");
	assert_int_equal(mustache_render(tmpl.data, tmpl.len, ctx, &opts, &out,
	    err, sizeof(err)), 0);
	assert_string_equal(out.data, "x");
	buf_puts(&tmpl, "{{#a}}{{/a}}");	/* siblings do not add depth */
	assert_int_equal(mustache_render(tmpl.data, tmpl.len, ctx, &opts, &out,
	    err, sizeof(err)), 0);
	buf_reset(&tmpl);
	for (i = 0; i < 11; i++)
		buf_puts(&tmpl, "{{^b}}");
	assert_int_equal(mustache_render(tmpl.data, tmpl.len, ctx, &opts, &out,
	    err, sizeof(err)), -1);
	assert_string_equal(err, "line 1: sections nested deeper than 10");

	buf_free(&tmpl);
	buf_free(&out);
	json_decref(ctx);
}

static const char *
self_partial(const char *name, size_t *len, void *ud)
{
	(void)name;
	*len = strlen(ud);
	return ud;
}

static void
test_partial_recursion(void **state)
{
	struct mustache_opts opts = { self_partial, "x{{>p}}", 0 };
	struct buf out = BUF_INIT;
	json_t *ctx = json_object();
	char err[256];
	int i;

	(void)state;
	/* A partial that includes itself stops at max_depth. */
	assert_int_equal(mustache_render("{{>p}}", 6, ctx, &opts, &out, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "line 1: in partial \"p\": "
	    "line 1: partial \"p\" nested deeper than 64");
	assert_int_equal(out.len, 0);

	/* Partial errors name the partial and their own line. */
	opts.ud = "ok\n{{#s}}";
	assert_int_equal(mustache_render("\n{{>p}}", 7, ctx, &opts, &out, err,
	    sizeof(err)), -1);
	assert_string_equal(err,
	    "line 2: in partial \"p\": line 2: unclosed section \"s\"");

	/*
	 * Doubling at every level, ended by the data before max_depth, is
	 * stopped by the work budget.
	 */
	json_decref(ctx);
	ctx = json_false();	/* the innermost "a" ends the recursion */
	for (i = 0; i < 30; i++)
		ctx = json_pack("{s:o}", "a", ctx);
	assert_non_null(ctx);
	opts.ud = "{{#a}}{{>p}}{{>p}}{{/a}}";
	assert_int_equal(mustache_render("{{>p}}", 6, ctx, &opts, &out, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "too expensive"));

	/* So is a standalone partial whose indentation keeps growing. */
	opts.ud = "  {{>p}}\n  {{>p}}\n";
	opts.max_depth = 256;
	assert_int_equal(mustache_render(" {{>p}}\n", 8, ctx, &opts, &out, err,
	    sizeof(err)), -1);
	assert_int_equal(out.len, 0);

	buf_free(&out);
	json_decref(ctx);
}

static void
test_work_bounds(void **state)
{
	struct buf out = BUF_INIT;
	json_t *ctx, *list, *big;
	char err[128], *s;
	int i;

	(void)state;
	/* Sections nested over a list multiply too: 10^20 iterations. */
	ctx = json_pack("{s:[iiiiiiiiii]}", "l", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
	for (i = 0; i < 20; i++)
		buf_puts(&out, "{{#l}}");
	for (i = 0; i < 20; i++)
		buf_puts(&out, "{{/l}}");
	s = buf_steal(&out);
	assert_int_equal(mustache_render(s, strlen(s), ctx, NULL, &out, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "line 1: template too expensive to render");
	free(s);
	json_decref(ctx);

	/* 64 x 1 MiB = more than the 16 MiB output cap. */
	s = xmalloc(1 << 20);
	memset(s, 'a', 1 << 20);
	big = json_stringn(s, 1 << 20);
	free(s);
	list = json_array();
	for (i = 0; i < 64; i++)
		json_array_append(list, big);
	ctx = json_pack("{s:o}", "l", list);
	json_decref(big);
	assert_int_equal(mustache_render("{{#l}}{{.}}{{/l}}", 17, ctx, NULL,
	    &out, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "output larger than"));
	assert_int_equal(out.len, 0);
	buf_free(&out);
	json_decref(ctx);
}

int
main(void)
{
	const char *root = getenv("CIRCLES_SOURCE_ROOT");
	struct CMUnitTest *tests = NULL;
	size_t ntests = 0, cap = 0, f, i;
	json_t *docs[sizeof(spec_files) / sizeof(spec_files[0])];
	static const struct CMUnitTest own[] = {
		cmocka_unit_test(test_spec_count),
		cmocka_unit_test_teardown(test_escape_hostile, free_render_out),
		cmocka_unit_test_teardown(test_values, free_render_out),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_partial_recursion),
		cmocka_unit_test(test_work_bounds),
	};
	int rc;

	if (root == NULL)
		root = CIRCLES_SOURCE_ROOT;
	for (f = 0; f < sizeof(spec_files) / sizeof(spec_files[0]); f++) {
		char *path = xasprintf("%s/tests/data/mustache-spec/%s.json",
		    root, spec_files[f]);
		json_t *cases;

		docs[f] = json_load_file(path, 0, NULL);
		if (docs[f] == NULL)
			fprintf(stderr, "# cannot load %s\n", path);
		free(path);
		cases = json_object_get(docs[f], "tests");
		for (i = 0; i < json_array_size(cases); i++) {
			json_t *t = json_array_get(cases, i);
			const char *name = json_string_value(
			    json_object_get(t, "name"));

			if (name == NULL || strstr(name, "lambda") ||
			    strstr(name, "Lambda"))
				continue;
			if (ntests == cap) {
				cap = cap ? cap * 2 : 64;
				tests = xreallocarray(tests, cap,
				    sizeof(*tests));
			}
			memset(&tests[ntests], 0, sizeof(tests[ntests]));
			tests[ntests].name = xasprintf("%s: %s", spec_files[f],
			    name);
			tests[ntests].test_func = test_spec_case;
			tests[ntests].initial_state = t;
			ntests++;
			spec_loaded++;
		}
	}
	tests = xreallocarray(tests, ntests + sizeof(own) / sizeof(own[0]),
	    sizeof(*tests));
	for (i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		tests[ntests++] = own[i];

	rc = _cmocka_run_group_tests("view_mustache", tests, ntests, NULL,
	    NULL);

	for (i = 0; i < spec_loaded; i++)
		free((char *)tests[i].name);
	free(tests);
	for (f = 0; f < sizeof(spec_files) / sizeof(spec_files[0]); f++)
		json_decref(docs[f]);
	return rc;
}
