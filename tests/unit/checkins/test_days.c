/*
 * Unit tests for checkins/days.c: the calendar, the counting rules of
 * days in recovery (current run, longest run, total days) with several
 * relapses, relapses on the start day, on today, twice on one day, out of
 * order and out of range, and the milestones, which must survive a
 * relapse as history (the rule: a relapse never erases anything).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "checkins/days.h"

static int64_t
D(const char *s)
{
	int64_t d = 0;

	assert_true(days_parse_date(s, &d));
	return d;
}

static void
test_calendar(void **state)
{
	char buf[11];
	int64_t day, y;
	int m, d;

	(void)state;
	assert_int_equal(days_from_civil(1970, 1, 1), 0);
	assert_int_equal(days_from_civil(2026, 3, 2), 20514);
	assert_int_equal(days_from_civil(2024, 2, 29), 19782);
	assert_int_equal(days_from_civil(1969, 12, 31), -1);
	days_to_civil(19782, &y, &m, &d);
	assert_true(y == 2024 && m == 2 && d == 29);
	for (day = -800000; day < 800000; day += 997) {
		days_to_civil(day, &y, &m, &d);
		assert_int_equal(days_from_civil(y, m, d), day);
	}
	assert_int_equal(days_weekday(0), 3);			/* Thursday */
	assert_int_equal(days_weekday(D("2026-03-02")), 0);	/* Monday */
	assert_int_equal(days_weekday(D("2026-03-04")), 2);
	assert_int_equal(days_weekday(-1), 2);
	assert_int_equal(days_of_time(0, 0), 0);
	assert_int_equal(days_of_time(86399, 0), 0);
	assert_int_equal(days_of_time(86400, 0), 1);
	assert_int_equal(days_of_time(-1, 0), -1);
	assert_int_equal(days_of_time(3600, -7200), -1);
	days_format_date(D("2026-03-04"), buf);
	assert_string_equal(buf, "2026-03-04");
	assert_int_equal(days_add_years(D("2024-02-29"), 1), D("2025-03-01"));
	assert_int_equal(days_add_years(D("2024-02-29"), 4), D("2028-02-29"));
	assert_int_equal(days_add_years(D("2023-03-01"), 2) - D("2023-03-01"), 731);
}

static void
test_parse_date(void **state)
{
	static const char *const bad[] = {
		"", "2026-1-01", "2026-01-1", "2023-02-29", "2026-13-01", "2026-00-10",
		"2026-04-31", "1899-12-31", "abcd-ef-gh", "2026/01/01", "2026-01-01 ",
		" 2026-01-01", "+026-01-01", NULL,
	};
	int64_t d;
	size_t i;

	(void)state;
	for (i = 0; bad[i] != NULL; i++)
		assert_false(days_parse_date(bad[i], &d));
	assert_false(days_parse_date(NULL, &d));
	assert_true(days_parse_date("2024-02-29", &d));
	assert_true(days_parse_date("1900-01-01", &d));
	assert_true(days_parse_date("9999-12-31", &d));
}

struct summary_case {
	const char	*name;
	const char	*start;
	const char	*relapses[6];
	const char	*today;
	int64_t		 current, longest, total, runs;
	const char	*run_start;
	bool		 started;
};

