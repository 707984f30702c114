/*
 * Unit tests for safety/crisis_lang.c, table-driven: the examples the
 * issue names, idioms and negations in both languages, normalisation
 * (case, accents, apostrophes, stretched letters, "wanna"), goodbyes
 * masked by ordinary plans, quotes of songs, the distant past, other
 * people, categories, any bytes and any length, and the command's stream
 * (one answer per line, even for a line over the limit).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "safety/cli.h"
#include "safety/crisis_lang.h"

struct tcase {
	const char	*text;
	bool		 flagged;
};

static const struct tcase cases[] = {
	/* the examples */
	{ "I'm dying to get to the meeting", false },
	{ "I don't want to be here anymore", true },
	{ "me muero de ganas de ir", false },
	{ "ya no quiero vivir", true },
	/* normalisation */
	{ "I DON'T WANT TO BE HERE ANYMORE", true },
	{ "i dont want to be here anymore", true },
	{ "I don\xe2\x80\x99t want to be here anymore", true },	/* curly apostrophe */
	{ "I do not want to be here anymore", true },
	{ "i wanna dieeee", true },
	{ "kms", true },
	{ "YA NO QUIERO VIVIR", true },
	{ "Ya no quiero vívir", true },
	{ "me QUIERO morir", true },
	{ "q ganas de morirme", true },
	/* negation and idioms */
	{ "I would never kill myself", false },
	{ "I'm not going to hurt myself, I promise", false },
	{ "not gonna lie I want to die", true },
	{ "I don't know why, I want to die", true },
	{ "No quiero morir", false },
	{ "Nunca me quitaría la vida", false },
	{ "Me muero de risa", false },
	{ "Me quiero morir de la vergüenza", false },
	{ "Voy a cortarme el pelo", false },
	{ "Quiero cortarme las venas", true },
	{ "I cut myself shaving", false },
	{ "I cut myself again", true },
	{ "That cake was to die for", false },
	{ "I don't want to live forever", false },
	{ "I don't want to live anymore", true },
	/* the distant past, and now again */
	{ "Two years ago I tried to kill myself, and today I'm grateful", false },
	{ "I tried to kill myself last night", true },
	{ "Years ago I wanted to die and tonight I want to die again", true },
	{ "Hace dos años intenté matarme y hoy agradezco estar viva", false },
	{ "Anoche intenté matarme", true },
	/* other people */
	{ "My friend says she wants to kill herself", false },
	{ "He wants to die", false },
	{ "My mom would be better off without me", true },
	/* goodbyes and plans */
	{ "Goodbye everyone, I love you all", true },
	{ "Goodbye everyone, see you Thursday!", false },
	{ "Adiós a todos, los quiero", true },
	{ "Adiós a todos, nos vemos el jueves", false },
	/* weak signs: one is ordinary, two different ones are not */
	{ "I'm so tired, I give up", false },
	{ "Goodbye. I love you all. I'm sorry.", true },
	/* songs */
	{ "Listening to \"I want to die\" on repeat, what a song", false },
	{ "He said \"I want to die\" and left", true },
	/* overdose and self-harm */
	{ "I'm going to take all my pills tonight", true },
	{ "I'm going to take my pills and go to bed", false },
	{ "Tonight's topic is overdose prevention", false },
	{ "Me tomé un frasco entero de pastillas", true },
	{ "The urge to self-harm is strong", true },
	/* nothing */
	{ "", false },
	{ "   \n\t  ", false },
	{ "See you at the meeting", false },
};

static void
test_cases(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool got = crisis_text_flags(cases[i].text, strlen(cases[i].text));

		if (got != cases[i].flagged)
			fail_msg("\"%s\": expected %d, got %d", cases[i].text, cases[i].flagged, got);
	}
}

static void
test_categories(void **state)
{
	struct crisis_result r;
	const char *t;

	(void)state;
	t = "I want to overdose";
	crisis_scan(t, strlen(t), &r);
	assert_true(r.flagged);
	assert_int_equal(r.categories, CRISIS_OVERDOSE);
	assert_non_null(r.rule);
	t = "I want to hurt myself";
	crisis_scan(t, strlen(t), &r);
	assert_int_equal(r.categories, CRISIS_SELF_HARM);
	t = "I want to die";
	crisis_scan(t, strlen(t), &r);
	assert_int_equal(r.categories, CRISIS_SUICIDE);
	t = "See you tomorrow";
	crisis_scan(t, strlen(t), &r);
	assert_false(r.flagged);
	assert_int_equal(r.categories, 0);
	assert_null(r.rule);
	assert_string_equal(crisis_category_token(CRISIS_SELF_HARM), "self_harm");
	assert_null(crisis_category_token(0));
}

struct names {
	char	 buf[8192];
	size_t	 len;
};

static void
add_name(void *arg, const char *name, size_t len)
{
	struct names *n = arg;

	if (n->len + len + 2 < sizeof(n->buf)) {
		n->buf[n->len++] = ' ';
		memcpy(n->buf + n->len, name, len);
		n->len += len;
		n->buf[n->len] = '\0';
	}
}

