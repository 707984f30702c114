/*
 * match.h: the mentor/partner matching engine.
 *
 * Coordinators ask Circles to suggest pairs: seekers (newcomers, or peers
 * looking for an accountability partner) with mentors (or peers).  The
 * engine is pure: structs in, structs out, no I/O.  match_json.c reads and
 * validates the JSON form of the input; cli.c is `circles match`.
 *
 * Hard constraints (a pair that breaks one is never suggested): a shared
 * language; each side's stated gender preference; the mentor is trained and
 * has recovery_days >= min_recovery_days; the mentor's free slots
 * (capacity - current); blocked pairs; a person never pairs with itself
 * (the same id on both sides).
 *
 * Preferences give each feasible pair a score in hundredths of a point
 * (integers, so totals are exact and ties are real ties).  The weights come
 * with the input (struct match_weights; a network's coordinators set them),
 * the MATCH_W_* constants below being the defaults; docs/MATCHING.md
 * explains them.  Every weight is 0..MATCH_WEIGHT_MAX, so a score is never
 * negative and never more than MATCH_SCORE_LIMIT.
 *
 * match_solve() is optimal over the whole network: first as many seekers
 * matched as the constraints allow, then the largest total score.  It is a
 * min-cost flow solved by successive shortest paths (Dijkstra with
 * potentials); see match.c for the design.  The same input always gives the
 * same output.
 */
#ifndef CIRCLES_MATCHING_MATCH_H
#define CIRCLES_MATCHING_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The default score weights, in hundredths of a point. */
#define MATCH_W_HOUR		50	/* per shared weekly hour ... */
#define MATCH_MAX_HOURS		6	/* ... counting at most this many */
#define MATCH_W_PATHWAY		200	/* same recovery pathway */
#define MATCH_W_TAG		150	/* per shared experience tag ... */
#define MATCH_MAX_TAGS		3	/* ... counting at most this many */
#define MATCH_W_REGION		100	/* same region */
#define MATCH_W_NEAR		200	/* at 0 km, falling in a straight line ... */
#define MATCH_NEAR_KM		50	/* ... to 0 points here (4 hundredths per km by default) */
#define MATCH_W_PER_KM		(MATCH_W_NEAR / MATCH_NEAR_KM)
#define MATCH_W_AGE_SIMILAR	100	/* ages at most MATCH_AGE_SIMILAR apart */
#define MATCH_AGE_SIMILAR	5
#define MATCH_W_AGE_CLOSE	50	/* ages at most MATCH_AGE_CLOSE apart */
#define MATCH_AGE_CLOSE		10
/** The largest score a pair can have with the default weights (13.50 points). */
#define MATCH_SCORE_MAX	(MATCH_W_HOUR * MATCH_MAX_HOURS + MATCH_W_PATHWAY + \
	MATCH_W_TAG * MATCH_MAX_TAGS + MATCH_W_REGION + MATCH_W_NEAR + MATCH_W_AGE_SIMILAR)

/** The largest weight (10 points): keeps every cost within 16 bits. */
#define MATCH_WEIGHT_MAX	1000
/** The largest score any valid weights allow (130 points). */
#define MATCH_SCORE_LIMIT	(MATCH_WEIGHT_MAX * (MATCH_MAX_HOURS + MATCH_MAX_TAGS + 4))

/**
 * What each part of the score is worth, in hundredths of a point, each
 * 0..MATCH_WEIGHT_MAX.  The distance part is near * (MATCH_NEAR_KM - km) /
 * MATCH_NEAR_KM (rounded down) for km < MATCH_NEAR_KM; the age part is
 * age_similar for ages at most MATCH_AGE_SIMILAR years apart, else
 * age_close for at most MATCH_AGE_CLOSE.
 */
struct match_weights {
	int	pathway;
	int	hour;		/* per shared hour, at most MATCH_MAX_HOURS of them */
	int	tag;		/* per shared tag, at most MATCH_MAX_TAGS of them */
	int	region;
	int	near;
	int	age_similar;
	int	age_close;
};

