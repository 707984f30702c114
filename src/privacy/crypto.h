/*
 * crypto.h: the secret key, field encryption, tokens and keyed hashes.
 *
 * One 32-byte master key lives in a file outside the database
 * (CIRCLES_KEY_FILE, created with mode 0600 on first start; servers sharing a
 * database share the file).  Purpose-specific subkeys are derived from it
 * with crypto_kdf (libsodium), so the field-encryption key never signs a
 * token and vice versa.
 *
 * Field encryption is XChaCha20-Poly1305 (IETF AEAD) with a random 24-byte
 * nonce per value.  The associated data binds a ciphertext to where it
 * belongs (for example "checkin.note:42"), so a ciphertext copied to another
 * row does not decrypt.  Format: 1 version byte (1) || nonce || ciphertext+tag.
 */
#ifndef CIRCLES_PRIVACY_CRYPTO_H
#define CIRCLES_PRIVACY_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CRYPTO_KEY_BYTES	32
/** Bytes a sealed blob adds to its plaintext: version, nonce and tag. */
#define CRYPTO_SEAL_OVERHEAD	(1 + 24 + 16)

/** Initialise libsodium and load (or create, if create is true) the key file. 0 or -1 with *err. */
int	crypto_init(const char *key_file, bool create, char **err);
/** Use a given key (tests, fuzzers). */
void	crypto_init_with_key(const unsigned char key[CRYPTO_KEY_BYTES]);
/** True once a key is loaded. */
bool	crypto_ready(void);

/** Encrypt; returns a malloc'd blob and its length. ad may be NULL. */
unsigned char *crypto_seal(const void *plain, size_t len, const char *ad, size_t *out_len);
/**
 * Decrypt; returns a malloc'd NUL-terminated plaintext (length in *out_len)
 * or NULL if the blob is malformed, was tampered with or belongs elsewhere.
 */
char	*crypto_open(const unsigned char *blob, size_t len, const char *ad, size_t *out_len);

/** Fill buf with n random bytes. */
void	crypto_random(void *buf, size_t n);
/** A random URL-safe token of nbytes entropy (base64url, no padding), malloc'd. */
char	*crypto_token(size_t nbytes);
/**
 * Keyed hash of a token for storage (BLAKE2b under a derived key), as 64 hex
 * characters into out[65].  Sessions, reset links and invitations store this,
 * never the token itself.
 */
void	crypto_token_hash(const char *token, char out[65]);
/** Constant-time comparison of equal-length byte strings. */
bool	crypto_equal(const void *a, const void *b, size_t n);
/** Plain BLAKE2b-256 of data as hex into out[65] (audit hash chain). */
void	crypto_hash_hex(const void *data, size_t len, char out[65]);
/** HMAC-SHA256 under a derived key for purpose (e.g. "csrf"), as hex into out[65]. */
void	crypto_mac_hex(const char *purpose, const void *data, size_t len, char out[65]);

#endif
