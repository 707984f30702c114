/*
 * crypto.c: the master key, field encryption, tokens and keyed hashes, on
 * libsodium.
 *
 * Design choices:
 * - The key file holds 64 lowercase hex characters and a newline: easy to
 *   back up, diff and paste into a secret store, and any other shape is
 *   refused so a truncated copy never silently becomes a different key.
 * - First-start creation writes a temporary file (O_CREAT|O_EXCL, 0600),
 *   fsyncs it and link(2)s it into place.  link fails if the name exists,
 *   so two servers starting together on a shared volume agree on one key,
 *   and nobody ever reads a half-written file.
 * - A key file readable by group or others is loaded with a warning rather
 *   than refused: refusing would take the site down over a chmod, and the
 *   operator can fix it without losing data.
 * - Subkeys come from crypto_kdf with the context "circles_" and one id per
 *   purpose, so the field key never keys a token hash and vice versa.  MAC
 *   keys are derived per purpose string (BLAKE2b of the purpose under the
 *   MAC subkey) so a CSRF MAC never verifies as, say, an unsubscribe MAC.
 * - All key material sits in one static struct, locked in memory where the
 *   system allows and written only by the init functions.  After init every
 *   function only reads it, so they are safe from any thread.  Init itself
 *   must finish before other threads use this module.
 * - Misuse that can only be a programming error (sealing before init) is
 *   fatal; bad input (a tampered blob) is an ordinary NULL.
 */
#include "privacy/crypto.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "base/log.h"
#include "base/mem.h"

#define SEAL_VERSION	1
#define SEAL_NONCE	crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define SEAL_TAG	crypto_aead_xchacha20poly1305_ietf_ABYTES

#define KDF_CONTEXT	"circles_"
#define KDF_ID_FIELD	1	/* field encryption */
#define KDF_ID_TOKEN	2	/* token hashes */
#define KDF_ID_MAC	3	/* root of the per-purpose MAC keys */

#define KEYFILE_MAX	128	/* longer than any well-formed key file */

_Static_assert(CRYPTO_SEAL_OVERHEAD == 1 + SEAL_NONCE + SEAL_TAG,
    "CRYPTO_SEAL_OVERHEAD out of step with the blob format");
_Static_assert(sizeof(KDF_CONTEXT) - 1 == crypto_kdf_CONTEXTBYTES,
    "kdf context must be exactly crypto_kdf_CONTEXTBYTES");
_Static_assert(CRYPTO_KEY_BYTES == crypto_kdf_KEYBYTES, "master key size");

