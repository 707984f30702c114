/*
 * match.c: the matching engine (pure: structs in, structs out).
 *
 * Design.
 *
 * Preparation turns each person into small integers and bitsets: languages
 * and experience tags become bitsets over the interned names, pathway,
 * region and genders interned ids, weekly availability a 168-bit mask (one
 * bit per hour of the week), a location a unit vector.  A pair is then
 * checked and scored in a few dozen instructions with no allocation, so the
 * feasible-pair graph (tens of millions of pairs at 20,000 x 4,000) is never
 * stored as a whole.
 *
 * The objective (most seekers matched, then the largest total score) is a
 * min-cost flow: source -> "row" nodes -> "column" nodes -> sink, where the
 * rows are the side with the smaller total capacity (mentors, with their
 * free slots, when seekers outnumber the slots; otherwise seekers) and a
 * pair edge costs C - score (C = the largest score the weights allow, so
 * costs are >= 0).  To
 * give every row unit somewhere to go, each row also has an edge to a dummy
 * "unmatched" node costing BIG, larger than any possible difference in total
 * score; then a min-cost flow that saturates every row is exactly the
 * lexicographic optimum (fewest dummies = most pairs, then least cost = most
 * score).  Because every row unit is saturated, successive shortest paths
 * can start from one row unit at a time (the Hungarian method's row by row
 * augmentation) while staying optimal.
 *
 * Each augmentation is a Dijkstra search with Johnson potentials over the
 * row nodes only: a column is either free (its potential always equals the
 * sink's, so reaching it ends the search) or full, and a full column is
 * passed through to the rows it is assigned to, the two edges folded into
 * one.  Each row keeps its feasible columns sorted by (cost, index); a
 * pointer skips columns that have filled up (they never empty again), so
 * the cheapest free column of a row is found in amortised O(1).  Only the
 * full columns *before* that column need relaxing: a path through a full
 * column costing more than the cheapest free one is no shorter than going
 * to the free one directly (potentials of full columns never exceed the
 * sink's).  Tighter still, a full column's "price" cost(holder) +
 * pot(holder) is bounded by hmax, so a row's scan stops at the first entry
 * whose cost alone shows it cannot beat the best distance to the sink.
 *
 * The sorted lists are built lazily: at first each row keeps only its K
 * cheapest columns (found with a histogram over the possible costs: 1,351
 * with the default weights),
 * computed in tiles of rows against each column on all cores; a list is
 * rebuilt whole only when a search runs past its end, which happens near
 * the end of balanced problems.  So memory stays near what searches touch.
 *
 * Everything is integer (scores in hundredths, costs int64): no float ties,
 * and the heap breaks equal keys by node index, so the same input always
 * gives the same output.
 */
#include "matching/match.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/mem.h"

#define HOUR_WORDS	3	/* 168 bits of weekly hours */
#define EARTH_KM	6371.0
#define INF64		INT64_MAX
#define NEAR_BUCKETS	4096
#define HMAX_FLOOR	(-(INT64_C(1) << 60))	/* no full column: nothing to bound */
#define MATCH_MAX_THREADS	16

/* ------------------------------------------------------------------ */
/* Weights.                                                           */

const char *const match_weight_names[MATCH_NWEIGHTS] = {
	"pathway", "hour", "tag", "region", "near", "age_similar", "age_close",
};

const struct match_weights match_weights_default = {
	.pathway = MATCH_W_PATHWAY, .hour = MATCH_W_HOUR, .tag = MATCH_W_TAG,
	.region = MATCH_W_REGION, .near = MATCH_W_NEAR, .age_similar = MATCH_W_AGE_SIMILAR,
	.age_close = MATCH_W_AGE_CLOSE,
};

int *
match_weight_ref(struct match_weights *w, size_t i)
{
	int *const refs[MATCH_NWEIGHTS] = { &w->pathway, &w->hour, &w->tag, &w->region,
		&w->near, &w->age_similar, &w->age_close };

	return i < MATCH_NWEIGHTS ? refs[i] : NULL;
}

const char *
match_weights_check(const struct match_weights *w)
{
	struct match_weights copy = *w;
	size_t i;

	for (i = 0; i < MATCH_NWEIGHTS; i++) {
		int v = *match_weight_ref(&copy, i);
		if (v < 0 || v > MATCH_WEIGHT_MAX)
			return match_weight_names[i];
	}
	return NULL;
}

int
match_score_max(const struct match_weights *w)
{
	if (w == NULL)
		w = &match_weights_default;
	return w->hour * MATCH_MAX_HOURS + w->pathway + w->tag * MATCH_MAX_TAGS + w->region +
	    w->near + (w->age_similar > w->age_close ? w->age_similar : w->age_close);
}

int
match_weight_from_points(double points)
{
	double h;

	if (!isfinite(points) || points < 0 || points > MATCH_WEIGHT_MAX / 100.0)
		return -1;
	h = round(points * 100.0);
	/* 0.1 + 0.2 style binary noise is fine; a third decimal is not */
	if (fabs(points * 100.0 - h) > 1e-6)
		return -1;
	return (int)h;
}

/* ------------------------------------------------------------------ */
/* Interning: string -> dense id, per kind of name.                   */

struct intern {
	const char	**keys;
	int32_t		 *ids;
	size_t		  cap;
	size_t		  n;
};

static uint64_t
hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

/* The id of s, adding it if absent (add) or -1 if absent (!add). */
static int32_t
intern_id(struct intern *t, const char *s, bool add)
{
	size_t i, mask;

	if (s == NULL)
		return -1;
	if (t->cap == 0) {
		if (!add)
			return -1;
		t->cap = 16;
		t->keys = xcalloc(t->cap, sizeof(*t->keys));
		t->ids = xcalloc(t->cap, sizeof(*t->ids));
	}
	mask = t->cap - 1;
	for (i = hash_str(s) & mask; t->keys[i] != NULL; i = (i + 1) & mask)
		if (strcmp(t->keys[i], s) == 0)
			return t->ids[i];
	if (!add)
		return -1;
	if ((t->n + 1) * 2 > t->cap) {
		struct intern g = { xcalloc(t->cap * 2, sizeof(*t->keys)),
		    xcalloc(t->cap * 2, sizeof(*t->ids)), t->cap * 2, 0 };
		size_t j;

		for (j = 0; j < t->cap; j++) {
			if (t->keys[j] == NULL)
				continue;
			for (i = hash_str(t->keys[j]) & (g.cap - 1); g.keys[i] != NULL;
			    i = (i + 1) & (g.cap - 1))
				;
			g.keys[i] = t->keys[j];
			g.ids[i] = t->ids[j];
		}
		g.n = t->n;
		free(t->keys);
		free(t->ids);
		*t = g;
		mask = t->cap - 1;
		for (i = hash_str(s) & mask; t->keys[i] != NULL; i = (i + 1) & mask)
			;
	}
	t->keys[i] = s;
	t->ids[i] = (int32_t)t->n;
	return (int32_t)t->n++;
}

