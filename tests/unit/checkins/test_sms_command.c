/*
 * Unit tests for checkins/sms_command.c, table-driven: check-ins in
 * English and Spanish (positional, named, mixed, with accents, odd
 * spacing and punctuation), answers about use, values out of range naming
 * their field, the one-word carrier keywords (stop / start must be the
 * whole message), help, sos winning over everything, meetings, and what
 * is not understood; meetings asked for today or tonight, and the crisis
 * plan (plan, mi plan, plan de seguridad).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "checkins/sms_command.h"

#define S	CHECKIN_SKIPPED
#define EN	SMS_LANG_EN
#define ES	SMS_LANG_ES
#define NO_LANG	SMS_LANG_NONE
#define U0	CHECKIN_USED_UNSET
#define UY	CHECKIN_USED_YES
#define UN	CHECKIN_USED_NO
#define UP	CHECKIN_USED_PREFER_NOT

struct tcase {
	const char		*body;
	enum sms_kind		 kind;
	enum sms_lang		 lang;
	int			 mood, craving, stress, sleep_halves;
	enum checkin_used	 used;
	const char		*bad;
};

static const struct tcase cases[] = {
	/* check-ins, English */
	{ "checkin 4 2", SMS_CHECKIN, EN, 4, 2, S, S, U0, NULL },
	{ "CHECKIN 4 2", SMS_CHECKIN, EN, 4, 2, S, S, U0, NULL },
	{ "  Check-in   4  2 ", SMS_CHECKIN, EN, 4, 2, S, S, U0, NULL },
	{ "check in 4 2 5 7.5", SMS_CHECKIN, EN, 4, 2, 5, 15, U0, NULL },
	{ "checkin 1 0 0 0", SMS_CHECKIN, EN, 1, 0, 0, 0, U0, NULL },
	{ "mood 4 craving 2", SMS_CHECKIN, EN, 4, 2, S, S, U0, NULL },
	{ "Mood: 4, Craving: 2", SMS_CHECKIN, EN, 4, 2, S, S, U0, NULL },
	{ "craving=3 mood=5", SMS_CHECKIN, EN, 5, 3, S, S, U0, NULL },
	{ "mood 4 used no", SMS_CHECKIN, EN, 4, S, S, S, UN, NULL },
	{ "used yes", SMS_CHECKIN, EN, S, S, S, S, UY, NULL },
	{ "used prefer not to say", SMS_CHECKIN, EN, S, S, S, S, UP, NULL },
	{ "mood 3 used skip", SMS_CHECKIN, EN, 3, S, S, S, UP, NULL },
	{ "sleep 7 hours stress 6", SMS_CHECKIN, EN, S, S, 6, 14, U0, NULL },
	{ "slept 6.5", SMS_CHECKIN, EN, S, S, S, 13, U0, NULL },
	{ "craving 2/10", SMS_CHECKIN, EN, S, 2, S, S, U0, NULL },
	{ "mood 4 craving 2 out of 10", SMS_CHECKIN, EN, 4, 2, S, S, U0, NULL },
	{ "mood is 4", SMS_CHECKIN, EN, 4, S, S, S, U0, NULL },
	{ "checkin 4 2 thanks!", SMS_CHECKIN, EN, 4, 2, S, S, U0, NULL },
	{ "checkin", SMS_CHECKIN, EN, S, S, S, S, U0, NULL },
	{ "4 2", SMS_CHECKIN, NO_LANG, 4, 2, S, S, U0, NULL },
	{ "3", SMS_CHECKIN, NO_LANG, 3, S, S, S, U0, NULL },
	{ "checkin 4 2 5 8 9", SMS_CHECKIN, EN, 4, 2, 5, 16, U0, NULL },
	/* check-ins, Spanish */
	{ "animo 4 antojo 2", SMS_CHECKIN, ES, 4, 2, S, S, U0, NULL },
	{ "Ánimo 3, estrés 8, dormí 6,5", SMS_CHECKIN, ES, 3, S, 8, 13, U0, NULL },
	{ "ÁNIMO 2", SMS_CHECKIN, ES, 2, S, S, S, U0, NULL },
	{ "registro 3 1", SMS_CHECKIN, ES, 3, 1, S, S, U0, NULL },
	{ "sueño 8", SMS_CHECKIN, ES, S, S, S, 16, U0, NULL },
	{ "uso no", SMS_CHECKIN, ES, S, S, S, S, UN, NULL },
	{ "consumí sí", SMS_CHECKIN, ES, S, S, S, S, UY, NULL },
	{ "consumo prefiero no decirlo", SMS_CHECKIN, ES, S, S, S, S, UP, NULL },
	{ "ganas 7 de 10 animo 2", SMS_CHECKIN, ES, 2, 7, S, S, U0, NULL },
	{ "chequeo 5 0", SMS_CHECKIN, ES, 5, 0, S, S, U0, NULL },
	/* out of range or missing values name the field */
	{ "mood 9", SMS_CHECKIN, EN, S, S, S, S, U0, "mood" },
	{ "mood 0", SMS_CHECKIN, EN, S, S, S, S, U0, "mood" },
	{ "checkin 4 11", SMS_CHECKIN, EN, 4, S, S, S, U0, "craving" },
	{ "stress 12 mood 3", SMS_CHECKIN, EN, 3, S, S, S, U0, "stress" },
	{ "sleep 25", SMS_CHECKIN, EN, S, S, S, S, U0, "sleep_hours" },
	{ "sleep 7.25", SMS_CHECKIN, EN, S, S, S, S, U0, "sleep_hours" },
	{ "mood great", SMS_CHECKIN, EN, S, S, S, S, U0, "mood" },
	{ "mood 4.5", SMS_CHECKIN, EN, S, S, S, S, U0, "mood" },
	{ "mood", SMS_CHECKIN, EN, S, S, S, S, U0, "mood" },
	{ "used maybe", SMS_CHECKIN, EN, S, S, S, S, U0, "used" },
	{ "animo 7", SMS_CHECKIN, ES, S, S, S, S, U0, "mood" },
	{ "mood 1000", SMS_CHECKIN, EN, S, S, S, S, U0, "mood" },
	/* carrier keywords: the whole message */
	{ "stop", SMS_STOP, EN, S, S, S, S, U0, NULL },
	{ "STOP", SMS_STOP, EN, S, S, S, S, U0, NULL },
	{ " Stop. ", SMS_STOP, EN, S, S, S, S, U0, NULL },
	{ "stop all", SMS_STOP, EN, S, S, S, S, U0, NULL },
	{ "UNSUBSCRIBE", SMS_STOP, EN, S, S, S, S, U0, NULL },
	{ "alto", SMS_STOP, ES, S, S, S, S, U0, NULL },
	{ "Baja", SMS_STOP, ES, S, S, S, S, U0, NULL },
	{ "I can't stop", SMS_UNKNOWN, NO_LANG, S, S, S, S, U0, NULL },
	{ "stop craving 2", SMS_UNKNOWN, NO_LANG, S, S, S, S, U0, NULL },
	{ "start", SMS_START, EN, S, S, S, S, U0, NULL },
	{ "UNSTOP", SMS_START, EN, S, S, S, S, U0, NULL },
	{ "ALTA", SMS_START, ES, S, S, S, S, U0, NULL },
	/* help, sos, meetings */
	{ "help", SMS_HELP, EN, S, S, S, S, U0, NULL },
	{ "HELP me please", SMS_HELP, EN, S, S, S, S, U0, NULL },
	{ "Ayuda", SMS_HELP, ES, S, S, S, S, U0, NULL },
	{ "?", SMS_HELP, NO_LANG, S, S, S, S, U0, NULL },
	{ "¿ayuda?", SMS_HELP, ES, S, S, S, S, U0, NULL },
	{ "sos", SMS_SOS, NO_LANG, S, S, S, S, U0, NULL },
	{ "SOS!!", SMS_SOS, NO_LANG, S, S, S, S, U0, NULL },
	{ "auxilio", SMS_SOS, ES, S, S, S, S, U0, NULL },
	{ "¡Socorro!", SMS_SOS, ES, S, S, S, S, U0, NULL },
	{ "mood 1 sos", SMS_SOS, NO_LANG, S, S, S, S, U0, NULL },
	{ "help sos", SMS_SOS, NO_LANG, S, S, S, S, U0, NULL },
	{ "meetings", SMS_MEETINGS, EN, S, S, S, S, U0, NULL },
	{ "Meetings near me", SMS_MEETINGS, EN, S, S, S, S, U0, NULL },
	{ "reuniones", SMS_MEETINGS, ES, S, S, S, S, U0, NULL },
	{ "Reunión", SMS_MEETINGS, ES, S, S, S, S, U0, NULL },
	/* nothing, or nothing we know */
	{ "", SMS_EMPTY, NO_LANG, S, S, S, S, U0, NULL },
	{ "   \t\n ", SMS_EMPTY, NO_LANG, S, S, S, S, U0, NULL },
	{ "\xf0\x9f\x98\x80", SMS_EMPTY, NO_LANG, S, S, S, S, U0, NULL },
	{ "hello there", SMS_UNKNOWN, NO_LANG, S, S, S, S, U0, NULL },
	{ "no", SMS_UNKNOWN, NO_LANG, S, S, S, S, U0, NULL },
	{ "yes", SMS_UNKNOWN, NO_LANG, S, S, S, S, U0, NULL },
	{ "\xff\xfe mood 4", SMS_CHECKIN, EN, 4, S, S, S, U0, NULL },
};

