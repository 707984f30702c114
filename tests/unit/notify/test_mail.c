/*
 * Unit tests for notify/mail.c.
 *
 * Message building is checked directly with mail_format; delivery is
 * checked end to end against tests/tools/smtp_sink.py, started here as a
 * child process (python3 from PATH, the script found through
 * CIRCLES_SOURCE_ROOT).  One sink accepts everything, one fails its first
 * delivery with 451, one requires AUTH.  Each writes NNNN.eml files into
 * its own temporary directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "base/mem.h"
#include "base/str.h"
#include "notify/mail.h"

extern char **environ;

struct sink {
	pid_t	pid;
	int	port;
	char	dir[64];
};

static struct sink plain_sink, flaky_sink, auth_sink;

static const char *const SUBJECT =
    "Rappel : réunion « Cercle du mardi » à 19 h — café offert ☕";
static const char *const BODY =
    "Bonjour Zoë,\n"
    "\n"
    "La réunion commence à 19 h. Voici une très longue ligne qui dépasse "
    "nettement soixante-seize caractères afin de vérifier les coupures "
    "douces du quoted-printable, avec des accents éèà et un emoji 🌱.\n"
    ".\n"
    "..deux points\n"
    "From the team\n"
    "trailing spaces   \n"
    "a = sign and a tab\there\r\n"
    "last line without newline";

/* Start smtp_sink.py with extra arguments; fills s. Returns -1 to skip. */
static int
sink_start(struct sink *s, const char *const extra[])
{
	const char *root = getenv("CIRCLES_SOURCE_ROOT");
	char script[512], line[64];
	const char *argv[12];
	posix_spawn_file_actions_t fa;
	int pfd[2], argc = 0, i, rc;
	size_t n = 0;
	ssize_t r;

	if (root == NULL)
		root = CIRCLES_SOURCE_ROOT;
	snprintf(script, sizeof(script), "%s/tests/tools/smtp_sink.py", root);
	strcpy(s->dir, "/tmp/circles-mail-XXXXXX");
	if (mkdtemp(s->dir) == NULL)
		return -1;

	argv[argc++] = "python3";
	argv[argc++] = script;
	argv[argc++] = s->dir;
	argv[argc++] = "0";
	for (i = 0; extra != NULL && extra[i] != NULL; i++)
		argv[argc++] = extra[i];
	argv[argc] = NULL;

	if (pipe(pfd) == -1)
		return -1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pfd[1], STDOUT_FILENO);
	posix_spawn_file_actions_addclose(&fa, pfd[0]);
	posix_spawn_file_actions_addclose(&fa, pfd[1]);
	rc = posix_spawnp(&s->pid, "python3", &fa, NULL, (char *const *)argv,
	    environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pfd[1]);
	if (rc != 0) {
		close(pfd[0]);
		return -1;
	}
	/* Wait for "listening PORT\n". */
	while (n < sizeof(line) - 1) {
		r = read(pfd[0], line + n, 1);
		if (r <= 0)
			break;
		if (line[n] == '\n')
			break;
		n++;
	}
	line[n] = '\0';
	close(pfd[0]);
	if (sscanf(line, "listening %d", &s->port) != 1) {
		kill(s->pid, SIGTERM);
		waitpid(s->pid, NULL, 0);
		s->pid = 0;
		return -1;
	}
	return 0;
}

static void
sink_stop(struct sink *s)
{
	char cmd[128];
	int r;

	if (s->pid > 0) {
		kill(s->pid, SIGTERM);
		waitpid(s->pid, NULL, 0);
		s->pid = 0;
	}
	if (s->dir[0] != '\0') {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", s->dir);
		r = system(cmd);
		(void)r;
	}
}

static int
count_eml(const struct sink *s)
{
	struct dirent *de;
	int n = 0;
	DIR *d;

	d = opendir(s->dir);
	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);
		if (l > 4 && strcmp(de->d_name + l - 4, ".eml") == 0)
			n++;
	}
	closedir(d);
	return n;
}

