/*
 * fetch.c: download a meeting feed over HTTP(S) for `circles import`.
 *
 * libcurl with the protocols limited to http and https (also across
 * redirects, at most five), a time limit, certificate checks on, and a
 * size cap enforced while receiving, so a wrong URL cannot fill memory.
 */
#include "meetings/fetch.h"

#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "notify/mail.h"

struct sink {
	struct buf	*out;
	size_t		 max;
	bool		 over;
};

static size_t
on_data(char *p, size_t size, size_t n, void *ud)
{
	struct sink *s = ud;
	size_t len = size * n;

	if (s->out->len + len > s->max) {
		s->over = true;
		return 0;	/* abort the transfer */
	}
	buf_append(s->out, p, len);
	return len;
}

int
meetings_fetch_url(const char *url, size_t max, struct buf *out, char *err, size_t errlen)
{
	CURL *c;
	CURLcode rc;
	struct sink s = { out, max, false };
	long status = 0;

	mail_global_init();	/* curl_global_init, once per process */
	if ((c = curl_easy_init()) == NULL) {
		snprintf(err, errlen, "cannot start a download");
		return -1;
	}
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 15L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");	/* gzip if the server offers */
	curl_easy_setopt(c, CURLOPT_USERAGENT, "Circles/" CIRCLES_VERSION " (meeting import)");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(c);
	if (s.over) {
		snprintf(err, errlen, "the feed is larger than %zu bytes", max);
		return -1;
	}
	if (rc != CURLE_OK) {
		snprintf(err, errlen, "download failed: %s", curl_easy_strerror(rc));
		return -1;
	}
	if (status < 200 || status > 299) {
		snprintf(err, errlen, "the server answered HTTP %ld", status);
		return -1;
	}
	return 0;
}
