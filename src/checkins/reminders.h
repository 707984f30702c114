/*
 * reminders.h: when a member's check-in reminders are due.
 *
 * Pure (the zone rules come from meetings/tz.h, read-only).  A member
 * chooses up to four times of day in their own time zone, and quiet hours
 * during which Circles sends nothing: a chosen time inside quiet hours is
 * skipped, and other messages (a partner's nudge) wait until quiet hours
 * end.  Quiet hours may run over midnight (22:00 to 07:00).  Times are
 * minutes after local midnight.
 */
#ifndef CIRCLES_CHECKINS_REMINDERS_H
#define CIRCLES_CHECKINS_REMINDERS_H

#include <stdbool.h>
#include <stdint.h>

#include "meetings/tz.h"

#define REMINDER_TIMES_MAX	4

struct reminder_plan {
	int	 times[REMINDER_TIMES_MAX];	/* ascending, unique */
	int	 ntimes;
	int	 quiet_start;			/* -1: no quiet hours */
	int	 quiet_end;
};

/** "HH:MM" or "H:MM" (00:00 to 23:59) to minutes; false otherwise. */
bool	reminders_parse_time(const char *s, int *minutes);
/** Minutes as "HH:MM" into out[6]. */
void	reminders_format_time(int minutes, char out[6]);
/**
 * Add a time to the plan (kept sorted, duplicates dropped).  false if the
 * plan is full.
 */
bool	reminders_add_time(struct reminder_plan *p, int minutes);
/** "08:00,20:30" into the plan's times; false on a bad entry or more than the maximum. */
bool	reminders_parse_list(const char *s, struct reminder_plan *p);
/** The plan's times as "08:00,20:30" into out (at least 24 bytes). */
void	reminders_format_list(const struct reminder_plan *p, char *out, size_t size);
/** Is local minute m inside the quiet hours? (start == end means none.) */
bool	reminders_in_quiet(const struct reminder_plan *p, int m);
/**
 * The first reminder instant strictly after after (UTC seconds), in zone
 * tz; -1 when no time can ever be sent (none chosen, or all in quiet
 * hours).
 */
int64_t	reminders_next(const struct reminder_plan *p, const struct tz *tz, int64_t after);
/**
 * When a message meant for instant t may go out: t itself, or the end of
 * the quiet hours t falls into.
 */
int64_t	reminders_after_quiet(const struct reminder_plan *p, const struct tz *tz, int64_t t);

#endif
