/*
 * crisis_model.c: features and scoring of the learned half of the
 * crisis-language scanner (see crisis_model.h; the weights are in the
 * generated crisis_model_data.c).
 *
 * The concept lexicons below are what lets the model generalise past the
 * exact wording of its training texts: "I want to vanish for good" and
 * "quisiera esfumarme para siempre" both read as WANT GONE FOREVER.  They
 * are written by hand from what people say, in English and Spanish, in
 * the scanner's normalised spelling (lower case, no accents, no
 * apostrophes); "word*" matches any word starting with "word".  A word
 * belongs to one concept, the first that lists it.
 *
 * Everything here is allocation-free after a one-time build of the
 * lexicon hash table (pthread_once), like the rule tables.
 */
#include "safety/crisis_model.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "safety/crisis_lang.h"

#define NEG_WINDOW	5
#define PERSON_WINDOW	6
#define NAME_MAX_LEN	96
#define TOKEN_GRAM_MAX	32	/* "^" + a word (at most 23 letters) + "$" */

enum concept {
	C_NONE = 0,
	C_FP, C_OTHER, C_NEG, C_DEATH, C_KILL, C_END, C_GONE, C_SLEEP, C_FOREVER, C_LIVE,
	C_WANT, C_CANT, C_TIRED, C_MEANS, C_PILLS, C_HURT, C_BLOOD, C_DRUG, C_OD, C_BURDEN,
	C_BETTER, C_NOBODY, C_HOPELESS, C_REASON, C_PLAN, C_BYE, C_NOW, C_ALL, C_DONE,
	C_OUT, C_PAIN, C_SORRY, C_GIVE, C_NOTE, C_PEOPLE, C_JUMP, C_HEAVEN, C_LAST,
	C_SELF, C_ANYMORE, C_PEACE, C_IDIOM,
	C_COUNT
};

static const char *const concept_names[C_COUNT] = {
	"", "fp", "other", "neg", "death", "kill", "end", "gone", "sleep", "forever", "live",
	"want", "cant", "tired", "means", "pills", "hurt", "blood", "drug", "od", "burden",
	"better", "nobody", "hopeless", "reason", "plan", "bye", "now", "all", "done",
	"out", "pain", "sorry", "give", "note", "people", "jump", "heaven", "last",
	"self", "anymore", "peace", "idiom",
};

