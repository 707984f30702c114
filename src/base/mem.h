/*
 * mem.h: allocation wrappers that never return NULL.
 *
 * Circles treats running out of memory as fatal: the wrappers log and abort,
 * so callers never carry half-handled NULL paths.  Sizes are overflow-checked
 * before multiplication.
 */
#ifndef CIRCLES_BASE_MEM_H
#define CIRCLES_BASE_MEM_H

#include <stddef.h>

/** Allocate n bytes; aborts on failure. */
void *xmalloc(size_t n);
/** Allocate nmemb*size zeroed bytes; aborts on overflow or failure. */
void *xcalloc(size_t nmemb, size_t size);
/** Resize; aborts on failure. */
void *xrealloc(void *p, size_t n);
/** Resize an array of nmemb*size bytes; aborts on overflow or failure. */
void *xreallocarray(void *p, size_t nmemb, size_t size);
/** Copy a NUL-terminated string; aborts on failure. */
char *xstrdup(const char *s);
/** Copy n bytes of s and NUL-terminate. */
char *xstrndup(const char *s, size_t n);
/** printf into a fresh allocation. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
