/*
 * store.c: matching profiles, suggestions and mentorships (see store.h).
 *
 * Design:
 *
 * - One checker (matching_profile_check) for the API and the page: the
 *   page turns its form into the same JSON document first.
 * - The profile is one sealed JSON document (associated data names the
 *   row), so nothing about gender, pathway or experience is readable in
 *   the database; opted_in, seeks and capacity stay in the clear because
 *   the pool is chosen by them.  Suggestion reasons ("shared experience:
 *   parent") are sealed for the same reason.
 * - matching_suggest() reads the whole pool and hands it to the pure
 *   engine (match.h) as it is: hard constraints (language, gender
 *   preference, trained, minimum days, capacity counting current mentees,
 *   rejected pairs) are the engine's, so the web flow and `circles match`
 *   decide the same way.  Peer partners are matched with the same engine
 *   (every peer on both sides with one slot); since that is a bipartite
 *   answer to a non-bipartite question, a peer already used in an earlier
 *   pair of the answer is dropped from a later one.
 * - State changes are conditional UPDATEs (WHERE state = 'open'), so two
 *   coordinators approving at once create one mentorship.
 */
#include "matching/store.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "accounts/users.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/utf8.h"
#include "checkins/days.h"
#include "checkins/remind.h"
#include "checkins/sms.h"
#include "checkins/store.h"
#include "matching/match.h"
#include "notify/jobs.h"
#include "privacy/audit.h"
#include "privacy/consent.h"
#include "privacy/crypto.h"
#include "view/view.h"

const char *const matching_seeks[] = { "mentor", "peer", "mentee", NULL };
const char *const matching_languages[] = {
	"en", "es", "pt", "fr", "zh", "vi", "ar", "ht", "asl", NULL,
};
const char *const matching_genders[] = { "woman", "man", "nonbinary", NULL };
const char *const matching_pathways[] = {
	"twelve_step", "smart", "faith", "medication", "harm_reduction", "secular", "other", NULL,
};
const char *const matching_tags[] = {
	"parent", "veteran", "lgbtq", "dual_diagnosis", "justice_involvement", "chronic_pain",
	"grief", NULL,
};
const char *const matching_age_bands[] = {
	"18-24", "25-34", "35-44", "45-54", "55-64", "65+", NULL,
};
/* The engine's age for each band: the middle, so the same band is "similar age" and a
 * neighbouring band "close in age". */
static const int band_age[] = { 21, 30, 40, 50, 60, 70 };

const struct matching_period matching_periods[MATCHING_NPERIODS] = {
	{ "morning", 8, 12 }, { "afternoon", 12, 17 }, { "evening", 17, 21 }, { "night", 21, 24 },
};

#define SETTING_MIN_DAYS	"matching.min_recovery_days"
#define SETTING_WEIGHT		"matching.weight."	/* + match_weight_names[i] */

static int
word_index(const char *const *list, const char *s)
{
	size_t i;

	for (i = 0; s != NULL && list[i] != NULL; i++)
		if (strcmp(list[i], s) == 0)
			return (int)i;
	return -1;
}

/* ---- checking a profile ---- */

/* null/absent, or one word of list.  false if anything else. */
static bool
opt_word(json_t *in, const char *key, const char *const *list, json_t *out)
{
	json_t *v = json_object_get(in, key);

	if (v == NULL || json_is_null(v)) {
		json_object_set_new(out, key, json_null());
		return true;
	}
	if (!json_is_string(v) || word_index(list, json_string_value(v)) < 0)
		return false;
	json_object_set_new(out, key, json_string(json_string_value(v)));
	return true;
}

/* An array of words of list (duplicates dropped), in list order. */
static bool
word_list(json_t *in, const char *key, const char *const *list, bool required, json_t *out)
{
	json_t *v = json_object_get(in, key), *x, *a;
	bool seen[32] = { false };
	size_t i;
	int k;

	if (v == NULL || json_is_null(v)) {
		if (required)
			return false;
		json_object_set_new(out, key, json_array());
		return true;
	}
	if (!json_is_array(v) || json_array_size(v) > 32)
		return false;
	json_array_foreach(v, i, x) {
		if (!json_is_string(x) || (k = word_index(list, json_string_value(x))) < 0)
			return false;
		seen[k] = true;
	}
	a = json_array();
	for (k = 0; list[k] != NULL && k < 32; k++)
		if (seen[k])
			json_array_append_new(a, json_string(list[k]));
	if (required && json_array_size(a) == 0) {
		json_decref(a);
		return false;
	}
	json_object_set_new(out, key, a);
	return true;
}

static bool
opt_number(json_t *in, const char *key, double lim, json_t *out)
{
	json_t *v = json_object_get(in, key);
	double d;

	if (v == NULL || json_is_null(v)) {
		json_object_set_new(out, key, json_null());
		return true;
	}
	if (!json_is_number(v))
		return false;
	d = json_number_value(v);
	if (!isfinite(d) || d < -lim || d > lim)
		return false;
	json_object_set_new(out, key, json_real(d));
	return true;
}

static bool
region(json_t *in, json_t *out)
{
	json_t *v = json_object_get(in, "region");
	const char *s;
	char *r;
	size_t i, len;

	if (v == NULL || json_is_null(v)) {
		json_object_set_new(out, "region", json_null());
		return true;
	}
	if (!json_is_string(v))
		return false;
	s = json_string_value(v);
	while (*s == ' ' || *s == '\t')
		s++;
	len = strlen(s);
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len > MATCHING_REGION_MAX || !utf8_valid(s, len))
		return false;
	if (len == 0) {
		json_object_set_new(out, "region", json_null());
		return true;
	}
	r = xstrndup(s, len);
	for (i = 0; i < len; i++) {
		if ((unsigned char)r[i] < 0x20 || r[i] == 0x7f) {
			free(r);
			return false;
		}
		if (r[i] >= 'A' && r[i] <= 'Z')
			r[i] = (char)(r[i] - 'A' + 'a');
	}
	json_object_set_new(out, "region", json_string(r));
	free(r);
	return true;
}

