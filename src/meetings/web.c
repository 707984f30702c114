/*
 * web.c: the meeting finder (page and Meeting Guide feed), a meeting's own
 * page, and the coordinators' tools: importing feeds, adding and changing
 * meetings, cancelling or moving single sessions.
 *
 * Handlers are thin: parse with limits, call finder.c / store.c /
 * formats/meetingguide.c, render.  The feed is built from the in-memory
 * snapshot (cache.h); it answers conditional requests (ETag and
 * Last-Modified) with 304 and is gzip-compressed when the client asks.
 * Every list the public sees leaves out temporarily closed meetings; the
 * Meeting Guide feed also leaves out monthly and single-date meetings,
 * which that format cannot express (the finder's help says so).
 */
#include "app/handlers.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "accounts/roles.h"
#include "base/log.h"
#include "formats/ical.h"
#include "formats/meetingguide.h"
#include "formats/multipart.h"
#include "http/params.h"
#include "meetings/cache.h"
#include "meetings/finder.h"
#include "meetings/store.h"
#include "meetings/web.h"
#include "privacy/crypto.h"
#include "view/view.h"

#define PAGE_SIZE		25
#define UPCOMING_SHOWN		6
#define NOTE_MAX		500
#define IMPORT_REJECTIONS_SHOWN	200

/* ---- small helpers ---- */

/* "a", "a and b", "a, b and c" in the page's language. */
static const char *
join_list(struct ctx *c, const char **items, size_t n)
{
	struct buf b = BUF_INIT;
	const char *and_ = i18n_get(c->lang, "meetings.list_and"), *out;
	size_t i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_puts(&b, i + 1 == n ? and_ : ", ");
		buf_puts(&b, items[i]);
	}
	out = arena_strdup(c->a, b.data ? b.data : "");
	buf_free(&b);
	return out;
}

static const char *
date_label(struct ctx *c, int y, int m, int d)
{
	int wd = tz_weekday(tz_days_from_civil(y, m, d));

	return ctx_tr(c, "meetings.date", json_pack("{s:s, s:s, s:i, s:i}",
	    "weekday", ctx_trk(c, "meetings.days_in_text.%d", wd),
	    "month", ctx_trk(c, "meetings.months.%d", m), "day", d, "year", y));
}

static const char *
hhmm(struct ctx *c, int min)
{
	char t[6];

	schedule_format_hhmm(min, t);
	return arena_strdup(c->a, t);
}

static const char *
time_range(struct ctx *c, const struct meeting *m)
{
	int end = m->sched.end_min >= 0 ? m->sched.end_min :
	    (m->sched.start_min + SCHED_DEFAULT_MINUTES) % 1440;

	if (m->sched.start_min < 0)
		return NULL;
	return ctx_tr(c, "meetings.time_range", json_pack("{s:s, s:s}",
	    "start", hhmm(c, m->sched.start_min), "end", hhmm(c, end)));
}

/* The schedule in words: "Every Monday and Wednesday", "The first and third Saturday of the month". */
static const char *
schedule_text(struct ctx *c, const struct meeting *m)
{
	const char *names[7], *weeks[6];
	size_t n = 0, nw = 0;
	int d;

	for (d = 0; d < 7; d++)
		if (m->sched.days & (1u << d))
			names[n++] = ctx_trk(c, "meetings.days_in_text.%d", d);
	switch (m->sched.kind) {
	case SCHED_WEEKLY:
		return ctx_tr(c, "meetings.schedule.weekly", json_pack("{s:s}", "days",
		    join_list(c, names, n)));
	case SCHED_MONTHLY:
		for (d = 0; d < 5; d++)
			if (m->sched.weeks & (1u << d))
				weeks[nw++] = ctx_trk(c, "meetings.weeks.%d", d + 1);
		if (m->sched.weeks & SCHED_WEEK_LAST)
			weeks[nw++] = i18n_get(c->lang, "meetings.weeks.last");
		return ctx_tr(c, "meetings.schedule.monthly", json_pack("{s:s, s:s}",
		    "weeks", join_list(c, weeks, nw), "day", n ? names[0] : ""));
	case SCHED_ONCE:
		return ctx_tr(c, "meetings.schedule.once", json_pack("{s:s}", "date",
		    date_label(c, m->sched.once_y, m->sched.once_m, m->sched.once_d)));
	default:
		return i18n_get(c->lang, "meetings.schedule.appointment");
	}
}

const char *
meetings_schedule_text(struct ctx *c, const struct meeting *m)
{
	return schedule_text(c, m);
}

const char *
meetings_date_label(struct ctx *c, int y, int m, int d)
{
	return date_label(c, y, m, d);
}

static json_t *
type_list(struct ctx *c, const struct meeting *m, bool skip_languages)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < m->ntypes; i++) {
		const char *code = m->types[i], *name;
		char key[64];

		if (skip_languages && meeting_type_language(code) != NULL)
			continue;
		snprintf(key, sizeof(key), "meetings.types.%s", code);
		name = i18n_get(c->lang, key);
		if (strcmp(name, key) == 0)
			name = code;	/* an unknown code, kept as the feed sent it */
		json_array_append_new(arr, json_pack("{s:s, s:s}", "code", code, "name", name));
	}
	return arr;
}

static const char *
language_name(struct ctx *c, const char *code)
{
	char key[48];
	const char *name;

	snprintf(key, sizeof(key), "meetings.languages.%s", code);
	name = i18n_get(c->lang, key);
	return strcmp(name, key) == 0 ? code : name;
}

static json_t *
language_list(struct ctx *c, const struct meeting *m)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < m->nlanguages; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s}", "code", m->languages[i],
		    "name", language_name(c, m->languages[i])));
	return arr;
}

static const char *
place_text(struct ctx *c, const struct meeting *m)
{
	struct buf b = BUF_INIT;
	const char *parts[] = { m->address, m->city, m->state, m->postal_code };
	const char *out;
	size_t i;

	if (m->formatted_address != NULL)
		return m->formatted_address;
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		if (parts[i] == NULL)
			continue;
		if (b.len)
			buf_puts(&b, ", ");
		buf_puts(&b, parts[i]);
	}
	out = b.len ? arena_strdup(c->a, b.data) : NULL;
	buf_free(&b);
	return out;
}

/* The meeting's address unless it only says "online". */
static const char *
street_address(struct ctx *c, const struct meeting *m)
{
	if (m->attendance == ATTEND_ONLINE && m->approximate)
		return NULL;
	return place_text(c, m);
}

/* Notes as paragraphs for the template (line breaks kept, escaped by Mustache). */
static json_t *
paragraphs(const char *text)
{
	json_t *arr = json_array();
	const char *p = text;

	while (p != NULL && *p) {
		const char *e = strstr(p, "\n\n");
		size_t n = e ? (size_t)(e - p) : strlen(p);
		json_t *lines = json_array();
		const char *q = p, *end = p + n;

		while (q < end) {
			const char *nl = memchr(q, '\n', (size_t)(end - q));
			size_t ln = nl ? (size_t)(nl - q) : (size_t)(end - q);
			json_array_append_new(lines, json_pack("{s:s%}", "line", q, ln));
			q += ln + (nl ? 1 : 0);
		}
		json_array_append_new(arr, json_pack("{s:o}", "lines", lines));
		p = e ? e + 2 : NULL;
	}
	return arr;
}

/* ---- conditional requests and compression ---- */

