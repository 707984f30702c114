/*
 * sqlite.c: the SQLite back end of db.h.
 *
 * Design choices:
 *
 * - Durability first.  WAL journal, synchronous=FULL (a commit that
 *   returned is on disk, even after power loss), foreign_keys=ON,
 *   busy_timeout 5000 ms, and transactions that BEGIN IMMEDIATE so that a
 *   writer waits for the write lock at the start instead of failing at its
 *   first write, after it already read stale data.
 *
 * - Data protection.  The file is created 0600 before SQLite opens it (the
 *   -wal and -shm files copy the database file's mode).  secure_delete
 *   overwrites deleted rows with zeros so that removed personal data does
 *   not linger in free pages.  DEFENSIVE forbids writes that could corrupt
 *   the file (writable_schema and friends), trusted_schema=OFF keeps
 *   functions in the schema from running with our privileges, and
 *   double-quoted strings are disabled, so "x" is always an identifier as in
 *   PostgreSQL and SQL that works here works there.
 *
 * - A statement cache per connection keyed by the SQL text.  Features call
 *   the same few hundred literal statements again and again; compiling each
 *   once (SQLITE_PREPARE_PERSISTENT) removes parsing from the hot path.  The
 *   table is open addressing with a fixed size; when it fills up (dynamic
 *   SQL such as IN lists of varying length) it is emptied and refilled,
 *   which is simple and bounded.  Statements are reset and their bindings
 *   cleared right after use so they hold neither a read snapshot nor
 *   pointers to the caller's (possibly sensitive) parameter memory.
 *
 * - Only one statement per call: trailing SQL after the first statement is
 *   refused, so a stray ';' can never smuggle a second statement in.
 */
#include "db/db_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "base/log.h"
#include "base/mem.h"

#define CACHE_SLOTS	512		/* power of two */
#define CACHE_MAX	(CACHE_SLOTS / 4 * 3)
#define BUSY_MS		5000

struct slot {
	char		*sql;		/* NULL: empty */
	uint64_t	 hash;
	sqlite3_stmt	*st;
};

struct lite {
	sqlite3		*h;
	struct slot	 cache[CACHE_SLOTS];
};

static uint64_t
fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static enum db_err
classify(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_CONSTRAINT:
		return DB_ERR_CONSTRAINT;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return DB_ERR_BUSY;
	default:
		return DB_ERR_OTHER;
	}
}

/* sqlite3_errmsg never includes bound values, only SQL text and names. */
static void
seterr(struct db *db, int rc)
{
	struct lite *l = db->conn;

	db_seterr(db, classify(rc), "%s", sqlite3_errmsg(l->h));
}

static void
cache_clear(struct db *db)
{
	struct lite *l = db->conn;
	size_t i;

	for (i = 0; i < CACHE_SLOTS; i++) {
		if (l->cache[i].sql == NULL)
			continue;
		sqlite3_finalize(l->cache[i].st);
		free(l->cache[i].sql);
		l->cache[i].sql = NULL;
		l->cache[i].st = NULL;
	}
	db->stats.cached = 0;
}

/* True if what follows the first statement is only space, ';' or comments. */
static bool
empty_tail(sqlite3 *h, const char *s)
{
	sqlite3_stmt *st = NULL;
	const char *p;
	int rc;

	for (p = s; *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' ||
	    *p == ';'; p++)
		;
	if (*p == '\0')
		return true;
	/* compiling nothing but comments yields no statement */
	rc = sqlite3_prepare_v2(h, p, -1, &st, NULL);
	sqlite3_finalize(st);
	return rc == SQLITE_OK && st == NULL;
}

/* Find or compile the statement for sql; NULL with the error set. */
static sqlite3_stmt *
stmt_get(struct db *db, const char *sql)
{
	struct lite *l = db->conn;
	uint64_t h = fnv1a(sql);
	size_t i = h & (CACHE_SLOTS - 1);
	sqlite3_stmt *st = NULL;
	const char *tail = NULL;
	int rc;

	while (l->cache[i].sql != NULL) {
		if (l->cache[i].hash == h && strcmp(l->cache[i].sql, sql) == 0) {
			db->stats.cache_hits++;
			return l->cache[i].st;
		}
		i = (i + 1) & (CACHE_SLOTS - 1);
	}
	rc = sqlite3_prepare_v3(l->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
	    &tail);
	if (rc != SQLITE_OK) {
		seterr(db, rc);
		sqlite3_finalize(st);
		return NULL;
	}
	if (st == NULL) {
		db_seterr(db, DB_ERR_OTHER, "empty SQL statement");
		return NULL;
	}
	if (tail != NULL && !empty_tail(l->h, tail)) {
		sqlite3_finalize(st);
		db_seterr(db, DB_ERR_OTHER, "more than one SQL statement in "
		    "one call");
		return NULL;
	}
	db->stats.prepares++;
	if (db->stats.cached >= CACHE_MAX) {
		cache_clear(db);
		i = h & (CACHE_SLOTS - 1);
	}
	l->cache[i].sql = xstrdup(sql);
	l->cache[i].hash = h;
	l->cache[i].st = st;
	db->stats.cached++;
	return st;
}

