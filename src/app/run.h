/* run: one execution of one cell: its generator seeded as if
 * np.random.seed(SEED) ran right before it, its device, its parameters, and
 * the buffer that collects what it prints. Tensors the cell makes live in a
 * scope that closes when the cell ends. */
#ifndef NB_RUN_H
#define NB_RUN_H

#include <stdint.h>

#include "print.h"
#include "rng.h"
#include "strbuf.h"
#include "tensor.h"

#define CELL_MAX_PARAMS 8

/* A number a cell lets the user change with --param NAME=VALUE. */
typedef struct CellParam {
    const char *name;
    int64_t default_value;
    int64_t min_value;
    const char *help;
} CellParam;

typedef struct Run Run;

typedef struct Cell {
    int number;            /* the notebook's execution count, In [n] */
    const char *name;      /* short name usable instead of the number */
    const char *title;
    const char *narrative; /* the notebook's Markdown before the cell */
    const char *python;    /* the cell's original Python, verbatim */
    const CellParam *params;
    int nparams;
    int (*run)(Run *run);  /* 0, or -1 with error.h set */
} Cell;

typedef struct RunParamArg {
    const char *name;
    const char *value;
} RunParamArg;

typedef struct RunOptions {
    uint32_t seed;
    Device device;
    const RunParamArg *params;
    int nparams;
} RunOptions;

struct Run {
    const Cell *cell;
    Device device;
    Rng rng;
    int64_t params[CELL_MAX_PARAMS]; /* by index into cell->params */
    PrintOptions print_options;
    StrBuf out;
};

/* Checks `--param` arguments against the cell's declared parameters.
 * Returns 0, or -1 with error.h set to one line naming the problem. */
int run_check_params(const Cell *cell, const RunParamArg *args, int nargs);

/* Runs the cell; on success appends exactly what it printed to `out`.
 * Returns 0, or -1 with error.h set (nothing is appended then). */
int run_cell(const Cell *cell, const RunOptions *options, StrBuf *out);

/* The value of a declared parameter. */
int64_t run_param(const Run *run, const char *name);

#endif
