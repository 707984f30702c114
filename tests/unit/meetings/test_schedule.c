/*
 * Unit tests for meetings/schedule.c: upcoming sessions in the meeting's
 * own zone across daylight-saving changes (New York and Madrid), sessions
 * ending after midnight, monthly rules (first and third, last, fifth),
 * single dates, cancelled and moved sessions, skipped and repeated hours.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "meetings/schedule.h"

static int64_t
utc(int y, int m, int d, int hh, int mm)
{
	return tz_days_from_civil(y, m, d) * 86400 + hh * 3600 + mm * 60;
}

static struct schedule
weekly(unsigned days, int start, int end)
{
	struct schedule s = { .kind = SCHED_WEEKLY, .days = days, .start_min = start,
	    .end_min = end };
	return s;
}

static void
test_weekly_across_spring_forward(void **state)
{
	const struct tz *ny = tz_get("America/New_York");
	struct schedule s = weekly(1u << 2, 19 * 60, 20 * 60 + 30);	/* Tuesdays 19:00-20:30 */
	struct occurrence o[3];

	(void)state;
	assert_int_equal(schedule_next(&s, ny, NULL, 0, utc(2024, 3, 4, 12, 0), 3, 0, o), 3);
	assert_int_equal(o[0].start, utc(2024, 3, 6, 0, 0));		/* 19:00 EST */
	assert_int_equal(o[0].end, utc(2024, 3, 6, 1, 30));
	assert_int_equal(o[0].d, 5);
	assert_int_equal(o[1].start, utc(2024, 3, 12, 23, 0));		/* 19:00 EDT */
	assert_int_equal(o[1].start_min, 19 * 60);
	assert_int_equal(o[2].start, utc(2024, 3, 19, 23, 0));
}

static void
test_weekly_madrid_both_changes(void **state)
{
	const struct tz *md = tz_get("Europe/Madrid");
	struct schedule s = weekly(1u << 0, 10 * 60, 11 * 60);	/* Sundays 10:00 */
	struct occurrence o[2];

	(void)state;
	assert_int_equal(schedule_next(&s, md, NULL, 0, utc(2024, 3, 20, 0, 0), 2, 0, o), 2);
	assert_int_equal(o[0].start, utc(2024, 3, 24, 9, 0));		/* CET */
	assert_int_equal(o[1].start, utc(2024, 3, 31, 8, 0));		/* CEST, the change day */
	assert_int_equal(schedule_next(&s, md, NULL, 0, utc(2024, 10, 16, 0, 0), 2, 0, o), 2);
	assert_int_equal(o[0].start, utc(2024, 10, 20, 8, 0));
	assert_int_equal(o[1].start, utc(2024, 10, 27, 9, 0));		/* back to CET */
}

static void
test_ends_after_midnight(void **state)
{
	const struct tz *ny = tz_get("America/New_York");
	struct schedule s = weekly(1u << 6, 23 * 60, 60);	/* Saturdays 23:00-01:00 */
	struct occurrence o[2];

	(void)state;
	assert_int_equal(schedule_duration(&s), 120);
	/* Sunday 00:30 local: Saturday's session is still going. */
	assert_int_equal(schedule_next(&s, ny, NULL, 0, utc(2024, 6, 2, 4, 30), 2, 0, o), 2);
	assert_int_equal(o[0].start, utc(2024, 6, 2, 3, 0));
	assert_int_equal(o[0].end, utc(2024, 6, 2, 5, 0));
	assert_int_equal(o[0].d, 1);
	assert_int_equal(o[0].end_min, 60);
	assert_int_equal(o[1].start, utc(2024, 6, 9, 3, 0));
	/* Once it has ended it is gone. */
	assert_int_equal(schedule_next(&s, ny, NULL, 0, utc(2024, 6, 2, 5, 0), 1, 0, o), 1);
	assert_int_equal(o[0].start, utc(2024, 6, 9, 3, 0));
}

static void
test_overnight_on_fall_back(void **state)
{
	const struct tz *ny = tz_get("America/New_York");
	struct schedule s = weekly(1u << 6, 23 * 60 + 30, 2 * 60 + 30);
	struct occurrence o[1];

	(void)state;
	assert_int_equal(schedule_next(&s, ny, NULL, 0, utc(2024, 11, 2, 12, 0), 1, 0, o), 1);
	assert_int_equal(o[0].start, utc(2024, 11, 3, 3, 30));	/* 23:30 EDT */
	assert_int_equal(o[0].end, utc(2024, 11, 3, 7, 30));	/* 02:30 EST */
}