static const struct summary_case summary_cases[] = {
	{ "first day", "2026-01-01", { NULL }, "2026-01-01", 0, 0, 0, 1, "2026-01-01", true },
	{ "a month", "2026-01-01", { NULL }, "2026-01-31", 30, 30, 30, 1, "2026-01-01", true },
	{ "one relapse", "2026-01-01", { "2026-01-11" }, "2026-01-31", 19, 19, 29, 2,
	    "2026-01-12", true },
	{ "relapse today", "2026-01-01", { "2026-01-31" }, "2026-01-31", 0, 30, 30, 2,
	    "2026-02-01", true },
	{ "the day after a relapse", "2026-01-01", { "2026-01-30" }, "2026-01-31", 0, 29, 29, 2,
	    "2026-01-31", true },
	{ "relapse on the start day", "2026-01-01", { "2026-01-01" }, "2026-01-05", 3, 3, 3, 2,
	    "2026-01-02", true },
	{ "twice on one day", "2026-01-01", { "2026-01-11", "2026-01-11" }, "2026-01-31", 19, 19,
	    29, 2, "2026-01-12", true },
	{ "several, out of order", "2026-01-01", { "2026-03-01", "2026-01-11", "2026-02-01" },
	    "2026-03-31", 29, 29, 86, 4, "2026-03-02", true },
	{ "two days running", "2026-01-01", { "2026-01-05", "2026-01-06" }, "2026-01-10", 3, 4,
	    7, 3, "2026-01-07", true },
	{ "outside the range", "2026-01-10", { "2026-01-05", "2026-02-05" }, "2026-01-20", 10, 10,
	    10, 1, "2026-01-10", true },
	{ "start in the future", "2026-02-01", { "2026-01-05" }, "2026-01-20", 0, 0, 0, 0,
	    "2026-02-01", false },
	{ "longest run kept", "2025-01-01", { "2025-12-01" }, "2026-01-10", 39, 334, 373, 2,
	    "2025-12-02", true },
};

static void
test_summaries(void **state)
{
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(summary_cases) / sizeof(summary_cases[0]); i++) {
		const struct summary_case *tc = &summary_cases[i];
		int64_t rel[6];
		struct days_summary s;

		for (n = 0; tc->relapses[n] != NULL; n++)
			rel[n] = D(tc->relapses[n]);
		assert_int_equal(days_summarize(D(tc->start), rel, n, D(tc->today), &s), 0);
		if (s.current != tc->current || s.longest != tc->longest || s.total != tc->total ||
		    s.runs != tc->runs || s.run_start != D(tc->run_start) || s.started != tc->started)
			fail_msg("%s: current %lld longest %lld total %lld runs %lld", tc->name,
			    (long long)s.current, (long long)s.longest, (long long)s.total,
			    (long long)s.runs);
		/* one more relapse never raises anything, and costs at most its own day */
		if (n > 0) {
			struct days_summary before;

			assert_int_equal(days_summarize(D(tc->start), rel, n - 1, D(tc->today),
			    &before), 0);
			assert_true(s.longest <= before.longest);
			assert_true(s.total <= before.total);
			assert_true(s.total >= before.total - 1);
		}
	}
}

/* Recording a relapse takes away at most that one day from the total, never more. */
static void
test_relapse_costs_one_day(void **state)
{
	int64_t start = D("2025-06-01"), today = D("2026-03-04"), r;
	struct days_summary none, one;

	(void)state;
	assert_int_equal(days_summarize(start, NULL, 0, today, &none), 0);
	for (r = start; r <= today; r++) {
		assert_int_equal(days_summarize(start, &r, 1, today, &one), 0);
		assert_int_equal(one.total, none.total - (r < today ? 1 : 0));
		assert_true(one.longest >= (none.longest - 1) / 2);
	}
}

static void
test_too_many(void **state)
{
	struct days_summary s;
	static int64_t many[100001];

	(void)state;
	assert_int_equal(days_summarize(0, many, 100001, 10, &s), -1);
	assert_int_equal(days_milestones(0, many, 100001, 10, NULL, 0), -1);
}

