/* page_options: the options `show` and `lesson` share: which seed and
 * device the cells run with, how wide to lay out, whether to colour. */
#ifndef NB_PAGE_OPTIONS_H
#define NB_PAGE_OPTIONS_H

#include "../present/cell_page.h"
#include "param_args.h"

/* Parses argv with getopt_long; the cell arguments are left in
 * argv[optind..], the --param values in *params (to be checked against the
 * cells and handed to each with cli_params_for). Prints `usage` for
 * --help. Returns -1 to go on (options filled, colour and width resolved
 * for stdout), else an exit code. */
int cli_parse_page_options(const char *command, const char *usage, int argc, char **argv,
                           CellPageOptions *options, CliParams *params);

#endif
