/* cell_plots: the chart readers, one per charted cell (see cell_plots.h). */
#include "cell_plots.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COLUMNS 8

/* Splits a line into fields at spaces, tabs and commas; returns how many
 * (at most max), each copied into fields[i] (at most PLOT_TEXT bytes). */
static size_t split_fields(const char *line, size_t len, char fields[][PLOT_TEXT], size_t max) {
    size_t n = 0, i = 0;
    while (i < len) {
        while (i < len && strchr(" \t,", line[i])) i++;
        if (i >= len) break;
        size_t start = i;
        while (i < len && !strchr(" \t,", line[i])) i++;
        if (n == max) return max + 1;
        size_t flen = i - start < PLOT_TEXT - 1 ? i - start : PLOT_TEXT - 1;
        memcpy(fields[n], line + start, flen);
        fields[n][flen] = '\0';
        n++;
    }
    return n;
}

static bool parse_number(const char *text, double *value) {
    char *end;
    *value = strtod(text, &end);
    return end != text && *end == '\0' && isfinite(*value);
}

/* The next line of *cursor (without '\n'); NULL at the end. */
static const char *next_line(const char **cursor, size_t *len) {
    if (!**cursor) return NULL;
    const char *line = *cursor;
    const char *nl = strchr(line, '\n');
    *len = nl ? (size_t)(nl - line) : strlen(line);
    *cursor = line + *len + (nl ? 1 : 0);
    return line;
}

static const char *plot_device; /* the device the cells ran on ("cpu", "cuda"), for labels */

static int timing_bars(const char *output, Plot *plot) {
    double times[2];
    size_t found = 0, len;
    char fields[2][PLOT_TEXT];
    const char *cursor = output, *line;
    while (found < 2 && (line = next_line(&cursor, &len)) != NULL)
        if (split_fields(line, len, fields, 1) == 1 && parse_number(fields[0], &times[found]))
            found++;
    if (found < 2) return 0;
    plot->kind = PLOT_BARS;
    snprintf(plot->title, sizeof plot->title, "The same matrix product, timed");
    const char *device = plot_device ? plot_device : "the device";
    snprintf(plot->caption, sizeof plot->caption,
             "Seconds taken by np.matmul on the CPU and by torch.matmul on %s "
             "(the two numbers the cell printed).", device);
    snprintf(plot->y_label, sizeof plot->y_label, "seconds");
    plot->nbars = 2;
    snprintf(plot->bar_labels[0], PLOT_TEXT, "np.matmul (CPU)");
    snprintf(plot->bar_labels[1], PLOT_TEXT, "torch.matmul (%s)", plot_device ? plot_device : "device");
    plot->bar_values[0] = times[0];
    plot->bar_values[1] = times[1];
    return 1;
}

/* Splits a header at runs of two or more spaces: its column names may hold
 * single spaces ("θ (°)", "D_v f(0)"). */
static size_t split_header(const char *line, size_t len, char names[][PLOT_TEXT], size_t max) {
    size_t n = 0, i = 0;
    while (i < len && line[i] == ' ') i++;
    while (i < len && n < max) {
        size_t start = i;
        while (i < len && !(line[i] == ' ' && (i + 1 >= len || line[i + 1] == ' '))) i++;
        size_t flen = i - start < PLOT_TEXT - 1 ? i - start : PLOT_TEXT - 1;
        memcpy(names[n], line + start, flen);
        names[n++][flen] = '\0';
        while (i < len && line[i] == ' ') i++;
    }
    return n;
}

static int probe_lines(const char *output, Plot *plot) {
    char names[MAX_COLUMNS][PLOT_TEXT], fields[MAX_COLUMNS + 1][PLOT_TEXT];
    size_t nnames = 0, columns = 0, len;
    const char *cursor = output, *line;
    PlotSeries *fd = &plot->series[0], *exact = &plot->series[1];
    double x_min = INFINITY, x_max = -INFINITY;
    bool in_table = false;
    while ((line = next_line(&cursor, &len)) != NULL) {
        const char *text = line;
        while (text < line + len && *text == ' ') text++;
        if (!in_table) {
            if (strncmp(text, "θ", strlen("θ")) == 0) {
                nnames = split_header(line, len, names, MAX_COLUMNS);
                in_table = true;
            }
            continue;
        }
        size_t n = split_fields(line, len, fields, MAX_COLUMNS);
        double v[MAX_COLUMNS];
        bool row = n >= 3 && n <= MAX_COLUMNS && (columns == 0 || n == columns);
        for (size_t i = 0; row && i < n; i++) row = parse_number(fields[i], &v[i]);
        if (!row || fd->n == PLOT_MAX_POINTS) break;
        columns = n;
        fd->x[fd->n] = v[0];
        fd->y[fd->n++] = v[1];
        x_min = fmin(x_min, v[0]);
        x_max = fmax(x_max, v[0]);
    }
    if (fd->n < 2) return 0;
    /* The exact derivative is a known curve, D_v f(0) = cos²θ·sin θ: drawn
     * as one over the table's range (θ in degrees), not joined from the
     * eight values the table happens to hold. */
    const size_t samples = 241;
    for (size_t i = 0; i < samples; i++) {
        double deg = x_min + (x_max - x_min) * (double)i / (double)(samples - 1);
        double theta = deg * (3.14159265358979323846 / 180.0), c = cos(theta);
        exact->x[i] = deg;
        exact->y[i] = c * c * sin(theta);
    }
    exact->n = samples;
    bool named = nnames == columns;
    plot->kind = PLOT_LINES;
    plot->nseries = 2;
    snprintf(plot->title, sizeof plot->title, "Directional derivative at the origin against θ");
    snprintf(plot->caption, sizeof plot->caption,
             "The probe's table: for each direction θ, the directional derivative of f at (0, 0) "
             "by finite differences (dots), on the exact curve cos²θ·sin θ (line). D_v f(0) is "
             "not a linear function of v = (cos θ, sin θ), so f has no derivative at the origin.");
    snprintf(plot->x_label, sizeof plot->x_label, "%s", named ? names[0] : "θ");
    snprintf(plot->y_label, sizeof plot->y_label, "directional derivative");
    snprintf(fd->name, sizeof fd->name, "%.120s, finite differences", named ? names[1] : "D_v f(0)");
    snprintf(exact->name, sizeof exact->name, "%.120s: cos²θ·sin θ", named ? names[2] : "exact");
    fd->style = PLOT_DOTS;
    exact->style = PLOT_LINE;
    return 1;
}

static const struct {
    int number;
    const char *name; /* NULL: any cell with this number */
    int (*read)(const char *output, Plot *plot);
} readers[] = {
    {9, NULL, timing_bars},
    {0, "differentiability", probe_lines},
};

int cell_plot(const Cell *cell, const char *output, Plot *plot) {
    return cell_plot_on(cell, output, NULL, plot);
}

int cell_plot_on(const Cell *cell, const char *output, const char *device, Plot *plot) {
    plot_device = device;
    for (size_t i = 0; i < sizeof readers / sizeof readers[0]; i++)
        if (cell->number == readers[i].number &&
            (!readers[i].name || strcmp(cell->name, readers[i].name) == 0)) {
            memset(plot, 0, sizeof *plot);
            return readers[i].read(output, plot);
        }
    return 0;
}
