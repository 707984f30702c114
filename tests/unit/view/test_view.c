/*
 * Unit tests for view/view.c, i18n.c and static.c: the real templates,
 * catalogs and assets of the source tree ($CIRCLES_SOURCE_ROOT), plus small
 * throwaway share directories for the failure paths.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sys/stat.h>

#include <dirent.h>
#include <ftw.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <zlib.h>

#include "base/mem.h"
#include "base/str.h"
#include "view/view.h"

static const char *
root(void)
{
	const char *r = getenv("CIRCLES_SOURCE_ROOT");

	return r ? r : CIRCLES_SOURCE_ROOT;
}

static int
setup(void **state)
{
	char *err = NULL;

	(void)state;
	if (view_load(root(), &err) == -1) {
		fprintf(stderr, "view_load: %s\n", err);
		free(err);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	view_unload();
	return 0;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f;
	char *data;
	long n;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	data = xmalloc((size_t)n + 1);
	*len = fread(data, 1, (size_t)n, f);
	data[*len] = '\0';
	fclose(f);
	return data;
}

static void
spit(const char *dir, const char *rel, const char *text)
{
	char *path = xasprintf("%s/%s", dir, rel);
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(path);
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(path);
}

static void
rm_tree(const char *dir)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* ---- catalogs ---- */

/* Flatten a catalog into the set of its "a.b.c" keys; empty messages go to empty. */
static void
flatten(json_t *obj, const char *prefix, json_t *keys, json_t *empty)
{
	const char *k;
	json_t *v;

	json_object_foreach(obj, k, v) {
		char *full = *prefix ? xasprintf("%s.%s", prefix, k) : xstrdup(k);

		if (json_is_object(v))
			flatten(v, full, keys, empty);
		else {
			assert_true(json_is_string(v));
			if (json_string_length(v) == 0)
				json_array_append_new(empty, json_string(full));
			json_object_set_new(keys, full, json_true());
		}
		free(full);
	}
}

/*
 * The catalogs as the server sees them: po/<lang>.json with the area files
 * po/<lang>/<area>.json merged in.  Every problem is listed before failing,
 * so one run shows all the keys a translator still has to add.
 */
static void
test_catalogs_same_keys(void **state)
{
	json_t *ken = json_object(), *kes = json_object(), *empty = json_array();
	const char *k;
	json_t *v;
	size_t i;
	int problems = 0;

	(void)state;
	flatten(i18n_catalog("en"), "", ken, empty);
	flatten(i18n_catalog("es"), "", kes, empty);
	json_array_foreach(empty, i, v) {
		fprintf(stderr, "empty message %s\n", json_string_value(v));
		problems++;
	}
	json_object_foreach(ken, k, v)
		if (json_object_get(kes, k) == NULL) {
			fprintf(stderr, "es lacks %s\n", k);
			problems++;
		}
	json_object_foreach(kes, k, v)
		if (json_object_get(ken, k) == NULL) {
			fprintf(stderr, "en lacks %s\n", k);
			problems++;
		}
	assert_int_equal(problems, 0);
	assert_true(json_object_size(ken) > 50);
	/* Every error status the server sends has its own text. */
	{
		static const int codes[] = { 400, 401, 403, 404, 405, 408, 409,
		    413, 414, 415, 422, 429, 431, 500, 503 };

		for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
			char h[48], m[48];

			snprintf(h, sizeof(h), "errors.%d.heading", codes[i]);
			snprintf(m, sizeof(m), "errors.%d.message", codes[i]);
			assert_non_null(json_object_get(ken, h));
			assert_non_null(json_object_get(ken, m));
		}
	}
	/* Language names are written in their own language everywhere. */
	assert_string_equal(i18n_get("en", "lang.es"), "Español");
	assert_string_equal(i18n_get("es", "lang.en"), "English");
	json_decref(ken); json_decref(kes); json_decref(empty);
}

static bool
catalog_has(json_t *cat, const char *key)
{
	char *copy = xstrdup(key), *part, *save = NULL;
	json_t *v = cat;

	for (part = strtok_r(copy, ".", &save); part && v;
	    part = strtok_r(NULL, ".", &save))
		v = json_object_get(v, part);
	free(copy);
	return json_is_string(v);
}