static void
http_date(int64_t t, char out[40])
{
	static const char *const wd[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const mo[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul",
	    "Aug", "Sep", "Oct", "Nov", "Dec" };
	int64_t days = tz_floor_div(t, 86400), s = t - days * 86400;
	int y, m, d;

	tz_civil_from_days(days, &y, &m, &d);
	snprintf(out, 40, "%s, %02d %s %04d %02d:%02d:%02d GMT", wd[tz_weekday(days)], d % 100,
	    mo[(m - 1) % 12], y % 10000, (int)(s / 3600) % 24, (int)(s / 60 % 60), (int)(s % 60));
}

/* IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"); false for anything else. */
static bool
parse_http_date(const char *s, int64_t *out)
{
	static const char mo[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	char mon[4];
	int d, y, h, mi, sec, m;
	const char *p;

	if (s == NULL || strlen(s) != 29 || s[3] != ',' ||
	    sscanf(s + 5, "%2d %3s %4d %2d:%2d:%2d GMT", &d, mon, &y, &h, &mi, &sec) != 6)
		return false;
	if ((p = strstr(mo, mon)) == NULL || (p - mo) % 3 != 0)
		return false;
	m = (int)(p - mo) / 3 + 1;
	if (d < 1 || d > tz_days_in_month(y, m) || h > 23 || mi > 59 || sec > 60)
		return false;
	*out = tz_days_from_civil(y, m, d) * 86400 + h * 3600 + mi * 60 + sec;
	return true;
}

/* True if an If-None-Match list holds etag (weak comparison, as for GET). */
static bool
etag_listed(const char *list, const char *etag)
{
	const char *p = list;
	size_t el = strlen(etag);

	while (*p) {
		const char *e;
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '*')
			return true;
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		e = p;
		if (*e == '"') {
			e = strchr(e + 1, '"');
			if (e == NULL)
				return false;
			e++;
		} else {
			while (*e && *e != ',')
				e++;
		}
		if ((size_t)(e - p) == el && strncmp(p, etag, el) == 0)
			return true;
		p = e;
	}
	return false;
}

/* gzip acceptable per Accept-Encoding (q=0 refuses it). */
static bool
wants_gzip(struct ctx *c)
{
	const char *v = ctx_header(c, "accept-encoding"), *p;

	if (v == NULL)
		return false;
	for (p = v; (p = strcasestr(p, "gzip")) != NULL; p += 4) {
		const char *q = p + 4;
		if ((p > v && p[-1] != ' ' && p[-1] != ',') || (*q && *q != ';' && *q != ',' &&
		    *q != ' '))
			continue;
		while (*q == ' ')
			q++;
		if (*q == ';') {
			q++;
			while (*q == ' ')
				q++;
			if (strncmp(q, "q=0", 3) == 0 && (q[3] == '\0' || q[3] == ',' ||
			    (q[3] == '.' && strspn(q + 4, "0") > 0 && strspn(q + 4, "0") ==
			    strcspn(q + 4, ", "))))
				return false;
		}
		return true;
	}
	return false;
}

static uint64_t
fnv64(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/*
 * Validators and the 304 decision, shared by every feed.  Returns true if
 * the answer is 304 (already sent).
 */
static bool
feed_validators(struct ctx *c, const char *etag, int64_t last_modified)
{
	char lm[40];
	const char *inm = ctx_header(c, "if-none-match"), *ims;
	int64_t since;

	http_date(last_modified, lm);
	http_response_header(c->resp, "ETag", etag);
	http_response_header(c->resp, "Last-Modified", lm);
	http_response_header(c->resp, "Vary", "Accept-Encoding");
	if (inm != NULL) {
		if (etag_listed(inm, etag)) {
			c->resp->status = 304;
			buf_reset(&c->resp->body);
			return true;
		}
		return false;	/* If-Modified-Since is ignored when If-None-Match is sent */
	}
	ims = ctx_header(c, "if-modified-since");
	if (ims != NULL && parse_http_date(ims, &since) && last_modified <= since) {
		c->resp->status = 304;
		buf_reset(&c->resp->body);
		return true;
	}
	return false;
}

/* ---- the Meeting Guide feed ---- */

static void
filter_error(struct ctx *c, const char *field)
{
	char key[64];

	snprintf(key, sizeof(key), "meetings.errors.%s", field);
	respond_error(c, 422, "invalid_field", key, field);
}

void
h_api_meetings_feed(struct ctx *c)
{
	struct finder_query q;
	const struct finder_snapshot *s;
	const char *bad, *body;
	char etag[96];
	size_t len, i;
	struct buf filtered = BUF_INIT;
	int64_t lm;
	uint64_t key;
	bool gz, first = true;

	if (!finder_parse(c->a, &c->query, &q, &bad)) {
		filter_error(c, bad);
		return;
	}
	if ((s = finder_acquire(c->db)) == NULL) {
		respond_error(c, 503, "unavailable", "errors.503.message", NULL);
		return;
	}
	gz = wants_gzip(c);
	lm = s->changed_at;
	key = q.any ? fnv64(q.canonical) : 0;
	if (q.when) {
		/* "now" and "soon" change with the clock: a new answer each minute. */
		int64_t minute = c->now - c->now % 60;
		key ^= (uint64_t)minute * 0x9e3779b97f4a7c15ULL;
		if (minute > lm)
			lm = minute;
	}
	if (!q.any)
		snprintf(etag, sizeof(etag), "%.*s%s\"", (int)strlen(s->feed_etag) - 1,
		    s->feed_etag, gz ? "-gz" : "");
	else
		snprintf(etag, sizeof(etag), "\"mg%lld-%016llx%s\"", (long long)s->version,
		    (unsigned long long)key, gz ? "-gz" : "");
	if (feed_validators(c, etag, lm)) {
		finder_release(s);
		return;
	}
	c->resp->status = 200;
	buf_reset(&c->resp->body);
	if (gz && finder_gzip(s, key, true, NULL, 0, c->resp)) {
		body = NULL;		/* compressed before, for this snapshot */
		len = 0;
		http_response_header(c->resp, "Content-Encoding", "gzip");
	} else if (!q.any) {
		body = s->feed;
		len = s->feed_len;
		if (!gz) {
			finder_lend(s, body, len, c->resp);	/* the whole feed, not copied */
			body = NULL;
		}
	} else if (!q.when && !gz && finder_body_lend(s, q.canonical, c->resp)) {
		/* the common case for apps polling one search: the kept answer, lent */
		body = NULL;
		len = 0;
	} else {
		struct buf *dst = gz ? &filtered : &c->resp->body;

		buf_putc(dst, '[');
		for (i = 0; i < s->n; i++) {
			const struct finder_item *it = &s->items[i];
			if (!it->in_feed || !finder_match(it, &q, c->now))
				continue;
			if (!first)
				buf_putc(dst, ',');
			buf_append(dst, s->json + s->json_off[i], s->json_len[i]);
			first = false;
		}
		buf_puts(dst, "]\n");
		body = dst->data;
		len = dst->len;
		if (!q.when)
			finder_body_put(s, q.canonical, body, len);
		if (!gz)
			body = NULL;	/* already in place */
	}
	if (body != NULL && gz && finder_gzip(s, key, true, body, len, c->resp)) {
		http_response_header(c->resp, "Content-Encoding", "gzip");
	} else if (body != NULL) {
		buf_reset(&c->resp->body);
		buf_append(&c->resp->body, body, len);
	}
	http_response_header(c->resp, "Content-Type", "application/json; charset=utf-8");
	buf_free(&filtered);
	finder_release(s);
}

/* ---- the finder page ---- */

static const char *const common_types[] = {
	"O", "C", "BE", "D", "SP", "ST", "B", "LIT", "MED", "W", "M", "Y", "LGBTQ", "POC",
	"SEN", "X", "BA", "ASL", "FF",
};

static const char *const finder_languages[] = {
	"en", "es", "fr", "pt", "de", "it", "pl", "ru", "uk", "ar", "fa", "ko", "ja", "tl",
};

static json_t *
options(struct ctx *c, const char *key_fmt, const char *const *values, size_t n,
    const char *selected)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:s, s:s, s:b}", "value", values[i],
		    "label", ctx_trk(c, key_fmt, values[i]),
		    "selected", selected != NULL && strcmp(selected, values[i]) == 0));
	return arr;
}

static json_t *
str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* Names of a JSON array of {name} as one "a, b, c" string, or null. */
static json_t *
names_text(struct ctx *c, json_t *arr)
{
	struct buf b = BUF_INIT;
	json_t *e, *out;
	size_t i;

	json_array_foreach(arr, i, e) {
		if (i)
			buf_puts(&b, ", ");
		buf_puts(&b, json_string_value(json_object_get(e, "name")));
	}
	out = b.len ? json_string(b.data) : json_null();
	buf_free(&b);
	(void)c;
	return out;
}

/*
 * One result for the finder page (or a meeting page's header).  Every key
 * is set, null when empty, so a missing one never falls through to a key
 * of the same name further out in the template's context.
 */
