/*
 * Unit tests for matching/match.c: every hard constraint by hand, the
 * scoring and its reasons (with the default weights and others), optimality
 * against a brute force on 300 small random networks and against an
 * independent min-cost flow (Bellman-Ford) on medium ones, half of them
 * with random weights, and determinism.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "matching/match.h"

/* A small deterministic generator (the same networks on every run). */
static uint64_t rng_state;

static uint32_t
rnd(uint32_t n)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)((rng_state >> 33) % n);
}

/* ------------------------------------------------------------------ */
/* Hand-built people.                                                 */

static const char *EN[] = { "en" };
static const char *ES[] = { "es" };
static const char *EN_ES[] = { "en", "es" };

static struct match_person
seeker(const char *id)
{
	struct match_person p = { 0 };

	p.id = id;
	p.languages = EN;
	p.nlanguages = 1;
	p.age = -1;
	return p;
}

static struct match_person
mentor(const char *id, int capacity)
{
	struct match_person p = seeker(id);

	p.capacity = capacity;
	p.trained = true;
	p.recovery_days = 1000;
	return p;
}

static struct match_input
input(struct match_person *s, size_t ns, struct match_person *m, size_t nm)
{
	struct match_input in = { 0 };

	in.seekers = s;
	in.nseekers = ns;
	in.mentors = m;
	in.nmentors = nm;
	in.min_recovery_days = 365;
	return in;
}

/* How many seekers match a single mentor. */
static size_t
matched(const struct match_input *in)
{
	struct match_result r;
	size_t n;

	match_solve(in, &r);
	n = r.nassignments;
	assert_int_equal(r.nassignments + r.nunmatched, in->nseekers);
	match_result_free(&r);
	return n;
}

static void
test_baseline_pair_matches(void **state)
{
	struct match_person s = seeker("s1"), m = mentor("m1", 1);
	struct match_input in = input(&s, 1, &m, 1);

	(void)state;
	assert_int_equal(matched(&in), 1);
	assert_int_equal(match_pair_score(&in, 0, 0, NULL), 0);
}

static void
test_language_must_be_shared(void **state)
{
	struct match_person s = seeker("s1"), m = mentor("m1", 1);
	struct match_input in = input(&s, 1, &m, 1);

	(void)state;
	m.languages = ES;
	assert_int_equal(matched(&in), 0);
	assert_int_equal(match_pair_score(&in, 0, 0, NULL), -1);
	s.languages = EN_ES;
	s.nlanguages = 2;
	assert_int_equal(matched(&in), 1);
}

static void
test_seeker_gender_preference(void **state)
{
	struct match_person s = seeker("s1"), m = mentor("m1", 1);
	struct match_input in = input(&s, 1, &m, 1);

	(void)state;
	s.wants_gender = "f";
	assert_int_equal(matched(&in), 0);	/* mentor's gender unknown */
	m.gender = "m";
	assert_int_equal(matched(&in), 0);
	m.gender = "f";
	assert_int_equal(matched(&in), 1);
}

static void
test_mentor_gender_preference(void **state)
{
	struct match_person s = seeker("s1"), m = mentor("m1", 1);
	struct match_input in = input(&s, 1, &m, 1);

	(void)state;
	m.wants_gender = "nb";
	assert_int_equal(matched(&in), 0);
	s.gender = "f";
	assert_int_equal(matched(&in), 0);
	s.gender = "nb";
	assert_int_equal(matched(&in), 1);
	m.gender = "f";		/* the seeker states no preference */
	assert_int_equal(matched(&in), 1);
}

static void
test_mentor_must_be_trained(void **state)
{
	struct match_person s = seeker("s1"), m = mentor("m1", 1);
	struct match_input in = input(&s, 1, &m, 1);

	(void)state;
	m.trained = false;
	assert_int_equal(matched(&in), 0);
	assert_int_equal(match_pair_score(&in, 0, 0, NULL), -1);
}

static void
test_mentor_recovery_days(void **state)
{
	struct match_person s = seeker("s1"), m = mentor("m1", 1);
	struct match_input in = input(&s, 1, &m, 1);

	(void)state;
	m.recovery_days = 364;
	assert_int_equal(matched(&in), 0);
	m.recovery_days = 365;		/* >= is enough */
	assert_int_equal(matched(&in), 1);
	in.min_recovery_days = 0;
	m.recovery_days = 0;
	assert_int_equal(matched(&in), 1);
}

