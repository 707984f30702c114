/*
 * calendar_link.c: a member's secret calendar address (calendar_link.h),
 * its page (/account/calendar), its API (/api/v1/me/calendar-link) and
 * the feed itself (GET /calendar/<token>.ics).
 *
 * Design choices:
 * - The token is shown once, in the answer to making it; afterwards the
 *   page only says that an address exists and since when, so a copy of
 *   the database (or someone at the member's screen later) cannot read it.
 * - The feed is built by the meetings code (meetings_ics_personal), the
 *   same iCalendar, ETag/304 and gzip as every other feed.  It is the
 *   member's own data going to the member's own calendar, so no audit row
 *   is written; it is "Cache-Control: private" (shared caches must not
 *   keep it) and "no-cache" (a revoked address is not served from a
 *   cache), and the access log names the route pattern, never the token.
 * - What the feed holds is decided here on each fetch: the circles the
 *   member is an active member of, and the meetings of their coming "yes"
 *   RSVPs unless the meeting is a circle's they are no longer in.  Leaving
 *   a circle takes its meetings out at the next fetch.  A fingerprint of
 *   that set is kept with the address so Last-Modified moves when the set
 *   changes, even though no meeting did.
 */
#include "circles/calendar_link.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "app/handlers.h"
#include "base/log.h"
#include "circles/web_int.h"
#include "meetings/web.h"
#include "privacy/crypto.h"
#include "view/view.h"

#define TOKEN_BYTES	32
#define FEED_IDS_MAX	500		/* circles, and RSVP'd meetings, per feed */
#define RSVP_GRACE	86400		/* a "yes" counts until a day after the session starts */
#define TOUCH_EVERY	3600		/* last_used_at is written at most hourly */

/* ---- the store ---- */

char *
calendar_link_create(struct db *db, int64_t user_id, int64_t now)
{
	char *token = crypto_token(TOKEN_BYTES);
	char hash[65];

	crypto_token_hash(token, hash);
	/* One address per member: a new one replaces the old, whose hash is gone. */
	if (db_exec(db, "INSERT INTO calendar_links (user_id, token_hash, created_at, feed_hash, "
	    "feed_changed_at, last_used_at) VALUES (?, ?, ?, NULL, ?, NULL) "
	    "ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash, "
	    "created_at = excluded.created_at, feed_hash = NULL, "
	    "feed_changed_at = excluded.feed_changed_at, last_used_at = NULL",
	    DB_I(user_id), DB_T(hash), DB_I(now), DB_I(now)) < 0) {
		log_warnx("calendar link: store failed: %s", db_errmsg(db));
		free(token);
		return NULL;
	}
	return token;
}

int
calendar_link_revoke(struct db *db, int64_t user_id)
{
	int64_t n = db_exec(db, "DELETE FROM calendar_links WHERE user_id = ?", DB_I(user_id));

	return n < 0 ? -1 : n > 0;
}

int
calendar_link_status(struct db *db, int64_t user_id, int64_t *created_at, int64_t *last_used_at)
{
	struct db_rows *r = db_query(db, "SELECT created_at, last_used_at FROM calendar_links "
	    "WHERE user_id = ?", DB_I(user_id));
	int found;

	if (r == NULL)
		return -1;
	if ((found = db_rows_count(r) > 0)) {
		*created_at = db_rows_int(r, 0, 0);
		*last_used_at = db_rows_isnull(r, 0, 1) ? 0 : db_rows_int(r, 0, 1);
	}
	db_rows_free(r);
	return found;
}

json_t *
calendar_link_export(struct db *db, const struct user *u)
{
	int64_t created, used;

	switch (calendar_link_status(db, u->id, &created, &used)) {
	case 1:
		return json_pack("{s:I, s:o}", "created_at", (json_int_t)created,
		    "last_used_at", used ? json_integer(used) : json_null());
	case 0:
		return json_null();
	default:
		return NULL;
	}
}

/* ---- the feed ---- */

/* The token of "/calendar/<token>.ics", or NULL if the segment is not one. */
static const char *
feed_token(struct ctx *c)
{
	const char *seg = c->param[0];
	size_t len = seg ? strlen(seg) : 0, i;

	if (len < 4 + 20 || len > 4 + 100 || strcmp(seg + len - 4, ".ics") != 0)
		return NULL;
	for (i = 0; i < len - 4; i++)
		if (!((seg[i] >= 'A' && seg[i] <= 'Z') || (seg[i] >= 'a' && seg[i] <= 'z') ||
		    (seg[i] >= '0' && seg[i] <= '9') || seg[i] == '-' || seg[i] == '_'))
			return NULL;
	return arena_strndup(c->a, seg, len - 4);
}