static void
test_skipped_and_repeated_hours(void **state)
{
	const struct tz *ny = tz_get("America/New_York");
	struct schedule s = weekly(1u << 0, 2 * 60 + 30, 3 * 60 + 30);	/* Sundays 02:30 */
	struct schedule r = weekly(1u << 0, 60 + 30, 2 * 60);		/* Sundays 01:30 */
	struct occurrence o[3];

	(void)state;
	assert_int_equal(schedule_next(&s, ny, NULL, 0, utc(2024, 3, 1, 0, 0), 3, 0, o), 3);
	assert_int_equal(o[0].start, utc(2024, 3, 3, 7, 30));
	assert_int_equal(o[1].start, utc(2024, 3, 10, 7, 30));	/* 02:30 does not exist: 03:30 EDT */
	assert_true(o[1].end > o[1].start);
	assert_int_equal(o[2].start, utc(2024, 3, 17, 6, 30));
	assert_int_equal(schedule_next(&r, ny, NULL, 0, utc(2024, 11, 2, 0, 0), 1, 0, o), 1);
	assert_int_equal(o[0].start, utc(2024, 11, 3, 5, 30));	/* the first 01:30 (EDT) */
}

static void
test_monthly_first_and_third(void **state)
{
	const struct tz *md = tz_get("Europe/Madrid");
	struct schedule s = { .kind = SCHED_MONTHLY, .days = 1u << 6, .weeks = 1u | 4u,
	    .start_min = 18 * 60, .end_min = 19 * 60 };
	struct occurrence o[4];

	(void)state;
	assert_null(schedule_check(&s));
	assert_int_equal(schedule_next(&s, md, NULL, 0, utc(2024, 6, 1, 0, 0), 4, 0, o), 4);
	assert_int_equal(o[0].start, utc(2024, 6, 1, 16, 0));
	assert_int_equal(o[1].start, utc(2024, 6, 15, 16, 0));
	assert_int_equal(o[2].start, utc(2024, 7, 6, 16, 0));
	assert_int_equal(o[3].start, utc(2024, 7, 20, 16, 0));
	assert_true(schedule_on_date(&s, 2024, 6, 15));
	assert_false(schedule_on_date(&s, 2024, 6, 8));
	assert_int_equal(schedule_weekdays(&s), 1u << 6);
}

static void
test_monthly_last_and_fifth(void **state)
{
	const struct tz *ny = tz_get("America/New_York");
	struct schedule last = { .kind = SCHED_MONTHLY, .days = 1u << 5, .weeks = SCHED_WEEK_LAST,
	    .start_min = 19 * 60, .end_min = -1 };
	struct schedule fifth = { .kind = SCHED_MONTHLY, .days = 1u << 0, .weeks = 1u << 4,
	    .start_min = 9 * 60, .end_min = -1 };
	struct occurrence o[4];

	(void)state;
	assert_int_equal(schedule_next(&last, ny, NULL, 0, utc(2024, 1, 1, 0, 0), 4, 0, o), 4);
	assert_int_equal(o[0].d, 26);
	assert_int_equal(o[1].m, 2);
	assert_int_equal(o[1].d, 23);
	assert_int_equal(o[2].d, 29);
	assert_int_equal(o[2].start, utc(2024, 3, 29, 23, 0));	/* after the change: EDT */
	assert_int_equal(o[3].d, 26);
	assert_int_equal(o[0].end - o[0].start, 3600);		/* one hour by default */
	/* Months with five Sundays in 2024: March, June, September, December. */
	assert_int_equal(schedule_next(&fifth, ny, NULL, 0, utc(2024, 1, 1, 0, 0), 4, 0, o), 4);
	assert_int_equal(o[0].m * 100 + o[0].d, 331);
	assert_int_equal(o[1].m * 100 + o[1].d, 630);
	assert_int_equal(o[2].m * 100 + o[2].d, 929);
	assert_int_equal(o[3].m * 100 + o[3].d, 1229);
}

static void
test_once(void **state)
{
	const struct tz *ny = tz_get("America/New_York");
	struct schedule s = { .kind = SCHED_ONCE, .once_y = 2024, .once_m = 7, .once_d = 4,
	    .start_min = 12 * 60, .end_min = 14 * 60 };
	struct occurrence o[2];

	(void)state;
	assert_int_equal(schedule_next(&s, ny, NULL, 0, utc(2024, 1, 1, 0, 0), 2, 0, o), 1);
	assert_int_equal(o[0].start, utc(2024, 7, 4, 16, 0));
	assert_int_equal(schedule_next(&s, ny, NULL, 0, utc(2024, 7, 4, 17, 0), 2, 0, o), 1);
	assert_int_equal(schedule_next(&s, ny, NULL, 0, utc(2024, 7, 4, 18, 0), 2, 0, o), 0);
	assert_int_equal(schedule_weekdays(&s), 1u << 4);	/* a Thursday */
}

