/*
 * schedule.h: when a meeting meets, as pure logic.
 *
 * A schedule is weekly (one or several weekdays), monthly by rule ("first
 * and third Saturday", "last Friday"), a single date, or by appointment
 * (no time).  Times are wall-clock minutes in the meeting's own zone; an
 * end time at or before the start means the meeting ends after midnight.
 * Single sessions can be cancelled or moved (exceptions, keyed by the
 * local date the session would have had).
 *
 * schedule_next() lists upcoming sessions as UTC instants, computed in the
 * meeting's zone, so "Tuesday 19:00" stays 19:00 on both sides of a
 * daylight-saving change.  No I/O, no clock: the caller passes "now".
 */
#ifndef CIRCLES_MEETINGS_SCHEDULE_H
#define CIRCLES_MEETINGS_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "meetings/tz.h"

enum sched_kind {
	SCHED_WEEKLY = 1,
	SCHED_MONTHLY,
	SCHED_ONCE,
	SCHED_APPOINTMENT,
};

/* Monthly rules: bit n-1 for the nth weekday of the month (1..5), and LAST. */
#define SCHED_WEEK_LAST		(1u << 5)
#define SCHED_WEEKS_ALL		0x3fu
/** Minutes a session lasts when no end time is given (Meeting Guide's default). */
#define SCHED_DEFAULT_MINUTES	60

struct schedule {
	enum sched_kind	 kind;
	unsigned	 days;		/* weekly: bit d for weekday d (0 Sunday); monthly: one bit */
	unsigned	 weeks;		/* monthly: SCHED_WEEK_* bits */
	int		 once_y, once_m, once_d;	/* SCHED_ONCE */
	int		 start_min;	/* minutes after local midnight; -1 by appointment */
	int		 end_min;	/* -1: none (SCHED_DEFAULT_MINUTES) */
};

struct sched_exception {
	int		 y, m, d;	/* local date the session would have had */
	bool		 cancelled;	/* else moved: */
	int		 new_y, new_m, new_d;
	int		 new_start_min, new_end_min;	/* -1: keep the usual times */
};

struct occurrence {
	int64_t		 start, end;	/* UTC instants */
	int		 y, m, d;	/* local date of the session (after a move) */
	int		 start_min, end_min;	/* local wall clock; end_min may be < start_min */
	int		 orig_y, orig_m, orig_d;	/* the regular date */
	bool		 moved;
	bool		 cancelled;	/* only with SCHED_INCLUDE_CANCELLED */
};

#define SCHED_INCLUDE_CANCELLED	1u

/**
 * Up to max sessions that have not ended at instant from (those in
 * progress included), earliest first, within about 13 months (a single
 * date: whenever it is).  Cancelled sessions are skipped unless flags has
 * SCHED_INCLUDE_CANCELLED; moved ones appear at their new time.  Returns
 * the number written to out.
 */
size_t	schedule_next(const struct schedule *s, const struct tz *tz,
	    const struct sched_exception *ex, size_t nex, int64_t from, size_t max,
	    unsigned flags, struct occurrence *out);

/** True if the regular rule has a session on local date y-m-d. */
bool	schedule_on_date(const struct schedule *s, int y, int m, int d);
/** Session length in minutes (end after midnight handled; default 60). */
int	schedule_duration(const struct schedule *s);
/** Weekdays the schedule can fall on, as a bit mask (0 for appointments). */
unsigned schedule_weekdays(const struct schedule *s);
/** Check a schedule's fields; NULL if fine, else a short reason token. */
const char *schedule_check(const struct schedule *s);

/** "HH:MM" (24 h, also "H:MM", "HH:MM:SS") to minutes; -1 if malformed. */
int	schedule_parse_hhmm(const char *s);
/** "YYYY-MM-DD" to its parts; false if malformed or not a real date. */
bool	schedule_parse_date(const char *s, int *y, int *m, int *d);
/** Minutes to "HH:MM" into out[6]. */
void	schedule_format_hhmm(int min, char out[6]);

#endif
