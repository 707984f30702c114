/*
 * sms_text.h: how long a text message is, as carriers count it.
 *
 * Pure.  A message made only of GSM 03.38 characters is sent in 7-bit
 * septets (160 in one segment, 153 per segment when split; the extension
 * characters such as { } [ ] ~ \ | ^ and the euro sign take two); any other
 * character (Spanish á í ó ú ¿ ¡, emoji) turns the whole message into
 * UCS-2 (70 in one segment, 67 per segment when split; characters outside
 * the Basic Multilingual Plane take two).  Replies that list things are
 * built to stay within a few segments, so they arrive as one message on
 * cheap phones and cost the network little.
 */
#ifndef CIRCLES_CHECKINS_SMS_TEXT_H
#define CIRCLES_CHECKINS_SMS_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/** Longest reply Circles sends, in segments. */
#define SMS_REPLY_SEGMENTS	3

/** Segments text s (UTF-8, NUL-terminated) takes; 0 for "". */
size_t	sms_segments(const char *s);

/** True if s takes at most max segments. */
bool	sms_fits(const char *s, size_t max);

/**
 * The longest prefix of s (cut at a character boundary, trailing spaces
 * dropped) that, followed by "...", takes at most max segments; s itself
 * when it fits already.  Written into out[outsz] (truncated to fit there
 * too).  Returns out.
 */
char	*sms_clip(const char *s, size_t max, char *out, size_t outsz);

#endif
