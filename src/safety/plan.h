/*
 * plan.h: a member's crisis plan, in the structure of the Stanley-Brown
 * safety plan.
 *
 * Seven sections, each a short list: the warning signs that a crisis may
 * be coming; things I can do on my own; people and places that help me
 * take my mind off things; people I can ask for help; professionals and
 * services (with phone numbers); making my surroundings safer; my reasons
 * to keep going.  Three sections hold contacts (a name and an optional
 * phone number), the others plain lines of text.
 *
 * This file is pure: reading a plan from JSON or a form, checking it, and
 * writing it as JSON.  Storage (each section encrypted on its own) is in
 * store.h; who may read someone else's plan is decided by
 * privacy_read() with the category "crisis_plan".
 */
#ifndef CIRCLES_SAFETY_PLAN_H
#define CIRCLES_SAFETY_PLAN_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "base/arena.h"

#define PLAN_ITEMS_MAX		10	/* lines per section */
#define PLAN_TEXT_MAX		300	/* characters per line or name */
#define PLAN_PHONE_MAX		32	/* characters of a phone number */

enum plan_section {
	PLAN_WARNING_SIGNS,
	PLAN_COPING,
	PLAN_DISTRACTIONS,
	PLAN_HELPERS,
	PLAN_PROFESSIONALS,
	PLAN_SAFER,
	PLAN_REASONS,
	PLAN_SECTIONS
};

struct plan_item {
	const char	*text;		/* the line, or the contact's name */
	const char	*phone;		/* contacts only; NULL when none */
};

struct crisis_plan {
	struct plan_item items[PLAN_SECTIONS][PLAN_ITEMS_MAX];
	int		 n[PLAN_SECTIONS];
	bool		 exists;	/* stored (false: a blank plan) */
	int64_t		 created_at;
	int64_t		 updated_at;
};

/** The section's token ("warning_signs"), also its JSON key and catalog key. */
const char	*plan_section_token(enum plan_section s);
/** True for the sections whose lines are contacts (name and phone). */
bool		 plan_section_has_contacts(enum plan_section s);
/** Total lines in the plan. */
int		 plan_count(const struct crisis_plan *p);

/**
 * A phone number as people write it: digits with spaces, "+", "(", ")",
 * "-" or ".", at least 2 digits ("988", "+1 (555) 010-2030").
 */
bool		 plan_phone_valid(const char *s);

/**
 * Read a plan from a JSON object {section: [...]} (every section optional;
 * text sections hold strings, contact sections {name, phone}).  Lines are
 * trimmed and empty ones dropped.  Returns NULL with *out filled (strings
 * copied into a), or the name of the first invalid field
 * ("helpers[1].phone", "reasons", "colour") in the arena.
 */
const char	*plan_from_json(struct arena *a, json_t *obj, struct crisis_plan *out);

/**
 * Read a plan from form fields "<section>_<i>" (text) and
 * "<section>_<i>_name" / "<section>_<i>_phone" (contacts), i from 1 to
 * PLAN_ITEMS_MAX, through get(ud, name).  Blank lines are skipped.
 * Returns NULL, or the form name of the first invalid field.
 */
const char	*plan_from_form(struct arena *a, const char *(*get)(void *ud, const char *name),
		    void *ud, struct crisis_plan *out);

/** The plan's sections as JSON {warning_signs: [...], ...}. */
json_t		*plan_sections_json(const struct crisis_plan *p);
/** One section as a JSON array (what is stored, encrypted). */
json_t		*plan_section_json(const struct crisis_plan *p, enum plan_section s);
/**
 * Read one stored section (a JSON array) into p; false if it is not a
 * valid section (the stored copy is checked like input).
 */
bool		 plan_section_from_json(struct arena *a, json_t *arr, enum plan_section s,
		    struct crisis_plan *p);

#endif
