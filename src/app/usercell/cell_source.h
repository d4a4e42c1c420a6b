/* cell_source: the translation unit compiled for a user's cell file. A body
 * of statements is wrapped in a function; a whole cell file (one that
 * defines `const Cell NAME = {...}`) is taken as it is, with stand-ins for
 * the embedded texts it names. #line directives keep every diagnostic on
 * the user's file name and line numbers. */
#ifndef NB_CELL_SOURCE_H
#define NB_CELL_SOURCE_H

#include <stdbool.h>

#include "strbuf.h"

/* The function a wrapped body becomes. */
#define CELL_SOURCE_BODY_ENTRY "nbreplay_user_cell_run"

typedef struct CellUnit {
    StrBuf text;     /* what the compiler reads */
    bool whole;      /* a whole cell file: entry names its `const Cell` */
    char entry[128]; /* the symbol to look up after compiling */
} CellUnit;

/* Builds the unit for `text` read from the file `name`. Returns 0, or -1
 * when memory ran out. */
int cell_source_build(const char *name, const char *text, CellUnit *unit);
void cell_source_free(CellUnit *unit);

#endif
