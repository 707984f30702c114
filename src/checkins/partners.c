/*
 * partners.c: accountability partnerships (see partners.h).
 *
 * Design:
 *
 * - State changes are conditional UPDATEs (WHERE state = 'proposed' and
 *   the caller is the right side), so a double click or two servers never
 *   accept twice.
 * - Consents are granted after the state change and outside any
 *   transaction, because consent_grant writes the audit log in its own
 *   transaction.  If a grant fails, the partnership is ended and whatever
 *   was granted is revoked: sharing never half-exists.
 * - The quiet-check-in watch is a chain of jobs per member and partnership,
 *   versioned like reminders: changing the number of days starts a new
 *   chain and the old one stops at its next run.  An alert is recorded per
 *   silence (keyed by the last check-in), so each silence alerts once.
 * - Messages to the other member are discreet and wait for the end of the
 *   receiver's quiet hours.
 */
#include "checkins/partners.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/users.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/mem.h"
#include "checkins/remind.h"
#include "checkins/sms.h"
#include "checkins/store.h"
#include "notify/jobs.h"
#include "privacy/consent.h"
#include "view/view.h"

/* ---- pure ---- */

static const struct {
	int		 bit;
	const char	*name;
} share_names[] = {
	{ SHARE_CHECKINS, CONSENT_CHECKINS },
	{ SHARE_GOALS, CONSENT_GOALS },
	{ SHARE_MILESTONES, CONSENT_MILESTONES },
};
#define NSHARES	(sizeof(share_names) / sizeof(share_names[0]))

int
partners_shares_parse(const char *s)
{
	int bits = 0;
	size_t i, n;

	while (s != NULL && *s != '\0') {
		n = strcspn(s, ",");
		for (i = 0; i < NSHARES; i++)
			if (strlen(share_names[i].name) == n && strncmp(share_names[i].name, s, n) == 0)
				break;
		if (i == NSHARES)
			return -1;
		bits |= share_names[i].bit;
		s += n;
		if (*s == ',')
			s++;
	}
	return bits;
}

void
partners_shares_format(int bits, char *out, size_t size)
{
	size_t i, used = 0;

	if (size == 0)
		return;
	out[0] = '\0';
	for (i = 0; i < NSHARES; i++)
		if ((bits & share_names[i].bit) && used + strlen(share_names[i].name) + 2 < size)
			used += (size_t)snprintf(out + used, size - used, "%s%s", used ? "," : "",
			    share_names[i].name);
}

const char *
partners_share_category(int bit)
{
	size_t i;

	for (i = 0; i < NSHARES; i++)
		if (share_names[i].bit == bit)
			return share_names[i].name;
	return NULL;
}

void
partners_watch_plan(int64_t last_checkin, int64_t since, int days, int64_t now,
    struct watch_plan *out)
{
	out->silent_since = last_checkin > since ? last_checkin : since;
	out->due = out->silent_since + (int64_t)days * 86400;
	out->overdue = now >= out->due;
	out->next_run = out->overdue ? now + PARTNER_WATCH_RECHECK : out->due;
}

/* ---- storage ---- */

struct pship {
	int64_t	 id;
	int64_t	 proposer;
	int64_t	 partner;
	char	 state[16];
	int	 proposer_shares;
	int	 partner_shares;
	int	 every;
	int	 proposer_alert;	/* -1: never */
	int	 partner_alert;
	int64_t	 proposer_watch;
	int64_t	 partner_watch;
	int64_t	 created_at;
	int64_t	 accepted_at;	/* 0 until accepted */
};

#define PSHIP_COLS	"id, proposer_id, partner_id, state, proposer_shares, partner_shares, " \
			"checkin_every_days, proposer_alert_days, partner_alert_days, " \
			"proposer_watch, partner_watch, created_at, accepted_at"
#define PSHIP_COLS_P	"p.id, p.proposer_id, p.partner_id, p.state, p.proposer_shares, " \
			"p.partner_shares, p.checkin_every_days, p.proposer_alert_days, " \
			"p.partner_alert_days, p.proposer_watch, p.partner_watch, p.created_at, " \
			"p.accepted_at"

