/*
 * app.h: the Circles application: start-up, the HTTP handlers the server
 * calls, and the shared state every thread reads.
 *
 * State here is written once in app_start() and read-only afterwards, except
 * the per-thread database connection (app_db) and the job worker.
 */
#ifndef CIRCLES_APP_APP_H
#define CIRCLES_APP_APP_H

#include <stdbool.h>

#include "base/config.h"
#include "db/db.h"
#include "http/server.h"

/** Load keys, templates and catalogs; check the schema.  0 or -1 (logged). */
int	app_init(const struct config *cfg);
/** Run `circles serve`: start the server and the job worker, block until SIGTERM. */
int	app_serve(const struct config *cfg);
/** The calling thread's database connection (opened on first use); NULL if it cannot connect. */
struct db *app_db(void);
/** Drop the calling thread's connection (after a connection error). */
void	app_db_reset(void);
/** The configuration in force. */
const struct config *app_config(void);

/** The running server (for /metrics), or NULL. */
struct http_server *app_server(void);

bool	app_fast(struct http_request *req, struct http_response *resp, void *ud);
void	app_slow(struct http_request *req, struct http_response *resp, void *ud);

#endif
