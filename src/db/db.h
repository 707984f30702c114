/*
 * db.h: one small database API over SQLite and PostgreSQL.
 *
 * Every feature talks to storage through this file and nothing else.  SQL is
 * written once, with '?' placeholders and bound parameters only; the
 * PostgreSQL back end rewrites '?' to $1, $2 ... (outside quotes).  Values
 * are integers (64-bit), text, blobs or NULL.  Timestamps are integer Unix
 * seconds, booleans 0/1, so the same SQL runs on both.  A connection belongs
 * to one thread at a time.
 *
 * SQLite runs in WAL mode with foreign keys on, synchronous=FULL (durable
 * commits) and a busy timeout; transactions begin IMMEDIATE so writers
 * serialize instead of failing late.  PostgreSQL connects with libpq.
 *
 * Query results are fully fetched into memory (features query small result
 * sets; reports page explicitly).
 *
 * A '?' inside a string literal, a quoted identifier or a comment is not a
 * placeholder; every other '?' is (so PostgreSQL's jsonb ? operators cannot
 * be used).  One statement per call: a second statement after ';' is
 * refused.  On PostgreSQL integers are sent as bigint and text as untyped
 * literals the server resolves from context; compare like with like (an
 * integer parameter against a TEXT column works on SQLite only).  Text
 * parameters must not contain NUL bytes (refused on both; use a blob).
 *
 * A lost PostgreSQL connection is re-established before the next statement,
 * except inside a transaction: there every statement fails with
 * DB_ERR_CONNECTION until the caller calls db_rollback.
 *
 * Error messages are built from the database's primary message or the
 * SQLSTATE only, never from parameter values or PostgreSQL's DETAIL line
 * (which repeats the offending key), so they are safe to log.
 */
#ifndef CIRCLES_DB_DB_H
#define CIRCLES_DB_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum db_kind { DB_SQLITE = 1, DB_POSTGRES = 2 };

enum db_type { DB_END_ = 0, DB_NULL, DB_INT, DB_TEXT, DB_BLOB };

struct db_value {
	enum db_type	 type;
	int64_t		 i;
	const void	*p;
	size_t		 len;		/* for text, (size_t)-1 means strlen */
};

/*
 * Parameter constructors.  A NULL pointer gives SQL NULL.  Text and blobs
 * go through inline functions so that passing an array (char buf[64]) does
 * not trip -Waddress on the NULL test.
 */
static inline struct db_value
db_text_(const char *p, size_t len)
{
	struct db_value v = { .type = p ? DB_TEXT : DB_NULL, .p = p, .len = len };
	return v;
}

static inline struct db_value
db_blob_(const void *p, size_t len)
{
	struct db_value v = { .type = p ? DB_BLOB : DB_NULL, .p = p, .len = len };
	return v;
}

#define DB_I(x)		((struct db_value){ .type = DB_INT, .i = (int64_t)(x) })
#define DB_T(x)		db_text_((x), (size_t)-1)
#define DB_TN(x, n)	db_text_((x), (n))
#define DB_B(x, n)	db_blob_((x), (n))
#define DB_NUL		((struct db_value){ .type = DB_NULL })

/* Error classes callers branch on. */
enum db_err {
	DB_OK = 0,
	DB_ERR_CONSTRAINT,	/* unique/foreign key/check violation: usually 409/422 */
	DB_ERR_BUSY,		/* lock timeout / serialization failure: retry */
	DB_ERR_CONNECTION,	/* connection lost */
	DB_ERR_OTHER
};

struct db;
struct db_rows;

/** Counters for tests and metrics. */
struct db_stats {
	uint64_t	statements;	/* statements run through this connection */
	uint64_t	prepares;	/* SQLite: statements compiled */
	uint64_t	cache_hits;	/* SQLite: compiled statements reused */
	size_t		cached;		/* SQLite: statements in the cache now */
};

/**
 * Open "sqlite:/path/file.db" (or a bare path) or "postgresql://..." /
 * "postgres://...".  NULL with *err (malloc'd) on failure.  A new SQLite
 * file is created with mode 0600 (its -wal and -shm files inherit that);
 * the directory must exist.  "sqlite::memory:" opens a private in-memory
 * database (tests).
 */
struct db	*db_open(const char *url, char **err);
void		 db_close(struct db *db);
enum db_kind	 db_kind(const struct db *db);
/** Message of the last error on this connection (never contains parameter values). */
const char	*db_errmsg(const struct db *db);
enum db_err	 db_errcode(const struct db *db);
void		 db_stats(const struct db *db, struct db_stats *st);

