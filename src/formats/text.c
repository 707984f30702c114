/*
 * text.c: HTML in feed notes to plain text, and links to online meetings
 * (see text.h).
 *
 * Deliberately not an HTML parser: only the tags that turn up in meeting
 * notes are recognised, so text that merely looks like a tag is kept.  The
 * contents of <script> and <style> are dropped whole.
 */
#include "formats/text.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const block_tags[] = {
	"br", "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
	"table", "blockquote", "hr", "center", "section", "article", "dd", "dt", "dl",
	NULL
};
static const char *const inline_tags[] = {
	"b", "strong", "i", "em", "u", "span", "small", "font", "sup", "sub", "s",
	"strike", "big", "td", "th", "tbody", "thead", "code", "abbr", "mark", "label",
	"a", "img", "wbr", "nobr", NULL
};

static bool
in_list(const char *const *list, const char *name, size_t n)
{
	size_t i;

	for (i = 0; list[i]; i++)
		if (strlen(list[i]) == n && strncasecmp(list[i], name, n) == 0)
			return true;
	return false;
}

static void
put_utf8(struct buf *b, uint32_t cp)
{
	char t[4];

	if (cp < 0x80) {
		buf_putc(b, (char)cp);
	} else if (cp < 0x800) {
		t[0] = (char)(0xc0 | (cp >> 6));
		t[1] = (char)(0x80 | (cp & 0x3f));
		buf_append(b, t, 2);
	} else if (cp < 0x10000) {
		t[0] = (char)(0xe0 | (cp >> 12));
		t[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		t[2] = (char)(0x80 | (cp & 0x3f));
		buf_append(b, t, 3);
	} else {
		t[0] = (char)(0xf0 | (cp >> 18));
		t[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		t[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		t[3] = (char)(0x80 | (cp & 0x3f));
		buf_append(b, t, 4);
	}
}

/* Decode the entity at in[i] ('&'); returns bytes consumed, 0 if not one. */
static size_t
entity(const char *in, size_t len, size_t i, struct buf *out)
{
	static const struct {
		const char	*name;
		uint32_t	 cp;
	} named[] = {
		{ "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' }, { "apos", '\'' },
		{ "nbsp", ' ' }, { "ndash", 0x2013 }, { "mdash", 0x2014 }, { "rsquo", 0x2019 },
		{ "lsquo", 0x2018 }, { "rdquo", 0x201d }, { "ldquo", 0x201c }, { "hellip", 0x2026 },
		{ "aacute", 0xe1 }, { "eacute", 0xe9 }, { "iacute", 0xed }, { "oacute", 0xf3 },
		{ "uacute", 0xfa }, { "ntilde", 0xf1 }, { "Ntilde", 0xd1 }, { "uuml", 0xfc },
		{ "iexcl", 0xa1 }, { "iquest", 0xbf }, { "copy", 0xa9 },
	};
	size_t j = i + 1, k;
	uint32_t cp = 0;

	if (j < len && in[j] == '#') {
		bool hex = j + 1 < len && (in[j + 1] == 'x' || in[j + 1] == 'X');
		size_t start;

		j += hex ? 2 : 1;
		start = j;
		while (j < len && j - start < 7 && (hex ? isxdigit((unsigned char)in[j]) :
		    isdigit((unsigned char)in[j]))) {
			int v = isdigit((unsigned char)in[j]) ? in[j] - '0' :
			    tolower((unsigned char)in[j]) - 'a' + 10;
			cp = cp * (hex ? 16 : 10) + (uint32_t)v;
			j++;
		}
		if (j == start || j >= len || in[j] != ';')
			return 0;
		if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return j + 1 - i;	/* a bad reference decodes to nothing */
		put_utf8(out, cp);
		return j + 1 - i;
	}
	for (k = 0; k < sizeof(named) / sizeof(named[0]); k++) {
		size_t n = strlen(named[k].name);
		if (j + n < len && strncmp(in + j, named[k].name, n) == 0 && in[j + n] == ';') {
			put_utf8(out, named[k].cp);
			return n + 2;
		}
	}
	return 0;
}

/* The value of attribute attr in a tag body tag[0..n), into val (plain, unescaped). */
static bool
attr_value(const char *tag, size_t n, const char *attr, struct buf *val)
{
	size_t alen = strlen(attr), i;

	for (i = 0; i + alen < n; i++) {
		size_t j;
		char q;

		if (strncasecmp(tag + i, attr, alen) != 0 ||
		    (i > 0 && !isspace((unsigned char)tag[i - 1])))
			continue;
		j = i + alen;
		while (j < n && isspace((unsigned char)tag[j]))
			j++;
		if (j >= n || tag[j] != '=')
			continue;
		j++;
		while (j < n && isspace((unsigned char)tag[j]))
			j++;
		if (j >= n)
			return false;
		q = tag[j];
		if (q == '"' || q == '\'') {
			size_t s = ++j;
			while (j < n && tag[j] != q)
				j++;
			if (j >= n)
				return false;
			html_to_text(tag + s, j - s, val);	/* decode entities in the URL */
			return true;
		}
		{
			size_t s = j;
			while (j < n && !isspace((unsigned char)tag[j]) && tag[j] != '>')
				j++;
			html_to_text(tag + s, j - s, val);
			return true;
		}
	}
	return false;
}

static bool
link_scheme_ok(const char *u)
{
	return strncasecmp(u, "http://", 7) == 0 || strncasecmp(u, "https://", 8) == 0 ||
	    strncasecmp(u, "mailto:", 7) == 0 || strncasecmp(u, "tel:", 4) == 0;
}

/* Finish a link: the anchor's text is out[text_start..], href the target. */
static void
close_link(struct buf *out, size_t text_start, const char *href)
{
	size_t tlen = out->len - text_start, hlen = strlen(href);
	const char *text = out->data ? out->data + text_start : "";
	struct str t = str_trim((struct str){ text, tlen });
	bool text_is_url = t.len >= 4 && (strncasecmp(t.p, "http", 4) == 0 ||
	    strncasecmp(t.p, "www.", 4) == 0);
	bool same = t.len == 0 || text_is_url ||
	    (t.len <= hlen && strncasecmp(href + hlen - t.len, t.p, t.len) == 0);

	if (same) {
		/* The text only shows (part of) the address: the address says it all. */
		out->len = text_start;
		out->data[out->len] = '\0';
		buf_puts(out, href);
	} else {
		buf_puts(out, " (");
		buf_puts(out, href);
		buf_putc(out, ')');
	}
}

/* Tidy: no trailing spaces on lines, at most one blank line, trimmed ends. */
static void
tidy(struct buf *out, size_t from)
{
	size_t r, w = from;
	int newlines = 0;
	char *d = out->data;

	if (d == NULL)
		return;
	/* Skip leading whitespace of the new text. */
	r = from;
	while (r < out->len && isspace((unsigned char)d[r]))
		r++;
	for (; r < out->len; r++) {
		char ch = d[r] == '\t' ? ' ' : d[r];

		if (ch == '\n') {
			while (w > from && d[w - 1] == ' ')
				w--;
			if (++newlines <= 2)
				d[w++] = '\n';
			continue;
		}
		if (ch == ' ' && w > from && (d[w - 1] == ' ' || d[w - 1] == '\n')) {
			if (d[w - 1] == '\n')
				continue;	/* no indentation from markup */
			continue;
		}
		newlines = 0;
		d[w++] = ch;
	}
	while (w > from && isspace((unsigned char)d[w - 1]))
		w--;
	out->len = w;
	d[w] = '\0';
}

/*
 * True if the text uses HTML's own line breaks (<br>, <p>, <div>, <li>):
 * then a raw newline is only layout in the source, as in a browser.
 */
static bool
has_break_tags(const char *in, size_t len)
{
	static const char *const tags[] = { "<br", "<p>", "<p ", "<div", "<li" };
	size_t i, k;

	for (i = 0; i < len; i++) {
		if (in[i] != '<')
			continue;
		for (k = 0; k < sizeof(tags) / sizeof(tags[0]); k++) {
			size_t n = strlen(tags[k]);
			if (len - i >= n && strncasecmp(in + i, tags[k], n) == 0)
				return true;
		}
	}
	return false;
}

size_t
html_to_text(const char *in, size_t len, struct buf *out)
{
	size_t i = 0, start = out->len, tags = 0, link_text = 0;
	struct buf href = BUF_INIT;
	bool in_link = false, html_breaks = has_break_tags(in, len);

	buf_reserve(out, len + 1);
	while (i < len) {
		char ch = in[i];

		if (ch == '\r') {
			i++;
			continue;
		}
		if (ch == '\n' && html_breaks) {
			buf_putc(out, ' ');
			i++;
			continue;
		}
		if (ch == '&') {
			size_t n = entity(in, len, i, out);
			if (n > 0) {
				i += n;
				continue;
			}
		}
		if (ch == '<') {
			size_t j = i + 1, name_start, name_len;
			bool closing = false;
			const char *gt;

			if (j < len && in[j] == '!') {
				/* comment or doctype: drop through '>' (or "-->") */
				if (len - j >= 3 && strncmp(in + j, "!--", 3) == 0) {
					const char *e = memmem(in + j + 3, len - j - 3, "-->", 3);
					if (e != NULL) {
						i = (size_t)(e - in) + 3;
						tags++;
						continue;
					}
				}
			}
			if (j < len && in[j] == '/') {
				closing = true;
				j++;
			}
			name_start = j;
			while (j < len && isalnum((unsigned char)in[j]))
				j++;
			name_len = j - name_start;
			gt = name_len ? memchr(in + j, '>', len - j) : NULL;
			if (gt != NULL && (j == (size_t)(gt - in) || isspace((unsigned char)in[j]) ||
			    in[j] == '/' ) && memchr(in + j, '<', (size_t)(gt - (in + j))) == NULL) {
				const char *name = in + name_start;
				size_t end = (size_t)(gt - in) + 1;

				if (!closing && (name_len == 6 || name_len == 5) &&
				    (strncasecmp(name, "script", name_len) == 0 ||
				    strncasecmp(name, "style", name_len) == 0)) {
					char close[10];
					const char *e;
					size_t k, cl = (size_t)snprintf(close, sizeof(close), "</%.*s",
					    (int)name_len, name);
					for (e = NULL, k = end; k + cl <= len; k++)
						if (strncasecmp(in + k, close, cl) == 0) {
							e = in + k;
							break;
						}
					if (e == NULL) {
						i = len;
					} else {
						const char *g = memchr(e, '>', len - (size_t)(e - in));
						i = g ? (size_t)(g - in) + 1 : len;
					}
					tags++;
					continue;
				}
				if (in_list(block_tags, name, name_len)) {
					bool br = name_len == 2 && strncasecmp(name, "br", 2) == 0;
					bool para = name_len == 1 && tolower((unsigned char)*name) == 'p';
					bool at_start = out->len == start || out->data[out->len - 1] == '\n';

					if (br)
						buf_putc(out, in_link ? ' ' : '\n');
					else if (para)
						buf_puts(out, at_start ? "\n" : "\n\n");
					else if (!at_start)
						buf_putc(out, '\n');
					i = end;
					tags++;
					continue;
				}
				if (in_list(inline_tags, name, name_len)) {
					if (name_len == 1 && tolower((unsigned char)name[0]) == 'a') {
						if (!closing) {
							buf_reset(&href);
							if (attr_value(in + j, (size_t)(gt - (in + j)), "href",
							    &href) && href.len > 0 && link_scheme_ok(href.data)) {
								in_link = true;
								link_text = out->len;
							}
						} else if (in_link) {
							close_link(out, link_text, href.data);
							in_link = false;
						}
					} else if (name_len == 3 && strncasecmp(name, "img", 3) == 0) {
						struct buf alt = BUF_INIT;
						if (attr_value(in + j, (size_t)(gt - (in + j)), "alt", &alt) &&
						    alt.len > 0)
							buf_append(out, alt.data, alt.len);
						buf_free(&alt);
					} else if (name_len == 2 && (strncasecmp(name, "td", 2) == 0 ||
					    strncasecmp(name, "th", 2) == 0) && closing) {
						buf_putc(out, ' ');
					}
					i = end;
					tags++;
					continue;
				}
			}
		}
		buf_putc(out, ch);
		i++;
	}
	if (in_link)
		close_link(out, link_text, href.data);
	buf_free(&href);
	tidy(out, start);
	return tags;
}

static const char *const conference_hosts[] = {
	"zoom.us", "zoom.com", "meet.google.com", "teams.microsoft.com", "teams.live.com",
	"webex.com", "gotomeeting.com", "meet.goto.com", "app.gotomeeting.com", "whereby.com",
	"meet.jit.si", "skype.com", "bluejeans.com", "discord.gg", "discord.com",
	"chime.aws", "freeconferencecall.com", NULL
};

static bool
host_is_conference(const char *host, size_t n)
{
	size_t i;

	for (i = 0; conference_hosts[i]; i++) {
		size_t hl = strlen(conference_hosts[i]);
		if (n == hl && strncasecmp(host, conference_hosts[i], n) == 0)
			return true;
		if (n > hl && host[n - hl - 1] == '.' &&
		    strncasecmp(host + n - hl, conference_hosts[i], hl) == 0)
			return true;
	}
	return false;
}

bool
text_find_conference_url(const char *text, char *out, size_t outsz)
{
	const char *p = text;

	if (text == NULL)
		return false;
	while ((p = strstr(p, "http")) != NULL) {
		const char *s = p, *h, *e;
		size_t n;

		if (strncasecmp(p, "https://", 8) == 0)
			h = p + 8;
		else if (strncasecmp(p, "http://", 7) == 0)
			h = p + 7;
		else {
			p += 4;
			continue;
		}
		e = h;
		while (*e && !isspace((unsigned char)*e) && *e != '<' && *e != '>' && *e != '"' &&
		    *e != '\'' && (unsigned char)*e >= 0x21)
			e++;
		while (e > h && strchr(".,;:)!?]", e[-1]) != NULL)
			e--;
		n = (size_t)(e - s);
		{
			const char *he = h;
			while (he < e && *he != '/' && *he != '?' && *he != '#' && *he != ':')
				he++;
			if (host_is_conference(h, (size_t)(he - h)) && n + 1 <= outsz) {
				memcpy(out, s, n);
				out[n] = '\0';
				return true;
			}
		}
		p = e > p ? e : p + 4;
	}
	return false;
}

bool
text_is_http_url(const char *s)
{
	const char *h;

	if (s == NULL)
		return false;
	if (strncasecmp(s, "https://", 8) == 0)
		h = s + 8;
	else if (strncasecmp(s, "http://", 7) == 0)
		h = s + 7;
	else
		return false;
	if (*h == '\0' || *h == '/' || *h == '.')
		return false;
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || *s == 0x7f || *s == '"' || *s == '<' || *s == '>')
			return false;
	return true;
}
