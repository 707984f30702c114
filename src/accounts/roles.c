/*
 * roles.c: role tokens.  The tokens are part of the API and the database;
 * never rename one.
 */
#include "accounts/roles.h"

#include <stddef.h>
#include <string.h>

static const struct {
	unsigned	 bit;
	const char	*token;
} roles[ROLE_COUNT] = {
	{ ROLE_MEMBER, "member" },
	{ ROLE_PEER_SUPPORTER, "peer_supporter" },
	{ ROLE_FACILITATOR, "facilitator" },
	{ ROLE_COORDINATOR, "coordinator" },
	{ ROLE_MODERATOR, "moderator" },
	{ ROLE_CLINICIAN, "clinician" },
	{ ROLE_EVALUATOR, "evaluator" },
	{ ROLE_ADMIN, "admin" },
};

const char *
role_token(unsigned role)
{
	int i;

	for (i = 0; i < ROLE_COUNT; i++)
		if (roles[i].bit == role)
			return roles[i].token;
	return NULL;
}

unsigned
role_from_token(const char *token)
{
	int i;

	if (token == NULL)
		return 0;
	for (i = 0; i < ROLE_COUNT; i++)
		if (strcmp(roles[i].token, token) == 0)
			return roles[i].bit;
	return 0;
}

unsigned
role_at(int i)
{
	return i >= 0 && i < ROLE_COUNT ? roles[i].bit : 0;
}
