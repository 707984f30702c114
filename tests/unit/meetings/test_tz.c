/*
 * Unit tests for meetings/tz.c: TZif reading, offsets on both sides of
 * daylight-saving changes (America/New_York and Europe/Madrid explicitly),
 * local-to-UTC for skipped and repeated hours, instants past 2037 that
 * only the footer rule covers, aliases, and names that must be refused.
 * The table of random instants was computed with Python's zoneinfo (an
 * independent implementation over the same system data).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <string.h>

#include "meetings/tz.h"

static int64_t
utc(int y, int m, int d, int hh, int mm)
{
	return tz_days_from_civil(y, m, d) * 86400 + hh * 3600 + mm * 60;
}

static void
test_calendar(void **state)
{
	int y, m, d;

	(void)state;
	assert_int_equal(tz_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(tz_days_from_civil(2000, 3, 1), 11017);
	assert_int_equal(tz_weekday(0), 4);				/* a Thursday */
	assert_int_equal(tz_weekday(tz_days_from_civil(2024, 3, 10)), 0);	/* a Sunday */
	tz_civil_from_days(tz_days_from_civil(2024, 2, 29), &y, &m, &d);
	assert_int_equal(y, 2024);
	assert_int_equal(m, 2);
	assert_int_equal(d, 29);
	tz_civil_from_days(-1, &y, &m, &d);
	assert_int_equal(y, 1969);
	assert_int_equal(m, 12);
	assert_int_equal(d, 31);
	assert_int_equal(tz_days_in_month(2024, 2), 29);
	assert_int_equal(tz_days_in_month(1900, 2), 28);
	assert_int_equal(tz_days_in_month(2000, 2), 29);
	assert_int_equal(tz_floor_div(-1, 86400), -1);
	assert_int_equal(tz_floor_div(86399, 86400), 0);
}

/* New York: 2024-03-10 02:00 EST -> 03:00 EDT (07:00Z); 2024-11-03 02:00 EDT -> 01:00 EST (06:00Z). */
static void
test_new_york_transitions(void **state)
{
	const struct tz *ny = tz_get("America/New_York");

	(void)state;
	assert_non_null(ny);
	assert_string_equal(tz_name(ny), "America/New_York");
	assert_int_equal(tz_offset_at(ny, utc(2024, 3, 10, 6, 59) + 59), -5 * 3600);
	assert_int_equal(tz_offset_at(ny, utc(2024, 3, 10, 7, 0)), -4 * 3600);
	assert_int_equal(tz_offset_at(ny, utc(2024, 11, 3, 5, 59) + 59), -4 * 3600);
	assert_int_equal(tz_offset_at(ny, utc(2024, 11, 3, 6, 0)), -5 * 3600);
	/* Wall clock to instant. */
	assert_int_equal(tz_local_to_utc(ny, utc(2024, 3, 9, 19, 0)), utc(2024, 3, 10, 0, 0));
	assert_int_equal(tz_local_to_utc(ny, utc(2024, 3, 10, 19, 0)), utc(2024, 3, 10, 23, 0));
	/* 02:30 does not exist that night: read with the offset before, 03:30 EDT. */
	assert_int_equal(tz_local_to_utc(ny, utc(2024, 3, 10, 2, 30)), utc(2024, 3, 10, 7, 30));
	/* 01:30 happens twice in November: the first one (EDT). */
	assert_int_equal(tz_local_to_utc(ny, utc(2024, 11, 3, 1, 30)), utc(2024, 11, 3, 5, 30));
	assert_int_equal(tz_utc_to_local(ny, utc(2024, 11, 3, 6, 30)), utc(2024, 11, 3, 1, 30));
}

/* Madrid: 2024-03-31 01:00Z (02:00 CET -> 03:00 CEST); 2024-10-27 01:00Z (03:00 CEST -> 02:00 CET). */
static void
test_madrid_transitions(void **state)
{
	const struct tz *md = tz_get("Europe/Madrid");

	(void)state;
	assert_non_null(md);
	assert_int_equal(tz_offset_at(md, utc(2024, 3, 31, 0, 59)), 3600);
	assert_int_equal(tz_offset_at(md, utc(2024, 3, 31, 1, 0)), 7200);
	assert_int_equal(tz_offset_at(md, utc(2024, 10, 27, 0, 59)), 7200);
	assert_int_equal(tz_offset_at(md, utc(2024, 10, 27, 1, 0)), 3600);
	assert_int_equal(tz_local_to_utc(md, utc(2024, 3, 31, 2, 30)), utc(2024, 3, 31, 1, 30));
	assert_int_equal(tz_local_to_utc(md, utc(2024, 10, 27, 2, 30)), utc(2024, 10, 27, 0, 30));
	assert_int_equal(tz_local_to_utc(md, utc(2024, 7, 1, 19, 0)), utc(2024, 7, 1, 17, 0));
	assert_int_equal(tz_local_to_utc(md, utc(2024, 1, 15, 19, 0)), utc(2024, 1, 15, 18, 0));
}

