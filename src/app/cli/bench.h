/* bench: the fixed benchmark suite of `nbreplay bench`, and how one
 * benchmark is timed. tests/bench/reference.py times the same names the same
 * way with PyTorch and NumPy, so the two sets of numbers compare
 * (tests/bench/compare; docs/performance.md). */
#ifndef NB_BENCH_H
#define NB_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "run.h"
#include "tensor.h"

/* What a benchmark's iterations work on: inputs made once by its setup, and
 * a Run for the notebook helpers (its generator and output buffer). */
typedef struct BenchState {
    Device device;
    Run run;
    Tensor *a, *b;
} BenchState;

typedef struct Benchmark {
    const char *name;
    bool full_only; /* only with --full: minutes or gigabytes */
    /* Makes the inputs; they live until the benchmark ends. 0 or -1. */
    int (*setup)(BenchState *state);
    /* One iteration. Whatever it makes is freed right after it, as Python
     * frees a result that a loop's next iteration replaces. 0 or -1. */
    int (*iterate)(BenchState *state);
} Benchmark;

extern const Benchmark bench_suite[];
extern const size_t bench_suite_count;

typedef struct BenchResult {
    double seconds; /* median time of one iteration */
    int64_t iters;  /* iterations timed, warm-up not counted */
} BenchResult;

/* Sets up, warms up, then times samples of back-to-back iterations, each
 * sample long enough for the clock (see bench.c). Returns 0, or -1 with
 * error.h set. */
int bench_measure(const Benchmark *benchmark, Device device, BenchResult *result);

#endif
