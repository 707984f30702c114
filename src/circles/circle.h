/*
 * circle.h: the decisions about peer-led circles, as pure functions.
 *
 * A circle is a peer-led group with a purpose, norms and a confidentiality
 * agreement that each member accepts when joining.  Membership is open
 * (joining makes one a member at once) or by request (a facilitator of the
 * circle approves).  Nothing here touches the database: the web handlers
 * gather the facts, these functions decide, so the rules are unit-tested
 * without a server.
 */
#ifndef CIRCLES_CIRCLES_CIRCLE_H
#define CIRCLES_CIRCLES_CIRCLE_H

#include <stdbool.h>
#include <stdint.h>

#define CIRCLE_NAME_MAX		80	/* characters (UTF-8 code points) */
#define CIRCLE_PURPOSE_MAX	1000
#define CIRCLE_NORMS_MAX	2000
#define CIRCLE_AGREEMENT_MAX	2000

enum circle_membership { CIRCLE_OPEN = 1, CIRCLE_BY_REQUEST = 2 };

/** What a person creating a circle typed (NUL-terminated, untrimmed). */
struct circle_input {
	const char	*name;
	const char	*purpose;
	const char	*norms;
	const char	*agreement;
	const char	*membership;	/* "open" or "request" */
};

/** The first problem found, or CIRCLE_INPUT_OK. */
enum circle_input_error {
	CIRCLE_INPUT_OK = 0,
	CIRCLE_INPUT_MISSING,		/* a required field is absent or blank */
	CIRCLE_INPUT_TOO_LONG,
	CIRCLE_INPUT_INVALID,		/* not UTF-8, control characters, unknown token */
};

struct circle_check {
	enum circle_input_error	 error;
	const char		*field;	/* the field's name, NULL when OK */
};

/**
 * Check a circle's fields: every text present, valid UTF-8 without control
 * characters (newlines and tabs allowed except in the name), within its
 * limit after trimming; membership "open" or "request".  Reports the first
 * invalid field in the order name, purpose, norms, agreement, membership.
 */
struct circle_check circle_input_check(const struct circle_input *in);

/**
 * Check one text: present, valid UTF-8, no control characters (newlines
 * and tabs allowed when multiline), at most max code points after trimming.
 */
enum circle_input_error circle_text_check(const char *s, long max, bool multiline);

#define CIRCLE_ANNOUNCE_TITLE_MAX	120
#define CIRCLE_ANNOUNCE_BODY_MAX	4000

/** "open" -> CIRCLE_OPEN, "request" -> CIRCLE_BY_REQUEST, else 0. */
enum circle_membership circle_membership_parse(const char *s);
const char *circle_membership_name(enum circle_membership m);

/** A person's standing in one circle. */
enum circle_standing {
	CIRCLE_NONE = 0,	/* not a member, no request */
	CIRCLE_PENDING,		/* asked to join, waiting for a facilitator */
	CIRCLE_MEMBER,
	CIRCLE_FACILITATOR,	/* a member who facilitates this circle */
};

/** The facts about a viewer and a circle that decide what they see. */
struct circle_viewer {
	enum circle_standing	standing;
	bool			same_chapter;	/* circle's chapter is the viewer's, or network-wide */
	bool			coordinator;	/* holds the coordinator or admin role */
};

/** May the viewer see that the circle exists (list, page)?  Otherwise 404. */
bool	circle_visible(const struct circle_viewer *v);
/** May the viewer see who belongs to the circle?  Active members only. */
bool	circle_roster_visible(const struct circle_viewer *v);
/** May the viewer manage the circle (approve requests, announce)? */
bool	circle_can_manage(const struct circle_viewer *v);

enum circle_join_result {
	CIRCLE_JOIN_JOINED,		/* now an active member */
	CIRCLE_JOIN_REQUESTED,		/* a request waits for a facilitator */
	CIRCLE_JOIN_ALREADY,		/* nothing changes: already member or pending */
	CIRCLE_JOIN_NEEDS_AGREEMENT,	/* the agreement was not accepted */
};

/**
 * What joining does: the agreement must be accepted; an open circle admits
 * at once, a circle by request records a request; asking again changes
 * nothing.
 */
enum circle_join_result circle_join_decide(enum circle_membership m, enum circle_standing s,
	    bool accepted_agreement);

#endif
