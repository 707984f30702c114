/*
 * sms_sign.h: the SMS gateway's request signature (the X-Twilio-Signature
 * scheme).
 *
 * The gateway signs each webhook request: HMAC-SHA1, keyed with the auth
 * token, over the URL it posted to followed by every POST parameter sorted
 * by name, each name immediately followed by its value; the header carries
 * the digest in standard base64.  Pure apart from the constant-time compare.
 */
#ifndef CIRCLES_CHECKINS_SMS_SIGN_H
#define CIRCLES_CHECKINS_SMS_SIGN_H

#include <stdbool.h>

#include "http/params.h"

/** Base64 of a 20-byte digest plus NUL. */
#define SMS_SIGNATURE_LEN	29

/** The signature of url and params under token, into out. */
void	sms_signature(const char *token, const char *url, const struct params *p,
	    char out[SMS_SIGNATURE_LEN]);
/** True if sig (the header's value, may be NULL) is the right one; compared in constant time. */
bool	sms_signature_valid(const char *token, const char *url, const struct params *p,
	    const char *sig);

#endif
