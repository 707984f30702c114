/*
 * Unit tests for privacy/crypto.c: sealing and opening (round trip, wrong
 * associated data, tampering, truncation), the key file (creation mode,
 * reload, malformed files), tokens and keyed hashes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "privacy/crypto.h"

static const unsigned char test_key[CRYPTO_KEY_BYTES] = {
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
	17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32,
};

static char tmpdir[64];

static int
setup(void **state)
{
	(void)state;
	strcpy(tmpdir, "/tmp/circles-crypto-XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static const char *
path_in_tmp(const char *name, char buf[128])
{
	snprintf(buf, 128, "%s/%s", tmpdir, name);
	return buf;
}

/* True if a leftover temporary key file sits in the test directory. */
static bool
tmp_file_left(void)
{
	struct dirent *de;
	bool found = false;
	DIR *d;

	d = opendir(tmpdir);
	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		if (strstr(de->d_name, ".tmp") != NULL)
			found = true;
	closedir(d);
	return found;
}

static void
write_file(const char *path, const char *text, size_t len, mode_t mode)
{
	int fd;

	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	close(fd);
	assert_int_equal(chmod(path, mode), 0);
}

static void
test_round_trip(void **state)
{
	const char *note = "Felt the urge tonight; called my sponsor instead.";
	unsigned char *blob;
	size_t blen, plen = 99;
	char *plain;

	(void)state;
	crypto_init_with_key(test_key);
	assert_true(crypto_ready());

	blob = crypto_seal(note, strlen(note), "checkin.note:42", &blen);
	assert_int_equal(blen, strlen(note) + CRYPTO_SEAL_OVERHEAD);
	assert_int_equal(blob[0], 1);
	plain = crypto_open(blob, blen, "checkin.note:42", &plen);
	assert_non_null(plain);
	assert_int_equal(plen, strlen(note));
	assert_string_equal(plain, note);
	free(plain);
	free(blob);

	/* Empty plaintext, no associated data (NULL and "" are the same). */
	blob = crypto_seal("", 0, NULL, &blen);
	assert_int_equal(blen, CRYPTO_SEAL_OVERHEAD);
	plain = crypto_open(blob, blen, "", &plen);
	assert_non_null(plain);
	assert_int_equal(plen, 0);
	assert_string_equal(plain, "");
	free(plain);
	free(blob);

	/* Binary plaintext with NUL bytes comes back whole. */
	blob = crypto_seal("a\0b\0c", 5, "x", &blen);
	plain = crypto_open(blob, blen, "x", &plen);
	assert_non_null(plain);
	assert_int_equal(plen, 5);
	assert_memory_equal(plain, "a\0b\0c", 6);
	free(plain);
	free(blob);
}

static void
test_wrong_ad(void **state)
{
	unsigned char *blob;
	size_t blen;

	(void)state;
	crypto_init_with_key(test_key);
	blob = crypto_seal("private", 7, "checkin.note:42", &blen);
	/* Copied to another row or column: refused. */
	assert_null(crypto_open(blob, blen, "checkin.note:43", NULL));
	assert_null(crypto_open(blob, blen, "checkin.mood:42", NULL));
	assert_null(crypto_open(blob, blen, NULL, NULL));
	assert_null(crypto_open(blob, blen, "checkin.note:42 ", NULL));
	free(blob);
}

static void
test_tampered(void **state)
{
	unsigned char *blob;
	size_t blen, i;
	int bit;
	char *p;

	(void)state;
	crypto_init_with_key(test_key);
	blob = crypto_seal("do not touch", 12, "ad", &blen);
	/* Every bit of version, nonce, ciphertext and tag is covered. */
	for (i = 0; i < blen; i++) {
		for (bit = 0; bit < 8; bit++) {
			blob[i] ^= (unsigned char)(1 << bit);
			assert_null(crypto_open(blob, blen, "ad", NULL));
			blob[i] ^= (unsigned char)(1 << bit);
		}
	}
	p = crypto_open(blob, blen, "ad", NULL);
	assert_non_null(p);
	free(p);
	free(blob);
}

static void
test_truncated(void **state)
{
	unsigned char *blob, *longer;
	size_t blen, n;

	(void)state;
	crypto_init_with_key(test_key);
	blob = crypto_seal("short lived", 11, NULL, &blen);
	for (n = 0; n < blen; n++)
		assert_null(crypto_open(blob, n, NULL, NULL));
	assert_null(crypto_open(NULL, 0, NULL, NULL));
	/* Extra bytes are tampering too. */
	longer = malloc(blen + 1);
	memcpy(longer, blob, blen);
	longer[blen] = 0;
	assert_null(crypto_open(longer, blen + 1, NULL, NULL));
	free(longer);
	free(blob);
}