static json_t *
meeting_card(struct ctx *c, const struct finder_item *it, int64_t now)
{
	const struct meeting *m = it->m;
	json_t *card, *types = type_list(c, m, true), *langs = language_list(c, m);
	struct occurrence o;
	const char *next = NULL;
	bool live = false, soon = false;

	if (it->tz != NULL && !m->temporarily_closed &&
	    schedule_next(&m->sched, it->tz, it->ex, it->nex, now, 1, 0, &o) == 1) {
		live = o.start <= now && now < o.end;
		soon = !live && o.start > now && o.start <= now + FINDER_SOON_SECONDS;
		next = ctx_tr(c, "meetings.finder.next", json_pack("{s:s, s:s}",
		    "date", date_label(c, o.y, o.m, o.d), "time", hhmm(c, o.start_min)));
	}
	card = json_object();
	json_object_set_new(card, "slug", json_string(m->slug));
	json_object_set_new(card, "url", json_string(arena_printf(c->a, "/meetings/%s",
	    ctx_url_segment(c, m->slug))));
	json_object_set_new(card, "name", json_string(m->name));
	json_object_set_new(card, "time", str_or_null(time_range(c, m)));
	json_object_set_new(card, "schedule", json_string(schedule_text(c, m)));
	json_object_set_new(card, "attendance", json_string(ctx_trk(c, "meetings.attendance.%s",
	    meeting_attendance_token(m->attendance))));
	json_object_set_new(card, "types_text", names_text(c, types));
	json_object_set_new(card, "languages_text", names_text(c, langs));
	json_object_set_new(card, "types", types);
	json_object_set_new(card, "languages", langs);
	json_object_set_new(card, "live", json_boolean(live));
	json_object_set_new(card, "soon", json_boolean(soon));
	json_object_set_new(card, "next", str_or_null(next));
	json_object_set_new(card, "location", str_or_null(m->location));
	json_object_set_new(card, "address", str_or_null(street_address(c, m)));
	json_object_set_new(card, "online", json_boolean(m->attendance != ATTEND_IN_PERSON));
	json_object_set_new(card, "timezone", json_string(m->timezone));
	json_object_set_new(card, "region", str_or_null(m->region));
	return card;
}

/* The query string without "page", for the pager and the feed link. */
static const char *
query_without_page(struct ctx *c)
{
	struct buf b = BUF_INIT;
	const char *out;
	size_t i;

	for (i = 0; i < c->query.n; i++) {
		const struct param *p = &c->query.items[i];
		if (strcmp(p->name, "page") == 0 || p->value_len == 0)
			continue;
		if (b.len)
			buf_putc(&b, '&');
		url_encode(&b, p->name, strlen(p->name));
		buf_putc(&b, '=');
		url_encode(&b, p->value, p->value_len);
	}
	out = arena_strdup(c->a, b.data ? b.data : "");
	buf_free(&b);
	return out;
}

static json_t *
finder_form(struct ctx *c, const struct finder_query *q, const struct finder_snapshot *s)
{
	static const char *const days[] = { "0", "1", "2", "3", "4", "5", "6" };
	static const char *const times[] = { "morning", "afternoon", "evening", "night" };
	static const char *const att[] = { "in_person", "online", "hybrid" };
	static const char *const when[] = { "now", "soon" };
	json_t *f = json_object(), *types = json_array(), *regions = json_array();
	const char *sel_day = NULL, *sel_time = NULL, *sel_att = NULL, *sel_when = NULL;
	const char **seen = NULL;
	size_t i, nseen = 0;
	char d[2];

	if (q->days && (q->days & (q->days - 1)) == 0) {
		d[0] = (char)('0' + __builtin_ctz(q->days));
		d[1] = '\0';
		sel_day = d;
	}
	if (q->time)
		sel_time = times[q->time - 1];
	if (q->attendance)
		sel_att = meeting_attendance_token(q->attendance);
	if (q->when)
		sel_when = when[q->when - 1];
	json_object_set_new(f, "days", options(c, "meetings.days.%s", days, 7, sel_day));
	json_object_set_new(f, "times", options(c, "meetings.times.%s", times, 4, sel_time));
	json_object_set_new(f, "attendances", options(c, "meetings.attendance.%s", att, 3, sel_att));
	json_object_set_new(f, "whens", options(c, "meetings.when.%s", when, 2, sel_when));
	json_object_set_new(f, "langs", options(c, "meetings.languages.%s", finder_languages,
	    sizeof(finder_languages) / sizeof(finder_languages[0]), q->lang));
	for (i = 0; i < sizeof(common_types) / sizeof(common_types[0]); i++) {
		size_t k;
		bool checked = false;
		for (k = 0; k < q->ntypes; k++)
			if (strcmp(q->types[k], common_types[i]) == 0)
				checked = true;
		json_array_append_new(types, json_pack("{s:s, s:s, s:s, s:b}",
		    "code", common_types[i], "id", arena_printf(c->a, "type-%s", common_types[i]),
		    "name", ctx_trk(c, "meetings.types.%s", common_types[i]), "checked", checked));
	}
	/* Codes asked for that are not among the checkboxes stay in the search. */
	for (i = 0; i < q->ntypes; i++) {
		size_t k;
		for (k = 0; k < sizeof(common_types) / sizeof(common_types[0]); k++)
			if (strcmp(q->types[i], common_types[k]) == 0)
				break;
		if (k == sizeof(common_types) / sizeof(common_types[0])) {
			char key[64];
			const char *name;
			snprintf(key, sizeof(key), "meetings.types.%s", q->types[i]);
			name = i18n_get(c->lang, key);
			json_array_append_new(types, json_pack("{s:s, s:s, s:s, s:b}",
			    "code", q->types[i], "id", arena_printf(c->a, "type-x%zu", i),
			    "name", strcmp(name, key) ? name : q->types[i], "checked", 1));
		}
	}
	json_object_set_new(f, "types", types);
	/* Regions present in the list, for a select (a text box when there are many). */
	seen = arena_alloc(c->a, (s->n + 1) * sizeof(char *));
	for (i = 0; i < s->n && nseen <= 60; i++) {
		const char *r = s->items[i].m->region;
		size_t k;
		if (r == NULL || !s->items[i].listed)
			continue;
		for (k = 0; k < nseen && strcmp(seen[k], r) != 0; k++)
			;
		if (k == nseen)
			seen[nseen++] = r;
	}
	if (nseen <= 60) {
		for (i = 0; i < nseen; i++) {
			char *f1 = arena_alloc(c->a, strlen(seen[i]) + 1);
			meeting_fold(seen[i], f1, strlen(seen[i]) + 1);
			json_array_append_new(regions, json_pack("{s:s, s:b}", "name", seen[i],
			    "selected", q->region != NULL && strcmp(f1, q->region) == 0));
		}
		json_object_set_new(f, "region_select", json_true());
	}
	json_object_set_new(f, "regions", regions);
	json_object_set_new(f, "q", json_string(q->raw_q ? q->raw_q : ""));
	json_object_set_new(f, "region", json_string(q->raw_region ? q->raw_region : ""));
	json_object_set_new(f, "near", json_string(q->raw_near ? q->raw_near : ""));
	json_object_set_new(f, "radius_km", json_string(q->raw_radius ? q->raw_radius : ""));
	json_object_set_new(f, "near_open", json_boolean(q->near || q->raw_radius));
	return f;
}