static void
test_capacity_caps_caseload(void **state)
{
	struct match_person s[5] = { seeker("s1"), seeker("s2"), seeker("s3"), seeker("s4"),
		seeker("s5") };
	struct match_person m = mentor("m1", 3);
	struct match_input in = input(s, 5, &m, 1);

	(void)state;
	m.current = 1;
	assert_int_equal(matched(&in), 2);
	m.current = 3;			/* full */
	assert_int_equal(matched(&in), 0);
	assert_int_equal(match_pair_score(&in, 0, 0, NULL), -1);
	m.capacity = 0;
	m.current = 0;
	assert_int_equal(matched(&in), 0);
	m.capacity = 5;
	assert_int_equal(matched(&in), 5);
}

static void
test_blocked_pair_never_suggested(void **state)
{
	struct match_person s[2] = { seeker("s1"), seeker("s2") };
	struct match_person m[2] = { mentor("m1", 1), mentor("m2", 1) };
	struct match_block b[1] = { { 0, 0 } };
	struct match_input in = input(s, 2, m, 2);
	struct match_result r;

	(void)state;
	/* s1 scores far better with m1, but that pair was rejected. */
	s[0].pathway = m[0].pathway = "12-step";
	in.blocked = b;
	in.nblocked = 1;
	assert_int_equal(match_pair_score(&in, 0, 0, NULL), -1);
	match_solve(&in, &r);
	assert_int_equal(r.nassignments, 2);
	assert_int_equal(r.assignments[0].seeker, 0);
	assert_int_equal(r.assignments[0].mentor, 1);
	assert_int_equal(r.assignments[1].mentor, 0);
	match_result_free(&r);
}

static void
test_same_person_never_pairs_with_itself(void **state)
{
	struct match_person s = seeker("p1"), m = mentor("p1", 1);
	struct match_input in = input(&s, 1, &m, 1);

	(void)state;
	assert_int_equal(matched(&in), 0);
	assert_int_equal(match_pair_score(&in, 0, 0, NULL), -1);
}

/* ------------------------------------------------------------------ */
/* Scores and reasons.                                                */

static void
test_score_parts_and_reasons(void **state)
{
	static const char *tags_s[] = { "parent", "veteran", "parent", "LGBTQ+", "grief" };
	static const char *tags_m[] = { "grief", "LGBTQ+", "parent", "veteran" };
	static const struct match_slot av_s[] = { { 1, 18, 21 }, { 3, 18, 21 } };
	static const struct match_slot av_m[] = { { 1, 17, 20 }, { 1, 18, 19 }, { 3, 20, 24 } };
	struct match_person s = seeker("s1"), m = mentor("m1", 3);
	struct match_input in = input(&s, 1, &m, 1);
	struct match_reasons why;
	int v;

	(void)state;
	s.pathway = m.pathway = "12-step";
	s.tags = tags_s;
	s.ntags = 5;
	m.tags = tags_m;
	m.ntags = 4;
	s.availability = av_s;
	s.navailability = 2;
	m.availability = av_m;
	m.navailability = 3;
	s.region = "north";
	m.region = "north";
	s.has_location = m.has_location = true;
	s.lat = 39.1;
	s.lon = -84.5;
	m.lat = 39.2;
	m.lon = -84.4;
	s.age = 34;
	m.age = 39;
	v = match_pair_score(&in, 0, 0, &why);
	/* 3 shared hours (18-20 on day 1, 20-21 on day 3), 4 tags (3 count), 14 km */
	assert_int_equal(v, MATCH_W_PATHWAY + 3 * MATCH_W_HOUR + 3 * MATCH_W_TAG +
	    MATCH_W_REGION + (MATCH_W_NEAR - 14 * MATCH_W_PER_KM) + MATCH_W_AGE_SIMILAR);
	assert_int_equal(why.n, 8);
	assert_string_equal(why.text[0], "shared pathway: 12-step");
	assert_string_equal(why.text[1], "3 hours of shared weekly availability");
	assert_string_equal(why.text[2], "shared experience: parent");
	assert_string_equal(why.text[3], "shared experience: veteran");
	assert_string_equal(why.text[4], "shared experience: LGBTQ+");
	assert_string_equal(why.text[5], "same region");
	assert_string_equal(why.text[6], "14 km apart");
	assert_string_equal(why.text[7], "similar age");

	m.age = 44;	/* 10 years */
	assert_int_equal(match_pair_score(&in, 0, 0, &why), v - MATCH_W_AGE_SIMILAR +
	    MATCH_W_AGE_CLOSE);
	assert_string_equal(why.text[7], "close in age");
	m.age = 45;
	assert_int_equal(match_pair_score(&in, 0, 0, &why), v - MATCH_W_AGE_SIMILAR);
	assert_int_equal(why.n, 7);
}