static void
intern_free(struct intern *t)
{
	free(t->keys);
	free(t->ids);
	memset(t, 0, sizeof(*t));
}

/* ------------------------------------------------------------------ */
/* Prepared people.                                                   */

struct pers {
	uint64_t	hours[HOUR_WORDS];
	double		xyz[3];
	int32_t		pathway, region, gender, wants;
	int16_t		age;
	uint8_t		has_loc;
};

/* What each part is worth: the weights, and the distance points by whole km. */
struct wtab {
	struct match_weights w;
	int		near_pts[MATCH_NEAR_KM + 1];
};

struct prep {
	const struct match_input *in;
	struct wtab	  wt;		/* the input's weights, or the defaults */
	int		  smax;		/* the largest score under them */
	size_t		  ns, nm;
	struct pers	 *pp;		/* seekers [0, ns), then mentors */
	size_t		  lw, tw;	/* words per language / tag set */
	uint64_t	 *langs;	/* lw per person */
	uint64_t	 *tags;		/* tw per person */
	int32_t		 *slots;	/* per mentor: free slots if eligible, else 0 */
	int32_t		 *same_id;	/* per seeker: mentor with the same id, or -1 */
	uint32_t	 *boff;		/* blocked mentors per seeker (CSR, sorted) */
	uint32_t	 *bmen;
	struct intern	  names;	/* pathways, regions, genders */
	struct intern	  lang_ids, tag_ids;
	double		  near[MATCH_NEAR_KM + 2];	/* chord^2 at k + 0.5 km, then +inf */
	double		  near_scale;		/* chord^2 -> bucket of near_start */
	uint8_t		  near_start[NEAR_BUCKETS + 1];
};

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static void
prep_person(struct prep *p, size_t i, const struct match_person *in)
{
	struct pers *q = &p->pp[i];
	size_t k, h;

	memset(q, 0, sizeof(*q));
	q->pathway = intern_id(&p->names, in->pathway, true);
	q->region = intern_id(&p->names, in->region, true);
	q->gender = intern_id(&p->names, in->gender, true);
	q->wants = intern_id(&p->names, in->wants_gender, true);
	q->age = (int16_t)(in->age >= 0 && in->age <= MATCH_MAX_AGE ? in->age : -1);
	if (in->has_location) {
		double la = in->lat * M_PI / 180.0, lo = in->lon * M_PI / 180.0;
		q->has_loc = 1;
		q->xyz[0] = cos(la) * cos(lo);
		q->xyz[1] = cos(la) * sin(lo);
		q->xyz[2] = sin(la);
	}
	for (k = 0; k < in->navailability; k++) {
		const struct match_slot *s = &in->availability[k];
		if (s->day < 0 || s->day > 6 || s->start < 0 || s->end > 24)
			continue;
		for (h = (size_t)s->start; h < (size_t)s->end; h++) {
			size_t bit = (size_t)s->day * 24 + h;
			q->hours[bit / 64] |= 1ULL << (bit % 64);
		}
	}
}

static void
set_bits(uint64_t *words, struct intern *t, const char **names, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++) {
		int32_t id = intern_id(t, names[k], false);
		if (id >= 0)
			words[id / 64] |= 1ULL << (id % 64);
	}
}

static struct prep *
prep_new(const struct match_input *in)
{
	struct prep *p = xcalloc(1, sizeof(*p));
	size_t i, k, np = in->nseekers + in->nmentors;
	struct intern ids = { 0 };

	p->in = in;
	p->wt.w = in->weights != NULL ? *in->weights : match_weights_default;
	p->smax = match_score_max(&p->wt.w);
	for (k = 0; k <= MATCH_NEAR_KM; k++)
		p->wt.near_pts[k] = p->wt.w.near * (int)(MATCH_NEAR_KM - k) / MATCH_NEAR_KM;
	p->ns = in->nseekers;
	p->nm = in->nmentors;
	p->pp = xcalloc(np ? np : 1, sizeof(*p->pp));
	for (i = 0; i < np; i++) {
		const struct match_person *x = i < p->ns ? &in->seekers[i] :
		    &in->mentors[i - p->ns];
		prep_person(p, i, x);
		for (k = 0; k < x->nlanguages; k++)
			intern_id(&p->lang_ids, x->languages[k], true);
		for (k = 0; k < x->ntags; k++)
			intern_id(&p->tag_ids, x->tags[k], true);
	}
	p->lw = (p->lang_ids.n + 63) / 64;
	p->tw = (p->tag_ids.n + 63) / 64;
	if (p->lw == 0)
		p->lw = 1;
	if (p->tw == 0)
		p->tw = 1;
	p->langs = xcalloc(np ? np * p->lw : 1, sizeof(uint64_t));
	p->tags = xcalloc(np ? np * p->tw : 1, sizeof(uint64_t));
	for (i = 0; i < np; i++) {
		const struct match_person *x = i < p->ns ? &in->seekers[i] :
		    &in->mentors[i - p->ns];
		set_bits(p->langs + i * p->lw, &p->lang_ids, x->languages, x->nlanguages);
		set_bits(p->tags + i * p->tw, &p->tag_ids, x->tags, x->ntags);
	}

	p->slots = xcalloc(p->nm ? p->nm : 1, sizeof(int32_t));
	for (i = 0; i < p->nm; i++) {
		const struct match_person *m = &in->mentors[i];
		int free_slots = m->capacity - m->current;
		if (m->trained && m->recovery_days >= in->min_recovery_days && free_slots > 0)
			p->slots[i] = free_slots;
	}

	/* A person listed on both sides never pairs with itself. */
	p->same_id = xcalloc(p->ns ? p->ns : 1, sizeof(int32_t));
	for (i = 0; i < p->nm; i++)
		intern_id(&ids, in->mentors[i].id, true);
	for (i = 0; i < p->ns; i++)
		p->same_id[i] = intern_id(&ids, in->seekers[i].id, false);
	intern_free(&ids);

	p->boff = xcalloc(p->ns + 1, sizeof(uint32_t));
	p->bmen = xcalloc(in->nblocked ? in->nblocked : 1, sizeof(uint32_t));
	for (i = 0; i < in->nblocked; i++)
		if (in->blocked[i].seeker < p->ns && in->blocked[i].mentor < p->nm)
			p->boff[in->blocked[i].seeker + 1]++;
	for (i = 0; i < p->ns; i++)
		p->boff[i + 1] += p->boff[i];
	{
		uint32_t *fill = xcalloc(p->ns ? p->ns : 1, sizeof(uint32_t));
		for (i = 0; i < in->nblocked; i++) {
			size_t s = in->blocked[i].seeker;
			if (s < p->ns && in->blocked[i].mentor < p->nm)
				p->bmen[p->boff[s] + fill[s]++] = (uint32_t)in->blocked[i].mentor;
		}
		free(fill);
	}
	for (i = 0; i < p->ns; i++)
		qsort(p->bmen + p->boff[i], p->boff[i + 1] - p->boff[i], sizeof(uint32_t), cmp_u32);

	for (k = 0; k < MATCH_NEAR_KM; k++) {
		double c = 2.0 * sin(((double)k + 0.5) / (2.0 * EARTH_KM));
		p->near[k] = c * c;
	}
	p->near[MATCH_NEAR_KM] = p->near[MATCH_NEAR_KM + 1] = INFINITY;
	/* Bucket i holds c2 from about i / near_scale; its lower bound is taken
	 * one bucket early so floating rounding can never make it too high. */
	p->near_scale = NEAR_BUCKETS / p->near[MATCH_NEAR_KM - 1];
	for (i = 0, k = 0; i <= NEAR_BUCKETS; i++) {
		double start = i > 0 ? (double)(i - 1) / p->near_scale : 0;
		while (k < MATCH_NEAR_KM && p->near[k] <= start)
			k++;
		p->near_start[i] = (uint8_t)k;
	}
	return p;
}

