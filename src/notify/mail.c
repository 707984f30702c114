/*
 * mail.c: build an RFC 5322 message and hand it to an SMTP server with
 * libcurl.
 *
 * Design choices:
 * - Refuse, never repair: a CR or LF in an address, subject or Message-ID
 *   is a header injection attempt or a bug upstream, and silently stripping
 *   it would hide either.  Control characters and malformed UTF-8 are
 *   refused the same way.
 * - The body is always quoted-printable (RFC 2045): it survives servers
 *   without 8BITMIME, keeps every line under 78 characters whatever the
 *   text, and gives trailing spaces a visible form.  Following RFC 2049
 *   section 3, a "." or "From " at the start of a line is encoded too, so
 *   no relay has a reason to alter the text.
 * - Non-ASCII subjects and display names become RFC 2047 "B" encoded-words
 *   of at most 42 bytes each, cut on UTF-8 character boundaries, so no
 *   header line exceeds 78 characters.  Long ASCII subjects are folded at
 *   spaces; one with a word too long to fold is encoded as well.
 * - Messages without a caller-chosen Message-ID get a random one under the
 *   sender's domain.  Queued jobs should pass a stable one, so a retry
 *   after a lost "250" is recognisable as the same message.
 * - Errors say what failed and the SMTP reply code, never the body, and
 *   are not logged here: the caller decides (and must not log addresses).
 * - curl_global_init is not thread-safe; mail_global_init runs it under
 *   pthread_once and main should call it before starting threads.  Each
 *   mail_send uses its own easy handle, so sends from several threads are
 *   independent.
 */
#include "base/utf8.h"
#include "notify/mail.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <sodium.h>

#include "base/mem.h"

#define LINE_MAX_SOFT	78	/* RFC 5322 2.1.1 SHOULD */
#define QP_LINE		76	/* RFC 2045 6.7 (5), including the soft '=' */
#define EW_CHUNK	42	/* bytes per encoded-word: 56 base64 chars */
#define ADDR_MAX	254	/* RFC 5321 4.5.3.1.3 path limit, less <> */
#define LOCAL_MAX	64
#define MSGID_MAX	250
#define DEFAULT_TIMEOUT	30L

static pthread_once_t	curl_once = PTHREAD_ONCE_INIT;
static CURLcode		curl_init_rc = CURLE_FAILED_INIT;

