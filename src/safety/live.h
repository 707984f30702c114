/*
 * live.h: the live notice of open help-now alerts, on every page a
 * signed-in person sees (web_live.c).
 *
 * The layout renders it with the page, so it shows without JavaScript;
 * with htmx the region polls GET /alerts/live and the change is announced
 * politely (the region is aria-live from the first load).
 *
 * Most of the time no alert is open anywhere; each process remembers
 * that for a moment (LIVE_ANY_TTL_MS), so pages cost no query at all
 * then.  A raise in this process clears it at once; one in another server
 * sharing the database shows here at most that moment later.
 */
#ifndef CIRCLES_SAFETY_LIVE_H
#define CIRCLES_SAFETY_LIVE_H

#include <jansson.h>

struct ctx;

/**
 * The notice for the signed-in person as the context of
 * templates/safety/_live_alert: {alerts [{id, words}], more, shown}, or
 * NULL when no alert they were told about waits for an answer (or they
 * are signed out).  One indexed query.  A new reference.
 */
json_t	*safety_live_view(struct ctx *c);

/**
 * An alert was just raised in this process: the next page asks the
 * database again instead of trusting the cached "nothing is open".
 */
void	 safety_live_changed(void);

/**
 * The footer's urgent-help links on every page (web_help.c): the
 * network's emergency number and its first crisis line, as
 * {emergency_tel, emergency_call, line_tel, line_call} (a tel link is
 * absent when the number has no digits).  One query.  A new reference.
 */
json_t	*safety_footer_view(struct ctx *c);

#endif
