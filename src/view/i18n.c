/*
 * i18n.c: translation catalogs, message lookup and language negotiation.
 *
 * Design:
 *
 * - A catalog is po/<lang>.json, nested objects whose leaves are strings
 *   ({"nav": {"home": "Home"}}), loaded once into jansson values and
 *   never changed again.  Templates read it whole as "t" ({{t.nav.home}});
 *   C code asks for one dotted key with i18n_get().  Loading refuses
 *   anything else (numbers, arrays, empty keys, keys with dots), so a typo
 *   in a translation file stops start-up instead of showing a blank.
 * - English is the reference: it must exist, it is listed first, and a
 *   key missing from another language falls back to it, then to the key
 *   itself so a missing message is visible rather than silent.
 * - After i18n_load() nothing here writes, so every thread reads without
 *   locks.  Every page context holds a reference to a catalog, and even
 *   jansson's atomic refcounts would make all workers write to the same
 *   cache lines (and its incref reads the count non-atomically first,
 *   which ThreadSanitizer rightly reports).  So loaded catalogs are made
 *   immortal the way jansson makes true/false/null: refcount (size_t)-1,
 *   which json_incref/json_decref leave alone.  i18n_unload() gives them
 *   a count of 1 again before freeing them.
 * - Negotiation follows RFC 9110 section 12.5.4 loosely: the highest q
 *   wins, ties go to the earlier range, "es-MX" matches "es" by its
 *   primary subtag, q=0 excludes, "*" means the default (English), and
 *   a malformed entry is skipped rather than failing the request.
 */
#include "view/view.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/mem.h"

#define LANG_CODE_MAX	16	/* "en", "es", "pt-br", "zh-hant-tw" */
#define LANGS_MAX	64
#define KEY_PART_MAX	128
#define CATALOG_DEPTH	8
#define PLACEHOLDER_MAX	64

struct catalog {
	char	 code[LANG_CODE_MAX];
	json_t	*root;
};

static struct catalog	 catalogs[LANGS_MAX];
static size_t		 ncatalogs;
static const char	*lang_codes[LANGS_MAX + 1];

static const struct catalog *
catalog_find(const char *lang)
{
	size_t i;

	if (lang == NULL)
		return NULL;
	for (i = 0; i < ncatalogs; i++)
		if (strcasecmp(catalogs[i].code, lang) == 0)
			return &catalogs[i];
	return NULL;
}

/* A language tag as a file name: letters, digits and '-', a letter first. */
static bool
valid_code(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len >= LANG_CODE_MAX || !isalpha((unsigned char)s[0]))
		return false;
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-')
			return false;
	return true;
}

/* Every leaf a string, every key non-empty without dots, bounded depth. */
static int
check_catalog(json_t *obj, int depth, struct buf *where)
{
	const char *key;
	json_t *v;
	size_t mark;

	if (depth > CATALOG_DEPTH) {
		buf_puts(where, ": nested too deep");
		return -1;
	}
	json_object_foreach(obj, key, v) {
		mark = where->len;
		if (where->len > 0)
			buf_putc(where, '.');
		buf_puts(where, key);
		if (*key == '\0' || strchr(key, '.') != NULL) {
			buf_puts(where, ": empty key or key with a dot");
			return -1;
		}
		if (json_is_object(v)) {
			if (check_catalog(v, depth + 1, where) == -1)
				return -1;
		} else if (!json_is_string(v)) {
			buf_puts(where, ": not a string or object");
			return -1;
		}
		where->len = mark;
		where->data[mark] = '\0';
	}
	return 0;
}

/* Set the refcount of a catalog and everything in it (see above). */
static void
set_refcount(json_t *j, size_t refcount)
{
	const char *key;
	json_t *v;

	if (json_is_object(j))
		json_object_foreach(j, key, v)
			set_refcount(v, refcount);
	j->refcount = refcount;
}

static int
code_order(const void *a, const void *b)
{
	const struct catalog *x = a, *y = b;

	/* English first, then alphabetical. */
	if (strcmp(x->code, "en") == 0)
		return -1;
	if (strcmp(y->code, "en") == 0)
		return 1;
	return strcmp(x->code, y->code);
}

/*
 * Each capability keeps its strings in po/<lang>/<area>.json; they join the
 * language's catalog under the key <area> ({{t.accounts.login.title}}), so
 * capabilities never edit one shared file.  An area may not replace a key
 * the main catalog already has.
 */
