/*
 * Unit tests for formats/meetingguide.c: the tolerant reader (day arrays,
 * numbers as strings, approximate as text or boolean, HTML in notes, time
 * zone aliases, unknown types kept, links found in notes, TC and ONL as
 * the 12 Step Meeting List reads them), the rejections with their reasons,
 * the CSV template, and the writer: every real feed in
 * tests/data/meetingguide/ is read in full, written out and read back to
 * the same meetings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "formats/meetingguide.h"
#include "meetings/tz.h"

static const char *
root(void)
{
	const char *r = getenv("CIRCLES_SOURCE_ROOT");

	return r ? r : CIRCLES_SOURCE_ROOT;
}

static char *
slurp(const char *name, size_t *len)
{
	char *path = xasprintf("%s/tests/data/meetingguide/%s", root(), name);
	FILE *f = fopen(path, "rb");
	char *data;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	data = xmalloc((size_t)n + 1);
	assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
	data[n] = '\0';
	fclose(f);
	free(path);
	*len = (size_t)n;
	return data;
}

static const struct mg_options opt = { NULL, 1700000000 };

static int
parse(struct arena *a, const char *json, struct mg_feed *f)
{
	return mg_parse_json(a, json, strlen(json), &opt, f);
}

static const struct meeting *
find(const struct mg_feed *f, const char *slug)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (strcmp(f->meetings[i].slug, slug) == 0)
			return &f->meetings[i];
	fail_msg("no meeting %s", slug);
	return NULL;
}

static void
test_tolerant_reading(void **state)
{
	struct arena a;
	struct mg_feed f;
	const struct meeting *m;

	(void)state;
	arena_init(&a);
	assert_int_equal(parse(&a, "[{\"name\":\"A &amp; B\",\"slug\":\"a\",\"day\":[\"1\",3],"
	    "\"time\":\"7:30 pm\",\"end_time\":\"21:00\",\"timezone\":\"US/Eastern\","
	    "\"types\":\"O, D\",\"latitude\":\"40.5\",\"longitude\":-74.25,\"approximate\":\"no\","
	    "\"address\":\"1 Main St\",\"postal_code\":12345,"
	    "\"notes\":\"<b>Zoom:</b> <a href=\\\"https://zoom.us/j/5?pwd=x\\\">https://zoom.us/j/5</a>\"},"
	    "{\"name\":\"B\",\"slug\":7,\"day\":\"Friday\",\"time\":\"08:00\","
	    "\"timezone\":\"america/chicago\",\"approximate\":true,\"types\":[\"ZZ\",\"O\",11]}]",
	    &f), 0);
	assert_int_equal(f.n, 2);
	assert_int_equal(f.nrejected, 0);
	m = find(&f, "a");
	assert_string_equal(m->name, "A & B");
	assert_int_equal(m->sched.kind, SCHED_WEEKLY);
	assert_int_equal(m->sched.days, (1u << 1) | (1u << 3));
	assert_int_equal(m->sched.start_min, 19 * 60 + 30);
	assert_int_equal(m->sched.end_min, 21 * 60);
	assert_string_equal(m->timezone, "America/New_York");
	assert_int_equal(m->ntypes, 2);
	assert_string_equal(m->types[0], "D");
	assert_true(m->has_coords);
	assert_int_equal(m->lat_e6, 40500000);
	assert_int_equal(m->lon_e6, -74250000);
	assert_false(m->approximate);
	assert_string_equal(m->postal_code, "12345");
	assert_string_equal(m->notes, "Zoom: https://zoom.us/j/5?pwd=x");
	assert_string_equal(m->conference_url, "https://zoom.us/j/5?pwd=x");
	assert_int_equal(m->attendance, ATTEND_HYBRID);
	assert_int_equal(f.links_from_notes, 1);
	assert_int_equal(f.html_cleaned, 1);
	m = find(&f, "7");
	assert_int_equal(m->sched.days, 1u << 5);
	assert_string_equal(m->timezone, "America/Chicago");
	assert_true(m->approximate);
	assert_int_equal(m->attendance, ATTEND_IN_PERSON);
	assert_int_equal(f.nunknown, 1);
	assert_string_equal(f.unknown[0].code, "ZZ");
	assert_int_equal(m->ntypes, 3);		/* 11, O, ZZ: unknown codes kept */
	arena_free(&a);
}

