/*
 * db.c: the back-end independent half of db.h.
 *
 * Design choices:
 *
 * - The connection object, error slot and transaction state live here; the
 *   back ends (sqlite.c, pg.c) run single statements and report errors
 *   through db_seterr.  That keeps one set of rules for both databases.
 *
 * - Transactions: db.c remembers that db_begin succeeded and whether any
 *   statement failed since.  A failed statement dooms the transaction: later
 *   statements are refused and db_commit rolls back and fails.  PostgreSQL
 *   behaves like this by itself; SQLite only undoes the failed statement, and
 *   a caller that ignored one error would commit the rest.  Here the safe
 *   behaviour does not depend on every caller checking every return value.
 *
 * - Results are copied into one arena per result set, each cell kept
 *   NUL-terminated so text accessors can hand out C strings, including for
 *   blobs (whose bytes may contain NULs: use db_rows_blob for those).
 *
 * - Errors carry messages, never parameter values; db_seterr takes a format
 *   string and callers pass SQL text or database messages only.
 */
#include "db/db_int.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/arena.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"

void
db_seterr(struct db *db, enum db_err code, const char *fmt, ...)
{
	va_list ap;

	db->errcode = code;
	va_start(ap, fmt);
	vsnprintf(db->errmsg, sizeof(db->errmsg), fmt, ap);
	va_end(ap);
}

static void
clearerr_(struct db *db)
{
	db->errcode = DB_OK;
	db->errmsg[0] = '\0';
}

/* Strip "scheme:" and pick the back end. */
struct db *
db_open(const char *url, char **err)
{
	struct db *db;
	const char *path;
	int rc;

	*err = NULL;
	if (url == NULL || *url == '\0') {
		*err = xstrdup("no database URL given");
		return NULL;
	}
	db = xcalloc(1, sizeof(*db));
	if (strncmp(url, "postgresql://", 13) == 0 ||
	    strncmp(url, "postgres://", 11) == 0) {
		db->kind = DB_POSTGRES;
		rc = db_pg_open(db, url, err);
	} else {
		if (strncmp(url, "sqlite://", 9) == 0)
			path = url + 9;		/* sqlite:///abs/path */
		else if (strncmp(url, "sqlite:", 7) == 0)
			path = url + 7;
		else if (strstr(url, "://") != NULL) {
			/* Only the scheme: the rest may hold a password. */
			const char *e = strstr(url, "://");
			*err = xasprintf("unsupported database URL scheme "
			    "\"%.*s\" (use sqlite: or postgresql://)",
			    (int)(e - url > 20 ? 20 : e - url), url);
			free(db);
			return NULL;
		} else
			path = url;
		db->kind = DB_SQLITE;
		rc = db_sqlite_open(db, path, err);
	}
	if (rc == -1) {
		free(db);
		return NULL;
	}
	return db;
}

void
db_close(struct db *db)
{
	if (db == NULL)
		return;
	/*
	 * An open transaction is rolled back by both databases when the
	 * connection goes away; nothing half-done is committed.
	 */
	if (db->in_tx)
		log_warnx("db_close: transaction still open, rolling back");
	db->be->close(db);
	free(db);
}

enum db_kind
db_kind(const struct db *db)
{
	return db->kind;
}

const char *
db_errmsg(const struct db *db)
{
	return db->errmsg;
}

enum db_err
db_errcode(const struct db *db)
{
	return db->errcode;
}

void
db_stats(const struct db *db, struct db_stats *st)
{
	*st = db->stats;
}

/*
 * Gate every statement through the transaction rules, then to the back end.
 */
static int
run(struct db *db, const char *sql, const struct db_value *v, size_t n,
    struct db_rows *rows, int64_t *changes)
{
	size_t i;

