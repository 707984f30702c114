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

int
safety_crisis_scan_stream(FILE *in, FILE *out, bool explain)
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
		{
			struct crisis_result r;

			crisis_scan(buf, len, &r);
			fputc(r.flagged ? '1' : '0', out);
			if (explain && r.flagged)
				print_categories(out, r.categories);
			fputc('\n', out);
		}
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
	bool explain = false;
	int i;

	(void)cfg;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--explain") == 0) {
			explain = true;
		} else {
			fprintf(stderr, "usage: %s\n", SAFETY_CRISIS_SCAN_USAGE);
			return 2;
		}
	}
	if (safety_crisis_scan_stream(stdin, stdout, explain) != 0) {
		fprintf(stderr, "circles: crisis-scan: read or write error\n");
		return 1;
	}
	return 0;
}