/* Every {{t.x.y}} (any sigil) in any template is in both catalogs. */
static void
scan_dir(const char *dir, json_t *en, json_t *es, int *refs, int *files,
    int *missing)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		char *path;
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		assert_int_equal(stat(path, &st), 0);
		if (S_ISDIR(st.st_mode))
			scan_dir(path, en, es, refs, files, missing);
		else if (strstr(de->d_name, ".mustache") != NULL) {
			size_t len;
			char *text = slurp(path, &len), *p = text;

			(*files)++;
			while ((p = strstr(p, "{{")) != NULL) {
				char name[128];
				size_t n;

				p += 2;
				while (*p == '{' || *p == '#' || *p == '^' ||
				    *p == '/' || *p == '&' || *p == ' ')
					p++;
				if (strncmp(p, "t.", 2) != 0)
					continue;
				n = strspn(p, "abcdefghijklmnopqrstuvwxyz"
				    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.");
				assert_true(n < sizeof(name));
				memcpy(name, p + 2, n - 2);
				name[n - 2] = '\0';
				if (!catalog_has(en, name)) {
					fprintf(stderr, "%s: en lacks %s\n", path, name);
					(*missing)++;
				}
				if (!catalog_has(es, name)) {
					fprintf(stderr, "%s: es lacks %s\n", path, name);
					(*missing)++;
				}
				(*refs)++;
			}
			free(text);
		}
		free(path);
	}
	closedir(d);
}

static void
test_template_keys_exist(void **state)
{
	char *dir = xasprintf("%s/templates", root());
	int refs = 0, files = 0, missing = 0;

	(void)state;
	scan_dir(dir, i18n_catalog("en"), i18n_catalog("es"), &refs, &files,
	    &missing);
	assert_int_equal(missing, 0);
	assert_true(files >= 5);
	assert_true(refs >= 40);
	free(dir);
}

/* ---- rendering ---- */

static json_t *
context(const char *lang, bool signed_in, bool admin)
{
	json_t *ctx = json_object();

	json_object_set_new(ctx, "lang", json_string(lang));
	json_object_set(ctx, "t", i18n_catalog(lang));
	json_object_set_new(ctx, "title", json_string(i18n_get(lang, "home.title")));
	json_object_set_new(ctx, "path", json_string("/x?a=\"b\"&c=<d>"));
	json_object_set_new(ctx, "langs", i18n_langs_json(lang));
	if (signed_in) {
		json_t *roles = json_pack("{s:b}", "member", 1);

		if (admin)
			json_object_set_new(roles, "admin", json_true());
		json_object_set_new(ctx, "user", json_pack("{s:s, s:o, s:b}",
		    "display_name", "<script>alert(1)</script>\"&amp;",
		    "roles", roles, "is_staff", admin));
		json_object_set_new(ctx, "csrf_token", json_string("tok\"<en>"));
	}
	return ctx;
}

static char *
render_page(const char *name, json_t *ctx)
{
	struct buf out = BUF_INIT;

	assert_int_equal(view_render_page(name, ctx, &out), 0);
	json_decref(ctx);
	return buf_steal(&out);
}

/* The CSP forbids inline scripts, styles and event handlers. */
static void
assert_csp_clean(const char *html)
{
	const char *p = html, *end;

	while ((p = strchr(p, '<')) != NULL) {
		const char *a;

		end = strchr(p, '>');
		assert_non_null(end);
		if (strncmp(p, "<script", 7) == 0) {
			assert_non_null(memmem(p, (size_t)(end - p), " src=", 5));
			assert_true(strncmp(end, "></script>", 10) == 0);
		}
		assert_null(memmem(p, (size_t)(end - p), " style=", 7));
		for (a = p; a < end; a++)
			if ((a[0] == ' ' || a[0] == '\n') && a[1] == 'o' && a[2] == 'n') {
				size_t n = strspn(a + 3, "abcdefghijklmnopqrstuvwxyz");

				if (n > 0 && a[3 + n] == '=')
					fail_msg("event handler attribute in %.*s",
					    (int)(end - p), p);
			}
		p = end;
	}
	assert_null(strstr(html, "<style"));
}

