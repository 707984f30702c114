/*
 * app.c: from a parsed HTTP request to a handler and back.
 *
 * The fast path (on the event loop) answers only what never blocks: static
 * assets from memory and /healthz.  Everything else runs on the thread pool
 * in app_slow(): parse query and cookies, match the route, load the session,
 * check the route's policy and the CSRF token, parse the body by content
 * type, call the handler, add security headers.  Each pool thread keeps its
 * own database connection.
 *
 * Failures turn into HTTP errors in one place (respond_error), in the shape
 * the caller expects: JSON under /api/, HTML elsewhere.
 */
#include "app/app.h"

#include <stdio.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "accounts/session.h"
#include "app/ctx.h"
#include "app/routes.h"
#include "base/clock.h"
#include "checkins/checkins.h"
#include "base/log.h"
#include "base/mem.h"
#include "http/params.h"
#include "notify/jobs.h"
#include "notify/mail.h"
#include "privacy/crypto.h"
#include "safety/safety.h"
#include "view/view.h"

static const struct config *app_cfg;
static _Thread_local struct db *tl_db;
static _Atomic bool db_healthy = true;
static struct http_server *server;

#define CSP "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " \
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; " \
	"form-action 'self'; frame-ancestors 'none'"

const struct config *
app_config(void)
{
	return app_cfg;
}

struct db *
app_db(void)
{
	char *err = NULL;

	if (tl_db != NULL)
		return tl_db;
	tl_db = db_open(app_cfg->database_url, &err);
	if (tl_db == NULL) {
		log_warnx("database connection failed: %s", err ? err : "unknown");
		free(err);
		atomic_store(&db_healthy, false);
		return NULL;
	}
	atomic_store(&db_healthy, true);
	return tl_db;
}

void
app_db_reset(void)
{
	if (tl_db != NULL)
		db_close(tl_db);
	tl_db = NULL;
}

int
app_init(const struct config *cfg)
{
	char *err = NULL;
	struct db *db;
	int ver;

	app_cfg = cfg;
	if (crypto_init(cfg->key_file, true, &err) == -1) {
		log_warnx("%s", err);
		free(err);
		return -1;
	}
	if (view_load(cfg->share_dir, &err) == -1) {
		log_warnx("%s", err);
		free(err);
		return -1;
	}
	mail_global_init();
	if ((db = app_db()) == NULL)
		return -1;
	if (db_migrate(db, &err) == -1) {
		log_warnx("migration failed: %s", err ? err : "");
		free(err);
		return -1;
	}
	ver = db_schema_version(db);
	log_info("database ready, schema version %d", ver);
	return 0;
}

/* True if the handler set its own Cache-Control (header lines end in CRLF). */
static bool
has_cache_control(const struct http_response *r)
{
	static const char name[] = "Cache-Control:";
	const char *h = r->headers.data, *nl;
	size_t left = h != NULL ? r->headers.len : 0;

	while (left >= sizeof(name) - 1) {
		if (strncasecmp(h, name, sizeof(name) - 1) == 0)
			return true;
		if ((nl = memchr(h, '\n', left)) == NULL)
			break;
		left -= (size_t)(nl + 1 - h);
		h = nl + 1;
	}
	return false;
}

static void
security_headers(struct http_response *r, bool dynamic, bool signed_in)
{
	http_response_header(r, "Content-Security-Policy", CSP);
	http_response_header(r, "X-Content-Type-Options", "nosniff");
	http_response_header(r, "X-Frame-Options", "DENY");
	http_response_header(r, "Referrer-Policy", "no-referrer");
	http_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
	http_response_header(r, "Permissions-Policy", "camera=(), microphone=(), geolocation=(self)");
	if (app_cfg->secure_cookies)
		http_response_header(r, "Strict-Transport-Security", "max-age=31536000");
	/* a handler's own Cache-Control (private feeds) stands */
	if (dynamic && has_cache_control(r))
		return;
	if (dynamic && signed_in)
		http_response_header(r, "Cache-Control", "no-store");
	else if (dynamic)
		http_response_header(r, "Cache-Control", "no-cache");
}

static bool
accepts_gzip(const struct http_request *req)
{
	const struct http_header *h = http_head_find(&req->head, "accept-encoding");
	size_t i;

	if (h == NULL)
		return false;
	for (i = 0; i + 4 <= h->value.len; i++)
		if (strncasecmp(h->value.p + i, "gzip", 4) == 0)
			return true;
	return false;
}

