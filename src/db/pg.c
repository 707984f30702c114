/*
 * pg.c: the PostgreSQL back end of db.h, on libpq.
 *
 * Design choices:
 *
 * - One round trip per statement with PQexecParams: '?' placeholders are
 *   rewritten to $n outside quotes and comments (db.c), integers go as
 *   text typed bigint, text as untyped text the server resolves from
 *   context, blobs in binary as bytea (no escaping, NUL bytes intact).
 *   Results come back as text; bytea is decoded with PQunescapeBytea and
 *   booleans become "1"/"0" so callers read the same values as on SQLite.
 *
 * - Error messages are assembled from the SQLSTATE and the primary message
 *   only, and the primary message only for classes whose messages name
 *   schema objects rather than data.  PostgreSQL's DETAIL ("Key (email)=
 *   (someone@example.org) already exists") and messages of data exceptions
 *   ("invalid input syntax for type bigint: \"...\"") quote parameter
 *   values, which may be personal or health data, and db_errmsg ends up in
 *   logs.
 *
 * - A lost connection is re-established before the next statement, but
 *   never in the middle of a transaction: the server has rolled it back,
 *   and running the caller's remaining statements in autocommit on a fresh
 *   connection would commit half of its work.  Until the caller rolls back,
 *   every statement fails with DB_ERR_CONNECTION.
 *
 * - COMMIT of a transaction the server already aborted answers "ROLLBACK"
 *   without an error; that is reported as a failure.
 *
 * - Notices (e.g. "relation already exists, skipping") are dropped: libpq
 *   would print them on stderr, outside the JSON log, and a notice raised by
 *   a function could carry data.
 */
#include "db/db_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "base/mem.h"
#include "base/str.h"

#define BOOLOID		16
#define BYTEAOID	17
#define INT8OID		20

#define MAX_PARAMS	65535		/* protocol limit */

struct pgc {
	PGconn		*c;
};

static void
ignore_notice(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

/* Copy a libpq message onto one line, without its trailing newline. */
static void
oneline(char *dst, size_t size, const char *src)
{
	size_t i, j = 0;

	for (i = 0; src[i] != '\0' && j + 1 < size; i++) {
		char c = src[i];

		if (c == '\n' || c == '\t' || c == '\r')
			c = ' ';
		if (c == ' ' && (j == 0 || dst[j - 1] == ' '))
			continue;
		dst[j++] = c;
	}
	while (j > 0 && dst[j - 1] == ' ')
		j--;
	dst[j] = '\0';
}

/*
 * SQLSTATE classes whose primary messages name objects (tables, columns,
 * constraints, types, transaction states) and never echo values.
 */
static bool
safe_class(const char *state)
{
	static const char *const ok[] = {
		"08", "0A", "21", "23", "25", "2B", "2D", "34", "3B", "3D",
		"3F", "40", "42", "53", "54", "55", "57", "58",
	};
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (strncmp(state, ok[i], 2) == 0)
			return true;
	return false;
}

static enum db_err
classify(const char *state)
{
	if (strncmp(state, "23", 2) == 0)
		return DB_ERR_CONSTRAINT;
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
	    strcmp(state, "55P03") == 0)
		return DB_ERR_BUSY;
	if (strncmp(state, "08", 2) == 0 || strcmp(state, "57P01") == 0 ||
	    strcmp(state, "57P02") == 0 || strcmp(state, "57P03") == 0)
		return DB_ERR_CONNECTION;
	return DB_ERR_OTHER;
}

static void
seterr(struct db *db, const PGresult *res)
{
	struct pgc *p = db->conn;
	const char *state = NULL, *msg = NULL;
	char line[200];

	if (res != NULL) {
		state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	}
	if (state == NULL || strlen(state) != 5) {
		/* client side: connection lost, out of memory, protocol */
		oneline(line, sizeof(line), PQerrorMessage(p->c));
		db_seterr(db, PQstatus(p->c) == CONNECTION_BAD ?
		    DB_ERR_CONNECTION : DB_ERR_OTHER, "%s",
		    line[0] ? line : "PostgreSQL client error");
		return;
	}
	if (msg != NULL && safe_class(state)) {
		oneline(line, sizeof(line), msg);
		db_seterr(db, classify(state), "%s (SQLSTATE %s)", line, state);
	} else
		db_seterr(db, classify(state), "database error (SQLSTATE %s)",
		    state);
}

/*
 * Before a statement: make sure there is a connection, reconnecting only
 * outside a transaction (see the file comment).
 */
