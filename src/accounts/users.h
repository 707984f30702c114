/*
 * users.h: people and their roles in storage.
 *
 * Emails are stored lower-cased and trimmed.  Each person gets a random
 * pseudonym at creation: audit rows name people by it, so deleting an
 * account (which removes the row that maps pseudonym to person) leaves the
 * audit chain intact and unreadable as to who it was.
 */
#ifndef CIRCLES_ACCOUNTS_USERS_H
#define CIRCLES_ACCOUNTS_USERS_H

#include <stdbool.h>
#include <stdint.h>

#include "app/ctx.h"
#include "base/arena.h"
#include "db/db.h"

#define USER_NAME_MAX	60
#define USER_EMAIL_MAX	254

/** Load a person by id into the arena (roles included); NULL if absent. */
struct user	*user_load(struct db *db, struct arena *a, int64_t id);
/** Id of the person with this email (any case), or 0. */
int64_t		 user_id_by_email(struct db *db, const char *email);
/**
 * Normalise and check an email: trimmed, lower-cased, one '@', no spaces or
 * control characters, at most USER_EMAIL_MAX bytes.  Returns an arena copy
 * or NULL.
 */
char		*user_normalize_email(struct arena *a, const char *email);
/**
 * Check a display name (a first name or a handle): 1..USER_NAME_MAX bytes of
 * valid UTF-8 after trimming, no control characters.  Returns an arena copy
 * or NULL.
 */
char		*user_normalize_name(struct arena *a, const char *name);
/**
 * Create a person.  password may be NULL (no password yet).  Returns the id,
 * 0 if the email is taken, -1 on other errors.  Runs in the caller's
 * transaction if one is open.
 */
int64_t		 user_create(struct db *db, const char *email, const char *display_name,
		    const char *password, unsigned roles, int64_t chapter_id, const char *lang,
		    int64_t now);
/** Replace a person's roles with the given bits. 0 or -1. */
int		 user_set_roles(struct db *db, int64_t id, unsigned roles);
/** Load role bits. */
unsigned	 user_roles(struct db *db, int64_t id);
/** Pseudonym of a person, arena copy, or NULL. */
const char	*user_pseudonym(struct db *db, struct arena *a, int64_t id);

#endif
