/* cli: shared helpers of the subcommands. */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../error.h"
#include "../rng.h"

int cli_usage_error(const char *command, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "nbreplay %s: ", command);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, " (see nbreplay %s --help)\n", command);
    va_end(ap);
    return EXIT_USAGE;
}

int cli_failure(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "nbreplay: ");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return EXIT_FAILURE_RUN;
}

int cli_select_cells(const char *command, int argc, char *const *argv, const Cell **cells) {
    if (argc == 0) {
        for (size_t i = 0; i < cell_registry_count; i++) cells[i] = cell_registry[i];
        return (int)cell_registry_count;
    }
    if (argc > CLI_MAX_CELLS) {
        cli_usage_error(command, "too many cells (at most %d)", CLI_MAX_CELLS);
        return -1;
    }
    for (int i = 0; i < argc; i++) {
        const Cell *cell = cell_find(argv[i]);
        if (!cell) {
            cli_usage_error(command, "unknown cell '%s'; 'nbreplay list' shows the cells", argv[i]);
            return -1;
        }
        for (int j = 0; j < i; j++)
            if (cells[j] == cell) {
                cli_usage_error(command, "cell %d (%s) is named twice", cell->number, cell->name);
                return -1;
            }
        cells[i] = cell;
    }
    return argc;
}

int cli_parse_device(const char *command, const char *text, Device *device) {
    if (strcmp(text, "cpu") == 0 || strcmp(text, "auto") == 0) {
        /* auto picks a GPU when one is usable; this build has no CUDA backend */
        *device = DEVICE_CPU;
        return 0;
    }
    if (strcmp(text, "cuda") == 0 || strncmp(text, "cuda:", 5) == 0)
        return cli_failure("--device %s: this nbreplay was built without CUDA support", text);
    return cli_usage_error(command, "unknown device '%s' (expected auto, cpu or cuda)", text);
}

int cli_parse_seed(const char *command, const char *text, uint32_t *seed) {
    if (rng_parse_seed(text, seed) == 0) return 0;
    int status = cli_usage_error(command, "--seed %s: %s", text, error_message());
    error_clear();
    return status;
}

int cli_write_stdout(const char *text, size_t len) {
    if ((len == 0 || fwrite(text, 1, len, stdout) == len) && fflush(stdout) == 0) return 0;
    if (errno == EPIPE) return EXIT_FAILURE_RUN; /* the reader left: nothing to report */
    return cli_failure("cannot write to standard output: %s", strerror(errno));
}

const char *cli_cell_label(const Cell *cell, char *buf, size_t size) {
    snprintf(buf, size, "cell %d (%s)", cell->number, cell->name);
    return buf;
}
