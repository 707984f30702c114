/*
 * sms_plan.c: the member's own crisis plan by text message (see
 * sms_reply.h).
 *
 * The plan is read only for the account the verified number belongs to
 * (sms.c checks that before calling), decrypted like on the plan page, and
 * sent back in the reply itself, never queued: nothing of it is stored
 * again or logged.  The network's crisis line comes first, so the most
 * important thing arrives even if the rest is cut short.  Sections are
 * packed in their order into a few messages, each within
 * SMS_REPLY_SEGMENTS; a section too long for one message is cut with
 * "..." and the last message points to the plan on the web.
 *
 * Own reads are not audited on the web, but a plan leaving by text goes to
 * a phone other people may hold: each sending is an audit row (actor and
 * subject the member, action "read", category crisis_plan, object
 * "crisis_plan:<id>:sms"), shown to the member as "You viewed your crisis
 * plan".  If the row cannot be written, nothing is sent.
 */
#include "checkins/sms_reply.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "checkins/sms_text.h"
#include "privacy/audit.h"
#include "privacy/consent.h"
#include "safety/alerts.h"
#include "safety/plan.h"
#include "safety/store.h"
#include "view/view.h"

#define CHUNK_MAX	1200	/* bytes of one packed piece */
#define NUMBER_ROOM	"(9/9) "	/* the widest "(i/n) " a message gets */

static const char *
fmt(struct ctx *c, const char *lang, const char *key, json_t *vars)
{
	char *s = i18n_format(lang, key, vars);
	const char *out = arena_strdup(c->a, s);

	free(s);
	json_decref(vars);
	return out;
}

const char *
sms_crisis_lines(struct ctx *c, const char *lang, const char **first, const char **emergency)
{
	const char *em;
	json_t *lines = safety_contacts(c->db, lang, c->a, &em), *l;
	struct buf b = BUF_INIT;
	const char *out;
	size_t i;

	json_array_foreach(lines, i, l) {
		const char *name = json_string_value(json_object_get(l, "name"));
		const char *phone = json_string_value(json_object_get(l, "phone"));
		const char *text = json_string_value(json_object_get(l, "text"));

		if (name == NULL || (phone == NULL && text == NULL))
			continue;
		if (b.len > 0) {
			if (first != NULL && *first == NULL)
				*first = arena_strdup(c->a, b.data);
			buf_puts(&b, "; ");
		}
		if (phone != NULL && text != NULL)
			buf_puts(&b, fmt(c, lang, "checkins.sms.plan_line_call_text",
			    json_pack("{s:s, s:s, s:s}", "name", name, "phone", phone, "text", text)));
		else if (phone != NULL)
			buf_puts(&b, fmt(c, lang, "checkins.sms.plan_line_call",
			    json_pack("{s:s, s:s}", "name", name, "phone", phone)));
		else
			buf_puts(&b, fmt(c, lang, "checkins.sms.plan_line_text",
			    json_pack("{s:s, s:s}", "name", name, "text", text)));
	}
	json_decref(lines);
	out = arena_strdup(c->a, b.data ? b.data : "988");
	buf_free(&b);
	if (first != NULL && *first == NULL)
		*first = out;	/* there was one line */
	if (emergency != NULL)
		*emergency = em;
	return out;
}

/* One section as "Title: line; Name (phone); ..." */
static const char *
section_text(struct ctx *c, const char *lang, const struct crisis_plan *p, enum plan_section s)
{
	struct buf b = BUF_INIT;
	const char *out;
	int i;

	buf_printf(&b, "%s: ", i18n_get(lang, arena_printf(c->a, "safety.plan.sections.%s.title",
	    plan_section_token(s))));
	for (i = 0; i < p->n[s]; i++) {
		const struct plan_item *it = &p->items[s][i];

		if (i > 0)
			buf_puts(&b, "; ");
		buf_puts(&b, it->text);
		if (it->phone != NULL && strcmp(it->phone, it->text) != 0)
			buf_printf(&b, " (%s)", it->phone);
	}
	out = arena_strdup(c->a, b.data);
	buf_free(&b);
	return out;
}

