/*
 * tz.c: TZif reader and UTC/local conversions (see tz.h).
 *
 * Design: a zone is read once into two arrays (transition instants and the
 * offset each one starts) plus the POSIX TZ rule of the file's footer,
 * which RFC 8536 says governs every instant after the last transition.
 * Debian ships "fat" files with transitions up to 2037, but slim files and
 * later years work through the footer rule.  Leap-second data is skipped
 * (the posix zoneinfo tree has none).  Every length read from the file is
 * checked against what remains before it is used.
 */
#include "meetings/tz.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/file.h"
#include "base/mem.h"

#define TZ_FILE_MAX	(1024 * 1024)
#define TZDATA_ZI	"tzdata.zi"

struct posix_date {
	char	 kind;		/* 'J' (1-365, no Feb 29), 'N' (0-365), 'M' (month.week.day) */
	int	 m, w, d, n;
	int32_t	 time;		/* seconds after local midnight (may be <0 or >24h) */
};

struct posix_rule {
	bool		 valid;
	char		 std_name[16], dst_name[16];
	int32_t		 std_off;	/* east positive */
	int32_t		 dst_off;
	bool		 has_dst;
	struct posix_date start, end;
};

struct tz {
	struct tz	*next;
	char		 name[TZ_NAME_MAX + 1];
	int64_t		*at;		/* transition instants, ascending */
	int32_t		*off;		/* offset in force from at[i] */
	size_t		 n;
	int32_t		 initial;	/* offset before the first transition */
	struct posix_rule rule;
};

static pthread_mutex_t tz_lock = PTHREAD_MUTEX_INITIALIZER;
static struct tz *loaded;
static char *tz_dir;

/* tzdata.zi: canonical zone names and links (alias -> target). */
static pthread_once_t zi_once = PTHREAD_ONCE_INIT;
static char **zi_zones;
static size_t zi_nzones;
static char **zi_link_from, **zi_link_to;
static size_t zi_nlinks;
static bool zi_loaded;

static const char *
dir(void)
{
	return tz_dir ? tz_dir : "/usr/share/zoneinfo";
}

void
tz_set_dir(const char *d)
{
	pthread_mutex_lock(&tz_lock);
	free(tz_dir);
	tz_dir = d ? xstrdup(d) : NULL;
	pthread_mutex_unlock(&tz_lock);
}

/* ---- calendar ---- */

int64_t
tz_floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

/* Howard Hinnant's days_from_civil / civil_from_days algorithms. */
int64_t
tz_days_from_civil(int y, int m, int d)
{
	int64_t yy = (int64_t)y - (m <= 2);
	int64_t era = tz_floor_div(yy, 400);
	int64_t yoe = yy - era * 400;
	int64_t mp = (m + 9) % 12;
	int64_t doy = (153 * mp + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

void
tz_civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp, yy;

	z += 719468;
	era = tz_floor_div(z, 146097);
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	yy = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yy + (*m <= 2));
}

int
tz_weekday(int64_t days)
{
	int64_t w = (days + 4) % 7;	/* 1970-01-01 was a Thursday */

	return (int)(w < 0 ? w + 7 : w);
}

static bool
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int
tz_days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m < 1 || m > 12)
		return 0;
	return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

/* ---- POSIX TZ strings (the TZif footer) ---- */

static const char *
parse_name(const char *p, char out[16])
{
	const char *s = p;

	if (*p == '<') {
		while (*p && *p != '>')
			p++;
		if (*p != '>' || p - s < 4)
			return NULL;
		snprintf(out, 16, "%.*s", (int)(p - s - 1), s + 1);
		return p + 1;
	}
	while (isalpha((unsigned char)*p))
		p++;
	if (p - s < 3)
		return NULL;
	snprintf(out, 16, "%.*s", (int)(p - s), s);
	return p;
}

