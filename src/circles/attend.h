/*
 * attend.h: the rules of RSVPs and attendance, as pure functions.
 *
 * A session is one occurrence of a circle's meeting, named by its meeting
 * and its start instant (UTC seconds).  Members check in themselves with a
 * short code the facilitator shows during the session window; the code is
 * derived from a keyed MAC of (meeting, session start), so it needs no
 * storage, differs for every session and cannot be guessed from another
 * one.  Facilitators may also take attendance from the roster, during the
 * session or in the week after it.
 */
#ifndef CIRCLES_CIRCLES_ATTEND_H
#define CIRCLES_CIRCLES_ATTEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ATTEND_CODE_LEN		6
#define ATTEND_EARLY		(15 * 60)	/* the window opens this long before the start */
#define ATTEND_LATE		(15 * 60)	/* ... and closes this long after the end */
#define ATTEND_ROSTER_DAYS	7		/* roster attendance: up to a week after */

struct attend_session {
	int64_t	start, end;	/* UTC instants */
};

/**
 * The session code from the hex MAC of the session (at least 12 hex
 * digits): six characters from an alphabet without look-alikes (no 0/O,
 * 1/I/L).  out receives ATTEND_CODE_LEN characters and a NUL.
 */
void	attend_code_from_mac(const char *mac_hex, char out[ATTEND_CODE_LEN + 1]);
/**
 * Does what a member typed match code?  Case, spaces and hyphens do not
 * matter.  Constant time in the code's length.
 */
bool	attend_code_matches(const char *typed, const char *code);
/** Is now within the session's check-in window? */
bool	attend_window_open(const struct attend_session *s, int64_t now);
/**
 * Among sessions sorted by start, the one whose check-in window holds now,
 * or -1.
 */
long	attend_current(const struct attend_session *s, size_t n, int64_t now);
/**
 * The session a facilitator takes roster attendance for: the latest one
 * whose window has opened, and that started no more than
 * ATTEND_ROSTER_DAYS ago; -1 if none.
 */
long	attend_roster_session(const struct attend_session *s, size_t n, int64_t now);

#endif
