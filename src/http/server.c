/*
 * server.c: the HTTP/1.1 server on libuv event loops (see server.h).
 *
 * Design choices:
 *
 *   - Every loop owns its listening socket.  We create the sockets ourselves
 *     (SO_REUSEADDR + SO_REUSEPORT, bound to the same address) and hand them
 *     to libuv with uv_tcp_open, so the kernel spreads connections and no
 *     loop ever touches another loop's handles.  Everything a loop needs is
 *     set up on the starting thread before the loop's thread runs, so bind
 *     and listen errors are reported by http_server_start.
 *
 *   - A connection is a small state machine (HEAD, BODY_LENGTH,
 *     BODY_CHUNKED, HANDLING, WRITING, LINGER) with one read buffer and one
 *     timer whose meaning follows the state: header timeout (armed at
 *     connection start or at a request's first byte, never pushed back by
 *     later bytes, so a client trickling one byte a second is cut off),
 *     body timeout (pushed back by every body byte), idle keep-alive
 *     timeout, a write timeout (the response queue made no progress for
 *     body_timeout_ms: the client stopped reading) and the lingering close.
 *
 *   - One request at a time: reading stops while a request is handled and
 *     written, so pipelined bytes wait in the buffer and are parsed after
 *     the response has been written.  This keeps the buffer bounded (head
 *     limit plus one read) and responses in order.
 *
 *   - The parser re-scans the whole head on each call, so we only call it
 *     when new bytes hold a line feed (a head can only complete on one) or
 *     cross a size limit: a client sending its head byte by byte costs
 *     O(lines) scans, not O(bytes).
 *
 *   - The head is copied into the request arena in one piece and its slices
 *     rebased, then the read buffer drops it.  Content-Length bodies are
 *     copied straight into an arena block of the declared size (never more);
 *     chunked bodies are decoded into a buffer and copied at the end.
 *
 *   - The slow handler runs on libuv's thread pool.  While it runs, the
 *     connection may be closed by the server (drain deadline); memory is
 *     freed only when both libuv handles have closed and no work item is
 *     pending, so after_work never touches freed memory.
 *
 *   - A response that ends the connection is followed by a lingering close:
 *     shut the write side, discard input for up to LINGER_MS, then close.
 *     Closing a socket with unread input sends a reset that can destroy the
 *     error response in flight to the client (a 413 or 400 it never reads).
 *
 *   - Stopping: http_server_wait runs a small control loop on the calling
 *     thread with uv_signal watchers for SIGTERM/SIGINT and an async handle
 *     for http_server_stop.  http_server_start blocks both signals in the
 *     calling thread (the loop threads inherit the mask), so a signal that
 *     arrives before wait is pending, not fatal; wait unblocks them.
 *     Each worker loop then closes its listener, closes idle connections,
 *     lets requests in progress finish (their responses carry
 *     Connection: close) and force-closes what remains after
 *     stop_timeout_ms.  The threads are joined before wait returns.
 *
 *   - The access log names the route pattern the application reports,
 *     never the raw path or query, which may hold tokens.
 */
#include "http/server.h"

#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <uv.h>

#include "base/log.h"
#include "base/mem.h"

#define READ_CHUNK		(16 * 1024)
#define LISTEN_BACKLOG		511
#define LINGER_MS		2000
#define DEFAULT_STOP_MS		10000
#define DEFAULT_HEADER_MS	10000
#define DEFAULT_BODY_MS		10000
#define DEFAULT_IDLE_MS		60000
#define DEFAULT_MAX_CONNS	10000
#define DEFAULT_POOL_SIZE	"8"

enum conn_state {
	CONN_HEAD,		/* waiting for (the rest of) a request head */
	CONN_BODY_LENGTH,	/* collecting a Content-Length body */
	CONN_BODY_CHUNKED,	/* decoding a chunked body */
	CONN_HANDLING,		/* with the fast or the slow handler */
	CONN_WRITING,		/* response queued, waiting for the write callback */
	CONN_LINGER		/* final response sent, write side shut, discarding input */
};

enum timer_kind {
	TIMER_NONE,
	TIMER_HEADER,
	TIMER_BODY,
	TIMER_IDLE,
	TIMER_WRITE,
	TIMER_LINGER
};

struct loop;

struct conn {
	uv_tcp_t		 tcp;
	uv_timer_t		 timer;
	uv_write_t		 wreq;		/* the response */
	uv_write_t		 creq;		/* 100 Continue */
	uv_shutdown_t		 sreq;
	uv_work_t		 work;
	struct loop		*lp;
	struct conn		*prev, *next;	/* the loop's connections */

	enum conn_state		 state;
	enum timer_kind		 tkind;
	int			 handles;	/* open libuv handles: tcp, timer */
	bool			 reading;
	bool			 closing;	/* uv_close called; never write again */
	bool			 work_pending;	/* a slow handler owns req/resp */
	bool			 got_bytes;	/* the current request has begun */
	bool			 need_parse;	/* new bytes may complete the head */
	bool			 has_req;	/* req.head is valid */
	bool			 close_after;	/* close once the response is out */
	int64_t			 start_us;
	size_t			 wq_last;	/* unsent bytes at the last check */

	struct buf		 in;		/* bytes read, not yet consumed */
	struct buf		 out;		/* status line and headers */

	struct arena		 arena;
	struct http_request	 req;
	struct http_response	 resp;
	struct http_chunked	 chunked;
	struct buf		 chunk_body;
	char			*body;		/* arena block for a Content-Length body */
	uint64_t		 body_got;

	char			 peer[64];
};

struct loop {
	struct http_server	*srv;
	uv_loop_t		 loop;
	uv_tcp_t		 listener;
	uv_async_t		 async;		/* stop request */
	uv_timer_t		 drain;		/* bound on the graceful stop */
	uv_thread_t		 thread;
	bool			 inited;	/* loop and handles initialised */
	bool			 running;	/* thread started, not joined */
	bool			 stopping;
	bool			 finished;
	struct conn		*conns;
	size_t			 nconns;
	time_t			 date_sec;
	char			 date[64];	/* "Date: ...\r\n" for date_sec */
	uint64_t		 accept_warned;	/* uv_now of the last accept warning */
};

struct http_server {
	struct http_server_config cfg;
	char			*host;
	char			*trusted_proxy;
	int			 port;
	int			 nloops;
	struct loop		*loops;

