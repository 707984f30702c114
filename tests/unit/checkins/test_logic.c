/*
 * Unit tests for the small pure parts of src/checkins: check-in values
 * from JSON and from forms (every field optional, wrong types and ranges
 * named), phone numbers, the gateway signature (the X-Twilio-Signature
 * example), the weekly trends and the SVG charts (no style attribute,
 * gaps break the line, text escaped), and the partners' shares and the
 * quiet-check-in watch.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "checkins/chart.h"
#include "checkins/checkin.h"
#include "checkins/days.h"
#include "checkins/partners.h"
#include "checkins/phone.h"
#include "checkins/sms_sign.h"
#include "checkins/trends.h"
#include "privacy/crypto.h"

static const char *
from_json(const char *text, struct checkin *ci)
{
	static char field[64];
	json_error_t e;
	json_t *j = json_loads(text, 0, &e);
	const char *bad;

	assert_non_null(j);
	bad = checkin_from_json(j, ci);
	if (bad != NULL) {
		strncpy(field, bad, sizeof(field) - 1);
		bad = field;
	}
	ci->note = NULL;	/* pointed into j */
	json_decref(j);
	return bad;
}

static void
test_json(void **state)
{
	static const struct {
		const char	*body;
		const char	*bad;
	} bad[] = {
		{ "{\"mood\": 0}", "mood" },
		{ "{\"mood\": 6}", "mood" },
		{ "{\"mood\": \"4\"}", "mood" },
		{ "{\"mood\": 4.0}", "mood" },
		{ "{\"mood\": true}", "mood" },
		{ "{\"craving\": -1}", "craving" },
		{ "{\"craving\": 11}", "craving" },
		{ "{\"stress\": 10.5}", "stress" },
		{ "{\"sleep_hours\": 7.25}", "sleep_hours" },
		{ "{\"sleep_hours\": 24.5}", "sleep_hours" },
		{ "{\"sleep_hours\": -0.5}", "sleep_hours" },
		{ "{\"sleep_hours\": \"7\"}", "sleep_hours" },
		{ "{\"used\": \"maybe\"}", "used" },
		{ "{\"used\": true}", "used" },
		{ "{\"used\": \"Yes\"}", "used" },
		{ "{\"note\": 5}", "note" },
		{ "{\"note\": \"bell\\u0007\"}", "note" },
		{ "{\"moood\": 3}", "moood" },
		{ "{\"mood\": 3, \"extra\": null}", "extra" },
	};
	struct checkin ci;
	char big[CHECKIN_NOTE_MAX + 32];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *got = from_json(bad[i].body, &ci);

		if (got == NULL || strcmp(got, bad[i].bad) != 0)
			fail_msg("%s: got %s", bad[i].body, got ? got : "ok");
	}
	assert_null(from_json("{}", &ci));
	assert_int_equal(ci.mood, CHECKIN_SKIPPED);
	assert_int_equal(ci.sleep_halves, CHECKIN_SKIPPED);
	assert_int_equal(ci.used, CHECKIN_USED_UNSET);
	assert_null(from_json("{\"mood\": null, \"craving\": null, \"stress\": null, "
	    "\"sleep_hours\": null, \"used\": null, \"note\": null}", &ci));
	assert_null(from_json("{\"mood\": 5, \"craving\": 0, \"stress\": 10, "
	    "\"sleep_hours\": 7.5, \"used\": \"prefer_not\"}", &ci));
	assert_int_equal(ci.mood, 5);
	assert_int_equal(ci.craving, 0);
	assert_int_equal(ci.stress, 10);
	assert_int_equal(ci.sleep_halves, 15);
	assert_int_equal(ci.used, CHECKIN_USED_PREFER_NOT);
	assert_null(from_json("{\"sleep_hours\": 8}", &ci));
	assert_int_equal(ci.sleep_halves, 16);
	assert_null(from_json("{\"sleep_hours\": 0}", &ci));
	assert_int_equal(ci.sleep_halves, 0);
	assert_null(from_json("{\"sleep_hours\": 24}", &ci));

	/* the longest note fits; one byte more does not */
	memset(big, 'a', sizeof(big));
	memcpy(big, "{\"note\": \"", 10);
	strcpy(big + 10 + CHECKIN_NOTE_MAX, "\"}");
	assert_null(from_json(big, &ci));
	big[10 + CHECKIN_NOTE_MAX] = 'a';
	strcpy(big + 11 + CHECKIN_NOTE_MAX, "\"}");
	assert_string_equal(from_json(big, &ci), "note");
	assert_null(from_json("{\"note\": \"línea uno\\nlínea dos\\t✓\"}", &ci));
}

