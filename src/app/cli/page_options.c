/* page_options: option parsing shared by show and lesson. */
#include "page_options.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "../present/term.h"
#include "cli.h"

int cli_parse_page_options(const char *command, const char *usage, int argc, char **argv,
                           CellPageOptions *options, CliParams *params) {
    static const struct option long_options[] = {
        {"seed", required_argument, NULL, 's'},  {"device", required_argument, NULL, 'd'},
        {"width", required_argument, NULL, 'w'}, {"color", required_argument, NULL, 'c'},
        {"colour", required_argument, NULL, 'c'}, {"param", required_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    *options = (CellPageOptions){.seed = 0};
    TermColorChoice color = TERM_COLOR_AUTO;
    int width = 0, opt, status;
    bool device_given = false;
    params->n = 0;
    opterr = 0;
    optind = 0; /* 0, not 1: glibc then also forgets a previous argv */
    while ((opt = getopt_long(argc, argv, "h", long_options, NULL)) != -1) {
        switch (opt) {
        case 'h': fputs(usage, stdout); return EXIT_OK;
        case 's':
            if ((status = cli_parse_seed(command, optarg, &options->seed)) != 0) return status;
            break;
        case 'd':
            if ((status = cli_parse_device(command, optarg, &options->device)) != 0) return status;
            device_given = true;
            break;
        case 'w': {
            char *end;
            errno = 0;
            long w = strtol(optarg, &end, 10);
            if (end == optarg || *end != '\0' || errno == ERANGE || w < 40 || w > 1000)
                return cli_usage_error(command, "--width must be a number of columns from 40 to 1000, got '%s'",
                                       optarg);
            width = (int)w;
            break;
        }
        case 'p':
            if ((status = cli_params_add(command, params, optarg)) != 0) return status;
            break;
        case 'c':
            if (!term_parse_color(optarg, &color))
                return cli_usage_error(command, "--color must be auto, always or never, got '%s'", optarg);
            break;
        default:
            return cli_option_error(command, long_options, "h", argv);
        }
    }
    if (!device_given) options->device = cli_default_device();
    options->color = term_use_color(color);
    options->width = term_width(width);
    return -1;
}