static void
test_attendance_rules(void **state)
{
	struct arena a;
	struct mg_feed f;

	(void)state;
	arena_init(&a);
	assert_int_equal(parse(&a, "["
	    "{\"name\":\"tc\",\"slug\":\"tc\",\"day\":1,\"time\":\"10:00\",\"timezone\":\"UTC\","
	    "\"types\":[\"TC\",\"O\"],\"address\":\"1 A St\"},"
	    "{\"name\":\"tcl\",\"slug\":\"tcl\",\"day\":1,\"time\":\"10:00\",\"timezone\":\"UTC\","
	    "\"types\":[\"TC\"],\"address\":\"1 A St\",\"conference_phone\":\"+1 555 0100\"},"
	    "{\"name\":\"onl\",\"slug\":\"onl\",\"day\":1,\"time\":\"10:00\",\"timezone\":\"UTC\","
	    "\"types\":[\"ONL\"],\"address\":\"zoom\",\"conference_url\":\"zoom.us/j/1\"},"
	    "{\"name\":\"in\",\"slug\":\"in\",\"day\":1,\"time\":\"10:00\",\"timezone\":\"UTC\","
	    "\"address\":\"1 A St\"},"
	    "{\"name\":\"ex\",\"slug\":\"ex\",\"day\":1,\"time\":\"10:00\",\"timezone\":\"UTC\","
	    "\"attendance_option\":\"inactive\"}]", &f), 0);
	assert_int_equal(f.n, 5);
	assert_true(find(&f, "tc")->temporarily_closed);
	assert_false(meeting_has_type(find(&f, "tc"), "TC"));
	assert_false(find(&f, "tcl")->temporarily_closed);
	assert_int_equal(find(&f, "tcl")->attendance, ATTEND_ONLINE);
	assert_int_equal(find(&f, "onl")->attendance, ATTEND_ONLINE);	/* "zoom" is no address */
	assert_string_equal(find(&f, "onl")->conference_url, "https://zoom.us/j/1");
	assert_true(find(&f, "onl")->approximate);
	assert_int_equal(find(&f, "in")->attendance, ATTEND_IN_PERSON);
	assert_true(find(&f, "ex")->temporarily_closed);
	assert_false(mg_exportable(find(&f, "ex")));
	arena_free(&a);
}

static void
expect_rejection(const char *entry, const char *reason, const char *field)
{
	struct arena a;
	struct mg_feed f;
	char *json = xasprintf("[%s]", entry);

	arena_init(&a);
	assert_int_equal(parse(&a, json, &f), 0);
	assert_int_equal(f.n, 0);
	assert_int_equal(f.nrejected, 1);
	assert_string_equal(f.rejected[0].reason, reason);
	if (field)
		assert_string_equal(f.rejected[0].field, field);
	assert_int_equal(f.rejected[0].index, 1);
	free(json);
	arena_free(&a);
}