/* [+-]hh[:mm[:ss]] into seconds; hours up to 167 (TZif v3). */
static const char *
parse_hms(const char *p, int32_t *out)
{
	int sign = 1;
	long h = 0, m = 0, s = 0;

	if (*p == '+' || *p == '-')
		sign = *p++ == '-' ? -1 : 1;
	if (!isdigit((unsigned char)*p))
		return NULL;
	while (isdigit((unsigned char)*p) && h <= 167)
		h = h * 10 + (*p++ - '0');
	if (h > 167)
		return NULL;
	if (*p == ':') {
		p++;
		if (!isdigit((unsigned char)*p))
			return NULL;
		while (isdigit((unsigned char)*p) && m < 60)
			m = m * 10 + (*p++ - '0');
		if (*p == ':') {
			p++;
			if (!isdigit((unsigned char)*p))
				return NULL;
			while (isdigit((unsigned char)*p) && s < 60)
				s = s * 10 + (*p++ - '0');
		}
	}
	if (m > 59 || s > 59)
		return NULL;
	*out = (int32_t)(sign * (h * 3600 + m * 60 + s));
	return p;
}

static const char *
parse_num(const char *p, int *out, int max)
{
	long v = 0;

	if (!isdigit((unsigned char)*p))
		return NULL;
	while (isdigit((unsigned char)*p)) {
		v = v * 10 + (*p++ - '0');
		if (v > max)
			return NULL;
	}
	*out = (int)v;
	return p;
}

static const char *
parse_date(const char *p, struct posix_date *pd)
{
	memset(pd, 0, sizeof(*pd));
	pd->time = 7200;
	if (*p == 'M') {
		pd->kind = 'M';
		if ((p = parse_num(p + 1, &pd->m, 12)) == NULL || *p++ != '.' ||
		    (p = parse_num(p, &pd->w, 5)) == NULL || *p++ != '.' ||
		    (p = parse_num(p, &pd->d, 6)) == NULL || pd->m < 1 || pd->w < 1)
			return NULL;
	} else if (*p == 'J') {
		pd->kind = 'J';
		if ((p = parse_num(p + 1, &pd->n, 365)) == NULL || pd->n < 1)
			return NULL;
	} else {
		pd->kind = 'N';
		if ((p = parse_num(p, &pd->n, 365)) == NULL)
			return NULL;
	}
	if (*p == '/' && (p = parse_hms(p + 1, &pd->time)) == NULL)
		return NULL;
	return p;
}

static bool
parse_posix(const char *s, struct posix_rule *r)
{
	const char *p = s;
	int32_t v;

	memset(r, 0, sizeof(*r));
	if ((p = parse_name(p, r->std_name)) == NULL || (p = parse_hms(p, &v)) == NULL)
		return false;
	r->std_off = -v;
	if (*p == '\0') {
		r->valid = true;
		return true;
	}
	if ((p = parse_name(p, r->dst_name)) == NULL)
		return false;
	r->has_dst = true;
	r->dst_off = r->std_off + 3600;
	if (*p != ',' && *p != '\0') {
		if ((p = parse_hms(p, &v)) == NULL)
			return false;
		r->dst_off = -v;
	}
	if (*p == '\0') {
		/* No rule given: POSIX leaves it to the implementation; use the US one. */
		r->start = (struct posix_date){ 'M', 3, 2, 0, 0, 7200 };
		r->end = (struct posix_date){ 'M', 11, 1, 0, 0, 7200 };
	} else {
		if (*p++ != ',' || (p = parse_date(p, &r->start)) == NULL || *p++ != ',' ||
		    (p = parse_date(p, &r->end)) == NULL || *p != '\0')
			return false;
	}
	r->valid = true;
	return true;
}