static void
row_pship(struct db_rows *r, size_t i, struct pship *p)
{
	memset(p, 0, sizeof(*p));
	p->id = db_rows_int(r, i, 0);
	p->proposer = db_rows_int(r, i, 1);
	p->partner = db_rows_int(r, i, 2);
	snprintf(p->state, sizeof(p->state), "%s", db_rows_text(r, i, 3));
	p->proposer_shares = partners_shares_parse(db_rows_text(r, i, 4));
	p->partner_shares = partners_shares_parse(db_rows_text(r, i, 5));
	p->every = (int)db_rows_int(r, i, 6);
	p->proposer_alert = db_rows_isnull(r, i, 7) ? -1 : (int)db_rows_int(r, i, 7);
	p->partner_alert = db_rows_isnull(r, i, 8) ? -1 : (int)db_rows_int(r, i, 8);
	p->proposer_watch = db_rows_int(r, i, 9);
	p->partner_watch = db_rows_int(r, i, 10);
	p->created_at = db_rows_int(r, i, 11);
	p->accepted_at = db_rows_int(r, i, 12);
}

/* 0 found, 1 not found, -1 error. */
static int
load(struct db *db, int64_t id, struct pship *p)
{
	struct db_rows *r = db_query(db, "SELECT " PSHIP_COLS " FROM partnerships WHERE id = ?",
	    DB_I(id));
	int rc;

	if (r == NULL)
		return -1;
	rc = db_rows_count(r) > 0 ? 0 : 1;
	if (rc == 0)
		row_pship(r, 0, p);
	db_rows_free(r);
	return rc;
}

static struct db_value
opt_days(int d)
{
	return d < 0 ? DB_NUL : DB_I(d);
}

/* ---- messages to a member ---- */

/*
 * Send the message key ("nudge", "alert") to user_id: by text when they
 * have a linked number that has not texted STOP, else by email, after
 * their quiet hours.  0 sent, 1 no way to reach them, -1 error.
 */
static int
deliver(struct db *db, const struct config *cfg, int64_t user_id, const char *key, json_t *vars,
    const char *dedupe, int64_t now)
{
	struct checkin_settings s;
	struct sms_phone phone;
	struct db_rows *r;
	const struct tz *tz;
	char lang[8], k[96], dk[128];
	int64_t run_at = now, id;
	int rc = 1, stopped = 0;
	char *email = NULL;

	r = db_query(db, "SELECT email, lang, disabled FROM users WHERE id = ?", DB_I(user_id));
	if (r == NULL)
		return -1;
	if (db_rows_count(r) == 0 || db_rows_int(r, 0, 2) != 0) {
		db_rows_free(r);
		return 1;
	}
	email = db_rows_isnull(r, 0, 0) ? NULL : xstrdup(db_rows_text(r, 0, 0));
	snprintf(lang, sizeof(lang), "%s", db_rows_text(r, 0, 1));
	db_rows_free(r);
	if (!i18n_supported(lang))
		snprintf(lang, sizeof(lang), "en");
	json_object_set_new(vars, "url", json_string(cfg->public_url));

	if (settings_load(db, user_id, &s) == 0 && (tz = settings_tz(&s)) != NULL)
		run_at = reminders_after_quiet(&s.plan, tz, now);
	if (sms_phone_get(db, user_id, now, &phone) == -1 ||
	    (phone.verified && (stopped = sms_stopped(db, phone.number)) < 0)) {
		free(email);
		return -1;
	}
	if (phone.verified && !stopped) {
		char *text;

		snprintf(k, sizeof(k), "checkins.partners.msg.%s_sms", key);
		snprintf(dk, sizeof(dk), "%s:sms", dedupe);
		text = i18n_format(lang, k, vars);
		id = sms_enqueue(db, phone.number, text, user_id, dk, run_at, now);
		free(text);
		rc = id < 0 ? -1 : 0;
	} else if (email != NULL) {
		char *subject, *text;
		json_t *p;

		snprintf(k, sizeof(k), "checkins.partners.msg.%s_subject", key);
		subject = i18n_format(lang, k, vars);
		snprintf(k, sizeof(k), "checkins.partners.msg.%s_email", key);
		text = i18n_format(lang, k, vars);
		snprintf(dk, sizeof(dk), "%s:email", dedupe);
		p = json_pack("{s:s, s:s, s:s, s:I}", "to", email, "subject", subject, "text", text,
		    "user_id", (json_int_t)user_id);
		id = jobs_enqueue(db, "email", p, dk, run_at, now);
		json_decref(p);
		free(subject);
		free(text);
		rc = id < 0 ? -1 : 0;
	}
	free(email);
	return rc;
}