/* After 2037 only the POSIX rule in the file's footer says what happens. */
static void
test_footer_rule(void **state)
{
	const struct tz *ny = tz_get("America/New_York"), *md = tz_get("Europe/Madrid");

	(void)state;
	/* 2050: second Sunday of March is the 13th; first Sunday of November the 6th. */
	assert_int_equal(tz_offset_at(ny, utc(2050, 3, 13, 6, 59)), -5 * 3600);
	assert_int_equal(tz_offset_at(ny, utc(2050, 3, 13, 7, 0)), -4 * 3600);
	assert_int_equal(tz_offset_at(ny, utc(2050, 11, 6, 5, 59)), -4 * 3600);
	assert_int_equal(tz_offset_at(ny, utc(2050, 11, 6, 6, 0)), -5 * 3600);
	/* 2050 in Madrid: last Sundays are March 27 and October 30. */
	assert_int_equal(tz_offset_at(md, utc(2050, 3, 27, 0, 59)), 3600);
	assert_int_equal(tz_offset_at(md, utc(2050, 3, 27, 1, 0)), 7200);
	assert_int_equal(tz_offset_at(md, utc(2050, 10, 30, 1, 0)), 3600);
}

static const struct {
	const char	*zone;
	int64_t		 t;
	int32_t		 off;
} oracle[] = {
#include "tz_cases.inc"
};

static void
test_against_zoneinfo(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(oracle) / sizeof(oracle[0]); i++) {
		const struct tz *z = tz_get(oracle[i].zone);
		assert_non_null(z);
		if (tz_offset_at(z, oracle[i].t) != oracle[i].off)
			fail_msg("%s at %lld: %d, want %d", oracle[i].zone, (long long)oracle[i].t,
			    tz_offset_at(z, oracle[i].t), oracle[i].off);
		/* Round trip through local time, away from changes. */
		assert_int_equal(tz_local_to_utc(z, tz_utc_to_local(z, oracle[i].t)) -
		    oracle[i].t, 0);
	}
}

static void
test_aliases_and_names(void **state)
{
	const struct tz *a, *b;

	(void)state;
	assert_string_equal(tz_canonical("US/Eastern"), "America/New_York");
	assert_string_equal(tz_canonical("us/eastern"), "America/New_York");
	assert_string_equal(tz_canonical("america/chicago"), "America/Chicago");
	assert_string_equal(tz_canonical("US/Pacific"), "America/Los_Angeles");
	assert_string_equal(tz_canonical("UTC"), "Etc/UTC");
	a = tz_get("US/Eastern");
	b = tz_get("America/New_York");
	assert_ptr_equal(a, b);
	assert_null(tz_get(""));
	assert_null(tz_get("Mars/Olympus_Mons"));
	assert_null(tz_get("../../etc/passwd"));
	assert_null(tz_get("/etc/passwd"));
	assert_null(tz_get("America/../../etc/passwd"));
	assert_null(tz_get("America/New York"));
	assert_null(tz_canonical("Nowhere/Town"));
	assert_null(tz_canonical(NULL));
	/* A file that exists but is not a zone. */
	assert_null(tz_get("zone.tab"));
}

/* The names the coordinators' time-zone select offers: canonical, sorted, loadable. */
static void
test_zone_list(void **state)
{
	size_t i, n = tz_zone_count();
	bool ny = false, madrid = false;

	(void)state;
	assert_true(n > 300);
	for (i = 0; i < n; i++) {
		const char *z = tz_zone_at(i);

		assert_non_null(z);
		assert_string_equal(tz_canonical(z), z);
		if (i > 0)
			assert_true(strcmp(tz_zone_at(i - 1), z) < 0);
		ny |= strcmp(z, "America/New_York") == 0;
		madrid |= strcmp(z, "Europe/Madrid") == 0;
		assert_null(strstr(z, "US/Eastern"));	/* aliases are not listed */
	}
	assert_true(ny && madrid);
	assert_null(tz_zone_at(n));
	assert_non_null(tz_get(tz_zone_at(n / 2)));
}

static void *
hammer(void *arg)
{
	static const char *const names[] = { "Europe/Lisbon", "Asia/Tokyo", "America/Denver",
	    "Africa/Cairo" };
	int i;

	(void)arg;
	for (i = 0; i < 200; i++) {
		const struct tz *z = tz_get(names[i % 4]);
		if (z == NULL || tz_offset_at(z, 1700000000) == 12345)
			return (void *)1;
	}
	return NULL;
}

static void
test_threads(void **state)
{
	pthread_t t[4];
	void *rv;
	int i;

	(void)state;
	for (i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, hammer, NULL), 0);
	for (i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(t[i], &rv), 0);
		assert_null(rv);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_calendar),
		cmocka_unit_test(test_new_york_transitions),
		cmocka_unit_test(test_madrid_transitions),
		cmocka_unit_test(test_footer_rule),
		cmocka_unit_test(test_against_zoneinfo),
		cmocka_unit_test(test_aliases_and_names),
		cmocka_unit_test(test_zone_list),
		cmocka_unit_test(test_threads),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	tz_cleanup();
	return rc;
}