	uv_loop_t		 ctl;		/* run by http_server_wait */
	uv_async_t		 ctl_async;
	uv_signal_t		 sigterm;
	uv_signal_t		 sigint;
	uv_mutex_t		 ctl_mu;
	bool			 ctl_inited;
	bool			 ctl_closed;	/* ctl_async closed: stop is a no-op */
	bool			 signals_on;
	bool			 mask_saved;
	sigset_t		 oldmask;	/* caller's mask before start */
	bool			 loops_stopped;

	atomic_int		 nconn;
	atomic_uint_fast64_t	 next_id;
	atomic_uint_fast64_t	 st_requests;
	atomic_uint_fast64_t	 st_class[6];
	atomic_uint_fast64_t	 st_conn_total;
	atomic_uint_fast64_t	 st_refused;
	atomic_uint_fast64_t	 st_timeouts;
	atomic_uint_fast64_t	 st_bad;
};

static void	conn_process(struct conn *);
static void	conn_close(struct conn *);
static void	conn_error(struct conn *, int);
static void	respond(struct conn *);
static void	on_read(uv_stream_t *, ssize_t, const uv_buf_t *);

static int64_t
now_us(void)
{
	return (int64_t)(uv_hrtime() / 1000);
}

/*
 * Responses.
 */

const char *
http_status_text(int status)
{
	switch (status) {
	case 100: return "Continue";
	case 101: return "Switching Protocols";
	case 200: return "OK";
	case 201: return "Created";
	case 202: return "Accepted";
	case 204: return "No Content";
	case 206: return "Partial Content";
	case 301: return "Moved Permanently";
	case 302: return "Found";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 307: return "Temporary Redirect";
	case 308: return "Permanent Redirect";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 406: return "Not Acceptable";
	case 408: return "Request Timeout";
	case 409: return "Conflict";
	case 410: return "Gone";
	case 411: return "Length Required";
	case 412: return "Precondition Failed";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 415: return "Unsupported Media Type";
	case 416: return "Range Not Satisfiable";
	case 417: return "Expectation Failed";
	case 422: return "Unprocessable Content";
	case 426: return "Upgrade Required";
	case 428: return "Precondition Required";
	case 429: return "Too Many Requests";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 504: return "Gateway Timeout";
	case 505: return "HTTP Version Not Supported";
	default:  return "Unknown";
	}
}

static bool
header_safe(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s == '\r' || *s == '\n')
			return false;
	return true;
}

void
http_response_header(struct http_response *r, const char *name,
    const char *value)
{
	/* a CR or LF would let a value forge headers or a second response */
	if (!header_safe(name) || !header_safe(value)) {
		log_warnx("http: header with a line break dropped");
		return;
	}
	buf_printf(&r->headers, "%s: %s\r\n", name, value);
}

void
http_response_lend(struct http_response *r, const char *data, size_t len,
    void (*release)(void *), void *arg)
{
	if (r->static_release != NULL)
		r->static_release(r->static_arg);
	r->static_body = data;
	r->static_len = len;
	r->static_release = release;
	r->static_arg = arg;
}

void
http_response_text(struct http_response *r, int status, const char *text)
{
	r->status = status;
	http_response_lend(r, NULL, 0, NULL, NULL);
	buf_reset(&r->body);
	buf_puts(&r->body, text);
	http_response_header(r, "Content-Type", "text/plain; charset=utf-8");
}

static void
resp_init(struct http_response *r)
{
	memset(r, 0, sizeof(*r));	/* status 0: not set, written as 200 */
}

static void
resp_free(struct http_response *r)
{
	if (r->static_release != NULL)
		r->static_release(r->static_arg);
	buf_free(&r->headers);
	buf_free(&r->body);
	resp_init(r);
}

/* "Date: ...\r\n", formatted once a second per loop, locale-independent. */
static const char *
date_header(struct loop *lp)
{
	static const char days[7][4] = {
		"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
	};
	static const char months[12][4] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
	};
	time_t now = time(NULL);
	struct tm tm;

	if (now != lp->date_sec || lp->date[0] == '\0') {
		gmtime_r(&now, &tm);
		snprintf(lp->date, sizeof(lp->date),
		    "Date: %s, %02d %s %04d %02d:%02d:%02d GMT\r\n",
		    days[tm.tm_wday % 7], tm.tm_mday, months[tm.tm_mon % 12],
		    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
		lp->date_sec = now;
	}
	return lp->date;
}

static void
access_log(struct conn *c, int status, size_t bytes)
{
	struct http_response *r = &c->resp;
	struct buf b = BUF_INIT;
	struct timespec ts;
	struct tm tm;
	char tbuf[32];
	const char *route = r->log_route != NULL ? r->log_route : "-";
	const char *client = c->has_req && c->req.client[0] ? c->req.client : c->peer;
	int64_t dur = now_us() - c->start_us;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(tbuf, sizeof(tbuf), "%Y-%m-%dT%H:%M:%S", &tm);
	buf_printf(&b, "{\"ts\":\"%s.%03ldZ\",\"level\":\"info\","
	    "\"msg\":\"request\",\"method\":\"", tbuf, ts.tv_nsec / 1000000);
	if (c->has_req)
		buf_append_json(&b, c->req.head.method.p, c->req.head.method.len);
	else
		buf_putc(&b, '-');
	buf_puts(&b, "\",\"route\":\"");
	buf_append_json(&b, route, strlen(route));
	buf_printf(&b, "\",\"status\":%d,\"bytes\":%zu,\"duration_ms\":%.3f,"
	    "\"request_id\":%llu,\"client\":\"", status, bytes,
	    dur > 0 ? (double)dur / 1000.0 : 0.0,
	    (unsigned long long)c->req.id);
	buf_append_json(&b, client, strlen(client));
	buf_printf(&b, "\",\"user\":%lld}", (long long)r->log_user);
	log_json_line(b.data, b.len);
	buf_free(&b);
}

/*
 * Connection plumbing.
 */

static void
timer_set(struct conn *c, enum timer_kind kind, int ms);

/*
 * Bytes of the response not yet acknowledged by the client: libuv's queue
 * plus the kernel's send queue.  The kernel only reports the socket
 * writable again once a good part of its buffer is free, which a slow but
 * honest reader may take longer than the timeout to achieve; counting the
 * kernel's queue too makes every acknowledged byte count as progress.
 */
static size_t
unsent(struct conn *c)
{
	size_t n = uv_stream_get_write_queue_size((uv_stream_t *)&c->tcp);
	uv_os_fd_t fd;
	int q;

	if (uv_fileno((uv_handle_t *)&c->tcp, &fd) == 0 &&
	    ioctl(fd, TIOCOUTQ, &q) == 0 && q > 0)
		n += (size_t)q;
	return n;
}

