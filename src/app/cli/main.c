/* nbreplay: replays the PyTorch tutorial notebook on our own tensor library
 * and checks it against what real PyTorch printed. This file dispatches to
 * the subcommands. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <cblas.h>

#include "../kernel/kernel.h"
#include "../usercell/usercell.h"
#include "memory_limit.h"
#include "cli.h"
#include "gpu.h"
#include "suggest.h"

#ifndef NBREPLAY_VERSION
#define NBREPLAY_VERSION "unknown"
#endif

static const char usage[] =
    "usage: nbreplay COMMAND [ARGS]\n"
    "\n"
    "Replays the PyTorch tutorial notebook cell by cell, printing exactly what\n"
    "PyTorch prints, and verifies it against golden output from real PyTorch.\n"
    "\n"
    "commands:\n"
    "  list                 the cells, in notebook order\n"
    "  run [CELL...]        run cells and print what the notebook prints\n"
    "  verify [CELL...]     run cells and compare with the golden files\n"
    "  print FILE.npy       print a NumPy array as PyTorch prints the tensor\n"
    "  bench                time a fixed suite of operations (JSON lines)\n"
    "  show CELL...         a cell's narrative, Python, C and output\n"
    "  lesson [FROM]        step through the cells, one page each\n"
    "  export -o FILE       the notebook with nbreplay's outputs as ipynb, md or html\n"
    "  regen [CELL...]      rewrite goldens from real PyTorch, after a diff and a yes\n"
    "\n"
    "your own cells:\n"
    "  run FILE.c           compile and run a cell you wrote, safely in a child\n"
    "  edit CELL|FILE.c     start from a notebook cell, edit, see output (--watch)\n"
    "  check FILE.c         compare with its Python twin run in real PyTorch\n"
    "  new NAME             write NAME.c and NAME.py to start from\n"
    "\n"
    "Jupyter:\n"
    "  kernel -f FILE       the Jupyter kernel \"C (nbreplay)\" (kernel install: its spec)\n"
    "\n"
    "options:\n"
    "  -h, --help           this help; 'nbreplay help COMMAND' (or COMMAND --help)\n"
    "                       for a command\n"
    "  -V, --version        version and build configuration\n";

typedef struct {
    const char *name;
    int (*main)(int argc, char **argv);
} Command;

static const Command commands[] = {
    {"list", cmd_list},
    {"run", cmd_run},
    {"verify", cmd_verify},
    {"print", cmd_print},
    {"bench", cmd_bench},
    {"show", cmd_show},
    {"lesson", cmd_lesson},
    {"export", cmd_export},
    {"regen", cmd_regen},
    {"edit", cmd_edit},
    {"check", cmd_check},
    {"new", cmd_new},
    {"kernel", cmd_kernel},
};

static void print_version(void) {
    printf("nbreplay %s\n", NBREPLAY_VERSION);
    printf("cpu: OpenBLAS %s\n", openblas_get_config());
    char cuda[768];
    nb_gpu_version_line(cuda, sizeof cuda);
    printf("%s\n", cuda);
    printf("cells: %s\n", usercell_have_tcc() ? "compiled with libtcc (cc with --compiler cc)"
                                               : "compiled with cc (built without libtcc)");
    printf("jupyter kernel: %s\n", kernel_available() ? "yes (nbreplay kernel)" : "no (built without libzmq, or its module nbreplay-kernel.so is missing)");
}

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static const Command *find_command(const char *name) {
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(name, commands[i].name) == 0) return &commands[i];
    return NULL;
}

/* "unknown command 'rnu'; did you mean 'run'?" (options too: --verison) */
static int unknown_command(const char *name) {
    const char *names[NCOMMANDS + 3];
    size_t n = 0;
    for (size_t i = 0; i < NCOMMANDS; i++) names[n++] = commands[i].name;
    names[n++] = "help";
    names[n++] = "--help";
    names[n++] = "--version";
    const char *near = suggest_nearest(name, names, n);
    if (near)
        fprintf(stderr, "nbreplay: unknown command '%s'; did you mean '%s'? (see nbreplay --help)\n", name, near);
    else
        fprintf(stderr, "nbreplay: unknown command '%s' (see nbreplay --help)\n", name);
    return EXIT_USAGE;
}

/* Output that could not be written (--help > /dev/full) is a failure, not
 * a silent success; a reader that left (| head) is no error of ours. */
static int flushed(int status) {
    if (fflush(stdout) == 0 && !ferror(stdout)) return status;
    if (errno == EPIPE || status != EXIT_OK) return status; /* said already, or nobody to tell */
    fprintf(stderr, "nbreplay: cannot write to standard output: %s\n", strerror(errno));
    return EXIT_FAILURE_RUN;
}

int main(int argc, char **argv) {
    /* A closed pipe (nbreplay run | head) must not kill us mid-write; the
     * write fails with EPIPE instead and we stop quietly. */
    signal(SIGPIPE, SIG_IGN);
    /* under ulimit -v, map OpenBLAS's buffer before the cells take the room */
    nb_blas_reserve();
    if (argc < 2) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "help") == 0 && argc >= 3 && strcmp(argv[2], "help") != 0) { /* help run: run's --help */
        if (argc > 3) {
            fprintf(stderr, "nbreplay help: expected one command, got %d (see nbreplay --help)\n", argc - 2);
            return EXIT_USAGE;
        }
        const Command *command = find_command(argv[2]);
        if (!command) return unknown_command(argv[2]);
        char *help_argv[] = {argv[2], "--help", NULL};
        return flushed(command->main(2, help_argv));
    }
    if (strcmp(name, "-h") == 0 || strcmp(name, "--help") == 0 || strcmp(name, "help") == 0) {
        fputs(usage, stdout);
        return flushed(EXIT_OK);
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) {
        print_version();
        return flushed(EXIT_OK);
    }
    const Command *command = find_command(name);
    if (command) return flushed(command->main(argc - 1, argv + 1));
    return unknown_command(name);
}