static int
alive(struct db *db)
{
	struct pgc *p = db->conn;

	if (PQstatus(p->c) == CONNECTION_OK)
		return 0;
	if (db->in_tx) {
		db_seterr(db, DB_ERR_CONNECTION, "connection to PostgreSQL lost "
		    "during a transaction; call db_rollback");
		return -1;
	}
	PQreset(p->c);
	if (PQstatus(p->c) != CONNECTION_OK) {
		char line[200];

		oneline(line, sizeof(line), PQerrorMessage(p->c));
		db_seterr(db, DB_ERR_CONNECTION, "cannot reconnect to "
		    "PostgreSQL: %s", line);
		return -1;
	}
	PQsetNoticeProcessor(p->c, ignore_notice, NULL);
	return 0;
}

static void
fetch(PGresult *res, struct db_rows *rows)
{
	int nr = PQntuples(res), nc = PQnfields(res), r, c;
	struct db_cell *cells;
	unsigned char *bytes;
	size_t len;

	rows->ncols = (size_t)nc;
	for (r = 0; r < nr; r++) {
		cells = db_rows_addrow(rows);
		for (c = 0; c < nc; c++) {
			struct db_cell *cl = &cells[c];
			const char *v = PQgetvalue(res, r, c);

			if (PQgetisnull(res, r, c)) {
				cl->null = true;
				cl->p = "";
				continue;
			}
			switch (PQftype(res, c)) {
			case BYTEAOID:
				bytes = PQunescapeBytea((const unsigned char *)v,
				    &len);
				if (bytes == NULL)
					xmalloc(SIZE_MAX);	/* aborts: OOM */
				cl->p = db_rows_copy(rows, bytes, len);
				cl->len = len;
				PQfreemem(bytes);
				break;
			case BOOLOID:
				cl->i = v[0] == 't';
				cl->has_i = true;
				cl->p = cl->i ? "1" : "0";
				cl->len = 1;
				break;
			default:
				len = (size_t)PQgetlength(res, r, c);
				cl->p = db_rows_copy(rows, v, len);
				cl->len = len;
				break;
			}
		}
	}
}

static int
pg_run(struct db *db, const char *sql, const struct db_value *v, size_t n,
    struct db_rows *rows, int64_t *changes)
{
	struct pgc *p = db->conn;
	PGresult *res = NULL;
	char *q = NULL, (*num)[24] = NULL, **copies = NULL;
	const char **vals = NULL;
	int *lens = NULL, *fmts = NULL, ret = -1;
	Oid *types = NULL;
	size_t i, want;

	if (alive(db) == -1)
		return -1;
	q = db_sql_numbered(sql, &want);
	if (want != n) {
		db_seterr(db, DB_ERR_OTHER, "SQL has %zu parameters, %zu given",
		    want, n);
		goto out;
	}
	if (n > MAX_PARAMS) {
		db_seterr(db, DB_ERR_OTHER, "too many parameters (%zu)", n);
		goto out;
	}
	if (n > 0) {
		vals = xcalloc(n, sizeof(*vals));
		lens = xcalloc(n, sizeof(*lens));
		fmts = xcalloc(n, sizeof(*fmts));
		types = xcalloc(n, sizeof(*types));
		num = xcalloc(n, sizeof(*num));
		copies = xcalloc(n, sizeof(*copies));
	}
	for (i = 0; i < n; i++) {
		switch (v[i].type) {
		case DB_INT:
			snprintf(num[i], sizeof(num[i]), "%lld",
			    (long long)v[i].i);
			vals[i] = num[i];
			types[i] = INT8OID;
			break;
		case DB_TEXT:
			if (v[i].p == NULL)
				break;		/* NULL */
			if (v[i].len == (size_t)-1) {
				vals[i] = v[i].p;
				break;
			}
			/* text parameters travel NUL-terminated */
			if (memchr(v[i].p, '\0', v[i].len) != NULL) {
				db_seterr(db, DB_ERR_OTHER, "text parameter "
				    "%zu contains a NUL byte", i + 1);
				goto out;
			}
			copies[i] = xstrndup(v[i].p, v[i].len);
			vals[i] = copies[i];
			break;
		case DB_BLOB:
			if (v[i].p == NULL)
				break;
			if (v[i].len > INT32_MAX) {
				db_seterr(db, DB_ERR_OTHER, "blob parameter "
				    "%zu is too large", i + 1);
				goto out;
			}
			vals[i] = v[i].p;
			lens[i] = (int)v[i].len;
			fmts[i] = 1;
			types[i] = BYTEAOID;
			break;
		default:
			break;			/* NULL, type inferred */
		}
	}
	res = PQexecParams(p->c, q, (int)n, types, vals, lens, fmts, 0);
	switch (res ? PQresultStatus(res) : PGRES_FATAL_ERROR) {
	case PGRES_COMMAND_OK:
	case PGRES_TUPLES_OK:
		break;
	case PGRES_EMPTY_QUERY:
		db_seterr(db, DB_ERR_OTHER, "empty SQL statement");
		goto out;
	default:
		seterr(db, res);
		goto out;
	}
	if (rows != NULL)
		fetch(res, rows);
	if (changes != NULL) {
		const char *t = PQcmdTuples(res);

		*changes = strncmp(PQcmdStatus(res), "SELECT", 6) == 0 ||
		    *t == '\0' ? 0 : strtoll(t, NULL, 10);
	}
	ret = 0;
 out:
	PQclear(res);
	if (copies != NULL)
		for (i = 0; i < n; i++)
			free(copies[i]);
	free(copies);
	free(num);
	free(types);
	free(fmts);
	free(lens);
	free(vals);
	free(q);
	return ret;
}