static void
on_timer(uv_timer_t *t)
{
	struct conn *c = t->data;
	struct http_server *s = c->lp->srv;
	enum timer_kind kind = c->tkind;

	c->tkind = TIMER_NONE;
	switch (kind) {
	case TIMER_HEADER:
		if (c->state != CONN_HEAD)
			break;
		if (!c->got_bytes) {
			/* nothing asked, nothing to answer */
			conn_close(c);
			break;
		}
		atomic_fetch_add(&s->st_timeouts, 1);
		conn_error(c, 408);
		break;
	case TIMER_BODY:
		if (c->state != CONN_BODY_LENGTH && c->state != CONN_BODY_CHUNKED)
			break;
		atomic_fetch_add(&s->st_timeouts, 1);
		conn_error(c, 408);
		break;
	case TIMER_WRITE:
		/* a client that stopped reading: close unless it made progress */
		if (c->state != CONN_WRITING)
			break;
		if (unsent(c) < c->wq_last) {
			c->wq_last = unsent(c);
			timer_set(c, TIMER_WRITE, s->cfg.body_timeout_ms);
			break;
		}
		atomic_fetch_add(&s->st_timeouts, 1);
		conn_close(c);
		break;
	case TIMER_IDLE:
	case TIMER_LINGER:
		conn_close(c);
		break;
	case TIMER_NONE:
		break;
	}
}

static void
timer_set(struct conn *c, enum timer_kind kind, int ms)
{
	if (c->closing)
		return;
	c->tkind = kind;
	uv_timer_start(&c->timer, on_timer, (uint64_t)(ms > 0 ? ms : 1), 0);
}

static void
timer_stop(struct conn *c)
{
	c->tkind = TIMER_NONE;
	uv_timer_stop(&c->timer);
}

static void
on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *ub)
{
	struct conn *c = h->data;

	(void)suggested;
	if (c->state == CONN_LINGER)
		c->in.len = 0;		/* discarding */
	buf_reserve(&c->in, READ_CHUNK);
	ub->base = c->in.data + c->in.len;
	ub->len = READ_CHUNK;
}

static void
read_start(struct conn *c)
{
	int rc;

	if (c->reading || c->closing)
		return;
	if ((rc = uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read)) != 0) {
		conn_close(c);
		return;
	}
	c->reading = true;
}

static void
read_stop(struct conn *c)
{
	if (!c->reading)
		return;
	uv_read_stop((uv_stream_t *)&c->tcp);
	c->reading = false;
}

/* Free the current request's memory; the connection goes on. */
static void
request_end(struct conn *c)
{
	arena_free(&c->arena);
	resp_free(&c->resp);
	buf_free(&c->chunk_body);
	memset(&c->req, 0, sizeof(c->req));
	c->body = NULL;
	c->body_got = 0;
	c->has_req = false;
	c->got_bytes = false;
	c->close_after = false;
}

static void
conn_maybe_free(struct conn *c)
{
	if (c->handles > 0 || c->work_pending)
		return;
	request_end(c);
	buf_free(&c->in);
	buf_free(&c->out);
	free(c);
}

static void
on_conn_handle_closed(uv_handle_t *h)
{
	struct conn *c = h->data;

	c->handles--;
	conn_maybe_free(c);
}

static void	loop_finish(struct loop *);

static void
conn_close(struct conn *c)
{
	struct loop *lp = c->lp;

	if (c->closing)
		return;
	c->closing = true;
	c->reading = false;
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		lp->conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	c->prev = c->next = NULL;
	lp->nconns--;
	atomic_fetch_sub(&lp->srv->nconn, 1);
	uv_close((uv_handle_t *)&c->tcp, on_conn_handle_closed);
	uv_close((uv_handle_t *)&c->timer, on_conn_handle_closed);
	if (lp->stopping && lp->nconns == 0)
		loop_finish(lp);
}

static void
on_linger_shutdown(uv_shutdown_t *req, int status)
{
	struct conn *c = req->data;

	if (c->closing)
		return;
	if (status < 0) {
		conn_close(c);
		return;
	}
	timer_set(c, TIMER_LINGER, LINGER_MS);
	read_start(c);
}

static void
linger_start(struct conn *c)
{
	c->state = CONN_LINGER;
	timer_stop(c);
	read_stop(c);
	c->in.len = 0;
	c->sreq.data = c;
	if (uv_shutdown(&c->sreq, (uv_stream_t *)&c->tcp, on_linger_shutdown) != 0)
		conn_close(c);
}

static void
on_write(uv_write_t *w, int status)
{
	struct conn *c = w->data;
	struct http_server *s = c->lp->srv;

	if (c->closing)
		return;
	if (status < 0) {
		conn_close(c);
		return;
	}
	if (c->close_after) {
		request_end(c);
		linger_start(c);
		return;
	}
	request_end(c);
	buf_reset(&c->out);
	c->state = CONN_HEAD;
	c->need_parse = true;
	if (c->in.len == 0 && c->lp->stopping) {
		/* stopping: an idle connection is closed, not kept */
		conn_close(c);
		return;
	}
	if (c->in.len == 0) {
		/* idle keep-alive connections keep no read buffer */
		buf_free(&c->in);
		timer_set(c, TIMER_IDLE, s->cfg.idle_timeout_ms);
	}
	conn_process(c);
}

static void
on_continue_written(uv_write_t *w, int status)
{
	(void)w;
	(void)status;
}

static void
write_continue(struct conn *c)
{
	static char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
	uv_buf_t b = uv_buf_init(cont, sizeof(cont) - 1);

	c->creq.data = c;
	if (uv_write(&c->creq, (uv_stream_t *)&c->tcp, &b, 1,
	    on_continue_written) != 0)
		conn_close(c);
}

/*
 * Write c->resp.  Headers go to c->out; the body stays where the handler
 * left it (resp.body or static_body) until on_write.
 */
