/* registry: the cell table, in the order of cells/cells.list (whose
 * generated cell_list.h defines CELL_LIST). */
#include "registry.h"

#include <stdlib.h>
#include <string.h>

#include "cell_list.h"

#define DECLARE_CELL(NAME) extern const Cell NAME;
CELL_LIST(DECLARE_CELL)

#define CELL_ENTRY(NAME) &NAME,
const Cell *const cell_registry[] = {CELL_LIST(CELL_ENTRY)};
const size_t cell_registry_count = sizeof cell_registry / sizeof cell_registry[0];

const Cell *cell_find(const char *number_or_name) {
    char *end;
    long number = strtol(number_or_name, &end, 10);
    bool numeric = end != number_or_name && *end == '\0';
    for (size_t i = 0; i < cell_registry_count; i++) {
        const Cell *cell = cell_registry[i];
        if (numeric ? cell->number == number : strcmp(cell->name, number_or_name) == 0) return cell;
    }
    return NULL;
}