/* Local seconds of a rule date in year y (before adding the offset). */
static int64_t
rule_local(const struct posix_date *pd, int y)
{
	int64_t jan1 = tz_days_from_civil(y, 1, 1), day;

	switch (pd->kind) {
	case 'J':
		day = jan1 + pd->n - 1 + (is_leap(y) && pd->n >= 60 ? 1 : 0);
		break;
	case 'N':
		day = jan1 + pd->n;
		break;
	default: {
		int64_t first = tz_days_from_civil(y, pd->m, 1);
		int wd = tz_weekday(first), dim = tz_days_in_month(y, pd->m);
		int64_t d = (pd->d - wd + 7) % 7 + (int64_t)(pd->w - 1) * 7;

		while (d >= dim)
			d -= 7;
		day = first + d;
	}
	}
	return day * 86400 + pd->time;
}

static int32_t
rule_offset(const struct posix_rule *r, int64_t utc)
{
	int y, m, d;
	int64_t start, end;

	if (!r->has_dst)
		return r->std_off;
	tz_civil_from_days(tz_floor_div(utc + r->std_off, 86400), &y, &m, &d);
	start = rule_local(&r->start, y) - r->std_off;
	end = rule_local(&r->end, y) - r->dst_off;
	if (start < end)
		return utc >= start && utc < end ? r->dst_off : r->std_off;
	return utc >= end && utc < start ? r->std_off : r->dst_off;
}

/* ---- TZif ---- */

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t
be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

struct tzif_counts {
	uint32_t isut, isstd, leap, time, type, chars;
};

static bool
read_header(const unsigned char *p, size_t len, struct tzif_counts *c, int *version)
{
	if (len < 44 || memcmp(p, "TZif", 4) != 0)
		return false;
	*version = p[4] == 0 ? 1 : p[4] - '0';
	c->isut = be32(p + 20);
	c->isstd = be32(p + 24);
	c->leap = be32(p + 28);
	c->time = be32(p + 32);
	c->type = be32(p + 36);
	c->chars = be32(p + 40);
	/* Bounds that keep every size computation far from overflow. */
	return c->type >= 1 && c->type <= 256 && c->time <= 100000 && c->leap <= 10000 &&
	    c->chars <= 65536 && c->isut <= c->type && c->isstd <= c->type;
}

static size_t
block_size(const struct tzif_counts *c, size_t tsize)
{
	return c->time * tsize + c->time + c->type * 6 + c->chars +
	    c->leap * (tsize + 4) + c->isstd + c->isut;
}

/* Parse a TZif image into tz; false if malformed. */
static bool
parse_tzif(const unsigned char *p, size_t len, struct tz *tz)
{
	struct tzif_counts c;
	int version;
	size_t tsize = 4, off, i;
	const unsigned char *times, *idx, *types;

	if (!read_header(p, len, &c, &version))
		return false;
	off = 44;
	if (version >= 2) {
		size_t skip = block_size(&c, 4);
		if (len - off < skip)
			return false;
		off += skip;
		if (!read_header(p + off, len - off, &c, &version))
			return false;
		off += 44;
		tsize = 8;
	}
	if (len - off < block_size(&c, tsize))
		return false;
	times = p + off;
	idx = times + c.time * tsize;
	types = idx + c.time;
	tz->n = c.time;
	tz->at = xcalloc(c.time ? c.time : 1, sizeof(int64_t));
	tz->off = xcalloc(c.time ? c.time : 1, sizeof(int32_t));
	for (i = 0; i < c.time; i++) {
		unsigned t = idx[i];
		if (t >= c.type)
			return false;
		tz->at[i] = tsize == 8 ? be64(times + i * 8) : (int32_t)be32(times + i * 4);
		tz->off[i] = (int32_t)be32(types + t * 6);
		if (i > 0 && tz->at[i] <= tz->at[i - 1])
			return false;
	}
	tz->initial = (int32_t)be32(types);
	off += block_size(&c, tsize);
	if (version >= 2 && off < len && p[off] == '\n') {
		const unsigned char *s = p + off + 1, *e = memchr(s, '\n', len - off - 1);
		if (e != NULL && e > s && (size_t)(e - s) < 128) {
			char footer[128];
			memcpy(footer, s, (size_t)(e - s));
			footer[e - s] = '\0';
			(void)parse_posix(footer, &tz->rule);
		}
	}
	return true;
}

