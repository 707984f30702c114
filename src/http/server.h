/*
 * server.h: the HTTP/1.1 server on libuv event loops.
 *
 * One event loop per worker thread (one per core by default), each with its
 * own listening socket bound to the same port with SO_REUSEPORT, so the
 * kernel spreads connections.  A connection reads into its buffer, the
 * parser (parser.h) decides framing, the body is collected (Content-Length
 * or chunked, 100-continue answered), and the complete request is handed to
 * the application:
 *
 *   - first to the fast handler, on the loop thread, for answers that never
 *     block (static assets from memory, /healthz);
 *   - otherwise to the slow handler on libuv's thread pool (uv_queue_work),
 *     which may use the database; the response is written back on the loop.
 *
 * Responses are written with uv_write (partial writes handled by libuv).
 * Pipelined requests are answered in order: a connection processes one
 * request at a time and resumes parsing its buffer after the response is
 * written.  Header and body read timeouts, an idle keep-alive timeout and
 * a connection cap protect the loops from slow or abusive clients.
 * SIGTERM/SIGINT stop accepting, let in-flight requests finish and exit.
 */
#ifndef CIRCLES_HTTP_SERVER_H
#define CIRCLES_HTTP_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/str.h"
#include "http/parser.h"

struct http_request {
	struct arena		*arena;		/* freed when the response is written */
	struct http_head	 head;		/* slices copied into the arena */
	const char		*body;		/* NUL-terminated copy, arena */
	size_t			 body_len;
	char			 peer[64];	/* socket peer address, no port */
	char			 client[64];	/* peer, or X-Forwarded-For's last hop when peer is the trusted proxy */
	bool			 tls;		/* X-Forwarded-Proto: https from the trusted proxy */
	uint64_t		 id;		/* per-process request number, for logs */
	int64_t			 start_us;	/* monotonic start, for the access log */
	void			*app;		/* for the application's per-request state */
};

struct http_response {
	int		 status;	/* 0 until a handler sets it; written as 200 */
	struct buf	 headers;	/* extra header lines, each ending CRLF */
	struct buf	 body;
	const char	*static_body;	/* if set, sent instead of body (not freed) */
	size_t		 static_len;
	void		(*static_release)(void *); /* if set, called with static_arg once */
	void		*static_arg;	/* static_body is no longer needed */
	bool		 close;		/* close the connection after this response */
	const char	*log_route;	/* route pattern for the access log (never the raw path) */
	int64_t		 log_user;	/* pseudonymous user number for the log, 0 if none */
};

/**
 * Add a header line "Name: value" (dropped, with a warning, if either holds
 * CR or LF).  The server writes Date, Content-Length and Connection itself.
 */
void	http_response_header(struct http_response *r, const char *name, const char *value);
/**
 * Send data instead of body without copying it: data stays valid until
 * release(arg) is called, once, after the response is written (or dropped).
 * A body lent earlier is released at once.
 */
void	http_response_lend(struct http_response *r, const char *data, size_t len,
	    void (*release)(void *), void *arg);
/** Set a status and a plain text body. */
void	http_response_text(struct http_response *r, int status, const char *text);
/** Standard reason phrase for a status code. */
const char *http_status_text(int status);

/**
 * Fast handler: runs on the loop thread.  Return true if it answered (it
 * filled resp); false hands the request to the slow handler.
 */
typedef bool (*http_fast_fn)(struct http_request *req, struct http_response *resp, void *ud);
/** Slow handler: runs on a thread-pool thread; must fill resp. */
typedef void (*http_slow_fn)(struct http_request *req, struct http_response *resp, void *ud);

struct http_server_config {
	const char		*host;		/* e.g. "127.0.0.1" or "::" */
	int			 port;		/* 0 picks a free port */
	int			 loops;		/* event loops (threads); 0 = number of cores */
	int			 max_connections; /* across all loops; beyond it new sockets are closed */
	int			 header_timeout_ms; /* to receive a full head (default 10000) */
	int			 body_timeout_ms;   /* between body reads (default 10000) */
	int			 idle_timeout_ms;   /* keep-alive idle (default 60000) */
	struct http_limits	 limits;
	const char		*trusted_proxy;	/* peer address whose X-Forwarded-For/Proto we trust, or NULL */
	http_fast_fn		 fast;
	http_slow_fn		 slow;
	void			*ud;
	bool			 access_log;	/* one JSON line per request */
	int			 stop_timeout_ms; /* graceful stop: wait this long for requests in progress (default 10000) */
};

struct http_server;

/**
 * Override cfg from the environment (tests, operators); unset variables
 * leave fields alone, malformed ones are ignored with a warning:
 * CIRCLES_LOOPS, CIRCLES_MAX_CONNECTIONS, CIRCLES_HEADER_TIMEOUT_MS,
 * CIRCLES_BODY_TIMEOUT_MS, CIRCLES_IDLE_TIMEOUT_MS, CIRCLES_MAX_BODY (bytes),
 * CIRCLES_ACCESS_LOG (0 turns it off), CIRCLES_TRUSTED_PROXY (an address),
 * CIRCLES_STOP_TIMEOUT_MS.
 * The strings stay owned by the environment.
 */
void	http_server_config_env(struct http_server_config *cfg);

/**
 * Bind and start the loops' threads. NULL with *err set (malloc'd) on failure.
 * Blocks SIGTERM and SIGINT in the calling thread (threads started later
 * inherit that) until http_server_wait, which should run on the same thread.
 */
struct http_server *http_server_start(const struct http_server_config *cfg, char **err);
/** The port actually bound (useful with port 0). */
int	http_server_port(const struct http_server *s);
/**
 * Block until SIGTERM/SIGINT (installed by this call), then stop gracefully.
 * Returns with both signals blocked in the calling thread, so a repeated
 * signal cannot kill the rest of the shutdown.
 */
void	http_server_wait(struct http_server *s);
/** Ask the server to stop (thread-safe); http_server_wait returns afterwards. */
void	http_server_stop(struct http_server *s);
/** Free everything after wait returned. */
void	http_server_free(struct http_server *s);

/** Counters exposed on /metrics. */
struct http_stats {
	uint64_t	requests;
	uint64_t	responses_by_class[6];	/* index status/100 */
	uint64_t	connections_open;
	uint64_t	connections_total;
	uint64_t	connections_refused;	/* over the cap */
	uint64_t	timeouts;
	uint64_t	bad_requests;		/* parser refusals */
};
void	http_server_stats(const struct http_server *s, struct http_stats *out);

#endif
