/*
 * warnings_store.h: the outreach queue in the database, fed by the early
 * warning rules (warnings.h) (internal to src/safety).
 */
#ifndef CIRCLES_SAFETY_WARNINGS_STORE_H
#define CIRCLES_SAFETY_WARNINGS_STORE_H

#include <stdint.h>

#include <jansson.h>

#include "base/config.h"
#include "db/db.h"

/** A help-now alert went unanswered: raise an outreach item for the member. */
void	warnings_alert_unanswered(struct db *db, int64_t member_id, int64_t alert_id, int64_t now);

/** The "safety_warnings" job: evaluate the rules for every member, then look again later. */
int	warnings_job(struct db *db, const struct config *cfg, json_t *payload, int64_t job_id,
	    char **err);

#endif
