/*
 * circle_milestones.c: milestones shown to a member's circles (see
 * circle_milestones.h).
 *
 * The member's flag is their choice for all their circles at once, not a
 * consent to one person, so it is not a row in consents; but showing the
 * milestone to someone else is still a read of the member's data, and is
 * recorded like privacy_read records one, so "who saw my data" lists it.
 * Days are counted in each member's own time zone, like on their /recovery
 * page, and only the newest milestone of the run still going is shown:
 * earlier runs would tell the circle about a relapse.
 */
#include "checkins/circle_milestones.h"

#include <inttypes.h>
#include <stdlib.h>

#include "accounts/users.h"
#include "base/log.h"
#include "checkins/days.h"
#include "checkins/remind.h"
#include "checkins/store.h"
#include "checkins/web_util.h"
#include "privacy/audit.h"
#include "privacy/consent.h"
#include "view/view.h"

#define SHOWN_MAX	50	/* members looked at in one circle */

/* The newest milestone of member_id's current run, if reached lately. */
static int
latest(struct ctx *c, int64_t member_id, struct milestone *out, int64_t *today)
{
	struct recovery rec;
	int64_t *relapses = NULL, total;
	size_t n = 0;

	if (recovery_load(c->db, member_id, &rec) == -1 ||
	    recovery_relapse_days(c->db, member_id, &relapses, &n) == -1)
		return -1;
	*today = days_of_time(c->now, settings_offset(c->db, member_id, c->now));
	total = rec.has_start && rec.share_milestones ?
	    days_milestones(rec.start_day, relapses, n, *today, out, 1) : 0;
	free(relapses);
	if (total < 0)
		return -1;
	return total > 0 && out->current_run && out->reached_on <= *today &&
	    *today - out->reached_on < CIRCLE_MILESTONE_DAYS ? 1 : 0;
}

json_t *
circle_milestones_json(struct ctx *c, int64_t circle_id)
{
	struct db_rows *r;
	json_t *list;
	size_t i;

	r = db_query(c->db, "SELECT m.user_id, u.display_name FROM circle_members m "
	    "JOIN users u ON u.id = m.user_id JOIN recovery_profiles p ON p.user_id = m.user_id "
	    "WHERE m.circle_id = ? AND m.state = 'active' AND u.disabled = 0 AND "
	    "p.share_milestones = 1 AND p.start_on IS NOT NULL ORDER BY m.user_id LIMIT ?",
	    DB_I(circle_id), DB_I(SHOWN_MAX));
	if (r == NULL)
		return NULL;
	list = json_array();
	for (i = 0; i < db_rows_count(r); i++) {
		int64_t id = db_rows_int(r, i, 0), today;
		struct milestone ms;
		const char *subject;
		char iso[11];
		int got = latest(c, id, &ms, &today);

		if (got < 0) {
			db_rows_free(r);
			json_decref(list);
			return NULL;
		}
		if (got == 0)
			continue;
		if (id != c->user->id) {
			/* no audit row, no read: the member must be able to see every one */
			subject = user_pseudonym(c->db, c->a, id);
			if (subject == NULL || audit_record(c->db, c->now, c->user->pseudonym, subject,
			    "read", CONSENT_MILESTONES, arena_printf(c->a, "circle:%" PRId64,
			    circle_id)) == -1) {
				log_warnx("circles: a milestone was not shown: its read could not be "
				    "recorded");
				continue;
			}
		}
		days_format_date(ms.reached_on, iso);
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:b, s:I}",
		    "name", db_rows_isnull(r, i, 1) ? "" : db_rows_text(r, i, 1),
		    "milestone", ck_milestone_label(c, ms.days, ms.years),
		    "date", ck_date(c, ms.reached_on), "date_iso", iso,
		    "today", ms.reached_on == today, "reached_on", (json_int_t)ms.reached_on));
	}
	db_rows_free(r);
	/* newest first */
	{
		size_t n = json_array_size(list), a, b;

		for (a = 1; a < n; a++)
			for (b = a; b > 0 && json_integer_value(json_object_get(json_array_get(list,
			    b), "reached_on")) > json_integer_value(json_object_get(json_array_get(list,
			    b - 1), "reached_on")); b--) {
				json_t *x = json_incref(json_array_get(list, b));

				json_array_set(list, b, json_array_get(list, b - 1));
				json_array_set_new(list, b - 1, x);
			}
	}
	return list;
}
