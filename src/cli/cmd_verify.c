/* nbreplay verify: runs cells and compares their output with the goldens
 * real PyTorch wrote. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "../error.h"
#include "../golden.h"
#include "cli.h"

#ifndef NB_GOLDEN_DIR
#define NB_GOLDEN_DIR "golden"
#endif

static const char verify_usage[] =
    "usage: nbreplay verify [CELL...] [--golden-dir DIR] [--device auto|cpu|cuda]\n"
    "\n"
    "Runs the cells (all of them when none is given) with the seed and\n"
    "parameters recorded in each golden file, and compares the output with\n"
    "what real PyTorch printed. A difference is shown as a unified diff\n"
    "(expected vs actual). The last line is 'N passed, N failed'; the exit\n"
    "status is 0 only when every cell passed.\n"
    "\n"
    "  --golden-dir DIR   where cell-NN.json files are (default: " NB_GOLDEN_DIR ")\n"
    "  --device D         where tensor work runs: auto (default), cpu or cuda\n";

/* Runs one cell against its golden; 1 pass, 0 fail (reason appended to
 * report). */
static int verify_cell(const Cell *cell, const char *golden_dir, Device device, StrBuf *report) {
    char path[4096], label[96];
    snprintf(path, sizeof path, "%s/cell-%02d.json", golden_dir, cell->number);
    cli_cell_label(cell, label, sizeof label);

    Golden golden;
    if (golden_load(path, &golden) != 0) {
        strbuf_printf(report, "FAIL %s\n  %s\n", label, error_message());
        error_clear();
        return 0;
    }
    if (golden.cell != cell->number || strcmp(golden.name, cell->name) != 0) {
        strbuf_printf(report, "FAIL %s\n  %s holds cell %d (%s)\n", label, path, golden.cell,
                      golden.name);
        golden_free(&golden);
        return 0;
    }
    RunParamArg params[GOLDEN_MAX_PARAMS];
    for (int i = 0; i < golden.nparams; i++)
        params[i] = (RunParamArg){golden.params[i].name, golden.params[i].value};
    RunOptions options = {.seed = golden.seed, .device = device, .params = params,
                          .nparams = golden.nparams};

    StrBuf actual = STRBUF_INIT, diff = STRBUF_INIT;
    int passed = 0;
    if (run_cell(cell, &options, &actual) != 0) {
        strbuf_printf(report, "FAIL %s\n  the cell failed: %s\n", label, error_message());
        error_clear();
    } else {
        char actual_label[128];
        snprintf(actual_label, sizeof actual_label, "nbreplay run %d --seed %u", cell->number,
                 (unsigned)golden.seed);
        int match = golden_compare(&golden, strbuf_cstr(&actual), actual_label, &diff);
        if (match == 1) {
            strbuf_printf(report, "PASS %s\n", label);
            passed = 1;
        } else if (match == 0) {
            strbuf_printf(report, "FAIL %s\n%s", label, strbuf_cstr(&diff));
        } else {
            strbuf_printf(report, "FAIL %s\n  %s\n", label, error_message());
            error_clear();
        }
    }
    strbuf_free(&actual);
    strbuf_free(&diff);
    golden_free(&golden);
    return passed;
}

int cmd_verify(int argc, char **argv) {
    static const struct option long_options[] = {
        {"golden-dir", required_argument, NULL, 'g'},
        {"device", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *golden_dir = NB_GOLDEN_DIR;
    Device device = DEVICE_CPU;
    opterr = 0;
    optind = 1;
    int opt, status;
    while ((opt = getopt_long(argc, argv, "h", long_options, NULL)) != -1) {
        switch (opt) {
        case 'h': fputs(verify_usage, stdout); return EXIT_OK;
        case 'g': golden_dir = optarg; break;
        case 'd':
            if ((status = cli_parse_device("verify", optarg, &device)) != 0) return status;
            break;
        default:
            return cli_usage_error("verify", "unknown option or missing value in '%s'",
                                   argv[optind - 1]);
        }
    }
    const Cell *cells[CLI_MAX_CELLS];
    int ncells = cli_select_cells("verify", argc - optind, argv + optind, cells);
    if (ncells < 0) return EXIT_USAGE;

    int passed = 0, failed = 0;
    StrBuf report = STRBUF_INIT;
    status = EXIT_OK;
    for (int c = 0; c < ncells && status == EXIT_OK; c++) {
        strbuf_clear(&report);
        if (verify_cell(cells[c], golden_dir, device, &report))
            passed++;
        else
            failed++;
        status = report.failed ? cli_failure("out of memory") : cli_write_stdout(report.data, report.len);
    }
    if (status == EXIT_OK) {
        strbuf_clear(&report);
        strbuf_printf(&report, "%d passed, %d failed\n", passed, failed);
        status = cli_write_stdout(report.data, report.len);
    }
    strbuf_free(&report);
    if (status != EXIT_OK) return status;
    return failed ? EXIT_FAILURE_RUN : EXIT_OK;
}
