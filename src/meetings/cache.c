/*
 * cache.c: the finder's snapshot (see cache.h).
 *
 * Consistency: the snapshot is built by reading the version, then every
 * meeting and exception, then the version again; if a write committed in
 * between, the read is repeated.  Writers bump the version in the same
 * transaction as their change, so a snapshot holds exactly the data of
 * its version.
 */
#include "meetings/cache.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "base/log.h"
#include "base/mem.h"
#include "formats/meetingguide.h"
#include "meetings/store.h"

#define GZ_SLOTS	16
#define BODY_SLOTS	32
#define BODY_MAX	(4 * 1024 * 1024)	/* answers larger than this are not kept */

struct gz_slot {
	uint64_t	 key;
	char		*data;
	size_t		 len;
};

/* A kept answer; responses lend it while a newer answer may replace it. */
struct blob {
	atomic_int	 refs;
	size_t		 len;
	char		 data[];
};

struct body_slot {
	char		*canonical;
	struct blob	*blob;
	uint64_t	 used;		/* for replacing the least recently used */
};

struct finder_snapshot_priv {
	struct arena	 arena;
	atomic_int	 refs;
	pthread_mutex_t	 gz_lock;
	struct gz_slot	 gz[GZ_SLOTS];
	size_t		 gz_next;
	pthread_mutex_t	 body_lock;
	struct body_slot body[BODY_SLOTS];
	uint64_t	 body_clock;
	long		*by_slug;	/* item indexes sorted by slug */
	struct buf	 json, feed;
};

static pthread_mutex_t cur_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t build_lock = PTHREAD_MUTEX_INITIALIZER;
static struct finder_snapshot *cur;

static void
blob_release(void *arg)
{
	struct blob *b = arg;

	if (b != NULL && atomic_fetch_sub(&b->refs, 1) == 1)
		free(b);
}

static void
snapshot_free(struct finder_snapshot *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < GZ_SLOTS; i++)
		free(s->priv->gz[i].data);
	for (i = 0; i < BODY_SLOTS; i++) {
		free(s->priv->body[i].canonical);
		blob_release(s->priv->body[i].blob);
	}
	pthread_mutex_destroy(&s->priv->gz_lock);
	pthread_mutex_destroy(&s->priv->body_lock);
	buf_free(&s->priv->json);
	buf_free(&s->priv->feed);
	arena_free(&s->priv->arena);
	free(s->priv);
	free(s);
}

void
finder_release(const struct finder_snapshot *cs)
{
	struct finder_snapshot *s = (struct finder_snapshot *)cs;

	if (s != NULL && atomic_fetch_sub(&s->priv->refs, 1) == 1)
		snapshot_free(s);
}

static void
snapshot_release(void *arg)
{
	finder_release(arg);
}

void
finder_lend(const struct finder_snapshot *s, const char *data, size_t len,
    struct http_response *r)
{
	atomic_fetch_add(&s->priv->refs, 1);
	http_response_lend(r, data, len, snapshot_release, (void *)s);
}

static const struct finder_snapshot *sort_base;

static int
slug_cmp(const void *a, const void *b)
{
	return strcmp(sort_base->items[*(const long *)a].m->slug,
	    sort_base->items[*(const long *)b].m->slug);
}

static uint64_t
fnv(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 1469598103934665603ULL;

	while (n--)
		h = (h ^ *s++) * 1099511628211ULL;
	return h;
}

