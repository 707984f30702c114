/*
 * alerts.h: help-now alerts, the on-call rota and the network's safety
 * settings in the database (internal to src/safety; the public entry
 * points are in safety.h).
 *
 * An alert moves open -> acknowledged (someone told has seen it) and
 * open/acknowledged -> safe (the member says so).  While it is open, a
 * "safety_escalate" job due after the network's acknowledgement minutes
 * tells the next people (escalate.h).  Each step is a conditional UPDATE
 * on (state, step), so a retried or duplicated job, or two servers, never
 * tell anyone twice; each step is written to help_alert_events with its
 * time, and that is the timeline the member and the people told see.
 *
 * Messages that leave Circles are discreet: they say someone in the
 * member's group needs the reader and link to Circles, never what for.
 */
#ifndef CIRCLES_SAFETY_ALERTS_H
#define CIRCLES_SAFETY_ALERTS_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "base/arena.h"
#include "base/config.h"
#include "db/db.h"

#define SAFETY_ACK_MINUTES_DEFAULT	10
#define SAFETY_ACK_MINUTES_MAX		120
#define SAFETY_LINES_MAX		6
#define SAFETY_LINE_NAME_MAX		100
#define SAFETY_EMERGENCY_DEFAULT	"911"
#define ONCALL_SHIFT_MAX		(14 * 86400)	/* longest shift */
#define ONCALL_LIST_MAX			200

/* ---- settings (the settings table, keys "safety.*") ---- */

/** Minutes to wait for an acknowledgement before the next step. */
int	safety_ack_minutes(struct db *db);
/**
 * The crisis lines configured for the network, as [{name, phone, text}]
 * (text: a number to text, or null).  The default is 988 (the Suicide &
 * Crisis Lifeline, United States), named in lang.  A new reference.
 */
json_t	*safety_crisis_lines(struct db *db, const char *lang);
/** True when the network has its own list (not the default). */
bool	safety_crisis_lines_custom(struct db *db);
/**
 * The number members are told to call when they are in immediate danger
 * (the network's setting; SAFETY_EMERGENCY_DEFAULT, 911, until one is
 * set), copied into a.
 */
const char *safety_emergency_number(struct db *db, struct arena *a);
/**
 * Both of the above from one query (for the footer of every page): the
 * crisis lines as safety_crisis_lines (a new reference), and the emergency
 * number in *emergency, copied into a.  db may be NULL (a page answered
 * before a connection was taken, or without one): the defaults.
 */
json_t	*safety_contacts(struct db *db, const char *lang, struct arena *a,
	    const char **emergency);
/**
 * Check settings from JSON {ack_minutes, crisis_lines, emergency_number};
 * NULL when valid, else the field name ("crisis_lines[1].phone") in a.
 * crisis_lines and emergency_number may be null: back to the default.
 */
const char *safety_settings_check(struct arena *a, json_t *in);
/** Store checked settings (absent members are left as they are). 0 or -1. */
int	safety_settings_save(struct db *db, json_t *in);

/* ---- the on-call rota ---- */

/** On call at now, in rota order (position, start).  Returns how many (<= max), -1 on error. */
int	oncall_now(struct db *db, int64_t now, int64_t *ids, int max);
/** Shifts ending after now, as [{id, user_id, name, starts_at, ends_at, position}]. */
json_t	*oncall_list_json(struct db *db, int64_t now);
/** People who may be on call (peer supporters, facilitators, coordinators): [{id, name}]. */
json_t	*oncall_people_json(struct db *db);
/**
 * Add a shift.  Returns the id, 0 if user_id may not be on call, -1 on
 * error.  (Times and position are checked by the caller.)
 */
int64_t	oncall_add(struct db *db, int64_t user_id, int64_t starts_at, int64_t ends_at,
	    int position, int64_t created_by, int64_t now);
/** Remove a shift: 0, 1 when there is none, -1. */
int	oncall_remove(struct db *db, int64_t id);

/* ---- alerts ---- */

/**
 * Raise an alert (see safety_help_now).  Partners are told only when the
 * member asked (via "web", "api" or "sms"), not for crisis language found
 * in what they wrote.  *created tells a new alert from the open one
 * returned again.  The alert id, or -1.
 */
int64_t	alert_raise(struct db *db, const struct config *cfg, int64_t member_id, const char *via,
	    int64_t now, bool *created);
/** Take step (>= 1) of an alert if it is still open and due; 0 or -1 (retry). */
int	alert_escalate(struct db *db, const struct config *cfg, int64_t alert_id, int step,
	    int64_t now);
/** user_id, who was told, acknowledges.  0 done (or already), 1 not theirs, -1. */
int	alert_ack(struct db *db, const struct config *cfg, int64_t alert_id, int64_t user_id,
	    int64_t now);
/** The member says they are safe now: closes their open alert.  0, 1 none open, -1. */
int	alert_safe(struct db *db, const struct config *cfg, int64_t member_id, int64_t now);
/** The member's most recent alert that is not closed, or 0 (-1 on error). */
int64_t	alert_current(struct db *db, int64_t member_id);
/** The member's most recent alert whatever its state, or 0 (-1 on error). */
int64_t	alert_latest(struct db *db, int64_t member_id);
/** True if user_id was told about alert_id. */
bool	alert_is_recipient(struct db *db, int64_t alert_id, int64_t user_id);
/** The member an alert is about, or 0. */
int64_t	alert_member(struct db *db, int64_t alert_id);
/**
 * An alert as the API shows it: {id, member {id, display_name}, via,
 * state, step, created_at, acknowledged_at, acknowledged_by {id,
 * display_name}, safe_at, recipients [{id, display_name, reason, step,
 * notified_at}], timeline [{at, kind, actor {id, display_name}, detail}]}.
 * NULL if there is none.
 */
json_t	*alert_json(struct db *db, int64_t alert_id);
/** Alerts user_id was told about, newest first: [{id, member, state, created_at, ...}]. */
json_t	*alerts_for_recipient_json(struct db *db, int64_t user_id, int limit);

/**
 * Open alerts (nobody has acknowledged them yet) user_id was told about,
 * newest first, at most max, as [{id, member_name}]: the live notice on
 * every page (web_live.c).  One query, by the index on help_alerts(state).
 */
json_t	*alerts_waiting_json(struct db *db, int64_t user_id, int max);

/** The "safety_escalate" job: {alert_id, step}. */
int	alert_escalate_job(struct db *db, const struct config *cfg, json_t *payload,
	    int64_t job_id, char **err);

#endif
