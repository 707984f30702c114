/*
 * Unit tests for formats/ical.c: folding at 75 octets without splitting a
 * UTF-8 character, TEXT escaping, VTIMEZONE from a zone's rule (New York,
 * Madrid, a zone without daylight saving), and the events of weekly,
 * monthly and single-date meetings with cancelled and moved sessions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "formats/ical.h"
#include "meetings/tz.h"

static void
test_fold_and_escape(void **state)
{
	struct buf b = BUF_INIT, v = BUF_INIT;
	char line[200];
	const char *p, *nl;
	size_t i;

	(void)state;
	/* 100 two-byte characters: folds must fall between characters. */
	for (i = 0; i < 100; i++)
		memcpy(line + i * 2, "\xc3\xb1", 2);
	line[200 - 1] = '\0';
	line[198] = '\0';
	ical_line(&b, "SUMMARY", line);
	for (p = b.data; (nl = strstr(p, "\r\n")) != NULL; p = nl + 2) {
		size_t n = (size_t)(nl - p);
		assert_true(n <= 75);
		if (p != b.data)
			assert_true(p[0] == ' ');
		/* never starts with a continuation byte after the fold space */
		if (p != b.data)
			assert_true(((unsigned char)p[1] & 0xc0) != 0x80);
	}
	assert_int_equal(*p, '\0');
	ical_escape(&v, "a,b;c\\d\ne\rf");
	assert_string_equal(v.data, "a\\,b\\;c\\\\d\\nef");
	buf_reset(&b);
	ical_line(&b, "X", "short");
	assert_string_equal(b.data, "X:short\r\n");
	buf_free(&b);
	buf_free(&v);
}

static void
test_vtimezone(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	ical_timezone(&b, tz_get("America/New_York"));
	assert_non_null(strstr(b.data, "TZID:America/New_York\r\n"));
	assert_non_null(strstr(b.data, "BEGIN:DAYLIGHT\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\n"
	    "TZNAME:EDT\r\nDTSTART:19700308T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\n"));
	assert_non_null(strstr(b.data, "BEGIN:STANDARD\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\n"
	    "TZNAME:EST\r\nDTSTART:19701101T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\n"));
	buf_reset(&b);
	ical_timezone(&b, tz_get("Europe/Madrid"));
	assert_non_null(strstr(b.data, "DTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;"
	    "BYDAY=-1SU\r\n"));
	assert_non_null(strstr(b.data, "DTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;"
	    "BYDAY=-1SU\r\n"));
	buf_reset(&b);
	ical_timezone(&b, tz_get("Asia/Kolkata"));
	assert_non_null(strstr(b.data, "TZOFFSETFROM:+0530\r\nTZOFFSETTO:+0530\r\n"));
	assert_null(strstr(b.data, "DAYLIGHT"));
	buf_free(&b);
}

static struct meeting
meeting(struct arena *a, enum sched_kind kind)
{
	struct meeting m;

	memset(&m, 0, sizeof(m));
	m.slug = arena_strdup(a, "weekly-one");
	m.name = arena_strdup(a, "Weekly, one");
	m.timezone = arena_strdup(a, "America/New_York");
	m.sched.kind = kind;
	m.sched.days = 1u << 2;
	m.sched.start_min = 19 * 60;
	m.sched.end_min = 20 * 60 + 30;
	m.updated = tz_days_from_civil(2030, 3, 1) * 86400;	/* a Friday */
	m.location = arena_strdup(a, "Hall; upstairs");
	return m;
}

static void
test_events(void **state)
{
	struct arena a;
	struct buf b = BUF_INIT;
	struct ical_event_opts opt = { "example.org", "https://example.org/meetings/weekly-one",
	    tz_days_from_civil(2030, 3, 2) * 86400 };
	struct meeting m;
	struct sched_exception ex[2] = {
		{ .y = 2030, .m = 3, .d = 12, .cancelled = true },
		{ .y = 2030, .m = 3, .d = 19, .new_y = 2030, .new_m = 3, .new_d = 20,
		  .new_start_min = 18 * 60, .new_end_min = -1 },
	};

	(void)state;
	arena_init(&a);
	m = meeting(&a, SCHED_WEEKLY);
	ical_meeting(&b, &m, ex, 2, &opt);
	assert_non_null(strstr(b.data, "DTSTART;TZID=America/New_York:20300305T190000\r\n"
	    "DTEND;TZID=America/New_York:20300305T203000\r\nRRULE:FREQ=WEEKLY;BYDAY=TU\r\n"
	    "EXDATE;TZID=America/New_York:20300312T190000\r\nUID:meeting-weekly-one@example.org\r\n"
	    "DTSTAMP:20300302T000000Z\r\nSUMMARY:Weekly\\, one\r\nLOCATION:Hall\\; upstairs\r\n"));
	assert_non_null(strstr(b.data, "RECURRENCE-ID;TZID=America/New_York:20300319T190000\r\n"
	    "DTSTART;TZID=America/New_York:20300320T180000\r\n"
	    "DTEND;TZID=America/New_York:20300320T190000\r\n"));
	/* Monthly: first and third Saturday; last Friday. */
	buf_reset(&b);
	m = meeting(&a, SCHED_MONTHLY);
	m.sched.days = 1u << 6;
	m.sched.weeks = 1u | 4u;
	ical_meeting(&b, &m, NULL, 0, &opt);
	assert_non_null(strstr(b.data, "DTSTART;TZID=America/New_York:20300302T190000\r\n"));
	assert_non_null(strstr(b.data, "RRULE:FREQ=MONTHLY;BYDAY=1SA,3SA\r\n"));
	buf_reset(&b);
	m.sched.days = 1u << 5;
	m.sched.weeks = SCHED_WEEK_LAST;
	ical_meeting(&b, &m, NULL, 0, &opt);
	assert_non_null(strstr(b.data, "DTSTART;TZID=America/New_York:20300329T190000\r\n"));
	assert_non_null(strstr(b.data, "RRULE:FREQ=MONTHLY;BYDAY=-1FR\r\n"));
	/* A single date, cancelled: one event, no rule, STATUS:CANCELLED. */
	buf_reset(&b);
	m = meeting(&a, SCHED_ONCE);
	m.sched.once_y = 2030;
	m.sched.once_m = 6;
	m.sched.once_d = 10;
	ex[0].y = 2030;
	ex[0].m = 6;
	ex[0].d = 10;
	ical_meeting(&b, &m, ex, 1, &opt);
	assert_null(strstr(b.data, "RRULE"));
	assert_non_null(strstr(b.data, "DTSTART;TZID=America/New_York:20300610T190000\r\n"));
	assert_non_null(strstr(b.data, "STATUS:CANCELLED\r\n"));
	/* By appointment: nothing to put in a calendar. */
	buf_reset(&b);
	m = meeting(&a, SCHED_APPOINTMENT);
	ical_meeting(&b, &m, NULL, 0, &opt);
	assert_int_equal(b.len, 0);
	buf_free(&b);
	arena_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold_and_escape),
		cmocka_unit_test(test_vtimezone),
		cmocka_unit_test(test_events),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	tz_cleanup();
	return rc;
}
