/* SOURCES: src/safety/crisis_lang.c src/safety/crisis_rules.c */
/*
 * fuzz_crisis_scan.c: libFuzzer target for the crisis-language scanner.
 *
 * Invariants checked: any bytes are scanned without a crash or a read out
 * of bounds; the answer is the same twice; a flag always names a rule and
 * at least one category, and no flag names neither; a text that opens
 * with a sentence of risk is flagged whatever follows it.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "safety/crisis_lang.h"

#define CHECK(x)	do { if (!(x)) abort(); } while (0)

static const char opener[] = "I want to die.\n";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crisis_result a, b;
	char *buf;

	crisis_scan((const char *)data, size, &a);
	crisis_scan((const char *)data, size, &b);
	CHECK(a.flagged == b.flagged && a.categories == b.categories);
	if (a.flagged)
		CHECK(a.rule != NULL && a.categories != 0 &&
		    (a.categories & ~(unsigned)(CRISIS_SUICIDE | CRISIS_SELF_HARM | CRISIS_OVERDOSE)) == 0);
	else
		CHECK(a.rule == NULL && a.categories == 0);

	buf = malloc(sizeof(opener) - 1 + size);
	CHECK(buf != NULL);
	memcpy(buf, opener, sizeof(opener) - 1);
	if (size > 0)
		memcpy(buf + sizeof(opener) - 1, data, size);
	CHECK(crisis_text_flags(buf, sizeof(opener) - 1 + size));
	free(buf);
	return 0;
}