static void
prep_free(struct prep *p)
{
	if (p == NULL)
		return;
	free(p->pp);
	free(p->langs);
	free(p->tags);
	free(p->slots);
	free(p->same_id);
	free(p->boff);
	free(p->bmen);
	intern_free(&p->names);
	intern_free(&p->lang_ids);
	intern_free(&p->tag_ids);
	free(p);
}

/* ------------------------------------------------------------------ */
/* Constraints and score.  s is a seeker index, m a mentor index.     */

#if defined(__x86_64__) || defined(__i386__)
#define POPCNT_TARGET	__attribute__((target("popcnt")))

static bool
cpu_has_popcnt(void)
{
	__builtin_cpu_init();
	return __builtin_cpu_supports("popcnt");
}
#else
#define POPCNT_TARGET	/* other CPUs count bits natively */

static bool
cpu_has_popcnt(void)
{
	return true;
}
#endif

/*
 * The pair check and score run tens of millions of times, on data whose
 * comparisons come out at random, so they are written without branches
 * (booleans used as 0/1), and are inlined into two copies of each hot loop:
 * one for any x86-64 and one using the popcnt instruction, picked at run
 * time (HW is a compile-time constant in each copy).
 */
#define INLINE	static inline __attribute__((always_inline))

/* Bit count: the instruction when HW, else a few shifts and adds. */
INLINE int
pop64(uint64_t x, bool hw)
{
	if (hw)
		return __builtin_popcountll(x);
	x = x - ((x >> 1) & 0x5555555555555555ULL);
	x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
	return (int)((x * 0x0101010101010101ULL) >> 56);
}

/* Languages and gender preferences (the mentor's eligibility is p->slots). */
INLINE bool
compatible(const struct prep *p, size_t s, size_t m)
{
	const struct pers *a = &p->pp[s], *b = &p->pp[p->ns + m];
	const uint64_t *la = p->langs + s * p->lw, *lb = p->langs + (p->ns + m) * p->lw;
	uint64_t any = la[0] & lb[0];
	size_t k;

	for (k = 1; k < p->lw; k++)
		any |= la[k] & lb[k];
	return (any != 0) & ((a->wants < 0) | (a->wants == b->gender)) &
	    ((b->wants < 0) | (b->wants == a->gender));
}

INLINE int
shared_hours(const struct pers *a, const struct pers *b, bool hw)
{
	return pop64(a->hours[0] & b->hours[0], hw) + pop64(a->hours[1] & b->hours[1], hw) +
	    pop64(a->hours[2] & b->hours[2], hw);
}

/*
 * Whole kilometres apart, rounded (the number of near[] thresholds the
 * squared chord reaches): MATCH_NEAR_KM or more, or unknown, gives
 * MATCH_NEAR_KM.  The bucket table gives a lower bound, so a step or two on
 * the exact table remain; no sqrt or asin per pair.
 */
INLINE int
near_km(const struct prep *p, const struct pers *a, const struct pers *b)
{
	double dx, dy, dz, c2, x;
	int k;

	if (!(a->has_loc & b->has_loc))
		return MATCH_NEAR_KM;
	dx = a->xyz[0] - b->xyz[0];
	dy = a->xyz[1] - b->xyz[1];
	dz = a->xyz[2] - b->xyz[2];
	c2 = dx * dx + dy * dy + dz * dz;
	x = c2 * p->near_scale;
	k = p->near_start[x < NEAR_BUCKETS ? (size_t)x : NEAR_BUCKETS];
	/* a bucket spans less than the closest two thresholds: at most one
	 * step remains; two are taken (near[] ends in +inf) to be safe */
	k += c2 >= p->near[k];
	k += c2 >= p->near[k];
	return k;
}

INLINE int
age_points(const struct match_weights *w, const struct pers *a, const struct pers *b)
{
	int d = abs(a->age - b->age), known = (a->age >= 0) & (b->age >= 0);

	return known * ((d <= MATCH_AGE_SIMILAR) * w->age_similar +
	    ((d > MATCH_AGE_SIMILAR) & (d <= MATCH_AGE_CLOSE)) * w->age_close);
}

INLINE int
score_hw(const struct prep *p, const struct wtab *wt, size_t s, size_t m, bool hw)
{
	const struct pers *a = &p->pp[s], *b = &p->pp[p->ns + m];
	const uint64_t *ta = p->tags + s * p->tw, *tb = p->tags + (p->ns + m) * p->tw;
	int v, h, t, km;
	size_t k;

	h = shared_hours(a, b, hw);
	v = wt->w.hour * (h < MATCH_MAX_HOURS ? h : MATCH_MAX_HOURS);
	v += ((a->pathway >= 0) & (a->pathway == b->pathway)) * wt->w.pathway;
	t = pop64(ta[0] & tb[0], hw);
	for (k = 1; k < p->tw; k++)
		t += pop64(ta[k] & tb[k], hw);
	v += wt->w.tag * (t < MATCH_MAX_TAGS ? t : MATCH_MAX_TAGS);
	v += ((a->region >= 0) & (a->region == b->region)) * wt->w.region;
	km = near_km(p, a, b);
	v += wt->near_pts[km];	/* 0 from MATCH_NEAR_KM on */
	return v + age_points(&wt->w, a, b);
}

static int
score(const struct prep *p, size_t s, size_t m)
{
	return score_hw(p, &p->wt, s, m, false);
}

