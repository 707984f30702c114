/*
 * sms.h: text messages: linked phone numbers, opt-outs, the outbound
 * queue, and the answer to an inbound message.
 *
 * A phone number is linked to an account only after the member types back
 * a code texted to it.  Numbers are stored encrypted (sms_phones.phone_enc,
 * and users.phone_enc once verified) with a keyed hash for lookup
 * (crypto_mac_hex("phone", E.164)), so the database alone does not say
 * whose number is whose.  A number that texted STOP gets nothing more from
 * Circles (its hash is kept in sms_optouts) until it texts START, whether
 * it is linked to an account or not.
 *
 * Outbound texts are jobs of kind "sms" ({to, body, user_id}): the worker
 * POSTs To, From and Body as a form to CIRCLES_SMS_GATEWAY_URL, checking
 * the opt-out again just before sending.
 */
#ifndef CIRCLES_CHECKINS_SMS_H
#define CIRCLES_CHECKINS_SMS_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "app/ctx.h"
#include "base/config.h"
#include "checkins/phone.h"
#include "db/db.h"

#define SMS_CODE_DIGITS		6
#define SMS_CODE_TTL		600	/* seconds a code is good for */
#define SMS_CODE_GAP		60	/* seconds between two codes */
#define SMS_CODES_PER_DAY	5
#define SMS_CODE_TRIES		5	/* wrong codes before a new one is needed */

/** Keyed hash of an E.164 number, as 64 hex characters. */
void	sms_phone_hash(const char *e164, char out[65]);
/** The account a verified number belongs to; 0 if none, -1 on error. */
int64_t	sms_user_by_phone(struct db *db, const char *e164);
/** 1 if the number texted STOP (and not START since), 0 if not, -1 on error. */
int	sms_stopped(struct db *db, const char *e164);
/** Record STOP (stopped true) or START. 0 or -1. */
int	sms_set_stopped(struct db *db, const char *e164, bool stopped, int64_t now);

struct sms_phone {
	bool	 present;		/* a number was entered */
	bool	 verified;
	bool	 pending;		/* a code is out and still good */
	char	 number[PHONE_E164_SIZE];
};

/** The member's number, if any (pending: a code sent before now is still good). 0 or -1. */
int	sms_phone_get(struct db *db, int64_t user_id, int64_t now, struct sms_phone *out);

enum sms_begin { SMS_BEGIN_OK, SMS_BEGIN_WAIT, SMS_BEGIN_LIMIT, SMS_BEGIN_ERROR };
/**
 * Start linking e164 to user_id with a fresh code (returned in code[7]):
 * the number replaces any earlier one and is unverified until the code
 * comes back.  SMS_BEGIN_WAIT within SMS_CODE_GAP of the last code,
 * SMS_BEGIN_LIMIT after SMS_CODES_PER_DAY.
 */
enum sms_begin sms_phone_begin(struct db *db, int64_t user_id, const char *e164,
	    char code[SMS_CODE_DIGITS + 1], int64_t now);

enum sms_verify { SMS_VERIFY_OK, SMS_VERIFY_WRONG, SMS_VERIFY_EXPIRED, SMS_VERIFY_NONE,
	SMS_VERIFY_ERROR };
/**
 * Check a code.  On success the number is linked (and unlinked from any
 * other account that had it: whoever holds the phone now is its owner).
 * A code stops working after SMS_CODE_TRIES wrong tries or SMS_CODE_TTL.
 */
enum sms_verify sms_phone_verify(struct db *db, int64_t user_id, const char *code, int64_t now);
/** Unlink the member's number. 0 or -1. */
int	sms_phone_remove(struct db *db, int64_t user_id);

/** Queue a text to e164 (dedupe_key may be NULL). Job id, 0 if deduplicated, -1. */
int64_t	sms_enqueue(struct db *db, const char *e164, const char *body, int64_t user_id,
	    const char *dedupe_key, int64_t run_at, int64_t now);

/** The "sms" job: one text through the gateway. */
int	sms_job_send(struct db *db, const struct config *cfg, json_t *payload, int64_t job_id,
	    char **err);

/**
 * The reply to an inbound text from the normalized number from with body
 * (not NUL-terminated): one or more messages, NULL-terminated, or NULL for
 * no reply.  Records check-ins and opt-outs.  Arena copies.
 */
const char **sms_answer(struct ctx *c, const char *from, const char *body, size_t len);

#endif
