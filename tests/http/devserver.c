/*
 * devserver.c: a tiny program around http_server_start for the HTTP
 * conformance tests (tests/http/test_conformance.py).
 *
 * Usage: devserver [PORT]   (0 picks a free port; without PORT, the port of
 * CIRCLES_LISTEN=host:port, as `circles serve` reads it, else 0).
 * Prints "listening PORT" on stdout once bound.  Settings come from the
 * same CIRCLES_* variables `circles serve` reads (http_server_config_env);
 * the defaults here are 2 loops and access log on.
 *
 * Fast handler (loop thread): GET|HEAD /fast -> "hello", /healthz -> "ok".
 * Slow handler (thread pool): /body echoes the request body; /big answers
 * 32 MiB of 'x'; /sleep waits
 * 200 ms first (printing "sleep start" on stdout); anything else answers
 * "method=M path=P body=N client=C tls=0|1\n".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "http/server.h"

static bool
fast(struct http_request *req, struct http_response *resp, void *ud)
{
	struct http_head *h = &req->head;

	(void)ud;
	if (h->method_id != HTTP_GET && h->method_id != HTTP_HEAD)
		return false;
	if (str_eqc(h->path, "/fast")) {
		resp->status = 200;
		resp->static_body = "hello";
		resp->static_len = 5;
		http_response_header(resp, "Content-Type", "text/plain; charset=utf-8");
		resp->log_route = "/fast";
		return true;
	}
	if (str_eqc(h->path, "/healthz")) {
		resp->status = 200;
		resp->static_body = "ok";
		resp->static_len = 2;
		http_response_header(resp, "Content-Type", "text/plain; charset=utf-8");
		resp->log_route = "/healthz";
		return true;
	}
	return false;
}

static void
slow(struct http_request *req, struct http_response *resp, void *ud)
{
	struct http_head *h = &req->head;
	struct timespec ts = { 0, 200 * 1000 * 1000 };

	(void)ud;
	resp->status = 200;
	http_response_header(resp, "Content-Type", "text/plain; charset=utf-8");
	if (str_eqc(h->path, "/body")) {
		buf_append(&resp->body, req->body, req->body_len);
		resp->log_route = "/body";
		return;
	}
	if (str_eqc(h->path, "/big")) {
		/* 32 MiB: more than socket buffers hold (write timeout test) */
		buf_reserve(&resp->body, 32u << 20);
		memset(resp->body.data, 'x', 32u << 20);
		resp->body.len = 32u << 20;
		resp->body.data[resp->body.len] = '\0';
		resp->log_route = "/big";
		return;
	}
	if (str_eqc(h->path, "/sleep")) {
		/* tells a test the request is in flight (graceful stop test) */
		printf("sleep start\n");
		fflush(stdout);
		nanosleep(&ts, NULL);
		resp->log_route = "/sleep";
	} else {
		resp->log_route = "/*";
	}
	buf_printf(&resp->body, "method=%.*s path=%.*s body=%zu client=%s tls=%d\n",
	    (int)h->method.len, h->method.p, (int)h->path.len, h->path.p,
	    req->body_len, req->client, req->tls ? 1 : 0);
}

int
main(int argc, char **argv)
{
	struct http_server_config cfg;
	struct http_server *s;
	const char *listen, *colon;
	char *err = NULL;

	if (argc > 2) {
		fprintf(stderr, "usage: devserver [PORT]\n");
		return 2;
	}
	log_init(false);
	memset(&cfg, 0, sizeof(cfg));
	cfg.host = "127.0.0.1";
	if (argc == 2)
		cfg.port = atoi(argv[1]);
	else if ((listen = getenv("CIRCLES_LISTEN")) != NULL &&
	    (colon = strrchr(listen, ':')) != NULL)
		cfg.port = atoi(colon + 1);
	cfg.loops = 2;
	cfg.max_connections = 1000;
	cfg.header_timeout_ms = 10000;
	cfg.body_timeout_ms = 10000;
	cfg.idle_timeout_ms = 60000;
	cfg.limits = http_default_limits;
	cfg.fast = fast;
	cfg.slow = slow;
	cfg.access_log = true;
	http_server_config_env(&cfg);

	if ((s = http_server_start(&cfg, &err)) == NULL) {
		fprintf(stderr, "devserver: %s\n", err);
		free(err);
		return 1;
	}
	printf("listening %d\n", http_server_port(s));
	fflush(stdout);
	http_server_wait(s);
	http_server_free(s);
	return 0;
}
