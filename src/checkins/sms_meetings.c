/*
 * sms_meetings.c: the MEETINGS text message (see sms_reply.h).
 *
 * The meetings come from the finder's in-memory snapshot (meetings/cache.h)
 * and are filtered by the finder's own matching (through meeting_prefs.c),
 * never by a second filter.  Meetings of the member's circles come first
 * whatever the preferences say: the member already goes to them.  Among
 * the rest, the soonest sessions win.  Each line is
 *	"Tue 19:00 Name - Online"  or  "Today 18:30 Name - 12 Oak St, Dayton"
 * with the day and time in the meeting's own zone; a line that would not
 * fit is left out rather than cut in the middle of an address.
 */
#include "checkins/sms_reply.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "checkins/meeting_prefs.h"
#include "checkins/sms_text.h"
#include "meetings/cache.h"
#include "meetings/schedule.h"
#include "meetings/tz.h"
#include "view/view.h"

#define CIRCLES_MAX	32	/* circles of one member looked at */
#define NAME_MAX_CHARS	40
#define PLACE_MAX_CHARS	40
#define TONIGHT_FROM	(17 * 60)

struct pick {
	const struct finder_item	*it;
	struct occurrence		 o;
	bool				 circle;
};

static const char *
say(struct ctx *c, const char *lang, const char *key)
{
	return i18n_get(lang, arena_printf(c->a, "checkins.sms.%s", key));
}

/* The circles u is an active member of; -1 on error. */
static int
member_circles(struct ctx *c, int64_t user_id, int64_t *ids, size_t *n)
{
	struct db_rows *r;
	size_t i;

	*n = 0;
	r = db_query(c->db, "SELECT circle_id FROM circle_members WHERE user_id = ? AND "
	    "state = 'active' ORDER BY circle_id", DB_I(user_id));
	if (r == NULL)
		return -1;
	for (i = 0; i < db_rows_count(r) && *n < CIRCLES_MAX; i++)
		ids[(*n)++] = db_rows_int(r, i, 0);
	db_rows_free(r);
	return 0;
}

static bool
in_circles(const struct meeting *m, const int64_t *ids, size_t n)
{
	size_t i;

	for (i = 0; m->circle_id > 0 && i < n; i++)
		if (ids[i] == m->circle_id)
			return true;
	return false;
}

/* The local date of instant t in the item's zone, as days since 1970. */
static int64_t
local_day(const struct finder_item *it, int64_t t)
{
	return tz_floor_div(tz_utc_to_local(it->tz, t), 86400);
}

/*
 * The item's next session that has not started yet (and, for today or
 * tonight, starts on today's local date).  false if none.
 */
static bool
next_session(const struct finder_item *it, enum sms_when when, int64_t now,
    struct occurrence *out)
{
	struct occurrence o[2];
	size_t n, i;

	if (it->tz == NULL)
		return false;
	n = schedule_next(&it->m->sched, it->tz, it->ex, it->nex, now, 2, 0, o);
	for (i = 0; i < n; i++) {
		if (o[i].start < now)
			continue;	/* in progress: too late to go */
		if (when != SMS_WHEN_ANY &&
		    tz_days_from_civil(o[i].y, o[i].m, o[i].d) != local_day(it, now))
			return false;
		if (when == SMS_WHEN_TONIGHT && o[i].start_min < TONIGHT_FROM)
			return false;
		*out = o[i];
		return true;
	}
	return false;
}

/* Keep the max soonest picks, circles' meetings ahead of the rest. */
static bool
before(const struct pick *a, const struct pick *b)
{
	if (a->circle != b->circle)
		return a->circle;
	if (a->o.start != b->o.start)
		return a->o.start < b->o.start;
	return strcmp(a->it->m->name, b->it->m->name) < 0;
}

static void
keep(struct pick *best, size_t *n, size_t max, const struct pick *p)
{
	size_t i;

	if (*n == max && !before(p, &best[max - 1]))
		return;
	i = *n < max ? (*n)++ : max - 1;
	while (i > 0 && before(p, &best[i - 1])) {
		best[i] = best[i - 1];
		i--;
	}
	best[i] = *p;
}

/* At most max characters of s (whole UTF-8 characters), "..." when cut. */
static const char *
shorten(struct ctx *c, const char *s, size_t max)
{
	size_t chars = 0, i;

	for (i = 0; s[i] != '\0'; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80 && ++chars > max)
			return arena_printf(c->a, "%.*s...", (int)i, s);
	return s;
}

