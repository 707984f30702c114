/*
 * Unit tests for checkins/reminders.c: reading and writing times, the
 * plan's sorted unique times, quiet hours (also over midnight), the next
 * reminder in UTC and across New York's daylight-saving changes, and when
 * a message held by quiet hours may go out.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "checkins/reminders.h"

#define H(h, m)		((h) * 60 + (m))
#define MAR4_10UTC	1772618400	/* 2026-03-04 10:00 UTC */

static struct reminder_plan
plan(const char *times, int qs, int qe)
{
	struct reminder_plan p;

	memset(&p, 0, sizeof(p));
	p.quiet_start = qs;
	p.quiet_end = qe;
	assert_true(reminders_parse_list(times, &p));
	return p;
}

static void
test_times(void **state)
{
	static const char *const bad[] = {
		"", "8", "8:0", "24:00", "12:60", "ab:cd", "08:00am", "-1:00", "123:00", "08:00:01",
		"08-00", NULL,
	};
	struct reminder_plan p;
	char out[64];
	int m;
	size_t i;

	(void)state;
	assert_true(reminders_parse_time("08:00", &m));
	assert_int_equal(m, 480);
	assert_true(reminders_parse_time("8:05", &m));
	assert_int_equal(m, 485);
	assert_true(reminders_parse_time("23:59", &m));
	assert_true(reminders_parse_time("00:00", &m));
	assert_int_equal(m, 0);
	assert_true(reminders_parse_time("20:30:00", &m));
	assert_int_equal(m, H(20, 30));
	for (i = 0; bad[i] != NULL; i++)
		if (reminders_parse_time(bad[i], &m))
			fail_msg("accepted \"%s\"", bad[i]);
	assert_false(reminders_parse_time(NULL, &m));
	reminders_format_time(H(7, 5), out);
	assert_string_equal(out, "07:05");

	memset(&p, 0, sizeof(p));
	assert_true(reminders_parse_list("20:30,08:00,20:30", &p));
	assert_int_equal(p.ntimes, 2);
	assert_int_equal(p.times[0], 480);
	reminders_format_list(&p, out, sizeof(out));
	assert_string_equal(out, "08:00,20:30");
	assert_true(reminders_parse_list("", &p));
	assert_int_equal(p.ntimes, 0);
	assert_false(reminders_parse_list("08:00,,09:00", &p));
	assert_false(reminders_parse_list("08:00,25:00", &p));
	assert_false(reminders_parse_list("01:00,02:00,03:00,04:00,05:00", &p));
	assert_true(reminders_parse_list("01:00,02:00,03:00,04:00", &p));
	assert_false(reminders_add_time(&p, H(5, 0)));
	assert_true(reminders_add_time(&p, H(2, 0)));	/* already there */
}

static void
test_quiet(void **state)
{
	struct reminder_plan night = plan("", H(22, 0), H(7, 0));
	struct reminder_plan day = plan("", H(13, 0), H(14, 30));
	struct reminder_plan none = plan("", -1, -1);
	struct reminder_plan same = plan("", H(9, 0), H(9, 0));

	(void)state;
	assert_true(reminders_in_quiet(&night, H(22, 0)));
	assert_true(reminders_in_quiet(&night, H(23, 59)));
	assert_true(reminders_in_quiet(&night, 0));
	assert_true(reminders_in_quiet(&night, H(6, 59)));
	assert_false(reminders_in_quiet(&night, H(7, 0)));
	assert_false(reminders_in_quiet(&night, H(21, 59)));
	assert_true(reminders_in_quiet(&day, H(13, 0)));
	assert_false(reminders_in_quiet(&day, H(14, 30)));
	assert_false(reminders_in_quiet(&none, H(3, 0)));
	assert_false(reminders_in_quiet(&same, H(9, 0)));
}

static void
test_next_utc(void **state)
{
	const struct tz *utc = tz_get("UTC");
	struct reminder_plan p = plan("08:00,20:30", -1, -1);
	struct reminder_plan q = plan("08:00,20:30", H(20, 0), H(23, 0));
	struct reminder_plan all_quiet = plan("23:00,02:00", H(22, 0), H(7, 0));
	struct reminder_plan empty = plan("", -1, -1);
	int64_t day = MAR4_10UTC - 10 * 3600;

	(void)state;
	assert_non_null(utc);
	assert_int_equal(reminders_next(&p, utc, MAR4_10UTC), day + H(20, 30) * 60);
	assert_int_equal(reminders_next(&p, utc, day + H(20, 30) * 60), day + 86400 + 8 * 3600);
	assert_int_equal(reminders_next(&p, utc, day + H(7, 59) * 60), day + 8 * 3600);
	/* 20:30 falls in quiet hours: skipped, the next is tomorrow 08:00 */
	assert_int_equal(reminders_next(&q, utc, MAR4_10UTC), day + 86400 + 8 * 3600);
	assert_int_equal(reminders_next(&all_quiet, utc, MAR4_10UTC), -1);
	assert_int_equal(reminders_next(&empty, utc, MAR4_10UTC), -1);
}

static void
test_next_across_dst(void **state)
{
	const struct tz *ny = tz_get("America/New_York");
	struct reminder_plan p = plan("08:00", -1, -1);

	(void)state;
	assert_non_null(ny);
	/* 08:00 EST on 7 March, then 08:00 EDT on 8 March: 23 hours apart */
	assert_int_equal(reminders_next(&p, ny, 1772888400 - 60), 1772888400);
	assert_int_equal(reminders_next(&p, ny, 1772888400), 1772971200);
	/* and 08:00 EST again on 1 November, after clocks go back */
	assert_int_equal(reminders_next(&p, ny, 1793538000 - 3600), 1793538000);
}

static void
test_after_quiet(void **state)
{
	const struct tz *utc = tz_get("UTC");
	const struct tz *ny = tz_get("America/New_York");
	struct reminder_plan night = plan("", H(22, 0), H(7, 0));
	struct reminder_plan none = plan("", -1, -1);
	int64_t day = MAR4_10UTC - 10 * 3600;

	(void)state;
	assert_int_equal(reminders_after_quiet(&night, utc, day + H(23, 30) * 60),
	    day + 86400 + 7 * 3600);
	assert_int_equal(reminders_after_quiet(&night, utc, day + H(6, 0) * 60), day + 7 * 3600);
	assert_int_equal(reminders_after_quiet(&night, utc, day + H(12, 0) * 60),
	    day + H(12, 0) * 60);
	assert_int_equal(reminders_after_quiet(&none, utc, day + H(23, 30) * 60),
	    day + H(23, 30) * 60);
	/* 23:00 in New York on 3 March is 04:00 UTC on the 4th; quiet ends 07:00 EST = 12:00 UTC */
	assert_int_equal(reminders_after_quiet(&night, ny, day + 4 * 3600), day + 12 * 3600);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_quiet),
		cmocka_unit_test(test_next_utc),
		cmocka_unit_test(test_next_across_dst),
		cmocka_unit_test(test_after_quiet),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