static const struct {
	unsigned char	 concept;
	const char	*words;
} lexicon[] = {
	{ C_SELF, "myself mself meself yourself myslf" },
	{ C_FP, "i im ive id ill me my mine yo mi mis conmigo" },
	{ C_OTHER, "he she they hes shes theyre theyve theyd hed him her them his their friend friends "
	    "brother sister cousin someone somebody sponsee sponsor neighbor roommate coworker patient "
	    "client character el ella ellos ellas amigo amiga amigos amigas hermano hermana primo prima "
	    "vecino vecina companero companera alguien padrino madrina ahijado ahijada" },
	{ C_NEG, "not never no dont doesnt didnt wont wouldnt isnt arent wasnt werent havent hasnt "
	    "hadnt cant cannot couldnt nor neither nunca jamas tampoco ni nadie nada" },
	{ C_ANYMORE, "anymore longer mas" },
	{ C_DEATH, "die dies dying died dead death deaths deadly suicid* unaliv* morir* muer* muere* "
	    "muero muera mueran murio mori fallec* difunto fatal lethal letal mortal grave graves "
	    "funeral tumba ataud coffin casket cementerio cemetery corpse cadaver" },
	{ C_KILL, "kill* kms matar* mato mate matare matando quitarme quitar* off offing" },
	{ C_END, "end ends ending ended over finish* stop stops stopped stopping terminar* termine "
	    "termina acabar* acabe acaba acabo final fin finale" },
	{ C_GONE, "disappear* vanish* gone away fade fading desaparec* esfum* borrarme borrar* "
	    "irme ausente invisible exist existing existed existence existir* exista existo" },
	{ C_SLEEP, "sleep sleeping asleep wake waking woke awake wakeup dormir* duermo duerma "
	    "despertar* despierte despierto amanecer* rest" },
	{ C_FOREVER, "forever permanently good eternal* eternity siempre eterna* eterno definitiv* "
	    "permanente*" },
	{ C_LIVE, "live living alive life lives breathe breathing vivir* vida vivo viva vivos "
	    "respirar* seguir sigo continuar* here around aqui earth world mundo tierra" },
	{ C_WANT, "want wants wanted wanting wish wishing wished hope hoping rather ready need "
	    "tempted quiero quisiera queria ojala deseo desearia ganas prefiero preferiria listo "
	    "lista necesito pray praying" },
	{ C_CANT, "cant couldnt unable puedo aguanto soporto aguantar* soportar* handle bear" },
	{ C_TIRED, "tired exhausted sick fed harto harta cansado cansada cansad* agotado agotada "
	    "hastiado drained" },
	{ C_MEANS, "rope noose gun guns pistol rifle firearm bullet bullets blade blades razor razors "
	    "knife knives bridge roof rooftop ledge cliff tracks train overpass balcony window "
	    "bleach poison belt cord garage exhaust cuerda soga pistola arma armas bala balas navaja "
	    "navajas cuchillo cuchillas cuchilla puente azotea vias tren cornisa balcon ventana "
	    "veneno cloro cinturon precipicio barranco edificio building highway carretera traffic" },
	{ C_PILLS, "pill pills meds tablets tablet bottle xanax benzos oxy* percocet tylenol "
	    "ambien seroquel insulin tramadol sleeping painkillers medication medications "
	    "pastilla pastillas pildoras medicina medicinas medicamento* tabletas frasco "
	    "clonazepam rivotril paracetamol insulina somniferos antidepresivos dose dosis dosage "
	    "stockpil* stash* hoard* acumul* guardadas" },
	{ C_HURT, "hurt hurting harm harming cut cutting cuts burn burning burns scratch* carve "
	    "carving punch* hit hitting selfharm* injur* mutilat* lastim* cortar* corto cortando "
	    "cortes cortarme quemar* quemo quemando rasgun* golpe* pegarme herir* heridas "
	    "punish* castigar*" },
	{ C_BLOOD, "blood bleed bleeding bled wrist wrists veins scars scar sangre sangrar* "
	    "desangr* muneca munecas venas cicatrices arms legs thighs brazos piernas" },
	{ C_DRUG, "use using used relapse fent fentanyl heroin dope shoot shooting inject* needle "
	    "drink drinking vodka alcohol fentanilo heroina droga drogas drogarme consumir* "
	    "inyectar* jeringa chupar beber* tomar* tomarme" },
	{ C_OD, "overdose overdosing overdosed od odd odding sobredosis" },
	{ C_BURDEN, "burden burdens weight problem problems estorbo carga cargas molestia lastre "
	    "stone drag" },
	{ C_BETTER, "better easier happier lighter relieved relief alivio mejor mejores felices "
	    "tranquilos tranquilas aliviados" },
	{ C_NOBODY, "nobody noone nadie alone lonely solo sola miss notice care extranar* "
	    "extranaria notaria notar* importa importaria" },
	{ C_HOPELESS, "hopeless pointless meaningless worthless useless hope point sense "
	    "esperanza desesperanza sentido salida futuro future trapped atrapado atrapada "
	    "empty vacio vacia nothing nada inutil" },
	{ C_REASON, "reason reasons worth razon razones vale pena motivo motivos" },
	{ C_PLAN, "plan plans planned planning planeo planeando decided decide decidi decidido "
	    "decidida chose chosen picked escogi elegi date fecha method methods metodo how "
	    "como cuantas cuantos enough suficiente suficientes" },
	{ C_BYE, "goodbye goodbyes bye farewell adios despedida despedi* despido despedirme "
	    "chao" },
	{ C_NOW, "tonight today now soon tomorrow noche hoy ahora manana pronto weekend" },
	{ C_ALL, "everything all todo toda todas todos whole entero entera" },
	{ C_DONE, "done quit give giving gave up rindo rendirme rendi harto" },
	{ C_OUT, "out escape exit way escapar* escape salir* salirme huir" },
	{ C_PAIN, "pain suffering hurts dolor sufrir* sufrimiento duele misery miseria agony" },
	{ C_SORRY, "sorry forgive perdon perdonen* perdoname siento" },
	{ C_GIVE, "giving gave give given away regal* regale regalando donar* entregar*" },
	{ C_NOTE, "note notes letter letters will testament nota notas carta cartas testamento "
	    "passwords password contrasenas claves" },
	{ C_PEOPLE, "everyone everybody family kids children wife husband mom dad mother father "
	    "parents son daughter todos familia hijos hijo hija esposa esposo mama papa padres "
	    "mundo people gente" },
	{ C_JUMP, "jump jumping jumped leap fall falling throw step stepping hang hanging hanged "
	    "drown drowning saltar* tirarme aventarme lanzarme arrojarme ahorcar* colgarme "
	    "ahogarme ahogar* crash crashing chocar* estrellarme" },
	{ C_HEAVEN, "heaven cielo grandma grandpa abuela abuelo paradise other side" },
	{ C_LAST, "last ultima ultimo ultimas ultimos once again anymore" },
	{ C_PEACE, "peace paz peaceful quiet silence silencio descansar descanso dark darkness "
	    "oscuridad negro black" },
	{ 0, NULL },
};