	clearerr_(db);
	if (db->in_tx && db->tx_failed) {
		db_seterr(db, DB_ERR_OTHER, "transaction aborted by an earlier "
		    "error; call db_rollback");
		return -1;
	}
	if (db->in_tx && !db->be->in_tx(db)) {
		/*
		 * SQLite rolls a transaction back by itself on some errors
		 * (disk full, I/O error); running on would silently switch to
		 * autocommit and commit each statement alone.
		 */
		db->tx_failed = true;
		db_seterr(db, DB_ERR_OTHER, "transaction was rolled back by "
		    "the database; call db_rollback");
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (v[i].type < DB_NULL || v[i].type > DB_BLOB) {
			db_seterr(db, DB_ERR_OTHER, "parameter %zu has an "
			    "invalid type", i + 1);
			goto fail;
		}
		/*
		 * PostgreSQL text cannot hold NUL and C readers of the value
		 * would see it cut short: refuse it on both back ends (bytes
		 * with NULs are blobs).
		 */
		if (v[i].type == DB_TEXT && v[i].p != NULL &&
		    v[i].len != (size_t)-1 &&
		    memchr(v[i].p, '\0', v[i].len) != NULL) {
			db_seterr(db, DB_ERR_OTHER, "text parameter %zu "
			    "contains a NUL byte", i + 1);
			goto fail;
		}
	}
	db->stats.statements++;
	if (db->be->run(db, sql, v, n, rows, changes) == 0)
		return 0;
 fail:
	if (db->errcode == DB_OK)
		db->errcode = DB_ERR_OTHER;
	if (db->in_tx)
		db->tx_failed = true;
	return -1;
}

int
db_script(struct db *db, const char *sql)
{
	clearerr_(db);
	if (db->in_tx && db->tx_failed) {
		db_seterr(db, DB_ERR_OTHER, "transaction aborted by an earlier "
		    "error; call db_rollback");
		return -1;
	}
	db->stats.statements++;
	if (db->be->script(db, sql) == 0)
		return 0;
	if (db->errcode == DB_OK)
		db->errcode = DB_ERR_OTHER;
	if (db->in_tx)
		db->tx_failed = true;
	return -1;
}

int64_t
db_exec_a(struct db *db, const char *sql, const struct db_value *v, size_t n)
{
	int64_t changes = 0;

	if (run(db, sql, v, n, NULL, &changes) == -1)
		return -1;
	return changes;
}

struct db_rows *
db_query_a(struct db *db, const char *sql, const struct db_value *v, size_t n)
{
	struct db_rows *r;

	r = xmalloc(sizeof(*r));
	db_rows_init(r, 0);
	if (run(db, sql, v, n, r, NULL) == -1) {
		db_rows_free(r);
		return NULL;
	}
	return r;
}

/* True if sql ends with "RETURNING id", ignoring case, spacing and ';'. */
static bool
ends_returning_id(const char *sql)
{
	size_t n = strlen(sql);

	while (n > 0 && (isspace((unsigned char)sql[n - 1]) || sql[n - 1] == ';'))
		n--;
	if (n < 3 || strncasecmp(sql + n - 2, "id", 2) != 0 ||
	    !isspace((unsigned char)sql[n - 3]))
		return false;
	n -= 2;
	while (n > 0 && isspace((unsigned char)sql[n - 1]))
		n--;
	if (n < 10 || strncasecmp(sql + n - 9, "returning", 9) != 0 ||
	    !isspace((unsigned char)sql[n - 10]))
		return false;
	return true;
}

int64_t
db_insert_a(struct db *db, const char *sql, const struct db_value *v, size_t n)
{
	struct db_rows r;
	int64_t id;

	clearerr_(db);
	if (!ends_returning_id(sql)) {
		db_seterr(db, DB_ERR_OTHER, "db_insert: SQL must end with "
		    "RETURNING id");
		if (db->in_tx)
			db->tx_failed = true;
		return -1;
	}
	db_rows_init(&r, 0);
	if (run(db, sql, v, n, &r, NULL) == -1) {
		db_rows_clear(&r);
		return -1;
	}
	if (r.nrows == 0)
		id = 0;		/* nothing inserted (ON CONFLICT DO NOTHING) */
	else
		id = db_rows_int(&r, 0, 0);
	db_rows_clear(&r);
	return id;
}

