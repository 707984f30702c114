/*
 * totp.c: RFC 6238 time-based one-time codes and RFC 4648 base32.
 *
 * Design choices:
 * - HMAC-SHA1, 30-second steps from the Unix epoch, 6 digits: the profile
 *   every authenticator app implements, so nothing is configurable.
 * - Verification looks at the previous, current and next step (about 30 s
 *   of clock drift either way) and compares all three without stopping
 *   early, so timing does not tell which window matched.
 * - Replay: the caller stores the step of the last accepted code and hands
 *   it back; codes for that step or earlier are refused, so an observed
 *   code cannot be used twice, nor can an older one after a newer.
 * - The typed code may contain spaces (apps show "123 456"); anything else
 *   but exactly six digits is refused.
 */
#include "accounts/totp.h"

#include <limits.h>
#include <string.h>

#include "base/sha1.h"

#define TOTP_STEP	30
#define TOTP_DIGITS	6
#define TOTP_MOD	1000000u

static int64_t
step_of(int64_t t)
{
	/* Floor division, so times before 1970 do not round toward zero. */
	return t >= 0 ? t / TOTP_STEP : -((-t + TOTP_STEP - 1) / TOTP_STEP);
}

static uint32_t
code_at_step(const unsigned char *secret, size_t len, int64_t step)
{
	unsigned char msg[8], mac[20];
	uint64_t c = (uint64_t)step;
	uint32_t bin;
	unsigned off;
	int i;

	for (i = 7; i >= 0; i--) {
		msg[i] = (unsigned char)(c & 0xff);
		c >>= 8;
	}
	hmac_sha1(secret, len, msg, sizeof(msg), mac);
	off = mac[19] & 0x0f;
	bin = (uint32_t)(mac[off] & 0x7f) << 24 | (uint32_t)mac[off + 1] << 16 |
	    (uint32_t)mac[off + 2] << 8 | mac[off + 3];
	memset(mac, 0, sizeof(mac));
	return bin % TOTP_MOD;
}

uint32_t
totp_code(const unsigned char *secret, size_t len, int64_t t)
{
	return code_at_step(secret, len, step_of(t));
}

/* Parse exactly six digits, spaces ignored; -1 if the shape is wrong. */
static long
parse_code(const char *code)
{
	long v = 0;
	int digits = 0;

	if (code == NULL)
		return -1;
	for (; *code != '\0'; code++) {
		if (*code == ' ')
			continue;
		if (*code < '0' || *code > '9' || ++digits > TOTP_DIGITS)
			return -1;
		v = v * 10 + (*code - '0');
	}
	return digits == TOTP_DIGITS ? v : -1;
}

bool
totp_verify(const unsigned char *secret, size_t len, const char *code, int64_t t,
    int64_t last_step, int64_t *step)
{
	int64_t now = step_of(t), s, found = 0;
	long want = parse_code(code);
	uint32_t diff;
	bool ok = false;

	if (want < 0)
		return false;
	for (s = now - 1; s <= now + 1; s++) {
		diff = code_at_step(secret, len, s) ^ (uint32_t)want;
		if (diff == 0 && s > last_step && !ok) {
			ok = true;
			found = s;
		}
	}
	if (ok && step != NULL)
		*step = found;
	return ok;
}

static const char b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

void
base32_encode(const unsigned char *in, size_t len, char *out)
{
	uint32_t acc = 0;
	int bits = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		acc = (acc << 8) | in[i];
		bits += 8;
		while (bits >= 5) {
			*out++ = b32[(acc >> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits > 0)
		*out++ = b32[(acc << (5 - bits)) & 31];
	*out = '\0';
}

long
base32_decode(const char *in, unsigned char *out, size_t outcap)
{
	uint32_t acc = 0;
	int bits = 0, v;
	size_t n = 0;
	char c;

	for (; (c = *in) != '\0'; in++) {
		if (c == ' ' || c == '=')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c >= 'A' && c <= 'Z')
			v = c - 'A';
		else if (c >= '2' && c <= '7')
			v = c - '2' + 26;
		else
			return -1;
		acc = (acc << 5) | (uint32_t)v;
		bits += 5;
		if (bits >= 8) {
			if (n == outcap || n >= (size_t)LONG_MAX)
				return -1;
			out[n++] = (unsigned char)(acc >> (bits - 8));
			bits -= 8;
		}
		acc &= (1u << bits) - 1;
	}
	return (long)n;
}