static int
bind(struct db *db, sqlite3_stmt *st, const struct db_value *v, size_t n)
{
	size_t i, len;
	int rc = SQLITE_OK, want;

	want = sqlite3_bind_parameter_count(st);
	if (want < 0 || (size_t)want != n) {
		db_seterr(db, DB_ERR_OTHER, "SQL has %d parameters, %zu given",
		    want, n);
		return -1;
	}
	for (i = 0; i < n && rc == SQLITE_OK; i++) {
		int k = (int)i + 1;

		switch (v[i].type) {
		case DB_INT:
			rc = sqlite3_bind_int64(st, k, v[i].i);
			break;
		case DB_TEXT:
			if (v[i].p == NULL) {
				rc = sqlite3_bind_null(st, k);
				break;
			}
			len = v[i].len == (size_t)-1 ? strlen(v[i].p) : v[i].len;
			rc = sqlite3_bind_text64(st, k, v[i].p, len,
			    SQLITE_STATIC, SQLITE_UTF8);
			break;
		case DB_BLOB:
			/* a NULL pointer binds SQL NULL; (p, 0) an empty blob */
			rc = sqlite3_bind_blob64(st, k, v[i].p, v[i].len,
			    SQLITE_STATIC);
			break;
		default:
			rc = sqlite3_bind_null(st, k);
			break;
		}
	}
	if (rc != SQLITE_OK) {
		db_seterr(db, classify(rc), "cannot bind parameter %zu: %s",
		    i, sqlite3_errstr(rc));
		return -1;
	}
	return 0;
}

static void
fetch_row(sqlite3_stmt *st, struct db_rows *rows)
{
	struct db_cell *c = db_rows_addrow(rows);
	const void *p;
	size_t i, n;
	char num[24];

	for (i = 0; i < rows->ncols; i++) {
		int k = (int)i;

		switch (sqlite3_column_type(st, k)) {
		case SQLITE_NULL:
			c[i].null = true;
			c[i].p = "";
			break;
		case SQLITE_INTEGER:
			c[i].i = sqlite3_column_int64(st, k);
			c[i].has_i = true;
			n = (size_t)snprintf(num, sizeof(num), "%lld",
			    (long long)c[i].i);
			c[i].p = db_rows_copy(rows, num, n);
			c[i].len = n;
			break;
		case SQLITE_BLOB:
			p = sqlite3_column_blob(st, k);
			n = (size_t)sqlite3_column_bytes(st, k);
			c[i].p = db_rows_copy(rows, p, n);
			c[i].len = n;
			break;
		default:	/* TEXT, FLOAT: as text */
			p = sqlite3_column_text(st, k);
			n = (size_t)sqlite3_column_bytes(st, k);
			c[i].p = db_rows_copy(rows, p, n);
			c[i].len = n;
			break;
		}
	}
}

static int
lite_run(struct db *db, const char *sql, const struct db_value *v, size_t n,
    struct db_rows *rows, int64_t *changes)
{
	struct lite *l = db->conn;
	sqlite3_stmt *st;
	sqlite3_int64 before;
	int rc, ret = 0;