#define MATCH_NWEIGHTS	7
/** The weights' names ("pathway", "hour", "tag", "region", "near", "age_similar", "age_close"). */
extern const char *const match_weight_names[MATCH_NWEIGHTS];
/** The MATCH_W_* defaults. */
extern const struct match_weights match_weights_default;
/** The weight called match_weight_names[i] in w. */
int	*match_weight_ref(struct match_weights *w, size_t i);
/** NULL if every weight is 0..MATCH_WEIGHT_MAX, else the name of the first that is not. */
const char *match_weights_check(const struct match_weights *w);
/** The largest score a pair can get under w (NULL: the defaults). */
int	match_score_max(const struct match_weights *w);
/**
 * Points as people write them (2, 0.5, 1.25) to a weight in hundredths:
 * -1 unless finite, 0..MATCH_WEIGHT_MAX/100 and at most two decimals.
 */
int	match_weight_from_points(double points);

/* Input limits (match_json.c enforces them; the engine relies on them). */
#define MATCH_MAX_PEOPLE	200000	/* seekers, and mentors, each */
#define MATCH_MAX_BLOCKED	2000000
#define MATCH_MAX_CAPACITY	1000
#define MATCH_MAX_LIST		64	/* languages, tags, availability blocks per person */
#define MATCH_MAX_TEXT		100	/* bytes in an id, language, gender, pathway, tag, region */
#define MATCH_MAX_AGE		130
#define MATCH_MAX_DAYS		100000	/* recovery_days, min_recovery_days */

/** One weekly availability block: day 0 (Sunday) to 6, hours [start, end). */
struct match_slot {
	int	day;
	int	start;		/* 0-23 */
	int	end;		/* start+1 .. 24 */
};

/** A seeker or a mentor.  Strings are NUL-terminated; NULL means "not stated". */
struct match_person {
	const char		 *id;
	const char		**languages;
	size_t			  nlanguages;
	const char		 *gender;
	const char		 *wants_gender;	/* NULL: no preference */
	const char		 *pathway;
	const char		**tags;
	size_t			  ntags;
	int			  age;		/* -1: unknown */
	const char		 *region;
	bool			  has_location;
	double			  lat, lon;	/* degrees */
	const struct match_slot	 *availability;
	size_t			  navailability;
	/* mentors only */
	int			  capacity;	/* caseload cap */
	int			  current;	/* people already mentored */
	bool			  trained;
	int64_t			  recovery_days;
};

/** A pair a coordinator rejected: never suggested again (indexes into the input). */
struct match_block {
	size_t	seeker;
	size_t	mentor;
};

struct match_input {
	const struct match_person	*seekers;
	size_t				 nseekers;
	const struct match_person	*mentors;
	size_t				 nmentors;
	const struct match_block	*blocked;
	size_t				 nblocked;
	int64_t				 min_recovery_days;
	/* NULL: match_weights_default; else checked with match_weights_check */
	const struct match_weights	*weights;
};

#define MATCH_MAX_REASONS	(5 + MATCH_MAX_TAGS)
#define MATCH_REASON_LEN	(MATCH_MAX_TEXT + 32)

/** Why a pair scored: one human-readable string per part that gave points. */
struct match_reasons {
	size_t	n;
	char	text[MATCH_MAX_REASONS][MATCH_REASON_LEN];
};

struct match_assignment {
	size_t			seeker;		/* index into input seekers */
	size_t			mentor;		/* index into input mentors */
	int			score;		/* hundredths */
	struct match_reasons	reasons;
};

struct match_result {
	struct match_assignment	*assignments;	/* in seeker order */
	size_t			 nassignments;
	size_t			*unmatched;	/* seeker indexes, in order */
	size_t			 nunmatched;
	int64_t			 total_score;	/* hundredths */
};

/**
 * Compute the optimal assignment: the most seekers matched, then the largest
 * total score; ties broken deterministically.  The input must satisfy the
 * limits above (match_json_parse checks them).  Free with match_result_free.
 */
void	match_solve(const struct match_input *in, struct match_result *out);
void	match_result_free(struct match_result *r);

