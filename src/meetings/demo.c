/*
 * demo.c: `circles demo-meetings N`, a realistic meeting network for
 * trying the finder and for the benchmark.
 *
 * Meetings are spread over six metro areas in four time zones, with the
 * mix a real list has: mostly weekly in person, some online and hybrid,
 * English and Spanish, open and closed, evenings busiest, a few monthly,
 * single-date, by-appointment and temporarily closed meetings.  The same
 * seed gives the same network (slugs included), so benchmarks compare
 * like with like.  Links use the reserved example.org domain.
 */
#include "meetings/demo.h"

#include <stdio.h>
#include <string.h>

#include "meetings/store.h"

struct rng {
	uint64_t s;
};

static uint64_t
next(struct rng *r)
{
	/* xorshift64* */
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 2685821657736338717ULL;
}

static unsigned
pick(struct rng *r, unsigned n)
{
	return (unsigned)(next(r) % n);
}

static bool
chance(struct rng *r, unsigned percent)
{
	return pick(r, 100) < percent;
}

static const struct {
	const char	*city;
	const char	*region;
	const char	*state;
	const char	*country;
	const char	*tz;
	double		 lat, lon;
	unsigned	 spanish;	/* percent of meetings in Spanish */
} places[] = {
	{ "Brooklyn", "New York City", "NY", "US", "America/New_York", 40.678, -73.944, 20 },
	{ "Queens", "New York City", "NY", "US", "America/New_York", 40.728, -73.794, 30 },
	{ "Bronx", "New York City", "NY", "US", "America/New_York", 40.844, -73.864, 40 },
	{ "Manhattan", "New York City", "NY", "US", "America/New_York", 40.783, -73.971, 15 },
	{ "Chicago", "Chicagoland", "IL", "US", "America/Chicago", 41.878, -87.630, 20 },
	{ "Evanston", "Chicagoland", "IL", "US", "America/Chicago", 42.045, -87.688, 5 },
	{ "Oak Park", "Chicagoland", "IL", "US", "America/Chicago", 41.885, -87.784, 10 },
	{ "Los Angeles", "Greater Los Angeles", "CA", "US", "America/Los_Angeles", 34.052, -118.244, 35 },
	{ "Long Beach", "Greater Los Angeles", "CA", "US", "America/Los_Angeles", 33.770, -118.194, 30 },
	{ "Pasadena", "Greater Los Angeles", "CA", "US", "America/Los_Angeles", 34.148, -118.144, 15 },
	{ "Miami", "South Florida", "FL", "US", "America/New_York", 25.762, -80.192, 60 },
	{ "Hialeah", "South Florida", "FL", "US", "America/New_York", 25.858, -80.278, 80 },
	{ "Phoenix", "Valley of the Sun", "AZ", "US", "America/Phoenix", 33.448, -112.074, 25 },
	{ "Madrid", "Comunidad de Madrid", NULL, "ES", "Europe/Madrid", 40.417, -3.704, 95 },
	{ "Getafe", "Comunidad de Madrid", NULL, "ES", "Europe/Madrid", 40.305, -3.733, 95 },
	{ "Alcalá de Henares", "Comunidad de Madrid", NULL, "ES", "Europe/Madrid", 40.482, -3.364, 95 },
};

static const char *const names_en[] = {
	"Serenity", "New Hope", "Daily Reflections", "Keep It Simple", "Sunrise",
	"Came to Believe", "Living Sober", "One Day at a Time", "Freedom Group",
	"Back to Basics", "Steps to Freedom", "Easy Does It", "First Things First",
	"Lunch Bunch", "Night Owls", "Early Birds", "Big Book Study", "Promises",
	"Courage to Change", "Open Door", "Happy Destiny", "Attitude of Gratitude",
	"Into Action", "Common Solution", "Road to Recovery", "Fellowship Hall",
	"Together We Can", "Hope and Healing", "Safe Harbor", "New Beginnings",
};

static const char *const names_es[] = {
	"Nueva Vida", "Grupo Esperanza", "Sólo por Hoy", "Renacer", "Amanecer",
	"Camino a la Libertad", "Despertar", "Paz y Serenidad", "Nuevo Amanecer",
	"Grupo Unidad", "Vivir Sobrio", "Luz en el Camino", "Manos Amigas",
};

