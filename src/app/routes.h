/*
 * routes.h: the one table of every route, its policy and its handler.
 *
 * Authorization is decided here and nowhere else: each route names which
 * roles may call it (a mask of ROLE_* bits), or that it is public.  The
 * access test (tests/http/test_access.py) reads this table through
 * `circles routes --json` and checks every route against every role; a
 * route without a policy cannot be written (policy is a required field and
 * POLICY_UNSET fails the build check in routes.c).
 *
 * Handlers still decide object ownership (another member's object answers
 * 404 as if it did not exist) and consent (privacy/consent.h).
 */
#ifndef CIRCLES_APP_ROUTES_H
#define CIRCLES_APP_ROUTES_H

#include <stdbool.h>
#include <stddef.h>

#include "app/ctx.h"

#define POLICY_PUBLIC		0x1000u	/* anyone, signed in or not */
#define POLICY_SIGNED_OUT	0x2000u	/* public page for signing in/up; signed-in users are fine too */

enum route_flags {
	ROUTE_CSRF_EXEMPT	= 1 << 0,	/* signs in, or authenticated by its own signature */
	ROUTE_TEST_ONLY		= 1 << 1,	/* exists only with CIRCLES_TEST_MODE=1 */
	ROUTE_RAW_BODY		= 1 << 2,	/* handler reads the body itself (no content-type rule) */
	ROUTE_BACKGROUND	= 1 << 3,	/* polled by an open page: not activity, the session may still idle out */
};

typedef void (*route_fn)(struct ctx *c);

struct route {
	const char	*method;	/* "GET", "POST", "PUT", "PATCH", "DELETE" */
	const char	*pattern;	/* "/api/v1/me/consents/:id" */
	unsigned	 policy;	/* POLICY_PUBLIC or a mask of ROLE_* bits */
	unsigned	 flags;
	route_fn	 fn;
};

extern const struct route routes[];
extern const size_t routes_count;

/**
 * Find the route for method and decoded path.  On a match, fills params
 * (arena copies) and returns it.  If the path matches only other methods,
 * returns NULL and sets *method_mismatch (405).
 */
const struct route *routes_match(struct arena *a, const char *method, const char *path,
	    const char **params, int *nparams, bool *method_mismatch);

/** Print the table as JSON (for `circles routes --json` and the access test). */
void	routes_print_json(void);

#endif
