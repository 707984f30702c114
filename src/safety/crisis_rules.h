/*
 * crisis_rules.h: the phrase tables of the crisis-language scanner
 * (internal to src/safety; the engine is crisis_lang.c).
 *
 * A pattern is a space-separated list of elements, matched against the
 * normalised words of one sentence:
 *
 *	word		that word ("dont", "myself": lower case, no accents, no
 *			apostrophes, as the scanner normalises text)
 *	pre*		any word starting with "pre"
 *	a|b+c		one of several alternatives; "+" joins words into a
 *			phrase alternative ("do+not")
 *	[a|b]		optional
 *	~N		up to N words of anything (N is one digit)
 *	$		the end of a clause (a comma, "and", "but", the end of
 *			the sentence ...)
 */
#ifndef CIRCLES_SAFETY_CRISIS_RULES_H
#define CIRCLES_SAFETY_CRISIS_RULES_H

#include <stddef.h>

enum crisis_rule_kind {
	CR_RISK = 1,	/* a phrase of risk: flags the text unless dropped */
	CR_IDIOM,	/* masks its words: a risk phrase touching them does not count */
	CR_PAST,	/* the sentence speaks of a distant past */
	CR_RECENT,	/* the clause speaks of now (overrides CR_PAST for it) */
	CR_RESOLVED,	/* the sentence says it has passed */
	CR_LOGISTICS,	/* ordinary comings and goings: goodbyes in the sentence do not count */
	CR_MUSIC,	/* the text speaks of a song: quoted words do not count */
	CR_WEAK,	/* a weak sign (giving up, a bare goodbye): two different ones flag the text */
};

/* Flags of a CR_RISK rule. */
#define CRF_NONEG	0x01	/* negation and CR_RESOLVED do not drop it (it carries its own) */
#define CRF_GOODBYE	0x02	/* a goodbye: dropped in a sentence with CR_LOGISTICS */
#define CRF_NOMASK	0x04	/* counts even where it touches an idiom */
#define CRF_NOPAST	0x08	/* CR_PAST does not drop it */

struct crisis_rule {
	unsigned char	 kind;		/* enum crisis_rule_kind */
	unsigned char	 category;	/* CRISIS_* bit, for CR_RISK */
	unsigned char	 flags;		/* CRF_*, for CR_RISK */
	const char	*pattern;
};

extern const struct crisis_rule	crisis_rules[];
extern const size_t		crisis_rules_count;

/* Word lists, NULL-terminated. */
extern const char *const crisis_negators[];	/* not, never, dont ... no, nunca ... */
extern const char *const crisis_first_person[];	/* i, me, my ... */
extern const char *const crisis_third_person[];	/* he, she, they, friend ... */
extern const char *const crisis_clause_words[];	/* and, but, because, y, pero ... start a clause */

#endif
