/*
 * main.c: the circles command line.
 *
 *   circles serve | migrate | demo | user add EMAIL --role ROLE | backup DIR
 *           | restore DIR | routes --json | version | COMMAND --help
 *
 * Every command reads the same configuration (base/config.h).  Only `demo`
 * seeds data; `serve` never does, so an empty database stays empty.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "accounts/password.h"
#include "accounts/roles.h"
#include "accounts/users.h"
#include "app/app.h"
#include "app/demo.h"
#include "app/routes.h"
#include "base/clock.h"
#include "base/config.h"
#include "base/log.h"
#include "base/mem.h"
#include "db/db.h"
#include "matching/match.h"
#include "meetings/cli.h"
#include "privacy/crypto.h"
#include "safety/cli.h"

struct command {
	const char	*name;
	const char	*usage;
	const char	*help;
	int		(*fn)(int argc, char **argv, struct config *cfg);
};

static int cmd_serve(int, char **, struct config *);
static int cmd_migrate(int, char **, struct config *);
static int cmd_demo(int, char **, struct config *);
static int cmd_user(int, char **, struct config *);
static int cmd_backup(int, char **, struct config *);
static int cmd_restore(int, char **, struct config *);
static int cmd_routes(int, char **, struct config *);
static int cmd_version(int, char **, struct config *);

static const struct command commands[] = {
	{ "serve", "circles serve",
	  "Serve HTTP on CIRCLES_LISTEN (default 127.0.0.1:8080) until SIGTERM or Ctrl-C.\n"
	  "Applies pending database migrations first.  Never seeds any data.", cmd_serve },
	{ "migrate", "circles migrate",
	  "Create the database if needed and apply pending migrations, then exit.", cmd_migrate },
	{ "demo", "circles demo",
	  "Seed a demo network into an empty database: two chapters, an admin, a\n"
	  "coordinator, a peer supporter and three members, and people with matching\n"
	  "profiles (mentors and people looking for one) with suggested pairs waiting\n"
	  "on /coordinator/matching.  Prints the logins.\n"
	  "Refuses if the database already has people in it.", cmd_demo },
	{ "user", "circles user add EMAIL --role ROLE [--name NAME] [--chapter NAME]",
	  "Create an account.  The password is read from standard input (one line).\n"
	  "ROLE is one of: member, peer_supporter, facilitator, coordinator,\n"
	  "moderator, clinician, evaluator, admin (repeat --role for several).", cmd_user },
	{ "backup", "circles backup DIR [--include-key]",
	  "Write an online, consistent copy of the database while the server keeps\n"
	  "running: DIR/circles.db for SQLite, DIR/circles.pgdump (pg_dump's custom\n"
	  "format, run with the connection from CIRCLES_DATABASE_URL) for PostgreSQL.\n"
	  "--include-key also copies the secret key (without it, encrypted fields in\n"
	  "the copy cannot be read: store the key separately).", cmd_backup },
	{ "restore", "circles restore DIR [--force]",
	  "Replace the database with the copy in DIR (SQLite: DIR/circles.db, checked\n"
	  "first; PostgreSQL: DIR/circles.pgdump, by pg_restore in one transaction)\n"
	  "and, if present and no key exists yet (or --force), the key.  Stop the\n"
	  "servers first.", cmd_restore },
	{ "routes", "circles routes --json",
	  "Print every HTTP route with its access policy as JSON.", cmd_routes },
	/* -- feature commands go here (import, match ...) -- */
	{ "import", MEETINGS_IMPORT_USAGE, MEETINGS_IMPORT_HELP, meetings_cmd_import },
	{ "demo-meetings", MEETINGS_DEMO_USAGE, MEETINGS_DEMO_HELP, meetings_cmd_demo },
	{ "match", MATCH_USAGE, MATCH_HELP, match_command },
	{ "crisis-scan", SAFETY_CRISIS_SCAN_USAGE, SAFETY_CRISIS_SCAN_HELP, safety_cmd_crisis_scan },
	{ "version", "circles version", "Print the version.", cmd_version },
};

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f, "Circles %s: a peer recovery network platform.\n\nUsage:\n", CIRCLES_VERSION);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %s\n", commands[i].usage);
	fprintf(f, "\nRun `circles COMMAND --help` for details.  Settings come from CIRCLES_*\n"
	    "environment variables or a config file; see README.md.\n");
}

