/* nbreplay show: a cell as a student reads it: narrative, Python and C,
 * and what it prints. */
#include <getopt.h>
#include <stdio.h>
#include <unistd.h>

#include "error.h"
#include "cli.h"
#include "page_options.h"
#include "pager.h"

static const char show_usage[] =
    "usage: nbreplay show CELL... [--seed N] [--width N] [--color auto|always|never]\n"
    "                     [--device auto|cpu|cuda] [--param NAME=VALUE]...\n"
    "\n"
    "Shows each cell: its narrative (Markdown, with its mathematics as text),\n"
    "the notebook's Python, the C that replays it, and what running it prints.\n"
    "On a terminal of 160 columns or more Python and C stand side by side; on\n"
    "a terminal a long page goes through the pager ($NBREPLAY_PAGER, $PAGER or\n"
    "less; 'cat' for none).\n"
    "\n"
    "  --seed N       np.random.seed(N) right before the cell (default 0)\n"
    "  --width N      lay out for N columns (default: the terminal's width,\n"
    "                 else $COLUMNS, else 80)\n"
    "  --color WHEN   auto (default: only on a terminal, and not when NO_COLOR\n"
    "                 is set), always or never\n"
    "  --device D     where tensor work runs: auto (default), cpu or cuda\n"
    "  --param N=V    set a parameter of the cell that declares N (as run does)\n";

int cmd_show(int argc, char **argv) {
    CellPageOptions options;
    CliParams params;
    int status = cli_parse_page_options("show", show_usage, argc, argv, &options, &params);
    if (status != -1) return status;
    if (optind == argc) return cli_usage_error("show", "expected a cell (a number or a name)");
    const Cell *cells[CLI_MAX_CELLS];
    int ncells = cli_select_cells("show", argc - optind, argv + optind, cells);
    if (ncells < 0) return EXIT_USAGE;
    if ((status = cli_params_check("show", &params, cells, ncells)) != 0) return status;

    StrBuf page = STRBUF_INIT, book = STRBUF_INIT; /* book: all pages, for the pager */
    bool paged = isatty(STDOUT_FILENO);
    bool failed = false;
    status = EXIT_OK;
    for (int c = 0; c < ncells && status == EXIT_OK; c++) {
        nb_strbuf_clear(&page);
        if (c > 0) nb_strbuf_append_char(&page, '\n');
        RunParamArg own[CLI_MAX_PARAMS];
        options.nparams = cli_params_for(&params, cells[c], own);
        options.params = own;
        int shown = cell_page_render(&page, cells[c], &options);
        if (shown < 0) {
            status = cli_failure("%s", nb_error_message());
            nb_error_clear();
            break;
        }
        if (paged)
            nb_strbuf_append_len(&book, page.data, page.len);
        else
            status = cli_write_stdout(page.data, page.len);
        if (shown == 1) {
            char label[96];
            fprintf(stderr, "nbreplay: %s failed; its page shows why\n",
                    cli_cell_label(cells[c], label, sizeof label));
            failed = true;
        }
    }
    if (paged && status == EXIT_OK)
        status = book.failed ? cli_failure("out of memory") : pager_write(book.data, book.len);
    nb_strbuf_free(&book);
    nb_strbuf_free(&page);
    if (status == EXIT_OK && failed) status = EXIT_FAILURE_RUN;
    return status;
}
