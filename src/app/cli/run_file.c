/* run_file: running a user's cell file, and `nbreplay run FILE.c`. */
#include "run_file.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data_paths.h"

/* A cell file is text; anything this big is not one. */
#define MAX_CELL_FILE_BYTES ((size_t)16 << 20)

static const char run_file_usage[] =
    "usage: nbreplay run FILE.c [--seed N] [--device auto|cpu|cuda] [--timeout SECONDS]\n"
    "                    [--compiler tcc|cc]\n"
    "\n"
    "Compiles a cell of your own (statements in the vocabulary of notebook.h,\n"
    "or a whole cell file like cells/cellNN_NAME.c) against the installed\n"
    "library and runs it in a child process, printing what it prints. A crash,\n"
    "abort(), exit() or endless loop stops the cell, not nbreplay.\n"
    "\n"
    "  --seed N          np.random.seed(N) right before the cell (default 0)\n"
    "  --device D        where tensor work runs: auto (default), cpu or cuda\n"
    "  --timeout S       stop the cell after S seconds of running, its compile not\n"
    "                    counted (default: no limit; Ctrl-C stops it too)\n"
    "  --compiler C      tcc (libtcc, in memory; the default when built in) or cc\n"
    "                    ($CC or cc, then dlopen); also $NBREPLAY_CELL_COMPILER\n";

bool run_file_is_path(const char *arg) {
    size_t n = strlen(arg);
    return n > 2 && strcmp(arg + n - 2, ".c") == 0;
}

static char *read_text(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    StrBuf text = STRBUF_INIT;
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0 && text.len <= MAX_CELL_FILE_BYTES)
        nb_strbuf_append_len(&text, buf, n);
    bool bad = ferror(f) || text.failed || text.len > MAX_CELL_FILE_BYTES ||
               memchr(nb_strbuf_cstr(&text), '\0', text.len) != NULL;
    fclose(f);
    if (bad) {
        nb_strbuf_free(&text);
        errno = EINVAL;
        return NULL;
    }
    if (!text.data) nb_strbuf_append(&text, "");
    return text.data;
}

int run_file(const char *path, const RunFileOptions *options, UserCellResult *result) {
    char *text = read_text(path);
    if (!text)
        return cli_failure("%s: %s", path,
                           errno == EINVAL ? "not a text file of C (or larger than 16 MB)" : strerror(errno));
    UserCellJob job = {
        .name = path,
        .text = text,
        .seed = options->seed,
        .device = options->device,
        .timeout_s = options->timeout_s,
        .compiler = options->compiler,
    };
    job.ninclude_dirs = data_cell_include_dirs(job.include_dirs, USERCELL_MAX_INCLUDE_DIRS);
    usercell_run(&job, result);
    free(text);
    return 0;
}

int run_file_report(const char *path, const UserCellResult *result) {
    if (result->output.len) cli_write_stdout(result->output.data, result->output.len);
    /* diagnostics and anything the cell wrote to stderr, as they came */
    bool message_is_the_line = result->status == USERCELL_FAILED || result->status == USERCELL_NO_COMPILER ||
                               result->status == USERCELL_SYSTEM_ERROR;
    if (result->message.len && !message_is_the_line) fprintf(stderr, "%s\n", nb_strbuf_cstr(&result->message));
    char line[512];
    const char *what = usercell_describe(result, line, sizeof line);
    if (what) fprintf(stderr, "%s: %s\n", path, what);
    if (result->partial) fprintf(stderr, "%s: the output above is partial: the cell stopped before its end\n", path);
    switch (result->status) {
    case USERCELL_OK: return EXIT_OK;
    case USERCELL_COMPILE_ERROR: return EXIT_CELL_COMPILE_ERROR;
    case USERCELL_CRASHED:
    case USERCELL_EXITED: return EXIT_CELL_CRASHED;
    case USERCELL_TIMED_OUT: return EXIT_CELL_TIMED_OUT;
    case USERCELL_INTERRUPTED: return EXIT_INTERRUPTED;
    default: return EXIT_FAILURE_RUN;
    }
}

int run_file_parse_timeout(const char *command, const char *text, double *seconds) {
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (end == text || *end != '\0' || errno == ERANGE || !isfinite(v) || v <= 0)
        return cli_usage_error(command, "--timeout expects a number of seconds > 0, got '%s'", text);
    *seconds = v;
    return 0;
}

int run_file_parse_compiler(const char *command, const char *text, UserCellCompiler *compiler) {
    if (strcmp(text, "tcc") == 0)
        *compiler = USERCELL_COMPILER_TCC;
    else if (strcmp(text, "cc") == 0)
        *compiler = USERCELL_COMPILER_CC;
    else
        return cli_usage_error(command, "--compiler expects tcc or cc, got '%s'", text);
    return 0;
}

UserCellCompiler run_file_default_compiler(void) {
    const char *env = getenv("NBREPLAY_CELL_COMPILER");
    if (env && strcmp(env, "cc") == 0) return USERCELL_COMPILER_CC;
    if (env && strcmp(env, "tcc") == 0) return USERCELL_COMPILER_TCC;
    return USERCELL_COMPILER_AUTO;
}

int cmd_run_file(int argc, char **argv) {
    static const struct option long_options[] = {
        {"seed", required_argument, NULL, 's'},    {"device", required_argument, NULL, 'd'},
        {"timeout", required_argument, NULL, 't'}, {"compiler", required_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
    };
    RunFileOptions options = {.device = DEVICE_CPU, .compiler = run_file_default_compiler()};
    opterr = 0;
    optind = 0;
    int opt, status;
    while ((opt = getopt_long(argc, argv, "h", long_options, NULL)) != -1) {
        switch (opt) {
        case 'h': fputs(run_file_usage, stdout); return EXIT_OK;
        case 's':
            if ((status = cli_parse_seed("run", optarg, &options.seed)) != 0) return status;
            break;
        case 'd':
            if ((status = cli_parse_device("run", optarg, &options.device)) != 0) return status;
            options.device_given = true;
            break;
        case 't':
            if ((status = run_file_parse_timeout("run", optarg, &options.timeout_s)) != 0) return status;
            break;
        case 'c':
            if ((status = run_file_parse_compiler("run", optarg, &options.compiler)) != 0) return status;
            break;
        default:
            return cli_option_error("run", long_options, "h", argv);
        }
    }
    if (argc - optind != 1)
        return cli_usage_error("run", "run FILE.c takes one file, and no cells beside it");
    if (!options.device_given) options.device = cli_default_device();
    const char *path = argv[optind];
    UserCellResult result;
    if ((status = run_file(path, &options, &result)) != 0) return status;
    status = run_file_report(path, &result);
    usercell_result_free(&result);
    return status;
}
