/*
 * Unit tests for src/db: the same cases against SQLite (a temporary file,
 * always) and PostgreSQL (when CIRCLES_TEST_PG_URL is set, e.g. by
 * tests/pg/start.sh; skipped otherwise).
 *
 * Each PostgreSQL case runs in a schema of its own (search_path), so cases
 * never see each other's tables and nothing is left behind in the database.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/mem.h"
#include "db/db.h"
#include "db/db_int.h"
#include "db/schema.h"

struct fx {
	enum db_kind	 kind;
	bool		 skip;
	char		 dir[128];	/* SQLite: temporary directory */
	char		 url[1024];
	char		 schema[64];	/* PostgreSQL: per-case schema */
	struct db	*db;
};

static struct fx lite_fx = { .kind = DB_SQLITE };
static struct fx pg_fx = { .kind = DB_POSTGRES };
static int case_no;

/* Open one more connection with the fixture's settings. */
static struct db *
connect_fx(struct fx *f)
{
	struct db *db;
	char *err = NULL, sql[128];

	db = db_open(f->url, &err);
	if (db == NULL)
		fail_msg("db_open: %s", err);
	if (f->kind == DB_POSTGRES) {
		/* the schema name is ours (pid and counter), not input */
		snprintf(sql, sizeof(sql), "SET search_path TO %s", f->schema);
		assert_int_equal(db_exec(db, sql), 0);
	}
	return db;
}

static int
setup(void **state)
{
	struct fx *f = *state;
	const char *url, *tmp;
	char sql[256];
	struct db *db;
	char *err = NULL;

	f->skip = false;
	if (f->kind == DB_POSTGRES) {
		if ((url = getenv("CIRCLES_TEST_PG_URL")) == NULL || *url == '\0') {
			f->skip = true;
			return 0;
		}
		snprintf(f->url, sizeof(f->url), "%s", url);
		snprintf(f->schema, sizeof(f->schema), "test_db_%d_%d",
		    (int)getpid(), ++case_no);
		if ((db = db_open(f->url, &err)) == NULL) {
			fprintf(stderr, "# cannot connect: %s\n", err);
			free(err);
			return -1;
		}
		snprintf(sql, sizeof(sql), "DROP SCHEMA IF EXISTS %s CASCADE",
		    f->schema);
		assert_int_equal(db_exec(db, sql), 0);
		snprintf(sql, sizeof(sql), "CREATE SCHEMA %s", f->schema);
		assert_int_equal(db_exec(db, sql), 0);
		db_close(db);
	} else {
		tmp = getenv("TMPDIR");
		snprintf(f->dir, sizeof(f->dir), "%s/circles-db-XXXXXX",
		    tmp && *tmp ? tmp : "/tmp");
		if (mkdtemp(f->dir) == NULL)
			return -1;
		snprintf(f->url, sizeof(f->url), "sqlite:%s/test.db", f->dir);
	}
	f->db = connect_fx(f);
	return 0;
}

