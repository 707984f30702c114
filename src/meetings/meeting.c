/*
 * meeting.c: Meeting Guide type codes, the canonical form of a meeting and
 * its fingerprint, and small text helpers shared by the importer and the
 * store (see meeting.h).
 *
 * The code list is the one in code4recovery's types.json; the names shown
 * to people are in the catalogs (po/<lang>/meetings.json, "types"), so the
 * list here is only codes and what some of them mean to the finder.
 */
#include "meetings/meeting.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "base/str.h"

/* The codes and their English names, as types.json has them. */
static const struct {
	const char	*code;
	const char	*en;
} type_list[] = {
	{ "11", "11th Step Meditation" },
	{ "12x12", "12 Steps & 12 Traditions" },
	{ "A", "Secular" },
	{ "ABSI", "As Bill Sees It" },
	{ "AF", "Afrikaans" },
	{ "AL", "Concurrent with Alateen" },
	{ "AL-AN", "Concurrent with Al-Anon" },
	{ "AM", "Amharic" },
	{ "AR", "Arabic" },
	{ "ASL", "American Sign Language" },
	{ "B", "Big Book" },
	{ "BA", "Babysitting Available" },
	{ "BE", "Newcomer" },
	{ "BG", "Bulgarian" },
	{ "BI", "Bisexual" },
	{ "BRK", "Breakfast" },
	{ "C", "Closed" },
	{ "CAN", "Candlelight" },
	{ "CF", "Child-Friendly" },
	{ "D", "Discussion" },
	{ "DA", "Danish" },
	{ "DB", "Digital Basket" },
	{ "DD", "Dual Diagnosis" },
	{ "DE", "German" },
	{ "DR", "Daily Reflections" },
	{ "EL", "Greek" },
	{ "EN", "English" },
	{ "FA", "Persian" },
	{ "FI", "Finnish" },
	{ "FF", "Fragrance Free" },
	{ "FR", "French" },
	{ "G", "Gay" },
	{ "GR", "Grapevine" },
	{ "H", "Birthday" },
	{ "HE", "Hebrew" },
	{ "HI", "Hindi" },
	{ "HR", "Croatian" },
	{ "HU", "Hungarian" },
	{ "IS", "Icelandic" },
	{ "ITA", "Italian" },
	{ "JA", "Japanese" },
	{ "KA", "Georgian" },
	{ "KOR", "Korean" },
	{ "L", "Lesbian" },
	{ "LGBTQ", "LGBTQ" },
	{ "LIT", "Literature" },
	{ "LS", "Living Sober" },
	{ "LT", "Lithuanian" },
	{ "M", "Men" },
	{ "MED", "Meditation" },
	{ "ML", "Malayalam" },
	{ "MT", "Maltese" },
	{ "N", "Native American" },
	{ "NB", "Non-Binary" },
	{ "NDG", "Indigenous" },
	{ "NE", "Nepali" },
	{ "NL", "Dutch" },
	{ "NO", "Norwegian" },
	{ "O", "Open" },
	{ "OUT", "Outdoor" },
	{ "P", "Professionals" },
	{ "POA", "Proof of Attendance" },
	{ "POC", "People of Color" },
	{ "POL", "Polish" },
	{ "POR", "Portuguese" },
	{ "PUN", "Punjabi" },
	{ "RUS", "Russian" },
	{ "S", "Spanish" },
	{ "SEN", "Seniors" },
	{ "SK", "Slovak" },
	{ "SL", "Slovenian" },
	{ "SM", "Smoking Permitted" },
	{ "SP", "Speaker" },
	{ "ST", "Step Study" },
	{ "SV", "Swedish" },
	{ "T", "Transgender" },
	{ "TC", "Location Temporarily Closed" },
	{ "TH", "Thai" },
	{ "TL", "Tagalog" },
	{ "TR", "Tradition Study" },
	{ "TUR", "Turkish" },
	{ "UK", "Ukrainian" },
	{ "W", "Women" },
	{ "X", "Wheelchair Access" },
	{ "XB", "Wheelchair-Accessible Bathroom" },
	{ "XT", "Cross Talk Permitted" },
	{ "Y", "Young People" },
};

