/* nbreplay verify: runs cells and compares their output with the goldens
 * real PyTorch wrote; reports as text, TAP or JUnit XML. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"
#include "error.h"
#include "../golden.h"
#include "../present/atomic_file.h"
#include "../present/term.h"
#include "cli.h"
#include "data_paths.h"
#include "verify_report.h"
#include "verify_tolerance.h"

static const char verify_usage[] =
    "usage: nbreplay verify [CELL...] [-q] [-x] [--golden-dir DIR]\n"
    "                       [--device auto|cpu|cuda] [--tap] [--junit FILE]\n"
    "                       [--rtol R] [--atol A] [--color auto|always|never]\n"
    "\n"
    "Runs the cells (all of them when none is given) with the seed and\n"
    "parameters recorded in each golden file, and compares the output with\n"
    "what real PyTorch printed. A difference is shown as a unified diff\n"
    "(expected vs actual). A golden file that cannot be read is an ERROR of\n"
    "its cell. Before the last line, 'failed: 3 7' names the cells that did\n"
    "not pass; the last line is 'N passed, N failed' (', N errors' when there\n"
    "are any); the exit status is 0 only when every cell passed.\n"
    "\n"
    "  -q, --quiet        print only the failures and the summary\n"
    "  -x, --exitfirst    stop at the first cell that does not pass\n"
    "  --color WHEN       colour the verdicts and diffs: auto (default: on a\n"
    "                     terminal, unless NO_COLOR is set), always or never\n"
    "  --golden-dir DIR   where cell-NN.json files are (default: $NBREPLAY_GOLDEN_DIR,\n"
    "                     else the goldens installed with nbreplay)\n"
    "  --device D         where tensor work runs: auto (default), cpu or cuda\n"
    "  --tap              report in TAP 13 on stdout instead (one test per cell;\n"
    "                     a failure's YAML block holds the diff)\n"
    "  --junit FILE       also write a JUnit XML report to FILE (one testcase\n"
    "                     per cell; a failure carries the diff)\n"
    "  --rtol R, --atol A compare the numbers in the output within tolerance,\n"
    "                     |actual - golden| <= A + R*|golden| (default 0 each),\n"
    "                     the rest exactly; report each cell's largest errors\n";

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Runs one cell against its golden and fills r. */
static void verify_cell(const Cell *cell, const char *golden_dir, Device device, const Tolerance *tol,
                        VerifyResult *r) {
    char path[4096];
    snprintf(path, sizeof path, "%s/cell-%02d.json", golden_dir, cell->number);
    *r = (VerifyResult){cell, false, STRBUF_INIT, STRBUF_INIT, 0, false};
    double start = now_seconds();

    Golden golden;
    if (golden_load(path, &golden) != 0 || golden_select_device_variant(&golden, device == DEVICE_CUDA) != 0) {
        r->error = true; /* the golden, not the cell: reported as an error of the cell */
        nb_strbuf_append(&r->reason, nb_error_message());
        nb_error_clear();
        r->seconds = now_seconds() - start;
        return;
    }
    if (golden.cell != cell->number || strcmp(golden.name, cell->name) != 0) {
        r->error = true;
        nb_strbuf_printf(&r->reason, "%s holds cell %d (%s)", path, golden.cell, golden.name);
        golden_free(&golden);
        r->seconds = now_seconds() - start;
        return;
    }
    RunParamArg params[GOLDEN_MAX_PARAMS];
    for (int i = 0; i < golden.nparams; i++)
        params[i] = (RunParamArg){golden.params[i].name, golden.params[i].value};
    RunOptions options = {.seed = golden.seed, .device = device, .params = params,
                          .nparams = golden.nparams};

    StrBuf actual = STRBUF_INIT;
    if (run_cell(cell, &options, &actual) != 0) {
        nb_strbuf_printf(&r->reason, "the cell failed: %s", nb_error_message());
        nb_error_clear();
    } else {
        char actual_label[128];
        snprintf(actual_label, sizeof actual_label, "nbreplay run %d --seed %u", cell->number,
                 (unsigned)golden.seed);
        ToleranceErrors errors;
        int match = tol ? golden_compare_tolerant(&golden, nb_strbuf_cstr(&actual), actual_label, tol, &errors,
                                                  &r->diff)
                        : golden_compare(&golden, nb_strbuf_cstr(&actual), actual_label, &r->diff);
        if (match == 1) {
            r->passed = true;
        } else if (match == 0) {
            nb_strbuf_printf(&r->reason, "output differs from %s", path);
        } else { /* the golden's own patterns do not compile or run, say: an error, not a difference */
            r->error = true;
            /* the cause, not a diff that stopped halfway (whose lines may look equal) */
            nb_strbuf_clear(&r->diff);
            nb_strbuf_append(&r->reason, nb_error_message());
            nb_error_clear();
        }
        if (tol && match >= 0) verify_tolerance_note(r, tol, &errors);
    }
    nb_strbuf_free(&actual);
    golden_free(&golden);
    r->seconds = now_seconds() - start;
}

static void result_free(VerifyResult *r) {
    nb_strbuf_free(&r->reason);
    nb_strbuf_free(&r->diff);
}

typedef struct {
    const char *golden_dir;
    Device device;
    bool tap;
    const char *junit;
    Tolerance tolerance;
    bool tolerant; /* --rtol or --atol given */
    bool device_given; /* else auto, resolved only then (it asks the driver) */
    bool quiet;        /* -q: failures and the summary only */
    bool exitfirst;    /* -x: stop at the first cell that does not pass */
    TermColorChoice color;
} VerifyArgs;

/* Parses options; cells are left in argv[optind..]. Returns -1 to go on,
 * else an exit code. */
