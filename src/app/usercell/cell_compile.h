/* cell_compile: a cell unit (cell_source.h) made into code in this process:
 * with libtcc in memory, or with the system's cc into a shared object that
 * is dlopen'ed. Either way the cell's calls into the library and the
 * notebook vocabulary bind to the nbreplay executable's own copies, which
 * it exports (src/app/usercell/make_dynamic_list.py). Meant to run in the
 * child process: nothing is ever unloaded. */
#ifndef NB_CELL_COMPILE_H
#define NB_CELL_COMPILE_H

#include "cell_source.h"
#include "run.h"
#include "usercell.h"

typedef struct CellEntry {
    const Cell *cell;        /* a whole cell file's Cell */
    int (*run)(Run *run);    /* a wrapped body's function */
} CellEntry;

/* Compiles `unit`; diagnostics go to stderr as the compiler words them.
 * Returns USERCELL_OK with *entry set, USERCELL_COMPILE_ERROR or
 * USERCELL_NO_COMPILER (one line on stderr says what to install). */
UserCellStatus cell_compile(const CellUnit *unit, const UserCellJob *job, CellEntry *entry);

#endif