static void
test_score_caps_and_distance(void **state)
{
	static const struct match_slot all_week[] = { { 0, 0, 24 }, { 1, 0, 24 } };
	struct match_person s = seeker("s1"), m = mentor("m1", 1);
	struct match_input in = input(&s, 1, &m, 1);
	struct match_reasons why;

	(void)state;
	s.availability = m.availability = all_week;
	s.navailability = m.navailability = 2;
	assert_int_equal(match_pair_score(&in, 0, 0, &why), MATCH_MAX_HOURS * MATCH_W_HOUR);
	assert_string_equal(why.text[0], "48 hours of shared weekly availability");
	s.navailability = m.navailability = 0;
	s.has_location = m.has_location = true;
	s.lat = m.lat = 10;
	s.lon = m.lon = 20;
	assert_int_equal(match_pair_score(&in, 0, 0, &why), MATCH_W_NEAR);
	assert_string_equal(why.text[0], "less than 1 km apart");
	/* one degree of latitude is about 111 km: too far for points */
	m.lat = 11;
	assert_int_equal(match_pair_score(&in, 0, 0, &why), 0);
	assert_int_equal(why.n, 0);
	/* 0.4 degrees of latitude: 44.48 km -> 44 km */
	m.lat = 10.4;
	assert_int_equal(match_pair_score(&in, 0, 0, &why), MATCH_W_NEAR - 44 * MATCH_W_PER_KM);
	assert_string_equal(why.text[0], "44 km apart");
	/* only one side located: no distance part */
	m.has_location = false;
	assert_int_equal(match_pair_score(&in, 0, 0, NULL), 0);
	assert_int_equal(MATCH_SCORE_MAX, 1350);
}

/* The threshold table gives exactly round(great-circle km), as the docs say. */
static void
test_distance_matches_formula(void **state)
{
	struct match_person s = seeker("s1"), m = mentor("m1", 1);
	struct match_input in = input(&s, 1, &m, 1);
	int i;

	(void)state;
	rng_state = 42;
	s.has_location = m.has_location = true;
	for (i = 0; i < 3000; i++) {
		double la1, lo1, la2, lo2, x1, y1, z1, x2, y2, z2, c, km;
		int want, got;

		la1 = (double)rnd(170000) / 1000.0 - 85.0;
		lo1 = (double)rnd(360000) / 1000.0 - 180.0;
		la2 = la1 + ((double)rnd(1200) - 600.0) / 1000.0;
		lo2 = lo1 + ((double)rnd(1200) - 600.0) / 1000.0;
		if (la2 > 90 || la2 < -90 || lo2 > 180 || lo2 < -180)
			continue;
		s.lat = la1;
		s.lon = lo1;
		m.lat = la2;
		m.lon = lo2;
		x1 = cos(la1 * M_PI / 180) * cos(lo1 * M_PI / 180);
		y1 = cos(la1 * M_PI / 180) * sin(lo1 * M_PI / 180);
		z1 = sin(la1 * M_PI / 180);
		x2 = cos(la2 * M_PI / 180) * cos(lo2 * M_PI / 180);
		y2 = cos(la2 * M_PI / 180) * sin(lo2 * M_PI / 180);
		z2 = sin(la2 * M_PI / 180);
		c = sqrt((x1 - x2) * (x1 - x2) + (y1 - y2) * (y1 - y2) + (z1 - z2) * (z1 - z2));
		km = floor(2 * 6371.0 * asin(c / 2) + 0.5);
		want = km < MATCH_NEAR_KM ? MATCH_W_NEAR - MATCH_W_PER_KM * (int)km : 0;
		got = match_pair_score(&in, 0, 0, NULL);
		if (got != want)
			fail_msg("(%f,%f)-(%f,%f): %d points, want %d", la1, lo1, la2, lo2, got, want);
	}
}

static void
test_format_score(void **state)
{
	char b[32];

	(void)state;
	match_format_score(750, b);
	assert_string_equal(b, "7.5");
	match_format_score(694, b);
	assert_string_equal(b, "6.94");
	match_format_score(700, b);
	assert_string_equal(b, "7");
	match_format_score(5, b);
	assert_string_equal(b, "0.05");
	match_format_score(0, b);
	assert_string_equal(b, "0");
	match_format_score(3056440, b);
	assert_string_equal(b, "30564.4");
}