static void
tz_free(struct tz *tz)
{
	if (tz == NULL)
		return;
	free(tz->at);
	free(tz->off);
	free(tz);
}

static bool
name_ok(const char *name)
{
	size_t i, n = strlen(name);

	if (n == 0 || n > TZ_NAME_MAX || name[0] == '/' || name[0] == '.' ||
	    strstr(name, "..") != NULL || strstr(name, "//") != NULL)
		return false;
	for (i = 0; i < n; i++) {
		char ch = name[i];
		if (!isalnum((unsigned char)ch) && ch != '/' && ch != '_' && ch != '-' &&
		    ch != '+')
			return false;
	}
	return true;
}

static struct tz *
load(const char *name)
{
	char path[512], *err = NULL;
	unsigned char *data;
	size_t len;
	struct tz *tz;

	snprintf(path, sizeof(path), "%s/%s", dir(), name);
	if ((data = (unsigned char *)file_read(path, TZ_FILE_MAX, &len, &err)) == NULL) {
		free(err);
		return NULL;
	}
	tz = xcalloc(1, sizeof(*tz));
	snprintf(tz->name, sizeof(tz->name), "%s", name);
	if (!parse_tzif(data, len, tz)) {
		free(data);
		tz_free(tz);
		return NULL;
	}
	free(data);
	return tz;
}

/* ---- tzdata.zi: names and links ---- */

static void
zi_add(char ***arr, size_t *n, size_t *cap, const char *s)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*arr = xreallocarray(*arr, *cap, sizeof(char *));
	}
	(*arr)[(*n)++] = xstrdup(s);
}

