/*
 * cli.c: `circles crisis-scan`, the scanner on standard input.
 *
 * One answer per input line, always, so the output lines up with a
 * labelled file: an empty line is 0, a line with a NUL byte or invalid
 * UTF-8 is judged on the rest, and a line over CRISIS_LINE_MAX is judged on
 * its first CRISIS_LINE_MAX bytes while the rest is read and dropped (the
 * memory used stays fixed).  CRLF line ends are accepted.
 */
#include "safety/cli.h"

#include <stdlib.h>
#include <string.h>

#include "safety/crisis_lang.h"

static void
print_categories(FILE *out, unsigned cats)
{
	unsigned bit;
	bool first = true;

	for (bit = 1; bit <= CRISIS_OVERDOSE; bit <<= 1) {
		if (!(cats & bit))
			continue;
		fprintf(out, "%s%s", first ? "\t" : ",", crisis_category_token(bit));
		first = false;
	}
}

static void
emit_feature(void *arg, const char *name, size_t len)
{
	FILE *out = arg;

	fputc(' ', out);
	fwrite(name, 1, len, out);
}

static void
answer(FILE *out, const char *text, size_t len, enum safety_scan_output what, unsigned use)
{
	struct crisis_result r;

	if (what == SAFETY_SCAN_FEATURES) {
		fputc('-', out);	/* a line always has a first field, even with no words */
		crisis_features(text, len, emit_feature, out);
		fputc('\n', out);
		return;
	}
	crisis_scan_with(text, len, use, &r);
	fputc(r.flagged ? '1' : '0', out);
	if (what == SAFETY_SCAN_EXPLAIN && r.flagged) {
		print_categories(out, r.categories);
		if (strcmp(r.rule, "model") == 0)
			fprintf(out, "\tmodel %.2f: %s", (double)r.score, r.why);
		else
			fprintf(out, "\trule: %s", r.rule);
	}
	fputc('\n', out);
}

int
safety_crisis_scan_stream(FILE *in, FILE *out, bool explain)
{
	return safety_crisis_scan_run(in, out, explain ? SAFETY_SCAN_EXPLAIN : SAFETY_SCAN_FLAGS,
	    CRISIS_USE_RULES | CRISIS_USE_MODEL);
}

int
safety_crisis_scan_run(FILE *in, FILE *out, enum safety_scan_output what, unsigned use)
{
	char *buf = malloc(CRISIS_LINE_MAX);
	size_t len = 0;
	int c;

	if (buf == NULL)
		return 1;
	for (;;) {
		c = getc(in);
		if (c != EOF && c != '\n') {
			if (len < CRISIS_LINE_MAX)
				buf[len++] = (char)c;
			continue;
		}
		if (c == EOF && len == 0)
			break;
		if (len > 0 && buf[len - 1] == '\r')
			len--;
		answer(out, buf, len, what, use);
		len = 0;
		if (c == EOF)
			break;
	}
	free(buf);
	if (ferror(in) || fflush(out) == EOF || ferror(out))
		return 1;
	return 0;
}

int
safety_cmd_crisis_scan(int argc, char **argv, struct config *cfg)
{
	enum safety_scan_output what = SAFETY_SCAN_FLAGS;
	unsigned use = CRISIS_USE_RULES | CRISIS_USE_MODEL;
	int i;

	(void)cfg;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--explain") == 0) {
			what = SAFETY_SCAN_EXPLAIN;
		} else if (strcmp(argv[i], "--features") == 0) {
			what = SAFETY_SCAN_FEATURES;
		} else if (strcmp(argv[i], "--only=rules") == 0) {
			use = CRISIS_USE_RULES;
		} else if (strcmp(argv[i], "--only=model") == 0) {
			use = CRISIS_USE_MODEL;
		} else {
			fprintf(stderr, "usage: %s\n", SAFETY_CRISIS_SCAN_USAGE);
			return 2;
		}
	}
	if (safety_crisis_scan_run(stdin, stdout, what, use) != 0) {
		fprintf(stderr, "circles: crisis-scan: read or write error\n");
		return 1;
	}
	return 0;
}
