/*
 * log.h: structured JSON logs on standard error.
 *
 * A small vocabulary in the OpenBSD manner: log_info, log_warn (appends
 * strerror(errno)), log_warnx, log_debug and fatal/fatalx.  Each line is
 * one JSON object.  Callers must never pass secrets, tokens, passwords,
 * email addresses or health details: log ids and counts, not content.
 */
#ifndef CIRCLES_BASE_LOG_H
#define CIRCLES_BASE_LOG_H

#include <stdbool.h>
#include <stddef.h>

void	log_init(bool debug);
void	log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void fatalx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/**
 * Write one preformatted JSON object (without newline) as a log line, used by
 * the HTTP access log which builds its own fields.
 */
void	log_json_line(const char *json, size_t len);

#endif
