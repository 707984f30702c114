/*
 * escalate.h: who is told about an "I need help now" alert, step by step.
 *
 * Pure: the caller passes the people (ids, in order) and gets back the
 * recipients of one step.
 *
 *	step 0	the member's accountability partners and the first person on
 *		call (when nobody is on call: the coordinators at once)
 *	step k	the k-th next person on the on-call rota, one at a time
 *	then	the coordinators
 *	after	nobody: the alert stays open on everyone's alerts page
 *
 * A step is taken only when nobody has acknowledged the alert within the
 * network's set minutes of the previous one.  The member is never their
 * own recipient, and nobody is told twice.
 */
#ifndef CIRCLES_SAFETY_ESCALATE_H
#define CIRCLES_SAFETY_ESCALATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ESCALATE_MAX_PEOPLE	64	/* per list; longer lists are cut */

/* Why someone is told (help_alert_recipients.reason). */
enum escalate_reason {
	REASON_PARTNER,
	REASON_ONCALL,
	REASON_COORDINATOR,
};

struct escalate_people {
	int64_t		 member_id;
	const int64_t	*partners;	/* active accountability partners */
	size_t		 npartners;
	const int64_t	*rota;		/* on call now, in rota order */
	size_t		 nrota;
	const int64_t	*coordinators;
	size_t		 ncoordinators;
	const int64_t	*already;	/* told at earlier steps */
	size_t		 nalready;
	bool		 partners_too;	/* false for alerts the member did not ask for */
};

struct escalate_recipient {
	int64_t			 user_id;
	enum escalate_reason	 reason;
};

/**
 * The recipients of step (0, 1, ...) into out (at most max); returns how
 * many.  *last is set when no later step would tell anyone new.
 */
size_t	escalate_step(const struct escalate_people *p, int step, struct escalate_recipient *out,
	    size_t max, bool *last);

/** "partner", "oncall", "coordinator". */
const char *escalate_reason_token(enum escalate_reason r);

#endif