/* The same pair as test_score_parts_and_reasons under other weights. */
static void
test_custom_weights(void **state)
{
	static const char *tags_s[] = { "parent", "veteran", "LGBTQ+" };
	static const char *tags_m[] = { "parent", "veteran" };
	static const struct match_slot av[] = { { 1, 18, 21 } };
	struct match_person s = seeker("s1"), m = mentor("m1", 3);
	struct match_input in = input(&s, 1, &m, 1);
	struct match_weights w = match_weights_default;
	struct match_reasons why;

	(void)state;
	s.pathway = m.pathway = "smart";
	s.tags = tags_s;
	s.ntags = 3;
	m.tags = tags_m;
	m.ntags = 2;
	s.availability = m.availability = av;
	s.navailability = m.navailability = 1;
	s.region = m.region = "north";
	s.has_location = m.has_location = true;
	s.lat = 39.1;
	s.lon = -84.5;
	m.lat = 39.2;
	m.lon = -84.4;		/* 14 km */
	s.age = 34;
	m.age = 42;		/* 8 years: close in age */
	in.weights = &w;
	assert_int_equal(match_pair_score(&in, 0, 0, &why), 200 + 3 * 50 + 2 * 150 + 100 +
	    (200 - 14 * 4) + 50);
	assert_int_equal(why.n, 7);

	w.pathway = 1000;
	w.hour = 5;
	w.tag = 0;		/* a part worth nothing is not given as a reason */
	w.region = 0;
	w.near = 30;		/* 30 * (50 - 14) / 50, rounded down: 21 */
	w.age_similar = 10;
	w.age_close = 400;	/* "close" may be worth more than "similar" */
	assert_null(match_weights_check(&w));
	assert_int_equal(match_pair_score(&in, 0, 0, &why), 1000 + 3 * 5 + 21 + 400);
	assert_int_equal(why.n, 4);
	assert_string_equal(why.text[0], "shared pathway: smart");
	assert_string_equal(why.text[1], "3 hours of shared weekly availability");
	assert_string_equal(why.text[2], "14 km apart");
	assert_string_equal(why.text[3], "close in age");
	assert_int_equal(match_score_max(&w), 1000 + 6 * 5 + 0 + 0 + 30 + 400);

	/* all zero: every feasible pair scores 0 with no reasons, and still matches */
	memset(&w, 0, sizeof(w));
	assert_int_equal(match_pair_score(&in, 0, 0, &why), 0);
	assert_int_equal(why.n, 0);
	assert_int_equal(matched(&in), 1);

	/* near 1: a fraction of a hundredth rounds down, never below 0 */
	w.near = 1;
	assert_int_equal(match_pair_score(&in, 0, 0, &why), 0);
	m.lat = s.lat;
	m.lon = s.lon;
	assert_int_equal(match_pair_score(&in, 0, 0, &why), 1);
	assert_string_equal(why.text[0], "less than 1 km apart");
}

/* Changing the weights changes who is suggested. */
static void
test_weights_change_the_answer(void **state)
{
	static const char *parent[] = { "parent" };
	struct match_person s = seeker("s1");
	struct match_person m[2] = { mentor("m1", 1), mentor("m2", 1) };
	struct match_input in = input(&s, 1, m, 2);
	struct match_weights w = match_weights_default;
	struct match_result r;

	(void)state;
	s.pathway = m[0].pathway = "smart";	/* m1: same pathway (2 points) */
	s.tags = m[1].tags = parent;		/* m2: one shared tag (1.5 points) */
	s.ntags = m[1].ntags = 1;
	match_solve(&in, &r);
	assert_int_equal(r.assignments[0].mentor, 0);
	assert_int_equal(r.total_score, MATCH_W_PATHWAY);
	match_result_free(&r);
	w.tag = 300;
	in.weights = &w;
	match_solve(&in, &r);
	assert_int_equal(r.assignments[0].mentor, 1);
	assert_int_equal(r.total_score, 300);
	assert_string_equal(r.assignments[0].reasons.text[0], "shared experience: parent");
	match_result_free(&r);
}

