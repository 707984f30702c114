/*
 * sms_command.c: the text-message command parser (see sms_command.h).
 *
 * Two steps.  normalize() turns the body into lower-case ASCII words
 * separated by single spaces: Spanish accents fold to their letters (á -> a,
 * ñ -> n), other characters and punctuation become spaces, a decimal point
 * between digits stays, a comma between digits becomes its own "," word
 * (a decimal comma for hours of sleep, a separator anywhere else), and
 * "/10" after a number is dropped.  Then the words are matched against
 * small tables of English and Spanish keywords.  Everything lives in fixed
 * buffers on the stack: no allocation, nothing kept between calls.
 */
#include "checkins/sms_command.h"

#include <stdbool.h>
#include <string.h>

#define MAX_WORDS	48
#define NORM_MAX	(SMS_BODY_MAX + 64)

struct words {
	char		 buf[NORM_MAX];
	const char	*w[MAX_WORDS];
	size_t		 n;
	bool		 overflow;
};

static bool
is_digit(int ch)
{
	return ch >= '0' && ch <= '9';
}

/* Length of a UTF-8 sequence from its lead byte (1 for stray bytes). */
static size_t
seq_len(unsigned char b)
{
	if (b >= 0xf0 && b <= 0xf4)
		return 4;
	if (b >= 0xe0)
		return 3;
	if (b >= 0xc2 && b < 0xe0)
		return 2;
	return 1;
}

/* The ASCII letter a two-byte Latin-1 letter folds to, or 0. */
static char
fold_latin1(unsigned char b1, unsigned char b2)
{
	if (b1 != 0xc3)
		return 0;
	switch (b2 | 0x20) {	/* 0x81 Á and 0xa1 á differ by 0x20 */
	case 0xa1: case 0xa0: case 0xa2: case 0xa4:
		return 'a';
	case 0xa9: case 0xa8: case 0xaa: case 0xab:
		return 'e';
	case 0xad: case 0xac: case 0xae: case 0xaf:
		return 'i';
	case 0xb3: case 0xb2: case 0xb4: case 0xb6:
		return 'o';
	case 0xba: case 0xb9: case 0xbb: case 0xbc:
		return 'u';
	case 0xb1:
		return 'n';
	default:
		return 0;
	}
}

/* Append one character to the normalized text, collapsing spaces. */
static void
put(char *out, size_t *o, char ch)
{
	if (*o + 2 >= NORM_MAX)
		return;
	if (ch == ' ' && (*o == 0 || out[*o - 1] == ' '))
		return;
	out[(*o)++] = ch;
}

