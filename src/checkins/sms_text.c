/*
 * sms_text.c: counting text-message segments (see sms_text.h).
 *
 * The GSM 03.38 default alphabet is listed as Unicode code points; a
 * message is GSM-7 only if every code point is in it (or in the extension
 * table, which costs an escape septet).  Invalid UTF-8 bytes count as one
 * UCS-2 unit each, so a damaged text is never counted short.
 */
#include "checkins/sms_text.h"

#include <stdint.h>
#include <string.h>

#define GSM_SINGLE	160
#define GSM_PART	153
#define UCS_SINGLE	70
#define UCS_PART	67

/* Non-ASCII code points of the GSM 03.38 basic table. */
static const uint32_t gsm_basic_extra[] = {
	0x00a3, 0x00a5, 0x00e8, 0x00e9, 0x00f9, 0x00ec, 0x00f2, 0x00c7, 0x00d8, 0x00f8,
	0x00c5, 0x00e5, 0x0394, 0x03a6, 0x0393, 0x039b, 0x03a9, 0x03a0, 0x03a8, 0x03a3,
	0x0398, 0x039e, 0x00c6, 0x00e6, 0x00df, 0x00c9, 0x00a4, 0x00a1, 0x00c4, 0x00d6,
	0x00d1, 0x00dc, 0x00a7, 0x00bf, 0x00e4, 0x00f6, 0x00f1, 0x00fc, 0x00e0,
};

/* Septets a code point takes in GSM-7: 1, 2 (extension table), or 0 (not GSM). */
static int
gsm_cost(uint32_t cp)
{
	size_t i;

	if (cp == '\n' || cp == '\r')
		return 1;
	if (cp >= 0x20 && cp < 0x7f) {
		switch (cp) {
		case '^': case '{': case '}': case '\\': case '[': case ']': case '~': case '|':
			return 2;
		case '`':
			return 0;	/* not in the GSM alphabet */
		default:
			return 1;
		}
	}
	if (cp == 0x20ac)	/* euro sign */
		return 2;
	for (i = 0; i < sizeof(gsm_basic_extra) / sizeof(gsm_basic_extra[0]); i++)
		if (gsm_basic_extra[i] == cp)
			return 1;
	return 0;
}

/* Decode one code point at s; bytes used in *n (1 for a stray byte, cp 0xfffd). */
static uint32_t
next_cp(const unsigned char *s, size_t *n)
{
	unsigned char b = s[0];
	size_t len, i;
	uint32_t cp;

	if (b < 0x80) {
		*n = 1;
		return b;
	}
	if (b >= 0xc2 && b <= 0xdf) {
		len = 2;
		cp = b & 0x1f;
	} else if (b >= 0xe0 && b <= 0xef) {
		len = 3;
		cp = b & 0x0f;
	} else if (b >= 0xf0 && b <= 0xf4) {
		len = 4;
		cp = b & 0x07;
	} else {
		*n = 1;
		return 0xfffd;
	}
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*n = 1;
			return 0xfffd;
		}
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	*n = len;
	return cp;
}

size_t
sms_segments(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t septets = 0, units = 0, n;
	bool gsm = true;

	while (*p != '\0') {
		uint32_t cp = next_cp(p, &n);
		int cost = gsm_cost(cp);

		if (cost == 0)
			gsm = false;
		septets += (size_t)cost;
		units += cp > 0xffff ? 2 : 1;
		p += n;
	}
	if (gsm) {
		if (septets == 0)
			return 0;
		return septets <= GSM_SINGLE ? 1 : (septets + GSM_PART - 1) / GSM_PART;
	}
	return units <= UCS_SINGLE ? 1 : (units + UCS_PART - 1) / UCS_PART;
}

bool
sms_fits(const char *s, size_t max)
{
	return sms_segments(s) <= max;
}

char *
sms_clip(const char *s, size_t max, char *out, size_t outsz)
{
	size_t len = strlen(s), cut, n;

	if (outsz == 0)
		return out;
	if (len < outsz && sms_fits(s, max)) {
		memcpy(out, s, len + 1);
		return out;
	}
	if (outsz < 4) {
		out[0] = '\0';
		return out;
	}
	/*
	 * Walk forward keeping the last cut that fits.  A longer prefix never
	 * takes fewer segments (a non-GSM character, once in, keeps the whole
	 * text in UCS-2), so the first cut that does not fit ends the walk.
	 */
	cut = 0;
	for (size_t at = 0; at < len;) {
		next_cp((const unsigned char *)s + at, &n);
		if (at + n + 4 > outsz)
			break;
		memcpy(out, s, at + n);
		memcpy(out + at + n, "...", 4);
		if (!sms_fits(out, max))
			break;
		at += n;
		cut = at;
	}
	while (cut > 0 && s[cut - 1] == ' ')
		cut--;
	memcpy(out, s, cut);
	memcpy(out + cut, "...", 4);
	return out;
}
