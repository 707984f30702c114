/*
 * password.h: argon2id password hashing (libsodium).
 *
 * Parameters follow OWASP's Password Storage Cheat Sheet for argon2id:
 * m = 19 MiB, t = 2, p = 1.  Hashes are stored in the PHC string format,
 * which records the parameters, so they can be raised later and old hashes
 * still verify (password_needs_rehash tells when to upgrade at sign-in).
 */
#ifndef CIRCLES_ACCOUNTS_PASSWORD_H
#define CIRCLES_ACCOUNTS_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#define PASSWORD_HASH_MAX	128
#define PASSWORD_MIN_LEN	10
#define PASSWORD_MAX_LEN	1024

/** Hash pw into out (PHC string). 0, or -1 if out of memory. */
int	password_hash(const char *pw, size_t len, char out[PASSWORD_HASH_MAX]);
/** True if pw matches the stored hash. */
bool	password_verify(const char *stored, const char *pw, size_t len);
/** True if stored was made with weaker parameters than today's. */
bool	password_needs_rehash(const char *stored);
/**
 * Check a new password: length PASSWORD_MIN_LEN..PASSWORD_MAX_LEN bytes and
 * valid UTF-8.  Returns NULL if acceptable, or a catalog message key.
 */
const char *password_check_policy(const char *pw, size_t len);

#endif
