/*
 * days.h: days in recovery, runs, and milestones, from dates.
 *
 * Pure.  Dates are day numbers (days since 1970-01-01); the caller turns
 * "now" into today's day number in the member's time zone (Circles uses
 * UTC for everyone until members can choose a zone) and passes it in, so
 * the same dates always give the same answer.
 *
 * The counting rule, chosen so that a relapse never erases anything:
 *
 * - A run of days starts on the recovery start date.  A relapse on day R
 *   ends the run (the run counted the days before R) and a new run starts
 *   the day after, R + 1.
 * - A run starting on day s counts completed days: on day s it is 0, on
 *   s + 1 it is 1.  The current run is the last one; on the day of a
 *   relapse and the day after, the current run is 0.
 * - Longest run is the longest of all runs, current included.  Total days
 *   is the sum of all runs: every day without use since the start date.
 *   Neither ever goes down when a relapse is recorded.
 * - Relapses before the start date or after today are ignored (the start
 *   date may have been moved; the events stay as history).  Several
 *   relapses on one day count once.
 *
 * Milestones: 1, 7, 30, 60, 90 and 180 days, one year (365 days), then
 * every anniversary of the run's start (2 years on the same calendar date
 * two years later; 29 February counts from 1 March in other years).
 * Milestones reached in earlier runs stay in the list as history.
 */
#ifndef CIRCLES_CHECKINS_DAYS_H
#define CIRCLES_CHECKINS_DAYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** Day number of a proleptic Gregorian date (month 1..12). */
int64_t	days_from_civil(int64_t y, int m, int d);
/** The date of a day number. */
void	days_to_civil(int64_t day, int64_t *y, int *m, int *d);
/** Strict "YYYY-MM-DD" (a real date, year 1900..9999) to a day number. */
bool	days_parse_date(const char *s, int64_t *day);
/** "YYYY-MM-DD" into out[11]. */
void	days_format_date(int64_t day, char out[11]);
/** The day number of Unix time t shifted by offset_s seconds (floor, also before 1970). */
int64_t	days_of_time(int64_t t, int64_t offset_s);
/** Day of the week, 0 = Monday .. 6 = Sunday. */
int	days_weekday(int64_t day);
/** The same calendar date years later (29 February becomes 1 March). */
int64_t	days_add_years(int64_t day, int years);

struct days_summary {
	int64_t	 current;	/* days in the current run */
	int64_t	 longest;	/* longest run, current included */
	int64_t	 total;		/* all days without use since the start */
	int64_t	 run_start;	/* first day of the current run */
	int64_t	 runs;		/* runs so far (1 + counted relapses) */
	bool	 started;	/* false when the start date is after today */
};

/**
 * Summarise days from the start date, relapse days (any order, duplicates
 * allowed, n may be 0) and today.  Returns 0, or -1 if n is absurdly large.
 */
int	days_summarize(int64_t start, const int64_t *relapses, size_t n, int64_t today,
	    struct days_summary *out);

struct milestone {
	int64_t	 days;		/* length of the run when reached */
	int	 years;		/* 0 for the day milestones, else the anniversary */
	int64_t	 reached_on;	/* day number it was reached */
	int	 run;		/* 0 for the first run, 1 for the next ... */
	bool	 current_run;	/* reached in the run still going */
};

/**
 * Milestones reached in every run up to today, oldest first, at most max
 * of the newest (out may be NULL with max 0 to count).  Returns how many
 * were reached in all, which may exceed max, or -1 like days_summarize.
 */
int64_t	days_milestones(int64_t start, const int64_t *relapses, size_t n, int64_t today,
	    struct milestone *out, size_t max);

/** The next milestone of a run that started on run_start, after today. */
void	days_next_milestone(int64_t run_start, int64_t today, struct milestone *next);

#endif
