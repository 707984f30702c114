/*
 * str.h: length-carrying string slices and growable byte buffers.
 *
 * A struct str never owns its bytes; it points into a request buffer, an
 * arena or a literal.  A struct buf owns a heap allocation that grows by
 * doubling and is always NUL-terminated so it can be handed to C APIs.
 */
#ifndef CIRCLES_BASE_STR_H
#define CIRCLES_BASE_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct str {
	const char	*p;
	size_t		 len;
};

#define STR(lit)	((struct str){ (lit), sizeof(lit) - 1 })
#define STR_NULL	((struct str){ NULL, 0 })

/** Slice of a NUL-terminated string (NULL gives the empty slice). */
struct str	str_c(const char *s);
/** Byte-wise equality. */
bool		str_eq(struct str a, struct str b);
/** Equality with a C string. */
bool		str_eqc(struct str a, const char *b);
/** ASCII case-insensitive equality with a C string. */
bool		str_caseeqc(struct str a, const char *b);
/** True if a starts with the C string prefix. */
bool		str_startswith(struct str a, const char *prefix);
/** Strip leading and trailing spaces and tabs. */
struct str	str_trim(struct str a);
/**
 * Parse a non-negative decimal integer made only of digits, no sign, no
 * spaces, at most max.  Returns false on any other shape or overflow.
 */
bool		str_to_u64(struct str a, uint64_t max, uint64_t *out);

struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

#define BUF_INIT	((struct buf){ NULL, 0, 0 })

/** Make room for n more bytes. */
void	buf_reserve(struct buf *b, size_t n);
void	buf_append(struct buf *b, const void *p, size_t n);
void	buf_puts(struct buf *b, const char *s);
void	buf_putc(struct buf *b, char c);
void	buf_printf(struct buf *b, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/** Append s with HTML special characters escaped (& < > " ' ` =). */
void	buf_append_html(struct buf *b, const char *s, size_t n);
/** Append s as the inside of a JSON string (no surrounding quotes). */
void	buf_append_json(struct buf *b, const char *s, size_t n);
/** Drop the first n bytes, keeping the rest. */
void	buf_consume(struct buf *b, size_t n);
void	buf_reset(struct buf *b);
void	buf_free(struct buf *b);
/** Hand the bytes to the caller (NUL-terminated, never NULL); b is emptied. */
char	*buf_steal(struct buf *b);

#endif
