/*
 * attend.c: session codes and windows (see attend.h).
 */
#include "circles/attend.h"

#include <string.h>

/* 30 characters: no 0, O, 1, I, L, so the code can be read aloud and typed. */
static const char alphabet[] = "ABCDEFGHJKMNPQRSTUVWXYZ2345678";

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 0;
}

void
attend_code_from_mac(const char *mac_hex, char out[ATTEND_CODE_LEN + 1])
{
	size_t i, n = strlen(mac_hex);

	for (i = 0; i < ATTEND_CODE_LEN; i++) {
		unsigned v = 0;

		if (2 * i + 1 < n)
			v = (unsigned)(hexval(mac_hex[2 * i]) << 4 | hexval(mac_hex[2 * i + 1]));
		/* 256 = 8 * 30 + 16: a small bias, of no use to a guesser within a window. */
		out[i] = alphabet[v % (sizeof(alphabet) - 1)];
	}
	out[ATTEND_CODE_LEN] = '\0';
}

static char
normalize(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

bool
attend_code_matches(const char *typed, const char *code)
{
	char t[ATTEND_CODE_LEN];
	size_t n = 0, i;
	unsigned diff = 0;

	if (typed == NULL || code == NULL || strlen(code) != ATTEND_CODE_LEN)
		return false;
	for (; *typed != '\0'; typed++) {
		if (*typed == ' ' || *typed == '-')
			continue;
		if (n == ATTEND_CODE_LEN)
			return false;
		t[n++] = normalize(*typed);
	}
	if (n != ATTEND_CODE_LEN)
		return false;
	for (i = 0; i < ATTEND_CODE_LEN; i++)
		diff |= (unsigned)(t[i] ^ code[i]);
	return diff == 0;
}

bool
attend_window_open(const struct attend_session *s, int64_t now)
{
	return now >= s->start - ATTEND_EARLY && now <= s->end + ATTEND_LATE;
}

long
attend_current(const struct attend_session *s, size_t n, int64_t now)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (attend_window_open(&s[i], now))
			return (long)i;
	return -1;
}

long
attend_roster_session(const struct attend_session *s, size_t n, int64_t now)
{
	long best = -1;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i].start - ATTEND_EARLY > now)
			break;
		if (s[i].start >= now - (int64_t)ATTEND_ROSTER_DAYS * 86400)
			best = (long)i;
	}
	return best;
}
