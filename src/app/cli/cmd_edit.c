/* nbreplay edit CELL|FILE.c [--watch]: start a cell of one's own from a
 * notebook cell (its body written to ./NAME.c, never over a file), edit it,
 * and see its output, with a diff against the notebook cell's golden. With
 * --watch every save reruns it (inotify). */
#define _GNU_SOURCE /* strdup, basename */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../golden.h"
#include "../present/cell_files.h"
#include "data_paths.h"
#include "error.h"
#include "run_file.h"

static const char edit_usage[] =
    "usage: nbreplay edit CELL|FILE.c [--watch] [--seed N] [--timeout S] [--compiler tcc|cc]\n"
    "\n"
    "Starts a cell of your own from notebook cell CELL (a number or a name):\n"
    "writes its body to ./NAME.c unless that file exists (it is never\n"
    "overwritten), opens it in $VISUAL or $EDITOR, then runs it and shows its\n"
    "output and how it differs from the notebook cell's golden.\n"
    "\n"
    "  --watch      do not open an editor: run the cell again each time the file\n"
    "               is saved (edit it in another window); Ctrl-C stops a running\n"
    "               cell, and stops watching when none runs\n"
    "  --seed N     np.random.seed(N) right before the cell (default 0)\n"
    "  --timeout S  stop a run after S seconds (default: 10 with --watch)\n"
    "  --compiler C tcc or cc, as for run\n";

typedef struct {
    RunFileOptions run;
    bool watch;
    bool timeout_given;
} EditArgs;

/* The cell's Python beside it (NAME.py), for `check`, unless one exists;
 * the notebook imported numpy and torch in earlier cells. */
static int write_twin(const char *path, const Cell *cell) {
    char twin[320];
    snprintf(twin, sizeof twin, "%.*spy", (int)(strlen(path) - 1), path);
    int fd = open(twin, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0) return EXIT_OK; /* there is one already, or none can be made: check says so */
    FILE *f = fdopen(fd, "w");
    fprintf(f, "import numpy as np\nimport torch\n\n%s", cell->python ? cell->python : "");
    if (fclose(f) != 0) return cli_failure("%s: %s", twin, strerror(errno));
    fprintf(stderr, "nbreplay edit: wrote %s, its Python twin\n", twin);
    return EXIT_OK;
}

static int write_start(const char *path, const Cell *cell) {
    const char *source = cell_c_source(cell);
    char *body = cell_c_body(cell, source);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0) {
        free(body);
        return cli_failure("%s: %s", path, strerror(errno));
    }
    FILE *f = fdopen(fd, "w");
    if (body)
        fprintf(f, "/* In [%d]: %s. Your copy of the notebook cell's body: change it, save it.\n"
                   " * Run it: nbreplay run %s   Compare with the Python: nbreplay check %s */\n%s",
                cell->number, cell->title, path, path, body);
    else
        fputs(source, f);
    free(body);
    if (fclose(f) != 0) return cli_failure("%s: %s", path, strerror(errno));
    fprintf(stderr, "nbreplay edit: wrote %s from cell %d (%s)\n", path, cell->number, cell->name);
    return write_twin(path, cell);
}

/* The notebook cell a file started from: its name is the file's stem. */
static const Cell *origin_cell(const char *path) {
    char stem[320];
    const char *slash = strrchr(path, '/');
    snprintf(stem, sizeof stem, "%s", slash ? slash + 1 : path);
    char *dot = strrchr(stem, '.');
    if (dot) *dot = '\0';
    return cell_find(stem);
}

/* The output against the notebook cell's golden, when the file started
 * from a cell and ran with the golden's seed. */
static void show_golden_diff(const char *path, const Cell *cell, const RunFileOptions *options,
                             const UserCellResult *result) {
    if (!cell || cell->number <= 0) return;
    char golden_path[4200];
    snprintf(golden_path, sizeof golden_path, "%s/cell-%02d.json", data_golden_dir(NULL), cell->number);
    Golden golden;
    if (golden_load(golden_path, &golden) != 0) {
        nb_error_clear();
        return;
    }
    if (golden.seed == options->seed && golden.nparams == 0) {
        StrBuf diff = STRBUF_INIT;
        char label[300];
        snprintf(label, sizeof label, "%s (yours)", path);
        int same = golden_compare(&golden, nb_strbuf_cstr(&result->output), label, &diff);
        if (same == 1)
            printf("\n[same output as notebook cell %d]\n", cell->number);
        else if (same == 0)
            printf("\n[how it differs from notebook cell %d]\n%s", cell->number, nb_strbuf_cstr(&diff));
        nb_strbuf_free(&diff);
    }
    nb_error_clear();
    golden_free(&golden);
}

