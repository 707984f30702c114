/*
 * ical.c: iCalendar for meetings (see ical.h).
 *
 * DTSTART is the meeting's first regular session on or after the day it
 * was last updated (local date), so it moves only when the meeting does;
 * clients expand the rule from there.
 */
#include "formats/ical.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "meetings/tz.h"

#define FOLD	75

static const char *const byday[7] = { "SU", "MO", "TU", "WE", "TH", "FR", "SA" };

void
ical_escape(struct buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '\\': buf_puts(b, "\\\\"); break;
		case ';': buf_puts(b, "\\;"); break;
		case ',': buf_puts(b, "\\,"); break;
		case '\n': buf_puts(b, "\\n"); break;
		case '\r': break;
		default:
			if ((unsigned char)*s < 0x20 || *s == 0x7f)
				buf_putc(b, ' ');	/* no controls in content lines */
			else
				buf_putc(b, *s);
		}
	}
}

/* Append line[0..n) folded: at most 75 octets per physical line, CRLF + space between. */
static void
fold(struct buf *b, const char *line, size_t n)
{
	size_t i = 0, width = FOLD;

	while (n - i > width) {
		size_t cut = i + width;
		/* do not split a UTF-8 sequence: back up to its first byte */
		while (cut > i && ((unsigned char)line[cut] & 0xc0) == 0x80)
			cut--;
		buf_append(b, line + i, cut - i);
		buf_puts(b, "\r\n ");
		i = cut;
		width = FOLD - 1;	/* the leading space counts */
	}
	buf_append(b, line + i, n - i);
	buf_puts(b, "\r\n");
}

void
ical_line(struct buf *b, const char *name, const char *value)
{
	struct buf l = BUF_INIT;

	buf_puts(&l, name);
	buf_putc(&l, ':');
	buf_puts(&l, value);
	fold(b, l.data, l.len);
	buf_free(&l);
}

/* name:ESCAPED(text) */
static void
text_line(struct buf *b, const char *name, const char *text)
{
	struct buf v = BUF_INIT;

	if (text == NULL)
		return;
	ical_escape(&v, text);
	ical_line(b, name, v.data ? v.data : "");
	buf_free(&v);
}

void
ical_begin(struct buf *b, const char *name)
{
	ical_line(b, "BEGIN", "VCALENDAR");
	ical_line(b, "VERSION", "2.0");
	ical_line(b, "PRODID", "-//Circles//Meetings//EN");
	ical_line(b, "CALSCALE", "GREGORIAN");
	ical_line(b, "METHOD", "PUBLISH");
	text_line(b, "X-WR-CALNAME", name);
}

void
ical_end(struct buf *b)
{
	ical_line(b, "END", "VCALENDAR");
}

static void
offset(char out[8], int32_t off)
{
	int32_t a = off < 0 ? -off : off;

	if (a % 60)
		snprintf(out, 8, "%c%02d%02d%02d", off < 0 ? '-' : '+', (int)(a / 3600 % 100),
		    (int)(a / 60 % 60), (int)(a % 60));
	else
		snprintf(out, 8, "%c%02d%02d", off < 0 ? '-' : '+', (int)(a / 3600 % 100),
		    (int)(a / 60 % 60));
}

/* The first date in 1970 the rule fires, as 1970MMDDTHHMMSS. */
static void
rule_dtstart(int month, int week, int wday, int32_t time, char out[20])
{
	int64_t first = tz_days_from_civil(1970, month, 1);
	int dim = tz_days_in_month(1970, month), d;

	d = (wday - tz_weekday(first) + 7) % 7 + (week - 1) * 7;
	while (d >= dim)
		d -= 7;
	snprintf(out, 20, "1970%02u%02uT%02u%02u%02u", (unsigned)month % 100u,
	    (unsigned)(d + 1) % 100u, (unsigned)(time / 3600) % 24u, (unsigned)(time / 60) % 60u,
	    (unsigned)time % 60u);
}