/* Language types and their ISO 639-1 codes (NB is Non-Binary, not Bokmål). */
static const struct {
	const char	*type;
	const char	*lang;
} lang_types[] = {
	{ "AF", "af" }, { "AM", "am" }, { "AR", "ar" }, { "BG", "bg" }, { "DA", "da" },
	{ "DE", "de" }, { "EL", "el" }, { "EN", "en" }, { "FA", "fa" }, { "FI", "fi" },
	{ "FR", "fr" }, { "HE", "he" }, { "HI", "hi" }, { "HR", "hr" }, { "HU", "hu" },
	{ "IS", "is" }, { "ITA", "it" }, { "JA", "ja" }, { "KA", "ka" }, { "KOR", "ko" },
	{ "LT", "lt" }, { "ML", "ml" }, { "MT", "mt" }, { "NE", "ne" }, { "NL", "nl" },
	{ "NO", "no" }, { "POL", "pl" }, { "POR", "pt" }, { "PUN", "pa" }, { "RUS", "ru" },
	{ "S", "es" }, { "SK", "sk" }, { "SL", "sl" }, { "SV", "sv" }, { "TH", "th" },
	{ "TL", "tl" }, { "TUR", "tr" }, { "UK", "uk" },
};

static const struct {
	unsigned	 bit;
	const char	*type;
	const char	*token;
} access_types[] = {
	{ ACCESS_WHEELCHAIR, "X", "wheelchair" },
	{ ACCESS_BATHROOM, "XB", "accessible_bathroom" },
	{ ACCESS_CHILDCARE, "BA", "childcare" },
	{ ACCESS_INTERPRETER, NULL, "interpreter" },
	{ ACCESS_SIGN_LANGUAGE, "ASL", "sign_language" },
	{ ACCESS_FRAGRANCE_FREE, "FF", "fragrance_free" },
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* Names the 12 Step Meeting List uses that differ from types.json. */
static const struct {
	const char	*name;
	const char	*code;
} type_aliases[] = {
	{ "Step Meeting", "ST" }, { "Babysitting", "BA" }, { "Child Care", "BA" },
	{ "Childcare", "BA" }, { "Wheelchair Accessible", "X" }, { "Sign Language", "ASL" },
	{ "Online Meeting", "ONL" }, { "Online", "ONL" }, { "Temporary Closure", "TC" },
	{ "Temporarily Closed", "TC" }, { "Espanol", "S" }, { "Español", "S" },
	{ "Non-Smoking", "NS" }, { "Young People's", "Y" }, { "Beginners", "BE" },
	{ "Literature Study", "LIT" }, { "Grapevine Meeting", "GR" },
};

size_t
meeting_type_count(void)
{
	return NELEM(type_list);
}

const char *
meeting_type_at(size_t i)
{
	return i < NELEM(type_list) ? type_list[i].code : NULL;
}

bool
meeting_type_known(const char *code)
{
	size_t i;

	for (i = 0; code && i < NELEM(type_list); i++)
		if (strcmp(type_list[i].code, code) == 0)
			return true;
	return false;
}

const char *
meeting_type_english(const char *code)
{
	size_t i;

	for (i = 0; code && i < NELEM(type_list); i++)
		if (strcmp(type_list[i].code, code) == 0)
			return type_list[i].en;
	return NULL;
}

const char *
meeting_type_from_name(const char *name)
{
	size_t i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < NELEM(type_list); i++)
		if (strcasecmp(type_list[i].en, name) == 0)
			return type_list[i].code;
	for (i = 0; i < NELEM(type_aliases); i++)
		if (strcasecmp(type_aliases[i].name, name) == 0)
			return type_aliases[i].code;
	for (i = 0; i < NELEM(type_list); i++)
		if (strcmp(type_list[i].code, name) == 0)
			return type_list[i].code;
	if (strcmp(name, "ONL") == 0 || strcmp(name, "TC") == 0)
		return strcmp(name, "ONL") == 0 ? "ONL" : "TC";
	return NULL;
}

const char *
meeting_type_language(const char *code)
{
	size_t i;

	for (i = 0; code && i < NELEM(lang_types); i++)
		if (strcmp(lang_types[i].type, code) == 0)
			return lang_types[i].lang;
	return NULL;
}

const char *
meeting_language_type(const char *lang)
{
	size_t i;

	for (i = 0; lang && i < NELEM(lang_types); i++)
		if (strcmp(lang_types[i].lang, lang) == 0)
			return lang_types[i].type;
	return NULL;
}

unsigned
meeting_type_access(const char *code)
{
	size_t i;

	for (i = 0; code && i < NELEM(access_types); i++)
		if (access_types[i].type && strcmp(access_types[i].type, code) == 0)
			return access_types[i].bit;
	return 0;
}

