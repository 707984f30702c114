/*
 * store.c: meetings, their session exceptions and the data version in the
 * database (see store.h).  Bound parameters only; SQL written once for
 * SQLite and PostgreSQL.
 *
 * A meeting's fingerprint (meeting.c) is stored with it, so an import can
 * tell a meeting that says the same as before from one that changed
 * without comparing forty columns.
 */
#include "meetings/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"

#define COLUMNS \
	"id, slug, name, circle_id, schedule, days, weeks, once_date, start_time, end_time, " \
	"timezone, attendance, temporarily_closed, location, address, city, state, " \
	"postal_code, country, formatted_address, region, sub_region, lat_e6, lon_e6, " \
	"approximate, location_notes, transit_notes, wheelchair, accessible_bathroom, " \
	"childcare, interpreter, sign_language, fragrance_free, conference_url, " \
	"conference_url_notes, conference_phone, conference_phone_notes, languages, types, " \
	"notes, url, group_name, updated"

int64_t
meetings_version(struct db *db, int64_t *changed_at)
{
	struct db_rows *r = db_query(db, "SELECT version, changed_at FROM meetings_state WHERE id = 1");
	int64_t v;

	if (r == NULL || db_rows_count(r) != 1) {
		db_rows_free(r);
		return -1;
	}
	v = db_rows_int(r, 0, 0);
	if (changed_at)
		*changed_at = db_rows_int(r, 0, 1);
	db_rows_free(r);
	return v;
}

int
meetings_touch(struct db *db, int64_t now)
{
	/* changed_at never goes back, even if a test moves the clock back. */
	return db_exec(db, "UPDATE meetings_state SET version = version + 1, "
	    "changed_at = CASE WHEN changed_at > ? THEN changed_at ELSE ? END WHERE id = 1",
	    DB_I(now), DB_I(now)) == 1 ? 0 : -1;
}

static char *
cell(struct arena *a, const struct db_rows *r, size_t row, size_t col)
{
	if (db_rows_isnull(r, row, col))
		return NULL;
	return meeting_text(a, db_rows_text(r, row, col));
}

