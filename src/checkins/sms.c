/*
 * sms.c: phone links, opt-outs, outbound texts and inbound answers (see
 * sms.h).
 *
 * Design:
 *
 * - Verification codes are stored as keyed hashes bound to the account
 *   ("<user id>:<code>"), compared in constant time, good for ten minutes
 *   and five tries; new codes are rate-limited per account.
 * - Linking happens in one transaction: the number leaves any other
 *   account (phone numbers get reassigned; whoever proves they hold it now
 *   owns it), is marked verified here, and copied sealed into
 *   users.phone_enc.
 * - Answers are short, in the language of the words the person used (or
 *   their account's), and never repeat health details beyond the numbers
 *   they just sent.  Unknown numbers learn only that the number is not
 *   linked, and where help is.  Nothing from a text reaches the log but its
 *   kind.
 * - MEETINGS and PLAN answer with the member's own data (sms_reply.h), so
 *   only a verified number's account gets them, and never after STOP; the
 *   plan may take several messages, every other answer is one.  SOS from a
 *   verified number raises the help-now alert and answers with the crisis
 *   lines and then the plan; from anyone else, the lines.
 * - Every answer that names where help is uses the network's own crisis
 *   lines (the coordinators' setting), not a fixed number.
 */
#include "safety/safety.h"
#include "checkins/sms.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "accounts/users.h"
#include "base/log.h"
#include "base/mem.h"
#include "checkins/checkin.h"
#include "checkins/sms_command.h"
#include "checkins/sms_reply.h"
#include "safety/alerts.h"
#include "checkins/store.h"
#include "notify/jobs.h"
#include "privacy/crypto.h"
#include "view/view.h"

#define GATEWAY_TIMEOUT_S	20L

void
sms_phone_hash(const char *e164, char out[65])
{
	crypto_mac_hex("phone", e164, strlen(e164), out);
}

static void
code_hash(int64_t user_id, const char *code, char out[65])
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%" PRId64 ":%s", user_id, code);
	crypto_mac_hex("sms_code", buf, strlen(buf), out);
}

int64_t
sms_user_by_phone(struct db *db, const char *e164)
{
	struct db_rows *r;
	char h[65];
	int64_t id;

	sms_phone_hash(e164, h);
	r = db_query(db, "SELECT p.user_id FROM sms_phones p JOIN users u ON u.id = p.user_id "
	    "WHERE p.phone_hash = ? AND p.verified_at IS NOT NULL AND u.disabled = 0", DB_T(h));
	if (r == NULL)
		return -1;
	id = db_rows_count(r) > 0 ? db_rows_int(r, 0, 0) : 0;
	db_rows_free(r);
	return id;
}

int
sms_stopped(struct db *db, const char *e164)
{
	struct db_rows *r;
	char h[65];
	int stopped;

	sms_phone_hash(e164, h);
	r = db_query(db, "SELECT 1 FROM sms_optouts WHERE phone_hash = ?", DB_T(h));
	if (r == NULL)
		return -1;
	stopped = db_rows_count(r) > 0;
	db_rows_free(r);
	return stopped;
}

int
sms_set_stopped(struct db *db, const char *e164, bool stopped, int64_t now)
{
	char h[65];

	sms_phone_hash(e164, h);
	if (stopped)
		return db_exec(db, "INSERT INTO sms_optouts (phone_hash, stopped_at) VALUES (?, ?) "
		    "ON CONFLICT (phone_hash) DO NOTHING", DB_T(h), DB_I(now)) < 0 ? -1 : 0;
	return db_exec(db, "DELETE FROM sms_optouts WHERE phone_hash = ?", DB_T(h)) < 0 ? -1 : 0;
}

static const char *
phone_ad(char *buf, size_t n, const char *what, int64_t user_id)
{
	snprintf(buf, n, "%s:%" PRId64, what, user_id);
	return buf;
}

int
sms_phone_get(struct db *db, int64_t user_id, int64_t now, struct sms_phone *out)
{
	struct db_rows *r;
	const unsigned char *blob;
	char ad[64], *plain;
	size_t blen, plen;

	memset(out, 0, sizeof(*out));
	r = db_query(db, "SELECT phone_enc, verified_at, code_hash, code_expires_at, "
	    "code_attempts FROM sms_phones WHERE user_id = ?", DB_I(user_id));
	if (r == NULL)
		return -1;
	if (db_rows_count(r) == 0) {
		db_rows_free(r);
		return 0;
	}
	blob = db_rows_blob(r, 0, 0, &blen);
	plain = crypto_open(blob, blen, phone_ad(ad, sizeof(ad), "sms_phones.phone", user_id),
	    &plen);
	if (plain != NULL && plen < sizeof(out->number)) {
		memcpy(out->number, plain, plen + 1);
		out->present = true;
	}
	free(plain);
	out->verified = !db_rows_isnull(r, 0, 1);
	out->pending = !out->verified && !db_rows_isnull(r, 0, 2) &&
	    db_rows_int(r, 0, 4) < SMS_CODE_TRIES && db_rows_int(r, 0, 3) > now;
	db_rows_free(r);
	return 0;
}

