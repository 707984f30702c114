/*
 * text.h: plain text out of what meeting feeds send.
 *
 * The Meeting Guide specification allows no HTML in notes, yet real feeds
 * carry <b>, <br /> and <a href> in them.  html_to_text() keeps the words
 * and the line breaks, turns a link into its plain URL, decodes entities,
 * and leaves anything that is not a known HTML tag as it was written (a
 * feed saying "Password: <none>" keeps "<none>").  Pure; no allocation
 * beyond the output buffer.
 */
#ifndef CIRCLES_FORMATS_TEXT_H
#define CIRCLES_FORMATS_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/str.h"

/**
 * Append the plain text of in[0..len) to out: tags removed (block tags and
 * <br> become line breaks), <a href="URL">text</a> becomes URL (or
 * "text (URL)" when the text says something else), entities decoded,
 * CR LF made LF, trailing spaces and runs of blank lines trimmed.
 * Returns the number of HTML tags removed.
 */
size_t	html_to_text(const char *in, size_t len, struct buf *out);

/**
 * The first link to a video-conferencing service (Zoom, Google Meet,
 * Teams, Webex, GoTo, Jitsi, Whereby, Skype, BlueJeans, Discord) in text,
 * copied into out (size outsz, NUL-terminated); false if none fits.
 */
bool	text_find_conference_url(const char *text, char *out, size_t outsz);

/** True if s looks like an absolute http(s) URL without spaces or controls. */
bool	text_is_http_url(const char *s);

#endif