/* The first column of r as ids (arena); r is freed.  false on error. */
static bool
rows_ids(struct ctx *c, struct db_rows *r, const int64_t **ids, size_t *n)
{
	int64_t *out;
	size_t i;

	if (r == NULL)
		return false;
	*n = db_rows_count(r);
	out = arena_zalloc(c->a, (*n + 1) * sizeof(*out));
	for (i = 0; i < *n; i++)
		out[i] = db_rows_int(r, i, 0);
	db_rows_free(r);
	*ids = out;
	return true;
}

/* What the member's calendar holds (sorted ids).  false on a database error. */
static bool
feed_contents(struct ctx *c, int64_t user_id, struct meetings_personal *own)
{
	if (!rows_ids(c, db_query(c->db, "SELECT circle_id FROM circle_members WHERE user_id = ? "
	    "AND state = 'active' ORDER BY circle_id LIMIT ?", DB_I(user_id), DB_I(FEED_IDS_MAX)),
	    &own->circles, &own->ncircles))
		return false;
	return rows_ids(c, db_query(c->db, "SELECT DISTINCT r.meeting_id FROM circle_rsvps r "
	    "JOIN meetings m ON m.id = r.meeting_id WHERE r.user_id = ? AND r.response = 'yes' "
	    "AND r.session_start >= ? AND (m.circle_id IS NULL OR EXISTS (SELECT 1 FROM "
	    "circle_members cm WHERE cm.circle_id = m.circle_id AND cm.user_id = r.user_id AND "
	    "cm.state = 'active')) ORDER BY r.meeting_id LIMIT ?", DB_I(user_id),
	    DB_I(c->now - RSVP_GRACE), DB_I(FEED_IDS_MAX)), &own->meetings, &own->nmeetings);
}

/* A fingerprint of the feed's contents (hex), to notice when they change. */
static void
feed_fingerprint(const struct meetings_personal *own, char out[33])
{
	crypto_generichash_state st;
	unsigned char h[16];

	crypto_generichash_init(&st, NULL, 0, sizeof(h));
	crypto_generichash_update(&st, (const unsigned char *)&own->ncircles,
	    sizeof(own->ncircles));
	crypto_generichash_update(&st, (const unsigned char *)own->circles,
	    own->ncircles * sizeof(*own->circles));
	crypto_generichash_update(&st, (const unsigned char *)own->meetings,
	    own->nmeetings * sizeof(*own->meetings));
	crypto_generichash_final(&st, h, sizeof(h));
	sodium_bin2hex(out, 33, h, sizeof(h));
}

void
h_calendar_feed(struct ctx *c)
{
	const char *token = feed_token(c);
	struct meetings_personal own;
	struct db_rows *r;
	char hash[65], fp[33];
	int64_t user_id, changed_at, used;
	bool same;

	if (token == NULL) {
		respond_error(c, 404, "not_found", "errors.404.message", NULL);
		return;
	}
	crypto_token_hash(token, hash);
	r = db_query(c->db, "SELECT l.user_id, l.feed_hash, l.feed_changed_at, l.last_used_at, "
	    "u.lang FROM calendar_links l JOIN users u ON u.id = l.user_id "
	    "WHERE l.token_hash = ? AND u.disabled = 0", DB_T(hash));
	if (r == NULL) {
		circles_server_error(c, "calendar feed");
		return;
	}
	if (db_rows_count(r) == 0) {
		db_rows_free(r);
		respond_error(c, 404, "not_found", "errors.404.message", NULL);
		return;
	}
	user_id = db_rows_int(r, 0, 0);
	changed_at = db_rows_int(r, 0, 2);
	used = db_rows_isnull(r, 0, 3) ? 0 : db_rows_int(r, 0, 3);
	c->lang = i18n_negotiate(db_rows_text(r, 0, 4), STR(""));
	memset(&own, 0, sizeof(own));
	own.title = i18n_get(c->lang, "calendar.feed.name");
	if (!feed_contents(c, user_id, &own)) {
		db_rows_free(r);
		circles_server_error(c, "calendar feed");
		return;
	}
	feed_fingerprint(&own, fp);
	same = !db_rows_isnull(r, 0, 1) && strcmp(db_rows_text(r, 0, 1), fp) == 0;
	db_rows_free(r);
	if (!same || c->now - used >= TOUCH_EVERY) {
		if (!same)
			changed_at = c->now;
		/* Bookkeeping only: a failure here does not keep the calendar back. */
		if (db_exec(c->db, "UPDATE calendar_links SET feed_hash = ?, feed_changed_at = ?, "
		    "last_used_at = ? WHERE user_id = ?", DB_T(fp), DB_I(changed_at), DB_I(c->now),
		    DB_I(user_id)) < 0)
			log_warnx("calendar link: touch failed: %s", db_errmsg(c->db));
	}
	http_response_header(c->resp, "Cache-Control", "private, no-cache");
	http_response_header(c->resp, "X-Robots-Tag", "noindex, nofollow");
	meetings_ics_personal(c, &own, changed_at);
}

