/*
 * Unit tests for accounts/totp.c: RFC 6238 appendix B (SHA-1) vectors
 * truncated to 6 digits, drift window, replay refusal, code shapes, and
 * RFC 4648 base32.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "accounts/totp.h"

static const unsigned char secret[] = "12345678901234567890";
#define SECRET_LEN	20

static void
test_rfc6238_vectors(void **state)
{
	static const struct {
		int64_t		t;
		uint32_t	code;	/* last 6 of the RFC's 8 digits */
	} v[] = {
		{ 59, 287082 },
		{ 1111111109, 81804 },
		{ 1111111111, 50471 },
		{ 1234567890, 5924 },
		{ 2000000000, 279037 },
		{ 20000000000LL, 353130 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		assert_int_equal(totp_code(secret, SECRET_LEN, v[i].t), v[i].code);
}

static void
test_verify_window(void **state)
{
	int64_t step = -1;

	(void)state;
	/* 1111111109 is in step 37037036; its code is 081804. */
	assert_true(totp_verify(secret, SECRET_LEN, "081804", 1111111109, 0,
	    &step));
	assert_int_equal(step, 37037036);
	/* One step of drift either way is accepted. */
	assert_true(totp_verify(secret, SECRET_LEN, "081804", 1111111109 + 30,
	    0, &step));
	assert_int_equal(step, 37037036);
	assert_true(totp_verify(secret, SECRET_LEN, "081804", 1111111109 - 30,
	    0, &step));
	assert_int_equal(step, 37037036);
	/* Two steps is too far. */
	assert_false(totp_verify(secret, SECRET_LEN, "081804", 1111111109 + 60,
	    0, &step));
	assert_false(totp_verify(secret, SECRET_LEN, "081804", 1111111109 - 60,
	    0, &step));
	/* Wrong code, wrong secret. */
	assert_false(totp_verify(secret, SECRET_LEN, "081805", 1111111109, 0,
	    &step));
	assert_false(totp_verify(secret, SECRET_LEN - 1, "081804", 1111111109,
	    0, &step));
}

static void
test_replay(void **state)
{
	int64_t step = 0, t = 1111111109;
	char code[8];

	(void)state;
	assert_true(totp_verify(secret, SECRET_LEN, "081804", t, 0, &step));
	/* The same code again, even a second later, is a replay. */
	assert_false(totp_verify(secret, SECRET_LEN, "081804", t + 1, step,
	    NULL));
	/* So is the previous step's code once a newer one was accepted. */
	snprintf(code, sizeof(code), "%06u",
	    (unsigned)totp_code(secret, SECRET_LEN, t - 30));
	assert_false(totp_verify(secret, SECRET_LEN, code, t, step, NULL));
	/* The next step's code is fresh. */
	snprintf(code, sizeof(code), "%06u",
	    (unsigned)totp_code(secret, SECRET_LEN, t + 30));
	assert_true(totp_verify(secret, SECRET_LEN, code, t + 30, step, &step));
	assert_int_equal(step, 37037037);
}

static void
test_code_shapes(void **state)
{
	int64_t t = 59;

	(void)state;
	assert_true(totp_verify(secret, SECRET_LEN, "287082", t, 0, NULL));
	assert_true(totp_verify(secret, SECRET_LEN, "287 082", t, 0, NULL));
	assert_true(totp_verify(secret, SECRET_LEN, " 287082 ", t, 0, NULL));
	assert_false(totp_verify(secret, SECRET_LEN, "28708", t, 0, NULL));
	assert_false(totp_verify(secret, SECRET_LEN, "2870820", t, 0, NULL));
	assert_false(totp_verify(secret, SECRET_LEN, "94287082", t, 0, NULL));
	assert_false(totp_verify(secret, SECRET_LEN, "28708a", t, 0, NULL));
	assert_false(totp_verify(secret, SECRET_LEN, "-28708", t, 0, NULL));
	assert_false(totp_verify(secret, SECRET_LEN, "", t, 0, NULL));
	assert_false(totp_verify(secret, SECRET_LEN, NULL, t, 0, NULL));
}

static void
test_base32(void **state)
{
	static const char *const v[][2] = {
		{ "", "" }, { "f", "MY" }, { "fo", "MZXQ" }, { "foo", "MZXW6" },
		{ "foob", "MZXW6YQ" }, { "fooba", "MZXW6YTB" },
		{ "foobar", "MZXW6YTBOI" },
	};
	unsigned char bin[64];
	char out[64];
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		n = strlen(v[i][0]);
		base32_encode((const unsigned char *)v[i][0], n, out);
		assert_string_equal(out, v[i][1]);
		assert_int_equal(base32_decode(v[i][1], bin, sizeof(bin)), n);
		assert_memory_equal(bin, v[i][0], n);
	}
	base32_encode(secret, SECRET_LEN, out);
	assert_string_equal(out, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");

	/* Padding, lower case and spaces as users paste them. */
	assert_int_equal(base32_decode("mzxw 6yq=", bin, sizeof(bin)), 4);
	assert_memory_equal(bin, "foob", 4);
	assert_int_equal(base32_decode("MZXW6YTBOI======", bin, sizeof(bin)), 6);
	/* Not in the alphabet. */
	assert_int_equal(base32_decode("MZXW1", bin, sizeof(bin)), -1);
	assert_int_equal(base32_decode("MZXW8", bin, sizeof(bin)), -1);
	assert_int_equal(base32_decode("MZ-XW", bin, sizeof(bin)), -1);
	/* Output capacity is respected. */
	assert_int_equal(base32_decode("MZXW6YTBOI", bin, 5), -1);
	assert_int_equal(base32_decode("MZXW6YTBOI", bin, 6), 6);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc6238_vectors),
		cmocka_unit_test(test_verify_window),
		cmocka_unit_test(test_replay),
		cmocka_unit_test(test_code_shapes),
		cmocka_unit_test(test_base32),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
