/*
 * jobs.c: a durable job queue with retries, in the database.
 *
 * Claiming: UPDATE ... SET state='running' WHERE id=? AND state='queued'.
 * Only one server's UPDATE changes the row, so only one runs it.  A job
 * left 'running' by a crashed server is requeued when its lease
 * (locked_until) passes; its Message-ID stays the same, so the rare resend
 * after a crash mid-send is recognisable as the same message.
 */
#include "notify/jobs.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/mem.h"
#include "notify/mail.h"
#include "privacy/crypto.h"

#define JOBS_MAX_KINDS	16
#define JOB_LEASE_S	300
#define JOB_BACKOFF_S	30
#define JOB_BACKOFF_MAX	(6 * 3600)

static struct {
	const char	*kind;
	job_fn		 fn;
} handlers[JOBS_MAX_KINDS];
static int nhandlers;

struct jobs_worker {
	pthread_t		 thread;
	const struct config	*cfg;
	bool			 stop;
};

static pthread_mutex_t wake_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake_cv = PTHREAD_COND_INITIALIZER;
static bool wake_flag;

void
jobs_register(const char *kind, job_fn fn)
{
	int i;

	for (i = 0; i < nhandlers; i++)
		if (strcmp(handlers[i].kind, kind) == 0) {
			handlers[i].fn = fn;
			return;
		}
	if (nhandlers == JOBS_MAX_KINDS)
		fatalx("too many job kinds");
	handlers[nhandlers].kind = kind;
	handlers[nhandlers].fn = fn;
	nhandlers++;
}

static job_fn
handler_for(const char *kind)
{
	int i;

	for (i = 0; i < nhandlers; i++)
		if (strcmp(handlers[i].kind, kind) == 0)
			return handlers[i].fn;
	return NULL;
}

int64_t
jobs_enqueue(struct db *db, const char *kind, json_t *payload, const char *dedupe_key,
    int64_t run_at, int64_t now)
{
	char *plain = json_dumps(payload, JSON_COMPACT);
	unsigned char *blob;
	size_t blen;
	int64_t id;

	if (plain == NULL)
		return -1;
	blob = crypto_seal(plain, strlen(plain), "jobs.payload", &blen);
	free(plain);
	id = db_insert(db, "INSERT INTO jobs (kind, payload_enc, dedupe_key, run_at, created_at) "
	    "VALUES (?, ?, ?, ?, ?) RETURNING id", DB_T(kind), DB_B(blob, blen), DB_T(dedupe_key),
	    DB_I(run_at), DB_I(now));
	free(blob);
	if (id < 0 && db_errcode(db) == DB_ERR_CONSTRAINT && dedupe_key != NULL)
		return 0;
	if (id > 0)
		jobs_worker_wake();
	return id;
}

int64_t
jobs_enqueue_email(struct db *db, const char *to, const char *subject, const char *text,
    const char *dedupe_key, int64_t recipient_user_id, int64_t now)
{
	json_t *p = json_pack("{s:s, s:s, s:s, s:I}", "to", to, "subject", subject, "text", text,
	    "user_id", (json_int_t)recipient_user_id);
	int64_t id;

	if (p == NULL)
		return -1;
	id = jobs_enqueue(db, "email", p, dedupe_key, now, now);
	json_decref(p);
	return id;
}

/* The built-in "email" job: one message over SMTP. */
static int
job_email(struct db *db, const struct config *cfg, json_t *payload, int64_t job_id, char **err)
{
	struct mail_config mc;
	struct mail_message mm;
	char msgid[128];
	const char *host;

	(void)db;
	if (cfg->smtp_url == NULL) {
		*err = xstrdup("email is not configured (CIRCLES_SMTP_URL)");
		return -2;
	}
	memset(&mc, 0, sizeof(mc));
	mc.url = cfg->smtp_url;
	mc.user = cfg->smtp_user;
	mc.password = cfg->smtp_password;
	mc.from = cfg->mail_from;
	mc.timeout_s = 30;
	host = strstr(cfg->public_url, "://");
	host = host ? host + 3 : "localhost";
	/* Stable per job: a resend after a crash carries the same Message-ID. */
	snprintf(msgid, sizeof(msgid), "<job-%lld@%.*s>", (long long)job_id,
	    (int)strcspn(host, ":/"), host);
	memset(&mm, 0, sizeof(mm));
	mm.to = json_string_value(json_object_get(payload, "to"));
	mm.subject = json_string_value(json_object_get(payload, "subject"));
	mm.text = json_string_value(json_object_get(payload, "text"));
	mm.message_id = msgid;
	if (mm.to == NULL || mm.subject == NULL || mm.text == NULL) {
		*err = xstrdup("malformed email job");
		return -2;
	}
	return mail_send(&mc, &mm, err) == 0 ? 0 : -1;
}

static int64_t
backoff(int64_t attempts)
{
	int64_t d = JOB_BACKOFF_S;

	while (--attempts > 0 && d < JOB_BACKOFF_MAX)
		d *= 2;
	return d < JOB_BACKOFF_MAX ? d : JOB_BACKOFF_MAX;
}

