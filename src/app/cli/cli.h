/* cli: what the subcommands share: exit codes, usage errors, option
 * parsing helpers and writing to stdout. */
#ifndef NB_CLI_H
#define NB_CLI_H

#include <stdbool.h>
#include <stdint.h>

#include "../../cells/registry.h"
#include "strbuf.h"
#include "tensor.h"

enum {
    EXIT_OK = 0,
    EXIT_FAILURE_RUN = 1, /* a cell failed, verify found a difference, bad file */
    EXIT_USAGE = 2,       /* the command line itself is wrong */
};

#define CLI_MAX_CELLS 64
#define CLI_MAX_PARAMS 16

/* Prints "nbreplay CMD: MESSAGE (see nbreplay CMD --help)" to stderr and
 * returns EXIT_USAGE. */
int cli_usage_error(const char *command, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints "nbreplay: MESSAGE" to stderr and returns EXIT_FAILURE_RUN. */
int cli_failure(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* After getopt_long returned '?' (opterr = 0): reports which option was
 * wrong: "--seed needs a value", "--help takes no value", or "unknown option
 * '--sed'; did you mean '--seed'?". Returns EXIT_USAGE. */
struct option;
int cli_option_error(const char *command, const struct option *long_options, const char *short_options,
                     char *const *argv);
/* The cell named `text` or a suggestion: "unknown cell 'bmn'; did you mean
 * 'bmm'?" (with 'nbreplay list' when nothing is near) into buf. */
const char *cli_unknown_cell_message(const char *text, char *buf, size_t size);

/* Resolves CELL arguments (numbers or names); no arguments selects every
 * cell. Returns the count, or -1 after reporting a usage error. */
int cli_select_cells(const char *command, int argc, char *const *argv, const Cell **cells);
/* --device auto|cpu|cuda (cuda:0 too); returns 0 or an exit code after
 * reporting: cuda without CUDA in the build or without a usable device is
 * one line on stderr and EXIT_FAILURE_RUN. */
int cli_parse_device(const char *command, const char *text, Device *device);
/* --device auto, the default: CUDA when a device is usable, else the CPU. */
Device cli_default_device(void);
/* --seed N; returns 0 or an exit code after reporting. */
int cli_parse_seed(const char *command, const char *text, uint32_t *seed);

/* Writes text to stdout and flushes; a closed pipe ends quietly. Returns 0
 * or EXIT_FAILURE_RUN after reporting. */
int cli_write_stdout(const char *text, size_t len);

/* "cell 3 (add)"; "cell differentiability" for a cell of our own (number 0) */
const char *cli_cell_label(const Cell *cell, char *buf, size_t size);

int cmd_list(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_print(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_lesson(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_regen(int argc, char **argv);
/* a cell of the user's own (run_file.h has `run FILE.c`) */
int cmd_edit(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_new(int argc, char **argv);
/* the Jupyter kernel (src/app/kernel) */
int cmd_kernel(int argc, char **argv);

#endif