/* Transactions. */

int
db_begin(struct db *db)
{
	clearerr_(db);
	if (db->in_tx || db->be->in_tx(db)) {
		/*
		 * Nesting is a bug in the caller.  Doom the open transaction:
		 * the inner code would otherwise commit or roll back the
		 * outer one halfway through.
		 */
		if (db->in_tx)
			db->tx_failed = true;
		db_seterr(db, DB_ERR_OTHER, "db_begin: a transaction is "
		    "already open (transactions do not nest)");
		return -1;
	}
	if (db->be->tx(db, DB_TX_BEGIN) == -1) {
		if (db->errcode == DB_OK)
			db->errcode = DB_ERR_OTHER;
		return -1;
	}
	db->in_tx = true;
	db->tx_failed = false;
	return 0;
}

int
db_commit(struct db *db)
{
	int rc;

	clearerr_(db);
	if (!db->in_tx) {
		db_seterr(db, DB_ERR_OTHER, "db_commit: no transaction open");
		return -1;
	}
	if (db->tx_failed || !db->be->in_tx(db)) {
		if (db->be->in_tx(db))
			(void)db->be->tx(db, DB_TX_ROLLBACK);
		db->in_tx = db->tx_failed = false;
		db_seterr(db, DB_ERR_OTHER, "db_commit: transaction rolled "
		    "back because a statement in it failed");
		return -1;
	}
	rc = db->be->tx(db, DB_TX_COMMIT);
	if (rc == -1) {
		char msg[sizeof(db->errmsg)];
		enum db_err code = db->errcode;

		/*
		 * A failed COMMIT (deferred constraint, serialization, busy)
		 * leaves SQLite's transaction open: end it, so the caller
		 * sees one outcome, "nothing happened", on both back ends.
		 */
		memcpy(msg, db->errmsg, sizeof(msg));
		if (db->be->in_tx(db))
			(void)db->be->tx(db, DB_TX_ROLLBACK);
		db->errcode = code == DB_OK ? DB_ERR_OTHER : code;
		memcpy(db->errmsg, msg, sizeof(msg));
	}
	db->in_tx = db->tx_failed = false;
	return rc;
}

int
db_rollback(struct db *db)
{
	int rc = 0;

	clearerr_(db);
	if (db->be->in_tx(db))
		rc = db->be->tx(db, DB_TX_ROLLBACK);
	db->in_tx = db->tx_failed = false;
	return rc;
}

int
db_tx_lock(struct db *db, const char *name)
{
	clearerr_(db);
	if (!db->in_tx) {
		db_seterr(db, DB_ERR_OTHER, "db_tx_lock: needs an open "
		    "transaction");
		return -1;
	}
	if (db->kind == DB_SQLITE) {
		/* BEGIN IMMEDIATE already holds the only write lock. */
		return 0;
	}
	/*
	 * Transaction-scoped advisory lock: released by COMMIT/ROLLBACK, so
	 * it can never leak past the transaction.  hashtext maps the name to
	 * the lock's integer key; a collision only serializes more.
	 */
	if (run(db, "SELECT pg_advisory_xact_lock(hashtext(?))",
	    (struct db_value[]){ DB_T(name) }, 1, NULL, NULL) == -1)
		return -1;
	return 0;
}

int
db_backup_sqlite(struct db *db, const char *path, char **err)
{
	*err = NULL;
	if (db->kind != DB_SQLITE) {
		*err = xstrdup("db_backup_sqlite: not a SQLite database "
		    "(use pg_dump for PostgreSQL)");
		return -1;
	}
	if (db->in_tx || db->be->in_tx(db)) {
		*err = xstrdup("db_backup_sqlite: called inside a transaction");
		return -1;
	}
	return db_sqlite_backup(db, path, err);
}

/* Results. */

