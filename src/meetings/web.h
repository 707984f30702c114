/*
 * web.h: meetings' handler helpers shared between its web files (the
 * handlers themselves are declared in app/handlers.h).
 */
#ifndef CIRCLES_MEETINGS_WEB_H
#define CIRCLES_MEETINGS_WEB_H

#include "app/ctx.h"

/** GET /meetings/:slug.ics: one meeting as an iCalendar feed. */
void	meetings_ics_one(struct ctx *c, const char *slug);

#endif
