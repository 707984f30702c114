/*
 * db_int.h: what db.c shares with the two back ends (sqlite.c, pg.c) and
 * with migrations.c.  Nothing outside src/db (and its unit tests) includes
 * this file.
 *
 * db.c owns the connection object, the error slot, the transaction state
 * and the result set; a back end only runs one statement, one script, or
 * one transaction verb.  Keeping the transaction state in db.c gives both
 * back ends the same rule: after any failed statement inside a transaction
 * the transaction can only be rolled back (PostgreSQL does this natively,
 * SQLite would otherwise carry on and let the caller commit half the work).
 */
#ifndef CIRCLES_DB_DB_INT_H
#define CIRCLES_DB_DB_INT_H

#include <stdarg.h>

#include "base/arena.h"
#include "db/db.h"

/* One cell of a fetched result: always NUL-terminated, NULL has p == "". */
struct db_cell {
	const char	*p;
	size_t		 len;
	int64_t		 i;		/* valid when has_i */
	bool		 null;
	bool		 has_i;
};

struct db_rows {
	size_t		 nrows;
	size_t		 ncols;
	size_t		 cap;		/* rows allocated in cells */
	struct db_cell	*cells;		/* nrows * ncols, row-major */
	struct arena	 arena;		/* cell bytes */
};

enum db_txop { DB_TX_BEGIN, DB_TX_COMMIT, DB_TX_ROLLBACK };

struct db_backend {
	const char	*name;
	/* Run one statement; fill *rows if rows != NULL; *changes if != NULL. */
	int		(*run)(struct db *, const char *sql, const struct db_value *,
			    size_t n, struct db_rows *rows, int64_t *changes);
	/* Run a parameterless script of several statements (migrations). */
	int		(*script)(struct db *, const char *sql);
	int		(*tx)(struct db *, enum db_txop);
	/* True when the server side has a transaction open. */
	bool		(*in_tx)(struct db *);
	void		(*close)(struct db *);
};

struct db {
	enum db_kind		 kind;
	const struct db_backend	*be;
	void			*conn;		/* back end state */
	enum db_err		 errcode;
	bool			 in_tx;		/* db_begin succeeded, not yet ended */
	bool			 tx_failed;	/* a statement failed inside it */
	struct db_stats		 stats;
	char			 errmsg[256];
};

/* Record an error; fmt must never be given parameter values. */
void	db_seterr(struct db *, enum db_err, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* Result building for back ends. */
void		 db_rows_init(struct db_rows *, size_t ncols);
/* Append a row and return its ncols cells (zeroed). */
struct db_cell	*db_rows_addrow(struct db_rows *);
/* Copy n bytes into the result's arena, NUL-terminated. */
const char	*db_rows_copy(struct db_rows *, const void *p, size_t n);
void		 db_rows_clear(struct db_rows *);

/*
 * SQL text helpers.  Both understand '...' (with '' and, for E'...', backslash
 * escapes), "..." identifiers, -- and nested slash-star comments and, for
 * PostgreSQL, $tag$...$tag$ strings, so nothing inside those is touched.
 */
/** Rewrite '?' to $1, $2 ...; *count gets the number of placeholders. */
char	*db_sql_numbered(const char *sql, size_t *count);
/**
 * Replace the portable type tokens of migration scripts (whole words
 * ID_PK and BLOB outside quotes and comments) for the given back end.
 */
char	*db_sql_portable(const char *sql, enum db_kind kind);

/* Back ends: fill db->be and db->conn, or return -1 with *err. */
int	db_sqlite_open(struct db *, const char *path, char **err);
int	db_pg_open(struct db *, const char *url, char **err);
int	db_sqlite_backup(struct db *, const char *path, char **err);

/* Shared by migrations.c: run a script, keeping the transaction rules. */
int	db_script(struct db *, const char *sql);

struct db_migration;
/* db_migrate over any list (tests use their own). */
int	db_migrate_list(struct db *, const struct db_migration *, size_t n,
	    char **err);

#endif
