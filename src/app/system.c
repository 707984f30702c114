/*
 * system.c: the home page, the language switch, /metrics and the test clock.
 */
#include <stdlib.h>
#include <string.h>

#include "accounts/roles.h"
#include "app/app.h"
#include "app/handlers.h"
#include "base/clock.h"
#include "base/mem.h"
#include "view/view.h"

void
h_home(struct ctx *c)
{
	if (c->user == NULL) {
		respond_page(c, 200, "home/public", "home.public.title", NULL);
		return;
	}
	if (c->user->roles & ROLE_STAFF)
		respond_page(c, 200, "home/staff", "home.title", NULL);
	else
		respond_page(c, 200, "home/member", "home.title", NULL);
}

/* POST /lang: remember the choice in a cookie (and the profile when signed in). */
void
h_lang(struct ctx *c)
{
	const char *lang = params_get(&c->form, "lang");
	const char *next = params_get(&c->form, "next");

	if (lang == NULL || !i18n_supported(lang)) {
		respond_error(c, 422, "invalid_field", "errors.422.message", "lang");
		return;
	}
	/* Signed-in users changing language must send their CSRF token. */
	if (c->user != NULL) {
		const char *tok = params_get(&c->form, "csrf_token");
		if (tok == NULL || c->csrf_token == NULL || strcmp(tok, c->csrf_token) != 0) {
			respond_error(c, 403, "csrf", "errors.csrf", NULL);
			return;
		}
		db_exec(c->db, "UPDATE users SET lang = ?, updated_at = ? WHERE id = ?", DB_T(lang),
		    DB_I(c->now), DB_I(c->user->id));
	}
	respond_cookie(c, "lang", lang, 365L * 86400, false);
	respond_redirect(c, next ? next : "/");
}

static bool
is_loopback(const char *addr)
{
	return strncmp(addr, "127.", 4) == 0 || strcmp(addr, "::1") == 0 ||
	    strncmp(addr, "::ffff:127.", 11) == 0;
}

/* Prometheus text format; from loopback, or with the bearer token. */
void
h_metrics(struct ctx *c)
{
	struct http_stats st;
	const char *auth = ctx_header(c, "authorization");
	struct buf *b = &c->resp->body;
	struct db_rows *r;
	bool allowed = is_loopback(c->req->peer) && c->req->client[0] != '\0' &&
	    strcmp(c->req->client, c->req->peer) == 0;
	int i;

	if (!allowed && c->cfg->metrics_token != NULL && auth != NULL &&
	    strncmp(auth, "Bearer ", 7) == 0 && strcmp(auth + 7, c->cfg->metrics_token) == 0)
		allowed = true;
	if (!allowed) {
		respond_error(c, 404, "not_found", NULL, NULL);
		return;
	}
	memset(&st, 0, sizeof(st));
	if (app_server() != NULL)
		http_server_stats(app_server(), &st);
	c->resp->status = 200;
	buf_reset(b);
	buf_printf(b, "# HELP circles_http_requests_total HTTP requests answered.\n"
	    "# TYPE circles_http_requests_total counter\n");
	for (i = 1; i < 6; i++)
		buf_printf(b, "circles_http_requests_total{class=\"%dxx\"} %llu\n", i,
		    (unsigned long long)st.responses_by_class[i]);
	buf_printf(b, "# TYPE circles_http_connections_open gauge\n"
	    "circles_http_connections_open %llu\n", (unsigned long long)st.connections_open);
	buf_printf(b, "# TYPE circles_http_connections_total counter\n"
	    "circles_http_connections_total %llu\n", (unsigned long long)st.connections_total);
	buf_printf(b, "# TYPE circles_http_connections_refused_total counter\n"
	    "circles_http_connections_refused_total %llu\n",
	    (unsigned long long)st.connections_refused);
	buf_printf(b, "# TYPE circles_http_timeouts_total counter\n"
	    "circles_http_timeouts_total %llu\n", (unsigned long long)st.timeouts);
	buf_printf(b, "# TYPE circles_http_bad_requests_total counter\n"
	    "circles_http_bad_requests_total %llu\n", (unsigned long long)st.bad_requests);
	r = db_query(c->db, "SELECT state, COUNT(*) FROM jobs GROUP BY state ORDER BY state");
	buf_printf(b, "# TYPE circles_jobs gauge\n");
	for (i = 0; r != NULL && (size_t)i < db_rows_count(r); i++)
		buf_printf(b, "circles_jobs{state=\"%s\"} %lld\n", db_rows_text(r, (size_t)i, 0),
		    (long long)db_rows_int(r, (size_t)i, 1));
	db_rows_free(r);
	r = db_query(c->db, "SELECT COUNT(*) FROM sessions WHERE last_seen_at > ?",
	    DB_I(c->now - 900));
	if (r != NULL && db_rows_count(r) > 0)
		buf_printf(b, "# TYPE circles_active_sessions gauge\ncircles_active_sessions %lld\n",
		    (long long)db_rows_int(r, 0, 0));
	db_rows_free(r);
	http_response_header(c->resp, "Content-Type", "text/plain; version=0.0.4");
}

/* POST /api/v1/test/clock {"set": unix} or {"advance": seconds}; test mode only. */
void
h_test_clock(struct ctx *c)
{
	json_t *set = c->json ? json_object_get(c->json, "set") : NULL;
	json_t *adv = c->json ? json_object_get(c->json, "advance") : NULL;

	if (json_is_integer(set))
		clock_set(json_integer_value(set));
	if (json_is_integer(adv))
		clock_advance(json_integer_value(adv));
	if (c->json != NULL && json_object_get(c->json, "reset") == json_true())
		clock_reset();
	respond_json(c, 200, json_pack("{s:I}", "now", (json_int_t)clock_now()));
}

void
h_test_outbox(struct ctx *c)
{
	struct db_rows *r = db_query(c->db, "SELECT id, kind, state, attempts, run_at FROM jobs "
	    "ORDER BY id");
	json_t *arr = json_array();
	size_t i;

	for (i = 0; r != NULL && i < db_rows_count(r); i++)
		json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:I, s:I}",
		    "id", (json_int_t)db_rows_int(r, i, 0), "kind", db_rows_text(r, i, 1),
		    "state", db_rows_text(r, i, 2), "attempts", (json_int_t)db_rows_int(r, i, 3),
		    "run_at", (json_int_t)db_rows_int(r, i, 4)));
	db_rows_free(r);
	respond_json(c, 200, json_pack("{s:o}", "jobs", arr));
}
