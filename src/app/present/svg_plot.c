/* svg_plot: bar and line charts as SVG (see svg_plot.h). */
#include "svg_plot.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define WIDTH 640
#define HEIGHT 360
#define LEFT 72
#define RIGHT 24
#define TOP 64
#define BOTTOM 64
#define MAX_TICKS 12

static const char *const palette[] = {"#4e79a7", "#e15759", "#59a14f", "#f28e2b"};

static void text_element(StrBuf *out, double x, double y, const char *anchor, const char *extra,
                         const char *text) {
    nb_strbuf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s>", x, y, anchor, extra);
    xml_escape(out, text, strlen(text));
    nb_strbuf_append(out, "</text>\n");
}

/* Round tick positions covering [lo, hi]: steps of 1, 2 or 5 times a
 * power of ten, about five of them. Widens [lo, hi] to whole steps. */
static size_t nice_ticks(double *lo, double *hi, double ticks[MAX_TICKS]) {
    if (!(*hi > *lo)) {
        double pad = *lo == 0 ? 1 : fabs(*lo) * 0.1;
        *lo -= pad;
        *hi += pad;
    }
    static const double multiples[] = {1, 2, 5, 10};
    double raw = (*hi - *lo) / 5, power = pow(10, floor(log10(raw))), step = 10 * power;
    for (size_t i = 0; i < sizeof multiples / sizeof multiples[0]; i++)
        if (multiples[i] * power >= raw) {
            step = multiples[i] * power;
            break;
        }
    *lo = floor(*lo / step) * step;
    *hi = ceil(*hi / step) * step;
    size_t n = 0;
    for (double t = *lo; t <= *hi + step * 1e-9 && n < MAX_TICKS; t += step)
        ticks[n++] = fabs(t) < step * 1e-9 ? 0 : t;
    return n;
}

static void tick_label(char *buf, size_t size, double v) {
    snprintf(buf, size, "%g", v);
}

typedef struct {
    double x0, x1, y0, y1; /* data ranges */
} Frame;

static double px(const Frame *f, double x) {
    return LEFT + (x - f->x0) / (f->x1 - f->x0) * (WIDTH - LEFT - RIGHT);
}
static double py(const Frame *f, double y) {
    return HEIGHT - BOTTOM - (y - f->y0) / (f->y1 - f->y0) * (HEIGHT - TOP - BOTTOM);
}

static void open_svg(StrBuf *out, const Plot *plot) {
    nb_strbuf_printf(out,
                  "<svg class=\"plot\" viewBox=\"0 0 %d %d\" "
                  "width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"",
                  WIDTH, HEIGHT, WIDTH, HEIGHT);
    xml_escape(out, plot->title, strlen(plot->title));
    nb_strbuf_append(out, "\" font-family=\"sans-serif\" font-size=\"13\">\n");
    nb_strbuf_printf(out, "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n", WIDTH, HEIGHT);
    text_element(out, WIDTH / 2.0, 24, "middle", " font-size=\"15\" font-weight=\"bold\"", plot->title);
}

/* Horizontal grid lines and labels for the y ticks, the y axis label. */
static void y_axis(StrBuf *out, const Frame *f, const double *ticks, size_t n, const char *label) {
    char buf[64];
    for (size_t i = 0; i < n; i++) {
        double y = py(f, ticks[i]);
        nb_strbuf_printf(out, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>\n",
                      LEFT, y, WIDTH - RIGHT, y);
        tick_label(buf, sizeof buf, ticks[i]);
        text_element(out, LEFT - 8, y + 4, "end", "", buf);
    }
    nb_strbuf_printf(out, "<text transform=\"translate(18 %.1f) rotate(-90)\" text-anchor=\"middle\">",
                  (TOP + HEIGHT - BOTTOM) / 2.0);
    xml_escape(out, label, strlen(label));
    nb_strbuf_append(out, "</text>\n");
    nb_strbuf_printf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>\n", LEFT, TOP,
                  LEFT, HEIGHT - BOTTOM);
    nb_strbuf_printf(out, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#333\"/>\n", LEFT,
                  py(f, f->y0), WIDTH - RIGHT, py(f, f->y0));
}

