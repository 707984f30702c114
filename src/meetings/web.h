/*
 * web.h: meetings' handler helpers shared between its web files (the
 * handlers themselves are declared in app/handlers.h).
 */
#ifndef CIRCLES_MEETINGS_WEB_H
#define CIRCLES_MEETINGS_WEB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "app/ctx.h"
#include "meetings/meeting.h"
#include "meetings/schedule.h"

/** GET /meetings/:slug.ics: one meeting as an iCalendar feed. */
void	meetings_ics_one(struct ctx *c, const char *slug);
/**
 * A circle's open meetings as an iCalendar feed named circle_name, with
 * the validators and compression of the other feeds.  The caller has
 * decided that the viewer may see the circle.
 */
void	meetings_ics_circle(struct ctx *c, int64_t circle_id, const char *circle_name);

/* a member's own calendar */
/** What a member's own calendar holds: sorted circle ids and meeting ids. */
struct meetings_personal {
	const char	*title;		/* the calendar's name */
	const int64_t	*circles;	/* their open meetings */
	size_t		 ncircles;
	const int64_t	*meetings;	/* and these, if open */
	size_t		 nmeetings;
};
/**
 * A member's own calendar (the open meetings of own's circles and own's
 * meetings) with the validators and compression of the other feeds; its
 * ETag names what it holds, and Last-Modified is the later of the
 * meetings' last change and changed_at (when what it holds last changed).
 * Built afresh each time, never kept in the shared cache.  The caller has
 * identified the member.
 */
void	meetings_ics_personal(struct ctx *c, const struct meetings_personal *own,
	    int64_t changed_at);

/** The schedule in words ("Every Monday and Wednesday"), in the request's language. */
const char *meetings_schedule_text(struct ctx *c, const struct meeting *m);
/** "Wednesday 10 April 2030" in the request's language. */
const char *meetings_date_label(struct ctx *c, int y, int m, int d);

/**
 * The one way a meeting written in Circles (API or coordinator's form) is
 * checked and stored: a meeting object as the API takes it (the feed's
 * shape plus Circles' fields), inserted (id 0) or replacing meeting id.
 * Stricter than a feed import: a schedule without its time or days, an
 * end time, coordinates, link or phone that cannot be read, or a circle
 * that does not exist is refused, not dropped.  Returns 0 stored (*m
 * filled), 1 invalid (*reason a meetings.import.reasons token, *field the
 * object's field), 2 the slug is taken, -1 a database error.
 */
int	meetings_store_object(struct ctx *c, json_t *obj, int64_t id, struct meeting *m,
	    const char **reason, const char **field);
/** The checks of meetings_store_object alone (nothing stored): 0 valid, 1 invalid, -1. */
int	meetings_check_object(struct ctx *c, json_t *obj, int64_t id, struct meeting *m,
	    const char **reason, const char **field);
/** The meeting as an API object with changes applied (null removes a field); new reference. */
json_t	*meetings_merge(const struct meeting *old, json_t *changes, int64_t now);
/**
 * Read a cancelled or moved session from the request's fields (date,
 * status "cancelled"/"moved", new_date, new_time, new_end_time, note), for
 * the API and the coordinator's page alike.  False with *field and *key
 * (a message key) when something is wrong.
 */
bool	meetings_read_exception(struct ctx *c, const struct meeting *m, struct sched_exception *ex,
	    const char **note, const char **field, const char **key);

#endif
