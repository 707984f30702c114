/*
 * fetch.h: download a meeting feed (command-line import of a URL).
 */
#ifndef CIRCLES_MEETINGS_FETCH_H
#define CIRCLES_MEETINGS_FETCH_H

#include <stddef.h>

#include "base/str.h"

/**
 * GET url (http or https only) into out, refusing more than max bytes.
 * 0, or -1 with a message for people in err.
 */
int	meetings_fetch_url(const char *url, size_t max, struct buf *out, char *err, size_t errlen);

#endif
