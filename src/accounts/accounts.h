/*
 * accounts.h: signing up, signing in, passwords and two-step sign-in.
 *
 * The decisions live here; accounts/web.c maps them to JSON for the API
 * and to pages for browsers, so both behave the same.
 *
 * Sign-in throttling: failures are counted per account (keyed by a MAC of
 * the email, so the table holds no addresses) and per client address.
 * After ACCOUNTS_MAX_FAILURES failures in a row for one account, or
 * ACCOUNTS_MAX_ADDR_FAILURES from one address, sign-in answers 429 for
 * ACCOUNTS_LOCK_S seconds, even with the right password.  A success
 * resets the account's count.
 */
#ifndef CIRCLES_ACCOUNTS_ACCOUNTS_H
#define CIRCLES_ACCOUNTS_ACCOUNTS_H

#include <stdint.h>

#include "app/ctx.h"

#define ACCOUNTS_MAX_FAILURES		10
#define ACCOUNTS_MAX_ADDR_FAILURES	50
#define ACCOUNTS_LOCK_S			900
#define ACCOUNTS_RESET_TTL_S		3600
#define ACCOUNTS_INVITE_TTL_S		(14 * 86400)

enum auth_result {
	AUTH_OK,
	AUTH_INVALID,		/* unknown email or wrong password */
	AUTH_THROTTLED,		/* too many failures: 429 */
	AUTH_DISABLED,		/* right password, account disabled */
	AUTH_TOTP_REQUIRED,	/* right password, a code is needed */
	AUTH_TOTP_INVALID,	/* wrong or replayed code */
	AUTH_ERROR
};

/** A refusal tied to a field, for 422/409/403 answers. */
struct field_error {
	int		 status;
	const char	*code;		/* machine token */
	const char	*field;		/* or NULL */
	const char	*msg_key;	/* catalog key */
};

/**
 * Check email and password (and a TOTP code when the account has two-step
 * sign-in on; totp may be NULL).  On AUTH_OK and AUTH_TOTP_REQUIRED
 * *user_id is set.  On AUTH_THROTTLED *retry_after holds seconds.
 */
enum auth_result accounts_authenticate(struct ctx *c, const char *email, const char *password,
	    const char *totp, int64_t *user_id, int64_t *retry_after);
/** Check a second-step code for user_id (pending session). */
enum auth_result accounts_check_totp(struct ctx *c, int64_t user_id, const char *code);

/**
 * Create an account (open registration, or with an invitation token, which
 * decides the role and chapter).  0 with *user_id, or -1 with *fe.
 */
int	accounts_register(struct ctx *c, const char *email, const char *name, const char *password,
	    const char *invitation, int64_t *user_id, struct field_error *fe);
/** Look up a valid invitation; returns its role token (arena) or NULL. */
const char *accounts_invitation_role(struct ctx *c, const char *token, const char **email);

/** Change the signed-in user's password; ends their other sessions. 0 or -1 with *fe. */
int	accounts_change_password(struct ctx *c, const char *current, const char *next,
	    struct field_error *fe);
/** Queue a reset email if the address belongs to someone; says nothing either way. */
void	accounts_request_reset(struct ctx *c, const char *email);
/** Use a reset token; ends every session of the account. 0 or -1 with *fe. */
int	accounts_reset_password(struct ctx *c, const char *token, const char *next,
	    struct field_error *fe);

/** Start two-step setup: a new secret (base32, arena) and otpauth URI (arena). 0 or -1. */
int	accounts_totp_setup(struct ctx *c, const char **secret_b32, const char **uri);
/** Confirm setup with a code. 0 or -1 with *fe. */
int	accounts_totp_enable(struct ctx *c, const char *code, struct field_error *fe);
/** Turn two-step off (password required). 0 or -1 with *fe. */
int	accounts_totp_disable(struct ctx *c, const char *password, struct field_error *fe);

#endif