static void
test_member_page_escapes(void **state)
{
	char *html;

	(void)state;
	json_t *ctx = context("en", true, false);

	json_object_set_new(ctx, "footer", json_pack("{s:s, s:s, s:s, s:s}",
	    "emergency_tel", "tel:112", "emergency_call", "Call 112 (emergency)",
	    "line_tel", "tel:8009112000", "line_call", "L<i>nea: 800 911 2000"));
	html = render_page("home/member", ctx);
	assert_true(strncmp(html, "<!doctype html>\n<html lang=\"en\">", 31) == 0);
	/* The hostile name shows as text, never as markup. */
	assert_null(strstr(html, "<script>alert"));
	assert_non_null(strstr(html,
	    "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&amp;amp;"));
	/* Attribute values cannot be broken out of. */
	assert_non_null(strstr(html, "value=\"tok&quot;&lt;en&gt;\""));
	assert_non_null(strstr(html, "name=\"next\" value=\"/x?a=&quot;b&quot;&amp;c=&lt;d&gt;\""));
	assert_non_null(strstr(html, "<meta name=\"csrf-token\""));
	assert_non_null(strstr(html, "<meta name=\"htmx-config\" content='{\"includeIndicatorStyles\":false}'>"));
	assert_non_null(strstr(html, "<title>Home · Circles</title>"));
	assert_non_null(strstr(html, "href=\"#main\""));
	assert_non_null(strstr(html, "<main id=\"main\""));
	assert_non_null(strstr(html, "action=\"/logout\""));
	assert_non_null(strstr(html, "Sign out"));
	assert_non_null(strstr(html, "href=\"/privacy\""));
	assert_non_null(strstr(html, "href=\"/account\""));
	assert_null(strstr(html, "href=\"/admin\""));
	assert_null(strstr(html, "href=\"/login\""));
	assert_non_null(strstr(html, "action=\"/lang\""));
	assert_non_null(strstr(html, "<label for=\"lang-select\">Language</label>"));
	assert_non_null(strstr(html, "<option value=\"en\" lang=\"en\" selected>English</option>"));
	assert_non_null(strstr(html, "<option value=\"es\" lang=\"es\">Español</option>"));
	assert_non_null(strstr(html, "Welcome back,"));
	/* The footer's numbers (safety_footer_view) as the context gives them, escaped. */
	assert_non_null(strstr(html, "<a href=\"tel:112\">Call 112 (emergency)</a> ·\n"
	    "<a href=\"tel:8009112000\">L&lt;i&gt;nea: 800 911 2000</a></p>"));
	assert_non_null(strstr(html, "complements, never replaces, clinical care"));
	assert_null(strstr(html, "role=\"status\""));
	assert_null(strstr(html, "role=\"alert\""));
	assert_null(strstr(html, "{{"));
	assert_csp_clean(html);
	free(html);
}

static void
test_staff_admin_page(void **state)
{
	json_t *ctx;
	char *html;

	(void)state;
	ctx = context("es", true, true);
	json_object_set_new(ctx, "notice", json_string("Guardado <b>"));
	json_object_set_new(ctx, "error", json_string("Revisa & corrige"));
	html = render_page("home/staff", ctx);
	assert_non_null(strstr(html, "<html lang=\"es\">"));
	assert_non_null(strstr(html, "Cerrar sesión"));
	/* Admin shows twice: in the nav and as a card. */
	assert_non_null(strstr(strstr(html, "href=\"/admin\"") + 1, "href=\"/admin\""));
	assert_non_null(strstr(html, "role=\"status\">Guardado &lt;b&gt;</p>"));
	assert_non_null(strstr(html, "role=\"alert\"><strong>Algo salió mal:</strong> Revisa &amp; corrige</p>"));
	assert_non_null(strstr(html, "<option value=\"es\" lang=\"es\" selected>Español</option>"));
	/* Without the network's numbers in the context, the footer still says where help is. */
	assert_non_null(strstr(html, "<strong>Si estás en peligro ahora mismo, llama al número de "
	    "emergencias de tu zona.</strong>"));
	assert_csp_clean(html);
	free(html);
}

static void
test_public_page(void **state)
{
	json_t *ctx;
	char *html;

	(void)state;
	ctx = context("en", false, false);
	json_object_set_new(ctx, "title", json_string(i18n_get("en", "home.public.title")));
	html = render_page("home/public", ctx);
	assert_non_null(strstr(html, "href=\"/meetings\""));
	assert_non_null(strstr(html, "href=\"/login\""));
	assert_non_null(strstr(html, "href=\"/signup\""));
	assert_null(strstr(html, "/logout"));
	assert_null(strstr(html, "csrf"));
	assert_non_null(strstr(html, "<li class=\"card\">"));
	assert_csp_clean(html);
	free(html);
}

