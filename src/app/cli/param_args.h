/* param_args: `--param NAME=VALUE` for the commands that run several cells
 * at once (show, lesson, export): a parameter goes to each selected cell
 * that declares it, as in `nbreplay run`. */
#ifndef NB_PARAM_ARGS_H
#define NB_PARAM_ARGS_H

#include "cli.h"

typedef struct CliParams {
    RunParamArg args[CLI_MAX_PARAMS];
    int n;
} CliParams;

/* Adds one NAME=VALUE (split in place at '='); 0, or an exit code after
 * reporting. */
int cli_params_add(const char *command, CliParams *params, char *text);
/* Every parameter must be declared by one of the cells and have a valid
 * value for it; 0, or an exit code after reporting. */
int cli_params_check(const char *command, const CliParams *params, const Cell *const *cells,
                     int ncells);
/* The parameters `cell` declares, copied into own[]; returns how many. */
int cli_params_for(const CliParams *params, const Cell *cell, RunParamArg *own);

#endif
