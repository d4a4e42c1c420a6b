/* nbreplay bench: runs the benchmark suite (src/bench.c) and prints one JSON
 * object per benchmark, as tests/bench/reference.py does for PyTorch and
 * NumPy, so tests/bench/compare can put the two side by side. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "error.h"
#include "pyfloat.h"
#include "cli.h"

static const char bench_usage[] =
    "usage: nbreplay bench [--device auto|cpu|cuda] [--full] [--only NAME]...\n"
    "\n"
    "Runs a fixed suite of benchmarks and prints one JSON object per line:\n"
    "{\"name\": ..., \"seconds\": ..., \"iters\": ...}, where seconds is the median\n"
    "time of one iteration after warm-up and iters the iterations timed.\n"
    "tests/bench/compare puts them beside PyTorch's and NumPy's.\n"
    "\n"
    "  --device D   where tensor work runs: auto (default), cpu or cuda\n"
    "  --full       also the benchmarks that take minutes or gigabytes\n"
    "               (gemm_f64_cell9: cell 9's product at the notebook's size)\n"
    "  --only NAME  just this benchmark (repeatable)\n";

#define BENCH_MAX_ONLY 32

static bool selected(const char *name, char *const *only, int nonly) {
    if (nonly == 0) return true;
    for (int i = 0; i < nonly; i++)
        if (strcmp(only[i], name) == 0) return true;
    return false;
}

int cmd_bench(int argc, char **argv) {
    static const struct option long_options[] = {
        {"device", required_argument, NULL, 'd'},
        {"full", no_argument, NULL, 'f'},
        {"only", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    Device device = DEVICE_CPU;
    bool full = false;
    char *only[BENCH_MAX_ONLY];
    int nonly = 0;
    opterr = 0;
    optind = 1;
    int opt, status;
    while ((opt = getopt_long(argc, argv, "h", long_options, NULL)) != -1) {
        switch (opt) {
        case 'h': fputs(bench_usage, stdout); return EXIT_OK;
        case 'f': full = true; break;
        case 'o': {
            bool known = false;
            for (size_t i = 0; i < bench_suite_count; i++)
                if (strcmp(bench_suite[i].name, optarg) == 0) known = true;
            if (!known) return cli_usage_error("bench", "no benchmark named '%s'", optarg);
            if (nonly == BENCH_MAX_ONLY) return cli_usage_error("bench", "too many --only options");
            only[nonly++] = optarg;
            break;
        }
        case 'd':
            if ((status = cli_parse_device("bench", optarg, &device)) != 0) return status;
            break;
        default:
            return cli_option_error("bench", long_options, "h", argv);
        }
    }
    if (optind < argc) return cli_usage_error("bench", "unexpected argument '%s'", argv[optind]);

    StrBuf line = STRBUF_INIT;
    status = EXIT_OK;
    for (size_t i = 0; i < bench_suite_count && status == EXIT_OK; i++) {
        const Benchmark *b = &bench_suite[i];
        if ((b->full_only && !full && nonly == 0) || !selected(b->name, only, nonly)) continue;
        BenchResult result;
        if (bench_measure(b, device, &result) != 0) {
            status = cli_failure("bench %s: %s", b->name, nb_error_message());
            nb_error_clear();
            break;
        }
        nb_strbuf_clear(&line);
        nb_strbuf_printf(&line, "{\"name\": \"%s\", \"seconds\": ", b->name);
        py_float_repr(&line, result.seconds);
        nb_strbuf_printf(&line, ", \"iters\": %lld}\n", (long long)result.iters);
        status = line.failed ? cli_failure("out of memory") : cli_write_stdout(line.data, line.len);
    }
    nb_strbuf_free(&line);
    return status;
}
