/*
 * demo.h: matching profiles, mentors and suggestions in the demo network.
 */
#ifndef CIRCLES_MATCHING_DEMO_H
#define CIRCLES_MATCHING_DEMO_H

#include <stdint.h>
#include <stdio.h>

#include "db/db.h"

/**
 * Inside demo_seed's transaction: create the people who exist for matching
 * (chapters north and south, the demo password) and the matching profiles
 * of them and of the demo members; mentors get a start date and most are
 * trained.  0 or -1.
 */
int	matching_demo_people(struct db *db, const char *password, int64_t north,
	    int64_t south, int64_t now);
/** After the commit: suggest pairs over the whole network and print a line on out. 0 or -1. */
int	matching_demo_suggest(struct db *db, int64_t now, FILE *out);

#endif
