/* nbreplay regen: rewrites goldens from real PyTorch. Runs the generator
 * (golden/generate.py) into a temporary folder, shows what would change
 * against the committed goldens, and writes only what changed, and only
 * after a yes on the terminal or --yes. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "alloc.h"
#include "error.h"
#include "../golden.h"
#include "../present/atomic_file.h"
#include "../textdiff.h"
#include "cli.h"
#include "data_paths.h"

/* Debian's interpreter, which has python3-torch; the first python3 on PATH
 * may be another installation without it. */
#define DEFAULT_PYTHON "/usr/bin/python3"
/* generate.py's exit status when torch or numpy cannot be imported */
#define GENERATOR_NO_TORCH 77
/* mkdtemp's template ends in six X's, which it replaces */
#define TEMPLATE_SUFFIX "XX" "XX" "XX"
/* our child's exit status when the interpreter could not be started */
#define EXEC_FAILED 127

static const char regen_usage[] =
    "usage: nbreplay regen [CELL...] [--yes] [--golden-dir DIR] [--python PATH]\n"
    "                      [--generator FILE] [--seed N]\n"
    "\n"
    "Regenerates the goldens of the cells (all of them when none is given) by\n"
    "running their Python in real PyTorch (golden/generate.py), shows the\n"
    "difference from the committed goldens, and writes the changed ones after\n"
    "you confirm on the terminal. Without a terminal it writes only with --yes.\n"
    "When a cell's Python raises, nothing is written.\n"
    "\n"
    "  --yes             write without asking\n"
    "  --golden-dir DIR  the goldens to compare and write (default:\n"
    "                    $NBREPLAY_GOLDEN_DIR, else those installed with nbreplay)\n"
    "  --python PATH     the interpreter with torch and numpy (default: $NB_PYTHON,\n"
    "                    else " DEFAULT_PYTHON ")\n"
    "  --generator FILE  the generator (default: generate.py beside the installed\n"
    "                    goldens)\n"
    "  --seed N          np.random.seed(N) before each cell (default 0)\n";

typedef struct {
    bool yes;
    const char *golden_dir;
    const char *python;
    const char *generator;
    const char *seed;
} RegenArgs;

static int parse_regen_options(int argc, char **argv, RegenArgs *args) {
    static const struct option long_options[] = {
        {"yes", no_argument, NULL, 'y'},          {"golden-dir", required_argument, NULL, 'g'},
        {"python", required_argument, NULL, 'p'}, {"generator", required_argument, NULL, 'G'},
        {"seed", required_argument, NULL, 's'},   {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    opterr = 0;
    optind = 0; /* 0, not 1: glibc then also forgets a previous argv */
    int opt;
    uint32_t seed;
    while ((opt = getopt_long(argc, argv, "hy", long_options, NULL)) != -1) {
        switch (opt) {
        case 'h': fputs(regen_usage, stdout); return EXIT_OK;
        case 'y': args->yes = true; break;
        case 'g': args->golden_dir = optarg; break;
        case 'p': args->python = optarg; break;
        case 'G': args->generator = optarg; break;
        case 's': {
            int status = cli_parse_seed("regen", optarg, &seed);
            if (status != 0) return status;
            args->seed = optarg;
            break;
        }
        default:
            return cli_option_error("regen", long_options, "hy", argv);
        }
    }
    return -1;
}

/* ---- running the generator ---- */

/* Runs argv with stdout and stderr captured into *output; returns the exit
 * status (EXEC_FAILED with the reason in *output when it could not start),
 * or -1 when no process could be made. */
static int run_captured(char *const *argv, StrBuf *output) {
    int fds[2];
    if (pipe(fds) != 0) return -1;
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        dup2(fds[1], STDERR_FILENO);
        close(fds[0]);
        close(fds[1]);
        /* The interpreter was chosen here; generate.py must not swap it for
         * another one when it lacks torch, but say so. */
        setenv("NB_GENERATE_REEXECED", "1", 1);
        execvp(argv[0], argv);
        dprintf(STDERR_FILENO, "cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(EXEC_FAILED);
    }
    close(fds[1]);
    char buf[4096];
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof buf)) != 0) {
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) break;
        nb_strbuf_append_len(output, buf, (size_t)n);
    }
    close(fds[0]);
    int wstatus;
    while (waitpid(pid, &wstatus, 0) < 0)
        if (errno != EINTR) return -1;
    if (WIFEXITED(wstatus)) return WEXITSTATUS(wstatus);
    return 128 + (WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : 0);
}

