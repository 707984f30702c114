/*
 * cli.c: `circles match [--pair-scores] [--stats] FILE.json`.
 *
 * Reads the whole file (or standard input for "-"), validates it, then
 * prints either the optimal assignment or every feasible pair's score.
 * Exit status: 0 done, 2 bad usage or bad input (one line on standard
 * error naming the place; nothing on standard output), 1 a write failure.
 * --stats adds counters and phase timings on standard error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/file.h"
#include "base/mem.h"
#include "matching/match.h"
#include "matching/match_json.h"

/* Read all of path ("-": standard input) up to the input limit; NULL with a message. */
static char *
read_all(const char *path, size_t *len, char *err, size_t errlen)
{
	size_t cap = 1 << 16, n = 0, got;
	char *buf, *why = NULL;

	if (strcmp(path, "-") != 0) {
		if ((buf = file_read(path, MATCH_JSON_MAX_BYTES, len, &why)) == NULL) {
			snprintf(err, errlen, "cannot read %s", why);
			free(why);
		}
		return buf;
	}
	buf = xmalloc(cap);
	while ((got = fread(buf + n, 1, cap - n, stdin)) > 0) {
		n += got;
		if (n == cap) {
			if (cap > MATCH_JSON_MAX_BYTES) {
				snprintf(err, errlen, "standard input is larger than %u MiB",
				    MATCH_JSON_MAX_BYTES >> 20);
				free(buf);
				return NULL;
			}
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
	}
	if (ferror(stdin)) {
		snprintf(err, errlen, "cannot read standard input: %s", strerror(errno));
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

static double
seconds(void)
{
	struct timespec ts;

	/* Wall time for --stats only; matching itself never reads a clock. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
match_cli(int argc, char **argv)
{
	bool pairs = false, stats = false;
	const char *path = NULL;
	char err[512];
	struct match_doc doc;
	struct match_result res;
	struct match_stats st;
	double t0, t1, t2, t3;
	size_t len;
	char *text;
	int i, rc;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			printf("usage: %s\n\n%s\n", MATCH_USAGE, MATCH_HELP);
			return 0;
		} else if (strcmp(argv[i], "--pair-scores") == 0) {
			pairs = true;
		} else if (strcmp(argv[i], "--stats") == 0) {
			stats = true;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "circles match: unknown option '%s'\nusage: %s\n", argv[i],
			    MATCH_USAGE);
			return 2;
		} else if (path == NULL) {
			path = argv[i];
		} else {
			fprintf(stderr, "circles match: give one input file\nusage: %s\n",
			    MATCH_USAGE);
			return 2;
		}
	}
	if (path == NULL) {
		fprintf(stderr, "circles match: give the input file (or - for standard input)\n"
		    "usage: %s\n", MATCH_USAGE);
		return 2;
	}
	t0 = seconds();
	if ((text = read_all(path, &len, err, sizeof(err))) == NULL) {
		fprintf(stderr, "circles match: %s\n", err);
		return 2;
	}
	rc = match_json_parse(text, len, &doc, err, sizeof(err));
	free(text);
	if (rc == -1) {
		fprintf(stderr, "circles match: %s\n", err);
		return 2;
	}
	t1 = seconds();
	if (pairs) {
		rc = match_json_write_pairs(stdout, &doc.in);
		t2 = t3 = seconds();
		memset(&st, 0, sizeof(st));
	} else {
		match_solve_ex(&doc.in, &res, 0, &st);
		t2 = seconds();
		rc = match_json_write_result(stdout, &doc.in, &res);
		t3 = seconds();
		if (stats)
			fprintf(stderr, "match: %zu seekers, %zu mentors, %zu matched, total %lld "
			    "hundredths\n", doc.in.nseekers, doc.in.nmentors, res.nassignments,
			    (long long)res.total_score);
		match_result_free(&res);
	}
	if (stats)
		fprintf(stderr, "match: read %.3fs, solve %.3fs, write %.3fs; searches from %s, "
		    "rows %zu, cols %zu, searches %zu, settled %zu, scanned %zu, regrows %zu\n",
		    t1 - t0, t2 - t1, t3 - t2, st.rows_are_mentors ? "mentors" : "seekers",
		    st.rows, st.cols, st.searches, st.pops, st.scanned, st.regrows);
	match_doc_free(&doc);
	if (rc != 0) {
		fprintf(stderr, "circles match: cannot write the output: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}

int
match_command(int argc, char **argv, struct config *cfg)
{
	(void)cfg;
	return match_cli(argc, argv);
}
