/*
 * proof.h: what a signed proof of attendance shows, as a pure function.
 *
 * The member chooses what the recipient (a program, a court) may see: their
 * name, the count of sessions, the meetings' names, the dates, within a
 * period.  Only the chosen fields enter the payload, and the payload is all
 * the verification page shows; the signature (a keyed MAC over the proof's
 * id and payload, kept server-side) makes any change detectable.
 */
#ifndef CIRCLES_CIRCLES_PROOF_H
#define CIRCLES_CIRCLES_PROOF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct proof_choice {
	bool	 show_name;
	bool	 show_count;
	bool	 show_meetings;
	bool	 show_dates;
	int64_t	 from, to;	/* UTC instants bounding the sessions; 0: open */
};

struct proof_session {
	const char	*meeting_name;
	int64_t		 start;
};

/** True if at least one thing would be shown. */
bool	proof_choice_valid(const struct proof_choice *ch);
/**
 * The payload: {"issued_at", "name"?, "count"?, "sessions"?: [{"meeting"?,
 * "date"?}], "from"?, "to"?} with dates as YYYY-MM-DD (UTC) and sessions
 * filtered to the period, oldest first (rows may come in any order).
 */
json_t	*proof_payload(const struct proof_choice *ch, const struct proof_session *rows,
	    size_t n, const char *name, int64_t now);

#endif
