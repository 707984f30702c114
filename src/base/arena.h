/*
 * arena.h: a region allocator freed in one step.
 *
 * Every HTTP request gets an arena; handlers allocate from it and never call
 * free.  Allocations are 16-byte aligned.  Large requests get their own chunk.
 */
#ifndef CIRCLES_BASE_ARENA_H
#define CIRCLES_BASE_ARENA_H

#include <stddef.h>

#include "base/str.h"

struct arena_chunk;

struct arena {
	struct arena_chunk	*head;
	size_t			 total;	/* bytes handed out, for limits/metrics */
};

void	 arena_init(struct arena *a);
/** Allocate n bytes (uninitialised); aborts on overflow/out of memory. */
void	*arena_alloc(struct arena *a, size_t n);
/** Allocate n zeroed bytes. */
void	*arena_zalloc(struct arena *a, size_t n);
char	*arena_strdup(struct arena *a, const char *s);
char	*arena_strndup(struct arena *a, const char *s, size_t n);
/** Copy a slice into the arena as a NUL-terminated string. */
char	*arena_cstr(struct arena *a, struct str s);
char	*arena_printf(struct arena *a, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/** Free every allocation at once; the arena can be reused afterwards. */
void	 arena_free(struct arena *a);

#endif