/**
 * Run a statement; returns the number of rows changed, or -1 on error.
 * Use the db_exec macro: db_exec(db, "UPDATE t SET a=? WHERE id=?", DB_T(s), DB_I(id)).
 */
int64_t		 db_exec_a(struct db *db, const char *sql, const struct db_value *v, size_t n);
/** Run a query and fetch all rows; NULL on error (check db_errmsg). */
struct db_rows	*db_query_a(struct db *db, const char *sql, const struct db_value *v, size_t n);
/**
 * Run an INSERT ... RETURNING id (the SQL must end with "RETURNING id") and
 * return the id, or -1 on error.  Returns 0 when no row was inserted
 * (ON CONFLICT DO NOTHING); ids start at 1 on both back ends.
 */
int64_t		 db_insert_a(struct db *db, const char *sql, const struct db_value *v, size_t n);

#define DB_ARGS_(...)	((const struct db_value[]){ { .type = DB_END_ }, __VA_ARGS__ } + 1)
#define DB_NARGS_(...)	(sizeof((const struct db_value[]){ { .type = DB_END_ }, __VA_ARGS__ }) / sizeof(struct db_value) - 1)
#define db_exec(db, sql, ...)	db_exec_a((db), (sql), DB_ARGS_(__VA_ARGS__), DB_NARGS_(__VA_ARGS__))
#define db_query(db, sql, ...)	db_query_a((db), (sql), DB_ARGS_(__VA_ARGS__), DB_NARGS_(__VA_ARGS__))
#define db_insert(db, sql, ...)	db_insert_a((db), (sql), DB_ARGS_(__VA_ARGS__), DB_NARGS_(__VA_ARGS__))

size_t		 db_rows_count(const struct db_rows *r);
size_t		 db_rows_columns(const struct db_rows *r);
bool		 db_rows_isnull(const struct db_rows *r, size_t row, size_t col);
/*
 * Cell accessors.  Out-of-range row/col read as NULL.  Booleans from
 * PostgreSQL read as "1"/"0" like SQLite's.
 */
/** Text of a cell ("" for NULL); valid until db_rows_free. */
const char	*db_rows_text(const struct db_rows *r, size_t row, size_t col);
/** Integer value of a cell (0 for NULL or text that is not a number). */
int64_t		 db_rows_int(const struct db_rows *r, size_t row, size_t col);
/** Bytes of a blob cell (NULL/0 for NULL). */
const unsigned char *db_rows_blob(const struct db_rows *r, size_t row, size_t col, size_t *len);
void		 db_rows_free(struct db_rows *r);

/**
 * Transactions. db_begin is IMMEDIATE on SQLite. Return 0 or -1.
 *
 * Transactions do not nest: db_begin while one is open fails, and also
 * marks the open one failed, because the inner code's db_commit would
 * otherwise end the outer transaction halfway.  After any failed statement
 * inside a transaction (on both back ends, as PostgreSQL does natively)
 * further statements fail and db_commit rolls back and returns -1, so a
 * failed request never leaves half its writes behind.  db_rollback with no
 * transaction open is a harmless no-op returning 0, for cleanup paths.
 */
int		 db_begin(struct db *db);
int		 db_commit(struct db *db);
int		 db_rollback(struct db *db);
/**
 * Serialize writers on a named resource inside a transaction (a hash chain
 * head, a counter): pg_advisory_xact_lock on PostgreSQL; nothing on SQLite,
 * where db_begin already holds the write lock.
 */
int		 db_tx_lock(struct db *db, const char *name);

/**
 * A LIKE pattern matching text that contains q, for
 * "LOWER(col) LIKE ? ESCAPE '\\'": "%q%", lower-cased (ASCII), with % _ and
 * the backslash escaped.  Allocated from a.
 */
struct arena;
char		*db_like_contains(struct arena *a, const char *q);

/**
 * Apply pending migrations (db/schema.c, run by db/migrations.c); safe to
 * call from several servers at once.  Each migration runs in its own
 * transaction and is recorded in schema_migrations.  Fails if the database
 * was migrated by a newer program (a version this program does not know).
 */
int		 db_migrate(struct db *db, char **err);
/** Highest applied migration version (0 for an empty database), or -1 on error. */
int		 db_schema_version(struct db *db);

/**
 * Online, consistent copy of a SQLite database to path (sqlite3 backup API);
 * -1 with *err for PostgreSQL (use pg_dump) or on failure.  The copy is one
 * snapshot (other connections keep writing meanwhile), is written to a
 * temporary file in the same directory, synced, and renamed over path with
 * mode 0600.  Must be called outside a transaction.
 */
int		 db_backup_sqlite(struct db *db, const char *path, char **err);

#endif
