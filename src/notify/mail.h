/*
 * mail.h: outbound email over SMTP (libcurl).
 *
 * One plain-text UTF-8 message to one recipient per call.  The message is
 * built here (RFC 5322 headers, RFC 2047 encoded-words for non-ASCII
 * subjects and display names, quoted-printable body, CRLF line endings);
 * curl does the SMTP dialogue, including dot-stuffing and TLS.
 *
 * Addresses, subject and Message-ID are checked before anything is sent:
 * a CR or LF (header injection), a control character or malformed UTF-8 is
 * refused with an error rather than cleaned up.  Error messages never
 * contain the body.
 */
#ifndef CIRCLES_NOTIFY_MAIL_H
#define CIRCLES_NOTIFY_MAIL_H

#include <stdbool.h>
#include <time.h>

#include "base/str.h"

/** Largest body accepted, in bytes (before encoding). */
#define MAIL_TEXT_MAX		(1024 * 1024)
/** Largest subject accepted, in bytes. */
#define MAIL_SUBJECT_MAX	998

struct mail_config {
	const char	*url;		/* smtp://host:port or smtps://host:port */
	const char	*user;		/* NULL: no SMTP AUTH */
	const char	*password;
	const char	*from;		/* "Circles <no-reply@example.org>" */
	bool		 starttls_required; /* smtp://: refuse to send in clear */
	long		 timeout_s;	/* whole transfer; <= 0 means 30 */
};

struct mail_message {
	const char	*to;		/* "a@example.org" or "Name <a@example.org>" */
	const char	*subject;	/* UTF-8 */
	const char	*text;		/* plain text body, UTF-8, \n or \r\n lines */
	const char	*message_id;	/* optional, stable per job so retries can
					   be recognised; "<id@host>" or "id@host" */
};

/**
 * Initialise libcurl once for the whole process.  curl_global_init is not
 * thread-safe, so call this from main before starting threads.  mail_send
 * calls it too (guarded by pthread_once) as a fallback.
 */
void	mail_global_init(void);

/**
 * Send one message.  Returns 0 once the server accepted it, or -1 with a
 * malloc'd *err (if err is not NULL) that never includes the body.
 * With smtp:// and starttls_required false, STARTTLS is used when the
 * server offers it.
 */
int	mail_send(const struct mail_config *cfg, const struct mail_message *msg,
	    char **err);

/**
 * As mail_send, also storing in *smtp_code the last SMTP reply code (0 if
 * the server never answered), so a job queue can retry temporary failures
 * (4xx, or no answer) and give up on permanent ones (5xx).
 */
int	mail_send_ex(const struct mail_config *cfg, const struct mail_message *msg,
	    long *smtp_code, char **err);

/**
 * Build the complete RFC 5322 message (headers, blank line, encoded body,
 * CRLF line endings), appending it to out, dated now.  Returns 0, or -1
 * with a malloc'd *err and out untouched if a field is refused.  Used by mail_send; exposed for tests and
 * for a development mode that writes mail to disk.
 */
int	mail_format(const struct mail_config *cfg, const struct mail_message *msg,
	    time_t now, struct buf *out, char **err);

#endif
