/*
 * cli.c: the meetings' commands.
 *
 *   circles import meeting-guide FILE_OR_URL [--timezone ZONE]
 *   circles demo-meetings N [--seed S]
 *
 * The import reads a Meeting Guide JSON feed or a 12 Step Meeting List CSV
 * (by content), from a file, standard input ("-") or an http(s) URL, and
 * prints what it did: added, updated, unchanged, rejected (each with its
 * reason).  It succeeds when anything could be read, even if some
 * meetings were rejected; it fails only when nothing could be.  A server
 * sharing the database shows the result at its next request.
 */
#include "meetings/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/clock.h"
#include "base/file.h"
#include "base/log.h"
#include "base/mem.h"
#include "formats/meetingguide.h"
#include "meetings/demo.h"
#include "meetings/fetch.h"
#include "meetings/store.h"
#include "meetings/tz.h"

static struct db *
open_db(const struct config *cfg)
{
	char *err = NULL;
	struct db *db;

	if (strncmp(cfg->database_url, "postgres", 8) != 0 &&
	    mkdir(cfg->data_dir, 0700) == -1 && errno != EEXIST) {
		fprintf(stderr, "circles: cannot create %s: %s\n", cfg->data_dir, strerror(errno));
		return NULL;
	}
	if ((db = db_open(cfg->database_url, &err)) == NULL) {
		fprintf(stderr, "circles: cannot open the database: %s\n", err ? err : "");
		free(err);
		return NULL;
	}
	if (db_migrate(db, &err) == -1) {
		fprintf(stderr, "circles: migration failed: %s\n", err ? err : "");
		free(err);
		db_close(db);
		return NULL;
	}
	return db;
}

/* The feed from a file (or standard input for "-"), at most MG_MAX_BYTES. */
static int
read_source(const char *path, struct buf *out, char *err, size_t errlen)
{
	char chunk[65536], *data, *e = NULL;
	size_t n;

	if (strcmp(path, "-") != 0) {
		if ((data = file_read(path, MG_MAX_BYTES, &n, &e)) == NULL) {
			snprintf(err, errlen, "%s", e ? e : "cannot read the file");
			free(e);
			return -1;
		}
		buf_append(out, data, n);
		free(data);
		return 0;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0) {
		if (out->len + n > MG_MAX_BYTES) {
			snprintf(err, errlen, "standard input holds more than %d bytes", MG_MAX_BYTES);
			return -1;
		}
		buf_append(out, chunk, n);
	}
	return 0;
}

static void
print_report(const char *source, const struct mg_feed *f, const struct meetings_import_counts *k)
{
	size_t i;

	printf("Imported %s: %zu meeting%s read\n", source, f->total, f->total == 1 ? "" : "s");
	printf("  added: %zu, updated: %zu, unchanged: %zu, rejected: %zu\n", k->added,
	    k->updated, k->unchanged, f->nrejected);
	if (f->nrejected > 0) {
		printf("  rejected:\n");
		for (i = 0; i < f->nrejected; i++) {
			const struct mg_rejection *r = &f->rejected[i];
			printf("    #%zu", r->index);
			if (r->slug)
				printf(" %s", r->slug);
			if (r->name)
				printf(" (%s)", r->name);
			printf(": %s", mg_reason_text(r->reason));
			if (r->field)
				printf(" [%s]", r->field);
			printf("\n");
		}
	}
	if (f->nunknown > 0) {
		printf("  type codes not in the Meeting Guide list, kept:");
		for (i = 0; i < f->nunknown; i++)
			printf(" %s (%zu)", f->unknown[i].code, f->unknown[i].count);
		printf("\n");
	}
	if (f->links_from_notes > 0)
		printf("  online links found in notes: %zu\n", f->links_from_notes);
	if (f->html_cleaned > 0)
		printf("  meetings whose text held HTML, made plain: %zu\n", f->html_cleaned);
}

int
meetings_cmd_import(int argc, char **argv, struct config *cfg)
{
	const char *src = NULL, *tzname = NULL;
	struct buf data = BUF_INIT;
	struct mg_options opt;
	struct mg_feed feed;
	struct meetings_import_counts counts;
	struct arena a;
	struct db *db;
	char err[256];
	int i, rc = 1;

	if (argc < 3 || strcmp(argv[1], "meeting-guide") != 0) {
		fprintf(stderr, "usage: %s\n", MEETINGS_IMPORT_USAGE);
		return 2;
	}
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--timezone") == 0 && i + 1 < argc)
			tzname = argv[++i];
		else if (src == NULL)
			src = argv[i];
		else {
			fprintf(stderr, "usage: %s\n", MEETINGS_IMPORT_USAGE);
			return 2;
		}
	}
	if (src == NULL) {
		fprintf(stderr, "usage: %s\n", MEETINGS_IMPORT_USAGE);
		return 2;
	}
	if (tzname != NULL && tz_canonical(tzname) == NULL) {
		fprintf(stderr, "circles: '%s' is not a time zone (use a name such as "
		    "America/New_York)\n", tzname);
		return 2;
	}
	if (strncmp(src, "http://", 7) == 0 || strncmp(src, "https://", 8) == 0) {
		if (meetings_fetch_url(src, MG_MAX_BYTES, &data, err, sizeof(err)) == -1) {
			fprintf(stderr, "circles: cannot read %s: %s\n", src, err);
			buf_free(&data);
			return 1;
		}
	} else if (read_source(src, &data, err, sizeof(err)) == -1) {
		fprintf(stderr, "circles: cannot read %s: %s\n", src, err);
		buf_free(&data);
		return 1;
	}

	arena_init(&a);
	opt.default_timezone = tzname;
	opt.now = clock_now();
	if (mg_parse_any(&a, data.data ? data.data : "", data.len, &opt, &feed) == -1) {
		fprintf(stderr, "circles: nothing imported from %s: %s\n", src,
		    mg_reason_text(feed.error));
		goto done;
	}
	if (feed.n == 0) {
		memset(&counts, 0, sizeof(counts));
		print_report(src, &feed, &counts);
		fprintf(stderr, "circles: nothing imported from %s: no meeting could be read\n", src);
		goto done;
	}
	if ((db = open_db(cfg)) == NULL)
		goto done;
	if (meetings_import(db, &a, &feed, opt.now, &counts) == -1) {
		fprintf(stderr, "circles: the import failed and changed nothing: %s\n",
		    db_errmsg(db));
		db_close(db);
		goto done;
	}
	db_close(db);
	print_report(src, &feed, &counts);
	rc = 0;
done:
	arena_free(&a);
	buf_free(&data);
	tz_cleanup();
	return rc;
}

int
meetings_cmd_demo(int argc, char **argv, struct config *cfg)
{
	uint64_t n = 0, seed = 1;
	struct db *db;
	int i, rc;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
			if (!str_to_u64(str_c(argv[++i]), UINT64_MAX, &seed)) {
				fprintf(stderr, "usage: %s\n", MEETINGS_DEMO_USAGE);
				return 2;
			}
		} else if (n == 0 && str_to_u64(str_c(argv[i]), 1000000, &n) && n > 0) {
			continue;
		} else {
			fprintf(stderr, "usage: %s\n", MEETINGS_DEMO_USAGE);
			return 2;
		}
	}
	if (n == 0) {
		fprintf(stderr, "usage: %s\n", MEETINGS_DEMO_USAGE);
		return 2;
	}
	if ((db = open_db(cfg)) == NULL)
		return 1;
	rc = meetings_demo(db, (size_t)n, seed, clock_now(), stdout);
	db_close(db);
	tz_cleanup();
	return rc == 0 ? 0 : 1;
}
