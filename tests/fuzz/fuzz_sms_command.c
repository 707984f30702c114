/* SOURCES: src/checkins/sms_command.c src/checkins/checkin.c src/http/params.c src/base/utf8.c src/base/str.c src/base/mem.c src/base/arena.c */
/*
 * fuzz_sms_command.c: libFuzzer target for the text-message command parser.
 *
 * Invariants checked, for any bytes: the parser never reads outside the
 * body and never crashes; the kind and language are known values; a
 * check-in holds only values in range (or skipped) and names a known
 * field when it refuses one; anything else carries no values; only a
 * meetings request says when (today, tonight); the same
 * body gives the same answer twice, and the same answer in upper case
 * (ASCII) and with spaces around it.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "checkins/sms_command.h"

#define CHECK(x)	do { if (!(x)) abort(); } while (0)

static void
check_one(const struct sms_command *c)
{
	CHECK(c->kind >= SMS_UNKNOWN && c->kind <= SMS_PLAN);
	CHECK(c->when >= SMS_WHEN_ANY && c->when <= SMS_WHEN_TONIGHT);
	CHECK(c->kind == SMS_MEETINGS || c->when == SMS_WHEN_ANY);
	CHECK(c->lang >= SMS_LANG_NONE && c->lang <= SMS_LANG_ES);
	CHECK(c->used >= CHECKIN_USED_UNSET && c->used <= CHECKIN_USED_PREFER_NOT);
	if (c->kind != SMS_CHECKIN) {
		CHECK(c->mood == CHECKIN_SKIPPED && c->craving == CHECKIN_SKIPPED);
		CHECK(c->stress == CHECKIN_SKIPPED && c->sleep_halves == CHECKIN_SKIPPED);
		CHECK(c->used == CHECKIN_USED_UNSET && c->bad_field == NULL);
		return;
	}
	CHECK(c->mood == CHECKIN_SKIPPED || checkin_mood_valid(c->mood));
	CHECK(c->craving == CHECKIN_SKIPPED || checkin_scale_valid(c->craving));
	CHECK(c->stress == CHECKIN_SKIPPED || checkin_scale_valid(c->stress));
	CHECK(c->sleep_halves == CHECKIN_SKIPPED ||
	    (c->sleep_halves >= 0 && c->sleep_halves <= CHECKIN_SLEEP_MAX_HALVES));
	if (c->bad_field != NULL)
		CHECK(strcmp(c->bad_field, "mood") == 0 || strcmp(c->bad_field, "craving") == 0 ||
		    strcmp(c->bad_field, "stress") == 0 || strcmp(c->bad_field, "sleep_hours") == 0 ||
		    strcmp(c->bad_field, "used") == 0);
}

static void
check_same(const struct sms_command *a, const struct sms_command *b)
{
	CHECK(a->kind == b->kind && a->lang == b->lang && a->when == b->when);
	CHECK(a->mood == b->mood && a->craving == b->craving && a->stress == b->stress);
	CHECK(a->sleep_halves == b->sleep_halves && a->used == b->used);
	CHECK((a->bad_field == NULL) == (b->bad_field == NULL));
	if (a->bad_field != NULL)
		CHECK(strcmp(a->bad_field, b->bad_field) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sms_command a, b;
	char *copy;
	size_t i;

	/* an exact-size heap copy, so ASan sees any read past the end */
	copy = malloc(size + 2);
	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	sms_command_parse(copy, size, &a);
	check_one(&a);
	sms_command_parse(copy, size, &b);
	check_same(&a, &b);

	if (size + 2 <= SMS_BODY_MAX) {
		for (i = 0; i < size; i++)
			if (copy[i] >= 'a' && copy[i] <= 'z')
				copy[i] = (char)(copy[i] - 'a' + 'A');
		sms_command_parse(copy, size, &b);
		check_same(&a, &b);
		memmove(copy + 1, copy, size);
		copy[0] = ' ';
		copy[size + 1] = ' ';
		sms_command_parse(copy, size + 2, &b);
		check_same(&a, &b);
	}
	free(copy);
	return 0;
}
