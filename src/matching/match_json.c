/*
 * match_json.c: read and check the JSON input of `circles match`, write
 * its answers.
 *
 * Validation is strict on purpose: an unknown field is usually a typo
 * ("wants_gendr") that would silently drop a hard constraint, so it is an
 * error, as are wrong types, out-of-range numbers, duplicate ids and
 * duplicate keys.  The first problem is reported with its place in the
 * document.  Strings keep pointing into the jansson tree; arrays live in
 * an arena, so freeing a document is two calls.
 *
 * Output is written directly (not built as a jansson tree): --pair-scores
 * can print tens of millions of pairs.
 */
#include "matching/match_json.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/str.h"

struct pctx {
	char		*err;
	size_t		 errlen;
	struct arena	*a;
};

static int
fail(struct pctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, c->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* ------------------------------------------------------------------ */
/* Id sets for duplicate detection.                                   */

struct idset {
	const char	**keys;
	size_t		 *idx;
	size_t		  cap;
};

static uint64_t
hash_id(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

static void
idset_init(struct idset *t, size_t n)
{
	t->cap = 16;
	while (t->cap < n * 2)
		t->cap *= 2;
	t->keys = xcalloc(t->cap, sizeof(*t->keys));
	t->idx = xcalloc(t->cap, sizeof(*t->idx));
}

/* Add id at index i; returns the earlier index if the id is already there, else -1. */
static long
idset_add(struct idset *t, const char *id, size_t i)
{
	size_t h;

	for (h = hash_id(id) & (t->cap - 1); t->keys[h] != NULL; h = (h + 1) & (t->cap - 1))
		if (strcmp(t->keys[h], id) == 0)
			return (long)t->idx[h];
	t->keys[h] = id;
	t->idx[h] = i;
	return -1;
}

static long
idset_find(const struct idset *t, const char *id)
{
	size_t h;

	for (h = hash_id(id) & (t->cap - 1); t->keys[h] != NULL; h = (h + 1) & (t->cap - 1))
		if (strcmp(t->keys[h], id) == 0)
			return (long)t->idx[h];
	return -1;
}

static void
idset_free(struct idset *t)
{
	free(t->keys);
	free(t->idx);
}

/* ------------------------------------------------------------------ */
/* Field readers.  `where` is the place, e.g. "seekers[3].pathway".    */

/* A non-empty string of at most MATCH_MAX_TEXT bytes. */
static int
read_text(struct pctx *c, const char *where, json_t *v, const char **out)
{
	const char *s;
	size_t n;

	if (!json_is_string(v))
		return fail(c, "%s: must be a string", where);
	s = json_string_value(v);
	n = json_string_length(v);
	if (n == 0)
		return fail(c, "%s: must not be empty", where);
	if (n > MATCH_MAX_TEXT)
		return fail(c, "%s: must be at most %d bytes", where, MATCH_MAX_TEXT);
	if (strlen(s) != n)
		return fail(c, "%s: must not contain NUL characters", where);
	*out = s;
	return 0;
}

/* A string or null (absent: null). */
static int
read_opt_text(struct pctx *c, const char *where, json_t *v, const char **out)
{
	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return fail(c, "%s: must be a string or null", where);
	return read_text(c, where, v, out);
}

static int
read_int(struct pctx *c, const char *where, json_t *v, long long lo, long long hi,
    long long *out)
{
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
		return fail(c, "%s: must be a whole number from %lld to %lld", where, lo, hi);
	*out = json_integer_value(v);
	return 0;
}

/* An array of 0..MATCH_MAX_LIST strings (null or absent: empty unless required). */
static int
read_names(struct pctx *c, const char *where, json_t *v, bool required, const char ***out,
    size_t *n)
{
	size_t i;
	json_t *x;
	char sub[160];

	*out = NULL;
	*n = 0;
	if (v == NULL || json_is_null(v)) {
		if (required)
			return fail(c, "%s: required (a list of at least one)", where);
		return 0;
	}
	if (!json_is_array(v))
		return fail(c, "%s: must be an array of strings", where);
	if (json_array_size(v) > MATCH_MAX_LIST)
		return fail(c, "%s: at most %d entries", where, MATCH_MAX_LIST);
	if (required && json_array_size(v) == 0)
		return fail(c, "%s: must list at least one", where);
	*out = arena_alloc(c->a, (json_array_size(v) + 1) * sizeof(char *));
	json_array_foreach(v, i, x) {
		snprintf(sub, sizeof(sub), "%s[%zu]", where, i);
		if (read_text(c, sub, x, &(*out)[i]) == -1)
			return -1;
	}
	*n = json_array_size(v);
	return 0;
}

static int
read_availability(struct pctx *c, const char *where, json_t *v, struct match_person *p)
{
	static const char *names[3] = { "day", "start hour", "end hour" };
	static const int lo[3] = { 0, 0, 1 }, hi[3] = { 6, 23, 24 };
	struct match_slot *slots;
	size_t i, k;
	json_t *x;

	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return fail(c, "%s: must be an array of [day, start hour, end hour]", where);
	if (json_array_size(v) > MATCH_MAX_LIST)
		return fail(c, "%s: at most %d entries", where, MATCH_MAX_LIST);
	slots = arena_alloc(c->a, (json_array_size(v) + 1) * sizeof(*slots));
	json_array_foreach(v, i, x) {
		int val[3];

		if (!json_is_array(x) || json_array_size(x) != 3)
			return fail(c, "%s[%zu]: must be [day, start hour, end hour]", where, i);
		for (k = 0; k < 3; k++) {
			json_t *e = json_array_get(x, k);
			if (!json_is_integer(e))
				return fail(c, "%s[%zu][%zu]: %s must be a whole number", where, i,
				    k, names[k]);
			if (json_integer_value(e) < lo[k] || json_integer_value(e) > hi[k])
				return fail(c, "%s[%zu][%zu]: %s must be %d-%d", where, i, k,
				    names[k], lo[k], hi[k]);
			val[k] = (int)json_integer_value(e);
		}
		if (val[1] >= val[2])
			return fail(c, "%s[%zu]: start hour must be before end hour", where, i);
		slots[i].day = val[0];
		slots[i].start = val[1];
		slots[i].end = val[2];
	}
	p->availability = slots;
	p->navailability = json_array_size(v);
	return 0;
}

static const char *const person_fields[] = { "id", "languages", "gender", "wants_gender",
	"pathway", "tags", "age", "region", "lat", "lon", "availability", NULL };
static const char *const mentor_fields[] = { "capacity", "current", "trained",
	"recovery_days", NULL };

static bool
in_list(const char *const *list, const char *k)
{
	for (; *list; list++)
		if (strcmp(*list, k) == 0)
			return true;
	return false;
}

static int
read_person(struct pctx *c, const char *list, size_t i, json_t *o, bool mentor,
    struct match_person *p)
{
	char w[160];
	const char *k;
	json_t *v;
	long long n;

#define AT(field) (snprintf(w, sizeof(w), "%s[%zu].%s", list, i, field), w)
	memset(p, 0, sizeof(*p));
	p->age = -1;
	if (!json_is_object(o))
		return fail(c, "%s[%zu]: must be an object", list, i);
	json_object_foreach(o, k, v) {
		if (in_list(person_fields, k) || (mentor && in_list(mentor_fields, k)))
			continue;
		if (!mentor && in_list(mentor_fields, k))
			return fail(c, "%s: unknown field (only mentors have %s)", AT(k), k);
		return fail(c, "%s: unknown field", AT(k));
	}
	v = json_object_get(o, "id");
	if (v == NULL || json_is_null(v))
		return fail(c, "%s: required", AT("id"));
	if (read_text(c, AT("id"), v, &p->id) == -1)
		return -1;
	if (read_names(c, AT("languages"), json_object_get(o, "languages"), true,
	    &p->languages, &p->nlanguages) == -1)
		return -1;
	if (read_opt_text(c, AT("gender"), json_object_get(o, "gender"), &p->gender) == -1 ||
	    read_opt_text(c, AT("wants_gender"), json_object_get(o, "wants_gender"),
	    &p->wants_gender) == -1 ||
	    read_opt_text(c, AT("pathway"), json_object_get(o, "pathway"), &p->pathway) == -1 ||
	    read_opt_text(c, AT("region"), json_object_get(o, "region"), &p->region) == -1)
		return -1;
	if (read_names(c, AT("tags"), json_object_get(o, "tags"), false, &p->tags,
	    &p->ntags) == -1)
		return -1;
	v = json_object_get(o, "age");
	if (v != NULL && !json_is_null(v)) {
		if (read_int(c, AT("age"), v, 0, MATCH_MAX_AGE, &n) == -1)
			return -1;
		p->age = (int)n;
	}
	{
		json_t *la = json_object_get(o, "lat"), *lo = json_object_get(o, "lon");
		bool has_la = la != NULL && !json_is_null(la), has_lo = lo != NULL && !json_is_null(lo);

		if (has_la && (!json_is_number(la) || json_number_value(la) < -90 ||
		    json_number_value(la) > 90))
			return fail(c, "%s: must be a number from -90 to 90", AT("lat"));
		if (has_lo && (!json_is_number(lo) || json_number_value(lo) < -180 ||
		    json_number_value(lo) > 180))
			return fail(c, "%s: must be a number from -180 to 180", AT("lon"));
		if (has_la != has_lo)
			return fail(c, "%s: required with %s (give both or neither)",
			    AT(has_la ? "lon" : "lat"), has_la ? "lat" : "lon");
		if (has_la) {
			p->has_location = true;
			p->lat = json_number_value(la);
			p->lon = json_number_value(lo);
		}
	}
	if (read_availability(c, AT("availability"), json_object_get(o, "availability"), p) == -1)
		return -1;
	if (!mentor)
		return 0;
	v = json_object_get(o, "capacity");
	if (v == NULL || json_is_null(v))
		return fail(c, "%s: required (how many people this mentor can take)",
		    AT("capacity"));
	if (json_is_integer(v) && json_integer_value(v) < 0)
		return fail(c, "%s: must not be negative", AT("capacity"));
	if (read_int(c, AT("capacity"), v, 0, MATCH_MAX_CAPACITY, &n) == -1)
		return -1;
	p->capacity = (int)n;
	v = json_object_get(o, "current");
	if (v != NULL && !json_is_null(v)) {
		if (json_is_integer(v) && json_integer_value(v) < 0)
			return fail(c, "%s: must not be negative", AT("current"));
		if (read_int(c, AT("current"), v, 0, MATCH_MAX_CAPACITY, &n) == -1)
			return -1;
		if (n > p->capacity)
			return fail(c, "%s: must not be more than capacity (%d)", AT("current"),
			    p->capacity);
		p->current = (int)n;
	}
	v = json_object_get(o, "trained");
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_boolean(v))
			return fail(c, "%s: must be true or false", AT("trained"));
		p->trained = json_is_true(v);
	}
	v = json_object_get(o, "recovery_days");
	if (v != NULL && !json_is_null(v)) {
		if (read_int(c, AT("recovery_days"), v, 0, MATCH_MAX_DAYS, &n) == -1)
			return -1;
		p->recovery_days = n;
	}
	return 0;
#undef AT
}

