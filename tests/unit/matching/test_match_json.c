/*
 * Unit tests for matching/match_json.c: a good document parses into the
 * expected structs; each kind of bad input is refused with its exact
 * message naming the place (table-driven); the writers' output is JSON.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "matching/match_json.h"

#define S1 "{\"id\": \"s1\", \"languages\": [\"en\"]}"
#define M1 "{\"id\": \"m1\", \"languages\": [\"en\"], \"capacity\": 2}"
#define DOC(seekers, mentors) "{\"seekers\": [" seekers "], \"mentors\": [" mentors "]}"

static void
test_good_document(void **state)
{
	static const char text[] =
	    "{\"seekers\": [{\"id\": \"s1\", \"languages\": [\"en\",\"es\"], \"gender\": \"f\","
	    " \"wants_gender\": \"f\", \"pathway\": \"12-step\", \"tags\": [\"parent\"], \"age\": 34,"
	    " \"region\": \"north\", \"lat\": 39.1, \"lon\": -84.5,"
	    " \"availability\": [[1, 18, 21], [3, 18, 21]]},"
	    " {\"id\": \"s2\", \"languages\": [\"es\"], \"gender\": null, \"tags\": null,"
	    "  \"age\": null, \"lat\": null, \"lon\": null, \"availability\": null}],"
	    " \"mentors\": [{\"id\": \"m1\", \"capacity\": 3, \"current\": 1, \"languages\": [\"en\"],"
	    " \"gender\": \"f\", \"wants_gender\": null, \"pathway\": \"12-step\", \"tags\": [\"parent\"],"
	    " \"age\": 51, \"region\": \"north\", \"lat\": 39, \"lon\": -84.4, \"trained\": true,"
	    " \"recovery_days\": 1400, \"availability\": [[1, 17, 20]]}],"
	    " \"blocked\": [[\"s1\", \"m9\"], [\"s2\", \"m1\"]],"
	    " \"min_recovery_days\": 365}";
	struct match_doc doc;
	char err[256];
	const struct match_person *s, *m;

	(void)state;
	assert_int_equal(match_json_parse(text, sizeof(text) - 1, &doc, err, sizeof(err)), 0);
	assert_int_equal(doc.in.nseekers, 2);
	assert_int_equal(doc.in.nmentors, 1);
	s = &doc.in.seekers[0];
	assert_string_equal(s->id, "s1");
	assert_int_equal(s->nlanguages, 2);
	assert_string_equal(s->languages[1], "es");
	assert_string_equal(s->wants_gender, "f");
	assert_int_equal(s->age, 34);
	assert_true(s->has_location);
	assert_int_equal(s->navailability, 2);
	assert_int_equal(s->availability[1].day, 3);
	assert_int_equal(s->availability[1].end, 21);
	s = &doc.in.seekers[1];
	assert_null(s->gender);
	assert_int_equal(s->age, -1);
	assert_false(s->has_location);
	assert_int_equal(s->ntags, 0);
	m = &doc.in.mentors[0];
	assert_int_equal(m->capacity, 3);
	assert_int_equal(m->current, 1);
	assert_true(m->trained);
	assert_int_equal(m->recovery_days, 1400);
	assert_null(m->wants_gender);
	/* the pair with an unknown mentor is dropped, the other kept by index */
	assert_int_equal(doc.in.nblocked, 1);
	assert_int_equal(doc.in.blocked[0].seeker, 1);
	assert_int_equal(doc.in.blocked[0].mentor, 0);
	assert_int_equal(doc.in.min_recovery_days, 365);
	match_doc_free(&doc);
}

static void
test_defaults(void **state)
{
	static const char text[] = DOC(S1, M1);
	struct match_doc doc;
	char err[256];

	(void)state;
	assert_int_equal(match_json_parse(text, sizeof(text) - 1, &doc, err, sizeof(err)), 0);
	assert_false(doc.in.mentors[0].trained);
	assert_int_equal(doc.in.mentors[0].current, 0);
	assert_int_equal(doc.in.mentors[0].recovery_days, 0);
	assert_int_equal(doc.in.min_recovery_days, 0);
	assert_int_equal(doc.in.nblocked, 0);
	/* no "weights": the defaults */
	assert_non_null(doc.in.weights);
	assert_memory_equal(doc.in.weights, &match_weights_default, sizeof(struct match_weights));
	match_doc_free(&doc);
}