static bool
wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return true;
	return false;
}

static int
cmd_version(int argc, char **argv, struct config *cfg)
{
	(void)argc;
	(void)argv;
	(void)cfg;
	printf("circles %s\n", CIRCLES_VERSION);
	return 0;
}

static int
cmd_routes(int argc, char **argv, struct config *cfg)
{
	(void)argc;
	(void)argv;
	(void)cfg;
	routes_print_json();
	return 0;
}

static int
ensure_data_dir(const struct config *cfg)
{
	if (strncmp(cfg->database_url, "sqlite:", 7) != 0 && strstr(cfg->database_url, "://"))
		return 0;
	if (mkdir(cfg->data_dir, 0700) == -1 && errno != EEXIST) {
		log_warn("cannot create data directory %s", cfg->data_dir);
		return -1;
	}
	return 0;
}

static struct db *
open_migrated(const struct config *cfg)
{
	char *err = NULL;
	struct db *db;

	if (ensure_data_dir(cfg) == -1)
		return NULL;
	if (crypto_init(cfg->key_file, true, &err) == -1) {
		log_warnx("%s", err);
		free(err);
		return NULL;
	}
	db = db_open(cfg->database_url, &err);
	if (db == NULL) {
		log_warnx("cannot open database: %s", err ? err : "");
		free(err);
		return NULL;
	}
	if (db_migrate(db, &err) == -1) {
		log_warnx("migration failed: %s", err ? err : "");
		free(err);
		db_close(db);
		return NULL;
	}
	return db;
}

static int
cmd_serve(int argc, char **argv, struct config *cfg)
{
	(void)argc;
	(void)argv;
	if (ensure_data_dir(cfg) == -1)
		return 1;
	return app_serve(cfg);
}

static int
cmd_migrate(int argc, char **argv, struct config *cfg)
{
	struct db *db;

	(void)argc;
	(void)argv;
	if ((db = open_migrated(cfg)) == NULL)
		return 1;
	printf("database at schema version %d\n", db_schema_version(db));
	db_close(db);
	return 0;
}

static int
cmd_demo(int argc, char **argv, struct config *cfg)
{
	struct db *db;
	int rc;

	(void)argc;
	(void)argv;
	if ((db = open_migrated(cfg)) == NULL)
		return 1;
	rc = demo_seed(db, stdout);
	db_close(db);
	return rc == 0 ? 0 : 1;
}

static char *
read_password_line(void)
{
	char buf[PASSWORD_MAX_LEN + 2];
	size_t n;

	if (fgets(buf, sizeof(buf), stdin) == NULL)
		return NULL;
	n = strlen(buf);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	return xstrdup(buf);
}

