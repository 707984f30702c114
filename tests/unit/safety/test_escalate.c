/*
 * Unit tests for safety/escalate.c, table-driven: who is told at each
 * step of a help-now alert, with and without partners, an empty rota, the
 * member on the rota themself, people already told, and the end of the
 * steps.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "safety/escalate.h"

#define MEMBER	1

struct step_case {
	const char	*name;
	int64_t		 partners[4];
	int64_t		 rota[4];
	int64_t		 coords[4];
	int64_t		 already[4];
	bool		 partners_too;
	int		 step;
	int64_t		 want[6];	/* 0-terminated */
	bool		 want_last;
};

static size_t
len(const int64_t *a)
{
	size_t n = 0;

	while (n < 4 && a[n] != 0)
		n++;
	return n;
}

static const struct step_case cases[] = {
	{ "partners and first on call", { 10, 11 }, { 20, 21 }, { 30 }, { 0 }, true, 0,
	  { 10, 11, 20 }, false },
	{ "no partners for text alerts", { 10 }, { 20, 21 }, { 30 }, { 0 }, false, 0,
	  { 20 }, false },
	{ "second on call", { 10 }, { 20, 21 }, { 30 }, { 10, 20 }, true, 1, { 21 }, false },
	{ "then the coordinators", { 10 }, { 20, 21 }, { 30, 31 }, { 10, 20, 21 }, true, 2,
	  { 30, 31 }, true },
	{ "after the coordinators: nobody", { 10 }, { 20, 21 }, { 30 }, { 0 }, true, 3, { 0 },
	  true },
	{ "empty rota: coordinators at once", { 10 }, { 0 }, { 30 }, { 0 }, true, 0,
	  { 10, 30 }, true },
	{ "nobody at all", { 0 }, { 0 }, { 0 }, { 0 }, true, 0, { 0 }, true },
	{ "the member on call is skipped", { 0 }, { MEMBER, 21 }, { 30 }, { 0 }, true, 0,
	  { 21 }, false },
	{ "...and counted out of the rota", { 0 }, { MEMBER, 21 }, { 30 }, { 21 }, true, 1,
	  { 30 }, true },
	{ "a partner on call is told once", { 20 }, { 20, 21 }, { 30 }, { 0 }, true, 0,
	  { 20 }, false },
	{ "told before, not again", { 0 }, { 20, 21 }, { 21 }, { 20, 21 }, true, 2, { 0 },
	  true },
	{ "a coordinator who is the member", { 0 }, { 0 }, { MEMBER, 30 }, { 0 }, true, 0,
	  { 30 }, true },
	{ "duplicates on the rota", { 0 }, { 20, 20, 21 }, { 30 }, { 20 }, true, 1, { 21 },
	  false },
	{ "a negative step", { 10 }, { 20 }, { 30 }, { 0 }, true, -1, { 0 }, true },
};

static void
test_steps(void **state)
{
	size_t i, j, n;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct step_case *tc = &cases[i];
		struct escalate_people p;
		struct escalate_recipient out[16];
		bool last;

		memset(&p, 0, sizeof(p));
		p.member_id = MEMBER;
		p.partners = tc->partners;
		p.npartners = len(tc->partners);
		p.rota = tc->rota;
		p.nrota = len(tc->rota);
		p.coordinators = tc->coords;
		p.ncoordinators = len(tc->coords);
		p.already = tc->already;
		p.nalready = len(tc->already);
		p.partners_too = tc->partners_too;
		n = escalate_step(&p, tc->step, out, 16, &last);
		for (j = 0; tc->want[j] != 0; j++)
			if (j >= n || out[j].user_id != tc->want[j])
				fail_msg("%s: recipient %zu", tc->name, j);
		if (n != j)
			fail_msg("%s: %zu recipients, expected %zu", tc->name, n, j);
		if (last != tc->want_last)
			fail_msg("%s: last %d", tc->name, last);
	}
}

static void
test_reasons(void **state)
{
	int64_t partners[] = { 10 }, rota[] = { 20 }, coords[] = { 30 };
	struct escalate_people p = { .member_id = MEMBER, .partners = partners, .npartners = 1,
	    .rota = rota, .nrota = 1, .coordinators = coords, .ncoordinators = 1,
	    .partners_too = true };
	struct escalate_recipient out[4];
	bool last;

	(void)state;
	assert_int_equal(escalate_step(&p, 0, out, 4, &last), 2);
	assert_int_equal(out[0].reason, REASON_PARTNER);
	assert_int_equal(out[1].reason, REASON_ONCALL);
	assert_int_equal(escalate_step(&p, 1, out, 4, &last), 1);
	assert_int_equal(out[0].reason, REASON_COORDINATOR);
	assert_string_equal(escalate_reason_token(REASON_COORDINATOR), "coordinator");
	/* A full output buffer stops, it does not overflow. */
	assert_int_equal(escalate_step(&p, 0, out, 1, &last), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_steps),
		cmocka_unit_test(test_reasons),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