static int
name_cmp(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

static void
zi_load(void)
{
	char path[512], line[512];
	FILE *f;
	size_t zcap = 0, lcap = 0, lcap2 = 0, nto = 0;

	snprintf(path, sizeof(path), "%s/%s", dir(), TZDATA_ZI);
	if ((f = fopen(path, "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		char a[128], b[128];
		if (line[0] == 'Z' && sscanf(line, "Z %127s", a) == 1) {
			zi_add(&zi_zones, &zi_nzones, &zcap, a);
		} else if (line[0] == 'L' && sscanf(line, "L %127s %127s", a, b) == 2) {
			zi_add(&zi_link_to, &nto, &lcap2, a);
			zi_add(&zi_link_from, &zi_nlinks, &lcap, b);
		}
	}
	fclose(f);
	zi_loaded = zi_nzones > 0;
	if (zi_loaded)
		qsort(zi_zones, zi_nzones, sizeof(char *), name_cmp);
}

size_t
tz_zone_count(void)
{
	pthread_once(&zi_once, zi_load);
	return zi_nzones;
}

const char *
tz_zone_at(size_t i)
{
	pthread_once(&zi_once, zi_load);
	return i < zi_nzones ? zi_zones[i] : NULL;
}

const char *
tz_canonical(const char *name)
{
	/* Feeds repeat one zone thousands of times: remember the last answer. */
	static _Thread_local char last_in[TZ_NAME_MAX + 1];
	static _Thread_local const char *last_out;
	const char *cur, *r = NULL;
	size_t i;
	int hops;

	if (name == NULL || !name_ok(name))
		return NULL;
	pthread_once(&zi_once, zi_load);
	if (!zi_loaded) {
		const struct tz *tz = tz_get(name);
		return tz ? tz_name(tz) : NULL;
	}
	if (last_out != NULL && strcmp(last_in, name) == 0)
		return last_out;
	cur = name;
	for (hops = 0; hops < 4 && r == NULL; hops++) {
		for (i = 0; i < zi_nzones && r == NULL; i++)
			if (strcasecmp(zi_zones[i], cur) == 0)
				r = zi_zones[i];
		if (r != NULL)
			break;
		for (i = 0; i < zi_nlinks; i++)
			if (strcasecmp(zi_link_from[i], cur) == 0)
				break;
		if (i == zi_nlinks)
			return NULL;
		cur = zi_link_to[i];
	}
	if (r != NULL) {
		snprintf(last_in, sizeof(last_in), "%s", name);
		last_out = r;
	}
	return r;
}

const struct tz *
tz_get(const char *name)
{
	struct tz *tz;
	const char *canon = name;

	if (name == NULL || !name_ok(name))
		return NULL;
	pthread_once(&zi_once, zi_load);
	if (zi_loaded && (canon = tz_canonical(name)) == NULL)
		return NULL;
	pthread_mutex_lock(&tz_lock);
	for (tz = loaded; tz != NULL; tz = tz->next)
		if (strcmp(tz->name, canon) == 0)
			break;
	if (tz == NULL && (tz = load(canon)) != NULL) {
		tz->next = loaded;
		loaded = tz;
	}
	pthread_mutex_unlock(&tz_lock);
	return tz;
}

const char *
tz_name(const struct tz *tz)
{
	return tz->name;
}

void
tz_cleanup(void)
{
	struct tz *tz, *next;

	pthread_mutex_lock(&tz_lock);
	for (tz = loaded; tz != NULL; tz = next) {
		next = tz->next;
		tz_free(tz);
	}
	loaded = NULL;
	pthread_mutex_unlock(&tz_lock);
}

/* ---- conversions ---- */

int32_t
tz_offset_at(const struct tz *tz, int64_t utc)
{
	size_t lo, hi;

	if (tz->n == 0 || utc < tz->at[0])
		return tz->n == 0 && tz->rule.valid ? rule_offset(&tz->rule, utc) : tz->initial;
	if (utc >= tz->at[tz->n - 1] && tz->rule.valid)
		return rule_offset(&tz->rule, utc);
	/* The last transition at or before utc. */
	lo = 0;
	hi = tz->n;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (tz->at[mid] <= utc)
			lo = mid;
		else
			hi = mid;
	}
	return tz->off[lo];
}

int64_t
tz_utc_to_local(const struct tz *tz, int64_t utc)
{
	return utc + tz_offset_at(tz, utc);
}

int64_t
tz_local_to_utc(const struct tz *tz, int64_t local)
{
	/* At most one change happens within a day of any instant in real zones. */
	int32_t before = tz_offset_at(tz, local - 86400), after = tz_offset_at(tz, local + 86400);
	int64_t u1 = local - before, u2 = local - after;
	bool ok1 = tz_offset_at(tz, u1) == before, ok2 = tz_offset_at(tz, u2) == after;

	if (ok1 && ok2)
		return u1 < u2 ? u1 : u2;	/* repeated hour: the first one */
	if (ok1)
		return u1;
	if (ok2)
		return u2;
	return u1;				/* skipped hour: the offset before the change */
}

bool
tz_rule_info(const struct tz *tz, struct tz_rule_info *out)
{
	const struct posix_rule *r = &tz->rule;

	memset(out, 0, sizeof(*out));
	if (!r->valid)
		return false;
	out->std_off = r->std_off;
	out->dst_off = r->dst_off;
	out->has_dst = r->has_dst;
	snprintf(out->std_name, sizeof(out->std_name), "%s", r->std_name);
	snprintf(out->dst_name, sizeof(out->dst_name), "%s", r->dst_name);
	if (r->has_dst) {
		if (r->start.kind != 'M' || r->end.kind != 'M' || r->start.time < 0 ||
		    r->start.time >= 86400 || r->end.time < 0 || r->end.time >= 86400)
			return false;
		out->start_month = r->start.m;
		out->start_week = r->start.w;
		out->start_wday = r->start.d;
		out->start_time = r->start.time;
		out->end_month = r->end.m;
		out->end_week = r->end.w;
		out->end_wday = r->end.d;
		out->end_time = r->end.time;
	}
	return true;
}
