/*
 * cache.h: the finder's in-memory snapshot of every meeting.
 *
 * Serving the finder must cost little per request, so the whole meeting
 * list is kept in memory as prepared finder_items, each with its Meeting
 * Guide JSON already written, plus the complete unfiltered feed.  The
 * snapshot is keyed by the database's data version (store.h): a request
 * reads that one number (a single-row SELECT) and rebuilds the snapshot
 * only when it moved, so a change by another server or by a command-line
 * import shows at once and nothing is ever stale.
 *
 * Snapshots are immutable and reference-counted: a request holds the one
 * it started with while a newer one replaces it; the old one is freed by
 * its last user.  One thread rebuilds at a time; the others wait for it.
 * Gzip copies of answers are kept per snapshot (a few, by query).
 */
#ifndef CIRCLES_MEETINGS_CACHE_H
#define CIRCLES_MEETINGS_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "http/server.h"
#include "meetings/finder.h"

struct finder_snapshot {
	int64_t			 version;
	int64_t			 changed_at;	/* UTC seconds of the last change */
	struct finder_item	*items;		/* sorted: weekday, time, name */
	size_t			 n;
	const char		*json;		/* every item's JSON object, concatenated */
	size_t			*json_off;	/* per item */
	size_t			*json_len;
	const char		*feed;		/* "[...]" of every item in the feed */
	size_t			 feed_len;
	char			 feed_etag[48];	/* quoted */
	struct finder_snapshot_priv *priv;
};

/**
 * The current snapshot, rebuilt first if the data version moved; NULL if
 * the database cannot be read.  Release it with finder_release().
 */
const struct finder_snapshot *finder_acquire(struct db *db);
void	finder_release(const struct finder_snapshot *s);

/** Index of the item with that slug, or -1. */
long	finder_find_slug(const struct finder_snapshot *s, const char *slug);

/**
 * Answer r with a gzip copy of body[0..len), compressed once per key and
 * snapshot (a few keys are kept) and lent to r without copying.  false if
 * compression failed.  With body NULL, only a kept copy is lent (false if
 * there is none).  keep false compresses without keeping or looking (an
 * answer built for one person).
 */
bool	finder_gzip(const struct finder_snapshot *s, uint64_t key, bool keep, const char *body,
	    size_t len, struct http_response *r);

/** Lend r data owned by the snapshot (its feed): the snapshot lives until r is sent. */
void	finder_lend(const struct finder_snapshot *s, const char *data, size_t len,
	    struct http_response *r);

/**
 * Finished answers of this snapshot by query (its canonical text): lend
 * answers r with a kept answer, without copying it, and returns true; put
 * keeps a copy (the least recently used of a few is replaced; a replaced
 * answer lives on until no response lends it).  Answers that depend on the
 * clock must not be kept.
 */
bool	finder_body_lend(const struct finder_snapshot *s, const char *canonical,
	    struct http_response *r);
void	finder_body_put(const struct finder_snapshot *s, const char *canonical, const char *data,
	    size_t len);

/** Drop the current snapshot (tests, shutdown). */
void	finder_cache_reset(void);

#endif
