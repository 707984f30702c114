/*
 * Unit tests for safety/warnings.c: each rule against the member's own
 * rhythm and baseline (raised, not raised, when it ends), episodes that
 * stay the same while a cause lasts, stale data, thresholds checked, and
 * incremental feeding giving exactly what one pass over the events gives.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "safety/warnings.h"

#define DAY	86400
#define T0	1700000000

static struct warn_params P;

static struct warn_event
ci(int64_t at, int mood, int craving, bool used)
{
	struct warn_event e = { .at = at, .kind = WARN_EV_CHECKIN, .mood = (int8_t)mood,
	    .craving = (int8_t)craving, .used = used };
	return e;
}

static const struct warn_finding *
find(const struct warn_finding *f, int n, enum warn_cause c)
{
	int i;

	for (i = 0; i < n; i++)
		if (f[i].cause == c)
			return &f[i];
	return NULL;
}

static int
setup(void **state)
{
	(void)state;
	warn_params_default(&P);
	return 0;
}

/* Daily check-ins, then silence: raised after twice the usual gap and 3 days. */
static void
test_checkins_stopped(void **state)
{
	struct warn_event ev[10];
	struct warn_finding f[WARN_CAUSES];
	const struct warn_finding *w;
	int i, n;

	(void)state;
	for (i = 0; i < 10; i++)
		ev[i] = ci(T0 + i * DAY, 4, 2, false);
	n = warn_member(&P, ev, 10, T0 + 9 * DAY + 2 * DAY, f);
	assert_null(find(f, n, WARN_CHECKINS_STOPPED));	/* 2 days: not yet (3 day minimum) */
	n = warn_member(&P, ev, 10, T0 + 9 * DAY + 3 * DAY + 1, f);
	w = find(f, n, WARN_CHECKINS_STOPPED);
	assert_non_null(w);
	assert_int_equal(w->episode, T0 + 9 * DAY);
	assert_int_equal(w->value, 3);
	assert_int_equal(w->usual, 1);
	/* The same silence later is the same episode. */
	n = warn_member(&P, ev, 10, T0 + 30 * DAY, f);
	assert_int_equal(find(f, n, WARN_CHECKINS_STOPPED)->episode, T0 + 9 * DAY);
	/* Too little history for a rhythm. */
	n = warn_member(&P, ev, 3, T0 + 60 * DAY, f);
	assert_null(find(f, n, WARN_CHECKINS_STOPPED));
}

/* Someone who checks in weekly is not flagged after 5 days; after 15 they are. */
static void
test_own_rhythm(void **state)
{
	struct warn_event ev[8];
	struct warn_finding f[WARN_CAUSES];
	int i, n;

	(void)state;
	for (i = 0; i < 8; i++)
		ev[i] = ci(T0 + i * 7 * DAY, 3, 3, false);
	n = warn_member(&P, ev, 8, T0 + 7 * 7 * DAY + 5 * DAY, f);
	assert_null(find(f, n, WARN_CHECKINS_STOPPED));
	n = warn_member(&P, ev, 8, T0 + 7 * 7 * DAY + 15 * DAY, f);
	assert_non_null(find(f, n, WARN_CHECKINS_STOPPED));
	assert_int_equal(find(f, n, WARN_CHECKINS_STOPPED)->usual, 7);
}

static void
test_craving_and_mood(void **state)
{
	struct warn_event ev[20];
	struct warn_finding f[WARN_CAUSES];
	const struct warn_finding *w;
	int i, n;

	(void)state;
	for (i = 0; i < 10; i++)
		ev[i] = ci(T0 + i * DAY, 4, 2, false);
	ev[10] = ci(T0 + 10 * DAY, 4, 6, false);
	ev[11] = ci(T0 + 11 * DAY, 2, 7, false);
	ev[12] = ci(T0 + 12 * DAY, 2, 8, false);
	n = warn_member(&P, ev, 11, T0 + 10 * DAY, f);
	assert_null(find(f, n, WARN_CRAVING_RISING));	/* 2,2,6: only +1.3 over 2.0 */
	n = warn_member(&P, ev, 12, T0 + 11 * DAY, f);
	assert_non_null(find(f, n, WARN_CRAVING_RISING));	/* 2,6,7: +3.0 */
	n = warn_member(&P, ev, 13, T0 + 12 * DAY + 3600, f);
	w = find(f, n, WARN_CRAVING_RISING);
	assert_non_null(w);
	assert_int_equal(w->value, 70);		/* 6,7,8 */
	assert_int_equal(w->usual, 20);
	assert_int_equal(w->episode, T0 + 11 * DAY);	/* where the rise began */
	/* Mood 4 -> 2,2 with one 4 in the window: 2.7 vs 4.0 is down 1.3. */
	w = find(f, n, WARN_MOOD_FALLING);
	assert_non_null(w);
	assert_int_equal(w->usual, 40);
	/* Stale: nothing raised from data three weeks old. */
	n = warn_member(&P, ev, 13, T0 + 40 * DAY, f);
	assert_null(find(f, n, WARN_CRAVING_RISING));
	assert_null(find(f, n, WARN_MOOD_FALLING));
	/* Back to usual: the trend ends. */
	for (i = 13; i < 16; i++)
		ev[i] = ci(T0 + i * DAY, 4, 2, false);
	n = warn_member(&P, ev, 16, T0 + 16 * DAY, f);
	assert_null(find(f, n, WARN_CRAVING_RISING));
	assert_null(find(f, n, WARN_MOOD_FALLING));
}