static bool
availability(json_t *in, json_t *out)
{
	json_t *v = json_object_get(in, "availability"), *b, *a;
	size_t i;

	if (v == NULL || json_is_null(v)) {
		json_object_set_new(out, "availability", json_array());
		return true;
	}
	if (!json_is_array(v) || json_array_size(v) > MATCH_MAX_LIST)
		return false;
	a = json_array();
	json_array_foreach(v, i, b) {
		json_t *d = json_array_get(b, 0), *s = json_array_get(b, 1), *e = json_array_get(b, 2);

		if (!json_is_array(b) || json_array_size(b) != 3 || !json_is_integer(d) ||
		    !json_is_integer(s) || !json_is_integer(e) || json_integer_value(d) < 0 ||
		    json_integer_value(d) > 6 || json_integer_value(s) < 0 ||
		    json_integer_value(s) > 23 || json_integer_value(e) <= json_integer_value(s) ||
		    json_integer_value(e) > 24) {
			json_decref(a);
			return false;
		}
		json_array_append_new(a, json_pack("[I, I, I]", json_integer_value(d),
		    json_integer_value(s), json_integer_value(e)));
	}
	json_object_set_new(out, "availability", a);
	return true;
}

const char *
matching_profile_check(struct arena *a, json_t *in, json_t **out)
{
	static const char *const keys[] = {
		"opted_in", "seeks", "languages", "gender", "wants_gender", "pathway", "tags",
		"age_band", "region", "lat", "lon", "availability", "capacity", "by_text", NULL,
	};
	const char *key, *bad = NULL;
	json_t *v, *o;

	*out = NULL;
	if (!json_is_object(in))
		return "profile";
	json_object_foreach(in, key, v)
		if (word_index(keys, key) < 0)
			return arena_strdup(a, key);
	o = json_object();
	v = json_object_get(in, "opted_in");
	if (v != NULL && !json_is_boolean(v))
		bad = "opted_in";
	else
		json_object_set_new(o, "opted_in", json_boolean(json_is_true(v)));
	v = json_object_get(in, "seeks");
	if (bad == NULL && (!json_is_string(v) || word_index(matching_seeks,
	    json_string_value(v)) < 0))
		bad = "seeks";
	else if (bad == NULL)
		json_object_set_new(o, "seeks", json_string(json_string_value(v)));
	if (bad == NULL && !word_list(in, "languages", matching_languages, true, o))
		bad = "languages";
	if (bad == NULL && !opt_word(in, "gender", matching_genders, o))
		bad = "gender";
	if (bad == NULL && !opt_word(in, "wants_gender", matching_genders, o))
		bad = "wants_gender";
	if (bad == NULL && !opt_word(in, "pathway", matching_pathways, o))
		bad = "pathway";
	if (bad == NULL && !word_list(in, "tags", matching_tags, false, o))
		bad = "tags";
	if (bad == NULL && !opt_word(in, "age_band", matching_age_bands, o))
		bad = "age_band";
	if (bad == NULL && !region(in, o))
		bad = "region";
	if (bad == NULL && !opt_number(in, "lat", 90, o))
		bad = "lat";
	if (bad == NULL && !opt_number(in, "lon", 180, o))
		bad = "lon";
	if (bad == NULL && json_is_null(json_object_get(o, "lat")) !=
	    json_is_null(json_object_get(o, "lon")))
		bad = json_is_null(json_object_get(o, "lat")) ? "lat" : "lon";
	if (bad == NULL && !availability(in, o))
		bad = "availability";
	/* the member would rather be told by text too */
	v = json_object_get(in, "by_text");
	if (bad == NULL && v != NULL && !json_is_null(v) && !json_is_boolean(v))
		bad = "by_text";
	else if (bad == NULL)
		json_object_set_new(o, "by_text", json_boolean(json_is_true(v)));
	if (bad == NULL) {
		bool mentor = strcmp(json_string_value(json_object_get(o, "seeks")), "mentee") == 0;

		v = json_object_get(in, "capacity");
		if (mentor && (!json_is_integer(v) || json_integer_value(v) < 1 ||
		    json_integer_value(v) > MATCHING_CAPACITY_MAX))
			bad = "capacity";
		else if (!mentor && v != NULL && !json_is_null(v) && !json_is_integer(v))
			bad = "capacity";
		else
			json_object_set_new(o, "capacity", json_integer(mentor ?
			    json_integer_value(v) : 0));
	}
	if (bad != NULL) {
		json_decref(o);
		return bad;
	}
	*out = o;
	return NULL;
}

/* ---- storing a profile ---- */

static const char *
profile_ad(char *ad, size_t size, int64_t user_id)
{
	snprintf(ad, size, "matching_profiles.profile:%" PRId64, user_id);
	return ad;
}

/* The profile of row i (columns: user_id, opted_in, seeks, capacity, profile_enc at col). */
static json_t *
row_profile(struct db_rows *r, size_t i, size_t col)
{
	int64_t uid = db_rows_int(r, i, 0);
	const unsigned char *blob;
	size_t blen, plen;
	char ad[64], *plain;
	json_t *o;

	blob = db_rows_blob(r, i, col, &blen);
	plain = crypto_open(blob, blen, profile_ad(ad, sizeof(ad), uid), &plen);
	if (plain == NULL) {
		log_warnx("matching: profile of %" PRId64 " does not decrypt", uid);
		return NULL;
	}
	o = json_loadb(plain, plen, 0, NULL);
	free(plain);
	if (!json_is_object(o)) {
		json_decref(o);
		return NULL;
	}
	json_object_set_new(o, "opted_in", json_boolean(db_rows_int(r, i, 1) != 0));
	json_object_set_new(o, "seeks", json_string(db_rows_text(r, i, 2)));
	json_object_set_new(o, "capacity", json_integer(db_rows_int(r, i, 3)));
	return o;
}

json_t *
matching_profile_load(struct db *db, int64_t user_id, bool *err)
{
	struct db_rows *r = db_query(db, "SELECT user_id, opted_in, seeks, capacity, profile_enc "
	    "FROM matching_profiles WHERE user_id = ?", DB_I(user_id));
	json_t *o = NULL;

	*err = r == NULL;
	if (r != NULL && db_rows_count(r) > 0 && (o = row_profile(r, 0, 4)) == NULL)
		*err = true;
	db_rows_free(r);
	return o;
}