static void
test_weight_limits(void **state)
{
	struct match_weights w = match_weights_default;

	(void)state;
	assert_null(match_weights_check(&w));
	assert_int_equal(match_score_max(NULL), MATCH_SCORE_MAX);
	assert_int_equal(match_score_max(&w), 1350);
	w.region = -1;
	assert_string_equal(match_weights_check(&w), "region");
	w.region = MATCH_WEIGHT_MAX + 1;
	assert_string_equal(match_weights_check(&w), "region");
	w.region = MATCH_WEIGHT_MAX;
	w.age_close = MATCH_WEIGHT_MAX + 1;
	assert_string_equal(match_weights_check(&w), "age_close");
	/* every weight at the limit: the largest score, within 16-bit costs */
	for (size_t i = 0; i < MATCH_NWEIGHTS; i++)
		*match_weight_ref(&w, i) = MATCH_WEIGHT_MAX;
	assert_int_equal(match_score_max(&w), MATCH_SCORE_LIMIT);
	assert_true(MATCH_SCORE_LIMIT < 0xffff);

	assert_int_equal(match_weight_from_points(0), 0);
	assert_int_equal(match_weight_from_points(2), 200);
	assert_int_equal(match_weight_from_points(0.5), 50);
	assert_int_equal(match_weight_from_points(1.25), 125);
	assert_int_equal(match_weight_from_points(0.1 + 0.2), 30);
	assert_int_equal(match_weight_from_points(10), 1000);
	assert_int_equal(match_weight_from_points(10.01), -1);
	assert_int_equal(match_weight_from_points(-0.01), -1);
	assert_int_equal(match_weight_from_points(1.005), -1);
	assert_int_equal(match_weight_from_points(NAN), -1);
	assert_int_equal(match_weight_from_points(INFINITY), -1);
}

/* ------------------------------------------------------------------ */
/* Random networks.                                                   */

static const char *LANGS[] = { "en", "es", "vi" };
static const char *GENDERS[] = { "f", "m", "nb" };
static const char *PATHS[] = { "12-step", "SMART", "MAT" };
static const char *TAGS[] = { "parent", "veteran", "LGBTQ+", "grief", "rural" };
static const char *REGIONS[] = { "north", "south" };

struct net {
	struct match_person	 s[64], m[64];
	const char		*langs[128][3];
	const char		*tags[128][5];
	struct match_slot	 av[128][3];
	char			 ids[128][8];
	struct match_block	 b[64];
	struct match_weights	 w;
	struct match_input	 in;
};

static void
random_person(struct net *n, struct match_person *p, int k, bool is_mentor, int max_cap)
{
	int j, nl = 0, nt = 0;

	memset(p, 0, sizeof(*p));
	snprintf(n->ids[k], sizeof(n->ids[k]), "%c%d", is_mentor ? 'm' : 's', k % 64);
	if (rnd(15) == 0)	/* sometimes the same id on both sides */
		snprintf(n->ids[k], sizeof(n->ids[k]), "p%d", k % 64);
	p->id = n->ids[k];
	for (j = 0; j < 3; j++)
		if (rnd(3) == 0 || (j == 0 && rnd(4) != 0))
			n->langs[k][nl++] = LANGS[j];
	if (nl == 0)
		n->langs[k][nl++] = LANGS[rnd(3)];
	p->languages = n->langs[k];
	p->nlanguages = (size_t)nl;
	p->gender = rnd(6) ? GENDERS[rnd(3)] : NULL;
	p->wants_gender = rnd(4) == 0 ? GENDERS[rnd(3)] : NULL;
	p->pathway = rnd(4) ? PATHS[rnd(3)] : NULL;
	for (j = 0; j < 5; j++)
		if (rnd(3) == 0)
			n->tags[k][nt++] = TAGS[j];
	p->tags = n->tags[k];
	p->ntags = (size_t)nt;
	p->age = rnd(5) ? 20 + (int)rnd(40) : -1;
	p->region = rnd(3) ? REGIONS[rnd(2)] : NULL;
	if (rnd(3)) {
		p->has_location = true;
		p->lat = 39.0 + rnd(40) / 100.0;
		p->lon = -84.5 + rnd(40) / 100.0;
	}
	p->navailability = rnd(4);
	for (j = 0; j < (int)p->navailability; j++) {
		struct match_slot *sl = &n->av[k][j];
		sl->day = (int)rnd(3);
		sl->start = 16 + (int)rnd(4);
		sl->end = sl->start + 1 + (int)rnd(4);
	}
	p->availability = n->av[k];
	if (is_mentor) {
		p->capacity = (int)rnd((uint32_t)max_cap + 1);
		p->current = p->capacity > 0 && rnd(4) == 0 ? (int)rnd((uint32_t)p->capacity + 1) : 0;
		p->trained = rnd(8) != 0;
		p->recovery_days = rnd(8) ? 400 + rnd(2000) : rnd(365);
	}
}