static int
merge_areas(const char *po_dir, const char *name, size_t codelen, json_t *root, char **err)
{
	char *dir = xasprintf("%s/%.*s", po_dir, (int)codelen, name), *path;
	DIR *d = opendir(dir);
	struct dirent *de;
	json_error_t jerr;
	json_t *area;
	size_t len;
	int rc = 0;

	if (d == NULL) {
		free(dir);
		return 0;
	}
	while (rc == 0 && (de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len <= 5 || strcmp(de->d_name + len - 5, ".json") != 0 || de->d_name[0] == '.')
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		area = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
		if (area == NULL || !json_is_object(area)) {
			*err = xasprintf("%s:%d: %s", path, area ? 0 : jerr.line,
			    area ? "not an object" : jerr.text);
			rc = -1;
		} else {
			char *key = xstrndup(de->d_name, len - 5);
			if (json_object_get(root, key) != NULL) {
				*err = xasprintf("%s: key \"%s\" is already in the main catalog",
				    path, key);
				rc = -1;
			} else {
				json_object_set(root, key, area);
			}
			free(key);
		}
		json_decref(area);
		free(path);
	}
	closedir(d);
	free(dir);
	return rc;
}

int
i18n_load(const char *po_dir, char **err)
{
	DIR *d;
	struct dirent *de;
	json_error_t jerr;
	struct buf where = BUF_INIT;
	size_t i, len;
	char *path;
	json_t *root;

	i18n_unload();
	if ((d = opendir(po_dir)) == NULL) {
		*err = xasprintf("cannot open %s", po_dir);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len <= 5 || strcmp(de->d_name + len - 5, ".json") != 0)
			continue;
		len -= 5;
		if (!valid_code(de->d_name, len)) {
			*err = xasprintf("%s/%s: not a language tag", po_dir, de->d_name);
			goto fail;
		}
		if (ncatalogs == LANGS_MAX) {
			*err = xasprintf("%s: more than %d languages", po_dir, LANGS_MAX);
			goto fail;
		}
		path = xasprintf("%s/%s", po_dir, de->d_name);
		root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
		free(path);
		if (root == NULL) {
			*err = xasprintf("%s/%s:%d: %s", po_dir, de->d_name,
			    jerr.line, jerr.text);
			goto fail;
		}
		if (json_is_object(root) && merge_areas(po_dir, de->d_name, len, root, err) == -1) {
			json_decref(root);
			goto fail;
		}
		if (!json_is_object(root) || check_catalog(root, 0, &where) == -1) {
			*err = xasprintf("%s/%s: %s", po_dir, de->d_name,
			    where.len ? where.data : "not an object");
			json_decref(root);
			goto fail;
		}
		for (i = 0; i < len; i++)
			catalogs[ncatalogs].code[i] = (char)tolower((unsigned char)de->d_name[i]);
		catalogs[ncatalogs].code[len] = '\0';
		catalogs[ncatalogs].root = root;
		ncatalogs++;
	}
	closedir(d);
	d = NULL;
	if (catalog_find("en") == NULL) {
		*err = xasprintf("%s/en.json is missing", po_dir);
		goto fail;
	}
	qsort(catalogs, ncatalogs, sizeof(catalogs[0]), code_order);
	for (i = 0; i < ncatalogs; i++) {
		lang_codes[i] = catalogs[i].code;
		set_refcount(catalogs[i].root, (size_t)-1);
	}
	lang_codes[ncatalogs] = NULL;
	buf_free(&where);
	return 0;

fail:
	if (d != NULL)
		closedir(d);
	buf_free(&where);
	i18n_unload();
	return -1;
}

void
i18n_unload(void)
{
	size_t i;

	for (i = 0; i < ncatalogs; i++) {
		set_refcount(catalogs[i].root, 1);
		json_decref(catalogs[i].root);
	}
	memset(catalogs, 0, sizeof(catalogs));
	ncatalogs = 0;
	lang_codes[0] = NULL;
}

const char *const *
i18n_languages(void)
{
	return lang_codes;
}

bool
i18n_supported(const char *lang)
{
	return catalog_find(lang) != NULL;
}

json_t *
i18n_catalog(const char *lang)
{
	const struct catalog *c;

	if ((c = catalog_find(lang)) == NULL && (c = catalog_find("en")) == NULL)
		return NULL;
	return c->root;
}

/* Walk a dotted key through nested objects; the string or NULL. */
static const char *
lookup(const struct catalog *c, const char *key)
{
	char part[KEY_PART_MAX];
	const char *p, *dot;
	json_t *v;
	size_t n;

	if (c == NULL)
		return NULL;
	v = c->root;
	for (p = key;; p = dot + 1) {
		dot = strchr(p, '.');
		n = dot ? (size_t)(dot - p) : strlen(p);
		if (n == 0 || n >= sizeof(part))
			return NULL;
		memcpy(part, p, n);
		part[n] = '\0';
		if ((v = json_object_get(v, part)) == NULL)
			return NULL;
		if (dot == NULL)
			break;
	}
	return json_string_value(v);
}

const char *
i18n_get(const char *lang, const char *key)
{
	const char *s;

	if ((s = lookup(catalog_find(lang), key)) != NULL)
		return s;
	if ((s = lookup(catalog_find("en"), key)) != NULL)
		return s;
	return key;
}