static void
test_form(void **state)
{
	struct arena a;
	struct params p;
	struct checkin ci;
	static const struct {
		const char	*form;
		const char	*bad;
	} cases[] = {
		{ "mood=&craving=&stress=&sleep_hours=&used=&note=", NULL },
		{ "mood=3&craving=+4+&sleep_hours=7%2C5&used=no", NULL },
		{ "mood=6", "mood" },
		{ "mood=x", "mood" },
		{ "craving=-1", "craving" },
		{ "stress=1e1", "stress" },
		{ "sleep_hours=7.3", "sleep_hours" },
		{ "sleep_hours=abc", "sleep_hours" },
		{ "used=sometimes", "used" },
		{ "note=%07", "note" },
		{ "csrf_token=abc&mood=2", NULL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *bad;

		arena_init(&a);
		assert_true(params_parse_urlencoded(&a, str_c(cases[i].form), &p));
		bad = checkin_from_form(&p, &ci);
		if ((bad == NULL) != (cases[i].bad == NULL) ||
		    (bad != NULL && strcmp(bad, cases[i].bad) != 0))
			fail_msg("%s: got %s", cases[i].form, bad ? bad : "ok");
		if (i == 0) {
			assert_int_equal(ci.mood, CHECKIN_SKIPPED);
			assert_null(ci.note);
		}
		if (i == 1) {
			assert_int_equal(ci.mood, 3);
			assert_int_equal(ci.craving, 4);
			assert_int_equal(ci.sleep_halves, 15);
			assert_int_equal(ci.used, CHECKIN_USED_NO);
		}
		arena_free(&a);
	}
}

static void
test_sleep_text(void **state)
{
	static const struct {
		const char	*s;
		int		 halves;	/* -1: refused */
	} cases[] = {
		{ "7", 14 }, { "7.5", 15 }, { "7,5", 15 }, { " 8 ", 16 }, { "0", 0 }, { "24", 48 },
		{ "7.0", 14 }, { "7.50", 15 }, { "24.5", -1 }, { "25", -1 }, { "7.", -1 },
		{ ".5", -1 }, { "7.25", -1 }, { "-1", -1 }, { "", -1 }, { "100", -1 }, { "7 h", -1 },
	};
	size_t i;
	int h;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		h = -1;
		if (!checkin_sleep_from_text(cases[i].s, &h))
			h = -1;
		if (h != cases[i].halves)
			fail_msg("\"%s\": %d", cases[i].s, h);
	}
}

static void
test_phone(void **state)
{
	static const struct {
		const char	*in;
		const char	*out;	/* NULL: refused */
	} cases[] = {
		{ "(555) 123-4567", "+15551234567" },
		{ "555.123.4567", "+15551234567" },
		{ "1 555 123 4567", "+15551234567" },
		{ "+1 (555) 123-4567", "+15551234567" },
		{ "+44 20 7946 0958", "+442079460958" },
		{ "0044 20 7946 0958", "+442079460958" },
		{ "+52 55 1234 5678", "+525512345678" },
		{ "555-1234", NULL },
		{ "12345", NULL },
		{ "+0123456789", NULL },
		{ "+1234567", NULL },
		{ "+1234567890123456", NULL },
		{ "abc", NULL },
		{ "555 123 4567 ext 2", NULL },
		{ "++15551234567", NULL },
		{ "1+5551234567", NULL },
		{ "0555123456", NULL },
		{ "", NULL },
	};
	char out[PHONE_E164_SIZE];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool ok = phone_normalize(cases[i].in, out);

		if (ok != (cases[i].out != NULL) || (ok && strcmp(out, cases[i].out) != 0))
			fail_msg("\"%s\": %s", cases[i].in, ok ? out : "refused");
	}
	assert_false(phone_normalize(NULL, out));
	assert_string_equal(phone_last_digits("+15551234567"), "67");
}