static void
rm_dir(const char *dir)
{
	DIR *d;
	struct dirent *e;
	char path[512];

	if ((d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	char sql[128];

	if (f->skip)
		return 0;
	if (f->kind == DB_POSTGRES && f->db != NULL) {
		db_rollback(f->db);
		snprintf(sql, sizeof(sql), "DROP SCHEMA IF EXISTS %s CASCADE",
		    f->schema);
		db_exec(f->db, sql);
	}
	db_close(f->db);
	f->db = NULL;
	if (f->kind == DB_SQLITE)
		rm_dir(f->dir);
	return 0;
}

#define FIXTURE(state)	struct fx *f = *(state); if (f->skip) { skip(); return; }

/* Create a table from portable SQL (ID_PK, BLOB). */
static void
ddl(struct db *db, const char *sql)
{
	char *s = db_sql_portable(sql, db_kind(db));

	if (db_exec(db, s) == -1)
		fail_msg("ddl: %s: %s", sql, db_errmsg(db));
	free(s);
}

/* The first cell of a query's first row. */
static int64_t
count_a(struct db *db, const char *sql, const struct db_value *v, size_t nv)
{
	struct db_rows *r = db_query_a(db, sql, v, nv);
	int64_t n;

	if (r == NULL)
		fail_msg("count: %s: %s", sql, db_errmsg(db));
	n = db_rows_int(r, 0, 0);
	db_rows_free(r);
	return n;
}
#define count(db, sql, ...) \
	count_a((db), (sql), DB_ARGS_(__VA_ARGS__), DB_NARGS_(__VA_ARGS__))

/* Pure helpers: no database. */

static void
test_numbered(void **state)
{
	static const struct {
		const char	*in;
		const char	*out;
		size_t		 n;
	} t[] = {
		{ "SELECT ?", "SELECT $1", 1 },
		{ "SELECT 1", "SELECT 1", 0 },
		{ "SELECT '?', ?", "SELECT '?', $1", 1 },
		{ "SELECT 'it''s ?', ?", "SELECT 'it''s ?', $1", 1 },
		{ "SELECT \"a?\" FROM t WHERE x = ?",
		    "SELECT \"a?\" FROM t WHERE x = $1", 1 },
		{ "SELECT \"q\"\"?\", ?", "SELECT \"q\"\"?\", $1", 1 },
		{ "SELECT 1 -- ?\n, ?", "SELECT 1 -- ?\n, $1", 1 },
		{ "SELECT 1 -- ? at the end", "SELECT 1 -- ? at the end", 0 },
		{ "/* ? /* ? */ ? */ ?", "/* ? /* ? */ ? */ $1", 1 },
		{ "SELECT $$?$$, $tag$ ? $ ? $tag$, ?",
		    "SELECT $$?$$, $tag$ ? $ ? $tag$, $1", 1 },
		{ "SELECT E'\\'?', ?", "SELECT E'\\'?', $1", 1 },
		{ "SELECT e'\\\\', ?", "SELECT e'\\\\', $1", 1 },
		{ "SELECT '\\', ?", "SELECT '\\', $1", 1 },
		{ "SELECT 'x' || ? || 'y?'", "SELECT 'x' || $1 || 'y?'", 1 },
		{ "SELECT ?-?", "SELECT $1-$2", 2 },
		{ "SELECT '?", "SELECT '?", 0 },
		{ "?,?,?,?,?,?,?,?,?,?,?,?", "$1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12", 12 },
		{ "", "", 0 },
	};
	size_t i, n;
	char *s;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		s = db_sql_numbered(t[i].in, &n);
		if (strcmp(s, t[i].out) != 0 || n != t[i].n)
			fail_msg("case %zu: \"%s\" gave \"%s\" (%zu)", i,
			    t[i].in, s, n);
		free(s);
	}
}

static void
test_portable(void **state)
{
	const char *in = "CREATE TABLE t (id ID_PK, b BLOB, c TEXT DEFAULT "
	    "'BLOB ID_PK', \"BLOB\" TEXT, BLOBS BIGINT, my_BLOB BIGINT, "
	    "x1BLOB BIGINT) -- BLOB";
	char *s;

	(void)state;
	s = db_sql_portable(in, DB_SQLITE);
	assert_string_equal(s, "CREATE TABLE t (id INTEGER PRIMARY KEY "
	    "AUTOINCREMENT, b BLOB, c TEXT DEFAULT 'BLOB ID_PK', \"BLOB\" TEXT, "
	    "BLOBS BIGINT, my_BLOB BIGINT, x1BLOB BIGINT) -- BLOB");
	free(s);
	s = db_sql_portable(in, DB_POSTGRES);
	assert_string_equal(s, "CREATE TABLE t (id BIGINT GENERATED BY DEFAULT "
	    "AS IDENTITY PRIMARY KEY, b BYTEA, c TEXT DEFAULT 'BLOB ID_PK', "
	    "\"BLOB\" TEXT, BLOBS BIGINT, my_BLOB BIGINT, x1BLOB BIGINT) -- BLOB");
	free(s);
}

/* Cases run on both back ends. */

static void
test_open(void **state)
{
	FIXTURE(state);
	struct db *db;
	struct db_rows *r;
	struct stat sb;
	char *err = NULL, path[256];
	mode_t old;

	assert_int_equal(db_kind(f->db), f->kind);
	db = db_open("sqlite:/nonexistent-circles-dir/x.db", &err);
	assert_null(db);
	assert_non_null(strstr(err, "directory does not exist"));
	free(err);
	db = db_open("mysql://user:hunter2@host/db", &err);
	assert_null(db);
	assert_null(strstr(err, "hunter2"));
	free(err);
	db = db_open("", &err);
	assert_null(db);
	free(err);
	if (f->kind == DB_POSTGRES) {
		db = db_open("postgresql://postgres:hunter2@127.0.0.1:1/x", &err);
		assert_null(db);
		assert_null(strstr(err, "hunter2"));
		free(err);
		return;
	}
	/* 0600 even with a permissive umask, and -wal/-shm alike */
	old = umask(0);
	snprintf(path, sizeof(path), "sqlite:%s/mode.db", f->dir);
	db = db_open(path, &err);
	umask(old);
	assert_non_null(db);
	assert_int_equal(db_exec(db, "CREATE TABLE x (a BIGINT)"), 0);
	snprintf(path, sizeof(path), "%s/mode.db", f->dir);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	snprintf(path, sizeof(path), "%s/mode.db-wal", f->dir);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	/* the pragmas took */
	r = db_query(db, "PRAGMA journal_mode");
	assert_string_equal(db_rows_text(r, 0, 0), "wal");
	db_rows_free(r);
	assert_int_equal(count(db, "PRAGMA foreign_keys"), 1);
	assert_int_equal(count(db, "PRAGMA synchronous"), 2);	/* FULL */
	assert_int_equal(count(db, "PRAGMA busy_timeout"), 5000);
	db_close(db);
	/* bare path and sqlite:// forms */
	snprintf(path, sizeof(path), "%s/bare.db", f->dir);
	assert_non_null(db = db_open(path, &err));
	db_close(db);
	snprintf(path, sizeof(path), "sqlite://%s/bare.db", f->dir);
	assert_non_null(db = db_open(path, &err));
	db_close(db);
}

static void
test_params(void **state)
{
	FIXTURE(state);
	struct db *db = f->db;
	struct db_rows *r;
	unsigned char bytes[256];
	const unsigned char *b;
	const char *utf8 = "Zoë — 日本語 🌱 ünïcödé";
	size_t i, len;

	for (i = 0; i < sizeof(bytes); i++)
		bytes[i] = (unsigned char)(255 - i);	/* includes 0 and 0xff */
	ddl(db, "CREATE TABLE p (id BIGINT PRIMARY KEY, n BIGINT, t TEXT, "
	    "b BLOB)");
	assert_int_equal(db_exec(db, "INSERT INTO p VALUES (?, ?, ?, ?)",
	    DB_I(1), DB_I(INT64_MAX), DB_T(utf8), DB_B(bytes, sizeof(bytes))), 1);
	assert_int_equal(db_exec(db, "INSERT INTO p VALUES (?, ?, ?, ?)",
	    DB_I(2), DB_I(INT64_MIN), DB_TN("hello world", 5),
	    DB_B("a\0b\0", 4)), 1);
	assert_int_equal(db_exec(db, "INSERT INTO p VALUES (?, ?, ?, ?)",
	    DB_I(3), DB_NUL, DB_T(NULL), DB_B(NULL, 0)), 1);
	assert_int_equal(db_exec(db, "INSERT INTO p VALUES (?, ?, ?, ?)",
	    DB_I(4), DB_I(0), DB_T(""), DB_B("", 0)), 1);

	r = db_query(db, "SELECT id, n, t, b FROM p ORDER BY id");
	assert_non_null(r);
	assert_int_equal(db_rows_count(r), 4);
	assert_int_equal(db_rows_columns(r), 4);

	assert_true(db_rows_int(r, 0, 1) == INT64_MAX);
	assert_string_equal(db_rows_text(r, 0, 1), "9223372036854775807");
	assert_string_equal(db_rows_text(r, 0, 2), utf8);
	b = db_rows_blob(r, 0, 3, &len);
	assert_int_equal(len, sizeof(bytes));
	assert_memory_equal(b, bytes, sizeof(bytes));

	assert_true(db_rows_int(r, 1, 1) == INT64_MIN);
	assert_string_equal(db_rows_text(r, 1, 2), "hello");
	b = db_rows_blob(r, 1, 3, &len);
	assert_int_equal(len, 4);
	assert_memory_equal(b, "a\0b\0", 4);

	for (i = 1; i < 4; i++)
		assert_true(db_rows_isnull(r, 2, i));
	assert_string_equal(db_rows_text(r, 2, 2), "");
	assert_int_equal(db_rows_int(r, 2, 1), 0);
	assert_null(db_rows_blob(r, 2, 3, &len));
	assert_int_equal(len, 0);

	/* empty is not NULL, on both back ends */
	assert_false(db_rows_isnull(r, 3, 2));
	assert_false(db_rows_isnull(r, 3, 3));
	assert_non_null(db_rows_blob(r, 3, 3, &len));
	assert_int_equal(len, 0);

	/* out of range reads as NULL */
	assert_true(db_rows_isnull(r, 9, 0));
	assert_true(db_rows_isnull(r, 0, 9));
	assert_string_equal(db_rows_text(r, 9, 9), "");
	db_rows_free(r);

	/* parameters in WHERE, text match on UTF-8 */
	r = db_query(db, "SELECT id FROM p WHERE t = ?", DB_T(utf8));
	assert_int_equal(db_rows_count(r), 1);
	assert_int_equal(db_rows_int(r, 0, 0), 1);
	db_rows_free(r);
	r = db_query(db, "SELECT id FROM p WHERE b = ?", DB_B("a\0b\0", 4));
	assert_int_equal(db_rows_count(r), 1);
	assert_int_equal(db_rows_int(r, 0, 0), 2);
	db_rows_free(r);

	/* NUL inside text is refused on both (use a blob) */
	assert_int_equal(db_exec(db, "INSERT INTO p (id, t) VALUES (?, ?)",
	    DB_I(5), DB_TN("a\0b", 3)), -1);
	assert_non_null(strstr(db_errmsg(db), "NUL"));

	/* booleans and expressions read the same on both */
	r = db_query(db, "SELECT 1 = 1, 1 = 2, ? + 1", DB_I(41));
	assert_string_equal(db_rows_text(r, 0, 0), "1");
	assert_int_equal(db_rows_int(r, 0, 1), 0);
	assert_int_equal(db_rows_int(r, 0, 2), 42);
	db_rows_free(r);

	/* empty result */
	r = db_query(db, "SELECT id FROM p WHERE id < 0");
	assert_non_null(r);
	assert_int_equal(db_rows_count(r), 0);
	db_rows_free(r);
}

static void
test_placeholders(void **state)
{
	FIXTURE(state);
	struct db *db = f->db;
	struct db_rows *r;

	ddl(db, "CREATE TABLE q (\"odd?name\" TEXT, v TEXT)");
	assert_int_equal(db_exec(db, "INSERT INTO q (\"odd?name\", v) "
	    "VALUES ('lit?''?', ?) -- a ? in a comment", DB_T("param?")), 1);
	r = db_query(db, "SELECT \"odd?name\", v, '?' FROM q /* ? */ "
	    "WHERE \"odd?name\" = 'lit?''?' AND v = ?", DB_T("param?"));
	assert_non_null(r);
	assert_int_equal(db_rows_count(r), 1);
	assert_string_equal(db_rows_text(r, 0, 0), "lit?'?");
	assert_string_equal(db_rows_text(r, 0, 1), "param?");
	assert_string_equal(db_rows_text(r, 0, 2), "?");
	db_rows_free(r);

	/* wrong parameter counts are refused, not guessed */
	assert_null(db_query(db, "SELECT ?, ?", DB_I(1)));
	assert_int_equal(db_errcode(db), DB_ERR_OTHER);
	assert_int_equal(db_exec(db, "SELECT 1", DB_I(1)), -1);
	/* one statement per call */
	assert_int_equal(db_exec(db, "DELETE FROM q; DELETE FROM q"), -1);
	assert_int_equal(count(db, "SELECT count(*) FROM q"), 1);
	/* trailing ';' and comments are fine */
	assert_int_equal(count(db, "SELECT count(*) FROM q; -- done"), 1);
	assert_int_equal(db_exec(db, "  "), -1);

	if (f->kind == DB_POSTGRES) {
		r = db_query(db, "SELECT $$?$$ || ?, E'\\'?' || ?", DB_T("a"),
		    DB_T("b"));
		assert_non_null(r);
		assert_string_equal(db_rows_text(r, 0, 0), "?a");
		assert_string_equal(db_rows_text(r, 0, 1), "'?b");
		db_rows_free(r);
	}
}

static void
test_constraint(void **state)
{
	FIXTURE(state);
	struct db *db = f->db;
	const char *secret = "zz-private@example.org";

	ddl(db, "CREATE TABLE parent (id BIGINT PRIMARY KEY)");
	ddl(db, "CREATE TABLE child (id ID_PK, parent_id BIGINT NOT NULL "
	    "REFERENCES parent (id), email TEXT UNIQUE, age BIGINT "
	    "CHECK (age >= 0))");
	assert_int_equal(db_exec(db, "INSERT INTO parent VALUES (1)"), 1);
	assert_true(db_insert(db, "INSERT INTO child (parent_id, email, age) "
	    "VALUES (?, ?, ?) RETURNING id", DB_I(1), DB_T(secret),
	    DB_I(30)) > 0);

	/* unique */
	assert_int_equal(db_insert(db, "INSERT INTO child (parent_id, email) "
	    "VALUES (?, ?) RETURNING id", DB_I(1), DB_T(secret)), -1);
	assert_int_equal(db_errcode(db), DB_ERR_CONSTRAINT);
	assert_true(strlen(db_errmsg(db)) > 0);
	assert_null(strstr(db_errmsg(db), "zz-private"));
	/* not null */
	assert_int_equal(db_exec(db, "INSERT INTO child (parent_id) VALUES (?)",
	    DB_NUL), -1);
	assert_int_equal(db_errcode(db), DB_ERR_CONSTRAINT);
	/* foreign key (foreign_keys=ON on SQLite) */
	assert_int_equal(db_exec(db, "INSERT INTO child (parent_id, email) "
	    "VALUES (?, ?)", DB_I(99), DB_T("zz-other-private")), -1);
	assert_int_equal(db_errcode(db), DB_ERR_CONSTRAINT);
	assert_null(strstr(db_errmsg(db), "zz-other"));
	assert_int_equal(db_exec(db, "DELETE FROM parent"), -1);
	assert_int_equal(db_errcode(db), DB_ERR_CONSTRAINT);
	/* check */
	assert_int_equal(db_exec(db, "INSERT INTO child (parent_id, age) "
	    "VALUES (?, ?)", DB_I(1), DB_I(-5)), -1);
	assert_int_equal(db_errcode(db), DB_ERR_CONSTRAINT);
	/* other errors are not constraint errors */
	assert_int_equal(db_exec(db, "INSERT INTO nosuch VALUES (1)"), -1);
	assert_int_equal(db_errcode(db), DB_ERR_OTHER);
	assert_int_equal(db_exec(db, "SELEC 1"), -1);
	assert_int_equal(db_errcode(db), DB_ERR_OTHER);
	if (f->kind == DB_POSTGRES) {
		/* a data exception quotes the value; the message must not */
		assert_int_equal(db_exec(db, "INSERT INTO child (parent_id) "
		    "VALUES (?)", DB_T("zz-private-value")), -1);
		assert_null(strstr(db_errmsg(db), "zz-private"));
		assert_non_null(strstr(db_errmsg(db), "22P02"));
	}
	/* the connection is fine afterwards, nothing extra was written */
	assert_int_equal(count(db, "SELECT count(*) FROM child"), 1);
	assert_int_equal(db_errcode(db), DB_OK);
	assert_string_equal(db_errmsg(db), "");
}

static void
test_tx(void **state)
{
	FIXTURE(state);
	struct db *db = f->db;

	ddl(db, "CREATE TABLE acct (id BIGINT PRIMARY KEY, bal BIGINT NOT NULL)");
	assert_int_equal(db_exec(db, "INSERT INTO acct VALUES (1, 100)"), 1);

	/* commit keeps */
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_exec(db, "UPDATE acct SET bal = ? WHERE id = ?",
	    DB_I(50), DB_I(1)), 1);
	assert_int_equal(db_exec(db, "INSERT INTO acct VALUES (2, 7)"), 1);
	assert_int_equal(db_commit(db), 0);
	assert_int_equal(count(db, "SELECT sum(bal) FROM acct"), 57);

	/* rollback leaves the data as it was */
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_exec(db, "UPDATE acct SET bal = 0"), 2);
	assert_int_equal(db_exec(db, "DELETE FROM acct WHERE id = 2"), 1);
	assert_int_equal(db_exec(db, "INSERT INTO acct VALUES (3, 1)"), 1);
	assert_int_equal(count(db, "SELECT sum(bal) FROM acct"), 1);
	assert_int_equal(db_rollback(db), 0);
	assert_int_equal(count(db, "SELECT sum(bal) FROM acct"), 57);
	assert_int_equal(count(db, "SELECT count(*) FROM acct"), 2);

	/* no nesting: the inner begin fails and dooms the outer one */
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_exec(db, "UPDATE acct SET bal = 0"), 2);
	assert_int_equal(db_begin(db), -1);
	assert_non_null(strstr(db_errmsg(db), "nest"));
	assert_int_equal(db_exec(db, "UPDATE acct SET bal = 1"), -1);
	assert_int_equal(db_commit(db), -1);
	assert_int_equal(count(db, "SELECT sum(bal) FROM acct"), 57);

	/* a failed statement dooms the transaction on both back ends */
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_exec(db, "UPDATE acct SET bal = bal + 1000"), 2);
	assert_int_equal(db_exec(db, "INSERT INTO acct VALUES (1, 0)"), -1);
	assert_int_equal(db_errcode(db), DB_ERR_CONSTRAINT);
	assert_int_equal(db_exec(db, "INSERT INTO acct VALUES (9, 0)"), -1);
	assert_non_null(strstr(db_errmsg(db), "db_rollback"));
	assert_int_equal(db_commit(db), -1);
	assert_int_equal(count(db, "SELECT sum(bal) FROM acct"), 57);

	/* the same with an explicit rollback */
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_exec(db, "INSERT INTO acct VALUES (1, 0)"), -1);
	assert_int_equal(db_rollback(db), 0);

	/* misuse outside a transaction */
	assert_int_equal(db_commit(db), -1);
	assert_int_equal(db_rollback(db), 0);		/* harmless no-op */
	assert_int_equal(db_tx_lock(db, "x"), -1);

	/* tx_lock inside, then a normal commit */
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_tx_lock(db, "acct:1"), 0);
	assert_int_equal(db_tx_lock(db, "acct:1"), 0);	/* re-entrant */
	assert_int_equal(db_exec(db, "UPDATE acct SET bal = bal + 1 WHERE id = 1"), 1);
	assert_int_equal(db_commit(db), 0);
	assert_int_equal(count(db, "SELECT sum(bal) FROM acct"), 58);
}

