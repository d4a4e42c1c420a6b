/* nbreplay list: the cells in notebook order. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char list_usage[] =
    "usage: nbreplay list\n"
    "\n"
    "Lists the cells in notebook order: execution number, name, title.\n"
    "Either the number or the name selects a cell in run and verify. A cell\n"
    "of nbreplay's own, not in the notebook, has '·' for its number and goes\n"
    "by its name.\n";

int cmd_list(int argc, char **argv) {
    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        fputs(list_usage, stdout);
        return EXIT_OK;
    }
    if (argc > 1) return cli_usage_error("list", "unexpected argument '%s'", argv[1]);
    /* The name column fits the longest name, so titles stay aligned. */
    int name_width = 16;
    for (size_t i = 0; i < cell_registry_count; i++) {
        int len = (int)strlen(cell_registry[i]->name);
        if (len > name_width) name_width = len;
    }
    StrBuf out = STRBUF_INIT;
    for (size_t i = 0; i < cell_registry_count; i++) {
        const Cell *cell = cell_registry[i];
        if (cell->number == 0) /* ours: no In [n] to show, and said so */
            nb_strbuf_printf(&out, "  ·  %-*s  %s (nbreplay's own cell)\n", name_width, cell->name, cell->title);
        else
            nb_strbuf_printf(&out, "%3d  %-*s  %s\n", cell->number, name_width, cell->name, cell->title);
    }
    int status = out.failed ? cli_failure("out of memory") : cli_write_stdout(out.data, out.len);
    nb_strbuf_free(&out);
    return status;
}