static void
test_milestones(void **state)
{
	struct milestone m[16], next;
	int64_t n;

	(void)state;
	assert_int_equal(days_milestones(D("2026-01-01"), NULL, 0, D("2026-01-01"), m, 16), 0);
	days_next_milestone(D("2026-01-01"), D("2026-01-01"), &next);
	assert_int_equal(next.days, 1);
	assert_int_equal(next.reached_on, D("2026-01-02"));

	assert_int_equal(days_milestones(D("2026-01-01"), NULL, 0, D("2026-01-02"), m, 16), 1);
	assert_int_equal(m[0].days, 1);
	assert_int_equal(m[0].reached_on, D("2026-01-02"));
	assert_true(m[0].current_run);
	days_next_milestone(D("2026-01-01"), D("2026-01-02"), &next);
	assert_int_equal(next.days, 7);

	/* a year: 1, 7, 30, 60, 90, 180, 365 (one year) */
	n = days_milestones(D("2025-01-01"), NULL, 0, D("2026-01-01"), m, 16);
	assert_int_equal(n, 7);
	assert_int_equal(m[6].days, 365);
	assert_int_equal(m[6].years, 1);
	assert_int_equal(m[6].reached_on, D("2026-01-01"));
	days_next_milestone(D("2025-01-01"), D("2026-01-01"), &next);
	assert_int_equal(next.years, 2);
	assert_int_equal(next.reached_on, D("2027-01-01"));
	assert_int_equal(next.days, 730);

	/* anniversaries follow the calendar across a leap day */
	n = days_milestones(D("2023-03-01"), NULL, 0, D("2025-02-28"), m, 16);
	assert_int_equal(n, 7);
	n = days_milestones(D("2023-03-01"), NULL, 0, D("2025-03-01"), m, 16);
	assert_int_equal(n, 8);
	assert_int_equal(m[7].years, 2);
	assert_int_equal(m[7].days, 731);
	n = days_milestones(D("2020-01-01"), NULL, 0, D("2026-01-01"), m, 16);
	assert_int_equal(n, 12);	/* 7 + years 2..6 */
	assert_int_equal(m[11].years, 6);
}

static void
test_milestones_survive_relapse(void **state)
{
	struct milestone m[16];
	int64_t rel = D("2026-02-15"), n;
	struct milestone next;

	(void)state;
	n = days_milestones(D("2026-01-01"), &rel, 1, D("2026-02-20"), m, 16);
	assert_int_equal(n, 4);
	/* the first run (45 days) keeps 1, 7 and 30 */
	assert_int_equal(m[0].days, 1);
	assert_int_equal(m[1].days, 7);
	assert_int_equal(m[2].days, 30);
	assert_int_equal(m[2].run, 0);
	assert_false(m[2].current_run);
	assert_int_equal(m[2].reached_on, D("2026-01-31"));
	/* the new run started the day after: 1 day on 17 February */
	assert_int_equal(m[3].days, 1);
	assert_int_equal(m[3].run, 1);
	assert_true(m[3].current_run);
	assert_int_equal(m[3].reached_on, D("2026-02-17"));
	days_next_milestone(D("2026-02-16"), D("2026-02-20"), &next);
	assert_int_equal(next.days, 7);
	assert_int_equal(next.reached_on, D("2026-02-23"));

	/* only the newest when asked for fewer; the count is still all of them */
	memset(m, 0, sizeof(m));
	n = days_milestones(D("2026-01-01"), &rel, 1, D("2026-02-20"), m, 2);
	assert_int_equal(n, 4);
	assert_int_equal(m[0].days, 30);
	assert_int_equal(m[1].days, 1);
	assert_true(m[1].current_run);

	/* a relapse the day a milestone would be reached: not reached */
	rel = D("2026-01-08");
	n = days_milestones(D("2026-01-01"), &rel, 1, D("2026-01-08"), m, 16);
	assert_int_equal(n, 2);		/* 1 on 2 Jan, 7 on 8 Jan: 7 days were done */
	rel = D("2026-01-07");
	n = days_milestones(D("2026-01-01"), &rel, 1, D("2026-01-08"), m, 16);
	assert_int_equal(n, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_calendar),
		cmocka_unit_test(test_parse_date),
		cmocka_unit_test(test_summaries),
		cmocka_unit_test(test_relapse_costs_one_day),
		cmocka_unit_test(test_too_many),
		cmocka_unit_test(test_milestones),
		cmocka_unit_test(test_milestones_survive_relapse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