static int generate(const RegenArgs *args, const Cell **cells, int ncells, const char *out_dir) {
    char numbers[CLI_MAX_CELLS][12];
    char *argv[CLI_MAX_CELLS + 10];
    int n = 0;
    argv[n++] = (char *)args->python;
    argv[n++] = (char *)args->generator;
    argv[n++] = "--out";
    argv[n++] = (char *)out_dir;
    argv[n++] = "--seed";
    argv[n++] = (char *)args->seed;
    argv[n++] = "--cells";
    for (int c = 0; c < ncells; c++) {
        snprintf(numbers[c], sizeof numbers[c], "%d", cells[c]->number);
        argv[n++] = numbers[c];
    }
    argv[n] = NULL;

    StrBuf output = STRBUF_INIT;
    int code = run_captured(argv, &output);
    int status = EXIT_OK;
    if (code < 0) {
        status = cli_failure("cannot start %s: %s", args->python, strerror(errno));
    } else if (code == GENERATOR_NO_TORCH) {
        status = cli_failure("python3-torch is not installed for %s (apt-get install python3-torch "
                             "python3-numpy, or name another interpreter with --python); nothing written",
                             args->python);
    } else if (code == EXEC_FAILED) {
        size_t len = output.len;
        while (len > 0 && output.data[len - 1] == '\n') len--;
        status = cli_failure("%.*s; nothing written", (int)len, nb_strbuf_cstr(&output));
    } else if (code != 0) {
        /* the traceback says what the cell's Python raised */
        fputs(nb_strbuf_cstr(&output), stderr);
        status = cli_failure("%s failed (exit %d); nothing written", args->generator, code);
    }
    nb_strbuf_free(&output);
    return status;
}

/* ---- comparing ---- */

static int read_whole_file(const char *path, StrBuf *text) {
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) nb_strbuf_append_len(text, buf, n);
    int failed = ferror(f);
    fclose(f);
    return failed || text->failed ? -1 : 0;
}

static void quoted_lines(StrBuf *out, const char *text) {
    for (const char *s = text; *s;) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        nb_strbuf_append(out, "  | ");
        nb_strbuf_append_len(out, s, n);
        nb_strbuf_append(out, nl ? "\n" : "   (no newline at end)\n");
        s += n + (nl ? 1 : 0);
    }
}

/* What a person compares in a golden, one fact a line. A line that varies
 * from run to run shows only its pattern: its sample text differs each run
 * and is not what verify checks. */
static void readable(const Golden *g, StrBuf *out) {
    /* the format too: a golden the generator would now write differently is stale */
    nb_strbuf_printf(out, "format: %d\ncell: %d (%s)\nseed: %u\nparams:", g->format, g->cell, g->name,
                     (unsigned)g->seed);
    for (int i = 0; i < g->nparams; i++)
        nb_strbuf_printf(out, " %s=%s", g->params[i].name, g->params[i].value);
    nb_strbuf_printf(out, "%s\nversions: python %s, torch %s, numpy %s\nsource:\n",
                  g->nparams ? "" : " (none)", g->python_version, g->torch_version, g->numpy_version);
    quoted_lines(out, g->source);
    nb_strbuf_append(out, "stdout:\n");
    for (size_t i = 0; i < g->nlines; i++) {
        if (g->lines[i].pattern)
            nb_strbuf_printf(out, "  ~ /%s/\n", g->lines[i].pattern);
        else
            nb_strbuf_printf(out, "  | %s\n", g->lines[i].text);
    }
    if (g->nlines > 0 && !g->trailing_newline) nb_strbuf_append(out, "  (no newline at end)\n");
}

/* Appends the diff from the committed golden (none: "") to the new one;
 * returns 1 when they differ, 0 when not, -1 on error (error.h set). */
static int golden_diff(const char *committed_path, const char *new_path, StrBuf *diff) {
    Golden fresh;
    if (golden_load(new_path, &fresh) != 0) return -1;
    StrBuf old_text = STRBUF_INIT, new_text = STRBUF_INIT;
    readable(&fresh, &new_text);
    golden_free(&fresh);
    if (access(committed_path, F_OK) == 0) {
        Golden committed;
        if (golden_load(committed_path, &committed) == 0) {
            readable(&committed, &old_text);
            golden_free(&committed);
        } else {
            nb_strbuf_printf(&old_text, "(unreadable: %s)\n", nb_error_message());
            nb_error_clear();
        }
    }
    TextLine *old_lines = NULL, *new_lines = NULL;
    size_t nold = 0, nnew = 0;
    bool old_nl, new_nl;
    int result = -1;
    char old_label[4400], new_label[64];
    snprintf(old_label, sizeof old_label, "%s%s", committed_path, old_text.len ? "" : " (none yet)");
    snprintf(new_label, sizeof new_label, "regenerated by PyTorch");
    if (!old_text.failed && !new_text.failed &&
        textdiff_split(nb_strbuf_cstr(&old_text), old_text.len, &old_lines, &nold, &old_nl) == 0 &&
        textdiff_split(nb_strbuf_cstr(&new_text), new_text.len, &new_lines, &nnew, &new_nl) == 0) {
        TextDiffSide old_side = {old_label, old_lines, nold, old_nl};
        TextDiffSide new_side = {new_label, new_lines, nnew, new_nl};
        result = textdiff_unified(diff, &old_side, &new_side, NULL, NULL);
    } else if (!nb_error_pending()) {
        nb_error_nomem();
    }
    nb_free(old_lines);
    nb_free(new_lines);
    nb_strbuf_free(&old_text);
    nb_strbuf_free(&new_text);
    return result;
}