static void
test_returning(void **state)
{
	FIXTURE(state);
	struct db *db = f->db;

	ddl(db, "CREATE TABLE r (id ID_PK, k TEXT NOT NULL UNIQUE)");
	assert_int_equal(db_insert(db, "INSERT INTO r (k) VALUES (?) RETURNING id",
	    DB_T("a")), 1);
	assert_int_equal(db_insert(db, "INSERT INTO r (k) VALUES (?) "
	    "RETURNING  ID ;", DB_T("b")), 2);
	/* nothing inserted */
	assert_int_equal(db_insert(db, "INSERT INTO r (k) VALUES (?) ON "
	    "CONFLICT (k) DO NOTHING RETURNING id", DB_T("a")), 0);
	assert_int_equal(db_errcode(db), DB_OK);
	/* the contract is enforced */
	assert_int_equal(db_insert(db, "INSERT INTO r (k) VALUES (?)",
	    DB_T("c")), -1);
	assert_int_equal(db_insert(db, "INSERT INTO r (k) VALUES (?) "
	    "RETURNING k", DB_T("c")), -1);
	assert_int_equal(count(db, "SELECT count(*) FROM r"), 2);
	/* inside a transaction */
	assert_int_equal(db_begin(db), 0);
	/* > 2, not 3: PostgreSQL spent an id on the conflicting insert */
	assert_true(db_insert(db, "INSERT INTO r (k) VALUES (?) RETURNING id",
	    DB_T("c")) > 2);
	assert_int_equal(db_commit(db), 0);
	/* exec counts changes; a SELECT through exec changes nothing */
	assert_int_equal(db_exec(db, "UPDATE r SET k = k || 'x'"), 3);
	assert_int_equal(db_exec(db, "SELECT * FROM r"), 0);
	assert_int_equal(db_exec(db, "DELETE FROM r WHERE id > ?", DB_I(1)), 2);
	assert_int_equal(db_exec(db, "INSERT INTO r (k) VALUES ('y'), ('z')"), 2);
}