static void
test_signature(void **state)
{
	static const unsigned char key[CRYPTO_KEY_BYTES] = { 1 };
	struct arena a;
	struct params p;
	char sig[SMS_SIGNATURE_LEN];

	(void)state;
	crypto_init_with_key(key);
	arena_init(&a);
	/* the gateway's documented example */
	assert_true(params_parse_urlencoded(&a, STR("To=%2B18005551212&From=%2B12349013030"
	    "&Digits=1234&CallSid=CA1234567890ABCDE&Caller=%2B12349013030"), &p));
	sms_signature("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", &p, sig);
	assert_string_equal(sig, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
	assert_true(sms_signature_valid("12345", "https://mycompany.com/myapp.php?foo=1&bar=2",
	    &p, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
	assert_false(sms_signature_valid("12345", "https://mycompany.com/myapp.php?foo=1&bar=2",
	    &p, "1/KCTR6DLpKmkAf8muzZqo1nDgQ="));
	assert_false(sms_signature_valid("12346", "https://mycompany.com/myapp.php?foo=1&bar=2",
	    &p, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
	assert_false(sms_signature_valid("12345", "https://mycompany.com/myapp.php",
	    &p, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
	assert_false(sms_signature_valid("12345", "https://mycompany.com/myapp.php?foo=1&bar=2",
	    &p, NULL));
	assert_false(sms_signature_valid("12345", "https://mycompany.com/myapp.php?foo=1&bar=2",
	    &p, "0/KCTR6DLpKmkAf8muzZqo1nDgQ"));
	assert_false(sms_signature_valid("", "https://mycompany.com/myapp.php?foo=1&bar=2",
	    &p, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
	arena_free(&a);

	/* UTF-8 values, computed independently (Python hmac) */
	arena_init(&a);
	assert_true(params_parse_urlencoded(&a, STR("Body=%C3%A1nimo+4&From=%2B15551234567"
	    "&To=%2B15550001111&B=x"), &p));
	sms_signature("tok", "http://127.0.0.1:8080/sms/inbound", &p, sig);
	assert_string_equal(sig, "XkHlbvB5z+rRB9vwl0lpn/d4W5E=");
	arena_free(&a);
}

static struct checkin
ci_at(int64_t t, int mood, int craving, int sleep_halves)
{
	struct checkin ci;

	checkin_init(&ci);
	ci.created_at = t;
	ci.mood = mood;
	ci.craving = craving;
	ci.sleep_halves = sleep_halves;
	return ci;
}

static void
test_trends(void **state)
{
	int64_t today = days_from_civil(2026, 3, 4);	/* a Wednesday */
	int64_t monday = days_from_civil(2026, 3, 2);
	struct trend_week w[4];
	struct checkin rows[6];

	(void)state;
	assert_int_equal(trends_first_day(today, 1), monday);
	assert_int_equal(trends_first_day(today, 4), monday - 21);
	rows[0] = ci_at(monday * 86400 + 3600, 4, 2, 14);		/* this week */
	rows[1] = ci_at(today * 86400 + 7200, 2, CHECKIN_SKIPPED, 15);	/* this week */
	rows[2] = ci_at((monday - 1) * 86400, 3, 6, CHECKIN_SKIPPED);	/* last Sunday */
	rows[3] = ci_at((monday - 21) * 86400, CHECKIN_SKIPPED, CHECKIN_SKIPPED, CHECKIN_SKIPPED);
	rows[4] = ci_at((monday - 22) * 86400, 1, 10, 2);		/* before the range */
	rows[5] = ci_at((monday + 7) * 86400, 5, 0, 16);		/* next week: after it */
	assert_int_equal(trends_weekly(rows, 6, today, 0, 4, w), 4);
	assert_int_equal(w[0].first_day, monday - 21);
	assert_int_equal(w[0].checkins, 1);
	assert_false(w[0].has[TREND_MOOD]);		/* an empty check-in counts, has no mood */
	assert_int_equal(w[1].checkins, 0);
	assert_int_equal(w[2].checkins, 1);
	assert_true(w[2].has[TREND_CRAVING]);
	assert_true(w[2].mean[TREND_CRAVING] == 6);
	assert_false(w[2].has[TREND_SLEEP]);
	assert_int_equal(w[3].checkins, 2);
	assert_true(w[3].mean[TREND_MOOD] == 3);
	assert_true(w[3].mean[TREND_CRAVING] == 2);	/* the skipped one does not count as 0 */
	assert_true(w[3].mean[TREND_SLEEP] == 7.25);
	assert_false(w[3].has[TREND_STRESS]);
	/* a time zone offset moves a check-in into the next day, here the next week */
	rows[0] = ci_at(monday * 86400 - 1800, 5, CHECKIN_SKIPPED, CHECKIN_SKIPPED);
	assert_int_equal(trends_weekly(rows, 1, today, 3600, 4, w), 4);
	assert_int_equal(w[3].checkins, 1);
	assert_int_equal(trends_weekly(rows, 1, today, 0, 4, w), 4);
	assert_int_equal(w[2].checkins, 1);
	assert_int_equal(trends_weekly(rows, 0, today, 0, 0, w), 1);
}

static void
test_chart(void **state)
{
	double v[4] = { 1, 2.5, 0, 4 };
	bool present[4] = { true, true, false, true };
	const char *labels[4] = { "2 Feb", "9 Feb", "16 Feb", "<23 Feb>" };
	struct chart c = {
		.id = "chart-mood", .title = "Mood <b>", .desc = "Weekly \"mood\"",
		.color = "#2f7d4f", .ymin = 1, .ymax = 5, .ystep = 1, .n = 4,
		.values = v, .present = present, .xlabels = labels,
	};
	struct buf b = BUF_INIT;
	char num[16];
	const char *p;
	int polylines = 0, circles = 0;

	(void)state;
	chart_svg(&c, &b);
	assert_true(strncmp(b.data, "<svg ", 5) == 0);
	assert_non_null(strstr(b.data, "role=\"img\""));
	assert_non_null(strstr(b.data, "aria-labelledby=\"chart-mood-title chart-mood-desc\""));
	assert_non_null(strstr(b.data, "<title id=\"chart-mood-title\">Mood &lt;b&gt;</title>"));
	assert_non_null(strstr(b.data, "&lt;23 Feb&gt;"));
	assert_null(strstr(b.data, "style"));
	assert_null(strstr(b.data, "<script"));
	for (p = b.data; (p = strstr(p, "<polyline")) != NULL; p++)
		polylines++;
	for (p = b.data; (p = strstr(p, "<circle")) != NULL; p++)
		circles++;
	assert_int_equal(polylines, 2);		/* the gap breaks the line */
	assert_int_equal(circles, 3);
	assert_true(strcmp(b.data + b.len - 6, "</svg>") == 0);
	buf_free(&b);

	chart_number(4, num);
	assert_string_equal(num, "4");
	chart_number(4.5, num);
	assert_string_equal(num, "4.5");
	chart_number(3.25, num);
	assert_string_equal(num, "3.25");
	chart_number(-0.001, num);
	assert_string_equal(num, "0");
}

static void
test_partners(void **state)
{
	struct watch_plan w;
	char out[64];
	const int64_t day = 86400, t0 = 1772618400;

	(void)state;
	assert_int_equal(partners_shares_parse(""), 0);
	assert_int_equal(partners_shares_parse("checkins"), SHARE_CHECKINS);
	assert_int_equal(partners_shares_parse("milestones,checkins"),
	    SHARE_CHECKINS | SHARE_MILESTONES);
	assert_int_equal(partners_shares_parse("checkins,contact"), -1);
	assert_int_equal(partners_shares_parse("checkin"), -1);
	assert_int_equal(partners_shares_parse(NULL), 0);
	partners_shares_format(SHARE_GOALS | SHARE_CHECKINS | SHARE_MILESTONES, out, sizeof(out));
	assert_string_equal(out, "checkins,goals,milestones");
	partners_shares_format(0, out, sizeof(out));
	assert_string_equal(out, "");
	assert_string_equal(partners_share_category(SHARE_GOALS), "goals");

	/* no check-in since the partnership began two days ago; alert after 3 */
	partners_watch_plan(0, t0 - 2 * day, 3, t0, &w);
	assert_false(w.overdue);
	assert_int_equal(w.silent_since, t0 - 2 * day);
	assert_int_equal(w.next_run, t0 + day);
	/* a day later it is due, and the next look is a few hours on */
	partners_watch_plan(0, t0 - 2 * day, 3, t0 + day, &w);
	assert_true(w.overdue);
	assert_int_equal(w.next_run, t0 + day + PARTNER_WATCH_RECHECK);
	/* a check-in starts a new silence */
	partners_watch_plan(t0 + day / 2, t0 - 2 * day, 3, t0 + day, &w);
	assert_false(w.overdue);
	assert_int_equal(w.silent_since, t0 + day / 2);
	assert_int_equal(w.next_run, t0 + day / 2 + 3 * day);
	/* a check-in older than the partnership counts from the partnership */
	partners_watch_plan(t0 - 10 * day, t0 - day, 1, t0, &w);
	assert_true(w.overdue);
	assert_int_equal(w.silent_since, t0 - day);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_form),
		cmocka_unit_test(test_sleep_text),
		cmocka_unit_test(test_phone),
		cmocka_unit_test(test_signature),
		cmocka_unit_test(test_trends),
		cmocka_unit_test(test_chart),
		cmocka_unit_test(test_partners),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