static void
tz_block(struct buf *b, const char *kind, int32_t from, int32_t to, const char *name,
    const char *dtstart, const char *rrule)
{
	char f[8], t[8];

	offset(f, from);
	offset(t, to);
	ical_line(b, "BEGIN", kind);
	ical_line(b, "TZOFFSETFROM", f);
	ical_line(b, "TZOFFSETTO", t);
	if (name != NULL && name[0] != '\0')
		text_line(b, "TZNAME", name);
	ical_line(b, "DTSTART", dtstart);
	if (rrule != NULL)
		ical_line(b, "RRULE", rrule);
	ical_line(b, "END", kind);
}

void
ical_timezone(struct buf *b, const struct tz *tz)
{
	struct tz_rule_info r;
	char ds[20], rule[80];

	ical_line(b, "BEGIN", "VTIMEZONE");
	ical_line(b, "TZID", tz_name(tz));
	if (tz_rule_info(tz, &r) && r.has_dst) {
		rule_dtstart(r.start_month, r.start_week, r.start_wday, r.start_time, ds);
		snprintf(rule, sizeof(rule), "FREQ=YEARLY;BYMONTH=%d;BYDAY=%d%s", r.start_month,
		    r.start_week == 5 ? -1 : r.start_week, byday[r.start_wday % 7]);
		tz_block(b, "DAYLIGHT", r.std_off, r.dst_off, r.dst_name, ds, rule);
		rule_dtstart(r.end_month, r.end_week, r.end_wday, r.end_time, ds);
		snprintf(rule, sizeof(rule), "FREQ=YEARLY;BYMONTH=%d;BYDAY=%d%s", r.end_month,
		    r.end_week == 5 ? -1 : r.end_week, byday[r.end_wday % 7]);
		tz_block(b, "STANDARD", r.dst_off, r.std_off, r.std_name, ds, rule);
	} else {
		/* No daylight saving (or a rule too unusual to say yearly): the offset of now. */
		int32_t off = tz_rule_info(tz, &r) ? r.std_off : tz_offset_at(tz, 0);
		tz_block(b, "STANDARD", off, off, r.std_name, "19700101T000000", NULL);
	}
	ical_line(b, "END", "VTIMEZONE");
}

static void
local_stamp(int y, int m, int d, int min, char out[20])
{
	snprintf(out, 20, "%04u%02u%02uT%02u%02u00", (unsigned)y % 10000u, (unsigned)m % 100u,
	    (unsigned)d % 100u, (unsigned)(min / 60) % 24u, (unsigned)min % 60u);
}

static void
utc_stamp(int64_t t, char out[20])
{
	int64_t days = tz_floor_div(t, 86400), s = t - days * 86400;
	int y, m, d;

	tz_civil_from_days(days, &y, &m, &d);
	snprintf(out, 20, "%04u%02u%02uT%02u%02u%02uZ", (unsigned)y % 10000u, (unsigned)m % 100u,
	    (unsigned)d % 100u, (unsigned)(s / 3600) % 24u, (unsigned)(s / 60) % 60u,
	    (unsigned)s % 60u);
}

/* DTSTART/DTEND/RECURRENCE-ID/EXDATE with the meeting's zone. */
static void
zoned(struct buf *b, const char *name, const char *tzid, int y, int m, int d, int min)
{
	char stamp[20], key[TZ_NAME_MAX + 32];

	local_stamp(y, m, d, min, stamp);
	snprintf(key, sizeof(key), "%s;TZID=%s", name, tzid);
	ical_line(b, key, stamp);
}

/* The local end of a session starting on y-m-d at start for minutes. */
static void
end_of(int y, int m, int d, int start, int minutes, int *ey, int *em, int *ed, int *emin)
{
	int64_t day = tz_days_from_civil(y, m, d);
	int total = start + minutes;

	tz_civil_from_days(day + total / 1440, ey, em, ed);
	*emin = total % 1440;
}

