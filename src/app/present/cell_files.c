/* cell_files: a cell's file names and embedded C (see cell_files.h). */
#include "cell_files.h"

#include <stdio.h>
#include <string.h>

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

/* The cell's body when its C is one run function over the vocabulary; NULL
 * (use the whole file) when it has parameters or helpers of its own. */
char *cell_c_body(const Cell *cell, const char *source) {
    if (cell->nparams > 0) return NULL;
    int functions = 0;
    for (const char *p = source; (p = strstr(p, "static ")); p++)
        if (p == source || p[-1] == '\n') functions++;
    const char *start = strstr(source, "(Run *run) {\n");
    const char *end = strstr(source, "\n}\n");
    if (functions != 1 || !start || !end || end < start) return NULL;
    start += strlen("(Run *run) {\n");
    StrBuf body = STRBUF_INIT;
    for (const char *line = start; line <= end;) {
        const char *eol = strchr(line, '\n');
        if (!eol || eol > end) eol = end;
        size_t len = (size_t)(eol - line);
        if (len >= 4 && strncmp(line, "    ", 4) == 0) {
            line += 4;
            len -= 4;
        }
        nb_strbuf_append_len(&body, line, len);
        nb_strbuf_append_char(&body, '\n');
        line = eol + 1;
    }
    if (!body.data) nb_strbuf_append(&body, "");
    return body.data;
}
