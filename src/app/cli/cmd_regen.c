/* nbreplay regen: rewrites goldens from real PyTorch. Runs the generator
 * (golden/generate.py) into a temporary folder, shows what would change
 * against the committed goldens, and writes only what changed, and only
 * after a yes on the terminal or --yes. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "alloc.h"
#include "error.h"
#include "input_file.h"
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

/* ---- Ctrl-C, SIGTERM, SIGHUP: stop, clean up, say what was written ---- */

static const int stop_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
#define NSTOP (int)(sizeof stop_signals / sizeof stop_signals[0])
static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig) { stop_signal = sig; }

/* Without SA_RESTART, so that a read from the generator or from the
 * terminal returns (EINTR) and the signal is seen at once. */
static void catch_stop_signals(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    for (int i = 0; i < NSTOP; i++) sigaction(stop_signals[i], &sa, NULL);
}

/* Ends as the signal would have ended us, now that everything is cleaned. */
static void die_of_stop_signal(void) {
    int sig = stop_signal;
    signal(sig, SIG_DFL);
    raise(sig);
}

static void block_stop_signals(bool block) {
    sigset_t set;
    sigemptyset(&set);
    for (int i = 0; i < NSTOP; i++) sigaddset(&set, stop_signals[i]);
    sigprocmask(block ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
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
        for (int i = 0; i < NSTOP; i++) signal(stop_signals[i], SIG_DFL);
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
    bool killed = false;
    while ((n = read(fds[0], buf, sizeof buf)) != 0) {
        if (stop_signal && !killed) { /* Ctrl-C reached it too; SIGTERM may not have */
            kill(pid, SIGTERM);
            killed = true;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) break;
        nb_strbuf_append_len(output, buf, (size_t)n);
    }
    close(fds[0]);
    int wstatus;
    while (waitpid(pid, &wstatus, 0) < 0)
        if (errno != EINTR) return -1;
    if (stop_signal) return 128 + stop_signal;
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
    if (stop_signal) {
        status = cli_failure("interrupted; nothing written");
    } else if (code < 0) {
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

/* A regenerated golden: a regular file of at most a golden's size (the
 * generator wrote it; golden_load has checked it already). */
static int read_whole_file(const char *path, StrBuf *text) {
    NbInput in;
    if (nb_input_open(&in, path, true) != 0) return -1;
    char buf[8192];
    ssize_t n;
    while ((n = nb_input_read(&in, buf, sizeof buf)) > 0 && text->len <= GOLDEN_MAX_FILE_BYTES)
        nb_strbuf_append_len(text, buf, (size_t)n);
    nb_input_close(&in);
    if (n < 0) return -1;
    if (text->failed) return nb_error_nomem();
    if (text->len > GOLDEN_MAX_FILE_BYTES) return nb_error_set(ERR_FORMAT, "%s: too large for a golden", path);
    return 0;
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

/* Stages the regenerated golden `from` to be written over `to`. */
static int stage_golden(const char *from, const char *to, AtomicFile *file, StrBuf *text) {
    nb_strbuf_clear(text);
    if (read_whole_file(from, text) != 0) return -1; /* error.h names the file */
    return atomic_file_stage(file, to, text->data, text->len);
}

/* Writes every changed golden or none: each is staged (written and synced
 * beside its target) first, and only when all are staged and no signal
 * came are they renamed into place. */
static int write_all_or_none(const RegenArgs *args, const Cell **cells, int ncells, const char *tmp,
                             const bool *changed) {
    AtomicFile files[CLI_MAX_CELLS];
    StrBuf texts[CLI_MAX_CELLS];
    int nstaged = 0, status = EXIT_OK;
    char fresh[4200], committed[4200];
    for (int c = 0; c < ncells; c++) texts[c] = (StrBuf)STRBUF_INIT;
    for (int c = 0; c < ncells && status == EXIT_OK; c++) {
        if (!changed[c]) continue;
        snprintf(fresh, sizeof fresh, "%s/cell-%02d.json", tmp, cells[c]->number);
        snprintf(committed, sizeof committed, "%s/cell-%02d.json", args->golden_dir, cells[c]->number);
        if (stage_golden(fresh, committed, &files[nstaged], &texts[nstaged]) != 0) {
            status = cli_failure("%s; nothing written", nb_error_message());
            nb_error_clear();
        } else {
            nstaged++;
        }
        if (status == EXIT_OK && stop_signal) status = cli_failure("interrupted; nothing written");
    }
    if (status != EXIT_OK) {
        for (int i = 0; i < nstaged; i++) atomic_file_discard(&files[i]);
    } else {
        /* renames are quick: a signal now waits until all are done */
        block_stop_signals(true);
        int written = 0;
        for (int i = 0; i < nstaged; i++) {
            char *path = strdup(files[i].path);
            if (atomic_file_commit(&files[i]) == 0) {
                printf("wrote %s\n", path ? path : "a golden");
                written++;
            } else {
                status = cli_failure("%s; %d of %d goldens written", nb_error_message(), written, nstaged);
                nb_error_clear();
                for (int j = i + 1; j < nstaged; j++) atomic_file_discard(&files[j]);
                free(path);
                break;
            }
            free(path);
        }
        fflush(stdout);
        block_stop_signals(false); /* a pending signal arrives here and is reported below */
        if (stop_signal && status == EXIT_OK)
            status = cli_failure("interrupted after writing all %d goldens", written);
    }
    for (int c = 0; c < ncells; c++) nb_strbuf_free(&texts[c]);
    fflush(stdout);
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
        if (stop_signal) {
            status = cli_failure("interrupted; nothing written");
            break;
        }
        int differs = golden_diff(committed, fresh, &out);
        if (differs < 0) {
            status = cli_failure("%s: %s; nothing written", label, nb_error_message());
            nb_error_clear();
            break;
        }
        changed[c] = differs == 1;
        nchanged += differs;
        if (!differs) nb_strbuf_printf(&out, "unchanged: %s\n", label);
        /* goldens' text escaped where it would drive the terminal */
        StrBuf shown = STRBUF_INIT;
        textdiff_append_printable(&shown, nb_strbuf_cstr(&out), out.len);
        status = shown.failed ? cli_failure("out of memory; nothing written") : cli_write_stdout(shown.data, shown.len);
        nb_strbuf_free(&shown);
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
        if (!confirm(nchanged, args->golden_dir))
            return cli_failure(stop_signal ? "interrupted; nothing written" : "not written");
    }
    if (stop_signal) return cli_failure("interrupted; nothing written");
    return write_all_or_none(args, cells, ncells, tmp, changed);
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

    catch_stop_signals();
    const char *tmpdir = getenv("TMPDIR");
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s/nbreplay-regen-" TEMPLATE_SUFFIX, tmpdir && *tmpdir ? tmpdir : "/tmp");
    if (!mkdtemp(tmp)) return cli_failure("cannot make a temporary folder %s: %s", tmp, strerror(errno));
    status = generate(&args, cells, ncells, tmp);
    if (status == EXIT_OK) status = compare_and_write(&args, cells, ncells, tmp);
    remove_dir(tmp);
    if (stop_signal) die_of_stop_signal();
    return status;
}
