/*
 * calendar_link.h: a member's secret calendar address.
 *
 * Calendar apps (Google Calendar, Apple Calendar, Thunderbird) fetch a feed
 * by its address alone and cannot send the session cookie, so a member may
 * make one personal address, /calendar/<token>.ics, that holds the
 * meetings of every circle they are an active member of and the meetings
 * they said "yes" to.  The token is random (32 bytes) and only its keyed
 * hash is stored, as for sessions; making a new address or revoking it
 * makes the old one answer 404 at once.  One address per member.
 */
#ifndef CIRCLES_CIRCLES_CALENDAR_LINK_H
#define CIRCLES_CIRCLES_CALENDAR_LINK_H

#include <stdint.h>

#include <jansson.h>

#include "accounts/users.h"
#include "db/db.h"

/**
 * Make u's address, replacing any earlier one.  Returns the token
 * (malloc'd, shown to the member once and never stored), or NULL on a
 * database error.
 */
char	*calendar_link_create(struct db *db, int64_t user_id, int64_t now);
/** Revoke user_id's address.  1 revoked, 0 there was none, -1 error. */
int	calendar_link_revoke(struct db *db, int64_t user_id);
/**
 * Whether user_id has an address: 1 (with its creation time and when a
 * calendar last fetched it, 0 never), 0 none, -1 error.
 */
int	calendar_link_status(struct db *db, int64_t user_id, int64_t *created_at,
	    int64_t *last_used_at);
/**
 * The address's existence for the privacy export: {created_at,
 * last_used_at} or JSON null (never the token, which is not kept).  NULL
 * on error.
 */
json_t	*calendar_link_export(struct db *db, const struct user *u);

#endif