void
h_meetings_finder(struct ctx *c)
{
	struct finder_query q;
	const struct finder_snapshot *s;
	const char *bad = NULL, *qs, *pg = params_get(&c->query, "page");
	json_t *form_data;
	json_t *d, *results, *errors = json_object();
	size_t i, matched = 0, page = 1, pages, shown = 0;
	uint64_t v;
	int status = 200;

	if (pg != NULL && str_to_u64(str_c(pg), 10000, &v) && v > 0)
		page = (size_t)v;
	{
		/*
		 * A bad value is named beside its field; the other filters keep
		 * their values and still apply, so nothing typed is lost.
		 */
		struct params rest = c->query;
		int tries;

		for (tries = 0; tries < 12 && !finder_parse(c->a, &rest, &q, &bad); tries++) {
			char key[64];
			struct param *kept = arena_alloc(c->a, (rest.n + 1) * sizeof(*kept));
			size_t k, n = 0;

			snprintf(key, sizeof(key), "meetings.errors.%s", bad);
			json_object_set_new(errors, bad, json_string(i18n_get(c->lang, key)));
			status = 422;
			for (k = 0; k < rest.n; k++)
				if (strcmp(rest.items[k].name, bad) != 0 &&
				    !(strcmp(bad, "region") == 0 && strcmp(rest.items[k].name, "city") == 0))
					kept[n++] = rest.items[k];
			rest.items = kept;
			rest.n = n;
		}
		if (tries == 12)
			memset(&q, 0, sizeof(q));
	}
	if ((s = finder_acquire(c->db)) == NULL) {
		json_decref(errors);
		respond_error(c, 503, "unavailable", "errors.503.message", NULL);
		return;
	}
	results = json_array();
	for (i = 0; i < s->n; i++) {
		if (!finder_match(&s->items[i], &q, c->now))
			continue;
		matched++;
		if (matched > (page - 1) * PAGE_SIZE && shown < PAGE_SIZE) {
			json_array_append_new(results, meeting_card(c, &s->items[i], c->now));
			shown++;
		}
	}
	pages = matched ? (matched + PAGE_SIZE - 1) / PAGE_SIZE : 1;
	qs = query_without_page(c);
	{
		/* What was typed into a text box stays there, beside its error. */
		static const char *const typed[] = { "q", "near", "radius_km", "region" };
		json_t *form = finder_form(c, &q, s);
		size_t k;

		for (k = 0; k < sizeof(typed) / sizeof(typed[0]); k++) {
			const char *v = params_get(&c->query, typed[k]);
			if (json_object_get(errors, typed[k]) != NULL && v != NULL)
				json_object_set_new(form, typed[k], json_string(v));
		}
		if (json_object_get(errors, "near") || json_object_get(errors, "radius_km"))
			json_object_set_new(form, "near_open", json_true());
		form_data = form;
	}
	d = json_pack("{s:o, s:o, s:o, s:i, s:b, s:b}", "form", form_data,
	    "results", results, "errors", errors, "count", (json_int_t)matched,
	    "has_results", shown > 0, "searched", q.any);
	json_object_set_new(d, "count_text", json_string(ctx_tr(c, matched == 1 ?
	    "meetings.finder.count_one" : "meetings.finder.count", json_pack("{s:i}", "count",
	    (json_int_t)matched))));
	if (pages > 1) {
		json_object_set_new(d, "pager", json_pack("{s:s, s:n, s:n}", "text", ctx_tr(c,
		    "meetings.finder.page_of", json_pack("{s:i, s:i}", "page", (json_int_t)page,
		    "pages", (json_int_t)pages)), "prev", "next"));
		if (page > 1)
			json_object_set_new(json_object_get(d, "pager"), "prev", json_string(
			    arena_printf(c->a, "/meetings?%s%spage=%zu", qs, *qs ? "&" : "", page - 1)));
		if (page < pages)
			json_object_set_new(json_object_get(d, "pager"), "next", json_string(
			    arena_printf(c->a, "/meetings?%s%spage=%zu", qs, *qs ? "&" : "", page + 1)));
	}
	json_object_set_new(d, "feed_url", json_string(arena_printf(c->a,
	    "/api/v1/meetings.json%s%s", *qs ? "?" : "", qs)));
	json_object_set_new(d, "ics_url", json_string(arena_printf(c->a,
	    "/api/v1/meetings.ics%s%s", *qs ? "?" : "", qs)));
	if (status != 200)
		json_object_set_new(d, "error", json_string(i18n_get(c->lang,
		    "meetings.errors.form")));
	finder_release(s);
	respond_page(c, status, "meetings/finder", "meetings.title", d);
}

/* ---- one meeting ---- */

/* The meeting as the API shows it: the feed's object plus Circles' own fields. */
static json_t *
meeting_api_json(const struct meeting *m, const struct finder_item *it, int64_t now)
{
	struct buf b = BUF_INIT;
	json_t *j, *arr;
	size_t i;
	unsigned bit;

	mg_write_meeting(&b, m);
	j = json_loadb(b.data, b.len, 0, NULL);
	buf_free(&b);
	if (j == NULL)
		return json_object();
	json_object_set_new(j, "attendance_option", json_string(meeting_attendance_token(m->attendance)));
	json_object_set_new(j, "temporarily_closed", json_boolean(m->temporarily_closed));
	json_object_set_new(j, "schedule", json_string(meeting_kind_token(m->sched.kind)));
	if (m->sched.kind == SCHED_MONTHLY || m->sched.kind == SCHED_ONCE) {
		char hm[6];
		int end = m->sched.end_min >= 0 ? m->sched.end_min :
		    (m->sched.start_min + SCHED_DEFAULT_MINUTES) % 1440;
		schedule_format_hhmm(m->sched.start_min, hm);
		json_object_set_new(j, "time", json_string(hm));
		schedule_format_hhmm(end, hm);
		json_object_set_new(j, "end_time", json_string(hm));
	}
	if (m->sched.kind == SCHED_MONTHLY) {
		arr = json_array();
		for (i = 0; i < 5; i++)
			if (m->sched.weeks & (1u << i))
				json_array_append_new(arr, json_integer((json_int_t)i + 1));
		if (m->sched.weeks & SCHED_WEEK_LAST)
			json_array_append_new(arr, json_integer(-1));
		json_object_set_new(j, "weeks", arr);
		json_object_set_new(j, "day", json_integer(__builtin_ctz(m->sched.days | 0x80)));
	}
	if (m->sched.kind == SCHED_ONCE)
		json_object_set_new(j, "date", json_sprintf("%04d-%02d-%02d", m->sched.once_y,
		    m->sched.once_m, m->sched.once_d));
	arr = json_array();
	for (i = 0; i < m->nlanguages; i++)
		json_array_append_new(arr, json_string(m->languages[i]));
	json_object_set_new(j, "languages", arr);
	arr = json_array();
	for (bit = 1; bit < (1u << ACCESS_COUNT); bit <<= 1)
		if (m->access & bit)
			json_array_append_new(arr, json_string(meeting_access_token(bit)));
	json_object_set_new(j, "accessibility", arr);
	if (m->transit_notes)
		json_object_set_new(j, "transit_notes", json_string(m->transit_notes));
	if (m->circle_id)
		json_object_set_new(j, "circle_id", json_integer(m->circle_id));
	if (it != NULL && it->tz != NULL) {
		struct occurrence o[UPCOMING_SHOWN];
		size_t n = schedule_next(&m->sched, it->tz, it->ex, it->nex, now, UPCOMING_SHOWN,
		    SCHED_INCLUDE_CANCELLED, o);
		char t1[20], t2[20];

		arr = json_array();
		for (i = 0; i < n; i++) {
			json_t *e;
			meeting_format_utc(o[i].start, t1);
			meeting_format_utc(o[i].end, t2);
			t1[10] = t2[10] = 'T';
			e = json_pack("{s:s+, s:s+, s:s, s:b, s:b}", "start", t1, "Z", "end", t2, "Z",
			    "date", "", "cancelled", o[i].cancelled, "moved", o[i].moved);
			json_object_set_new(e, "date", json_sprintf("%04d-%02d-%02d", o[i].y,
			    o[i].m, o[i].d));
			if (o[i].moved)
				json_object_set_new(e, "moved_from", json_sprintf("%04d-%02d-%02d",
				    o[i].orig_y, o[i].orig_m, o[i].orig_d));
			json_array_append_new(arr, e);
		}
		json_object_set_new(j, "upcoming", arr);
	}
	return j;
}

void
h_api_meeting(struct ctx *c)
{
	const struct finder_snapshot *s = finder_acquire(c->db);
	long idx;

	if (s == NULL) {
		respond_error(c, 503, "unavailable", "errors.503.message", NULL);
		return;
	}
	idx = finder_find_slug(s, c->param[0]);
	if (idx < 0) {
		finder_release(s);
		respond_error(c, 404, "not_found", "errors.404.message", NULL);
		return;
	}
	respond_json(c, 200, meeting_api_json(s->items[idx].m, &s->items[idx], c->now));
	finder_release(s);
}

