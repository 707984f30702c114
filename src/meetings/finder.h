/*
 * finder.h: the meeting finder's filters, as pure logic.
 *
 * A query (day, time of day, types, attendance, language, region or city,
 * distance from a point, text, happening now or starting soon) is parsed
 * from the request's query string with limits, and each meeting is
 * matched against it.  Filters combine: a meeting must pass every one
 * given.  The matching works on a precomputed finder_item (folded search
 * text, weekdays, coordinates as doubles), so a request over thousands of
 * meetings does no allocation and no database work.
 */
#ifndef CIRCLES_MEETINGS_FINDER_H
#define CIRCLES_MEETINGS_FINDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "http/params.h"
#include "meetings/meeting.h"

enum finder_time {
	FINDER_TIME_ANY = 0,
	FINDER_MORNING,		/* 04:00-11:59, by start time */
	FINDER_AFTERNOON,	/* 12:00-16:59 */
	FINDER_EVENING,		/* 17:00-20:59 */
	FINDER_NIGHT,		/* 21:00-03:59 */
};

enum finder_when {
	FINDER_WHEN_ANY = 0,
	FINDER_NOW,		/* a session in progress */
	FINDER_SOON,		/* a session starting within FINDER_SOON_SECONDS */
};

#define FINDER_SOON_SECONDS	3600
#define FINDER_MAX_TYPES	10
#define FINDER_Q_MAX		100
#define FINDER_RADIUS_DEFAULT	25.0
#define FINDER_RADIUS_MAX	500.0

struct finder_query {
	unsigned	 days;		/* weekday bits; 0: any day */
	enum finder_time time;
	const char	*types[FINDER_MAX_TYPES];
	size_t		 ntypes;
	enum meeting_attendance attendance;	/* 0: any */
	const char	*lang;		/* ISO 639-1 */
	const char	*region;	/* folded */
	bool		 near;
	double		 lat, lon, radius_km;
	const char	*words[8];	/* q, folded, split on spaces */
	size_t		 nwords;
	enum finder_when when;
	char		 canonical[512];	/* a stable text of the query (cache keys) */
	bool		 any;		/* at least one filter given */
	/* as given, for re-filling the page's form */
	const char	*raw_q, *raw_region, *raw_near, *raw_radius;
};

/* A meeting prepared for matching. */
struct finder_item {
	const struct meeting		*m;
	const struct tz			*tz;
	const struct sched_exception	*ex;
	size_t				 nex;
	unsigned			 weekdays;
	const char			*hay;		/* folded text for q */
	const char			*region_f;	/* folded region, sub-region, city */
	const char			*sub_region_f;
	const char			*city_f;
	double				 lat, lon;
	bool				 listed;	/* not temporarily closed */
	bool				 in_feed;	/* belongs in the Meeting Guide feed */
};

/**
 * Parse the finder's query parameters.  On a bad value returns false with
 * *bad_field naming the parameter ("day", "time", "types", "attendance",
 * "lang", "region", "near", "radius_km", "q", "when").  Strings are copied
 * into a.
 */
bool	finder_parse(struct arena *a, const struct params *p, struct finder_query *q,
	    const char **bad_field);

/** Fill an item from a meeting (strings in a). */
void	finder_item_init(struct arena *a, struct finder_item *it, const struct meeting *m,
	    const struct sched_exception *ex, size_t nex);

/** True if the item passes every filter of q at instant now (UTC). */
bool	finder_match(const struct finder_item *it, const struct finder_query *q, int64_t now);

/** The band of a start time (minutes after midnight); FINDER_TIME_ANY for -1. */
enum finder_time finder_time_band(int start_min);

/** Great-circle distance in kilometres. */
double	finder_distance_km(double lat1, double lon1, double lat2, double lon2);

/** Order for listings: weekday, start time, name, slug. */
int	finder_item_cmp(const void *a, const void *b);

#endif
