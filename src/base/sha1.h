/*
 * sha1.h: SHA-1 and HMAC-SHA1, for interoperability only (TOTP, the SMS
 * gateway's X-Twilio-Signature).  Never use for anything needing collision
 * resistance.
 */
#ifndef CIRCLES_BASE_SHA1_H
#define CIRCLES_BASE_SHA1_H

#include <stddef.h>
#include <stdint.h>

void	sha1(const void *data, size_t len, unsigned char out[20]);
void	hmac_sha1(const void *key, size_t keylen, const void *data, size_t len,
	    unsigned char out[20]);
/** Standard base64 with padding into out (size >= 4*((len+2)/3)+1). */
void	base64_encode(const unsigned char *in, size_t len, char *out);

#endif
