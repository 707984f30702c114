/*
 * phone.h: phone numbers in one shape (E.164, "+15551234567").
 *
 * Pure.  People type numbers many ways; the gateway sends E.164.  Both are
 * brought to E.164 before a number is hashed for lookup, so "(555)
 * 123-4567" typed on the account page finds the "+15551234567" a text
 * message comes from.
 */
#ifndef CIRCLES_CHECKINS_PHONE_H
#define CIRCLES_CHECKINS_PHONE_H

#include <stdbool.h>

/** Room for "+" and 15 digits and the NUL. */
#define PHONE_E164_SIZE	17

/**
 * Normalise a typed or received number: spaces, dashes, dots and
 * parentheses are dropped; "+" or "00" starts an international number
 * (8 to 15 digits); ten digits alone, or eleven starting with 1, are
 * taken as North American (+1).  false for anything else.
 */
bool	phone_normalize(const char *in, char out[PHONE_E164_SIZE]);
/** The last two digits, for showing which number is linked: "67". */
const char *phone_last_digits(const char *e164);

#endif