static void
row_to_meeting(struct arena *a, const struct db_rows *r, size_t i, struct meeting *m)
{
	const char *s;

	memset(m, 0, sizeof(*m));
	m->id = db_rows_int(r, i, 0);
	m->slug = cell(a, r, i, 1);
	m->name = cell(a, r, i, 2);
	m->circle_id = db_rows_int(r, i, 3);
	m->sched.kind = meeting_kind_from(db_rows_text(r, i, 4));
	if (m->sched.kind == 0)
		m->sched.kind = SCHED_APPOINTMENT;
	m->sched.days = (unsigned)db_rows_int(r, i, 5);
	m->sched.weeks = (unsigned)db_rows_int(r, i, 6);
	s = db_rows_text(r, i, 7);
	if (!schedule_parse_date(s, &m->sched.once_y, &m->sched.once_m, &m->sched.once_d))
		m->sched.once_y = m->sched.once_m = m->sched.once_d = 0;
	m->sched.start_min = db_rows_isnull(r, i, 8) ? -1 : schedule_parse_hhmm(db_rows_text(r, i, 8));
	m->sched.end_min = db_rows_isnull(r, i, 9) ? -1 : schedule_parse_hhmm(db_rows_text(r, i, 9));
	m->timezone = cell(a, r, i, 10);
	m->attendance = meeting_attendance_from(db_rows_text(r, i, 11));
	if (m->attendance == 0)
		m->attendance = ATTEND_IN_PERSON;
	m->temporarily_closed = db_rows_int(r, i, 12) != 0;
	m->location = cell(a, r, i, 13);
	m->address = cell(a, r, i, 14);
	m->city = cell(a, r, i, 15);
	m->state = cell(a, r, i, 16);
	m->postal_code = cell(a, r, i, 17);
	m->country = cell(a, r, i, 18);
	m->formatted_address = cell(a, r, i, 19);
	m->region = cell(a, r, i, 20);
	m->sub_region = cell(a, r, i, 21);
	m->has_coords = !db_rows_isnull(r, i, 22) && !db_rows_isnull(r, i, 23);
	if (m->has_coords) {
		m->lat_e6 = db_rows_int(r, i, 22);
		m->lon_e6 = db_rows_int(r, i, 23);
	}
	m->approximate = db_rows_int(r, i, 24) != 0;
	m->location_notes = cell(a, r, i, 25);
	m->transit_notes = cell(a, r, i, 26);
	if (db_rows_int(r, i, 27))
		m->access |= ACCESS_WHEELCHAIR;
	if (db_rows_int(r, i, 28))
		m->access |= ACCESS_BATHROOM;
	if (db_rows_int(r, i, 29))
		m->access |= ACCESS_CHILDCARE;
	if (db_rows_int(r, i, 30))
		m->access |= ACCESS_INTERPRETER;
	if (db_rows_int(r, i, 31))
		m->access |= ACCESS_SIGN_LANGUAGE;
	if (db_rows_int(r, i, 32))
		m->access |= ACCESS_FRAGRANCE_FREE;
	m->conference_url = cell(a, r, i, 33);
	m->conference_url_notes = cell(a, r, i, 34);
	m->conference_phone = cell(a, r, i, 35);
	m->conference_phone_notes = cell(a, r, i, 36);
	m->nlanguages = meeting_split(a, db_rows_text(r, i, 37), &m->languages);
	m->ntypes = meeting_split(a, db_rows_text(r, i, 38), &m->types);
	m->notes = cell(a, r, i, 39);
	m->url = cell(a, r, i, 40);
	m->group = cell(a, r, i, 41);
	m->updated = db_rows_int(r, i, 42);
}

int
meetings_load_all(struct db *db, struct arena *a, struct meeting **out, size_t *n)
{
	struct db_rows *r = db_query(db, "SELECT " COLUMNS " FROM meetings ORDER BY id");
	size_t i;

	*out = NULL;
	*n = 0;
	if (r == NULL)
		return -1;
	*n = db_rows_count(r);
	*out = arena_zalloc(a, (*n + 1) * sizeof(struct meeting));
	for (i = 0; i < *n; i++)
		row_to_meeting(a, r, i, &(*out)[i]);
	db_rows_free(r);
	return 0;
}

struct meeting *
meetings_get(struct db *db, struct arena *a, const char *slug)
{
	struct db_rows *r = db_query(db, "SELECT " COLUMNS " FROM meetings WHERE slug = ?",
	    DB_T(slug));
	struct meeting *m = NULL;

	if (r != NULL && db_rows_count(r) == 1) {
		m = arena_zalloc(a, sizeof(*m));
		row_to_meeting(a, r, 0, m);
	}
	db_rows_free(r);
	return m;
}

static void
format_date(int y, int m, int d, char out[11])
{
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
	    (unsigned)d % 100u);
}

int
meetings_load_exceptions(struct db *db, struct arena *a, int64_t meeting_id,
    struct meeting_exception_row **out, size_t *n)
{
	struct db_rows *r;
	size_t i, k = 0;