static void
test_layout_defaults(void **state)
{
	json_t *ctx = json_object();
	char *html;

	(void)state;
	/* A bare context (early error paths) still gets lang, t and langs. */
	json_object_set_new(ctx, "lang", json_string("xx"));
	html = render_page("home/public", ctx);
	assert_non_null(strstr(html, "<html lang=\"en\">"));
	assert_non_null(strstr(html, "<title>Circles</title>"));
	assert_non_null(strstr(html, "selected>English</option>"));
	free(html);
}

static void
test_error_page(void **state)
{
	struct buf out = BUF_INIT;
	json_t *ctx;

	(void)state;
	ctx = context("en", false, false);
	json_object_del(ctx, "title");
	assert_int_equal(view_render_error(404, ctx, &out), 0);
	assert_non_null(strstr(out.data, "<title>We couldn't find that page · Circles</title>"));
	assert_non_null(strstr(out.data, "Error 404"));
	assert_non_null(strstr(out.data, "<h1>We couldn't find that page</h1>"));
	assert_non_null(strstr(out.data, "<a href=\"/\" role=\"button\">"));
	assert_csp_clean(out.data);
	json_decref(ctx);
	buf_reset(&out);

	/* A status without its own text: the real number, the class's text. */
	ctx = context("es", false, false);
	assert_int_equal(view_render_error(418, ctx, &out), 0);
	assert_non_null(strstr(out.data, "Error 418"));
	assert_non_null(strstr(out.data, "No pudimos entender esa solicitud"));
	json_decref(ctx);
	buf_reset(&out);

	ctx = context("es", false, false);
	assert_int_equal(view_render_error(599, ctx, &out), 0);
	assert_non_null(strstr(out.data, "Algo falló de nuestro lado"));
	json_decref(ctx);
	buf_free(&out);
}

static void
test_registry(void **state)
{
	struct buf out = BUF_INIT;
	json_t *ctx = json_object();

	(void)state;
	assert_true(view_has("layout"));
	assert_true(view_has("home/public"));
	assert_true(view_has("home/member"));
	assert_true(view_has("home/staff"));
	assert_true(view_has("errors/error"));
	assert_false(view_has("home"));
	assert_false(view_has("home/public.mustache"));
	assert_false(view_has("../templates/layout"));
	assert_int_equal(view_render("nope/nothing", ctx, &out), -1);
	assert_int_equal(view_render_page("nope/nothing", ctx, &out), -1);
	assert_int_equal(out.len, 0);
	json_decref(ctx);
	buf_free(&out);
}

struct render_job {
	const char	*lang;
	char		*first;
	bool		 same;
};

static void *
render_many(void *arg)
{
	struct render_job *job = arg;
	int i;

	job->same = true;
	for (i = 0; i < 200; i++) {
		struct buf out = BUF_INIT;
		json_t *ctx = context(job->lang, true, true);

		if (view_render_page("home/staff", ctx, &out) == -1)
			job->same = false;
		json_decref(ctx);
		if (job->first == NULL)
			job->first = buf_steal(&out);
		else {
			if (strcmp(job->first, out.data) != 0)
				job->same = false;
			buf_free(&out);
		}
	}
	return NULL;
}

static void
test_concurrent_render(void **state)
{
	struct render_job jobs[6];
	pthread_t th[6];
	int i;

	(void)state;
	memset(jobs, 0, sizeof(jobs));
	for (i = 0; i < 6; i++) {
		jobs[i].lang = i % 2 ? "es" : "en";
		assert_int_equal(pthread_create(&th[i], NULL, render_many, &jobs[i]), 0);
	}
	for (i = 0; i < 6; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < 6; i++) {
		assert_true(jobs[i].same);
		assert_string_equal(jobs[i].first, jobs[i % 2].first);
	}
	assert_string_not_equal(jobs[0].first, jobs[1].first);
	for (i = 0; i < 6; i++)
		free(jobs[i].first);
}

/* ---- translations ---- */

