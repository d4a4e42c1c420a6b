/* cell_files: a cell's file names and embedded C (see cell_files.h). */
#include "cell_files.h"

#include <stdio.h>

#include "cell_text.h"

void cell_file_stem(const Cell *cell, char *buf, size_t size) {
    snprintf(buf, size, "cell%02d_%s", cell->number, cell->name);
}

const char *cell_c_source(const Cell *cell) {
    char stem[128];
    cell_file_stem(cell, stem, sizeof stem);
    const char *source = cell_text_c_source(stem);
    return source ? source : "(the C source of this cell is not embedded in this build)\n";
}
