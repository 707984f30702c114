/*
 * web_proof.c: signed proofs of attendance and their public verification.
 *
 * A member makes a proof from their own attendance, choosing what it shows
 * (circles/proof.c).  Circles stores a random id, the payload and a keyed
 * MAC over both (crypto_mac_hex, the server's key never leaves it), and
 * the public page /verify/<id> shows exactly the payload, after checking
 * the MAC, so a recipient can trust it without an account and sees nothing
 * the member did not choose.  The member can withdraw a proof; a withdrawn
 * or unknown id answers 404.
 */
#include "app/handlers.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/str.h"
#include "circles/proof.h"
#include "circles/web_int.h"
#include "meetings/schedule.h"
#include "privacy/crypto.h"
#include "view/view.h"

#define PROOF_ROWS_MAX	2000
#define PROOF_ID_MAX	64

static void
proof_mac(const char *id, const char *payload, char out[65])
{
	struct buf b = BUF_INIT;

	buf_puts(&b, id);
	buf_putc(&b, '\n');
	buf_puts(&b, payload);
	crypto_mac_hex("circles.attendance_proof", b.data, b.len, out);
	buf_free(&b);
}

static bool
flag(struct ctx *c, const char *name)
{
	const char *v;

	if (c->json != NULL)
		return json_is_true(json_object_get(c->json, name));
	v = params_get(&c->form, name);
	return v != NULL && (strcmp(v, "1") == 0 || strcmp(v, "yes") == 0);
}

/* A YYYY-MM-DD field as the UTC instant of its start (or end); 0 absent, -1 bad. */
static int64_t
date_field(struct ctx *c, const char *name, bool end)
{
	const char *v = ctx_field(c, name);
	struct tm tm;
	int y, m, d;

	if (v == NULL || *v == '\0')
		return 0;
	if (!schedule_parse_date(v, &y, &m, &d))
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	return (int64_t)timegm(&tm) + (end ? 86399 : 0);
}

/* 0 made (*id, *payload), 1 answered. */
static int
make(struct ctx *c, const char **id, json_t **payload)
{
	struct proof_choice ch = { flag(c, "show_name"), flag(c, "show_count"),
	    flag(c, "show_meetings"), flag(c, "show_dates"), 0, 0 };
	struct proof_session *rows;
	struct db_rows *r;
	char mac[65], *text, *token;
	size_t i, n;
	int64_t done;

	if (!proof_choice_valid(&ch)) {
		respond_error(c, 422, "invalid_field", "circles.errors.proof_choice", "show_count");
		return 1;
	}
	if ((ch.from = date_field(c, "from", false)) < 0) {
		respond_error(c, 422, "invalid_field", "circles.errors.date", "from");
		return 1;
	}
	if ((ch.to = date_field(c, "to", true)) < 0 || (ch.to && ch.from && ch.to < ch.from)) {
		respond_error(c, 422, "invalid_field", "circles.errors.date", "to");
		return 1;
	}
	r = db_query(c->db, "SELECT m.name, a.session_start FROM circle_attendance a JOIN meetings m "
	    "ON m.id = a.meeting_id WHERE a.user_id = ? ORDER BY a.session_start LIMIT ?",
	    DB_I(c->user->id), DB_I(PROOF_ROWS_MAX));
	if (r == NULL) {
		circles_server_error(c, "proof");
		return 1;
	}
	n = db_rows_count(r);
	rows = arena_zalloc(c->a, (n + 1) * sizeof(*rows));
	for (i = 0; i < n; i++) {
		rows[i].meeting_name = arena_strdup(c->a, db_rows_text(r, i, 0));
		rows[i].start = db_rows_int(r, i, 1);
	}
	db_rows_free(r);
	*payload = proof_payload(&ch, rows, n, c->user->display_name, c->now);
	text = json_dumps(*payload, JSON_COMPACT | JSON_SORT_KEYS);
	token = crypto_token(16);
	*id = arena_strdup(c->a, token);
	free(token);
	proof_mac(*id, text, mac);
	done = db_exec(c->db, "INSERT INTO attendance_proofs (id, user_id, payload, mac, created_at) "
	    "VALUES (?, ?, ?, ?, ?)", DB_T(*id), DB_I(c->user->id), DB_T(text), DB_T(mac),
	    DB_I(c->now));
	free(text);
	if (done != 1) {
		json_decref(*payload);
		circles_server_error(c, "proof");
		return 1;
	}
	return 0;
}

