/*
 * clock.c: system time plus a test-settable offset (milliseconds), kept in
 * one atomic so readers on any thread see a consistent value.
 */
#include "base/clock.h"

#include <stdatomic.h>
#include <time.h>

static _Atomic int64_t offset_ms;
static _Atomic bool fake;

static int64_t
system_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
clock_now_ms(void)
{
	return system_ms() + atomic_load(&offset_ms);
}

int64_t
clock_now(void)
{
	return clock_now_ms() / 1000;
}

void
clock_set(int64_t t)
{
	atomic_store(&offset_ms, t * 1000 - system_ms());
	atomic_store(&fake, true);
}

void
clock_advance(int64_t secs)
{
	atomic_fetch_add(&offset_ms, secs * 1000);
	atomic_store(&fake, true);
}

void
clock_reset(void)
{
	atomic_store(&offset_ms, 0);
	atomic_store(&fake, false);
}

bool
clock_is_fake(void)
{
	return atomic_load(&fake);
}
