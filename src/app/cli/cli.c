/* cli: shared helpers of the subcommands. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "gpu.h"
#include "rng.h"
#include "suggest.h"

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
            char message[256];
            cli_usage_error(command, "%s", cli_unknown_cell_message(argv[i], message, sizeof message));
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

const char *cli_unknown_cell_message(const char *text, char *buf, size_t size) {
    const char *names[CLI_MAX_CELLS];
    size_t n = 0;
    for (size_t i = 0; i < cell_registry_count && n < CLI_MAX_CELLS; i++) names[n++] = cell_registry[i]->name;
    const char *near = suggest_nearest(text, names, n);
    if (near)
        snprintf(buf, size, "unknown cell '%s'; did you mean '%s'?", text, near);
    else
        snprintf(buf, size, "unknown cell '%s'; 'nbreplay list' shows the cells", text);
    return buf;
}

int cli_option_error(const char *command, const struct option *long_options, const char *short_options,
                     char *const *argv) {
    const char *arg = argv[optind - 1];
    if (strncmp(arg, "--", 2) == 0) {
        size_t len = strcspn(arg + 2, "=");
        bool has_value = arg[2 + len] == '=';
        /* exact name, or the one long option it abbreviates */
        const struct option *match = NULL;
        int prefixed = 0;
        for (const struct option *o = long_options; o->name; o++) {
            if (strlen(o->name) == len && strncmp(o->name, arg + 2, len) == 0) {
                match = o;
                prefixed = 1;
                break;
            }
            if (strncmp(o->name, arg + 2, len) == 0) {
                match = o;
                prefixed++;
            }
        }
        if (match && prefixed == 1) {
            if (match->has_arg == required_argument && !has_value)
                return cli_usage_error(command, "--%s needs a value", match->name);
            if (match->has_arg == no_argument && has_value)
                return cli_usage_error(command, "--%s takes no value", match->name);
        }
        if (prefixed > 1) return cli_usage_error(command, "option '%.*s' is ambiguous", (int)len + 2, arg);
        char word[80];
        snprintf(word, sizeof word, "%.*s", (int)(len < 70 ? len : 70), arg + 2);
        const char *names[64];
        size_t n = 0;
        for (const struct option *o = long_options; o->name && n < 64; o++) names[n++] = o->name;
        const char *near = suggest_nearest(word, names, n);
        if (near) return cli_usage_error(command, "unknown option '--%s'; did you mean '--%s'?", word, near);
        return cli_usage_error(command, "unknown option '--%s'", word);
    }
    if (optopt != 0) {
        const char *at = short_options ? strchr(short_options, optopt) : NULL;
        if (at && at[1] == ':') return cli_usage_error(command, "-%c needs a value", optopt);
        return cli_usage_error(command, "unknown option '-%c'", optopt);
    }
    return cli_usage_error(command, "unknown option '%s'", arg);
}