void
db_rows_init(struct db_rows *r, size_t ncols)
{
	memset(r, 0, sizeof(*r));
	r->ncols = ncols;
	arena_init(&r->arena);
}

struct db_cell *
db_rows_addrow(struct db_rows *r)
{
	struct db_cell *c;

	if (r->nrows == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		/* ncols may be 0 (statement without result columns) */
		r->cells = xreallocarray(r->cells, r->cap,
		    (r->ncols ? r->ncols : 1) * sizeof(*r->cells));
	}
	c = r->cells + r->nrows * r->ncols;
	memset(c, 0, r->ncols * sizeof(*c));
	r->nrows++;
	return c;
}

const char *
db_rows_copy(struct db_rows *r, const void *p, size_t n)
{
	return arena_strndup(&r->arena, n ? p : "", n);
}

void
db_rows_clear(struct db_rows *r)
{
	arena_free(&r->arena);
	free(r->cells);
	r->cells = NULL;
	r->nrows = r->cap = 0;
}

void
db_rows_free(struct db_rows *r)
{
	if (r == NULL)
		return;
	db_rows_clear(r);
	free(r);
}

size_t
db_rows_count(const struct db_rows *r)
{
	return r ? r->nrows : 0;
}

size_t
db_rows_columns(const struct db_rows *r)
{
	return r ? r->ncols : 0;
}

static const struct db_cell *
cell(const struct db_rows *r, size_t row, size_t col)
{
	if (r == NULL || row >= r->nrows || col >= r->ncols)
		return NULL;
	return &r->cells[row * r->ncols + col];
}

bool
db_rows_isnull(const struct db_rows *r, size_t row, size_t col)
{
	const struct db_cell *c = cell(r, row, col);

	return c == NULL || c->null;
}

const char *
db_rows_text(const struct db_rows *r, size_t row, size_t col)
{
	const struct db_cell *c = cell(r, row, col);

	return c == NULL || c->null ? "" : c->p;
}

int64_t
db_rows_int(const struct db_rows *r, size_t row, size_t col)
{
	const struct db_cell *c = cell(r, row, col);

	if (c == NULL || c->null)
		return 0;
	if (c->has_i)
		return c->i;
	return strtoll(c->p, NULL, 10);
}

const unsigned char *
db_rows_blob(const struct db_rows *r, size_t row, size_t col, size_t *len)
{
	const struct db_cell *c = cell(r, row, col);

	if (c == NULL || c->null) {
		*len = 0;
		return NULL;
	}
	*len = c->len;
	return (const unsigned char *)c->p;
}

/* SQL text scanning. */

static bool
isident(int c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '$' ||
	    (unsigned char)c >= 0x80;
}

/*
 * If sql + i starts a string, quoted identifier, comment or (PostgreSQL)
 * dollar-quoted string, return the index just past it; else return i.
 * Unterminated constructs run to the end; the database reports the error.
 */
