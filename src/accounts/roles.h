/*
 * roles.h: the roles of a peer recovery network, as bits.
 *
 * A person may hold several roles (a peer supporter is usually also a
 * member).  Route policies are masks of these bits (app/routes.c).
 */
#ifndef CIRCLES_ACCOUNTS_ROLES_H
#define CIRCLES_ACCOUNTS_ROLES_H

#include <stdbool.h>

enum role {
	ROLE_MEMBER		= 1 << 0,
	ROLE_PEER_SUPPORTER	= 1 << 1,
	ROLE_FACILITATOR	= 1 << 2,
	ROLE_COORDINATOR	= 1 << 3,
	ROLE_MODERATOR		= 1 << 4,
	ROLE_CLINICIAN		= 1 << 5,
	ROLE_EVALUATOR		= 1 << 6,
	ROLE_ADMIN		= 1 << 7,
};

#define ROLE_ALL	0xff
#define ROLE_STAFF	(ROLE_PEER_SUPPORTER | ROLE_FACILITATOR | ROLE_COORDINATOR | \
			 ROLE_MODERATOR | ROLE_CLINICIAN | ROLE_EVALUATOR | ROLE_ADMIN)
/** Staff roles that may turn on two-step sign-in. */
#define ROLE_TOTP_ELIGIBLE	ROLE_STAFF
#define ROLE_COUNT	8

/** The token of one role bit ("peer_supporter"), or NULL. */
const char	*role_token(unsigned role);
/** The bit of a token, or 0 if unknown. */
unsigned	 role_from_token(const char *token);
/** The i-th role bit (0 <= i < ROLE_COUNT), in display order. */
unsigned	 role_at(int i);

#endif