static void
test_table(void **state)
{
	size_t i;
	int failures = 0;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct tcase *tc = &cases[i];
		struct sms_command c;

		sms_command_parse(tc->body, strlen(tc->body), &c);
		if (c.kind != tc->kind || c.lang != tc->lang || c.mood != tc->mood ||
		    c.craving != tc->craving || c.stress != tc->stress ||
		    c.sleep_halves != tc->sleep_halves || c.used != tc->used ||
		    (tc->bad == NULL) != (c.bad_field == NULL) ||
		    (tc->bad != NULL && strcmp(tc->bad, c.bad_field) != 0)) {
			print_error("case \"%s\": kind %s lang %d mood %d craving %d stress %d "
			    "sleep %d used %d bad %s\n", tc->body, sms_kind_name(c.kind), c.lang,
			    c.mood, c.craving, c.stress, c.sleep_halves, c.used,
			    c.bad_field ? c.bad_field : "-");
			failures++;
		}
	}
	assert_int_equal(failures, 0);
}

/* Commands without check-in values: the kind, the language, and for meetings when. */
static const struct {
	const char	*body;
	enum sms_kind	 kind;
	enum sms_lang	 lang;
	enum sms_when	 when;
} commands[] = {
	{ "meetings", SMS_MEETINGS, EN, SMS_WHEN_ANY },
	{ "MEETINGS tonight", SMS_MEETINGS, EN, SMS_WHEN_TONIGHT },
	{ "  meetings   TODAY ", SMS_MEETINGS, EN, SMS_WHEN_TODAY },
	{ "meeting today?", SMS_MEETINGS, EN, SMS_WHEN_TODAY },
	{ "reuniones", SMS_MEETINGS, ES, SMS_WHEN_ANY },
	{ "Reuniones hoy", SMS_MEETINGS, ES, SMS_WHEN_TODAY },
	{ "reuniones esta noche", SMS_MEETINGS, ES, SMS_WHEN_TONIGHT },
	{ "reuniones hoy en la noche", SMS_MEETINGS, ES, SMS_WHEN_TONIGHT },
	{ "grupos HOY", SMS_MEETINGS, ES, SMS_WHEN_TODAY },
	{ "meetings near me", SMS_MEETINGS, EN, SMS_WHEN_ANY },
	{ "plan", SMS_PLAN, NO_LANG, SMS_WHEN_ANY },
	{ "PLAN", SMS_PLAN, NO_LANG, SMS_WHEN_ANY },
	{ " Plan. ", SMS_PLAN, NO_LANG, SMS_WHEN_ANY },
	{ "my plan", SMS_PLAN, EN, SMS_WHEN_ANY },
	{ "safety plan", SMS_PLAN, EN, SMS_WHEN_ANY },
	{ "My Safety Plan please", SMS_PLAN, EN, SMS_WHEN_ANY },
	{ "mi plan", SMS_PLAN, ES, SMS_WHEN_ANY },
	{ "Mi  PLAN", SMS_PLAN, ES, SMS_WHEN_ANY },
	{ "plan de seguridad", SMS_PLAN, ES, SMS_WHEN_ANY },
	{ "Plan de Seguridad!", SMS_PLAN, ES, SMS_WHEN_ANY },
	{ "mi plan de seguridad", SMS_PLAN, ES, SMS_WHEN_ANY },
	/* a plan of crisis asks for help now: sos still wins */
	{ "plan de crisis", SMS_SOS, NO_LANG, SMS_WHEN_ANY },
	/* "my" or "safety" alone are not a plan, and do not tip a check-in's language */
	{ "my mood 4", SMS_CHECKIN, EN, SMS_WHEN_ANY },
	{ "mi animo 4", SMS_CHECKIN, ES, SMS_WHEN_ANY },
	{ "safety", SMS_UNKNOWN, NO_LANG, SMS_WHEN_ANY },
	{ "my planner", SMS_UNKNOWN, NO_LANG, SMS_WHEN_ANY },
	{ "planes", SMS_UNKNOWN, NO_LANG, SMS_WHEN_ANY },
};