/* ---- the watch ---- */

static int
start_watch(struct db *db, int64_t pid, int64_t member_id, int64_t version, int64_t at,
    int64_t now)
{
	char key[128];
	json_t *p;
	int64_t id;

	snprintf(key, sizeof(key), "partner-watch:%" PRId64 ":%" PRId64 ":%" PRId64 ":%" PRId64,
	    pid, member_id, version, at);
	p = json_pack("{s:I, s:I, s:I}", "partnership_id", (json_int_t)pid,
	    "member_id", (json_int_t)member_id, "version", (json_int_t)version);
	id = jobs_enqueue(db, "partner_watch", p, key, at, now);
	json_decref(p);
	return id < 0 ? -1 : 0;
}

int
partners_watch_job(struct db *db, const struct config *cfg, json_t *payload, int64_t job_id,
    char **err)
{
	int64_t pid = json_integer_value(json_object_get(payload, "partnership_id"));
	int64_t mid = json_integer_value(json_object_get(payload, "member_id"));
	int64_t version = json_integer_value(json_object_get(payload, "version"));
	int64_t now = clock_now(), last, other, n;
	struct watch_plan plan;
	struct pship p;
	int rc, days;
	bool proposer;

	(void)job_id;
	if ((rc = load(db, pid, &p)) != 0) {
		if (rc < 0)
			*err = xstrdup("cannot read the partnership");
		return rc < 0 ? -1 : 0;
	}
	proposer = mid == p.proposer;
	if (strcmp(p.state, "active") != 0 || (!proposer && mid != p.partner) ||
	    version != (proposer ? p.proposer_watch : p.partner_watch))
		return 0;	/* ended, or a newer chain took over */
	days = proposer ? p.proposer_alert : p.partner_alert;
	if (days <= 0)
		return 0;
	other = proposer ? p.partner : p.proposer;
	if ((last = checkins_last_time(db, mid)) < 0) {
		*err = xstrdup("cannot read check-ins");
		return -1;
	}
	partners_watch_plan(last, p.accepted_at, days, now, &plan);
	if (plan.overdue) {
		/* once per silence: the row is keyed by when the silence began */
		n = db_exec(db, "INSERT INTO partner_alerts (partnership_id, member_id, silent_since, "
		    "sent_at) VALUES (?, ?, ?, ?) ON CONFLICT (partnership_id, member_id, "
		    "silent_since) DO NOTHING", DB_I(pid), DB_I(mid), DB_I(plan.silent_since),
		    DB_I(now));
		if (n < 0) {
			*err = xstrdup("cannot record the alert");
			return -1;
		}
		if (n == 1) {
			struct db_rows *r = db_query(db, "SELECT display_name FROM users WHERE id = ?",
			    DB_I(mid));
			char key[96];
			json_t *vars;

			if (r == NULL || db_rows_count(r) == 0) {
				db_rows_free(r);
				return 0;
			}
			vars = json_pack("{s:s, s:i}", "name", db_rows_text(r, 0, 0),
			    "days", (int)((now - plan.silent_since) / 86400));
			db_rows_free(r);
			snprintf(key, sizeof(key), "partner-alert:%" PRId64 ":%" PRId64 ":%" PRId64,
			    pid, mid, plan.silent_since);
			rc = deliver(db, cfg, other, (now - plan.silent_since) / 86400 == 1 ?
			    "alert_one" : "alert", vars, key, now);
			json_decref(vars);
			if (rc < 0) {
				*err = xstrdup("cannot queue the alert");
				return -1;
			}
		}
	}
	if (start_watch(db, pid, mid, version, plan.next_run, now) == -1) {
		*err = xstrdup("cannot queue the next look");
		return -1;
	}
	return 0;
}

/* ---- actions ---- */

static bool
open_between(struct db *db, int64_t a, int64_t b, bool *exists)
{
	struct db_rows *r = db_query(db, "SELECT 1 FROM partnerships WHERE state IN "
	    "('proposed', 'active') AND ((proposer_id = ? AND partner_id = ?) OR "
	    "(proposer_id = ? AND partner_id = ?))", DB_I(a), DB_I(b), DB_I(b), DB_I(a));

	if (r == NULL)
		return false;
	*exists = db_rows_count(r) > 0;
	db_rows_free(r);
	return true;
}