static void
random_net(struct net *n, int ns, int nm, int max_cap)
{
	int i, nb = (int)rnd(4);

	for (i = 0; i < ns; i++)
		random_person(n, &n->s[i], i, false, max_cap);
	for (i = 0; i < nm; i++)
		random_person(n, &n->m[i], 64 + i, true, max_cap);
	for (i = 0; i < nb && ns > 0 && nm > 0; i++) {
		n->b[i].seeker = rnd((uint32_t)ns);
		n->b[i].mentor = rnd((uint32_t)nm);
	}
	n->in = input(n->s, (size_t)ns, n->m, (size_t)nm);
	n->in.blocked = n->b;
	n->in.nblocked = (size_t)nb;
	/* half the networks score with random weights (some 0, some at the limit) */
	if (rnd(2)) {
		size_t i;

		for (i = 0; i < MATCH_NWEIGHTS; i++) {
			uint32_t x = rnd(6);
			*match_weight_ref(&n->w, i) = x == 0 ? 0 : x == 1 ? MATCH_WEIGHT_MAX :
			    (int)rnd(MATCH_WEIGHT_MAX + 1);
		}
		assert_null(match_weights_check(&n->w));
		n->in.weights = &n->w;
	}
}

struct pairs {
	int	score[64][64];		/* -1: infeasible */
	int	ns, nm;
	int	max;			/* the largest score the weights allow */
};

static void
collect(void *arg, size_t s, size_t m, int score)
{
	struct pairs *p = arg;

	assert_true(score >= 0 && score <= p->max);
	p->score[s][m] = score;
}

static void
pair_table(const struct match_input *in, struct pairs *p)
{
	size_t s, m;

	memset(p->score, 0xff, sizeof(p->score));
	p->ns = (int)in->nseekers;
	p->nm = (int)in->nmentors;
	p->max = match_score_max(in->weights);
	assert_true(p->max <= MATCH_SCORE_LIMIT);
	match_pair_scores(in, collect, p);
	for (s = 0; s < in->nseekers; s++)
		for (m = 0; m < in->nmentors; m++)
			assert_int_equal(p->score[s][m], match_pair_score(in, s, m, NULL));
}

/* Best (pairs, score) by trying every assignment. */
static void
brute(const struct pairs *p, const struct match_input *in, int s, int *left,
    int count, int total, int *best_count, int *best_total)
{
	int m;

	if (s == p->ns) {
		if (count > *best_count || (count == *best_count && total > *best_total)) {
			*best_count = count;
			*best_total = total;
		}
		return;
	}
	brute(p, in, s + 1, left, count, total, best_count, best_total);
	for (m = 0; m < p->nm; m++) {
		if (p->score[s][m] < 0 || left[m] == 0)
			continue;
		left[m]--;
		brute(p, in, s + 1, left, count + 1, total + p->score[s][m], best_count, best_total);
		left[m]++;
	}
}

/* The result is a valid assignment whose totals add up. */
static void
check_valid(const struct match_input *in, const struct pairs *p, const struct match_result *r)
{
	int used[64] = { 0 }, seen[64] = { 0 };
	int64_t total = 0;
	size_t i, prev = 0;

	for (i = 0; i < r->nassignments; i++) {
		const struct match_assignment *a = &r->assignments[i];
		assert_true(i == 0 || a->seeker > prev);
		prev = a->seeker;
		assert_true(p->score[a->seeker][a->mentor] >= 0);
		assert_int_equal(a->score, p->score[a->seeker][a->mentor]);
		assert_true(a->score == 0 || a->reasons.n > 0);
		used[a->mentor]++;
		seen[a->seeker]++;
		total += a->score;
	}
	for (i = 0; i < r->nunmatched; i++)
		seen[r->unmatched[i]]++;
	for (i = 0; i < in->nseekers; i++)
		assert_int_equal(seen[i], 1);
	for (i = 0; i < in->nmentors; i++)
		assert_true(used[i] <= in->mentors[i].capacity - in->mentors[i].current);
	assert_int_equal(total, r->total_score);
}

