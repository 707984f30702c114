/*
 * sms_sign.c: X-Twilio-Signature (see sms_sign.h).
 *
 * Parameters are sorted by name in byte order (names that repeat keep the
 * order they came in), which is what the gateway does before signing.
 */
#include "checkins/sms_sign.h"

#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/sha1.h"
#include "base/str.h"
#include "privacy/crypto.h"

struct ref {
	const struct param	*p;
	size_t			 order;
};

static int
cmp_ref(const void *a, const void *b)
{
	const struct ref *x = a, *y = b;
	int c = strcmp(x->p->name, y->p->name);

	if (c != 0)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

void
sms_signature(const char *token, const char *url, const struct params *p,
    char out[SMS_SIGNATURE_LEN])
{
	struct buf b = BUF_INIT;
	struct ref *refs;
	unsigned char mac[20];
	size_t i;

	buf_puts(&b, url);
	refs = xcalloc(p->n ? p->n : 1, sizeof(*refs));
	for (i = 0; i < p->n; i++) {
		refs[i].p = &p->items[i];
		refs[i].order = i;
	}
	qsort(refs, p->n, sizeof(*refs), cmp_ref);
	for (i = 0; i < p->n; i++) {
		buf_puts(&b, refs[i].p->name);
		buf_append(&b, refs[i].p->value, refs[i].p->value_len);
	}
	free(refs);
	hmac_sha1(token, strlen(token), b.data, b.len, mac);
	buf_free(&b);
	base64_encode(mac, sizeof(mac), out);
}

bool
sms_signature_valid(const char *token, const char *url, const struct params *p, const char *sig)
{
	char want[SMS_SIGNATURE_LEN];

	if (token == NULL || *token == '\0' || sig == NULL || strlen(sig) != SMS_SIGNATURE_LEN - 1)
		return false;
	sms_signature(token, url, p, want);
	return crypto_equal(want, sig, SMS_SIGNATURE_LEN - 1);
}
