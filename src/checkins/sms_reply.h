/*
 * sms_reply.h: the longer answers to a text message: the next meetings
 * that fit the member, and the member's own crisis plan.
 *
 * Both are built for cheap phones: each message at most
 * SMS_REPLY_SEGMENTS segments (sms_text.h), in the language the member
 * wrote in (or their account's), ending with where to see more on the web.
 * sms.c calls them only for a verified number's own account.
 */
#ifndef CIRCLES_CHECKINS_SMS_REPLY_H
#define CIRCLES_CHECKINS_SMS_REPLY_H

#include "app/ctx.h"
#include "checkins/sms_command.h"

#define SMS_MEETINGS_MAX	3	/* meetings in one reply */
#define SMS_PLAN_MESSAGES_MAX	6	/* messages in the plan's reply */

/**
 * The next (at most SMS_MEETINGS_MAX) meetings for u: meetings of the
 * circles u belongs to first, then those the finder finds for u's
 * language and saved preferences (meeting_prefs.h), each with its day and
 * start in the meeting's own time zone and "online" or a short address.
 * when narrows to today or tonight.  One message (arena); NULL on error.
 */
const char *sms_meetings_reply(struct ctx *c, const struct user *u, const char *lang,
	    enum sms_when when);

/**
 * u's crisis plan as a few messages (NULL-terminated, arena): the
 * network's crisis lines first, then the plan's sections packed in order,
 * each message numbered "1/3".  A member without a plan is told where to
 * write one.  The sending is recorded in the audit log (action "read",
 * object "crisis_plan:<id>:sms"), so the member's "who saw my data" shows
 * it.  NULL on error (nothing is sent then).
 *
 * head, when not NULL, is the answer to SOS: it opens the first message
 * instead of the plan's own heading, and a member without a plan gets
 * head alone.
 */
const char **sms_plan_reply(struct ctx *c, const struct user *u, const char *lang,
	    const char *head);

/**
 * The network's crisis lines (safety_contacts) as text, "988 Suicide &
 * Crisis Lifeline: call 988 or text 988; ...", read once; *first (when
 * first is not NULL and *first is NULL) gets the first of them alone, and
 * *emergency (when not NULL) the emergency number from the same read.
 */
const char *sms_crisis_lines(struct ctx *c, const char *lang, const char **first,
	    const char **emergency);

#endif
