/* registry: every cell, in notebook order. */
#ifndef NB_REGISTRY_H
#define NB_REGISTRY_H

#include <stddef.h>

#include "run.h"

extern const Cell *const cell_registry[];
extern const size_t cell_registry_count;

/* A cell by its number ("7") or name ("bmm"); NULL if there is none. */
const Cell *cell_find(const char *number_or_name);

#endif
