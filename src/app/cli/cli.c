/* cli: shared helpers of the subcommands. */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "gpu.h"
#include "rng.h"

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

Device cli_default_device(void) {
    /* as the notebook's cell 1 does: the GPU when torch.cuda.is_available() */
    if (nb_gpu_probe(NULL) == 0) return DEVICE_CUDA;
    nb_error_clear();
    return DEVICE_CPU;
}

int cli_parse_device(const char *command, const char *text, Device *device) {
    if (strcmp(text, "cpu") == 0) {
        *device = DEVICE_CPU;
        return 0;
    }
    if (strcmp(text, "auto") == 0) {
        *device = cli_default_device();
        return 0;
    }
    if (strcmp(text, "cuda") != 0 && strncmp(text, "cuda:", 5) != 0)
        return cli_usage_error(command, "unknown device '%s' (expected auto, cpu or cuda)", text);
    if (!nb_gpu_compiled())
        return cli_failure("--device %s: this nbreplay was built without CUDA support", text);
    if (strcmp(text, "cuda") != 0 && strcmp(text, "cuda:0") != 0)
        return cli_failure("--device %s: only device 0 (cuda or cuda:0) is supported", text);
    if (nb_gpu_probe(NULL) != 0) {
        int status = cli_failure("--device %s: %s", text, nb_error_message());
        nb_error_clear();
        return status;
    }
    *device = DEVICE_CUDA;
    return 0;
}

int cli_parse_seed(const char *command, const char *text, uint32_t *seed) {
    if (nb_rng_parse_seed(text, seed) == 0) return 0;
    int status = cli_usage_error(command, "--seed %s: %s", text, nb_error_message());
    nb_error_clear();
    return status;
}

int cli_write_stdout(const char *text, size_t len) {
    if ((len == 0 || fwrite(text, 1, len, stdout) == len) && fflush(stdout) == 0) return 0;
    if (errno == EPIPE) return EXIT_FAILURE_RUN; /* the reader left: nothing to report */
    return cli_failure("cannot write to standard output: %s", strerror(errno));
}

const char *cli_cell_label(const Cell *cell, char *buf, size_t size) {
    if (cell->number == 0) /* a cell of our own: no execution count to show */
        snprintf(buf, size, "cell %s", cell->name);
    else
        snprintf(buf, size, "cell %d (%s)", cell->number, cell->name);
    return buf;
}