/* ---- lexicon hash table ---- */

#define LEX_SLOTS	4096

struct lex_slot {
	const char	*s;
	unsigned char	 len;
	bool		 prefix;
	unsigned char	 concept;
};

static struct lex_slot	lex[LEX_SLOTS];
static pthread_once_t	lex_once = PTHREAD_ONCE_INIT;

uint32_t
cm_hash(const char *name, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)name[i];
		h *= 16777619u;
	}
	return h;
}

static struct lex_slot *
lex_find(const char *s, size_t len, bool want_prefix)
{
	uint32_t h = cm_hash(s, len) ^ (want_prefix ? 0x9e3779b9u : 0);
	size_t i = h & (LEX_SLOTS - 1);

	for (;;) {
		struct lex_slot *e = &lex[i];

		if (e->s == NULL)
			return e;
		if (e->len == len && e->prefix == want_prefix && memcmp(e->s, s, len) == 0)
			return e;
		i = (i + 1) & (LEX_SLOTS - 1);
	}
}

static void
build_lexicon(void)
{
	size_t i, used = 0;

	for (i = 0; lexicon[i].words != NULL; i++) {
		const char *p = lexicon[i].words;

		while (*p != '\0') {
			const char *end = strchr(p, ' ');
			size_t len = end ? (size_t)(end - p) : strlen(p);
			bool prefix = len > 0 && p[len - 1] == '*';
			struct lex_slot *e;

			if (prefix)
				len--;
			if (len > 0) {
				e = lex_find(p, len, prefix);
				if (e->s == NULL) {
					if (++used > LEX_SLOTS / 2)
						abort();	/* the table is too small: a programming error */
					e->s = p;
					e->len = (unsigned char)len;
					e->prefix = prefix;
					e->concept = lexicon[i].concept;
				}
			}
			p += len + (prefix ? 1 : 0);
			while (*p == ' ')
				p++;
		}
	}
}

static enum concept
concept_of(const char *s, size_t len)
{
	struct lex_slot *e;
	size_t k;

	e = lex_find(s, len, false);
	if (e->s != NULL)
		return (enum concept)e->concept;
	for (k = len; k >= 3; k--) {
		e = lex_find(s, k, true);
		if (e->s != NULL)
			return (enum concept)e->concept;
	}
	return C_NONE;
}

/* ---- scoring ---- */

static const struct cm_weight *
weight_of(uint32_t h)
{
	size_t lo = 0, hi = crisis_model_nweights;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (crisis_model_weights[mid].hash < h)
			lo = mid + 1;
		else if (crisis_model_weights[mid].hash > h)
			hi = mid;
		else
			return &crisis_model_weights[mid];
	}
	return NULL;
}

static float
sigmoid(float x)
{
	return 1.0f / (1.0f + expf(-x));
}

