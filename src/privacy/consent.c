/*
 * consent.c: who may read a member's private data, and the records of it.
 *
 * Design:
 *
 * - One rule, in consent_allows(): the member themself, or an active
 *   consent (not revoked, not expired) naming the viewer or the viewer's
 *   partner organisation, for that category.  Roles never enter into it:
 *   an admin or a coordinator without a consent sees nothing.
 * - privacy_read() is the gate features call.  A read that cannot be
 *   written to the audit log is refused, so the member's "who saw my data"
 *   never misses a read that happened.
 * - Granting and revoking are audited too, with the member as actor and
 *   subject.  The audit row is written after the consent change commits
 *   (audit_record needs its own transaction); if it cannot be written the
 *   grant is undone, so a consent never exists unrecorded.
 */
#include "privacy/consent.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "accounts/roles.h"
#include "accounts/users.h"
#include "base/log.h"
#include "http/params.h"
#include "privacy/audit.h"

const char *const consent_categories[] = {
	CONSENT_CONTACT,
	CONSENT_CHECKINS,
	CONSENT_GOALS,
	CONSENT_MILESTONES,
	CONSENT_ATTENDANCE,
	CONSENT_SURVEYS,
	CONSENT_CRISIS_PLAN,
	CONSENT_REFERRALS,
	NULL,
};

bool
consent_category_valid(const char *category)
{
	size_t i;

	if (category == NULL)
		return false;
	for (i = 0; consent_categories[i] != NULL; i++)
		if (strcmp(consent_categories[i], category) == 0)
			return true;
	return false;
}

/* Did a consent lookup find a row?  A failed lookup allows nothing. */
static bool
found(struct db *db, struct db_rows *r)
{
	bool ok;

	if (r == NULL) {
		log_warnx("consent: lookup failed: %s", db_errmsg(db));
		return false;
	}
	ok = db_rows_count(r) > 0;
	db_rows_free(r);
	return ok;
}

/* The opt-in to matching, read by coordinators and admins only. */
static bool
matching_consent(struct db *db, const struct user *viewer, int64_t member_id)
{
	if ((viewer->roles & (ROLE_COORDINATOR | ROLE_ADMIN)) == 0)
		return false;
	return found(db, db_query(db, "SELECT 1 FROM matching_profiles WHERE user_id = ? AND "
	    "opted_in = 1", DB_I(member_id)));
}

bool
consent_allows(struct db *db, const struct user *viewer, int64_t member_id,
    const char *category, int64_t now)
{
	struct db_rows *r;

	if (viewer == NULL || member_id <= 0)
		return false;
	if (category != NULL && strcmp(category, CONSENT_MATCHING) == 0)
		return viewer->id == member_id || matching_consent(db, viewer, member_id);
	if (!consent_category_valid(category))
		return false;
	if (viewer->id == member_id)
		return true;
	if (viewer->org_id > 0)
		r = db_query(db, "SELECT 1 FROM consents WHERE member_id = ? AND category = ? "
		    "AND " CONSENT_ACTIVE_SQL("consents") " "
		    "AND (grantee_user_id = ? OR grantee_org_id = ?) LIMIT 1",
		    DB_I(member_id), DB_T(category), DB_I(now), DB_I(viewer->id),
		    DB_I(viewer->org_id));
	else
		r = db_query(db, "SELECT 1 FROM consents WHERE member_id = ? AND category = ? "
		    "AND " CONSENT_ACTIVE_SQL("consents") " "
		    "AND grantee_user_id = ? LIMIT 1",
		    DB_I(member_id), DB_T(category), DB_I(now), DB_I(viewer->id));
	return found(db, r);
}

