/*
 * view.c: the template registry and page rendering.
 *
 * Design:
 *
 * - view_load() reads everything the web layer shows from one share
 *   directory: templates/ (here), po/ (i18n.c) and static/ (static.c).
 *   Any problem there stops start-up with a message naming the file; a
 *   server that starts has every template, catalog and asset it needs.
 * - Templates are files under templates/, named by their relative path
 *   without ".mustache" ("layout", "home/public", "accounts/_form").
 *   They live in one array sorted by name and searched with bsearch;
 *   partials resolve through the same table.  Each template must be
 *   UTF-8 and is rendered once against an empty context at load time,
 *   so a syntax error fails start-up rather than the first request that
 *   happens to need the page.
 * - Nothing changes after view_load(): rendering only reads the table,
 *   so worker threads render concurrently without locks.
 * - view_render_page() renders the page first and then the layout with
 *   the page's HTML as "content", so a page that fails never sends half
 *   a layout.  It fills the layout fields the app may leave out (lang,
 *   t, langs) from the i18n tables, which keeps error paths short.
 */
#include "view/view.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "base/file.h"
#include "base/mem.h"
#include "view/mustache.h"

#define TEMPLATE_SUFFIX		".mustache"
#define TEMPLATE_MAX_BYTES	((size_t)1 << 20)
#define TEMPLATE_MAX_COUNT	2048
#define WALK_DEPTH		8

struct template {
	char				*name;
	char				*text;
	size_t				 len;
	struct mustache_template	*parsed;	/* parsed once at load */
};

static struct template	*templates;
static size_t		 ntemplates;

