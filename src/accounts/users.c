/*
 * users.c: storage of people and roles.
 */
#include "accounts/users.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/password.h"
#include "accounts/roles.h"
#include "base/log.h"
#include "base/mem.h"
#include "http/params.h"
#include "privacy/crypto.h"

struct user *
user_load(struct db *db, struct arena *a, int64_t id)
{
	struct db_rows *r;
	struct user *u;

	r = db_query(db, "SELECT id, email, display_name, pseudonym, lang, chapter_id, org_id, "
	    "totp_enabled FROM users WHERE id = ? AND disabled = 0", DB_I(id));
	if (r == NULL || db_rows_count(r) == 0) {
		db_rows_free(r);
		return NULL;
	}
	u = arena_zalloc(a, sizeof(*u));
	u->id = db_rows_int(r, 0, 0);
	u->email = db_rows_isnull(r, 0, 1) ? NULL : arena_strdup(a, db_rows_text(r, 0, 1));
	u->display_name = arena_strdup(a, db_rows_text(r, 0, 2));
	u->pseudonym = arena_strdup(a, db_rows_text(r, 0, 3));
	u->lang = arena_strdup(a, db_rows_text(r, 0, 4));
	u->chapter_id = db_rows_int(r, 0, 5);
	u->org_id = db_rows_int(r, 0, 6);
	u->totp_enabled = db_rows_int(r, 0, 7) != 0;
	db_rows_free(r);
	u->roles = user_roles(db, id);
	return u;
}

unsigned
user_roles(struct db *db, int64_t id)
{
	struct db_rows *r;
	unsigned roles = 0;
	size_t i;

	r = db_query(db, "SELECT role FROM user_roles WHERE user_id = ?", DB_I(id));
	if (r == NULL)
		return 0;
	for (i = 0; i < db_rows_count(r); i++)
		roles |= role_from_token(db_rows_text(r, i, 0));
	db_rows_free(r);
	return roles;
}

int64_t
user_id_by_email(struct db *db, const char *email)
{
	struct db_rows *r;
	int64_t id = 0;
	struct arena a;
	char *norm;

	arena_init(&a);
	norm = user_normalize_email(&a, email);
	if (norm != NULL) {
		r = db_query(db, "SELECT id FROM users WHERE email = ?", DB_T(norm));
		if (r != NULL && db_rows_count(r) > 0)
			id = db_rows_int(r, 0, 0);
		db_rows_free(r);
	}
	arena_free(&a);
	return id;
}

char *
user_normalize_email(struct arena *a, const char *email)
{
	struct str s;
	char *out;
	size_t i, at = 0, nat = 0;

	if (email == NULL)
		return NULL;
	s = str_trim(str_c(email));
	if (s.len < 3 || s.len > USER_EMAIL_MAX)
		return NULL;
	out = arena_strndup(a, s.p, s.len);
	for (i = 0; i < s.len; i++) {
		unsigned char ch = (unsigned char)out[i];
		if (ch <= ' ' || ch == 0x7f || ch == '<' || ch == '>' || ch == '"' || ch == ',' ||
		    ch == ';')
			return NULL;
		if (ch == '@') {
			nat++;
			at = i;
		}
		out[i] = (char)tolower(ch);
	}
	if (nat != 1 || at == 0 || at == s.len - 1 || strchr(out + at, '.') == NULL)
		return NULL;
	if (!utf8_valid(out, s.len))
		return NULL;
	return out;
}

char *
user_normalize_name(struct arena *a, const char *name)
{
	struct str s;
	size_t i;

	if (name == NULL)
		return NULL;
	s = str_trim(str_c(name));
	if (s.len == 0 || s.len > USER_NAME_MAX || !utf8_valid(s.p, s.len))
		return NULL;
	for (i = 0; i < s.len; i++)
		if ((unsigned char)s.p[i] < 0x20 || s.p[i] == 0x7f)
			return NULL;
	return arena_strndup(a, s.p, s.len);
}

int
user_set_roles(struct db *db, int64_t id, unsigned roles)
{
	int i;

	if (db_exec(db, "DELETE FROM user_roles WHERE user_id = ?", DB_I(id)) < 0)
		return -1;
	for (i = 0; i < ROLE_COUNT; i++) {
		if (!(roles & role_at(i)))
			continue;
		if (db_exec(db, "INSERT INTO user_roles (user_id, role) VALUES (?, ?)", DB_I(id),
		    DB_T(role_token(role_at(i)))) < 0)
			return -1;
	}
	return 0;
}

int64_t
user_create(struct db *db, const char *email, const char *display_name, const char *password,
    unsigned roles, int64_t chapter_id, const char *lang, int64_t now)
{
	char hash[PASSWORD_HASH_MAX];
	char *pseudo;
	int64_t id;

	if (password != NULL && password_hash(password, strlen(password), hash) == -1)
		return -1;
	pseudo = crypto_token(12);
	id = db_insert(db, "INSERT INTO users (email, display_name, password_hash, pseudonym, lang, "
	    "chapter_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
	    DB_T(email), DB_T(display_name), DB_T(password ? hash : NULL), DB_T(pseudo),
	    DB_T(lang ? lang : "en"), chapter_id > 0 ? DB_I(chapter_id) : DB_NUL, DB_I(now),
	    DB_I(now));
	free(pseudo);
	if (id < 0)
		return db_errcode(db) == DB_ERR_CONSTRAINT ? 0 : -1;
	if (user_set_roles(db, id, roles) == -1)
		return -1;
	return id;
}

const char *
user_pseudonym(struct db *db, struct arena *a, int64_t id)
{
	struct db_rows *r = db_query(db, "SELECT pseudonym FROM users WHERE id = ?", DB_I(id));
	const char *p = NULL;

	if (r != NULL && db_rows_count(r) > 0)
		p = arena_strdup(a, db_rows_text(r, 0, 0));
	db_rows_free(r);
	return p;
}
