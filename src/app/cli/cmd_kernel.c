/* nbreplay kernel: the Jupyter kernel (src/app/kernel, docs/jupyter.md).
 *   nbreplay kernel -f CONNECTION_FILE     what Jupyter runs (kernel.json's argv)
 *   nbreplay kernel install [--user | --prefix DIR]
 *   nbreplay kernel spec [--program P]     kernel.json on stdout (the build installs it) */
#define _GNU_SOURCE /* realpath's buffer */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../kernel/kernel.h"
#include "data_paths.h"
#include "run_file.h"

#ifndef NBREPLAY_VERSION
#define NBREPLAY_VERSION "unknown"
#endif

static const char kernel_usage[] =
    "usage: nbreplay kernel -f CONNECTION_FILE\n"
    "       nbreplay kernel install [--user | --prefix DIR]\n"
    "       nbreplay kernel spec [--program PROGRAM]\n"
    "\n"
    "A Jupyter kernel for C cells on nbreplay's library: each cell is compiled\n"
    "and run as `nbreplay run FILE.c` runs one, in a child process, and prints\n"
    "what PyTorch prints. Magics in comments: //% seed N, //% device cpu|cuda,\n"
    "//% timeout S. See docs/jupyter.md.\n"
    "\n"
    "  -f FILE         serve the kernel Jupyter started (its connection file)\n"
    "  install         write the kernelspec \"C (nbreplay)\" for this nbreplay:\n"
    "                  system-wide (/usr/local/share/jupyter/kernels/nbreplay),\n"
    "    --user        or in your own Jupyter data folder,\n"
    "    --prefix DIR  or in DIR/share/jupyter/kernels/nbreplay\n"
    "  spec            print the kernelspec's kernel.json\n"
    "    --program P   the program it runs (default: this nbreplay, by its path)\n";

/* This executable's own path, for the kernelspec's argv. */
static const char *own_path(char *buf, size_t size) {
    ssize_t n = readlink("/proc/self/exe", buf, size - 1);
    if (n <= 0) return "nbreplay";
    buf[n] = '\0';
    return buf;
}

static int serve(const char *connection_file) {
    KernelConfig config = {.compiler = run_file_default_compiler(), .version = NBREPLAY_VERSION};
    config.ninclude_dirs = data_cell_include_dirs(config.include_dirs, USERCELL_MAX_INCLUDE_DIRS);
    return kernel_serve(connection_file, &config) == 0 ? EXIT_OK : EXIT_FAILURE_RUN;
}

static int install(const char *where, const char *prefix) {
    char dir[PATH_MAX], exe[PATH_MAX];
    if (prefix) {
        snprintf(dir, sizeof dir, "%s/share/jupyter/kernels/nbreplay", prefix);
    } else if (where && strcmp(where, "user") == 0) {
        const char *data = getenv("JUPYTER_DATA_DIR"), *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
        if (data && data[0]) snprintf(dir, sizeof dir, "%s/kernels/nbreplay", data);
        else if (xdg && xdg[0]) snprintf(dir, sizeof dir, "%s/jupyter/kernels/nbreplay", xdg);
        else if (home && home[0]) snprintf(dir, sizeof dir, "%s/.local/share/jupyter/kernels/nbreplay", home);
        else return cli_failure("kernel install --user: neither $JUPYTER_DATA_DIR nor $HOME is set");
    } else {
        snprintf(dir, sizeof dir, "/usr/local/share/jupyter/kernels/nbreplay");
    }
    if (kernel_spec_write(dir, own_path(exe, sizeof exe)) != 0)
        return cli_failure("kernel install: %s: %s", dir, strerror(errno));
    printf("installed the kernelspec \"C (nbreplay)\" in %s\n", dir);
    return EXIT_OK;
}

int cmd_kernel(int argc, char **argv) {
    static const struct option long_options[] = {
        {"connection-file", required_argument, NULL, 'f'},
        {"user", no_argument, NULL, 'u'},
        {"prefix", required_argument, NULL, 'p'},
        {"program", required_argument, NULL, 'P'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *connection = NULL, *prefix = NULL, *program = NULL;
    bool user = false;
    opterr = 0;
    optind = 0;
    int opt;
    while ((opt = getopt_long(argc, argv, "hf:", long_options, NULL)) != -1) {
        switch (opt) {
        case 'h': fputs(kernel_usage, stdout); return EXIT_OK;
        case 'f': connection = optarg; break;
        case 'u': user = true; break;
        case 'p': prefix = optarg; break;
        case 'P': program = optarg; break;
        default:
            return cli_usage_error("kernel", "unknown option or missing value in '%s'", argv[optind - 1]);
        }
    }
    const char *action = optind < argc ? argv[optind] : NULL;
    if (argc - optind > 1) return cli_usage_error("kernel", "unexpected '%s'", argv[optind + 1]);
    if (connection) {
        if (action || user || prefix || program)
            return cli_usage_error("kernel", "-f FILE takes nothing beside it");
        return serve(connection);
    }
    if (action && strcmp(action, "install") == 0) {
        if (user && prefix) return cli_usage_error("kernel", "install takes --user or --prefix DIR, not both");
        if (program) return cli_usage_error("kernel", "install names this nbreplay; --program is for spec");
        return install(user ? "user" : NULL, prefix);
    }
    if (action && strcmp(action, "spec") == 0) {
        if (user || prefix) return cli_usage_error("kernel", "spec takes --program P alone");
        char exe[PATH_MAX];
        char *text = kernel_spec_json(program ? program : own_path(exe, sizeof exe));
        if (!text) return cli_failure("out of memory");
        int status = cli_write_stdout(text, strlen(text));
        free(text);
        return status;
    }
    if (action) return cli_usage_error("kernel", "unknown action '%s' (expected install or spec)", action);
    return cli_usage_error("kernel", "expected -f CONNECTION_FILE, install or spec");
}