static void
test_weights(void **state)
{
	static const char text[] = "{\"seekers\": [], \"mentors\": [], \"weights\": "
	    "{\"pathway\": 0, \"hour\": 1.25, \"age_close\": 10, \"near\": 0.3}}";
	struct match_doc doc;
	char err[256];

	(void)state;
	assert_int_equal(match_json_parse(text, sizeof(text) - 1, &doc, err, sizeof(err)), 0);
	assert_int_equal(doc.in.weights->pathway, 0);
	assert_int_equal(doc.in.weights->hour, 125);
	assert_int_equal(doc.in.weights->age_close, 1000);
	assert_int_equal(doc.in.weights->near, 30);
	/* the parts not given keep their defaults */
	assert_int_equal(doc.in.weights->tag, MATCH_W_TAG);
	assert_int_equal(doc.in.weights->region, MATCH_W_REGION);
	assert_int_equal(doc.in.weights->age_similar, MATCH_W_AGE_SIMILAR);
	match_doc_free(&doc);
}

static const struct {
	const char	*json;
	const char	*error;
} bad[] = {
	{ "", "line 1, column 0: '[' or '{' expected near end of file" },
	{ "[]", "the input must be a JSON object with seekers and mentors" },
	{ "{\"seekers\": [], \"mentors\": [], \"extra\": 1}",
	  "extra: unknown field (expected seekers, mentors, blocked, min_recovery_days, "
	  "weights)" },
	{ "{\"seekers\": [], \"mentors\": [], \"weights\": [2]}",
	  "weights: must be an object of points by part (pathway, hour, tag, region, near, "
	  "age_similar, age_close)" },
	{ "{\"seekers\": [], \"mentors\": [], \"weights\": {\"pathwya\": 2}}",
	  "weights.pathwya: unknown field (expected pathway, hour, tag, region, near, "
	  "age_similar, age_close)" },
	{ "{\"seekers\": [], \"mentors\": [], \"weights\": {\"tag\": -1}}",
	  "weights.tag: must be a number of points from 0 to 10 with at most two decimals" },
	{ "{\"seekers\": [], \"mentors\": [], \"weights\": {\"near\": 10.01}}",
	  "weights.near: must be a number of points from 0 to 10 with at most two decimals" },
	{ "{\"seekers\": [], \"mentors\": [], \"weights\": {\"hour\": 0.125}}",
	  "weights.hour: must be a number of points from 0 to 10 with at most two decimals" },
	{ "{\"seekers\": [], \"mentors\": [], \"weights\": {\"region\": \"1\"}}",
	  "weights.region: must be a number of points from 0 to 10 with at most two decimals" },
	{ "{\"seekers\": [], \"seekers\": [], \"mentors\": []}",
	  "line 1, column 25: duplicate object key near '\"seekers\"'" },
	{ "{\"mentors\": []}", "seekers: required (an array, possibly empty)" },
	{ "{\"seekers\": []}", "mentors: required (an array, possibly empty)" },
	{ "{\"seekers\": {}, \"mentors\": []}", "seekers: must be an array" },
	{ DOC("1", ""), "seekers[0]: must be an object" },
	{ DOC(S1 ", {\"languages\": [\"en\"]}", ""), "seekers[1].id: required" },
	{ DOC("{\"id\": 7, \"languages\": [\"en\"]}", ""), "seekers[0].id: must be a string" },
	{ DOC("{\"id\": \"\", \"languages\": [\"en\"]}", ""), "seekers[0].id: must not be empty" },
	{ DOC(S1 "," S1, ""), "seekers[1].id: duplicate id (also seekers[0])" },
	{ DOC("", M1 "," M1), "mentors[1].id: duplicate id (also mentors[0])" },
	{ DOC("{\"id\": \"s1\", \"languages\": [\"en\"], \"name\": \"Ana\"}", ""),
	  "seekers[0].name: unknown field" },
	{ DOC("{\"id\": \"s1\", \"languages\": [\"en\"], \"capacity\": 1}", ""),
	  "seekers[0].capacity: unknown field (only mentors have capacity)" },
	{ DOC("{\"id\": \"s1\"}", ""), "seekers[0].languages: required (a list of at least one)" },
	{ DOC("{\"id\": \"s1\", \"languages\": []}", ""),
	  "seekers[0].languages: must list at least one" },
	{ DOC("{\"id\": \"s1\", \"languages\": \"en\"}", ""),
	  "seekers[0].languages: must be an array of strings" },
	{ DOC("{\"id\": \"s1\", \"languages\": [\"en\", 3]}", ""),
	  "seekers[0].languages[1]: must be a string" },
	{ DOC("{\"id\": \"s1\", \"languages\": [\"en\"], \"gender\": 1}", ""),
	  "seekers[0].gender: must be a string or null" },
	{ DOC("{\"id\": \"s1\", \"languages\": [\"en\"], \"wants_gender\": \"\"}", ""),
	  "seekers[0].wants_gender: must not be empty" },
	{ DOC("{\"id\": \"s1\", \"languages\": [\"en\"], \"pathway\": [\"12-step\"]}", ""),
	  "seekers[0].pathway: must be a string or null" },
	{ DOC("{\"id\": \"s1\", \"languages\": [\"en\"], \"tags\": [\"\"]}", ""),
	  "seekers[0].tags[0]: must not be empty" },
	{ DOC("{\"id\": \"s1\", \"languages\": [\"en\"], \"age\": 34.5}", ""),
	  "seekers[0].age: must be a whole number from 0 to 130" },
	{ DOC("{\"id\": \"s1\", \"languages\": [\"en\"], \"age\": -1}", ""),
	  "seekers[0].age: must be a whole number from 0 to 130" },
	{ DOC("{\"id\": \"s1\", \"languages\": [\"en\"], \"lat\": 91, \"lon\": 0}", ""),
	  "seekers[0].lat: must be a number from -90 to 90" },
	{ DOC("{\"id\": \"s1\", \"languages\": [\"en\"], \"lat\": 1, \"lon\": \"x\"}", ""),
	  "seekers[0].lon: must be a number from -180 to 180" },
	{ DOC("{\"id\": \"s1\", \"languages\": [\"en\"], \"lat\": 1}", ""),
	  "seekers[0].lon: required with lat (give both or neither)" },
	{ DOC("{\"id\": \"s1\", \"languages\": [\"en\"], \"availability\": [1]}", ""),
	  "seekers[0].availability[0]: must be [day, start hour, end hour]" },
	{ DOC("{\"id\": \"s1\", \"languages\": [\"en\"], \"availability\": [[1, 2]]}", ""),
	  "seekers[0].availability[0]: must be [day, start hour, end hour]" },
	{ DOC("{\"id\": \"s0\", \"languages\": [\"en\"]}, {\"id\": \"s1\", \"languages\": [\"en\"]},"
	      "{\"id\": \"s2\", \"languages\": [\"en\"]}, {\"id\": \"s3\", \"languages\": [\"en\"],"
	      " \"availability\": [[1, 2, 3], [7, 1, 2]]}", ""),
	  "seekers[3].availability[1][0]: day must be 0-6" },
	{ DOC("{\"id\": \"s1\", \"languages\": [\"en\"], \"availability\": [[-1, 1, 2]]}", ""),
	  "seekers[0].availability[0][0]: day must be 0-6" },
	{ DOC("{\"id\": \"s1\", \"languages\": [\"en\"], \"availability\": [[1, 24, 24]]}", ""),
	  "seekers[0].availability[0][1]: start hour must be 0-23" },
	{ DOC("{\"id\": \"s1\", \"languages\": [\"en\"], \"availability\": [[1, 3, 25]]}", ""),
	  "seekers[0].availability[0][2]: end hour must be 1-24" },
	{ DOC("{\"id\": \"s1\", \"languages\": [\"en\"], \"availability\": [[1, 3.5, 5]]}", ""),
	  "seekers[0].availability[0][1]: start hour must be a whole number" },
	{ DOC("{\"id\": \"s1\", \"languages\": [\"en\"], \"availability\": [[1, 9, 9]]}", ""),
	  "seekers[0].availability[0]: start hour must be before end hour" },
	{ DOC("{\"id\": \"s1\", \"languages\": [\"en\"], \"availability\": [[1, 10, 9]]}", ""),
	  "seekers[0].availability[0]: start hour must be before end hour" },
	{ DOC("", "{\"id\": \"m1\", \"languages\": [\"en\"]}"),
	  "mentors[0].capacity: required (how many people this mentor can take)" },
	{ DOC("", "{\"id\": \"m1\", \"languages\": [\"en\"], \"capacity\": -1}"),
	  "mentors[0].capacity: must not be negative" },
	{ DOC("", "{\"id\": \"m1\", \"languages\": [\"en\"], \"capacity\": \"3\"}"),
	  "mentors[0].capacity: must be a whole number from 0 to 1000" },
	{ DOC("", "{\"id\": \"m1\", \"languages\": [\"en\"], \"capacity\": 1001}"),
	  "mentors[0].capacity: must be a whole number from 0 to 1000" },
	{ DOC("", "{\"id\": \"m1\", \"languages\": [\"en\"], \"capacity\": 2, \"current\": 3}"),
	  "mentors[0].current: must not be more than capacity (2)" },
	{ DOC("", "{\"id\": \"m1\", \"languages\": [\"en\"], \"capacity\": 2, \"current\": -1}"),
	  "mentors[0].current: must not be negative" },
	{ DOC("", "{\"id\": \"m1\", \"languages\": [\"en\"], \"capacity\": 2, \"trained\": \"yes\"}"),
	  "mentors[0].trained: must be true or false" },
	{ DOC("", "{\"id\": \"m1\", \"languages\": [\"en\"], \"capacity\": 2, \"recovery_days\": -5}"),
	  "mentors[0].recovery_days: must be a whole number from 0 to 100000" },
	{ "{\"seekers\": [], \"mentors\": [], \"blocked\": {}}",
	  "blocked: must be an array of [seeker id, mentor id]" },
	{ "{\"seekers\": [], \"mentors\": [], \"blocked\": [[\"s1\"]]}",
	  "blocked[0]: must be [seeker id, mentor id]" },
	{ "{\"seekers\": [], \"mentors\": [], \"blocked\": [[\"s1\", 2]]}",
	  "blocked[0][1]: must be a string" },
	{ "{\"seekers\": [], \"mentors\": [], \"min_recovery_days\": \"1 year\"}",
	  "min_recovery_days: must be a whole number from 0 to 100000" },
	{ "{\"seekers\": [], \"mentors\": [], \"min_recovery_days\": 3.5}",
	  "min_recovery_days: must be a whole number from 0 to 100000" },
	{ DOC("{\"id\": \"s1\", \"languages\": [\"en\"], \"region\": "
	      "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	      "aaaaaaaaaaaaaaaaa\"}", ""),
	  "seekers[0].region: must be at most 100 bytes" },
};