static bool
blocked_slow(const struct prep *p, size_t s, size_t m)
{
	uint32_t lo = p->boff[s], hi = p->boff[s + 1];

	if (p->same_id[s] == (int32_t)m)
		return true;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (p->bmen[mid] == m)
			return true;
		if (p->bmen[mid] < m)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* The next free reason slot (there is always room: MATCH_MAX_REASONS covers every part). */
static char *
next_reason(struct match_reasons *r)
{
	return r->text[r->n < MATCH_MAX_REASONS ? r->n++ : MATCH_MAX_REASONS - 1];
}

/* Fill in why (s, m) scored; returns the sum of the parts (== score()). */
static int
explain(const struct prep *p, size_t s, size_t m, struct match_reasons *r)
{
	const struct match_person *si = &p->in->seekers[s];
	const struct pers *a = &p->pp[s], *b = &p->pp[p->ns + m];
	const uint64_t *tb = p->tags + (p->ns + m) * p->tw;
	int v = 0, h, km, ap, shown = 0;
	size_t k, j;

	/* a part listed is a part that gave points: a weight of 0 lists nothing */
	r->n = 0;
	if (a->pathway >= 0 && a->pathway == b->pathway && p->wt.w.pathway > 0) {
		v += p->wt.w.pathway;
		snprintf(next_reason(r), MATCH_REASON_LEN, "shared pathway: %s", si->pathway);
	}
	h = shared_hours(a, b, false);
	if (h > 0 && p->wt.w.hour > 0) {
		v += p->wt.w.hour * (h < MATCH_MAX_HOURS ? h : MATCH_MAX_HOURS);
		snprintf(next_reason(r), MATCH_REASON_LEN, "%d hour%s of shared weekly availability",
		    h, h == 1 ? "" : "s");
	}
	for (k = 0; k < si->ntags && shown < MATCH_MAX_TAGS && p->wt.w.tag > 0; k++) {
		int32_t id = intern_id((struct intern *)&p->tag_ids, si->tags[k], false);
		bool dup = false;
		if (id < 0 || !(tb[id / 64] >> (id % 64) & 1))
			continue;
		for (j = 0; j < k && !dup; j++)
			dup = strcmp(si->tags[j], si->tags[k]) == 0;
		if (dup)
			continue;
		v += p->wt.w.tag;
		shown++;
		snprintf(next_reason(r), MATCH_REASON_LEN, "shared experience: %s", si->tags[k]);
	}
	if (a->region >= 0 && a->region == b->region && p->wt.w.region > 0) {
		v += p->wt.w.region;
		snprintf(next_reason(r), MATCH_REASON_LEN, "same region");
	}
	km = near_km(p, a, b);
	if (p->wt.near_pts[km] > 0) {
		v += p->wt.near_pts[km];
		if (km == 0)
			snprintf(next_reason(r), MATCH_REASON_LEN, "less than 1 km apart");
		else
			snprintf(next_reason(r), MATCH_REASON_LEN, "%d km apart", km);
	}
	ap = age_points(&p->wt.w, a, b);
	if (ap > 0) {
		v += ap;
		snprintf(next_reason(r), MATCH_REASON_LEN, "%s",
		    abs(a->age - b->age) <= MATCH_AGE_SIMILAR ? "similar age" : "close in age");
	}
	return v;
}

/* ------------------------------------------------------------------ */
/* Public single-pair and all-pairs views.                            */

int
match_pair_score(const struct match_input *in, size_t s, size_t m, struct match_reasons *reasons)
{
	struct prep *p;
	int v = -1;

	if (reasons != NULL)
		reasons->n = 0;
	if (s >= in->nseekers || m >= in->nmentors)
		return -1;
	p = prep_new(in);
	if (p->slots[m] > 0 && compatible(p, s, m) && !blocked_slow(p, s, m)) {
		v = score(p, s, m);
		if (reasons != NULL)
			explain(p, s, m, reasons);
	}
	prep_free(p);
	return v;
}

INLINE void
pair_scores_loop(const struct prep *p, match_pair_fn fn, void *arg, bool hw)
{
	const struct wtab wt = p->wt;	/* a local copy stays in registers (see tile_costs) */
	size_t s, m;

	for (s = 0; s < p->ns; s++) {
		uint32_t b = p->boff[s], be = p->boff[s + 1];
		for (m = 0; m < p->nm; m++) {
			bool blk = false;
			while (b < be && p->bmen[b] < m)
				b++;
			if (b < be && p->bmen[b] == m)
				blk = true;
			if (p->slots[m] == 0 || blk || p->same_id[s] == (int32_t)m ||
			    !compatible(p, s, m))
				continue;
			fn(arg, s, m, score_hw(p, &wt, s, m, hw));
		}
	}
}

POPCNT_TARGET static void
pair_scores_popcnt(const struct prep *p, match_pair_fn fn, void *arg)
{
	pair_scores_loop(p, fn, arg, true);
}

void
match_pair_scores(const struct match_input *in, match_pair_fn fn, void *arg)
{
	struct prep *p = prep_new(in);

	if (cpu_has_popcnt())
		pair_scores_popcnt(p, fn, arg);
	else
		pair_scores_loop(p, fn, arg, false);
	prep_free(p);
}

void
match_format_score(int64_t v, char out[32])
{
	int64_t whole = v / 100, frac = v % 100;

	if (v < 0) {		/* never happens: scores are >= 0 */
		snprintf(out, 32, "0");
		return;
	}
	if (frac == 0)
		snprintf(out, 32, "%lld", (long long)whole);
	else if (frac % 10 == 0)
		snprintf(out, 32, "%lld.%lld", (long long)whole, (long long)(frac / 10));
	else
		snprintf(out, 32, "%lld.%02lld", (long long)whole, (long long)frac);
}

/* ------------------------------------------------------------------ */
/* The solver.                                                        */

/* Scratch space for building the lists of up to TILE rows at once. */
#define TILE	32
/* Costs run 0..smax (the largest score the weights allow), then "infeasible". */
#define HIST_LEN(S)	((size_t)(S)->p->smax + 2)

struct scratch {
	uint16_t	*cost;		/* TILE x ncol: the cost of each pair, NO_COST if infeasible */
	uint32_t	*hist;		/* TILE x HIST_LEN: how many at each cost */
	uint32_t	*start;		/* HIST_LEN */
};

/* A row's feasible columns, the cheapest first: a sorted prefix of K. */
struct clist {
	int32_t		*col;
	uint16_t	*cost;
	uint32_t	 n;		/* stored */
	uint32_t	 ptr;		/* entries before ptr are full columns */
	bool		 complete;	/* n is every feasible column */
};

/* Per-row search state, together so a relaxation touches one cache line. */
struct rowst {
	int64_t		pot;		/* potential; the sink's is 0 */
	int64_t		dist;		/* valid when stamp == now */
	uint32_t	stamp;		/* search that last touched the row */
	uint32_t	done;		/* search that settled the row */
};

struct solver {
	const struct prep *p;
	bool		 rows_are_mentors;
	size_t		 nrow, ncol;
	int32_t		*capr, *capc;		/* capacity of each row / column */
	struct clist	*lists;
	/* flow: columns a row holds (roff/rhold/nrhold), rows a column holds
	 * with the edge cost (coff/chold/chcost/nchold), dummy units per row */
	uint32_t	*roff, *coff;
	int32_t		*rhold, *chold, *nrhold, *nchold, *dummy;
	uint16_t	*chcost;
	uint64_t	*one;			/* capacity-1 columns: holder+1 | cost << 32 */
	struct rowst	*rs;
	int64_t		 big;
	/*
	 * An upper bound on every full column's price, cost(holder) +
	 * pot(holder) (at most the sink's potential, 0).  Potentials only go
	 * down, so it stays a bound; a flip raises it if needed; it is
	 * recomputed exactly after a search that scanned widely.
	 */
	int64_t		 hmax;
	size_t		 last_scan;
	/* Dijkstra */
	int32_t		*pred, *predcol, *heap, *hpos;
	uint16_t	*predcost;
	uint32_t	 now;
	size_t		 hn;
	int32_t		*done;
	size_t		 ndone;
	/* list building */
	struct scratch	 scratch;		/* for single-row rebuilds */
	bool		 popcnt;		/* the CPU has the instruction */
	uint32_t	 k0;
	struct match_stats st;
};

#define NO_COST	0xffffu

/* Seeker and mentor index of (row, col). */
static inline void
pair_of(const struct solver *S, size_t row, size_t col, size_t *s, size_t *m)
{
	if (S->rows_are_mentors) {
		*m = row;
		*s = col;
	} else {
		*s = row;
		*m = col;
	}
}

static void
scratch_init(struct scratch *w, const struct solver *S)
{
	w->cost = xcalloc((size_t)TILE * (S->ncol ? S->ncol : 1), sizeof(uint16_t));
	w->hist = xcalloc((size_t)TILE * HIST_LEN(S), sizeof(uint32_t));
	w->start = xcalloc(HIST_LEN(S), sizeof(uint32_t));
}

static void
scratch_free(struct scratch *w)
{
	free(w->cost);
	free(w->hist);
	free(w->start);
}

/* Keep row's k cheapest entries of cost[] (one per column), in (cost, col) order. */
static void
select_list(struct solver *S, size_t row, uint32_t k, const uint16_t *cost,
    const uint32_t *hist, uint32_t *start)
{
	struct clist *L = &S->lists[row];
	uint32_t feasible = 0, below = 0, take_at, acc = 0, n;
	int threshold, c, smax = S->p->smax;
	size_t col;

	for (c = 0; c <= smax; c++)
		feasible += hist[c];
	if (feasible <= k) {
		n = feasible;
		L->complete = true;
		threshold = smax;
		take_at = hist[smax];
	} else {
		n = k;
		L->complete = false;
		for (c = 0; c < smax && below + hist[c] < k; c++)
			below += hist[c];
		threshold = c;
		take_at = k - below;	/* how many of cost == threshold to keep */
	}
	/* counting sort of the kept entries, stable in column order */
	for (c = 0; c <= smax; c++) {
		start[c] = acc;
		acc += c < threshold ? hist[c] : c == threshold ? take_at : 0;
	}
	L->col = xreallocarray(L->col, n ? n : 1, sizeof(int32_t));
	L->cost = xreallocarray(L->cost, n ? n : 1, sizeof(uint16_t));
	L->n = n;
	for (col = 0; col < S->ncol; col++) {
		uint16_t v = cost[col];
		if (v == NO_COST || v > threshold)
			continue;
		if (v == threshold) {
			if (take_at == 0)
				continue;
			take_at--;
		}
		L->col[start[v]] = (int32_t)col;
		L->cost[start[v]++] = v;
	}
}

/* Is (seeker s, mentor m) ruled out by a rejection or by being one person? */
static inline bool
rejected(const struct prep *p, size_t s, size_t m)
{
	return p->same_id[s] == (int32_t)m ||
	    (p->boff[s] != p->boff[s + 1] && blocked_slow(p, s, m));
}

/* Fill the tile's cost and hist (see build_tile); HW as in score_hw. */
INLINE void
tile_costs(struct solver *S, size_t row0, size_t nt, struct scratch *w, bool hw)
{
	const struct prep *p = S->p;
	/*
	 * A local copy of the weights: the stores into hist (uint32_t) could
	 * alias the prep's ints, which would reload every weight per pair.
	 */
	const struct wtab wt = p->wt;
	size_t col, t, ncol = S->ncol, hist_len = HIST_LEN(S);
	unsigned smax = (unsigned)p->smax;

	for (col = 0; col < ncol; col++) {
		if (S->capc[col] == 0) {
			for (t = 0; t < nt; t++)
				w->cost[t * ncol + col] = NO_COST;
			continue;
		}
		for (t = 0; t < nt; t++) {
			size_t s, m;
			unsigned c, ok;

			pair_of(S, row0 + t, col, &s, &m);
			ok = compatible(p, s, m);
			c = smax - (unsigned)score_hw(p, &wt, s, m, hw);
			if (rejected(p, s, m))
				ok = 0;
			/* infeasible pairs count in the spare bucket past the last cost */
			c = ok ? c : NO_COST;
			w->hist[t * hist_len + (ok ? c : hist_len - 1)]++;
			w->cost[t * ncol + col] = (uint16_t)c;
		}
	}
}

POPCNT_TARGET static void
tile_costs_popcnt(struct solver *S, size_t row0, size_t nt, struct scratch *w)
{
	tile_costs(S, row0, nt, w, true);
}

static void
tile_costs_plain(struct solver *S, size_t row0, size_t nt, struct scratch *w)
{
	tile_costs(S, row0, nt, w, false);
}

/*
 * Build the lists of rows [row0, row0 + nt) with k entries each.  The
 * columns are the long side (up to hundreds of thousands of people), so
 * each column's data is loaded once per tile of rows, not once per row.
 */
static void
build_tile(struct solver *S, size_t row0, size_t nt, uint32_t k, struct scratch *w)
{
	size_t t;

	memset(w->hist, 0, sizeof(uint32_t) * nt * HIST_LEN(S));
	if (S->popcnt)
		tile_costs_popcnt(S, row0, nt, w);
	else
		tile_costs_plain(S, row0, nt, w);
	for (t = 0; t < nt; t++)
		select_list(S, row0 + t, k, w->cost + t * S->ncol, w->hist + t * HIST_LEN(S),
		    w->start);
}

/* Rebuild one row's list with k entries (its prefix stays the same). */
static void
build_list(struct solver *S, size_t row, uint32_t k)
{
	build_tile(S, row, 1, k, &S->scratch);
}

struct builder {
	struct solver	*S;
	size_t		 next;		/* next tile, taken under lock */
	pthread_mutex_t	 lock;
};

static void *
builder_run(void *arg)
{
	struct builder *b = arg;
	struct scratch w;

	scratch_init(&w, b->S);
	for (;;) {
		size_t row0;

		pthread_mutex_lock(&b->lock);
		row0 = b->next;
		b->next += TILE;
		pthread_mutex_unlock(&b->lock);
		if (row0 >= b->S->nrow)
			break;
		build_tile(b->S, row0, b->S->nrow - row0 < TILE ? b->S->nrow - row0 : TILE,
		    b->S->k0, &w);
	}
	scratch_free(&w);
	return NULL;
}

/*
 * Build every row's first list, on several threads: rows are independent
 * and each list is fully determined by its row, so the result is the same
 * whatever the number of threads.
 */
static void
build_all(struct solver *S)
{
	struct builder b = { S, 0, PTHREAD_MUTEX_INITIALIZER };
	pthread_t th[MATCH_MAX_THREADS];
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	size_t n = ncpu > 1 ? (size_t)ncpu : 1, i, started = 0;

	if (n > MATCH_MAX_THREADS)
		n = MATCH_MAX_THREADS;
	if (n > (S->nrow + TILE - 1) / TILE)
		n = (S->nrow + TILE - 1) / TILE;
	for (i = 1; i < n; i++)
		if (pthread_create(&th[started], NULL, builder_run, &b) == 0)
			started++;
	builder_run(&b);
	for (i = 0; i < started; i++)
		pthread_join(th[i], NULL);
}

static inline bool
col_full(const struct solver *S, int32_t col)
{
	return S->rows_are_mentors ? S->one[col] != 0 : S->nchold[col] >= S->capc[col];
}

/* Does row hold an edge to col? */
static inline bool
holds(const struct solver *S, int32_t row, int32_t col)
{
	int32_t i;

	if (S->rows_are_mentors)
		return (int32_t)(S->one[col] & 0xffffffffu) == row + 1;
	if (S->nchold[col] == 0)
		return false;
	if (S->capc[col] <= S->capr[row]) {
		for (i = 0; i < S->nchold[col]; i++)
			if (S->chold[S->coff[col] + i] == row)
				return true;
	} else {
		for (i = 0; i < S->nrhold[row]; i++)
			if (S->rhold[S->roff[row] + i] == col)
				return true;
	}
	return false;
}

/* Index in row's list of its cheapest free column not held by row, or n if none. */
static uint32_t
candidate(struct solver *S, int32_t row)
{
	struct clist *L = &S->lists[row];
	uint32_t q;

	for (;;) {
		while (L->ptr < L->n && col_full(S, L->col[L->ptr]))
			L->ptr++;
		for (q = L->ptr; q < L->n; q++)
			if (!col_full(S, L->col[q]) && !holds(S, row, L->col[q]))
				return q;
		if (L->complete)
			return L->n;
		/* a list that runs out is rebuilt whole: rows get there near the end */
		build_list(S, (size_t)row, UINT32_MAX);
		S->st.regrows++;
	}
}

/* Binary heap of rows keyed by dist, equal keys by row index. */
static inline bool
heap_less(const struct solver *S, int32_t a, int32_t b)
{
	return S->rs[a].dist < S->rs[b].dist || (S->rs[a].dist == S->rs[b].dist && a < b);
}

static void
heap_up(struct solver *S, size_t i)
{
	int32_t x = S->heap[i];

	while (i > 0) {
		size_t up = (i - 1) / 2;
		if (!heap_less(S, x, S->heap[up]))
			break;
		S->heap[i] = S->heap[up];
		S->hpos[S->heap[i]] = (int32_t)i;
		i = up;
	}
	S->heap[i] = x;
	S->hpos[x] = (int32_t)i;
}

static void
heap_down(struct solver *S, size_t i)
{
	int32_t x = S->heap[i];

	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= S->hn)
			break;
		if (c + 1 < S->hn && heap_less(S, S->heap[c + 1], S->heap[c]))
			c++;
		if (!heap_less(S, S->heap[c], x))
			break;
		S->heap[i] = S->heap[c];
		S->hpos[S->heap[i]] = (int32_t)i;
		i = c;
	}
	S->heap[i] = x;
	S->hpos[x] = (int32_t)i;
}