int64_t
partners_propose(struct ctx *c, int64_t partner_id, int shares, int every, int alert_days)
{
	char sh[32];
	bool exists;
	struct db_rows *r;
	int64_t count;

	/* only someone the caller can already see as a candidate: their chapter */
	r = db_query(c->db, "SELECT 1 FROM users WHERE id = ? AND id <> ? AND disabled = 0 AND "
	    "chapter_id = ?", DB_I(partner_id), DB_I(c->user->id),
	    DB_I(c->user->chapter_id > 0 ? c->user->chapter_id : -1));
	if (r == NULL)
		return -1;
	exists = db_rows_count(r) > 0;
	db_rows_free(r);
	if (!exists)
		return -2;
	if (!open_between(c->db, c->user->id, partner_id, &exists))
		return -1;
	if (exists)
		return 0;
	r = db_query(c->db, "SELECT COUNT(*) FROM partnerships WHERE state IN ('proposed', "
	    "'active') AND (proposer_id = ? OR partner_id = ?)", DB_I(c->user->id),
	    DB_I(c->user->id));
	if (r == NULL)
		return -1;
	count = db_rows_int(r, 0, 0);
	db_rows_free(r);
	if (count >= PARTNERS_OPEN_MAX)
		return 0;
	partners_shares_format(shares, sh, sizeof(sh));
	return db_insert(c->db, "INSERT INTO partnerships (proposer_id, partner_id, "
	    "proposer_shares, checkin_every_days, proposer_alert_days, created_at) "
	    "VALUES (?, ?, ?, ?, ?, ?) RETURNING id", DB_I(c->user->id), DB_I(partner_id),
	    DB_T(sh), DB_I(every), opt_days(alert_days), DB_I(c->now));
}

/* Grant member's share bits to grantee, linking each consent.  0 or -1. */
static int
grant_shares(struct ctx *c, int64_t pid, int64_t member_id, int64_t grantee, int bits)
{
	struct user *m = user_load(c->db, c->a, member_id);
	const char *purpose;
	size_t i;

	if (m == NULL)
		return -1;
	purpose = i18n_get(m->lang ? m->lang : "en", "checkins.partners.purpose");
	for (i = 0; i < NSHARES; i++) {
		int64_t cid;

		if (!(bits & share_names[i].bit))
			continue;
		cid = consent_grant(c->db, m, grantee, 0, share_names[i].name, purpose, 0, c->now);
		if (cid <= 0 || db_exec(c->db, "INSERT INTO partnership_consents (partnership_id, "
		    "consent_id) VALUES (?, ?)", DB_I(pid), DB_I(cid)) != 1)
			return -1;
	}
	return 0;
}

/* Revoke every consent the partnership created that is still on. */
static int
revoke_shares(struct ctx *c, int64_t pid)
{
	struct db_rows *r;
	size_t i;
	int rc = 0;

	r = db_query(c->db, "SELECT c.id, c.member_id FROM partnership_consents pc "
	    "JOIN consents c ON c.id = pc.consent_id WHERE pc.partnership_id = ? "
	    "AND c.revoked_at IS NULL", DB_I(pid));
	if (r == NULL)
		return -1;
	for (i = 0; i < db_rows_count(r); i++) {
		struct user *m = user_load(c->db, c->a, db_rows_int(r, i, 1));

		if (m == NULL || consent_revoke(c->db, m, db_rows_int(r, i, 0), c->now) == -1)
			rc = -1;
	}
	db_rows_free(r);
	return rc;
}