static void
respond(struct conn *c)
{
	struct loop *lp = c->lp;
	struct http_server *s = lp->srv;
	struct http_response *r = &c->resp;
	const char *body;
	size_t blen, sent = 0;
	uv_buf_t bufs[2];
	unsigned int nbufs = 1;
	int status = r->status;
	bool head_only = c->has_req && c->req.head.method_id == HTTP_HEAD;
	bool no_body;

	if (status == 0)
		status = 200;
	else if (status < 200 || status > 599)
		status = 500;
	no_body = status == 204 || status == 304;
	if (r->static_body != NULL) {
		body = r->static_body;
		blen = r->static_len;
	} else {
		body = r->body.data;
		blen = r->body.len;
	}
	if (r->close || lp->stopping || (c->has_req && !c->req.head.keep_alive))
		c->close_after = true;

	buf_reset(&c->out);
	buf_printf(&c->out, "HTTP/1.1 %d %s\r\n", status, http_status_text(status));
	buf_puts(&c->out, date_header(lp));
	if (!no_body)
		buf_printf(&c->out, "Content-Length: %zu\r\n", blen);
	if (r->headers.len > 0)
		buf_append(&c->out, r->headers.data, r->headers.len);
	if (c->close_after)
		buf_puts(&c->out, "Connection: close\r\n");
	else if (c->has_req && c->req.head.minor == 0)
		buf_puts(&c->out, "Connection: keep-alive\r\n");
	buf_puts(&c->out, "\r\n");

	/* uv_buf_t's length is a size_t on Unix; uv_buf_init would truncate */
	bufs[0].base = c->out.data;
	bufs[0].len = c->out.len;
	if (!head_only && !no_body && blen > 0) {
		bufs[1].base = (char *)body;
		bufs[1].len = blen;
		nbufs = 2;
		sent = blen;
	}

	c->state = CONN_WRITING;
	read_stop(c);
	timer_stop(c);
	atomic_fetch_add(&s->st_class[status / 100], 1);
	if (s->cfg.access_log)
		access_log(c, status, sent);

	c->wreq.data = c;
	if (uv_write(&c->wreq, (uv_stream_t *)&c->tcp, bufs, nbufs, on_write) != 0) {
		conn_close(c);
		return;
	}
	/* not all written at once: the client must keep reading */
	if (uv_stream_get_write_queue_size((uv_stream_t *)&c->tcp) > 0) {
		c->wq_last = unsent(c);
		timer_set(c, TIMER_WRITE, s->cfg.body_timeout_ms);
	}
}

/* Answer status and close: parser refusals, limits, timeouts. */
static void
conn_error(struct conn *c, int status)
{
	struct http_server *s = c->lp->srv;
	char text[80];

	read_stop(c);
	timer_stop(c);
	if (!c->has_req)
		c->req.id = atomic_fetch_add(&s->next_id, 1) + 1;
	if (!c->got_bytes)
		c->start_us = now_us();
	resp_free(&c->resp);
	snprintf(text, sizeof(text), "%s\n", http_status_text(status));
	http_response_text(&c->resp, status, text);
	c->close_after = true;
	respond(c);
}

/*
 * Requests.
 */

static void
rebase(struct str *sl, const char *from, size_t len, const char *to)
{
	uintptr_t p = (uintptr_t)sl->p, b = (uintptr_t)from;

	if (sl->p != NULL && p >= b && p <= b + len)
		sl->p = to + (p - b);
}

/* The head is complete in c->in[0..n): move it into the request arena. */
static void
request_begin(struct conn *c, size_t n)
{
	struct http_server *s = c->lp->srv;
	struct http_head *h = &c->req.head;
	char *copy;
	size_t i;

	arena_init(&c->arena);
	copy = arena_strndup(&c->arena, c->in.data, n);
	rebase(&h->method, c->in.data, n, copy);
	rebase(&h->target, c->in.data, n, copy);
	rebase(&h->path, c->in.data, n, copy);
	rebase(&h->query, c->in.data, n, copy);
	for (i = 0; i < h->nheaders && i < HTTP_MAX_HEADERS; i++) {
		rebase(&h->headers[i].name, c->in.data, n, copy);
		rebase(&h->headers[i].value, c->in.data, n, copy);
	}
	buf_consume(&c->in, n);
	c->has_req = true;
	c->req.arena = &c->arena;
	c->req.id = atomic_fetch_add(&s->next_id, 1) + 1;
	c->req.start_us = c->start_us;
	resp_init(&c->resp);
}

static bool
valid_ip(const char *s)
{
	unsigned char tmp[sizeof(struct in6_addr)];

	return inet_pton(AF_INET, s, tmp) == 1 || inet_pton(AF_INET6, s, tmp) == 1;
}

/* peer, and the forwarded client and scheme when peer is the trusted proxy */
static void
request_client(struct conn *c)
{
	struct http_request *r = &c->req;
	const char *tp = c->lp->srv->trusted_proxy;
	const struct http_header *xff = NULL, *proto = NULL;
	struct str v;
	char tmp[64];
	size_t i;

	snprintf(r->peer, sizeof(r->peer), "%s", c->peer);
	snprintf(r->client, sizeof(r->client), "%s", c->peer);
	r->tls = false;
	if (tp == NULL || strcmp(c->peer, tp) != 0)
		return;
	for (i = 0; i < r->head.nheaders; i++) {
		if (str_caseeqc(r->head.headers[i].name, "X-Forwarded-For"))
			xff = &r->head.headers[i];
		else if (str_caseeqc(r->head.headers[i].name, "X-Forwarded-Proto"))
			proto = &r->head.headers[i];
	}
	if (xff != NULL) {
		v = xff->value;
		for (i = v.len; i > 0; i--)
			if (v.p[i - 1] == ',')
				break;
		v.p += i;
		v.len -= i;
		v = str_trim(v);
		if (v.len > 0 && v.len < sizeof(tmp)) {
			memcpy(tmp, v.p, v.len);
			tmp[v.len] = '\0';
			if (valid_ip(tmp))
				snprintf(r->client, sizeof(r->client), "%s", tmp);
		}
	}
	if (proto != NULL && str_caseeqc(str_trim(proto->value), "https"))
		r->tls = true;
}

static void
on_work(uv_work_t *w)
{
	struct conn *c = w->data;
	struct http_server *s = c->lp->srv;

	s->cfg.slow(&c->req, &c->resp, s->cfg.ud);
}

static void
on_after_work(uv_work_t *w, int status)
{
	struct conn *c = w->data;

	c->work_pending = false;
	if (c->closing) {
		/* closed while the handler ran (drain deadline); just free */
		conn_maybe_free(c);
		return;
	}
	if (status == UV_ECANCELED) {
		resp_free(&c->resp);
		http_response_text(&c->resp, 503, "Service Unavailable\n");
		c->resp.close = true;
	}
	respond(c);
}