const char *
meeting_access_type(unsigned bit)
{
	size_t i;

	for (i = 0; i < NELEM(access_types); i++)
		if (access_types[i].bit == bit)
			return access_types[i].type;
	return NULL;
}

const char *
meeting_access_token(unsigned bit)
{
	size_t i;

	for (i = 0; i < NELEM(access_types); i++)
		if (access_types[i].bit == bit)
			return access_types[i].token;
	return NULL;
}

bool
meeting_type_code_ok(const char *s)
{
	size_t i, n;

	if (s == NULL || (n = strlen(s)) == 0 || n > MEETING_TYPE_CODE_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-')
			return false;
	return true;
}

bool
meeting_lang_ok(const char *s)
{
	return s != NULL && s[0] >= 'a' && s[0] <= 'z' && s[1] >= 'a' && s[1] <= 'z' &&
	    s[2] == '\0';
}

const char *
meeting_attendance_token(enum meeting_attendance a)
{
	switch (a) {
	case ATTEND_ONLINE: return "online";
	case ATTEND_HYBRID: return "hybrid";
	default: return "in_person";
	}
}

enum meeting_attendance
meeting_attendance_from(const char *s)
{
	if (s == NULL)
		return 0;
	if (strcmp(s, "in_person") == 0)
		return ATTEND_IN_PERSON;
	if (strcmp(s, "online") == 0)
		return ATTEND_ONLINE;
	if (strcmp(s, "hybrid") == 0)
		return ATTEND_HYBRID;
	return 0;
}

const char *
meeting_kind_token(enum sched_kind k)
{
	switch (k) {
	case SCHED_WEEKLY: return "weekly";
	case SCHED_MONTHLY: return "monthly";
	case SCHED_ONCE: return "once";
	default: return "appointment";
	}
}

enum sched_kind
meeting_kind_from(const char *s)
{
	if (s == NULL)
		return 0;
	if (strcmp(s, "weekly") == 0)
		return SCHED_WEEKLY;
	if (strcmp(s, "monthly") == 0)
		return SCHED_MONTHLY;
	if (strcmp(s, "once") == 0)
		return SCHED_ONCE;
	if (strcmp(s, "appointment") == 0)
		return SCHED_APPOINTMENT;
	return 0;
}

/* ---- arrays of strings ---- */

static void
push(struct arena *a, char ***arr, size_t *n, const char *s)
{
	char **na = arena_alloc(a, (*n + 1) * sizeof(char *));

	if (*n > 0)
		memcpy(na, *arr, *n * sizeof(char *));
	na[*n] = arena_strdup(a, s);
	*arr = na;
	(*n)++;
}

static bool
contains(char *const *arr, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(arr[i], s) == 0)
			return true;
	return false;
}

void
meeting_add_type(struct arena *a, struct meeting *m, const char *code)
{
	if (!contains(m->types, m->ntypes, code))
		push(a, &m->types, &m->ntypes, code);
}

bool
meeting_has_type(const struct meeting *m, const char *code)
{
	return contains(m->types, m->ntypes, code);
}

void
meeting_remove_type(struct meeting *m, const char *code)
{
	size_t i, j = 0;

	for (i = 0; i < m->ntypes; i++)
		if (strcmp(m->types[i], code) != 0)
			m->types[j++] = m->types[i];
	m->ntypes = j;
}