int
partners_accept(struct ctx *c, int64_t id, int shares, int alert_days)
{
	struct pship p;
	char sh[32];
	int64_t n;
	int rc;

	partners_shares_format(shares, sh, sizeof(sh));
	n = db_exec(c->db, "UPDATE partnerships SET state = 'active', partner_shares = ?, "
	    "partner_alert_days = ?, accepted_at = ?, proposer_watch = proposer_watch + 1, "
	    "partner_watch = partner_watch + 1 WHERE id = ? AND partner_id = ? AND "
	    "state = 'proposed'", DB_T(sh), opt_days(alert_days), DB_I(c->now), DB_I(id),
	    DB_I(c->user->id));
	if (n < 0)
		return -1;
	if (n == 0)
		return 1;
	if ((rc = load(c->db, id, &p)) != 0)
		return -1;
	if (grant_shares(c, id, p.proposer, p.partner, p.proposer_shares) == -1 ||
	    grant_shares(c, id, p.partner, p.proposer, p.partner_shares) == -1) {
		log_warnx("partners: sharing for partnership %" PRId64 " failed; ending it", id);
		db_exec(c->db, "UPDATE partnerships SET state = 'ended', ended_at = ? WHERE id = ?",
		    DB_I(c->now), DB_I(id));
		revoke_shares(c, id);
		return -1;
	}
	if ((p.proposer_alert > 0 && start_watch(c->db, id, p.proposer, p.proposer_watch,
	    c->now, c->now) == -1) || (p.partner_alert > 0 && start_watch(c->db, id, p.partner,
	    p.partner_watch, c->now, c->now) == -1))
		return -1;
	return 0;
}

int
partners_decline(struct ctx *c, int64_t id)
{
	int64_t n = db_exec(c->db, "UPDATE partnerships SET state = 'declined', ended_at = ? "
	    "WHERE id = ? AND (partner_id = ? OR proposer_id = ?) AND state = 'proposed'",
	    DB_I(c->now), DB_I(id), DB_I(c->user->id), DB_I(c->user->id));

	return n < 0 ? -1 : n == 0 ? 1 : 0;
}

int
partners_end(struct ctx *c, int64_t id)
{
	int64_t n = db_exec(c->db, "UPDATE partnerships SET state = 'ended', ended_at = ? "
	    "WHERE id = ? AND (partner_id = ? OR proposer_id = ?) AND state = 'active'",
	    DB_I(c->now), DB_I(id), DB_I(c->user->id), DB_I(c->user->id));

	if (n < 0)
		return -1;
	if (n == 0)
		return 1;
	return revoke_shares(c, id) == -1 ? -1 : 0;
}

int
partners_set_alert(struct ctx *c, int64_t id, int alert_days)
{
	struct pship p;
	int64_t n;
	bool proposer;
	int rc;

	if ((rc = load(c->db, id, &p)) != 0)
		return rc;
	proposer = p.proposer == c->user->id;
	if ((!proposer && p.partner != c->user->id) || strcmp(p.state, "active") != 0)
		return 1;
	if (proposer)
		n = db_exec(c->db, "UPDATE partnerships SET proposer_alert_days = ?, "
		    "proposer_watch = proposer_watch + 1 WHERE id = ?", opt_days(alert_days),
		    DB_I(id));
	else
		n = db_exec(c->db, "UPDATE partnerships SET partner_alert_days = ?, "
		    "partner_watch = partner_watch + 1 WHERE id = ?", opt_days(alert_days),
		    DB_I(id));
	if (n != 1 || load(c->db, id, &p) != 0)
		return -1;
	if (alert_days > 0 && start_watch(c->db, id, c->user->id, proposer ? p.proposer_watch :
	    p.partner_watch, c->now, c->now) == -1)
		return -1;
	return 0;
}

int64_t
partners_other(struct ctx *c, int64_t id)
{
	struct pship p;

	if (load(c->db, id, &p) != 0 || strcmp(p.state, "active") != 0)
		return 0;
	if (p.proposer == c->user->id)
		return p.partner;
	if (p.partner == c->user->id)
		return p.proposer;
	return 0;
}

int
partners_nudge(struct ctx *c, int64_t id)
{
	struct db_rows *r;
	int64_t other = partners_other(c, id), nid;
	char key[96];
	json_t *vars;
	bool recent;
	int rc;

	if (other == 0)
		return 1;
	r = db_query(c->db, "SELECT 1 FROM partner_nudges WHERE partnership_id = ? AND "
	    "from_id = ? AND created_at > ?", DB_I(id), DB_I(c->user->id),
	    DB_I(c->now - PARTNER_NUDGE_GAP));
	if (r == NULL)
		return -1;
	recent = db_rows_count(r) > 0;
	db_rows_free(r);
	if (recent)
		return 2;
	nid = db_insert(c->db, "INSERT INTO partner_nudges (partnership_id, from_id, created_at) "
	    "VALUES (?, ?, ?) RETURNING id", DB_I(id), DB_I(c->user->id), DB_I(c->now));
	if (nid <= 0)
		return -1;
	snprintf(key, sizeof(key), "partner-nudge:%" PRId64, nid);
	vars = json_pack("{s:s}", "name", c->user->display_name);
	rc = deliver(c->db, c->cfg, other, "nudge", vars, key, c->now);
	json_decref(vars);
	return rc < 0 ? -1 : 0;
}