static const struct db_migration test_list[] = {
	{ 1, "one", "CREATE TABLE a (id ID_PK, data BLOB,\n"
	    "  note TEXT DEFAULT 'BLOB ID_PK; ?');\n"
	    "CREATE INDEX a_note ON a (note);\n" },
	{ 2, "two", "CREATE TABLE b (x BIGINT);\nINSERT INTO b VALUES (1);" },
	{ 3, "three", "CREATE TABLE c (x BIGINT);\n"
	    "INSERT INTO nosuch VALUES (1);" },
};

static void
test_migrate(void **state)
{
	FIXTURE(state);
	struct db *db = f->db;
	char *err = NULL;
	int last = db_migrations[db_migrations_count - 1].version;

	assert_int_equal(db_schema_version(db), 0);
	if (db_migrate(db, &err) == -1)
		fail_msg("db_migrate: %s", err);
	assert_int_equal(db_schema_version(db), last);
	assert_int_equal(count(db, "SELECT count(*) FROM schema_migrations"),
	    (int64_t)db_migrations_count);
	assert_true(count(db, "SELECT min(applied_at) FROM schema_migrations") >
	    1700000000);
	assert_int_equal(db_exec(db, "INSERT INTO settings (key, value) "
	    "VALUES (?, ?)", DB_T("k"), DB_T("v")), 1);
	/* twice = no change */
	assert_int_equal(db_migrate(db, &err), 0);
	assert_int_equal(db_schema_version(db), last);
	assert_int_equal(count(db, "SELECT count(*) FROM schema_migrations"),
	    (int64_t)db_migrations_count);
	assert_int_equal(count(db, "SELECT count(*) FROM settings"), 1);
	/* not inside a transaction */
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_migrate(db, &err), -1);
	free(err);
	assert_int_equal(db_rollback(db), 0);
}