static struct {
	unsigned char	master[CRYPTO_KEY_BYTES];
	unsigned char	field[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
	unsigned char	token[crypto_generichash_KEYBYTES];
	unsigned char	mac[crypto_generichash_KEYBYTES];
} keys;
static bool keys_ready;

static void
set_err(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
set_err(char **err, const char *fmt, ...)
{
	va_list ap;
	char msg[512];

	if (err == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	*err = xstrdup(msg);
}

static void
sodium_start(void)
{
	if (sodium_init() < 0)
		fatalx("libsodium failed to initialise");
}

static void
require_ready(const char *what)
{
	if (!keys_ready)
		fatalx("%s called before crypto_init", what);
}

void
crypto_init_with_key(const unsigned char key[CRYPTO_KEY_BYTES])
{
	sodium_start();
	/* Best effort: keep keys out of swap; failure is not an error. */
	(void)sodium_mlock(&keys, sizeof(keys));
	memcpy(keys.master, key, CRYPTO_KEY_BYTES);
	crypto_kdf_derive_from_key(keys.field, sizeof(keys.field), KDF_ID_FIELD,
	    KDF_CONTEXT, keys.master);
	crypto_kdf_derive_from_key(keys.token, sizeof(keys.token), KDF_ID_TOKEN,
	    KDF_CONTEXT, keys.master);
	crypto_kdf_derive_from_key(keys.mac, sizeof(keys.mac), KDF_ID_MAC,
	    KDF_CONTEXT, keys.master);
	keys_ready = true;
}

bool
crypto_ready(void)
{
	return keys_ready;
}

/*
 * Read and parse the key file at path.  Returns 0, -1 with *err, or
 * -2 with errno ENOENT if there is no such file (so the caller may create
 * it).
 */
static int
key_load(const char *path, unsigned char key[CRYPTO_KEY_BYTES], char **err)
{
	char text[KEYFILE_MAX + 1];
	struct stat st;
	size_t len = 0, hexlen, binlen;
	ssize_t n;
	int fd, rc = -1;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd == -1) {
		if (errno == ENOENT)
			return -2;
		set_err(err, "cannot open key file %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1) {
		set_err(err, "cannot stat key file %s: %s", path, strerror(errno));
		goto done;
	}
	if (!S_ISREG(st.st_mode)) {
		set_err(err, "key file %s is not a regular file", path);
		goto done;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO))
		log_warnx("key file %s is accessible by group or others "
		    "(mode %03o); run chmod 600 on it", path,
		    (unsigned)(st.st_mode & 0777));

	while (len < sizeof(text)) {
		n = read(fd, text + len, sizeof(text) - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			set_err(err, "cannot read key file %s: %s", path,
			    strerror(errno));
			goto done;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}

	/* Exactly 64 hex digits, then an optional "\n" (or "\r\n"). */
	hexlen = len;
	if (hexlen > 0 && text[hexlen - 1] == '\n')
		hexlen--;
	if (hexlen > 0 && text[hexlen - 1] == '\r')
		hexlen--;
	if (hexlen != 2 * CRYPTO_KEY_BYTES ||
	    sodium_hex2bin(key, CRYPTO_KEY_BYTES, text, hexlen, NULL, &binlen,
	    NULL) != 0 || binlen != CRYPTO_KEY_BYTES) {
		set_err(err, "key file %s is malformed: expected %d hexadecimal "
		    "characters and a newline; restore it from a backup (a new "
		    "key cannot read data sealed with the old one)", path,
		    2 * CRYPTO_KEY_BYTES);
		goto done;
	}
	rc = 0;
done:
	sodium_memzero(text, sizeof(text));
	if (rc != 0)
		sodium_memzero(key, CRYPTO_KEY_BYTES);
	close(fd);
	return rc;
}

static int
write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		w = write(fd, p, n);
		if (w == -1 && errno == EINTR)
			continue;
		if (w == -1)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static void
sync_parent(const char *path)
{
	char *dir = xstrdup(path), *slash;
	int fd;

	slash = strrchr(dir, '/');
	if (slash == NULL)
		strcpy(dir, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd != -1) {
		(void)fsync(fd);
		close(fd);
	}
	free(dir);
}

/*
 * Create a fresh key file at path.  Returns 0 if we created it, 1 if
 * another process created it first (the caller then loads theirs), -1 with
 * *err.
 */
static int
key_create(const char *path, char **err)
{
	unsigned char key[CRYPTO_KEY_BYTES];
	char text[2 * CRYPTO_KEY_BYTES + 2];
	char *tmp;
	int fd, rc = -1;

	randombytes_buf(key, sizeof(key));
	sodium_bin2hex(text, sizeof(text), key, sizeof(key));
	sodium_memzero(key, sizeof(key));
	text[2 * CRYPTO_KEY_BYTES] = '\n';

	tmp = xasprintf("%s.tmp.%08x", path, (unsigned)randombytes_random());
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
	    0600);
	if (fd == -1) {
		set_err(err, "cannot create key file %s: %s", tmp,
		    strerror(errno));
		goto out;
	}
	/* The umask can only narrow 0600, but be explicit about it. */
	if (fchmod(fd, 0600) == -1 ||
	    write_all(fd, text, 2 * CRYPTO_KEY_BYTES + 1) == -1 ||
	    fsync(fd) == -1) {
		set_err(err, "cannot write key file %s: %s", tmp,
		    strerror(errno));
		close(fd);
		unlink(tmp);
		goto out;
	}
	close(fd);
	if (link(tmp, path) == -1) {
		if (errno == EEXIST)
			rc = 1;
		else
			set_err(err, "cannot create key file %s: %s", path,
			    strerror(errno));
		unlink(tmp);
		goto out;
	}
	unlink(tmp);
	sync_parent(path);
	log_info("created a new key file %s; back it up, data sealed with it "
	    "cannot be read without it", path);
	rc = 0;
out:
	sodium_memzero(text, sizeof(text));
	free(tmp);
	return rc;
}

int
crypto_init(const char *key_file, bool create, char **err)
{
	unsigned char key[CRYPTO_KEY_BYTES];
	int rc;

	if (err != NULL)
		*err = NULL;
	if (sodium_init() < 0) {
		set_err(err, "libsodium failed to initialise");
		return -1;
	}
	if (key_file == NULL || *key_file == '\0') {
		set_err(err, "no key file configured (CIRCLES_KEY_FILE)");
		return -1;
	}

	rc = key_load(key_file, key, err);
	if (rc == -2) {
		if (!create) {
			set_err(err, "key file %s does not exist; restore it "
			    "from a backup, or allow creating a new one on a "
			    "fresh installation", key_file);
			return -1;
		}
		if (key_create(key_file, err) == -1)
			return -1;
		/* Load what is now there: ours, or a racing server's. */
		rc = key_load(key_file, key, err);
		if (rc == -2) {
			set_err(err, "key file %s vanished after creation",
			    key_file);
			return -1;
		}
	}
	if (rc != 0)
		return -1;
	crypto_init_with_key(key);
	sodium_memzero(key, sizeof(key));
	return 0;
}

unsigned char *
crypto_seal(const void *plain, size_t len, const char *ad, size_t *out_len)
{
	unsigned char *blob, *nonce;
	unsigned long long clen;
	size_t adlen = ad != NULL ? strlen(ad) : 0;

	require_ready("crypto_seal");
	if (len > SIZE_MAX - CRYPTO_SEAL_OVERHEAD ||
	    len > crypto_aead_xchacha20poly1305_ietf_MESSAGEBYTES_MAX)
		fatalx("crypto_seal: plaintext too large (%zu bytes)", len);

	blob = xmalloc(len + CRYPTO_SEAL_OVERHEAD);
	blob[0] = SEAL_VERSION;
	nonce = blob + 1;
	randombytes_buf(nonce, SEAL_NONCE);
	crypto_aead_xchacha20poly1305_ietf_encrypt(nonce + SEAL_NONCE, &clen,
	    plain, len, (const unsigned char *)ad, adlen, NULL, nonce,
	    keys.field);
	*out_len = 1 + SEAL_NONCE + (size_t)clen;
	return blob;
}

char *
crypto_open(const unsigned char *blob, size_t len, const char *ad, size_t *out_len)
{
	const unsigned char *nonce;
	unsigned long long mlen;
	size_t adlen = ad != NULL ? strlen(ad) : 0;
	char *plain;

	require_ready("crypto_open");
	if (blob == NULL || len < CRYPTO_SEAL_OVERHEAD || blob[0] != SEAL_VERSION)
		return NULL;
	nonce = blob + 1;
	plain = xmalloc(len - CRYPTO_SEAL_OVERHEAD + 1);
	if (crypto_aead_xchacha20poly1305_ietf_decrypt((unsigned char *)plain,
	    &mlen, NULL, nonce + SEAL_NONCE, len - 1 - SEAL_NONCE,
	    (const unsigned char *)ad, adlen, nonce, keys.field) != 0) {
		free(plain);
		return NULL;
	}
	plain[mlen] = '\0';
	if (out_len != NULL)
		*out_len = (size_t)mlen;
	return plain;
}

void
crypto_random(void *buf, size_t n)
{
	sodium_start();
	randombytes_buf(buf, n);
}

char *
crypto_token(size_t nbytes)
{
	const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
	unsigned char *raw;
	size_t enclen;
	char *tok;

	sodium_start();
	if (nbytes > 4096)
		fatalx("crypto_token: %zu bytes requested", nbytes);
	raw = xmalloc(nbytes);
	randombytes_buf(raw, nbytes);
	enclen = sodium_base64_ENCODED_LEN(nbytes, variant);
	tok = xmalloc(enclen);
	sodium_bin2base64(tok, enclen, raw, nbytes, variant);
	sodium_memzero(raw, nbytes);
	free(raw);
	return tok;
}

void
crypto_token_hash(const char *token, char out[65])
{
	unsigned char h[32];

	require_ready("crypto_token_hash");
	crypto_generichash(h, sizeof(h), (const unsigned char *)token,
	    strlen(token), keys.token, sizeof(keys.token));
	sodium_bin2hex(out, 65, h, sizeof(h));
}

bool
crypto_equal(const void *a, const void *b, size_t n)
{
	return sodium_memcmp(a, b, n) == 0;
}

void
crypto_hash_hex(const void *data, size_t len, char out[65])
{
	unsigned char h[32];

	sodium_start();
	crypto_generichash(h, sizeof(h), data, len, NULL, 0);
	sodium_bin2hex(out, 65, h, sizeof(h));
}

void
crypto_mac_hex(const char *purpose, const void *data, size_t len, char out[65])
{
	unsigned char k[crypto_auth_hmacsha256_KEYBYTES];
	unsigned char mac[crypto_auth_hmacsha256_BYTES];

	require_ready("crypto_mac_hex");
	crypto_generichash(k, sizeof(k), (const unsigned char *)purpose,
	    strlen(purpose), keys.mac, sizeof(keys.mac));
	crypto_auth_hmacsha256(mac, data, len, k);
	sodium_memzero(k, sizeof(k));
	sodium_bin2hex(out, 65, mac, sizeof(mac));
}
