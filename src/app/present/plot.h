/* plot: the data of one chart the HTML export draws for a cell: bars (the
 * timing cell's CPU and device times) or lines over x (the
 * differentiability probe's directional derivative against θ). Filled by
 * cell_plots.h, drawn by svg_plot.h. */
#ifndef NB_PLOT_H
#define NB_PLOT_H

#include <stdbool.h>
#include <stddef.h>

#define PLOT_MAX_BARS 8
#define PLOT_MAX_SERIES 4
#define PLOT_MAX_POINTS 1024
#define PLOT_TEXT 160

typedef enum { PLOT_BARS, PLOT_LINES } PlotKind;

typedef enum {
    PLOT_LINE,          /* a line through the points */
    PLOT_DOTS,          /* filled dots, no line: sampled values */
    PLOT_RINGS,         /* rings, no line: exact values at these points
                           only (a line would invent the curve between) */
} PlotStyle;

typedef struct PlotSeries {
    char name[PLOT_TEXT];
    PlotStyle style;
    size_t n;
    double x[PLOT_MAX_POINTS], y[PLOT_MAX_POINTS];
} PlotSeries;

typedef struct Plot {
    PlotKind kind;
    char title[PLOT_TEXT];
    char caption[2 * PLOT_TEXT];
    char x_label[PLOT_TEXT], y_label[PLOT_TEXT];
    size_t nbars;
    char bar_labels[PLOT_MAX_BARS][PLOT_TEXT];
    double bar_values[PLOT_MAX_BARS];
    size_t nseries;
    PlotSeries series[PLOT_MAX_SERIES];
} Plot;

#endif
