/*
 * Unit tests for the pure parts of matching/store.c: the profile checker
 * (normalization, and each invalid field named, table-driven) and the
 * mapping of the engine's reasons to the codes the web pages translate,
 * which must know every reason the engine can give.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "matching/match.h"
#include "matching/store.h"

static json_t *
doc(const char *text)
{
	json_t *j = json_loads(text, 0, NULL);

	assert_non_null(j);
	return j;
}

static void
test_profile_normalized(void **state)
{
	struct arena a;
	json_t *in, *out;

	(void)state;
	arena_init(&a);
	in = doc("{\"opted_in\": true, \"seeks\": \"mentee\", \"capacity\": 3,"
	    " \"languages\": [\"es\", \"en\", \"es\"], \"tags\": [\"veteran\", \"parent\"],"
	    " \"region\": \"  North SIDE \", \"lat\": 39, \"lon\": -84.5,"
	    " \"availability\": [[1, 18, 21]]}");
	assert_null(matching_profile_check(&a, in, &out));
	assert_true(json_is_true(json_object_get(out, "opted_in")));
	assert_string_equal(json_string_value(json_array_get(json_object_get(out, "languages"), 0)),
	    "en");
	assert_int_equal(json_array_size(json_object_get(out, "languages")), 2);
	assert_string_equal(json_string_value(json_array_get(json_object_get(out, "tags"), 0)),
	    "parent");
	assert_string_equal(json_string_value(json_object_get(out, "region")), "north side");
	assert_int_equal(json_integer_value(json_object_get(out, "capacity")), 3);
	assert_true(json_is_null(json_object_get(out, "gender")));
	assert_true(json_is_null(json_object_get(out, "age_band")));
	json_decref(in);
	json_decref(out);

	/* someone not offering to mentor has no capacity, whatever they send */
	in = doc("{\"seeks\": \"peer\", \"languages\": [\"en\"], \"capacity\": 4}");
	assert_null(matching_profile_check(&a, in, &out));
	assert_int_equal(json_integer_value(json_object_get(out, "capacity")), 0);
	assert_false(json_is_true(json_object_get(out, "opted_in")));
	assert_int_equal(json_array_size(json_object_get(out, "availability")), 0);
	json_decref(in);
	json_decref(out);
	arena_free(&a);
}

static void
test_profile_refused(void **state)
{
	static const struct {
		const char	*extra;		/* members added to a valid seeker */
		const char	*field;
	} cases[] = {
		{ "\"seeks\": \"boss\"", "seeks" },
		{ "\"languages\": []", "languages" },
		{ "\"languages\": [\"xx\"]", "languages" },
		{ "\"languages\": \"en\"", "languages" },
		{ "\"gender\": \"x\"", "gender" },
		{ "\"wants_gender\": 1", "wants_gender" },
		{ "\"pathway\": \"12-step\"", "pathway" },
		{ "\"tags\": [\"parent\", 3]", "tags" },
		{ "\"age_band\": \"34\"", "age_band" },
		{ "\"region\": \"a\\u0007b\"", "region" },
		{ "\"region\": 5", "region" },
		{ "\"lat\": 10", "lon" },
		{ "\"lon\": 10", "lat" },
		{ "\"lat\": 91, \"lon\": 0", "lat" },
		{ "\"lat\": 0, \"lon\": -181", "lon" },
		{ "\"availability\": [[1, 18]]", "availability" },
		{ "\"availability\": [[-1, 1, 2]]", "availability" },
		{ "\"availability\": [[1, 24, 25]]", "availability" },
		{ "\"availability\": [[1, 3, 3]]", "availability" },
		{ "\"availability\": [[1, 3.5, 4]]", "availability" },
		{ "\"opted_in\": 1", "opted_in" },
		{ "\"trained\": true", "trained" },
		{ "\"capacity\": \"2\"", "capacity" },
	};
	struct arena a;
	size_t i;

	(void)state;
	arena_init(&a);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[512];
		const char *bad;
		json_t *in, *out = NULL;

		/* later keys win in jansson, so the case overrides the base */
		snprintf(text, sizeof(text), "{\"seeks\": \"mentor\", \"languages\": [\"en\"], %s}",
		    cases[i].extra);
		in = json_loads(text, 0, NULL);
		assert_non_null(in);
		bad = matching_profile_check(&a, in, &out);
		if (bad == NULL || strcmp(bad, cases[i].field) != 0)
			fail_msg("%s: expected %s, got %s", cases[i].extra, cases[i].field,
			    bad ? bad : "(valid)");
		assert_null(out);
		json_decref(in);
	}
	/* a mentor needs a capacity of 1..10 */
	{
		static const char *const caps[] = { "", ", \"capacity\": 0", ", \"capacity\": 11",
		    ", \"capacity\": null" };
		for (i = 0; i < 4; i++) {
			char text[256];
			json_t *in, *out = NULL;

			snprintf(text, sizeof(text), "{\"seeks\": \"mentee\", \"languages\": [\"en\"]%s}",
			    caps[i]);
			in = json_loads(text, 0, NULL);
			assert_string_equal(matching_profile_check(&a, in, &out), "capacity");
			json_decref(in);
		}
	}
	arena_free(&a);
}

