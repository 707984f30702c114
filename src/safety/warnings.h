/*
 * warnings.h: early warnings, the rules that notice someone slipping
 * away, against the member's own rhythm and baseline.
 *
 * Pure and allocation-free: a small state per member (struct warn_state,
 * about a hundred bytes) is fed events in time order (check-ins, meetings
 * attended or missed) and evaluated at a time.  Feeding is incremental, so
 * the same code serves "as data arrives" (feed one event, evaluate one
 * member) and "one pass for a whole network" (warn_member over each
 * member's events): both give the same findings.
 *
 * The rules (thresholds in struct warn_params, set per network):
 *
 *	checkins_stopped   no check-in for longer than gap_factor times the
 *			   member's usual gap (the median of their last eight),
 *			   and at least gap_min_days; needs min_checkins first
 *	meetings_missed	   missed_meetings usual meetings missed in a row
 *	craving_rising	   the mean of the last three cravings at least
 *			   craving_delta above the member's baseline (and 3+)
 *	mood_falling	   the mean of the last three moods at least
 *			   mood_delta below the member's baseline (and 3 or less)
 *	use_reported	   a check-in saying "used" within use_days
 *
 * The baseline is the member's own: a running mean of their values older
 * than the last three (exponentially weighted after eight), so a person
 * whose cravings are usually 6 is not flagged at 6.  Trends are not raised
 * from data older than stale_days.
 *
 * Each finding names an episode (a time that identifies it: the last
 * check-in before a silence, the first meeting of a missed run, the
 * check-in where a trend began, the use reported), so the queue raises an
 * item once per episode, never twice for the same cause.
 */
#ifndef CIRCLES_SAFETY_WARNINGS_H
#define CIRCLES_SAFETY_WARNINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum warn_cause {
	WARN_CHECKINS_STOPPED,
	WARN_MEETINGS_MISSED,
	WARN_CRAVING_RISING,
	WARN_MOOD_FALLING,
	WARN_USE_REPORTED,
	WARN_ALERT_UNANSWERED,	/* raised by the alerts, not by these rules */
	WARN_CAUSES
};

struct warn_params {
	int	gap_factor_pct;		/* 200: twice the usual gap */
	int	gap_min_days;		/* 3 */
	int	min_checkins;		/* 5 */
	int	missed_meetings;	/* 2 */
	int	craving_delta_tenths;	/* 20: 2.0 points above the baseline */
	int	mood_delta_tenths;	/* 10: 1.0 point below */
	int	baseline_min;		/* 5 values before a baseline counts */
	int	use_days;		/* 7 */
	int	stale_days;		/* 14 */
};

#define WARN_GAPS	8
#define WARN_RECENT	3

struct warn_series {
	int16_t		 recent[WARN_RECENT];	/* the last values, oldest first */
	uint8_t		 nrecent;
	uint16_t	 nbase;			/* values in the baseline */
	int32_t		 base_x100;		/* baseline mean x 100 */
	int64_t		 since;			/* when the current trend began, 0 if none */
};

struct warn_state {
	int64_t		 last_checkin;		/* 0: none yet */
	int64_t		 first_checkin;
	uint32_t	 ncheckins;
	int32_t		 gaps[WARN_GAPS];	/* seconds between check-ins, a ring */
	uint8_t		 ngaps, gap_next;
	struct warn_series mood, craving;
	int64_t		 last_use;
	uint16_t	 missed_run;
	int64_t		 missed_since;
};

enum warn_event_kind { WARN_EV_CHECKIN, WARN_EV_ATTENDED, WARN_EV_MISSED };

struct warn_event {
	int64_t		 at;
	uint8_t		 kind;		/* enum warn_event_kind */
	int8_t		 mood;		/* 1..5, 0 when not given */
	int8_t		 craving;	/* 0..10, -1 when not given */
	bool		 used;		/* the check-in says "used" */
};

struct warn_finding {
	uint8_t		 cause;		/* enum warn_cause */
	int64_t		 episode;
	int32_t		 value;		/* days silent, meetings missed, recent mean x10 */
	int32_t		 usual;		/* usual gap in days, baseline mean x10 */
};

/** The defaults above. */
void	warn_params_default(struct warn_params *p);
/** Check thresholds; NULL when sound, else the name of the first bad one. */
const char *warn_params_check(const struct warn_params *p);

/** A fresh state (no history). */
void	warn_state_init(struct warn_state *s);
/** Feed one event; events must come in time order. */
void	warn_feed(const struct warn_params *p, struct warn_state *s, const struct warn_event *ev);
/** The findings at now into out[WARN_CAUSES]; returns how many. */
int	warn_evaluate(const struct warn_params *p, const struct warn_state *s, int64_t now,
	    struct warn_finding *out);
/** One member in one pass: feed events[0..n) (time order) and evaluate at now. */
int	warn_member(const struct warn_params *p, const struct warn_event *events, size_t n,
	    int64_t now, struct warn_finding *out);

/** "checkins_stopped", ... "alert_unanswered"; NULL if unknown. */
const char *warn_cause_token(enum warn_cause c);
/** The cause of a token, or -1. */
int	warn_cause_from_token(const char *s);

#endif
