/*
 * export.h: a member's circle data in their privacy export.
 */
#ifndef CIRCLES_CIRCLES_EXPORT_H
#define CIRCLES_CIRCLES_EXPORT_H

#include <stdint.h>

#include <jansson.h>

#include "accounts/users.h"
#include "db/db.h"

/**
 * The "circles" section of u's export: memberships (with the date the
 * agreement was accepted), RSVPs, own attendance, the attendance proofs
 * u created and rota swap requests u asked or answered; rota_assignments,
 * unavailable, circles_created, announcements, agendas and calendar_link
 * (its created_at and last_used_at, or null).  Only u's own rows.  A new reference, or NULL on error.
 */
json_t	*circles_export(struct db *db, const struct user *u, int64_t now);

#endif
