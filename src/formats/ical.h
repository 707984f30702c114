/*
 * ical.h: iCalendar (RFC 5545) for meetings.
 *
 * One VEVENT per meeting with its recurrence: weekly meetings as
 * FREQ=WEEKLY;BYDAY=..., monthly ones as FREQ=MONTHLY;BYDAY=1SA,3SA (or
 * -1FR), single dates without a rule.  Times are the meeting's wall clock
 * with TZID, and each zone used gets a VTIMEZONE written from the zone's
 * current rule, so calendars keep 19:00 at 19:00 across daylight-saving
 * changes.  A cancelled session is an EXDATE; a moved one is a second
 * VEVENT with the same UID and a RECURRENCE-ID.  UIDs are built from the
 * slug, so they stay the same from one download to the next.  Lines are
 * folded at 75 octets (never inside a UTF-8 character) and text is
 * escaped.  Pure: the caller passes the instants it needs.
 */
#ifndef CIRCLES_FORMATS_ICAL_H
#define CIRCLES_FORMATS_ICAL_H

#include <stddef.h>
#include <stdint.h>

#include "base/str.h"
#include "meetings/meeting.h"

struct ical_event_opts {
	const char	*uid_domain;	/* "example.org": UIDs are "meeting-<slug>@<domain>" */
	const char	*url;		/* the meeting's page, or NULL */
	int64_t		 dtstamp;	/* UTC seconds for DTSTAMP */
};

/** BEGIN:VCALENDAR and its header lines; name is X-WR-CALNAME. */
void	ical_begin(struct buf *b, const char *name);
/** END:VCALENDAR. */
void	ical_end(struct buf *b);
/** A VTIMEZONE for the zone (its current rule). */
void	ical_timezone(struct buf *b, const struct tz *tz);
/**
 * The meeting's VEVENT(s), with its exceptions (sessions keyed by their
 * regular local date).  Nothing for meetings by appointment.
 */
void	ical_meeting(struct buf *b, const struct meeting *m, const struct sched_exception *ex,
	    size_t nex, const struct ical_event_opts *opt);

/** Append one content line "name:value" folded at 75 octets, with CRLF. */
void	ical_line(struct buf *b, const char *name, const char *value);
/** Append s escaped as iCalendar TEXT (\\ ; , and newlines). */
void	ical_escape(struct buf *b, const char *s);

#endif
