/*
 * warnings_store.c: the outreach queue in the database (see
 * warnings_store.h).
 */
#include "safety/warnings_store.h"

void
warnings_alert_unanswered(struct db *db, int64_t member_id, int64_t alert_id, int64_t now)
{
	(void)db;
	(void)member_id;
	(void)alert_id;
	(void)now;
}

int
warnings_job(struct db *db, const struct config *cfg, json_t *payload, int64_t job_id,
    char **err)
{
	(void)db;
	(void)cfg;
	(void)payload;
	(void)job_id;
	(void)err;
	return 0;
}
