/*
 * web_int.h: what the circles handlers (web.c, web_attend.c) share: one
 * circle as the viewer sees it, and small answering helpers.
 */
#ifndef CIRCLES_CIRCLES_WEB_INT_H
#define CIRCLES_CIRCLES_WEB_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "app/ctx.h"
#include "circles/attend.h"
#include "circles/circle.h"
#include "circles/store.h"
#include "meetings/meeting.h"
#include "meetings/schedule.h"

/* Everything a handler needs about one circle and its viewer. */
struct seen {
	struct circle_row		circle;
	struct circle_standing_row	st;
	struct circle_viewer		v;
};

/**
 * Load circle :id (path parameter 0) as the viewer sees it.  True when
 * visible; otherwise the answer (404, or 500) has been given.
 */
bool	circles_load_seen(struct ctx *c, struct seen *s);
/** Log the database error (never user data) and answer 500. */
void	circles_server_error(struct ctx *c, const char *what);
/**
 * The answer to an action done on a circle: 204 under /api/, otherwise back
 * to the circle's page with ?notice=NOTICE (which may end in "#anchor").
 */
void	circles_done(struct ctx *c, int64_t circle_id, const char *notice);
/** "3 March 2026" in the request's language (UTC date of t). */
const char *circles_format_date(struct ctx *c, int64_t t);

/**
 * Render the circle's page with status, an optional notice and the errors
 * of the join form (agreement) or the check-in form (code), or NULL.
 */
void	circles_render_circle(struct ctx *c, int status, const struct seen *s,
	    const char *notice, const char *agreement_error, const char *code_error);
/**
 * The circle's sessions for a member (one per meeting: its next session,
 * the viewer's RSVP, whether they attended; for facilitators the code while
 * check-in is open and the session roster attendance goes to).  for_page
 * adds labels in the request's language.  NULL on error.
 */
json_t	*circles_sessions_json(struct ctx *c, const struct seen *s, bool for_page);
/** The circle's latest announcements, newest first (members only).  NULL on error. */
json_t	*circles_announcements_json(struct ctx *c, int64_t circle_id);
/** The rota of the circle's next nmax sessions ({pool, rota}), NULL on error. */
json_t	*circles_rota_json(struct ctx *c, int64_t circle_id, size_t nmax);
/** One session's agenda ({discussion, skill[, notes]}); NULL on error. */
json_t	*circles_agenda_json(struct ctx *c, int64_t meeting_id, int64_t start, bool with_notes);

/**
 * Queue one discreet email (the catalog's <key>.subject and <key>.text with
 * {url}) to a person in their language, through the job queue; dedupe as
 * jobs_enqueue takes it.  Call inside the writing transaction, then
 * jobs_worker_wake() after the commit.  0, or -1 on a database error.
 */
int	circles_queue_email(struct ctx *c, int64_t user_id, const char *email, const char *lang,
	    const char *key, const char *url, const char *dedupe);
/** The same for a user by id (nothing is sent without an address).  0 or -1. */
int	circles_email_user(struct ctx *c, int64_t user_id, const char *key, const char *url,
	    const char *dedupe);

#define SESSIONS_MAX	40	/* per meeting: a week back and the weeks ahead */

/* One meeting of a circle and its sessions from a week ago on. */
struct cmeeting {
	struct meeting		*m;
	struct attend_session	 s[SESSIONS_MAX];
	struct occurrence	 o[SESSIONS_MAX];
	size_t			 n;
	long			 next;		/* first session not ended, or -1 */
	long			 current;	/* session whose check-in window holds now, or -1 */
	long			 roster;	/* session roster attendance goes to, or -1 */
};

/** The circle's open meetings and their sessions (arena).  0 or -1. */
int	circles_load_meetings(struct ctx *c, int64_t circle_id, struct cmeeting **out,
	    size_t *nout);
/** The meeting with that slug among cm, or NULL. */
struct cmeeting *circles_find_meeting(struct cmeeting *cm, size_t n, const char *slug);

#endif
