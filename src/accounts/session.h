/*
 * session.h: signed-in sessions.
 *
 * The cookie "circles_session" holds a random 32-byte token; the database
 * keeps only its keyed hash, so a copy of the database cannot be used to
 * sign in.  A session ends after session_idle_s without requests or
 * session_absolute_s after sign-in, whichever comes first.  Each session
 * has its own CSRF token, sent by forms (hidden field) and API calls
 * (X-CSRF-Token header).  A session with mfa_pending set is only good for
 * finishing two-step sign-in and does not count as signed in.
 */
#ifndef CIRCLES_ACCOUNTS_SESSION_H
#define CIRCLES_ACCOUNTS_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "app/ctx.h"

#define SESSION_COOKIE	"circles_session"

/** Fill c->user, c->session_id, c->csrf_token from the cookie, if valid. */
void	session_load(struct ctx *c);
/**
 * Start a session for user_id and set the cookie.  mfa_pending marks a
 * half-done two-step sign-in.  Returns the CSRF token (arena) or NULL.
 */
const char *session_start(struct ctx *c, int64_t user_id, bool mfa_pending);
/** The user id of a pending two-step session from the cookie, or 0. */
int64_t	session_pending_user(struct ctx *c);
/** Promote the pending session to a full one (after a good code). */
int	session_complete_mfa(struct ctx *c);
/** End the current session and clear the cookie. */
void	session_end(struct ctx *c);
/** End every session of user_id except keep_id (0: all). Returns count or -1. */
int64_t	session_end_all(struct db *db, int64_t user_id, int64_t keep_id);

#endif
