/*
 * demo.h: `circles demo-meetings N`: a realistic network of N meetings.
 */
#ifndef CIRCLES_MEETINGS_DEMO_H
#define CIRCLES_MEETINGS_DEMO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "db/db.h"

/**
 * Add n generated meetings (the same ones for the same seed) in one
 * transaction; meetings whose slug exists already are left as they are.
 * Prints a summary to out.  0 or -1 (message on stderr).
 */
int	meetings_demo(struct db *db, size_t n, uint64_t seed, int64_t now, FILE *out);

#endif