static int
read_people(struct pctx *c, json_t *root, const char *list, bool mentor,
    const struct match_person **out, size_t *n, struct idset *ids)
{
	json_t *v = json_object_get(root, list), *x;
	struct match_person *people;
	size_t i;
	long dup;

	if (v == NULL)
		return fail(c, "%s: required (an array, possibly empty)", list);
	if (!json_is_array(v))
		return fail(c, "%s: must be an array", list);
	if (json_array_size(v) > MATCH_MAX_PEOPLE)
		return fail(c, "%s: at most %d people", list, MATCH_MAX_PEOPLE);
	people = arena_zalloc(c->a, (json_array_size(v) + 1) * sizeof(*people));
	idset_init(ids, json_array_size(v));
	json_array_foreach(v, i, x) {
		if (read_person(c, list, i, x, mentor, &people[i]) == -1)
			return -1;
		if ((dup = idset_add(ids, people[i].id, i)) >= 0)
			return fail(c, "%s[%zu].id: duplicate id (also %s[%ld])", list, i, list, dup);
	}
	*out = people;
	*n = json_array_size(v);
	return 0;
}

static int
read_blocked(struct pctx *c, json_t *v, const struct idset *seekers,
    const struct idset *mentors, struct match_input *in)
{
	struct match_block *b;
	size_t i, n = 0;
	json_t *x;

	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return fail(c, "blocked: must be an array of [seeker id, mentor id]");
	if (json_array_size(v) > MATCH_MAX_BLOCKED)
		return fail(c, "blocked: at most %d pairs", MATCH_MAX_BLOCKED);
	b = arena_alloc(c->a, (json_array_size(v) + 1) * sizeof(*b));
	json_array_foreach(v, i, x) {
		const char *s, *m;
		long si, mi;
		char w[64];

		if (!json_is_array(x) || json_array_size(x) != 2)
			return fail(c, "blocked[%zu]: must be [seeker id, mentor id]", i);
		snprintf(w, sizeof(w), "blocked[%zu][0]", i);
		if (read_text(c, w, json_array_get(x, 0), &s) == -1)
			return -1;
		snprintf(w, sizeof(w), "blocked[%zu][1]", i);
		if (read_text(c, w, json_array_get(x, 1), &m) == -1)
			return -1;
		/* A rejected pair with someone not listed now is simply kept out. */
		si = idset_find(seekers, s);
		mi = idset_find(mentors, m);
		if (si < 0 || mi < 0)
			continue;
		b[n].seeker = (size_t)si;
		b[n++].mentor = (size_t)mi;
	}
	in->blocked = b;
	in->nblocked = n;
	return 0;
}