static json_t *
shares_json(int bits)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < NSHARES; i++)
		if (bits > 0 && (bits & share_names[i].bit))
			json_array_append_new(a, json_string(share_names[i].name));
	return a;
}

static json_t *
days_or_null(int d)
{
	return d < 0 ? json_null() : json_integer(d);
}

json_t *
partners_list_json(struct ctx *c)
{
	struct db_rows *r;
	json_t *a;
	size_t i;

	r = db_query(c->db, "SELECT " PSHIP_COLS_P ", u.display_name, (SELECT MAX(n.created_at) "
	    "FROM partner_nudges n WHERE n.partnership_id = p.id AND n.from_id <> ?) "
	    "FROM partnerships p JOIN users u ON u.id = CASE WHEN p.proposer_id = ? "
	    "THEN p.partner_id ELSE p.proposer_id END "
	    "WHERE (p.proposer_id = ? OR p.partner_id = ?) AND p.state IN ('proposed', 'active') "
	    "ORDER BY p.id DESC LIMIT 100", DB_I(c->user->id), DB_I(c->user->id),
	    DB_I(c->user->id), DB_I(c->user->id));
	if (r == NULL) {
		log_warnx("partners: list failed: %s", db_errmsg(c->db));
		return NULL;
	}
	a = json_array();
	for (i = 0; i < db_rows_count(r); i++) {
		struct pship p;
		bool mine;
		json_t *o;

		row_pship(r, i, &p);
		mine = p.proposer == c->user->id;
		o = json_pack("{s:I, s:s, s:s, s:{s:I, s:s}, s:o, s:o, s:i, s:o, s:o, s:I}",
		    "id", (json_int_t)p.id, "state", p.state, "role", mine ? "proposer" : "partner",
		    "other", "id", (json_int_t)(mine ? p.partner : p.proposer),
		    "display_name", db_rows_text(r, i, 13),
		    "i_share", shares_json(mine ? p.proposer_shares : p.partner_shares),
		    "they_share", shares_json(mine ? p.partner_shares : p.proposer_shares),
		    "checkin_every_days", p.every,
		    "my_alert_days", days_or_null(mine ? p.proposer_alert : p.partner_alert),
		    "their_alert_days", days_or_null(mine ? p.partner_alert : p.proposer_alert),
		    "created_at", (json_int_t)p.created_at);
		json_object_set_new(o, "accepted_at", p.accepted_at ? json_integer(p.accepted_at) :
		    json_null());
		json_object_set_new(o, "nudged_at", db_rows_isnull(r, i, 14) ? json_null() :
		    json_integer(db_rows_int(r, i, 14)));
		json_array_append_new(a, o);
	}
	db_rows_free(r);
	return a;
}

json_t *
partners_candidates_json(struct ctx *c, const char *q)
{
	const char *like = db_like_contains(c->a, q);
	struct db_rows *r;
	json_t *a;
	size_t i;

	if (c->user->chapter_id <= 0)
		return json_array();
	r = db_query(c->db, "SELECT u.id, u.display_name FROM users u WHERE u.chapter_id = ? "
	    "AND u.disabled = 0 AND u.id <> ? AND LOWER(u.display_name) LIKE ? ESCAPE '\\' "
	    "AND NOT EXISTS (SELECT 1 FROM partnerships p WHERE p.state IN ('proposed', "
	    "'active') AND ((p.proposer_id = u.id AND p.partner_id = ?) OR "
	    "(p.partner_id = u.id AND p.proposer_id = ?))) "
	    "ORDER BY LOWER(u.display_name), u.id LIMIT 100", DB_I(c->user->chapter_id),
	    DB_I(c->user->id), DB_T(like), DB_I(c->user->id), DB_I(c->user->id));
	if (r == NULL)
		return NULL;
	a = json_array();
	for (i = 0; i < db_rows_count(r); i++)
		json_array_append_new(a, json_pack("{s:I, s:s}", "id",
		    (json_int_t)db_rows_int(r, i, 0), "display_name", db_rows_text(r, i, 1)));
	db_rows_free(r);
	return a;
}
