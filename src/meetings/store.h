/*
 * store.h: meetings in the database.
 *
 * Every change to meetings or their session exceptions bumps one counter
 * (meetings_state.version) in the same transaction.  The finder keys its
 * cache on that counter, so a change made by any server or by a
 * command-line import sharing the database shows at the next request.
 */
#ifndef CIRCLES_MEETINGS_STORE_H
#define CIRCLES_MEETINGS_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "db/db.h"
#include "formats/meetingguide.h"
#include "meetings/meeting.h"

/** The data version and when it last changed (UTC); -1 on error. */
int64_t	meetings_version(struct db *db, int64_t *changed_at);
/** Bump the version (call inside the writing transaction).  0 or -1. */
int	meetings_touch(struct db *db, int64_t now);

/** Every meeting (any kind, closed ones too), strings in a.  0 or -1. */
int	meetings_load_all(struct db *db, struct arena *a, struct meeting **out, size_t *n);
/** One meeting by slug, or NULL (not found or error: see db_errcode). */
struct meeting *meetings_get(struct db *db, struct arena *a, const char *slug);

struct meeting_exception_row {
	int64_t			 meeting_id;
	struct sched_exception	 ex;
	char			*note;
};

/** Session exceptions of one meeting (meeting_id > 0) or of all (0). 0 or -1. */
int	meetings_load_exceptions(struct db *db, struct arena *a, int64_t meeting_id,
	    struct meeting_exception_row **out, size_t *n);
/**
 * Cancel (new_date NULL) or move a session; replaces an exception for the
 * same date.  Bumps the version.  Its own transaction (call it outside
 * one).  0, or -1 on a database error.
 */
int	meetings_set_exception(struct db *db, int64_t meeting_id, const struct sched_exception *ex,
	    const char *note, int64_t now);
/**
 * Drop the exception for a date (the session happens as usual), in its own
 * transaction.  Rows removed, or -1.
 */
int	meetings_clear_exception(struct db *db, int64_t meeting_id, int y, int m, int d, int64_t now);

/**
 * Insert (m->id == 0) or replace (m->id > 0) one meeting as it is, with its
 * fingerprint; not in a transaction of its own.  Returns the id, 0 when the
 * slug is taken by another meeting, -1 on error.
 */
int64_t	meetings_save(struct db *db, struct meeting *m, int64_t now);
/** Delete a meeting and its exceptions.  1, 0 if not found, -1. */
int	meetings_delete(struct db *db, int64_t id, int64_t now);

struct meetings_import_counts {
	size_t	added;
	size_t	updated;
	size_t	unchanged;
	size_t	*status;	/* per feed meeting: 'a'dded, 'u'pdated, 'n' unchanged (arena), or NULL */
};

/**
 * Apply a parsed feed in one transaction: meetings are matched by slug,
 * added or updated when what they say changed, left alone (not even
 * "updated" moves) when it did not.  Meetings missing from the feed are
 * kept.  0, or -1 with nothing written.
 */
int	meetings_import(struct db *db, struct arena *a, const struct mg_feed *feed, int64_t now,
	    struct meetings_import_counts *out);

/** A slug for a new meeting named name, not used yet ("name", "name-2" ...), arena. */
char	*meetings_free_slug(struct db *db, struct arena *a, const char *name);

#endif