static char *
read_file(const char *path, size_t *len)
{
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;
	FILE *f;

	f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	if (len != NULL)
		*len = b.len;
	return buf_steal(&b);
}

static char *
sink_file(const struct sink *s, int seq, const char *ext, size_t *len)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%04d.%s", s->dir, seq, ext);
	return read_file(path, len);
}

static struct mail_config
config_for(const struct sink *s)
{
	static char url[64];
	struct mail_config c = {
		.from = "Cercles Récupération <no-reply@example.org>",
		.timeout_s = 10,
	};

	snprintf(url, sizeof(url), "smtp://127.0.0.1:%d", s->port);
	c.url = url;
	return c;
}

static int
group_setup(void **state)
{
	static const char *const flaky[] = { "--fail-first", "1", NULL };
	static const char *const authed[] = { "--auth", "circles:s3cret", NULL };

	(void)state;
	mail_global_init();
	if (sink_start(&plain_sink, NULL) == -1 ||
	    sink_start(&flaky_sink, flaky) == -1 ||
	    sink_start(&auth_sink, authed) == -1) {
		fprintf(stderr, "# cannot start tests/tools/smtp_sink.py "
		    "(is python3 in PATH?)\n");
		return -1;
	}
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	sink_stop(&plain_sink);
	sink_stop(&flaky_sink);
	sink_stop(&auth_sink);
	return 0;
}

/* Decode quoted-printable (soft breaks removed, =XX decoded). */
static char *
qp_decode(const char *s, size_t len)
{
	struct buf b = BUF_INIT;
	size_t i;
	unsigned v;

	for (i = 0; i < len; i++) {
		if (s[i] != '=') {
			buf_putc(&b, s[i]);
			continue;
		}
		if (i + 2 < len && s[i + 1] == '\r' && s[i + 2] == '\n') {
			i += 2;
			continue;
		}
		assert_true(i + 2 < len);
		assert_int_equal(sscanf(s + i + 1, "%2X", &v), 1);
		buf_putc(&b, (char)v);
		i += 2;
	}
	return buf_steal(&b);
}

/*
 * Decode a header value with RFC 2047 B encoded-words (UTF-8 only), after
 * unfolding; whitespace between adjacent encoded-words is dropped.
 */
static char *
header_decode(const char *v)
{
	struct buf b = BUF_INIT, u = BUF_INIT;
	const char *p, *end;
	unsigned char bin[256];
	size_t binlen, i;
	bool prev_ew = false;

	/* Unfold: CRLF followed by whitespace. */
	for (i = 0; v[i] != '\0'; i++) {
		if (v[i] == '\r' && v[i + 1] == '\n')
			i++;
		else
			buf_putc(&u, v[i]);
	}
	p = u.data != NULL ? u.data : "";
	while (*p != '\0') {
		if (strncmp(p, "=?UTF-8?B?", 10) == 0 &&
		    (end = strstr(p + 10, "?=")) != NULL) {
			assert_int_equal(sodium_base642bin(bin, sizeof(bin), p + 10,
			    (size_t)(end - p - 10), NULL, &binlen, NULL,
			    sodium_base64_VARIANT_ORIGINAL), 0);
			buf_append(&b, bin, binlen);
			p = end + 2;
			prev_ew = true;
			continue;
		}
		if (prev_ew && (*p == ' ' || *p == '\t')) {
			const char *q = p;
			while (*q == ' ' || *q == '\t')
				q++;
			if (strncmp(q, "=?", 2) == 0) {
				p = q;
				continue;
			}
		}
		buf_putc(&b, *p++);
		prev_ew = false;
	}
	buf_free(&u);
	return buf_steal(&b);
}