static void
dispatch(struct conn *c)
{
	struct http_server *s = c->lp->srv;
	struct http_request *r = &c->req;
	int rc;

	c->state = CONN_HANDLING;
	read_stop(c);
	timer_stop(c);
	if (c->body == NULL) {
		/* chunked (decoded into chunk_body) or no body at all */
		r->body_len = c->chunk_body.len;
		c->body = arena_strndup(&c->arena,
		    c->chunk_body.data != NULL ? c->chunk_body.data : "",
		    c->chunk_body.len);
		buf_free(&c->chunk_body);
	} else {
		r->body_len = c->body_got;
		c->body[c->body_got] = '\0';
	}
	r->body = c->body;
	request_client(c);
	atomic_fetch_add(&s->st_requests, 1);

	if (s->cfg.fast != NULL && s->cfg.fast(r, &c->resp, s->cfg.ud)) {
		respond(c);
		return;
	}
	if (s->cfg.slow == NULL) {
		resp_free(&c->resp);
		http_response_text(&c->resp, 404, "Not Found\n");
		respond(c);
		return;
	}
	c->work.data = c;
	c->work_pending = true;
	rc = uv_queue_work(&c->lp->loop, &c->work, on_work, on_after_work);
	if (rc != 0) {
		c->work_pending = false;
		resp_free(&c->resp);
		http_response_text(&c->resp, 503, "Service Unavailable\n");
		c->resp.close = true;
		respond(c);
	}
}

/* Returns true to keep processing, false to wait for input or a handler. */
static bool
step_head(struct conn *c)
{
	struct http_server *s = c->lp->srv;
	const struct http_limits *lim = &s->cfg.limits;
	struct http_head *h = &c->req.head;
	long n;

	if (c->in.len == 0) {
		read_start(c);
		return false;
	}
	if (!c->got_bytes) {
		c->got_bytes = true;
		c->start_us = now_us();
		if (c->tkind != TIMER_HEADER)
			timer_set(c, TIMER_HEADER, s->cfg.header_timeout_ms);
	}
	if (!c->need_parse) {
		read_start(c);
		return false;
	}
	c->need_parse = false;
	memset(h, 0, sizeof(*h));
	n = http_parse_head(c->in.data, c->in.len, lim, h);
	if (n < 0) {
		atomic_fetch_add(&s->st_bad, 1);
		memset(h, 0, sizeof(*h));
		conn_error(c, (int)-n);
		return false;
	}
	if (n == 0) {
		memset(h, 0, sizeof(*h));
		if (c->in.len > lim->max_head) {
			/* the parser should have said so; never buffer more */
			atomic_fetch_add(&s->st_bad, 1);
			conn_error(c, 431);
			return false;
		}
		read_start(c);
		return false;
	}
	if ((size_t)n > c->in.len) {
		conn_error(c, 500);
		return false;
	}
	request_begin(c, (size_t)n);

	if (h->chunked) {
		http_chunked_init(&c->chunked);
		c->state = CONN_BODY_CHUNKED;
	} else if (h->has_content_length && h->content_length > 0) {
		if (h->content_length > lim->max_body ||
		    h->content_length >= SIZE_MAX) {
			atomic_fetch_add(&s->st_bad, 1);
			conn_error(c, 413);
			return false;
		}
		c->body = arena_alloc(&c->arena, (size_t)h->content_length + 1);
		c->body_got = 0;
		c->state = CONN_BODY_LENGTH;
	} else {
		dispatch(c);
		return false;
	}
	if (h->expect_continue && h->minor == 1 && c->in.len == 0)
		write_continue(c);
	timer_set(c, TIMER_BODY, s->cfg.body_timeout_ms);
	return true;
}

static bool
step_body_length(struct conn *c)
{
	struct http_server *s = c->lp->srv;
	uint64_t need = c->req.head.content_length - c->body_got;
	size_t take = c->in.len < need ? c->in.len : (size_t)need;

	if (take > 0) {
		memcpy(c->body + c->body_got, c->in.data, take);
		c->body_got += take;
		buf_consume(&c->in, take);
	}
	if (c->body_got == c->req.head.content_length) {
		dispatch(c);
		return false;
	}
	if (take > 0)
		timer_set(c, TIMER_BODY, s->cfg.body_timeout_ms);
	read_start(c);
	return false;
}

static bool
step_body_chunked(struct conn *c)
{
	struct http_server *s = c->lp->srv;
	size_t used = 0;
	int rc;

	if (c->in.len == 0) {
		read_start(c);
		return false;
	}
	rc = http_chunked_decode(&c->chunked, c->in.data, c->in.len, &used,
	    &c->chunk_body, s->cfg.limits.max_body);
	if (used > c->in.len)
		used = c->in.len;
	buf_consume(&c->in, used);
	if (rc < 0) {
		atomic_fetch_add(&s->st_bad, 1);
		conn_error(c, -rc);
		return false;
	}
	if (rc == 1) {
		dispatch(c);
		return false;
	}
	if (used > 0)
		timer_set(c, TIMER_BODY, s->cfg.body_timeout_ms);
	read_start(c);
	return false;
}

static void
conn_process(struct conn *c)
{
	bool more = true;

	while (more && !c->closing) {
		switch (c->state) {
		case CONN_HEAD:
			more = step_head(c);
			break;
		case CONN_BODY_LENGTH:
			more = step_body_length(c);
			break;
		case CONN_BODY_CHUNKED:
			more = step_body_chunked(c);
			break;
		default:
			more = false;
			break;
		}
	}
}

static void
on_read(uv_stream_t *st, ssize_t nread, const uv_buf_t *ub)
{
	struct conn *c = st->data;
	const struct http_limits *lim = &c->lp->srv->cfg.limits;
	size_t before = c->in.len;

	(void)ub;
	if (nread == 0)
		return;
	if (nread < 0) {
		/* EOF or error: a half-sent request cannot be answered */
		conn_close(c);
		return;
	}
	if (c->state == CONN_LINGER)
		return;			/* discarded */
	c->in.len += (size_t)nread;
	c->in.data[c->in.len] = '\0';
	if (c->state == CONN_HEAD && !c->need_parse) {
		c->need_parse =
		    memchr(c->in.data + before, '\n', (size_t)nread) != NULL ||
		    c->in.len > lim->max_head ||
		    (before <= lim->max_line && c->in.len > lim->max_line);
	}
	if (c->state == CONN_HEAD || c->state == CONN_BODY_LENGTH ||
	    c->state == CONN_BODY_CHUNKED)
		conn_process(c);
	else
		read_stop(c);
}

/*
 * Accepting.
 */

static void
on_refused_closed(uv_handle_t *h)
{
	free(h);
}

