/*
 * Unit tests for circles/circle.c: checking a new circle's fields (each
 * field named, limits in code points, control characters), who sees a
 * circle and its roster, and what joining does, table-driven.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "circles/circle.h"

static char *
repeat(const char *unit, size_t n)
{
	size_t u = strlen(unit);
	char *s = malloc(u * n + 1);
	size_t i;

	for (i = 0; i < n; i++)
		memcpy(s + i * u, unit, u);
	s[u * n] = '\0';
	return s;
}

static void
test_input_ok(void **state)
{
	struct circle_input in = { "Tuesday women's circle", "Support after treatment.",
	    "One voice at a time.\nNo cross-talk.", "What is said here stays here.", "open" };
	struct circle_check r = circle_input_check(&in);

	(void)state;
	assert_int_equal(r.error, CIRCLE_INPUT_OK);
	assert_null(r.field);
	in.membership = "request";
	assert_int_equal(circle_input_check(&in).error, CIRCLE_INPUT_OK);
}

static void
test_input_errors(void **state)
{
	struct {
		struct circle_input		in;
		enum circle_input_error		error;
		const char			*field;
	} cases[] = {
		{ { NULL, "p", "n", "a", "open" }, CIRCLE_INPUT_MISSING, "name" },
		{ { "  \t ", "p", "n", "a", "open" }, CIRCLE_INPUT_MISSING, "name" },
		{ { "Name\nbreak", "p", "n", "a", "open" }, CIRCLE_INPUT_INVALID, "name" },
		{ { "ok", "", "n", "a", "open" }, CIRCLE_INPUT_MISSING, "purpose" },
		{ { "ok", "p\x01", "n", "a", "open" }, CIRCLE_INPUT_INVALID, "purpose" },
		{ { "ok", "p", "\xff\xfe", "a", "open" }, CIRCLE_INPUT_INVALID, "norms" },
		{ { "ok", "p", "n", NULL, "open" }, CIRCLE_INPUT_MISSING, "agreement" },
		{ { "ok", "p", "n", "a", NULL }, CIRCLE_INPUT_MISSING, "membership" },
		{ { "ok", "p", "n", "a", "closed" }, CIRCLE_INPUT_INVALID, "membership" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct circle_check r = circle_input_check(&cases[i].in);

		assert_int_equal(r.error, cases[i].error);
		assert_string_equal(r.field, cases[i].field);
	}
}

static void
test_input_limits_count_code_points(void **state)
{
	char *name = repeat("ñ", CIRCLE_NAME_MAX);	/* two bytes each */
	char *longer = repeat("a", CIRCLE_NAME_MAX + 1);
	char *padded = repeat(" ", 500);
	struct circle_input in = { name, "p", "n", "a", "open" };
	struct circle_check r;

	(void)state;
	assert_int_equal(circle_input_check(&in).error, CIRCLE_INPUT_OK);
	in.name = longer;
	r = circle_input_check(&in);
	assert_int_equal(r.error, CIRCLE_INPUT_TOO_LONG);
	assert_string_equal(r.field, "name");
	/* white space around the text does not count */
	in.name = "ok";
	in.purpose = padded;
	assert_int_equal(circle_input_check(&in).error, CIRCLE_INPUT_MISSING);
	free(name);
	free(longer);
	free(padded);
}

static void
test_visibility(void **state)
{
	struct { struct circle_viewer v; bool visible, roster, manage; } cases[] = {
		{ { CIRCLE_NONE, false, false }, false, false, false },
		{ { CIRCLE_NONE, true, false }, true, false, false },
		{ { CIRCLE_NONE, false, true }, true, false, false },	/* coordinators see it, not who is in it */
		{ { CIRCLE_PENDING, false, false }, true, false, false },
		{ { CIRCLE_MEMBER, false, false }, true, true, false },
		{ { CIRCLE_FACILITATOR, false, false }, true, true, true },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(circle_visible(&cases[i].v), cases[i].visible);
		assert_int_equal(circle_roster_visible(&cases[i].v), cases[i].roster);
		assert_int_equal(circle_can_manage(&cases[i].v), cases[i].manage);
	}
}

static void
test_join(void **state)
{
	(void)state;
	assert_int_equal(circle_join_decide(CIRCLE_OPEN, CIRCLE_NONE, true), CIRCLE_JOIN_JOINED);
	assert_int_equal(circle_join_decide(CIRCLE_BY_REQUEST, CIRCLE_NONE, true),
	    CIRCLE_JOIN_REQUESTED);
	assert_int_equal(circle_join_decide(CIRCLE_OPEN, CIRCLE_NONE, false),
	    CIRCLE_JOIN_NEEDS_AGREEMENT);
	assert_int_equal(circle_join_decide(CIRCLE_BY_REQUEST, CIRCLE_NONE, false),
	    CIRCLE_JOIN_NEEDS_AGREEMENT);
	assert_int_equal(circle_join_decide(CIRCLE_OPEN, CIRCLE_MEMBER, true), CIRCLE_JOIN_ALREADY);
	assert_int_equal(circle_join_decide(CIRCLE_BY_REQUEST, CIRCLE_PENDING, true),
	    CIRCLE_JOIN_ALREADY);
	assert_int_equal(circle_join_decide(CIRCLE_OPEN, CIRCLE_FACILITATOR, false),
	    CIRCLE_JOIN_ALREADY);
	assert_int_equal(circle_membership_parse("open"), CIRCLE_OPEN);
	assert_int_equal(circle_membership_parse("request"), CIRCLE_BY_REQUEST);
	assert_int_equal(circle_membership_parse("Open"), 0);
	assert_int_equal(circle_membership_parse(NULL), 0);
	assert_string_equal(circle_membership_name(CIRCLE_BY_REQUEST), "request");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_input_ok),
		cmocka_unit_test(test_input_errors),
		cmocka_unit_test(test_input_limits_count_code_points),
		cmocka_unit_test(test_visibility),
		cmocka_unit_test(test_join),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
