/*
 * The crisis-language scanner measured on the labelled sets of
 * tests/data/crisis/ (label TAB text per line):
 *
 *	{en,es}.tsv		the sets the rules were written against; recall must
 *				be at least 0.95 and false alarms at most 10%
 *	heldout_{en,es}.tsv	written after the rules and never used to tune
 *				them: the figure to expect on new phrasing; printed,
 *				and only false alarms are held to the 10% bound
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

static void
test_heldout(void **state)
{
	struct figures en, es;

	(void)state;
	measure("heldout_en", &en);
	measure("heldout_es", &es);
	assert_true(en.alarms * 10 <= en.negatives);
	assert_true(es.alarms * 10 <= es.negatives);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_english),
		cmocka_unit_test(test_spanish),
		cmocka_unit_test(test_heldout),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
