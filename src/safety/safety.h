/*
 * safety.h: what the rest of Circles calls in the safety area.
 *
 * - safety_init() registers the area's job handlers (escalating help-now
 *   alerts, evaluating early warnings); call it once at start-up, before
 *   the job worker starts, like checkins_init().
 * - safety_note_checkin() runs the early-warning rules for a member as a
 *   check-in arrives (the hourly job covers everyone else).
 * - safety_help_now() is "I need help now" from anywhere: the web button,
 *   the API, or the "sos" / "auxilio" text message.
 * - safety_crisis_text() is called with free text a member wrote (a
 *   check-in note, later posts and messages): when it speaks of
 *   self-harm, suicide or overdose risk, the on-call supporter is alerted
 *   and the caller should show the writer help at once (/help-now).
 *
 * Nothing here logs or stores the text itself: a flag records the
 * categories and where the text is (source, source_id), never the words.
 */
#ifndef CIRCLES_SAFETY_SAFETY_H
#define CIRCLES_SAFETY_SAFETY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/config.h"
#include "db/db.h"

/** Register the safety job handlers.  Safe to call more than once. */
void	safety_init(void);

/**
 * Raise an "I need help now" alert for member_id (via "web", "api", "sms"):
 * the member's accountability partners and the person on call are told at
 * once (in the app, by email and by text message), and the alert
 * escalates along the on-call rota and then to the coordinators while
 * nobody acknowledges it.  A member with an alert still open gets that
 * one back.  Returns the alert id, or -1 on error.
 */
int64_t	safety_help_now(struct db *db, const struct config *cfg, int64_t member_id,
	    const char *via, int64_t now);

/**
 * A member just checked in (or their data changed): run the early-warning
 * rules for them now, raising outreach items for the supporters they
 * allowed, and make sure the hourly pass over the network is queued.
 */
void	safety_note_checkin(struct db *db, const struct config *cfg, int64_t member_id,
	    int64_t now);

/**
 * Scan text a member wrote (source "checkin_note", source_id its row).  On
 * crisis language: records a flag, alerts the person on call (not the
 * member's partners: the member did not ask), and returns the alert id
 * (> 0); the caller then shows the writer help (/help-now).  0 when the
 * text is not flagged, -1 on error.
 */
int64_t	safety_crisis_text(struct db *db, const struct config *cfg, int64_t member_id,
	    const char *source, int64_t source_id, const char *text, size_t len, int64_t now);

struct user;
/**
 * The member's safety data for the privacy export (a section of
 * privacy/export.c): {crisis_plan, help_alerts [with their timelines],
 * reach_outs}.  The outreach queue's items and crisis-language flags are
 * left out: members never see a risk label about themselves.  NULL on a
 * database error.
 */
json_t	*safety_export(struct db *db, const struct user *u, int64_t now);

#endif