/* The value of header name (unfolded raw text, CRLFs kept), or NULL. */
static char *
header_get(const char *msg, const char *name)
{
	size_t nlen = strlen(name);
	const char *p = msg, *eol, *end;

	while (*p != '\0' && strncmp(p, "\r\n", 2) != 0) {
		eol = strstr(p, "\r\n");
		assert_non_null(eol);
		if (strncasecmp(p, name, nlen) == 0 && p[nlen] == ':') {
			p += nlen + 1;
			while (*p == ' ')
				p++;
			end = eol;
			while (end[2] == ' ' || end[2] == '\t')
				end = strstr(end + 2, "\r\n");
			return xstrndup(p, (size_t)(end - p));
		}
		p = eol + 2;
		while (*p == ' ' || *p == '\t')
			p = strstr(p, "\r\n") + 2;
	}
	return NULL;
}

static char *
decoded_header(const char *msg, const char *name)
{
	char *raw = header_get(msg, name), *d;

	assert_non_null(raw);
	d = header_decode(raw);
	free(raw);
	return d;
}

/* Every line ends in CRLF, no bare CR or LF, no line longer than max. */
static void
assert_wire_shape(const char *m, size_t len, size_t max_header, size_t max_body)
{
	size_t i, col = 0;
	bool in_body = false;

	assert_true(len >= 2);
	assert_memory_equal(m + len - 2, "\r\n", 2);
	for (i = 0; i < len; i++) {
		if (m[i] == '\r') {
			assert_true(i + 1 < len && m[i + 1] == '\n');
			if (col == 0 && !in_body)
				in_body = true;
			col = 0;
			i++;
			continue;
		}
		assert_true(m[i] != '\n');
		col++;
		assert_true(col <= (in_body ? max_body : max_header));
	}
}

/* The body as sent, LF and CR line ends turned into CRLF, plus a final CRLF. */
static char *
expected_body(const char *text)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; text[i] != '\0'; i++) {
		if (text[i] == '\r' && text[i + 1] == '\n')
			continue;
		if (text[i] == '\n' || text[i] == '\r')
			buf_puts(&b, "\r\n");
		else
			buf_putc(&b, text[i]);
	}
	if (b.len < 2 || memcmp(b.data + b.len - 2, "\r\n", 2) != 0)
		buf_puts(&b, "\r\n");
	return buf_steal(&b);
}

static void
check_message(const char *m, size_t len, const char *from, const char *subject,
    const char *body)
{
	const char *sep;
	char *v, *want;

	assert_wire_shape(m, len, 78, 76);
	/* Only 7-bit bytes on the wire. */
	for (size_t i = 0; i < len; i++)
		assert_true((unsigned char)m[i] < 0x80);

	v = header_get(m, "Date");
	assert_non_null(v);
	assert_int_equal(strlen(v), strlen("Tue, 01 Jul 2025 12:00:00 +0000"));
	assert_non_null(strstr(v, " +0000"));
	free(v);
	v = decoded_header(m, "From");
	assert_string_equal(v, from);
	free(v);
	v = decoded_header(m, "Subject");
	assert_string_equal(v, subject);
	free(v);
	v = header_get(m, "MIME-Version");
	assert_string_equal(v, "1.0");
	free(v);
	v = header_get(m, "Content-Type");
	assert_string_equal(v, "text/plain; charset=utf-8");
	free(v);
	v = header_get(m, "Content-Transfer-Encoding");
	assert_string_equal(v, "quoted-printable");
	free(v);

	sep = strstr(m, "\r\n\r\n");
	assert_non_null(sep);
	v = qp_decode(sep + 4, len - (size_t)(sep + 4 - m));
	want = expected_body(body);
	assert_string_equal(v, want);
	free(v);
	free(want);
}