static int
run_one(struct db *db, const struct config *cfg, int64_t now)
{
	struct db_rows *r;
	int64_t id, attempts, max_attempts, uid;
	char *kind, *plain, *err = NULL;
	const unsigned char *blob;
	size_t blen, plen;
	json_t *payload;
	job_fn fn;
	int rc;

	/* Requeue jobs whose server died while running them. */
	db_exec(db, "UPDATE jobs SET state = 'queued' WHERE state = 'running' AND locked_until < ?",
	    DB_I(now));
	r = db_query(db, "SELECT id FROM jobs WHERE state = 'queued' AND run_at <= ? "
	    "ORDER BY run_at, id LIMIT 1", DB_I(now));
	if (r == NULL || db_rows_count(r) == 0) {
		db_rows_free(r);
		return 0;
	}
	id = db_rows_int(r, 0, 0);
	db_rows_free(r);
	if (db_exec(db, "UPDATE jobs SET state = 'running', attempts = attempts + 1, "
	    "locked_until = ? WHERE id = ? AND state = 'queued'", DB_I(now + JOB_LEASE_S),
	    DB_I(id)) != 1)
		return 1;	/* another server took it; look again */
	r = db_query(db, "SELECT kind, payload_enc, attempts, max_attempts FROM jobs WHERE id = ?",
	    DB_I(id));
	if (r == NULL || db_rows_count(r) == 0) {
		db_rows_free(r);
		return 0;
	}
	kind = xstrdup(db_rows_text(r, 0, 0));
	blob = db_rows_blob(r, 0, 1, &blen);
	plain = crypto_open(blob, blen, "jobs.payload", &plen);
	attempts = db_rows_int(r, 0, 2);
	max_attempts = db_rows_int(r, 0, 3);
	db_rows_free(r);

	payload = plain ? json_loads(plain, 0, NULL) : NULL;
	free(plain);
	fn = handler_for(kind);
	if (payload == NULL)
		rc = -2, err = xstrdup("unreadable payload");
	else if (fn == NULL)
		rc = -2, err = xasprintf("no handler for job kind %s", kind);
	else
		rc = fn(db, cfg, payload, id, &err);
	uid = payload ? json_integer_value(json_object_get(payload, "user_id")) : 0;

	if (rc == 0) {
		db_exec(db, "UPDATE jobs SET state = 'done', done_at = ?, last_error = NULL WHERE id = ?",
		    DB_I(clock_now()), DB_I(id));
		db_exec(db, "INSERT INTO sent_messages (job_id, channel, kind, recipient_user_id, "
		    "sent_at) VALUES (?, ?, ?, ?, ?)", DB_I(id), DB_T(kind), DB_T(kind),
		    uid ? DB_I(uid) : DB_NUL, DB_I(clock_now()));
	} else if (rc == -2 || attempts >= max_attempts) {
		db_exec(db, "UPDATE jobs SET state = 'failed', done_at = ?, last_error = ? WHERE id = ?",
		    DB_I(clock_now()), DB_T(err ? err : "failed"), DB_I(id));
		log_warnx("job %lld (%s) failed for good after %lld attempt(s): %s", (long long)id,
		    kind, (long long)attempts, err ? err : "");
	} else {
		db_exec(db, "UPDATE jobs SET state = 'queued', run_at = ?, last_error = ? WHERE id = ?",
		    DB_I(clock_now() + backoff(attempts)), DB_T(err ? err : "failed"), DB_I(id));
		log_warnx("job %lld (%s) attempt %lld failed, will retry: %s", (long long)id, kind,
		    (long long)attempts, err ? err : "");
	}
	json_decref(payload);
	free(err);
	free(kind);
	return 1;
}

int
jobs_run_due(struct db *db, const struct config *cfg, int max)
{
	int n = 0;

	while (n < max && run_one(db, cfg, clock_now()) == 1)
		n++;
	return n;
}

void
jobs_worker_wake(void)
{
	pthread_mutex_lock(&wake_mu);
	wake_flag = true;
	pthread_cond_signal(&wake_cv);
	pthread_mutex_unlock(&wake_mu);
}

static void *
worker_main(void *arg)
{
	struct jobs_worker *w = arg;
	struct db *db = NULL;
	char *err = NULL;

	while (1) {
		struct timespec ts;

		pthread_mutex_lock(&wake_mu);
		if (w->stop) {
			pthread_mutex_unlock(&wake_mu);
			break;
		}
		if (!wake_flag) {
			clock_gettime(CLOCK_REALTIME, &ts);
			/* Poll often in test mode, where the test clock moves in jumps. */
			ts.tv_nsec += (w->cfg->test_mode ? 100 : 1000) * 1000000L;
			if (ts.tv_nsec >= 1000000000L) {
				ts.tv_sec += ts.tv_nsec / 1000000000L;
				ts.tv_nsec %= 1000000000L;
			}
			pthread_cond_timedwait(&wake_cv, &wake_mu, &ts);
		}
		wake_flag = false;
		if (w->stop) {
			pthread_mutex_unlock(&wake_mu);
			break;
		}
		pthread_mutex_unlock(&wake_mu);

		if (db == NULL) {
			db = db_open(w->cfg->database_url, &err);
			if (db == NULL) {
				log_warnx("job worker cannot connect: %s", err ? err : "");
				free(err);
				err = NULL;
				continue;
			}
		}
		jobs_run_due(db, w->cfg, 50);
		if (db_errcode(db) == DB_ERR_CONNECTION) {
			db_close(db);
			db = NULL;
		}
	}
	if (db != NULL)
		db_close(db);
	return NULL;
}

struct jobs_worker *
jobs_worker_start(const struct config *cfg)
{
	struct jobs_worker *w = xcalloc(1, sizeof(*w));

	jobs_register("email", job_email);
	w->cfg = cfg;
	if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
		free(w);
		return NULL;
	}
	return w;
}

void
jobs_worker_stop(struct jobs_worker *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&wake_mu);
	w->stop = true;
	pthread_cond_signal(&wake_cv);
	pthread_mutex_unlock(&wake_mu);
	pthread_join(w->thread, NULL);
	free(w);
}
