/*
 * crisis_model.h: the learned half of the crisis-language scanner
 * (internal to src/safety; crisis_lang.c feeds it, crisis_model.c scores,
 * crisis_model_data.c holds the weights written by
 * scripts/crisis_train.py).
 *
 * The phrase rules of crisis_rules.c catch the wordings they were written
 * for; this model is there for the wordings nobody wrote down.  Each
 * sentence the scanner builds is turned into named features:
 *
 *	w:word  m:word (inside an idiom)  n:word (after a negation)
 *	b:word_word (neighbours)  g:^wor, g:ord$ (letter 4-grams)
 *	c:CONCEPT (a word of a concept lexicon: death, ending, disappearing,
 *	  sleeping for good, means, finality, burden, hopelessness, hurting
 *	  oneself, overdose ...), nc:/tc:/pc:CONCEPT (negated, said of
 *	  someone else, in a distant past), cc:A_B (two concepts in one
 *	  clause, in order), cs:A_B_C (the clause's concepts in a row)
 *	x:past, x:resolved, x:logistics, x:music (the rules' context)
 *
 * and a logistic regression over the features seen in the text (each
 * counted once) gives a probability; the text is flagged when it reaches
 * the threshold the training script chose.  Feature names are hashed
 * (FNV-1a, 32 bits) and looked up in a sorted table, so a feature the
 * training never saw weighs nothing.  Memory is constant: after
 * CM_MAX_HITS distinct known features the window so far is scored and a
 * new one begins.
 */
#ifndef CIRCLES_SAFETY_CRISIS_MODEL_H
#define CIRCLES_SAFETY_CRISIS_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CM_MAX_HITS	256
#define CM_WHY_MAX	96

/* One normalised word of a sentence, as crisis_lang.c built it. */
struct cm_tok {
	const char	*s;
	unsigned char	 len;
	unsigned	 clause;
	bool		 masked;	/* part of an idiom */
};

/* What the rules' context patterns said about the sentence. */
struct cm_context {
	bool	 past, recent, resolved, logistics, music;
};

typedef void (*cm_emit_fn)(void *arg, const char *name, size_t len);

struct cm_state {
	cm_emit_fn	 emit;		/* features mode: names go here, nothing is scored */
	void		*arg;
	float		 sum;		/* weights of the current window */
	unsigned	 nhit;		/* table entries counted in this window */
	uint32_t	 seen[2 * CM_MAX_HITS];	/* a hash set of them (entry + 1; 0 is empty) */
	float		 best;		/* highest window probability so far */
	unsigned	 cats;		/* CRISIS_* suggested by the concepts seen */
	/* the three heaviest positive features of the best window, for --explain */
	char		 top[3][32];
	float		 topw[3];
	char		 wtop[3][32];
	float		 wtopw[3];
};

/* The weights (crisis_model_data.c, generated). */
struct cm_weight {
	uint32_t	 hash;
	float		 w;
};
extern const struct cm_weight	crisis_model_weights[];	/* sorted by hash */
extern const size_t		crisis_model_nweights;
extern const float		crisis_model_bias;
extern const float		crisis_model_threshold;	/* flag at or above this */
extern const float		crisis_model_veto;	/* a rule's flag stands at or above this */

/** Start a text. */
void	cm_begin(struct cm_state *st, cm_emit_fn emit, void *arg);

/** Add one sentence t[0..n). */
void	cm_sentence(struct cm_state *st, const struct cm_tok *t, int n, const struct cm_context *ctx);

/** End the text: the highest window probability (0..1). */
float	cm_finish(struct cm_state *st);

/** The features' top names as "a b c" into buf (for --explain). */
void	cm_explain(const struct cm_state *st, char *buf, size_t size);

/** FNV-1a of name[0..len) (the training script hashes the same way). */
uint32_t cm_hash(const char *name, size_t len);

#endif
