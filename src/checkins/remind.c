/*
 * remind.c: time zone and reminder settings, and the reminder job (see
 * remind.h).
 *
 * Messages are discreet: a lock screen shows "a moment to check in?",
 * never anything about recovery.  Texts go only to a verified number that
 * has not texted STOP (checked again when the text is sent); emails only
 * to an address on the account.
 */
#include "checkins/remind.h"

#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/mem.h"
#include "checkins/sms.h"
#include "checkins/store.h"
#include "notify/jobs.h"
#include "view/view.h"

#define DEFAULT_ZONE	"UTC"

/* Bumped by every save in this process: lets per-request caches notice. */
static _Atomic uint64_t generation;

uint64_t
settings_generation(void)
{
	return generation;
}

int
settings_load(struct db *db, int64_t user_id, struct checkin_settings *s)
{
	struct db_rows *r;

	memset(s, 0, sizeof(*s));
	snprintf(s->time_zone, sizeof(s->time_zone), "%s", DEFAULT_ZONE);
	s->plan.quiet_start = s->plan.quiet_end = -1;
	r = db_query(db, "SELECT time_zone, reminder_times, remind_by_sms, remind_by_email, "
	    "quiet_start, quiet_end, version FROM checkin_settings WHERE user_id = ?",
	    DB_I(user_id));
	if (r == NULL) {
		log_warnx("checkins: settings failed: %s", db_errmsg(db));
		return -1;
	}
	if (db_rows_count(r) > 0) {
		snprintf(s->time_zone, sizeof(s->time_zone), "%s", db_rows_text(r, 0, 0));
		if (!reminders_parse_list(db_rows_text(r, 0, 1), &s->plan))
			s->plan.ntimes = 0;
		s->by_sms = db_rows_int(r, 0, 2) != 0;
		s->by_email = db_rows_int(r, 0, 3) != 0;
		if (!db_rows_isnull(r, 0, 4) && !db_rows_isnull(r, 0, 5)) {
			s->plan.quiet_start = (int)db_rows_int(r, 0, 4);
			s->plan.quiet_end = (int)db_rows_int(r, 0, 5);
		}
		s->version = db_rows_int(r, 0, 6);
	}
	db_rows_free(r);
	return 0;
}

const struct tz *
settings_tz(const struct checkin_settings *s)
{
	const struct tz *tz = tz_get(s->time_zone);

	return tz ? tz : tz_get(DEFAULT_ZONE);
}

int64_t
settings_offset(struct db *db, int64_t user_id, int64_t now)
{
	struct checkin_settings s;
	const struct tz *tz;

	if (settings_load(db, user_id, &s) == -1 || (tz = settings_tz(&s)) == NULL)
		return 0;
	return tz_offset_at(tz, now);
}

int64_t
settings_next_reminder(const struct checkin_settings *s, int64_t now)
{
	const struct tz *tz = settings_tz(s);

	if (tz == NULL || s->plan.ntimes == 0 || (!s->by_sms && !s->by_email))
		return -1;
	return reminders_next(&s->plan, tz, now);
}

/* Queue the reminder at `at`, the one after `prev`, for this version. */
static int
queue_reminder(struct db *db, int64_t user_id, int64_t version, int64_t at, int64_t prev,
    int64_t now)
{
	char key[96];
	json_t *p;
	int64_t id;

	snprintf(key, sizeof(key), "reminder:%" PRId64 ":%" PRId64 ":%" PRId64, user_id,
	    version, at);
	p = json_pack("{s:I, s:I, s:I, s:I}", "user_id", (json_int_t)user_id,
	    "version", (json_int_t)version, "at", (json_int_t)at, "prev", (json_int_t)prev);
	id = jobs_enqueue(db, "reminder", p, key, at, now);
	json_decref(p);
	return id < 0 ? -1 : 0;
}

int
settings_save(struct db *db, int64_t user_id, struct checkin_settings *s, int64_t now)
{
	char times[64];
	struct db_rows *r;
	int64_t next;
	bool quiet = s->plan.quiet_start >= 0 && s->plan.quiet_end >= 0;

	reminders_format_list(&s->plan, times, sizeof(times));
	if (db_begin(db) == -1)
		return -1;
	if (db_exec(db, "INSERT INTO checkin_settings (user_id, time_zone, reminder_times, "
	    "remind_by_sms, remind_by_email, quiet_start, quiet_end, version, updated_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?) ON CONFLICT (user_id) DO UPDATE SET "
	    "time_zone = excluded.time_zone, reminder_times = excluded.reminder_times, "
	    "remind_by_sms = excluded.remind_by_sms, remind_by_email = excluded.remind_by_email, "
	    "quiet_start = excluded.quiet_start, quiet_end = excluded.quiet_end, "
	    "version = checkin_settings.version + 1, updated_at = excluded.updated_at",
	    DB_I(user_id), DB_T(s->time_zone), DB_T(times), DB_I(s->by_sms),
	    DB_I(s->by_email), quiet ? DB_I(s->plan.quiet_start) : DB_NUL,
	    quiet ? DB_I(s->plan.quiet_end) : DB_NUL, DB_I(now)) != 1)
		goto fail;
	r = db_query(db, "SELECT version FROM checkin_settings WHERE user_id = ?", DB_I(user_id));
	if (r == NULL || db_rows_count(r) == 0) {
		db_rows_free(r);
		goto fail;
	}
	s->version = db_rows_int(r, 0, 0);
	db_rows_free(r);
	next = settings_next_reminder(s, now);
	if (next > 0 && queue_reminder(db, user_id, s->version, next, now, now) == -1)
		goto fail;
	if (db_commit(db) == -1)
		goto fail;
	generation++;
	return 0;
fail:
	log_warnx("checkins: saving settings failed: %s", db_errmsg(db));
	db_rollback(db);
	return -1;
}

