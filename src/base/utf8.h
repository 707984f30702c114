/*
 * utf8.h: strict UTF-8 validation.
 */
#ifndef CIRCLES_BASE_UTF8_H
#define CIRCLES_BASE_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/** True if s[0..n) is valid UTF-8 (no overlongs, no surrogates, at most U+10FFFF). */
bool	utf8_valid(const char *s, size_t n);

#endif
