/*
 * password.c: argon2id password hashing and the new-password policy.
 *
 * Design choices:
 * - libsodium's crypto_pwhash_str_alg writes the PHC string
 *   ($argon2id$v=19$m=19456,t=2,p=1$salt$hash) with a random salt, so the
 *   stored string is self-describing and verify needs no parameters.
 * - Parameters are OWASP's argon2id minimum (19 MiB, 2 passes, 1 lane).
 *   Raising them later only changes the constants below; sign-in rehashes
 *   when password_needs_rehash says so.
 * - The policy is deliberately small (NIST SP 800-63B): a length window and
 *   valid UTF-8, no composition rules.  Lengths are bytes, as the header
 *   promises; NUL bytes count as invalid because they cannot survive being
 *   handed around as C strings.
 */
#include "accounts/password.h"

#include <stdint.h>
#include <string.h>

#include <sodium.h>

#define PW_OPSLIMIT	2ULL
#define PW_MEMLIMIT	((size_t)19 * 1024 * 1024)
#define PW_ALG		crypto_pwhash_ALG_ARGON2ID13

_Static_assert(PASSWORD_HASH_MAX >= crypto_pwhash_STRBYTES,
    "PASSWORD_HASH_MAX too small for a PHC string");

int
password_hash(const char *pw, size_t len, char out[PASSWORD_HASH_MAX])
{
	if (sodium_init() < 0)
		return -1;
	if (crypto_pwhash_str_alg(out, pw, len, PW_OPSLIMIT, PW_MEMLIMIT,
	    PW_ALG) != 0)
		return -1;
	return 0;
}

/* A stored hash must be a NUL-terminated string that fits the buffer. */
static bool
stored_ok(const char *stored)
{
	return stored != NULL && memchr(stored, '\0', PASSWORD_HASH_MAX) != NULL;
}

bool
password_verify(const char *stored, const char *pw, size_t len)
{
	if (!stored_ok(stored) || pw == NULL)
		return false;
	if (sodium_init() < 0)
		return false;
	return crypto_pwhash_str_verify(stored, pw, len) == 0;
}

bool
password_needs_rehash(const char *stored)
{
	if (!stored_ok(stored))
		return true;
	/* 1: other parameters, -1: not an argon2id string; both mean rehash. */
	return crypto_pwhash_str_needs_rehash(stored, PW_OPSLIMIT,
	    PW_MEMLIMIT) != 0;
}

/*
 * Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above
 * U+10FFFF, and no NUL.
 */
static bool
utf8_valid(const unsigned char *s, size_t len)
{
	size_t i = 0, n, k;
	uint32_t cp;

	while (i < len) {
		unsigned char c = s[i];

		if (c == 0)
			return false;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			cp = c & 0x07;
		} else
			return false;
		if (len - i - 1 < n)
			return false;
		for (k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += n + 1;
	}
	return true;
}

const char *
password_check_policy(const char *pw, size_t len)
{
	if (pw == NULL)
		return "password.invalid";
	if (len > PASSWORD_MAX_LEN)
		return "password.too_long";
	if (!utf8_valid((const unsigned char *)pw, len))
		return "password.invalid";
	if (len < PASSWORD_MIN_LEN)
		return "password.too_short";
	return NULL;
}