/* "weights": {name: points, ...}; absent names keep the defaults. */
static int
read_weights(struct pctx *c, json_t *v, struct match_weights *w)
{
	const char *k;
	json_t *x;
	size_t i;

	*w = match_weights_default;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_object(v))
		return fail(c, "weights: must be an object of points by part (pathway, hour, tag, "
		    "region, near, age_similar, age_close)");
	json_object_foreach(v, k, x) {
		int h = -1;

		for (i = 0; i < MATCH_NWEIGHTS; i++)
			if (strcmp(k, match_weight_names[i]) == 0)
				break;
		if (i == MATCH_NWEIGHTS)
			return fail(c, "weights.%.100s: unknown field (expected pathway, hour, tag, "
			    "region, near, age_similar, age_close)", k);
		if (json_is_number(x))
			h = match_weight_from_points(json_number_value(x));
		if (h < 0)
			return fail(c, "weights.%s: must be a number of points from 0 to %d with at "
			    "most two decimals", k, MATCH_WEIGHT_MAX / 100);
		*match_weight_ref(w, i) = h;
	}
	return 0;
}

int
match_json_parse(const char *text, size_t len, struct match_doc *doc, char *err, size_t errlen)
{
	struct pctx c = { err, errlen, &doc->arena };
	struct idset sids = { 0 }, mids = { 0 };
	json_error_t je;
	const char *k;
	json_t *v;
	long long n;
	int rc = -1;

	memset(doc, 0, sizeof(*doc));
	arena_init(&doc->arena);
	if (errlen > 0)
		err[0] = '\0';
	if (len > MATCH_JSON_MAX_BYTES) {
		fail(&c, "the input is larger than %u MiB", MATCH_JSON_MAX_BYTES >> 20);
		goto out;
	}
	doc->root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (doc->root == NULL) {
		fail(&c, "line %d, column %d: %s", je.line, je.column, je.text);
		goto out;
	}
	if (!json_is_object(doc->root)) {
		fail(&c, "the input must be a JSON object with seekers and mentors");
		goto out;
	}
	json_object_foreach(doc->root, k, v) {
		if (strcmp(k, "seekers") != 0 && strcmp(k, "mentors") != 0 &&
		    strcmp(k, "blocked") != 0 && strcmp(k, "min_recovery_days") != 0 &&
		    strcmp(k, "weights") != 0) {
			fail(&c, "%.100s: unknown field (expected seekers, mentors, blocked, "
			    "min_recovery_days, weights)", k);
			goto out;
		}
	}
	if (read_people(&c, doc->root, "seekers", false, &doc->in.seekers, &doc->in.nseekers,
	    &sids) == -1)
		goto out;
	if (read_people(&c, doc->root, "mentors", true, &doc->in.mentors, &doc->in.nmentors,
	    &mids) == -1)
		goto out;
	if (read_blocked(&c, json_object_get(doc->root, "blocked"), &sids, &mids, &doc->in) == -1)
		goto out;
	v = json_object_get(doc->root, "min_recovery_days");
	if (v != NULL && !json_is_null(v)) {
		if (read_int(&c, "min_recovery_days", v, 0, MATCH_MAX_DAYS, &n) == -1)
			goto out;
		doc->in.min_recovery_days = n;
	}
	if (read_weights(&c, json_object_get(doc->root, "weights"), &doc->weights) == -1)
		goto out;
	doc->in.weights = &doc->weights;
	rc = 0;
out:
	if (sids.keys)
		idset_free(&sids);
	if (mids.keys)
		idset_free(&mids);
	if (rc == -1)
		match_doc_free(doc);
	return rc;
}