static int
cmd_user(int argc, char **argv, struct config *cfg)
{
	const char *email = NULL, *name = NULL, *chapter = NULL, *why;
	unsigned roles = 0;
	struct db *db;
	struct arena a;
	char *pw, *norm, *dname;
	int64_t id, chapter_id = 0;
	int i;

	if (argc < 3 || strcmp(argv[1], "add") != 0) {
		fprintf(stderr, "usage: %s\n", commands[3].usage);
		return 2;
	}
	email = argv[2];
	for (i = 3; i < argc; i++) {
		if (strcmp(argv[i], "--role") == 0 && i + 1 < argc) {
			unsigned r = role_from_token(argv[++i]);
			if (r == 0) {
				fprintf(stderr, "circles: unknown role '%s' (member, peer_supporter, "
				    "facilitator, coordinator, moderator, clinician, evaluator, admin)\n",
				    argv[i]);
				return 2;
			}
			roles |= r;
		} else if (strcmp(argv[i], "--name") == 0 && i + 1 < argc) {
			name = argv[++i];
		} else if (strcmp(argv[i], "--chapter") == 0 && i + 1 < argc) {
			chapter = argv[++i];
		} else {
			fprintf(stderr, "usage: %s\n", commands[3].usage);
			return 2;
		}
	}
	if (roles == 0) {
		fprintf(stderr, "circles: give at least one --role\n");
		return 2;
	}
	arena_init(&a);
	norm = user_normalize_email(&a, email);
	if (norm == NULL) {
		fprintf(stderr, "circles: '%s' is not a valid email address\n", email);
		arena_free(&a);
		return 2;
	}
	if (name == NULL) {
		char *at = strchr(norm, '@');
		name = arena_strndup(&a, norm, (size_t)(at - norm));
	}
	dname = user_normalize_name(&a, name);
	if (dname == NULL) {
		fprintf(stderr, "circles: the name must be 1 to %d characters\n", USER_NAME_MAX);
		arena_free(&a);
		return 2;
	}
	if (isatty(STDIN_FILENO))
		fprintf(stderr, "Password for %s: ", norm);
	pw = read_password_line();
	if (pw == NULL) {
		fprintf(stderr, "circles: no password on standard input\n");
		arena_free(&a);
		return 2;
	}
	if ((why = password_check_policy(pw, strlen(pw))) != NULL) {
		fprintf(stderr, "circles: password refused (%s): use %d to %d characters\n", why,
		    PASSWORD_MIN_LEN, PASSWORD_MAX_LEN);
		free(pw);
		arena_free(&a);
		return 2;
	}
	if ((db = open_migrated(cfg)) == NULL) {
		free(pw);
		arena_free(&a);
		return 1;
	}
	if (chapter != NULL) {
		struct db_rows *r = db_query(db, "SELECT id FROM chapters WHERE name = ?", DB_T(chapter));
		if (r != NULL && db_rows_count(r) > 0)
			chapter_id = db_rows_int(r, 0, 0);
		db_rows_free(r);
		if (chapter_id == 0) {
			fprintf(stderr, "circles: no chapter named '%s'\n", chapter);
			goto fail;
		}
	}
	if (db_begin(db) == -1)
		goto fail;
	id = user_create(db, norm, dname, pw, roles, chapter_id, "en", clock_now());
	if (id <= 0) {
		db_rollback(db);
		fprintf(stderr, id == 0 ? "circles: an account with that email already exists\n" :
		    "circles: could not create the account: %s\n", db_errmsg(db));
		goto fail;
	}
	if (db_commit(db) == -1)
		goto fail;
	printf("created account %lld for %s\n", (long long)id, norm);
	free(pw);
	db_close(db);
	arena_free(&a);
	return 0;
fail:
	free(pw);
	db_close(db);
	arena_free(&a);
	return 1;
}

static int
copy_file(const char *from, const char *to, mode_t mode)
{
	char buf[65536], *tmp;
	int in, out;
	ssize_t n;
	int rc = -1;

	tmp = xasprintf("%s.tmp", to);
	if ((in = open(from, O_RDONLY)) == -1) {
		free(tmp);
		return -1;
	}
	if ((out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, mode)) == -1) {
		close(in);
		free(tmp);
		return -1;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			goto done;
	if (n == 0 && fsync(out) == 0)
		rc = 0;
done:
	close(in);
	if (close(out) != 0)
		rc = -1;
	if (rc == 0 && rename(tmp, to) == -1)
		rc = -1;
	if (rc == -1)
		unlink(tmp);
	free(tmp);
	return rc;
}

/*
 * Run a PostgreSQL client tool (pg_dump, pg_restore) on the database of
 * url.  The connection settings go to the child as libpq's environment
 * variables (PGHOST, PGPASSWORD ...), never on its command line, where
 * anyone on the machine could read the password.  0 when it succeeded.
 */