static size_t
skip_quoted(const char *s, size_t i, enum db_kind kind)
{
	size_t j, depth, taglen;

	switch (s[i]) {
	case '\'': {
		/* E'...' allows backslash escapes (PostgreSQL). */
		bool bs = kind == DB_POSTGRES && i > 0 &&
		    (s[i - 1] == 'E' || s[i - 1] == 'e') &&
		    (i == 1 || !isident(s[i - 2]));
		for (j = i + 1; s[j] != '\0'; j++) {
			if (bs && s[j] == '\\' && s[j + 1] != '\0')
				j++;
			else if (s[j] == '\'') {
				if (s[j + 1] == '\'')
					j++;
				else
					return j + 1;
			}
		}
		return j;
	}
	case '"':
		for (j = i + 1; s[j] != '\0'; j++) {
			if (s[j] == '"') {
				if (s[j + 1] == '"')
					j++;
				else
					return j + 1;
			}
		}
		return j;
	case '-':
		if (s[i + 1] != '-')
			return i;
		for (j = i + 2; s[j] != '\0' && s[j] != '\n'; j++)
			;
		return j;
	case '/':
		if (s[i + 1] != '*')
			return i;
		depth = 1;
		for (j = i + 2; s[j] != '\0'; j++) {
			if (s[j] == '*' && s[j + 1] == '/') {
				j++;
				if (--depth == 0)
					return j + 1;
			} else if (kind == DB_POSTGRES && s[j] == '/' &&
			    s[j + 1] == '*') {
				j++;
				depth++;
			}
		}
		return j;
	case '$':
		/* $tag$ ... $tag$; "$1" is a parameter, not a tag */
		if (kind != DB_POSTGRES || (i > 0 && isident(s[i - 1])))
			return i;
		for (j = i + 1; s[j] != '\0' && s[j] != '$'; j++)
			if (!(isalpha((unsigned char)s[j]) || s[j] == '_' ||
			    (j > i + 1 && isdigit((unsigned char)s[j]))))
				return i;
		if (s[j] != '$')
			return i;
		taglen = j - i + 1;
		for (j = j + 1; s[j] != '\0'; j++)
			if (s[j] == '$' && strncmp(s + j, s + i, taglen) == 0)
				return j + taglen;
		return j;
	default:
		return i;
	}
}

char *
db_sql_numbered(const char *sql, size_t *count)
{
	struct buf b = BUF_INIT;
	size_t i = 0, j, n = 0;

	buf_reserve(&b, strlen(sql) + 16);
	buf_append(&b, "", 0);	/* terminated even if sql is empty */
	while (sql[i] != '\0') {
		j = skip_quoted(sql, i, DB_POSTGRES);
		if (j != i) {
			buf_append(&b, sql + i, j - i);
			i = j;
		} else if (sql[i] == '?') {
			buf_printf(&b, "$%zu", ++n);
			i++;
		} else
			buf_putc(&b, sql[i++]);
	}
	*count = n;
	return buf_steal(&b);
}

static const struct {
	const char	*token;
	const char	*sqlite;
	const char	*pg;
} portable[] = {
	{ "ID_PK", "INTEGER PRIMARY KEY AUTOINCREMENT",
	    "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY" },
	{ "BLOB", "BLOB", "BYTEA" },
};

char *
db_sql_portable(const char *sql, enum db_kind kind)
{
	struct buf b = BUF_INIT;
	const size_t nportable = sizeof(portable) / sizeof(portable[0]);
	size_t i = 0, j, k;

	buf_reserve(&b, strlen(sql) + 64);
	buf_append(&b, "", 0);	/* terminated even if sql is empty */
	while (sql[i] != '\0') {
		j = skip_quoted(sql, i, kind);
		if (j != i) {
			buf_append(&b, sql + i, j - i);
			i = j;
			continue;
		}
		if (!isident(sql[i])) {
			buf_putc(&b, sql[i++]);
			continue;
		}
		/* a whole word (or number) */
		for (j = i; isident(sql[j]); j++)
			;
		for (k = isdigit((unsigned char)sql[i]) ? nportable : 0;
		    k < nportable; k++) {
			if (strlen(portable[k].token) == j - i &&
			    strncmp(sql + i, portable[k].token, j - i) == 0)
				break;
		}
		if (k < nportable)
			buf_puts(&b, kind == DB_POSTGRES ? portable[k].pg :
			    portable[k].sqlite);
		else
			buf_append(&b, sql + i, j - i);
		i = j;
	}
	return buf_steal(&b);
}

char *
db_like_contains(struct arena *a, const char *q)
{
	struct buf b = BUF_INIT;
	char *out;

	buf_putc(&b, '%');
	for (; q != NULL && *q != '\0'; q++) {
		char ch = *q;

		if (ch == '%' || ch == '_' || ch == '\\')
			buf_putc(&b, '\\');
		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		buf_putc(&b, ch);
	}
	buf_putc(&b, '%');
	out = arena_strdup(a, b.data);
	buf_free(&b);
	return out;
}
