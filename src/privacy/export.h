/*
 * export.h: everything Circles holds about a member, as one JSON document,
 * and the JSON shapes the privacy API shares with it.
 *
 * Timestamps are integer Unix seconds (UTC) throughout, as in the API.
 * The document carries a "format" number; a section that changes shape
 * bumps it.  Features that store member data add a section to the table
 * in export.c (a name and a function returning that section's JSON).
 */
#ifndef CIRCLES_PRIVACY_EXPORT_H
#define CIRCLES_PRIVACY_EXPORT_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "app/ctx.h"
#include "db/db.h"

#define PRIVACY_EXPORT_FORMAT	1

/** The pseudonym audit rows use for Circles itself (jobs, schedules). */
#define AUDIT_ACTOR_SYSTEM	"system"

/**
 * All of u's data: {"format", "generated_at", "profile", "consents_given",
 * "consents_received", "sessions", "audit", ...}.  NULL on a database
 * error (nothing partial is handed out).  New reference.
 */
json_t	*privacy_export(struct db *db, const struct user *u, int64_t now);

/**
 * Consents u has given (given true) or received (directly or through
 * their partner organisation).  Each: {id, grantee {type, id, name} or
 * member {id, name} and "via", category, purpose, created_at, expires_at,
 * revoked_at, active}.  active_only drops revoked and expired ones.
 * Newest first.  NULL on error.
 */
json_t	*privacy_consents_json(struct db *db, const struct user *u, bool given,
	    bool active_only, int64_t now);

/**
 * Audit rows whose subject is u, newest first, ids below before (0: from
 * the newest), at most limit.  Each: {id, at, actor {type, name, role},
 * action, category, object}; actor type is "self", "person", "system" or
 * "deleted" (the pseudonym no longer maps to anyone), names of the last
 * two translated into lang.  NULL on error.
 */
json_t	*privacy_audit_json(struct db *db, const struct user *u, const char *lang,
	    int64_t before, int limit);

/** Token of the role that best describes a person to others ("peer_supporter"). */
const char *privacy_primary_role(unsigned roles);

#endif