static void
refuse(uv_tcp_t *t)
{
	static char busy[] = "HTTP/1.1 503 Service Unavailable\r\n"
	    "Content-Length: 20\r\nContent-Type: text/plain; charset=utf-8\r\n"
	    "Connection: close\r\nRetry-After: 1\r\n\r\n"
	    "Service Unavailable\n";
	uv_buf_t b = uv_buf_init(busy, sizeof(busy) - 1);

	/* best effort, never blocks: a fresh socket has room for this */
	(void)uv_try_write((uv_stream_t *)t, &b, 1);
	uv_close((uv_handle_t *)t, on_refused_closed);
}

static void
peer_name(uv_tcp_t *t, char *out, size_t outlen)
{
	struct sockaddr_storage ss;
	int len = sizeof(ss);

	snprintf(out, outlen, "-");
	if (uv_tcp_getpeername(t, (struct sockaddr *)&ss, &len) != 0)
		return;
	if (ss.ss_family == AF_INET) {
		uv_ip4_name((struct sockaddr_in *)&ss, out, outlen);
	} else if (ss.ss_family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr))
			inet_ntop(AF_INET, &s6->sin6_addr.s6_addr[12], out,
			    (socklen_t)outlen);
		else
			uv_ip6_name(s6, out, outlen);
	}
}

static void
on_connection(uv_stream_t *ls, int status)
{
	struct loop *lp = ls->data;
	struct http_server *s = lp->srv;
	struct conn *c;
	uv_tcp_t *t;
	int n;

	if (status < 0) {
		/* e.g. out of descriptors: say so, but not for every attempt */
		if (lp->accept_warned == 0 ||
		    uv_now(&lp->loop) - lp->accept_warned >= 10000) {
			lp->accept_warned = uv_now(&lp->loop);
			log_warnx("http: accept: %s", uv_strerror(status));
		}
		return;
	}
	if (lp->stopping)
		return;
	c = xcalloc(1, sizeof(*c));
	t = &c->tcp;
	uv_tcp_init(&lp->loop, t);
	if (uv_accept(ls, (uv_stream_t *)t) != 0) {
		uv_close((uv_handle_t *)t, on_refused_closed);
		return;
	}
	n = atomic_fetch_add(&s->nconn, 1) + 1;
	if (n > s->cfg.max_connections) {
		atomic_fetch_sub(&s->nconn, 1);
		atomic_fetch_add(&s->st_refused, 1);
		refuse(t);		/* frees c: tcp is its first member */
		return;
	}
	atomic_fetch_add(&s->st_conn_total, 1);
	uv_tcp_nodelay(t, 1);
	peer_name(t, c->peer, sizeof(c->peer));
	c->lp = lp;
	c->tcp.data = c;
	uv_timer_init(&lp->loop, &c->timer);
	c->timer.data = c;
	c->handles = 2;
	arena_init(&c->arena);
	resp_init(&c->resp);
	c->next = lp->conns;
	if (lp->conns != NULL)
		lp->conns->prev = c;
	lp->conns = c;
	lp->nconns++;
	c->state = CONN_HEAD;
	c->start_us = now_us();
	timer_set(c, TIMER_HEADER, s->cfg.header_timeout_ms);
	read_start(c);
}

/*
 * Loops.
 */

static void
loop_finish(struct loop *lp)
{
	if (lp->finished)
		return;
	lp->finished = true;
	uv_close((uv_handle_t *)&lp->async, NULL);
	uv_close((uv_handle_t *)&lp->drain, NULL);
}

static void
on_drain_deadline(uv_timer_t *t)
{
	struct loop *lp = t->data;
	struct conn *c, *next;

	if (lp->nconns > 0)
		log_warnx("http: %zu connection(s) still busy at the stop "
		    "deadline, closing", lp->nconns);
	for (c = lp->conns; c != NULL; c = next) {
		next = c->next;
		conn_close(c);
	}
	if (lp->nconns == 0)
		loop_finish(lp);
}

static void
on_loop_stop(uv_async_t *a)
{
	struct loop *lp = a->data;
	struct conn *c, *next;

	if (lp->stopping)
		return;
	lp->stopping = true;
	uv_close((uv_handle_t *)&lp->listener, NULL);
	for (c = lp->conns; c != NULL; c = next) {
		next = c->next;
		if ((c->state == CONN_HEAD && !c->got_bytes && c->in.len == 0))
			conn_close(c);
	}
	if (lp->nconns == 0) {
		loop_finish(lp);
		return;
	}
	uv_timer_start(&lp->drain, on_drain_deadline,
	    (uint64_t)lp->srv->cfg.stop_timeout_ms, 0);
}

static void
loop_main(void *arg)
{
	struct loop *lp = arg;

	/* SIGTERM/SIGINT stay blocked here (inherited from the starting thread) */
	uv_run(&lp->loop, UV_RUN_DEFAULT);
	if (uv_loop_close(&lp->loop) != 0)
		log_warnx("http: event loop closed with handles still open");
}

/* Tear down a loop whose thread never ran. */
static void
loop_teardown(struct loop *lp)
{
	if (!lp->inited)
		return;
	if (!uv_is_closing((uv_handle_t *)&lp->listener))
		uv_close((uv_handle_t *)&lp->listener, NULL);
	uv_close((uv_handle_t *)&lp->async, NULL);
	uv_close((uv_handle_t *)&lp->drain, NULL);
	uv_run(&lp->loop, UV_RUN_DEFAULT);
	uv_loop_close(&lp->loop);
	lp->inited = false;
}