static void bars(StrBuf *out, const Plot *plot) {
    double ticks[MAX_TICKS];
    Frame f = {0, (double)plot->nbars, 0, 0};
    for (size_t i = 0; i < plot->nbars; i++)
        if (plot->bar_values[i] > f.y1) f.y1 = plot->bar_values[i];
    f.y1 *= 1.15; /* room above the tallest bar for its value */
    size_t n = nice_ticks(&f.y0, &f.y1, ticks);
    y_axis(out, &f, ticks, n, plot->y_label);
    char buf[64];
    for (size_t i = 0; i < plot->nbars; i++) {
        double v = plot->bar_values[i] > 0 ? plot->bar_values[i] : 0;
        double x = px(&f, (double)i + 0.2), w = px(&f, (double)i + 0.8) - x;
        double top = py(&f, v);
        nb_strbuf_printf(out,
                      "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                      "fill=\"%s\"/>\n",
                      x, top, w, py(&f, 0) - top, palette[i % 4]);
        snprintf(buf, sizeof buf, "%.3g s", plot->bar_values[i]);
        text_element(out, x + w / 2, top - 6, "middle", "", buf);
        text_element(out, x + w / 2, HEIGHT - BOTTOM + 20, "middle", "", plot->bar_labels[i]);
    }
}

/* A dot for a sampled value, a ring (drawn larger, so a dot at the same
 * place shows inside it) for a known exact one. */
static void marker(StrBuf *out, PlotStyle style, double x, double y, const char *colour) {
    if (style == PLOT_DOTS)
        nb_strbuf_printf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>\n", x, y, colour);
    else
        nb_strbuf_printf(out,
                      "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"6.5\" fill=\"none\" stroke=\"%s\" "
                      "stroke-width=\"1.5\"/>\n",
                      x, y, colour);
}

static void lines(StrBuf *out, const Plot *plot) {
    Frame f = {INFINITY, -INFINITY, INFINITY, -INFINITY};
    for (size_t s = 0; s < plot->nseries; s++)
        for (size_t i = 0; i < plot->series[s].n; i++) {
            f.x0 = fmin(f.x0, plot->series[s].x[i]), f.x1 = fmax(f.x1, plot->series[s].x[i]);
            f.y0 = fmin(f.y0, plot->series[s].y[i]), f.y1 = fmax(f.y1, plot->series[s].y[i]);
        }
    double xt[MAX_TICKS], yt[MAX_TICKS];
    size_t nx = nice_ticks(&f.x0, &f.x1, xt), ny = nice_ticks(&f.y0, &f.y1, yt);
    /* a margin inside the axes: a marker on the first or last tick is
     * drawn whole, clear of the axis lines and of the legend above */
    double xpad = (f.x1 - f.x0) * 0.04, ypad = (f.y1 - f.y0) * 0.08;
    f.x0 -= xpad, f.x1 += xpad, f.y0 -= ypad, f.y1 += ypad;
    y_axis(out, &f, yt, ny, plot->y_label);
    char buf[64];
    for (size_t i = 0; i < nx; i++) {
        tick_label(buf, sizeof buf, xt[i]);
        text_element(out, px(&f, xt[i]), HEIGHT - BOTTOM + 18, "middle", "", buf);
    }
    text_element(out, (LEFT + WIDTH - RIGHT) / 2.0, HEIGHT - 16, "middle", "", plot->x_label);
    /* lines first, markers over them: a sampled point stays visible on its curve */
    for (int pass = 0; pass < 2; pass++)
    for (size_t s = 0; s < plot->nseries; s++) {
        const PlotSeries *series = &plot->series[s];
        const char *colour = palette[s % 4];
        if ((series->style == PLOT_LINE) != (pass == 0)) continue;
        if (series->style == PLOT_LINE) {
            nb_strbuf_printf(out, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"",
                          colour);
            for (size_t i = 0; i < series->n; i++)
                nb_strbuf_printf(out, "%s%.1f,%.1f", i ? " " : "", px(&f, series->x[i]),
                              py(&f, series->y[i]));
            nb_strbuf_append(out, "\"/>\n");
        }
        if (series->style != PLOT_LINE)
            for (size_t i = 0; i < series->n; i++)
                marker(out, series->style, px(&f, series->x[i]), py(&f, series->y[i]), colour);
        /* the legend: one row under the title, out of the data's way */
        double ly = 48, lx = LEFT + 260.0 * (double)s;
        if (series->style == PLOT_LINE)
            nb_strbuf_printf(out,
                          "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                          "stroke-width=\"2\"/>\n",
                          lx, ly - 4, lx + 20, ly - 4, colour);
        else
            marker(out, series->style, lx + 10, ly - 4, colour);
        text_element(out, lx + 28, ly, "start", "", series->name);
    }
}

void svg_plot(StrBuf *out, const Plot *plot) {
    open_svg(out, plot);
    if (plot->kind == PLOT_BARS)
        bars(out, plot);
    else
        lines(out, plot);
    nb_strbuf_append(out, "</svg>\n");
}