static int
run_pg_tool(const char *url, char *const argv[])
{
	PQconninfoOption *opts, *o;
	char *msg = NULL;
	pid_t pid;
	int status;

	if ((opts = PQconninfoParse(url, &msg)) == NULL) {
		fprintf(stderr, "circles: CIRCLES_DATABASE_URL: %s", msg ? msg : "cannot be read\n");
		PQfreemem(msg);
		return -1;
	}
	if ((pid = fork()) == -1) {
		PQconninfoFree(opts);
		fprintf(stderr, "circles: fork: %s\n", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		umask(077);	/* a dump holds everyone's data: owner-only */
		for (o = opts; o->keyword != NULL; o++)
			if (o->val != NULL && o->envvar != NULL)
				setenv(o->envvar, o->val, 1);
		execvp(argv[0], argv);
		fprintf(stderr, "circles: cannot run %s: %s (install postgresql-client)\n", argv[0],
		    strerror(errno));
		_exit(127);
	}
	PQconninfoFree(opts);
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			return -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "circles: %s failed\n", argv[0]);
		return -1;
	}
	return 0;
}

/* The database name in a PostgreSQL URL (for pg_restore --dbname), or NULL. */
static char *
pg_dbname(const char *url)
{
	PQconninfoOption *opts = PQconninfoParse(url, NULL), *o;
	char *name = NULL;

	for (o = opts; o != NULL && o->keyword != NULL; o++)
		if (strcmp(o->keyword, "dbname") == 0 && o->val != NULL)
			name = xstrdup(o->val);
	PQconninfoFree(opts);
	return name;
}

static bool
is_postgres(const struct config *cfg)
{
	return strncmp(cfg->database_url, "postgres", 8) == 0;
}

static int
cmd_backup(int argc, char **argv, struct config *cfg)
{
	bool with_key = false;
	const char *dir = NULL;
	char *err = NULL, *path;
	struct db *db;
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--include-key") == 0)
			with_key = true;
		else if (dir == NULL)
			dir = argv[i];
		else {
			fprintf(stderr, "usage: %s\n", commands[4].usage);
			return 2;
		}
	}
	if (dir == NULL) {
		fprintf(stderr, "usage: %s\n", commands[4].usage);
		return 2;
	}
	if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
		fprintf(stderr, "circles: cannot create %s: %s\n", dir, strerror(errno));
		return 1;
	}
	if (is_postgres(cfg)) {
		char *file = xasprintf("--file=%s/circles.pgdump", dir);
		char *args[] = { "pg_dump", "--format=custom", "--no-owner", "--no-privileges", file,
		    NULL };
		int rc = run_pg_tool(cfg->database_url, args);

		free(file);
		if (rc == -1)
			return 1;
		printf("database dumped to %s/circles.pgdump\n", dir);
	} else {
		if ((db = open_migrated(cfg)) == NULL)
			return 1;
		path = xasprintf("%s/circles.db", dir);
		if (db_backup_sqlite(db, path, &err) == -1) {
			fprintf(stderr, "circles: backup failed: %s\n", err ? err : "");
			free(err);
			free(path);
			db_close(db);
			return 1;
		}
		printf("database copied to %s\n", path);
		free(path);
		db_close(db);
	}
	if (with_key) {
		path = xasprintf("%s/secret.key", dir);
		if (copy_file(cfg->key_file, path, 0600) == -1) {
			fprintf(stderr, "circles: cannot copy the key to %s: %s\n", path, strerror(errno));
			free(path);
			return 1;
		}
		printf("key copied to %s (keep it as safe as the data)\n", path);
		free(path);
	} else {
		printf("key not included: keep %s safe separately\n", cfg->key_file);
	}
	return 0;
}

