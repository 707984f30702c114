/*
 * log.c: JSON lines on stderr, one write(2) per line so lines from several
 * threads never interleave.
 */
#include "base/log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/str.h"

static bool log_debug_on;

void
log_init(bool debug)
{
	log_debug_on = debug;
}

static void
emit(const char *level, int errnum, const char *fmt, va_list ap)
{
	char msg[1024];
	struct buf b = BUF_INIT;
	struct timespec ts;
	struct tm tm;
	char tbuf[32];
	ssize_t w;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(tbuf, sizeof(tbuf), "%Y-%m-%dT%H:%M:%S", &tm);
	buf_printf(&b, "{\"ts\":\"%s.%03ldZ\",\"level\":\"%s\",\"msg\":\"", tbuf,
	    ts.tv_nsec / 1000000, level);
	buf_append_json(&b, msg, strlen(msg));
	if (errnum) {
		const char *e = strerror(errnum);
		buf_puts(&b, "\",\"error\":\"");
		buf_append_json(&b, e, strlen(e));
	}
	buf_puts(&b, "\"}\n");
	w = write(STDERR_FILENO, b.data, b.len);
	(void)w;
	buf_free(&b);
}

void
log_json_line(const char *json, size_t len)
{
	struct buf b = BUF_INIT;
	ssize_t w;

	buf_append(&b, json, len);
	buf_putc(&b, '\n');
	w = write(STDERR_FILENO, b.data, b.len);
	(void)w;
	buf_free(&b);
}

#define LOGFN(name, level, witherr)				\
void								\
name(const char *fmt, ...)					\
{								\
	int e = errno;						\
	va_list ap;						\
	va_start(ap, fmt);					\
	emit(level, witherr ? e : 0, fmt, ap);			\
	va_end(ap);						\
	errno = e;						\
}

LOGFN(log_info, "info", 0)
LOGFN(log_warn, "warn", 1)
LOGFN(log_warnx, "warn", 0)

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	if (!log_debug_on)
		return;
	va_start(ap, fmt);
	emit("debug", 0, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	int e = errno;
	va_list ap;

	va_start(ap, fmt);
	emit("fatal", e, fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit("fatal", 0, fmt, ap);
	va_end(ap);
	exit(1);
}