static void
test_migrate_list(void **state)
{
	FIXTURE(state);
	struct db *db = f->db;
	struct db_rows *r;
	char *err = NULL;
	size_t len;
	struct db_migration bad[2];

	/* a failing migration stops the run and leaves nothing of itself */
	assert_int_equal(db_migrate_list(db, test_list, 3, &err), -1);
	assert_non_null(strstr(err, "migration 3 (three)"));
	free(err);
	assert_int_equal(db_schema_version(db), 2);
	assert_null(db_query(db, "SELECT * FROM c"));
	assert_int_equal(count(db, "SELECT count(*) FROM b"), 1);
	/* fixed list: done, and the tokens became real types */
	assert_int_equal(db_migrate_list(db, test_list, 2, &err), 0);
	assert_int_equal(db_insert(db, "INSERT INTO a (data) VALUES (?) "
	    "RETURNING id", DB_B("\0\1", 2)), 1);
	r = db_query(db, "SELECT data, note FROM a");
	assert_non_null(db_rows_blob(r, 0, 0, &len));
	assert_int_equal(len, 2);
	assert_string_equal(db_rows_text(r, 0, 1), "BLOB ID_PK; ?");
	db_rows_free(r);
	/* an older program (knowing only 1) refuses the newer database */
	assert_int_equal(db_migrate_list(db, test_list, 1, &err), -1);
	assert_non_null(strstr(err, "newer"));
	free(err);
	/* lists must be ordered */
	bad[0] = test_list[1];
	bad[1] = test_list[0];
	assert_int_equal(db_migrate_list(db, bad, 2, &err), -1);
	free(err);
	assert_int_equal(db_schema_version(db), 2);
}