/* The member's own baseline: usually at 6, 6 is not a rise. */
static void
test_baseline_is_personal(void **state)
{
	struct warn_event ev[12];
	struct warn_finding f[WARN_CAUSES];
	int i, n;

	(void)state;
	for (i = 0; i < 12; i++)
		ev[i] = ci(T0 + i * DAY, 0, 6, false);
	n = warn_member(&P, ev, 12, T0 + 12 * DAY, f);
	assert_null(find(f, n, WARN_CRAVING_RISING));
	/* Too few values for a baseline: nothing. */
	ev[0] = ci(T0, 0, 1, false);
	ev[1] = ci(T0 + DAY, 0, 9, false);
	ev[2] = ci(T0 + 2 * DAY, 0, 9, false);
	ev[3] = ci(T0 + 3 * DAY, 0, 9, false);
	n = warn_member(&P, ev, 4, T0 + 4 * DAY, f);
	assert_null(find(f, n, WARN_CRAVING_RISING));
}

static void
test_meetings_and_use(void **state)
{
	struct warn_event ev[6] = {
		{ .at = T0, .kind = WARN_EV_ATTENDED },
		{ .at = T0 + 7 * DAY, .kind = WARN_EV_MISSED },
		{ .at = T0 + 14 * DAY, .kind = WARN_EV_MISSED },
		{ .at = T0 + 21 * DAY, .kind = WARN_EV_ATTENDED },
	};
	struct warn_finding f[WARN_CAUSES];
	const struct warn_finding *w;
	int n;

	(void)state;
	n = warn_member(&P, ev, 2, T0 + 8 * DAY, f);
	assert_null(find(f, n, WARN_MEETINGS_MISSED));
	n = warn_member(&P, ev, 3, T0 + 15 * DAY, f);
	w = find(f, n, WARN_MEETINGS_MISSED);
	assert_non_null(w);
	assert_int_equal(w->value, 2);
	assert_int_equal(w->episode, T0 + 7 * DAY);
	n = warn_member(&P, ev, 4, T0 + 22 * DAY, f);
	assert_null(find(f, n, WARN_MEETINGS_MISSED));

	ev[0] = ci(T0, 3, 4, true);
	n = warn_member(&P, ev, 1, T0 + 6 * DAY, f);
	w = find(f, n, WARN_USE_REPORTED);
	assert_non_null(w);
	assert_int_equal(w->episode, T0);
	n = warn_member(&P, ev, 1, T0 + 8 * DAY, f);
	assert_null(find(f, n, WARN_USE_REPORTED));
}

/* Feeding events one at a time and evaluating as they arrive = one pass. */
static void
test_incremental_equals_batch(void **state)
{
	struct warn_event *ev = calloc(400, sizeof(*ev));
	struct warn_finding a[WARN_CAUSES], b[WARN_CAUSES];
	struct warn_state s;
	unsigned seed = 7;
	int64_t t = T0;
	int i, j, na, nb;

	(void)state;
	assert_non_null(ev);
	warn_state_init(&s);
	for (i = 0; i < 400; i++) {
		seed = seed * 1103515245u + 12345u;
		t += (int64_t)(seed >> 16) % (3 * DAY) + 600;
		if ((seed >> 8) % 5 == 0)
			ev[i] = (struct warn_event){ .at = t, .kind = (seed >> 4) % 2 ?
			    WARN_EV_ATTENDED : WARN_EV_MISSED };
		else
			ev[i] = ci(t, 1 + (int)((seed >> 3) % 5), (int)((seed >> 6) % 11),
			    (seed >> 12) % 17 == 0);
		warn_feed(&P, &s, &ev[i]);
		na = warn_evaluate(&P, &s, t + DAY, a);
		nb = warn_member(&P, ev, (size_t)i + 1, t + DAY, b);
		assert_int_equal(na, nb);
		for (j = 0; j < na; j++) {
			assert_int_equal(a[j].cause, b[j].cause);
			assert_int_equal(a[j].episode, b[j].episode);
			assert_int_equal(a[j].value, b[j].value);
		}
	}
	free(ev);
}

static void
test_params(void **state)
{
	struct warn_params p;

	(void)state;
	warn_params_default(&p);
	assert_null(warn_params_check(&p));
	p.gap_factor_pct = 50;
	assert_string_equal(warn_params_check(&p), "gap_factor_pct");
	warn_params_default(&p);
	p.stale_days = 0;
	assert_string_equal(warn_params_check(&p), "stale_days");
	assert_string_equal(warn_cause_token(WARN_MOOD_FALLING), "mood_falling");
	assert_int_equal(warn_cause_from_token("use_reported"), WARN_USE_REPORTED);
	assert_int_equal(warn_cause_from_token("nope"), -1);
	assert_null(warn_cause_token(WARN_CAUSES));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checkins_stopped),
		cmocka_unit_test(test_own_rhythm),
		cmocka_unit_test(test_craving_and_mood),
		cmocka_unit_test(test_baseline_is_personal),
		cmocka_unit_test(test_meetings_and_use),
		cmocka_unit_test(test_incremental_equals_batch),
		cmocka_unit_test(test_params),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
