/*
 * audit.c: the append-only, hash-chained audit log.
 *
 * Design:
 *
 * - Each row's hash is BLAKE2b-256 over a canonical serialization of the
 *   previous row's hash and the row's own fields.  Every field is written
 *   as "<length>:<bytes>" (NULL as "~"), so no choice of field contents
 *   can make two different rows serialize alike ("ab"+"c" vs "a"+"bc").
 * - The first row chains to 64 zeros.  audit_verify() walks the rows in
 *   id order and checks both links: the stored prev_hash must be the hash
 *   of the row before, and the stored hash must be what the fields give.
 *   An edited row fails the second test, a removed row fails the first at
 *   its successor.
 * - Appends run in their own transaction under db_tx_lock("audit"), so
 *   reading the chain head and inserting the next row is one step even
 *   with several servers on one PostgreSQL.  A busy database is retried a
 *   few times with a short pause before giving up.
 */
#include "privacy/audit.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "base/str.h"
#include "privacy/crypto.h"

#define AUDIT_RETRIES		5
#define AUDIT_VERIFY_BATCH	1000

static const char zero_hash[65] =
    "0000000000000000000000000000000000000000000000000000000000000000";

static void
put_field(struct buf *b, const char *s)
{
	if (s == NULL) {
		buf_putc(b, '~');
		return;
	}
	buf_printf(b, "%zu:", strlen(s));
	buf_puts(b, s);
}

/* The hash of one row given its predecessor's hash. */
static void
row_hash(const char *prev_hash, int64_t at, const char *actor, const char *subject,
    const char *action, const char *category, const char *object, char out[65])
{
	struct buf b = BUF_INIT;
	char num[24];

	buf_puts(&b, "circles-audit-v1|");
	put_field(&b, prev_hash);
	snprintf(num, sizeof(num), "%" PRId64, at);
	put_field(&b, num);
	put_field(&b, actor);
	put_field(&b, subject);
	put_field(&b, action);
	put_field(&b, category);
	put_field(&b, object);
	crypto_hash_hex(b.data, b.len, out);
	buf_free(&b);
}

static void
pause_briefly(int attempt)
{
	struct timespec ts = { 0, (long)(attempt + 1) * 20 * 1000 * 1000 };

	nanosleep(&ts, NULL);
}

/* One attempt; returns 0, -1 on a hard error, 1 when the database was busy. */
static int
append_once(struct db *db, int64_t now, const char *actor, const char *subject,
    const char *action, const char *category, const char *object)
{
	struct db_rows *r;
	char prev[65], hash[65];
	int64_t id;

	if (db_begin(db) == -1)
		goto fail;
	if (db_tx_lock(db, "audit") == -1)
		goto fail;
	r = db_query(db, "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1");
	if (r == NULL)
		goto fail;
	if (db_rows_count(r) > 0)
		snprintf(prev, sizeof(prev), "%s", db_rows_text(r, 0, 0));
	else
		memcpy(prev, zero_hash, sizeof(prev));
	db_rows_free(r);

	row_hash(prev, now, actor, subject, action, category, object, hash);
	id = db_insert(db, "INSERT INTO audit_log (at, actor, subject, action, category, object, "
	    "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", DB_I(now),
	    DB_T(actor), DB_T(subject), DB_T(action), DB_T(category), DB_T(object), DB_T(prev),
	    DB_T(hash));
	if (id <= 0)
		goto fail;
	if (db_commit(db) == -1)
		goto fail;
	return 0;
fail:
	{
		bool busy = db_errcode(db) == DB_ERR_BUSY;
		db_rollback(db);
		return busy ? 1 : -1;
	}
}

int
audit_record(struct db *db, int64_t now, const char *actor, const char *subject,
    const char *action, const char *category, const char *object)
{
	int attempt, rc = -1;

	if (actor == NULL || action == NULL)
		return -1;
	for (attempt = 0; attempt < AUDIT_RETRIES; attempt++) {
		rc = append_once(db, now, actor, subject, action, category, object);
		if (rc != 1)
			break;
		pause_briefly(attempt);
	}
	if (rc != 0)
		log_warnx("audit: cannot append %s row: %s", action, db_errmsg(db));
	return rc == 0 ? 0 : -1;
}

static const char *
cell(struct db_rows *r, size_t row, size_t col)
{
	return db_rows_isnull(r, row, col) ? NULL : db_rows_text(r, row, col);
}

int64_t
audit_verify(struct db *db)
{
	char prev[65], hash[65];
	int64_t last_id = 0, checked = 0;
	struct db_rows *r;
	size_t i, n;

	memcpy(prev, zero_hash, sizeof(prev));
	for (;;) {
		r = db_query(db, "SELECT id, at, actor, subject, action, category, object, "
		    "prev_hash, hash FROM audit_log WHERE id > ? ORDER BY id LIMIT ?",
		    DB_I(last_id), DB_I(AUDIT_VERIFY_BATCH));
		if (r == NULL) {
			log_warnx("audit: verify query failed: %s", db_errmsg(db));
			return AUDIT_VERIFY_FAILED;
		}
		n = db_rows_count(r);
		for (i = 0; i < n; i++) {
			int64_t id = db_rows_int(r, i, 0);

			row_hash(prev, db_rows_int(r, i, 1), cell(r, i, 2), cell(r, i, 3),
			    cell(r, i, 4), cell(r, i, 5), cell(r, i, 6), hash);
			if (strcmp(db_rows_text(r, i, 7), prev) != 0 ||
			    strcmp(db_rows_text(r, i, 8), hash) != 0) {
				db_rows_free(r);
				return -id;
			}
			memcpy(prev, hash, sizeof(prev));
			last_id = id;
			checked++;
		}
		db_rows_free(r);
		if (n < AUDIT_VERIFY_BATCH)
			break;
	}
	return checked;
}
