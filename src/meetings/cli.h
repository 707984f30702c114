/*
 * cli.h: the meetings' commands, listed in main.c's command table.
 */
#ifndef CIRCLES_MEETINGS_CLI_H
#define CIRCLES_MEETINGS_CLI_H

#include "base/config.h"

#define MEETINGS_IMPORT_USAGE \
	"circles import meeting-guide FILE_OR_URL [--timezone ZONE]"
#define MEETINGS_IMPORT_HELP \
	"Import meetings from a Meeting Guide JSON feed or a 12 Step Meeting List\n" \
	"CSV (told apart by content), from a file, - for standard input, or an\n" \
	"http(s) URL.  Meetings are matched by slug: new ones are added, changed\n" \
	"ones updated, the same ones left alone.  Meetings that cannot be read\n" \
	"are rejected one by one with the reason; the rest still import.  Exits 0\n" \
	"when anything could be read, 1 when nothing could.  --timezone is the\n" \
	"zone for meetings that give none (default: the feed's most common)."
#define MEETINGS_DEMO_USAGE	"circles demo-meetings N [--seed S]"
#define MEETINGS_DEMO_HELP \
	"Add N generated meetings (weekly, monthly, single-date, online, hybrid,\n" \
	"English and Spanish, in four time zones) for trying the finder and for\n" \
	"bench/finder.  The same seed gives the same meetings."

int	meetings_cmd_import(int argc, char **argv, struct config *cfg);
int	meetings_cmd_demo(int argc, char **argv, struct config *cfg);

#endif
