/*
 * Unit tests for circles/proof.c: only the chosen fields enter the
 * payload, the period filters sessions, sessions come oldest first.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "circles/proof.h"

#define DAY	86400
#define T0	1900000000	/* 2030-03-17 */

static const struct proof_session rows[] = {
	{ "Thursday circle", T0 + 10 * DAY },
	{ "Tuesday circle", T0 },
	{ "Tuesday circle", T0 + 30 * DAY },
};

static void
test_count_only(void **state)
{
	struct proof_choice ch = { .show_count = true };
	json_t *p = proof_payload(&ch, rows, 3, "Mia", T0 + 40 * DAY);

	(void)state;
	assert_true(proof_choice_valid(&ch));
	assert_int_equal(json_integer_value(json_object_get(p, "count")), 3);
	assert_null(json_object_get(p, "name"));
	assert_null(json_object_get(p, "sessions"));
	assert_string_equal(json_string_value(json_object_get(p, "issued_at")), "2030-04-26");
	json_decref(p);
}

static void
test_dates_in_period_oldest_first(void **state)
{
	struct proof_choice ch = { .show_name = true, .show_dates = true, .from = T0 - DAY,
	    .to = T0 + 20 * DAY };
	json_t *p = proof_payload(&ch, rows, 3, "Mia", T0 + 40 * DAY), *s;

	(void)state;
	assert_string_equal(json_string_value(json_object_get(p, "name")), "Mia");
	assert_null(json_object_get(p, "count"));
	s = json_object_get(p, "sessions");
	assert_int_equal(json_array_size(s), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(s, 0), "date")),
	    "2030-03-17");
	assert_string_equal(json_string_value(json_object_get(json_array_get(s, 1), "date")),
	    "2030-03-27");
	assert_null(json_object_get(json_array_get(s, 0), "meeting"));
	assert_string_equal(json_string_value(json_object_get(p, "from")), "2030-03-16");
	json_decref(p);
}

static void
test_nothing_chosen(void **state)
{
	struct proof_choice ch = { .show_name = true };

	(void)state;
	assert_false(proof_choice_valid(&ch));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_count_only),
		cmocka_unit_test(test_dates_in_period_oldest_first),
		cmocka_unit_test(test_nothing_chosen),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