void
meeting_add_language(struct arena *a, struct meeting *m, const char *lang)
{
	if (!contains(m->languages, m->nlanguages, lang))
		push(a, &m->languages, &m->nlanguages, lang);
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
meeting_normalize(struct arena *a, struct meeting *m)
{
	size_t i;

	for (i = 0; i < m->ntypes; i++) {
		const char *lang = meeting_type_language(m->types[i]);
		m->access |= meeting_type_access(m->types[i]);
		if (lang != NULL)
			meeting_add_language(a, m, lang);
	}
	for (i = 0; i < ACCESS_COUNT; i++) {
		const char *t = meeting_access_type(1u << i);
		if ((m->access & (1u << i)) && t != NULL)
			meeting_add_type(a, m, t);
	}
	for (i = 0; i < m->nlanguages; i++) {
		const char *t = meeting_language_type(m->languages[i]);
		if (t != NULL)
			meeting_add_type(a, m, t);
	}
	if (m->ntypes > 1)
		qsort(m->types, m->ntypes, sizeof(char *), str_cmp);
	if (m->nlanguages > 1)
		qsort(m->languages, m->nlanguages, sizeof(char *), str_cmp);
	/* An end an hour after the start says no more than no end (the default). */
	if (m->sched.start_min >= 0 &&
	    m->sched.end_min == (m->sched.start_min + SCHED_DEFAULT_MINUTES) % 1440)
		m->sched.end_min = -1;
	if (m->sched.kind != SCHED_MONTHLY)
		m->sched.weeks = 0;
	if (m->sched.kind != SCHED_ONCE)
		m->sched.once_y = m->sched.once_m = m->sched.once_d = 0;
	if (!m->has_coords)
		m->lat_e6 = m->lon_e6 = 0;
}

/* ---- fingerprint ---- */

static void
fp_str(crypto_generichash_state *st, char tag, const char *s)
{
	unsigned char hdr[5];
	size_t n = s ? strlen(s) : 0;

	hdr[0] = (unsigned char)tag;
	hdr[1] = (unsigned char)(n >> 24);
	hdr[2] = (unsigned char)(n >> 16);
	hdr[3] = (unsigned char)(n >> 8);
	hdr[4] = (unsigned char)n;
	crypto_generichash_update(st, hdr, sizeof(hdr));
	if (s == NULL)
		crypto_generichash_update(st, (const unsigned char *)"\xff", 1);
	else
		crypto_generichash_update(st, (const unsigned char *)s, n);
}

static void
fp_int(crypto_generichash_state *st, char tag, int64_t v)
{
	char tmp[32];

	snprintf(tmp, sizeof(tmp), "%lld", (long long)v);
	fp_str(st, tag, tmp);
}

void
meeting_fingerprint(const struct meeting *m, char out[33])
{
	crypto_generichash_state st;
	unsigned char h[16];
	size_t i;
	static const char hex[] = "0123456789abcdef";

	crypto_generichash_init(&st, NULL, 0, sizeof(h));
	fp_str(&st, 'a', m->slug);
	fp_str(&st, 'b', m->name);
	fp_int(&st, 'c', m->circle_id);
	fp_int(&st, 'd', m->sched.kind);
	fp_int(&st, 'e', m->sched.days);
	fp_int(&st, 'f', m->sched.weeks);
	fp_int(&st, 'g', (int64_t)m->sched.once_y * 10000 + m->sched.once_m * 100 +
	    m->sched.once_d);
	fp_int(&st, 'h', m->sched.start_min);
	fp_int(&st, 'i', m->sched.end_min);
	fp_str(&st, 'j', m->timezone);
	fp_int(&st, 'k', m->attendance);
	fp_int(&st, 'l', m->temporarily_closed);
	fp_str(&st, 'm', m->location);
	fp_str(&st, 'n', m->address);
	fp_str(&st, 'o', m->city);
	fp_str(&st, 'p', m->state);
	fp_str(&st, 'q', m->postal_code);
	fp_str(&st, 'r', m->country);
	fp_str(&st, 's', m->formatted_address);
	fp_str(&st, 't', m->region);
	fp_str(&st, 'u', m->sub_region);
	fp_int(&st, 'v', m->has_coords);
	fp_int(&st, 'w', m->lat_e6);
	fp_int(&st, 'x', m->lon_e6);
	fp_int(&st, 'y', m->approximate);
	fp_str(&st, 'z', m->location_notes);
	fp_str(&st, 'A', m->transit_notes);
	fp_int(&st, 'B', m->access);
	fp_str(&st, 'C', m->conference_url);
	fp_str(&st, 'D', m->conference_url_notes);
	fp_str(&st, 'E', m->conference_phone);
	fp_str(&st, 'F', m->conference_phone_notes);
	fp_int(&st, 'G', (int64_t)m->ntypes);
	for (i = 0; i < m->ntypes; i++)
		fp_str(&st, 'H', m->types[i]);
	fp_int(&st, 'I', (int64_t)m->nlanguages);
	for (i = 0; i < m->nlanguages; i++)
		fp_str(&st, 'J', m->languages[i]);
	fp_str(&st, 'K', m->notes);
	fp_str(&st, 'L', m->url);
	fp_str(&st, 'M', m->group);
	crypto_generichash_final(&st, h, sizeof(h));
	for (i = 0; i < sizeof(h); i++) {
		out[i * 2] = hex[h[i] >> 4];
		out[i * 2 + 1] = hex[h[i] & 15];
	}
	out[32] = '\0';
}

/* ---- text helpers ---- */

char *
meeting_join(struct arena *a, char *const *items, size_t n)
{
	struct buf b = BUF_INIT;
	char *s;
	size_t i;

	if (n == 0)
		return NULL;
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_putc(&b, ',');
		buf_puts(&b, items[i]);
	}
	s = arena_strdup(a, b.data);
	buf_free(&b);
	return s;
}

