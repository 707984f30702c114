/*
 * phone.c: phone number normalisation (see phone.h).
 */
#include "checkins/phone.h"

#include <string.h>

bool
phone_normalize(const char *in, char out[PHONE_E164_SIZE])
{
	char digits[PHONE_E164_SIZE];
	size_t n = 0;
	bool plus = false, seen = false;
	const char *p;

	if (in == NULL)
		return false;
	for (p = in; *p != '\0'; p++) {
		if (*p >= '0' && *p <= '9') {
			if (n + 1 >= sizeof(digits))
				return false;
			digits[n++] = *p;
			seen = true;
		} else if (*p == '+' && !seen && !plus) {
			plus = true;
		} else if (*p == ' ' || *p == '-' || *p == '.' || *p == '(' || *p == ')' ||
		    *p == '\t') {
			continue;
		} else {
			return false;
		}
	}
	digits[n] = '\0';
	if (!plus && n > 2 && digits[0] == '0' && digits[1] == '0') {
		memmove(digits, digits + 2, n - 1);
		n -= 2;
		plus = true;
	}
	if (!plus) {
		if (n == 10 && digits[0] >= '2') {
			out[0] = '+';
			out[1] = '1';
			memcpy(out + 2, digits, n + 1);
			return true;
		}
		if (n == 11 && digits[0] == '1' && digits[1] >= '2') {
			out[0] = '+';
			memcpy(out + 1, digits, n + 1);
			return true;
		}
		return false;
	}
	if (n < 8 || n > 15 || digits[0] == '0')
		return false;
	out[0] = '+';
	memcpy(out + 1, digits, n + 1);
	return true;
}

const char *
phone_last_digits(const char *e164)
{
	size_t n = e164 ? strlen(e164) : 0;

	return n >= 2 ? e164 + n - 2 : "";
}