static void
test_languages(void **state)
{
	const char *const *l = i18n_languages();

	(void)state;
	assert_string_equal(l[0], "en");
	assert_string_equal(l[1], "es");
	assert_null(l[2]);
	assert_true(i18n_supported("es"));
	assert_true(i18n_supported("ES"));
	assert_false(i18n_supported("fr"));
	assert_false(i18n_supported(NULL));
	assert_ptr_equal(i18n_catalog("fr"), i18n_catalog("en"));
	assert_ptr_not_equal(i18n_catalog("es"), i18n_catalog("en"));
}

static void
test_get(void **state)
{
	const char *key = "no.such.key";

	(void)state;
	assert_string_equal(i18n_get("es", "nav.home"), "Inicio");
	assert_string_equal(i18n_get("en", "nav.home"), "Home");
	assert_string_equal(i18n_get("fr", "nav.home"), "Home");
	assert_string_equal(i18n_get(NULL, "nav.home"), "Home");
	assert_ptr_equal(i18n_get("es", key), key);
	/* A section is not a message. */
	assert_string_equal(i18n_get("en", "nav"), "nav");
	assert_string_equal(i18n_get("en", "nav..home"), "nav..home");
	assert_string_equal(i18n_get("en", ""), "");
}

static void
test_negotiate(void **state)
{
	(void)state;
	assert_string_equal(i18n_negotiate(NULL, STR("es-MX,es;q=0.9")), "es");
	assert_string_equal(i18n_negotiate(NULL, STR("fr")), "en");
	assert_string_equal(i18n_negotiate(NULL, STR("fr-CA, fr;q=0.9")), "en");
	assert_string_equal(i18n_negotiate(NULL, STR_NULL), "en");
	assert_string_equal(i18n_negotiate(NULL, STR("")), "en");
	/* The explicit choice wins over the header. */
	assert_string_equal(i18n_negotiate("en", STR("es-MX,es;q=0.9")), "en");
	assert_string_equal(i18n_negotiate("es", STR("en-US")), "es");
	assert_string_equal(i18n_negotiate("ES", STR("en-US")), "es");
	/* An unsupported choice falls through to the header. */
	assert_string_equal(i18n_negotiate("de", STR("es")), "es");
	/* q-values decide, ties go to the first. */
	assert_string_equal(i18n_negotiate(NULL, STR("fr;q=1, es;q=0.5, en;q=0.4")), "es");
	assert_string_equal(i18n_negotiate(NULL, STR("en;q=0.2, es;q=0.8")), "es");
	assert_string_equal(i18n_negotiate(NULL, STR("es;q=0.8, en;q=0.8")), "es");
	assert_string_equal(i18n_negotiate(NULL, STR("en;q=0.8,es;q=0.800")), "en");
	assert_string_equal(i18n_negotiate(NULL, STR("de, *;q=0.1")), "en");
	assert_string_equal(i18n_negotiate(NULL, STR("ES-us")), "es");
	assert_string_equal(i18n_negotiate(NULL, STR(" es ; q=0.5 ")), "es");
	/* q=0 excludes; malformed entries are skipped. */
	assert_string_equal(i18n_negotiate(NULL, STR("es;q=0")), "en");
	assert_string_equal(i18n_negotiate(NULL, STR("es;q=abc, de")), "en");
	assert_string_equal(i18n_negotiate(NULL, STR("es;q=1.5")), "en");
	assert_string_equal(i18n_negotiate(NULL, STR("es;level=1")), "en");
	assert_string_equal(i18n_negotiate(NULL, STR(",,;,es")), "es");
	assert_string_equal(i18n_negotiate(NULL, STR("e$;q=1, español")), "en");
	/* Not NUL-terminated: only len bytes count. */
	assert_string_equal(i18n_negotiate(NULL, (struct str){ "fr,es", 2 }), "en");
}

static void
test_langs_json(void **state)
{
	json_t *l = i18n_langs_json("es");

	(void)state;
	assert_int_equal(json_array_size(l), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(l, 0), "code")), "en");
	assert_string_equal(json_string_value(json_object_get(json_array_get(l, 0), "name")), "English");
	assert_true(json_is_false(json_object_get(json_array_get(l, 0), "current")));
	assert_string_equal(json_string_value(json_object_get(json_array_get(l, 1), "name")), "Español");
	assert_true(json_is_true(json_object_get(json_array_get(l, 1), "current")));
	json_decref(l);
}

