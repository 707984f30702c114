/*
 * mustache.h: a Mustache template engine, HTML-escaping by default.
 *
 * Implements the Mustache specification (comments, delimiters,
 * interpolation, inverted sections, partials with standalone indentation,
 * sections), tested against tests/data/mustache-spec.  Lambdas and the
 * optional inheritance module are not supported.  The context is a jansson
 * value; names resolve through the context stack, dotted names walk
 * objects, "." is the current item.
 *
 * {{name}} escapes exactly what the spec escapes: & < > " (not ' ` =).
 * So a value is safe in element content and inside a double-quoted
 * attribute, never in an unquoted or single-quoted attribute, a script or
 * a URL without further checks.  {{{name}}} and {{&name}} insert raw text
 * and are reserved for HTML the server itself built.
 *
 * Truthiness: false, null, a missing name and [] are false; "", 0 and {}
 * are true.  Integers print in decimal, reals in their shortest round-trip
 * form, booleans as true/false, null/objects/arrays as nothing.
 *
 * Work is bounded: besides max_depth, one render may visit at most about
 * 2 million tokens and append at most 16 MiB; beyond that it fails.
 */
#ifndef CIRCLES_VIEW_MUSTACHE_H
#define CIRCLES_VIEW_MUSTACHE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "base/str.h"

/**
 * Look up a partial by name; return its text and length (borrowed, must
 * stay valid during rendering) or NULL if there is none (renders as empty).
 */
typedef const char *(*mustache_partial_fn)(const char *name, size_t *len, void *ud);

/** A template parsed once (mustache_compile) and rendered many times. */
struct mustache_template;

/**
 * Look up a partial already compiled, or NULL to fall back on the text
 * lookup.  Used only where the partial is not indented (standalone
 * partials are re-indented, so parsed from their text each time).
 */
typedef const struct mustache_template *(*mustache_compiled_fn)(const char *name, void *ud);

struct mustache_opts {
	mustache_partial_fn	 partial;
	void			*ud;
	int			 max_depth;	/* nesting of sections+partials,
						   default 64 (if <= 0), cap 256 */
	mustache_compiled_fn	 compiled;	/* optional */
};

/**
 * Render tmpl[0..len) with ctx into out (appending).  Returns 0, or -1 on a
 * template error (unclosed tag or section, mismatched section end, bad
 * delimiter change, empty tag name, nesting too deep, work or output
 * budget exceeded) with a message in err (size errlen, may be NULL/0)
 * naming the line ("line 3: unclosed section \"x\"").  On error out is
 * cut back to its length on entry.  opts may be NULL (no partials).
 */
int	mustache_render(const char *tmpl, size_t len, json_t *ctx,
	    const struct mustache_opts *opts, struct buf *out, char *err, size_t errlen);

/**
 * Parse tmpl[0..len) once; the text must outlive the result.  NULL on a
 * template error, with the message in err.  max_depth as in the options.
 */
struct mustache_template *mustache_compile(const char *tmpl, size_t len, int max_depth,
	    char *err, size_t errlen);
void	mustache_template_free(struct mustache_template *t);

/** mustache_render() of a compiled template: same output, same errors. */
int	mustache_render_compiled(const struct mustache_template *t, json_t *ctx,
	    const struct mustache_opts *opts, struct buf *out, char *err, size_t errlen);

#endif
