/*
 * demo.c: matching in the demo network (`circles demo`, src/app/demo.c).
 *
 * A handful of people with matching profiles, so /coordinator/matching has
 * something to show right after `make run`: members looking for a mentor
 * in both chapters, in English and Spanish, with different pathways,
 * experiences and free times; mentors (a peer supporter and a facilitator
 * among them), most trained, one not yet (the coordinator can mark them);
 * two members looking for a peer partner.  Days in recovery come from a
 * start date, as for real mentors.  Every profile goes through the same
 * checker as the API's.
 *
 * demo_seed runs once, on an empty database, inside its transaction; the
 * suggestions are made after it commits, by the engine, as if the demo
 * coordinator had pressed "Suggest pairs".
 */
#include "matching/demo.h"

#include <inttypes.h>
#include <string.h>

#include "accounts/roles.h"
#include "accounts/users.h"
#include "base/arena.h"
#include "base/log.h"
#include "checkins/days.h"
#include "checkins/store.h"
#include "matching/store.h"

/* The people who exist only for matching (the demo's own list has the others). */
static const struct {
	const char	*email;
	const char	*name;
	unsigned	 roles;
	int		 chapter;	/* 1 north, 2 south */
	const char	*lang;
} extra[] = {
	{ "rosa@example.org", "Rosa", ROLE_FACILITATOR | ROLE_MEMBER, 1, "es" },
	{ "tomas@example.org", "Tomás", ROLE_MEMBER, 1, "es" },
	{ "noor@example.org", "Noor", ROLE_MEMBER, 1, "en" },
	{ "dev@example.org", "Dev", ROLE_PEER_SUPPORTER | ROLE_MEMBER, 2, "en" },
	{ "lee@example.org", "Lee", ROLE_PEER_SUPPORTER | ROLE_MEMBER, 2, "en" },
	{ "kai@example.org", "Kai", ROLE_MEMBER, 2, "en" },
};

/* Profiles, by email: the API's document; mentors also have trained and days in recovery. */
static const struct {
	const char	*email;
	const char	*profile;
	int		 trained;	/* -1: not a mentor */
	int		 days;		/* in recovery (mentors) */
} profiles[] = {
	{ "peer@example.org", "{\"seeks\": \"mentee\", \"capacity\": 2, \"languages\": [\"en\"], "
	  "\"gender\": \"man\", \"pathway\": \"twelve_step\", \"tags\": [\"parent\", \"grief\"], "
	  "\"age_band\": \"45-54\", \"region\": \"north side\", "
	  "\"availability\": [[1, 17, 21], [3, 17, 21]]}", 1, 1460 },
	{ "rosa@example.org", "{\"seeks\": \"mentee\", \"capacity\": 2, \"languages\": [\"es\", "
	  "\"en\"], \"gender\": \"woman\", \"pathway\": \"smart\", \"tags\": [\"parent\"], "
	  "\"age_band\": \"35-44\", \"region\": \"north side\", \"lat\": 39.16, \"lon\": -84.45, "
	  "\"availability\": [[2, 17, 21], [4, 17, 21]]}", 1, 2200 },
	{ "dev@example.org", "{\"seeks\": \"mentee\", \"capacity\": 1, \"languages\": [\"en\"], "
	  "\"gender\": \"man\", \"pathway\": \"medication\", \"tags\": [\"veteran\", "
	  "\"chronic_pain\"], \"age_band\": \"25-34\", \"region\": \"riverside\", "
	  "\"availability\": [[6, 8, 12], [0, 8, 12]]}", 1, 800 },
	{ "lee@example.org", "{\"seeks\": \"mentee\", \"capacity\": 1, \"languages\": [\"en\"], "
	  "\"gender\": \"nonbinary\", \"pathway\": \"secular\", \"tags\": [\"lgbtq\"], "
	  "\"age_band\": \"25-34\", \"region\": \"riverside\", "
	  "\"availability\": [[5, 17, 21]]}", 0, 500 },
	{ "maria@example.org", "{\"seeks\": \"mentor\", \"languages\": [\"es\"], "
	  "\"gender\": \"woman\", \"wants_gender\": \"woman\", \"pathway\": \"smart\", "
	  "\"tags\": [\"parent\"], \"age_band\": \"35-44\", \"region\": \"north side\", "
	  "\"lat\": 39.14, \"lon\": -84.5, \"availability\": [[2, 17, 21]]}", -1, 0 },
	{ "tomas@example.org", "{\"seeks\": \"mentor\", \"languages\": [\"es\", \"en\"], "
	  "\"gender\": \"man\", \"pathway\": \"twelve_step\", \"tags\": [\"grief\"], "
	  "\"age_band\": \"55-64\", \"region\": \"north side\", "
	  "\"availability\": [[1, 17, 21]]}", -1, 0 },
	{ "noor@example.org", "{\"seeks\": \"mentor\", \"languages\": [\"en\", \"ar\"], "
	  "\"pathway\": \"harm_reduction\", \"tags\": [\"parent\"], \"age_band\": \"25-34\", "
	  "\"region\": \"north side\", \"availability\": [[3, 17, 21], [4, 17, 21]]}", -1, 0 },
	{ "sam@example.org", "{\"seeks\": \"mentor\", \"languages\": [\"en\"], "
	  "\"pathway\": \"medication\", \"tags\": [\"veteran\"], \"age_band\": \"25-34\", "
	  "\"region\": \"riverside\", \"availability\": [[6, 9, 12]]}", -1, 0 },
	{ "jo@example.org", "{\"seeks\": \"peer\", \"languages\": [\"en\"], \"tags\": [\"lgbtq\"], "
	  "\"age_band\": \"18-24\", \"region\": \"riverside\", "
	  "\"availability\": [[5, 17, 21]]}", -1, 0 },
	{ "kai@example.org", "{\"seeks\": \"peer\", \"languages\": [\"en\"], "
	  "\"tags\": [\"lgbtq\", \"grief\"], \"age_band\": \"18-24\", \"region\": \"riverside\", "
	  "\"availability\": [[5, 18, 21]]}", -1, 0 },
};

