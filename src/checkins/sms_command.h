/*
 * sms_command.h: what a text message asks for.
 *
 * Pure and allocation-free, so it can be fuzzed and tested by table.  The
 * parser is forgiving: case, accents, extra spaces and punctuation do not
 * matter, English and Spanish words may be mixed, words it does not know
 * are skipped inside a check-in.  It never guesses a stop: STOP (and its
 * synonyms) must be the whole message, as carriers expect.  A word asking
 * for help now (sos, auxilio, socorro) wins over everything else.
 *
 * Check-ins, for example:
 *	checkin 4 2		mood 4, craving 2 (then stress, then hours of sleep)
 *	check-in 4 2 5 7.5	all four numbers in that order
 *	mood 4 craving 2	named fields, any order
 *	animo 4 antojo 2	the same in Spanish
 *	ánimo 3, estrés 8, dormí 6,5	hours of sleep take a decimal point or comma
 *	used no / uso no / consumí sí / used prefer not
 *	craving 2/10		"/10" is dropped
 *
 * Other commands:
 *	meetings / reuniones		the next meetings that fit the member
 *	meetings tonight / reuniones hoy	only those still ahead today
 *	plan / mi plan / plan de seguridad	the member's own crisis plan
 */
#ifndef CIRCLES_CHECKINS_SMS_COMMAND_H
#define CIRCLES_CHECKINS_SMS_COMMAND_H

#include <stddef.h>

#include "checkins/checkin.h"

/** Longest body looked at (a concatenated SMS is at most 1600 characters). */
#define SMS_BODY_MAX	1600

enum sms_kind {
	SMS_UNKNOWN = 0,	/* not understood: answer with the commands */
	SMS_EMPTY,		/* nothing but spaces */
	SMS_CHECKIN,
	SMS_MEETINGS,
	SMS_HELP,
	SMS_SOS,
	SMS_STOP,
	SMS_START,
	SMS_PLAN,		/* the member's own crisis plan */
};

/* SMS_MEETINGS: which meetings were asked for. */
enum sms_when {
	SMS_WHEN_ANY = 0,	/* the next ones, whenever */
	SMS_WHEN_TODAY,		/* still ahead today ("today", "hoy") */
	SMS_WHEN_TONIGHT,	/* today from 17:00 ("tonight", "esta noche") */
};

enum sms_lang {
	SMS_LANG_NONE = 0,	/* no word told the language apart */
	SMS_LANG_EN,
	SMS_LANG_ES,
};

struct sms_command {
	enum sms_kind		 kind;
	enum sms_lang		 lang;
	/* SMS_MEETINGS: today, tonight, or any time */
	enum sms_when		 when;
	/* SMS_CHECKIN: the values given (CHECKIN_SKIPPED / _UNSET when not) */
	int			 mood;
	int			 craving;
	int			 stress;
	int			 sleep_halves;
	enum checkin_used	 used;
	/* SMS_CHECKIN: the first field with a missing or out-of-range value, or NULL */
	const char		*bad_field;	/* "mood", "craving", "stress", "sleep_hours", "used" */
};

/** Parse body[0..len) (any bytes, not necessarily NUL-terminated). */
void	sms_command_parse(const char *body, size_t len, struct sms_command *out);

/** The kind's name for logs and tests ("checkin", "help"...). */
const char *sms_kind_name(enum sms_kind k);

#endif