void
h_api_proof_create(struct ctx *c)
{
	const char *id;
	json_t *payload;

	if (make(c, &id, &payload) == 0)
		respond_json(c, 201, json_pack("{s:s, s:s, s:o}", "id", id, "url",
		    arena_printf(c->a, "%s/verify/%s", c->cfg->public_url, id), "payload", payload));
}

void
h_proof_create(struct ctx *c)
{
	const char *id;
	json_t *payload;

	if (make(c, &id, &payload) == 0) {
		json_decref(payload);
		respond_redirect(c, arena_printf(c->a, "/verify/%s", id));
	}
}

void
h_api_proof_revoke(struct ctx *c)
{
	const char *id = c->nparam > 0 ? c->param[0] : NULL;
	int64_t n;

	if (id == NULL || strlen(id) > PROOF_ID_MAX) {
		respond_error(c, 404, "not_found", NULL, NULL);
		return;
	}
	n = db_exec(c->db, "UPDATE attendance_proofs SET revoked_at = ? WHERE id = ? AND "
	    "user_id = ? AND revoked_at IS NULL", DB_I(c->now), DB_T(id), DB_I(c->user->id));
	if (n < 0)
		circles_server_error(c, "revoke");
	else if (n == 0)
		respond_error(c, 404, "not_found", NULL, NULL);
	else
		respond_empty(c, 204);
}

/* The verified payload of proof :proof, or NULL (answered 404/500). */
static json_t *
verified(struct ctx *c, const char **id_out, int64_t *created)
{
	const char *id = c->nparam > 0 ? c->param[0] : NULL;
	struct db_rows *r;
	json_t *p = NULL;
	char mac[65];

	if (id == NULL || strlen(id) > PROOF_ID_MAX) {
		respond_error(c, 404, "not_found", NULL, NULL);
		return NULL;
	}
	r = db_query(c->db, "SELECT payload, mac, created_at FROM attendance_proofs WHERE id = ? "
	    "AND revoked_at IS NULL", DB_T(id));
	if (r == NULL) {
		circles_server_error(c, "verify");
		return NULL;
	}
	if (db_rows_count(r) == 1) {
		proof_mac(id, db_rows_text(r, 0, 0), mac);
		if (strlen(db_rows_text(r, 0, 1)) == 64 &&
		    crypto_equal(mac, db_rows_text(r, 0, 1), 64))
			p = json_loads(db_rows_text(r, 0, 0), 0, NULL);
		*created = db_rows_int(r, 0, 2);
	}
	db_rows_free(r);
	if (p == NULL)
		respond_error(c, 404, "not_found", "circles.errors.proof_unknown", NULL);
	*id_out = id;
	return p;
}

void
h_api_verify(struct ctx *c)
{
	const char *id;
	int64_t created = 0;
	json_t *p = verified(c, &id, &created);

	if (p != NULL)
		respond_json(c, 200, json_pack("{s:s, s:b, s:o}", "id", id, "valid", true,
		    "payload", p));
}

void
h_verify(struct ctx *c)
{
	const char *id;
	int64_t created = 0;
	json_t *p = verified(c, &id, &created), *d;

	if (p == NULL)
		return;
	d = json_pack("{s:s, s:O}", "id", id, "proof", p);
	json_object_set_new(d, "has_count", json_boolean(json_object_get(p, "count") != NULL));
	json_object_set_new(d, "has_sessions", json_boolean(json_object_get(p, "sessions") != NULL));
	{
		json_t *first = json_array_get(json_object_get(p, "sessions"), 0);

		json_object_set_new(d, "col_date", json_boolean(json_object_get(first, "date")));
		json_object_set_new(d, "col_meeting",
		    json_boolean(json_object_get(first, "meeting")));
	}
	json_object_set_new(d, "issued", json_string(circles_format_date(c, created)));
	json_object_set_new(d, "url", json_string(arena_printf(c->a, "%s/verify/%s",
	    c->cfg->public_url, id)));
	json_decref(p);
	respond_page(c, 200, "circles/verify", "circles.verify.title", d);
}
