/*
 * match_json.h: the JSON form of a matching problem and of its answers.
 *
 * match_json_parse checks everything the engine relies on (types, ranges,
 * limits, unique ids, no unknown fields) and names the place of the first
 * problem, for example "seekers[3].availability[1][0]: day must be 0-6".
 */
#ifndef CIRCLES_MATCHING_MATCH_JSON_H
#define CIRCLES_MATCHING_MATCH_JSON_H

#include <stdio.h>

#include <jansson.h>

#include "base/arena.h"
#include "matching/match.h"

/** Largest input document accepted, in bytes. */
#define MATCH_JSON_MAX_BYTES	(512u * 1024 * 1024)

/** A parsed input: in points into root's strings and the arena. */
struct match_doc {
	struct match_input	 in;		/* in.weights points at weights */
	struct match_weights	 weights;
	json_t			*root;
	struct arena		 arena;
};

/**
 * Parse and validate len bytes of JSON.  Returns 0 and fills doc (free with
 * match_doc_free), or -1 with "place: what is wrong" in err (doc is then
 * already freed).
 */
int	match_json_parse(const char *text, size_t len, struct match_doc *doc,
	    char *err, size_t errlen);
void	match_doc_free(struct match_doc *doc);

/** Write {"assignments": [...], "unmatched": [...], "total_score": N}. Returns 0 or -1 (I/O). */
int	match_json_write_result(FILE *f, const struct match_input *in,
	    const struct match_result *r);
/** Write {"pairs": [{"seeker", "mentor", "score"}...]} for every feasible pair. */
int	match_json_write_pairs(FILE *f, const struct match_input *in);

#endif