bool
privacy_read(struct ctx *c, int64_t member_id, const char *category, const char *object)
{
	const char *subject;

	if (c->user == NULL)
		return false;
	if (!consent_allows(c->db, c->user, member_id, category, c->now))
		return false;
	if (c->user->id == member_id)
		return true;
	subject = user_pseudonym(c->db, c->a, member_id);
	if (subject == NULL)
		return false;
	/* No audit row, no read: the member must be able to see every one. */
	if (audit_record(c->db, c->now, c->user->pseudonym, subject, "read", category,
	    object) == -1)
		return false;
	return true;
}

static bool
purpose_valid(const char *purpose)
{
	size_t i, len;

	if (purpose == NULL)
		return false;
	len = strlen(purpose);
	if (len == 0 || len > CONSENT_PURPOSE_MAX || !utf8_valid(purpose, len))
		return false;
	for (i = 0; i < len; i++)
		if ((unsigned char)purpose[i] < 0x20 || purpose[i] == 0x7f)
			return false;
	return true;
}

int64_t
consent_grant(struct db *db, const struct user *member, int64_t grantee_user_id,
    int64_t grantee_org_id, const char *category, const char *purpose, int64_t expires_at,
    int64_t now)
{
	char object[48];
	int64_t id;

	if (member == NULL || (grantee_user_id > 0) == (grantee_org_id > 0) ||
	    grantee_user_id < 0 || grantee_org_id < 0 || grantee_user_id == member->id ||
	    !consent_category_valid(category) || !purpose_valid(purpose) ||
	    expires_at < 0 || (expires_at > 0 && expires_at <= now))
		return -1;
	id = db_insert(db, "INSERT INTO consents (member_id, grantee_user_id, grantee_org_id, "
	    "category, purpose, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
	    DB_I(member->id), grantee_user_id > 0 ? DB_I(grantee_user_id) : DB_NUL,
	    grantee_org_id > 0 ? DB_I(grantee_org_id) : DB_NUL, DB_T(category), DB_T(purpose),
	    DB_I(now), expires_at > 0 ? DB_I(expires_at) : DB_NUL);
	if (id <= 0) {
		log_warnx("consent: insert failed: %s", db_errmsg(db));
		return -1;
	}
	snprintf(object, sizeof(object), "consent:%" PRId64, id);
	if (audit_record(db, now, member->pseudonym, member->pseudonym, "consent.grant",
	    category, object) == -1) {
		db_exec(db, "DELETE FROM consents WHERE id = ?", DB_I(id));
		return -1;
	}
	return id;
}

int
consent_revoke(struct db *db, const struct user *member, int64_t consent_id, int64_t now)
{
	struct db_rows *r;
	char object[48], category[64];
	int64_t n;

	if (member == NULL || consent_id <= 0)
		return 1;
	r = db_query(db, "SELECT category, revoked_at FROM consents WHERE id = ? AND member_id = ?",
	    DB_I(consent_id), DB_I(member->id));
	if (r == NULL)
		return -1;
	if (db_rows_count(r) == 0) {
		db_rows_free(r);
		return 1;
	}
	snprintf(category, sizeof(category), "%s", db_rows_text(r, 0, 0));
	if (!db_rows_isnull(r, 0, 1)) {
		/* Already revoked: nothing changes, nothing to record. */
		db_rows_free(r);
		return 0;
	}
	db_rows_free(r);
	n = db_exec(db, "UPDATE consents SET revoked_at = ? WHERE id = ? AND member_id = ? "
	    "AND revoked_at IS NULL", DB_I(now), DB_I(consent_id), DB_I(member->id));
	if (n < 0)
		return -1;
	if (n == 0)
		return 0;	/* revoked meanwhile by another request */
	snprintf(object, sizeof(object), "consent:%" PRId64, consent_id);
	/*
	 * The revocation stands even if the audit row cannot be written:
	 * taking access away must never fail because of the log.
	 */
	if (audit_record(db, now, member->pseudonym, member->pseudonym, "consent.revoke",
	    category, object) == -1)
		log_warnx("consent: revoke of %" PRId64 " not audited", consent_id);
	return 0;
}
