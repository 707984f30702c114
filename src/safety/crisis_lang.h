/*
 * crisis_lang.h: does a piece of free text speak of self-harm, suicide or
 * overdose risk?  English and Spanish.
 *
 * Pure and allocation-free after a one-time compilation of the rule
 * tables (thread-safe), so it can be fuzzed, benchmarked and called from
 * any request thread.  Any bytes are accepted: invalid UTF-8 is skipped,
 * text of any length is scanned in constant memory.
 *
 * How it decides (crisis_lang.c has the details, crisis_rules.c the
 * phrases):
 *
 *   1. Normalise: lower case, accents folded (á -> a, ñ -> n), apostrophes
 *      dropped inside words (don't -> dont), a few spellings merged
 *      (wanna -> want to, do not -> dont, kms -> kill myself, q -> que),
 *      stretched letters tolerated ("dieee").
 *   2. Split into sentences and, inside them, clauses (commas, "and",
 *      "but", "because", "y", "pero", "porque" ...).
 *   3. Idioms are masked first ("dying to", "to die for", "me muero de
 *      ganas", "cut myself shaving", "suicide prevention" ...): a risk
 *      phrase touching a masked word does not count.
 *   4. Risk phrases match with small gaps; each is then dropped if a
 *      negation precedes it in its clause ("I would never kill myself"),
 *      if it speaks of someone else ("she wants to die"), if the sentence
 *      places it in the distant past ("two years ago I tried to ...")
 *      unless its clause says it is happening now again, if the sentence
 *      says it has passed ("those thoughts are gone"), or, for goodbyes,
 *      if the sentence is about ordinary comings and goings ("goodbye
 *      everyone, see you Thursday").  Quoted text counts unless the text
 *      speaks of a song.
 *   5. The phrase rules only know the wordings they were written for, so a
 *      learned model (crisis_model.h: a logistic regression over words,
 *      letter 4-grams and concept-lexicon co-occurrences of the same
 *      sentences, trained by scripts/crisis_train.py) reads every text
 *      too.  The text is flagged when the model's probability reaches its
 *      threshold, or when a rule fired and the model is not all but
 *      certain the text is ordinary (docs/CRISIS.md has the method and
 *      the figures).
 *
 * The rules lean towards flagging: missing a real crisis is worse than a
 * false alarm.  A flag is a reason to offer help and tell a person, never
 * a diagnosis.
 */
#ifndef CIRCLES_SAFETY_CRISIS_LANG_H
#define CIRCLES_SAFETY_CRISIS_LANG_H

#include <stdbool.h>
#include <stddef.h>

/* What a flagged text spoke of (bits of crisis_result.categories). */
#define CRISIS_SUICIDE		0x1u	/* suicide, wanting to die, goodbyes, plans and means */
#define CRISIS_SELF_HARM	0x2u	/* hurting oneself */
#define CRISIS_OVERDOSE		0x4u	/* overdose intent or an overdose under way */

/** Longest line `circles crisis-scan` reads; the rest of a longer line is skipped. */
#define CRISIS_LINE_MAX		(1024 * 1024)

/* What crisis_scan_with() uses (bits). */
#define CRISIS_USE_RULES	0x1u	/* the phrase rules of crisis_rules.c */
#define CRISIS_USE_MODEL	0x2u	/* the learned model of crisis_model.c */

#define CRISIS_WHY_MAX		100

struct crisis_result {
	bool		 flagged;
	unsigned	 categories;	/* CRISIS_* bits, 0 when not flagged */
	const char	*rule;		/* the first phrase that matched (tests, --explain), "model"
					   when only the model flagged, or NULL */
	float		 score;		/* the model's probability (0 when it was not used) */
	char		 why[CRISIS_WHY_MAX];	/* when the model flagged: its heaviest features */
};

/** Scan text[0..len) (any bytes; text may be NULL when len is 0) with rules and model. */
void	crisis_scan(const char *text, size_t len, struct crisis_result *out);

/** Scan with the rules, the model or both (CRISIS_USE_* bits): for evaluation. */
void	crisis_scan_with(const char *text, size_t len, unsigned use, struct crisis_result *out);

/**
 * The model's feature names for text[0..len), each passed to emit (with
 * repeats), in the order the model sees them: what scripts/crisis_train.py
 * learns from.
 */
void	crisis_features(const char *text, size_t len,
	    void (*emit)(void *arg, const char *name, size_t len), void *arg);

/** The model's decision threshold (a probability). */
float	crisis_model_cutoff(void);

/** True if text[0..len) speaks of self-harm, suicide or overdose risk. */
bool	crisis_text_flags(const char *text, size_t len);

/** The category bit's token ("suicide", "self_harm", "overdose"), or NULL. */
const char *crisis_category_token(unsigned category);

#endif
