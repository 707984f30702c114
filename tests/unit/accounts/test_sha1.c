/*
 * Unit tests for base/sha1.c: FIPS 180 SHA-1 vectors, padding boundaries,
 * RFC 2202 HMAC-SHA1 vectors and RFC 4648 base64 vectors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/sha1.h"

static void
hex(const unsigned char *p, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
}

static void
check_sha1(const void *data, size_t len, const char *want)
{
	unsigned char d[20];
	char h[41];

	sha1(data, len, d);
	hex(d, 20, h);
	assert_string_equal(h, want);
}

static void
test_fips180(void **state)
{
	char *m;

	(void)state;
	check_sha1("", 0, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
	check_sha1("abc", 3, "a9993e364706816aba3e25717850c26c9cd0d89d");
	check_sha1("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
	    "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
	m = malloc(1000000);
	memset(m, 'a', 1000000);
	check_sha1(m, 1000000, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
	free(m);
}

/* Lengths around the 56- and 64-byte padding boundaries. */
static void
test_padding_boundaries(void **state)
{
	static const struct {
		size_t		 n;
		const char	*want;
	} t[] = {
		{ 55, "c1c8bbdc22796e28c0e15163d20899b65621d65a" },
		{ 56, "c2db330f6083854c99d4b5bfb6e8f29f201be699" },
		{ 63, "03f09f5b158a7a8cdad920bddc29b81c18a551f5" },
		{ 64, "0098ba824b5c16427bd7a1122a5a442a25ec644d" },
		{ 65, "11655326c708d70319be2610e8a57d9a5b959d3b" },
		{ 119, "ee971065aaa017e0632a8ca6c77bb3bf8b1dfc56" },
		{ 120, "f34c1488385346a55709ba056ddd08280dd4c6d6" },
	};
	char a[128];
	size_t i;

	(void)state;
	memset(a, 'a', sizeof(a));
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		check_sha1(a, t[i].n, t[i].want);
}

struct hmac_case {
	const void	*key;
	size_t		 keylen;
	const void	*data;
	size_t		 len;
	const char	*want;
};

static void
test_rfc2202(void **state)
{
	unsigned char k1[20], k3[20], k4[25], k5[20], k6[80], d3[50], d4[50];
	unsigned char mac[20];
	char h[41];
	struct hmac_case t[7];
	size_t i;

	(void)state;
	memset(k1, 0x0b, sizeof(k1));
	memset(k3, 0xaa, sizeof(k3));
	for (i = 0; i < sizeof(k4); i++)
		k4[i] = (unsigned char)(i + 1);
	memset(k5, 0x0c, sizeof(k5));
	memset(k6, 0xaa, sizeof(k6));
	memset(d3, 0xdd, sizeof(d3));
	memset(d4, 0xcd, sizeof(d4));

	t[0] = (struct hmac_case){ k1, 20, "Hi There", 8,
	    "b617318655057264e28bc0b6fb378c8ef146be00" };
	t[1] = (struct hmac_case){ "Jefe", 4, "what do ya want for nothing?", 28,
	    "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79" };
	t[2] = (struct hmac_case){ k3, 20, d3, 50,
	    "125d7342b9ac11cd91a39af48aa17b4f63f175d3" };
	t[3] = (struct hmac_case){ k4, 25, d4, 50,
	    "4c9007f4026250c6bc8414f9bf50c86c2d7235da" };
	t[4] = (struct hmac_case){ k5, 20, "Test With Truncation", 20,
	    "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04" };
	t[5] = (struct hmac_case){ k6, 80,
	    "Test Using Larger Than Block-Size Key - Hash Key First", 54,
	    "aa4ae5e15272d00e95705637ce8a3b55ed402112" };
	t[6] = (struct hmac_case){ k6, 80,
	    "Test Using Larger Than Block-Size Key and Larger Than One "
	    "Block-Size Data", 73, "e8e99d0f45237d786d6bbaa7965c7808bbff1a91" };

	for (i = 0; i < 7; i++) {
		hmac_sha1(t[i].key, t[i].keylen, t[i].data, t[i].len, mac);
		hex(mac, 20, h);
		assert_string_equal(h, t[i].want);
	}
}

static void
test_base64(void **state)
{
	static const char *const t[][2] = {
		{ "", "" }, { "f", "Zg==" }, { "fo", "Zm8=" }, { "foo", "Zm9v" },
		{ "foob", "Zm9vYg==" }, { "fooba", "Zm9vYmE=" },
		{ "foobar", "Zm9vYmFy" },
	};
	unsigned char bin[3] = { 0xfb, 0xff, 0xbf };
	char out[16];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		memset(out, 'X', sizeof(out));
		base64_encode((const unsigned char *)t[i][0], strlen(t[i][0]), out);
		assert_string_equal(out, t[i][1]);
	}
	/* The standard alphabet, not the URL-safe one. */
	base64_encode(bin, 3, out);
	assert_string_equal(out, "+/+/");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fips180),
		cmocka_unit_test(test_padding_boundaries),
		cmocka_unit_test(test_rfc2202),
		cmocka_unit_test(test_base64),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
