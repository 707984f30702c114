/*
 * store.c: the circle queries (see store.h).  Bound parameters only.
 */
#include "circles/store.h"

#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

static const char *
dup(struct arena *a, const struct db_rows *r, size_t col)
{
	return arena_strdup(a, db_rows_text(r, 0, col));
}

static char *
trimmed(const char *s)
{
	/* Fields were checked by circle_input_check: present and valid UTF-8. */
	size_t b = 0, e = strlen(s);
	while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r' || s[b] == '\n'))
		b++;
	while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r' ||
	    s[e - 1] == '\n'))
		e--;
	return xstrndup(s + b, e - b);
}

int
circles_load(struct db *db, struct arena *a, int64_t id, struct circle_row *out)
{
	struct db_rows *r;
	int rc = 0;

	r = db_query(db, "SELECT c.id, c.name, c.purpose, c.norms, c.agreement, c.membership, "
	    "c.chapter_id, c.created_at, (SELECT COUNT(*) FROM circle_members m "
	    "WHERE m.circle_id = c.id AND m.state = 'active') FROM circles c WHERE c.id = ?",
	    DB_I(id));
	if (r == NULL)
		return -1;
	if (db_rows_count(r) == 1) {
		out->id = db_rows_int(r, 0, 0);
		out->name = dup(a, r, 1);
		out->purpose = dup(a, r, 2);
		out->norms = dup(a, r, 3);
		out->agreement = dup(a, r, 4);
		out->membership = circle_membership_parse(db_rows_text(r, 0, 5));
		out->chapter_id = db_rows_int(r, 0, 6);
		out->created_at = db_rows_int(r, 0, 7);
		out->member_count = db_rows_int(r, 0, 8);
		rc = 1;
	}
	db_rows_free(r);
	return rc;
}

int
circles_standing(struct db *db, int64_t circle_id, int64_t user_id,
    struct circle_standing_row *out)
{
	struct db_rows *r;

	memset(out, 0, sizeof(*out));
	r = db_query(db, "SELECT role, state, agreement_accepted_at, joined_at, volunteer FROM circle_members "
	    "WHERE circle_id = ? AND user_id = ?", DB_I(circle_id), DB_I(user_id));
	if (r == NULL)
		return -1;
	if (db_rows_count(r) == 1) {
		if (strcmp(db_rows_text(r, 0, 1), "pending") == 0)
			out->standing = CIRCLE_PENDING;
		else if (strcmp(db_rows_text(r, 0, 0), "facilitator") == 0)
			out->standing = CIRCLE_FACILITATOR;
		else
			out->standing = CIRCLE_MEMBER;
		out->agreement_accepted_at = db_rows_int(r, 0, 2);
		out->joined_at = db_rows_int(r, 0, 3);
		out->volunteer = db_rows_int(r, 0, 4) != 0;
	}
	db_rows_free(r);
	return 0;
}

int64_t
circles_create(struct db *db, const struct circle_input *in, int64_t chapter_id,
    int64_t creator_id, int64_t now)
{
	char *name = trimmed(in->name), *purpose = trimmed(in->purpose);
	char *norms = trimmed(in->norms), *agreement = trimmed(in->agreement);
	int64_t id = -1;

	if (db_begin(db) != 0)
		goto out;
	id = db_insert(db, "INSERT INTO circles (name, chapter_id, purpose, norms, agreement, "
	    "membership, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
	    "RETURNING id", DB_T(name), chapter_id > 0 ? DB_I(chapter_id) : DB_NUL,
	    DB_T(purpose), DB_T(norms), DB_T(agreement),
	    DB_T(circle_membership_name(circle_membership_parse(in->membership))),
	    DB_I(creator_id), DB_I(now), DB_I(now));
	if (id <= 0 || db_exec(db, "INSERT INTO circle_members (circle_id, user_id, role, state, "
	    "agreement_accepted_at, joined_at, created_at) VALUES (?, ?, 'facilitator', 'active', "
	    "?, ?, ?)", DB_I(id), DB_I(creator_id), DB_I(now), DB_I(now), DB_I(now)) != 1) {
		db_rollback(db);
		id = -1;
		goto out;
	}
	if (db_commit(db) != 0)
		id = -1;
out:
	free(name);
	free(purpose);
	free(norms);
	free(agreement);
	return id;
}

int
circles_add_member(struct db *db, int64_t circle_id, int64_t user_id, bool pending, int64_t now)
{
	int64_t n;

	n = db_exec(db, "INSERT INTO circle_members (circle_id, user_id, role, state, "
	    "agreement_accepted_at, joined_at, created_at) VALUES (?, ?, 'member', ?, ?, ?, ?) "
	    "ON CONFLICT (circle_id, user_id) DO NOTHING", DB_I(circle_id), DB_I(user_id),
	    DB_T(pending ? "pending" : "active"), DB_I(now), pending ? DB_NUL : DB_I(now),
	    DB_I(now));
	return n < 0 ? -1 : 0;
}

int64_t
circles_remove_member(struct db *db, int64_t circle_id, int64_t user_id)
{
	return db_exec(db, "DELETE FROM circle_members WHERE circle_id = ? AND user_id = ?",
	    DB_I(circle_id), DB_I(user_id));
}

int
circles_approve(struct db *db, int64_t circle_id, int64_t user_id, int64_t now)
{
	int64_t n = db_exec(db, "UPDATE circle_members SET state = 'active', joined_at = ? "
	    "WHERE circle_id = ? AND user_id = ? AND state = 'pending'", DB_I(now),
	    DB_I(circle_id), DB_I(user_id));

	return n < 0 ? -1 : n > 0;
}

int
circles_decline(struct db *db, int64_t circle_id, int64_t user_id)
{
	int64_t n = db_exec(db, "DELETE FROM circle_members WHERE circle_id = ? AND user_id = ? "
	    "AND state = 'pending'", DB_I(circle_id), DB_I(user_id));

	return n < 0 ? -1 : n > 0;
}
