/*
 * Unit tests for circles/rota.c: round-robin over the window, skipping a
 * person's unavailable sessions, fixed (swapped) sessions counting toward
 * fairness, a session nobody can lead, and an empty pool.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "circles/rota.h"

#define W	(7 * 86400)

static void
slots_init(struct rota_slot *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		s[i].meeting_id = 1;
		s[i].start = (int64_t)(i + 1) * W;
		s[i].fixed_user = 0;
		s[i].user = -1;
	}
}

static void
test_round_robin(void **state)
{
	const int64_t pool[] = { 10, 20, 30 };
	struct rota_slot s[6];
	const int64_t want[] = { 10, 20, 30, 10, 20, 30 };
	size_t i;

	(void)state;
	slots_init(s, 6);
	rota_propose(pool, 3, NULL, 0, s, 6);
	for (i = 0; i < 6; i++)
		assert_int_equal(s[i].user, want[i]);
}

static void
test_unavailable_skipped_and_fair(void **state)
{
	const int64_t pool[] = { 10, 20 };
	const struct rota_unavailable un[] = { { 10, 1, 1 * W }, { 20, 1, 3 * W } };
	struct rota_slot s[4];

	(void)state;
	slots_init(s, 4);
	rota_propose(pool, 2, un, 2, s, 4);
	assert_int_equal(s[0].user, 20);	/* 10 can't */
	assert_int_equal(s[1].user, 10);
	assert_int_equal(s[2].user, 10);	/* 20 can't */
	assert_int_equal(s[3].user, 20);	/* 10 has led twice, 20 once */
}

static void
test_fixed_count_and_nobody(void **state)
{
	const int64_t pool[] = { 10, 20 };
	const struct rota_unavailable un[] = { { 10, 1, 3 * W }, { 20, 1, 3 * W } };
	struct rota_slot s[3];

	(void)state;
	slots_init(s, 3);
	s[1].fixed_user = 10;			/* a swap put 10 on the second session */
	rota_propose(pool, 2, un, 2, s, 3);
	assert_int_equal(s[0].user, 20);
	assert_int_equal(s[1].user, 10);
	assert_int_equal(s[2].user, 0);		/* nobody can lead the third */
	slots_init(s, 2);
	rota_propose(pool, 0, NULL, 0, s, 2);
	assert_int_equal(s[0].user, 0);
	assert_int_equal(s[1].user, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_robin),
		cmocka_unit_test(test_unavailable_skipped_and_fair),
		cmocka_unit_test(test_fixed_count_and_nobody),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