static void
set_err(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
set_err(char **err, const char *fmt, ...)
{
	va_list ap;
	char msg[512];

	if (err == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	*err = xstrdup(msg);
}

static void
curl_start(void)
{
	/* Message-IDs use libsodium's generator; initialise it here too. */
	if (sodium_init() < 0)
		return;
	curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

void
mail_global_init(void)
{
	pthread_once(&curl_once, curl_start);
}

/*
 * Check a header field value: no line breaks (header injection), no other
 * control characters, valid UTF-8, at most max bytes.
 */
static int
check_header_value(const char *what, const char *s, size_t max, char **err)
{
	size_t i, len;

	if (s == NULL) {
		set_err(err, "mail: %s is missing", what);
		return -1;
	}
	len = strlen(s);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\r' || c == '\n') {
			set_err(err, "mail: %s contains a line break "
			    "(header injection refused)", what);
			return -1;
		}
		if (c < 0x20 || c == 0x7f) {
			set_err(err, "mail: %s contains a control character",
			    what);
			return -1;
		}
	}
	if (len > max) {
		set_err(err, "mail: %s is longer than %zu bytes", what, max);
		return -1;
	}
	if (!utf8_valid(s, len)) {
		set_err(err, "mail: %s is not valid UTF-8", what);
		return -1;
	}
	return 0;
}

static bool
is_ascii(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			return false;
	return true;
}

/* RFC 5322 atext, plus the space that separates atoms in a phrase. */
static bool
is_phrase_char(char c)
{
	return c != '\0' && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == ' ' ||
	    strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

/*
 * A mailbox's address part: ASCII (we do not ask for SMTPUTF8), one '@',
 * non-empty local part and domain, nothing that has meaning in a header or
 * an SMTP command.
 */
static bool
addr_valid(struct str a)
{
	size_t i, at = SIZE_MAX;

	if (a.len < 3 || a.len > ADDR_MAX)
		return false;
	for (i = 0; i < a.len; i++) {
		unsigned char c = (unsigned char)a.p[i];
		if (c <= 0x20 || c >= 0x7f || strchr("<>()[],;:\\\"", c) != NULL)
			return false;
		if (c == '@') {
			if (at != SIZE_MAX)
				return false;
			at = i;
		}
	}
	return at != SIZE_MAX && at > 0 && at <= LOCAL_MAX && at + 1 < a.len &&
	    a.p[at + 1] != '.' && a.p[a.len - 1] != '.';
}

/*
 * Split "Name <addr>" or "addr" into its display name (possibly empty,
 * unquoted) and address.
 */
static int
parse_mailbox(const char *what, const char *s, struct str *name,
    struct str *addr, char **err)
{
	const char *lt, *gt;
	struct str rest;

	if (check_header_value(what, s, 512, err) == -1)
		return -1;
	lt = strchr(s, '<');
	if (lt == NULL) {
		*name = STR("");
		*addr = str_trim(str_c(s));
	} else {
		gt = strchr(lt, '>');
		if (gt == NULL)
			goto bad;
		rest = str_trim(str_c(gt + 1));
		if (rest.len != 0)
			goto bad;
		*name = str_trim((struct str){ s, (size_t)(lt - s) });
		*addr = (struct str){ lt + 1, (size_t)(gt - lt - 1) };
		if (name->len >= 2 && name->p[0] == '"' &&
		    name->p[name->len - 1] == '"') {
			name->p++;
			name->len -= 2;
		}
		if (memchr(name->p, '"', name->len) != NULL ||
		    memchr(name->p, '\\', name->len) != NULL)
			goto bad;
	}
	if (!addr_valid(*addr))
		goto bad;
	return 0;
bad:
	set_err(err, "mail: %s is not a valid address", what);
	return -1;
}

/*
 * Append s as RFC 2047 B encoded-words, each at most EW_CHUNK bytes of
 * input cut on a character boundary, separated by folding whitespace.
 */
static void
put_encoded_words(struct buf *b, const char *s, size_t len)
{
	char enc[sodium_base64_ENCODED_LEN(EW_CHUNK,
	    sodium_base64_VARIANT_ORIGINAL)];
	size_t off = 0, n;

	while (off < len) {
		n = len - off;
		if (n > EW_CHUNK) {
			n = EW_CHUNK;
			/* Back up to the start of a UTF-8 sequence. */
			while (n > 0 && ((unsigned char)s[off + n] & 0xc0) == 0x80)
				n--;
		}
		sodium_bin2base64(enc, sizeof(enc),
		    (const unsigned char *)s + off, n,
		    sodium_base64_VARIANT_ORIGINAL);
		if (off > 0)
			buf_puts(b, "\r\n ");
		buf_printf(b, "=?UTF-8?B?%s?=", enc);
		off += n;
	}
}

/* Append a mailbox as a header value: name <addr>, or just addr. */
static void
put_mailbox(struct buf *b, struct str name, struct str addr)
{
	size_t i;
	bool plain = true;

	if (name.len == 0) {
		buf_append(b, addr.p, addr.len);
		return;
	}
	if (!is_ascii(name.p, name.len) ||
	    (name.len >= 2 && memmem(name.p, name.len, "=?", 2) != NULL))
		put_encoded_words(b, name.p, name.len);
	else {
		for (i = 0; i < name.len; i++)
			if (!is_phrase_char(name.p[i]))
				plain = false;
		if (plain)
			buf_append(b, name.p, name.len);
		else {
			/* No '"' or '\\' here: parse_mailbox refused them. */
			buf_putc(b, '"');
			buf_append(b, name.p, name.len);
			buf_putc(b, '"');
		}
	}
	buf_puts(b, " <");
	buf_append(b, addr.p, addr.len);
	buf_putc(b, '>');
}

static size_t
longest_word(const char *s, size_t len)
{
	size_t i, run = 0, max = 0;

	for (i = 0; i < len; i++) {
		run = s[i] == ' ' ? 0 : run + 1;
		if (run > max)
			max = run;
	}
	return max;
}

/*
 * Subject: plain ASCII folded at spaces to stay near 78 characters, or
 * encoded-words if it has non-ASCII text (or something that would read as
 * an encoded-word).
 */
static void
put_subject(struct buf *b, const char *s)
{
	size_t len = strlen(s), col, i, j;

	buf_puts(b, "Subject: ");
	if (!is_ascii(s, len) || strstr(s, "=?") != NULL ||
	    longest_word(s, len) > LINE_MAX_SOFT - strlen("Subject: ")) {
		put_encoded_words(b, s, len);
		buf_puts(b, "\r\n");
		return;
	}
	col = strlen("Subject: ");
	for (i = 0; i < len; i = j) {
		/* The next unit: a run of spaces and the word after it. */
		j = i;
		while (j < len && s[j] == ' ')
			j++;
		while (j < len && s[j] != ' ')
			j++;
		if (i > 0 && s[i] == ' ' && col + (j - i) > LINE_MAX_SOFT) {
			buf_puts(b, "\r\n");
			col = 0;
		}
		buf_append(b, s + i, j - i);
		col += j - i;
	}
	buf_puts(b, "\r\n");
}

static void
put_date(struct buf *b, time_t now)
{
	static const char *const wday[] = {
		"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
	};
	static const char *const mon[] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
	};
	struct tm tm;

	/* English names regardless of locale, as RFC 5322 3.3 requires. */
	gmtime_r(&now, &tm);
	buf_printf(b, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n",
	    wday[tm.tm_wday], tm.tm_mday, mon[tm.tm_mon], tm.tm_year + 1900,
	    tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/*
 * Check a caller's Message-ID ("id@host" or "<id@host>") and return its
 * inside, without the angle brackets.
 */
static int
check_message_id(const char *id, struct str *out, char **err)
{
	struct str v;
	size_t i;

	if (check_header_value("Message-ID", id, MSGID_MAX, err) == -1)
		return -1;
	v = str_c(id);
	if (v.len >= 2 && v.p[0] == '<' && v.p[v.len - 1] == '>') {
		v.p++;
		v.len -= 2;
	}
	for (i = 0; i < v.len; i++)
		if ((unsigned char)v.p[i] <= 0x20 ||
		    (unsigned char)v.p[i] >= 0x7f || strchr("<>", v.p[i]))
			break;
	if (v.len == 0 || i < v.len || memchr(v.p, '@', v.len) == NULL) {
		set_err(err, "mail: Message-ID must look like id@host");
		return -1;
	}
	*out = v;
	return 0;
}

/* The given Message-ID, or a random one under the sender's domain. */
static void
put_message_id(struct buf *b, struct str id, struct str from_addr)
{
	unsigned char rnd[16];
	char hex[33];
	const char *at;

	if (id.p != NULL) {
		buf_printf(b, "Message-ID: <%.*s>\r\n", (int)id.len, id.p);
		return;
	}
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(hex, sizeof(hex), rnd, sizeof(rnd));
	at = memchr(from_addr.p, '@', from_addr.len);
	buf_printf(b, "Message-ID: <%s@%.*s>\r\n", hex,
	    (int)(from_addr.len - (size_t)(at + 1 - from_addr.p)), at + 1);
}

/*
 * Quoted-printable (RFC 2045 6.7) with CRLF hard line breaks.  Input lines
 * may end in \n, \r\n or \r.
 */
static void
put_qp_body(struct buf *b, const char *s, size_t len)
{
	static const char hexd[] = "0123456789ABCDEF";
	size_t i, col = 0, toklen;
	unsigned char c;
	bool eol, enc;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c == '\r' || c == '\n') {
			if (c == '\r' && i + 1 < len && s[i + 1] == '\n')
				i++;
			buf_puts(b, "\r\n");
			col = 0;
			continue;
		}
		eol = i + 1 == len || s[i + 1] == '\r' || s[i + 1] == '\n';
		for (;;) {
			enc = !((c >= 33 && c <= 126 && c != '=') ||
			    ((c == ' ' || c == '\t') && !eol));
			if (col == 0 && (c == '.' || (c == 'F' &&
			    len - i >= 5 && memcmp(s + i, "From ", 5) == 0)))
				enc = true;
			toklen = enc ? 3 : 1;
			if (col + toklen <= QP_LINE - 1)
				break;
			buf_puts(b, "=\r\n");	/* soft line break */
			col = 0;
		}
		if (enc) {
			buf_putc(b, '=');
			buf_putc(b, hexd[c >> 4]);
			buf_putc(b, hexd[c & 15]);
		} else
			buf_putc(b, (char)c);
		col += toklen;
	}
	if (col > 0)
		buf_puts(b, "\r\n");
}

int
mail_format(const struct mail_config *cfg, const struct mail_message *msg,
    time_t now, struct buf *out, char **err)
{
	struct str from_name, from_addr, to_name, to_addr, msgid = STR_NULL;
	size_t textlen;

	if (err != NULL)
		*err = NULL;
	if (cfg->from == NULL) {
		set_err(err, "mail: no sender address configured");
		return -1;
	}
	if (parse_mailbox("From", cfg->from, &from_name, &from_addr, err) == -1 ||
	    parse_mailbox("To", msg->to, &to_name, &to_addr, err) == -1 ||
	    check_header_value("Subject", msg->subject, MAIL_SUBJECT_MAX,
	    err) == -1)
		return -1;
	if (msg->text == NULL) {
		set_err(err, "mail: body is missing");
		return -1;
	}
	if (msg->message_id != NULL &&
	    check_message_id(msg->message_id, &msgid, err) == -1)
		return -1;
	textlen = strlen(msg->text);
	if (textlen > MAIL_TEXT_MAX) {
		set_err(err, "mail: body is longer than %d bytes", MAIL_TEXT_MAX);
		return -1;
	}
	if (!utf8_valid(msg->text, textlen)) {
		set_err(err, "mail: body is not valid UTF-8");
		return -1;
	}

	put_date(out, now);
	buf_puts(out, "From: ");
	put_mailbox(out, from_name, from_addr);
	buf_puts(out, "\r\nTo: ");
	put_mailbox(out, to_name, to_addr);
	buf_puts(out, "\r\n");
	put_subject(out, msg->subject);
	put_message_id(out, msgid, from_addr);
	buf_puts(out,
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n"
	    "Auto-Submitted: auto-generated\r\n"
	    "\r\n");
	put_qp_body(out, msg->text, textlen);
	return 0;
}

struct upload {
	const char	*p;
	size_t		 left;
};

static size_t
read_cb(char *dst, size_t size, size_t nmemb, void *arg)
{
	struct upload *u = arg;
	size_t n = size * nmemb;

	if (n > u->left)
		n = u->left;
	memcpy(dst, u->p, n);
	u->p += n;
	u->left -= n;
	return n;
}

/* "<addr>" for MAIL FROM / RCPT TO. */
static char *
envelope(const char *mailbox)
{
	struct str name, addr;

	if (parse_mailbox("address", mailbox, &name, &addr, NULL) == -1)
		return NULL;
	return xasprintf("<%.*s>", (int)addr.len, addr.p);
}

int
mail_send_ex(const struct mail_config *cfg, const struct mail_message *msg,
    long *smtp_code, char **err)
{
	struct buf m = BUF_INIT;
	struct upload up;
	struct curl_slist *rcpt = NULL;
	char errbuf[CURL_ERROR_SIZE];
	char *mail_from = NULL, *rcpt_to = NULL;
	long timeout, code = 0;
	CURL *c = NULL;
	CURLcode rc;
	int ret = -1;

	if (err != NULL)
		*err = NULL;
	if (smtp_code != NULL)
		*smtp_code = 0;
	if (cfg->url == NULL || (strncmp(cfg->url, "smtp://", 7) != 0 &&
	    strncmp(cfg->url, "smtps://", 8) != 0)) {
		set_err(err, "mail: the server URL must start with smtp:// or "
		    "smtps://");
		return -1;
	}
	if (mail_format(cfg, msg, time(NULL), &m, err) == -1)
		goto out;
	mail_from = envelope(cfg->from);
	rcpt_to = envelope(msg->to);

	mail_global_init();
	if (curl_init_rc != CURLE_OK) {
		set_err(err, "mail: libcurl failed to initialise: %s",
		    curl_easy_strerror(curl_init_rc));
		goto out;
	}
	if ((c = curl_easy_init()) == NULL ||
	    (rcpt = curl_slist_append(NULL, rcpt_to)) == NULL) {
		set_err(err, "mail: out of memory");
		goto out;
	}

	timeout = cfg->timeout_s > 0 ? cfg->timeout_s : DEFAULT_TIMEOUT;
	up.p = m.data;
	up.left = m.len;
	errbuf[0] = '\0';
	curl_easy_setopt(c, CURLOPT_URL, cfg->url);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
#endif
	if (cfg->user != NULL && *cfg->user != '\0') {
		curl_easy_setopt(c, CURLOPT_USERNAME, cfg->user);
		curl_easy_setopt(c, CURLOPT_PASSWORD,
		    cfg->password != NULL ? cfg->password : "");
	}
	curl_easy_setopt(c, CURLOPT_USE_SSL,
	    cfg->starttls_required ? (long)CURLUSESSL_ALL : (long)CURLUSESSL_TRY);
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, mail_from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(c, CURLOPT_READDATA, &up);
	curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)m.len);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, timeout < 15 ? timeout : 15L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);

	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	if (smtp_code != NULL)
		*smtp_code = code;
	if (rc != CURLE_OK) {
		if (code != 0)
			set_err(err, "mail: %s (server replied %ld)",
			    errbuf[0] != '\0' ? errbuf : curl_easy_strerror(rc),
			    code);
		else
			set_err(err, "mail: %s",
			    errbuf[0] != '\0' ? errbuf : curl_easy_strerror(rc));
		goto out;
	}
	ret = 0;
out:
	if (c != NULL)
		curl_easy_cleanup(c);
	curl_slist_free_all(rcpt);
	free(mail_from);
	free(rcpt_to);
	/* The buffer held the body; do not leave it in freed memory. */
	if (m.data != NULL)
		sodium_memzero(m.data, m.cap);
	buf_free(&m);
	return ret;
}

int
mail_send(const struct mail_config *cfg, const struct mail_message *msg,
    char **err)
{
	return mail_send_ex(cfg, msg, NULL, err);
}
