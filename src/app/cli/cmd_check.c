/* nbreplay check FILE.c: verify for a cell of one's own. Runs the cell, and
 * its Python twin in real PyTorch seeded as run seeds the cell, and
 * compares the two outputs byte for byte. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../textdiff.h"
#include "alloc.h"
#include "run_file.h"

#define DEFAULT_PYTHON "/usr/bin/python3"
#define EXEC_FAILED 127

static const char check_usage[] =
    "usage: nbreplay check FILE.c [--python FILE.py] [--seed N] [--timeout S]\n"
    "                      [--interpreter PATH] [--compiler tcc|cc]\n"
    "\n"
    "Runs a cell of your own and its Python twin (FILE.py beside it unless\n"
    "--python names another) in real PyTorch, both after np.random.seed(N)\n"
    "(and torch.manual_seed(N) for the Python), and compares what they print\n"
    "byte for byte: exit 0 when identical, else a unified diff and exit 1.\n"
    "Without PyTorch it says so and exits 77.\n"
    "\n"
    "  --python FILE.py    the twin (default: FILE.py beside FILE.c)\n"
    "  --seed N            the seed of both (default 0)\n"
    "  --timeout S         stop the C cell after S seconds\n"
    "  --interpreter PATH  Python with torch and numpy (default: $NB_PYTHON,\n"
    "                      else " DEFAULT_PYTHON ")\n"
    "  --compiler C        tcc or cc, as for run\n";

/* Seeds as run does, then runs the twin as a script; 77 when torch or
 * numpy cannot be imported. */
static const char python_driver[] =
    "import sys\n"
    "try:\n"
    "    import numpy as np\n"
    "    import torch\n"
    "except ImportError as e:\n"
    "    print(e, file=sys.stderr)\n"
    "    sys.exit(77)\n"
    "import runpy\n"
    "seed = int(sys.argv[2])\n"
    "np.random.seed(seed)\n"
    "torch.manual_seed(seed)\n"
    "sys.argv = sys.argv[1:2]\n"
    "runpy.run_path(sys.argv[0], run_name='__main__')\n";

/* Runs the twin; stdout into *out, stderr into *err. Returns its exit
 * status, EXEC_FAILED when it could not start, -1 when no process could be
 * made. */
static int run_python(const char *python, const char *script, const char *seed, StrBuf *out, StrBuf *err) {
    /* stderr goes to an unlinked file, not a second pipe: reading one pipe
     * to its end while the other fills would deadlock */
    const char *tmpdir = getenv("TMPDIR");
    char tmpl[4096];
    snprintf(tmpl, sizeof tmpl, "%s/nbreplay-check-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
    int err_fd = mkstemp(tmpl);
    if (err_fd < 0) return -1;
    unlink(tmpl);
    int fds[2];
    if (pipe(fds) != 0) {
        close(err_fd);
        return -1;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        close(err_fd);
        return -1;
    }
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        dup2(err_fd, STDERR_FILENO);
        close(fds[0]);
        close(fds[1]);
        char *argv[] = {(char *)python, "-c", (char *)python_driver, (char *)script, (char *)seed, NULL};
        execvp(python, argv);
        dprintf(STDERR_FILENO, "cannot run %s: %s\n", python, strerror(errno));
        _exit(EXEC_FAILED);
    }
    close(fds[1]);
    char buf[4096];
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof buf)) != 0) {
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) break;
        nb_strbuf_append_len(out, buf, (size_t)n);
    }
    close(fds[0]);
    int wstatus;
    while (waitpid(pid, &wstatus, 0) < 0)
        if (errno != EINTR) {
            close(err_fd);
            return -1;
        }
    lseek(err_fd, 0, SEEK_SET);
    while ((n = read(err_fd, buf, sizeof buf)) > 0) nb_strbuf_append_len(err, buf, (size_t)n);
    close(err_fd);
    if (WIFEXITED(wstatus)) return WEXITSTATUS(wstatus);
    return 128 + (WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : 0);
}

/* A unified diff from PyTorch's output to ours; 1 differ, 0 same, -1 error. */
static int diff_outputs(StrBuf *diff, const char *py_label, const StrBuf *expected, const char *c_label,
                        const StrBuf *actual) {
    TextLine *old_lines = NULL, *new_lines = NULL;
    size_t nold = 0, nnew = 0;
    bool old_nl = true, new_nl = true;
    int status = -1;
    if (textdiff_split(nb_strbuf_cstr(expected), expected->len, &old_lines, &nold, &old_nl) == 0 &&
        textdiff_split(nb_strbuf_cstr(actual), actual->len, &new_lines, &nnew, &new_nl) == 0) {
        TextDiffSide old_side = {py_label, old_lines, nold, old_nl};
        TextDiffSide new_side = {c_label, new_lines, nnew, new_nl};
        status = textdiff_unified(diff, &old_side, &new_side, NULL, NULL);
    }
    nb_free(old_lines);
    nb_free(new_lines);
    return status;
}

