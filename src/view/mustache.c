/*
 * mustache.c: a Mustache template engine over jansson values.
 *
 * Design:
 *
 * - Two phases.  parse() turns the template into a flat array of tokens
 *   (text, variable, raw variable, section, inverted section, partial);
 *   a section token records the index just past its closing tag, so the
 *   renderer walks index ranges and never re-scans text.  Parsing the
 *   whole template first means a broken template fails the same way
 *   whatever the data, and errors carry the line of the offending tag.
 * - The parser is a loop with a heap stack of open sections, so hostile
 *   templates cannot exhaust the C stack.  The renderer recurses once per
 *   section or partial level and stops at opts->max_depth (default 64,
 *   at most MUSTACHE_DEPTH_CAP).
 * - Depth alone does not bound work: a partial that includes itself twice,
 *   or sections nested over a long list, grow exponentially.  A step
 *   budget (tokens visited plus partial bytes parsed) and an output cap
 *   turn such templates into an error instead of a hung worker.
 * - Standalone lines follow the spec: a section, inverted, end, comment,
 *   partial or delimiter tag alone on its line (only spaces or tabs
 *   around it) removes the whole line.  A standalone partial's leading
 *   whitespace becomes its indentation: it is prepended to every line of
 *   the partial's text before that text is parsed, which is what the spec
 *   asks (data inserted by the partial is not re-indented).
 * - Partials are parsed with the default delimiters each time they are
 *   included; the callback owns their text.  Nothing is cached: partials
 *   are small and a cache would need invalidation.
 * - Truthiness: false, null, a missing name and the empty array are false.
 *   Everything else is true, including "", 0 and {} (the reference Ruby
 *   implementation's rule; the spec leaves it to the host language).
 * - Interpolation: strings as they are, integers in decimal, reals in the
 *   shortest form that reads back to the same double (1.21 -> "1.21"),
 *   booleans as "true"/"false", null, objects and arrays as nothing.
 * - On error the output buffer is cut back to where it was on entry, so a
 *   failed render never leaves half a page behind.
 */
#include "view/mustache.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

#define MUSTACHE_DEPTH_DEFAULT	64
#define MUSTACHE_DEPTH_CAP	256
/*
 * Work units per mustache_render(): one per token rendered and per list
 * item a section iterates, 16 per partial included plus one per 16 bytes
 * of partial text parsed.  Spent in well under a second.
 */
#define MUSTACHE_MAX_STEPS	(1UL << 21)
/* Bytes one mustache_render() may append. */
#define MUSTACHE_MAX_OUTPUT	((size_t)16 << 20)
/* Longest name quoted in an error message. */
#define ERR_NAME_MAX		40

enum tok_type {
	TOK_TEXT,
	TOK_VAR,		/* {{name}}: escaped */
	TOK_RAW,		/* {{{name}}} or {{&name}} */
	TOK_SECTION,		/* {{#name}} */
	TOK_INVERTED,		/* {{^name}} */
	TOK_PARTIAL		/* {{>name}} */
};

struct token {
	enum tok_type	 type;
	struct str	 s;		/* text bytes, or the tag's name */
	struct str	 indent;	/* partial: standalone indentation */
	size_t		 end;		/* sections: index past the close */
	int		 line;
};

struct tmpl {
	struct token	*tok;
	size_t		 n;
	size_t		 cap;
};

struct mustache_template {
	struct tmpl	 t;
	int		 max_depth;
};

struct render {
	mustache_partial_fn	 partial;
	mustache_compiled_fn	 compiled;
	void			*ud;
	int			 max_depth;
	json_t			**stack;	/* context stack, top is last */
	size_t			 nstack;
	size_t			 capstack;
	struct buf		*out;
	size_t			 out_limit;
	unsigned long		 steps;
	int			 partial_level;	/* partials being rendered */
	/* The innermost partial an error came from, for the message. */
	bool			 err_named;
	char			 err_partial[ERR_NAME_MAX + 1];
	char			*err;
	size_t			 errlen;
};

