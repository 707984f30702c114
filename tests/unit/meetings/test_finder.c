/*
 * Unit tests for meetings/finder.c and meeting.c: parsing the finder's
 * query with its limits, each filter alone and combined, time bands
 * (night wraps past midnight), distances, text that ignores case and
 * accents, happening now and starting soon; and the canonical form of a
 * meeting (types and flags kept in step, fingerprints, slugs).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "meetings/finder.h"

static struct arena a;

static struct params
qs(const char *s)
{
	struct params p;

	assert_true(params_parse_urlencoded(&a, str_c(s), &p));
	return p;
}

static struct meeting
mk(const char *name, unsigned days, int start, const char *types)
{
	struct meeting m;

	memset(&m, 0, sizeof(m));
	m.name = arena_strdup(&a, name);
	m.slug = meeting_slugify(&a, name);
	m.timezone = arena_strdup(&a, "America/New_York");
	m.sched.kind = SCHED_WEEKLY;
	m.sched.days = days;
	m.sched.start_min = start;
	m.sched.end_min = -1;
	m.attendance = ATTEND_IN_PERSON;
	m.ntypes = meeting_split(&a, types, &m.types);
	meeting_normalize(&a, &m);
	return m;
}

static bool
matches(struct meeting *m, const char *query, int64_t now)
{
	struct finder_item it;
	struct finder_query q;
	struct params p = qs(query);
	const char *bad;

	assert_true(finder_parse(&a, &p, &q, &bad));
	finder_item_init(&a, &it, m, NULL, 0);
	return finder_match(&it, &q, now);
}

static const char *
bad_field(const char *query)
{
	struct finder_query q;
	struct params p = qs(query);
	const char *bad = NULL;

	assert_false(finder_parse(&a, &p, &q, &bad));
	return bad;
}

static void
test_parse_limits(void **state)
{
	struct finder_query q, q2;
	struct params p;
	const char *bad;
	char big[200];

	(void)state;
	assert_string_equal(bad_field("day=7"), "day");
	assert_string_equal(bad_field("day=12"), "day");
	assert_string_equal(bad_field("time=noon"), "time");
	assert_string_equal(bad_field("types=O,<x>"), "types");
	assert_string_equal(bad_field("types=A,B,C,D,E,F,G,H,I,J,K"), "types");
	assert_string_equal(bad_field("attendance=phone"), "attendance");
	assert_string_equal(bad_field("lang=ES"), "lang");
	assert_string_equal(bad_field("near=1"), "near");
	assert_string_equal(bad_field("near=1,200"), "near");
	assert_string_equal(bad_field("near=x,1"), "near");
	assert_string_equal(bad_field("radius_km=-1"), "radius_km");
	assert_string_equal(bad_field("radius_km=501"), "radius_km");
	assert_string_equal(bad_field("when=tomorrow"), "when");
	memset(big, 'x', 120);
	strcpy(big + 120, "");
	assert_string_equal(bad_field(arena_printf(&a, "q=%s", big)), "q");
	/* Empty values are no filter; order does not change the canonical text. */
	p = qs("day=&time=&q=");
	assert_true(finder_parse(&a, &p, &q, &bad));
	assert_false(q.any);
	p = qs("types=O&day=3&types=D");
	assert_true(finder_parse(&a, &p, &q, &bad));
	p = qs("day=3&types=O,D");
	assert_true(finder_parse(&a, &p, &q2, &bad));
	assert_string_equal(q.canonical, q2.canonical);
	assert_true(q.any);
}

static void
test_filters(void **state)
{
	struct meeting m = mk("Reunión de la Mañana", 1u << 3, 7 * 60, "O,D,S");
	struct meeting late = mk("Night Owls", 1u << 0, 0, "C");

	(void)state;
	assert_true(matches(&m, "", 0));
	assert_true(matches(&m, "day=3", 0));
	assert_true(matches(&m, "day=2,3", 0));
	assert_false(matches(&m, "day=4", 0));
	assert_true(matches(&m, "time=morning", 0));
	assert_false(matches(&m, "time=evening", 0));
	assert_true(matches(&late, "time=night", 0));	/* 00:00 is night */
	assert_true(matches(&m, "types=O,D", 0));
	assert_false(matches(&m, "types=O,C", 0));
	assert_true(matches(&m, "lang=es", 0));		/* through the S type */
	assert_false(matches(&m, "lang=en", 0));
	assert_true(matches(&m, "q=MANANA", 0));	/* case and accents ignored */
	assert_true(matches(&m, "q=reunion%20manana", 0));
	assert_false(matches(&m, "q=reunion%20noche", 0));
	assert_true(matches(&m, "day=3&time=morning&types=O&lang=es&attendance=in_person", 0));
	assert_false(matches(&m, "day=3&time=morning&types=O&lang=es&attendance=online", 0));
	m.attendance = ATTEND_HYBRID;
	assert_true(matches(&m, "attendance=online", 0));
	assert_true(matches(&m, "attendance=in_person", 0));
	assert_true(matches(&m, "attendance=hybrid", 0));
	m.attendance = ATTEND_ONLINE;
	assert_false(matches(&m, "attendance=hybrid", 0));
	m.temporarily_closed = true;
	assert_false(matches(&m, "", 0));
}