bool
app_fast(struct http_request *req, struct http_response *resp, void *ud)
{
	const struct static_file *f;
	const struct http_header *inm;
	struct str path = req->head.path;
	bool gz;

	(void)ud;
	if (req->head.method_id != HTTP_GET && req->head.method_id != HTTP_HEAD)
		return false;
	if (str_eqc(path, "/healthz")) {
		resp->log_route = "/healthz";
		security_headers(resp, false, false);
		http_response_header(resp, "Cache-Control", "no-store");
		if (atomic_load(&db_healthy))
			http_response_text(resp, 200, "ok\n");
		else
			http_response_text(resp, 503, "database unavailable\n");
		return true;
	}
	if (str_eqc(path, "/favicon.ico"))
		path = STR("/static/favicon.svg");
	if (!str_startswith(path, "/static/"))
		return false;
	resp->log_route = "/static/*";
	security_headers(resp, false, false);
	f = static_find(path);
	if (f == NULL) {
		http_response_text(resp, 404, "not found\n");
		return true;
	}
	gz = f->gz != NULL && accepts_gzip(req);
	/* Vendor files change only with an upgrade; ours are revalidated hourly. */
	http_response_header(resp, "Cache-Control", str_startswith(path, "/static/vendor/") ?
	    "public, max-age=86400" : "public, max-age=3600");
	http_response_header(resp, "ETag", gz ? f->gz_etag : f->etag);
	http_response_header(resp, "Vary", "Accept-Encoding");
	inm = http_head_find(&req->head, "if-none-match");
	if (inm != NULL && (str_eqc(inm->value, f->etag) || (f->gz && str_eqc(inm->value, f->gz_etag)))) {
		resp->status = 304;
		return true;
	}
	resp->status = 200;
	http_response_header(resp, "Content-Type", f->content_type);
	if (gz) {
		http_response_header(resp, "Content-Encoding", "gzip");
		resp->static_body = f->gz;
		resp->static_len = f->gz_len;
	} else {
		resp->static_body = f->data;
		resp->static_len = f->len;
	}
	return true;
}

static const char *
method_name(const struct http_request *req, struct arena *a)
{
	return arena_cstr(a, req->head.method);
}

/*
 * Content type of the body, without parameters, lower-cased; "" if none.
 */
static const char *
content_type(struct ctx *c)
{
	const char *v = ctx_header(c, "content-type");
	char *t, *semi;
	size_t i;

	if (v == NULL)
		return "";
	t = arena_strdup(c->a, v);
	if ((semi = strchr(t, ';')) != NULL)
		*semi = '\0';
	for (i = 0; t[i]; i++)
		if (t[i] >= 'A' && t[i] <= 'Z')
			t[i] = (char)(t[i] - 'A' + 'a');
	while (i > 0 && (t[i - 1] == ' ' || t[i - 1] == '\t'))
		t[--i] = '\0';
	return t;
}

/* Parse the body according to the route's expectation.  false: answered. */
static bool
parse_body(struct ctx *c, const struct route *rt)
{
	const char *ct;
	struct str body = { c->req->body, c->req->body_len };
	char err[128];

	if (rt->flags & ROUTE_RAW_BODY)
		return true;
	ct = content_type(c);
	if (c->api) {
		if (body.len == 0)
			return true;
		if (strcmp(ct, "application/json") != 0) {
			respond_error(c, 415, "unsupported_media_type", "errors.415.message", NULL);
			return false;
		}
		c->json = params_parse_json(body, 32, err, sizeof(err));
		if (c->json == NULL) {
			respond_error(c, 400, "malformed_json", "errors.400.message", NULL);
			return false;
		}
		return true;
	}
	if (body.len == 0)
		return true;
	if (strcmp(ct, "application/x-www-form-urlencoded") != 0) {
		respond_error(c, 415, "unsupported_media_type", "errors.415.message", NULL);
		return false;
	}
	if (!params_parse_urlencoded(c->a, body, &c->form)) {
		respond_error(c, 400, "malformed_form", "errors.400.message", NULL);
		return false;
	}
	return true;
}

static bool
is_safe_method(const char *m)
{
	return strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0 || strcmp(m, "OPTIONS") == 0;
}

/* CSRF: state-changing requests made with the session cookie carry its token. */
static bool
csrf_ok(struct ctx *c)
{
	const char *sent = ctx_header(c, "x-csrf-token");

	if (sent == NULL)
		sent = params_get(&c->form, "csrf_token");
	if (sent == NULL || c->csrf_token == NULL)
		return false;
	return strlen(sent) == strlen(c->csrf_token) &&
	    crypto_equal(sent, c->csrf_token, strlen(sent));
}

static const char *
choose_lang(struct ctx *c)
{
	const char *choice = params_get(&c->cookies, "lang");
	const struct http_header *al = http_head_find(&c->req->head, "accept-language");

	if (choice == NULL && c->user != NULL)
		choice = c->user->lang;
	return i18n_negotiate(choice, al ? al->value : STR(""));
}