static double realtime_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Runs the file once and shows everything; returns the run's exit code. */
static int run_and_show(const char *path, const Cell *origin, const RunFileOptions *options, bool watching,
                        int round) {
    struct stat st;
    double saved_ms = stat(path, &st) == 0 ? (double)st.st_mtim.tv_sec * 1e3 + (double)st.st_mtim.tv_nsec / 1e6 : 0;
    if (watching && isatty(STDOUT_FILENO)) fputs("\033[H\033[2J", stdout);
    if (watching) printf("── %s, run %d ──\n", path, round);
    fflush(stdout);
    UserCellResult result;
    int status = run_file(path, options, &result);
    if (status != 0) return status;
    fflush(stdout);
    status = run_file_report(path, &result);
    fflush(stderr);
    if (result.status == USERCELL_OK) show_golden_diff(path, origin, options, &result);
    if (watching) {
        double now = realtime_ms();
        printf("\n[%s: output %.0f ms after the save; compile and run %.0f ms; Ctrl-C stops]\n", path,
               saved_ms > 0 ? now - saved_ms : 0.0, result.ms);
    }
    fflush(stdout);
    usercell_result_free(&result);
    return status;
}

static int open_editor(const char *path) {
    const char *editor = getenv("VISUAL");
    if (!editor || !*editor) editor = getenv("EDITOR");
    if (!editor || !*editor) editor = "vi";
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        /* the editor's value may carry arguments ("code --wait") */
        execl("/bin/sh", "sh", "-c", "exec $NBREPLAY_EDITOR \"$1\"", "sh", path, (char *)NULL);
        _exit(127);
    }
    int status;
    if (pid < 0) return cli_failure("cannot start the editor: %s", strerror(errno));
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) return cli_failure("cannot wait for the editor: %s", strerror(errno));
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return cli_failure("the editor '%s' failed (set $VISUAL or $EDITOR)", editor);
    return EXIT_OK;
}

static int watch(const char *path, const Cell *origin, const RunFileOptions *options) {
    char *copy = strdup(path), *copy2 = strdup(path);
    const char *dir = dirname(copy), *name = basename(copy2);
    int fd = inotify_init1(IN_CLOEXEC);
    if (fd < 0 || inotify_add_watch(fd, dir, IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE) < 0) {
        free(copy);
        free(copy2);
        return cli_failure("cannot watch %s: %s", dir, strerror(errno));
    }
    int round = 1;
    run_and_show(path, origin, options, true, round);
    char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        bool ours = false;
        for (char *p = buf; p < buf + n;) {
            struct inotify_event *event = (struct inotify_event *)p;
            if (event->len && strcmp(event->name, name) == 0) ours = true;
            p += sizeof *event + event->len;
        }
        if (!ours) continue;
        /* an editor's save can be several events: take them as one */
        struct pollfd pfd = {fd, POLLIN, 0};
        while (poll(&pfd, 1, 15) > 0 && read(fd, buf, sizeof buf) > 0) {}
        if (access(path, R_OK) != 0) continue; /* between an editor's unlink and rename */
        run_and_show(path, origin, options, true, ++round);
    }
    free(copy);
    free(copy2);
    close(fd);
    return EXIT_OK;
}

int cmd_edit(int argc, char **argv) {
    static const struct option long_options[] = {
        {"watch", no_argument, NULL, 'w'},         {"seed", required_argument, NULL, 's'},
        {"timeout", required_argument, NULL, 't'}, {"compiler", required_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
    };
    EditArgs args = {.run = {.device = DEVICE_CPU, .compiler = run_file_default_compiler()}};
    opterr = 0;
    optind = 0;
    int opt, status;
    while ((opt = getopt_long(argc, argv, "h", long_options, NULL)) != -1) {
        switch (opt) {
        case 'h': fputs(edit_usage, stdout); return EXIT_OK;
        case 'w': args.watch = true; break;
        case 's':
            if ((status = cli_parse_seed("edit", optarg, &args.run.seed)) != 0) return status;
            break;
        case 't':
            if ((status = run_file_parse_timeout("edit", optarg, &args.run.timeout_s)) != 0) return status;
            args.timeout_given = true;
            break;
        case 'c':
            if ((status = run_file_parse_compiler("edit", optarg, &args.run.compiler)) != 0) return status;
            break;
        default:
            return cli_option_error("edit", long_options, "h", argv);
        }
    }
    if (argc - optind != 1) return cli_usage_error("edit", "expects one CELL or FILE.c");
    if (args.watch && !args.timeout_given) args.run.timeout_s = 10;
    args.run.device = cli_default_device();
    const char *arg = argv[optind];
    char path[300];
    const Cell *origin;
    if (run_file_is_path(arg)) {
        snprintf(path, sizeof path, "%s", arg);
        origin = origin_cell(path);
        if (access(path, F_OK) != 0 && origin && (status = write_start(path, origin)) != 0) return status;
    } else {
        origin = cell_find(arg);
        if (!origin)
            return cli_usage_error("edit", "unknown cell '%s'; 'nbreplay list' shows the cells", arg);
        snprintf(path, sizeof path, "%s.c", origin->name);
        if (access(path, F_OK) == 0)
            fprintf(stderr, "nbreplay edit: %s exists: using it as it is\n", path);
        else if ((status = write_start(path, origin)) != 0)
            return status;
    }
    if (args.watch) return watch(path, origin, &args.run);
    const char *editor = getenv("VISUAL");
    if (!editor || !*editor) editor = getenv("EDITOR");
    setenv("NBREPLAY_EDITOR", editor && *editor ? editor : "vi", 1);
    if ((status = open_editor(path)) != 0) return status;
    return run_and_show(path, origin, &args.run, false, 1);
}
