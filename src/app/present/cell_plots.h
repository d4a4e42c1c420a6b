/* cell_plots: which cells get a chart in the HTML export, and the chart's
 * data, read from what the cell printed. Reading the printed output (the
 * same text verify holds to PyTorch's) keeps the cells free of plotting
 * code: a chart appears as soon as its cell is in the registry and prints
 * what is described here, and is simply absent otherwise.
 *
 * The interface, per cell (docs/adding-a-cell.md, "Charts"):
 *
 *   cell 9 (the timing cell): every output line that is one number is a
 *     time in seconds; the first is NumPy's matmul on the CPU, the second
 *     torch.matmul on the device (named when known). Drawn as two bars.
 *
 *   the cell named "differentiability" (the probe): the table whose header
 *     line starts with "θ" (after spaces), its column names separated by two
 *     or more spaces, and the rows right under it: lines of three or more
 *     numbers, θ in degrees, the directional derivative at the origin by
 *     finite differences (further columns are ignored). Drawn as dots
 *     against θ beside the exact curve cos²θ·sin θ, a line over the same
 *     range of θ. The probe prints this table
 *     in its part 2: "θ (°)  D_v f(0)  exact  D(v)  gap".
 *
 * To chart another cell, add a reader to the table in cell_plots.c. */
#ifndef NB_CELL_PLOTS_H
#define NB_CELL_PLOTS_H

#include "../run.h"
#include "plot.h"

/* 1 when `cell` has a chart and `output` (what it printed) holds its data:
 * *plot is filled; 0 otherwise. */
int cell_plot(const Cell *cell, const char *output, Plot *plot);
/* The same, naming the device the cell ran on ("cpu": "torch.matmul
 * (cpu)"); cell_plot says "device". */
int cell_plot_on(const Cell *cell, const char *output, const char *device, Plot *plot);

#endif