/* Build a snapshot of the database as it is now; NULL on a read error. */
static struct finder_snapshot *
build(struct db *db)
{
	struct finder_snapshot *s;
	struct finder_snapshot_priv *p;
	struct meeting *ms;
	struct meeting_exception_row *ex;
	size_t nm, nex, i, k, e;
	int64_t v1, v2, changed;
	int tries;
	bool first = true;

	s = xcalloc(1, sizeof(*s));
	p = s->priv = xcalloc(1, sizeof(*p));
	arena_init(&p->arena);
	pthread_mutex_init(&p->gz_lock, NULL);
	pthread_mutex_init(&p->body_lock, NULL);
	atomic_init(&p->refs, 1);
	for (tries = 0;; tries++) {
		arena_free(&p->arena);
		if ((v1 = meetings_version(db, &changed)) < 0 ||
		    meetings_load_all(db, &p->arena, &ms, &nm) == -1 ||
		    meetings_load_exceptions(db, &p->arena, 0, &ex, &nex) == -1 ||
		    (v2 = meetings_version(db, NULL)) < 0) {
			snapshot_free(s);
			return NULL;
		}
		if (v1 == v2 || tries == 4)
			break;
	}
	s->version = v1;
	s->changed_at = changed;
	s->n = nm;
	s->items = arena_zalloc(&p->arena, (nm + 1) * sizeof(*s->items));
	/* Exceptions come ordered by meeting id, meetings too: walk both. */
	for (i = 0, e = 0; i < nm; i++) {
		struct sched_exception *mine = NULL;
		size_t cnt = 0;

		while (e < nex && ex[e].meeting_id < ms[i].id)
			e++;
		for (k = e; k < nex && ex[k].meeting_id == ms[i].id; k++)
			cnt++;
		if (cnt) {
			mine = arena_alloc(&p->arena, cnt * sizeof(*mine));
			for (k = 0; k < cnt; k++)
				mine[k] = ex[e + k].ex;
		}
		finder_item_init(&p->arena, &s->items[i], &ms[i], mine, cnt);
	}
	qsort(s->items, nm, sizeof(*s->items), finder_item_cmp);

	s->json_off = arena_alloc(&p->arena, (nm + 1) * sizeof(size_t));
	s->json_len = arena_alloc(&p->arena, (nm + 1) * sizeof(size_t));
	buf_putc(&p->feed, '[');
	for (i = 0; i < nm; i++) {
		size_t start = p->json.len;

		mg_write_meeting(&p->json, s->items[i].m);
		s->json_off[i] = start;
		s->json_len[i] = p->json.len - start;
		if (s->items[i].in_feed) {
			if (!first)
				buf_putc(&p->feed, ',');
			buf_append(&p->feed, p->json.data + start, p->json.len - start);
			first = false;
		}
	}
	buf_puts(&p->feed, "]\n");
	s->json = p->json.data ? p->json.data : "";
	s->feed = p->feed.data;
	s->feed_len = p->feed.len;
	snprintf(s->feed_etag, sizeof(s->feed_etag), "\"mg%lld-%08llx\"", (long long)s->version,
	    (unsigned long long)(fnv(s->feed, s->feed_len) & 0xffffffffULL));

	p->by_slug = arena_alloc(&p->arena, (nm + 1) * sizeof(long));
	for (i = 0; i < nm; i++)
		p->by_slug[i] = (long)i;
	sort_base = s;		/* under build_lock */
	qsort(p->by_slug, nm, sizeof(long), slug_cmp);
	sort_base = NULL;
	return s;
}

const struct finder_snapshot *
finder_acquire(struct db *db)
{
	struct finder_snapshot *s, *old = NULL;
	int64_t v = meetings_version(db, NULL);

	if (v < 0)
		return NULL;
	pthread_mutex_lock(&cur_lock);
	if (cur != NULL && cur->version == v) {
		atomic_fetch_add(&cur->priv->refs, 1);
		s = cur;
		pthread_mutex_unlock(&cur_lock);
		return s;
	}
	pthread_mutex_unlock(&cur_lock);

	pthread_mutex_lock(&build_lock);
	pthread_mutex_lock(&cur_lock);
	if (cur != NULL && cur->version >= v) {
		/* Built meanwhile by another thread (or newer still). */
		atomic_fetch_add(&cur->priv->refs, 1);
		s = cur;
		pthread_mutex_unlock(&cur_lock);
		pthread_mutex_unlock(&build_lock);
		return s;
	}
	pthread_mutex_unlock(&cur_lock);
	s = build(db);
	if (s == NULL) {
		pthread_mutex_unlock(&build_lock);
		return NULL;
	}
	atomic_fetch_add(&s->priv->refs, 1);	/* one for cur, one for the caller */
	pthread_mutex_lock(&cur_lock);
	old = cur;
	cur = s;
	pthread_mutex_unlock(&cur_lock);
	pthread_mutex_unlock(&build_lock);
	finder_release(old);
	return s;
}

void
finder_cache_reset(void)
{
	struct finder_snapshot *old;

	pthread_mutex_lock(&cur_lock);
	old = cur;
	cur = NULL;
	pthread_mutex_unlock(&cur_lock);
	finder_release(old);
}

