/*
 * store.h: matching in the database: members' matching profiles, the
 * coordinator's decisions about mentors, suggestions and mentorships.
 *
 * A profile is the member's own: languages, gender and the gender they
 * would like to be matched with, recovery pathway, experience tags, age
 * band, region, optional location, weekly availability, and what they
 * look for: a mentor ("mentor"), a peer partner ("peer"), or people to
 * mentor ("mentee", with a capacity).  The profile is sealed in the
 * database (it holds gender, pathway and experience); only the member and
 * coordinators or admins see it, and only after the member opted in to
 * matching.  A member who never opted in (or opted out) is never in the
 * pool and their profile is invisible to coordinators.  Every coordinator
 * read of a member's matching data goes through matching_gate(), which is
 * privacy_read() with CONSENT_MATCHING: the one consent decision (the
 * opt-in is the consent, to coordinators and admins) and the audit row the
 * member sees under "who saw my data"; no audit row, no read.
 *
 * Mentors are members who offer to mentor ("mentee") and either hold the
 * peer_supporter or facilitator role or were approved by a coordinator;
 * "trained" is set by a coordinator, never by the member.  Their time in
 * recovery is the current run of the days module (none: 0 days).
 *
 * matching_suggest() builds the engine's input from the profiles of the
 * whole network or of one chapter (current mentees from active
 * mentorships, blocked pairs from rejected suggestions, the network's
 * weights), runs match_solve() and replaces the open suggestions.  A
 * coordinator approves (a mentorship is created, counting against the
 * mentor's capacity, and both people get a discreet email through the job
 * queue, and a short text too if they have a verified number and no email
 * or asked for texts) or rejects (the pair is never suggested again).  A mentorship
 * shares no data by itself: what each person shows the other stays their
 * own consent (accountability partnerships, privacy page).
 */
#ifndef CIRCLES_MATCHING_STORE_H
#define CIRCLES_MATCHING_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "app/ctx.h"

#define MATCHING_CAPACITY_MAX	10	/* mentees one mentor may take */
#define MATCHING_REGION_MAX	60	/* bytes */
#define MATCHING_DAYS_MAX	36500	/* minimum recovery days setting */
#define MATCHING_DEFAULT_MIN_DAYS 365

/* The vocabularies (NULL-terminated); their names are translated in po/<lang>/matching.json. */
extern const char *const matching_seeks[];
extern const char *const matching_languages[];
extern const char *const matching_genders[];
extern const char *const matching_pathways[];
extern const char *const matching_tags[];
extern const char *const matching_age_bands[];

/** Parts of the day the profile page offers per weekday: [start, end) hours. */
struct matching_period {
	const char	*name;
	int		 start, end;
};
extern const struct matching_period matching_periods[];
#define MATCHING_NPERIODS	4

/**
 * Check a profile document (the API's JSON) and return a normalized copy
 * in *out (new reference): every key present, lists deduplicated, region
 * trimmed and lower-cased.  NULL when valid, else the name of the first
 * invalid field.
 */
const char *matching_profile_check(struct arena *a, json_t *in, json_t **out);

/** The member's profile as matching_profile_check returns it, or NULL (*err set on errors). */
json_t	*matching_profile_load(struct db *db, int64_t user_id, bool *err);
/** Save a checked profile.  Opting out drops open suggestions with the member.  0 or -1. */
int	matching_profile_save(struct db *db, int64_t user_id, json_t *profile, int64_t now);

/**
 * The gate for a coordinator reading member_id's matching data: the member
 * opted in, and an audit row (action "read", category "matching", object)
 * was written.  True for the member themself.
 */
bool	matching_gate(struct ctx *c, int64_t member_id, const char *object);

/** The network's minimum days in recovery for mentors. */
int64_t	matching_min_days(struct db *db);
int	matching_set_min_days(struct db *db, int64_t days);

/* weights, chapter pools, demo */
struct match_weights;
/** The network's score weights (settings; match_weights_default for those never set). */
void	matching_weights(struct db *db, struct match_weights *w);
/**
 * Save the settings in one transaction: min_days (-1: unchanged) and the
 * weights (NULL: unchanged; checked by the caller).  0 or -1.
 */
int	matching_set_settings(struct db *db, int64_t min_days, const struct match_weights *w);
/**
 * matching_suggest without a request: the pool of chapter (0: the whole
 * network), suggestions recorded as made by `by` at now.  One transaction.
 */
int	matching_suggest_run(struct db *db, int64_t by, int64_t now, int64_t chapter,
	    int *made, int *unmatched);

/** 1 if member_id opted in to matching, 0 if not, -1 on error. */
int	matching_in_pool(struct db *db, int64_t member_id);
/**
 * Set what a coordinator decides about a mentor (trained, approved as a
 * mentor; -1 leaves one as it is).  0, 1 if member_id has no opted-in
 * profile, -1.
 */
int	matching_set_mentor(struct ctx *c, int64_t member_id, int trained, int approved);

/**
 * Replace the open suggestions with the engine's answer, under the
 * network's weights, over the pool: the whole network (chapter 0: every
 * open suggestion is replaced) or the members of one chapter (only the
 * open suggestions with someone of that chapter are replaced).  *made:
 * suggestions stored, *unmatched: seekers left without one.  0 or -1.
 */
int	matching_suggest(struct ctx *c, int64_t chapter, int *made, int *unmatched);

/**
 * Approve (a mentorship is created and both people are told) or reject an
 * open suggestion.  0 done (*mentorship_id set on approval), 1 not found,
 * 2 no longer possible (the mentor is full or the seeker already matched),
 * -1 error.
 */
int	matching_decide(struct ctx *c, int64_t suggestion_id, bool approve,
	    int64_t *mentorship_id);

/** Open suggestions with names, score and translated reasons (each read audited). NULL on error. */
json_t	*matching_suggestions_json(struct ctx *c);
/** Mentors in the pool or offering: name, capacity, current, trained, approved, days (audited). */
json_t	*matching_mentors_json(struct ctx *c);
/** Active mentorships (all of them: for coordinators). */
json_t	*matching_mentorships_json(struct ctx *c);
/** The caller's active mentorships: {id, kind, role, other {id, display_name}, since}. */
json_t	*matching_my_mentorships_json(struct ctx *c);
/** End an active mentorship the caller is in (or any, for coordinators).  0, 1, -1. */
int	matching_end_mentorship(struct ctx *c, int64_t id, bool any);

/** The member's copy of their matching data (privacy/export.c section "matching"). */
json_t	*matching_export(struct db *db, const struct user *u, int64_t now);

/**
 * The engine's English reason (match.h) as the code suggestions store:
 * {"k": "pathway", "v": "smart"}, {"k": "hours", "n": 3}, {"k": "region"} ...;
 * {"k": "other", "v": text} for a text it does not know.  New reference.
 */
json_t	*matching_reason_code(const char *engine_text);
/** A translated reason ({"k": ..., "v": ...} as stored). */
const char *matching_reason_text(struct ctx *c, json_t *reason);

#endif
