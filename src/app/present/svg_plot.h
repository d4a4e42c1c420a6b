/* svg_plot: draws a Plot (plot.h) as an SVG element inline in the HTML
 * export: axes with round-number ticks, labels, a legend; no script, no
 * external resources. */
#ifndef NB_SVG_PLOT_H
#define NB_SVG_PLOT_H

#include "strbuf.h"
#include "plot.h"
#include "xml_escape.h"

void svg_plot(StrBuf *out, const Plot *plot);

#endif
