/*
 * cli.h: the safety commands, listed in main.c's command table.
 */
#ifndef CIRCLES_SAFETY_CLI_H
#define CIRCLES_SAFETY_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "base/config.h"

#define SAFETY_CRISIS_SCAN_USAGE \
	"circles crisis-scan [--explain] [--only=rules|--only=model] [--features]"
#define SAFETY_CRISIS_SCAN_HELP \
	"Read one text per line on standard input and write 1 (speaks of self-harm,\n" \
	"suicide or overdose risk) or 0 per line, in order, in English or Spanish.\n" \
	"Any bytes are accepted; a line longer than 1 MiB is judged on its first\n" \
	"1 MiB and still answered.  --explain adds a tab and the categories\n" \
	"(suicide, self_harm, overdose) after each 1, then a tab and what fired:\n" \
	"\"rule: <phrase>\" or \"model <probability>: <heaviest features>\".\n" \
	"--only=rules or --only=model uses one half of the scanner (evaluation);\n" \
	"--features writes the model's feature names for each line instead\n" \
	"(scripts/crisis_train.py learns from them).  Needs no database."

/* What safety_crisis_scan_run() writes per line. */
enum safety_scan_output {
	SAFETY_SCAN_FLAGS,	/* 1 or 0 */
	SAFETY_SCAN_EXPLAIN,	/* 1, categories and what fired, or 0 */
	SAFETY_SCAN_FEATURES,	/* the model's feature names, space-separated */
};

int	safety_cmd_crisis_scan(int argc, char **argv, struct config *cfg);

/** The command's work on any streams (tests): 0, or 1 on a read or write error. */
int	safety_crisis_scan_stream(FILE *in, FILE *out, bool explain);

/** The same with a choice of output and of the scanner's halves (CRISIS_USE_* bits). */
int	safety_crisis_scan_run(FILE *in, FILE *out, enum safety_scan_output what, unsigned use);

#endif