	*out = NULL;
	*n = 0;
	r = meeting_id > 0 ?
	    db_query(db, "SELECT meeting_id, session_date, status, new_date, new_start, new_end, note "
	    "FROM meeting_exceptions WHERE meeting_id = ? ORDER BY session_date", DB_I(meeting_id)) :
	    db_query(db, "SELECT meeting_id, session_date, status, new_date, new_start, new_end, note "
	    "FROM meeting_exceptions ORDER BY meeting_id, session_date");
	if (r == NULL)
		return -1;
	*out = arena_zalloc(a, (db_rows_count(r) + 1) * sizeof(**out));
	for (i = 0; i < db_rows_count(r); i++) {
		struct meeting_exception_row *e = &(*out)[k];

		e->meeting_id = db_rows_int(r, i, 0);
		if (!schedule_parse_date(db_rows_text(r, i, 1), &e->ex.y, &e->ex.m, &e->ex.d))
			continue;
		e->ex.cancelled = strcmp(db_rows_text(r, i, 2), "cancelled") == 0;
		e->ex.new_start_min = e->ex.new_end_min = -1;
		if (!e->ex.cancelled) {
			if (!schedule_parse_date(db_rows_text(r, i, 3), &e->ex.new_y, &e->ex.new_m,
			    &e->ex.new_d))
				continue;
			if (!db_rows_isnull(r, i, 4))
				e->ex.new_start_min = schedule_parse_hhmm(db_rows_text(r, i, 4));
			if (!db_rows_isnull(r, i, 5))
				e->ex.new_end_min = schedule_parse_hhmm(db_rows_text(r, i, 5));
		}
		e->note = cell(a, r, i, 6);
		k++;
	}
	*n = k;
	db_rows_free(r);
	return 0;
}

int
meetings_set_exception(struct db *db, int64_t meeting_id, const struct sched_exception *ex,
    const char *note, int64_t now)
{
	char date[11], nd[11] = "", ns[6] = "", ne[6] = "";

	format_date(ex->y, ex->m, ex->d, date);
	if (!ex->cancelled) {
		format_date(ex->new_y, ex->new_m, ex->new_d, nd);
		schedule_format_hhmm(ex->new_start_min, ns);
		schedule_format_hhmm(ex->new_end_min, ne);
	}
	if (db_begin(db) == -1)
		return -1;
	if (db_exec(db, "DELETE FROM meeting_exceptions WHERE meeting_id = ? AND session_date = ?",
	    DB_I(meeting_id), DB_T(date)) < 0 ||
	    db_insert(db, "INSERT INTO meeting_exceptions (meeting_id, session_date, status, "
	    "new_date, new_start, new_end, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
	    "RETURNING id", DB_I(meeting_id), DB_T(date),
	    DB_T(ex->cancelled ? "cancelled" : "moved"),
	    DB_T(ex->cancelled ? NULL : nd),
	    DB_T(!ex->cancelled && ns[0] ? ns : NULL),
	    DB_T(!ex->cancelled && ne[0] ? ne : NULL), DB_T(note), DB_I(now)) <= 0 ||
	    meetings_touch(db, now) == -1 || db_commit(db) == -1) {
		db_rollback(db);
		return -1;
	}
	return 0;
}

int
meetings_clear_exception(struct db *db, int64_t meeting_id, int y, int m, int d, int64_t now)
{
	char date[11];
	int64_t n;

	format_date(y, m, d, date);
	if (db_begin(db) == -1)
		return -1;
	n = db_exec(db, "DELETE FROM meeting_exceptions WHERE meeting_id = ? AND session_date = ?",
	    DB_I(meeting_id), DB_T(date));
	if (n < 0 || (n > 0 && meetings_touch(db, now) == -1) || db_commit(db) == -1) {
		db_rollback(db);
		return -1;
	}
	return (int)n;
}