static int parse_verify_options(int argc, char **argv, VerifyArgs *args) {
    static const struct option long_options[] = {
        {"golden-dir", required_argument, NULL, 'g'}, {"device", required_argument, NULL, 'd'},
        {"tap", no_argument, NULL, 't'},              {"junit", required_argument, NULL, 'j'},
        {"rtol", required_argument, NULL, 'r'},       {"atol", required_argument, NULL, 'a'},
        {"help", no_argument, NULL, 'h'},             {"quiet", no_argument, NULL, 'q'},
        {"exitfirst", no_argument, NULL, 'x'},        {"color", required_argument, NULL, 'c'},
        {"colour", required_argument, NULL, 'c'},     {NULL, 0, NULL, 0},
    };
    opterr = 0;
    optind = 0; /* 0, not 1: glibc then also forgets a previous argv */
    int opt, status;
    while ((opt = getopt_long(argc, argv, "hqx", long_options, NULL)) != -1) {
        switch (opt) {
        case 'h': fputs(verify_usage, stdout); return EXIT_OK;
        case 'q': args->quiet = true; break;
        case 'x': args->exitfirst = true; break;
        case 'c':
            if (!term_parse_color(optarg, &args->color))
                return cli_usage_error("verify", "--color must be auto, always or never, got '%s'", optarg);
            break;
        case 'g': args->golden_dir = optarg; break;
        case 't': args->tap = true; break;
        case 'r':
        case 'a':
            args->tolerant = true;
            if ((status = verify_parse_tolerance(opt == 'r' ? "rtol" : "atol", optarg,
                                                 opt == 'r' ? &args->tolerance.rtol : &args->tolerance.atol)) != 0)
                return status;
            break;
        case 'j': args->junit = optarg; break;
        case 'd':
            if ((status = cli_parse_device("verify", optarg, &args->device)) != 0) return status;
            args->device_given = true;
            break;
        default:
            return cli_option_error("verify", long_options, "hqx", argv);
        }
    }
    return -1;
}

static int write_junit(const char *path, const VerifyResult *results, int n, double seconds) {
    StrBuf xml = STRBUF_INIT;
    verify_report_junit(&xml, results, n, seconds);
    int status = EXIT_OK;
    if (xml.failed) {
        status = cli_failure("out of memory");
    } else if (atomic_write_file(path, xml.data, xml.len) != 0) {
        status = cli_failure("%s", nb_error_message());
        nb_error_clear();
    }
    nb_strbuf_free(&xml);
    return status;
}

int cmd_verify(int argc, char **argv) {
    VerifyArgs args = {.golden_dir = NULL, .device = DEVICE_CPU};
    int status = parse_verify_options(argc, argv, &args);
    if (status != -1) return status;
    args.golden_dir = data_golden_dir(args.golden_dir);
    if (!args.device_given) args.device = cli_default_device();
    const Cell *cells[CLI_MAX_CELLS];
    int ncells = cli_select_cells("verify", argc - optind, argv + optind, cells);
    if (ncells < 0) return EXIT_USAGE;
    /* A golden folder that is not there is one mistake, not one per cell. */
    struct stat golden_st;
    if (stat(args.golden_dir, &golden_st) != 0)
        return cli_failure("golden folder %s: %s", args.golden_dir, strerror(errno));
    if (!S_ISDIR(golden_st.st_mode))
        return cli_failure("golden folder %s: not a folder", args.golden_dir);
    VerifyResult *results = nb_calloc((size_t)ncells, sizeof *results);
    if (!results) return cli_failure("out of memory");

    /* Each cell's report is written as soon as it is known, so a long run
     * shows progress. */
    int passed = 0, failed = 0, errors = 0, done = 0;
    bool color = !args.tap && term_use_color(args.color);
    double start = now_seconds();
    StrBuf report = STRBUF_INIT;
    if (args.tap) verify_report_tap_plan(&report, ncells);
    status = EXIT_OK;
    for (int c = 0; c < ncells && status == EXIT_OK; c++, done++) {
        verify_cell(cells[c], args.golden_dir, args.device, args.tolerant ? &args.tolerance : NULL, &results[c]);
        if (results[c].passed)
            passed++;
        else if (results[c].error)
            errors++;
        else
            failed++;
        if (args.tap)
            verify_report_tap(&report, c + 1, &results[c]);
        else if (!args.quiet || !results[c].passed)
            verify_report_text_styled(&report, &results[c], color);
        status = report.failed ? cli_failure("out of memory") : cli_write_stdout(report.data, report.len);
        nb_strbuf_clear(&report);
        if (args.exitfirst && !results[c].passed) {
            done++;
            break;
        }
    }
    if (status == EXIT_OK) {
        if (!args.tap) verify_report_failed_line(&report, results, done);
        if (args.tap && done < ncells) /* fewer tests than planned: TAP's way to say why */
            nb_strbuf_append(&report, "Bail out! stopped at the first failure (-x)\n");
        nb_strbuf_printf(&report, "%s%d passed, %d failed", args.tap ? "# " : "", passed, failed);
        if (errors) nb_strbuf_printf(&report, ", %d error%s", errors, errors == 1 ? "" : "s");
        if (done < ncells) nb_strbuf_printf(&report, " (stopped at the first failure: -x)");
        nb_strbuf_append_char(&report, '\n');
        status = cli_write_stdout(report.data, report.len);
    }
    if (status == EXIT_OK && args.junit)
        status = write_junit(args.junit, results, done, now_seconds() - start);
    nb_strbuf_free(&report);
    for (int c = 0; c < done; c++) result_free(&results[c]);
    nb_free(results);
    if (status != EXIT_OK) return status;
    return failed || errors ? EXIT_FAILURE_RUN : EXIT_OK;
}
