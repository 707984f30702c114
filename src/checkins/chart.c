/*
 * chart.c: server-drawn SVG line charts (see chart.h).
 *
 * Geometry: a fixed viewBox of 400 x 220 units that the browser scales to
 * the width available (width="100%"): about one unit per pixel on a phone,
 * where text must stay readable, and a little larger in a half-width
 * column on a wide screen.  The value axis is on the left with a grid line
 * per step, one evenly spaced slot per point, and at most five labels
 * along the bottom so they never overlap.
 */
#include "checkins/chart.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define VIEW_W		400.0
#define VIEW_H		220.0
#define PAD_LEFT	30.0
#define PAD_RIGHT	10.0
#define PAD_TOP		12.0
#define PAD_BOTTOM	32.0
#define MAX_XLABELS	5

void
chart_number(double v, char out[16])
{
	size_t n;

	if (!isfinite(v) || fabs(v) > 1e9)
		v = 0;
	snprintf(out, 16, "%.2f", v);
	n = strlen(out);
	while (n > 0 && out[n - 1] == '0')
		out[--n] = '\0';
	if (n > 0 && out[n - 1] == '.')
		out[--n] = '\0';
	if (strcmp(out, "-0") == 0)
		strcpy(out, "0");
}

static void
put_text(struct buf *b, const char *s)
{
	if (s != NULL)
		buf_append_html(b, s, strlen(s));
}

static double
ypos(const struct chart *c, double v)
{
	double span = c->ymax - c->ymin;

	if (span <= 0)
		span = 1;
	if (v < c->ymin)
		v = c->ymin;
	if (v > c->ymax)
		v = c->ymax;
	return PAD_TOP + (VIEW_H - PAD_TOP - PAD_BOTTOM) * (1.0 - (v - c->ymin) / span);
}

static double
xpos(const struct chart *c, size_t i)
{
	double w = VIEW_W - PAD_LEFT - PAD_RIGHT;

	return PAD_LEFT + w * ((double)i + 0.5) / (double)(c->n ? c->n : 1);
}

void
chart_svg(const struct chart *c, struct buf *b)
{
	size_t i, n = c->n < CHART_MAX_POINTS ? c->n : CHART_MAX_POINTS, every;
	double step = c->ystep > 0 ? c->ystep : 1, y;
	bool open = false;
	char num[16];

	buf_printf(b, "<svg class=\"chart\" viewBox=\"0 0 %.0f %.0f\" width=\"100%%\" "
	    "role=\"img\" aria-labelledby=\"%s-title %s-desc\" "
	    "xmlns=\"http://www.w3.org/2000/svg\" font-size=\"12\">", VIEW_W, VIEW_H,
	    c->id, c->id);
	buf_printf(b, "<title id=\"%s-title\">", c->id);
	put_text(b, c->title);
	buf_printf(b, "</title><desc id=\"%s-desc\">", c->id);
	put_text(b, c->desc);
	buf_puts(b, "</desc>");

	/* the value axis: grid lines and their labels */
	buf_puts(b, "<g fill=\"currentColor\" stroke=\"currentColor\">");
	for (y = c->ymin; y <= c->ymax + 1e-9 && y - c->ymin < 1000 * step; y += step) {
		double yy = ypos(c, y);

		chart_number(y, num);
		buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
		    "stroke-opacity=\"0.25\" stroke-width=\"1\"/>", PAD_LEFT, yy,
		    VIEW_W - PAD_RIGHT, yy);
		buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" stroke=\"none\" "
		    "dominant-baseline=\"middle\">%s</text>", PAD_LEFT - 6, yy, num);
	}
	/* labels along the bottom, at most MAX_XLABELS of them */
	every = n > MAX_XLABELS ? (n + MAX_XLABELS - 1) / MAX_XLABELS : 1;
	for (i = 0; c->xlabels != NULL && i < n; i++) {
		if ((n - 1 - i) % every != 0)	/* always label the newest point */
			continue;
		double x = xpos(c, i);

		/* keep a label whole near the edges */
		if (x > VIEW_W - 22)
			x = VIEW_W - 22;
		buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
		    "stroke=\"none\">", x, VIEW_H - 10);
		put_text(b, c->xlabels[i]);
		buf_puts(b, "</text>");
	}
	buf_puts(b, "</g>");

	/* the line, broken where a point is missing */
	for (i = 0; i < n; i++) {
		if (!c->present[i]) {
			if (open)
				buf_puts(b, "\"/>");
			open = false;
			continue;
		}
		if (!open) {
			buf_puts(b, "<polyline fill=\"none\" stroke=\"");
			put_text(b, c->color);
			buf_puts(b, "\" stroke-width=\"2.5\" stroke-linejoin=\"round\" "
			    "stroke-linecap=\"round\" points=\"");
			open = true;
		} else {
			buf_putc(b, ' ');
		}
		buf_printf(b, "%.1f,%.1f", xpos(c, i), ypos(c, c->values[i]));
	}
	if (open)
		buf_puts(b, "\"/>");

	/* a dot per value, with the number as a tooltip */
	buf_puts(b, "<g fill=\"");
	put_text(b, c->color);
	buf_puts(b, "\">");
	for (i = 0; i < n; i++) {
		if (!c->present[i])
			continue;
		chart_number(c->values[i], num);
		buf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\"><title>", xpos(c, i),
		    ypos(c, c->values[i]));
		if (c->xlabels != NULL) {
			put_text(b, c->xlabels[i]);
			buf_puts(b, ": ");
		}
		buf_printf(b, "%s</title></circle>", num);
	}
	buf_puts(b, "</g></svg>");
}