static void
test_ciphertext_hides_plaintext(void **state)
{
	const char *secret = "RELAPSE-MARKER-relapse-marker-0123456789";
	unsigned char *a, *b;
	size_t alen, blen, i;

	(void)state;
	crypto_init_with_key(test_key);
	a = crypto_seal(secret, strlen(secret), "ad", &alen);
	b = crypto_seal(secret, strlen(secret), "ad", &blen);
	assert_null(memmem(a, alen, secret, strlen(secret)));
	/* Not even a short fragment survives. */
	for (i = 0; i + 6 <= strlen(secret); i++)
		assert_null(memmem(a, alen, secret + i, 6));
	/* A fresh nonce each time: equal plaintexts do not look equal. */
	assert_int_equal(alen, blen);
	assert_memory_not_equal(a, b, alen);
	free(a);
	free(b);
}

static void
test_wrong_key(void **state)
{
	unsigned char other[CRYPTO_KEY_BYTES];
	unsigned char *blob;
	size_t blen;

	(void)state;
	crypto_init_with_key(test_key);
	blob = crypto_seal("mine", 4, "ad", &blen);
	memcpy(other, test_key, sizeof(other));
	other[0] ^= 1;
	crypto_init_with_key(other);
	assert_null(crypto_open(blob, blen, "ad", NULL));
	free(blob);
}

static void
test_key_file(void **state)
{
	char pbuf[128];
	const char *path = path_in_tmp("circles.key", pbuf);
	char th1[65], th2[65], mac1[65], mac2[65], text[80], *err = NULL;
	unsigned char *blob, other[CRYPTO_KEY_BYTES];
	size_t blen, i;
	struct stat st;
	char *plain;
	int fd;
	ssize_t n;

	(void)state;
	/* Missing and not allowed to create. */
	assert_int_equal(crypto_init(path, false, &err), -1);
	assert_non_null(err);
	assert_non_null(strstr(err, "does not exist"));
	free(err);
	err = NULL;

	/* First start: created 0600, 64 hex digits and a newline. */
	assert_int_equal(crypto_init(path, true, &err), 0);
	assert_null(err);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	fd = open(path, O_RDONLY);
	n = read(fd, text, sizeof(text));
	close(fd);
	assert_int_equal(n, 65);
	assert_int_equal(text[64], '\n');
	for (i = 0; i < 64; i++)
		assert_non_null(strchr("0123456789abcdef", text[i]));
	/* No temporary file left behind. */
	assert_false(tmp_file_left());

	crypto_token_hash("tok", th1);
	crypto_mac_hex("csrf", "data", 4, mac1);
	blob = crypto_seal("kept", 4, "ad", &blen);

	/* Switch to another key, then reload the file: same results. */
	memset(other, 7, sizeof(other));
	crypto_init_with_key(other);
	crypto_token_hash("tok", th2);
	assert_string_not_equal(th1, th2);
	assert_null(crypto_open(blob, blen, "ad", NULL));

	assert_int_equal(crypto_init(path, false, &err), 0);
	crypto_token_hash("tok", th2);
	crypto_mac_hex("csrf", "data", 4, mac2);
	assert_string_equal(th1, th2);
	assert_string_equal(mac1, mac2);
	plain = crypto_open(blob, blen, "ad", NULL);
	assert_non_null(plain);
	assert_string_equal(plain, "kept");
	free(plain);

	/* create=true on an existing file loads it rather than replacing it. */
	assert_int_equal(crypto_init(path, true, &err), 0);
	crypto_token_hash("tok", th2);
	assert_string_equal(th1, th2);
	free(blob);

	/* Readable by others: loaded (with a warning), not refused. */
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(crypto_init(path, false, &err), 0);
	crypto_token_hash("tok", th2);
	assert_string_equal(th1, th2);
}

static void
test_key_file_malformed(void **state)
{
	static const char *const bad[] = {
		"",
		"\n",
		"abc\n",
		/* 63 digits */
		"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1\n",
		/* 65 digits */
		"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f0\n",
		/* not hex */
		"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1g\n",
		/* trailing junk after the newline */
		"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\nx",
		/* two keys */
		"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n"
		"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n",
		/* spaces inside */
		"00010203 0405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n",
	};
	char pbuf[128];
	const char *path = path_in_tmp("bad.key", pbuf);
	char *err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		write_file(path, bad[i], strlen(bad[i]), 0600);
		err = NULL;
		assert_int_equal(crypto_init(path, true, &err), -1);
		assert_non_null(err);
		assert_non_null(strstr(err, "malformed"));
		free(err);
	}

	/* Upper case and no final newline are fine. */
	write_file(path, "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F",
	    64, 0600);
	err = NULL;
	assert_int_equal(crypto_init(path, false, &err), 0);

	/* A directory is not a key file. */
	err = NULL;
	assert_int_equal(crypto_init(tmpdir, false, &err), -1);
	assert_non_null(err);
	free(err);
	err = NULL;
	assert_int_equal(crypto_init("", true, &err), -1);
	assert_non_null(err);
	free(err);
}