static void
test_optimal_against_brute_force(void **state)
{
	static struct net n;
	static struct pairs p;
	int iter, left[64];

	(void)state;
	rng_state = 20240611;
	for (iter = 0; iter < 300; iter++) {
		int ns = 1 + (int)rnd(6), nm = 1 + (int)rnd(4), bc = 0, bt = 0, m;
		struct match_result r, r1;

		random_net(&n, ns, nm, 3);
		pair_table(&n.in, &p);
		for (m = 0; m < nm; m++) {
			left[m] = n.m[m].capacity - n.m[m].current;
			if (!n.m[m].trained || n.m[m].recovery_days < 365)
				left[m] = 0;
		}
		brute(&p, &n.in, 0, left, 0, 0, &bc, &bt);
		match_solve(&n.in, &r);
		check_valid(&n.in, &p, &r);
		if ((int)r.nassignments != bc || r.total_score != bt)
			fail_msg("instance %d (%d x %d): got %zu pairs %lld, best %d pairs %d",
			    iter, ns, nm, r.nassignments, (long long)r.total_score, bc, bt);
		/* The shortest candidate lists (regrown on demand) give the same answer. */
		match_solve_ex(&n.in, &r1, 1, NULL);
		assert_int_equal(r1.nassignments, r.nassignments);
		assert_int_equal(r1.total_score, r.total_score);
		assert_memory_equal(r1.assignments, r.assignments,
		    r.nassignments * sizeof(*r.assignments));
		match_result_free(&r);
		match_result_free(&r1);
	}
}

/*
 * An independent solver: successive shortest paths with Bellman-Ford on an
 * explicit graph, cost -(score + BIG) per pair: max cardinality, then max score.
 */
static void
reference(const struct pairs *p, const int *cap, int *out_count, int64_t *out_total)
{
	enum { MAXN = 64 + 64 + 2, MAXE = 2 * (64 * 64 + 64 + 64) };
	static int to[MAXE], capa[MAXE], head[MAXN], nxt[MAXE];
	static int64_t cost[MAXE], dist[MAXN];
	static int prev_e[MAXN];
	int ne = 0, src = p->ns + p->nm, snk = src + 1, nn = snk + 1, s, m, count = 0;
	const int64_t big = (int64_t)MATCH_SCORE_LIMIT * 200;
	int64_t total = 0;

#define EDGE(u, v, c, w) do { \
	to[ne] = (v); capa[ne] = (c); cost[ne] = (w); nxt[ne] = head[u]; head[u] = ne++; \
	to[ne] = (u); capa[ne] = 0; cost[ne] = -(w); nxt[ne] = head[v]; head[v] = ne++; \
} while (0)
	memset(head, 0xff, sizeof(head));
	for (s = 0; s < p->ns; s++)
		EDGE(src, s, 1, 0);
	for (m = 0; m < p->nm; m++)
		if (cap[m] > 0)
			EDGE(p->ns + m, snk, cap[m], 0);
	for (s = 0; s < p->ns; s++)
		for (m = 0; m < p->nm; m++)
			if (p->score[s][m] >= 0 && cap[m] > 0)
				EDGE(s, p->ns + m, 1, -(p->score[s][m] + big));
	for (;;) {
		int u, e, changed = 1, iter;
		for (u = 0; u < nn; u++)
			dist[u] = INT64_MAX;
		dist[src] = 0;
		for (iter = 0; iter < nn && changed; iter++) {
			changed = 0;
			for (u = 0; u < nn; u++) {
				if (dist[u] == INT64_MAX)
					continue;
				for (e = head[u]; e >= 0; e = nxt[e]) {
					if (capa[e] > 0 && dist[u] + cost[e] < dist[to[e]]) {
						dist[to[e]] = dist[u] + cost[e];
						prev_e[to[e]] = e;
						changed = 1;
					}
				}
			}
		}
		/* Only augment while it lowers the cost: every real pair has cost < 0. */
		if (dist[snk] == INT64_MAX || dist[snk] >= 0)
			break;
		for (u = snk; u != src; u = to[prev_e[u] ^ 1]) {
			capa[prev_e[u]]--;
			capa[prev_e[u] ^ 1]++;
		}
		count++;
		total += -dist[snk];
	}
#undef EDGE
	*out_count = count;
	*out_total = total - (int64_t)count * big;
}

