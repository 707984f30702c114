/*
 * partners.h: accountability partnerships between two members.
 *
 * One member proposes (saying what they will share and how often the two
 * of them mean to check in); the other accepts (saying what they will
 * share) or declines.  On acceptance each side's sharing becomes ordinary
 * consents (privacy/consent.h) from that member to the other, linked to
 * the partnership: the privacy page lists them, each read through them is
 * audited, and revoking one there takes effect at once.  Ending the
 * partnership (either side may) revokes every consent it created.
 *
 * A nudge is a short, discreet message from one partner to the other (by
 * text if they have a linked number, else by email), held until the
 * receiver's quiet hours end, at most one per sender every twelve hours.
 * Each member may ask for their partner to be alerted when they have not
 * checked in for a number of days they choose; a chain of "partner_watch"
 * jobs checks that with clock_now() and alerts once per silence.
 */
#ifndef CIRCLES_CHECKINS_PARTNERS_H
#define CIRCLES_CHECKINS_PARTNERS_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "app/ctx.h"
#include "base/config.h"
#include "db/db.h"

#define PARTNER_EVERY_MAX	14	/* check in with each other every 1..14 days */
#define PARTNER_ALERT_MAX	30	/* alert after 1..30 days without a check-in */
#define PARTNER_NUDGE_GAP	(12 * 3600)
#define PARTNER_WATCH_RECHECK	(6 * 3600)
#define PARTNERS_OPEN_MAX	20	/* open partnerships per member */

/* ---- pure ---- */

/** The categories a partner may share, as a bit set. */
enum partner_share {
	SHARE_CHECKINS		= 1 << 0,
	SHARE_GOALS		= 1 << 1,
	SHARE_MILESTONES	= 1 << 2,
};

/** "checkins,goals" into bits; -1 if an item is unknown. "" is 0. */
int	partners_shares_parse(const char *s);
/** Bits into "checkins,goals,milestones" (out at least 32 bytes). */
void	partners_shares_format(int bits, char *out, size_t size);
/** The consent category of one bit. */
const char *partners_share_category(int bit);

struct watch_plan {
	int64_t	 silent_since;	/* the last check-in, or when the partnership began */
	int64_t	 due;		/* when silence becomes worth an alert */
	bool	 overdue;	/* now >= due */
	int64_t	 next_run;	/* when to look again */
};

/** The quiet-check-in watch for one member (days > 0). */
void	partners_watch_plan(int64_t last_checkin, int64_t since, int days, int64_t now,
	    struct watch_plan *out);

/* ---- storage and actions (c: the signed-in member's request) ---- */

/**
 * Propose to partner_id, who must be in the caller's chapter.  Id; 0 if an
 * open partnership between them exists (or the caller has too many); -2
 * if there is no such person the caller may propose to; -1 on error.
 */
int64_t	partners_propose(struct ctx *c, int64_t partner_id, int shares, int every, int alert_days);
/** Accept a proposal made to the caller.  0, 1 not found, -1. */
int	partners_accept(struct ctx *c, int64_t id, int shares, int alert_days);
/** Decline a proposal made to the caller, or withdraw one they made.  0, 1, -1. */
int	partners_decline(struct ctx *c, int64_t id);
/** End an active partnership the caller is in; revokes its consents.  0, 1, -1. */
int	partners_end(struct ctx *c, int64_t id);
/** Change after how many days (-1: never) the caller's partner is alerted.  0, 1, -1. */
int	partners_set_alert(struct ctx *c, int64_t id, int alert_days);
/** Nudge the other member.  0 sent, 1 not found, 2 too soon, -1. */
int	partners_nudge(struct ctx *c, int64_t id);
/** The caller's partnerships (not declined or ended ones), as the API shows them. */
json_t	*partners_list_json(struct ctx *c);
/** The other member of an active partnership the caller is in, or 0. */
int64_t	partners_other(struct ctx *c, int64_t id);
/** People the caller may propose to: their chapter, not already partnered. */
json_t	*partners_candidates_json(struct ctx *c, const char *q);

/** The "partner_watch" job. */
int	partners_watch_job(struct db *db, const struct config *cfg, json_t *payload,
	    int64_t job_id, char **err);

#endif
