/*
 * config.h: settings from the environment and an optional config file.
 *
 * Every setting has an environment variable (CIRCLES_*).  A config file
 * (CIRCLES_CONFIG, or $CIRCLES_DATA/circles.conf when present) may hold the
 * same names as KEY=value lines; the environment wins over the file.
 * Nothing here is secret except the SMTP password and the SMS token, which
 * are never logged.
 */
#ifndef CIRCLES_BASE_CONFIG_H
#define CIRCLES_BASE_CONFIG_H

#include <stdbool.h>

enum registration_mode { REGISTRATION_OPEN, REGISTRATION_INVITE };

struct config {
	char	*listen_host;		/* CIRCLES_LISTEN host part (default 127.0.0.1) */
	int	 listen_port;		/* CIRCLES_LISTEN port part (default 8080) */
	char	*data_dir;		/* CIRCLES_DATA (default ./data) */
	char	*public_url;		/* CIRCLES_PUBLIC_URL (default http://LISTEN) no trailing slash */
	char	*database_url;		/* CIRCLES_DATABASE_URL (default sqlite:DATA/circles.db) */
	char	*key_file;		/* CIRCLES_KEY_FILE (default DATA/secret.key) */
	char	*share_dir;		/* CIRCLES_SHARE_DIR: templates/, static/, po/ (default: source tree) */
	enum registration_mode registration; /* CIRCLES_REGISTRATION=open|invite (default open) */
	char	*trusted_proxy;		/* CIRCLES_TRUSTED_PROXY: address of the reverse proxy, or NULL */
	char	*smtp_url;		/* CIRCLES_SMTP_URL smtp://host:port (NULL: email disabled, logged) */
	char	*smtp_user;		/* CIRCLES_SMTP_USER */
	char	*smtp_password;		/* CIRCLES_SMTP_PASSWORD (secret) */
	char	*mail_from;		/* CIRCLES_MAIL_FROM (default "Circles <no-reply@localhost>") */
	int	 loops;			/* CIRCLES_LOOPS event loops (default: cores) */
	int	 max_connections;	/* CIRCLES_MAX_CONNECTIONS (default 4096) */
	int	 header_timeout_ms;	/* CIRCLES_HEADER_TIMEOUT_MS (default 10000) */
	int	 body_timeout_ms;	/* CIRCLES_BODY_TIMEOUT_MS (default 10000) */
	int	 idle_timeout_ms;	/* CIRCLES_IDLE_TIMEOUT_MS (default 60000) */
	int	 session_idle_s;	/* CIRCLES_SESSION_IDLE (default 3600) */
	int	 session_absolute_s;	/* CIRCLES_SESSION_ABSOLUTE (default 43200) */
	char	*metrics_token;		/* CIRCLES_METRICS_TOKEN: bearer for /metrics from non-loopback */
	bool	 test_mode;		/* CIRCLES_TEST_MODE=1: settable clock, outbox visible to tests */
	bool	 access_log;		/* CIRCLES_ACCESS_LOG=0 disables (default on) */
	bool	 secure_cookies;	/* derived: public_url is https */
	char	*sms_gateway_url;	/* CIRCLES_SMS_GATEWAY_URL: outbound texts are POSTed here (NULL: none) */
	char	*sms_from;		/* CIRCLES_SMS_FROM: the number texts come from */
	char	*sms_auth_token;	/* CIRCLES_SMS_AUTH_TOKEN: verifies the gateway's webhook (secret) */
};

/** Load settings; returns 0, or -1 with a message in *err (malloc'd). */
int	config_load(struct config *c, char **err);
void	config_free(struct config *c);

#endif
