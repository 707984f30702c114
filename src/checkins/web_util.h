/*
 * web_util.h: small helpers the accountability pages share (internal to
 * src/checkins).
 *
 * Dates are shown in the member's language from this area's catalog
 * (checkins.date.*) and in the member's time zone (UTC until they choose
 * one on the reminders page); days, weeks and "today" follow that zone.
 * ck_today() is the one place that decides "today".
 */
#ifndef CIRCLES_CHECKINS_WEB_UTIL_H
#define CIRCLES_CHECKINS_WEB_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "app/ctx.h"

/** Offset of the signed-in member's time zone from UTC at c->now, in seconds. */
int64_t	 ck_offset(struct ctx *c);
/** Today's day number in the member's time. */
int64_t	 ck_today(struct ctx *c);
/** "3 March 2026" for a day number. */
const char *ck_date(struct ctx *c, int64_t day);
/** "3 Mar" for a day number (chart labels). */
const char *ck_date_short(struct ctx *c, int64_t day);
/** "3 March 2026, 14:05" for a Unix time, in the member's time. */
const char *ck_datetime(struct ctx *c, int64_t t);
/** "2026-03-03T14:05:00Z" for <time datetime>. */
const char *ck_iso(struct ctx *c, int64_t t);
/**
 * A query parameter as an integer in [min, max]: 1 with *out set, 0 when
 * absent (*out = def), -1 when present but not such a number.
 */
int	 ck_query_int(struct ctx *c, const char *name, int64_t def, int64_t min, int64_t max,
	    int64_t *out);
/** A milestone in words: "1 day", "30 days", "1 year", "2 years". */
const char *ck_milestone_label(struct ctx *c, int64_t days, int years);
/** {"<field>": message} for a form page's errors. */
json_t	*ck_field_error(struct ctx *c, const char *field, const char *msg_key);
/** The catalog key of a field's error message: "checkins.errors.<field>". */
const char *ck_error_key(struct ctx *c, const char *field);

#endif
