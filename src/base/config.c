/*
 * config.c: read CIRCLES_* settings from the environment, falling back to a
 * KEY=value file, then to defaults.  Values are validated here so the server
 * refuses to start with a clear message instead of misbehaving later.
 */
#include "base/config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "base/mem.h"
#include "base/str.h"

#define CONFIG_MAX_KEYS	64

struct kv {
	char	*key;
	char	*value;
};

static struct kv file_kv[CONFIG_MAX_KEYS];
static size_t file_nkv;

static void
file_free(void)
{
	size_t i;

	for (i = 0; i < file_nkv; i++) {
		free(file_kv[i].key);
		free(file_kv[i].value);
	}
	file_nkv = 0;
}

static int
file_load(const char *path, bool required, char **err)
{
	FILE *f;
	char line[4096];
	int lineno = 0;

	f = fopen(path, "r");
	if (f == NULL) {
		if (!required && errno == ENOENT)
			return 0;
		*err = xasprintf("cannot read config file %s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		char *eq, *k, *v, *end;

		lineno++;
		k = line;
		while (isspace((unsigned char)*k))
			k++;
		if (*k == '#' || *k == '\0')
			continue;
		eq = strchr(k, '=');
		if (eq == NULL || file_nkv == CONFIG_MAX_KEYS) {
			*err = xasprintf("%s:%d: expected KEY=value", path, lineno);
			fclose(f);
			return -1;
		}
		*eq = '\0';
		v = eq + 1;
		for (end = eq; end > k && isspace((unsigned char)end[-1]); end--)
			end[-1] = '\0';
		while (isspace((unsigned char)*v))
			v++;
		end = v + strlen(v);
		while (end > v && isspace((unsigned char)end[-1]))
			*--end = '\0';
		if (end - v >= 2 && ((v[0] == '"' && end[-1] == '"') || (v[0] == '\'' && end[-1] == '\''))) {
			end[-1] = '\0';
			v++;
		}
		file_kv[file_nkv].key = xstrdup(k);
		file_kv[file_nkv].value = xstrdup(v);
		file_nkv++;
	}
	fclose(f);
	return 0;
}

static const char *
get(const char *name)
{
	const char *v = getenv(name);
	size_t i;

	if (v != NULL && *v != '\0')
		return v;
	for (i = 0; i < file_nkv; i++)
		if (strcmp(file_kv[i].key, name) == 0 && file_kv[i].value[0] != '\0')
			return file_kv[i].value;
	return NULL;
}

static char *
get_dup(const char *name, const char *def)
{
	const char *v = get(name);

	if (v == NULL)
		return def ? xstrdup(def) : NULL;
	return xstrdup(v);
}

static int
get_int(const char *name, int def, int min, int max, int *out, char **err)
{
	const char *v = get(name);
	uint64_t n;

	if (v == NULL) {
		*out = def;
		return 0;
	}
	if (!str_to_u64(str_c(v), (uint64_t)max, &n) || (int)n < min) {
		*err = xasprintf("%s must be a whole number from %d to %d", name, min, max);
		return -1;
	}
	*out = (int)n;
	return 0;
}

static bool
get_bool(const char *name, bool def)
{
	const char *v = get(name);

	if (v == NULL)
		return def;
	return strcmp(v, "1") == 0 || strcasecmp(v, "true") == 0 || strcasecmp(v, "yes") == 0 ||
	    strcasecmp(v, "on") == 0;
}

static int
parse_listen(struct config *c, const char *v, char **err)
{
	const char *colon;
	uint64_t port;

	if (v[0] == '[') {		/* [::1]:8080 */
		const char *close = strchr(v, ']');
		if (close == NULL || close[1] != ':')
			goto bad;
		c->listen_host = xstrndup(v + 1, (size_t)(close - v - 1));
		colon = close + 1;
	} else {
		colon = strrchr(v, ':');
		if (colon == NULL)
			goto bad;
		c->listen_host = xstrndup(v, (size_t)(colon - v));
	}
	if (!str_to_u64(str_c(colon + 1), 65535, &port))
		goto bad;
	c->listen_port = (int)port;
	if (c->listen_host[0] == '\0') {
		free(c->listen_host);
		c->listen_host = xstrdup("0.0.0.0");
	}
	return 0;
bad:
	*err = xasprintf("CIRCLES_LISTEN must be host:port, for example 127.0.0.1:8080");
	return -1;
}

int
config_load(struct config *c, char **err)
{
	const char *cfg_path, *v;
	char *tmp;

	memset(c, 0, sizeof(*c));
	*err = NULL;
	file_free();

	cfg_path = getenv("CIRCLES_CONFIG");
	if (cfg_path != NULL && *cfg_path) {
		if (file_load(cfg_path, true, err) == -1)
			return -1;
	} else {
		const char *d = getenv("CIRCLES_DATA");
		tmp = xasprintf("%s/circles.conf", d && *d ? d : "./data");
		if (file_load(tmp, false, err) == -1) {
			free(tmp);
			return -1;
		}
		free(tmp);
	}

	if (parse_listen(c, (v = get("CIRCLES_LISTEN")) ? v : "127.0.0.1:8080", err) == -1)
		return -1;
	c->data_dir = get_dup("CIRCLES_DATA", "./data");
	while (strlen(c->data_dir) > 1 && c->data_dir[strlen(c->data_dir) - 1] == '/')
		c->data_dir[strlen(c->data_dir) - 1] = '\0';
	if ((v = get("CIRCLES_PUBLIC_URL")) != NULL)
		c->public_url = xstrdup(v);
	else if (strchr(c->listen_host, ':') != NULL)
		c->public_url = xasprintf("http://[%s]:%d", c->listen_host, c->listen_port);
	else
		c->public_url = xasprintf("http://%s:%d", c->listen_host, c->listen_port);
	while (strlen(c->public_url) > 0 && c->public_url[strlen(c->public_url) - 1] == '/')
		c->public_url[strlen(c->public_url) - 1] = '\0';
	if (strncmp(c->public_url, "http://", 7) != 0 && strncmp(c->public_url, "https://", 8) != 0) {
		*err = xasprintf("CIRCLES_PUBLIC_URL must start with http:// or https://");
		return -1;
	}
	c->secure_cookies = strncmp(c->public_url, "https://", 8) == 0;

	tmp = xasprintf("sqlite:%s/circles.db", c->data_dir);
	c->database_url = get_dup("CIRCLES_DATABASE_URL", tmp);
	free(tmp);
	tmp = xasprintf("%s/secret.key", c->data_dir);
	c->key_file = get_dup("CIRCLES_KEY_FILE", tmp);
	free(tmp);
	c->share_dir = get_dup("CIRCLES_SHARE_DIR", CIRCLES_SOURCE_ROOT);

	v = get("CIRCLES_REGISTRATION");
	if (v == NULL || strcmp(v, "open") == 0)
		c->registration = REGISTRATION_OPEN;
	else if (strcmp(v, "invite") == 0 || strcmp(v, "invitation") == 0)
		c->registration = REGISTRATION_INVITE;
	else {
		*err = xasprintf("CIRCLES_REGISTRATION must be open or invite");
		return -1;
	}
	c->trusted_proxy = get_dup("CIRCLES_TRUSTED_PROXY", NULL);
	c->smtp_url = get_dup("CIRCLES_SMTP_URL", NULL);
	c->smtp_user = get_dup("CIRCLES_SMTP_USER", NULL);
	c->smtp_password = get_dup("CIRCLES_SMTP_PASSWORD", NULL);
	c->mail_from = get_dup("CIRCLES_MAIL_FROM", "Circles <no-reply@localhost>");
	c->metrics_token = get_dup("CIRCLES_METRICS_TOKEN", NULL);
	c->sms_gateway_url = get_dup("CIRCLES_SMS_GATEWAY_URL", NULL);
	c->sms_from = get_dup("CIRCLES_SMS_FROM", NULL);
	c->sms_auth_token = get_dup("CIRCLES_SMS_AUTH_TOKEN", NULL);

	if (get_int("CIRCLES_LOOPS", 0, 0, 256, &c->loops, err) == -1 ||
	    get_int("CIRCLES_MAX_CONNECTIONS", 4096, 1, 1000000, &c->max_connections, err) == -1 ||
	    get_int("CIRCLES_HEADER_TIMEOUT_MS", 10000, 10, 600000, &c->header_timeout_ms, err) == -1 ||
	    get_int("CIRCLES_BODY_TIMEOUT_MS", 10000, 10, 600000, &c->body_timeout_ms, err) == -1 ||
	    get_int("CIRCLES_IDLE_TIMEOUT_MS", 60000, 10, 3600000, &c->idle_timeout_ms, err) == -1 ||
	    get_int("CIRCLES_SESSION_IDLE", 3600, 60, 30 * 86400, &c->session_idle_s, err) == -1 ||
	    get_int("CIRCLES_SESSION_ABSOLUTE", 43200, 300, 90 * 86400, &c->session_absolute_s, err) == -1)
		return -1;
	c->test_mode = get_bool("CIRCLES_TEST_MODE", false);
	c->access_log = get_bool("CIRCLES_ACCESS_LOG", true);
	file_free();
	return 0;
}

void
config_free(struct config *c)
{
	free(c->listen_host);
	free(c->data_dir);
	free(c->public_url);
	free(c->database_url);
	free(c->key_file);
	free(c->share_dir);
	free(c->trusted_proxy);
	free(c->smtp_url);
	free(c->smtp_user);
	if (c->smtp_password)
		memset(c->smtp_password, 0, strlen(c->smtp_password));
	free(c->smtp_password);
	free(c->mail_from);
	free(c->metrics_token);
	free(c->sms_gateway_url);
	free(c->sms_from);
	if (c->sms_auth_token)
		memset(c->sms_auth_token, 0, strlen(c->sms_auth_token));
	free(c->sms_auth_token);
	memset(c, 0, sizeof(*c));
}
