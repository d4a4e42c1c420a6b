/* run: seeding, parameters and the tensor scope around one cell. */
#include "run.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "error.h"

static int find_param(const Cell *cell, const char *name) {
    for (int i = 0; i < cell->nparams; i++)
        if (strcmp(cell->params[i].name, name) == 0) return i;
    return -1;
}

static int parse_param(const Cell *cell, const RunParamArg *arg, int64_t *value) {
    int index = find_param(cell, arg->name);
    if (index < 0) {
        if (cell->nparams == 0)
            return nb_error_set(ERR_VALUE, "cell %d (%s) takes no parameters, got '%s'", cell->number,
                             cell->name, arg->name);
        char names[128] = "";
        for (int i = 0; i < cell->nparams; i++) {
            strncat(names, i ? ", " : "", sizeof names - strlen(names) - 1);
            strncat(names, cell->params[i].name, sizeof names - strlen(names) - 1);
        }
        return nb_error_set(ERR_VALUE, "cell %d (%s) has no parameter '%s' (it takes %s)",
                         cell->number, cell->name, arg->name, names);
    }
    const CellParam *spec = &cell->params[index];
    char *end;
    errno = 0;
    long long v = strtoll(arg->value, &end, 10);
    if (end == arg->value || *end != '\0' || errno == ERANGE || v < spec->min_value)
        return nb_error_set(ERR_VALUE, "parameter %s must be an integer >= %lld, got '%s'", spec->name,
                         (long long)spec->min_value, arg->value);
    *value = v;
    return index;
}

int run_check_params(const Cell *cell, const RunParamArg *args, int nargs) {
    for (int i = 0; i < nargs; i++) {
        int64_t value;
        if (parse_param(cell, &args[i], &value) < 0) return -1;
    }
    return 0;
}

int64_t run_param(const Run *run, const char *name) {
    int index = find_param(run->cell, name);
    return index >= 0 ? run->params[index] : 0;
}

int run_cell(const Cell *cell, const RunOptions *options, StrBuf *out) {
    Run *run = nb_calloc(1, sizeof *run);
    if (!run) return nb_error_nomem();
    run->cell = cell;
    run->device = options->device;
    run->print_options = PRINT_OPTIONS_DEFAULT;
    for (int i = 0; i < cell->nparams; i++) run->params[i] = cell->params[i].default_value;
    int status = 0;
    for (int i = 0; i < options->nparams && status == 0; i++) {
        int64_t value;
        int index = parse_param(cell, &options->params[i], &value);
        if (index < 0)
            status = -1;
        else
            run->params[index] = value;
    }
    if (status == 0) {
        nb_rng_seed(&run->rng, options->seed);
        /* torch.tensor and torch.arange in the cell land on the run's device */
        Device previous = tensor_set_default_device(options->device);
        TensorScope *scope = tensor_scope_open();
        status = scope ? cell->run(run) : -1;
        if (status == 0 && nb_error_pending()) status = -1;
        if (status == 0 && run->out.failed) status = nb_error_nomem();
        tensor_scope_close(scope);
        tensor_set_default_device(previous);
    }
    if (status == 0 && !out->failed) {
        /* Growing the caller's buffer can fail too. A failed append leaves
         * the text as it was, so the failure is reported and not kept. */
        nb_strbuf_append_len(out, nb_strbuf_cstr(&run->out), run->out.len);
        if (out->failed) {
            out->failed = false;
            status = nb_error_nomem();
        }
    }
    nb_strbuf_free(&run->out);
    nb_free(run);
    return status;
}