void
match_doc_free(struct match_doc *doc)
{
	if (doc->root != NULL)
		json_decref(doc->root);
	arena_free(&doc->arena);
	memset(doc, 0, sizeof(*doc));
}

/* ------------------------------------------------------------------ */
/* Output.                                                            */

static void
put_json_string(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	buf_append_json(b, s, strlen(s));
	buf_putc(b, '"');
}

static int
flush(FILE *f, struct buf *b)
{
	if (b->len > 0 && fwrite(b->data, 1, b->len, f) != b->len)
		return -1;
	b->len = 0;
	return 0;
}

int
match_json_write_result(FILE *f, const struct match_input *in, const struct match_result *r)
{
	struct buf b = BUF_INIT;
	char num[32];
	size_t i, k;
	int rc = 0;

	buf_puts(&b, "{\"assignments\": [");
	for (i = 0; i < r->nassignments && rc == 0; i++) {
		const struct match_assignment *a = &r->assignments[i];

		buf_puts(&b, i ? ",\n  {\"seeker\": " : "\n  {\"seeker\": ");
		put_json_string(&b, in->seekers[a->seeker].id);
		buf_puts(&b, ", \"mentor\": ");
		put_json_string(&b, in->mentors[a->mentor].id);
		match_format_score(a->score, num);
		buf_printf(&b, ", \"score\": %s, \"reasons\": [", num);
		for (k = 0; k < a->reasons.n; k++) {
			if (k)
				buf_puts(&b, ", ");
			put_json_string(&b, a->reasons.text[k]);
		}
		buf_puts(&b, "]}");
		if (b.len > 65536)
			rc = flush(f, &b);
	}
	buf_puts(&b, r->nassignments ? "\n],\n\"unmatched\": [" : "],\n\"unmatched\": [");
	for (i = 0; i < r->nunmatched && rc == 0; i++) {
		if (i)
			buf_puts(&b, ", ");
		put_json_string(&b, in->seekers[r->unmatched[i]].id);
		if (b.len > 65536)
			rc = flush(f, &b);
	}
	match_format_score(r->total_score, num);
	buf_printf(&b, "],\n\"total_score\": %s}\n", num);
	if (rc == 0)
		rc = flush(f, &b);
	buf_free(&b);
	if (rc == 0 && fflush(f) != 0)
		rc = -1;
	return rc;
}