/* ---- the job ---- */

struct member {
	char	*email;		/* NULL if none */
	char	*name;
	char	 lang[8];
	bool	 disabled;
};

static int
member_load(struct db *db, int64_t user_id, struct member *m)
{
	struct db_rows *r;

	memset(m, 0, sizeof(*m));
	r = db_query(db, "SELECT email, display_name, lang, disabled FROM users WHERE id = ?",
	    DB_I(user_id));
	if (r == NULL)
		return -1;
	if (db_rows_count(r) == 0) {
		db_rows_free(r);
		return 1;
	}
	m->email = db_rows_isnull(r, 0, 0) ? NULL : xstrdup(db_rows_text(r, 0, 0));
	m->name = xstrdup(db_rows_text(r, 0, 1));
	snprintf(m->lang, sizeof(m->lang), "%s", db_rows_text(r, 0, 2));
	if (!i18n_supported(m->lang))
		snprintf(m->lang, sizeof(m->lang), "en");
	m->disabled = db_rows_int(r, 0, 3) != 0;
	db_rows_free(r);
	return 0;
}

static void
member_free(struct member *m)
{
	free(m->email);
	free(m->name);
}

/* Send one reminder (the texts and emails are jobs of their own). 0 or -1. */
static int
send_reminder(struct db *db, const struct config *cfg, int64_t user_id,
    const struct checkin_settings *s, const struct member *m, int64_t at, int64_t now)
{
	char key[96];
	json_t *vars;
	char *text;
	int rc = 0;

	if (s->by_sms) {
		struct sms_phone phone;

		if (sms_phone_get(db, user_id, now, &phone) == -1)
			return -1;
		if (phone.verified) {
			snprintf(key, sizeof(key), "reminder-sms:%" PRId64 ":%" PRId64, user_id, at);
			text = i18n_format(m->lang, "checkins.reminders.sms", NULL);
			if (sms_enqueue(db, phone.number, text, user_id, key, now, now) < 0)
				rc = -1;
			free(text);
		}
	}
	if (s->by_email && m->email != NULL) {
		char *subject, *body;

		snprintf(key, sizeof(key), "reminder-email:%" PRId64 ":%" PRId64, user_id, at);
		vars = json_pack("{s:s, s:s}", "name", m->name, "url", cfg->public_url);
		subject = i18n_format(m->lang, "checkins.reminders.email_subject", vars);
		body = i18n_format(m->lang, "checkins.reminders.email_body", vars);
		json_decref(vars);
		if (jobs_enqueue_email(db, m->email, subject, body, key, user_id, now) < 0)
			rc = -1;
		free(subject);
		free(body);
	}
	return rc;
}

int
remind_job(struct db *db, const struct config *cfg, json_t *payload, int64_t job_id,
    char **err)
{
	int64_t uid = json_integer_value(json_object_get(payload, "user_id"));
	int64_t version = json_integer_value(json_object_get(payload, "version"));
	int64_t at = json_integer_value(json_object_get(payload, "at"));
	int64_t prev = json_integer_value(json_object_get(payload, "prev"));
	int64_t now = clock_now(), last, next;
	struct checkin_settings s;
	struct member m;
	int rc;

	(void)job_id;
	if (settings_load(db, uid, &s) == -1) {
		*err = xstrdup("cannot read reminder settings");
		return -1;
	}
	if (s.version != version)
		return 0;	/* the settings changed: a newer chain took over */
	if ((rc = member_load(db, uid, &m)) != 0) {
		if (rc < 0)
			*err = xstrdup("cannot read the member");
		return rc < 0 ? -1 : 0;
	}
	if (!m.disabled && now - at <= REMIND_LATE_MAX) {
		/* one reminder asks for one check-in: none if they already did */
		if ((last = checkins_last_time(db, uid)) < 0) {
			member_free(&m);
			*err = xstrdup("cannot read check-ins");
			return -1;
		}
		if (last < prev && send_reminder(db, cfg, uid, &s, &m, at, now) == -1) {
			member_free(&m);
			*err = xstrdup("cannot queue the reminder");
			return -1;
		}
	}
	member_free(&m);
	next = settings_next_reminder(&s, at > now - REMIND_LATE_MAX ? at : now);
	if (next > 0 && queue_reminder(db, uid, version, next, at, now) == -1) {
		*err = xstrdup("cannot queue the next reminder");
		return -1;
	}
	return 0;
}
