/*
 * demo.h: `circles demo`, a small demo network for trying Circles.
 */
#ifndef CIRCLES_APP_DEMO_H
#define CIRCLES_APP_DEMO_H

#include <stdio.h>

#include "db/db.h"

/**
 * Seed two chapters, an admin, a coordinator, a peer supporter and three
 * members, all sharing one random password, printed to out with the
 * emails; and matching (matching/demo.h): more people, matching profiles,
 * mentors, and suggestions waiting for the coordinator.  Refuses (returns
 * -1 with a message) if people exist already.
 */
int	demo_seed(struct db *db, FILE *out);

#endif