static void
new_code(char code[SMS_CODE_DIGITS + 1])
{
	uint32_t v;

	/* uniform over 000000..999999: reject the top sliver of 2^32 */
	do
		crypto_random(&v, sizeof(v));
	while (v >= 4294000000u);
	snprintf(code, SMS_CODE_DIGITS + 1, "%06u", v % 1000000u);
}

enum sms_begin
sms_phone_begin(struct db *db, int64_t user_id, const char *e164,
    char code[SMS_CODE_DIGITS + 1], int64_t now)
{
	struct db_rows *r;
	char h[65], ch[65], ad[64];
	unsigned char *blob;
	size_t blen;
	int64_t sent_at = 0, sent = 0, n;

	r = db_query(db, "SELECT code_sent_at, codes_sent FROM sms_phones WHERE user_id = ?",
	    DB_I(user_id));
	if (r == NULL)
		return SMS_BEGIN_ERROR;
	if (db_rows_count(r) > 0) {
		sent_at = db_rows_int(r, 0, 0);
		sent = db_rows_int(r, 0, 1);
	}
	db_rows_free(r);
	if (sent_at > 0 && now - sent_at < SMS_CODE_GAP)
		return SMS_BEGIN_WAIT;
	if (sent_at > 0 && now - sent_at >= 86400)
		sent = 0;
	if (sent >= SMS_CODES_PER_DAY)
		return SMS_BEGIN_LIMIT;

	new_code(code);
	sms_phone_hash(e164, h);
	code_hash(user_id, code, ch);
	blob = crypto_seal(e164, strlen(e164), phone_ad(ad, sizeof(ad), "sms_phones.phone",
	    user_id), &blen);
	if (db_begin(db) == -1) {
		free(blob);
		return SMS_BEGIN_ERROR;
	}
	n = db_exec(db, "INSERT INTO sms_phones (user_id, phone_hash, phone_enc, code_hash, "
	    "code_expires_at, code_attempts, code_sent_at, codes_sent, created_at) "
	    "VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET "
	    "phone_hash = excluded.phone_hash, phone_enc = excluded.phone_enc, verified_at = NULL, "
	    "code_hash = excluded.code_hash, code_expires_at = excluded.code_expires_at, "
	    "code_attempts = 0, code_sent_at = excluded.code_sent_at, "
	    "codes_sent = excluded.codes_sent", DB_I(user_id), DB_T(h), DB_B(blob, blen),
	    DB_T(ch), DB_I(now + SMS_CODE_TTL), DB_I(now), DB_I(sent + 1), DB_I(now));
	free(blob);
	/* an unverified number is not linked: the old one (if any) stops working now */
	if (n != 1 || db_exec(db, "UPDATE users SET phone_enc = NULL WHERE id = ?",
	    DB_I(user_id)) < 0 || db_commit(db) == -1) {
		log_warnx("sms: saving a phone number failed: %s", db_errmsg(db));
		db_rollback(db);
		return SMS_BEGIN_ERROR;
	}
	return SMS_BEGIN_OK;
}

