/*
 * multipart.c: multipart/form-data (see multipart.h).
 */
#include "formats/multipart.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define BOUNDARY_MAX	70	/* RFC 2046 */
#define HEADERS_MAX	4096

/* The boundary parameter of a Content-Type value into out; false if none. */
static bool
boundary_of(const char *ct, char *out, size_t outsz)
{
	const char *p;
	size_t n = 0;

	if (ct == NULL || strncasecmp(ct, "multipart/form-data", 19) != 0)
		return false;
	for (p = ct + 19; *p; p++) {
		if (strncasecmp(p, "boundary=", 9) == 0 && (p == ct || p[-1] == ';' ||
		    p[-1] == ' ' || p[-1] == '\t'))
			break;
	}
	if (*p == '\0')
		return false;
	p += 9;
	if (*p == '"') {
		p++;
		while (*p && *p != '"' && n + 1 < outsz)
			out[n++] = *p++;
		if (*p != '"')
			return false;
	} else {
		while (*p && *p != ';' && !isspace((unsigned char)*p) && n + 1 < outsz)
			out[n++] = *p++;
	}
	out[n] = '\0';
	return n > 0 && n <= BOUNDARY_MAX;
}

/* A quoted or bare parameter value of a Content-Disposition, arena copy. */
static const char *
disp_param(struct arena *a, const char *h, size_t hlen, const char *param)
{
	size_t plen = strlen(param), i;

	for (i = 0; i + plen + 1 < hlen; i++) {
		size_t j, s;

		if (strncasecmp(h + i, param, plen) != 0 || h[i + plen] != '=' ||
		    (i > 0 && h[i - 1] != ';' && h[i - 1] != ' ' && h[i - 1] != '\t'))
			continue;
		j = i + plen + 1;
		if (j < hlen && h[j] == '"') {
			s = ++j;
			while (j < hlen && h[j] != '"')
				j++;
			if (j >= hlen)
				return NULL;
			return arena_strndup(a, h + s, j - s);
		}
		s = j;
		while (j < hlen && h[j] != ';' && h[j] != '\r' && h[j] != '\n')
			j++;
		return arena_strndup(a, h + s, j - s);
	}
	return NULL;
}

int
multipart_parse(struct arena *a, const char *content_type, const char *body, size_t len,
    struct mp_part *parts, size_t max)
{
	char bnd[BOUNDARY_MAX + 8], delim[BOUNDARY_MAX + 8];
	size_t dlen, pos, n = 0;

	if (!boundary_of(content_type, bnd, BOUNDARY_MAX + 1))
		return -1;
	/* The first delimiter has no CRLF before it; the others do. */
	dlen = (size_t)snprintf(delim, sizeof(delim), "--%s", bnd);
	if (len < dlen || memcmp(body, delim, dlen) != 0)
		return -1;
	pos = dlen;
	dlen = (size_t)snprintf(delim, sizeof(delim), "\r\n--%s", bnd);
	for (;;) {
		const char *hend, *next, *cd;
		size_t hstart, hlen;

		if (len - pos >= 2 && body[pos] == '-' && body[pos + 1] == '-')
			return (int)n;		/* the closing delimiter */
		if (len - pos < 2 || body[pos] != '\r' || body[pos + 1] != '\n')
			return -1;
		pos += 2;
		hstart = pos;
		hend = memmem(body + pos, len - pos, "\r\n\r\n", 4);
		if (hend == NULL || (size_t)(hend - (body + pos)) > HEADERS_MAX)
			return -1;
		hlen = (size_t)(hend - (body + hstart));
		pos = (size_t)(hend - body) + 4;
		next = memmem(body + pos, len - pos, delim, dlen);
		if (next == NULL)
			return -1;
		if (n == max)
			return -1;
		cd = NULL;
		{
			size_t i;
			for (i = 0; i + 20 <= hlen; i++)
				if ((i == 0 || body[hstart + i - 1] == '\n') &&
				    strncasecmp(body + hstart + i, "content-disposition:", 20) == 0) {
					cd = body + hstart + i;
					break;
				}
		}
		if (cd == NULL)
			return -1;
		{
			const char *eol = memchr(cd, '\r', (size_t)(body + hstart + hlen - cd));
			size_t cdl = eol ? (size_t)(eol - cd) : (size_t)(body + hstart + hlen - cd);

			parts[n].name = disp_param(a, cd, cdl, "name");
			parts[n].filename = disp_param(a, cd, cdl, "filename");
		}
		if (parts[n].name == NULL)
			return -1;
		parts[n].data = body + pos;
		parts[n].len = (size_t)(next - (body + pos));
		n++;
		pos = (size_t)(next - body) + dlen;
	}
}

const struct mp_part *
multipart_get(const struct mp_part *parts, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(parts[i].name, name) == 0)
			return &parts[i];
	return NULL;
}
