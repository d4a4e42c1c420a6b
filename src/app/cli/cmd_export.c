/* nbreplay export: the notebook, with the outputs nbreplay printed, as a
 * Jupyter notebook, Markdown or a self-contained HTML page. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "../present/atomic_file.h"
#include "../present/export.h"
#include "cli.h"
#include "param_args.h"

static const char export_usage[] =
    "usage: nbreplay export [-f ipynb|md|html] -o FILE [CELL...] [--seed N]\n"
    "                       [--device auto|cpu|cuda] [--param NAME=VALUE]...\n"
    "\n"
    "Runs the cells (all of them when none is given) and writes the notebook\n"
    "with what they printed:\n"
    "\n"
    "  ipynb   a Jupyter notebook (nbformat 4): narrative Markdown cells and\n"
    "          Python code cells with their outputs, In [n] as in the original\n"
    "  md      the same as one Markdown file\n"
    "  html    one self-contained page: narrative, mathematics (KaTeX, inlined),\n"
    "          code, outputs and charts; it loads nothing from the network\n"
    "\n"
    "  -f, --format F  ipynb, md or html; may be left out when FILE ends in\n"
    "               .ipynb, .md or .html, and must agree with such an ending\n"
    "  --ipynb, --md, --html  the same as --format ipynb, md, html\n"
    "  -o FILE      where to write ('-': standard output, with a format given\n"
    "               by -f or --ipynb/--md/--html). The file is written\n"
    "               whole or not at all: an existing FILE is replaced only once\n"
    "               the new one is complete.\n"
    "  --seed N     np.random.seed(N) right before each cell (default 0)\n"
    "  --device D   where tensor work runs: auto (default), cpu or cuda\n"
    "  --param N=V  set a parameter of the cell that declares N (as run does),\n"
    "               e.g. --param K=2000 for a quicker timing cell\n"
    "  --kernel nbreplay  ipynb: C code cells (each cell's body) for nbreplay's\n"
    "               Jupyter kernel, \"C (nbreplay)\", instead of the Python ones\n";

typedef int (*ExportWriter)(StrBuf *out, const ExportDoc *doc);

static const struct {
    const char *name;
    const char *extension;
    ExportWriter write;
} formats[] = {
    {"ipynb", ".ipynb", export_ipynb},
    {"md", ".md", export_markdown},
    {"html", ".html", export_html},
    {"html", ".htm", export_html},
};
#define NFORMATS (sizeof formats / sizeof formats[0])

static bool ends_with(const char *text, const char *suffix) {
    size_t n = strlen(text), m = strlen(suffix);
    return n >= m && strcmp(text + n - m, suffix) == 0;
}

static ExportWriter find_format(const char *format, const char *output) {
    for (size_t i = 0; i < NFORMATS; i++)
        if (format ? strcmp(format, formats[i].name) == 0 : ends_with(output, formats[i].extension))
            return formats[i].write;
    return NULL;
}

/* The format FILE's ending names (NULL for none we know): JSON must not
 * land quietly in a .html file. */
static int format_of_suffix(const char *output) {
    for (size_t i = 0; i < NFORMATS; i++)
        if (ends_with(output, formats[i].extension)) return (int)i;
    return -1;
}

int cmd_export(int argc, char **argv) {
    static const struct option long_options[] = {
        {"format", required_argument, NULL, 'f'}, {"output", required_argument, NULL, 'o'},
        {"seed", required_argument, NULL, 's'},   {"param", required_argument, NULL, 'p'},
        {"device", required_argument, NULL, 'd'}, {"help", no_argument, NULL, 'h'},
        {"ipynb", no_argument, NULL, 'I'},        {"md", no_argument, NULL, 'M'},
        {"html", no_argument, NULL, 'H'},         {"kernel", required_argument, NULL, 'k'},
        {NULL, 0, NULL, 0},
    };
    const char *format = NULL, *output = NULL, *kernel = NULL;
    uint32_t seed = 0;
    Device device = DEVICE_CPU;
    bool device_given = false;
    CliParams params = {.n = 0};
    opterr = 0;
    optind = 0; /* 0, not 1: glibc then also forgets a previous argv */
    int opt, status;
    while ((opt = getopt_long(argc, argv, "ho:f:", long_options, NULL)) != -1) {
        switch (opt) {
        case 'h': fputs(export_usage, stdout); return EXIT_OK;
        case 'f': format = optarg; break;
        case 'I': format = "ipynb"; break;
        case 'M': format = "md"; break;
        case 'H': format = "html"; break;
        case 'o': output = optarg; break;
        case 's':
            if ((status = cli_parse_seed("export", optarg, &seed)) != 0) return status;
            break;
        case 'p':
            if ((status = cli_params_add("export", &params, optarg)) != 0) return status;
            break;
        case 'd':
            if ((status = cli_parse_device("export", optarg, &device)) != 0) return status;
            device_given = true;
            break;
        case 'k':
            if (strcmp(optarg, "nbreplay") != 0)
                return cli_usage_error("export", "--kernel expects nbreplay, got '%s'", optarg);
            kernel = optarg;
            break;
        default:
            return cli_option_error("export", long_options, "ho:f:", argv);
        }
    }
    if (!output) return cli_usage_error("export", "expected -o FILE");
    ExportWriter write = find_format(format, output);
    if (!write && format)
        return cli_usage_error("export", "unknown format '%s' (expected ipynb, md or html)", format);
    if (!write && strcmp(output, "-") == 0)
        return cli_usage_error("export", "-o - needs a format: give -f ipynb|md|html (or --ipynb, --md, --html)");
    if (!write) return cli_usage_error("export", "give --format: '%s' does not end in .ipynb, .md or .html", output);
    if (kernel && write != export_ipynb) return cli_usage_error("export", "--kernel is for --format ipynb");
    int suffix = format_of_suffix(output);
    if (format && suffix >= 0 && strcmp(format, formats[suffix].name) != 0)
        return cli_usage_error("export", "--format %s, but '%s' ends in %s; name the file to match or leave out "
                                         "--format", format, output, formats[suffix].extension);
    const Cell *cells[CLI_MAX_CELLS];
    int ncells = cli_select_cells("export", argc - optind, argv + optind, cells);
    if (ncells < 0) return EXIT_USAGE;
    if ((status = cli_params_check("export", &params, cells, ncells)) != 0) return status;

    if (!device_given) device = cli_default_device();
    RunOptions options[CLI_MAX_CELLS];
    RunParamArg own[CLI_MAX_CELLS][CLI_MAX_PARAMS];
    for (int c = 0; c < ncells; c++)
        options[c] = (RunOptions){.seed = seed, .device = device, .params = own[c],
                                  .nparams = cli_params_for(&params, cells[c], own[c])};
    ExportDoc doc;
    if (export_doc_run(&doc, cells, options, (size_t)ncells) != 0) {
        status = cli_failure("%s; nothing written", nb_error_message());
        nb_error_clear();
        return status;
    }
    doc.kernel = kernel;
    StrBuf text = STRBUF_INIT;
    if (write(&text, &doc) != 0 || text.failed) {
        status = cli_failure("out of memory; nothing written");
    } else if (strcmp(output, "-") == 0) {
        status = cli_write_stdout(text.data, text.len);
    } else if (atomic_write_file(output, text.data, text.len) != 0) {
        status = cli_failure("%s", nb_error_message());
    } else {
        status = EXIT_OK;
    }
    nb_error_clear();
    nb_strbuf_free(&text);
    export_doc_free(&doc);
    return status;
}