/* ---- the page and the API ---- */

static const char *
feed_url(struct ctx *c, const char *token)
{
	return arena_printf(c->a, "%s/calendar/%s.ics", c->cfg->public_url, token);
}

/* "webcal://host/...": opens the calendar app, subscribing to the address. */
static const char *
webcal_url(struct ctx *c, const char *url)
{
	const char *p = strstr(url, "://");

	return p ? arena_printf(c->a, "webcal%s", p) : url;
}

static void
render(struct ctx *c, int status, const char *token, const char *notice)
{
	json_t *d = json_object();
	int64_t created = 0, used = 0;
	int rc = calendar_link_status(c->db, c->user->id, &created, &used);

	if (rc < 0) {
		json_decref(d);
		circles_server_error(c, "calendar link");
		return;
	}
	json_object_set_new(d, "exists", json_boolean(rc == 1));
	if (rc == 1) {
		json_object_set_new(d, "created_text", json_string(circles_format_date(c, created)));
		if (used)
			json_object_set_new(d, "used_text", json_string(circles_format_date(c, used)));
	}
	if (token != NULL) {
		const char *url = feed_url(c, token);
		json_object_set_new(d, "url", json_string(url));
		json_object_set_new(d, "webcal_url", json_string(webcal_url(c, url)));
	}
	if (notice != NULL)
		json_object_set_new(d, "notice", json_string(i18n_get(c->lang, notice)));
	respond_page(c, status, "circles/calendar_link", "calendar.page.title", d);
}

void
h_calendar_link_page(struct ctx *c)
{
	const char *done = params_get(&c->query, "done");

	render(c, 200, NULL, done && strcmp(done, "revoked") == 0 ?
	    "calendar.page.revoked" : NULL);
}

void
h_calendar_link_create(struct ctx *c)
{
	char *token = calendar_link_create(c->db, c->user->id, c->now);

	if (token == NULL) {
		circles_server_error(c, "calendar link");
		return;
	}
	/* Shown in this answer only (not a redirect: the address stays out of history). */
	render(c, 200, arena_strdup(c->a, token), "calendar.page.made");
	sodium_memzero(token, strlen(token));
	free(token);
}

void
h_calendar_link_revoke(struct ctx *c)
{
	if (calendar_link_revoke(c->db, c->user->id) < 0) {
		circles_server_error(c, "calendar link");
		return;
	}
	respond_redirect(c, "/account/calendar?done=revoked");
}

void
h_api_calendar_link(struct ctx *c)
{
	json_t *j = calendar_link_export(c->db, c->user);

	if (j == NULL) {
		circles_server_error(c, "calendar link");
		return;
	}
	respond_json(c, 200, json_pack("{s:o}", "link", j));
}

void
h_api_calendar_link_create(struct ctx *c)
{
	char *token = calendar_link_create(c->db, c->user->id, c->now);
	const char *url;

	if (token == NULL) {
		circles_server_error(c, "calendar link");
		return;
	}
	url = feed_url(c, token);
	respond_json(c, 201, json_pack("{s:s, s:s, s:I}", "url", url, "webcal_url",
	    webcal_url(c, url), "created_at", (json_int_t)c->now));
	sodium_memzero(token, strlen(token));
	free(token);
}

void
h_api_calendar_link_delete(struct ctx *c)
{
	if (calendar_link_revoke(c->db, c->user->id) < 0) {
		circles_server_error(c, "calendar link");
		return;
	}
	respond_empty(c, 204);
}
