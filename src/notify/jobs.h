/*
 * jobs.h: the job queue kept in the database.
 *
 * Work that leaves Circles (email now; SMS and reminders later) is queued
 * as a job row and done by a worker thread in each server.  A job is
 * claimed with a conditional UPDATE so two servers sharing PostgreSQL never
 * run the same job at once.  Failures retry with exponential backoff
 * (30 s, 1 min, 2 min ... capped at 6 h) up to max_attempts, then the job
 * is marked failed.  A dedupe key makes enqueueing idempotent: the same key
 * is never queued twice, so a retried request or a restart does not send
 * twice.  Payloads are encrypted at rest (they hold addresses and links).
 * Time comes from clock_now(), so tests drive retries by moving the clock.
 */
#ifndef CIRCLES_NOTIFY_JOBS_H
#define CIRCLES_NOTIFY_JOBS_H

#include <stdint.h>

#include <jansson.h>

#include "base/config.h"
#include "db/db.h"

/**
 * Queue a job of kind with a JSON payload (not consumed) to run at run_at.
 * dedupe_key may be NULL.  Returns the job id, 0 if the dedupe key exists
 * already, -1 on error.
 */
int64_t	jobs_enqueue(struct db *db, const char *kind, json_t *payload, const char *dedupe_key,
	    int64_t run_at, int64_t now);
/** Queue an email (kind "email"); recipient_user_id 0 if not a member. */
int64_t	jobs_enqueue_email(struct db *db, const char *to, const char *subject, const char *text,
	    const char *dedupe_key, int64_t recipient_user_id, int64_t now);

/** A job handler: 0 done, -1 retry later, -2 give up now. *err: short reason, no content. */
typedef int (*job_fn)(struct db *db, const struct config *cfg, json_t *payload,
	    int64_t job_id, char **err);
/** Register a handler for kind (before the worker starts). */
void	jobs_register(const char *kind, job_fn fn);

/** Run up to max due jobs now on db; returns how many ran (done or failed). */
int	jobs_run_due(struct db *db, const struct config *cfg, int max);

struct jobs_worker;
/** Start the worker thread (its own connection). NULL if it cannot start. */
struct jobs_worker *jobs_worker_start(const struct config *cfg);
/** Wake the worker now (after an enqueue in this process). */
void	jobs_worker_wake(void);
void	jobs_worker_stop(struct jobs_worker *w);

#endif