static void
test_optimal_against_reference_flow(void **state)
{
	static struct net n;
	static struct pairs p;
	int iter, cap[64];

	(void)state;
	rng_state = 77;
	for (iter = 0; iter < 120; iter++) {
		/* both shapes: slots scarce (search from mentors) and seekers scarce */
		int ns = 5 + (int)rnd(56), nm = 2 + (int)rnd(30), m, rc;
		int64_t rt;
		struct match_result r;
		struct match_stats st;

		random_net(&n, ns, nm, 1 + (int)rnd(6));
		pair_table(&n.in, &p);
		for (m = 0; m < nm; m++) {
			cap[m] = n.m[m].capacity - n.m[m].current;
			if (!n.m[m].trained || n.m[m].recovery_days < 365)
				cap[m] = 0;
		}
		reference(&p, cap, &rc, &rt);
		match_solve_ex(&n.in, &r, (unsigned)(1 + rnd(3)), &st);
		check_valid(&n.in, &p, &r);
		if ((int)r.nassignments != rc || r.total_score != rt)
			fail_msg("instance %d (%d x %d, rows %s): got %zu pairs %lld, reference %d "
			    "pairs %lld", iter, ns, nm, st.rows_are_mentors ? "mentors" : "seekers",
			    r.nassignments, (long long)r.total_score, rc, (long long)rt);
		match_result_free(&r);
	}
}

static void
test_deterministic(void **state)
{
	static struct net n;
	struct match_result a, b;
	size_t i;

	(void)state;
	rng_state = 5;
	random_net(&n, 60, 20, 4);
	match_solve(&n.in, &a);
	for (i = 0; i < 3; i++) {
		match_solve_ex(&n.in, &b, (unsigned)i, NULL);
		assert_int_equal(a.nassignments, b.nassignments);
		assert_memory_equal(a.assignments, b.assignments,
		    a.nassignments * sizeof(*a.assignments));
		assert_int_equal(a.nunmatched, b.nunmatched);
		assert_memory_equal(a.unmatched, b.unmatched, a.nunmatched * sizeof(size_t));
		match_result_free(&b);
	}
	match_result_free(&a);
}

/* Equal scores everywhere: the tie is still broken the same way every time. */
static void
test_ties_broken_by_input_order(void **state)
{
	struct match_person s[3] = { seeker("s1"), seeker("s2"), seeker("s3") };
	struct match_person m[2] = { mentor("m1", 1), mentor("m2", 1) };
	struct match_input in = input(s, 3, m, 2);
	struct match_result r;

	(void)state;
	match_solve(&in, &r);
	assert_int_equal(r.nassignments, 2);
	assert_int_equal(r.nunmatched, 1);
	assert_int_equal(r.total_score, 0);
	assert_int_equal(r.assignments[0].seeker, 0);
	assert_int_equal(r.assignments[0].mentor, 0);
	assert_int_equal(r.assignments[1].seeker, 1);
	assert_int_equal(r.assignments[1].mentor, 1);
	assert_int_equal(r.unmatched[0], 2);
	match_result_free(&r);
}

static void
test_empty_sides(void **state)
{
	struct match_person s = seeker("s1"), m = mentor("m1", 2);
	struct match_input in = input(&s, 1, &m, 0);
	struct match_result r;

	(void)state;
	match_solve(&in, &r);
	assert_int_equal(r.nassignments, 0);
	assert_int_equal(r.nunmatched, 1);
	match_result_free(&r);
	in = input(&s, 0, &m, 1);
	match_solve(&in, &r);
	assert_int_equal(r.nassignments, 0);
	assert_int_equal(r.nunmatched, 0);
	assert_int_equal(r.total_score, 0);
	match_result_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_baseline_pair_matches),
		cmocka_unit_test(test_language_must_be_shared),
		cmocka_unit_test(test_seeker_gender_preference),
		cmocka_unit_test(test_mentor_gender_preference),
		cmocka_unit_test(test_mentor_must_be_trained),
		cmocka_unit_test(test_mentor_recovery_days),
		cmocka_unit_test(test_capacity_caps_caseload),
		cmocka_unit_test(test_blocked_pair_never_suggested),
		cmocka_unit_test(test_same_person_never_pairs_with_itself),
		cmocka_unit_test(test_score_parts_and_reasons),
		cmocka_unit_test(test_score_caps_and_distance),
		cmocka_unit_test(test_distance_matches_formula),
		cmocka_unit_test(test_format_score),
		cmocka_unit_test(test_custom_weights),
		cmocka_unit_test(test_weights_change_the_answer),
		cmocka_unit_test(test_weight_limits),
		cmocka_unit_test(test_optimal_against_brute_force),
		cmocka_unit_test(test_optimal_against_reference_flow),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_ties_broken_by_input_order),
		cmocka_unit_test(test_empty_sides),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