int
matching_profile_save(struct db *db, int64_t user_id, json_t *profile, int64_t now)
{
	json_t *sealed = json_deep_copy(profile);
	bool in = json_is_true(json_object_get(profile, "opted_in"));
	unsigned char *blob;
	size_t blen;
	char ad[64], *text;
	int64_t n;

	json_object_del(sealed, "opted_in");
	json_object_del(sealed, "seeks");
	json_object_del(sealed, "capacity");
	text = json_dumps(sealed, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(sealed);
	blob = crypto_seal(text, strlen(text), profile_ad(ad, sizeof(ad), user_id), &blen);
	free(text);
	n = db_exec(db, "INSERT INTO matching_profiles (user_id, opted_in, seeks, capacity, "
	    "profile_enc, updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE "
	    "SET opted_in = excluded.opted_in, seeks = excluded.seeks, capacity = "
	    "excluded.capacity, profile_enc = excluded.profile_enc, updated_at = "
	    "excluded.updated_at", DB_I(user_id), DB_I(in ? 1 : 0),
	    DB_T(json_string_value(json_object_get(profile, "seeks"))),
	    DB_I(json_integer_value(json_object_get(profile, "capacity"))), DB_B(blob, blen),
	    DB_I(now));
	free(blob);
	if (n < 0)
		return -1;
	/* A suggestion made from an older profile (or before opting out) is no longer true. */
	if (db_exec(db, "DELETE FROM matching_suggestions WHERE state = 'open' AND "
	    "(seeker_id = ? OR mentor_id = ?)", DB_I(user_id), DB_I(user_id)) < 0)
		return -1;
	return 0;
}

/* ---- the gate ---- */

bool
matching_gate(struct ctx *c, int64_t member_id, const char *object)
{
	return privacy_read(c, member_id, CONSENT_MATCHING, object);
}

/* ---- settings and mentors ---- */

int64_t
matching_min_days(struct db *db)
{
	struct db_rows *r = db_query(db, "SELECT value FROM settings WHERE key = ?",
	    DB_T(SETTING_MIN_DAYS));
	int64_t v = MATCHING_DEFAULT_MIN_DAYS;
	uint64_t u;

	if (r != NULL && db_rows_count(r) > 0 &&
	    str_to_u64(str_c(db_rows_text(r, 0, 0)), MATCHING_DAYS_MAX, &u))
		v = (int64_t)u;
	db_rows_free(r);
	return v;
}

int
matching_set_min_days(struct db *db, int64_t days)
{
	char v[24];

	snprintf(v, sizeof(v), "%" PRId64, days);
	return db_exec(db, "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) "
	    "DO UPDATE SET value = excluded.value", DB_T(SETTING_MIN_DAYS), DB_T(v)) < 0 ? -1 : 0;
}

void
matching_weights(struct db *db, struct match_weights *w)
{
	struct db_rows *r = db_query(db, "SELECT key, value FROM settings WHERE key LIKE ?",
	    DB_T(SETTING_WEIGHT "%"));
	size_t i, k;
	uint64_t u;

	*w = match_weights_default;
	for (i = 0; r != NULL && i < db_rows_count(r); i++) {
		const char *name = db_rows_text(r, i, 0) + strlen(SETTING_WEIGHT);

		for (k = 0; k < MATCH_NWEIGHTS; k++)
			if (strcmp(name, match_weight_names[k]) == 0 &&
			    str_to_u64(str_c(db_rows_text(r, i, 1)), MATCH_WEIGHT_MAX, &u))
				*match_weight_ref(w, k) = (int)u;
	}
	db_rows_free(r);
}

int
matching_set_settings(struct db *db, int64_t min_days, const struct match_weights *w)
{
	struct match_weights copy;
	char key[64], v[24];
	size_t i;

	if (db_begin(db) == -1)
		return -1;
	if (min_days >= 0 && matching_set_min_days(db, min_days) == -1)
		goto fail;
	if (w != NULL) {
		copy = *w;
		for (i = 0; i < MATCH_NWEIGHTS; i++) {
			snprintf(key, sizeof(key), SETTING_WEIGHT "%s", match_weight_names[i]);
			snprintf(v, sizeof(v), "%d", *match_weight_ref(&copy, i));
			if (db_exec(db, "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT "
			    "(key) DO UPDATE SET value = excluded.value", DB_T(key), DB_T(v)) < 0)
				goto fail;
		}
	}
	if (db_commit(db) == 0)
		return 0;
fail:
	db_rollback(db);
	return -1;
}

int
matching_in_pool(struct db *db, int64_t member_id)
{
	struct db_rows *r = db_query(db, "SELECT 1 FROM matching_profiles WHERE user_id = ? AND "
	    "opted_in = 1", DB_I(member_id));
	int in;

	if (r == NULL)
		return -1;
	in = db_rows_count(r) > 0;
	db_rows_free(r);
	return in;
}

int
matching_set_mentor(struct ctx *c, int64_t member_id, int trained, int approved)
{
	char object[48];
	int in = matching_in_pool(c->db, member_id);

	if (in != 1)
		return in < 0 ? -1 : 1;
	if (db_exec(c->db, "INSERT INTO matching_mentors (user_id, approved, trained, updated_by, "
	    "updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id) DO NOTHING",
	    DB_I(member_id), DB_I(approved > 0), DB_I(trained > 0), DB_I(c->user->id),
	    DB_I(c->now)) < 0)
		return -1;
	if ((trained >= 0 && db_exec(c->db, "UPDATE matching_mentors SET trained = ?, "
	    "updated_by = ?, updated_at = ? WHERE user_id = ?", DB_I(trained > 0),
	    DB_I(c->user->id), DB_I(c->now), DB_I(member_id)) != 1) ||
	    (approved >= 0 && db_exec(c->db, "UPDATE matching_mentors SET approved = ?, "
	    "updated_by = ?, updated_at = ? WHERE user_id = ?", DB_I(approved > 0),
	    DB_I(c->user->id), DB_I(c->now), DB_I(member_id)) != 1))
		return -1;
	snprintf(object, sizeof(object), "matching_mentor:%" PRId64, member_id);
	if (audit_record(c->db, c->now, c->user->pseudonym, user_pseudonym(c->db, c->a,
	    member_id), "matching.mentor", "matching", object) == -1)
		log_warnx("matching: mentor change of %" PRId64 " not audited", member_id);
	return 0;
}

/*
 * Days in the current run of user_id's recovery (0 without a start date),
 * counted on the member's own date, as their days page counts them.
 */
static int64_t
recovery_days(struct db *db, int64_t user_id, int64_t now)
{
	struct recovery rec;
	struct days_summary sum;
	int64_t *relapses = NULL;
	size_t n = 0;
	int64_t days = 0;

	if (recovery_load(db, user_id, &rec) == 0 && rec.has_start &&
	    recovery_relapse_days(db, user_id, &relapses, &n) == 0 &&
	    days_summarize(rec.start_day, relapses, n, days_of_time(now,
	    settings_offset(db, user_id, now)), &sum) == 0 &&
	    sum.started)
		days = sum.current;
	free(relapses);
	return days < MATCH_MAX_DAYS ? days : MATCH_MAX_DAYS;
}

/* ---- the pool ---- */

/*
 * Everyone opted in, with what the engine needs.  The SELECT gives
 * user_id, opted_in, seeks, capacity, profile_enc, role_ok, approved,
 * trained, current mentees, has a mentor, in a peer partnership.
 */
#define POOL_SQL \
	"SELECT p.user_id, p.opted_in, p.seeks, p.capacity, p.profile_enc, " \
	"(SELECT COUNT(*) FROM user_roles ur WHERE ur.user_id = p.user_id AND " \
	"ur.role IN ('peer_supporter', 'facilitator')), COALESCE(m.approved, 0), " \
	"COALESCE(m.trained, 0), " \
	"(SELECT COUNT(*) FROM mentorships x WHERE x.mentor_id = p.user_id AND " \
	"x.kind = 'mentor' AND x.state = 'active'), " \
	"(SELECT COUNT(*) FROM mentorships x WHERE x.seeker_id = p.user_id AND " \
	"x.kind = 'mentor' AND x.state = 'active'), " \
	"(SELECT COUNT(*) FROM mentorships x WHERE (x.seeker_id = p.user_id OR " \
	"x.mentor_id = p.user_id) AND x.kind = 'peer' AND x.state = 'active') " \
	"FROM matching_profiles p JOIN users u ON u.id = p.user_id " \
	"LEFT JOIN matching_mentors m ON m.user_id = p.user_id " \
	"WHERE p.opted_in = 1 AND u.disabled = 0"

struct side {
	struct match_person	*people;
	int64_t			*uids;
	size_t			 n;
};

struct pool {
	struct arena	 a;
	json_t		*keep;		/* owns the profiles the people's strings point into */
	struct side	 seekers, mentors, peers;
	/* one run of "Suggest pairs" */
	struct db	*db;
	int64_t		 by;		/* the coordinator asking */
	int64_t		 now;
	int64_t		 chapter;	/* 0: the whole network */
	struct match_weights w;		/* the network's */
};

static const char **
strings(struct arena *a, json_t *list, size_t *n)
{
	const char **out;
	json_t *v;
	size_t i;

	*n = json_array_size(list);
	out = arena_alloc(a, (*n ? *n : 1) * sizeof(*out));
	json_array_foreach(list, i, v)
		out[i] = json_string_value(v);
	return out;
}

static void
person_from(struct arena *a, json_t *p, int64_t uid, struct match_person *m)
{
	json_t *av = json_object_get(p, "availability"), *b;
	struct match_slot *slots;
	int band;
	size_t i;

	memset(m, 0, sizeof(*m));
	m->id = arena_printf(a, "%" PRId64, uid);
	m->languages = strings(a, json_object_get(p, "languages"), &m->nlanguages);
	m->gender = json_string_value(json_object_get(p, "gender"));
	m->wants_gender = json_string_value(json_object_get(p, "wants_gender"));
	m->pathway = json_string_value(json_object_get(p, "pathway"));
	m->tags = strings(a, json_object_get(p, "tags"), &m->ntags);
	band = word_index(matching_age_bands, json_string_value(json_object_get(p, "age_band")));
	m->age = band >= 0 ? band_age[band] : -1;
	m->region = json_string_value(json_object_get(p, "region"));
	if (json_is_number(json_object_get(p, "lat")) && json_is_number(json_object_get(p, "lon"))) {
		m->has_location = true;
		m->lat = json_number_value(json_object_get(p, "lat"));
		m->lon = json_number_value(json_object_get(p, "lon"));
	}
	slots = arena_alloc(a, (json_array_size(av) ? json_array_size(av) : 1) * sizeof(*slots));
	json_array_foreach(av, i, b) {
		slots[i].day = (int)json_integer_value(json_array_get(b, 0));
		slots[i].start = (int)json_integer_value(json_array_get(b, 1));
		slots[i].end = (int)json_integer_value(json_array_get(b, 2));
	}
	m->availability = slots;
	m->navailability = json_array_size(av);
}

static void
side_add(struct arena *a, struct side *s, size_t cap, json_t *p, int64_t uid,
    struct match_person **out)
{
	if (s->people == NULL) {
		s->people = arena_zalloc(a, (cap ? cap : 1) * sizeof(*s->people));
		s->uids = arena_zalloc(a, (cap ? cap : 1) * sizeof(*s->uids));
	}
	person_from(a, p, uid, &s->people[s->n]);
	s->uids[s->n] = uid;
	*out = &s->people[s->n++];
}

/* The pool of the whole network, or of one chapter (members whose chapter it is). */
static int
pool_load(struct pool *pl, struct db *db, int64_t by, int64_t now, int64_t chapter)
{
	struct db_rows *r;
	size_t i, n;

	memset(pl, 0, sizeof(*pl));
	arena_init(&pl->a);
	pl->keep = json_array();
	pl->db = db;
	pl->by = by;
	pl->now = now;
	pl->chapter = chapter;
	matching_weights(db, &pl->w);
	if (chapter > 0)
		r = db_query(db, POOL_SQL " AND u.chapter_id = ? ORDER BY p.user_id", DB_I(chapter));
	else
		r = db_query(db, POOL_SQL " ORDER BY p.user_id");
	if (r == NULL)
		return -1;
	n = db_rows_count(r);
	for (i = 0; i < n; i++) {
		int64_t uid = db_rows_int(r, i, 0);
		const char *seeks = db_rows_text(r, i, 2);
		struct match_person *m;
		json_t *p = row_profile(r, i, 4);

		if (p == NULL)
			continue;	/* logged; the rest of the pool still counts */
		json_array_append_new(pl->keep, p);
		if (strcmp(seeks, "mentor") == 0 && db_rows_int(r, i, 9) == 0) {
			side_add(&pl->a, &pl->seekers, n, p, uid, &m);
		} else if (strcmp(seeks, "peer") == 0 && db_rows_int(r, i, 10) == 0) {
			side_add(&pl->a, &pl->peers, n, p, uid, &m);
		} else if (strcmp(seeks, "mentee") == 0 &&
		    (db_rows_int(r, i, 5) > 0 || db_rows_int(r, i, 6) != 0)) {
			int64_t cap = db_rows_int(r, i, 3), cur = db_rows_int(r, i, 8);

			side_add(&pl->a, &pl->mentors, n, p, uid, &m);
			m->capacity = (int)(cap < MATCH_MAX_CAPACITY ? cap : MATCH_MAX_CAPACITY);
			m->current = (int)(cur < m->capacity ? cur : m->capacity);
			m->trained = db_rows_int(r, i, 7) != 0;
			m->recovery_days = recovery_days(db, uid, now);
		}
	}
	db_rows_free(r);
	return 0;
}

static void
pool_free(struct pool *pl)
{
	json_decref(pl->keep);
	arena_free(&pl->a);
}

static int
cmp_uid(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Index of uid in a side (uids ascending), or -1. */
static ssize_t
side_find(const struct side *s, int64_t uid)
{
	const int64_t *p = s->n ? bsearch(&uid, s->uids, s->n, sizeof(uid), cmp_uid) : NULL;

	return p == NULL ? -1 : p - s->uids;
}

/* Rejected pairs of kind between seekers s and mentors m (both orders for peers). */
static int
blocked_pairs(struct db *db, struct arena *a, const char *kind, const struct side *s,
    const struct side *m, struct match_block **out, size_t *n)
{
	struct db_rows *r = db_query(db, "SELECT seeker_id, mentor_id FROM "
	    "matching_suggestions WHERE state = 'rejected' AND kind = ?", DB_T(kind));
	bool peer = strcmp(kind, "peer") == 0;
	size_t i, rows;

	*n = 0;
	if (r == NULL)
		return -1;
	rows = db_rows_count(r);
	*out = arena_alloc(a, (rows ? rows * 2 : 1) * sizeof(**out));
	for (i = 0; i < rows; i++) {
		int64_t x = db_rows_int(r, i, 0), y = db_rows_int(r, i, 1);
		ssize_t si = side_find(s, x), mi = side_find(m, y);

		if (si >= 0 && mi >= 0)
			(*out)[(*n)++] = (struct match_block){ (size_t)si, (size_t)mi };
		if (peer && (si = side_find(s, y)) >= 0 && (mi = side_find(m, x)) >= 0)
			(*out)[(*n)++] = (struct match_block){ (size_t)si, (size_t)mi };
	}
	db_rows_free(r);
	return 0;
}

json_t *
matching_reason_code(const char *t)
{
	int n;

	if (strncmp(t, "shared pathway: ", 16) == 0)
		return json_pack("{s:s, s:s}", "k", "pathway", "v", t + 16);
	if (strncmp(t, "shared experience: ", 19) == 0)
		return json_pack("{s:s, s:s}", "k", "tag", "v", t + 19);
	if (strcmp(t, "same region") == 0)
		return json_pack("{s:s}", "k", "region");
	if (strcmp(t, "less than 1 km apart") == 0)
		return json_pack("{s:s}", "k", "near");
	if (strcmp(t, "similar age") == 0)
		return json_pack("{s:s}", "k", "age_similar");
	if (strcmp(t, "close in age") == 0)
		return json_pack("{s:s}", "k", "age_close");
	if (sscanf(t, "%d km apart", &n) == 1 && strstr(t, " km apart") != NULL)
		return json_pack("{s:s, s:i}", "k", "km", "n", n);
	if (sscanf(t, "%d hour", &n) == 1)
		return json_pack("{s:s, s:i}", "k", "hours", "n", n);
	return json_pack("{s:s, s:s}", "k", "other", "v", t);
}

static int
store_suggestion(struct pool *pl, const char *kind, int64_t seeker, int64_t mentor,
    const struct match_assignment *as)
{
	json_t *reasons = json_array();
	unsigned char *blob;
	size_t i, blen;
	char ad[64], *text;
	int64_t id, n;

	for (i = 0; i < as->reasons.n; i++)
		json_array_append_new(reasons, matching_reason_code(as->reasons.text[i]));
	text = json_dumps(reasons, JSON_COMPACT);
	json_decref(reasons);
	id = db_insert(pl->db, "INSERT INTO matching_suggestions (kind, seeker_id, mentor_id, "
	    "score, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id", DB_T(kind),
	    DB_I(seeker), DB_I(mentor), DB_I(as->score), DB_I(pl->by), DB_I(pl->now));
	if (id <= 0) {
		free(text);
		return -1;
	}
	snprintf(ad, sizeof(ad), "matching_suggestions.reasons:%" PRId64, id);
	blob = crypto_seal(text, strlen(text), ad, &blen);
	free(text);
	n = db_exec(pl->db, "UPDATE matching_suggestions SET reasons_enc = ? WHERE id = ?",
	    DB_B(blob, blen), DB_I(id));
	free(blob);
	return n == 1 ? 0 : -1;
}

/* Solve one kind and store its suggestions.  0 or -1. */
static int
solve_kind(struct pool *pl, const char *kind, int *made, int *unmatched)
{
	bool peer = strcmp(kind, "peer") == 0;
	const struct side *s = peer ? &pl->peers : &pl->seekers;
	struct side *m = peer ? &pl->peers : &pl->mentors;
	struct match_person *mentors = NULL;
	struct match_input in;
	struct match_result res;
	bool *used = NULL;
	size_t i;
	int rc = 0;

	if (s->n == 0)
		return 0;
	memset(&in, 0, sizeof(in));
	if (peer) {
		/* each peer is also a "mentor" with one slot, trained, no minimum */
		mentors = arena_alloc(&pl->a, s->n * sizeof(*mentors));
		for (i = 0; i < s->n; i++) {
			mentors[i] = s->people[i];
			mentors[i].capacity = 1;
			mentors[i].trained = true;
		}
		in.mentors = mentors;
		in.nmentors = s->n;
		used = arena_zalloc(&pl->a, s->n * sizeof(*used));
	} else {
		in.mentors = m->people;
		in.nmentors = m->n;
		in.min_recovery_days = matching_min_days(pl->db);
	}
	in.seekers = s->people;
	in.nseekers = s->n;
	in.weights = &pl->w;
	if (blocked_pairs(pl->db, &pl->a, kind, s, m, (struct match_block **)&in.blocked,
	    &in.nblocked) == -1)
		return -1;
	match_solve(&in, &res);
	for (i = 0; i < res.nassignments && rc == 0; i++) {
		const struct match_assignment *as = &res.assignments[i];

		if (peer) {
			if (used[as->seeker] || used[as->mentor])
				continue;
			used[as->seeker] = used[as->mentor] = true;
		}
		if (store_suggestion(pl, kind, s->uids[as->seeker], m->uids[as->mentor], as) == -1)
			rc = -1;
		else
			(*made)++;
	}
	if (peer) {
		/* a peer paired as someone's partner is not "unmatched" */
		for (i = 0; i < s->n; i++)
			if (!used[i])
				(*unmatched)++;
	} else {
		*unmatched += (int)res.nunmatched;
	}
	match_result_free(&res);
	return rc;
}

int
matching_suggest_run(struct db *db, int64_t by, int64_t now, int64_t chapter, int *made,
    int *unmatched)
{
	struct pool pl;
	int rc = -1, peers_made = 0, peers_unmatched = 0;
	int64_t gone;

	*made = *unmatched = 0;
	/*
	 * One transaction: a failed run leaves the earlier suggestions as they
	 * were.  Under the matching lock: two runs at once on PostgreSQL would
	 * each delete only what the other had not yet committed, and both
	 * answers would stay (every pair twice).
	 */
	if (db_begin(db) == -1)
		return -1;
	if (db_tx_lock(db, "matching") == -1) {
		db_rollback(db);
		return -1;
	}
	if (pool_load(&pl, db, by, now, chapter) == -1) {
		log_warnx("matching: cannot read the pool: %s", db_errmsg(db));
		db_rollback(db);
		pool_free(&pl);
		return -1;
	}
	/* the answer replaces the open suggestions about the people it was asked about */
	if (chapter > 0)
		gone = db_exec(db, "DELETE FROM matching_suggestions WHERE state = 'open' AND "
		    "(seeker_id IN (SELECT id FROM users WHERE chapter_id = ?) OR mentor_id IN "
		    "(SELECT id FROM users WHERE chapter_id = ?))", DB_I(chapter), DB_I(chapter));
	else
		gone = db_exec(db, "DELETE FROM matching_suggestions WHERE state = 'open'");
	if (gone >= 0 && solve_kind(&pl, "mentor", made, unmatched) == 0 &&
	    solve_kind(&pl, "peer", &peers_made, &peers_unmatched) == 0)
		rc = 0;
	if (rc == -1) {
		log_warnx("matching: suggest failed: %s", db_errmsg(db));
		db_rollback(db);
	} else if (db_commit(db) == -1) {
		rc = -1;
	}
	*made += peers_made;
	*unmatched += peers_unmatched;
	pool_free(&pl);
	return rc;
}

int
matching_suggest(struct ctx *c, int64_t chapter, int *made, int *unmatched)
{
	return matching_suggest_run(c->db, c->user->id, c->now, chapter, made, unmatched);
}

/* ---- decisions ---- */

/*
 * the text notice
 * Whether user_id also gets the notice by text: a verified number that did
 * not text STOP, and either no email address or "tell me by text too" in
 * their matching profile.  The number goes in *phone.
 */
static bool
by_text(struct db *db, const struct user *u, int64_t now, struct sms_phone *phone)
{
	json_t *p;
	bool err, wants;

	if (sms_phone_get(db, u->id, now, phone) == -1 || !phone->verified ||
	    sms_stopped(db, phone->number) != 0)
		return false;
	if (u->email == NULL)
		return true;
	p = matching_profile_load(db, u->id, &err);
	wants = json_is_true(json_object_get(p, "by_text"));
	json_decref(p);
	return wants;
}

/* Tell user_id about the new mentorship with other_id: email, and a text when they want one. */
static void
tell(struct ctx *c, int64_t user_id, int64_t other_id, int64_t mentorship_id)
{
	struct user *u = user_load(c->db, c->a, user_id), *o = user_load(c->db, c->a, other_id);
	struct sms_phone phone;
	const char *lang;
	char key[64], *subject, *text;
	json_t *vars;

	if (u == NULL || o == NULL)
		return;
	lang = u->lang != NULL && i18n_supported(u->lang) ? u->lang : "en";
	vars = json_pack("{s:s, s:s}", "name", o->display_name, "url",
	    arena_printf(c->a, "%s/matching/profile", c->cfg->public_url));
	if (u->email != NULL) {
		subject = i18n_format(lang, "matching.msg.subject", vars);
		text = i18n_format(lang, "matching.msg.email", vars);
		snprintf(key, sizeof(key), "mentorship:%" PRId64 ":%" PRId64, mentorship_id,
		    user_id);
		if (jobs_enqueue_email(c->db, u->email, subject, text, key, user_id, c->now) < 0)
			log_warnx("matching: cannot queue the notice of mentorship %" PRId64,
			    mentorship_id);
		free(subject);
		free(text);
	}
	if (by_text(c->db, u, c->now, &phone)) {
		text = i18n_format(lang, "matching.msg.sms", vars);
		snprintf(key, sizeof(key), "mentorship-sms:%" PRId64 ":%" PRId64, mentorship_id,
		    user_id);
		if (sms_enqueue(c->db, phone.number, text, user_id, key, c->now, c->now) < 0)
			log_warnx("matching: cannot queue the text of mentorship %" PRId64,
			    mentorship_id);
		free(text);
	}
	json_decref(vars);
}

/* True if the pair can still become a mentorship of kind. */
static int
still_possible(struct ctx *c, const char *kind, int64_t seeker, int64_t mentor)
{
	struct db_rows *r;
	bool ok;

	if (strcmp(kind, "peer") == 0)
		r = db_query(c->db, "SELECT 1 FROM mentorships WHERE kind = 'peer' AND "
		    "state = 'active' AND (seeker_id IN (?, ?) OR mentor_id IN (?, ?))",
		    DB_I(seeker), DB_I(mentor), DB_I(seeker), DB_I(mentor));
	else
		r = db_query(c->db, "SELECT 1 FROM mentorships WHERE kind = 'mentor' AND "
		    "state = 'active' AND seeker_id = ? UNION ALL SELECT 1 FROM matching_profiles p "
		    "WHERE p.user_id = ? AND p.capacity <= (SELECT COUNT(*) FROM mentorships x "
		    "WHERE x.mentor_id = p.user_id AND x.kind = 'mentor' AND x.state = 'active')",
		    DB_I(seeker), DB_I(mentor));
	if (r == NULL)
		return -1;
	ok = db_rows_count(r) == 0;
	db_rows_free(r);
	return ok ? 1 : 0;
}

int
matching_decide(struct ctx *c, int64_t id, bool approve, int64_t *mentorship_id)
{
	struct db_rows *r;
	char kind[16];
	int64_t seeker = 0, mentor = 0, n, mid = 0;
	int rc = 0, ok;

	/*
	 * One transaction under a lock: two coordinators approving pairs of
	 * the same mentor at once cannot both pass the capacity check.
	 */
	if (db_begin(c->db) == -1)
		return -1;
	if (db_tx_lock(c->db, "matching") == -1 ||
	    (r = db_query(c->db, "SELECT kind, seeker_id, mentor_id FROM matching_suggestions "
	    "WHERE id = ? AND state = 'open'", DB_I(id))) == NULL) {
		db_rollback(c->db);
		return -1;
	}
	if (db_rows_count(r) == 0) {
		db_rows_free(r);
		db_rollback(c->db);
		return 1;
	}
	snprintf(kind, sizeof(kind), "%s", db_rows_text(r, 0, 0));
	seeker = db_rows_int(r, 0, 1);
	mentor = db_rows_int(r, 0, 2);
	db_rows_free(r);
	if (approve && (ok = still_possible(c, kind, seeker, mentor)) != 1)
		rc = ok < 0 ? -1 : 2;
	if (rc == 0) {
		n = db_exec(c->db, "UPDATE matching_suggestions SET state = ?, decided_by = ?, "
		    "decided_at = ? WHERE id = ? AND state = 'open'", DB_T(approve ? "approved" :
		    "rejected"), DB_I(c->user->id), DB_I(c->now), DB_I(id));
		rc = n < 0 ? -1 : n == 0 ? 1 : 0;
	}
	if (rc == 0 && approve) {
		mid = db_insert(c->db, "INSERT INTO mentorships (kind, seeker_id, mentor_id, "
		    "suggestion_id, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id", DB_T(kind),
		    DB_I(seeker), DB_I(mentor), DB_I(id), DB_I(c->now));
		if (mid <= 0)
			rc = -1;
	}
	if (rc != 0) {
		db_rollback(c->db);
		return rc;
	}
	if (db_commit(c->db) == -1)
		return -1;
	if (approve) {
		if (mentorship_id != NULL)
			*mentorship_id = mid;
		tell(c, seeker, mentor, mid);
		tell(c, mentor, seeker, mid);
	}
	return 0;
}

/* ---- lists ---- */

static const char *
word_name(struct ctx *c, const char *group, const char *w)
{
	return i18n_get(c->lang, arena_printf(c->a, "matching.%s.%s", group, w));
}

const char *
matching_reason_text(struct ctx *c, json_t *reason)
{
	const char *k = json_string_value(json_object_get(reason, "k"));
	const char *v = json_string_value(json_object_get(reason, "v"));
	json_int_t n = json_integer_value(json_object_get(reason, "n"));
	json_t *vars;
	char *s;
	const char *out;

	if (k == NULL)
		return "";
	if (strcmp(k, "pathway") == 0 && v != NULL)
		vars = json_pack("{s:s}", "name", word_name(c, "pathways", v));
	else if (strcmp(k, "tag") == 0 && v != NULL)
		vars = json_pack("{s:s}", "name", word_name(c, "tags", v));
	else if (strcmp(k, "hours") == 0 || strcmp(k, "km") == 0)
		vars = json_pack("{s:I}", "n", n);
	else if (strcmp(k, "other") == 0)
		return v != NULL ? v : "";
	else
		vars = json_object();
	if (n == 1 && strcmp(k, "hours") == 0)
		k = "hour";
	s = i18n_format(c->lang, arena_printf(c->a, "matching.reasons.%s", k), vars);
	json_decref(vars);
	out = arena_strdup(c->a, s);
	free(s);
	return out;
}

static json_t *
open_reasons(struct db_rows *r, size_t i, size_t col, int64_t id)
{
	const unsigned char *blob;
	size_t blen, plen;
	char ad[64], *plain;
	json_t *a;

	if (db_rows_isnull(r, i, col))
		return json_array();
	blob = db_rows_blob(r, i, col, &blen);
	snprintf(ad, sizeof(ad), "matching_suggestions.reasons:%" PRId64, id);
	if ((plain = crypto_open(blob, blen, ad, &plen)) == NULL)
		return json_array();
	a = json_loadb(plain, plen, 0, NULL);
	free(plain);
	return json_is_array(a) ? a : (json_decref(a), json_array());
}

json_t *
matching_suggestions_json(struct ctx *c)
{
	struct db_rows *r;
	json_t *list;
	size_t i;

	r = db_query(c->db, "SELECT s.id, s.kind, s.seeker_id, a.display_name, s.mentor_id, "
	    "b.display_name, s.score, s.reasons_enc, s.created_at FROM matching_suggestions s "
	    "JOIN users a ON a.id = s.seeker_id JOIN users b ON b.id = s.mentor_id "
	    "WHERE s.state = 'open' ORDER BY s.id LIMIT 500");
	if (r == NULL)
		return NULL;
	list = json_array();
	for (i = 0; i < db_rows_count(r); i++) {
		int64_t id = db_rows_int(r, i, 0);
		const char *obj = arena_printf(c->a, "matching_suggestion:%" PRId64, id);
		json_t *codes, *texts, *v;
		char score[32];
		size_t k;

		/* the reasons tell both people's profiles: each view is a read of both */
		if (!matching_gate(c, db_rows_int(r, i, 2), obj) ||
		    !matching_gate(c, db_rows_int(r, i, 4), obj))
			continue;
		codes = open_reasons(r, i, 7, id);
		texts = json_array();
		json_array_foreach(codes, k, v)
			json_array_append_new(texts, json_string(matching_reason_text(c, v)));
		match_format_score(db_rows_int(r, i, 6), score);
		json_array_append_new(list, json_pack("{s:I, s:s, s:{s:I, s:s}, s:{s:I, s:s}, "
		    "s:f, s:s, s:o, s:o, s:I}", "id", (json_int_t)id, "kind", db_rows_text(r, i, 1),
		    "seeker", "id", (json_int_t)db_rows_int(r, i, 2), "display_name",
		    db_rows_text(r, i, 3), "mentor", "id", (json_int_t)db_rows_int(r, i, 4),
		    "display_name", db_rows_text(r, i, 5), "score", atof(score),
		    "score_text", score, "reasons", texts, "reason_codes", codes,
		    "created_at", (json_int_t)db_rows_int(r, i, 8)));
	}
	db_rows_free(r);
	return list;
}

json_t *
matching_mentors_json(struct ctx *c)
{
	struct db_rows *r;
	json_t *list;
	int64_t min_days = matching_min_days(c->db);
	size_t i;

	r = db_query(c->db, "SELECT p.user_id, u.display_name, p.capacity, "
	    "(SELECT COUNT(*) FROM user_roles ur WHERE ur.user_id = p.user_id AND "
	    "ur.role IN ('peer_supporter', 'facilitator')), COALESCE(m.approved, 0), "
	    "COALESCE(m.trained, 0), (SELECT COUNT(*) FROM mentorships x WHERE x.mentor_id = "
	    "p.user_id AND x.kind = 'mentor' AND x.state = 'active') "
	    "FROM matching_profiles p JOIN users u ON u.id = p.user_id "
	    "LEFT JOIN matching_mentors m ON m.user_id = p.user_id "
	    "WHERE p.opted_in = 1 AND p.seeks = 'mentee' AND u.disabled = 0 "
	    "ORDER BY LOWER(u.display_name), p.user_id LIMIT 500");
	if (r == NULL)
		return NULL;
	list = json_array();
	for (i = 0; i < db_rows_count(r); i++) {
		int64_t uid = db_rows_int(r, i, 0);
		bool role = db_rows_int(r, i, 3) > 0, approved = db_rows_int(r, i, 4) != 0;

		if (!matching_gate(c, uid, arena_printf(c->a, "matching_profile:%" PRId64, uid)))
			continue;
		/*
		 * Whether the mentor meets the network's minimum, not the count: a
		 * count that falls back to zero would tell coordinators of a relapse.
		 */
		json_array_append_new(list, json_pack("{s:I, s:s, s:I, s:I, s:b, s:b, s:b, s:b}",
		    "id", (json_int_t)uid, "display_name", db_rows_text(r, i, 1),
		    "capacity", (json_int_t)db_rows_int(r, i, 2),
		    "current", (json_int_t)db_rows_int(r, i, 6),
		    "trained", db_rows_int(r, i, 5) != 0, "approved", approved,
		    "eligible", role || approved,
		    "meets_min_days", recovery_days(c->db, uid, c->now) >= min_days));
	}
	db_rows_free(r);
	return list;
}

static json_t *
mentorships(struct ctx *c, bool mine)
{
	struct db_rows *r;
	json_t *list;
	size_t i;

	if (mine)
		r = db_query(c->db, "SELECT x.id, x.kind, x.seeker_id, a.display_name, x.mentor_id, "
		    "b.display_name, x.created_at FROM mentorships x JOIN users a ON a.id = "
		    "x.seeker_id JOIN users b ON b.id = x.mentor_id WHERE x.state = 'active' AND "
		    "(x.seeker_id = ? OR x.mentor_id = ?) ORDER BY x.id", DB_I(c->user->id),
		    DB_I(c->user->id));
	else
		r = db_query(c->db, "SELECT x.id, x.kind, x.seeker_id, a.display_name, x.mentor_id, "
		    "b.display_name, x.created_at FROM mentorships x JOIN users a ON a.id = "
		    "x.seeker_id JOIN users b ON b.id = x.mentor_id WHERE x.state = 'active' "
		    "ORDER BY x.id DESC LIMIT 500");
	if (r == NULL)
		return NULL;
	list = json_array();
	for (i = 0; i < db_rows_count(r); i++) {
		json_t *o = json_pack("{s:I, s:s, s:{s:I, s:s}, s:{s:I, s:s}, s:I}",
		    "id", (json_int_t)db_rows_int(r, i, 0), "kind", db_rows_text(r, i, 1),
		    "seeker", "id", (json_int_t)db_rows_int(r, i, 2), "display_name",
		    db_rows_text(r, i, 3), "mentor", "id", (json_int_t)db_rows_int(r, i, 4),
		    "display_name", db_rows_text(r, i, 5),
		    "since", (json_int_t)db_rows_int(r, i, 6));

		if (mine) {
			bool seeker = db_rows_int(r, i, 2) == c->user->id;

			json_object_set_new(o, "role", json_string(seeker ? "seeker" : "mentor"));
			json_object_set(o, "other", json_object_get(o, seeker ? "mentor" : "seeker"));
		}
		json_array_append_new(list, o);
	}
	db_rows_free(r);
	return list;
}

json_t *
matching_mentorships_json(struct ctx *c)
{
	return mentorships(c, false);
}

json_t *
matching_my_mentorships_json(struct ctx *c)
{
	return mentorships(c, true);
}

int
matching_end_mentorship(struct ctx *c, int64_t id, bool any)
{
	int64_t n;

	if (any)
		n = db_exec(c->db, "UPDATE mentorships SET state = 'ended', ended_at = ? WHERE id = ? "
		    "AND state = 'active'", DB_I(c->now), DB_I(id));
	else
		n = db_exec(c->db, "UPDATE mentorships SET state = 'ended', ended_at = ? WHERE id = ? "
		    "AND state = 'active' AND (seeker_id = ? OR mentor_id = ?)", DB_I(c->now),
		    DB_I(id), DB_I(c->user->id), DB_I(c->user->id));
	return n < 0 ? -1 : n == 0 ? 1 : 0;
}

json_t *
matching_export(struct db *db, const struct user *u, int64_t now)
{
	struct db_rows *r;
	json_t *profile, *list, *mentor = json_null();
	bool err;
	size_t i;

	(void)now;
	if ((profile = matching_profile_load(db, u->id, &err)) == NULL && err)
		return NULL;
	r = db_query(db, "SELECT x.kind, x.seeker_id, a.display_name, b.display_name, x.state, "
	    "x.created_at, x.ended_at FROM mentorships x JOIN users a ON a.id = x.seeker_id "
	    "JOIN users b ON b.id = x.mentor_id WHERE x.seeker_id = ? OR x.mentor_id = ? "
	    "ORDER BY x.id", DB_I(u->id), DB_I(u->id));
	if (r == NULL) {
		json_decref(profile);
		return NULL;
	}
	list = json_array();
	for (i = 0; i < db_rows_count(r); i++) {
		bool seeker = db_rows_int(r, i, 1) == u->id;
		json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:I}", "kind", db_rows_text(r, i, 0),
		    "role", seeker ? "seeker" : "mentor", "other",
		    db_rows_text(r, i, seeker ? 3 : 2), "state", db_rows_text(r, i, 4),
		    "created_at", (json_int_t)db_rows_int(r, i, 5));

		json_object_set_new(o, "ended_at", db_rows_isnull(r, i, 6) ? json_null() :
		    json_integer(db_rows_int(r, i, 6)));
		json_array_append_new(list, o);
	}
	db_rows_free(r);
	r = db_query(db, "SELECT approved, trained, updated_at FROM matching_mentors WHERE "
	    "user_id = ?", DB_I(u->id));
	if (r == NULL) {
		json_decref(profile);
		json_decref(list);
		return NULL;
	}
	if (db_rows_count(r) > 0)
		mentor = json_pack("{s:b, s:b, s:I}", "approved_as_mentor", db_rows_int(r, 0, 0) != 0,
		    "trained", db_rows_int(r, 0, 1) != 0, "updated_at",
		    (json_int_t)db_rows_int(r, 0, 2));
	db_rows_free(r);
	return json_pack("{s:o, s:o, s:o}", "profile", profile ? profile : json_null(),
	    "coordinator_decisions", mentor, "mentorships", list);
}
