/*
 * plan.c: reading, checking and writing crisis plans (see plan.h).
 *
 * One rule for every line, from the API or the form: trimmed, valid
 * UTF-8, no control characters (a line is one line), at most
 * PLAN_TEXT_MAX characters; at most PLAN_ITEMS_MAX lines per section.
 * What comes back from storage is checked by the same code, so a damaged
 * row is refused rather than shown half-read.
 */
#include "safety/plan.h"

#include <stdio.h>
#include <string.h>

#include "base/utf8.h"

static const char *const tokens[PLAN_SECTIONS] = {
	"warning_signs", "coping", "distractions", "helpers", "professionals", "safer",
	"reasons",
};

const char *
plan_section_token(enum plan_section s)
{
	return (unsigned)s < PLAN_SECTIONS ? tokens[s] : NULL;
}

bool
plan_section_has_contacts(enum plan_section s)
{
	return s == PLAN_DISTRACTIONS || s == PLAN_HELPERS || s == PLAN_PROFESSIONALS;
}

int
plan_count(const struct crisis_plan *p)
{
	int s, n = 0;

	for (s = 0; s < PLAN_SECTIONS; s++)
		n += p->n[s];
	return n;
}

/* Characters (code points) in valid UTF-8. */
static size_t
chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/*
 * Trim s into the arena.  Returns "" for blank, NULL if the text is not
 * acceptable (invalid UTF-8, a control character, too long).
 */
static const char *
clean(struct arena *a, const char *s, size_t max_chars)
{
	struct str t;
	size_t i;
	char *out;

	if (s == NULL)
		return "";
	if (!utf8_valid(s, strlen(s)))
		return NULL;
	t = str_trim(str_c(s));
	for (i = 0; i < t.len; i++)
		if ((unsigned char)t.p[i] < 0x20 || t.p[i] == 0x7f)
			return NULL;
	out = arena_strndup(a, t.p, t.len);
	if (chars(out) > max_chars)
		return NULL;
	return out;
}

bool
plan_phone_valid(const char *s)
{
	int digits = 0;
	size_t len = strlen(s);

	if (len == 0 || len > PLAN_PHONE_MAX)
		return false;
	for (; *s != '\0'; s++) {
		if (*s >= '0' && *s <= '9')
			digits++;
		else if (strchr(" +()-.", *s) == NULL)
			return false;
	}
	return digits >= 2;
}

/* Add a line; NULL or the failing part ("" text, "phone"). */
static const char *
add_item(struct arena *a, struct crisis_plan *p, enum plan_section s, const char *text,
    const char *phone, bool *added)
{
	const char *t, *ph = NULL;

	*added = false;
	if ((t = clean(a, text, PLAN_TEXT_MAX)) == NULL)
		return "";
	if (phone != NULL) {
		if ((ph = clean(a, phone, PLAN_PHONE_MAX)) == NULL)
			return "phone";
		if (*ph == '\0')
			ph = NULL;
		else if (!plan_phone_valid(ph))
			return "phone";
	}
	if (*t == '\0') {
		/* A number without a name is kept under the number itself. */
		if (ph == NULL)
			return NULL;
		t = ph;
	}
	if (p->n[s] == PLAN_ITEMS_MAX)
		return "count";
	p->items[s][p->n[s]].text = t;
	p->items[s][p->n[s]].phone = ph;
	p->n[s]++;
	*added = true;
	return NULL;
}

