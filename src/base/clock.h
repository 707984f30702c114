/*
 * clock.h: the one clock every time-dependent rule reads.
 *
 * In production it is the system clock.  When the server runs with
 * CIRCLES_TEST_CLOCK=1, tests may set and advance it (through the
 * test-only endpoint POST /api/v1/test/clock) instead of sleeping.  The
 * offset is process-wide and thread-safe.
 */
#ifndef CIRCLES_BASE_CLOCK_H
#define CIRCLES_BASE_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

/** Current time in seconds since the epoch (UTC). */
int64_t	clock_now(void);
/** Current time in milliseconds since the epoch (UTC). */
int64_t	clock_now_ms(void);
/** Pin the clock to t seconds (test mode only). */
void	clock_set(int64_t t);
/** Move the clock forward by secs (test mode only). */
void	clock_advance(int64_t secs);
/** Return to the system clock. */
void	clock_reset(void);
/** True once clock_set or clock_advance has been used. */
bool	clock_is_fake(void);

#endif
