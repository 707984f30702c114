/*
 * web_live.c: the live notice "Ana needs help now" on every page of the
 * people an open help-now alert was sent to (the member's accountability
 * partners, whoever is on call, later the coordinators), until someone
 * acknowledges it or the member says they are safe.
 *
 * The layout asks safety_live_view() on each page it frames (no query
 * while nothing is open anywhere, see live.h; else one, starting from the
 * few open alerts), so the notice is there without JavaScript.  With htmx the region polls /alerts/live; the request
 * carries what is shown now ("shown": the alert ids), and the answer is
 * 204 (htmx leaves the region alone) when that has not changed, so a
 * screen reader is not told the same thing every few seconds.  When the
 * last alert is answered the answer is an empty 200, which empties the
 * region.
 *
 * The notice names the member by their first name only and says they
 * need help now: nothing else of theirs; the alert page has the rest for
 * the people told.
 */
#include "app/handlers.h"

#include <inttypes.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>

#include "http/params.h"
#include "safety/alerts.h"
#include "safety/live.h"
#include "safety/web_util.h"
#include "view/view.h"

#define LIVE_SHOWN_MAX	3	/* alerts named in the notice; more link to /alerts */
#define LIVE_ANY_TTL_MS	2000	/* how long "no alert is open anywhere" is trusted */

/*
 * "Is any alert open?", per process.  live_dirty forces the next look to
 * ask the database (at start, after a raise here, after an error).  Two
 * threads racing may store an older answer; it lasts LIVE_ANY_TTL_MS at
 * most, well under the notice's polling interval.
 */
static atomic_bool	live_dirty = true;
static atomic_bool	live_any_open;
static _Atomic int64_t	live_checked_ms;

void
safety_live_changed(void)
{
	atomic_store(&live_dirty, true);
}

static int64_t
monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool
any_open(struct db *db)
{
	int64_t now = monotonic_ms();
	struct db_rows *r;
	bool yes;

	if (!atomic_exchange(&live_dirty, false) &&
	    now - atomic_load(&live_checked_ms) < LIVE_ANY_TTL_MS)
		return atomic_load(&live_any_open);
	r = db_query(db, "SELECT 1 FROM help_alerts WHERE state = 'open' LIMIT 1");
	if (r == NULL) {
		atomic_store(&live_dirty, true);
		return true;	/* let the full query decide */
	}
	yes = db_rows_count(r) > 0;
	db_rows_free(r);
	atomic_store(&live_any_open, yes);
	atomic_store(&live_checked_ms, now);
	return yes;
}

/* The first word of a display name ("Ana" of "Ana María López"), or NULL. */
static const char *
first_name(struct ctx *c, const char *name)
{
	size_t n;

	name += strspn(name, " \t");
	n = strcspn(name, " \t");
	return n > 0 ? arena_strndup(c->a, name, n) : NULL;
}

json_t *
safety_live_view(struct ctx *c)
{
	json_t *open, *alerts, *a;
	const char *shown = "";
	size_t i;

	if (c->user == NULL || c->db == NULL || !any_open(c->db))
		return NULL;
	open = alerts_waiting_json(c->db, c->user->id, LIVE_SHOWN_MAX + 1);
	if (json_array_size(open) == 0) {
		json_decref(open);
		return NULL;
	}
	alerts = json_array();
	json_array_foreach(open, i, a) {
		int64_t id = json_integer_value(json_object_get(a, "id"));
		const char *name;

		if (i == LIVE_SHOWN_MAX)
			break;
		name = first_name(c, json_string_value(json_object_get(a, "member_name")));
		shown = arena_printf(c->a, "%s%s%" PRId64, shown, i ? "-" : "", id);
		json_array_append_new(alerts, json_pack("{s:I, s:s}", "id", (json_int_t)id,
		    "words", name ? ctx_tr(c, "safety.live.needs_help", json_pack("{s:s}",
		    "name", name)) : i18n_get(c->lang, "safety.live.someone")));
	}
	a = json_pack("{s:o, s:b, s:s}", "alerts", alerts,
	    "more", json_array_size(open) > LIVE_SHOWN_MAX, "shown", shown);
	json_decref(open);
	return a;
}

void
h_alerts_live(struct ctx *c)
{
	json_t *v = safety_live_view(c);
	const char *before = params_get(&c->query, "shown");
	const char *now = v ? json_string_value(json_object_get(v, "shown")) : "";

	if (strcmp(before ? before : "", now) == 0) {
		/* Nothing new to show (or to take away). */
		json_decref(v);
		respond_empty(c, 204);
		return;
	}
	if (v == NULL) {
		/* The last one was answered: an empty region. */
		respond_empty(c, 200);
		http_response_header(c->resp, "Content-Type", "text/html; charset=utf-8");
		return;
	}
	sf_respond_fragment(c, "safety/_live_alert", v);
}
