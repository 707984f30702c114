/*
 * respond.c: the ways a handler answers, and the request accessors of ctx.h.
 *
 * One place turns a failure into an HTTP error: respond_error() writes the
 * JSON error shape under /api/ and a translated HTML page elsewhere.
 */
#include "app/ctx.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/roles.h"
#include "base/log.h"
#include "base/mem.h"
#include "safety/live.h"
#include "view/view.h"

int64_t
ctx_param_id(struct ctx *c, int i)
{
	uint64_t v;

	if (i < 0 || i >= c->nparam || c->param[i] == NULL)
		return 0;
	if (!str_to_u64(str_c(c->param[i]), INT64_MAX, &v) || v == 0)
		return 0;
	return (int64_t)v;
}

const char *
ctx_field(struct ctx *c, const char *name)
{
	if (c->json != NULL) {
		json_t *v = json_object_get(c->json, name);
		return json_is_string(v) ? json_string_value(v) : NULL;
	}
	return params_get(&c->form, name);
}

const char *
ctx_header(struct ctx *c, const char *name)
{
	const struct http_header *h = http_head_find(&c->req->head, name);

	return h ? arena_cstr(c->a, h->value) : NULL;
}

bool
ctx_has_role(struct ctx *c, unsigned roles)
{
	return c->user != NULL && (c->user->roles & roles) != 0;
}

static void
set_content_type(struct ctx *c, const char *type)
{
	http_response_header(c->resp, "Content-Type", type);
}

/* Start a new body: whatever a handler wrote or lent before is dropped. */
static void
body_reset(struct ctx *c)
{
	buf_reset(&c->resp->body);
	http_response_lend(c->resp, NULL, 0, NULL, NULL);
}