struct mig_arg {
	struct fx	*f;
	int		 rc;
	char		*err;
};

static void *
migrate_thread(void *arg)
{
	struct mig_arg *a = arg;
	struct db *db = connect_fx(a->f);

	a->rc = db_migrate_list(db, test_list, 2, &a->err);
	db_close(db);
	return NULL;
}

static void
test_migrate_concurrent(void **state)
{
	FIXTURE(state);
	struct mig_arg a[4];
	pthread_t t[4];
	int i;

	for (i = 0; i < 4; i++) {
		a[i].f = f;
		a[i].rc = -2;
		a[i].err = NULL;
		assert_int_equal(pthread_create(&t[i], NULL, migrate_thread,
		    &a[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		if (a[i].rc != 0)
			fail_msg("migrator %d: %s", i, a[i].err);
	}
	assert_int_equal(count(f->db, "SELECT count(*) FROM schema_migrations"), 2);
	assert_int_equal(count(f->db, "SELECT count(*) FROM b"), 1);
}

static void
test_stmt_cache(void **state)
{
	FIXTURE(state);
	struct db *db = f->db;
	struct db_stats s0, s1;
	struct db_rows *r;
	char sql[64];
	int i;

	ddl(db, "CREATE TABLE sc (id BIGINT PRIMARY KEY, v TEXT)");
	db_stats(db, &s0);
	for (i = 0; i < 100; i++)
		assert_int_equal(db_exec(db, "INSERT INTO sc VALUES (?, ?)",
		    DB_I(i), DB_T(i % 2 ? "odd" : "even")), 1);
	for (i = 0; i < 100; i++) {
		r = db_query(db, "SELECT v FROM sc WHERE id = ?", DB_I(i));
		assert_string_equal(db_rows_text(r, 0, 0), i % 2 ? "odd" : "even");
		db_rows_free(r);
	}
	db_stats(db, &s1);
	assert_int_equal(s1.statements - s0.statements, 200);
	if (f->kind == DB_POSTGRES) {
		assert_int_equal(s1.prepares, 0);
		return;
	}
	assert_int_equal(s1.prepares - s0.prepares, 2);
	assert_int_equal(s1.cache_hits - s0.cache_hits, 198);

	/* a statement that failed is reusable */
	assert_int_equal(db_exec(db, "INSERT INTO sc VALUES (?, ?)", DB_I(1),
	    DB_T("dup")), -1);
	assert_int_equal(db_exec(db, "INSERT INTO sc VALUES (?, ?)", DB_I(100),
	    DB_T("new")), 1);

	/* a cached statement follows a schema change */
	r = db_query(db, "SELECT * FROM sc WHERE id = ?", DB_I(100));
	assert_int_equal(db_rows_columns(r), 2);
	db_rows_free(r);
	assert_int_equal(db_exec(db, "ALTER TABLE sc ADD COLUMN w BIGINT"), 0);
	r = db_query(db, "SELECT * FROM sc WHERE id = ?", DB_I(100));
	assert_int_equal(db_rows_columns(r), 3);
	db_rows_free(r);

	/* many distinct statements: the cache stays bounded and correct */
	for (i = 0; i < 2000; i++) {
		snprintf(sql, sizeof(sql), "SELECT %d + ?", i);
		r = db_query(db, sql, DB_I(1));
		assert_int_equal(db_rows_int(r, 0, 0), i + 1);
		db_rows_free(r);
	}
	db_stats(db, &s1);
	assert_true(s1.cached > 0 && s1.cached <= 512);
	r = db_query(db, "SELECT v FROM sc WHERE id = ?", DB_I(3));
	assert_string_equal(db_rows_text(r, 0, 0), "odd");
	db_rows_free(r);
}

#define WRITERS		2
#define ROUNDS		100

struct writer {
	struct fx	*f;
	int		 id;
	int		 failures;
	char		 last[256];
};

/*
 * Read-modify-write of one counter: without serialization some increments
 * would be lost.  SQLite serializes at BEGIN IMMEDIATE, PostgreSQL with the
 * advisory lock of db_tx_lock.
 */
static void *
writer_thread(void *arg)
{
	struct writer *w = arg;
	struct db *db = connect_fx(w->f);
	struct db_rows *r;
	int64_t n;
	int i;

	for (i = 0; i < ROUNDS; i++) {
		if (db_begin(db) == -1 || db_tx_lock(db, "counter") == -1)
			goto bad;
		if ((r = db_query(db, "SELECT n FROM counter WHERE id = 1")) == NULL)
			goto bad;
		n = db_rows_int(r, 0, 0);
		db_rows_free(r);
		if (db_exec(db, "UPDATE counter SET n = ? WHERE id = 1",
		    DB_I(n + 1)) != 1 ||
		    db_exec(db, "INSERT INTO wlog (w, i) VALUES (?, ?)",
		    DB_I(w->id), DB_I(i)) != 1 ||
		    db_commit(db) == -1)
			goto bad;
		continue;
 bad:
		w->failures++;
		snprintf(w->last, sizeof(w->last), "%s", db_errmsg(db));
		db_rollback(db);
	}
	db_close(db);
	return NULL;
}

static void
test_concurrent_writers(void **state)
{
	FIXTURE(state);
	struct writer w[WRITERS];
	pthread_t t[WRITERS];
	int i;

	ddl(f->db, "CREATE TABLE counter (id BIGINT PRIMARY KEY, n BIGINT NOT NULL)");
	ddl(f->db, "CREATE TABLE wlog (id ID_PK, w BIGINT, i BIGINT)");
	assert_int_equal(db_exec(f->db, "INSERT INTO counter VALUES (1, 0)"), 1);
	for (i = 0; i < WRITERS; i++) {
		w[i] = (struct writer){ .f = f, .id = i };
		assert_int_equal(pthread_create(&t[i], NULL, writer_thread,
		    &w[i]), 0);
	}
	for (i = 0; i < WRITERS; i++) {
		pthread_join(t[i], NULL);
		if (w[i].failures)
			fail_msg("writer %d: %d failures, last: %s", i,
			    w[i].failures, w[i].last);
	}
	assert_int_equal(count(f->db, "SELECT n FROM counter"), WRITERS * ROUNDS);
	assert_int_equal(count(f->db, "SELECT count(*) FROM wlog"),
	    WRITERS * ROUNDS);
}

struct bg {
	struct fx	*f;
	volatile int	 stop;
	int		 batches;
	int		 failures;
};

/* Insert batches of 10 rows, one transaction each, until told to stop. */
static void *
batch_thread(void *arg)
{
	struct bg *b = arg;
	struct db *db = connect_fx(b->f);
	int i;

	while (!__atomic_load_n(&b->stop, __ATOMIC_ACQUIRE)) {
		if (db_begin(db) == -1) {
			b->failures++;
			continue;
		}
		for (i = 0; i < 10; i++)
			db_exec(db, "INSERT INTO w (batch, v) VALUES (?, ?)",
			    DB_I(b->batches), DB_T("some text to fill pages "
			    "some text to fill pages some text to fill pages"));
		if (db_commit(db) == -1)
			b->failures++;
		else
			__atomic_add_fetch(&b->batches, 1, __ATOMIC_RELEASE);
	}
	db_close(db);
	return NULL;
}

static void
test_backup(void **state)
{
	FIXTURE(state);
	struct db *db = f->db, *copy;
	struct bg bg = { .f = f };
	pthread_t t;
	struct stat sb;
	DIR *d;
	struct dirent *e;
	struct db_rows *r;
	char *err = NULL, path[256], url[300];
	int i;

	if (f->kind == DB_POSTGRES) {
		assert_int_equal(db_backup_sqlite(db, "/tmp/x.db", &err), -1);
		assert_non_null(strstr(err, "pg_dump"));
		free(err);
		return;
	}
	ddl(db, "CREATE TABLE w (id ID_PK, batch BIGINT NOT NULL, v TEXT)");
	assert_int_equal(pthread_create(&t, NULL, batch_thread, &bg), 0);
	while (__atomic_load_n(&bg.batches, __ATOMIC_ACQUIRE) < 20)
		usleep(1000);
	snprintf(path, sizeof(path), "%s/backup.db", f->dir);
	for (i = 0; i < 3; i++) {
		if (db_backup_sqlite(db, path, &err) == -1)
			fail_msg("backup: %s", err);
		usleep(5000);
	}
	__atomic_store_n(&bg.stop, 1, __ATOMIC_RELEASE);
	pthread_join(t, NULL);
	assert_int_equal(bg.failures, 0);

	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	snprintf(url, sizeof(url), "sqlite:%s", path);
	copy = db_open(url, &err);
	assert_non_null(copy);
	r = db_query(copy, "PRAGMA integrity_check");
	assert_string_equal(db_rows_text(r, 0, 0), "ok");
	db_rows_free(r);
	/* a snapshot: only whole transactions, at least those before it */
	assert_true(count(copy, "SELECT count(*) FROM w") >= 200);
	assert_int_equal(count(copy, "SELECT count(*) FROM w") % 10, 0);
	assert_int_equal(count(copy, "SELECT count(*) FROM (SELECT batch FROM "
	    "w GROUP BY batch HAVING count(*) <> 10) AS x"), 0);
	db_close(copy);

	/* no temporary files left behind */
	assert_non_null(d = opendir(f->dir));
	while ((e = readdir(d)) != NULL)
		assert_null(strstr(e->d_name, ".tmp-"));
	closedir(d);

	/* failures */
	assert_int_equal(db_backup_sqlite(db, "/nonexistent-circles-dir/b.db",
	    &err), -1);
	assert_non_null(err);
	free(err);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_backup_sqlite(db, path, &err), -1);
	free(err);
	assert_int_equal(db_rollback(db), 0);
}

static void
test_busy(void **state)
{
	FIXTURE(state);
	struct db *a = f->db, *b = connect_fx(f);
	struct db_rows *r;

	ddl(a, "CREATE TABLE bz (id BIGINT PRIMARY KEY, n BIGINT)");
	assert_int_equal(db_exec(a, "INSERT INTO bz VALUES (1, 0)"), 1);
	assert_int_equal(db_begin(a), 0);
	if (f->kind == DB_SQLITE) {
		/* a holds the write lock; b gives up after 50 ms */
		assert_int_equal(db_exec(b, "PRAGMA busy_timeout = 50"), 0);
		assert_int_equal(db_begin(b), -1);
		assert_int_equal(db_errcode(b), DB_ERR_BUSY);
	} else {
		r = db_query(a, "SELECT n FROM bz WHERE id = 1 FOR UPDATE");
		assert_non_null(r);
		db_rows_free(r);
		assert_int_equal(db_exec(b, "SET lock_timeout = '50ms'"), 0);
		assert_int_equal(db_begin(b), 0);
		assert_int_equal(db_exec(b, "UPDATE bz SET n = 1 WHERE id = 1"), -1);
		assert_int_equal(db_errcode(b), DB_ERR_BUSY);
		assert_non_null(strstr(db_errmsg(b), "55P03"));
		assert_int_equal(db_rollback(b), 0);
	}
	assert_int_equal(db_rollback(a), 0);
	/* once a is done, b proceeds */
	assert_int_equal(db_begin(b), 0);
	assert_int_equal(db_exec(b, "UPDATE bz SET n = 2 WHERE id = 1"), 1);
	assert_int_equal(db_commit(b), 0);
	db_close(b);
	assert_int_equal(count(a, "SELECT n FROM bz"), 2);
}

/*
 * PostgreSQL only: the connection drops.  Reconnect outside a transaction,
 * never inside one.
 */
static void
test_reconnect(void **state)
{
	FIXTURE(state);
	struct db *db = f->db, *killer;
	int64_t pid;

	killer = connect_fx(f);
	pid = count(db, "SELECT pg_backend_pid()");
	assert_int_equal(count(killer, "SELECT count(*) FROM "
	    "(SELECT pg_terminate_backend(?::int)) AS x", DB_I(pid)), 1);
	usleep(100000);
	/* the statement that finds the connection gone fails ... */
	assert_int_equal(db_exec(db, "SELECT 1"), -1);
	assert_int_equal(db_errcode(db), DB_ERR_CONNECTION);
	/* ... the next one reconnects */
	assert_int_equal(count(db, "SELECT 41 + 1"), 42);

	/* inside a transaction it must not silently reconnect */
	pid = count(db, "SELECT pg_backend_pid()");
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(count(killer, "SELECT count(*) FROM "
	    "(SELECT pg_terminate_backend(?::int)) AS x", DB_I(pid)), 1);
	usleep(100000);
	assert_int_equal(db_exec(db, "SELECT 1"), -1);
	assert_int_equal(db_errcode(db), DB_ERR_CONNECTION);
	assert_int_equal(db_exec(db, "SELECT 1"), -1);
	assert_int_equal(db_commit(db), -1);
	assert_int_equal(db_rollback(db), 0);
	assert_int_equal(count(db, "SELECT 1"), 1);
	db_close(killer);
}

#define BOTH(t) \
	{ "sqlite_" #t, t, setup, teardown, &lite_fx }, \
	{ "pg_" #t, t, setup, teardown, &pg_fx }

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbered),
		cmocka_unit_test(test_portable),
		BOTH(test_open),
		BOTH(test_params),
		BOTH(test_placeholders),
		BOTH(test_constraint),
		BOTH(test_tx),
		BOTH(test_returning),
		BOTH(test_migrate),
		BOTH(test_migrate_list),
		BOTH(test_migrate_concurrent),
		BOTH(test_stmt_cache),
		BOTH(test_concurrent_writers),
		BOTH(test_backup),
		BOTH(test_busy),
		{ "pg_test_reconnect", test_reconnect, setup, teardown, &pg_fx },
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
