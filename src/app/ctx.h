/*
 * ctx.h: what a request handler sees, and the ways it answers.
 *
 * The application's slow path (app.c) builds a struct ctx for each request
 * on a thread-pool thread: parsed query, cookies and body, the signed-in
 * user (if any), the language, and this thread's database connection.  By
 * the time a handler runs, the route's policy has been checked and CSRF
 * verified, so handlers parse, decide, and render.  Everything allocated for
 * a request comes from c->a and is freed with it; JSON values handed to the
 * respond_* functions are consumed by them.
 *
 * One error shape: under /api/v1/ an error is
 * {"error": {"code": "...", "message": "..."}}; elsewhere it is an HTML page
 * in the user's language.  respond_error() chooses.
 */
#ifndef CIRCLES_APP_CTX_H
#define CIRCLES_APP_CTX_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "base/arena.h"
#include "base/config.h"
#include "db/db.h"
#include "http/params.h"
#include "http/server.h"

#define CTX_MAX_PARAMS	4

struct user {
	int64_t		 id;
	char		*email;		/* may be NULL (phone-only members) */
	char		*display_name;
	char		*pseudonym;	/* the id audit rows use */
	char		*lang;
	unsigned	 roles;		/* ROLE_* bits */
	int64_t		 chapter_id;	/* 0 if none */
	int64_t		 org_id;	/* partner organisation (clinicians), 0 if none */
	bool		 totp_enabled;
};

struct ctx {
	struct http_request	*req;
	struct http_response	*resp;
	struct arena		*a;
	struct db		*db;
	const struct config	*cfg;
	bool			 api;		/* path under /api/ */
	const char		*lang;
	const char		*path;		/* decoded path */
	struct params		 query;
	struct params		 cookies;
	struct params		 form;		/* urlencoded body */
	json_t			*json;		/* JSON body (API), or NULL */
	const char		*param[CTX_MAX_PARAMS];	/* :name segments, in order */
	int			 nparam;
	struct user		*user;		/* NULL when signed out */
	int64_t			 session_id;
	const char		*csrf_token;	/* the session's, for forms */
	int64_t			 now;		/* clock_now() at request start */
	bool			 background;	/* a poll (ROUTE_BACKGROUND): keeps no session alive */
};

/* ---- reading the request ---- */

/** Path parameter i as a positive id, or 0 if it is not one. */
int64_t	ctx_param_id(struct ctx *c, int i);
/** A form field (HTML) or JSON string member (API); NULL if absent. */
/**
 * The message at key in the request's language, its {name} placeholders
 * filled from vars (consumed; may be NULL), copied into the arena.
 */
const char *ctx_tr(struct ctx *c, const char *key, json_t *vars);
/**
 * The message at the key fmt builds ("meetings.types.%s"), in the request's
 * language; the key itself (in the arena) if there is none.
 */
const char *ctx_trk(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** s percent-encoded for one path segment, in the arena. */
const char *ctx_url_segment(struct ctx *c, const char *s);
const char *ctx_field(struct ctx *c, const char *name);
/** A header value as a C string in the arena, or NULL. */
const char *ctx_header(struct ctx *c, const char *name);
/** True if the user holds any of the role bits. */
bool	ctx_has_role(struct ctx *c, unsigned roles);

/* ---- answering ---- */

/** JSON body with status; consumes body. */
void	respond_json(struct ctx *c, int status, json_t *body);
/**
 * Error in the right shape.  code is a stable machine token ("not_found",
 * "invalid_field"...); msg_key a catalog key for the human message (NULL:
 * the status's generic message).  field, if not NULL, names the invalid
 * field (API: "field" member; HTML: shown in the message).
 */
void	respond_error(struct ctx *c, int status, const char *code, const char *msg_key,
	    const char *field);
/** 303 See Other to a local path (refuses anything but "/..." not "//"). */
void	respond_redirect(struct ctx *c, const char *location);
/**
 * An action done: 204 under /api/ (c->api), otherwise 303 to page (the
 * form's page, usually with a notice), so one handler serves both routes.
 */
void	respond_done(struct ctx *c, const char *page);
/**
 * Render template inside the layout with status.  data may be NULL; the
 * layout fields (t, lang, user, csrf_token, path, langs, title from
 * title_key) are added here.  Consumes data.
 */
void	respond_page(struct ctx *c, int status, const char *tmpl, const char *title_key,
	    json_t *data);
/** Plain 204. */
void	respond_empty(struct ctx *c, int status);
/** Set a cookie (Path=/; HttpOnly; SameSite=Lax; Secure behind TLS). max_age<0: session cookie; 0: delete. */
void	respond_cookie(struct ctx *c, const char *name, const char *value, long max_age,
	    bool http_only);

/** The signed-in user as the JSON the API returns (id, email, display_name, roles...). */
json_t	*user_to_json(const struct user *u);

#endif
