/*
 * store.h: circles in the database (the queries; the rules are in circle.h).
 *
 * Strings returned are copies in the caller's arena.
 */
#ifndef CIRCLES_CIRCLES_STORE_H
#define CIRCLES_CIRCLES_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "circles/circle.h"
#include "db/db.h"

struct circle_row {
	int64_t			 id;
	const char		*name;
	const char		*purpose;
	const char		*norms;
	const char		*agreement;
	enum circle_membership	 membership;
	int64_t			 chapter_id;	/* 0: network-wide */
	int64_t			 created_at;
	int64_t			 member_count;	/* active members */
};

/** A person's membership of one circle. */
struct circle_standing_row {
	enum circle_standing	 standing;
	int64_t			 agreement_accepted_at;	/* 0 if none */
	int64_t			 joined_at;		/* 0 while pending */
	bool			 volunteer;		/* offers to lead sessions */
};

/** Load circle id: 1 found, 0 absent, -1 error. */
int	circles_load(struct db *db, struct arena *a, int64_t id, struct circle_row *out);
/** The standing of user_id in circle_id (CIRCLE_NONE if none): 0 or -1 on error. */
int	circles_standing(struct db *db, int64_t circle_id, int64_t user_id,
	    struct circle_standing_row *out);
/**
 * Create a circle; the creator becomes its first facilitator, having
 * accepted its agreement now.  Returns the id or -1.  One transaction.
 */
int64_t	circles_create(struct db *db, const struct circle_input *in, int64_t chapter_id,
	    int64_t creator_id, int64_t now);
/** Record a join as active or pending with the agreement accepted now.  0, or -1. */
int	circles_add_member(struct db *db, int64_t circle_id, int64_t user_id, bool pending,
	    int64_t now);
/** Remove user_id's membership or request.  Rows removed, or -1. */
int64_t	circles_remove_member(struct db *db, int64_t circle_id, int64_t user_id);
/** Turn a pending request into an active membership.  1 done, 0 no such request, -1 error. */
int	circles_approve(struct db *db, int64_t circle_id, int64_t user_id, int64_t now);
/** Decline (delete) a pending request.  1 done, 0 none, -1 error. */
int	circles_decline(struct db *db, int64_t circle_id, int64_t user_id);

#endif