/* Read one section's JSON array; NULL or the invalid field's name. */
static const char *
section_from_json(struct arena *a, json_t *arr, enum plan_section s, struct crisis_plan *p)
{
	const char *tok = tokens[s], *bad;
	size_t i;
	json_t *v;
	bool added;

	if (!json_is_array(arr) || json_array_size(arr) > PLAN_ITEMS_MAX * 2)
		return tok;
	json_array_foreach(arr, i, v) {
		const char *text, *phone = NULL;

		if (plan_section_has_contacts(s)) {
			json_t *jn, *jp;

			if (!json_is_object(v))
				return arena_printf(a, "%s[%zu]", tok, i);
			jn = json_object_get(v, "name");
			jp = json_object_get(v, "phone");
			if (json_object_size(v) > (size_t)((jn != NULL) + (jp != NULL)))
				return arena_printf(a, "%s[%zu]", tok, i);
			if (jn != NULL && !json_is_string(jn) && !json_is_null(jn))
				return arena_printf(a, "%s[%zu].name", tok, i);
			if (jp != NULL && !json_is_string(jp) && !json_is_null(jp))
				return arena_printf(a, "%s[%zu].phone", tok, i);
			text = json_is_string(jn) ? json_string_value(jn) : "";
			phone = json_is_string(jp) ? json_string_value(jp) : "";
		} else {
			if (!json_is_string(v))
				return arena_printf(a, "%s[%zu]", tok, i);
			text = json_string_value(v);
		}
		if ((bad = add_item(a, p, s, text, phone, &added)) != NULL) {
			if (strcmp(bad, "count") == 0)
				return tok;
			if (strcmp(bad, "phone") == 0)
				return arena_printf(a, "%s[%zu].phone", tok, i);
			return plan_section_has_contacts(s) ? arena_printf(a, "%s[%zu].name", tok, i) :
			    arena_printf(a, "%s[%zu]", tok, i);
		}
	}
	return NULL;
}

const char *
plan_from_json(struct arena *a, json_t *obj, struct crisis_plan *out)
{
	const char *key, *bad;
	json_t *v;
	int s;

	memset(out, 0, sizeof(*out));
	if (!json_is_object(obj))
		return "plan";
	json_object_foreach(obj, key, v) {
		for (s = 0; s < PLAN_SECTIONS; s++)
			if (strcmp(key, tokens[s]) == 0)
				break;
		if (s == PLAN_SECTIONS)
			return arena_strdup(a, key);
		if (json_is_null(v))
			continue;
		if ((bad = section_from_json(a, v, (enum plan_section)s, out)) != NULL)
			return bad;
	}
	return NULL;
}

const char *
plan_from_form(struct arena *a, const char *(*get)(void *ud, const char *name), void *ud,
    struct crisis_plan *out)
{
	char name[64], pname[64];
	const char *bad;
	bool added;
	int s, i;

	memset(out, 0, sizeof(*out));
	for (s = 0; s < PLAN_SECTIONS; s++) {
		for (i = 1; i <= PLAN_ITEMS_MAX; i++) {
			if (plan_section_has_contacts((enum plan_section)s)) {
				snprintf(name, sizeof(name), "%s_%d_name", tokens[s], i);
				snprintf(pname, sizeof(pname), "%s_%d_phone", tokens[s], i);
				bad = add_item(a, out, (enum plan_section)s, get(ud, name),
				    get(ud, pname) ? get(ud, pname) : "", &added);
			} else {
				snprintf(name, sizeof(name), "%s_%d", tokens[s], i);
				bad = add_item(a, out, (enum plan_section)s, get(ud, name), NULL, &added);
			}
			if (bad != NULL)
				return arena_strdup(a, strcmp(bad, "phone") == 0 ? pname : name);
		}
	}
	return NULL;
}

json_t *
plan_section_json(const struct crisis_plan *p, enum plan_section s)
{
	json_t *arr = json_array();
	int i;

	for (i = 0; i < p->n[s]; i++) {
		const struct plan_item *it = &p->items[s][i];

		if (plan_section_has_contacts(s))
			json_array_append_new(arr, json_pack("{s:s, s:o}", "name", it->text,
			    "phone", it->phone ? json_string(it->phone) : json_null()));
		else
			json_array_append_new(arr, json_string(it->text));
	}
	return arr;
}

json_t *
plan_sections_json(const struct crisis_plan *p)
{
	json_t *o = json_object();
	int s;

	for (s = 0; s < PLAN_SECTIONS; s++)
		json_object_set_new(o, tokens[s], plan_section_json(p, (enum plan_section)s));
	return o;
}

bool
plan_section_from_json(struct arena *a, json_t *arr, enum plan_section s, struct crisis_plan *p)
{
	p->n[s] = 0;
	return section_from_json(a, arr, s, p) == NULL;
}
