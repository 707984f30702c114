/*
 * web_util.h: small helpers the safety pages share (internal to
 * src/safety).
 */
#ifndef CIRCLES_SAFETY_WEB_UTIL_H
#define CIRCLES_SAFETY_WEB_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "app/ctx.h"

/** "3 March 2026, 14:05 UTC" in the request's language. */
const char *sf_datetime(struct ctx *c, int64_t t);
/** "2026-03-03T14:05:00Z" for <time datetime>. */
const char *sf_iso(struct ctx *c, int64_t t);
/** A phone number as a tel: URI ("tel:+15550102030"), or NULL if it has no digits. */
const char *sf_tel(struct ctx *c, const char *phone);
/** A display name, or NULL for an unknown or disabled person. */
const char *sf_user_name(struct ctx *c, int64_t user_id);
/**
 * An id from a JSON integer or a form string of digits: 1 with *out set,
 * 0 when absent or empty, -1 when malformed.
 */
int	 sf_field_id(struct ctx *c, const char *name, int64_t *out);
/** A form or JSON string field, trimmed (arena copy), or NULL when absent. */
const char *sf_field_trimmed(struct ctx *c, const char *name);
struct crisis_plan;
/** A plan's sections for templates/safety/_plan: [{token, title, prompt, empty, items}]. */
json_t	*sf_plan_view(struct ctx *c, const struct crisis_plan *p);
/**
 * Answer 200 with a template rendered without the layout (an htmx
 * fragment), with the catalog as t; takes data.  500 if it fails.
 */
void	 sf_respond_fragment(struct ctx *c, const char *tmpl, json_t *data);
/** A positive integer query parameter in [1, max], or def. */
int64_t	 sf_query_int(struct ctx *c, const char *name, int64_t def, int64_t max);

#endif