static void
describe(struct buf *desc, const struct meeting *m)
{
	if (m->notes) {
		buf_puts(desc, m->notes);
		buf_putc(desc, '\n');
	}
	if (m->location_notes) {
		buf_puts(desc, m->location_notes);
		buf_putc(desc, '\n');
	}
	if (m->conference_url) {
		buf_puts(desc, m->conference_url);
		buf_putc(desc, '\n');
	}
	if (m->conference_url_notes) {
		buf_puts(desc, m->conference_url_notes);
		buf_putc(desc, '\n');
	}
	if (m->conference_phone) {
		buf_puts(desc, m->conference_phone);
		buf_putc(desc, '\n');
	}
	while (desc->len > 0 && desc->data[desc->len - 1] == '\n')
		desc->data[--desc->len] = '\0';
}

static void
place(struct buf *p, const struct meeting *m)
{
	const char *parts[] = { m->location, m->formatted_address, m->address, m->city, m->state,
	    m->postal_code };
	size_t i;

	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		if (parts[i] == NULL || (i >= 2 && m->formatted_address != NULL))
			continue;
		if (p->len)
			buf_puts(p, ", ");
		buf_puts(p, parts[i]);
	}
}

/* The common lines of a VEVENT (after DTSTART/DTEND). */
static void
event_body(struct buf *b, const struct meeting *m, const struct ical_event_opts *opt,
    const char *uid, const char *stamp, bool cancelled)
{
	struct buf t = BUF_INIT;

	ical_line(b, "UID", uid);
	ical_line(b, "DTSTAMP", stamp);
	text_line(b, "SUMMARY", m->name);
	place(&t, m);
	if (t.len)
		text_line(b, "LOCATION", t.data);
	buf_reset(&t);
	describe(&t, m);
	if (t.len)
		text_line(b, "DESCRIPTION", t.data);
	buf_free(&t);
	if (m->has_coords) {
		char geo[48];
		snprintf(geo, sizeof(geo), "%.6f;%.6f", (double)m->lat_e6 / 1e6,
		    (double)m->lon_e6 / 1e6);
		ical_line(b, "GEO", geo);
	}
	if (opt->url != NULL)
		ical_line(b, "URL", opt->url);
	ical_line(b, "STATUS", m->temporarily_closed || cancelled ? "CANCELLED" : "CONFIRMED");
	ical_line(b, "TRANSP", "OPAQUE");
}