/* Does "(9/9) " + a + "\n" + b fit in one reply? (b NULL: a alone) */
static bool
fits_with(struct ctx *c, const char *a, const char *b)
{
	return sms_fits(b ? arena_printf(c->a, NUMBER_ROOM "%s\n%s", a, b) :
	    arena_printf(c->a, NUMBER_ROOM "%s", a), SMS_REPLY_SEGMENTS);
}

/* A piece cut so that it fits in one message on its own. */
static const char *
clipped(struct ctx *c, const char *s)
{
	char *out = arena_alloc(c->a, CHUNK_MAX);
	size_t room = SMS_REPLY_SEGMENTS;

	sms_clip(s, room, out, CHUNK_MAX);
	/* leave space for the number in front */
	while (!fits_with(c, out, NULL) && strlen(out) > 3) {
		size_t keep = strlen(out) - 4;

		while (keep > 0 && ((unsigned char)out[keep] & 0xc0) == 0x80)
			keep--;
		memcpy(out + keep, "...", 4);
	}
	return out;
}

const char **
sms_plan_reply(struct ctx *c, const struct user *u, const char *lang, const char *head)
{
	struct crisis_plan plan;
	const char *pieces[PLAN_SECTIONS + 3], *msgs[PLAN_SECTIONS + 3], **out;
	const char *url = arena_printf(c->a, "%s/crisis-plan", c->cfg->public_url);
	size_t np = 0, nm = 0, i;
	int s;

	if (safety_plan_load(c->db, c->a, u->id, &plan) == -1) {
		log_warnx("sms: a crisis plan could not be read");
		return NULL;
	}
	if (!plan.exists || plan_count(&plan) == 0) {
		out = arena_alloc(c->a, 2 * sizeof(*out));
		/* In a crisis, no advice to go and write one: the lines alone. */
		out[0] = head != NULL ? head : fmt(c, lang, "checkins.sms.plan_none",
		    json_pack("{s:s, s:s}", "lines", sms_crisis_lines(c, lang, NULL, NULL), "url", url));
		out[1] = NULL;
		return out;
	}
	if (audit_record(c->db, c->now, u->pseudonym, u->pseudonym, "read", CONSENT_CRISIS_PLAN,
	    arena_printf(c->a, "crisis_plan:%" PRId64 ":sms", u->id)) == -1) {
		log_warnx("sms: the crisis plan was not sent: the audit row could not be written");
		return NULL;
	}

	if (head != NULL) {
		pieces[np++] = clipped(c, head);
		pieces[np++] = i18n_get(lang, "checkins.sms.plan_after_sos");
	} else {
		pieces[np++] = clipped(c, fmt(c, lang, "checkins.sms.plan_head", json_pack("{s:s}",
		    "lines", sms_crisis_lines(c, lang, NULL, NULL))));
	}
	for (s = 0; s < PLAN_SECTIONS; s++)
		if (plan.n[s] > 0)
			pieces[np++] = clipped(c, section_text(c, lang, &plan, (enum plan_section)s));
	pieces[np++] = fmt(c, lang, "checkins.sms.plan_more", json_pack("{s:s}", "url", url));

	/* Pack pieces in order, as many to a message as fit. */
	for (i = 0; i < np; i++) {
		if (nm > 0 && fits_with(c, msgs[nm - 1], pieces[i]))
			msgs[nm - 1] = arena_printf(c->a, "%s\n%s", msgs[nm - 1], pieces[i]);
		else
			msgs[nm++] = pieces[i];
	}
	/* Too many: keep the first ones and end with the link to the rest. */
	if (nm > SMS_PLAN_MESSAGES_MAX) {
		nm = SMS_PLAN_MESSAGES_MAX;
		msgs[nm - 1] = pieces[np - 1];
	}
	out = arena_alloc(c->a, (nm + 1) * sizeof(*out));
	for (i = 0; i < nm; i++)
		out[i] = nm == 1 ? msgs[i] : arena_printf(c->a, "(%zu/%zu) %s", i + 1, nm, msgs[i]);
	out[nm] = NULL;
	return out;
}
