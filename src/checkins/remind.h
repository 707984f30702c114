/*
 * remind.h: a member's time zone and check-in reminders, in the database
 * and in the job queue.
 *
 * Reminders run as a chain of "reminder" jobs: saving the settings bumps
 * their version and queues the next reminder; each reminder job, when it
 * runs, sends (by text, by email or both) unless the member has checked
 * in since the previous reminder, then queues the one after.  A job whose
 * version no longer matches the settings does nothing, so changing or
 * turning off reminders takes effect at once without hunting down queued
 * jobs.  A reminder found more than two hours late (the servers were
 * down) is not sent: the chain just moves on to the next time.
 */
#ifndef CIRCLES_CHECKINS_REMIND_H
#define CIRCLES_CHECKINS_REMIND_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "base/config.h"
#include "checkins/reminders.h"
#include "db/db.h"

#define REMIND_LATE_MAX		7200	/* seconds late a reminder may still go out */

struct checkin_settings {
	char			 time_zone[TZ_NAME_MAX + 1];	/* canonical IANA name */
	struct reminder_plan	 plan;
	bool			 by_sms;
	bool			 by_email;
	int64_t			 version;
};

/** Load (defaults when the member never saved any: UTC, no reminders). 0 or -1. */
int	settings_load(struct db *db, int64_t user_id, struct checkin_settings *s);
/**
 * Save, bump the version (written back into s) and queue the next
 * reminder.  0 or -1.
 */
int	settings_save(struct db *db, int64_t user_id, struct checkin_settings *s, int64_t now);
/** The zone of the settings (UTC if it cannot be loaded); never NULL unless tzdata is missing. */
const struct tz *settings_tz(const struct checkin_settings *s);
/** UTC offset of user_id's zone at now, in seconds (0 when unknown). */
int64_t	settings_offset(struct db *db, int64_t user_id, int64_t now);
/** A counter bumped by every settings_save in this process (for caches). */
uint64_t settings_generation(void);
/** When the next reminder would go out, or -1. */
int64_t	settings_next_reminder(const struct checkin_settings *s, int64_t now);

/** The "reminder" job. */
int	remind_job(struct db *db, const struct config *cfg, json_t *payload, int64_t job_id,
	    char **err);

#endif