static void
test_format(void **state)
{
	struct mail_config cfg = {
		.url = "smtp://127.0.0.1:1",
		.from = "Circles <no-reply@example.org>",
	};
	struct mail_message msg = {
		.to = "zoe@example.net",
		.subject = "A plain ASCII subject that is long enough that it has "
		    "to be folded somewhere along the way, twice perhaps, if "
		    "the folding works as intended",
		.text = BODY,
	};
	struct buf b = BUF_INIT;
	char *err = NULL, *v;

	(void)state;
	assert_int_equal(mail_format(&cfg, &msg, 1751371200, &b, &err), 0);
	assert_null(err);
	check_message(b.data, b.len, cfg.from, msg.subject, BODY);
	/* Fixed date, English names whatever the locale. */
	v = header_get(b.data, "Date");
	assert_string_equal(v, "Tue, 01 Jul 2025 12:00:00 +0000");
	free(v);
	/* Plain ASCII headers stay readable. */
	assert_non_null(strstr(b.data, "\r\nFrom: Circles <no-reply@example.org>\r\n"));
	assert_non_null(strstr(b.data, "\r\nTo: zoe@example.net\r\n"));
	assert_non_null(strstr(b.data, "\r\nSubject: A plain ASCII subject"));
	assert_null(strstr(b.data, "=?UTF-8?"));
	/* A generated Message-ID under the sender's domain. */
	v = header_get(b.data, "Message-ID");
	assert_int_equal(strlen(v), 1 + 32 + 1 + strlen("example.org") + 1);
	assert_non_null(strstr(v, "@example.org>"));
	free(v);
	/* QP details: '=' and trailing spaces encoded, leading '.' and "From ". */
	assert_non_null(strstr(b.data, "a =3D sign"));
	assert_non_null(strstr(b.data, "trailing spaces  =20\r\n"));
	assert_non_null(strstr(b.data, "\r\n=2E\r\n=2E.deux points\r\n"));
	assert_non_null(strstr(b.data, "\r\n=46rom the team\r\n"));
	assert_non_null(strstr(b.data, "tab\there"));
	buf_free(&b);

	/* A long word cannot be folded: encoded instead, still short lines. */
	msg.subject = "Xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
	msg.message_id = "<job-7@circles.test>";
	msg.text = "";
	assert_int_equal(mail_format(&cfg, &msg, 0, &b, &err), 0);
	assert_wire_shape(b.data, b.len, 78, 76);
	v = decoded_header(b.data, "Subject");
	assert_string_equal(v, msg.subject);
	free(v);
	v = header_get(b.data, "Message-ID");
	assert_string_equal(v, "<job-7@circles.test>");
	free(v);
	/* Display names needing quotes get them. */
	buf_reset(&b);
	cfg.from = "Circles, the network <no-reply@example.org>";
	msg.to = "\"Dr. Zoë\" <zoe@example.net>";
	assert_int_equal(mail_format(&cfg, &msg, 0, &b, &err), 0);
	assert_non_null(strstr(b.data,
	    "\r\nFrom: \"Circles, the network\" <no-reply@example.org>\r\n"));
	v = decoded_header(b.data, "To");
	assert_string_equal(v, "Dr. Zoë <zoe@example.net>");
	free(v);

	/* A refused field leaves the buffer as it was. */
	buf_reset(&b);
	buf_puts(&b, "kept");
	msg.message_id = "<two words@circles.test>";
	assert_int_equal(mail_format(&cfg, &msg, 0, &b, &err), -1);
	assert_non_null(err);
	free(err);
	assert_string_equal(b.data, "kept");
	buf_free(&b);
}

static void
test_send_utf8(void **state)
{
	struct mail_config cfg = config_for(&plain_sink);
	struct mail_message msg = {
		.to = "Zoë Müller <zoe@example.net>",
		.subject = SUBJECT,
		.text = BODY,
		.message_id = "job-42@circles.test",
	};
	char *err = NULL, *m, *v;
	json_t *meta;
	json_error_t jerr;
	size_t len;
	int before;

	(void)state;
	before = count_eml(&plain_sink);
	assert_int_equal(mail_send(&cfg, &msg, &err), 0);
	assert_null(err);
	assert_int_equal(count_eml(&plain_sink), before + 1);

	m = sink_file(&plain_sink, before + 1, "eml", &len);
	assert_non_null(m);
	check_message(m, len, cfg.from, SUBJECT, BODY);
	v = decoded_header(m, "To");
	assert_string_equal(v, "Zoë Müller <zoe@example.net>");
	free(v);
	v = header_get(m, "Message-ID");
	assert_string_equal(v, "<job-42@circles.test>");
	free(v);
	free(m);

	/* The envelope uses the bare addresses. */
	m = sink_file(&plain_sink, before + 1, "json", NULL);
	assert_non_null(m);
	meta = json_loads(m, 0, &jerr);
	assert_non_null(meta);
	assert_string_equal(json_string_value(json_object_get(meta, "mail_from")),
	    "no-reply@example.org");
	assert_int_equal(json_array_size(json_object_get(meta, "rcpt_to")), 1);
	assert_string_equal(json_string_value(json_array_get(
	    json_object_get(meta, "rcpt_to"), 0)), "zoe@example.net");
	json_decref(meta);
	free(m);
}