static int32_t
heap_pop(struct solver *S)
{
	int32_t top = S->heap[0];

	S->hpos[top] = -1;
	if (--S->hn > 0) {
		S->heap[0] = S->heap[S->hn];
		heap_down(S, 0);
	}
	return top;
}

/* dist of row as seen in this search (INF if untouched). */
static inline int64_t
dist_of(const struct solver *S, int32_t row)
{
	return S->rs[row].stamp == S->now ? S->rs[row].dist : INF64;
}

static inline void
relax(struct solver *S, int32_t row, int64_t d, int32_t from, int32_t col, uint16_t cost)
{
	if (S->rs[row].done == S->now)
		return;		/* settled (cannot happen: reduced costs are >= 0) */
	if (S->rs[row].stamp != S->now) {
		S->rs[row].stamp = S->now;
		S->rs[row].dist = d;
		S->hpos[row] = -1;
	} else if (d >= S->rs[row].dist) {
		return;
	}
	S->rs[row].dist = d;
	S->pred[row] = from;
	S->predcol[row] = col;
	S->predcost[row] = cost;
	if (S->hpos[row] < 0) {
		S->heap[S->hn] = row;
		S->hpos[row] = (int32_t)S->hn++;
	}
	heap_up(S, (size_t)S->hpos[row]);
}

