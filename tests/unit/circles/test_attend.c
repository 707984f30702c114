/*
 * Unit tests for circles/attend.c: session codes (alphabet, length, the
 * same MAC giving the same code), matching what a member types (case,
 * spaces, hyphens, wrong lengths), the check-in window's edges and which
 * session roster attendance goes to.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "circles/attend.h"

static void
test_code_from_mac(void **state)
{
	char a[ATTEND_CODE_LEN + 1], b[ATTEND_CODE_LEN + 1];
	size_t i;

	(void)state;
	attend_code_from_mac("00ff1e2d3c4b5a69788796a5b4c3d2e1", a);
	attend_code_from_mac("00ff1e2d3c4b5a69788796a5b4c3d2e1", b);
	assert_string_equal(a, b);
	assert_int_equal(strlen(a), ATTEND_CODE_LEN);
	for (i = 0; i < ATTEND_CODE_LEN; i++)
		assert_null(strchr("01OIL", a[i]));
	/* 0x00 is the first letter, 0xff % 30 = 15 the sixteenth */
	assert_int_equal(a[0], 'A');
	assert_int_equal(a[1], 'S');
	attend_code_from_mac("01ff1e2d3c4b5a69788796a5b4c3d2e1", b);
	assert_string_not_equal(a, b);
}

static void
test_code_matches(void **state)
{
	(void)state;
	assert_true(attend_code_matches("ABC234", "ABC234"));
	assert_true(attend_code_matches("abc234", "ABC234"));
	assert_true(attend_code_matches("abc-234", "ABC234"));
	assert_true(attend_code_matches(" AB C2 34 ", "ABC234"));
	assert_false(attend_code_matches("ABC235", "ABC234"));
	assert_false(attend_code_matches("ABC23", "ABC234"));
	assert_false(attend_code_matches("ABC2345", "ABC234"));
	assert_false(attend_code_matches("", "ABC234"));
	assert_false(attend_code_matches(NULL, "ABC234"));
	assert_false(attend_code_matches("ABC234", "SHORT"));
}

static void
test_window(void **state)
{
	struct attend_session s = { 100000, 103600 };

	(void)state;
	assert_false(attend_window_open(&s, s.start - ATTEND_EARLY - 1));
	assert_true(attend_window_open(&s, s.start - ATTEND_EARLY));
	assert_true(attend_window_open(&s, s.start + 60));
	assert_true(attend_window_open(&s, s.end + ATTEND_LATE));
	assert_false(attend_window_open(&s, s.end + ATTEND_LATE + 1));
}

static void
test_current_and_roster(void **state)
{
	const int64_t day = 86400, w = 7 * day;
	int64_t now = 50 * w;
	struct attend_session s[] = {
		{ now - w - 3600, now - w },		/* last week: over a week ago */
		{ now - 2 * day, now - 2 * day + 3600 },	/* two days ago */
		{ now + 3 * day, now + 3 * day + 3600 },	/* in three days */
	};

	(void)state;
	assert_int_equal(attend_current(s, 3, now), -1);
	assert_int_equal(attend_roster_session(s, 3, now), 1);
	/* during the session in three days, both point at it */
	assert_int_equal(attend_current(s, 3, s[2].start + 10), 2);
	assert_int_equal(attend_roster_session(s, 3, s[2].start - ATTEND_EARLY), 2);
	/* nothing within a week */
	assert_int_equal(attend_roster_session(s, 1, now), -1);
	assert_int_equal(attend_roster_session(s, 0, now), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_code_from_mac),
		cmocka_unit_test(test_code_matches),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_current_and_roster),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