typedef struct {
    RunFileOptions run;
    const char *python_file;
    const char *interpreter;
} CheckArgs;

static int parse_check_options(int argc, char **argv, CheckArgs *args) {
    static const struct option long_options[] = {
        {"python", required_argument, NULL, 'p'},   {"seed", required_argument, NULL, 's'},
        {"timeout", required_argument, NULL, 't'},  {"interpreter", required_argument, NULL, 'i'},
        {"compiler", required_argument, NULL, 'c'}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    opterr = 0;
    optind = 0;
    int opt, status;
    while ((opt = getopt_long(argc, argv, "h", long_options, NULL)) != -1) {
        switch (opt) {
        case 'h': fputs(check_usage, stdout); return EXIT_OK;
        case 'p': args->python_file = optarg; break;
        case 'i': args->interpreter = optarg; break;
        case 's':
            if ((status = cli_parse_seed("check", optarg, &args->run.seed)) != 0) return status;
            break;
        case 't':
            if ((status = run_file_parse_timeout("check", optarg, &args->run.timeout_s)) != 0) return status;
            break;
        case 'c':
            if ((status = run_file_parse_compiler("check", optarg, &args->run.compiler)) != 0) return status;
            break;
        default:
            return cli_option_error("check", long_options, "h", argv);
        }
    }
    return -1;
}

int cmd_check(int argc, char **argv) {
    CheckArgs args = {.run = {.device = DEVICE_CPU, .compiler = run_file_default_compiler()}};
    int status = parse_check_options(argc, argv, &args);
    if (status != -1) return status;
    if (argc - optind != 1 || !run_file_is_path(argv[optind]))
        return cli_usage_error("check", "expects one FILE.c");
    const char *path = argv[optind];
    char twin[4096];
    if (args.python_file)
        snprintf(twin, sizeof twin, "%s", args.python_file);
    else
        snprintf(twin, sizeof twin, "%.*spy", (int)(strlen(path) - 1), path);
    if (access(twin, R_OK) != 0)
        return cli_failure("%s: %s (the Python twin; --python names another)", twin, strerror(errno));
    const char *python = args.interpreter;
    if (!python) python = getenv("NB_PYTHON");
    if (!python || !*python) python = DEFAULT_PYTHON;

    char seed[16];
    snprintf(seed, sizeof seed, "%u", (unsigned)args.run.seed);
    StrBuf expected = STRBUF_INIT, py_err = STRBUF_INIT;
    int py_status = run_python(python, twin, seed, &expected, &py_err);
    if (py_status == EXIT_NO_PYTORCH || py_status == EXEC_FAILED) {
        status = cli_failure("check: PyTorch is not installed for %s (apt-get install python3-torch "
                             "python3-numpy, or name another interpreter with --interpreter); nothing compared",
                             python);
        nb_strbuf_free(&expected);
        nb_strbuf_free(&py_err);
        return py_status == EXEC_FAILED ? status : EXIT_NO_PYTORCH;
    }
    if (py_status < 0) {
        status = cli_failure("%s: cannot run the Python twin: %s; nothing compared", twin, strerror(errno));
        nb_strbuf_free(&expected);
        nb_strbuf_free(&py_err);
        return status;
    }
    if (py_status != 0) {
        fprintf(stderr, "%s", nb_strbuf_cstr(&py_err));
        status = cli_failure("%s: the Python twin failed (exit %d); nothing compared", twin, py_status);
        nb_strbuf_free(&expected);
        nb_strbuf_free(&py_err);
        return status;
    }

    UserCellResult result;
    if ((status = run_file(path, &args.run, &result)) != 0) {
        nb_strbuf_free(&expected);
        nb_strbuf_free(&py_err);
        return status;
    }
    if (result.status != USERCELL_OK) {
        status = run_file_report(path, &result);
    } else {
        StrBuf diff = STRBUF_INIT;
        char py_label[4200], c_label[4200];
        snprintf(py_label, sizeof py_label, "%s (PyTorch)", twin);
        snprintf(c_label, sizeof c_label, "%s (nbreplay)", path);
        int differ = diff_outputs(&diff, py_label, &expected, c_label, &result.output);
        if (differ == 0) {
            printf("%s: identical to PyTorch's output of %s (%zu bytes)\n", path, twin, result.output.len);
            status = EXIT_OK;
        } else if (differ > 0) {
            cli_write_stdout(diff.data, diff.len);
            status = cli_failure("%s: differs from PyTorch's output of %s", path, twin);
        } else {
            status = cli_failure("out of memory");
        }
        nb_strbuf_free(&diff);
    }
    usercell_result_free(&result);
    nb_strbuf_free(&expected);
    nb_strbuf_free(&py_err);
    return status;
}