static void
test_bad_input(void **state)
{
	struct match_doc doc;
	char err[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = match_json_parse(bad[i].json, strlen(bad[i].json), &doc, err, sizeof(err));
		if (rc != -1)
			fail_msg("case %zu accepted: %s", i, bad[i].json);
		if (strcmp(err, bad[i].error) != 0)
			fail_msg("case %zu: got \"%s\", want \"%s\"", i, err, bad[i].error);
	}
}

static void
test_too_many_list_entries(void **state)
{
	char text[4096];
	struct match_doc doc;
	char err[256];
	size_t n;
	int i;

	(void)state;
	n = (size_t)snprintf(text, sizeof(text), "{\"seekers\": [{\"id\": \"s\", \"languages\": [");
	for (i = 0; i <= MATCH_MAX_LIST; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%s\"l%d\"", i ? "," : "", i);
	n += (size_t)snprintf(text + n, sizeof(text) - n, "]}], \"mentors\": []}");
	assert_int_equal(match_json_parse(text, n, &doc, err, sizeof(err)), -1);
	assert_string_equal(err, "seekers[0].languages: at most 64 entries");
}

/* Run a writer into memory. */
static char *
capture(int (*fn)(FILE *, const struct match_input *, const struct match_result *),
    const struct match_input *in, const struct match_result *r)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	assert_non_null(f);
	assert_int_equal(fn(f, in, r), 0);
	fclose(f);
	return out;
}