long
finder_find_slug(const struct finder_snapshot *s, const char *slug)
{
	long lo = 0, hi = (long)s->n - 1;

	while (lo <= hi) {
		long mid = lo + (hi - lo) / 2, idx = s->priv->by_slug[mid];
		int c = strcmp(s->items[idx].m->slug, slug);

		if (c == 0)
			return idx;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

static char *
gzip(const char *data, size_t len, size_t *out_len)
{
	z_stream zs;
	char *out;
	uLong bound;

	memset(&zs, 0, sizeof(zs));
	if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return NULL;
	bound = deflateBound(&zs, (uLong)len);
	out = xmalloc(bound);
	zs.next_in = (Bytef *)(uintptr_t)data;
	zs.avail_in = (uInt)len;
	zs.next_out = (Bytef *)out;
	zs.avail_out = (uInt)bound;
	if (deflate(&zs, Z_FINISH) != Z_STREAM_END) {
		deflateEnd(&zs);
		free(out);
		return NULL;
	}
	*out_len = zs.total_out;
	deflateEnd(&zs);
	return out;
}

bool
finder_gzip(const struct finder_snapshot *cs, uint64_t key, bool keep, const char *body,
    size_t len, struct http_response *r)
{
	struct finder_snapshot_priv *p = cs->priv;
	size_t i, n;
	char *z;

	pthread_mutex_lock(&p->gz_lock);
	for (i = 0; keep && i < p->gz_next; i++)
		if (p->gz[i].key == key) {
			/* slots are never replaced while the snapshot lives */
			finder_lend(cs, p->gz[i].data, p->gz[i].len, r);
			pthread_mutex_unlock(&p->gz_lock);
			return true;
		}
	pthread_mutex_unlock(&p->gz_lock);
	if (body == NULL)
		return false;		/* only asked whether it is kept */
	/* Compress outside the lock; a full table just stops caching. */
	if ((z = gzip(body, len, &n)) == NULL)
		return false;
	pthread_mutex_lock(&p->gz_lock);
	for (i = 0; keep && i < p->gz_next && p->gz[i].key != key; i++)
		;
	if (keep && i < p->gz_next) {
		/* another thread kept it first */
		finder_lend(cs, p->gz[i].data, p->gz[i].len, r);
	} else if (keep && p->gz_next < GZ_SLOTS) {
		p->gz[i].key = key;
		p->gz[i].data = z;
		p->gz[i].len = n;
		p->gz_next++;
		finder_lend(cs, z, n, r);
		z = NULL;
	} else {
		http_response_lend(r, NULL, 0, NULL, NULL);
		buf_reset(&r->body);
		buf_append(&r->body, z, n);
	}
	pthread_mutex_unlock(&p->gz_lock);
	free(z);
	return true;
}

bool
finder_body_lend(const struct finder_snapshot *cs, const char *canonical, struct http_response *r)
{
	struct finder_snapshot_priv *p = cs->priv;
	size_t i;

	pthread_mutex_lock(&p->body_lock);
	for (i = 0; i < BODY_SLOTS; i++) {
		struct body_slot *b = &p->body[i];
		if (b->canonical != NULL && strcmp(b->canonical, canonical) == 0) {
			b->used = ++p->body_clock;
			atomic_fetch_add(&b->blob->refs, 1);
			http_response_lend(r, b->blob->data, b->blob->len, blob_release, b->blob);
			pthread_mutex_unlock(&p->body_lock);
			return true;
		}
	}
	pthread_mutex_unlock(&p->body_lock);
	return false;
}

void
finder_body_put(const struct finder_snapshot *cs, const char *canonical, const char *data,
    size_t len)
{
	struct finder_snapshot_priv *p = cs->priv;
	struct body_slot *victim = NULL;
	struct blob *copy;
	char *key;
	size_t i;

	if (len > BODY_MAX)
		return;
	copy = xmalloc(sizeof(*copy) + (len ? len : 1));
	atomic_init(&copy->refs, 1);
	copy->len = len;
	memcpy(copy->data, data, len);
	key = xstrdup(canonical);
	pthread_mutex_lock(&p->body_lock);
	for (i = 0; i < BODY_SLOTS; i++) {
		struct body_slot *b = &p->body[i];
		if (b->canonical != NULL && strcmp(b->canonical, canonical) == 0) {
			pthread_mutex_unlock(&p->body_lock);
			free(copy);	/* another thread kept it first */
			free(key);
			return;
		}
		if (victim == NULL || b->canonical == NULL ||
		    (victim->canonical != NULL && b->used < victim->used))
			victim = b;
	}
	free(victim->canonical);
	blob_release(victim->blob);	/* freed once no response lends it */
	victim->canonical = key;
	victim->blob = copy;
	victim->used = ++p->body_clock;
	pthread_mutex_unlock(&p->body_lock);
}
