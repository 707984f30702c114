/* SOURCES: src/safety/crisis_lang.c src/safety/crisis_rules.c src/safety/crisis_model.c src/safety/crisis_model_data.c */
/*
 * fuzz_crisis_scan.c: libFuzzer target for the crisis-language scanner.
 *
 * Invariants checked: any bytes are scanned without a crash or a read out
 * of bounds; the answer is the same twice; a flag always names a rule (or
 * "model") and at least one category, and no flag names neither; the
 * model's probability is in [0, 1]; the feature stream never breaks; a
 * text that opens with a sentence of risk is flagged by the rules
 * whatever follows it (with the model too, unless the model is all but
 * certain the whole text is ordinary: the veto of crisis_lang.c).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "safety/crisis_lang.h"

#define CHECK(x)	do { if (!(x)) abort(); } while (0)

static const char opener[] = "I want to die.\n";	/* the rules alone flag it */

static void
count_feature(void *arg, const char *name, size_t len)
{
	size_t *n = arg;

	CHECK(len > 2 && name[len - 1] != '\0');
	(*n)++;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crisis_result a, b;
	size_t nfeat = 0;
	char *buf;

	crisis_scan((const char *)data, size, &a);
	crisis_scan((const char *)data, size, &b);
	CHECK(a.flagged == b.flagged && a.categories == b.categories);
	if (a.flagged)
		CHECK(a.rule != NULL && a.categories != 0 &&
		    (a.categories & ~(unsigned)(CRISIS_SUICIDE | CRISIS_SELF_HARM | CRISIS_OVERDOSE)) == 0);
	else
		CHECK(a.rule == NULL && a.categories == 0);
	CHECK(a.score >= 0.0f && a.score <= 1.0f);
	crisis_features((const char *)data, size, count_feature, &nfeat);

	buf = malloc(sizeof(opener) - 1 + size);
	CHECK(buf != NULL);
	memcpy(buf, opener, sizeof(opener) - 1);
	if (size > 0)
		memcpy(buf + sizeof(opener) - 1, data, size);
	crisis_scan_with(buf, sizeof(opener) - 1 + size, CRISIS_USE_RULES, &a);
	CHECK(a.flagged);
	free(buf);
	return 0;
}