static void
normalize(const char *in, size_t len, struct words *w)
{
	size_t i = 0, o = 0;
	char *out = w->buf;

	while (i < len) {
		unsigned char b = (unsigned char)in[i];
		char prev = o > 0 ? out[o - 1] : ' ';

		if (b < 0x80) {
			char ch = (char)b;

			if (ch >= 'A' && ch <= 'Z')
				put(out, &o, (char)(ch - 'A' + 'a'));
			else if ((ch >= 'a' && ch <= 'z') || is_digit(ch))
				put(out, &o, ch);
			else if (ch == '.' && is_digit(prev) && i + 1 < len && is_digit(in[i + 1]))
				put(out, &o, '.');
			else if (ch == ',' && is_digit(prev) && i + 1 < len && is_digit(in[i + 1])) {
				put(out, &o, ' ');
				put(out, &o, ',');
				put(out, &o, ' ');
			} else if (ch == '/' && is_digit(prev)) {
				/* "2/10": keep the 2, drop the scale */
				i++;
				while (i < len && is_digit(in[i]))
					i++;
				put(out, &o, ' ');
				continue;
			} else if (ch == '?') {
				put(out, &o, ' ');
				put(out, &o, '?');
				put(out, &o, ' ');
			} else
				put(out, &o, ' ');
			i++;
			continue;
		}
		{
			size_t n = seq_len(b);
			char f = 0;

			if (n == 2 && i + 1 < len)
				f = fold_latin1(b, (unsigned char)in[i + 1]);
			put(out, &o, f ? f : ' ');
			i += n;
		}
	}
	while (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';

	/* split into words in place */
	w->n = 0;
	w->overflow = false;
	for (char *p = out; *p != '\0';) {
		if (w->n == MAX_WORDS) {
			w->overflow = true;
			break;
		}
		w->w[w->n++] = p;
		while (*p != '\0' && *p != ' ')
			p++;
		if (*p == ' ')
			*p++ = '\0';
	}
}

/* ---- keyword tables ---- */

struct kw {
	const char	*word;
	enum sms_lang	 lang;
};

#define EN	SMS_LANG_EN
#define ES	SMS_LANG_ES
#define ANY	SMS_LANG_NONE

static const struct kw stop_words[] = {
	{ "stop", EN }, { "stopall", EN }, { "unsubscribe", EN }, { "cancel", EN },
	{ "end", EN }, { "quit", EN }, { "alto", ES }, { "parar", ES }, { "para", ES },
	{ "baja", ES }, { "detener", ES }, { "cancelar", ES }, { NULL, ANY },
};
static const struct kw start_words[] = {
	{ "start", EN }, { "unstop", EN }, { "subscribe", EN }, { "resume", EN },
	{ "alta", ES }, { "iniciar", ES }, { "inicio", ES }, { "comenzar", ES },
	{ "reanudar", ES }, { NULL, ANY },
};
static const struct kw help_words[] = {
	{ "help", EN }, { "info", ANY }, { "commands", EN }, { "?", ANY },
	{ "ayuda", ES }, { "informacion", ES }, { "comandos", ES }, { NULL, ANY },
};
static const struct kw sos_words[] = {
	{ "sos", ANY }, { "emergency", EN }, { "crisis", ANY }, { "auxilio", ES },
	{ "socorro", ES }, { "emergencia", ES }, { NULL, ANY },
};
static const struct kw meeting_words[] = {
	{ "meetings", EN }, { "meeting", EN }, { "meet", EN }, { "groups", EN },
	{ "reuniones", ES }, { "reunion", ES }, { "juntas", ES }, { "grupos", ES },
	{ NULL, ANY },
};
static const struct kw checkin_words[] = {
	{ "checkin", EN }, { "ci", ANY }, { "registro", ES }, { "registrar", ES },
	{ "chequeo", ES }, { NULL, ANY },
};

enum field { F_NONE = -1, F_MOOD, F_CRAVING, F_STRESS, F_SLEEP, F_USED };

static const struct {
	const char	*word;
	enum sms_lang	 lang;
	enum field	 field;
} field_words[] = {
	{ "mood", EN, F_MOOD }, { "feeling", EN, F_MOOD },
	{ "animo", ES, F_MOOD }, { "humor", ANY, F_MOOD }, { "estado", ES, F_MOOD },
	{ "craving", EN, F_CRAVING }, { "cravings", EN, F_CRAVING }, { "crave", EN, F_CRAVING },
	{ "urge", EN, F_CRAVING }, { "urges", EN, F_CRAVING },
	{ "antojo", ES, F_CRAVING }, { "antojos", ES, F_CRAVING }, { "ansia", ES, F_CRAVING },
	{ "ansias", ES, F_CRAVING }, { "ganas", ES, F_CRAVING }, { "deseo", ES, F_CRAVING },
	{ "stress", EN, F_STRESS }, { "stressed", EN, F_STRESS },
	{ "estres", ES, F_STRESS }, { "estresado", ES, F_STRESS }, { "estresada", ES, F_STRESS },
	{ "sleep", EN, F_SLEEP }, { "slept", EN, F_SLEEP },
	{ "sueno", ES, F_SLEEP }, { "dormi", ES, F_SLEEP }, { "dormir", ES, F_SLEEP },
	{ "used", EN, F_USED }, { "use", ANY, F_USED }, { "using", EN, F_USED },
	{ "uso", ES, F_USED }, { "consumi", ES, F_USED }, { "consumo", ES, F_USED },
	{ NULL, ANY, F_NONE },
};

/* Words that carry nothing inside a check-in. */
static const char *const filler_words[] = {
	"and", "y", "e", "today", "hoy", "is", "es", "my", "mi", "was", "fue", "at", "a",
	"h", "hr", "hrs", "hour", "hours", "horas", "hora", "of", "de", "out", ",", "de",
	"level", "nivel", "i", "yo", "am", "estoy", NULL,
};

static const char *const field_names[] = { "mood", "craving", "stress", "sleep_hours", "used" };

static const struct kw *
find_kw(const struct kw *t, const char *w)
{
	for (; t->word != NULL; t++)
		if (strcmp(t->word, w) == 0)
			return t;
	return NULL;
}

static bool
in_list(const char *const *list, const char *w)
{
	for (; *list != NULL; list++)
		if (strcmp(*list, w) == 0)
			return true;
	return false;
}

static enum field
find_field(const char *w, enum sms_lang *lang)
{
	size_t i;

	for (i = 0; field_words[i].word != NULL; i++)
		if (strcmp(field_words[i].word, w) == 0) {
			*lang = field_words[i].lang;
			return field_words[i].field;
		}
	return F_NONE;
}

struct lang_votes {
	int	en;
	int	es;
};

static void
vote(struct lang_votes *v, enum sms_lang l)
{
	if (l == SMS_LANG_EN)
		v->en++;
	else if (l == SMS_LANG_ES)
		v->es++;
}

static enum sms_lang
verdict(const struct lang_votes *v)
{
	if (v->en > v->es)
		return SMS_LANG_EN;
	if (v->es > v->en)
		return SMS_LANG_ES;
	return SMS_LANG_NONE;
}

/* A whole number of at most three digits. */
static bool
small_int(const char *w, int *out)
{
	int v = 0, n = 0;

	for (; *w != '\0'; w++) {
		if (!is_digit(*w) || ++n > 3)
			return false;
		v = v * 10 + (*w - '0');
	}
	if (n == 0)
		return false;
	*out = v;
	return true;
}

static bool
numeric(const char *w)
{
	if (!is_digit(*w))
		return false;
	for (; *w != '\0'; w++)
		if (!is_digit(*w) && *w != '.')
			return false;
	return true;
}

/*
 * A "used" answer at words[i..]; returns how many words it took (0: none).
 */
static size_t
used_answer(const struct words *w, size_t i, enum checkin_used *out, struct lang_votes *lv)
{
	const char *a = i < w->n ? w->w[i] : "";
	const char *b = i + 1 < w->n ? w->w[i + 1] : "";
	size_t k;

	if (strcmp(a, "yes") == 0 || strcmp(a, "y") == 0) {
		vote(lv, SMS_LANG_EN);
		*out = CHECKIN_USED_YES;
		return 1;
	}
	if (strcmp(a, "si") == 0 || strcmp(a, "s") == 0) {
		vote(lv, SMS_LANG_ES);
		*out = CHECKIN_USED_YES;
		return 1;
	}
	if (strcmp(a, "no") == 0 || strcmp(a, "n") == 0) {
		*out = CHECKIN_USED_NO;
		return 1;
	}
	if (strcmp(a, "skip") == 0 || strcmp(a, "pass") == 0 || strcmp(a, "private") == 0) {
		vote(lv, SMS_LANG_EN);
		*out = CHECKIN_USED_PREFER_NOT;
		return 1;
	}
	if (strcmp(a, "paso") == 0 || strcmp(a, "omitir") == 0 || strcmp(a, "privado") == 0) {
		vote(lv, SMS_LANG_ES);
		*out = CHECKIN_USED_PREFER_NOT;
		return 1;
	}
	if (strcmp(a, "prefer") == 0 || strcmp(a, "prefiero") == 0) {
		/* prefer not (to say) / prefiero no (decir|decirlo) */
		vote(lv, strcmp(a, "prefer") == 0 ? SMS_LANG_EN : SMS_LANG_ES);
		*out = CHECKIN_USED_PREFER_NOT;
		k = 1;
		if (strcmp(b, "not") == 0 || strcmp(b, "no") == 0) {
			k++;
			while (i + k < w->n && (strcmp(w->w[i + k], "to") == 0 ||
			    strcmp(w->w[i + k], "say") == 0 || strcmp(w->w[i + k], "decir") == 0 ||
			    strcmp(w->w[i + k], "decirlo") == 0))
				k++;
		}
		return k;
	}
	return 0;
}

static int *
field_slot(struct sms_command *c, enum field f)
{
	switch (f) {
	case F_MOOD:
		return &c->mood;
	case F_CRAVING:
		return &c->craving;
	case F_STRESS:
		return &c->stress;
	case F_SLEEP:
		return &c->sleep_halves;
	default:
		return NULL;
	}
}

static void
bad(struct sms_command *c, enum field f)
{
	if (c->bad_field == NULL)
		c->bad_field = field_names[f];
}

/*
 * A numeric value for field f from words[i..]: hours of sleep take "7.5"
 * or "7 , 5"; the others a whole number.  Returns words taken (0 if the
 * word at i is not a number at all).
 */
static size_t
take_value(struct sms_command *c, const struct words *w, size_t i, enum field f)
{
	const char *a = i < w->n ? w->w[i] : "";
	int v;

	if (!numeric(a))
		return 0;
	if (f == F_SLEEP) {
		char tmp[16];
		size_t k = 1;

		if (strlen(a) < 8 && i + 2 < w->n && strcmp(w->w[i + 1], ",") == 0 &&
		    strlen(w->w[i + 2]) == 1 && strchr(a, '.') == NULL) {
			tmp[0] = '\0';
			strcat(tmp, a);
			strcat(tmp, ".");
			strcat(tmp, w->w[i + 2]);
			a = tmp;
			k = 3;
		}
		if (!checkin_sleep_from_text(a, &v))
			bad(c, f);
		else
			c->sleep_halves = v;
		return k;
	}
	if (!small_int(a, &v) || (f == F_MOOD ? !checkin_mood_valid(v) : !checkin_scale_valid(v)))
		bad(c, f);
	else
		*field_slot(c, f) = v;
	return 1;
}

/* After a value, "of 10" / "out of 10" / "de 10" says the scale: skip it. */
static size_t
skip_scale(const struct words *w, size_t i)
{
	size_t k = i;

	if (k < w->n && strcmp(w->w[k], "out") == 0)
		k++;
	if (k + 1 < w->n && (strcmp(w->w[k], "of") == 0 || strcmp(w->w[k], "de") == 0) &&
	    numeric(w->w[k + 1]))
		return k + 2;
	return i;
}

/* The next field a bare number fills: mood, craving, stress, sleep. */
static enum field
next_positional(const struct sms_command *c, const bool *given)
{
	(void)c;
	for (int f = F_MOOD; f <= F_SLEEP; f++)
		if (!given[f])
			return (enum field)f;
	return F_NONE;
}

static bool
parse_checkin(const struct words *w, struct sms_command *c, struct lang_votes *lv)
{
	bool explicit = false, any = false, given[F_USED + 1] = { false };
	size_t i = 0;

	if (w->n > 0 && find_kw(checkin_words, w->w[0]) != NULL) {
		vote(lv, find_kw(checkin_words, w->w[0])->lang);
		explicit = true;
		i = 1;
	} else if (w->n > 1 && strcmp(w->w[0], "check") == 0 && strcmp(w->w[1], "in") == 0) {
		vote(lv, SMS_LANG_EN);
		explicit = true;
		i = 2;
	}
	while (i < w->n) {
		const char *t = w->w[i];
		enum sms_lang fl = SMS_LANG_NONE;
		enum field f = find_field(t, &fl);
		size_t k;

		if (f != F_NONE) {
			vote(lv, fl);
			any = true;
			given[f] = true;
			i++;
			while (i < w->n && in_list(filler_words, w->w[i]) &&
			    strcmp(w->w[i], ",") != 0)
				i++;	/* "mood is 4", "sleep hours 7" */
			if (f == F_USED) {
				k = used_answer(w, i, &c->used, lv);
				if (k == 0)
					bad(c, f);
			} else {
				k = take_value(c, w, i, f);
				if (k == 0)
					bad(c, f);
			}
			i = skip_scale(w, i + k);
			continue;
		}
		if (numeric(t)) {
			f = next_positional(c, given);
			any = true;
			if (f == F_NONE) {
				i++;		/* a fifth number: nothing left to fill */
				continue;
			}
			given[f] = true;
			i = skip_scale(w, i + take_value(c, w, i, f));
			continue;
		}
		if (!explicit && !any && !in_list(filler_words, t))
			return false;	/* does not start like a check-in */
		i++;			/* a word we do not know: skip it */
	}
	return explicit || any;
}

/*
 * "meetings tonight", "reuniones hoy", "reuniones esta noche": which of the
 * next meetings were asked for.  Tonight wins over today ("hoy en la
 * noche"); other words after the keyword are ignored.
 */
static enum sms_when
meetings_when(const struct words *w, struct lang_votes *lv)
{
	enum sms_when when = SMS_WHEN_ANY;
	size_t i;

	for (i = 1; i < w->n; i++) {
		const char *t = w->w[i];

		if (strcmp(t, "tonight") == 0 || strcmp(t, "tonite") == 0) {
			vote(lv, SMS_LANG_EN);
			when = SMS_WHEN_TONIGHT;
		} else if (strcmp(t, "noche") == 0) {
			vote(lv, SMS_LANG_ES);
			when = SMS_WHEN_TONIGHT;
		} else if (strcmp(t, "today") == 0 && when == SMS_WHEN_ANY) {
			vote(lv, SMS_LANG_EN);
			when = SMS_WHEN_TODAY;
		} else if (strcmp(t, "hoy") == 0 && when == SMS_WHEN_ANY) {
			vote(lv, SMS_LANG_ES);
			when = SMS_WHEN_TODAY;
		}
	}
	return when;
}

/*
 * A request for the member's crisis plan: "plan", "my plan", "mi plan",
 * "safety plan", "my safety plan", "plan de seguridad", "mi plan de
 * seguridad".  The message must start that way; words after it are
 * ignored ("plan please", "plan por favor").
 */
static bool
plan_request(const struct words *w, struct lang_votes *out)
{
	struct lang_votes mine = { 0, 0 }, *lv = &mine;
	size_t i = 0;

	if (i < w->n && strcmp(w->w[i], "my") == 0) {
		vote(lv, SMS_LANG_EN);
		i++;
	} else if (i < w->n && strcmp(w->w[i], "mi") == 0) {
		vote(lv, SMS_LANG_ES);
		i++;
	}
	if (i < w->n && strcmp(w->w[i], "safety") == 0) {
		vote(lv, SMS_LANG_EN);
		i++;
	}
	if (i >= w->n || strcmp(w->w[i], "plan") != 0)
		return false;
	i++;
	if (i < w->n && strcmp(w->w[i], "de") == 0)
		i++;
	if (i < w->n && strcmp(w->w[i], "seguridad") == 0)
		vote(lv, SMS_LANG_ES);
	*out = mine;
	return true;
}

static void
reset(struct sms_command *c)
{
	memset(c, 0, sizeof(*c));
	c->mood = CHECKIN_SKIPPED;
	c->craving = CHECKIN_SKIPPED;
	c->stress = CHECKIN_SKIPPED;
	c->sleep_halves = CHECKIN_SKIPPED;
	c->used = CHECKIN_USED_UNSET;
}

void
sms_command_parse(const char *body, size_t len, struct sms_command *out)
{
	struct words w;
	struct lang_votes lv = { 0, 0 };
	const struct kw *k;
	size_t i;

	reset(out);
	if (body == NULL || len > SMS_BODY_MAX) {
		out->kind = SMS_UNKNOWN;
		return;
	}
	normalize(body, len, &w);
	if (w.n == 0) {
		out->kind = SMS_EMPTY;
		return;
	}
	if (w.overflow) {
		out->kind = SMS_UNKNOWN;
		return;
	}

	/* Opting out or in: the whole message is the keyword ("stop all" too). */
	if (w.n == 1 || (w.n == 2 && strcmp(w.w[1], "all") == 0)) {
		if ((k = find_kw(stop_words, w.w[0])) != NULL) {
			out->kind = SMS_STOP;
			out->lang = k->lang;
			return;
		}
		if ((k = find_kw(start_words, w.w[0])) != NULL) {
			out->kind = SMS_START;
			out->lang = k->lang;
			return;
		}
	}
	/* Asking for help now wins wherever the word is. */
	for (i = 0; i < w.n; i++) {
		if ((k = find_kw(sos_words, w.w[i])) != NULL) {
			out->kind = SMS_SOS;
			out->lang = k->lang;
			return;
		}
	}
	if ((k = find_kw(help_words, w.w[0])) != NULL) {
		out->kind = SMS_HELP;
		out->lang = k->lang;
		return;
	}
	if ((k = find_kw(meeting_words, w.w[0])) != NULL) {
		out->kind = SMS_MEETINGS;
		out->lang = k->lang;
		out->when = meetings_when(&w, &lv);
		if (out->lang == SMS_LANG_NONE)
			out->lang = verdict(&lv);
		return;
	}
	if (plan_request(&w, &lv)) {
		out->kind = SMS_PLAN;
		out->lang = verdict(&lv);
		return;
	}
	if (parse_checkin(&w, out, &lv)) {
		out->kind = SMS_CHECKIN;
		out->lang = verdict(&lv);
		return;
	}
	reset(out);
	out->kind = SMS_UNKNOWN;
}

const char *
sms_kind_name(enum sms_kind k)
{
	switch (k) {
	case SMS_EMPTY:
		return "empty";
	case SMS_CHECKIN:
		return "checkin";
	case SMS_MEETINGS:
		return "meetings";
	case SMS_HELP:
		return "help";
	case SMS_SOS:
		return "sos";
	case SMS_STOP:
		return "stop";
	case SMS_START:
		return "start";
	case SMS_PLAN:
		return "plan";
	default:
		return "unknown";
	}
}
