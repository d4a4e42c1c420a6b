/* pager: a long page through $PAGER, as git does, so that it can be read
 * from its top on any terminal. */
#ifndef NB_PAGER_H
#define NB_PAGER_H

#include <stddef.h>

/* Writes text to stdout; when stdout is a terminal, through the pager:
 * $NBREPLAY_PAGER, else $PAGER, else "less" (with LESS=FRX unless LESS is
 * set: quit at once when the page fits, keep colours, leave the screen as
 * it is). An empty pager or "cat" writes directly, as does a pager that
 * cannot start. Returns 0 or an exit code (cli_write_stdout's). */
int pager_write(const char *text, size_t len);

#endif