static void
test_rejections(void **state)
{
	struct arena a;
	struct mg_feed f;

	(void)state;
	expect_rejection("{\"name\":\"x\",\"slug\":\"x\",\"day\":7,\"time\":\"10:00\",\"timezone\":\"UTC\"}",
	    "day_out_of_range", "day");
	expect_rejection("{\"name\":\"x\",\"slug\":\"x\",\"day\":[1,-1],\"time\":\"10:00\",\"timezone\":\"UTC\"}",
	    "day_out_of_range", "day");
	expect_rejection("{\"name\":\"x\",\"slug\":\"x\",\"day\":\"Caturday\",\"time\":\"10:00\",\"timezone\":\"UTC\"}",
	    "day_invalid", "day");
	expect_rejection("{\"name\":\"x\",\"slug\":\"x\",\"day\":1,\"time\":\"25:00\",\"timezone\":\"UTC\"}",
	    "time_invalid", "time");
	expect_rejection("{\"name\":\"x\",\"slug\":\"x\",\"day\":1,\"time\":\"10:00\",\"timezone\":\"Moon/Base\"}",
	    "timezone_unknown", "timezone");
	expect_rejection("{\"slug\":\"x\",\"day\":1,\"time\":\"10:00\",\"timezone\":\"UTC\"}",
	    "name_missing", "name");
	expect_rejection("{\"name\":\"x\",\"day\":1,\"time\":\"10:00\",\"timezone\":\"UTC\"}",
	    "slug_missing", "slug");
	expect_rejection("{\"name\":\"x\",\"slug\":\"a/b\",\"day\":1,\"time\":\"10:00\",\"timezone\":\"UTC\"}",
	    "slug_invalid", "slug");
	expect_rejection("\"just a string\"", "not_an_object", NULL);
	/* No time zone anywhere in the feed and no default. */
	expect_rejection("{\"name\":\"x\",\"slug\":\"x\",\"day\":1,\"time\":\"10:00\"}",
	    "timezone_missing", "timezone");

	/* The first meeting keeps a repeated slug; the rest still import. */
	arena_init(&a);
	assert_int_equal(parse(&a, "[{\"name\":\"one\",\"slug\":\"s\",\"day\":1,\"time\":\"10:00\","
	    "\"timezone\":\"UTC\"},{\"name\":\"two\",\"slug\":\"s\",\"day\":2,\"time\":\"10:00\","
	    "\"timezone\":\"UTC\"},{\"name\":\"three\",\"slug\":\"t\",\"day\":3,"
	    "\"timezone\":\"UTC\"}]", &f), 0);
	assert_int_equal(f.n, 2);
	assert_string_equal(find(&f, "s")->name, "one");
	assert_string_equal(f.rejected[0].reason, "slug_duplicate");
	assert_int_equal(f.rejected[0].index, 2);
	/* No time: kept, by appointment, its day remembered. */
	assert_int_equal(find(&f, "t")->sched.kind, SCHED_APPOINTMENT);
	assert_int_equal(find(&f, "t")->sched.days, 1u << 3);
	assert_int_equal(find(&f, "t")->sched.start_min, -1);
	/* A default zone is the feed's most common one. */
	assert_int_equal(parse(&a, "[{\"name\":\"a\",\"slug\":\"a\",\"day\":1,\"time\":\"10:00\"},"
	    "{\"name\":\"b\",\"slug\":\"b\",\"day\":1,\"time\":\"10:00\",\"timezone\":\"Europe/Madrid\"}]",
	    &f), 0);
	assert_string_equal(find(&f, "a")->timezone, "Europe/Madrid");
	arena_free(&a);
}

static void
test_whole_feed_errors(void **state)
{
	struct arena a;
	struct mg_feed f;

	(void)state;
	arena_init(&a);
	assert_int_equal(parse(&a, "nope", &f), -1);
	assert_string_equal(f.error, "not_json");
	assert_int_equal(parse(&a, "{\"x\":1}", &f), -1);
	assert_string_equal(f.error, "not_an_array");
	assert_int_equal(mg_parse_any(&a, "  \n", 3, &opt, &f), -1);
	assert_string_equal(f.error, "empty");
	assert_int_equal(mg_parse_any(&a, "a,b\n1,2\n", 8, &opt, &f), -1);
	assert_string_equal(f.error, "not_csv");
	assert_int_equal(mg_parse_any(&a, "Name\n\xff\n", 7, &opt, &f), -1);
	assert_string_equal(f.error, "not_utf8");
	/* {"meetings": [...]} is read too */
	assert_int_equal(parse(&a, "{\"meetings\":[{\"name\":\"a\",\"slug\":\"a\",\"day\":1,"
	    "\"time\":\"10:00\",\"timezone\":\"UTC\"}]}", &f), 0);
	assert_int_equal(f.n, 1);
	arena_free(&a);
}