static json_t *
access_list(struct ctx *c, const struct meeting *m)
{
	json_t *arr = json_array();
	unsigned bit;

	for (bit = 1; bit < (1u << ACCESS_COUNT); bit <<= 1)
		if (m->access & bit)
			json_array_append_new(arr, json_pack("{s:s}", "name",
			    ctx_trk(c, "meetings.access.%s", meeting_access_token(bit))));
	return arr;
}

void
h_meeting_page(struct ctx *c)
{
	const struct finder_snapshot *s;
	const struct finder_item *it;
	const struct meeting *m;
	const char *slug = c->param[0];
	size_t len = strlen(slug), i, n;
	struct occurrence o[UPCOMING_SHOWN];
	json_t *d, *upcoming;
	char t[20];
	long idx;

	if (len > 4 && strcmp(slug + len - 4, ".ics") == 0) {
		meetings_ics_one(c, arena_strndup(c->a, slug, len - 4));
		return;
	}
	if ((s = finder_acquire(c->db)) == NULL) {
		respond_error(c, 503, "unavailable", "errors.503.message", NULL);
		return;
	}
	if ((idx = finder_find_slug(s, slug)) < 0) {
		finder_release(s);
		respond_error(c, 404, "not_found", "errors.404.message", NULL);
		return;
	}
	it = &s->items[idx];
	m = it->m;
	d = meeting_card(c, it, c->now);
	json_object_set_new(d, "title", json_string(m->name));
	json_object_set_new(d, "closed", json_boolean(m->temporarily_closed));
	json_object_set_new(d, "access", access_list(c, m));
	json_object_set_new(d, "has_access", json_boolean(m->access != 0));
	json_object_set_new(d, "has_languages", json_boolean(m->nlanguages > 0));
	json_object_set_new(d, "has_types", json_boolean(json_array_size(json_object_get(d,
	    "types")) > 0));
	json_object_set_new(d, "notes", paragraphs(m->notes));
	json_object_set_new(d, "has_notes", json_boolean(m->notes != NULL));
	json_object_set_new(d, "location_notes", paragraphs(m->location_notes));
	json_object_set_new(d, "has_location_notes", json_boolean(m->location_notes != NULL));
	json_object_set_new(d, "transit_notes", paragraphs(m->transit_notes));
	json_object_set_new(d, "has_transit_notes", json_boolean(m->transit_notes != NULL));
	json_object_set_new(d, "online_notes", paragraphs(m->conference_url_notes));
	json_object_set_new(d, "phone_notes", paragraphs(m->conference_phone_notes));
	json_object_set_new(d, "conference_url", str_or_null(m->conference_url));
	json_object_set_new(d, "conference_phone", str_or_null(m->conference_phone));
	json_object_set_new(d, "source_url", str_or_null(m->url));
	json_object_set_new(d, "group", str_or_null(m->group));
	json_object_set_new(d, "sub_region", str_or_null(m->sub_region));
	json_object_set_new(d, "coords", json_null());
	json_object_set_new(d, "map_url", json_null());
	if (m->has_coords) {
		json_object_set_new(d, "coords", json_sprintf("%.5f, %.5f", it->lat, it->lon));
		json_object_set_new(d, "map_url", json_sprintf(
		    "https://www.openstreetmap.org/?mlat=%.5f&mlon=%.5f#map=17/%.5f/%.5f",
		    it->lat, it->lon, it->lat, it->lon));
	}
	json_object_set_new(d, "tz_note", json_string(ctx_tr(c, "meetings.meeting.tz_note",
	    json_pack("{s:s}", "zone", m->timezone))));
	meeting_format_utc(m->updated, t);
	json_object_set_new(d, "updated", json_string(ctx_tr(c, "meetings.meeting.updated",
	    json_pack("{s:s}", "date", ctx_tr(c, "meetings.date_year", json_pack("{s:s, s:i, s:i}",
	    "month", ctx_trk(c, "meetings.months.%d", (int)strtol(t + 5, NULL, 10)),
	    "day", (int)strtol(t + 8, NULL, 10), "year", (int)strtol(t, NULL, 10)))))));
	upcoming = json_array();
	n = it->tz ? schedule_next(&m->sched, it->tz, it->ex, it->nex, c->now, UPCOMING_SHOWN,
	    SCHED_INCLUDE_CANCELLED, o) : 0;
	for (i = 0; i < n && !m->temporarily_closed; i++) {
		json_t *e = json_pack("{s:s, s:s, s:b, s:b}", "date", date_label(c, o[i].y, o[i].m,
		    o[i].d), "time", ctx_tr(c, "meetings.time_range", json_pack("{s:s, s:s}", "start",
		    hhmm(c, o[i].start_min), "end", hhmm(c, o[i].end_min))),
		    "cancelled", o[i].cancelled, "moved", o[i].moved);
		if (o[i].moved)
			json_object_set_new(e, "moved_from", json_string(ctx_tr(c,
			    "meetings.meeting.moved_from", json_pack("{s:s}", "date",
			    date_label(c, o[i].orig_y, o[i].orig_m, o[i].orig_d)))));
		json_array_append_new(upcoming, e);
	}
	json_object_set_new(d, "upcoming", upcoming);
	json_object_set_new(d, "has_upcoming", json_boolean(json_array_size(upcoming) > 0));
	json_object_set_new(d, "ics_url", json_string(arena_printf(c->a, "/meetings/%s.ics",
	    ctx_url_segment(c, m->slug))));
	json_object_set_new(d, "json_url", json_string(arena_printf(c->a, "/api/v1/meetings/%s",
	    ctx_url_segment(c, m->slug))));
	finder_release(s);
	respond_page(c, 200, "meetings/meeting", NULL, d);
}

/* ---- coordinators: adding, changing, removing meetings ---- */

static void
meeting_error(struct ctx *c, const char *reason, const char *field)
{
	char key[80];
	int status = 422;

	snprintf(key, sizeof(key), "meetings.import.reasons.%s", reason);
	respond_error(c, status, strcmp(reason, "slug_duplicate") == 0 ? "conflict" :
	    "invalid_field", key, field);
}

/* A text field the request gave (a non-blank string or a number). */
static bool
given(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	if (json_is_string(v))
		return str_trim(str_c(json_string_value(v))).len > 0;
	return json_is_number(v);
}

int
meetings_check_object(struct ctx *c, json_t *obj, int64_t id, struct meeting *m,
    const char **reason, const char **field)
{
	struct mg_options opt = { .default_timezone = NULL, .now = c->now };
	const char *kind_s = json_string_value(json_object_get(obj, "schedule"));
	json_t *cv = json_object_get(obj, "circle_id");

	if (!mg_parse_meeting(c->a, obj, &opt, true, m, reason, field, NULL, NULL))
		return 1;
	/*
	 * Feeds are read tolerantly (a bad end time or link is dropped); a
	 * coordinator writing one meeting is told instead, so nothing typed
	 * is lost without a word.
	 */
	*reason = "field_invalid";
	if (kind_s != NULL && m->sched.kind == SCHED_APPOINTMENT &&
	    strcmp(kind_s, "appointment") != 0) {
		*reason = given(obj, "time") ? "day_missing" : "time_missing";
		*field = given(obj, "time") ? (strcmp(kind_s, "weekly") == 0 ? "day" : "schedule") :
		    "time";
		return 1;
	}
	if (given(obj, "end_time") && m->sched.start_min >= 0 &&
	    mg_parse_time(json_string_value(json_object_get(obj, "end_time"))) < 0) {
		*reason = "time_invalid";
		*field = "end_time";
		return 1;
	}
	if ((given(obj, "latitude") || given(obj, "longitude")) && !m->has_coords) {
		*field = given(obj, "latitude") ? "latitude" : "longitude";
		return 1;
	}
	if (given(obj, "conference_url") && m->conference_url == NULL) {
		*field = "conference_url";
		return 1;
	}
	if (given(obj, "conference_phone") && m->conference_phone == NULL) {
		*field = "conference_phone";
		return 1;
	}
	if (cv != NULL && !json_is_null(cv)) {
		struct db_rows *r;
		bool found;

		if (!json_is_integer(cv) || json_integer_value(cv) <= 0) {
			*field = "circle_id";
			return 1;
		}
		/* A circle the meeting already had is kept as it is, even if it is gone. */
		if ((r = db_query(c->db, "SELECT 1 FROM circles WHERE id = ? UNION ALL "
		    "SELECT 1 FROM meetings WHERE id = ? AND circle_id = ?",
		    DB_I(json_integer_value(cv)), DB_I(id), DB_I(json_integer_value(cv)))) == NULL)
			return -1;
		found = db_rows_count(r) > 0;
		db_rows_free(r);
		if (!found) {
			*field = "circle_id";
			return 1;
		}
	}
	*reason = NULL;
	*field = NULL;
	return 0;
}