int64_t
meetings_save(struct db *db, struct meeting *m, int64_t now)
{
	struct arena a;
	char fp[33], once[11], st[6], et[6];
	char *langs, *types;
	int64_t id;

	arena_init(&a);
	meeting_normalize(&a, m);
	meeting_fingerprint(m, fp);
	langs = meeting_join(&a, m->languages, m->nlanguages);
	types = meeting_join(&a, m->types, m->ntypes);
	once[0] = '\0';
	if (m->sched.kind == SCHED_ONCE)
		format_date(m->sched.once_y, m->sched.once_m, m->sched.once_d, once);
	schedule_format_hhmm(m->sched.start_min, st);
	schedule_format_hhmm(m->sched.end_min, et);
	if (m->updated == 0)
		m->updated = now;

#define MEETING_VALUES \
	DB_T(m->slug), DB_T(m->name), m->circle_id > 0 ? DB_I(m->circle_id) : DB_NUL, \
	DB_T(meeting_kind_token(m->sched.kind)), DB_I(m->sched.days), DB_I(m->sched.weeks), \
	DB_T(once[0] ? once : NULL), DB_T(st[0] ? st : NULL), DB_T(et[0] ? et : NULL), \
	DB_T(m->timezone), DB_T(meeting_attendance_token(m->attendance)), \
	DB_I(m->temporarily_closed), DB_T(m->location), DB_T(m->address), DB_T(m->city), \
	DB_T(m->state), DB_T(m->postal_code), DB_T(m->country), DB_T(m->formatted_address), \
	DB_T(m->region), DB_T(m->sub_region), m->has_coords ? DB_I(m->lat_e6) : DB_NUL, \
	m->has_coords ? DB_I(m->lon_e6) : DB_NUL, DB_I(m->approximate), \
	DB_T(m->location_notes), DB_T(m->transit_notes), \
	DB_I(!!(m->access & ACCESS_WHEELCHAIR)), DB_I(!!(m->access & ACCESS_BATHROOM)), \
	DB_I(!!(m->access & ACCESS_CHILDCARE)), DB_I(!!(m->access & ACCESS_INTERPRETER)), \
	DB_I(!!(m->access & ACCESS_SIGN_LANGUAGE)), DB_I(!!(m->access & ACCESS_FRAGRANCE_FREE)), \
	DB_T(m->conference_url), DB_T(m->conference_url_notes), DB_T(m->conference_phone), \
	DB_T(m->conference_phone_notes), DB_T(langs), DB_T(types), DB_T(m->notes), \
	DB_T(m->url), DB_T(m->group), DB_I(m->updated), DB_T(fp)

	if (m->id == 0) {
		id = db_insert(db, "INSERT INTO meetings (slug, name, circle_id, schedule, days, "
		    "weeks, once_date, start_time, end_time, timezone, attendance, "
		    "temporarily_closed, location, address, city, state, postal_code, country, "
		    "formatted_address, region, sub_region, lat_e6, lon_e6, approximate, "
		    "location_notes, transit_notes, wheelchair, accessible_bathroom, childcare, "
		    "interpreter, sign_language, fragrance_free, conference_url, "
		    "conference_url_notes, conference_phone, conference_phone_notes, languages, "
		    "types, notes, url, group_name, updated, fingerprint, created_at) VALUES "
		    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
		    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
		    MEETING_VALUES, DB_I(now));
		if (id > 0)
			m->id = id;
	} else {
		int64_t n = db_exec(db, "UPDATE meetings SET slug = ?, name = ?, circle_id = ?, "
		    "schedule = ?, days = ?, weeks = ?, once_date = ?, start_time = ?, end_time = ?, "
		    "timezone = ?, attendance = ?, temporarily_closed = ?, location = ?, address = ?, "
		    "city = ?, state = ?, postal_code = ?, country = ?, formatted_address = ?, "
		    "region = ?, sub_region = ?, lat_e6 = ?, lon_e6 = ?, approximate = ?, "
		    "location_notes = ?, transit_notes = ?, wheelchair = ?, accessible_bathroom = ?, "
		    "childcare = ?, interpreter = ?, sign_language = ?, fragrance_free = ?, "
		    "conference_url = ?, conference_url_notes = ?, conference_phone = ?, "
		    "conference_phone_notes = ?, languages = ?, types = ?, notes = ?, url = ?, "
		    "group_name = ?, updated = ?, fingerprint = ? WHERE id = ?",
		    MEETING_VALUES, DB_I(m->id));
		id = n == 1 ? m->id : n == 0 ? -1 : -1;
		if (n < 0 && db_errcode(db) == DB_ERR_CONSTRAINT)
			id = 0;
	}
#undef MEETING_VALUES
	if (id < 0 && db_errcode(db) == DB_ERR_CONSTRAINT)
		id = 0;
	arena_free(&a);
	if (id > 0 && meetings_touch(db, now) == -1)
		return -1;
	return id;
}

