/*
 * web_sms.c: the SMS gateway's webhook, and linking a phone number on the
 * member's account.
 *
 * POST /sms/inbound is public and CSRF-exempt: it proves itself with the
 * gateway's signature (sms_sign.c) over CIRCLES_PUBLIC_URL + "/sms/inbound"
 * and the posted fields, keyed with CIRCLES_SMS_AUTH_TOKEN.  Without a
 * token configured, or with a missing or wrong signature, it answers 403
 * and does nothing.  A signed request gets TwiML:
 * <Response><Message>...</Message></Response> (several <Message>s for the
 * crisis plan), or an empty <Response/> when the number asked for silence.
 *
 * Linking: the member types a number, Circles texts a code to it through
 * the job queue, the member types the code back.  The API and the page
 * share link_start/link_verify so both give the same answers.
 */
#include "app/handlers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "checkins/phone.h"
#include "checkins/sms.h"
#include "checkins/sms_sign.h"
#include "checkins/web_util.h"
#include "view/view.h"

/* ---- the webhook ---- */

static void
xml_escape(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&':
			buf_puts(b, "&amp;");
			break;
		case '<':
			buf_puts(b, "&lt;");
			break;
		case '>':
			buf_puts(b, "&gt;");
			break;
		case '"':
			buf_puts(b, "&quot;");
			break;
		case '\'':
			buf_puts(b, "&apos;");
			break;
		default:
			buf_putc(b, *s);
		}
	}
}

/* TwiML with one <Message> per text (the crisis plan takes a few), or an empty <Response/>. */
static void
respond_twiml(struct ctx *c, const char *const *messages)
{
	struct buf *b = &c->resp->body;
	size_t i;

	c->resp->status = 200;
	buf_reset(b);
	buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	if (messages == NULL || messages[0] == NULL) {
		buf_puts(b, "<Response/>\n");
	} else {
		buf_puts(b, "<Response>");
		for (i = 0; messages[i] != NULL; i++) {
			buf_puts(b, "<Message>");
			xml_escape(b, messages[i]);
			buf_puts(b, "</Message>");
		}
		buf_puts(b, "</Response>\n");
	}
	http_response_header(c->resp, "Content-Type", "text/xml; charset=utf-8");
}

void
h_sms_inbound(struct ctx *c)
{
	const char *token = c->cfg->sms_auth_token;
	const char *sig = ctx_header(c, "x-twilio-signature");
	const char *from = params_get(&c->form, "From");
	const char *body = params_get(&c->form, "Body");
	char number[PHONE_E164_SIZE];

	if (token == NULL || *token == '\0') {
		log_warnx("sms: inbound text refused: CIRCLES_SMS_AUTH_TOKEN is not set");
		respond_error(c, 403, "bad_signature", "errors.403.message", NULL);
		return;
	}
	if (!sms_signature_valid(token, arena_printf(c->a, "%s/sms/inbound", c->cfg->public_url),
	    &c->form, sig)) {
		log_warnx("sms: inbound text refused: %s signature", sig ? "wrong" : "no");
		respond_error(c, 403, "bad_signature", "errors.403.message", NULL);
		return;
	}
	if (from == NULL || !phone_normalize(from, number)) {
		respond_twiml(c, NULL);
		return;
	}
	respond_twiml(c, sms_answer(c, number, body ? body : "", body ? strlen(body) : 0));
}

/* ---- linking a number ---- */

struct outcome {
	int		 status;
	const char	*code;
	const char	*field;
	const char	*msg_key;
};

static bool
sms_available(struct ctx *c)
{
	return c->cfg->sms_gateway_url != NULL && *c->cfg->sms_gateway_url != '\0';
}

static struct outcome
link_start(struct ctx *c, const char *typed)
{
	char number[PHONE_E164_SIZE], code[SMS_CODE_DIGITS + 1];
	int stopped;

	if (!sms_available(c))
		return (struct outcome){ 503, "sms_unavailable", NULL,
		    "checkins.phone.errors.unavailable" };
	if (typed == NULL || !phone_normalize(typed, number))
		return (struct outcome){ 422, "invalid_field", "phone",
		    "checkins.phone.errors.phone" };
	if ((stopped = sms_stopped(c->db, number)) < 0)
		return (struct outcome){ 500, "internal", NULL, NULL };
	if (stopped)
		return (struct outcome){ 409, "opted_out", "phone",
		    "checkins.phone.errors.opted_out" };
	switch (sms_phone_begin(c->db, c->user->id, number, code, c->now)) {
	case SMS_BEGIN_OK:
		break;
	case SMS_BEGIN_WAIT:
		http_response_header(c->resp, "Retry-After", "60");
		return (struct outcome){ 429, "too_soon", "phone", "checkins.phone.errors.wait" };
	case SMS_BEGIN_LIMIT:
		return (struct outcome){ 429, "too_many_codes", "phone",
		    "checkins.phone.errors.limit" };
	default:
		return (struct outcome){ 500, "internal", NULL, NULL };
	}
	{
		json_t *vars = json_pack("{s:s}", "code", code);
		char *text = i18n_format(c->lang, "checkins.sms.code", vars);
		int64_t id = sms_enqueue(c->db, number, text, c->user->id, NULL, c->now, c->now);

		json_decref(vars);
		free(text);
		if (id <= 0)
			return (struct outcome){ 500, "internal", NULL, NULL };
	}
	return (struct outcome){ 0, NULL, NULL, NULL };
}