/* ---- confirming, writing, cleaning up ---- */

static bool confirm(int nchanged, const char *golden_dir) {
    fprintf(stderr, "Write %d golden file%s to %s? [y/N] ", nchanged, nchanged == 1 ? "" : "s",
            golden_dir);
    fflush(stderr);
    char answer[32];
    if (!fgets(answer, sizeof answer, stdin)) return false;
    char *a = answer;
    while (isspace((unsigned char)*a)) a++;
    return strncmp(a, "y", 1) == 0 || strncmp(a, "Y", 1) == 0;
}

static void remove_dir(const char *dir) {
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        char path[4096 + sizeof e->d_name + 2];
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
        closedir(d);
    }
    rmdir(dir);
}

static int copy_golden(const char *from, const char *to) {
    StrBuf text = STRBUF_INIT;
    int status = EXIT_OK;
    if (read_whole_file(from, &text) != 0)
        status = cli_failure("cannot read %s: %s", from, strerror(errno));
    else if (atomic_write_file(to, text.data, text.len) != 0)
        status = cli_failure("%s", nb_error_message());
    nb_error_clear();
    nb_strbuf_free(&text);
    return status;
}

/* Compares each regenerated golden in tmp with the committed one, shows the
 * differences, and writes the changed ones when allowed to. */
static int compare_and_write(const RegenArgs *args, const Cell **cells, int ncells, const char *tmp) {
    bool changed[CLI_MAX_CELLS] = {false};
    int nchanged = 0;
    StrBuf out = STRBUF_INIT;
    int status = EXIT_OK;
    char fresh[4200], committed[4200], label[96];
    for (int c = 0; c < ncells && status == EXIT_OK; c++) {
        snprintf(fresh, sizeof fresh, "%s/cell-%02d.json", tmp, cells[c]->number);
        snprintf(committed, sizeof committed, "%s/cell-%02d.json", args->golden_dir, cells[c]->number);
        cli_cell_label(cells[c], label, sizeof label);
        nb_strbuf_clear(&out);
        int differs = golden_diff(committed, fresh, &out);
        if (differs < 0) {
            status = cli_failure("%s: %s; nothing written", label, nb_error_message());
            nb_error_clear();
            break;
        }
        changed[c] = differs == 1;
        nchanged += differs;
        if (!differs) nb_strbuf_printf(&out, "unchanged: %s\n", label);
        status = cli_write_stdout(out.data, out.len);
    }
    nb_strbuf_free(&out);
    if (status != EXIT_OK) return status;
    if (nchanged == 0) {
        printf("nothing to write: every golden is current\n");
        return EXIT_OK;
    }
    if (!args->yes) {
        if (!isatty(STDIN_FILENO))
            return cli_failure("not written: standard input is not a terminal to confirm on; "
                               "pass --yes to write %d golden file%s",
                               nchanged, nchanged == 1 ? "" : "s");
        if (!confirm(nchanged, args->golden_dir)) return cli_failure("not written");
    }
    for (int c = 0; c < ncells && status == EXIT_OK; c++) {
        if (!changed[c]) continue;
        snprintf(fresh, sizeof fresh, "%s/cell-%02d.json", tmp, cells[c]->number);
        snprintf(committed, sizeof committed, "%s/cell-%02d.json", args->golden_dir, cells[c]->number);
        if ((status = copy_golden(fresh, committed)) == EXIT_OK) printf("wrote %s\n", committed);
    }
    fflush(stdout);
    return status;
}

int cmd_regen(int argc, char **argv) {
    const char *env_python = getenv("NB_PYTHON");
    RegenArgs args = {false, NULL, env_python && *env_python ? env_python : DEFAULT_PYTHON,
                      data_generator(), "0"};
    int status = parse_regen_options(argc, argv, &args);
    if (status != -1) return status;
    args.golden_dir = data_golden_dir(args.golden_dir);
    const Cell *cells[CLI_MAX_CELLS];
    int ncells = cli_select_cells("regen", argc - optind, argv + optind, cells);
    if (ncells < 0) return EXIT_USAGE;
    if (access(args.generator, R_OK) != 0)
        return cli_failure("cannot read the generator %s: %s (give --generator)", args.generator,
                           strerror(errno));

    const char *tmpdir = getenv("TMPDIR");
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s/nbreplay-regen-" TEMPLATE_SUFFIX, tmpdir && *tmpdir ? tmpdir : "/tmp");
    if (!mkdtemp(tmp)) return cli_failure("cannot make a temporary folder %s: %s", tmp, strerror(errno));
    status = generate(&args, cells, ncells, tmp);
    if (status == EXIT_OK) status = compare_and_write(&args, cells, ncells, tmp);
    remove_dir(tmp);
    return status;
}