static void
test_commands(void **state)
{
	size_t i;
	int failures = 0;

	(void)state;
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		struct sms_command c;

		sms_command_parse(commands[i].body, strlen(commands[i].body), &c);
		if (c.kind != commands[i].kind || c.lang != commands[i].lang ||
		    c.when != commands[i].when) {
			print_error("case \"%s\": kind %s lang %d when %d\n", commands[i].body,
			    sms_kind_name(c.kind), c.lang, c.when);
			failures++;
		}
	}
	assert_int_equal(failures, 0);
	assert_string_equal(sms_kind_name(SMS_PLAN), "plan");
}

static void
test_limits(void **state)
{
	char big[SMS_BODY_MAX + 2];
	struct sms_command c;
	size_t i;

	(void)state;
	memset(big, ' ', sizeof(big));
	memcpy(big, "help", 4);
	sms_command_parse(big, SMS_BODY_MAX, &c);
	assert_int_equal(c.kind, SMS_HELP);
	sms_command_parse(big, SMS_BODY_MAX + 1, &c);
	assert_int_equal(c.kind, SMS_UNKNOWN);
	/* many words: not understood rather than half read */
	for (i = 0; i + 2 < sizeof(big); i += 2) {
		big[i] = '4';
		big[i + 1] = ' ';
	}
	sms_command_parse(big, SMS_BODY_MAX, &c);
	assert_int_equal(c.kind, SMS_UNKNOWN);
	/* not NUL-terminated, and a NUL inside */
	sms_command_parse("stopX", 4, &c);
	assert_int_equal(c.kind, SMS_STOP);
	sms_command_parse("mood\0 4", 7, &c);
	assert_int_equal(c.kind, SMS_CHECKIN);
	assert_int_equal(c.mood, 4);
	sms_command_parse(NULL, 0, &c);
	assert_int_equal(c.kind, SMS_UNKNOWN);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_commands),
		cmocka_unit_test(test_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
