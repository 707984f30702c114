/*
 * Unit tests for checkins/sms_text.c (segments as carriers count them, and
 * cutting a text to fit) and the pure part of checkins/meeting_prefs.c
 * (reading preferences, and the finder query string they give).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "checkins/meeting_prefs.h"
#include "checkins/sms_text.h"

static void
fill(char *buf, const char *unit, size_t times)
{
	buf[0] = '\0';
	while (times-- > 0)
		strcat(buf, unit);
}

static void
test_segments(void **state)
{
	char buf[2048];

	(void)state;
	assert_int_equal(sms_segments(""), 0);
	assert_int_equal(sms_segments("Next meetings:"), 1);
	fill(buf, "a", 160);
	assert_int_equal(sms_segments(buf), 1);
	fill(buf, "a", 161);
	assert_int_equal(sms_segments(buf), 2);
	fill(buf, "a", 306);
	assert_int_equal(sms_segments(buf), 2);
	fill(buf, "a", 307);
	assert_int_equal(sms_segments(buf), 3);
	/* GSM extension characters take two septets */
	fill(buf, "{", 80);
	assert_int_equal(sms_segments(buf), 1);
	fill(buf, "{", 81);
	assert_int_equal(sms_segments(buf), 2);
	/* é, ñ, ü, ¿, ¡ are GSM; á, í, ó, ú are not */
	fill(buf, "\xc3\xa9\xc3\xb1\xc2\xbf\xc2\xa1", 40);	/* éñ¿¡ x 40 = 160 */
	assert_int_equal(sms_segments(buf), 1);
	fill(buf, "a", 69);
	strcat(buf, "\xc3\xa1");				/* 70 with á: UCS-2 */
	assert_int_equal(sms_segments(buf), 1);
	strcat(buf, "b");					/* 71 */
	assert_int_equal(sms_segments(buf), 2);
	fill(buf, "\xc3\xb3", 134);				/* ó x 134 = 2 x 67 */
	assert_int_equal(sms_segments(buf), 2);
	strcat(buf, "o");
	assert_int_equal(sms_segments(buf), 3);
	/* an emoji is two UTF-16 units; a stray byte counts, never short */
	fill(buf, "\xf0\x9f\x98\x80", 35);
	assert_int_equal(sms_segments(buf), 1);
	strcat(buf, "x");
	assert_int_equal(sms_segments(buf), 2);
	assert_int_equal(sms_segments("\xff"), 1);
	assert_true(sms_fits("hello", 1));
	fill(buf, "a", 161);
	assert_false(sms_fits(buf, 1));
}

static void
test_clip(void **state)
{
	char buf[2048], out[600];

	(void)state;
	assert_string_equal(sms_clip("short", 1, out, sizeof(out)), "short");
	fill(buf, "word ", 100);				/* 500 GSM characters */
	sms_clip(buf, 3, out, sizeof(out));
	assert_int_equal(sms_segments(out), 3);
	assert_int_equal(strlen(out), 459);			/* 3 x 153 exactly */
	assert_string_equal(out + strlen(out) - 3, "...");
	/* UCS-2 text is cut at a character, never inside one */
	fill(buf, "\xc3\xa1", 300);
	sms_clip(buf, 1, out, sizeof(out));
	assert_int_equal(sms_segments(out), 1);
	assert_string_equal(out + strlen(out) - 3, "...");
	assert_int_equal(strlen(out), 67 * 2 + 3);		/* 67 á and "..." = 70 */
	/* trailing spaces before the dots are dropped */
	fill(buf, "ab ", 100);
	sms_clip(buf, 1, out, sizeof(out));
	assert_true(strstr(out, " ...") == NULL);
	/* a small buffer bounds the result too */
	sms_clip("abcdefghij", 3, out, 8);
	assert_string_equal(out, "abcd...");
}

static void
test_prefs_parse(void **state)
{
	const char *times[] = { "evening", "morning", "evening", "" };
	const char *bad_times[] = { "brunch" };
	struct meeting_prefs p;
	const char *bad;
	struct arena a;

	(void)state;
	assert_true(mprefs_parse(NULL, NULL, NULL, 0, &p, &bad));
	assert_int_equal(p.attendance, MPREFS_ANY);
	assert_string_equal(p.region, "");
	assert_int_equal(p.times, 0);
	assert_true(mprefs_parse("online", "  North  ", times, 4, &p, &bad));
	assert_int_equal(p.attendance, MPREFS_ONLINE);
	assert_string_equal(p.region, "North");
	assert_int_equal(p.times, (1u << FINDER_MORNING) | (1u << FINDER_EVENING));
	assert_false(mprefs_parse("hybrid", NULL, NULL, 0, &p, &bad));
	assert_string_equal(bad, "attendance");
	assert_false(mprefs_parse(NULL, "a\tb", NULL, 0, &p, &bad));
	assert_string_equal(bad, "region");
	assert_false(mprefs_parse(NULL, "\xff", NULL, 0, &p, &bad));
	assert_string_equal(bad, "region");
	assert_false(mprefs_parse(NULL, NULL, bad_times, 1, &p, &bad));
	assert_string_equal(bad, "times");

	arena_init(&a);
	assert_true(mprefs_parse("in_person", "South Side", times, 1, &p, &bad));
	assert_string_equal(mprefs_finder_qs(&a, &p, "es"),
	    "lang=es&attendance=in_person&region=South%20Side&time=evening");
	assert_true(mprefs_parse(NULL, NULL, times, 2, &p, &bad));
	assert_string_equal(mprefs_finder_qs(&a, &p, "en"), "lang=en");
	{
		struct finder_query q;

		assert_true(mprefs_parse("online", "South Side", NULL, 0, &p, &bad));
		assert_true(mprefs_query(&a, &p, "es", &q));
		assert_int_equal(q.attendance, ATTEND_ONLINE);
		assert_string_equal(q.lang, "es");
		assert_string_equal(q.region, "south side");
	}
	arena_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_segments),
		cmocka_unit_test(test_clip),
		cmocka_unit_test(test_prefs_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
