/*
 * checkin.h: what a check-in is, and the checks on its values.
 *
 * Pure: no I/O, no database.  A check-in is a handful of small numbers a
 * member may give or skip (every field is optional, an empty check-in is
 * still a sign of showing up), and a note that is stored encrypted
 * elsewhere (store.c).  The same checks serve the web form, the JSON API
 * and text messages, so all three refuse the same values with the same
 * field name.
 */
#ifndef CIRCLES_CHECKINS_CHECKIN_H
#define CIRCLES_CHECKINS_CHECKIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "http/params.h"

/** A skipped number. */
#define CHECKIN_SKIPPED		(-1)
/** Longest note, in bytes of UTF-8. */
#define CHECKIN_NOTE_MAX	2000

#define CHECKIN_MOOD_MIN	1
#define CHECKIN_MOOD_MAX	5
#define CHECKIN_SCALE_MAX	10	/* craving and stress: 0..10 */
#define CHECKIN_SLEEP_MAX_HALVES 48	/* 24 hours, in half hours */

enum checkin_used {
	CHECKIN_USED_UNSET = 0,
	CHECKIN_USED_YES,
	CHECKIN_USED_NO,
	CHECKIN_USED_PREFER_NOT,
};

struct checkin {
	int64_t			 id;
	int64_t			 user_id;
	int64_t			 created_at;
	int			 mood;		/* 1..5 or CHECKIN_SKIPPED */
	int			 craving;	/* 0..10 or CHECKIN_SKIPPED */
	int			 stress;	/* 0..10 or CHECKIN_SKIPPED */
	int			 sleep_halves;	/* 0..48 half hours, or CHECKIN_SKIPPED */
	enum checkin_used	 used;
	const char		*note;		/* NULL or "" when none */
	const char		*source;	/* "web", "api" or "sms" */
};

/** A check-in with every field skipped. */
void	checkin_init(struct checkin *ci);

/** "yes", "no", "prefer_not", or NULL for unset. */
const char *checkin_used_token(enum checkin_used u);
/** The value of a token; false if it is not one of the three. */
bool	checkin_used_from_token(const char *s, enum checkin_used *out);

bool	checkin_mood_valid(int64_t v);
/** Craving and stress share the 0..10 scale. */
bool	checkin_scale_valid(int64_t v);
/**
 * Hours of sleep as a number of half hours: 0 to 24 in steps of 0.5.
 * Anything else (7.25, -1, 25, NaN) is false.
 */
bool	checkin_sleep_from_hours(double hours, int *halves);
/**
 * Hours of sleep typed as text: "7", "7.5", "7,5", " 8 ".  false for
 * anything else.
 */
bool	checkin_sleep_from_text(const char *s, int *halves);
/** A note: valid UTF-8, at most CHECKIN_NOTE_MAX bytes, no control characters but tab and newlines. */
bool	checkin_note_valid(const char *s, size_t len);

/**
 * Read a check-in from a JSON object (the API body): mood, craving,
 * stress (integers), sleep_hours (a number), used ("yes", "no",
 * "prefer_not"), note (a string); each may be absent or null.  Returns
 * NULL and fills *ci, or the name of the first invalid or unknown member.
 * The note points into obj.
 */
const char *checkin_from_json(json_t *obj, struct checkin *ci);

/**
 * Read a check-in from a submitted form: the same names, as text; an
 * empty value is a skipped field; used may also be "" (skipped).  Fields
 * other than these are ignored (csrf_token...).  Returns NULL or the name
 * of the first invalid field.  The note points into the form.
 */
const char *checkin_from_form(const struct params *form, struct checkin *ci);

/** Hours of sleep as a JSON number (7.5), or null when skipped. */
json_t	*checkin_sleep_json(int halves);

#endif