/* Every reason the engine gives for a pair that scores on every part has a code. */
static void
test_reason_codes_cover_the_engine(void **state)
{
	static const char *langs[] = { "en" }, *tags[] = { "parent", "veteran" };
	static const struct match_slot slots[] = { { 1, 17, 21 } }, one[] = { { 1, 17, 18 } };
	struct match_person s = { 0 }, m = { 0 };
	struct match_input in = { 0 };
	struct match_reasons r;
	size_t i, km = 0, hours = 0;
	int pass;

	(void)state;
	for (pass = 0; pass < 3; pass++) {
		s.id = "s";
		m.id = "m";
		s.languages = m.languages = langs;
		s.nlanguages = m.nlanguages = 1;
		s.pathway = m.pathway = "smart";
		s.tags = m.tags = tags;
		s.ntags = m.ntags = 2;
		s.region = m.region = "north";
		s.has_location = m.has_location = true;
		s.lat = m.lat = 39.1;
		s.lon = -84.5;
		m.lon = pass == 0 ? -84.5 : -84.4;	/* less than 1 km, then 9 km */
		s.age = 30;
		m.age = pass == 1 ? 40 : 31;		/* close, then similar */
		s.availability = m.availability = pass == 2 ? one : slots;
		s.navailability = m.navailability = 1;
		m.capacity = 1;
		m.trained = true;
		in.seekers = &s;
		in.nseekers = 1;
		in.mentors = &m;
		in.nmentors = 1;
		assert_true(match_pair_score(&in, 0, 0, &r) > 0);
		for (i = 0; i < r.n; i++) {
			json_t *code = matching_reason_code(r.text[i]);
			const char *k = json_string_value(json_object_get(code, "k"));

			if (strcmp(k, "other") == 0)
				fail_msg("no code for the engine's reason \"%s\"", r.text[i]);
			if (strcmp(k, "km") == 0) {
				km++;
				assert_int_equal(json_integer_value(json_object_get(code, "n")), 9);
			}
			if (strcmp(k, "hours") == 0) {
				hours++;
				assert_int_equal(json_integer_value(json_object_get(code, "n")), pass == 2 ? 1 : 4);
			}
			if (strcmp(k, "pathway") == 0)
				assert_string_equal(json_string_value(json_object_get(code, "v")), "smart");
			json_decref(code);
		}
	}
	assert_true(km > 0);
	assert_true(hours > 0);
	{
		json_t *code = matching_reason_code("1 hour of shared weekly availability");

		assert_string_equal(json_string_value(json_object_get(code, "k")), "hours");
		assert_int_equal(json_integer_value(json_object_get(code, "n")), 1);
		json_decref(code);
		code = matching_reason_code("something new");
		assert_string_equal(json_string_value(json_object_get(code, "k")), "other");
		json_decref(code);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_profile_normalized),
		cmocka_unit_test(test_profile_refused),
		cmocka_unit_test(test_reason_codes_cover_the_engine),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