static void
keep_top(char top[3][32], float topw[3], const char *name, size_t len, float w)
{
	int k, j;

	for (k = 0; k < 3; k++)
		if (top[k][0] == '\0' || w > topw[k])
			break;
	if (k == 3)
		return;
	for (j = 2; j > k; j--) {
		memcpy(top[j], top[j - 1], sizeof(top[j]));
		topw[j] = topw[j - 1];
	}
	if (len > sizeof(top[k]) - 1)
		len = sizeof(top[k]) - 1;
	memcpy(top[k], name, len);
	top[k][len] = '\0';
	topw[k] = w;
}

static void
close_window(struct cm_state *st)
{
	float p;

	if (st->nhit == 0)
		return;
	p = sigmoid(crisis_model_bias + st->sum);
	if (p > st->best) {
		st->best = p;
		memcpy(st->top, st->wtop, sizeof(st->top));
		memcpy(st->topw, st->wtopw, sizeof(st->topw));
	}
	st->sum = 0;
	st->nhit = 0;
	memset(st->seen, 0, sizeof(st->seen));
	memset(st->wtop, 0, sizeof(st->wtop));
}

static void
feature(struct cm_state *st, const char *name, size_t len)
{
	const struct cm_weight *w;
	uint32_t idx;
	unsigned k;

	if (st->emit != NULL) {
		st->emit(st->arg, name, len);
		return;
	}
	if ((w = weight_of(cm_hash(name, len))) == NULL)
		return;
	idx = (uint32_t)(w - crisis_model_weights) + 1;
	for (k = (idx * 2654435761u) & (2 * CM_MAX_HITS - 1); st->seen[k] != 0;
	    k = (k + 1) & (2 * CM_MAX_HITS - 1))
		if (st->seen[k] == idx)
			return;	/* counted once per window */
	if (st->nhit == CM_MAX_HITS) {
		close_window(st);
		k = (idx * 2654435761u) & (2 * CM_MAX_HITS - 1);
	}
	st->seen[k] = idx;
	st->nhit++;
	st->sum += w->w;
	if (w->w > 0)
		keep_top(st->wtop, st->wtopw, name, len, w->w);
}

/* Build "prefix" + parts joined by '_' and count it. */
static void
featf(struct cm_state *st, const char *prefix, const char *a, size_t alen, const char *b, size_t blen,
    const char *c, size_t clen)
{
	char buf[NAME_MAX_LEN];
	size_t n = strlen(prefix);

	memcpy(buf, prefix, n);
	if (alen > 30)
		alen = 30;
	memcpy(buf + n, a, alen);
	n += alen;
	if (b != NULL) {
		if (blen > 30)
			blen = 30;
		buf[n++] = '_';
		memcpy(buf + n, b, blen);
		n += blen;
	}
	if (c != NULL) {
		if (clen > 24)
			clen = 24;
		buf[n++] = '_';
		memcpy(buf + n, c, clen);
		n += clen;
	}
	feature(st, buf, n);
}

static void
cfeat(struct cm_state *st, const char *prefix, enum concept a)
{
	const char *s = concept_names[a];

	featf(st, prefix, s, strlen(s), NULL, 0, NULL, 0);
}

void
cm_begin(struct cm_state *st, cm_emit_fn emit, void *arg)
{
	pthread_once(&lex_once, build_lexicon);
	memset(st, 0, sizeof(*st));
	st->emit = emit;
	st->arg = arg;
}

