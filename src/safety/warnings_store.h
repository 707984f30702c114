/*
 * warnings_store.h: the outreach queue in the database, fed by the early
 * warning rules (warnings.h) (internal to src/safety; the entry point for
 * the rest of Circles is safety_note_checkin in safety.h).
 *
 * Evaluation reads each member's check-ins of the last WARN_HISTORY_DAYS,
 * runs the rules, and raises an item per finding.  An item is unique per
 * (member, cause, episode) and at most one per (member, cause) is not
 * resolved, both enforced by the database, so running the rules again,
 * from several servers or after a restart, never piles items up.  The
 * figures behind an item's reason are sealed (AD
 * "outreach_items.detail:<id>"), as are contact notes
 * ("outreach_notes.note:<id>").
 *
 * These functions do not check who is asking: the web handlers gate every
 * item through privacy_read() (the member's consent, audited).
 */
#ifndef CIRCLES_SAFETY_WARNINGS_STORE_H
#define CIRCLES_SAFETY_WARNINGS_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "base/arena.h"
#include "base/config.h"
#include "db/db.h"
#include "safety/warnings.h"

#define WARN_HISTORY_DAYS	120
#define OUTREACH_NOTE_MAX	2000	/* characters */
#define OUTREACH_LIST_MAX	200

/** The network's thresholds (settings "safety.warnings", else the defaults). */
void	warnings_params(struct db *db, struct warn_params *out);
/** Check thresholds from JSON (partial); NULL, or the bad field ("warnings.use_days"). */
const char *warnings_params_check(struct arena *a, json_t *in);
/** Store thresholds (merged over the current ones).  0 or -1. */
int	warnings_params_save(struct db *db, json_t *in);
/** The thresholds as JSON. */
json_t	*warnings_params_json(const struct warn_params *p);

/** Evaluate one member now ("as data arrives"); items raised, or -1. */
int	warnings_evaluate_member(struct db *db, int64_t member_id, int64_t now);
/** Evaluate every member with recent check-ins in one pass; items raised, or -1. */
int	warnings_evaluate_all(struct db *db, int64_t now, int *members);
/** Queue the periodic evaluation for the next hour (idempotent). */
void	warnings_schedule(struct db *db, int64_t now);

/** A help-now alert went unanswered: raise an outreach item for the member. */
void	warnings_alert_unanswered(struct db *db, int64_t member_id, int64_t alert_id, int64_t now);

/** The "safety_warnings" job: evaluate the network, then look again in an hour. */
int	warnings_job(struct db *db, const struct config *cfg, json_t *payload, int64_t job_id,
	    char **err);

/** The consent category that opens an item of cause (checkins or attendance). */
const char *outreach_category(const char *cause);

struct outreach_item {
	int64_t		 id, member_id, episode, claimed_by, claimed_at, resolved_at;
	int64_t		 contacted_at, created_at;
	char		 cause[32], state[16], resolution[24];
	int32_t		 value, usual;	/* from the sealed detail; -1 if unreadable */
};

/** One item (any member).  1 found, 0 not, -1 error. */
int	outreach_get(struct db *db, int64_t id, struct outreach_item *out);
/**
 * Ids of the items viewer may see (the member's consent for the item's
 * category, to the viewer or their organisation), not resolved first,
 * newest first; resolved ones only when with_resolved.  Count or -1.
 */
int	outreach_visible_ids(struct db *db, int64_t viewer_id, int64_t viewer_org, int64_t now,
	    bool with_resolved, int64_t *ids, int max);
/** Claim: 0 done (or already the caller's), 1 someone else has it, 2 resolved, -1. */
int	outreach_claim(struct db *db, int64_t id, int64_t user_id, int64_t now);
/** Record a contact (claims an open item for the caller).  The note's id or -1. */
int64_t	outreach_contact(struct db *db, int64_t id, int64_t user_id, const char *channel,
	    bool reached, const char *note, int64_t now);
/** Resolve: 0 done, 1 already resolved, -1. */
int	outreach_resolve(struct db *db, int64_t id, const char *resolution, int64_t now);
/** The contact notes, decrypted: [{id, at, by {id, display_name}, channel, reached, note}]. */
json_t	*outreach_notes_json(struct db *db, int64_t item_id);
/**
 * The contacts made with member_id, as the member may see them: who and
 * when and how, never why: [{at, by, channel, reached}].
 */
json_t	*outreach_reach_outs_json(struct db *db, int64_t member_id, int limit);

bool	outreach_channel_valid(const char *s);
bool	outreach_resolution_valid(const char *s);

#endif