/* "Online", or a short address: street (or place), then the city. */
static const char *
where(struct ctx *c, const char *lang, const struct meeting *m)
{
	const char *place = m->address ? m->address : m->location;
	const char *s;

	if (m->attendance == ATTEND_ONLINE)
		return say(c, lang, "meeting_online");
	if (place != NULL && m->city != NULL && strstr(place, m->city) == NULL)
		s = arena_printf(c->a, "%s, %s", place, m->city);
	else if (place != NULL)
		s = place;
	else if (m->city != NULL)
		s = m->city;
	else
		s = m->formatted_address ? m->formatted_address : "";
	s = shorten(c, s, PLACE_MAX_CHARS);
	if (m->attendance == ATTEND_HYBRID)
		return arena_printf(c->a, "%s %s", s, say(c, lang, "meeting_or_online"));
	return s;
}

static const char *
line(struct ctx *c, const char *lang, const struct pick *p, int64_t now)
{
	int64_t day = tz_days_from_civil(p->o.y, p->o.m, p->o.d), today = local_day(p->it, now);
	const char *d;
	char hhmm[6];

	if (day == today)
		d = say(c, lang, "today");
	else if (day == today + 1)
		d = say(c, lang, "tomorrow");
	else
		d = say(c, lang, arena_printf(c->a, "days.%d", tz_weekday(day)));
	schedule_format_hhmm(p->o.start_min, hhmm);
	return arena_printf(c->a, "%s %s %s - %s", d, hhmm,
	    shorten(c, p->it->m->name, NAME_MAX_CHARS), where(c, lang, p->it->m));
}

const char *
sms_meetings_reply(struct ctx *c, const struct user *u, const char *lang, enum sms_when when)
{
	const struct finder_snapshot *s;
	struct meeting_prefs prefs;
	struct finder_query q;
	struct pick best[SMS_MEETINGS_MAX], p;
	int64_t circles[CIRCLES_MAX];
	size_t ncircles, nbest = 0, i, shown = 0;
	const char *qs, *url, *head, *more, *text;
	struct buf b = BUF_INIT;

	if (mprefs_load(c->db, u->id, &prefs) == -1 ||
	    member_circles(c, u->id, circles, &ncircles) == -1) {
		log_warnx("sms: meeting preferences or circles could not be read");
		return NULL;
	}
	if (!mprefs_query(c->a, &prefs, lang, &q))
		return NULL;
	if ((s = finder_acquire(c->db)) == NULL)
		return NULL;
	for (i = 0; i < s->n; i++) {
		const struct finder_item *it = &s->items[i];

		p.it = it;
		p.circle = in_circles(it->m, circles, ncircles);
		if (p.circle ? !it->listed : !mprefs_match(it, &prefs, &q, c->now))
			continue;
		if (next_session(it, when, c->now, &p.o))
			keep(best, &nbest, SMS_MEETINGS_MAX, &p);
	}

	qs = mprefs_finder_qs(c->a, &prefs, lang);
	url = arena_printf(c->a, "%s/meetings%s%s", c->cfg->public_url, *qs ? "?" : "", qs);
	if (nbest == 0) {
		json_t *vars = json_pack("{s:s, s:s}", "url", url, "prefs_url",
		    arena_printf(c->a, "%s/account/meeting-preferences", c->cfg->public_url));
		char *t = i18n_format(lang, when == SMS_WHEN_ANY ? "checkins.sms.meetings_none" :
		    "checkins.sms.meetings_none_today", vars);

		text = arena_strdup(c->a, t);
		free(t);
		json_decref(vars);
		finder_release(s);
		return text;
	}
	head = say(c, lang, when == SMS_WHEN_TONIGHT ? "meetings_tonight" :
	    when == SMS_WHEN_TODAY ? "meetings_today" : "meetings_next");
	{
		json_t *vars = json_pack("{s:s}", "url", url);
		char *t = i18n_format(lang, "checkins.sms.meetings_more", vars);

		more = arena_strdup(c->a, t);
		free(t);
		json_decref(vars);
	}
	/* As many lines as fit in the segments, the link to the rest always. */
	buf_puts(&b, head);
	for (i = 0; i < nbest; i++) {
		const char *l = line(c, lang, &best[i], c->now);
		const char *tryit = arena_printf(c->a, "%s\n%s\n%s", b.data, l, more);

		if (!sms_fits(tryit, SMS_REPLY_SEGMENTS))
			break;
		buf_putc(&b, '\n');
		buf_puts(&b, l);
		shown++;
	}
	finder_release(s);
	if (shown == 0) {
		buf_free(&b);
		return more;
	}
	buf_putc(&b, '\n');
	buf_puts(&b, more);
	text = arena_strdup(c->a, b.data);
	buf_free(&b);
	return text;
}