static void
test_cancelled_and_moved(void **state)
{
	const struct tz *ny = tz_get("America/New_York");
	struct schedule s = weekly(1u << 2, 19 * 60, 20 * 60);
	struct sched_exception ex[3] = {
		{ .y = 2024, .m = 3, .d = 12, .cancelled = true },
		{ .y = 2024, .m = 3, .d = 19, .new_y = 2024, .new_m = 3, .new_d = 21,
		  .new_start_min = 18 * 60, .new_end_min = 19 * 60 },
		/* not a session date: ignored */
		{ .y = 2024, .m = 3, .d = 20, .cancelled = true },
	};
	struct occurrence o[4];

	(void)state;
	assert_int_equal(schedule_next(&s, ny, ex, 3, utc(2024, 3, 4, 0, 0), 3, 0, o), 3);
	assert_int_equal(o[0].start, utc(2024, 3, 6, 0, 0));
	assert_int_equal(o[1].start, utc(2024, 3, 21, 22, 0));	/* moved to Thursday 18:00 EDT */
	assert_true(o[1].moved);
	assert_int_equal(o[1].orig_d, 19);
	assert_int_equal(o[2].start, utc(2024, 3, 26, 23, 0));
	assert_int_equal(schedule_next(&s, ny, ex, 3, utc(2024, 3, 4, 0, 0), 4,
	    SCHED_INCLUDE_CANCELLED, o), 4);
	assert_true(o[1].cancelled);
	assert_int_equal(o[1].d, 12);
	/* A session moved far ahead still shows, in order. */
	ex[1].new_m = 5;
	ex[1].new_d = 2;
	assert_int_equal(schedule_next(&s, ny, ex, 3, utc(2024, 4, 20, 0, 0), 3, 0, o), 3);
	assert_int_equal(o[0].d, 23);
	assert_int_equal(o[1].d, 30);
	assert_true(o[2].moved);
	assert_int_equal(o[2].m * 100 + o[2].d, 502);
}

static void
test_appointment_and_checks(void **state)
{
	const struct tz *ny = tz_get("America/New_York");
	struct schedule s = { .kind = SCHED_APPOINTMENT, .start_min = -1, .end_min = -1 };
	struct schedule bad;
	struct occurrence o[1];

	(void)state;
	assert_int_equal(schedule_next(&s, ny, NULL, 0, 0, 1, 0, o), 0);
	assert_null(schedule_check(&s));
	assert_int_equal(schedule_weekdays(&s), 0);
	bad = weekly(0, 600, -1);
	assert_string_equal(schedule_check(&bad), "day");
	bad = weekly(1, -1, -1);
	assert_string_equal(schedule_check(&bad), "time");
	bad = weekly(1, 600, 1440);
	assert_string_equal(schedule_check(&bad), "end_time");
	bad = (struct schedule){ .kind = SCHED_MONTHLY, .days = 3, .weeks = 1, .start_min = 60 };
	assert_string_equal(schedule_check(&bad), "day");
	bad.days = 1;
	bad.weeks = 0;
	assert_string_equal(schedule_check(&bad), "weeks");
	bad = (struct schedule){ .kind = SCHED_ONCE, .once_y = 2023, .once_m = 2, .once_d = 29,
	    .start_min = 60 };
	assert_string_equal(schedule_check(&bad), "date");
	assert_int_equal(schedule_next(&bad, ny, NULL, 0, 0, 1, 0, o), 0);
}

static void
test_parsers(void **state)
{
	char hm[6];
	int y, m, d;

	(void)state;
	assert_int_equal(schedule_parse_hhmm("19:30"), 1170);
	assert_int_equal(schedule_parse_hhmm("7:05"), 425);
	assert_int_equal(schedule_parse_hhmm("19:30:00"), 1170);
	assert_int_equal(schedule_parse_hhmm("00:00"), 0);
	assert_int_equal(schedule_parse_hhmm("24:00"), 0);
	assert_int_equal(schedule_parse_hhmm("24:01"), -1);
	assert_int_equal(schedule_parse_hhmm("25:00"), -1);
	assert_int_equal(schedule_parse_hhmm("12:60"), -1);
	assert_int_equal(schedule_parse_hhmm("1930"), -1);
	assert_int_equal(schedule_parse_hhmm("19:3"), -1);
	assert_int_equal(schedule_parse_hhmm(""), -1);
	assert_int_equal(schedule_parse_hhmm(NULL), -1);
	assert_int_equal(schedule_parse_hhmm("19:30 "), -1);
	schedule_format_hhmm(425, hm);
	assert_string_equal(hm, "07:05");
	schedule_format_hhmm(-1, hm);
	assert_string_equal(hm, "");
	assert_true(schedule_parse_date("2024-02-29", &y, &m, &d));
	assert_int_equal(y * 10000 + m * 100 + d, 20240229);
	assert_false(schedule_parse_date("2023-02-29", &y, &m, &d));
	assert_false(schedule_parse_date("2024-13-01", &y, &m, &d));
	assert_false(schedule_parse_date("2024-1-01", &y, &m, &d));
	assert_false(schedule_parse_date("2024-01-01x", &y, &m, &d));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_weekly_across_spring_forward),
		cmocka_unit_test(test_weekly_madrid_both_changes),
		cmocka_unit_test(test_ends_after_midnight),
		cmocka_unit_test(test_overnight_on_fall_back),
		cmocka_unit_test(test_skipped_and_repeated_hours),
		cmocka_unit_test(test_monthly_first_and_third),
		cmocka_unit_test(test_monthly_last_and_fifth),
		cmocka_unit_test(test_once),
		cmocka_unit_test(test_cancelled_and_moved),
		cmocka_unit_test(test_appointment_and_checks),
		cmocka_unit_test(test_parsers),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	tz_cleanup();
	return rc;
}