static inline void
raise_hmax(struct solver *S, int32_t row, uint16_t cost)
{
	if ((int64_t)cost + S->rs[row].pot > S->hmax)
		S->hmax = (int64_t)cost + S->rs[row].pot;
}

static void
recompute_hmax(struct solver *S)
{
	size_t col;
	int32_t j;

	S->hmax = HMAX_FLOOR;
	for (col = 0; col < S->ncol; col++)
		for (j = 0; j < S->nchold[col]; j++)
			raise_hmax(S, S->chold[S->coff[col] + (uint32_t)j],
			    S->chcost[S->coff[col] + (uint32_t)j]);
}

static void
hold_add(struct solver *S, int32_t row, int32_t col, uint16_t cost)
{
	raise_hmax(S, row, cost);
	S->rhold[S->roff[row] + (uint32_t)S->nrhold[row]++] = col;
	S->chold[S->coff[col] + (uint32_t)S->nchold[col]] = row;
	S->chcost[S->coff[col] + (uint32_t)S->nchold[col]++] = cost;

	if (S->capc[col] == 1)
		S->one[col] = (uint64_t)(uint32_t)(row + 1) | (uint64_t)cost << 32;
}

/* Row `from` gives up col to row `to`, whose edge to col costs `cost`. */
static void
hold_give(struct solver *S, int32_t from, int32_t to, int32_t col, uint16_t cost)
{
	int32_t i, *rh = S->rhold + S->roff[from];

	raise_hmax(S, to, cost);
	if (S->capc[col] == 1)
		S->one[col] = (uint64_t)(uint32_t)(to + 1) | (uint64_t)cost << 32;
	for (i = 0; i < S->nchold[col]; i++) {
		if (S->chold[S->coff[col] + (uint32_t)i] == from) {
			S->chold[S->coff[col] + (uint32_t)i] = to;
			S->chcost[S->coff[col] + (uint32_t)i] = cost;
			break;
		}
	}
	for (i = 0; i < S->nrhold[from]; i++) {
		if (rh[i] == col) {
			rh[i] = rh[--S->nrhold[from]];
			break;
		}
	}
}