int
matching_demo_people(struct db *db, const char *password, int64_t north, int64_t south,
    int64_t now)
{
	struct arena a;
	int64_t coord = user_id_by_email(db, "coordinator@example.org"), today, id;
	size_t i;
	int rc = -1;

	for (i = 0; i < sizeof(extra) / sizeof(extra[0]); i++)
		if (user_create(db, extra[i].email, extra[i].name, password, extra[i].roles,
		    extra[i].chapter == 1 ? north : south, extra[i].lang, now) <= 0)
			return -1;
	arena_init(&a);
	today = days_of_time(now, 0);
	for (i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++) {
		json_t *in = json_loads(profiles[i].profile, 0, NULL), *p = NULL;
		const char *bad;

		id = user_id_by_email(db, profiles[i].email);
		if (in == NULL || id <= 0) {
			json_decref(in);
			goto out;
		}
		json_object_set_new(in, "opted_in", json_true());
		bad = matching_profile_check(&a, in, &p);
		json_decref(in);
		if (bad != NULL) {
			log_warnx("demo: the matching profile of %s is refused (%s)",
			    profiles[i].email, bad);
			goto out;
		}
		if (matching_profile_save(db, id, p, now) == -1) {
			json_decref(p);
			goto out;
		}
		json_decref(p);
		if (profiles[i].trained < 0)
			continue;
		if (recovery_save(db, id, today - profiles[i].days, false, now) == -1 ||
		    db_exec(db, "INSERT INTO matching_mentors (user_id, approved, trained, "
		    "updated_by, updated_at) VALUES (?, 0, ?, ?, ?)", DB_I(id),
		    DB_I(profiles[i].trained), coord > 0 ? DB_I(coord) : DB_NUL, DB_I(now)) < 0)
			goto out;
	}
	rc = 0;
out:
	arena_free(&a);
	return rc;
}

int
matching_demo_suggest(struct db *db, int64_t now, FILE *out)
{
	int64_t coord = user_id_by_email(db, "coordinator@example.org");
	int made, unmatched;
	size_t i;

	if (coord <= 0 || matching_suggest_run(db, coord, now, 0, &made, &unmatched) == -1) {
		fprintf(stderr, "circles: demo matching suggestions failed; press \"Suggest pairs\" "
		    "on /coordinator/matching\n");
		return -1;
	}
	fprintf(out, "Matching: %d suggested pairs wait for the coordinator on "
	    "/coordinator/matching.\n", made);
	fprintf(out, "More demo logins for matching (same password):\n");
	for (i = 0; i < sizeof(extra) / sizeof(extra[0]); i++)
		fprintf(out, "  %s\n", extra[i].email);
	return 0;
}