static int
make_listener(const struct sockaddr *sa, socklen_t salen, char **err,
    const char *host, int port)
{
	int fd, one = 1;

	fd = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		*err = xasprintf("socket: %s", strerror(errno));
		return -1;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) == -1) {
		*err = xasprintf("setsockopt: %s", strerror(errno));
		close(fd);
		return -1;
	}
	if (bind(fd, sa, salen) == -1) {
		*err = xasprintf("bind %s port %d: %s", host, port, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static int
loop_init(struct loop *lp, struct http_server *s, int fd, char **err)
{
	int rc;

	lp->srv = s;
	if ((rc = uv_loop_init(&lp->loop)) != 0) {
		*err = xasprintf("uv_loop_init: %s", uv_strerror(rc));
		close(fd);
		return -1;
	}
	uv_tcp_init(&lp->loop, &lp->listener);
	lp->listener.data = lp;
	uv_async_init(&lp->loop, &lp->async, on_loop_stop);
	lp->async.data = lp;
	uv_timer_init(&lp->loop, &lp->drain);
	lp->drain.data = lp;
	lp->inited = true;
	if ((rc = uv_tcp_open(&lp->listener, fd)) != 0) {
		*err = xasprintf("uv_tcp_open: %s", uv_strerror(rc));
		close(fd);
		return -1;
	}
	if ((rc = uv_listen((uv_stream_t *)&lp->listener, LISTEN_BACKLOG,
	    on_connection)) != 0) {
		*err = xasprintf("listen: %s", uv_strerror(rc));
		return -1;
	}
	return 0;
}

/* Ask every loop to stop and join the threads; idempotent. */
static void
loops_stop(struct http_server *s)
{
	int i;

	if (s->loops_stopped)
		return;
	s->loops_stopped = true;
	for (i = 0; i < s->nloops; i++)
		if (s->loops[i].running)
			uv_async_send(&s->loops[i].async);
	for (i = 0; i < s->nloops; i++) {
		if (s->loops[i].running) {
			uv_thread_join(&s->loops[i].thread);
			s->loops[i].running = false;
			s->loops[i].inited = false;
		}
	}
}

/*
 * Control loop: signals and http_server_stop.
 */

static void
ctl_quit(struct http_server *s)
{
	uv_mutex_lock(&s->ctl_mu);
	if (s->ctl_closed) {
		uv_mutex_unlock(&s->ctl_mu);
		return;
	}
	s->ctl_closed = true;
	uv_mutex_unlock(&s->ctl_mu);
	uv_close((uv_handle_t *)&s->ctl_async, NULL);
}

static void
on_ctl_async(uv_async_t *a)
{
	ctl_quit(a->data);
}

static void
on_signal(uv_signal_t *h, int signum)
{
	struct http_server *s = h->data;

	log_info("http: %s received, stopping",
	    signum == SIGTERM ? "SIGTERM" : "SIGINT");
	ctl_quit(s);
}

static void
ctl_teardown(struct http_server *s)
{
	if (!s->ctl_inited)
		return;
	ctl_quit(s);
	if (s->signals_on) {
		uv_close((uv_handle_t *)&s->sigterm, NULL);
		uv_close((uv_handle_t *)&s->sigint, NULL);
		s->signals_on = false;
	}
	uv_run(&s->ctl, UV_RUN_DEFAULT);
	uv_loop_close(&s->ctl);
	s->ctl_inited = false;
}

static void
stop_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
}

static void
mask_restore(struct http_server *s)
{
	if (!s->mask_saved)
		return;
	pthread_sigmask(SIG_SETMASK, &s->oldmask, NULL);
	s->mask_saved = false;
}

/*
 * Public API.
 */

/*
 * The connection cap must fit in the descriptor limit, with room for the
 * listeners, the database and files: sockets beyond it would fail in
 * accept, where they cannot even be answered.
 */
static int
conn_cap(int want)
{
	struct rlimit rl;
	rlim_t room;
	bool asked = want > 0;

	if (!asked)
		want = DEFAULT_MAX_CONNS;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
		return want;
	room = rl.rlim_cur > 128 ? rl.rlim_cur - 64 : rl.rlim_cur / 2;
	if ((rlim_t)want > room) {
		if (asked)
			log_warnx("http: max_connections %d lowered to %llu to "
			    "fit the descriptor limit", want,
			    (unsigned long long)room);
		want = (int)room;
	}
	return want > 0 ? want : 1;
}

static int
env_int(const char *name, int *out, int min)
{
	const char *v = getenv(name);
	char *end;
	long n;

	if (v == NULL || *v == '\0')
		return 0;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || *end != '\0' || n < min || n > INT_MAX) {
		log_warnx("http: ignoring %s: not a number >= %d", name, min);
		return 0;
	}
	*out = (int)n;
	return 1;
}

void
http_server_config_env(struct http_server_config *cfg)
{
	const char *v;
	int n;

	env_int("CIRCLES_LOOPS", &cfg->loops, 0);
	env_int("CIRCLES_MAX_CONNECTIONS", &cfg->max_connections, 1);
	env_int("CIRCLES_HEADER_TIMEOUT_MS", &cfg->header_timeout_ms, 1);
	env_int("CIRCLES_BODY_TIMEOUT_MS", &cfg->body_timeout_ms, 1);
	env_int("CIRCLES_IDLE_TIMEOUT_MS", &cfg->idle_timeout_ms, 1);
	env_int("CIRCLES_STOP_TIMEOUT_MS", &cfg->stop_timeout_ms, 1);
	if (env_int("CIRCLES_MAX_BODY", &n, 0)) {
		if (cfg->limits.max_line == 0)
			cfg->limits = http_default_limits;
		cfg->limits.max_body = (uint64_t)n;
	}
	if ((v = getenv("CIRCLES_ACCESS_LOG")) != NULL && *v != '\0')
		cfg->access_log = strcmp(v, "0") != 0;
	if ((v = getenv("CIRCLES_TRUSTED_PROXY")) != NULL)
		cfg->trusted_proxy = *v != '\0' ? v : NULL;
}

