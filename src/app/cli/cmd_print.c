/* nbreplay print: prints a .npy array as print(torch.from_numpy(a)) would,
 * under torch.set_printoptions-style options. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "npy.h"
#include "print.h"
#include "cli.h"

static const char print_usage[] =
    "usage: nbreplay print FILE.npy [--precision=N] [--threshold=N] [--edgeitems=N]\n"
    "                      [--linewidth=N] [--sci-mode=true|false|none]\n"
    "       nbreplay print --batch\n"
    "\n"
    "Prints what print(torch.from_numpy(np.load(FILE))) prints in PyTorch 1.13.\n"
    "FILE is a .npy file (format 1-3), C order, little-endian float32, float64,\n"
    "int64 or bool. The options are torch.set_printoptions's:\n"
    "\n"
    "  --precision=N   digits after the decimal point (default 4)\n"
    "  --threshold=N   summarize with '...' above N elements (default 1000; inf)\n"
    "  --edgeitems=N   items kept at each end when summarizing (default 3)\n"
    "  --linewidth=N   characters per line (default 80)\n"
    "  --sci-mode=M    true, false, or none to let PyTorch's rule choose\n"
    "\n"
    "  --batch         many prints in one run: each line of standard input is\n"
    "                  one print's FILE.npy and options, separated by tabs; each\n"
    "                  print's output ends with a NUL byte (its error goes to\n"
    "                  stderr, its output is then empty); the exit status is the\n"
    "                  worst of them\n";

/* A whole decimal number in [lo, hi]. */
static bool parse_int_in(const char *text, long lo, long hi, int *value) {
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (end == text || *end != '\0' || errno == ERANGE || v < lo || v > hi) return false;
    *value = (int)v;
    return true;
}

static int parse_print_option(int opt, const char *arg, PrintOptions *po) {
    switch (opt) {
    case 'p':
        if (!parse_int_in(arg, 0, 100, &po->precision))
            return cli_usage_error("print", "--precision must be an integer from 0 to 100, got '%s'", arg);
        return 0;
    case 't': {
        char *end;
        double v = strcmp(arg, "inf") == 0 ? INFINITY : strtod(arg, &end);
        if (strcmp(arg, "inf") != 0 && (end == arg || *end != '\0' || !(v >= 0)))
            return cli_usage_error("print", "--threshold must be a number >= 0 or inf, got '%s'", arg);
        po->threshold = v;
        return 0;
    }
    case 'e':
        if (!parse_int_in(arg, 0, 1000000, &po->edgeitems))
            return cli_usage_error("print", "--edgeitems must be an integer >= 0, got '%s'", arg);
        return 0;
    case 'l':
        if (!parse_int_in(arg, 1, 1000000, &po->linewidth))
            return cli_usage_error("print", "--linewidth must be an integer >= 1, got '%s'", arg);
        return 0;
    case 'm':
        if (strcmp(arg, "true") == 0 || strcmp(arg, "True") == 0) po->sci_mode = 1;
        else if (strcmp(arg, "false") == 0 || strcmp(arg, "False") == 0) po->sci_mode = 0;
        else if (strcmp(arg, "none") == 0 || strcmp(arg, "None") == 0) po->sci_mode = -1;
        else return cli_usage_error("print", "--sci-mode must be true, false or none, got '%s'", arg);
        return 0;
    }
    return cli_usage_error("print", "unknown option");
}

static int print_batch(void);

/* One print: `nbreplay print ARGS`, or one line of --batch (batch false:
 * --batch itself is refused there). */
static int print_one(int argc, char **argv, bool batch_allowed) {
    static const struct option long_options[] = {
        {"precision", required_argument, NULL, 'p'}, {"threshold", required_argument, NULL, 't'},
        {"edgeitems", required_argument, NULL, 'e'}, {"linewidth", required_argument, NULL, 'l'},
        {"sci-mode", required_argument, NULL, 'm'},  {"help", no_argument, NULL, 'h'},
        {"batch", no_argument, NULL, 'b'},           {NULL, 0, NULL, 0},
    };
    PrintOptions po = PRINT_OPTIONS_DEFAULT;
    bool batch = false;
    opterr = 0;
    optind = 0; /* 0, not 1: glibc then also forgets a previous argv */
    int opt, status;
    while ((opt = getopt_long(argc, argv, "h", long_options, NULL)) != -1) {
        if (opt == 'h') {
            fputs(print_usage, stdout);
            return EXIT_OK;
        }
        if (opt == '?')
            return cli_option_error("print", long_options, "h", argv);
        if (opt == 'b') {
            if (!batch_allowed) return cli_usage_error("print", "--batch is not an option of a batch line");
            batch = true;
            continue;
        }
        if ((status = parse_print_option(opt, optarg, &po)) != 0) return status;
    }
    if (batch) {
        if (argc > 2) return cli_usage_error("print", "--batch takes its prints from standard input alone");
        return print_batch();
    }
    if (argc - optind != 1)
        return cli_usage_error("print", argc - optind == 0 ? "expected a .npy file" : "expected one .npy file");

    TensorScope *scope = tensor_scope_open();
    StrBuf out = STRBUF_INIT;
    Tensor *t = nb_npy_load(argv[optind]);
    if (!t || tensor_format(&out, t, &po) != 0) {
        status = cli_failure("%s", nb_error_message());
        nb_error_clear();
    } else {
        nb_strbuf_append_char(&out, '\n');
        status = out.failed ? cli_failure("out of memory") : cli_write_stdout(out.data, out.len);
    }
    nb_strbuf_free(&out);
    tensor_scope_close(scope);
    return status;
}

/* --batch: each line of stdin is one print's arguments, tab-separated. */
static int print_batch(void) {
    enum { MAX_ARGS = 16 };
    char *line = NULL;
    size_t size = 0;
    ssize_t len;
    int worst = EXIT_OK;
    while ((len = getline(&line, &size, stdin)) >= 0) {
        if (len > 0 && line[len - 1] == '\n') line[--len] = '\0';
        char *args[MAX_ARGS + 2] = {"print"};
        int n = 1;
        for (char *field = line, *tab;; field = tab + 1) {
            tab = strchr(field, '\t');
            if (tab) *tab = '\0';
            if (n <= MAX_ARGS) args[n] = field;
            n++;
            if (!tab) break;
        }
        int status = n > MAX_ARGS + 1 ? cli_usage_error("print", "more than %d fields in a batch line", MAX_ARGS)
                                      : print_one(n, args, false);
        if (status > worst) worst = status;
        if (fputc('\0', stdout) == EOF || fflush(stdout) != 0) {
            worst = cli_failure("print --batch: cannot write the output");
            break;
        }
    }
    free(line);
    return worst;
}

int cmd_print(int argc, char **argv) { return print_one(argc, argv, true); }
