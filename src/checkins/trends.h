/*
 * trends.h: check-ins summed up by week, for the history charts.
 *
 * Pure.  Weeks run Monday to Sunday in the member's time (an offset from
 * UTC, 0 until members can choose a zone); the last week is the one that
 * holds today.  A week's value is the mean of the values given that week;
 * a week where a value was never given has none (the chart shows a gap,
 * the table a dash), which is different from a mean of zero.
 */
#ifndef CIRCLES_CHECKINS_TRENDS_H
#define CIRCLES_CHECKINS_TRENDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "checkins/checkin.h"

#define TRENDS_WEEKS_MAX	104

enum trend_measure { TREND_MOOD, TREND_CRAVING, TREND_STRESS, TREND_SLEEP, TREND_COUNT };

struct trend_week {
	int64_t	 first_day;			/* the Monday, as a day number */
	int	 checkins;			/* check-ins that week */
	double	 mean[TREND_COUNT];		/* sleep in hours */
	bool	 has[TREND_COUNT];
};

/** The Monday of the oldest of the weeks shown, so a query can start there. */
int64_t	trends_first_day(int64_t today, int weeks);

/**
 * Fill out[0..weeks) (oldest first) from rows (any order; those outside
 * the weeks are ignored).  weeks is clamped to 1..TRENDS_WEEKS_MAX and
 * returned.
 */
int	trends_weekly(const struct checkin *rows, size_t n, int64_t today, int64_t offset_s,
	    int weeks, struct trend_week *out);

#endif