int
meetings_store_object(struct ctx *c, json_t *obj, int64_t id, struct meeting *m,
    const char **reason, const char **field)
{
	int64_t rid;
	int rc = meetings_check_object(c, obj, id, m, reason, field);

	if (rc != 0)
		return rc;
	if (json_object_get(obj, "slug") == NULL && id == 0 &&
	    (m->slug = meetings_free_slug(c->db, c->a, m->name)) == NULL)
		return -1;
	if (json_object_get(obj, "updated") == NULL)
		m->updated = c->now;
	m->id = id;
	if (db_begin(c->db) == -1)
		return -1;
	rid = meetings_save(c->db, m, c->now);
	if (rid == 0) {
		db_rollback(c->db);
		*reason = "slug_taken";
		*field = "slug";
		return 2;
	}
	if (rid < 0 || db_commit(c->db) == -1) {
		db_rollback(c->db);
		return -1;
	}
	return 0;
}

/* The API's answer to meetings_store_object; true when saved. */
static bool
save_meeting(struct ctx *c, json_t *obj, int64_t id, struct meeting *m)
{
	const char *reason, *field;

	switch (meetings_store_object(c, obj, id, m, &reason, &field)) {
	case 0:
		return true;
	case 1:
		meeting_error(c, reason, field);
		return false;
	case 2:
		respond_error(c, 409, "slug_taken", "meetings.errors.slug_taken", "slug");
		return false;
	default:
		respond_error(c, 503, "unavailable", "errors.503.message", NULL);
		return false;
	}
}

json_t *
meetings_merge(const struct meeting *old, json_t *changes, int64_t now)
{
	json_t *merged = meeting_api_json(old, NULL, now), *v;
	const char *k;

	json_object_del(merged, "updated");
	json_object_foreach(changes, k, v) {
		if (json_is_null(v))
			json_object_del(merged, k);
		else
			json_object_set(merged, k, v);
	}
	return merged;
}

static void
answer_meeting(struct ctx *c, int status, const char *slug)
{
	const struct finder_snapshot *s = finder_acquire(c->db);
	long idx = s ? finder_find_slug(s, slug) : -1;

	if (idx < 0) {
		finder_release(s);
		respond_error(c, 503, "unavailable", "errors.503.message", NULL);
		return;
	}
	respond_json(c, status, meeting_api_json(s->items[idx].m, &s->items[idx], c->now));
	finder_release(s);
}

void
h_api_meeting_create(struct ctx *c)
{
	struct meeting m;

	if (c->json == NULL) {
		respond_error(c, 400, "malformed_json", "errors.400.message", NULL);
		return;
	}
	if (!save_meeting(c, c->json, 0, &m))
		return;
	answer_meeting(c, 201, m.slug);
}

void
h_api_meeting_update(struct ctx *c)
{
	struct meeting *old = meetings_get(c->db, c->a, c->param[0]), m;
	json_t *merged;
	bool ok;

	if (old == NULL) {
		respond_error(c, 404, "not_found", "errors.404.message", NULL);
		return;
	}
	if (c->json == NULL) {
		respond_error(c, 400, "malformed_json", "errors.400.message", NULL);
		return;
	}
	/* PATCH: the fields sent replace the meeting's; null clears one. */
	merged = meetings_merge(old, c->json, c->now);
	if (json_object_get(c->json, "attendance_option") == NULL &&
	    (json_object_get(c->json, "conference_url") != NULL ||
	    json_object_get(c->json, "conference_phone") != NULL))
		json_object_del(merged, "attendance_option");	/* recompute from the links */
	ok = save_meeting(c, merged, old->id, &m);
	json_decref(merged);
	if (ok)
		answer_meeting(c, 200, m.slug);
}

void
h_api_meeting_delete(struct ctx *c)
{
	struct meeting *m = meetings_get(c->db, c->a, c->param[0]);

	if (m == NULL) {
		respond_error(c, 404, "not_found", "errors.404.message", NULL);
		return;
	}
	if (db_begin(c->db) == -1 || meetings_delete(c->db, m->id, c->now) != 1 ||
	    db_commit(c->db) == -1) {
		db_rollback(c->db);
		respond_error(c, 503, "unavailable", "errors.503.message", NULL);
		return;
	}
	respond_empty(c, 204);
}

bool
meetings_read_exception(struct ctx *c, const struct meeting *m, struct sched_exception *ex,
    const char **note, const char **field, const char **key)
{
	const char *date = ctx_field(c, "date"), *status = ctx_field(c, "status");
	const char *nd = ctx_field(c, "new_date"), *nt = ctx_field(c, "new_time");
	const char *ne = ctx_field(c, "new_end_time");

#define BAD(f, k)	do { *field = (f); *key = (k); return false; } while (0)
	memset(ex, 0, sizeof(*ex));
	ex->new_start_min = ex->new_end_min = -1;
	*note = meeting_text(c->a, ctx_field(c, "note"));
	/* An empty box in a form is the same as a field not sent. */
	nt = meeting_text(c->a, nt);
	ne = meeting_text(c->a, ne);
	if (!schedule_parse_date(date, &ex->y, &ex->m, &ex->d) ||
	    !schedule_on_date(&m->sched, ex->y, ex->m, ex->d))
		BAD("date", "meetings.errors.session_date");
	if (status == NULL || (strcmp(status, "cancelled") != 0 && strcmp(status, "moved") != 0))
		BAD("status", "meetings.errors.status");
	ex->cancelled = strcmp(status, "cancelled") == 0;
	if (!ex->cancelled) {
		if (!schedule_parse_date(nd, &ex->new_y, &ex->new_m, &ex->new_d))
			BAD("new_date", "meetings.errors.new_date");
		if (nt != NULL && (ex->new_start_min = mg_parse_time(nt)) < 0)
			BAD("new_time", "meetings.errors.time");
		if (ne != NULL && (ex->new_end_min = mg_parse_time(ne)) < 0)
			BAD("new_end_time", "meetings.errors.time");
		if (ex->new_start_min < 0 && ex->new_end_min >= 0)
			BAD("new_time", "meetings.errors.time");
	}
	if (*note != NULL && strlen(*note) > NOTE_MAX)
		BAD("note", "meetings.errors.note");
#undef BAD
	return true;
}

void
h_api_meeting_exception(struct ctx *c)
{
	struct meeting *m = meetings_get(c->db, c->a, c->param[0]);
	struct sched_exception ex;
	const char *note, *field, *key;

	if (m == NULL) {
		respond_error(c, 404, "not_found", "errors.404.message", NULL);
		return;
	}
	if (c->json == NULL) {
		respond_error(c, 400, "malformed_json", "errors.400.message", NULL);
		return;
	}
	if (!meetings_read_exception(c, m, &ex, &note, &field, &key)) {
		respond_error(c, 422, "invalid_field", key, field);
		return;
	}
	if (meetings_set_exception(c->db, m->id, &ex, note, c->now) == -1) {
		respond_error(c, 503, "unavailable", "errors.503.message", NULL);
		return;
	}
	answer_meeting(c, 201, m->slug);
}

void
h_api_meeting_exception_delete(struct ctx *c)
{
	struct meeting *m = meetings_get(c->db, c->a, c->param[0]);
	int y, mo, d, n;

	if (m == NULL || !schedule_parse_date(c->param[1], &y, &mo, &d)) {
		respond_error(c, 404, "not_found", "errors.404.message", NULL);
		return;
	}
	if ((n = meetings_clear_exception(c->db, m->id, y, mo, d, c->now)) < 0) {
		respond_error(c, 503, "unavailable", "errors.503.message", NULL);
		return;
	}
	if (n == 0) {
		respond_error(c, 404, "not_found", "errors.404.message", NULL);
		return;
	}
	respond_empty(c, 204);
}

