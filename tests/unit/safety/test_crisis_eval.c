/*
 * The crisis-language scanner measured on the labelled sets of
 * tests/data/crisis/ (label TAB text per line):
 *
 *	{en,es}.tsv		the sets the rules were written against; recall must
 *				be at least 0.95 and false alarms at most 10%
 *	heldout_{en,es}.tsv	written after the rules, measured (recall 0.37 EN,
 *				0.40 ES), then used for the rule families of
 *				issue 5: now a regression set (recall >= 0.95)
 *	heldout2_{en,es}.tsv	written for issue 5 before any change (recall 0.50
 *				EN, 0.40 ES), then its misses informed the first
 *				round of families: a regression set too
 *	heldout3_{en,es}.tsv	written after that round (recall 0.37 EN, 0.40 ES
 *				on it), then used for a second round: a
 *				regression set too
 *	heldout4_{en,es}.tsv	written after the second round and never used to
 *				tune: the honest figure for new phrasing (0.27
 *				EN, 0.30 ES when written); only printed, and its
 *				false alarms held to 10%
 *
 * Keep heldout4 honest: do not write rules from its misses; write a new
 * set instead, and measure it once before and after the next change.
 *
 * Run with -v to see the figures:
 *	meson test -C build safety_crisis_eval -v
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "safety/crisis_lang.h"

struct figures {
	int	positives, caught, negatives, alarms;
};

static const char *
root(void)
{
	const char *r = getenv("CIRCLES_SOURCE_ROOT");

	return r ? r : CIRCLES_SOURCE_ROOT;
}

static void
measure(const char *name, struct figures *f)
{
	char path[4096], *line = NULL;
	size_t cap = 0;
	ssize_t len;
	FILE *fp;
	int lineno = 0;

	memset(f, 0, sizeof(*f));
	snprintf(path, sizeof(path), "%s/tests/data/crisis/%s.tsv", root(), name);
	fp = fopen(path, "r");
	if (fp == NULL)
		fail_msg("cannot open %s", path);
	while ((len = getline(&line, &cap, fp)) > 0) {
		bool flagged;

		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0)
			continue;
		if (len < 3 || (line[0] != '0' && line[0] != '1') || line[1] != '\t')
			fail_msg("%s:%d: expected \"0|1 TAB text\"", path, lineno);
		flagged = crisis_text_flags(line + 2, (size_t)len - 2);
		if (line[0] == '1') {
			f->positives++;
			f->caught += flagged;
			if (!flagged)
				printf("# %s: missed: %s\n", name, line + 2);
		} else {
			f->negatives++;
			f->alarms += flagged;
			if (flagged)
				printf("# %s: false alarm: %s\n", name, line + 2);
		}
	}
	free(line);
	fclose(fp);
	printf("# %s: recall %.3f (%d/%d), false alarms %.3f (%d/%d)\n", name,
	    f->positives ? (double)f->caught / f->positives : 0.0, f->caught, f->positives,
	    f->negatives ? (double)f->alarms / f->negatives : 0.0, f->alarms, f->negatives);
}

static void
check_set(const char *lang)
{
	struct figures f;

	measure(lang, &f);
	assert_true(f.positives + f.negatives >= 150);
	assert_true(f.positives >= 50 && f.negatives >= 50);
	/* recall >= 0.95 and false alarms <= 10%, in integers */
	assert_true(f.caught * 100 >= f.positives * 95);
	assert_true(f.alarms * 10 <= f.negatives);
}

static void
test_english(void **state)
{
	(void)state;
	check_set("en");
}

static void
test_spanish(void **state)
{
	(void)state;
	check_set("es");
}

/*
 * A held-out set: false alarms are held to 10%; recall to 0.95 only where
 * the set has since been used to write rules (then it guards against
 * regressions), never on the newest set, whose recall is only printed.
 */
static void
check_heldout(const char *name, bool recall_bound)
{
	struct figures f;

	measure(name, &f);
	assert_true(f.positives >= 30 && f.negatives >= 30);
	assert_true(f.alarms * 10 <= f.negatives);
	if (recall_bound)
		assert_true(f.caught * 100 >= f.positives * 95);
}

static void
test_heldout(void **state)
{
	(void)state;
	check_heldout("heldout_en", true);
	check_heldout("heldout_es", true);
}

static void
test_heldout2(void **state)
{
	(void)state;
	check_heldout("heldout2_en", true);
	check_heldout("heldout2_es", true);
}

static void
test_heldout3(void **state)
{
	(void)state;
	check_heldout("heldout3_en", true);
	check_heldout("heldout3_es", true);
}

static void
test_heldout4(void **state)
{
	(void)state;
	check_heldout("heldout4_en", false);
	check_heldout("heldout4_es", false);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_english),
		cmocka_unit_test(test_spanish),
		cmocka_unit_test(test_heldout),
		cmocka_unit_test(test_heldout2),
		cmocka_unit_test(test_heldout3),
		cmocka_unit_test(test_heldout4),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