void
ical_meeting(struct buf *b, const struct meeting *m, const struct sched_exception *ex,
    size_t nex, const struct ical_event_opts *opt)
{
	const struct schedule *s = &m->sched;
	char stamp[20], lastmod[20], rule[96], uid[MEETING_SLUG_MAX + 128];
	int y, mo, d, ey, em, ed, emin, dur = schedule_duration(s), start = s->start_min;
	int64_t day;
	size_t i;
	bool once_cancelled = false;

	if (s->kind == SCHED_APPOINTMENT || s->start_min < 0 || schedule_check(s) != NULL)
		return;
	snprintf(uid, sizeof(uid), "meeting-%s@%s", m->slug, opt->uid_domain);
	utc_stamp(opt->dtstamp, stamp);
	utc_stamp(m->updated, lastmod);

	/* The first regular session from the (local) day of the last update. */
	if (s->kind == SCHED_ONCE) {
		/* A single date has no rule to take exceptions: apply them to it. */
		y = s->once_y;
		mo = s->once_m;
		d = s->once_d;
		for (i = 0; i < nex; i++) {
			if (ex[i].y != y || ex[i].m != mo || ex[i].d != d)
				continue;
			if (ex[i].cancelled) {
				once_cancelled = true;
			} else {
				struct schedule tmp = { .start_min = ex[i].new_start_min,
				    .end_min = ex[i].new_end_min };
				y = ex[i].new_y;
				mo = ex[i].new_m;
				d = ex[i].new_d;
				if (ex[i].new_start_min >= 0) {
					start = ex[i].new_start_min;
					dur = schedule_duration(&tmp);
				}
			}
		}
		nex = 0;
	} else {
		const struct tz *tz = tz_get(m->timezone);
		day = tz_floor_div(tz ? tz_utc_to_local(tz, m->updated) : m->updated, 86400);
		for (i = 0; i < 400; i++, day++) {
			tz_civil_from_days(day, &y, &mo, &d);
			if (schedule_on_date(s, y, mo, d))
				break;
		}
		if (i == 400)
			return;
	}
	ical_line(b, "BEGIN", "VEVENT");
	zoned(b, "DTSTART", m->timezone, y, mo, d, start);
	end_of(y, mo, d, start, dur, &ey, &em, &ed, &emin);
	zoned(b, "DTEND", m->timezone, ey, em, ed, emin);
	if (s->kind == SCHED_WEEKLY) {
		struct buf r = BUF_INIT;
		int k;
		buf_puts(&r, "FREQ=WEEKLY;BYDAY=");
		for (k = 0; k < 7; k++)
			if (s->days & (1u << k)) {
				if (r.data[r.len - 1] != '=')
					buf_putc(&r, ',');
				buf_puts(&r, byday[k]);
			}
		snprintf(rule, sizeof(rule), "%s", r.data);
		buf_free(&r);
		ical_line(b, "RRULE", rule);
	} else if (s->kind == SCHED_MONTHLY) {
		struct buf r = BUF_INIT;
		int wd = __builtin_ctz(s->days | 0x80), k;
		buf_puts(&r, "FREQ=MONTHLY;BYDAY=");
		for (k = 0; k < 5; k++)
			if (s->weeks & (1u << k))
				buf_printf(&r, "%s%d%s", r.data[r.len - 1] == '=' ? "" : ",", k + 1,
				    byday[wd % 7]);
		if (s->weeks & SCHED_WEEK_LAST)
			buf_printf(&r, "%s-1%s", r.data[r.len - 1] == '=' ? "" : ",", byday[wd % 7]);
		snprintf(rule, sizeof(rule), "%s", r.data);
		buf_free(&r);
		ical_line(b, "RRULE", rule);
	}
	/* Cancelled sessions are left out; moved ones get their own VEVENT below. */
	for (i = 0; i < nex; i++)
		if (ex[i].cancelled && schedule_on_date(s, ex[i].y, ex[i].m, ex[i].d))
			zoned(b, "EXDATE", m->timezone, ex[i].y, ex[i].m, ex[i].d, s->start_min);
	event_body(b, m, opt, uid, stamp, once_cancelled);
	ical_line(b, "LAST-MODIFIED", lastmod);
	ical_line(b, "END", "VEVENT");

	for (i = 0; i < nex; i++) {
		const struct sched_exception *e = &ex[i];
		int st, et, ndur;

		if (e->cancelled || !schedule_on_date(s, e->y, e->m, e->d))
			continue;
		st = e->new_start_min >= 0 ? e->new_start_min : s->start_min;
		et = e->new_start_min >= 0 ? e->new_end_min : s->end_min;
		{
			struct schedule tmp = { .start_min = st, .end_min = et };
			ndur = schedule_duration(&tmp);
		}
		ical_line(b, "BEGIN", "VEVENT");
		zoned(b, "RECURRENCE-ID", m->timezone, e->y, e->m, e->d, s->start_min);
		zoned(b, "DTSTART", m->timezone, e->new_y, e->new_m, e->new_d, st);
		end_of(e->new_y, e->new_m, e->new_d, st, ndur, &ey, &em, &ed, &emin);
		zoned(b, "DTEND", m->timezone, ey, em, ed, emin);
		event_body(b, m, opt, uid, stamp, false);
		ical_line(b, "LAST-MODIFIED", lastmod);
		ical_line(b, "END", "VEVENT");
	}
}