struct http_server *
http_server_start(const struct http_server_config *cfg, char **err)
{
	struct http_server *s;
	struct sockaddr_storage ss;
	socklen_t salen;
	sigset_t set;
	char *e = NULL;
	int i, fd, rc;

	*err = NULL;
	/* before any loop queues work: libuv reads it once */
	setenv("UV_THREADPOOL_SIZE", DEFAULT_POOL_SIZE, 0);
	/* a write to a reset socket must be an error, not death */
	signal(SIGPIPE, SIG_IGN);

	s = xcalloc(1, sizeof(*s));
	s->cfg = *cfg;
	s->host = xstrdup(cfg->host != NULL ? cfg->host : "127.0.0.1");
	s->cfg.host = s->host;
	if (cfg->trusted_proxy != NULL && *cfg->trusted_proxy != '\0')
		s->trusted_proxy = xstrdup(cfg->trusted_proxy);
	s->cfg.trusted_proxy = s->trusted_proxy;
	if (s->cfg.header_timeout_ms <= 0)
		s->cfg.header_timeout_ms = DEFAULT_HEADER_MS;
	if (s->cfg.body_timeout_ms <= 0)
		s->cfg.body_timeout_ms = DEFAULT_BODY_MS;
	if (s->cfg.idle_timeout_ms <= 0)
		s->cfg.idle_timeout_ms = DEFAULT_IDLE_MS;
	if (s->cfg.stop_timeout_ms <= 0)
		s->cfg.stop_timeout_ms = DEFAULT_STOP_MS;
	s->cfg.max_connections = conn_cap(s->cfg.max_connections);
	if (s->cfg.limits.max_line == 0 && s->cfg.limits.max_head == 0)
		s->cfg.limits = http_default_limits;
	if (s->cfg.limits.max_headers > HTTP_MAX_HEADERS)
		s->cfg.limits.max_headers = HTTP_MAX_HEADERS;
	s->nloops = s->cfg.loops > 0 ? s->cfg.loops : (int)uv_available_parallelism();
	if (s->nloops < 1)
		s->nloops = 1;
	if (s->nloops > 256)
		s->nloops = 256;
	s->cfg.loops = s->nloops;

	memset(&ss, 0, sizeof(ss));
	if (strchr(s->host, ':') != NULL) {
		rc = uv_ip6_addr(s->host, cfg->port, (struct sockaddr_in6 *)&ss);
		salen = sizeof(struct sockaddr_in6);
	} else {
		rc = uv_ip4_addr(s->host, cfg->port, (struct sockaddr_in *)&ss);
		salen = sizeof(struct sockaddr_in);
	}
	if (rc != 0 || cfg->port < 0 || cfg->port > 65535) {
		*err = xasprintf("bad listen address %s port %d (want a numeric "
		    "address)", s->host, cfg->port);
		free(s->host);
		free(s->trusted_proxy);
		free(s);
		return NULL;
	}

	/*
	 * Block the stop signals until http_server_wait watches them; the
	 * loop threads (and the thread pool they start) inherit the mask.
	 */
	stop_signals(&set);
	if (pthread_sigmask(SIG_BLOCK, &set, &s->oldmask) == 0)
		s->mask_saved = true;
	uv_mutex_init(&s->ctl_mu);
	uv_loop_init(&s->ctl);
	uv_async_init(&s->ctl, &s->ctl_async, on_ctl_async);
	s->ctl_async.data = s;
	s->ctl_inited = true;

	s->loops = xcalloc((size_t)s->nloops, sizeof(*s->loops));
	s->port = cfg->port;
	for (i = 0; i < s->nloops; i++) {
		fd = make_listener((struct sockaddr *)&ss, salen, &e, s->host, s->port);
		if (fd == -1)
			goto fail;
		if (i == 0 && s->port == 0) {
			struct sockaddr_storage got;
			socklen_t glen = sizeof(got);

			if (getsockname(fd, (struct sockaddr *)&got, &glen) == -1) {
				e = xasprintf("getsockname: %s", strerror(errno));
				close(fd);
				goto fail;
			}
			if (got.ss_family == AF_INET6)
				s->port = ntohs(((struct sockaddr_in6 *)&got)->sin6_port);
			else
				s->port = ntohs(((struct sockaddr_in *)&got)->sin_port);
			if (ss.ss_family == AF_INET6)
				((struct sockaddr_in6 *)&ss)->sin6_port = htons((uint16_t)s->port);
			else
				((struct sockaddr_in *)&ss)->sin_port = htons((uint16_t)s->port);
		}
		if (loop_init(&s->loops[i], s, fd, &e) != 0)
			goto fail;
	}
	for (i = 0; i < s->nloops; i++) {
		if ((rc = uv_thread_create(&s->loops[i].thread, loop_main,
		    &s->loops[i])) != 0) {
			e = xasprintf("thread: %s", uv_strerror(rc));
			goto fail;
		}
		s->loops[i].running = true;
	}
	return s;

fail:
	*err = e;
	loops_stop(s);
	for (i = 0; i < s->nloops; i++)
		loop_teardown(&s->loops[i]);
	ctl_teardown(s);
	mask_restore(s);
	uv_mutex_destroy(&s->ctl_mu);
	free(s->loops);
	free(s->host);
	free(s->trusted_proxy);
	free(s);
	return NULL;
}

int
http_server_port(const struct http_server *s)
{
	return s->port;
}

/*
 * SIGTERM/SIGINT were blocked by http_server_start, so a signal sent as
 * soon as the port answers stays pending until the watchers are in place.
 * The watchers stay installed (unreferenced) until the loops are joined,
 * so a second SIGTERM during the drain cannot kill the process halfway,
 * and on return both signals are left blocked in the calling thread for
 * the rest of the shutdown.
 */
void
http_server_wait(struct http_server *s)
{
	sigset_t set;

	if (s->ctl_inited && !s->signals_on) {
		uv_signal_init(&s->ctl, &s->sigterm);
		uv_signal_init(&s->ctl, &s->sigint);
		s->sigterm.data = s->sigint.data = s;
		uv_signal_start(&s->sigterm, on_signal, SIGTERM);
		uv_signal_start(&s->sigint, on_signal, SIGINT);
		uv_unref((uv_handle_t *)&s->sigterm);
		uv_unref((uv_handle_t *)&s->sigint);
		s->signals_on = true;
		stop_signals(&set);
		pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	}
	if (s->ctl_inited)
		uv_run(&s->ctl, UV_RUN_DEFAULT);	/* until a signal or stop */
	loops_stop(s);
	/* blocked again before the watchers go: a late signal is dropped */
	stop_signals(&set);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	s->mask_saved = false;
	ctl_teardown(s);
}

void
http_server_stop(struct http_server *s)
{
	uv_mutex_lock(&s->ctl_mu);
	if (!s->ctl_closed)
		uv_async_send(&s->ctl_async);
	uv_mutex_unlock(&s->ctl_mu);
}

void
http_server_free(struct http_server *s)
{
	if (s == NULL)
		return;
	loops_stop(s);
	ctl_teardown(s);
	mask_restore(s);
	uv_mutex_destroy(&s->ctl_mu);
	free(s->loops);
	free(s->host);
	free(s->trusted_proxy);
	free(s);
}

void
http_server_stats(const struct http_server *s, struct http_stats *out)
{
	struct http_server *m = (struct http_server *)s;
	int i, open;

	memset(out, 0, sizeof(*out));
	out->requests = atomic_load(&m->st_requests);
	for (i = 0; i < 6; i++)
		out->responses_by_class[i] = atomic_load(&m->st_class[i]);
	open = atomic_load(&m->nconn);
	out->connections_open = open > 0 ? (uint64_t)open : 0;
	out->connections_total = atomic_load(&m->st_conn_total);
	out->connections_refused = atomic_load(&m->st_refused);
	out->timeouts = atomic_load(&m->st_timeouts);
	out->bad_requests = atomic_load(&m->st_bad);
}
