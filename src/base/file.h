/*
 * file.h: reading a whole file with a size limit.
 */
#ifndef CIRCLES_BASE_FILE_H
#define CIRCLES_BASE_FILE_H

#include <stddef.h>

/**
 * Read the regular file at path, at most max bytes, into a malloc'd,
 * NUL-terminated buffer (length in *len).  NULL with *err (malloc'd, naming
 * the file) if it is missing, not a regular file, too large or unreadable.
 */
char	*file_read(const char *path, size_t max, size_t *len, char **err);

#endif