void
cm_sentence(struct cm_state *st, const struct cm_tok *t, int n, const struct cm_context *ctx)
{
	enum concept con[128], raw[128];
	bool neg[128], other[128];
	int i, j, k;

	if (n <= 0)
		return;
	if (n > 128)
		n = 128;
	if (ctx->past)
		feature(st, "x:past", 6);
	if (ctx->recent)
		feature(st, "x:recent", 8);
	if (ctx->resolved)
		feature(st, "x:resolved", 10);
	if (ctx->logistics)
		feature(st, "x:logistics", 11);
	if (ctx->music)
		feature(st, "x:music", 7);

	for (i = 0; i < n; i++) {
		raw[i] = concept_of(t[i].s, t[i].len);
		con[i] = t[i].masked ? C_IDIOM : raw[i];
	}
	for (i = 0; i < n; i++) {
		neg[i] = other[i] = false;
		for (k = i - 1; k >= 0 && k >= i - NEG_WINDOW && t[k].clause == t[i].clause; k--)
			if (!t[k].masked && raw[k] == C_NEG) {
				neg[i] = true;
				break;
			}
		for (k = i - 1; k >= 0 && k >= i - PERSON_WINDOW && t[k].clause == t[i].clause; k--) {
			if (raw[k] == C_FP || raw[k] == C_SELF)
				break;
			if (raw[k] == C_OTHER) {
				other[i] = true;
				break;
			}
		}
	}

	for (i = 0; i < n; i++) {
		const struct cm_tok *w = &t[i];
		char g[TOKEN_GRAM_MAX];
		size_t glen;

		featf(st, w->masked ? "m:" : "w:", w->s, w->len, NULL, 0, NULL, 0);
		if (neg[i])
			featf(st, "n:", w->s, w->len, NULL, 0, NULL, 0);
		if (i == 0)
			featf(st, "b:^", "", 0, w->s, w->len, NULL, 0);
		else
			featf(st, "b:", t[i - 1].s, t[i - 1].len, w->s, w->len, NULL, 0);
		if (i == n - 1)
			featf(st, "b:", w->s, w->len, "$", 1, NULL, 0);
		/* letter 4-grams of "^word$" */
		glen = 0;
		g[glen++] = '^';
		memcpy(g + glen, w->s, w->len > TOKEN_GRAM_MAX - 2 ? TOKEN_GRAM_MAX - 2 : w->len);
		glen += w->len > TOKEN_GRAM_MAX - 2 ? TOKEN_GRAM_MAX - 2 : w->len;
		g[glen++] = '$';
		if (w->len >= 3)
			for (j = 0; j + 4 <= (int)glen; j++)
				featf(st, "g:", g + j, 4, NULL, 0, NULL, 0);

		if (con[i] == C_NONE)
			continue;
		cfeat(st, "c:", con[i]);
		if (neg[i])
			cfeat(st, "nc:", con[i]);
		if (other[i])
			cfeat(st, "tc:", con[i]);
		if (ctx->past && !ctx->recent)
			cfeat(st, "pc:", con[i]);
		if (!neg[i] && !other[i] && con[i] != C_IDIOM) {
			if (con[i] == C_HURT || con[i] == C_BLOOD)
				st->cats |= CRISIS_SELF_HARM;
			else if (con[i] == C_OD)
				st->cats |= CRISIS_OVERDOSE;
		}
	}

	/* Concepts together: ordered pairs in a clause, runs of the clause's concepts. */
	for (i = 0; i < n; i++) {
		int prev1 = -1, prev2 = -1;

		if (con[i] == C_NONE)
			continue;
		for (j = i + 1; j < n && t[j].clause == t[i].clause; j++) {
			const char *a = concept_names[con[i]], *b = concept_names[con[j]];

			if (con[j] == C_NONE || con[j] == con[i])
				continue;
			featf(st, neg[i] || neg[j] ? "ncc:" : "cc:", a, strlen(a), b, strlen(b), NULL, 0);
		}
		/* the run ending at i */
		for (k = i - 1; k >= 0 && t[k].clause == t[i].clause; k--) {
			if (con[k] == C_NONE)
				continue;
			if (prev1 < 0) {
				prev1 = k;
			} else {
				prev2 = k;
				break;
			}
		}
		if (prev1 >= 0) {
			const char *a = concept_names[con[prev1]], *b = concept_names[con[i]];

			featf(st, "cs:", a, strlen(a), b, strlen(b), NULL, 0);
			if (prev2 >= 0) {
				const char *z = concept_names[con[prev2]];

				featf(st, "cs:", z, strlen(z), a, strlen(a), b, strlen(b));
			}
		}
	}
}

float
cm_finish(struct cm_state *st)
{
	close_window(st);
	return st->best;
}

void
cm_explain(const struct cm_state *st, char *buf, size_t size)
{
	int k;
	size_t n = 0;

	if (size == 0)
		return;
	buf[0] = '\0';
	for (k = 0; k < 3 && st->top[k][0] != '\0'; k++) {
		int w = snprintf(buf + n, size - n, "%s%s", k ? " " : "", st->top[k]);

		if (w < 0 || (size_t)w >= size - n)
			break;
		n += (size_t)w;
	}
}
