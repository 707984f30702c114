/*
 * static.c: the files under $SHARE/static, served from memory.
 *
 * Design:
 *
 * - Everything is read at start-up: the set of URLs is exactly the set of
 *   files that existed then, so a request path is only ever compared with
 *   that table and never reaches the file system.  "/static/../x", a
 *   NUL byte or a backslash simply find nothing; static_find() also
 *   refuses dot segments outright so the rule does not hinge on the walk.
 * - The walk skips dot files (.gitkeep, editor droppings), follows no
 *   more than WALK_DEPTH directories down and stops at STATIC_MAX_FILES
 *   and STATIC_MAX_BYTES, so a stray symlink loop or a huge file cannot
 *   eat the server's memory.  A file type it does not know is served as
 *   application/octet-stream, which browsers will not execute.
 * - The ETag is the first 12 bytes of a BLAKE2b hash of the content, in
 *   hex: it changes with the bytes, not with mtimes, so every server
 *   behind a load balancer agrees.  The gzip copy is a different
 *   representation and has its own tag ("...-gz").
 * - Text types get a gzip copy (zlib, level 9, mtime 0 so builds are
 *   reproducible) kept only when it is smaller.
 * - The table is sorted once and searched with bsearch; read-only after
 *   static_load(), so threads share it without locks.
 */
#include "view/view.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <sodium.h>
#include <zlib.h>

#include "base/file.h"
#include "base/mem.h"

#define WALK_DEPTH		8
#define STATIC_MAX_FILES	4096
#define STATIC_MAX_FILE		((size_t)32 << 20)
#define STATIC_MAX_BYTES	((size_t)256 << 20)
#define ETAG_HASH_BYTES		12

struct type {
	const char	*ext;
	const char	*content_type;
	bool		 compress;
};

static const struct type types[] = {
	{ "css",	"text/css; charset=utf-8",		true },
	{ "js",		"text/javascript; charset=utf-8",	true },
	{ "mjs",	"text/javascript; charset=utf-8",	true },
	{ "map",	"application/json; charset=utf-8",	true },
	{ "json",	"application/json; charset=utf-8",	true },
	{ "webmanifest", "application/manifest+json; charset=utf-8", true },
	{ "svg",	"image/svg+xml",			true },
	{ "txt",	"text/plain; charset=utf-8",		true },
	{ "html",	"text/html; charset=utf-8",		true },
	{ "ico",	"image/x-icon",				true },
	{ "png",	"image/png",				false },
	{ "jpg",	"image/jpeg",				false },
	{ "jpeg",	"image/jpeg",				false },
	{ "webp",	"image/webp",				false },
	{ "woff2",	"font/woff2",				false },
	{ "woff",	"font/woff",				false },
};

static struct static_file	*files;
static size_t			 nfiles;
static size_t			 total_bytes;

static const struct type *
type_of(const char *name)
{
	static const struct type unknown = { "", "application/octet-stream", false };
	const char *dot;
	size_t i;

	if ((dot = strrchr(name, '.')) == NULL)
		return &unknown;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcasecmp(dot + 1, types[i].ext) == 0)
			return &types[i];
	return &unknown;
}