/** What a solve did (for benchmarks and tests). */
struct match_stats {
	bool	rows_are_mentors;	/* which side the searches start from */
	size_t	rows, cols;		/* eligible people on each side */
	size_t	searches;		/* shortest-path searches (one per row unit) */
	size_t	pops;			/* rows settled over all searches */
	size_t	scanned;		/* folded edges looked at */
	size_t	regrows;		/* sorted lists rebuilt whole */
};

/**
 * match_solve with knobs: first_k is the initial length of each row's
 * sorted candidate list (0: the default, 128; tests use 1 to exercise
 * regrowth), stats (may be NULL) receives counters.  The result does not
 * depend on first_k.
 */
void	match_solve_ex(const struct match_input *in, struct match_result *out,
	    unsigned first_k, struct match_stats *stats);

/** Called for each feasible pair, seekers in order, then mentors in order. */
typedef void (*match_pair_fn)(void *arg, size_t seeker, size_t mentor, int score);

/** Report every feasible pair with its score (hundredths). */
void	match_pair_scores(const struct match_input *in, match_pair_fn fn, void *arg);

/**
 * The score (hundredths) of one pair, or -1 if a hard constraint rules it
 * out; with reasons non-NULL, fill in why it scored.  Slow (prepares the
 * whole input); meant for tests and single look-ups.
 */
int	match_pair_score(const struct match_input *in, size_t seeker, size_t mentor,
	    struct match_reasons *reasons);

/** Write a score in hundredths as a JSON number with up to 2 decimals ("7.5"). */
void	match_format_score(int64_t hundredths, char out[32]);

/** `circles match`: see MATCH_USAGE and MATCH_HELP.  argv[0] is "match". */
int	match_cli(int argc, char **argv);

struct config;
/** The row of main.c's command table: match_cli (the configuration is not needed). */
int	match_command(int argc, char **argv, struct config *cfg);

#define MATCH_USAGE "circles match [--pair-scores] FILE.json"
#define MATCH_HELP \
"Suggest mentor/newcomer (or peer/peer) pairs for a coordinator to approve.\n" \
"FILE.json (or - for standard input) holds:\n" \
"  {\"seekers\": [{\"id\": \"s1\", \"languages\": [\"en\",\"es\"], \"gender\": \"f\",\n" \
"                \"wants_gender\": \"f\", \"pathway\": \"12-step\", \"tags\": [\"parent\"],\n" \
"                \"age\": 34, \"region\": \"north\", \"lat\": 39.1, \"lon\": -84.5,\n" \
"                \"availability\": [[1, 18, 21], [3, 18, 21]]}],\n" \
"   \"mentors\": [{... the same fields, and \"capacity\": 3, \"current\": 1,\n" \
"                \"trained\": true, \"recovery_days\": 1400}],\n" \
"   \"blocked\": [[\"s1\", \"m9\"]], \"min_recovery_days\": 365,\n" \
"   \"weights\": {\"pathway\": 2, \"hour\": 0.5, \"tag\": 1.5, \"region\": 1,\n" \
"               \"near\": 2, \"age_similar\": 1, \"age_close\": 0.5}}\n" \
"id and languages are required, and capacity for mentors; every other field\n" \
"may be absent or null.  weights (points, 0-10, at most two decimals) may\n" \
"give any of its parts; the others keep the defaults shown.  availability\n" \
"entries are [day 0-6 (0 = Sunday), start hour 0-23, end hour 1-24].  A\n" \
"mentor is suggested only if trained is true, recovery_days >=\n" \
"min_recovery_days and current < capacity.\n" \
"\n" \
"Prints {\"assignments\": [{\"seeker\", \"mentor\", \"score\", \"reasons\": [...]}],\n" \
"\"unmatched\": [seeker ids], \"total_score\"}: the most seekers matched, then\n" \
"the largest total score.  With --pair-scores, prints {\"pairs\": [{\"seeker\",\n" \
"\"mentor\", \"score\"}]} for every feasible pair instead.  Scores run from 0 to\n" \
"13.5 with the default weights; docs/MATCHING.md explains them.  --stats adds\n" \
"counters and timings on standard error.  Bad input: a message naming the\n" \
"place (for example seekers[3].availability[1][0]) on standard error,\n" \
"exit status 2."

#endif