enum sms_verify
sms_phone_verify(struct db *db, int64_t user_id, const char *code, int64_t now)
{
	struct db_rows *r;
	char want[65], got[65], ad[64], number[PHONE_E164_SIZE], *plain;
	const unsigned char *blob;
	unsigned char *sealed;
	size_t blen, plen, i;
	int64_t expires, tries;
	bool ok;

	r = db_query(db, "SELECT code_hash, code_expires_at, code_attempts, phone_enc, phone_hash "
	    "FROM sms_phones WHERE user_id = ? AND verified_at IS NULL", DB_I(user_id));
	if (r == NULL)
		return SMS_VERIFY_ERROR;
	if (db_rows_count(r) == 0 || db_rows_isnull(r, 0, 0)) {
		db_rows_free(r);
		return SMS_VERIFY_NONE;
	}
	snprintf(want, sizeof(want), "%s", db_rows_text(r, 0, 0));
	expires = db_rows_int(r, 0, 1);
	tries = db_rows_int(r, 0, 2);
	blob = db_rows_blob(r, 0, 3, &blen);
	plain = crypto_open(blob, blen, phone_ad(ad, sizeof(ad), "sms_phones.phone", user_id),
	    &plen);
	if (plain == NULL || plen >= sizeof(number)) {
		free(plain);
		db_rows_free(r);
		return SMS_VERIFY_ERROR;
	}
	memcpy(number, plain, plen + 1);
	free(plain);
	db_rows_free(r);
	if (tries >= SMS_CODE_TRIES || now >= expires)
		return SMS_VERIFY_EXPIRED;

	ok = code != NULL && strlen(code) == SMS_CODE_DIGITS;
	for (i = 0; ok && i < SMS_CODE_DIGITS; i++)
		ok = code[i] >= '0' && code[i] <= '9';
	code_hash(user_id, ok ? code : "-", got);
	if (!ok || !crypto_equal(want, got, 64)) {
		db_exec(db, "UPDATE sms_phones SET code_attempts = code_attempts + 1 "
		    "WHERE user_id = ?", DB_I(user_id));
		return tries + 1 >= SMS_CODE_TRIES ? SMS_VERIFY_EXPIRED : SMS_VERIFY_WRONG;
	}

	sms_phone_hash(number, got);
	sealed = crypto_seal(number, strlen(number), phone_ad(ad, sizeof(ad), "users.phone_enc",
	    user_id), &blen);
	if (db_begin(db) == -1 ||
	    db_exec(db, "UPDATE users SET phone_enc = NULL WHERE id IN (SELECT user_id FROM "
	    "sms_phones WHERE phone_hash = ? AND user_id <> ? AND verified_at IS NOT NULL)",
	    DB_T(got), DB_I(user_id)) < 0 ||
	    db_exec(db, "DELETE FROM sms_phones WHERE phone_hash = ? AND user_id <> ? AND "
	    "verified_at IS NOT NULL", DB_T(got), DB_I(user_id)) < 0 ||
	    db_exec(db, "UPDATE sms_phones SET verified_at = ?, code_hash = NULL, "
	    "code_expires_at = NULL, code_attempts = 0 WHERE user_id = ?", DB_I(now),
	    DB_I(user_id)) != 1 ||
	    db_exec(db, "UPDATE users SET phone_enc = ?, updated_at = ? WHERE id = ?",
	    DB_B(sealed, blen), DB_I(now), DB_I(user_id)) != 1 ||
	    db_commit(db) == -1) {
		log_warnx("sms: linking a phone number failed: %s", db_errmsg(db));
		db_rollback(db);
		free(sealed);
		return SMS_VERIFY_ERROR;
	}
	free(sealed);
	return SMS_VERIFY_OK;
}

int
sms_phone_remove(struct db *db, int64_t user_id)
{
	if (db_begin(db) == -1 ||
	    db_exec(db, "DELETE FROM sms_phones WHERE user_id = ?", DB_I(user_id)) < 0 ||
	    db_exec(db, "UPDATE users SET phone_enc = NULL WHERE id = ?", DB_I(user_id)) < 0 ||
	    db_commit(db) == -1) {
		db_rollback(db);
		return -1;
	}
	return 0;
}

/* ---- outbound ---- */

int64_t
sms_enqueue(struct db *db, const char *e164, const char *body, int64_t user_id,
    const char *dedupe_key, int64_t run_at, int64_t now)
{
	json_t *p = json_pack("{s:s, s:s, s:I}", "to", e164, "body", body,
	    "user_id", (json_int_t)user_id);
	int64_t id;

	if (p == NULL)
		return -1;
	id = jobs_enqueue(db, "sms", p, dedupe_key, run_at, now);
	json_decref(p);
	return id;
}

static size_t
discard(char *p, size_t size, size_t n, void *ud)
{
	(void)p;
	(void)ud;
	return size * n;
}

static void
form_field(struct buf *b, const char *name, const char *value)
{
	if (b->len > 0)
		buf_putc(b, '&');
	buf_puts(b, name);
	buf_putc(b, '=');
	url_encode(b, value, strlen(value));
}

