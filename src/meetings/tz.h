/*
 * tz.h: IANA time zones from the system's compiled zoneinfo (TZif files).
 *
 * Every meeting keeps its own zone ("America/New_York"), and every time it
 * shows is wall-clock time there.  This module reads the TZif file of a
 * zone once (version 2+ 64-bit transitions, and the POSIX rule in the
 * footer for instants after the last transition), keeps it for the life
 * of the process, and converts between UTC instants and local wall-clock
 * times.  Loaded zones are immutable, so any thread may use them.
 *
 * "Local seconds" below means the wall-clock date and time of a zone
 * counted as if it were UTC: days_from_civil(y, m, d) * 86400 + h * 3600 +
 * min * 60.  It is not an instant; tz_local_to_utc turns it into one.
 *
 * Names are resolved through tzdata.zi's link lines, so legacy aliases
 * such as "US/Eastern" become "America/New_York" (tz_canonical).  No
 * network and no libc TZ environment games: the same answer on every
 * thread.
 */
#ifndef CIRCLES_MEETINGS_TZ_H
#define CIRCLES_MEETINGS_TZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TZ_NAME_MAX	64

struct tz;

/**
 * The zone of that name (exact, after alias resolution), loaded on first
 * use; NULL if the name is malformed or no such zone exists.  The pointer
 * stays valid until tz_cleanup().
 */
const struct tz	*tz_get(const char *name);
/** The zone's canonical name ("America/New_York"). */
const char	*tz_name(const struct tz *tz);
/**
 * The canonical name for a zone name or alias, matched case-insensitively
 * ("us/eastern" gives "America/New_York", "UTC" gives "Etc/UTC" if that is
 * what tzdata calls it); NULL if unknown.  Static storage.
 */
const char	*tz_canonical(const char *name);
/** Number of canonical zone names known (from tzdata.zi; 0 if it is missing). */
size_t		 tz_zone_count(void);
/** The i-th canonical zone name, in byte order ("Africa/Abidjan" ...), or NULL. */
const char	*tz_zone_at(size_t i);
/** UTC offset in seconds (east positive) in force at instant utc. */
int32_t		 tz_offset_at(const struct tz *tz, int64_t utc);
/** Local seconds (see above) of instant utc. */
int64_t		 tz_utc_to_local(const struct tz *tz, int64_t utc);
/**
 * The instant of local seconds.  A wall-clock time repeated when clocks go
 * back gives its first occurrence; one skipped when clocks go forward is
 * read with the offset before the change (02:30 on the spring-forward
 * night in New York is 03:30 EDT).
 */
int64_t		 tz_local_to_utc(const struct tz *tz, int64_t local);
/* The zone's current rule (its TZif footer), for writing VTIMEZONE. */
struct tz_rule_info {
	int32_t	 std_off, dst_off;	/* east positive */
	bool	 has_dst;
	char	 std_name[16], dst_name[16];
	/* with has_dst: the changes as "week w (5 = last) weekday d of month m at time" */
	int	 start_month, start_week, start_wday;
	int32_t	 start_time;		/* seconds, in standard local time */
	int	 end_month, end_week, end_wday;
	int32_t	 end_time;		/* seconds, in daylight local time */
};

/**
 * The rule in force now and for the future.  false if the zone has none
 * or one that a yearly month/week/weekday rule cannot say (rare zones).
 */
bool		 tz_rule_info(const struct tz *tz, struct tz_rule_info *out);
/** Directory the zones are read from (default /usr/share/zoneinfo; tests). */
void		 tz_set_dir(const char *dir);
/** Free every loaded zone (tests, clean exit). */
void		 tz_cleanup(void);

/* ---- calendar arithmetic (proleptic Gregorian, UTC-free) ---- */

/** Days since 1970-01-01 of a civil date. */
int64_t	tz_days_from_civil(int y, int m, int d);
/** Civil date of days since 1970-01-01. */
void	tz_civil_from_days(int64_t days, int *y, int *m, int *d);
/** Weekday (0 Sunday .. 6 Saturday) of days since 1970-01-01. */
int	tz_weekday(int64_t days);
/** Days in month m (1-12) of year y. */
int	tz_days_in_month(int y, int m);
/** Floor division for seconds to days. */
int64_t	tz_floor_div(int64_t a, int64_t b);

#endif
