/*
 * chart.h: line charts as inline SVG, drawn on the server.
 *
 * Pure.  The charts need no JavaScript and no style attribute (the CSP
 * forbids inline styles): only SVG presentation attributes (fill, stroke,
 * x, y...), with currentColor for axes and text so they follow the page's
 * light or dark colours.  Each chart is role="img" with a <title> and a
 * <desc>; the page puts a table of the same numbers next to it as the
 * text alternative.  Gaps (weeks without a value) break the line.
 */
#ifndef CIRCLES_CHECKINS_CHART_H
#define CIRCLES_CHECKINS_CHART_H

#include <stdbool.h>
#include <stddef.h>

#include "base/str.h"

#define CHART_MAX_POINTS	120

struct chart {
	const char		*id;		/* unique on the page, [a-z0-9-] */
	const char		*title;		/* text, escaped here */
	const char		*desc;		/* text, escaped here */
	const char		*color;		/* "#1f6feb" */
	double			 ymin, ymax;	/* the value axis */
	double			 ystep;		/* grid line every ystep */
	size_t			 n;		/* points, at most CHART_MAX_POINTS */
	const double		*values;
	const bool		*present;	/* false: no value at this point */
	const char *const	*xlabels;	/* n short labels, or NULL */
};

/** Append the <svg> element to out. */
void	chart_svg(const struct chart *c, struct buf *out);

/** A value as "4", "4.5" or "4.25" (at most two decimals, trailing zeros dropped), into out[16]. */
void	chart_number(double v, char out[16]);

#endif