static void
test_times_and_days(void **state)
{
	(void)state;
	assert_int_equal(mg_parse_time("19:30"), 1170);
	assert_int_equal(mg_parse_time("7:30 PM"), 1170);
	assert_int_equal(mg_parse_time("7:30pm"), 1170);
	assert_int_equal(mg_parse_time("12:00 AM"), 0);
	assert_int_equal(mg_parse_time("12:15 p.m."), 735);
	assert_int_equal(mg_parse_time("7 am"), 420);
	assert_int_equal(mg_parse_time("noon"), 720);
	assert_int_equal(mg_parse_time("13:00 PM"), -1);
	assert_int_equal(mg_parse_time("19:30:00"), 1170);
	assert_int_equal(mg_parse_time("soon"), -1);
	assert_int_equal(mg_parse_day("0"), 0);
	assert_int_equal(mg_parse_day("6"), 6);
	assert_int_equal(mg_parse_day("7"), -2);
	assert_int_equal(mg_parse_day("-1"), -2);
	assert_int_equal(mg_parse_day("Wednesday"), 3);
	assert_int_equal(mg_parse_day("miércoles"), 3);
	assert_int_equal(mg_parse_day("SAT"), 6);
	assert_int_equal(mg_parse_day("Caturday"), -1);
}

static void
test_csv_template(void **state)
{
	struct arena a;
	struct mg_feed f;
	size_t len;
	char *csv = slurp("tsml-template.csv", &len);
	const struct meeting *m;

	(void)state;
	arena_init(&a);
	assert_int_equal(mg_parse_csv(&a, csv, len, &opt, &f), 0);
	assert_int_equal(f.n, 36);
	assert_int_equal(f.nrejected, 0);
	m = find(&f, "after-work-topic-meeting");
	assert_int_equal(m->sched.days, 1u << 1);
	assert_int_equal(m->sched.start_min, 18 * 60);
	assert_string_equal(m->formatted_address, "2634 Union Ave, San Jose, CA 95124, USA");
	assert_true(meeting_has_type(m, "O"));
	assert_true(meeting_has_type(m, "X"));
	assert_true(m->access & ACCESS_WHEELCHAIR);
	assert_string_equal(m->region, "San Jose");
	assert_string_equal(m->sub_region, "West San Jose");
	assert_string_equal(m->url, "https://saturdaynitelive.org");
	m = find(&f, "t-g-i-f");
	/* 7:30-8:30 PM: an end one hour later is the default, kept as none. */
	assert_int_equal(m->sched.end_min, -1);
	assert_int_equal(schedule_duration(&m->sched), 60);
	m = find(&f, "hora-de-vivir");
	assert_string_equal(m->languages[0], "es");
	m = find(&f, "underground-book-study");
	assert_int_equal(m->attendance, ATTEND_ONLINE);	/* TC with a link */
	assert_false(m->temporarily_closed);
	assert_false(meeting_has_type(m, "TC"));
	assert_string_equal(m->conference_phone, "(800) 555-1212");
	/* Quoted fields with commas, doubled quotes, CRLF and no trailing newline. */
	{
		const char *small = "\xef\xbb\xbf" "Name,Day,Time,Timezone,Notes\r\n"
		    "\"A, \"\"quoted\"\" name\",Tuesday,8:00 AM,America/Denver,\"two\r\nlines\"\r\n"
		    "B,Wednesday,,America/Denver,\r\n"
		    "B,Thursday,9:00,America/Denver,";
		assert_int_equal(mg_parse_csv(&a, small, strlen(small), &opt, &f), 0);
		assert_int_equal(f.n, 3);
		assert_string_equal(f.meetings[0].name, "A, \"quoted\" name");
		assert_string_equal(f.meetings[0].slug, "a-quoted-name");
		assert_string_equal(f.meetings[0].notes, "two\nlines");
		assert_int_equal(f.meetings[1].sched.kind, SCHED_APPOINTMENT);
		assert_string_equal(f.meetings[1].slug, "b");
		assert_string_equal(f.meetings[2].slug, "b-2");	/* made unique */
	}
	free(csv);
	arena_free(&a);
}

