/*
 * web_util.c: helpers shared by the safety pages (see web_util.h).
 */
#include "safety/web_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/params.h"
#include "view/view.h"

const char *
sf_datetime(struct ctx *c, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char hm[8];

	if (gmtime_r(&tt, &tm) == NULL)
		return "";
	snprintf(hm, sizeof(hm), "%02d:%02d", tm.tm_hour, tm.tm_min);
	return ctx_tr(c, "safety.date.datetime", json_pack("{s:i, s:s, s:i, s:s}",
	    "day", tm.tm_mday,
	    "month", i18n_get(c->lang, arena_printf(c->a, "safety.date.month%d", tm.tm_mon + 1)),
	    "year", tm.tm_year + 1900, "time", hm));
}

const char *
sf_iso(struct ctx *c, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char iso[32] = "";

	if (gmtime_r(&tt, &tm) != NULL)
		strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return arena_strdup(c->a, iso);
}

const char *
sf_tel(struct ctx *c, const char *phone)
{
	char buf[64];
	size_t n = 0;

	if (phone == NULL)
		return NULL;
	for (; *phone != '\0' && n + 1 < sizeof(buf); phone++)
		if ((*phone >= '0' && *phone <= '9') || (*phone == '+' && n == 0))
			buf[n++] = *phone;
	buf[n] = '\0';
	if (n == 0 || (n == 1 && buf[0] == '+'))
		return NULL;
	return arena_printf(c->a, "tel:%s", buf);
}

const char *
sf_user_name(struct ctx *c, int64_t user_id)
{
	struct db_rows *r;
	const char *name = NULL;

	r = db_query(c->db, "SELECT display_name FROM users WHERE id = ? AND disabled = 0",
	    DB_I(user_id));
	if (r != NULL && db_rows_count(r) > 0)
		name = arena_strdup(c->a, db_rows_text(r, 0, 0));
	db_rows_free(r);
	return name;
}

int
sf_field_id(struct ctx *c, const char *name, int64_t *out)
{
	uint64_t v;

	*out = 0;
	if (c->json != NULL) {
		json_t *j = json_object_get(c->json, name);

		if (j == NULL || json_is_null(j))
			return 0;
		if (!json_is_integer(j) || json_integer_value(j) <= 0)
			return -1;
		*out = json_integer_value(j);
		return 1;
	} else {
		const char *s = params_get(&c->form, name);

		if (s == NULL || *s == '\0')
			return 0;
		if (!str_to_u64(str_c(s), INT64_MAX, &v) || v == 0)
			return -1;
		*out = (int64_t)v;
		return 1;
	}
}

const char *
sf_field_trimmed(struct ctx *c, const char *name)
{
	const char *s = ctx_field(c, name);

	if (s == NULL)
		return NULL;
	return arena_cstr(c->a, str_trim(str_c(s)));
}

int64_t
sf_query_int(struct ctx *c, const char *name, int64_t def, int64_t max)
{
	const char *s = params_get(&c->query, name);
	uint64_t v;

	if (s == NULL || !str_to_u64(str_c(s), UINT64_MAX, &v) || v == 0)
		return def;
	return v > (uint64_t)max ? max : (int64_t)v;
}

void
sf_respond_fragment(struct ctx *c, const char *tmpl, json_t *data)
{
	json_object_set(data, "t", i18n_catalog(c->lang));
	if (c->csrf_token != NULL)
		json_object_set_new(data, "csrf_token", json_string(c->csrf_token));
	c->resp->status = 200;
	buf_reset(&c->resp->body);
	if (view_render(tmpl, data, &c->resp->body) == -1) {
		json_decref(data);
		buf_reset(&c->resp->body);
		respond_error(c, 500, "internal", NULL, NULL);
		return;
	}
	json_decref(data);
	http_response_header(c->resp, "Content-Type", "text/html; charset=utf-8");
}