static void
test_region_and_distance(void **state)
{
	struct meeting m = mk("Park", 1, 600, "O");

	(void)state;
	m.region = arena_strdup(&a, "Comunidad de Madrid");
	m.city = arena_strdup(&a, "Alcalá de Henares");
	assert_true(matches(&m, "region=comunidad%20de%20madrid", 0));
	assert_true(matches(&m, "city=Alcala%20de%20Henares", 0));
	assert_false(matches(&m, "region=Madrid", 0));
	assert_false(matches(&m, "near=40.48,-3.36", 0));	/* no coordinates: not near */
	m.has_coords = true;
	m.lat_e6 = 40482000;
	m.lon_e6 = -3364000;
	assert_true(matches(&m, "near=40.4168,-3.7038", 0) == false);	/* ~30 km, default 25 */
	assert_true(matches(&m, "near=40.4168,-3.7038&radius_km=35", 0));
	assert_true(finder_distance_km(40.4168, -3.7038, 40.482, -3.364) > 28);
	assert_true(finder_distance_km(40.4168, -3.7038, 40.482, -3.364) < 31);
	assert_true(finder_distance_km(0, 0, 0, 0) == 0);
}

static void
test_now_and_soon(void **state)
{
	/* Wednesdays 19:00-20:00 New York; 2024-03-06 19:00 EST is 2024-03-07 00:00Z. */
	struct meeting m = mk("Evening", 1u << 3, 19 * 60, "O");
	int64_t start = tz_days_from_civil(2024, 3, 7) * 86400;
	struct sched_exception ex = { .y = 2024, .m = 3, .d = 6, .cancelled = true };
	struct finder_item it;
	struct finder_query q;
	struct params p = qs("when=now");
	const char *bad;

	(void)state;
	assert_true(matches(&m, "when=now", start + 60));
	assert_false(matches(&m, "when=now", start - 60));
	assert_true(matches(&m, "when=soon", start - 30 * 60));
	assert_false(matches(&m, "when=soon", start - 90 * 60));
	assert_false(matches(&m, "when=soon", start + 60));	/* already started */
	assert_false(matches(&m, "when=now", start + 3600));	/* ended */
	assert_true(finder_parse(&a, &p, &q, &bad));
	finder_item_init(&a, &it, &m, &ex, 1);
	assert_false(finder_match(&it, &q, start + 60));	/* that session is cancelled */
}

static void
test_meeting_canonical_form(void **state)
{
	struct meeting m = mk("x", 1, 600, "X,O,S,BA");
	struct meeting n = mk("x", 1, 600, "O,BA,S,X");
	char f1[33], f2[33];
	char fold[64];

	(void)state;
	assert_true(m.access & ACCESS_WHEELCHAIR);
	assert_true(m.access & ACCESS_CHILDCARE);
	assert_int_equal(m.nlanguages, 1);
	assert_string_equal(m.languages[0], "es");
	meeting_fingerprint(&m, f1);
	meeting_fingerprint(&n, f2);
	assert_string_equal(f1, f2);		/* order of types does not matter */
	n.access |= ACCESS_SIGN_LANGUAGE;
	meeting_normalize(&a, &n);
	assert_true(meeting_has_type(&n, "ASL"));
	meeting_fingerprint(&n, f2);
	assert_string_not_equal(f1, f2);
	meeting_add_language(&a, &n, "fr");
	meeting_normalize(&a, &n);
	assert_true(meeting_has_type(&n, "FR"));
	/* An end an hour after the start is the default. */
	n.sched.end_min = 660;
	meeting_normalize(&a, &n);
	assert_int_equal(n.sched.end_min, -1);
	assert_string_equal(meeting_slugify(&a, "Grupo Aurora: Sólo por Hoy!"),
	    "grupo-aurora-solo-por-hoy");
	assert_string_equal(meeting_slugify(&a, "!!!"), "meeting");
	meeting_fold("ÁÉÍÓÚ Ñandú", fold, sizeof(fold));
	assert_string_equal(fold, "aeiou nandu");
	assert_string_equal(meeting_type_language("S"), "es");
	assert_string_equal(meeting_language_type("es"), "S");
	assert_null(meeting_type_language("NB"));	/* Non-Binary, not Bokmål */
	assert_string_equal(meeting_type_from_name("wheelchair access"), "X");
	assert_string_equal(meeting_type_from_name("Step Meeting"), "ST");
	assert_null(meeting_type_from_name("Nonsense"));
	{
		char t[20];
		int64_t v;
		meeting_format_utc(1700000000, t);
		assert_string_equal(t, "2023-11-14 22:13:20");
		assert_true(meeting_parse_utc("2023-11-14T22:13:20Z", &v));
		assert_int_equal(v, 1700000000);
		assert_false(meeting_parse_utc("2023-11-14 25:00:00", &v));
	}
}

static int
setup(void **state)
{
	(void)state;
	arena_init(&a);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	arena_free(&a);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_parse_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_filters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_region_and_distance, setup, teardown),
		cmocka_unit_test_setup_teardown(test_now_and_soon, setup, teardown),
		cmocka_unit_test_setup_teardown(test_meeting_canonical_form, setup, teardown),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	tz_cleanup();
	return rc;
}