static int
pg_script(struct db *db, const char *sql)
{
	struct pgc *p = db->conn;
	PGresult *res;
	int ret = 0;

	if (alive(db) == -1)
		return -1;
	res = PQexec(p->c, sql);
	if (res == NULL || (PQresultStatus(res) != PGRES_COMMAND_OK &&
	    PQresultStatus(res) != PGRES_TUPLES_OK &&
	    PQresultStatus(res) != PGRES_EMPTY_QUERY)) {
		seterr(db, res);
		ret = -1;
	}
	PQclear(res);
	return ret;
}

static int
pg_tx(struct db *db, enum db_txop op)
{
	struct pgc *p = db->conn;
	static const char *const sql[] = {
		[DB_TX_BEGIN] = "BEGIN",
		[DB_TX_COMMIT] = "COMMIT",
		[DB_TX_ROLLBACK] = "ROLLBACK",
	};
	PGresult *res;
	int ret = 0;

	if (op == DB_TX_ROLLBACK && PQstatus(p->c) != CONNECTION_OK)
		return 0;	/* the server rolled back when it went away */
	if (op == DB_TX_BEGIN && alive(db) == -1)
		return -1;
	res = PQexec(p->c, sql[op]);
	if (res == NULL || PQresultStatus(res) != PGRES_COMMAND_OK) {
		seterr(db, res);
		ret = -1;
	} else if (op == DB_TX_COMMIT && strcmp(PQcmdStatus(res), "ROLLBACK") == 0) {
		db_seterr(db, DB_ERR_OTHER, "COMMIT rolled back: the "
		    "transaction had failed");
		ret = -1;
	}
	PQclear(res);
	return ret;
}

static bool
pg_in_tx(struct db *db)
{
	struct pgc *p = db->conn;
	PGTransactionStatusType s = PQtransactionStatus(p->c);

	return s == PQTRANS_INTRANS || s == PQTRANS_INERROR ||
	    s == PQTRANS_ACTIVE;
}

static void
pg_close(struct db *db)
{
	struct pgc *p = db->conn;

	PQfinish(p->c);
	free(p);
	db->conn = NULL;
}

static const struct db_backend pg_backend = {
	.name = "postgresql",
	.run = pg_run,
	.script = pg_script,
	.tx = pg_tx,
	.in_tx = pg_in_tx,
	.close = pg_close,
};

int
db_pg_open(struct db *db, const char *url, char **err)
{
	/*
	 * Later keywords override what the URL says: the client encoding
	 * must be UTF-8 whatever the environment, and the application name
	 * only fills in when the URL sets none.
	 */
	const char *const keys[] = { "dbname", "client_encoding",
	    "fallback_application_name", NULL };
	const char *const vals[] = { url, "UTF8", "circles", NULL };
	struct pgc *p;
	PGconn *c;
	char line[200];

	c = PQconnectdbParams(keys, vals, 1);
	if (c == NULL) {
		*err = xstrdup("cannot connect to PostgreSQL: out of memory");
		return -1;
	}
	if (PQstatus(c) != CONNECTION_OK) {
		/* libpq's message names host and user, never the password */
		oneline(line, sizeof(line), PQerrorMessage(c));
		*err = xasprintf("cannot connect to PostgreSQL: %s", line);
		PQfinish(c);
		return -1;
	}
	PQsetNoticeProcessor(c, ignore_notice, NULL);
	p = xcalloc(1, sizeof(*p));
	p->c = c;
	db->conn = p;
	db->be = &pg_backend;
	return 0;
}
