/*
 * migrations.c: bring the schema up to date (db_migrate, db_schema_version).
 *
 * Design choices:
 *
 * - Each migration (db/schema.c) runs in its own transaction together with
 *   the row that records it in schema_migrations, so a migration is either
 *   applied and recorded or not applied at all; a failure stops the run and
 *   leaves the database at the previous version.  Both SQLite and
 *   PostgreSQL have transactional DDL.
 *
 * - Several servers may start at once against one database.  Every
 *   transaction here first takes the "circles.migrate" lock (BEGIN
 *   IMMEDIATE's write lock on SQLite, a transaction-scoped advisory lock on
 *   PostgreSQL) and then re-reads whether its migration is still pending, so
 *   whoever comes second finds the work done and skips it.  The lock is
 *   transaction-scoped so a crashed server can never leave it held.
 *
 * - A database migrated by a newer program (a version this one does not
 *   know) is refused rather than served by code that does not understand
 *   its schema.
 *
 * - Migration SQL is written once; the ID_PK and BLOB tokens are replaced
 *   per back end (db_sql_portable) just before running.
 */
#include "db/db_int.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "base/mem.h"
#include "db/schema.h"

#define LOCK_NAME	"circles.migrate"

static const char create_table[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations (\n"
    "	version		BIGINT PRIMARY KEY,\n"
    "	name		TEXT NOT NULL,\n"
    "	applied_at	BIGINT NOT NULL\n"
    ")";

static int
fail(struct db *db, char **err, const char *what)
{
	*err = xasprintf("%s: %s", what, db_errmsg(db));
	db_rollback(db);
	return -1;
}

/* Create schema_migrations if missing, under the migration lock. */
static int
ensure_table(struct db *db, char **err)
{
	if (db_begin(db) == -1 || db_tx_lock(db, LOCK_NAME) == -1 ||
	    db_script(db, create_table) == -1 || db_commit(db) == -1)
		return fail(db, err, "cannot create schema_migrations");
	return 0;
}

/* Apply one migration unless someone else already did. */
static int
apply(struct db *db, const struct db_migration *m, bool *applied, char **err)
{
	struct db_rows *r;
	char *sql, *what;
	const char *extra;
	bool done;

	*applied = false;
	what = xasprintf("migration %d (%s)", m->version, m->name);
	if (db_begin(db) == -1 || db_tx_lock(db, LOCK_NAME) == -1)
		goto bad;
	r = db_query(db, "SELECT version FROM schema_migrations WHERE version = ?",
	    DB_I(m->version));
	if (r == NULL)
		goto bad;
	done = db_rows_count(r) > 0;
	db_rows_free(r);
	if (done) {
		db_rollback(db);
		free(what);
		return 0;
	}
	sql = db_sql_portable(m->sql ? m->sql : "", db_kind(db));
	if (db_script(db, sql) == -1) {
		free(sql);
		goto bad;
	}
	free(sql);
	/* What the two dialects say differently (triggers) comes as-is. */
	extra = db_kind(db) == DB_SQLITE ? m->sqlite_sql : m->pg_sql;
	if (extra != NULL && db_script(db, extra) == -1)
		goto bad;
	if (db_exec(db, "INSERT INTO schema_migrations (version, name, "
	    "applied_at) VALUES (?, ?, ?)", DB_I(m->version), DB_T(m->name),
	    DB_I(time(NULL))) == -1 || db_commit(db) == -1)
		goto bad;
	*applied = true;
	free(what);
	return 0;
 bad:
	fail(db, err, what);
	free(what);
	return -1;
}

/* Warn about recorded migrations whose name changed; refuse unknown ones. */
static int
check_known(struct db *db, const struct db_migration *list, size_t n,
    char **err)
{
	struct db_rows *r;
	size_t i, k;
	int64_t v;

	r = db_query(db, "SELECT version, name FROM schema_migrations "
	    "ORDER BY version");
	if (r == NULL) {
		*err = xasprintf("cannot read schema_migrations: %s",
		    db_errmsg(db));
		return -1;
	}
	for (i = 0; i < db_rows_count(r); i++) {
		v = db_rows_int(r, i, 0);
		for (k = 0; k < n && list[k].version != v; k++)
			;
		if (k == n) {
			*err = xasprintf("the database has schema migration "
			    "%lld, which this program does not know: it was "
			    "migrated by a newer version of circles",
			    (long long)v);
			db_rows_free(r);
			return -1;
		}
		if (strcmp(list[k].name, db_rows_text(r, i, 1)) != 0)
			log_warnx("schema migration %d is recorded as \"%s\" "
			    "but is now called \"%s\"", list[k].version,
			    db_rows_text(r, i, 1), list[k].name);
	}
	db_rows_free(r);
	return 0;
}

int
db_migrate_list(struct db *db, const struct db_migration *list, size_t n,
    char **err)
{
	size_t i, count = 0;
	bool applied;

	*err = NULL;
	if (db->in_tx) {
		*err = xstrdup("db_migrate: called inside a transaction");
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (list[i].version <= 0 ||
		    (i > 0 && list[i].version <= list[i - 1].version)) {
			*err = xasprintf("schema migrations out of order at "
			    "version %d", list[i].version);
			return -1;
		}
	}
	if (ensure_table(db, err) == -1 || check_known(db, list, n, err) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		if (apply(db, &list[i], &applied, err) == -1)
			return -1;
		if (applied) {
			log_info("applied schema migration %d (%s)",
			    list[i].version, list[i].name);
			count++;
		}
	}
	if (count > 0)
		log_info("database schema at version %d", db_schema_version(db));
	return 0;
}

int
db_migrate(struct db *db, char **err)
{
	return db_migrate_list(db, db_migrations, db_migrations_count, err);
}

int
db_schema_version(struct db *db)
{
	struct db_rows *r;
	const char *exists;
	bool have;
	int v;

	exists = db_kind(db) == DB_POSTGRES ?
	    "SELECT to_regclass('schema_migrations') IS NOT NULL" :
	    "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND "
	    "name = 'schema_migrations'";
	if ((r = db_query(db, exists)) == NULL)
		return -1;
	have = db_rows_int(r, 0, 0) != 0;
	db_rows_free(r);
	if (!have)
		return 0;
	r = db_query(db, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
	if (r == NULL)
		return -1;
	v = (int)db_rows_int(r, 0, 0);
	db_rows_free(r);
	return v;
}