/* Builds its own catalogs, so it reloads the real ones when done. */
static void
test_format_and_load_errors(void **state)
{
	char tmpl[] = "/tmp/circles-view-XXXXXX", *dir, *po, *err = NULL, *s;
	json_t *vars;

	(void)state;
	assert_non_null(dir = mkdtemp(tmpl));
	po = xasprintf("%s/po", dir);
	assert_int_equal(mkdir(po, 0700), 0);
	spit(po, "en.json", "{\"m\": {\"hi\": \"Hello, {name}! {n} new, {x} {unknown} {} {bad-name} {{name}} {name\"}, \"lang\": {\"en\": \"English\"}}");
	spit(po, "es.json", "{\"m\": {\"hi\": \"¡Hola, {name}! {n} nuevos\"}}");
	assert_int_equal(i18n_load(po, &err), 0);

	vars = json_pack("{s:s, s:i, s:f, s:n}", "name", "Ana <3", "n", 3, "x", 1.5, "unknown", NULL);
	s = i18n_format("en", "m.hi", vars);
	assert_string_equal(s, "Hello, Ana <3! 3 new, 1.5 {unknown} {} {bad-name} {Ana <3} {name");
	free(s);
	s = i18n_format("es", "m.hi", vars);
	assert_string_equal(s, "¡Hola, Ana <3! 3 nuevos");
	free(s);
	s = i18n_format("es", "m.none", vars);
	assert_string_equal(s, "m.none");
	free(s);
	s = i18n_format("en", "m.hi", NULL);
	assert_string_equal(s, "Hello, {name}! {n} new, {x} {unknown} {} {bad-name} {{name}} {name");
	free(s);
	json_decref(vars);
	/* A language without lang.<code> is listed by its code. */
	vars = i18n_langs_json("en");
	assert_string_equal(json_string_value(json_object_get(json_array_get(vars, 1), "name")), "es");
	json_decref(vars);

	/* Bad catalogs stop loading, naming the file and the key. */
	spit(po, "es.json", "{\"m\": {\"hi\": 3}}");
	assert_int_equal(i18n_load(po, &err), -1);
	assert_non_null(strstr(err, "es.json: m.hi: not a string"));
	free(err);
	spit(po, "es.json", "{\"m\": {\"hi\": \"a\", \"hi\": \"b\"}}");
	assert_int_equal(i18n_load(po, &err), -1);
	assert_non_null(strstr(err, "es.json"));
	free(err);
	spit(po, "es.json", "{\"a.b\": \"x\"}");
	assert_int_equal(i18n_load(po, &err), -1);
	free(err);
	spit(po, "es.json", "[]");
	assert_int_equal(i18n_load(po, &err), -1);
	free(err);
	s = xasprintf("%s/es.json", po);
	remove(s);
	free(s);
	assert_int_equal(i18n_load(po, &err), 0);
	s = xasprintf("%s/en.json", po);
	remove(s);
	free(s);
	spit(po, "es.json", "{}");
	assert_int_equal(i18n_load(po, &err), -1);
	assert_non_null(strstr(err, "en.json is missing"));
	free(err);

	/* Templates with a syntax error stop view_load, naming the file. */
	s = xasprintf("%s/templates", dir);
	assert_int_equal(mkdir(s, 0700), 0);
	spit(s, "layout.mustache", "{{#open}} never closed");
	free(s);
	assert_int_equal(view_load(dir, &err), -1);
	assert_non_null(strstr(err, "layout.mustache"));
	free(err);
	assert_int_equal(view_load("/nonexistent/circles", &err), -1);
	assert_non_null(err);
	free(err);
	assert_false(view_has("layout"));

	rm_tree(dir);
	free(po);
	assert_int_equal(setup(NULL), 0);
}

/* ---- static assets ---- */

static char *
inflate_gz(const char *gz, size_t gz_len, size_t want)
{
	z_stream zs;
	char *out = xmalloc(want + 1);

	memset(&zs, 0, sizeof(zs));
	assert_int_equal(inflateInit2(&zs, 15 + 16), Z_OK);
	zs.next_in = (Bytef *)(uintptr_t)gz;
	zs.avail_in = (uInt)gz_len;
	zs.next_out = (Bytef *)out;
	zs.avail_out = (uInt)want + 1;
	assert_int_equal(inflate(&zs, Z_FINISH), Z_STREAM_END);
	assert_int_equal(zs.total_out, want);
	inflateEnd(&zs);
	return out;
}

