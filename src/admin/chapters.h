/*
 * chapters.h: the network's chapters, for pages outside admin/ that offer
 * a choice of chapter (matching pools).
 */
#ifndef CIRCLES_ADMIN_CHAPTERS_H
#define CIRCLES_ADMIN_CHAPTERS_H

#include <jansson.h>

#include "db/db.h"

/** Every chapter as [{id, name}], by name; NULL on a database error. */
json_t	*admin_chapters_json(struct db *db);

#endif