/* Read a whole regular file of at most max bytes; NULL with *err. */
/* A gzip copy of data, or NULL if it would not be smaller. */
static char *
gzip(const char *data, size_t len, size_t *gz_len)
{
	z_stream zs;
	char *out;
	size_t bound;

	memset(&zs, 0, sizeof(zs));
	if (len > UINT32_MAX ||
	    deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return NULL;
	bound = deflateBound(&zs, (uLong)len);
	out = xmalloc(bound);
	zs.next_in = (Bytef *)(uintptr_t)data;
	zs.avail_in = (uInt)len;
	zs.next_out = (Bytef *)out;
	zs.avail_out = (uInt)bound;
	if (deflate(&zs, Z_FINISH) != Z_STREAM_END || zs.total_out >= len) {
		deflateEnd(&zs);
		free(out);
		return NULL;
	}
	*gz_len = zs.total_out;
	deflateEnd(&zs);
	return out;
}

static void
make_etag(const char *data, size_t len, char etag[32], char gz_etag[32])
{
	unsigned char h[crypto_generichash_BYTES_MIN];
	char hex[2 * ETAG_HASH_BYTES + 1];

	crypto_generichash(h, sizeof(h), (const unsigned char *)data, len, NULL, 0);
	sodium_bin2hex(hex, sizeof(hex), h, ETAG_HASH_BYTES);
	snprintf(etag, 32, "\"%s\"", hex);
	snprintf(gz_etag, 32, "\"%s-gz\"", hex);
}

static int
add_file(const char *fspath, const char *rel, char **err)
{
	struct static_file *f;
	const struct type *t;
	char *data, *gz;
	size_t len, gz_len = 0;

	if (nfiles == STATIC_MAX_FILES) {
		*err = xasprintf("static: more than %d files", STATIC_MAX_FILES);
		return -1;
	}
	if ((data = file_read(fspath, STATIC_MAX_FILE, &len, err)) == NULL)
		return -1;
	if (len > STATIC_MAX_BYTES - total_bytes) {
		*err = xasprintf("static: more than %zu bytes in all", STATIC_MAX_BYTES);
		free(data);
		return -1;
	}
	total_bytes += len;
	t = type_of(rel);
	gz = t->compress ? gzip(data, len, &gz_len) : NULL;

	files = xreallocarray(files, nfiles + 1, sizeof(*files));
	f = &files[nfiles++];
	memset(f, 0, sizeof(*f));
	f->path = xasprintf("/static/%s", rel);
	f->content_type = t->content_type;
	f->data = data;
	f->len = len;
	f->gz = gz;
	f->gz_len = gz ? gz_len : 0;
	make_etag(data, len, f->etag, f->gz_etag);
	if (gz == NULL)
		f->gz_etag[0] = '\0';
	return 0;
}

static int
walk(const char *dir, const char *rel, int depth, char **err)
{
	DIR *d;
	struct dirent *de;
	struct stat st;
	char *fspath, *sub;
	int rc = 0;

	if (depth > WALK_DEPTH) {
		*err = xasprintf("%s: directories nested too deep", dir);
		return -1;
	}
	if ((d = opendir(dir)) == NULL) {
		*err = xasprintf("cannot open %s: %s", dir, strerror(errno));
		return -1;
	}
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		fspath = xasprintf("%s/%s", dir, de->d_name);
		sub = *rel ? xasprintf("%s/%s", rel, de->d_name) : xstrdup(de->d_name);
		if (stat(fspath, &st) == -1) {
			*err = xasprintf("%s: %s", fspath, strerror(errno));
			rc = -1;
		} else if (S_ISDIR(st.st_mode))
			rc = walk(fspath, sub, depth + 1, err);
		else if (S_ISREG(st.st_mode))
			rc = add_file(fspath, sub, err);
		free(fspath);
		free(sub);
	}
	closedir(d);
	return rc;
}

static int
path_order(const void *a, const void *b)
{
	const struct static_file *x = a, *y = b;

	return strcmp(x->path, y->path);
}

int
static_load(const char *static_dir, char **err)
{
	static_unload();
	if (sodium_init() == -1) {
		*err = xstrdup("static: sodium_init failed");
		return -1;
	}
	if (walk(static_dir, "", 0, err) == -1) {
		static_unload();
		return -1;
	}
	if (nfiles > 0)
		qsort(files, nfiles, sizeof(*files), path_order);
	return 0;
}

void
static_unload(void)
{
	size_t i;

	for (i = 0; i < nfiles; i++) {
		free((char *)files[i].path);
		free((char *)files[i].data);
		free((char *)files[i].gz);
	}
	free(files);
	files = NULL;
	nfiles = 0;
	total_bytes = 0;
}

/* Compare a slice with a NUL-terminated path as strcmp would. */
static int
find_order(const void *key, const void *elem)
{
	const struct str *k = key;
	const struct static_file *f = elem;
	size_t flen = strlen(f->path);
	int c;

	c = memcmp(k->p, f->path, k->len < flen ? k->len : flen);
	if (c != 0)
		return c;
	return (k->len > flen) - (k->len < flen);
}

const struct static_file *
static_find(struct str path)
{
	size_t i;

	if (path.p == NULL || !str_startswith(path, "/static/") || nfiles == 0)
		return NULL;
	/* No dot segments, NULs or backslashes, whatever the table holds. */
	for (i = 0; i < path.len; i++) {
		if (path.p[i] == '\0' || path.p[i] == '\\')
			return NULL;
		if (path.p[i] == '.' && path.p[i - 1] == '/')
			return NULL;
	}
	return bsearch(&path, files, nfiles, sizeof(*files), find_order);
}