/* DIR/circles.db, integrity-checked, over the SQLite database.  0 or -1. */
static int
restore_sqlite(struct config *cfg, const char *dir)
{
	char *src, *err = NULL, *dst;
	struct db *db;
	struct db_rows *r;
	int ok;

	src = xasprintf("sqlite:%s/circles.db", dir);
	db = db_open(src, &err);
	free(src);
	if (db == NULL) {
		fprintf(stderr, "circles: cannot open the backup: %s\n", err ? err : "");
		free(err);
		return -1;
	}
	r = db_query(db, "PRAGMA integrity_check");
	ok = r != NULL && db_rows_count(r) == 1 && strcmp(db_rows_text(r, 0, 0), "ok") == 0;
	db_rows_free(r);
	db_close(db);
	if (!ok) {
		fprintf(stderr, "circles: the backup fails its integrity check; nothing changed\n");
		return -1;
	}
	if (ensure_data_dir(cfg) == -1)
		return -1;
	src = xasprintf("%s/circles.db", dir);
	dst = xstrdup(cfg->database_url + 7);
	/* Stale WAL files from the old database must not be replayed onto the restored one. */
	{
		char *wal = xasprintf("%s-wal", dst), *shm = xasprintf("%s-shm", dst);
		unlink(wal);
		unlink(shm);
		free(wal);
		free(shm);
	}
	if (copy_file(src, dst, 0600) == -1) {
		fprintf(stderr, "circles: cannot write %s: %s\n", dst, strerror(errno));
		free(src);
		free(dst);
		return -1;
	}
	printf("database restored to %s\n", dst);
	free(src);
	free(dst);
	return 0;
}

/* DIR/circles.pgdump into the PostgreSQL database, in one transaction.  0 or -1. */
static int
restore_pg(struct config *cfg, const char *dir)
{
	char *dump = xasprintf("%s/circles.pgdump", dir), *name = pg_dbname(cfg->database_url);
	char *dbarg = xasprintf("--dbname=%s", name ? name : "");
	char *args[] = { "pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
	    "--single-transaction", "--exit-on-error", dbarg, dump, NULL };
	int rc = -1;

	if (access(dump, R_OK) != 0)
		fprintf(stderr, "circles: cannot read %s: %s\n", dump, strerror(errno));
	else if (name == NULL)
		fprintf(stderr, "circles: CIRCLES_DATABASE_URL names no database\n");
	else if ((rc = run_pg_tool(cfg->database_url, args)) == 0)
		printf("database restored from %s\n", dump);
	free(dump);
	free(name);
	free(dbarg);
	return rc;
}

static int
cmd_restore(int argc, char **argv, struct config *cfg)
{
	const char *dir = NULL;
	bool force = false;
	char *key;
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--force") == 0)
			force = true;
		else if (dir == NULL)
			dir = argv[i];
	}
	if (dir == NULL) {
		fprintf(stderr, "usage: %s\n", commands[5].usage);
		return 2;
	}
	if (is_postgres(cfg)) {
		if (restore_pg(cfg, dir) == -1)
			return 1;
	} else if (strncmp(cfg->database_url, "sqlite:", 7) != 0) {
		fprintf(stderr, "circles: restore handles SQLite and PostgreSQL databases\n");
		return 2;
	} else if (restore_sqlite(cfg, dir) == -1) {
		return 1;
	}
	key = xasprintf("%s/secret.key", dir);
	if (access(key, R_OK) == 0) {
		if (access(cfg->key_file, F_OK) == 0 && !force) {
			printf("a key already exists at %s; kept it (use --force to replace)\n",
			    cfg->key_file);
		} else if (copy_file(key, cfg->key_file, 0600) == 0) {
			printf("key restored to %s\n", cfg->key_file);
		} else {
			fprintf(stderr, "circles: cannot restore the key: %s\n", strerror(errno));
			free(key);
			return 1;
		}
	}
	free(key);
	return 0;
}

int
main(int argc, char **argv)
{
	struct config cfg;
	char *err = NULL;
	size_t i;
	int rc;

	log_init(getenv("CIRCLES_DEBUG") != NULL);
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return argc < 2 ? 2 : 0;
	}
	if (strcmp(argv[1], "--version") == 0)
		return cmd_version(0, NULL, NULL);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name) != 0)
			continue;
		if (wants_help(argc - 1, argv + 1)) {
			printf("usage: %s\n\n%s\n", commands[i].usage, commands[i].help);
			return 0;
		}
		if (config_load(&cfg, &err) == -1) {
			fprintf(stderr, "circles: %s\n", err);
			free(err);
			return 2;
		}
		rc = commands[i].fn(argc - 1, argv + 1, &cfg);
		config_free(&cfg);
		return rc;
	}
	fprintf(stderr, "circles: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return 2;
}