static const struct template *
template_find(const char *name)
{
	size_t lo = 0, hi = ntemplates, mid;
	int c;

	if (name == NULL)
		return NULL;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(name, templates[mid].name);
		if (c == 0)
			return &templates[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static const char *
partial_lookup(const char *name, size_t *len, void *ud)
{
	const struct template *t;

	(void)ud;
	if ((t = template_find(name)) == NULL) {
		log_warnx("view: no partial named %s", name);
		return NULL;
	}
	*len = t->len;
	return t->text;
}

static const struct mustache_template *
partial_compiled(const char *name, void *ud)
{
	const struct template *t = template_find(name);

	(void)ud;
	return t != NULL ? t->parsed : NULL;
}

static int
add_template(const char *path, const char *rel, char **err)
{
	struct template *t;
	json_t *check;
	char *text;
	size_t len;

	if (ntemplates == TEMPLATE_MAX_COUNT) {
		*err = xasprintf("templates: more than %d", TEMPLATE_MAX_COUNT);
		return -1;
	}
	if ((text = file_read(path, TEMPLATE_MAX_BYTES, &len, err)) == NULL)
		return -1;
	/* jansson validates UTF-8 for us; pages are later stored as JSON strings. */
	if ((check = json_stringn(text, len)) == NULL) {
		*err = xasprintf("%s: not valid UTF-8", path);
		free(text);
		return -1;
	}
	json_decref(check);
	templates = xreallocarray(templates, ntemplates + 1, sizeof(*templates));
	t = &templates[ntemplates++];
	t->name = xstrndup(rel, strlen(rel) - (sizeof(TEMPLATE_SUFFIX) - 1));
	t->text = text;
	t->len = len;
	return 0;
}

static int
walk(const char *dir, const char *rel, int depth, char **err)
{
	DIR *d;
	struct dirent *de;
	struct stat st;
	char *fspath, *sub;
	size_t n;
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
		n = strlen(de->d_name);
		if (stat(fspath, &st) == -1) {
			*err = xasprintf("%s: %s", fspath, strerror(errno));
			rc = -1;
		} else if (S_ISDIR(st.st_mode))
			rc = walk(fspath, sub, depth + 1, err);
		else if (S_ISREG(st.st_mode) && n > sizeof(TEMPLATE_SUFFIX) - 1 &&
		    strcmp(de->d_name + n - (sizeof(TEMPLATE_SUFFIX) - 1),
		    TEMPLATE_SUFFIX) == 0)
			rc = add_template(fspath, sub, err);
		free(fspath);
		free(sub);
	}
	closedir(d);
	return rc;
}

static int
name_order(const void *a, const void *b)
{
	const struct template *x = a, *y = b;

	return strcmp(x->name, y->name);
}

static void
templates_unload(void)
{
	size_t i;

	for (i = 0; i < ntemplates; i++) {
		free(templates[i].name);
		free(templates[i].text);
		mustache_template_free(templates[i].parsed);
	}
	free(templates);
	templates = NULL;
	ntemplates = 0;
}

static int
templates_load(const char *dir, char **err)
{
	struct mustache_opts opts = { partial_lookup, NULL, 0, partial_compiled };
	struct buf out = BUF_INIT;
	char msg[256];
	json_t *empty;
	size_t i;
	int rc = 0;

	if (walk(dir, "", 0, err) == -1)
		return -1;
	if (ntemplates > 0)
		qsort(templates, ntemplates, sizeof(*templates), name_order);
	if (template_find("layout") == NULL) {
		*err = xasprintf("%s/layout%s is missing", dir, TEMPLATE_SUFFIX);
		return -1;
	}
	empty = json_object();
	for (i = 0; i < ntemplates && rc == 0; i++) {
		buf_reset(&out);
		templates[i].parsed = mustache_compile(templates[i].text, templates[i].len, 0,
		    msg, sizeof(msg));
		if (templates[i].parsed == NULL ||
		    mustache_render_compiled(templates[i].parsed, empty, &opts, &out, msg,
		    sizeof(msg)) == -1) {
			*err = xasprintf("%s/%s%s: %s", dir, templates[i].name,
			    TEMPLATE_SUFFIX, msg);
			rc = -1;
		}
	}
	json_decref(empty);
	buf_free(&out);
	return rc;
}

int
view_load(const char *share_dir, char **err)
{
	char *dir;
	size_t n;
	int rc;

	*err = NULL;
	view_unload();
	dir = xasprintf("%s/templates", share_dir);
	rc = templates_load(dir, err);
	free(dir);
	if (rc == 0) {
		dir = xasprintf("%s/po", share_dir);
		rc = i18n_load(dir, err);
		free(dir);
	}
	if (rc == 0) {
		dir = xasprintf("%s/static", share_dir);
		rc = static_load(dir, err);
		free(dir);
	}
	if (rc == -1) {
		view_unload();
		return -1;
	}
	for (n = 0; i18n_languages()[n] != NULL; n++)
		;
	log_info("view: %zu templates, %zu languages", ntemplates, n);
	return 0;
}

void
view_unload(void)
{
	templates_unload();
	i18n_unload();
	static_unload();
}

bool
view_has(const char *name)
{
	return template_find(name) != NULL;
}

int
view_render(const char *name, json_t *ctx, struct buf *out)
{
	struct mustache_opts opts = { partial_lookup, NULL, 0, partial_compiled };
	const struct template *t;
	char msg[256];

	if ((t = template_find(name)) == NULL) {
		log_warnx("view: no template named %s", name ? name : "(null)");
		return -1;
	}
	if (mustache_render_compiled(t->parsed, ctx, &opts, out, msg, sizeof(msg)) == -1) {
		log_warnx("view: %s: %s", name, msg);
		return -1;
	}
	return 0;
}

/* Fill the layout fields the caller left out. */
static void
layout_defaults(json_t *ctx)
{
	const char *lang;

	lang = json_string_value(json_object_get(ctx, "lang"));
	if (lang == NULL || !i18n_supported(lang)) {
		lang = i18n_negotiate(lang, STR_NULL);
		json_object_set_new(ctx, "lang", json_string(lang));
	}
	if (json_object_get(ctx, "t") == NULL && i18n_catalog(lang) != NULL)
		json_object_set(ctx, "t", i18n_catalog(lang));
	if (json_object_get(ctx, "langs") == NULL)
		json_object_set_new(ctx, "langs", i18n_langs_json(lang));
}

int
view_render_page(const char *name, json_t *ctx, struct buf *out)
{
	struct buf page = BUF_INIT;
	json_t *content;

	if (!json_is_object(ctx)) {
		log_warnx("view: %s: context is not an object", name);
		return -1;
	}
	layout_defaults(ctx);
	if (view_render(name, ctx, &page) == -1) {
		buf_free(&page);
		return -1;
	}
	/* Templates are valid UTF-8 and so is every string in ctx. */
	content = json_stringn_nocheck(page.data ? page.data : "", page.len);
	buf_free(&page);
	json_object_set_new(ctx, "content", content);
	return view_render("layout", ctx, out);
}

int
view_render_error(int status, json_t *ctx, struct buf *out)
{
	char key[64];
	const char *lang, *heading;
	int text;

	if (!json_is_object(ctx))
		return -1;
	layout_defaults(ctx);
	lang = json_string_value(json_object_get(ctx, "lang"));
	/* A status without its own text borrows its class's general one. */
	text = status;
	snprintf(key, sizeof(key), "errors.%d.heading", text);
	if (i18n_get("en", key) == key)
		text = status >= 400 && status < 500 ? 400 : 500;
	snprintf(key, sizeof(key), "errors.%d.heading", text);
	heading = i18n_get(lang, key);
	json_object_set_new(ctx, "status", json_integer(status));
	json_object_set_new(ctx, "heading", json_string(heading));
	if (json_object_get(ctx, "title") == NULL)
		json_object_set_new(ctx, "title", json_string(heading));
	snprintf(key, sizeof(key), "errors.%d.message", text);
	json_object_set_new(ctx, "message", json_string(i18n_get(lang, key)));
	return view_render_page("errors/error", ctx, out);
}