/* Read a real feed, write it out, read that back: the same meetings. */
static void
round_trip(const char *name, size_t expected)
{
	struct arena a;
	struct mg_feed f, g;
	struct buf out = BUF_INIT;
	size_t len, i;
	char *data = slurp(name, &len);

	arena_init(&a);
	assert_int_equal(mg_parse_any(&a, data, len, &opt, &f), 0);
	assert_int_equal(f.n, expected);
	assert_int_equal(f.nrejected, 0);
	buf_putc(&out, '[');
	for (i = 0; i < f.n; i++) {
		if (i)
			buf_putc(&out, ',');
		mg_write_meeting(&out, &f.meetings[i]);
	}
	buf_putc(&out, ']');
	assert_int_equal(mg_parse_json(&a, out.data, out.len, &opt, &g), 0);
	assert_int_equal(g.n, f.n);
	for (i = 0; i < f.n; i++) {
		char fa[33], fb[33];
		meeting_fingerprint(&f.meetings[i], fa);
		meeting_fingerprint(&g.meetings[i], fb);
		if (strcmp(fa, fb) != 0)
			fail_msg("%s: %s differs after a round trip", name, f.meetings[i].slug);
		assert_int_equal(f.meetings[i].updated, g.meetings[i].updated);
	}
	buf_free(&out);
	free(data);
	arena_free(&a);
}

static void
test_round_trips(void **state)
{
	(void)state;
	round_trip("aa1-es.json", 48);
	round_trip("aamod-demo.json", 31);
	round_trip("hamilton.json", 38);
	round_trip("williamsport.json", 52);
	round_trip("tsml-template.csv", 36);
}

static void
test_writer_shape(void **state)
{
	struct arena a;
	struct mg_feed f;
	struct buf out = BUF_INIT;

	(void)state;
	arena_init(&a);
	assert_int_equal(parse(&a, "[{\"name\":\"Q \\\"x\\\"\",\"slug\":\"q\",\"day\":[0,6],"
	    "\"time\":\"23:00\",\"timezone\":\"UTC\",\"latitude\":-33.8688,\"longitude\":151.2093,"
	    "\"updated\":\"2024-01-02 03:04:05\"}]", &f), 0);
	mg_write_meeting(&out, &f.meetings[0]);
	assert_string_equal(out.data, "{\"name\":\"Q \\\"x\\\"\",\"slug\":\"q\",\"day\":[0,6],"
	    "\"time\":\"23:00\",\"end_time\":\"00:00\",\"timezone\":\"Etc/UTC\",\"types\":[],"
	    "\"attendance_option\":\"in_person\",\"latitude\":-33.8688,\"longitude\":151.2093,"
	    "\"approximate\":\"no\",\"updated\":\"2024-01-02 03:04:05\"}");
	buf_free(&out);
	arena_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tolerant_reading),
		cmocka_unit_test(test_attendance_rules),
		cmocka_unit_test(test_rejections),
		cmocka_unit_test(test_whole_feed_errors),
		cmocka_unit_test(test_times_and_days),
		cmocka_unit_test(test_csv_template),
		cmocka_unit_test(test_round_trips),
		cmocka_unit_test(test_writer_shape),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	tz_cleanup();
	return rc;
}
