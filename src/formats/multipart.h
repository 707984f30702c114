/*
 * multipart.h: multipart/form-data bodies (RFC 7578), for file uploads.
 *
 * Only what browsers send: parts separated by the boundary from the
 * Content-Type header, each with a Content-Disposition naming the field
 * (and the file).  Part data points into the body (no copies); names are
 * copied into the arena.  Malformed bodies are refused, never guessed.
 */
#ifndef CIRCLES_FORMATS_MULTIPART_H
#define CIRCLES_FORMATS_MULTIPART_H

#include <stddef.h>

#include "base/arena.h"

struct mp_part {
	const char	*name;
	const char	*filename;	/* NULL for plain fields */
	const char	*data;
	size_t		 len;
};

/**
 * Parse body (len bytes) sent with content_type ("multipart/form-data;
 * boundary=...").  Fills up to max parts; returns how many, or -1 if the
 * body is malformed, has more than max parts or no boundary is given.
 */
int	multipart_parse(struct arena *a, const char *content_type, const char *body, size_t len,
	    struct mp_part *parts, size_t max);

/** The first part named name, or NULL. */
const struct mp_part *multipart_get(const struct mp_part *parts, int n, const char *name);

#endif