	if ((st = stmt_get(db, sql)) == NULL)
		return -1;
	if (bind(db, st, v, n) == -1) {
		sqlite3_clear_bindings(st);
		return -1;
	}
	before = sqlite3_total_changes64(l->h);
	rc = sqlite3_step(st);
	/*
	 * Columns are counted after the first step: a cached statement whose
	 * tables changed (ALTER TABLE) is recompiled inside that step.
	 */
	if (rows != NULL)
		rows->ncols = (size_t)sqlite3_column_count(st);
	for (; rc == SQLITE_ROW; rc = sqlite3_step(st)) {
		if (rows != NULL)
			fetch_row(st, rows);
	}
	if (rc != SQLITE_DONE) {
		/* take the message before reset can replace it */
		seterr(db, rc);
		ret = -1;
	} else if (changes != NULL) {
		/*
		 * sqlite3_changes64 keeps the count of the last INSERT, UPDATE
		 * or DELETE; a statement that changed no row (DDL, SELECT, an
		 * UPDATE matching nothing) leaves the total as it was.
		 */
		*changes = sqlite3_total_changes64(l->h) == before ? 0 :
		    sqlite3_changes64(l->h);
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return ret;
}

static int
lite_script(struct db *db, const char *sql)
{
	struct lite *l = db->conn;
	char *msg = NULL;
	int rc;

	rc = sqlite3_exec(l->h, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		db_seterr(db, classify(rc), "%s", msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int
lite_tx(struct db *db, enum db_txop op)
{
	static const char *const sql[] = {
		[DB_TX_BEGIN] = "BEGIN IMMEDIATE",
		[DB_TX_COMMIT] = "COMMIT",
		[DB_TX_ROLLBACK] = "ROLLBACK",
	};

	return lite_run(db, sql[op], NULL, 0, NULL, NULL);
}

static bool
lite_in_tx(struct db *db)
{
	struct lite *l = db->conn;

	return sqlite3_get_autocommit(l->h) == 0;
}

static void
lite_close(struct db *db)
{
	struct lite *l = db->conn;
	int rc;

	cache_clear(db);
	if ((rc = sqlite3_close(l->h)) != SQLITE_OK) {
		log_warnx("sqlite close: %s", sqlite3_errstr(rc));
		sqlite3_close_v2(l->h);
	}
	free(l);
	db->conn = NULL;
}

static const struct db_backend lite_backend = {
	.name = "sqlite",
	.run = lite_run,
	.script = lite_script,
	.tx = lite_tx,
	.in_tx = lite_in_tx,
	.close = lite_close,
};

/* Create the file 0600 if missing, so it never exists with a looser mode. */
/*
 * Create the file with mode 0600 before SQLite does, so health data is never
 * readable by other users, even for an instant.  Only when it does not exist
 * yet: opening and closing another descriptor on a database this process
 * already has open would drop SQLite's POSIX locks on it (close(2) releases
 * every fcntl lock the process holds on the file), which corrupts locking
 * between connections.  An existing file is checked with stat(2) alone.
 */
static int
create_private(const char *path, char **err)
{
	struct stat sb;
	int fd;

	if (stat(path, &sb) == 0) {
		if (S_ISREG(sb.st_mode) && (sb.st_mode & 077) != 0)
			log_warnx("database file %s is accessible to other users "
			    "(mode %03o); chmod 600 it", path,
			    (unsigned)(sb.st_mode & 0777));
		return 0;
	}
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd == -1) {
		if (errno == EEXIST)
			return 0;
		if (errno == ENOENT)
			*err = xasprintf("cannot create database %s: its "
			    "directory does not exist", path);
		else
			*err = xasprintf("cannot open database %s: %s", path,
			    strerror(errno));
		return -1;
	}
	close(fd);
	return 0;
}

static int
pragma(sqlite3 *h, const char *sql, char **err)
{
	char *msg = NULL;

	if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		*err = xasprintf("%s: %s", sql, msg ? msg : "failed");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

int
db_sqlite_open(struct db *db, const char *path, char **err)
{
	struct lite *l;
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	bool mem = strcmp(path, ":memory:") == 0;
	int rc, on = 1, off = 0;

	if (*path == '\0') {
		*err = xstrdup("empty SQLite database path");
		return -1;
	}
	if (!mem && create_private(path, err) == -1)
		return -1;
	rc = sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
	    NULL);
	if (rc != SQLITE_OK) {
		*err = xasprintf("cannot open SQLite database %s: %s", path,
		    h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
		sqlite3_close(h);
		return -1;
	}
	sqlite3_busy_timeout(h, BUSY_MS);
	sqlite3_db_config(h, SQLITE_DBCONFIG_DEFENSIVE, on, NULL);
	sqlite3_db_config(h, SQLITE_DBCONFIG_TRUSTED_SCHEMA, off, NULL);
	sqlite3_db_config(h, SQLITE_DBCONFIG_DQS_DML, off, NULL);
	sqlite3_db_config(h, SQLITE_DBCONFIG_DQS_DDL, off, NULL);
	sqlite3_db_config(h, SQLITE_DBCONFIG_ENABLE_FKEY, on, NULL);

	/* journal_mode answers with the mode it ended up in */
	rc = sqlite3_prepare_v2(h, "PRAGMA journal_mode=WAL", -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc != SQLITE_ROW || (!mem && (sqlite3_column_text(st, 0) == NULL ||
	    strcmp((const char *)sqlite3_column_text(st, 0), "wal") != 0))) {
		*err = xasprintf("cannot switch %s to WAL mode: %s", path,
		    rc == SQLITE_ROW ? "not supported here" :
		    sqlite3_errmsg(h));
		sqlite3_finalize(st);
		sqlite3_close(h);
		return -1;
	}
	sqlite3_finalize(st);
	if (pragma(h, "PRAGMA synchronous=FULL", err) == -1 ||
	    pragma(h, "PRAGMA foreign_keys=ON", err) == -1 ||
	    pragma(h, "PRAGMA secure_delete=ON", err) == -1) {
		sqlite3_close(h);
		return -1;
	}
	l = xcalloc(1, sizeof(*l));
	l->h = h;
	db->conn = l;
	db->be = &lite_backend;
	return 0;
}

/*
 * Backup.  The source connection holds one read transaction for the whole
 * copy: in WAL mode that does not block writers, and it pins a single
 * snapshot, so the copy is consistent and the backup never restarts because
 * another connection wrote meanwhile (which it would between steps without
 * the transaction, possibly forever on a busy server).
 */
int
db_sqlite_backup(struct db *db, const char *path, char **err)
{
	struct lite *l = db->conn;
	sqlite3 *dst = NULL;
	sqlite3_backup *bk = NULL;
	char *tmp = NULL, *dir = NULL, *slash;
	int fd = -1, rc, ret = -1, tries = 0;

	tmp = xasprintf("%s.tmp-XXXXXX", path);
	if ((fd = mkstemp(tmp)) == -1) {
		*err = xasprintf("backup: cannot create temporary file next "
		    "to %s: %s", path, strerror(errno));
		free(tmp);
		return -1;
	}
	close(fd);
	fd = -1;
	rc = sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE, NULL);
	if (rc != SQLITE_OK) {
		*err = xasprintf("backup: cannot open %s: %s", tmp,
		    dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
		goto out;
	}
	/* A half-written temporary file is discarded anyway: no journal. */
	if (pragma(dst, "PRAGMA journal_mode=OFF", err) == -1 ||
	    pragma(dst, "PRAGMA synchronous=OFF", err) == -1)
		goto out;

	if (sqlite3_exec(l->h, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(l->h, "SELECT count(*) FROM sqlite_schema", NULL,
	    NULL, NULL) != SQLITE_OK) {
		*err = xasprintf("backup: cannot start a read transaction: %s",
		    sqlite3_errmsg(l->h));
		sqlite3_exec(l->h, "ROLLBACK", NULL, NULL, NULL);
		goto out;
	}
	if ((bk = sqlite3_backup_init(dst, "main", l->h, "main")) == NULL) {
		*err = xasprintf("backup: %s", sqlite3_errmsg(dst));
		sqlite3_exec(l->h, "ROLLBACK", NULL, NULL, NULL);
		goto out;
	}
	for (;;) {
		rc = sqlite3_backup_step(bk, 256);
		if (rc == SQLITE_DONE)
			break;
		if (rc == SQLITE_OK)
			continue;
		if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) &&
		    ++tries < BUSY_MS / 10) {
			sqlite3_sleep(10);
			continue;
		}
		break;
	}
	if (sqlite3_backup_finish(bk) != SQLITE_OK || rc != SQLITE_DONE) {
		*err = xasprintf("backup: copy failed: %s",
		    sqlite3_errstr(rc == SQLITE_DONE ? sqlite3_errcode(dst) : rc));
		sqlite3_exec(l->h, "ROLLBACK", NULL, NULL, NULL);
		goto out;
	}
	sqlite3_exec(l->h, "ROLLBACK", NULL, NULL, NULL);
	if (sqlite3_close(dst) != SQLITE_OK) {
		*err = xasprintf("backup: cannot close %s", tmp);
		goto out;
	}
	dst = NULL;

	/* The copy must be on disk before it replaces the previous one. */
	if ((fd = open(tmp, O_RDWR | O_CLOEXEC)) == -1 || fchmod(fd, 0600) == -1 ||
	    fsync(fd) == -1) {
		*err = xasprintf("backup: cannot sync %s: %s", tmp,
		    strerror(errno));
		goto out;
	}
	close(fd);
	fd = -1;
	if (rename(tmp, path) == -1) {
		*err = xasprintf("backup: cannot rename to %s: %s", path,
		    strerror(errno));
		goto out;
	}
	free(tmp);
	tmp = NULL;
	/* and the rename itself must survive a crash */
	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) != NULL) {
		if (slash == dir)
			slash++;
		*slash = '\0';
	} else {
		free(dir);
		dir = xstrdup(".");
	}
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		(void)fsync(fd);
		close(fd);
		fd = -1;
	}
	ret = 0;
 out:
	if (fd != -1)
		close(fd);
	if (dst != NULL)
		sqlite3_close(dst);
	if (tmp != NULL) {
		unlink(tmp);
		free(tmp);
	}
	free(dir);
	return ret;
}
