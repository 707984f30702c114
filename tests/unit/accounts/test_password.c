/*
 * Unit tests for accounts/password.c: argon2id hashing and verification,
 * the PHC parameters, rehash detection and the new-password policy.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include <sodium.h>

#include "accounts/password.h"

static void
test_hash_verify(void **state)
{
	const char *pw = "correct horse battery staple";
	char h1[PASSWORD_HASH_MAX], h2[PASSWORD_HASH_MAX];

	(void)state;
	assert_int_equal(password_hash(pw, strlen(pw), h1), 0);
	assert_true(password_verify(h1, pw, strlen(pw)));
	assert_false(password_verify(h1, "correct horse battery stapler", 29));
	assert_false(password_verify(h1, pw, strlen(pw) - 1));
	assert_false(password_verify(h1, "", 0));
	/* A random salt: the same password never hashes the same twice. */
	assert_int_equal(password_hash(pw, strlen(pw), h2), 0);
	assert_string_not_equal(h1, h2);
	assert_true(password_verify(h2, pw, strlen(pw)));
}

/* The length argument is honoured: bytes after it are not part of the password. */
static void
test_length_is_explicit(void **state)
{
	const char *buf = "passphrase-with-tail";
	char h[PASSWORD_HASH_MAX];

	(void)state;
	assert_int_equal(password_hash(buf, 10, h), 0);
	assert_true(password_verify(h, "passphrase", 10));
	assert_false(password_verify(h, buf, strlen(buf)));
}

static void
test_phc_parameters(void **state)
{
	const char *pw = "ein sicheres Passwort";
	char h[PASSWORD_HASH_MAX];

	(void)state;
	assert_int_equal(password_hash(pw, strlen(pw), h), 0);
	assert_true(strncmp(h, "$argon2id$v=19$m=19456,t=2,p=1$",
	    strlen("$argon2id$v=19$m=19456,t=2,p=1$")) == 0);
	assert_false(password_needs_rehash(h));
}

static void
test_needs_rehash(void **state)
{
	const char *pw = "an older password hash";
	char weak[crypto_pwhash_STRBYTES], strong[crypto_pwhash_STRBYTES];

	(void)state;
	assert_true(sodium_init() >= 0);
	/* Yesterday's weaker parameters still verify, but ask for an upgrade. */
	assert_int_equal(crypto_pwhash_str_alg(weak, pw, strlen(pw), 1,
	    8 * 1024 * 1024, crypto_pwhash_ALG_ARGON2ID13), 0);
	assert_true(password_verify(weak, pw, strlen(pw)));
	assert_true(password_needs_rehash(weak));
	/* So do different (stronger) ones: they are not today's. */
	assert_int_equal(crypto_pwhash_str_alg(strong, pw, strlen(pw), 3,
	    19 * 1024 * 1024, crypto_pwhash_ALG_ARGON2ID13), 0);
	assert_true(password_verify(strong, pw, strlen(pw)));
	assert_true(password_needs_rehash(strong));
	/* Garbage is never verified and always "needs rehash". */
	assert_false(password_verify("not a hash", pw, strlen(pw)));
	assert_false(password_verify("", pw, strlen(pw)));
	assert_false(password_verify(NULL, pw, strlen(pw)));
	assert_true(password_needs_rehash("$argon2i$v=19$m=4096,t=3,p=1$c2FsdA$aGFzaA"));
	assert_true(password_needs_rehash(NULL));
}

static void
test_policy(void **state)
{
	char big[PASSWORD_MAX_LEN + 2];

	(void)state;
	assert_string_equal(password_check_policy("", 0), "password.too_short");
	assert_string_equal(password_check_policy("123456789", 9),
	    "password.too_short");
	assert_null(password_check_policy("1234567890", 10));
	/* Multi-byte text: lengths are bytes; "é🐎" is 6 bytes. */
	assert_null(password_check_policy("caf\xc3\xa9 \xf0\x9f\x90\x8e ok", 13));
	assert_string_equal(password_check_policy("\xf0\x9f\x90\x8e\xf0\x9f\x90\x8e", 8),
	    "password.too_short");

	memset(big, 'x', sizeof(big));
	assert_null(password_check_policy(big, PASSWORD_MAX_LEN));
	assert_string_equal(password_check_policy(big, PASSWORD_MAX_LEN + 1),
	    "password.too_long");

	/* Malformed UTF-8, each long enough to pass the length check. */
	assert_string_equal(password_check_policy("abcdefghij\xff", 11),
	    "password.invalid");
	assert_string_equal(password_check_policy("abcdefghij\xc0\xaf", 12),
	    "password.invalid");	/* overlong '/' */
	assert_string_equal(password_check_policy("abcdefghij\xed\xa0\x80", 13),
	    "password.invalid");	/* surrogate */
	assert_string_equal(password_check_policy("abcdefghij\xe2\x82", 12),
	    "password.invalid");	/* truncated */
	assert_string_equal(password_check_policy("abcdefghij\xf4\x90\x80\x80", 14),
	    "password.invalid");	/* above U+10FFFF */
	assert_string_equal(password_check_policy("abcde\0fghij", 11),
	    "password.invalid");	/* embedded NUL */
	assert_string_equal(password_check_policy(NULL, 0), "password.invalid");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash_verify),
		cmocka_unit_test(test_length_is_explicit),
		cmocka_unit_test(test_phc_parameters),
		cmocka_unit_test(test_needs_rehash),
		cmocka_unit_test(test_policy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
