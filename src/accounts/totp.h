/*
 * totp.h: two-step sign-in codes from an authenticator app (RFC 6238).
 *
 * HMAC-SHA1, 6 digits, 30-second steps, as every authenticator app expects.
 * SHA-1 and HMAC-SHA1 are implemented in base/sha1.c (libsodium has no
 * SHA-1); this use is not a collision-resistance use.  Secrets are 20 random
 * bytes, shown to the user in base32 and as an otpauth:// URI.
 */
#ifndef CIRCLES_ACCOUNTS_TOTP_H
#define CIRCLES_ACCOUNTS_TOTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TOTP_SECRET_BYTES	20

/** The 6-digit code for secret at Unix time t. */
uint32_t totp_code(const unsigned char *secret, size_t len, int64_t t);
/**
 * Check a code typed by the user, allowing one step of clock drift either
 * way.  last_step is the step of the last accepted code (0 if none); a
 * code at or before it is refused (no replay).  On success *step receives
 * the step matched.
 */
bool	totp_verify(const unsigned char *secret, size_t len, const char *code, int64_t t,
	    int64_t last_step, int64_t *step);
/** RFC 4648 base32 without padding into out (size >= 8*len/5+2). */
void	base32_encode(const unsigned char *in, size_t len, char *out);
/** Decode base32 (case-insensitive, spaces and '=' ignored); returns bytes or -1. */
long	base32_decode(const char *in, unsigned char *out, size_t outcap);

#endif
