/* export: the notebook as a file a student opens elsewhere: a Jupyter
 * notebook (nbformat 4), Markdown, or one self-contained HTML page. Each
 * export holds, for every selected cell in notebook order, its narrative,
 * its Python and what nbreplay printed when it ran the cell. */
#ifndef NB_EXPORT_H
#define NB_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include "../run.h"
#include "strbuf.h"

typedef struct ExportCell {
    const Cell *cell;
    StrBuf output;
} ExportCell;

typedef struct ExportDoc {
    ExportCell *cells;
    size_t ncells;
    uint32_t seed;
    /* ipynb only: NULL for Python code cells (the notebook as it was);
     * "nbreplay" for C cells (each cell's body) that our Jupyter kernel
     * runs, with the Python each replays shown beside its narrative */
    const char *kernel;
    Device device; /* where the cells ran (options[0].device), for the charts' labels */
} ExportDoc;

/* Runs each cell with its options[i] (whose seed, the same for all, the
 * export records). Returns 0, or -1 with error.h set to "cell 3 (add):
 * <why>" when a cell failed (nothing is kept then). */
int export_doc_run(ExportDoc *doc, const Cell *const *cells, const RunOptions *options,
                   size_t ncells);
void export_doc_free(ExportDoc *doc);

/* Each appends the whole file to out; 0, or -1 out of memory (error.h). */
int export_ipynb(StrBuf *out, const ExportDoc *doc);
int export_markdown(StrBuf *out, const ExportDoc *doc);
int export_html(StrBuf *out, const ExportDoc *doc);

#endif