char *
i18n_format(const char *lang, const char *key, json_t *vars)
{
	struct buf out = BUF_INIT;
	char name[PLACEHOLDER_MAX];
	const char *msg, *p, *end;
	json_t *v;
	size_t n;

	msg = i18n_get(lang, key);
	for (p = msg; *p != '\0'; p++) {
		if (*p != '{' || (end = strchr(p + 1, '}')) == NULL) {
			buf_putc(&out, *p);
			continue;
		}
		n = (size_t)(end - p - 1);
		v = NULL;
		if (n > 0 && n < sizeof(name) &&
		    strspn(p + 1, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") >= n) {
			memcpy(name, p + 1, n);
			name[n] = '\0';
			v = json_object_get(vars, name);
		}
		if (json_is_string(v))
			buf_append(&out, json_string_value(v), json_string_length(v));
		else if (json_is_integer(v))
			buf_printf(&out, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		else if (json_is_real(v))
			buf_printf(&out, "%g", json_real_value(v));
		else {
			/* Unknown: keep "{" and carry on, so "{a {b}" still fills b. */
			buf_putc(&out, *p);
			continue;
		}
		p = end;
	}
	return buf_steal(&out);
}

json_t *
i18n_langs_json(const char *current)
{
	const struct catalog *cur;
	json_t *arr;
	char key[LANG_CODE_MAX + 8];
	size_t i;

	cur = catalog_find(current);
	if (cur == NULL)
		cur = catalog_find("en");
	arr = json_array();
	for (i = 0; i < ncatalogs; i++) {
		const char *name;

		snprintf(key, sizeof(key), "lang.%.*s", LANG_CODE_MAX - 1,
		    catalogs[i].code);
		if ((name = lookup(&catalogs[i], key)) == NULL)
			name = catalogs[i].code;
		json_array_append_new(arr, json_pack("{s:s, s:s, s:b}",
		    "code", catalogs[i].code, "name", name,
		    "current", cur == &catalogs[i]));
	}
	return arr;
}

/* Parse a qvalue ("1", "0.5", "1.000") into thousandths; -1 if malformed. */
static int
parse_q(struct str s)
{
	size_t i;
	int q, scale;

	if (s.len == 0 || (s.p[0] != '0' && s.p[0] != '1'))
		return -1;
	q = (s.p[0] - '0') * 1000;
	if (s.len == 1)
		return q;
	if (s.p[1] != '.' || s.len > 5)
		return -1;
	for (i = 2, scale = 100; i < s.len; i++, scale /= 10) {
		if (!isdigit((unsigned char)s.p[i]))
			return -1;
		q += (s.p[i] - '0') * scale;
	}
	return q > 1000 ? -1 : q;
}

/* The supported catalog a language range selects, or NULL. */
static const struct catalog *
match_range(struct str range)
{
	char tag[LANG_CODE_MAX];
	const struct catalog *c;
	size_t i, primary;

	if (range.len == 1 && range.p[0] == '*')
		return catalog_find("en");
	if (!valid_code(range.p, range.len))
		return NULL;
	for (i = 0; i < range.len; i++)
		tag[i] = (char)tolower((unsigned char)range.p[i]);
	tag[range.len] = '\0';
	if ((c = catalog_find(tag)) != NULL)
		return c;
	/* "es-MX" -> "es" */
	primary = strcspn(tag, "-");
	tag[primary] = '\0';
	return catalog_find(tag);
}

const char *
i18n_negotiate(const char *choice, struct str accept)
{
	const struct catalog *c, *best = NULL;
	struct str item, range, param;
	const char *p, *end, *comma, *semi;
	int q, best_q = 0;

	if ((c = catalog_find(choice)) != NULL)
		return c->code;
	if (ncatalogs == 0)
		return "en";
	p = accept.p;
	end = accept.p ? accept.p + accept.len : NULL;
	while (p != NULL && p < end) {
		comma = memchr(p, ',', (size_t)(end - p));
		if (comma == NULL)
			comma = end;
		item = (struct str){ p, (size_t)(comma - p) };
		p = comma + 1;

		semi = memchr(item.p, ';', item.len);
		range = str_trim((struct str){ item.p,
		    semi ? (size_t)(semi - item.p) : item.len });
		q = 1000;
		if (semi != NULL) {
			param = str_trim((struct str){ semi + 1,
			    (size_t)(item.p + item.len - semi - 1) });
			if (param.len < 2 || (param.p[0] != 'q' && param.p[0] != 'Q') ||
			    param.p[1] != '=')
				continue;
			param.p += 2;
			param.len -= 2;
			if ((q = parse_q(str_trim(param))) == -1)
				continue;
		}
		if (q == 0 || q <= best_q || (c = match_range(range)) == NULL)
			continue;
		best = c;
		best_q = q;
	}
	if (best == NULL)
		best = catalog_find("en");
	return best ? best->code : "en";
}