int
meetings_delete(struct db *db, int64_t id, int64_t now)
{
	int64_t n;

	if (db_exec(db, "DELETE FROM meeting_exceptions WHERE meeting_id = ?", DB_I(id)) < 0)
		return -1;
	n = db_exec(db, "DELETE FROM meetings WHERE id = ?", DB_I(id));
	if (n < 0)
		return -1;
	if (n > 0 && meetings_touch(db, now) == -1)
		return -1;
	return n > 0 ? 1 : 0;
}

/* slug -> (id, fingerprint) for an import: open addressing in the arena. */
struct known {
	const char	*slug;
	int64_t		 id;
	const char	*fp;
};

static uint64_t
hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

int
meetings_import(struct db *db, struct arena *a, const struct mg_feed *feed, int64_t now,
    struct meetings_import_counts *out)
{
	struct db_rows *r;
	struct known *tab;
	size_t cap = 16, i, n;
	char fp[33];
	bool changed = false;

	memset(out, 0, sizeof(*out));
	out->status = arena_zalloc(a, (feed->n + 1) * sizeof(size_t));
	if (db_begin(db) == -1)
		return -1;
	if ((r = db_query(db, "SELECT slug, id, fingerprint FROM meetings")) == NULL)
		goto fail;
	n = db_rows_count(r);
	while (cap < n * 2 + 16)
		cap *= 2;
	tab = arena_zalloc(a, cap * sizeof(*tab));
	for (i = 0; i < n; i++) {
		const char *slug = arena_strdup(a, db_rows_text(r, i, 0));
		size_t h = hash(slug) & (cap - 1);

		while (tab[h].slug != NULL)
			h = (h + 1) & (cap - 1);
		tab[h].slug = slug;
		tab[h].id = db_rows_int(r, i, 1);
		tab[h].fp = arena_strdup(a, db_rows_text(r, i, 2));
	}
	db_rows_free(r);

	for (i = 0; i < feed->n; i++) {
		struct meeting *m = &feed->meetings[i];
		size_t h = hash(m->slug) & (cap - 1);
		struct known *k = NULL;

		while (tab[h].slug != NULL) {
			if (strcmp(tab[h].slug, m->slug) == 0) {
				k = &tab[h];
				break;
			}
			h = (h + 1) & (cap - 1);
		}
		meeting_normalize(a, m);
		meeting_fingerprint(m, fp);
		if (k != NULL && strcmp(k->fp, fp) == 0) {
			m->id = k->id;
			out->unchanged++;
			out->status[i] = 'n';
			continue;
		}
		m->id = k ? k->id : 0;
		if (meetings_save(db, m, now) <= 0)
			goto fail;
		changed = true;
		if (k) {
			out->updated++;
			out->status[i] = 'u';
		} else {
			out->added++;
			out->status[i] = 'a';
		}
	}
	(void)changed;
	if (db_commit(db) == -1)
		goto fail;
	return 0;
fail:
	log_warnx("meetings import failed: %s", db_errmsg(db));
	db_rollback(db);
	memset(out, 0, sizeof(*out));
	return -1;
}

char *
meetings_free_slug(struct db *db, struct arena *a, const char *name)
{
	char *base = meeting_slugify(a, name), *slug = base;
	int k;

	for (k = 2; k < 10000; k++) {
		struct db_rows *r = db_query(db, "SELECT 1 FROM meetings WHERE slug = ?", DB_T(slug));
		bool taken = r == NULL || db_rows_count(r) > 0;

		db_rows_free(r);
		if (!taken)
			return slug;
		if (r == NULL)
			return NULL;
		slug = arena_printf(a, "%s-%d", base, k);
	}
	return NULL;
}