static const char *const venues_en[] = {
	"St. Mark's Church Hall", "Community Center", "Public Library, Room 2",
	"Recovery Club", "YMCA", "Grace Lutheran Church", "Neighborhood House",
	"First Presbyterian Church", "Senior Center", "Unitarian Fellowship",
};

static const char *const venues_es[] = {
	"Iglesia San José", "Centro Comunitario", "Parroquia Santa María",
	"Centro Cívico", "Casa de la Cultura", "Biblioteca Municipal",
};

static const char *const streets[] = {
	"Main St", "Oak Ave", "Park Pl", "Church St", "Elm St", "Maple Ave",
	"Washington Blvd", "Lincoln Ave", "Grand St", "Union St",
};

static const char *const calles[] = {
	"Calle Mayor", "Calle de Alcalá", "Avenida de América", "Calle Toledo",
	"Paseo de la Castellana", "Calle Atocha",
};

static const int start_times[] = {
	7 * 60, 7 * 60 + 30, 12 * 60, 12 * 60 + 15, 17 * 60 + 30, 18 * 60, 18 * 60 + 30,
	19 * 60, 19 * 60, 19 * 60 + 30, 20 * 60, 20 * 60, 20 * 60 + 30, 21 * 60, 22 * 60,
	10 * 60, 9 * 60, 6 * 60 + 30,
};

static const char *const formats[] = { "D", "SP", "ST", "B", "LIT", "MED", "BE", "DR", "TR" };
static const char *const groups[] = { "W", "M", "Y", "LGBTQ", "SEN", "POC" };

#define N(a)	(sizeof(a) / sizeof((a)[0]))