static void
test_header_injection(void **state)
{
	struct mail_config cfg = config_for(&plain_sink);
	struct mail_message ok = {
		.to = "zoe@example.net",
		.subject = "Hello",
		.text = "body",
	};
	struct mail_message m;
	char *err;
	int before = count_eml(&plain_sink);

	(void)state;
	m = ok;
	m.to = "zoe@example.net\r\nBcc: everyone@example.com";
	err = NULL;
	assert_int_equal(mail_send(&cfg, &m, &err), -1);
	assert_non_null(err);
	assert_non_null(strstr(err, "header injection"));
	free(err);

	m = ok;
	m.subject = "Hello\r\nBcc: everyone@example.com";
	err = NULL;
	assert_int_equal(mail_send(&cfg, &m, &err), -1);
	assert_non_null(strstr(err, "Subject"));
	free(err);

	m = ok;
	m.subject = "Hello\nX-Injected: yes";
	err = NULL;
	assert_int_equal(mail_send(&cfg, &m, &err), -1);
	free(err);

	m = ok;
	m.subject = "Hello\rX-Injected: yes";
	err = NULL;
	assert_int_equal(mail_send(&cfg, &m, &err), -1);
	free(err);

	m = ok;
	m.message_id = "id@host\r\nBcc: everyone@example.com";
	err = NULL;
	assert_int_equal(mail_send(&cfg, &m, &err), -1);
	free(err);

	m = ok;
	cfg.from = "Circles <no-reply@example.org>\r\nBcc: everyone@example.com";
	err = NULL;
	assert_int_equal(mail_send(&cfg, &m, &err), -1);
	assert_non_null(strstr(err, "From"));
	free(err);
	cfg = config_for(&plain_sink);

	/* Nothing reached the server. */
	assert_int_equal(count_eml(&plain_sink), before);
}

static void
test_bad_fields(void **state)
{
	static const char *const bad_to[] = {
		"", "zoe", "@example.net", "zoe@", "zoe@@example.net",
		"zoe @example.net", "<zoe@example.net", "zoe@example.net>",
		"Zoë <zoe@example.net> trailing", "z\x01@example.net",
		"zoë@example.net",	/* no SMTPUTF8 */
		"Name \"quoted\" <zoe@example.net>",
		"<zoe@example.net>,<eve@example.net>",
		"zoe@example.net, eve@example.net",
	};
	struct mail_config cfg = config_for(&plain_sink);
	struct mail_message m = {
		.to = "zoe@example.net",
		.subject = "Hello",
		.text = "body",
	};
	char *err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad_to) / sizeof(bad_to[0]); i++) {
		m.to = bad_to[i];
		err = NULL;
		assert_int_equal(mail_send(&cfg, &m, &err), -1);
		assert_non_null(err);
		free(err);
	}
	m.to = "zoe@example.net";

	m.subject = "bad \xc3\x28 utf-8";
	err = NULL;
	assert_int_equal(mail_send(&cfg, &m, &err), -1);
	free(err);
	m.subject = "Hello";

	m.text = "bad \xff body";
	err = NULL;
	assert_int_equal(mail_send(&cfg, &m, &err), -1);
	assert_null(strstr(err, "bad"));
	free(err);
	m.text = "body";

	m.message_id = "no at sign";
	err = NULL;
	assert_int_equal(mail_send(&cfg, &m, &err), -1);
	free(err);
	m.message_id = NULL;

	cfg.url = "http://127.0.0.1:1/";
	err = NULL;
	assert_int_equal(mail_send(&cfg, &m, &err), -1);
	assert_non_null(strstr(err, "smtp://"));
	free(err);
}

