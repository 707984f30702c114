/*
 * Unit tests for formats/multipart.c: fields and files as browsers send
 * them, and the malformed bodies that must be refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "formats/multipart.h"

#define CT "multipart/form-data; boundary=XyZ"

static void
test_fields_and_file(void **state)
{
	const char *body =
	    "--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\ntok\r\n"
	    "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.json\"\r\n"
	    "Content-Type: application/json\r\n\r\n[1,\r\n2]\r\n"
	    "--XyZ\r\nContent-Disposition: form-data; name=\"empty\"\r\n\r\n\r\n"
	    "--XyZ--\r\n";
	struct mp_part p[4];
	struct arena a;
	const struct mp_part *f;
	int n;

	(void)state;
	arena_init(&a);
	n = multipart_parse(&a, CT, body, strlen(body), p, 4);
	assert_int_equal(n, 3);
	f = multipart_get(p, n, "csrf_token");
	assert_non_null(f);
	assert_int_equal(f->len, 3);
	assert_memory_equal(f->data, "tok", 3);
	assert_null(f->filename);
	f = multipart_get(p, n, "file");
	assert_string_equal(f->filename, "f.json");
	assert_int_equal(f->len, 7);
	assert_memory_equal(f->data, "[1,\r\n2]", 7);
	assert_int_equal(multipart_get(p, n, "empty")->len, 0);
	assert_null(multipart_get(p, n, "nope"));
	/* A quoted boundary parameter. */
	assert_int_equal(multipart_parse(&a, "multipart/form-data; charset=utf-8; boundary=\"XyZ\"",
	    body, strlen(body), p, 4), 3);
	arena_free(&a);
}

static void
test_refused(void **state)
{
	struct mp_part p[2];
	struct arena a;
	const char *three =
	    "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
	    "--XyZ\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\n2\r\n"
	    "--XyZ\r\nContent-Disposition: form-data; name=\"c\"\r\n\r\n3\r\n--XyZ--\r\n";
	const char *bad[] = {
		"",
		"--Other\r\n",
		"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end",
		"--XyZ\r\nX-Other: 1\r\n\r\nv\r\n--XyZ--\r\n",
		"--XyZ\r\nContent-Disposition: form-data\r\n\r\nv\r\n--XyZ--\r\n",
		"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n",
	};
	size_t i;

	(void)state;
	arena_init(&a);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(multipart_parse(&a, CT, bad[i], strlen(bad[i]), p, 2), -1);
	assert_int_equal(multipart_parse(&a, CT, three, strlen(three), p, 2), -1);	/* too many */
	assert_int_equal(multipart_parse(&a, "text/plain", three, strlen(three), p, 2), -1);
	assert_int_equal(multipart_parse(&a, "multipart/form-data", three, strlen(three), p, 2), -1);
	assert_int_equal(multipart_parse(&a, NULL, three, strlen(three), p, 2), -1);
	arena_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields_and_file),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