void
respond_json(struct ctx *c, int status, json_t *body)
{
	char *s;

	c->resp->status = status;
	body_reset(c);
	s = json_dumps(body, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(body);
	if (s == NULL)
		s = xstrdup("{}");
	buf_puts(&c->resp->body, s);
	buf_putc(&c->resp->body, '\n');
	free(s);
	set_content_type(c, "application/json; charset=utf-8");
}

void
respond_empty(struct ctx *c, int status)
{
	c->resp->status = status;
	body_reset(c);
}

json_t *
user_to_json(const struct user *u)
{
	json_t *roles = json_array();
	int i;

	for (i = 0; i < ROLE_COUNT; i++)
		if (u->roles & role_at(i))
			json_array_append_new(roles, json_string(role_token(role_at(i))));
	json_t *j = json_pack("{s:I, s:s?, s:s, s:o, s:s, s:b}",
	    "id", (json_int_t)u->id,
	    "email", u->email,
	    "display_name", u->display_name,
	    "roles", roles,
	    "lang", u->lang ? u->lang : "en",
	    "totp_enabled", u->totp_enabled);

	json_object_set_new(j, "chapter_id", u->chapter_id ? json_integer(u->chapter_id) :
	    json_null());
	return j;
}

static json_t *
layout_context(struct ctx *c, const char *title_key, json_t *data)
{
	json_t *ctx = data ? data : json_object();
	json_t *langs = json_array();
	const char *const *l;

	json_object_set(ctx, "t", i18n_catalog(c->lang));
	json_object_set_new(ctx, "lang", json_string(c->lang));
	json_object_set_new(ctx, "path", json_string(c->path ? c->path : "/"));
	if (title_key != NULL && json_object_get(ctx, "title") == NULL)
		json_object_set_new(ctx, "title", json_string(i18n_get(c->lang, title_key)));
	for (l = i18n_languages(); *l; l++) {
		char key[64];
		snprintf(key, sizeof(key), "lang.%s", *l);
		json_array_append_new(langs, json_pack("{s:s, s:s, s:b}", "code", *l,
		    "name", i18n_get(*l, key), "current", strcmp(*l, c->lang) == 0));
	}
	json_object_set_new(ctx, "langs", langs);
	if (c->user != NULL) {
		json_t *u = json_object(), *roles = json_object();
		int i;

		for (i = 0; i < ROLE_COUNT; i++)
			if (c->user->roles & role_at(i))
				json_object_set_new(roles, role_token(role_at(i)), json_true());
		json_object_set_new(u, "display_name", json_string(c->user->display_name));
		json_object_set_new(u, "roles", roles);
		json_object_set_new(u, "is_staff", json_boolean(c->user->roles & ROLE_STAFF));
		/* Navigation for the people who keep the outreach queue and the on-call rota. */
		json_object_set_new(u, "can_outreach", json_boolean(c->user->roles &
		    (ROLE_PEER_SUPPORTER | ROLE_FACILITATOR | ROLE_COORDINATOR)));
		json_object_set_new(u, "can_oncall", json_boolean(c->user->roles &
		    (ROLE_PEER_SUPPORTER | ROLE_FACILITATOR | ROLE_COORDINATOR | ROLE_ADMIN)));
		json_object_set_new(ctx, "user", u);
		if (c->csrf_token != NULL)
			json_object_set_new(ctx, "csrf_token", json_string(c->csrf_token));
		/* an open alert sent to this person, on every page (at most one query) */
		{
			json_t *live = safety_live_view(c);

			if (live != NULL)
				json_object_set_new(ctx, "live_alert", live);
		}
	}
	/* the network's emergency number and first crisis line, in the footer */
	json_object_set_new(ctx, "footer", safety_footer_view(c));
	/* ?notice=key shows a translated confirmation after a redirect. */
	{
		const char *n = params_get(&c->query, "notice");
		if (n != NULL && json_object_get(ctx, "notice") == NULL && strlen(n) < 64) {
			char key[96];
			const char *msg;
			snprintf(key, sizeof(key), "notices.%s", n);
			msg = i18n_get(c->lang, key);
			if (strcmp(msg, key) != 0)	/* only known notices */
				json_object_set_new(ctx, "notice", json_string(msg));
		}
	}
	return ctx;
}

void
respond_page(struct ctx *c, int status, const char *tmpl, const char *title_key, json_t *data)
{
	json_t *ctx = layout_context(c, title_key, data);

	c->resp->status = status;
	body_reset(c);
	if (view_render_page(tmpl, ctx, &c->resp->body) == -1) {
		buf_reset(&c->resp->body);
		c->resp->status = 500;
		buf_puts(&c->resp->body, "Internal error\n");
		set_content_type(c, "text/plain; charset=utf-8");
	} else {
		set_content_type(c, "text/html; charset=utf-8");
	}
	json_decref(ctx);
}

void
respond_error(struct ctx *c, int status, const char *code, const char *msg_key,
    const char *field)
{
	char key[64];
	const char *msg;

	if (msg_key == NULL) {
		snprintf(key, sizeof(key), "errors.%d.message", status);
		msg_key = key;
	}
	msg = i18n_get(c->lang ? c->lang : "en", msg_key);
	/* The machine token, for HTML callers and tests too (never user data). */
	http_response_header(c->resp, "X-Error-Code", code);
	if (c->api || c->path == NULL) {
		json_t *e = json_pack("{s:s, s:s}", "code", code, "message", msg);
		if (field != NULL)
			json_object_set_new(e, "field", json_string(field));
		respond_json(c, status, json_pack("{s:o}", "error", e));
	} else {
		char hkey[64];
		json_t *d;

		snprintf(hkey, sizeof(hkey), "errors.%d.heading", status);
		d = json_pack("{s:i, s:s, s:s}", "status", status,
		    "heading", i18n_get(c->lang, hkey), "message", msg);
		if (field != NULL)
			json_object_set_new(d, "field", json_string(field));
		respond_page(c, status, "errors/error", hkey, d);
		c->resp->status = status;
	}
}

void
respond_redirect(struct ctx *c, const char *location)
{
	if (location == NULL || location[0] != '/' || location[1] == '/' || location[1] == '\\' ||
	    strpbrk(location, "\r\n") != NULL)
		location = "/";
	c->resp->status = 303;
	body_reset(c);
	http_response_header(c->resp, "Location", location);
}

void
respond_done(struct ctx *c, const char *page)
{
	if (c->api)
		respond_empty(c, 204);
	else
		respond_redirect(c, page);
}

void
respond_cookie(struct ctx *c, const char *name, const char *value, long max_age, bool http_only)
{
	char *v;

	if (max_age == 0)
		v = arena_printf(c->a, "%s=; Path=/; Max-Age=0; SameSite=Lax%s%s", name,
		    http_only ? "; HttpOnly" : "", c->cfg->secure_cookies ? "; Secure" : "");
	else if (max_age < 0)
		v = arena_printf(c->a, "%s=%s; Path=/; SameSite=Lax%s%s", name, value,
		    http_only ? "; HttpOnly" : "", c->cfg->secure_cookies ? "; Secure" : "");
	else
		v = arena_printf(c->a, "%s=%s; Path=/; Max-Age=%ld; SameSite=Lax%s%s", name, value,
		    max_age, http_only ? "; HttpOnly" : "", c->cfg->secure_cookies ? "; Secure" : "");
	http_response_header(c->resp, "Set-Cookie", v);
}

const char *
ctx_tr(struct ctx *c, const char *key, json_t *vars)
{
	char *s = i18n_format(c->lang, key, vars);
	const char *out = arena_strdup(c->a, s);

	free(s);
	json_decref(vars);
	return out;
}

const char *
ctx_trk(struct ctx *c, const char *fmt, ...)
{
	char key[160];
	const char *s;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(key, sizeof(key), fmt, ap);
	va_end(ap);
	s = i18n_get(c->lang, key);
	return s == key ? arena_strdup(c->a, key) : s;
}

const char *
ctx_url_segment(struct ctx *c, const char *s)
{
	struct buf b = BUF_INIT;
	const char *out;

	url_encode(&b, s, strlen(s));
	out = arena_strdup(c->a, b.data ? b.data : "");
	buf_free(&b);
	return out;
}