static void
seterr(char *err, size_t errlen, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
seterr(char *err, size_t errlen, int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (err == NULL || errlen == 0)
		return;
	n = snprintf(err, errlen, "line %d: ", line);
	if (n < 0 || (size_t)n >= errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
	va_end(ap);
}

/* Length of a name when quoted in an error message. */
static int
qlen(struct str s)
{
	return s.len > ERR_NAME_MAX ? ERR_NAME_MAX : (int)s.len;
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static struct str
trim_space(struct str s)
{
	while (s.len > 0 && is_space(s.p[0])) {
		s.p++;
		s.len--;
	}
	while (s.len > 0 && is_space(s.p[s.len - 1]))
		s.len--;
	return s;
}

static struct token *
tmpl_push(struct tmpl *t, enum tok_type type, struct str s, int line)
{
	struct token *k;

	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->tok = xreallocarray(t->tok, t->cap, sizeof(*t->tok));
	}
	k = &t->tok[t->n++];
	memset(k, 0, sizeof(*k));
	k->type = type;
	k->s = s;
	k->line = line;
	return k;
}

static void
tmpl_free(struct tmpl *t)
{
	free(t->tok);
	t->tok = NULL;
	t->n = t->cap = 0;
}

/*
 * Parse "{{=<open> <close>=}}" content into two delimiters, each a run of
 * non-space characters without '='.
 */
static bool
parse_delims(struct str c, struct str *otag, struct str *ctag)
{
	size_t i = 0, a;

	c = trim_space(c);
	while (i < c.len && !is_space(c.p[i]))
		i++;
	a = i;
	while (i < c.len && is_space(c.p[i]))
		i++;
	if (a == 0 || i == a || i == c.len)
		return false;
	otag->p = c.p;
	otag->len = a;
	ctag->p = c.p + i;
	ctag->len = c.len - i;
	if (memchr(otag->p, '=', otag->len) != NULL ||
	    memchr(ctag->p, '=', ctag->len) != NULL)
		return false;
	for (a = 0; a < ctag->len; a++)
		if (is_space(ctag->p[a]))
			return false;
	return true;
}

/*
 * Tokenize s[0..len).  Sections may nest at most max_depth deep.  Tokens
 * point into s, which must outlive t.
 */
static int
parse(const char *s, size_t len, int max_depth, struct tmpl *t, char *err,
    size_t errlen)
{
	struct str otag = STR("{{"), ctag = STR("}}");
	size_t p = 0, line_start = 0, line_pos = 0;
	size_t *open = NULL, nopen = 0, capopen = 0;
	bool line_clean = true;		/* no tag on the line since line_start */
	int line = 1, rc = -1;

	for (;;) {
		const char *o, *nl, *c;
		size_t ts, q, k, cend = 0, e, a, text_end, next, i;
		struct str content, name, indent = STR_NULL;
		bool standalone = false;
		char kind, closer;
		struct token *tok;

		o = memmem(s + p, len - p, otag.p, otag.len);
		if (o == NULL) {
			if (p < len)
				tmpl_push(t, TOK_TEXT,
				    (struct str){ s + p, len - p }, line);
			break;
		}
		ts = (size_t)(o - s);
		if (ts > p && (nl = memrchr(s + p, '\n', ts - p)) != NULL) {
			line_start = (size_t)(nl - s) + 1;
			line_clean = true;
		}
		for (; line_pos < ts; line_pos++)
			if (s[line_pos] == '\n')
				line++;

		/* Tag kind and closing delimiter. */
		q = ts + otag.len;
		kind = q < len ? s[q] : '\0';
		switch (kind) {
		case '!': case '#': case '^': case '/':
		case '>': case '&': case '{': case '=':
			q++;
			break;
		default:
			kind = '\0';
			break;
		}
		closer = kind == '{' ? '}' : kind == '=' ? '=' : '\0';
		k = q;
		for (;;) {
			c = k <= len ?
			    memmem(s + k, len - k, ctag.p, ctag.len) : NULL;
			if (c == NULL) {
				seterr(err, errlen, line, "unclosed tag");
				goto out;
			}
			k = (size_t)(c - s);
			if (closer == '\0') {
				cend = k;
				break;
			}
			if (k > q && s[k - 1] == closer) {
				cend = k - 1;
				break;
			}
			k++;
		}
		e = k + ctag.len;
		content = (struct str){ s + q, cend - q };

		/* Standalone: only blanks around the tag on its line. */
		a = e;
		if (kind != '\0' && kind != '&' && kind != '{' && line_clean) {
			standalone = true;
			for (i = line_start; i < ts; i++)
				if (!is_blank(s[i]))
					standalone = false;
			while (a < len && is_blank(s[a]))
				a++;
			if (!(a == len || s[a] == '\n' ||
			    (s[a] == '\r' && a + 1 < len && s[a + 1] == '\n')))
				standalone = false;
		}
		if (standalone) {
			text_end = line_start;
			indent = (struct str){ s + line_start, ts - line_start };
			next = a == len ? len : s[a] == '\r' ? a + 2 : a + 1;
		} else {
			text_end = ts;
			next = e;
		}
		if (text_end > p)
			tmpl_push(t, TOK_TEXT,
			    (struct str){ s + p, text_end - p }, line);

		name = trim_space(content);
		if (kind != '!' && kind != '=' && name.len == 0) {
			seterr(err, errlen, line, "empty tag name");
			goto out;
		}
		switch (kind) {
		case '!':
			break;
		case '=':
			if (!parse_delims(content, &otag, &ctag)) {
				seterr(err, errlen, line,
				    "bad delimiter change \"%.*s\"",
				    qlen(content), content.p);
				goto out;
			}
			break;
		case '#':
		case '^':
			if (nopen >= (size_t)max_depth) {
				seterr(err, errlen, line,
				    "sections nested deeper than %d", max_depth);
				goto out;
			}
			if (nopen == capopen) {
				capopen = capopen ? capopen * 2 : 8;
				open = xreallocarray(open, capopen,
				    sizeof(*open));
			}
			open[nopen++] = t->n;
			tmpl_push(t, kind == '#' ? TOK_SECTION : TOK_INVERTED,
			    name, line);
			break;
		case '/':
			if (nopen == 0) {
				seterr(err, errlen, line,
				    "end of section \"%.*s\" that was not opened",
				    qlen(name), name.p);
				goto out;
			}
			tok = &t->tok[open[nopen - 1]];
			if (!str_eq(tok->s, name)) {
				seterr(err, errlen, line,
				    "section \"%.*s\" (line %d) closed by \"%.*s\"",
				    qlen(tok->s), tok->s.p, tok->line,
				    qlen(name), name.p);
				goto out;
			}
			tok->end = t->n;
			nopen--;
			break;
		case '>':
			tok = tmpl_push(t, TOK_PARTIAL, name, line);
			tok->indent = indent;
			break;
		case '&':
		case '{':
			tmpl_push(t, TOK_RAW, name, line);
			break;
		default:
			tmpl_push(t, TOK_VAR, name, line);
			break;
		}

		if (standalone && next > a) {
			line_start = next;
			line_clean = true;
		} else
			line_clean = false;
		p = next;
	}
	if (nopen > 0) {
		struct token *tok = &t->tok[open[nopen - 1]];
		seterr(err, errlen, tok->line, "unclosed section \"%.*s\"",
		    qlen(tok->s), tok->s.p);
		goto out;
	}
	rc = 0;
out:
	free(open);
	return rc;
}

/* Resolve a name against the context stack, as the spec describes. */
static json_t *
lookup(const struct render *r, struct str name)
{
	const char *dot;
	size_t plen, i;
	json_t *v = NULL;

	if (r->nstack == 0)
		return NULL;
	if (name.len == 1 && name.p[0] == '.')
		return r->stack[r->nstack - 1];

	dot = memchr(name.p, '.', name.len);
	plen = dot ? (size_t)(dot - name.p) : name.len;
	for (i = r->nstack; i > 0; i--) {
		json_t *c = r->stack[i - 1];
		if (json_is_object(c) &&
		    (v = json_object_getn(c, name.p, plen)) != NULL)
			break;
	}
	if (v == NULL)
		return NULL;

	/* Remaining parts resolve only inside the value found so far. */
	while (dot != NULL) {
		name.len -= plen + 1;
		name.p += plen + 1;
		dot = memchr(name.p, '.', name.len);
		plen = dot ? (size_t)(dot - name.p) : name.len;
		if (!json_is_object(v))
			return NULL;
		if ((v = json_object_getn(v, name.p, plen)) == NULL)
			return NULL;
	}
	return v;
}

static bool
truthy(const json_t *v)
{
	if (v == NULL || json_is_null(v) || json_is_false(v))
		return false;
	if (json_is_array(v))
		return json_array_size(v) > 0;
	return true;
}

/* The escaping the spec expects: & < > " and nothing else. */
static void
append_escaped(struct buf *b, const char *s, size_t n)
{
	size_t i, start = 0;

	for (i = 0; i < n; i++) {
		const char *rep;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		default: continue;
		}
		buf_append(b, s + start, i - start);
		buf_puts(b, rep);
		start = i + 1;
	}
	buf_append(b, s + start, n - start);
}

static void
interpolate(struct buf *b, const json_t *v, bool escape)
{
	char tmp[64];
	const char *s = NULL;
	size_t n = 0;
	int prec;

	switch (json_typeof(v)) {
	case JSON_STRING:
		s = json_string_value(v);
		n = json_string_length(v);
		break;
	case JSON_INTEGER:
		snprintf(tmp, sizeof(tmp), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		s = tmp;
		n = strlen(tmp);
		break;
	case JSON_REAL:
		/* Shortest form that reads back as the same double. */
		for (prec = 15; prec < 17; prec++) {
			snprintf(tmp, sizeof(tmp), "%.*g", prec,
			    json_real_value(v));
			if (strtod(tmp, NULL) == json_real_value(v))
				break;
		}
		if (prec == 17)
			snprintf(tmp, sizeof(tmp), "%.17g", json_real_value(v));
		s = tmp;
		n = strlen(tmp);
		break;
	case JSON_TRUE:
		s = "true";
		n = 4;
		break;
	case JSON_FALSE:
		s = "false";
		n = 5;
		break;
	default:
		return;		/* null, objects, arrays: nothing */
	}
	if (escape)
		append_escaped(b, s, n);
	else
		buf_append(b, s, n);
}

static void
push_ctx(struct render *r, json_t *v)
{
	if (r->nstack == r->capstack) {
		r->capstack = r->capstack ? r->capstack * 2 : 16;
		r->stack = xreallocarray(r->stack, r->capstack,
		    sizeof(*r->stack));
	}
	r->stack[r->nstack++] = v;
}

static int	render_range(struct render *, const struct tmpl *, size_t,
		    size_t, int);

/* Charge n steps to the budget; false once it is spent. */
static bool
charge(struct render *r, unsigned long n, int line)
{
	if (n > MUSTACHE_MAX_STEPS - r->steps) {
		r->steps = MUSTACHE_MAX_STEPS;
		seterr(r->err, r->errlen, line,
		    "template too expensive to render");
		return false;
	}
	r->steps += n;
	return true;
}

/*
 * A partial failed: name the innermost partial (where the line number in
 * the message applies) and the line of the outermost include.
 */
static void
partial_failed(struct render *r, const struct token *k)
{
	if (!r->err_named) {
		snprintf(r->err_partial, sizeof(r->err_partial),
		    "%.*s", qlen(k->s), k->s.p);
		r->err_named = true;
	}
	if (--r->partial_level == 0 && r->err != NULL && r->errlen > 0) {
		char *inner = xstrdup(r->err);

		seterr(r->err, r->errlen, k->line,
		    "in partial \"%s\": %s", r->err_partial, inner);
		free(inner);
	}
}

/* A partial parsed before: the same checks and budget, no parsing. */
static int
render_compiled_partial(struct render *r, const struct token *k,
    const struct mustache_template *ct, int depth)
{
	if (depth >= r->max_depth) {
		seterr(r->err, r->errlen, k->line,
		    "partial \"%.*s\" nested deeper than %d",
		    qlen(k->s), k->s.p, r->max_depth);
		return -1;
	}
	if (!charge(r, 16, k->line))
		return -1;
	r->partial_level++;
	if (render_range(r, &ct->t, 0, ct->t.n, depth + 1) == -1) {
		partial_failed(r, k);
		return -1;
	}
	r->partial_level--;
	return 0;
}

static int
render_partial(struct render *r, const struct token *k, int depth)
{
	const char *text;
	size_t len, i;
	char *name;
	struct buf indented = BUF_INIT;
	struct tmpl pt = { NULL, 0, 0 };
	const struct mustache_template *ct;
	int rc = -1;

	if (r->partial == NULL)
		return 0;
	name = xstrndup(k->s.p, k->s.len);
	if (k->indent.len == 0 && r->compiled != NULL &&
	    (ct = r->compiled(name, r->ud)) != NULL) {
		free(name);
		return render_compiled_partial(r, k, ct, depth);
	}
	len = 0;
	text = r->partial(name, &len, r->ud);
	free(name);
	if (text == NULL)
		return 0;
	if (depth >= r->max_depth) {
		seterr(r->err, r->errlen, k->line,
		    "partial \"%.*s\" nested deeper than %d",
		    qlen(k->s), k->s.p, r->max_depth);
		return -1;
	}

	/* Standalone: indent every line of the partial before parsing. */
	if (k->indent.len > 0 && len > 0) {
		size_t lines = 1;

		for (i = 0; i + 1 < len; i++)
			if (text[i] == '\n')
				lines++;
		/* The copy grows by indent.len per line: pay for it first. */
		if (lines > MUSTACHE_MAX_STEPS / k->indent.len ||
		    !charge(r, lines * k->indent.len / 16 + 1, k->line)) {
			seterr(r->err, r->errlen, k->line,
			    "template too expensive to render");
			goto out;
		}
		buf_append(&indented, k->indent.p, k->indent.len);
		for (i = 0; i < len; i++) {
			buf_putc(&indented, text[i]);
			if (text[i] == '\n' && i + 1 < len)
				buf_append(&indented, k->indent.p,
				    k->indent.len);
		}
		text = indented.data;
		len = indented.len;
	}
	if (!charge(r, len / 16 + 16, k->line))
		goto out;

	r->partial_level++;
	if (parse(text, len, r->max_depth, &pt, r->err, r->errlen) == -1 ||
	    render_range(r, &pt, 0, pt.n, depth + 1) == -1) {
		partial_failed(r, k);
		goto out;
	}
	r->partial_level--;
	rc = 0;
out:
	tmpl_free(&pt);
	buf_free(&indented);
	return rc;
}

static int
render_range(struct render *r, const struct tmpl *t, size_t from, size_t to,
    int depth)
{
	size_t i = from, j, n;
	json_t *v;

	while (i < to) {
		const struct token *k = &t->tok[i];

		if (!charge(r, 1, k->line))
			return -1;
		switch (k->type) {
		case TOK_TEXT:
			buf_append(r->out, k->s.p, k->s.len);
			i++;
			break;
		case TOK_VAR:
		case TOK_RAW:
			if ((v = lookup(r, k->s)) != NULL)
				interpolate(r->out, v, k->type == TOK_VAR);
			i++;
			break;
		case TOK_SECTION:
		case TOK_INVERTED:
			v = lookup(r, k->s);
			if (truthy(v) == (k->type == TOK_SECTION)) {
				if (depth >= r->max_depth) {
					seterr(r->err, r->errlen, k->line,
					    "sections nested deeper than %d",
					    r->max_depth);
					return -1;
				}
				if (k->type == TOK_INVERTED) {
					if (render_range(r, t, i + 1, k->end,
					    depth + 1) == -1)
						return -1;
				} else if (json_is_array(v)) {
					n = json_array_size(v);
					for (j = 0; j < n; j++) {
						/* Empty bodies still cost. */
						if (!charge(r, 1, k->line))
							return -1;
						push_ctx(r, json_array_get(v, j));
						if (render_range(r, t, i + 1,
						    k->end, depth + 1) == -1)
							return -1;
						r->nstack--;
					}
				} else {
					push_ctx(r, v);
					if (render_range(r, t, i + 1, k->end,
					    depth + 1) == -1)
						return -1;
					r->nstack--;
				}
			}
			i = k->end;
			break;
		case TOK_PARTIAL:
			if (render_partial(r, k, depth) == -1)
				return -1;
			i++;
			break;
		}
		if (r->out->len > r->out_limit) {
			seterr(r->err, r->errlen, k->line,
			    "output larger than %zu bytes", MUSTACHE_MAX_OUTPUT);
			return -1;
		}
	}
	return 0;
}

static int
clamp_depth(int max_depth)
{
	if (max_depth <= 0)
		max_depth = MUSTACHE_DEPTH_DEFAULT;
	return max_depth > MUSTACHE_DEPTH_CAP ? MUSTACHE_DEPTH_CAP : max_depth;
}

struct mustache_template *
mustache_compile(const char *tmpl, size_t len, int max_depth, char *err, size_t errlen)
{
	struct mustache_template *mt = xcalloc(1, sizeof(*mt));

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	mt->max_depth = clamp_depth(max_depth);
	if (tmpl == NULL) {
		tmpl = "";
		len = 0;
	}
	if (parse(tmpl, len, mt->max_depth, &mt->t, err, errlen) == -1) {
		mustache_template_free(mt);
		return NULL;
	}
	return mt;
}

void
mustache_template_free(struct mustache_template *mt)
{
	if (mt == NULL)
		return;
	tmpl_free(&mt->t);
	free(mt);
}

int
mustache_render_compiled(const struct mustache_template *mt, json_t *ctx,
    const struct mustache_opts *opts, struct buf *out, char *err, size_t errlen)
{
	struct render r;
	size_t origlen = out->len;
	int rc = -1;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	memset(&r, 0, sizeof(r));
	r.max_depth = mt->max_depth;
	if (opts != NULL) {
		r.partial = opts->partial;
		r.compiled = opts->compiled;
		r.ud = opts->ud;
	}
	r.out = out;
	r.out_limit = origlen + MUSTACHE_MAX_OUTPUT;
	r.err = err;
	r.errlen = errlen;
	push_ctx(&r, ctx);
	if (render_range(&r, &mt->t, 0, mt->t.n, 0) == 0)
		rc = 0;
	if (rc == -1 && out->data != NULL) {
		out->len = origlen;
		out->data[origlen] = '\0';
	}
	free(r.stack);
	return rc;
}

int
mustache_render(const char *tmpl, size_t len, json_t *ctx,
    const struct mustache_opts *opts, struct buf *out, char *err, size_t errlen)
{
	struct mustache_template *mt;
	int rc;

	mt = mustache_compile(tmpl, len, opts != NULL ? opts->max_depth : 0, err, errlen);
	if (mt == NULL)
		return -1;
	rc = mustache_render_compiled(mt, ctx, opts, out, err, errlen);
	mustache_template_free(mt);
	return rc;
}