/* The model's features: words, idiom masks, negation, concepts together. */
static void
test_features(void **state)
{
	struct names n;
	const char *t;

	(void)state;
	memset(&n, 0, sizeof(n));
	t = "Quisiera esfumarme para siempre";
	crisis_features(t, strlen(t), add_name, &n);
	assert_non_null(strstr(n.buf, " w:esfumarme "));
	assert_non_null(strstr(n.buf, " c:want "));
	assert_non_null(strstr(n.buf, " cc:want_gone "));
	assert_non_null(strstr(n.buf, " cs:want_gone_forever"));
	memset(&n, 0, sizeof(n));
	t = "I'm dying to see you";
	crisis_features(t, strlen(t), add_name, &n);
	assert_non_null(strstr(n.buf, " m:dying "));
	assert_null(strstr(n.buf, " c:death"));
	memset(&n, 0, sizeof(n));
	t = "I don't want to live";
	crisis_features(t, strlen(t), add_name, &n);
	assert_non_null(strstr(n.buf, " n:live "));
	assert_non_null(strstr(n.buf, " nc:live "));
	memset(&n, 0, sizeof(n));
	t = "My friend wants to die";
	crisis_features(t, strlen(t), add_name, &n);
	assert_non_null(strstr(n.buf, " tc:death"));
}

/*
 * The two halves together, on texts of the training sets: the model alone
 * flags new wording the rules miss, and vetoes a rule on a text it is
 * sure is ordinary.
 */
static void
test_model(void **state)
{
	struct crisis_result r;
	const char *t;

	(void)state;
	t = "The pills are starting to kick in";
	crisis_scan_with(t, strlen(t), CRISIS_USE_RULES, &r);
	assert_false(r.flagged);
	crisis_scan(t, strlen(t), &r);
	assert_true(r.flagged);
	assert_string_equal(r.rule, "model");
	assert_true(r.score >= crisis_model_cutoff() && r.score <= 1.0f);
	assert_true(r.why[0] != '\0');
	assert_int_not_equal(r.categories, 0);

	t = "Prefiero morir antes que cantar en el karaoke, jaja";
	crisis_scan_with(t, strlen(t), CRISIS_USE_RULES, &r);
	assert_true(r.flagged);
	crisis_scan(t, strlen(t), &r);
	assert_false(r.flagged);
	assert_null(r.rule);
	assert_int_equal(r.categories, 0);

	/* the model alone gives no flag on an ordinary note */
	t = "rough day";
	crisis_scan_with(t, strlen(t), CRISIS_USE_MODEL, &r);
	assert_false(r.flagged);
	assert_true(r.score < crisis_model_cutoff());
}

static void
test_any_bytes(void **state)
{
	static const char nul[] = "I want\0to die";
	static const char bad[] = "I want \xff\xfe to \xc3 die";
	static const char trunc[] = "me quiero morir \xe2\x80";
	unsigned char all[256];
	size_t i;

	(void)state;
	assert_false(crisis_text_flags(NULL, 0));
	/* A NUL byte is a separator like any other. */
	assert_true(crisis_text_flags(nul, sizeof(nul) - 1));
	assert_true(crisis_text_flags(bad, sizeof(bad) - 1));
	assert_true(crisis_text_flags(trunc, sizeof(trunc) - 1));
	for (i = 0; i < sizeof(all); i++)
		all[i] = (unsigned char)i;
	assert_false(crisis_text_flags((const char *)all, sizeof(all)));
}

/* A phrase at the very end of a long text is still found, in constant memory. */
static void
test_long_text(void **state)
{
	const char *filler = "we talked about the week and the weather ";
	const char *end = "and I want to die";
	size_t fl = strlen(filler), n = 200000 / fl, i, len = 0;
	char *text = malloc(n * fl + strlen(end) + 1);

	(void)state;
	assert_non_null(text);
	for (i = 0; i < n; i++) {
		memcpy(text + len, filler, fl);
		len += fl;
	}
	assert_false(crisis_text_flags(text, len));
	memcpy(text + len, end, strlen(end));
	len += strlen(end);
	assert_true(crisis_text_flags(text, len));
	/* One enormous word is cut, not overflowed. */
	memset(text, 'a', len);
	assert_false(crisis_text_flags(text, len));
	free(text);
}

static char *
run_stream(const char *input, size_t len, bool explain)
{
	FILE *in = fmemopen((void *)input, len, "r");
	char *out = NULL;
	size_t outlen = 0;
	FILE *o = open_memstream(&out, &outlen);

	assert_non_null(in);
	assert_non_null(o);
	assert_int_equal(safety_crisis_scan_stream(in, o, explain), 0);
	fclose(in);
	fclose(o);
	return out;
}

static void
test_stream(void **state)
{
	static const char input[] = "I want to die\r\n\nsee you soon\nme quiero morir";
	char *out;

	(void)state;
	out = run_stream(input, sizeof(input) - 1, false);
	assert_string_equal(out, "1\n0\n0\n1\n");
	free(out);
	/* --explain: the categories, then what fired */
	out = run_stream("I want to overdose\nhello\n", 25, true);
	assert_true(strncmp(out, "1\toverdose\trule: ", 17) == 0);
	assert_non_null(strstr(out, "overdose|od|overdosing\n0\n"));
	free(out);
	out = run_stream("", 0, false);
	assert_string_equal(out, "");
	free(out);
}

/* A line longer than CRISIS_LINE_MAX is judged on its start and still answered once. */
static void
test_stream_long_line(void **state)
{
	size_t len = CRISIS_LINE_MAX + 4096, i;
	char *input = malloc(len + 32), *out;

	(void)state;
	assert_non_null(input);
	memcpy(input, "I want to die ", 14);
	for (i = 14; i < len; i++)
		input[i] = 'x';
	memcpy(input + len, "\nhello\n", 7);
	out = run_stream(input, len + 7, false);
	assert_string_equal(out, "1\n0\n");
	free(out);
	free(input);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_categories),
		cmocka_unit_test(test_features),
		cmocka_unit_test(test_model),
		cmocka_unit_test(test_any_bytes),
		cmocka_unit_test(test_long_text),
		cmocka_unit_test(test_stream),
		cmocka_unit_test(test_stream_long_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