static void
dispatch(struct ctx *c)
{
	const struct route *rt;
	const char *method = method_name(c->req, c->a);
	const char *match_method = strcmp(method, "HEAD") == 0 ? "GET" : method;
	bool mismatch = false;
	char *path;
	size_t plen;
	const struct http_header *cookie;

	/* The path is percent-decoded once, here; routes see decoded text. */
	if (!url_decode(c->a, c->req->head.path, false, &path, &plen) || !utf8_valid(path, plen)) {
		c->lang = "en";
		respond_error(c, 400, "malformed_path", "errors.400.message", NULL);
		return;
	}
	c->path = path;
	c->api = strncmp(path, "/api/", 5) == 0;
	if (!params_parse_urlencoded(c->a, c->req->head.query, &c->query)) {
		c->lang = "en";
		respond_error(c, 400, "malformed_query", "errors.400.message", NULL);
		return;
	}
	cookie = http_head_find(&c->req->head, "cookie");
	if (cookie != NULL && !params_parse_cookies(c->a, cookie->value, &c->cookies))
		memset(&c->cookies, 0, sizeof(c->cookies));

	c->db = app_db();
	if (c->db == NULL) {
		c->lang = choose_lang(c);
		respond_error(c, 503, "unavailable", "errors.503.message", NULL);
		return;
	}
	/* routes first: a background poll must not refresh the session */
	rt = routes_match(c->a, match_method, path, c->param, &c->nparam, &mismatch);
	c->background = rt != NULL && (rt->flags & ROUTE_BACKGROUND);
	session_load(c);
	c->lang = choose_lang(c);

	if (rt != NULL && (rt->flags & ROUTE_TEST_ONLY) && !c->cfg->test_mode)
		rt = NULL;
	if (rt == NULL) {
		c->resp->log_route = "-";
		if (mismatch)
			respond_error(c, 405, "method_not_allowed", "errors.405.message", NULL);
		else
			respond_error(c, 404, "not_found", "errors.404.message", NULL);
		return;
	}
	c->resp->log_route = rt->pattern;

	if (!(rt->policy & (POLICY_PUBLIC | POLICY_SIGNED_OUT))) {
		if (c->user == NULL) {
			if (c->api) {
				respond_error(c, 401, "not_signed_in", "errors.401.message", NULL);
			} else {
				struct buf next = BUF_INIT;
				buf_puts(&next, "/login?next=");
				url_encode(&next, path, strlen(path));
				respond_redirect(c, arena_strdup(c->a, next.data));
				buf_free(&next);
			}
			return;
		}
		if ((c->user->roles & rt->policy) == 0) {
			respond_error(c, 403, "forbidden", "errors.403.message", NULL);
			return;
		}
	}

	if (!is_safe_method(method)) {
		/* Read the form first: an HTML form sends its token in the body. */
		if (!parse_body(c, rt))
			return;
		if (c->user != NULL && !(rt->flags & ROUTE_CSRF_EXEMPT) && !csrf_ok(c)) {
			respond_error(c, 403, "csrf", "errors.csrf", NULL);
			return;
		}
	}
	rt->fn(c);
}

void
app_slow(struct http_request *req, struct http_response *resp, void *ud)
{
	struct ctx c;

	(void)ud;
	memset(&c, 0, sizeof(c));
	c.req = req;
	c.resp = resp;
	c.a = req->arena;
	c.cfg = app_cfg;
	c.now = clock_now();
	c.lang = "en";

	dispatch(&c);

	if (c.json != NULL)
		json_decref(c.json);
	if (resp->status == 0)
		respond_error(&c, 500, "internal", "errors.500.message", NULL);
	security_headers(resp, true, c.user != NULL);
	resp->log_user = c.user ? c.user->id : 0;
	if (c.db != NULL && db_errcode(c.db) == DB_ERR_CONNECTION) {
		app_db_reset();
		atomic_store(&db_healthy, false);
	}
}

int
app_serve(const struct config *cfg)
{
	struct http_server_config sc;
	char *err = NULL;
	struct jobs_worker *jw;

	if (app_init(cfg) == -1)
		return 1;
	memset(&sc, 0, sizeof(sc));
	sc.host = cfg->listen_host;
	sc.port = cfg->listen_port;
	sc.loops = cfg->loops;
	sc.max_connections = cfg->max_connections;
	sc.header_timeout_ms = cfg->header_timeout_ms;
	sc.body_timeout_ms = cfg->body_timeout_ms;
	sc.idle_timeout_ms = cfg->idle_timeout_ms;
	sc.limits = http_default_limits;
	sc.trusted_proxy = cfg->trusted_proxy;
	sc.fast = app_fast;
	sc.slow = app_slow;
	sc.access_log = cfg->access_log;

	checkins_init();	/* job handlers of the accountability area (texts, reminders) */
	safety_init();		/* job handlers of the safety area (escalation, early warnings) */
	jw = jobs_worker_start(cfg);
	server = http_server_start(&sc, &err);
	if (server == NULL) {
		log_warnx("cannot listen on %s:%d: %s", cfg->listen_host, cfg->listen_port,
		    err ? err : "");
		free(err);
		jobs_worker_stop(jw);
		return 1;
	}
	log_info("listening on %s:%d as %s", cfg->listen_host, http_server_port(server),
	    cfg->public_url);
	printf("listening %d\n", http_server_port(server));
	fflush(stdout);
	http_server_wait(server);
	jobs_worker_stop(jw);
	http_server_free(server);
	server = NULL;
	app_db_reset();
	view_unload();
	log_info("stopped");
	return 0;
}

struct http_server *
app_server(void)
{
	return server;
}
