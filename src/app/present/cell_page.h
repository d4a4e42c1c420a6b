/* cell_page: one cell as `nbreplay show` and `nbreplay lesson` present it
 * on a terminal: a title, the narrative (md_term.h), the original Python
 * and the C that replays it, and what running it printed. On a wide
 * terminal (CELL_PAGE_SIDE_BY_SIDE columns or more) Python and C stand side
 * by side, Python on the left; on a narrow one, one after the other. */
#ifndef NB_CELL_PAGE_H
#define NB_CELL_PAGE_H

#include <stdbool.h>
#include <stdint.h>

#include "../run.h"
#include "strbuf.h"

#define CELL_PAGE_SIDE_BY_SIDE 160
/* the narrative is wrapped at most this wide */
#define CELL_PAGE_MEASURE 100

typedef struct CellPageOptions {
    bool color;
    int width;      /* columns to lay out for */
    uint32_t seed;  /* the run's np.random.seed */
    Device device;
    const RunParamArg *params; /* --param values this cell declares */
    int nparams;
} CellPageOptions;

/* Runs the cell and appends its page to out. Returns 0; 1 when the cell
 * failed (the page then shows its error where the output would be); -1 out
 * of memory (error.h set). */
int cell_page_render(StrBuf *out, const Cell *cell, const CellPageOptions *options);

#endif