static struct outcome
link_verify(struct ctx *c, const char *code)
{
	const char *trimmed = code ? arena_cstr(c->a, str_trim(str_c(code))) : NULL;

	switch (sms_phone_verify(c->db, c->user->id, trimmed, c->now)) {
	case SMS_VERIFY_OK:
		return (struct outcome){ 0, NULL, NULL, NULL };
	case SMS_VERIFY_WRONG:
		return (struct outcome){ 422, "invalid_field", "code",
		    "checkins.phone.errors.code_wrong" };
	case SMS_VERIFY_EXPIRED:
		return (struct outcome){ 422, "code_expired", "code",
		    "checkins.phone.errors.code_expired" };
	case SMS_VERIFY_NONE:
		return (struct outcome){ 409, "no_code", "code", "checkins.phone.errors.no_code" };
	default:
		return (struct outcome){ 500, "internal", NULL, NULL };
	}
}

/* The API's view of the member's number. */
static json_t *
phone_json(struct ctx *c)
{
	struct sms_phone p;
	int stopped = 0;

	if (sms_phone_get(c->db, c->user->id, c->now, &p) == -1 ||
	    (p.present && (stopped = sms_stopped(c->db, p.number)) < 0))
		return NULL;
	return json_pack("{s:o, s:b, s:b, s:b, s:b}",
	    "number_ending", p.present ? json_string(phone_last_digits(p.number)) : json_null(),
	    "verified", p.verified, "pending", p.pending, "opted_out", stopped == 1,
	    "sms_available", sms_available(c));
}

static void
api_outcome(struct ctx *c, struct outcome o, int ok_status)
{
	json_t *j;

	if (o.status != 0) {
		respond_error(c, o.status, o.code, o.msg_key, o.field);
		return;
	}
	if ((j = phone_json(c)) == NULL) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	respond_json(c, ok_status, j);
}

void
h_api_phone(struct ctx *c)
{
	api_outcome(c, (struct outcome){ 0, NULL, NULL, NULL }, 200);
}

void
h_api_phone_set(struct ctx *c)
{
	if (c->json == NULL) {
		respond_error(c, 400, "malformed_json", "errors.400.message", NULL);
		return;
	}
	api_outcome(c, link_start(c, ctx_field(c, "phone")), 202);
}

void
h_api_phone_verify(struct ctx *c)
{
	if (c->json == NULL) {
		respond_error(c, 400, "malformed_json", "errors.400.message", NULL);
		return;
	}
	api_outcome(c, link_verify(c, ctx_field(c, "code")), 200);
}

void
h_api_phone_delete(struct ctx *c)
{
	if (sms_phone_remove(c->db, c->user->id) == -1) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	respond_empty(c, 204);
}

/* ---- the page ---- */

static void
render_phone(struct ctx *c, struct outcome o, const char *notice_key)
{
	json_t *data = phone_json(c);
	int status = o.status ? o.status : 200;

	if (data == NULL) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	if (o.status >= 500 && o.msg_key == NULL) {
		json_decref(data);
		respond_error(c, o.status, o.code, NULL, NULL);
		return;
	}
	if (c->cfg->sms_from != NULL)
		json_object_set_new(data, "from", json_string(c->cfg->sms_from));
	if (o.status != 0) {
		json_object_set_new(data, "error", json_string(i18n_get(c->lang, o.msg_key)));
		if (o.field != NULL)
			json_object_set_new(data, "errors", ck_field_error(c, o.field, o.msg_key));
		json_object_set_new(data, "values", json_pack("{s:s}", "phone",
		    params_get(&c->form, "phone") ? params_get(&c->form, "phone") : ""));
	}
	if (notice_key != NULL)
		json_object_set_new(data, "notice", json_string(i18n_get(c->lang, notice_key)));
	c->path = "/account/phone";
	respond_page(c, status, "checkins/phone", "checkins.phone.title", data);
}

void
h_phone(struct ctx *c)
{
	static const char *const notices[] = { "sent", "linked", "removed", NULL };
	const char *n = params_get(&c->query, "done"), *key = NULL;
	size_t i;

	for (i = 0; n != NULL && notices[i] != NULL; i++)
		if (strcmp(n, notices[i]) == 0)
			key = arena_printf(c->a, "checkins.phone.notices.%s", n);
	render_phone(c, (struct outcome){ 0, NULL, NULL, NULL }, key);
}

void
h_phone_submit(struct ctx *c)
{
	struct outcome o = link_start(c, ctx_field(c, "phone"));

	if (o.status != 0) {
		render_phone(c, o, NULL);
		return;
	}
	respond_redirect(c, "/account/phone?done=sent");
}

void
h_phone_verify(struct ctx *c)
{
	struct outcome o = link_verify(c, ctx_field(c, "code"));

	if (o.status != 0) {
		render_phone(c, o, NULL);
		return;
	}
	respond_redirect(c, "/account/phone?done=linked");
}

void
h_phone_remove(struct ctx *c)
{
	if (sms_phone_remove(c->db, c->user->id) == -1) {
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	respond_redirect(c, "/account/phone?done=removed");
}
