/* cell_files: where a cell's files are (cells/cellNN_NAME.{md,py,c}) and
 * its C source, which the build embeds next to its narrative and Python
 * (cells/embed_text.py). */
#ifndef NB_CELL_FILES_H
#define NB_CELL_FILES_H

#include <stdbool.h>
#include <stddef.h>

#include "../run.h"
#include "strbuf.h"

/* "cell07_bmm": the cell's file name without folder and extension. */
void cell_file_stem(const Cell *cell, char *buf, size_t size);
/* The text of cells/cellNN_NAME.c, or a one-line note when the build did
 * not embed it (a cell whose files break the naming rule). */
const char *cell_c_source(const Cell *cell);
/* What a student reads of the C: the source without its #include lines and
 * its registration (`const Cell cellNN_NAME = {...};`); when all that is
 * left is the one run function, only its statements, unindented, without
 * the closing `return cell_status(run);`. Appends to out. */
void cell_c_statements(StrBuf *out, const Cell *cell);
/* Whether the narrative opens with a heading (or a bold line standing for
 * one) that says the cell's title already. */
bool cell_narrative_repeats_title(const Cell *cell);

/* The body of the cell's run function, unindented (what `nbreplay edit`
 * writes and the Jupyter export's code cells hold), or NULL when the C is
 * more than one run function over the vocabulary (parameters, helpers): the
 * whole file then. `source` is cell_c_source(cell). Free the result. */
char *cell_c_body(const Cell *cell, const char *source);

#endif