static void
test_static_css(void **state)
{
	const struct static_file *f;
	char *path, *disk, *plain;
	size_t len;

	(void)state;
	f = static_find(STR("/static/app.css"));
	assert_non_null(f);
	assert_string_equal(f->path, "/static/app.css");
	assert_string_equal(f->content_type, "text/css; charset=utf-8");
	assert_int_equal(strlen(f->etag), 26);
	assert_true(f->etag[0] == '"' && f->etag[25] == '"');
	assert_true(strncmp(f->gz_etag, f->etag, 25) == 0);
	assert_string_equal(f->gz_etag + 25, "-gz\"");

	path = xasprintf("%s/static/app.css", root());
	disk = slurp(path, &len);
	assert_int_equal(f->len, len);
	assert_memory_equal(f->data, disk, len);

	assert_non_null(f->gz);
	assert_true(f->gz_len < f->len);
	plain = inflate_gz(f->gz, f->gz_len, f->len);
	assert_memory_equal(plain, disk, len);
	free(plain);
	free(disk);
	free(path);
}

static void
test_static_types(void **state)
{
	const struct static_file *js, *svg, *css;
	struct stat st;
	char *vendor;

	(void)state;
	js = static_find(STR("/static/app.js"));
	svg = static_find(STR("/static/favicon.svg"));
	css = static_find(STR("/static/app.css"));
	assert_non_null(js);
	assert_non_null(svg);
	assert_string_equal(js->content_type, "text/javascript; charset=utf-8");
	assert_string_equal(svg->content_type, "image/svg+xml");
	assert_string_not_equal(js->etag, css->etag);
	/* static/vendor/ is made by scripts/setup; when present it is served. */
	vendor = xasprintf("%s/static/vendor/pico.min.css", root());
	if (stat(vendor, &st) == 0) {
		const struct static_file *pico = static_find(STR("/static/vendor/pico.min.css"));
		const struct static_file *htmx = static_find(STR("/static/vendor/htmx.min.js"));

		assert_non_null(pico);
		assert_int_equal(pico->len, (size_t)st.st_size);
		assert_non_null(pico->gz);
		assert_non_null(htmx);
		assert_string_equal(htmx->content_type, "text/javascript; charset=utf-8");
	}
	free(vendor);
}

static void
test_static_refuses(void **state)
{
	(void)state;
	assert_null(static_find(STR("/static/nope.css")));
	assert_null(static_find(STR("/static/../meson.build")));
	assert_null(static_find(STR("/static/./app.css")));
	assert_null(static_find(STR("/static//app.css")));
	assert_null(static_find(STR("/static/vendor/../app.css")));
	assert_null(static_find(STR("/static/..%2fmeson.build")));
	assert_null(static_find(STR("/static\\app.css")));
	assert_null(static_find(STR("/static/app.css\0")));
	assert_null(static_find(STR("/static/app.cs")));
	assert_null(static_find(STR("/static/app.css/")));
	assert_null(static_find(STR("/static/")));
	assert_null(static_find(STR("/static")));
	assert_null(static_find(STR("/app.css")));
	assert_null(static_find(STR("/STATIC/app.css")));
	assert_null(static_find(STR("")));
	assert_null(static_find(STR_NULL));
	/* Only len bytes count. */
	assert_non_null(static_find((struct str){ "/static/app.css.map", 15 }));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_catalogs_same_keys),
		cmocka_unit_test(test_template_keys_exist),
		cmocka_unit_test(test_member_page_escapes),
		cmocka_unit_test(test_staff_admin_page),
		cmocka_unit_test(test_public_page),
		cmocka_unit_test(test_layout_defaults),
		cmocka_unit_test(test_error_page),
		cmocka_unit_test(test_registry),
		cmocka_unit_test(test_concurrent_render),
		cmocka_unit_test(test_languages),
		cmocka_unit_test(test_get),
		cmocka_unit_test(test_negotiate),
		cmocka_unit_test(test_langs_json),
		cmocka_unit_test(test_format_and_load_errors),
		cmocka_unit_test(test_static_css),
		cmocka_unit_test(test_static_types),
		cmocka_unit_test(test_static_refuses),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
