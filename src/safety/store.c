/*
 * store.c: crisis plans in the database (see store.h).
 *
 * The whole plan is written in one statement (an upsert), so a save never
 * leaves some sections new and others old.  Empty sections are stored as
 * NULL rather than as a sealed "[]": nothing to decrypt, nothing to leak
 * about the length.
 */
#include "safety/store.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "privacy/crypto.h"

static void
section_ad(char *ad, size_t size, enum plan_section s, int64_t user_id)
{
	snprintf(ad, size, "crisis_plans.%s:%" PRId64, plan_section_token(s), user_id);
}

int
safety_plan_load(struct db *db, struct arena *a, int64_t user_id, struct crisis_plan *out)
{
	struct db_rows *r;
	int s, rc = 0;

	memset(out, 0, sizeof(*out));
	r = db_query(db, "SELECT warning_signs_enc, coping_enc, distractions_enc, helpers_enc, "
	    "professionals_enc, safer_enc, reasons_enc, created_at, updated_at "
	    "FROM crisis_plans WHERE user_id = ?", DB_I(user_id));
	if (r == NULL) {
		log_warnx("safety: loading a plan failed: %s", db_errmsg(db));
		return -1;
	}
	if (db_rows_count(r) == 0) {
		db_rows_free(r);
		return 0;
	}
	out->exists = true;
	out->created_at = db_rows_int(r, 0, PLAN_SECTIONS);
	out->updated_at = db_rows_int(r, 0, PLAN_SECTIONS + 1);
	for (s = 0; s < PLAN_SECTIONS && rc == 0; s++) {
		const unsigned char *blob;
		char ad[96], *plain;
		size_t blen, plen;
		json_t *arr;

		if (db_rows_isnull(r, 0, (size_t)s))
			continue;
		blob = db_rows_blob(r, 0, (size_t)s, &blen);
		section_ad(ad, sizeof(ad), (enum plan_section)s, user_id);
		plain = crypto_open(blob, blen, ad, &plen);
		arr = plain ? json_loadb(plain, plen, 0, NULL) : NULL;
		free(plain);
		if (arr == NULL || !plan_section_from_json(a, arr, (enum plan_section)s, out)) {
			log_warnx("safety: section %s of the plan of %" PRId64 " does not open",
			    plan_section_token((enum plan_section)s), user_id);
			rc = -1;
		}
		json_decref(arr);
	}
	db_rows_free(r);
	return rc;
}

int
safety_plan_save(struct db *db, int64_t user_id, const struct crisis_plan *p, int64_t now)
{
	unsigned char *blobs[PLAN_SECTIONS] = { NULL };
	size_t lens[PLAN_SECTIONS] = { 0 };
	int s, rc = 0;
	int64_t n;

	for (s = 0; s < PLAN_SECTIONS && rc == 0; s++) {
		json_t *arr;
		char ad[96], *plain;

		if (p->n[s] == 0)
			continue;
		arr = plan_section_json(p, (enum plan_section)s);
		plain = json_dumps(arr, JSON_COMPACT);
		json_decref(arr);
		if (plain == NULL) {
			rc = -1;
			break;
		}
		section_ad(ad, sizeof(ad), (enum plan_section)s, user_id);
		blobs[s] = crypto_seal(plain, strlen(plain), ad, &lens[s]);
		free(plain);
	}
	if (rc != 0)
		goto out;
	n = db_exec(db, "INSERT INTO crisis_plans (user_id, warning_signs_enc, coping_enc, "
	    "distractions_enc, helpers_enc, professionals_enc, safer_enc, reasons_enc, created_at, "
	    "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET "
	    "warning_signs_enc = excluded.warning_signs_enc, coping_enc = excluded.coping_enc, "
	    "distractions_enc = excluded.distractions_enc, helpers_enc = excluded.helpers_enc, "
	    "professionals_enc = excluded.professionals_enc, safer_enc = excluded.safer_enc, "
	    "reasons_enc = excluded.reasons_enc, updated_at = excluded.updated_at",
	    DB_I(user_id), DB_B(blobs[0], lens[0]), DB_B(blobs[1], lens[1]),
	    DB_B(blobs[2], lens[2]), DB_B(blobs[3], lens[3]), DB_B(blobs[4], lens[4]),
	    DB_B(blobs[5], lens[5]), DB_B(blobs[6], lens[6]), DB_I(now), DB_I(now));
	rc = n == 1 ? 0 : -1;
	if (rc != 0)
		log_warnx("safety: saving a plan failed: %s", db_errmsg(db));
out:
	for (s = 0; s < PLAN_SECTIONS; s++)
		free(blobs[s]);
	return rc;
}

int
safety_plan_delete(struct db *db, int64_t user_id)
{
	return db_exec(db, "DELETE FROM crisis_plans WHERE user_id = ?", DB_I(user_id)) < 0 ?
	    -1 : 0;
}
