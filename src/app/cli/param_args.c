/* param_args: --param for show, lesson and export (see param_args.h). */
#include "param_args.h"

#include <string.h>

#include "error.h"

int cli_params_add(const char *command, CliParams *params, char *text) {
    char *eq = strchr(text, '=');
    if (!eq || eq == text) return cli_usage_error(command, "--param expects NAME=VALUE, got '%s'", text);
    if (params->n == CLI_MAX_PARAMS) return cli_usage_error(command, "too many --param options");
    *eq = '\0';
    params->args[params->n++] = (RunParamArg){text, eq + 1};
    return 0;
}

static bool declares(const Cell *cell, const char *name) {
    for (int k = 0; k < cell->nparams; k++)
        if (strcmp(cell->params[k].name, name) == 0) return true;
    return false;
}

int cli_params_check(const char *command, const CliParams *params, const Cell *const *cells,
                     int ncells) {
    for (int p = 0; p < params->n; p++) {
        const Cell *owner = NULL;
        for (int c = 0; c < ncells && !owner; c++)
            if (declares(cells[c], params->args[p].name)) owner = cells[c];
        if (!owner)
            return cli_usage_error(command, "no selected cell has a parameter '%s'",
                                   params->args[p].name);
        if (run_check_params(owner, &params->args[p], 1) != 0) {
            int status = cli_usage_error(command, "%s", nb_error_message());
            nb_error_clear();
            return status;
        }
    }
    return 0;
}

int cli_params_for(const CliParams *params, const Cell *cell, RunParamArg *own) {
    int n = 0;
    for (int p = 0; p < params->n; p++)
        if (declares(cell, params->args[p].name)) own[n++] = params->args[p];
    return n;
}
