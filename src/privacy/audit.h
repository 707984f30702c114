/*
 * audit.h: the append-only, hash-chained audit log.
 *
 * Each row's hash covers the previous row's hash and the row's own fields,
 * so removing or editing a row breaks the chain at that point
 * (audit_verify finds it).  Rows name people by pseudonym (users.pseudonym)
 * or "system"; deleting an account deletes the mapping, not the rows.
 * Appends are serialised with db_tx_lock("audit") so several servers sharing
 * PostgreSQL keep one chain.  Nothing in a row is health data: actions,
 * categories and object ids only.
 */
#ifndef CIRCLES_PRIVACY_AUDIT_H
#define CIRCLES_PRIVACY_AUDIT_H

#include <stdint.h>

#include "db/db.h"

/**
 * Append a row in its own transaction (callers must not hold one).
 * subject, category and object may be NULL.  0 or -1.
 */
int	audit_record(struct db *db, int64_t now, const char *actor, const char *subject,
	    const char *action, const char *category, const char *object);

/** Check the whole chain.  Returns rows checked, or -(id) of the first broken row. */
int64_t	audit_verify(struct db *db);
/** What audit_verify returns when the log could not be read at all. */
#define AUDIT_VERIFY_FAILED	INT64_MIN

#endif