static void
make_meeting(struct arena *a, struct rng *r, size_t i, struct meeting *m)
{
	unsigned p = pick(r, N(places));
	bool es = chance(r, places[p].spanish);
	const char *name = es ? names_es[pick(r, N(names_es))] : names_en[pick(r, N(names_en))];
	unsigned kind = pick(r, 100);
	double dlat, dlon;

	memset(m, 0, sizeof(*m));
	m->name = arena_strdup(a, name);
	m->slug = arena_printf(a, "%s-%zu", meeting_slugify(a, name), i + 1);
	m->timezone = arena_strdup(a, places[p].tz);
	m->sched.start_min = start_times[pick(r, N(start_times))];
	m->sched.end_min = (m->sched.start_min + (chance(r, 30) ? 90 : 60)) % 1440;
	if (kind < 3) {
		m->sched.kind = SCHED_MONTHLY;
		m->sched.days = 1u << pick(r, 7);
		m->sched.weeks = chance(r, 50) ? SCHED_WEEK_LAST : (1u | 4u);
	} else if (kind < 4) {
		m->sched.kind = SCHED_ONCE;
		m->sched.once_y = 2030;
		m->sched.once_m = (int)pick(r, 12) + 1;
		m->sched.once_d = (int)pick(r, 28) + 1;
	} else if (kind < 5) {
		m->sched.kind = SCHED_APPOINTMENT;
		m->sched.start_min = m->sched.end_min = -1;
	} else {
		m->sched.kind = SCHED_WEEKLY;
		m->sched.days = chance(r, 8) ? 0x3eu : 1u << pick(r, 7);	/* weekdays, or one day */
	}
	m->temporarily_closed = chance(r, 2);

	kind = pick(r, 100);
	m->attendance = kind < 65 ? ATTEND_IN_PERSON : kind < 85 ? ATTEND_ONLINE : ATTEND_HYBRID;
	m->city = arena_strdup(a, places[p].city);
	m->region = arena_strdup(a, places[p].region);
	m->state = places[p].state ? arena_strdup(a, places[p].state) : NULL;
	m->country = arena_strdup(a, places[p].country);
	if (m->attendance != ATTEND_ONLINE) {
		m->location = arena_strdup(a, es ? venues_es[pick(r, N(venues_es))] :
		    venues_en[pick(r, N(venues_en))]);
		m->address = places[p].state ?
		    arena_printf(a, "%u %s", 10 + pick(r, 2000), streets[pick(r, N(streets))]) :
		    arena_printf(a, "%s, %u", calles[pick(r, N(calles))], 1 + pick(r, 150));
		m->postal_code = places[p].state ? arena_printf(a, "%05u", 10000 + pick(r, 89999)) :
		    arena_printf(a, "28%03u", pick(r, 999));
		dlat = ((double)pick(r, 20001) - 10000) / 100000.0;	/* about +-11 km */
		dlon = ((double)pick(r, 20001) - 10000) / 100000.0;
		m->has_coords = true;
		m->lat_e6 = (int64_t)((places[p].lat + dlat) * 1e6);
		m->lon_e6 = (int64_t)((places[p].lon + dlon) * 1e6);
		if (chance(r, 20))
			m->location_notes = arena_strdup(a, es ? "Entrada por la puerta lateral." :
			    "Use the side entrance; the room is downstairs.");
	} else {
		m->approximate = true;
	}
	if (m->attendance != ATTEND_IN_PERSON) {
		m->conference_url = arena_printf(a, "https://zoom.example.org/j/%09llu",
		    (unsigned long long)(next(r) % 1000000000ULL));
		if (chance(r, 50))
			m->conference_phone = arena_printf(a, "+1646555%04u", pick(r, 10000));
	}
	meeting_add_type(a, m, chance(r, 70) ? "O" : "C");
	meeting_add_type(a, m, formats[pick(r, N(formats))]);
	if (chance(r, 15))
		meeting_add_type(a, m, groups[pick(r, N(groups))]);
	meeting_add_language(a, m, es ? "es" : "en");
	if (chance(r, 5))
		meeting_add_language(a, m, es ? "en" : "es");
	if (m->attendance != ATTEND_ONLINE) {
		if (chance(r, 55))
			m->access |= ACCESS_WHEELCHAIR;
		if (chance(r, 25))
			m->access |= ACCESS_BATHROOM;
		if (chance(r, 10))
			m->access |= ACCESS_CHILDCARE;
		if (chance(r, 5))
			m->access |= ACCESS_FRAGRANCE_FREE;
		if (chance(r, 5))
			m->transit_notes = arena_strdup(a, es ? "A cinco minutos del metro." :
			    "Two blocks from the bus stop.");
	}
	if (chance(r, 3))
		m->access |= ACCESS_SIGN_LANGUAGE;
	if (chance(r, 2))
		m->access |= ACCESS_INTERPRETER;
	if (chance(r, 25))
		m->notes = arena_strdup(a, es ? "Todas las personas son bienvenidas." :
		    "Newcomers welcome. Coffee from 15 minutes before.");
}

int
meetings_demo(struct db *db, size_t n, uint64_t seed, int64_t now, FILE *out)
{
	struct arena a;
	struct rng r = { seed ? seed : 1 };
	size_t i, added = 0, kept = 0;

	arena_init(&a);
	for (i = 0; i < 10; i++)
		(void)next(&r);
	if (db_begin(db) == -1)
		goto fail;
	for (i = 0; i < n; i++) {
		struct meeting m;
		struct db_rows *rows;
		bool taken;

		make_meeting(&a, &r, i, &m);
		rows = db_query(db, "SELECT 1 FROM meetings WHERE slug = ?", DB_T(m.slug));
		if (rows == NULL)
			goto fail;
		taken = db_rows_count(rows) > 0;
		db_rows_free(rows);
		if (taken) {
			kept++;
			continue;
		}
		m.updated = now;
		if (meetings_save(db, &m, now) <= 0)
			goto fail;
		added++;
		if (i % 1000 == 999) {
			/* keep the arena small for large networks */
			arena_free(&a);
			arena_init(&a);
		}
	}
	if (db_commit(db) == -1)
		goto fail;
	fprintf(out, "Demo meetings: %zu added, %zu already there (seed %llu).\n", added, kept,
	    (unsigned long long)seed);
	arena_free(&a);
	return 0;
fail:
	fprintf(stderr, "circles: demo meetings failed: %s\n", db_errmsg(db));
	db_rollback(db);
	arena_free(&a);
	return -1;
}