/* ---- importing feeds ---- */

struct import_outcome {
	struct mg_feed			 feed;
	struct meetings_import_counts	 counts;
	int				 rc;	/* 0 done; -1 feed unreadable; -2 database */
};

static void
run_import(struct ctx *c, const char *data, size_t len, const char *tzname,
    struct import_outcome *out)
{
	struct mg_options opt = { .default_timezone = tzname, .now = c->now };

	memset(out, 0, sizeof(*out));
	if (mg_parse_any(c->a, data, len, &opt, &out->feed) == -1) {
		out->rc = -1;
		return;
	}
	if (out->feed.n == 0) {
		out->rc = 0;
		return;
	}
	if (meetings_import(c->db, c->a, &out->feed, c->now, &out->counts) == -1)
		out->rc = -2;
}

static json_t *
report_json(struct ctx *c, const struct import_outcome *o, bool translated)
{
	json_t *rej = json_array(), *unk = json_array();
	size_t i;

	for (i = 0; i < o->feed.nrejected; i++) {
		const struct mg_rejection *r = &o->feed.rejected[i];
		json_t *e = json_pack("{s:i, s:s?, s:s?, s:s, s:s?}", "index", (json_int_t)r->index,
		    "slug", r->slug, "name", r->name, "reason", r->reason, "field", r->field);
		if (translated)
			json_object_set_new(e, "reason_text", json_string(ctx_trk(c,
			    "meetings.import.reasons.%s", r->reason)));
		json_array_append_new(rej, e);
	}
	for (i = 0; i < o->feed.nunknown; i++)
		json_array_append_new(unk, json_pack("{s:s, s:i}", "code", o->feed.unknown[i].code,
		    "count", (json_int_t)o->feed.unknown[i].count));
	return json_pack("{s:b, s:b, s:i, s:i, s:i, s:i, s:i, s:o, s:o, s:i, s:i}",
	    "has_rejections", o->feed.nrejected > 0, "has_unknown", o->feed.nunknown > 0,
	    "read", (json_int_t)o->feed.total, "added", (json_int_t)o->counts.added,
	    "updated", (json_int_t)o->counts.updated, "unchanged", (json_int_t)o->counts.unchanged,
	    "rejected", (json_int_t)o->feed.nrejected, "rejections", rej, "unknown_types", unk,
	    "links_from_notes", (json_int_t)o->feed.links_from_notes,
	    "html_cleaned", (json_int_t)o->feed.html_cleaned);
}

void
h_api_meetings_import(struct ctx *c)
{
	struct import_outcome o;
	const char *tzname = params_get(&c->query, "timezone");

	if (c->req->body_len == 0) {
		respond_error(c, 422, "invalid_field", "meetings.import.reasons.empty", "body");
		return;
	}
	if (tzname != NULL && tz_canonical(tzname) == NULL) {
		respond_error(c, 422, "invalid_field", "meetings.import.reasons.timezone_unknown",
		    "timezone");
		return;
	}
	run_import(c, c->req->body, c->req->body_len, tzname, &o);
	if (o.rc == -1) {
		char key[80];
		snprintf(key, sizeof(key), "meetings.import.reasons.%s", o.feed.error);
		respond_error(c, 422, "unreadable_feed", key, "body");
		return;
	}
	if (o.rc == -2) {
		respond_error(c, 503, "unavailable", "errors.503.message", NULL);
		return;
	}
	if (o.feed.n == 0) {
		json_t *r = report_json(c, &o, false);
		json_object_set_new(r, "error", json_pack("{s:s, s:s}", "code", "nothing_imported",
		    "message", i18n_get(c->lang, "meetings.import.nothing")));
		respond_json(c, 422, r);
		return;
	}
	respond_json(c, 200, report_json(c, &o, false));
}

static json_t *
import_page(struct ctx *c, const char *tzname)
{
	(void)c;
	return json_pack("{s:s, s:o}", "timezone", tzname ? tzname : "", "errors", json_object());
}

void
h_meetings_import_form(struct ctx *c)
{
	respond_page(c, 200, "meetings/import", "meetings.import.title", import_page(c, NULL));
}

void
h_meetings_import_submit(struct ctx *c)
{
	struct mp_part parts[8];
	struct params form;
	const char *ct = ctx_header(c, "content-type"), *token = NULL, *tzname = NULL;
	const char *data = NULL;
	size_t len = 0;
	struct import_outcome o;
	json_t *d;
	int n;

	memset(&form, 0, sizeof(form));
	if (ct != NULL && strncasecmp(ct, "multipart/form-data", 19) == 0) {
		const struct mp_part *p;
		n = multipart_parse(c->a, ct, c->req->body, c->req->body_len, parts, 8);
		if (n < 0) {
			respond_error(c, 400, "malformed_form", "errors.400.message", NULL);
			return;
		}
		if ((p = multipart_get(parts, n, "csrf_token")) != NULL)
			token = arena_strndup(c->a, p->data, p->len);
		if ((p = multipart_get(parts, n, "timezone")) != NULL)
			tzname = meeting_text(c->a, arena_strndup(c->a, p->data, p->len));
		if ((p = multipart_get(parts, n, "file")) != NULL && p->len > 0) {
			data = p->data;
			len = p->len;
		} else if ((p = multipart_get(parts, n, "feed")) != NULL && p->len > 0) {
			data = p->data;
			len = p->len;
		}
	} else if (ct != NULL && strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0) {
		if (!params_parse_urlencoded(c->a, (struct str){ c->req->body, c->req->body_len },
		    &form)) {
			respond_error(c, 400, "malformed_form", "errors.400.message", NULL);
			return;
		}
		token = params_get(&form, "csrf_token");
		tzname = meeting_text(c->a, params_get(&form, "timezone"));
		if ((data = params_get(&form, "feed")) != NULL)
			len = strlen(data);
	} else if (c->req->body_len > 0) {
		respond_error(c, 415, "unsupported_media_type", "errors.415.message", NULL);
		return;
	}
	/* This route reads its own body, so it checks the form's CSRF token itself. */
	if (token == NULL || c->csrf_token == NULL || strlen(token) != strlen(c->csrf_token) ||
	    !crypto_equal(token, c->csrf_token, strlen(token))) {
		respond_error(c, 403, "csrf", "errors.csrf", NULL);
		return;
	}
	d = import_page(c, tzname);
	if (tzname != NULL && tz_canonical(tzname) == NULL) {
		json_object_set_new(json_object_get(d, "errors"), "timezone", json_string(
		    i18n_get(c->lang, "meetings.import.reasons.timezone_unknown")));
		respond_page(c, 422, "meetings/import", "meetings.import.title", d);
		return;
	}
	if (data == NULL || len == 0 || str_trim((struct str){ data, len }).len == 0) {
		json_object_set_new(json_object_get(d, "errors"), "feed", json_string(
		    i18n_get(c->lang, "meetings.import.reasons.empty")));
		respond_page(c, 422, "meetings/import", "meetings.import.title", d);
		return;
	}
	run_import(c, data, len, tzname, &o);
	if (o.rc == -2) {
		json_decref(d);
		respond_error(c, 503, "unavailable", "errors.503.message", NULL);
		return;
	}
	if (o.rc == -1) {
		json_object_set_new(json_object_get(d, "errors"), "feed", json_string(ctx_trk(c,
		    "meetings.import.reasons.%s", o.feed.error)));
		respond_page(c, 422, "meetings/import", "meetings.import.title", d);
		return;
	}
	json_object_set_new(d, "report", report_json(c, &o, true));
	if (o.feed.n == 0)
		json_object_set_new(d, "error", json_string(i18n_get(c->lang,
		    "meetings.import.nothing")));
	respond_page(c, o.feed.n == 0 ? 422 : 200, "meetings/import", "meetings.import.title", d);
}

/* ---- iCalendar ---- */