size_t
meeting_split(struct arena *a, const char *s, char ***out)
{
	size_t n = 0;
	char **arr = NULL;
	const char *p = s;

	*out = NULL;
	if (s == NULL)
		return 0;
	while (*p) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		struct str t = str_trim((struct str){ p, len });

		if (t.len > 0) {
			char **na = arena_alloc(a, (n + 1) * sizeof(char *));
			if (n)
				memcpy(na, arr, n * sizeof(char *));
			na[n++] = arena_strndup(a, t.p, t.len);
			arr = na;
		}
		p += len;
		if (*p == ',')
			p++;
	}
	*out = arr;
	return n;
}

char *
meeting_text(struct arena *a, const char *s)
{
	size_t b = 0, e;

	if (s == NULL)
		return NULL;
	e = strlen(s);
	while (b < e && isspace((unsigned char)s[b]))
		b++;
	while (e > b && isspace((unsigned char)s[e - 1]))
		e--;
	return e > b ? arena_strndup(a, s + b, e - b) : NULL;
}

/* Latin-1 letters U+00C0..U+00FF without their accents ('-' for the two signs). */
static const char latin1_base[] =
    "aaaaaaaceeeeiiiidnooooo-ouuuuyts"
    "aaaaaaaceeeeiiiidnooooo-ouuuuyty";

size_t
meeting_fold(const char *s, char *out, size_t outsz)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n = 0;

	if (outsz == 0)
		return 0;
	for (; *p && n + 1 < outsz; p++) {
		if (p[0] == 0xc3 && p[1] >= 0x80 && p[1] <= 0xbf) {
			out[n++] = latin1_base[p[1] - 0x80];
			p++;
		} else {
			out[n++] = (char)tolower(*p);
		}
	}
	out[n] = '\0';
	return n;
}

char *
meeting_slugify(struct arena *a, const char *name)
{
	struct buf b = BUF_INIT;
	size_t len = name ? strlen(name) : 0;
	char *folded = arena_alloc(a, len + 1), *s;
	const char *p;
	bool dash = false;

	meeting_fold(name, folded, len + 1);
	for (p = folded; *p && b.len < 60; p++) {
		if (isalnum((unsigned char)*p) && !(*p & 0x80)) {
			if (dash && b.len)
				buf_putc(&b, '-');
			buf_putc(&b, *p);
			dash = false;
		} else {
			dash = true;
		}
	}
	s = arena_strdup(a, b.len ? b.data : "meeting");
	buf_free(&b);
	return s;
}

void
meeting_format_utc(int64_t t, char out[20])
{
	int64_t days = tz_floor_div(t, 86400), secs = t - days * 86400;
	int y, m, d;

	tz_civil_from_days(days, &y, &m, &d);
	snprintf(out, 20, "%04u-%02u-%02u %02u:%02u:%02u", (unsigned)y % 10000u,
	    (unsigned)m % 100u, (unsigned)d % 100u, (unsigned)(secs / 3600) % 24u,
	    (unsigned)(secs / 60) % 60u, (unsigned)secs % 60u);
}

bool
meeting_parse_utc(const char *s, int64_t *out)
{
	int y, mo, d, h = 0, mi = 0, sec = 0;
	char date[11];
	const char *p;

	if (s == NULL || strlen(s) < 10)
		return false;
	memcpy(date, s, 10);
	date[10] = '\0';
	if (!schedule_parse_date(date, &y, &mo, &d))
		return false;
	p = s + 10;
	if (*p == ' ' || *p == 'T') {
		p++;
		if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]) || p[2] != ':' ||
		    !isdigit((unsigned char)p[3]) || !isdigit((unsigned char)p[4]))
			return false;
		h = (p[0] - '0') * 10 + (p[1] - '0');
		mi = (p[3] - '0') * 10 + (p[4] - '0');
		p += 5;
		if (*p == ':') {
			if (!isdigit((unsigned char)p[1]) || !isdigit((unsigned char)p[2]))
				return false;
			sec = (p[1] - '0') * 10 + (p[2] - '0');
			p += 3;
		}
	}
	if (*p == 'Z')
		p++;
	if (*p != '\0' || h > 23 || mi > 59 || sec > 60)
		return false;
	*out = tz_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
	return true;
}
