/*
 * meetingguide.h: the Meeting Guide JSON feed and the 12 Step Meeting List
 * CSV template, read and written.
 *
 * Reading is tolerant the way real feeds need (see the issue and
 * meetingguide.c): day arrays, numbers sent as strings, "approximate" as a
 * string or a boolean, HTML in notes made plain text, time-zone aliases,
 * online links found in notes, TC and ONL read as the 12 Step Meeting
 * List reads them.  What cannot be read is rejected one meeting at a
 * time, with a reason, and the rest of the feed still counts.  Pure: no
 * database, no network, no clock (the caller passes what it needs), so
 * the fuzzer links it alone.
 *
 * Writing gives one meeting object in the feed's shape (mg_write_meeting);
 * the finder concatenates them into the array it serves.
 */
#ifndef CIRCLES_FORMATS_MEETINGGUIDE_H
#define CIRCLES_FORMATS_MEETINGGUIDE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "base/arena.h"
#include "base/str.h"
#include "meetings/meeting.h"

#define MG_MAX_MEETINGS		50000
#define MG_MAX_BYTES		(16 * 1024 * 1024)

struct mg_rejection {
	size_t		 index;		/* 1-based position in the feed (CSV: data row) */
	const char	*slug;		/* as given, or NULL */
	const char	*name;		/* as given, or NULL */
	const char	*reason;	/* token: "day_out_of_range", "slug_duplicate" ... */
	const char	*field;		/* the field at fault, or NULL */
};

struct mg_unknown_type {
	const char	*code;
	size_t		 count;
};

struct mg_feed {
	struct meeting		*meetings;	/* the ones that could be read */
	size_t			 n;
	struct mg_rejection	*rejected;
	size_t			 nrejected;
	struct mg_unknown_type	*unknown;	/* well-formed codes not in types.json (kept) */
	size_t			 nunknown;
	size_t			 total;		/* entries seen */
	size_t			 links_from_notes;	/* conference links found in notes */
	size_t			 html_cleaned;	/* meetings whose text held HTML */
	const char		*error;		/* whole-feed failure token, or NULL */
};

struct mg_options {
	const char	*default_timezone;	/* for meetings without one (NULL: the feed's most common) */
	int64_t		 now;			/* "updated" for meetings that do not say */
};

/** English text of a rejection or feed error token, for the command line. */
const char *mg_reason_text(const char *token);

/**
 * Read a Meeting Guide JSON feed (a plain array, or an object holding a
 * "meetings" array).  Returns 0 when the feed could be read (even if every
 * meeting in it was rejected), -1 with feed->error set when it could not
 * ("not_json", "not_an_array", "too_large", "too_many").  Everything lives
 * in arena a.
 */
int	mg_parse_json(struct arena *a, const char *data, size_t len,
	    const struct mg_options *opt, struct mg_feed *feed);
/** Read the 12 Step Meeting List CSV template (header row, any column order). */
int	mg_parse_csv(struct arena *a, const char *data, size_t len,
	    const struct mg_options *opt, struct mg_feed *feed);
/** JSON if the first non-blank byte is '[' or '{', else CSV. */
int	mg_parse_any(struct arena *a, const char *data, size_t len,
	    const struct mg_options *opt, struct mg_feed *feed);

/**
 * Read one meeting object (the feed shape plus Circles' own fields:
 * "schedule", "weeks", "date", "languages", "accessibility",
 * "transit_notes", "temporarily_closed").  On failure returns false and
 * sets *reason (and *field).  No slug check across meetings; a missing
 * slug is made from the name when make_slug is true.
 */
bool	mg_parse_meeting(struct arena *a, json_t *obj, const struct mg_options *opt,
	    bool make_slug, struct meeting *m, const char **reason, const char **field,
	    size_t *html, bool *link_from_notes);

/** Append one meeting as a Meeting Guide object (no trailing comma). */
void	mg_write_meeting(struct buf *b, const struct meeting *m);
/** True if the meeting belongs in a Meeting Guide feed (weekly or by appointment, active). */
bool	mg_exportable(const struct meeting *m);

/**
 * Parse a 12-hour or 24-hour clock time ("19:30", "7:30 PM", "7:30pm",
 * "12:00 AM", "19:30:00") into minutes after midnight; -1 if malformed.
 */
int	mg_parse_time(const char *s);
/** Weekday from 0-6, "3", or an English or Spanish day name; -1 if unknown, -2 if a number out of range. */
int	mg_parse_day(const char *s);

#endif