/* The host part of the public URL, for UIDs ("meeting-<slug>@host"). */
static const char *
uid_domain(struct ctx *c)
{
	const char *u = c->cfg->public_url, *p = strstr(u ? u : "", "://"), *e;

	if (p == NULL)
		return "circles.invalid";
	p += 3;
	e = p + strcspn(p, ":/");
	return e > p ? arena_strndup(c->a, p, (size_t)(e - p)) : "circles.invalid";
}

/*
 * Which meetings a calendar holds: one (only >= 0), a circle's open
 * meetings (circle_id > 0, with the circle's name as the calendar's), or
 * those passing a finder query.
 */
struct cal_filter {
	const struct finder_query	*q;
	long				 only;
	int64_t				 circle_id;
	const char			*title;
	/* a member's own calendar (meetings_ics_personal) */
	const struct meetings_personal	*own;	/* its circles and meetings, or NULL */
};

/* True if id is among the n sorted ids (binary search: called once per meeting). */
static bool
id_listed(const int64_t *ids, size_t n, int64_t id)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ids[mid] == id)
			return true;
		if (ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static bool
cal_wants(struct ctx *c, const struct cal_filter *f, const struct finder_item *it, long i)
{
	if (f->only >= 0)
		return i == f->only;
	if (f->circle_id > 0)
		return it->m->circle_id == f->circle_id && it->listed;
	if (f->own != NULL)
		return it->listed && ((it->m->circle_id > 0 && id_listed(f->own->circles,
		    f->own->ncircles, it->m->circle_id)) || id_listed(f->own->meetings,
		    f->own->nmeetings, it->m->id));
	return finder_match(it, f->q, c->now);
}

/* Write the calendar of the items f picks. */
static void
write_calendar(struct ctx *c, const struct finder_snapshot *s, const struct cal_filter *f,
    struct buf *out)
{
	const struct tz **zones = arena_zalloc(c->a, (s->n + 1) * sizeof(*zones));
	struct ical_event_opts opt = { uid_domain(c), NULL, s->changed_at };
	size_t nz = 0, i, k;

	ical_begin(out, f->only >= 0 ? s->items[f->only].m->name : f->title ? f->title :
	    i18n_get(c->lang, "meetings.ics.calendar_name"));
	for (i = 0; i < s->n; i++) {
		const struct finder_item *it = &s->items[i];
		if (it->tz == NULL || it->m->sched.kind == SCHED_APPOINTMENT ||
		    !cal_wants(c, f, it, (long)i))
			continue;
		for (k = 0; k < nz && zones[k] != it->tz; k++)
			;
		if (k == nz) {
			zones[nz++] = it->tz;
			ical_timezone(out, it->tz);
		}
	}
	for (i = 0; i < s->n; i++) {
		const struct finder_item *it = &s->items[i];
		if (it->tz == NULL || !cal_wants(c, f, it, (long)i))
			continue;
		opt.url = arena_printf(c->a, "%s/meetings/%s", c->cfg->public_url,
		    ctx_url_segment(c, it->m->slug));
		ical_meeting(out, it->m, it->ex, it->nex, &opt);
	}
	ical_end(out);
}

/*
 * Send a calendar with validators and, when asked, gzip.  A member's own
 * calendar (f->own) is built each time and never kept: it would crowd the
 * shared feeds out of the snapshot's few slots.
 */
static void
send_calendar(struct ctx *c, const struct finder_snapshot *s, const struct cal_filter *f,
    const char *cache_key, int64_t lm)
{
	char etag[96];
	uint64_t key = fnv64(cache_key);
	bool gz = wants_gzip(c), keep = f->own == NULL;
	struct buf cal = BUF_INIT;

	snprintf(etag, sizeof(etag), "\"ics%lld-%016llx%s\"", (long long)s->version,
	    (unsigned long long)key, gz ? "-gz" : "");
	if (feed_validators(c, etag, lm))
		return;
	c->resp->status = 200;
	buf_reset(&c->resp->body);
	if (keep && gz && finder_gzip(s, key, true, NULL, 0, c->resp)) {
		http_response_header(c->resp, "Content-Encoding", "gzip");
	} else if (keep && !gz && finder_body_lend(s, cache_key, c->resp)) {
		;	/* kept from an earlier request */
	} else {
		write_calendar(c, s, f, &cal);
		if (keep && (f->q == NULL || !f->q->when))
			finder_body_put(s, cache_key, cal.data, cal.len);
		if (gz && finder_gzip(s, key, keep, cal.data, cal.len, c->resp))
			http_response_header(c->resp, "Content-Encoding", "gzip");
		else {
			buf_reset(&c->resp->body);
			buf_append(&c->resp->body, cal.data, cal.len);
		}
	}
	buf_free(&cal);
	http_response_header(c->resp, "Content-Type", "text/calendar; charset=utf-8");
}

void
h_api_meetings_ics(struct ctx *c)
{
	struct finder_query q;
	const struct finder_snapshot *s;
	const char *bad;
	struct cal_filter f = { &q, -1, 0, NULL, NULL };
	int64_t lm;

	if (!finder_parse(c->a, &c->query, &q, &bad)) {
		filter_error(c, bad);
		return;
	}
	if ((s = finder_acquire(c->db)) == NULL) {
		respond_error(c, 503, "unavailable", "errors.503.message", NULL);
		return;
	}
	lm = s->changed_at;
	if (q.when) {
		int64_t minute = c->now - c->now % 60;
		if (minute > lm)
			lm = minute;
		send_calendar(c, s, &f, arena_printf(c->a, "ics:%s@%lld:%s", c->lang,
		    (long long)minute, q.canonical), lm);
	} else {
		send_calendar(c, s, &f, arena_printf(c->a, "ics:%s:%s", c->lang, q.canonical), lm);
	}
	finder_release(s);
}

void
meetings_ics_one(struct ctx *c, const char *slug)
{
	const struct finder_snapshot *s = finder_acquire(c->db);
	struct cal_filter f = { NULL, -1, 0, NULL, NULL };
	long idx;

	if (s == NULL) {
		respond_error(c, 503, "unavailable", "errors.503.message", NULL);
		return;
	}
	if ((idx = finder_find_slug(s, slug)) < 0 ||
	    s->items[idx].m->sched.kind == SCHED_APPOINTMENT) {
		finder_release(s);
		respond_error(c, 404, "not_found", "errors.404.message", NULL);
		return;
	}
	f.only = idx;
	send_calendar(c, s, &f, arena_printf(c->a, "ics1:%s", slug), s->changed_at);
	finder_release(s);
}

void
meetings_ics_circle(struct ctx *c, int64_t circle_id, const char *circle_name)
{
	const struct finder_snapshot *s = finder_acquire(c->db);
	struct cal_filter f = { NULL, -1, circle_id, circle_name, NULL };

	if (s == NULL) {
		respond_error(c, 503, "unavailable", "errors.503.message", NULL);
		return;
	}
	/* The circle's name is in the calendar, so it is part of the cache key. */
	send_calendar(c, s, &f, arena_printf(c->a, "icsc:%lld:%s", (long long)circle_id,
	    circle_name), s->changed_at);
	finder_release(s);
}

/* a member's own calendar */
static void
ids_text(struct buf *b, char tag, const int64_t *ids, size_t n)
{
	size_t i;

	buf_printf(b, ":%c", tag);
	for (i = 0; i < n; i++)
		buf_printf(b, "%s%lld", i ? "," : "", (long long)ids[i]);
}

void
meetings_ics_personal(struct ctx *c, const struct meetings_personal *own, int64_t changed_at)
{
	const struct finder_snapshot *s = finder_acquire(c->db);
	struct cal_filter f = { NULL, -1, 0, own->title, own };
	struct buf key = BUF_INIT;

	if (s == NULL) {
		respond_error(c, 503, "unavailable", "errors.503.message", NULL);
		return;
	}
	/* What the calendar holds names its validator (the ids are sorted). */
	buf_printf(&key, "icsp:%s", own->title);
	ids_text(&key, 'c', own->circles, own->ncircles);
	ids_text(&key, 'm', own->meetings, own->nmeetings);
	send_calendar(c, s, &f, arena_strdup(c->a, key.data), changed_at > s->changed_at ?
	    changed_at : s->changed_at);
	buf_free(&key);
	finder_release(s);
}