/* A key file with a known key gives the same subkeys as init_with_key. */
static void
test_key_file_matches_raw_key(void **state)
{
	char pbuf[128];
	const char *path = path_in_tmp("known.key", pbuf);
	const char *hex =
	    "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20\n";
	char a[65], b[65], *err = NULL;

	(void)state;
	write_file(path, hex, strlen(hex), 0600);
	assert_int_equal(crypto_init(path, false, &err), 0);
	crypto_mac_hex("unsubscribe", "42", 2, a);
	crypto_init_with_key(test_key);
	crypto_mac_hex("unsubscribe", "42", 2, b);
	assert_string_equal(a, b);
}

static void
test_tokens(void **state)
{
	enum { N = 2000 };
	char *tok[N];
	size_t i, j;

	(void)state;
	crypto_init_with_key(test_key);
	for (i = 0; i < N; i++) {
		tok[i] = crypto_token(32);
		/* 32 bytes -> 43 base64url characters, no padding. */
		assert_int_equal(strlen(tok[i]), 43);
		assert_int_equal(strspn(tok[i], "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "abcdefghijklmnopqrstuvwxyz0123456789-_"), 43);
	}
	for (i = 0; i < N; i++)
		for (j = i + 1; j < N; j++)
			assert_string_not_equal(tok[i], tok[j]);
	for (i = 0; i < N; i++)
		free(tok[i]);

	tok[0] = crypto_token(16);
	assert_int_equal(strlen(tok[0]), 22);
	free(tok[0]);
	tok[0] = crypto_token(0);
	assert_string_equal(tok[0], "");
	free(tok[0]);
}

static void
test_token_hash(void **state)
{
	unsigned char other[CRYPTO_KEY_BYTES];
	char a[65], b[65], c[65];

	(void)state;
	crypto_init_with_key(test_key);
	crypto_token_hash("session-token", a);
	crypto_token_hash("session-token", b);
	crypto_token_hash("session-tokeN", c);
	assert_int_equal(strlen(a), 64);
	assert_int_equal(strspn(a, "0123456789abcdef"), 64);
	assert_string_equal(a, b);
	assert_string_not_equal(a, c);
	/* Keyed: not the plain hash, and another key gives another hash. */
	crypto_hash_hex("session-token", strlen("session-token"), c);
	assert_string_not_equal(a, c);
	memcpy(other, test_key, sizeof(other));
	other[31] ^= 0x80;
	crypto_init_with_key(other);
	crypto_token_hash("session-token", c);
	assert_string_not_equal(a, c);
}

static void
test_hash_hex(void **state)
{
	char h[65];

	(void)state;
	/* BLAKE2b-256 reference values. */
	crypto_hash_hex("", 0, h);
	assert_string_equal(h,
	    "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
	crypto_hash_hex("abc", 3, h);
	assert_string_equal(h,
	    "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
}

static void
test_mac_hex(void **state)
{
	char a[65], b[65], c[65], d[65];

	(void)state;
	crypto_init_with_key(test_key);
	crypto_mac_hex("csrf", "session-1", 9, a);
	crypto_mac_hex("csrf", "session-1", 9, b);
	crypto_mac_hex("unsubscribe", "session-1", 9, c);
	crypto_mac_hex("csrf", "session-2", 9, d);
	assert_int_equal(strlen(a), 64);
	assert_string_equal(a, b);
	/* Purposes are separated: a CSRF MAC is not an unsubscribe MAC. */
	assert_string_not_equal(a, c);
	assert_string_not_equal(a, d);
	/* And the MAC key is not the token-hash key. */
	crypto_token_hash("session-1", b);
	assert_string_not_equal(a, b);
}

static void
test_equal(void **state)
{
	(void)state;
	assert_true(crypto_equal("abcdef", "abcdef", 6));
	assert_false(crypto_equal("abcdef", "abcdeg", 6));
	assert_false(crypto_equal("xbcdef", "abcdef", 6));
	assert_true(crypto_equal("abc", "abd", 2));
	assert_true(crypto_equal("", "", 0));
}

static void
test_random(void **state)
{
	unsigned char a[32], b[32], zero[32] = { 0 };

	(void)state;
	crypto_random(a, sizeof(a));
	crypto_random(b, sizeof(b));
	assert_memory_not_equal(a, b, sizeof(a));
	assert_memory_not_equal(a, zero, sizeof(a));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash_hex),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_equal),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_wrong_ad),
		cmocka_unit_test(test_tampered),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_ciphertext_hides_plaintext),
		cmocka_unit_test(test_wrong_key),
		cmocka_unit_test(test_key_file),
		cmocka_unit_test(test_key_file_malformed),
		cmocka_unit_test(test_key_file_matches_raw_key),
		cmocka_unit_test(test_tokens),
		cmocka_unit_test(test_token_hash),
		cmocka_unit_test(test_mac_hex),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
