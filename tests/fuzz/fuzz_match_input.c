/* SOURCES: src/matching/match.c src/matching/match_json.c src/base/mem.c src/base/arena.c src/base/str.c */
/*
 * fuzz_match_input.c: libFuzzer target for the `circles match` input
 * reader and the solver behind it.
 *
 * Any input either is refused with a message naming a place, or parses
 * into a network.  Small networks are solved and the answer checked: every
 * pair feasible with its real score, capacities kept, totals adding up, the
 * same totals with the shortest candidate lists, and (for tiny ones) the
 * same number of pairs and total score as a brute force.  Both writers'
 * output must be JSON.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "matching/match_json.h"

#define CHECK(x)	do { if (!(x)) abort(); } while (0)

static int scores[8][5];

static void
brute(const struct match_input *in, size_t s, int *left, int count, int total, int *bc, int *bt)
{
	size_t m;

	if (s == in->nseekers) {
		if (count > *bc || (count == *bc && total > *bt)) {
			*bc = count;
			*bt = total;
		}
		return;
	}
	brute(in, s + 1, left, count, total, bc, bt);
	for (m = 0; m < in->nmentors; m++) {
		if (scores[s][m] < 0 || left[m] == 0)
			continue;
		left[m]--;
		brute(in, s + 1, left, count + 1, total + scores[s][m], bc, bt);
		left[m]++;
	}
}

static void
check_json(int (*write)(FILE *, const struct match_input *, const struct match_result *),
    const struct match_input *in, const struct match_result *r)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	json_t *v;

	CHECK(f != NULL);
	CHECK(write(f, in, r) == 0);
	fclose(f);
	v = json_loadb(out, len, 0, NULL);
	CHECK(v != NULL && json_is_object(v));
	json_decref(v);
	free(out);
}

static int
write_pairs(FILE *f, const struct match_input *in, const struct match_result *r)
{
	(void)r;
	return match_json_write_pairs(f, in);
}

static void
check_solution(const struct match_input *in)
{
	struct match_result r, r1;
	int *used = calloc(in->nmentors + 1, sizeof(int));
	int64_t total = 0;
	size_t i;

	CHECK(used != NULL);
	match_solve(in, &r);
	CHECK(r.nassignments + r.nunmatched == in->nseekers);
	for (i = 0; i < r.nassignments; i++) {
		const struct match_assignment *a = &r.assignments[i];
		CHECK(a->seeker < in->nseekers && a->mentor < in->nmentors);
		CHECK(i == 0 || a->seeker > r.assignments[i - 1].seeker);
		CHECK(a->score >= 0 && a->score <= match_score_max(in->weights));
		CHECK(match_pair_score(in, a->seeker, a->mentor, NULL) == a->score);
		CHECK(a->score == 0 || a->reasons.n > 0);
		used[a->mentor]++;
		total += a->score;
	}
	for (i = 0; i < in->nmentors; i++)
		CHECK(used[i] <= in->mentors[i].capacity - in->mentors[i].current);
	CHECK(total == r.total_score);
	match_solve_ex(in, &r1, 1, NULL);
	CHECK(r1.nassignments == r.nassignments && r1.total_score == r.total_score);
	match_result_free(&r1);

	if (in->nseekers <= 8 && in->nmentors <= 5) {
		int left[5], bc = 0, bt = 0;
		size_t s, m;

		for (s = 0; s < in->nseekers; s++)
			for (m = 0; m < in->nmentors; m++)
				scores[s][m] = match_pair_score(in, s, m, NULL);
		for (m = 0; m < in->nmentors; m++) {
			const struct match_person *p = &in->mentors[m];
			left[m] = p->capacity - p->current;
			if (left[m] > 8)
				left[m] = 8;
		}
		brute(in, 0, left, 0, 0, &bc, &bt);
		CHECK((int)r.nassignments == bc && r.total_score == bt);
	}
	check_json(match_json_write_result, in, &r);
	check_json(write_pairs, in, &r);
	match_result_free(&r);
	free(used);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct match_doc doc;
	char err[512];

	if (size > 65536)
		return 0;
	if (match_json_parse((const char *)data, size, &doc, err, sizeof(err)) == -1) {
		/* refused: a message, naming a place or the JSON position */
		CHECK(err[0] != '\0');
		return 0;
	}
	CHECK(err[0] == '\0');
	if (doc.in.nseekers <= 40 && doc.in.nmentors <= 20)
		check_solution(&doc.in);
	match_doc_free(&doc);
	return 0;
}
