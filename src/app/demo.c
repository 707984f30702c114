/*
 * demo.c: the demo network `make run` seeds the first time.
 *
 * Only this command seeds; the server never does.  The password is random
 * per installation, so a demo left on a reachable host is not an open door.
 */
#include "app/demo.h"

#include <stdlib.h>
#include <string.h>

#include "accounts/roles.h"
#include "accounts/users.h"
#include "base/clock.h"
#include "base/log.h"
#include "matching/demo.h"
#include "privacy/crypto.h"

static const struct {
	const char	*email;
	const char	*name;
	unsigned	 roles;
	int		 chapter;	/* 0 none, 1 north, 2 south */
	const char	*lang;
} people[] = {
	{ "admin@example.org", "Alex", ROLE_ADMIN, 0, "en" },
	{ "coordinator@example.org", "Carmen", ROLE_COORDINATOR, 1, "es" },
	{ "peer@example.org", "Pat", ROLE_PEER_SUPPORTER | ROLE_MEMBER, 1, "en" },
	{ "maria@example.org", "María", ROLE_MEMBER, 1, "es" },
	{ "sam@example.org", "Sam", ROLE_MEMBER, 2, "en" },
	{ "jo@example.org", "JoJo", ROLE_MEMBER, 2, "en" },
};

int
demo_seed(struct db *db, FILE *out)
{
	struct db_rows *r;
	int64_t now = clock_now(), north, south, id;
	char *token, password[40];
	size_t i;

	r = db_query(db, "SELECT COUNT(*) FROM users");
	if (r == NULL || db_rows_int(r, 0, 0) > 0) {
		db_rows_free(r);
		fprintf(stderr, "circles: the database already has people in it; demo not seeded\n");
		return -1;
	}
	db_rows_free(r);
	/* A readable random password: "demo-" and 16 URL-safe characters. */
	token = crypto_token(12);
	snprintf(password, sizeof(password), "demo-%.16s", token);
	free(token);

	if (db_begin(db) == -1)
		return -1;
	north = db_insert(db, "INSERT INTO chapters (name, created_at) VALUES (?, ?) RETURNING id",
	    DB_T("North"), DB_I(now));
	south = db_insert(db, "INSERT INTO chapters (name, created_at) VALUES (?, ?) RETURNING id",
	    DB_T("South"), DB_I(now));
	if (north < 0 || south < 0)
		goto fail;
	for (i = 0; i < sizeof(people) / sizeof(people[0]); i++) {
		id = user_create(db, people[i].email, people[i].name, password, people[i].roles,
		    people[i].chapter == 1 ? north : people[i].chapter == 2 ? south : 0,
		    people[i].lang, now);
		if (id <= 0)
			goto fail;
	}
	/* matching profiles and mentors */
	if (matching_demo_people(db, password, north, south, now) == -1)
		goto fail;
	if (db_commit(db) == -1)
		goto fail;

	fprintf(out, "Demo network ready: chapters North and South.\n");
	fprintf(out, "Admin login:  %s  password: %s\n", people[0].email, password);
	fprintf(out, "Other demo logins (same password):\n");
	for (i = 1; i < sizeof(people) / sizeof(people[0]); i++) {
		unsigned bit;
		int k;
		fprintf(out, "  %-26s", people[i].email);
		for (k = 0; k < ROLE_COUNT; k++)
			if ((bit = role_at(k)) & people[i].roles)
				fprintf(out, " %s", role_token(bit));
		fprintf(out, "\n");
	}
	/* suggestions waiting on /coordinator/matching */
	matching_demo_suggest(db, now, out);
	return 0;
fail:
	fprintf(stderr, "circles: demo seeding failed: %s\n", db_errmsg(db));
	db_rollback(db);
	return -1;
}
