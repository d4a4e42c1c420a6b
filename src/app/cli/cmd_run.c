/* nbreplay run: runs cells and prints exactly what the notebook prints. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "cli.h"
#include "run_file.h"

static const char run_usage[] =
    "usage: nbreplay run [CELL...] [--seed N] [--device auto|cpu|cuda] [--param NAME=VALUE]...\n"
    "\n"
    "Runs the cells (a number or a name each; all of them when none is given)\n"
    "and prints what the notebook's Python prints. With one cell, standard\n"
    "output is exactly that cell's output; with several, each follows an\n"
    "'In [n]:' header.\n"
    "\n"
    "  --seed N        seed NumPy's generator as np.random.seed(N) right before\n"
    "                  each cell (0 <= N < 2**32; default 0)\n"
    "  --device D      where tensor work runs: auto (default), cpu or cuda\n"
    "  --param N=V     set a parameter of the cell that declares N\n"
    "\n"
    "nbreplay run FILE.c runs a cell of your own (nbreplay run x.c --help).\n";

typedef struct {
    RunOptions options;
    RunParamArg params[CLI_MAX_PARAMS];
    bool device_given; /* else auto, resolved only then (it asks the driver) */
} RunArgs;

/* Parses options; cells are left in argv[optind..]. Returns -1 to go on,
 * else an exit code. */
static int parse_run_options(int argc, char **argv, RunArgs *args) {
    static const struct option long_options[] = {
        {"seed", required_argument, NULL, 's'},   {"device", required_argument, NULL, 'd'},
        {"param", required_argument, NULL, 'p'},  {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    opterr = 0;
    optind = 0; /* 0, not 1: glibc then also forgets a previous argv */
    int opt, status;
    while ((opt = getopt_long(argc, argv, "h", long_options, NULL)) != -1) {
        switch (opt) {
        case 'h': fputs(run_usage, stdout); return EXIT_OK;
        case 's':
            if ((status = cli_parse_seed("run", optarg, &args->options.seed)) != 0) return status;
            break;
        case 'd':
            if ((status = cli_parse_device("run", optarg, &args->options.device)) != 0) return status;
            args->device_given = true;
            break;
        case 'p': {
            char *eq = strchr(optarg, '=');
            if (!eq || eq == optarg)
                return cli_usage_error("run", "--param expects NAME=VALUE, got '%s'", optarg);
            if (args->options.nparams == CLI_MAX_PARAMS)
                return cli_usage_error("run", "too many --param options");
            *eq = '\0';
            args->params[args->options.nparams++] = (RunParamArg){optarg, eq + 1};
            break;
        }
        default:
            return cli_option_error("run", long_options, "h", argv);
        }
    }
    return -1;
}

static bool cell_declares(const Cell *cell, const char *name) {
    for (int k = 0; k < cell->nparams; k++)
        if (strcmp(cell->params[k].name, name) == 0) return true;
    return false;
}

/* The --param arguments that `cell` declares. */
static RunOptions options_for_cell(const RunArgs *args, const Cell *cell, RunParamArg *own) {
    RunOptions options = args->options;
    options.params = own;
    options.nparams = 0;
    for (int p = 0; p < args->options.nparams; p++)
        if (cell_declares(cell, args->params[p].name)) own[options.nparams++] = args->params[p];
    return options;
}

/* Every --param must name a parameter of a selected cell and have a valid
 * value; returns 0 or an exit code. */
static int check_params(const RunArgs *args, const Cell **cells, int ncells) {
    for (int p = 0; p < args->options.nparams; p++) {
        const RunParamArg *param = &args->params[p];
        const Cell *owner = NULL;
        for (int c = 0; c < ncells && !owner; c++)
            if (cell_declares(cells[c], param->name)) owner = cells[c];
        if (!owner && ncells > 1)
            return cli_usage_error("run", "no selected cell has a parameter '%s'", param->name);
        if (run_check_params(owner ? owner : cells[0], param, 1) != 0) {
            int status = cli_usage_error("run", "%s", nb_error_message());
            nb_error_clear();
            return status;
        }
    }
    return 0;
}

int cmd_run(int argc, char **argv) {
    /* a file of C is a cell of the user's own (run_file.c) */
    for (int i = 1; i < argc; i++)
        if (run_file_is_path(argv[i])) return cmd_run_file(argc, argv);
    RunArgs args = {.options = {.seed = 0, .device = DEVICE_CPU}};
    args.options.params = args.params;
    int status = parse_run_options(argc, argv, &args);
    if (status != -1) return status;
    if (!args.device_given) args.options.device = cli_default_device();

    const Cell *cells[CLI_MAX_CELLS];
    int ncells = cli_select_cells("run", argc - optind, argv + optind, cells);
    if (ncells < 0) return EXIT_USAGE;
    if ((status = check_params(&args, cells, ncells)) != 0) return status;

    /* Each cell's output is written only once the cell has finished, so a
     * failing cell leaves no half of its output behind. */
    StrBuf out = STRBUF_INIT;
    status = EXIT_OK;
    for (int c = 0; c < ncells && status == EXIT_OK; c++) {
        RunParamArg own[CLI_MAX_PARAMS];
        RunOptions options = options_for_cell(&args, cells[c], own);
        nb_strbuf_clear(&out);
        /* A cell of our own (number 0) has no execution count; its name stands in. */
        if (ncells > 1 && cells[c]->number == 0)
            nb_strbuf_printf(&out, "%sIn [%s]:\n", c > 0 ? "\n" : "", cells[c]->name);
        else if (ncells > 1)
            nb_strbuf_printf(&out, "%sIn [%d]:\n", c > 0 ? "\n" : "", cells[c]->number);
        if (run_cell(cells[c], &options, &out) != 0) {
            char label[96];
            status = cli_failure("%s: %s", cli_cell_label(cells[c], label, sizeof label),
                                 nb_error_message());
            nb_error_clear();
        } else if (out.failed) {
            status = cli_failure("out of memory");
        } else {
            status = cli_write_stdout(out.data, out.len);
        }
    }
    nb_strbuf_free(&out);
    return status;
}
