/* Unit tests for base/str.c: slices, number parsing, buffers, escaping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/str.h"

static void
test_u64(void **state)
{
	uint64_t v;
	(void)state;
	assert_true(str_to_u64(STR("0"), UINT64_MAX, &v));
	assert_int_equal(v, 0);
	assert_true(str_to_u64(STR("18446744073709551615"), UINT64_MAX, &v));
	assert_true(v == UINT64_MAX);
	assert_false(str_to_u64(STR("18446744073709551616"), UINT64_MAX, &v));
	assert_false(str_to_u64(STR("-1"), UINT64_MAX, &v));
	assert_false(str_to_u64(STR("+1"), UINT64_MAX, &v));
	assert_false(str_to_u64(STR(" 1"), UINT64_MAX, &v));
	assert_false(str_to_u64(STR(""), UINT64_MAX, &v));
	assert_false(str_to_u64(STR("101"), 100, &v));
	assert_true(str_to_u64(STR("100"), 100, &v));
}

static void
test_trim_eq(void **state)
{
	(void)state;
	assert_true(str_eqc(str_trim(STR(" \tab \t")), "ab"));
	assert_true(str_caseeqc(STR("Content-Length"), "content-length"));
	assert_false(str_caseeqc(STR("Content-Lengt"), "content-length"));
	assert_true(str_startswith(STR("/api/v1/me"), "/api/"));
}

static void
test_buf(void **state)
{
	struct buf b = BUF_INIT;
	int i;
	(void)state;
	for (i = 0; i < 1000; i++)
		buf_printf(&b, "%d,", i);
	assert_int_equal(b.len, strlen(b.data));
	buf_consume(&b, 2);
	assert_true(strncmp(b.data, "1,2,", 4) == 0);
	buf_reset(&b);
	buf_append_html(&b, "<a href=\"x\">&'", 14);
	assert_string_equal(b.data, "&lt;a href&#61;&quot;x&quot;&gt;&amp;&#39;");
	buf_reset(&b);
	buf_append_json(&b, "a\"b\\\n\x01", 6);
	assert_string_equal(b.data, "a\\\"b\\\\\\n\\u0001");
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_u64),
		cmocka_unit_test(test_trim_eq),
		cmocka_unit_test(test_buf),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