/*
 * Dijkstra from row src to the sink, then the Johnson update.  Returns D, the distance to the sink, with the last hop
 * in *tfrom / *tcol (-1: the dummy) / *tcost and the path in pred[].
 */
static int64_t
search(struct solver *S, int32_t src, int32_t *tfrom, int32_t *tcol, uint16_t *tcost)
{
	int64_t best = INF64;
	size_t i;

	S->now++;
	S->ndone = 0;
	S->hn = 0;
	*tfrom = *tcol = -1;
	*tcost = 0;
	if (S->last_scan > S->ncol)
		recompute_hmax(S);
	S->last_scan = 0;
	relax(S, src, 0, -1, -1, 0);
	while (S->hn > 0) {
		int32_t row = S->heap[0], *ch;
		struct clist *L;
		uint32_t q, e;
		int64_t d = S->rs[row].dist, base, t;

		if (d >= best)
			break;
		heap_pop(S);
		S->st.pops++;
		S->rs[row].done = S->now;
		S->done[S->ndone++] = row;
		q = candidate(S, row);
		L = &S->lists[row];
		base = d + S->rs[row].pot;
		t = base + (q < L->n ? (int64_t)L->cost[q] : S->big);
		if (t < best) {
			best = t;
			*tfrom = row;
			*tcol = q < L->n ? L->col[q] : -1;
			*tcost = q < L->n ? L->cost[q] : 0;
		}
		/*
		 * Full columns cheaper than the candidate lead on to the rows
		 * holding them.  Through entry e a row is reached at no less
		 * than base + cost[e] - hmax, and the list is sorted by cost, so
		 * the scan ends at the first entry where that reaches best.
		 */
		{
			uint32_t lo = 0, hi = q;
			int64_t limit = best + S->hmax;

			while (lo < hi) {
				uint32_t mid = lo + (hi - lo) / 2;
				if (base + L->cost[mid] >= limit)
					hi = mid;
				else
					lo = mid + 1;
			}
			q = lo;
		}
		S->st.scanned += q;
		S->last_scan += q;
		if (S->rows_are_mentors) {
			/*
			 * Every column holds one row, so its state is one word,
			 * and every column before q is full.  Reduced costs are
			 * non-negative, so a settled row (this one included,
			 * through its own columns) can never be improved: one
			 * comparison decides, with no unpredictable branch.
			 */
			for (e = 0; e < q; e++) {
				uint64_t one = S->one[L->col[e]];
				const struct rowst *R = &S->rs[(uint32_t)one - 1];
				int64_t nd = base + L->cost[e] - (int64_t)(one >> 32) - R->pot;
				int64_t cur = R->stamp == S->now ? R->dist : INF64;

				if (nd < (cur < best ? cur : best))
					relax(S, (int32_t)((uint32_t)one - 1), nd, row, L->col[e],
					    L->cost[e]);
			}
			continue;
		}
		for (e = 0; e < q; e++) {
			int32_t col = L->col[e], j;
			int64_t via;

			if (!col_full(S, col) || holds(S, row, col))
				continue;
			via = base + L->cost[e];
			ch = S->chold + S->coff[col];
			for (j = 0; j < S->nchold[col]; j++) {
				int32_t r2 = ch[j];
				int64_t nd = via - S->chcost[S->coff[col] + (uint32_t)j] - S->rs[r2].pot;

				if (nd < best && nd < dist_of(S, r2))
					relax(S, r2, nd, row, col, L->cost[e]);
			}
		}
	}
	/* Johnson: p += min(d, D) for every node, then shift all by -D. */
	for (i = 0; i < S->ndone; i++) {
		int32_t r = S->done[i];
		S->rs[r].pot += S->rs[r].dist - best;
	}
	S->st.searches++;
	return best;
}

/*
 * Flip the path ending at row tfrom (pred[] back to src), then give tfrom
 * tcol (or a dummy unit): every row on it gives up the column it was
 * reached through, then takes the next one, so no row ever holds more
 * than its capacity.
 */
static void
flip(struct solver *S, int32_t src, int32_t tfrom, int32_t tcol, uint16_t tcost)
{
	int32_t v;

	for (v = tfrom; v != src; v = S->pred[v])
		hold_give(S, v, S->pred[v], S->predcol[v], S->predcost[v]);
	for (v = tfrom; v != src; v = S->pred[v]) {
		int32_t u = S->pred[v];
		S->rhold[S->roff[u] + (uint32_t)S->nrhold[u]++] = S->predcol[v];
	}
	if (tcol >= 0)
		hold_add(S, tfrom, tcol, tcost);
	else
		S->dummy[tfrom]++;
}

/* One unit of flow from row src along a shortest path. */
static void
augment_from(struct solver *S, int32_t src)
{
	int32_t tfrom, tcol;
	uint16_t tcost;

	search(S, src, &tfrom, &tcol, &tcost);
	flip(S, src, tfrom, tcol, tcost);
}

static inline int32_t
units_left(const struct solver *S, int32_t row)
{
	return S->capr[row] - S->nrhold[row] - S->dummy[row];
}

static void
solver_run(struct solver *S)
{
	size_t row;
	int32_t u;

	build_all(S);
	for (row = 0; row < S->nrow; row++) {
		if (S->lists[row].complete && S->lists[row].n == 0) {
			S->dummy[row] = S->capr[row];	/* nothing feasible: unmatched */
			continue;
		}
		for (u = units_left(S, (int32_t)row); u > 0; u--)
			augment_from(S, (int32_t)row);
	}
}

void
match_solve(const struct match_input *in, struct match_result *out)
{
	match_solve_ex(in, out, 0, NULL);
}

void
match_solve_ex(const struct match_input *in, struct match_result *out, unsigned first_k,
    struct match_stats *stats)
{
	struct prep *p = prep_new(in);
	struct solver S = { 0 };
	size_t i, m, nelig = 0;
	int64_t slots = 0;
	int32_t *mentor_of;
	size_t *elig;

