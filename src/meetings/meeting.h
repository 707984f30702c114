/*
 * meeting.h: a meeting as every part of Circles sees it.
 *
 * One struct for the importer (formats/), the store (store.c), the finder
 * and the pages.  Strings are NUL-terminated and owned by an arena chosen
 * by whoever built the struct; an empty field is NULL, never "".  Types
 * are Meeting Guide codes (types.json), unknown codes kept as given.
 *
 * Some facts are said twice in the Meeting Guide world: wheelchair access
 * is the type X, Spanish is the type S.  meeting_normalize() keeps both
 * sides in step (flags and languages from types, types from flags and
 * languages), sorts and de-duplicates, so a meeting has one canonical form
 * and meeting_fingerprint() can tell "changed" from "the same again".
 */
#ifndef CIRCLES_MEETINGS_MEETING_H
#define CIRCLES_MEETINGS_MEETING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "meetings/schedule.h"

enum meeting_attendance {
	ATTEND_IN_PERSON = 1,
	ATTEND_ONLINE,
	ATTEND_HYBRID,
};

/* Accessibility and practical support at the place. */
enum meeting_access {
	ACCESS_WHEELCHAIR	= 1 << 0,	/* type X */
	ACCESS_BATHROOM		= 1 << 1,	/* type XB */
	ACCESS_CHILDCARE	= 1 << 2,	/* type BA */
	ACCESS_INTERPRETER	= 1 << 3,	/* no Meeting Guide code */
	ACCESS_SIGN_LANGUAGE	= 1 << 4,	/* type ASL */
	ACCESS_FRAGRANCE_FREE	= 1 << 5,	/* type FF */
};
#define ACCESS_COUNT	6

#define MEETING_SLUG_MAX	128
#define MEETING_NAME_MAX	255
#define MEETING_TEXT_MAX	4000	/* notes and other long text */
#define MEETING_FIELD_MAX	255	/* short text fields */
#define MEETING_URL_MAX		2000
#define MEETING_MAX_TYPES	40
#define MEETING_MAX_LANGUAGES	12
#define MEETING_TYPE_CODE_MAX	10

struct meeting {
	int64_t		 id;		/* 0 until stored */
	char		*slug;
	char		*name;
	int64_t		 circle_id;	/* 0: stands alone */

	struct schedule	 sched;
	char		*timezone;	/* canonical IANA name */

	enum meeting_attendance attendance;
	bool		 temporarily_closed;

	char		*location;	/* building or landmark */
	char		*address;
	char		*city;
	char		*state;
	char		*postal_code;
	char		*country;
	char		*formatted_address;
	char		*region;
	char		*sub_region;
	bool		 has_coords;
	int64_t		 lat_e6, lon_e6;	/* microdegrees */
	bool		 approximate;
	char		*location_notes;
	char		*transit_notes;
	unsigned	 access;	/* ACCESS_* */

	char		*conference_url;
	char		*conference_url_notes;
	char		*conference_phone;
	char		*conference_phone_notes;

	char		**types;
	size_t		 ntypes;
	char		**languages;	/* ISO 639-1 */
	size_t		 nlanguages;

	char		*notes;
	char		*url;		/* the listing on the source's website */
	char		*group;
	int64_t		 updated;	/* UTC seconds */
};

/* ---- Meeting Guide type codes ---- */

/** Number of codes in the Meeting Guide list (types.json). */
size_t		 meeting_type_count(void);
/** The i-th known code, in the list's order. */
const char	*meeting_type_at(size_t i);
/** True if code is one of the Meeting Guide codes (exact case). */
bool		 meeting_type_known(const char *code);
/** English name of a known code ("O" gives "Open"), or NULL. */
const char	*meeting_type_english(const char *code);
/**
 * The code for an English type name as the 12 Step Meeting List CSV writes
 * it ("Open", "Wheelchair Access", "Step Meeting"), case-insensitive, or a
 * known code given as is; "ONL" and "TC" for the online and temporary
 * closure names.  NULL if unknown.
 */
const char	*meeting_type_from_name(const char *name);
/** The ISO 639-1 language a language type stands for ("S" gives "es"), or NULL. */
const char	*meeting_type_language(const char *code);
/** The language type for an ISO 639-1 code ("es" gives "S"), or NULL. */
const char	*meeting_language_type(const char *lang);
/** The access bit a type stands for (X gives ACCESS_WHEELCHAIR), or 0. */
unsigned	 meeting_type_access(const char *code);
/** The type for an access bit, or NULL (interpreter has none). */
const char	*meeting_access_type(unsigned bit);
/** Token of an access bit ("wheelchair", "accessible_bathroom", ...). */
const char	*meeting_access_token(unsigned bit);
/** True if s is a plausible type code: 1-10 of [A-Za-z0-9-]. */
bool		 meeting_type_code_ok(const char *s);
/** True if s is two lower-case ASCII letters. */
bool		 meeting_lang_ok(const char *s);

/* ---- whole meetings ---- */

/** Token of an attendance value ("in_person", "online", "hybrid"). */
const char	*meeting_attendance_token(enum meeting_attendance a);
/** Attendance from its token; 0 if unknown. */
enum meeting_attendance meeting_attendance_from(const char *s);
/** Schedule kind token ("weekly", "monthly", "once", "appointment"). */
const char	*meeting_kind_token(enum sched_kind k);
enum sched_kind	 meeting_kind_from(const char *s);

/** Add a type code (copied into a) unless present. */
void	meeting_add_type(struct arena *a, struct meeting *m, const char *code);
/** True if the meeting has the type. */
bool	meeting_has_type(const struct meeting *m, const char *code);
/** Remove a type if present. */
void	meeting_remove_type(struct meeting *m, const char *code);
/** Add a language (copied) unless present. */
void	meeting_add_language(struct arena *a, struct meeting *m, const char *lang);

/** The canonical form described above (arrays may be reallocated in a). */
void	meeting_normalize(struct arena *a, struct meeting *m);
/**
 * A hash of everything a meeting says (not id, not updated) as 32 hex
 * characters into out[33]; equal for equal normalized meetings.
 */
void	meeting_fingerprint(const struct meeting *m, char out[33]);

/** "x,y,z" of strings (arena); NULL for none. */
char	*meeting_join(struct arena *a, char *const *items, size_t n);
/** Split "x,y,z" (trimmed, empties dropped) into an arena array. */
size_t	meeting_split(struct arena *a, const char *s, char ***out);
/** Trimmed arena copy of s, NULL if nothing remains. */
char	*meeting_text(struct arena *a, const char *s);
/**
 * Lower-case ASCII letters and drop the accents of Latin-1 letters (for
 * search: "Reunión" matches "reunion"); other bytes are kept.  Writes at
 * most outsz-1 bytes and a NUL; returns the length.
 */
size_t	meeting_fold(const char *s, char *out, size_t outsz);
/** A URL-safe slug from a name ("Grupo Aurora" gives "grupo-aurora"), arena. */
char	*meeting_slugify(struct arena *a, const char *name);
/** UTC seconds as "YYYY-MM-DD HH:MM:SS" into out[20]. */
void	meeting_format_utc(int64_t t, char out[20]);
/** Parse "YYYY-MM-DD HH:MM:SS" (also with 'T', trailing 'Z' or no seconds) as UTC. */
bool	meeting_parse_utc(const char *s, int64_t *out);
#endif
