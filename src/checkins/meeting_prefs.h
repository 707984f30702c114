/*
 * meeting_prefs.h: what meetings fit a member, for the MEETINGS text
 * message: online, in person or either; a region or city; times of day.
 *
 * The preferences are turned into the meeting finder's own query
 * (meetings/finder.h) with the member's language, so a text message and the
 * finder page agree on what "fits".  Reading and checking them is pure;
 * load and save are the only queries.  A member without a row has no
 * preferences (any meeting in their language).
 */
#ifndef CIRCLES_CHECKINS_MEETING_PREFS_H
#define CIRCLES_CHECKINS_MEETING_PREFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/arena.h"
#include "db/db.h"
#include "meetings/finder.h"

#define MPREFS_REGION_MAX	100	/* bytes of a region or city */

enum mprefs_attendance {
	MPREFS_ANY = 0,
	MPREFS_IN_PERSON,
	MPREFS_ONLINE,
};

struct meeting_prefs {
	enum mprefs_attendance	 attendance;
	char			 region[MPREFS_REGION_MAX + 1];	/* "" for any */
	unsigned		 times;		/* bits 1u << FINDER_MORNING ..; 0 any */
};

/** Token of an attendance ("any", "in_person", "online"). */
const char *mprefs_attendance_token(enum mprefs_attendance a);
/** Token of a finder time band ("morning".."night"), NULL for FINDER_TIME_ANY. */
const char *mprefs_time_token(enum finder_time t);

/**
 * Read preferences from their text forms: attendance ("any", "in_person",
 * "online"; NULL or "" is any), region (trimmed; NULL or blank is any) and
 * time tokens (unknown ones refused; repeats allowed).  false with
 * *bad_field ("attendance", "region", "times") on a bad value.
 */
bool	mprefs_parse(const char *attendance, const char *region, const char *const *times,
	    size_t ntimes, struct meeting_prefs *out, const char **bad_field);

/**
 * The finder query for these preferences in language lang ("en", "es"):
 * attendance, region and language (the times are matched with
 * mprefs_match, one band at a time).  Strings in a.  false only if the
 * finder refused the query (it never should for checked preferences).
 */
bool	mprefs_query(struct arena *a, const struct meeting_prefs *p, const char *lang,
	    struct finder_query *q);

/** True if the item passes q (finder_match) in one of p's time bands. */
bool	mprefs_match(const struct finder_item *it, const struct meeting_prefs *p,
	    struct finder_query *q, int64_t now);

/** The finder page's query string for these preferences ("lang=es&attendance=online"). */
const char *mprefs_finder_qs(struct arena *a, const struct meeting_prefs *p, const char *lang);

/** {attendance, region, times [...]} for the API and the page. */
json_t	*mprefs_json(const struct meeting_prefs *p);

/** Load user_id's preferences (none stored: all "any"). 0 or -1. */
int	mprefs_load(struct db *db, int64_t user_id, struct meeting_prefs *out);
/** Save them. 0 or -1. */
int	mprefs_save(struct db *db, int64_t user_id, const struct meeting_prefs *p, int64_t now);

struct user;
/** The member's preferences for their copy of their data (privacy/export.c); NULL on error. */
json_t	*mprefs_export(struct db *db, const struct user *u, int64_t now);

#endif
