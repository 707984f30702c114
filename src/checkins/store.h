/*
 * store.h: check-ins, goals and recovery days in the database.
 *
 * The queries of the accountability area, and nothing else: callers have
 * already checked who may do what (the route policy, the member's own id,
 * or privacy_read for someone else's data).  Free text is sealed with
 * crypto_seal under associated data naming its row ("checkins.note:<id>",
 * "goals.title:<id>", "recovery_events.reflection:<id>"), so the row id is
 * known before the text is written: insert, seal, update, in one
 * transaction.  JSON shapes here are the API's.
 */
#ifndef CIRCLES_CHECKINS_STORE_H
#define CIRCLES_CHECKINS_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "app/ctx.h"
#include "checkins/checkin.h"
#include "db/db.h"

#define CHECKINS_PAGE_DEFAULT	30
#define CHECKINS_PAGE_MAX	200
#define GOAL_TITLE_MAX		200	/* bytes */
#define GOALS_MAX		500	/* per member, done ones included */
#define REFLECTION_MAX		2000	/* bytes */
#define RELAPSES_MAX		1000	/* per member */

/* ---- check-ins ---- */

/** Store a check-in for user_id; returns its id or -1. */
int64_t	checkins_add(struct db *db, int64_t user_id, const struct checkin *ci, const char *source,
	    int64_t now);
/** One check-in as the API shows it (note decrypted). New reference. */
json_t	*checkin_json(const struct checkin *ci);
/**
 * user_id's check-ins, newest first, with ids below before (0: from the
 * newest), at most limit; *next_before is the id to ask for the next page
 * (0 when there is none).  NULL on a database error.
 */
json_t	*checkins_list_json(struct db *db, int64_t user_id, int64_t before, int limit,
	    int64_t *next_before);
/**
 * The check-ins of user_id made at or after from (no notes), oldest first,
 * at most max, in a malloc'd array (*n of them).  -1 on error.
 */
int	checkins_since(struct db *db, int64_t user_id, int64_t from, size_t max,
	    struct checkin **out, size_t *n);
/** Time of user_id's latest check-in, 0 if none, -1 on error. */
int64_t	checkins_last_time(struct db *db, int64_t user_id);

/* ---- goals ---- */

/** Check a goal title: 1..GOAL_TITLE_MAX bytes after trimming, UTF-8, no control characters. */
bool	goal_title_valid(const char *s);
/** Add a goal (due_on "YYYY-MM-DD" or NULL); id, 0 if the member has GOALS_MAX already, -1 on error. */
int64_t	goals_add(struct db *db, int64_t user_id, const char *title, const char *due_on,
	    int64_t now);
/** Mark done (done true) or not done. 0 done, 1 not found (or not theirs), -1 error. */
int	goals_set_done(struct db *db, int64_t user_id, int64_t goal_id, bool done, int64_t now);
/** Delete one of user_id's goals.  0, 1 not found, -1 error. */
int	goals_delete(struct db *db, int64_t user_id, int64_t goal_id);
/** user_id's goals: open ones first (by due date, then oldest), then done ones, newest first. */
json_t	*goals_list_json(struct db *db, int64_t user_id);

/* ---- recovery days ---- */

struct recovery {
	bool	 has_start;
	int64_t	 start_day;		/* day number (days.h) */
	bool	 share_milestones;	/* the member's circles may see milestones */
};

/** Load (a member with no row has no start date and shares nothing). 0 or -1. */
int	recovery_load(struct db *db, int64_t user_id, struct recovery *r);
/** Save the start date (day number, or -1 to clear it) and the sharing flag. 0 or -1. */
int	recovery_save(struct db *db, int64_t user_id, int64_t start_day, bool share, int64_t now);
/** Record a relapse on a day with an optional reflection; id, 0 if RELAPSES_MAX reached, -1. */
int64_t	recovery_add_relapse(struct db *db, int64_t user_id, int64_t day, const char *reflection,
	    int64_t now);
/** The relapse days of user_id (malloc'd, any order, *n of them); -1 on error. */
int	recovery_relapse_days(struct db *db, int64_t user_id, int64_t **days, size_t *n);
/** user_id's relapses, newest first: {id, date, reflection, created_at}. */
json_t	*recovery_relapses_json(struct db *db, int64_t user_id);
/**
 * Days, runs and milestones as the API shows them: {start_date,
 * current_days, longest_days, total_days, milestones [...], next_milestone,
 * share_milestones, relapses (if with_events)}.  today is a day number.
 * NULL on error.
 */
json_t	*recovery_json(struct db *db, int64_t user_id, int64_t today, bool with_events);

/* ---- the member's copy of their data (privacy/export.c sections) ---- */

json_t	*checkins_export(struct db *db, const struct user *u, int64_t now);
json_t	*goals_export(struct db *db, const struct user *u, int64_t now);
json_t	*recovery_export(struct db *db, const struct user *u, int64_t now);

#endif
