/*
 * view.h: templates, translations and static assets, loaded once at start.
 *
 * Everything here is read-only after view_load(), so every thread renders
 * without locks.
 *
 * Templates: $SHARE/templates/<area>/<name>.mustache, named "<area>/<name>"
 * (partials use the same names: {{> accounts/_form}}).  view_render_page()
 * renders the page template, then "layout" with the page's HTML in
 * {{{content}}}.  Escaping is on by default; {{{ }}} is for HTML built here.
 *
 * Translations: $SHARE/po/<lang>.json, nested objects of strings.  The page
 * context gets the whole catalog of the request's language as "t", so a
 * template says {{t.nav.home}}.  English is the fallback for a missing key.
 * Messages with variables use {name} placeholders, filled by i18n_format.
 *
 * Static assets: every file under $SHARE/static/ (including the npm-installed
 * static/vendor/), kept in memory with its content type, a strong ETag and a
 * gzip copy for compressible types.
 */
#ifndef CIRCLES_VIEW_VIEW_H
#define CIRCLES_VIEW_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "base/str.h"

/** Load templates, catalogs and static files from share_dir. 0 or -1 with *err. */
int	view_load(const char *share_dir, char **err);
void	view_unload(void);

/** Render template name with ctx into out (no layout). 0 or -1 (logged). */
int	view_render(const char *name, json_t *ctx, struct buf *out);
/**
 * Render page template name inside the layout.  ctx must already hold the
 * layout's fields (t, lang, user, csrf_token, title...); "content" is added.
 */
int	view_render_page(const char *name, json_t *ctx, struct buf *out);
/** True if a template of that name exists. */
bool	view_has(const char *name);
/**
 * Render the error page (templates/errors/error) for status inside the
 * layout.  Fills status, heading, message and title from the catalog's
 * errors.<status>.* in ctx's "lang" (the text of 400 or 500 for a status
 * the catalog lacks), then behaves like view_render_page().
 */
int	view_render_error(int status, json_t *ctx, struct buf *out);

/* ---- translations ---- */

/** Languages with a catalog, "en" first; NULL-terminated. */
const char *const *i18n_languages(void);
/** True if lang has a catalog. */
bool	i18n_supported(const char *lang);
/** The catalog object for lang (borrowed; English if unknown). */
json_t	*i18n_catalog(const char *lang);
/** Message for a dotted key ("accounts.login.title"); falls back to English, then the key. */
const char *i18n_get(const char *lang, const char *key);
/**
 * Message with {name} placeholders replaced from vars (a JSON object of
 * strings/numbers); malloc'd.  Unknown placeholders are left as they are.
 */
char	*i18n_format(const char *lang, const char *key, json_t *vars);
/**
 * Choose a language: the explicit choice (cookie or profile) if supported,
 * else the best supported match in an Accept-Language header, else "en".
 */
const char *i18n_negotiate(const char *choice, struct str accept_language);
/**
 * The layout's language list: a new array of {code, name, current} in
 * i18n_languages() order, name being the language's own name (its
 * catalog's lang.<code>), current true for the language of the page.
 */
json_t	*i18n_langs_json(const char *current);

/* ---- static assets ---- */

struct static_file {
	const char	*path;		/* URL path, e.g. "/static/app.css" */
	const char	*content_type;
	const char	*data;
	size_t		 len;
	const char	*gz;		/* gzip copy or NULL */
	size_t		 gz_len;
	char		 etag[32];	/* quoted strong ETag */
	char		 gz_etag[32];	/* ETag of the gzip copy ("...-gz"), or "" */
};

/** The asset at URL path, or NULL. */
const struct static_file *static_find(struct str path);

/* ---- loading, called by view_load(); exposed for tests ---- */

/** Load every <lang>.json under po_dir ("en" required).  0 or -1 with *err. */
int	i18n_load(const char *po_dir, char **err);
void	i18n_unload(void);
/** Load every file under static_dir as /static/<relative path>.  0 or -1 with *err. */
int	static_load(const char *static_dir, char **err);
void	static_unload(void);

#endif