static void
test_temporary_failure(void **state)
{
	struct mail_config cfg = config_for(&flaky_sink);
	struct mail_message msg = {
		.to = "zoe@example.net",
		.subject = "Retry me",
		.text = "PRIVATE-BODY-MARKER: the check-in note",
		.message_id = "job-99@circles.test",
	};
	char *err = NULL;
	long code = -1;

	(void)state;
	/* The sink answers the first DATA with 451: a temporary error. */
	assert_int_equal(mail_send_ex(&cfg, &msg, &code, &err), -1);
	assert_int_equal(code, 451);
	assert_non_null(err);
	assert_non_null(strstr(err, "451"));
	assert_null(strstr(err, "PRIVATE-BODY-MARKER"));
	assert_null(strstr(err, "check-in"));
	free(err);
	assert_int_equal(count_eml(&flaky_sink), 0);

	/* The retry, same Message-ID, goes through. */
	err = NULL;
	assert_int_equal(mail_send_ex(&cfg, &msg, &code, &err), 0);
	assert_null(err);
	assert_int_equal(code, 250);
	assert_int_equal(count_eml(&flaky_sink), 1);
}

static void
test_connection_refused(void **state)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t sl = sizeof(sa);
	struct mail_config cfg = {
		.from = "Circles <no-reply@example.org>",
		.timeout_s = 5,
	};
	struct mail_message msg = {
		.to = "zoe@example.net",
		.subject = "Nobody home",
		.text = "body",
	};
	char url[64], *err = NULL;
	long code = -1;
	int fd;

	(void)state;
	/* A port that was free a moment ago. */
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &sl), 0);
	close(fd);
	snprintf(url, sizeof(url), "smtp://127.0.0.1:%d", ntohs(sa.sin_port));
	cfg.url = url;

	assert_int_equal(mail_send_ex(&cfg, &msg, &code, &err), -1);
	assert_int_equal(code, 0);
	assert_non_null(err);
	free(err);
}

static void
test_auth(void **state)
{
	struct mail_config cfg = config_for(&auth_sink);
	struct mail_message msg = {
		.to = "zoe@example.net",
		.subject = "Authenticated",
		.text = "body",
	};
	char *err = NULL;
	long code;

	(void)state;
	cfg.user = "circles";
	cfg.password = "wrong";
	assert_int_equal(mail_send_ex(&cfg, &msg, &code, &err), -1);
	assert_int_equal(code, 535);
	assert_null(strstr(err, "wrong"));
	free(err);
	assert_int_equal(count_eml(&auth_sink), 0);

	err = NULL;
	cfg.password = "s3cret";
	assert_int_equal(mail_send(&cfg, &msg, &err), 0);
	assert_null(err);
	assert_int_equal(count_eml(&auth_sink), 1);
}

/* starttls_required against a server without STARTTLS: refuse, send nothing. */
static void
test_starttls_required(void **state)
{
	struct mail_config cfg = config_for(&plain_sink);
	struct mail_message msg = {
		.to = "zoe@example.net",
		.subject = "Must be encrypted",
		.text = "body",
	};
	char *err = NULL;
	int before = count_eml(&plain_sink);

	(void)state;
	cfg.starttls_required = true;
	assert_int_equal(mail_send(&cfg, &msg, &err), -1);
	assert_non_null(err);
	free(err);
	assert_int_equal(count_eml(&plain_sink), before);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_send_utf8),
		cmocka_unit_test(test_header_injection),
		cmocka_unit_test(test_bad_fields),
		cmocka_unit_test(test_temporary_failure),
		cmocka_unit_test(test_connection_refused),
		cmocka_unit_test(test_auth),
		cmocka_unit_test(test_starttls_required),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