int
sms_job_send(struct db *db, const struct config *cfg, json_t *payload, int64_t job_id,
    char **err)
{
	const char *to = json_string_value(json_object_get(payload, "to"));
	const char *body = json_string_value(json_object_get(payload, "body"));
	struct buf form = BUF_INIT;
	CURL *h;
	CURLcode rc;
	long status = 0;
	int stopped;

	(void)job_id;
	if (to == NULL || body == NULL) {
		*err = xstrdup("malformed sms job");
		return -2;
	}
	if (cfg->sms_gateway_url == NULL) {
		*err = xstrdup("text messages are not configured (CIRCLES_SMS_GATEWAY_URL)");
		return -2;
	}
	/* a number that texted STOP after this was queued still gets nothing */
	if ((stopped = sms_stopped(db, to)) != 0) {
		*err = xstrdup(stopped < 0 ? "cannot check the opt-out list" :
		    "the number has opted out (STOP)");
		return stopped < 0 ? -1 : -2;
	}
	form_field(&form, "To", to);
	form_field(&form, "From", cfg->sms_from ? cfg->sms_from : "");
	form_field(&form, "Body", body);
	if ((h = curl_easy_init()) == NULL) {
		buf_free(&form);
		*err = xstrdup("cannot start an HTTP client");
		return -1;
	}
	curl_easy_setopt(h, CURLOPT_URL, cfg->sms_gateway_url);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, form.data);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)form.len);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, GATEWAY_TIMEOUT_S);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_USERAGENT, "Circles");
	rc = curl_easy_perform(h);
	if (rc == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(h);
	buf_free(&form);
	if (rc != CURLE_OK) {
		*err = xasprintf("gateway unreachable: %s", curl_easy_strerror(rc));
		return -1;
	}
	if (status >= 200 && status < 300)
		return 0;
	*err = xasprintf("gateway answered %ld", status);
	/* a refusal of this message will not change by retrying; overload or an outage may */
	return status >= 400 && status < 500 && status != 408 && status != 429 ? -2 : -1;
}

/* ---- inbound ---- */

static const char *
lang_of(struct ctx *c, const struct sms_command *cmd, const struct user *u)
{
	if (cmd->lang == SMS_LANG_ES && i18n_supported("es"))
		return "es";
	if (cmd->lang == SMS_LANG_EN)
		return "en";
	if (u != NULL && u->lang != NULL && i18n_supported(u->lang))
		return u->lang;
	return c->lang ? c->lang : "en";
}

static const char *
say(struct ctx *c, const char *lang, const char *key)
{
	return i18n_get(lang, arena_printf(c->a, "checkins.sms.%s", key));
}

static const char *
say_fmt(struct ctx *c, const char *lang, const char *key, json_t *vars)
{
	char *s = i18n_format(lang, arena_printf(c->a, "checkins.sms.%s", key), vars);
	const char *out = arena_strdup(c->a, s);

	free(s);
	json_decref(vars);
	return out;
}

/*
 * An answer that names the network's crisis lines ({line} the first, {lines}
 * all), its emergency number ({emergency}) and {url}.
 */
static const char *
say_lines(struct ctx *c, const char *lang, const char *key)
{
	const char *first = NULL, *em = NULL, *all = sms_crisis_lines(c, lang, &first, &em);

	return say_fmt(c, lang, key, json_pack("{s:s, s:s, s:s, s:s}", "url", c->cfg->public_url,
	    "line", first, "lines", all, "emergency", em));
}

/* "mood 4, craving 2, sleep 7.5 h" in lang. */
static const char *
summary(struct ctx *c, const char *lang, const struct sms_command *cmd)
{
	struct buf b = BUF_INIT;
	const char *out;

#define PART(key, fmt, v) do { \
	if (b.len > 0) \
		buf_puts(&b, ", "); \
	buf_printf(&b, fmt, say(c, lang, key), v); \
} while (0)
	if (cmd->mood >= 0)
		PART("word_mood", "%s %d", cmd->mood);
	if (cmd->craving >= 0)
		PART("word_craving", "%s %d", cmd->craving);
	if (cmd->stress >= 0)
		PART("word_stress", "%s %d", cmd->stress);
	if (cmd->sleep_halves >= 0)
		PART("word_sleep", cmd->sleep_halves % 2 ? "%s %d.5 h" : "%s %d h",
		    cmd->sleep_halves / 2);
	if (cmd->used != CHECKIN_USED_UNSET)
		PART("word_used", "%s: %s", say(c, lang, arena_printf(c->a, "used_%s",
		    checkin_used_token(cmd->used))));
#undef PART
	out = arena_strdup(c->a, b.data ? b.data : "");
	buf_free(&b);
	return out;
}

