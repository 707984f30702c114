/* Unit tests for base/arena.c: alignment, large allocations, reuse. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/arena.h"

static void
test_alloc(void **state)
{
	struct arena a;
	int i;
	(void)state;
	arena_init(&a);
	for (i = 0; i < 5000; i++) {
		char *p = arena_alloc(&a, (size_t)(i % 97) + 1);
		assert_true(((uintptr_t)p & 15) == 0);
		memset(p, 'x', (size_t)(i % 97) + 1);
	}
	char *big = arena_alloc(&a, 1 << 20);
	memset(big, 0, 1 << 20);
	assert_string_equal(arena_printf(&a, "%s-%d", "n", 7), "n-7");
	assert_string_equal(arena_cstr(&a, STR("slice")), "slice");
	arena_free(&a);
	assert_null(a.head);
	assert_string_equal(arena_strdup(&a, "again"), "again");
	arena_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alloc),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
