/*
 * consent.h: the one decision on who may read a member's private data.
 *
 * Every disclosure of a member's data to another person or organisation
 * rests on a consent record: which member, to whom (a person or a partner
 * organisation), which category of data, for what purpose, until when;
 * revocable at any time.  Every feature asks privacy_read() before showing
 * another member's private data; it checks consent_allows() and writes the
 * audit row the member later sees under "who saw my data".
 */
#ifndef CIRCLES_PRIVACY_CONSENT_H
#define CIRCLES_PRIVACY_CONSENT_H

#include <stdbool.h>
#include <stdint.h>

#include "app/ctx.h"
#include "db/db.h"

/* Categories of a member's data that can be shared. */
#define CONSENT_CHECKINS	"checkins"
#define CONSENT_ATTENDANCE	"attendance"
#define CONSENT_CRISIS_PLAN	"crisis_plan"
#define CONSENT_SURVEYS		"survey_scores"
#define CONSENT_CONTACT		"contact"
#define CONSENT_GOALS		"goals"
#define CONSENT_MILESTONES	"milestones"
#define CONSENT_REFERRALS	"referrals"
/*
 * Not granted to a person: a member's opt-in to mentor and partner matching
 * is the consent, to the network's coordinators and admins, for matching
 * only; opting out withdraws it (matching/store.h).
 */
#define CONSENT_MATCHING	"matching"

#define CONSENT_PURPOSE_MAX	200

/**
 * The one definition of a consent in force, as an SQL condition on the
 * consents row with alias a: not revoked and not expired at the single
 * bound parameter it takes (now).  Queries that list or filter consents use
 * it, so "active" means the same everywhere consent_allows() decides.
 */
#define CONSENT_ACTIVE_SQL(a) \
	"(" a ".revoked_at IS NULL AND (" a ".expires_at IS NULL OR " a ".expires_at > ?))"

/** NULL-terminated list of category tokens. */
extern const char *const consent_categories[];
bool	consent_category_valid(const char *category);

/**
 * May viewer read category of member_id's data at time now?  True for the
 * member themself; otherwise only with an unrevoked, unexpired consent to
 * the viewer or to the viewer's partner organisation.  Roles alone (admin,
 * coordinator) never grant access: for CONSENT_MATCHING the member's
 * standing opt-in to matching is the consent, and then only coordinators
 * and admins may read.  Does not audit: use privacy_read.
 */
bool	consent_allows(struct db *db, const struct user *viewer, int64_t member_id,
	    const char *category, int64_t now);

/**
 * The gate for reading another member's private data: consent_allows(),
 * then an audit row (action "read", the category, object e.g.
 * "contact:42") when the viewer is not the member.  Returns false when the
 * read is refused (the caller answers 404, as if the data did not exist).
 */
bool	privacy_read(struct ctx *c, int64_t member_id, const char *category, const char *object);

/**
 * Record a consent.  Exactly one of grantee_user_id / grantee_org_id is
 * non-zero.  expires_at 0 means until revoked.  Returns the id or -1.
 * Audited as action "consent.grant".
 */
int64_t	consent_grant(struct db *db, const struct user *member, int64_t grantee_user_id,
	    int64_t grantee_org_id, const char *category, const char *purpose, int64_t expires_at,
	    int64_t now);
/** Revoke one of member's consents. 0 done, 1 not found (or not theirs), -1 error. Audited. */
int	consent_revoke(struct db *db, const struct user *member, int64_t consent_id, int64_t now);

#endif