static const char *
answer_checkin(struct ctx *c, const char *lang, const struct sms_command *cmd, int64_t user_id)
{
	struct checkin ci;
	const char *sum;

	if (cmd->bad_field != NULL)
		return say(c, lang, arena_printf(c->a, "bad_%s", cmd->bad_field));
	checkin_init(&ci);
	ci.mood = cmd->mood;
	ci.craving = cmd->craving;
	ci.stress = cmd->stress;
	ci.sleep_halves = cmd->sleep_halves;
	ci.used = cmd->used;
	if (checkins_add(c->db, user_id, &ci, "sms", c->now) <= 0)
		return say(c, lang, "trouble");
	safety_note_checkin(c->db, c->cfg, user_id, c->now);
	sum = summary(c, lang, cmd);
	if (*sum == '\0')
		return say(c, lang, "checked_in");
	return say_fmt(c, lang, "checked_in_with", json_pack("{s:s}", "summary", sum));
}

/* The one message of most answers, as sms_answer's list. */
static const char **
one(struct ctx *c, const char *msg)
{
	const char **out;

	if (msg == NULL)
		return NULL;
	out = arena_alloc(c->a, 2 * sizeof(*out));
	out[0] = msg;
	out[1] = NULL;
	return out;
}

/* The single-message answers. */
static const char *
answer(struct ctx *c, const char *from, const struct sms_command *cmd, const struct user *u,
    const char *lang, int stopped)
{
	const char *text;

	/* Carrier keywords work for every number, linked or not. */
	if (cmd->kind == SMS_STOP) {
		if (sms_set_stopped(c->db, from, true, c->now) == -1)
			return NULL;
		return say(c, lang, "stopped");
	}
	if (cmd->kind == SMS_START) {
		if (sms_set_stopped(c->db, from, false, c->now) == -1)
			return NULL;
		return say(c, lang, "started");
	}
	if (cmd->kind == SMS_HELP || cmd->kind == SMS_SOS) {
		/* Help and crisis lines are answered even after STOP, as carriers expect. */
		if (u == NULL && cmd->kind == SMS_HELP)
			return say_lines(c, lang, "unknown_number");
		/* A linked member's "sos" raises the same alert as the web button. */
		if (cmd->kind == SMS_SOS && u != NULL && safety_help_now(c->db, c->cfg, u->id, "sms",
		    c->now) < 0)
			log_warnx("sms: help-now alert could not be raised");
		return say_lines(c, lang, cmd->kind == SMS_SOS ? "sos" : "help");
	}
	if (stopped)
		return NULL;	/* they asked for silence */
	if (u == NULL)
		return say_lines(c, lang, "unknown_number");

	switch (cmd->kind) {
	case SMS_CHECKIN:
		return answer_checkin(c, lang, cmd, u->id);
	case SMS_MEETINGS:
		if ((text = sms_meetings_reply(c, u, lang, cmd->when)) != NULL)
			return text;
		return say_fmt(c, lang, "meetings", json_pack("{s:s}", "url", c->cfg->public_url));
	case SMS_EMPTY:
		return say_lines(c, lang, "help");
	default:
		return say_lines(c, lang, "not_understood");
	}
}

const char **
sms_answer(struct ctx *c, const char *from, const char *body, size_t len)
{
	struct sms_command cmd;
	struct user *u = NULL;
	const char *lang;
	int64_t uid;
	int stopped;

	sms_command_parse(body, len, &cmd);
	if ((stopped = sms_stopped(c->db, from)) < 0 ||
	    (uid = sms_user_by_phone(c->db, from)) < 0) {
		log_warnx("sms: lookup failed: %s", db_errmsg(c->db));
		return NULL;
	}
	if (uid > 0)
		u = user_load(c->db, c->a, uid);
	lang = lang_of(c, &cmd, u);
	log_info("sms: inbound %s from %s number", sms_kind_name(cmd.kind),
	    u ? "a linked" : "an unknown");

	/* The plan goes only to the verified number's own account, never after STOP. */
	if (cmd.kind == SMS_PLAN && u != NULL && !stopped) {
		const char **plan = sms_plan_reply(c, u, lang, NULL);

		return plan != NULL ? plan : one(c, say(c, lang, "trouble"));
	}
	/*
	 * SOS from a member's verified number: the crisis lines, then their plan
	 * like PLAN sends it, as the web button shows both.  After STOP, or if
	 * the plan cannot be read, the lines alone still go.
	 */
	if (cmd.kind == SMS_SOS && u != NULL && !stopped) {
		const char *head = answer(c, from, &cmd, u, lang, stopped);
		const char **msgs = head != NULL ? sms_plan_reply(c, u, lang, head) : NULL;

		return msgs != NULL ? msgs : one(c, head);
	}
	return one(c, answer(c, from, &cmd, u, lang, stopped));
}