struct pair_writer {
	FILE		*f;
	struct buf	 b;
	char		**sid, **mid;	/* ids, already JSON-escaped and quoted */
	bool		 first;
	int		 rc;
};

static void
write_pair(void *arg, size_t s, size_t m, int score)
{
	struct pair_writer *w = arg;
	char num[32];

	if (w->rc != 0)
		return;
	buf_puts(&w->b, w->first ? "\n  {\"seeker\": " : ",\n  {\"seeker\": ");
	w->first = false;
	buf_puts(&w->b, w->sid[s]);
	buf_puts(&w->b, ", \"mentor\": ");
	buf_puts(&w->b, w->mid[m]);
	match_format_score(score, num);
	buf_puts(&w->b, ", \"score\": ");
	buf_puts(&w->b, num);
	buf_putc(&w->b, '}');
	if (w->b.len > (1u << 20))
		w->rc = flush(w->f, &w->b);
}

static char *
quoted(const char *s)
{
	struct buf b = BUF_INIT;

	put_json_string(&b, s);
	return buf_steal(&b);
}

int
match_json_write_pairs(FILE *f, const struct match_input *in)
{
	struct pair_writer w = { f, BUF_INIT, NULL, NULL, true, 0 };
	size_t i;

	w.sid = xcalloc(in->nseekers + 1, sizeof(char *));
	w.mid = xcalloc(in->nmentors + 1, sizeof(char *));
	for (i = 0; i < in->nseekers; i++)
		w.sid[i] = quoted(in->seekers[i].id);
	for (i = 0; i < in->nmentors; i++)
		w.mid[i] = quoted(in->mentors[i].id);
	buf_puts(&w.b, "{\"pairs\": [");
	match_pair_scores(in, write_pair, &w);
	buf_puts(&w.b, w.first ? "]}\n" : "\n]}\n");
	if (w.rc == 0)
		w.rc = flush(f, &w.b);
	if (w.rc == 0 && fflush(f) != 0)
		w.rc = -1;
	for (i = 0; i < in->nseekers; i++)
		free(w.sid[i]);
	for (i = 0; i < in->nmentors; i++)
		free(w.mid[i]);
	free(w.sid);
	free(w.mid);
	buf_free(&w.b);
	return w.rc;
}