static int
write_pairs(FILE *f, const struct match_input *in, const struct match_result *r)
{
	(void)r;
	return match_json_write_pairs(f, in);
}

static void
test_writers(void **state)
{
	static const char text[] =
	    "{\"seekers\": [{\"id\": \"s\\\"1\", \"languages\": [\"en\"], \"pathway\": \"12-step\"},"
	    " {\"id\": \"s2\", \"languages\": [\"fr\"]}],"
	    " \"mentors\": [{\"id\": \"m1\", \"languages\": [\"en\"], \"capacity\": 1,"
	    " \"trained\": true, \"pathway\": \"12-step\"}]}";
	struct match_doc doc;
	struct match_result r;
	char err[256], *out;
	json_t *v;

	(void)state;
	assert_int_equal(match_json_parse(text, sizeof(text) - 1, &doc, err, sizeof(err)), 0);
	match_solve(&doc.in, &r);
	out = capture(match_json_write_result, &doc.in, &r);
	assert_string_equal(out,
	    "{\"assignments\": [\n"
	    "  {\"seeker\": \"s\\\"1\", \"mentor\": \"m1\", \"score\": 2, "
	    "\"reasons\": [\"shared pathway: 12-step\"]}\n"
	    "],\n\"unmatched\": [\"s2\"],\n\"total_score\": 2}\n");
	v = json_loads(out, 0, NULL);
	assert_non_null(v);
	json_decref(v);
	free(out);
	out = capture(write_pairs, &doc.in, &r);
	assert_string_equal(out, "{\"pairs\": [\n  {\"seeker\": \"s\\\"1\", \"mentor\": \"m1\", "
	    "\"score\": 2}\n]}\n");
	free(out);
	match_result_free(&r);
	match_doc_free(&doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_document),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_weights),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_too_many_list_entries),
		cmocka_unit_test(test_writers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
