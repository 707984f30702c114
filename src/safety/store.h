/*
 * store.h: the safety area's crisis-plan storage.
 *
 * Each section is sealed on its own (privacy/crypto.h) with associated
 * data "crisis_plans.<section>:<user_id>", so a ciphertext moved to
 * another member's row, or to another section, does not open.  These
 * functions do not check who is asking: callers reading someone else's
 * plan go through privacy_read() first.
 */
#ifndef CIRCLES_SAFETY_STORE_H
#define CIRCLES_SAFETY_STORE_H

#include <stdint.h>

#include "base/arena.h"
#include "db/db.h"
#include "safety/plan.h"

/**
 * Load user_id's plan into out (strings in a).  A member without a plan
 * gets a blank one (out->exists false).  0, or -1 on a database error or
 * a section that does not open (logged by row, never by content).
 */
int	safety_plan_load(struct db *db, struct arena *a, int64_t user_id, struct crisis_plan *out);
/** Replace user_id's plan (created on first save).  0 or -1. */
int	safety_plan_save(struct db *db, int64_t user_id, const struct crisis_plan *p, int64_t now);
/** Delete user_id's plan.  0 (also when there was none) or -1. */
int	safety_plan_delete(struct db *db, int64_t user_id);

#endif
