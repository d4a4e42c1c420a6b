/* registry: the cell table. Adding a cell is one line here plus its files. */
#include "registry.h"

#include <stdlib.h>
#include <string.h>

#define CELL_LIST(X) \
    X(cell01_cuda)            \
    X(cell02_tensors)         \
    X(cell03_add)             \
    X(cell04_scalar_mul)      \
    X(cell05_elementwise_mul) \
    X(cell06_mm)              \
    X(cell07_bmm)             \
    X(cell08_matmul)          \
    X(cell09_timing)          \
    X(cell10_outer)           \
    X(cell00_differentiability) \
    X(cell11_dot_grad)        \
    X(cell12_chain_grad)      \
    X(cell14_accumulate_grad) \
    X(cell15_two_inputs_grad)

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
