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
#include "base/utf8.h"
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

const char *
password_check_policy(const char *pw, size_t len)
{
	if (pw == NULL)
		return "password.invalid";
	if (len > PASSWORD_MAX_LEN)
		return "password.too_long";
	if (!utf8_valid(pw, len) || memchr(pw, 0, len) != NULL)
		return "password.invalid";
	if (len < PASSWORD_MIN_LEN)
		return "password.too_short";
	return NULL;
}