	memset(out, 0, sizeof(*out));
	S.p = p;
	/* Only eligible mentors (trained, long enough in recovery, a free slot) take part. */
	elig = xcalloc(p->nm ? p->nm : 1, sizeof(size_t));
	for (m = 0; m < p->nm; m++) {
		if (p->slots[m] > 0) {
			elig[nelig++] = m;
			slots += p->slots[m];
		}
	}
	mentor_of = xcalloc(p->ns ? p->ns : 1, sizeof(int32_t));
	for (i = 0; i < p->ns; i++)
		mentor_of[i] = -1;

	if (nelig > 0 && p->ns > 0) {
		/*
		 * Rows are the side with less capacity: fewer searches, and
		 * each ends quickly at one of the many free columns.  The
		 * engine works on a compacted mentor list; build a sub-prep
		 * view by remapping mentor indexes through elig[].
		 */
		struct match_person *ms = xcalloc(nelig, sizeof(*ms));
		struct match_input sub = *in;
		struct match_block *bl = xcalloc(in->nblocked ? in->nblocked : 1, sizeof(*bl));
		int32_t *newidx = xcalloc(p->nm, sizeof(int32_t));
		size_t nb = 0, nrow, ncol;
		struct prep *q;
		uint64_t units = 0;

		for (m = 0; m < p->nm; m++)
			newidx[m] = -1;
		for (i = 0; i < nelig; i++) {
			ms[i] = in->mentors[elig[i]];
			newidx[elig[i]] = (int32_t)i;
		}
		for (i = 0; i < in->nblocked; i++) {
			if (in->blocked[i].seeker < p->ns && in->blocked[i].mentor < p->nm &&
			    newidx[in->blocked[i].mentor] >= 0) {
				bl[nb].seeker = in->blocked[i].seeker;
				bl[nb++].mentor = (size_t)newidx[in->blocked[i].mentor];
			}
		}
		sub.mentors = ms;
		sub.nmentors = nelig;
		sub.blocked = bl;
		sub.nblocked = nb;
		q = prep_new(&sub);
		S.p = q;
		S.rows_are_mentors = (uint64_t)slots <= (uint64_t)p->ns;
		nrow = S.rows_are_mentors ? nelig : p->ns;
		ncol = S.rows_are_mentors ? p->ns : nelig;
		S.nrow = nrow;
		S.ncol = ncol;
		S.capr = xcalloc(nrow, sizeof(int32_t));
		S.capc = xcalloc(ncol, sizeof(int32_t));
		for (i = 0; i < nrow; i++)
			S.capr[i] = S.rows_are_mentors ? q->slots[i] : 1;
		for (i = 0; i < ncol; i++)
			S.capc[i] = S.rows_are_mentors ? 1 : q->slots[i];
		S.roff = xcalloc(nrow + 1, sizeof(uint32_t));
		S.coff = xcalloc(ncol + 1, sizeof(uint32_t));
		for (i = 0; i < nrow; i++)
			S.roff[i + 1] = S.roff[i] + (uint32_t)S.capr[i];
		for (i = 0; i < ncol; i++)
			S.coff[i + 1] = S.coff[i] + (uint32_t)S.capc[i];
		units = S.rows_are_mentors ? (uint64_t)slots : p->ns;
		S.rhold = xcalloc(S.roff[nrow] ? S.roff[nrow] : 1, sizeof(int32_t));
		S.chold = xcalloc(S.coff[ncol] ? S.coff[ncol] : 1, sizeof(int32_t));
		S.chcost = xcalloc(S.coff[ncol] ? S.coff[ncol] : 1, sizeof(uint16_t));
		S.nrhold = xcalloc(nrow, sizeof(int32_t));
		S.nchold = xcalloc(ncol, sizeof(int32_t));
		S.dummy = xcalloc(nrow, sizeof(int32_t));
		S.rs = xcalloc(nrow, sizeof(*S.rs));
		S.one = xcalloc(ncol, sizeof(uint64_t));
		/* BIG beats any difference in total score over the matched pairs. */
		S.big = (int64_t)q->smax * (int64_t)(units + 2) + 1;
		S.lists = xcalloc(nrow, sizeof(*S.lists));
		S.pred = xcalloc(nrow, sizeof(int32_t));
		S.predcol = xcalloc(nrow, sizeof(int32_t));
		S.predcost = xcalloc(nrow, sizeof(uint16_t));
		S.heap = xcalloc(nrow, sizeof(int32_t));
		S.hpos = xcalloc(nrow, sizeof(int32_t));
		S.done = xcalloc(nrow, sizeof(int32_t));
		scratch_init(&S.scratch, &S);
		S.popcnt = cpu_has_popcnt();
		S.k0 = first_k > 0 ? first_k : 128;
		S.st.rows_are_mentors = S.rows_are_mentors;
		S.st.rows = nrow;
		S.st.cols = ncol;

		solver_run(&S);

		for (i = 0; i < ncol; i++) {
			int32_t j;
			for (j = 0; j < S.nchold[i]; j++) {
				int32_t row = S.chold[S.coff[i] + (uint32_t)j];
				size_t s, mm;
				pair_of(&S, (size_t)row, i, &s, &mm);
				mentor_of[s] = (int32_t)elig[mm];
			}
		}
		if (stats != NULL)
			*stats = S.st;
		for (i = 0; i < nrow; i++) {
			free(S.lists[i].col);
			free(S.lists[i].cost);
		}
		free(S.lists);
		free(S.capr);
		free(S.capc);
		free(S.roff);
		free(S.coff);
		free(S.rhold);
		free(S.chold);
		free(S.chcost);
		free(S.nrhold);
		free(S.nchold);
		free(S.dummy);
		free(S.rs);
		free(S.one);
		free(S.pred);
		free(S.predcol);
		free(S.predcost);
		free(S.heap);
		free(S.hpos);
		free(S.done);
		scratch_free(&S.scratch);
		prep_free(q);
		free(ms);
		free(bl);
		free(newidx);
	}

	/* Results in seeker order, with reasons. */
	for (i = 0; i < p->ns; i++) {
		if (mentor_of[i] >= 0)
			out->nassignments++;
		else
			out->nunmatched++;
	}
	out->assignments = xcalloc(out->nassignments ? out->nassignments : 1,
	    sizeof(*out->assignments));
	out->unmatched = xcalloc(out->nunmatched ? out->nunmatched : 1, sizeof(size_t));
	out->nassignments = out->nunmatched = 0;
	for (i = 0; i < p->ns; i++) {
		if (mentor_of[i] < 0) {
			out->unmatched[out->nunmatched++] = i;
			continue;
		}
		struct match_assignment *a = &out->assignments[out->nassignments++];
		a->seeker = i;
		a->mentor = (size_t)mentor_of[i];
		a->score = explain(p, i, a->mentor, &a->reasons);
		out->total_score += a->score;
	}
	free(mentor_of);
	free(elig);
	prep_free(p);
}

void
match_result_free(struct match_result *r)
{
	free(r->assignments);
	free(r->unmatched);
	memset(r, 0, sizeof(*r));
}
