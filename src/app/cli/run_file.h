/* run_file: a user's cell file (FILE.c) compiled and run in a child
 * (src/app/usercell), for `nbreplay run FILE.c`, `edit` and `check`. */
#ifndef NB_RUN_FILE_H
#define NB_RUN_FILE_H

#include <stdbool.h>

#include "../usercell/usercell.h"
#include "cli.h"

/* Exit codes beyond cli.h's, for a user's cell (docs/bad-input.md). */
enum {
    EXIT_CELL_COMPILE_ERROR = 3, /* the cell did not compile */
    EXIT_CELL_CRASHED = 4,       /* a signal, abort(), a failed assert, exit() */
    EXIT_CELL_TIMED_OUT = 5,     /* ran past --timeout */
    EXIT_NO_PYTORCH = 77,        /* check: no PyTorch to compare with */
    EXIT_INTERRUPTED = 130,      /* Ctrl-C stopped the cell */
};

typedef struct RunFileOptions {
    uint32_t seed;
    Device device;
    bool device_given;
    double timeout_s;
    UserCellCompiler compiler;
} RunFileOptions;

/* Whether a `run` argument names a file of C rather than a cell. */
bool run_file_is_path(const char *arg);

/* Reads and runs the file; returns 0 with *result filled (free it), or an
 * exit code after reporting a file that cannot be read. */
int run_file(const char *path, const RunFileOptions *options, UserCellResult *result);

/* Prints the result as `run` does: what the cell printed on stdout; the
 * compiler's diagnostics, the error or why it stopped on stderr, one line
 * "PATH: the cell crashed: segmentation fault" and, when the output is
 * cut short, a line saying so. Returns the exit code. */
int run_file_report(const char *path, const UserCellResult *result);

/* --timeout SECONDS; returns 0 or an exit code after reporting. */
int run_file_parse_timeout(const char *command, const char *text, double *seconds);
/* --compiler tcc|cc (default: $NBREPLAY_CELL_COMPILER, else tcc when built in). */
int run_file_parse_compiler(const char *command, const char *text, UserCellCompiler *compiler);
UserCellCompiler run_file_default_compiler(void);

/* nbreplay run FILE.c [--seed N] [--device D] [--timeout S] [--compiler C] */
int cmd_run_file(int argc, char **argv);

#endif
