/* bench: the benchmark bodies and the timing loop.
 *
 * Each body does what the Python in tests/bench/reference.py does under the
 * same name, through the same calls a cell makes. Timing policy (mirrored
 * there): warm up for at least 2 iterations and 0.2 s (one iteration when
 * it alone takes a second); then time samples of `batch` back-to-back
 * iterations, batch chosen so a sample lasts at least 2 ms, until 1 s and 5
 * samples have passed (3 samples for iterations over a second, at most
 * 1000); report the median sample divided by its batch. */
#include "bench.h"

#include <stdlib.h>

#include "notebook.h"
#include "autograd.h"
#include "error.h"
#include "print.h"
#include "stopwatch.h"

#define ELEMENTS_1E7 10000000

/* ---- inputs ---- */

/* np.random.normal(0, 1, n) as a tensor of `dtype` on the benchmark's device. */
static Tensor *normal_tensor(BenchState *s, Shape shape, DType dtype) {
    Tensor *array = np_random_normal(&s->run, 0, 1, shape);
    return tensor_to_dtype(torch_tensor_from_numpy(&s->run, array), dtype);
}

/* torch.tensor(np.random.choice([float(i) for i in range(10)], size=shape)) */
static Tensor *choice_tensor(BenchState *s, Shape shape) {
    return torch_tensor_from_numpy(&s->run, np_random_choice(&s->run, float_range(10), shape));
}

static int status_of(const void *made) { return made ? 0 : -1; }

/* ---- GEMM ---- */

static int setup_gemm_4000(BenchState *s) {
    s->a = normal_tensor(s, SHAPE(4000, 1000), DTYPE_FLOAT64);
    s->b = normal_tensor(s, SHAPE(1000, 4000), DTYPE_FLOAT64);
    return status_of(s->b);
}

/* Cell 9's arrays at the notebook's size: 2 GB of X. */
static int setup_gemm_cell9(BenchState *s) {
    s->a = normal_tensor(s, SHAPE(25000, 10000), DTYPE_FLOAT64);
    s->b = normal_tensor(s, SHAPE(10000, 1000), DTYPE_FLOAT64);
    return status_of(s->b);
}

static int iterate_matmul(BenchState *s) { return status_of(tensor_matmul(s->a, s->b)); }

/* ---- one op on 10**7 elements ---- */

static int setup_two_f64(BenchState *s) {
    s->a = normal_tensor(s, SHAPE(ELEMENTS_1E7), DTYPE_FLOAT64);
    s->b = normal_tensor(s, SHAPE(ELEMENTS_1E7), DTYPE_FLOAT64);
    return status_of(s->b);
}

static int setup_one_f64(BenchState *s) {
    s->a = normal_tensor(s, SHAPE(ELEMENTS_1E7), DTYPE_FLOAT64);
    return status_of(s->a);
}

static int setup_one_f32(BenchState *s) {
    s->a = normal_tensor(s, SHAPE(ELEMENTS_1E7), DTYPE_FLOAT32);
    return status_of(s->a);
}

static int iterate_add(BenchState *s) { return status_of(tensor_add(s->a, s->b)); }
static int iterate_mul_scalar(BenchState *s) { return status_of(tensor_mul(s->a, py_float(5.))); }
static int iterate_sin(BenchState *s) { return status_of(tensor_sin(s->a)); }
static int iterate_exp(BenchState *s) { return status_of(tensor_exp(s->a)); }
static int iterate_sum(BenchState *s) { return status_of(tensor_sum(s->a)); }
/* a.clone(): the copy whose bandwidth the elementwise ops are held to on a GPU */
static int iterate_copy(BenchState *s) { return status_of(tensor_clone(s->a)); }

/* ---- the notebook's small products ---- */

static int setup_cell7(BenchState *s) {
    s->a = choice_tensor(s, SHAPE(5, 3, 2));
    s->b = choice_tensor(s, SHAPE(5, 2, 4));
    return status_of(s->b);
}

static int iterate_bmm(BenchState *s) { return status_of(tensor_bmm(s->a, s->b)); }

static int setup_cell8(BenchState *s) {
    s->a = choice_tensor(s, SHAPE(10, 5, 3, 2, 4));
    s->b = choice_tensor(s, SHAPE(4, 10));
    return status_of(s->b);
}

/* ---- autograd: cell 14's graph and both backward passes ---- */

static int setup_nothing(BenchState *s) {
    (void)s;
    return 0;
}

static int iterate_autograd_cell14(BenchState *s) {
    (void)s;
    Tensor *x = tensor_requires_grad_(torch_tensor("[1.,2.,3.]"), true);
    Tensor *y = tensor_add(tensor_add(tensor_pow(tensor_at(x, 0), py_int(1)),
                                      tensor_pow(tensor_at(x, 1), py_int(2))),
                           tensor_pow(tensor_at(x, 2), py_int(3)));
    Tensor *z = tensor_sin(y);
    Tensor *u = tensor_log(tensor_add(py_int(1), z));
    Tensor *w = tensor_exp(tensor_neg(u));
    if (tensor_backward(w, NULL, true) != 0) return -1;
    return tensor_backward(u, NULL, false);
}

/* ---- loop_small_ops: a tiny model step, 10,000 times ---- */

#define SMALL_OPS_STEPS 10000

/* x 4x3 and w 3x2 (requiring grad), float32, normal(0,1) data */
static int setup_small_ops(BenchState *s) {
    s->a = normal_tensor(s, SHAPE(4, 3), DTYPE_FLOAT32);
    s->b = tensor_requires_grad_(normal_tensor(s, SHAPE(3, 2), DTYPE_FLOAT32), true);
    return status_of(s->b);
}

/* y = torch.relu(x @ w).sum(); y.backward(); w.grad.zero_(), each step in
 * its own scope, as a user's training loop would write it. */
static int iterate_small_ops(BenchState *s) {
    for (int i = 0; i < SMALL_OPS_STEPS; i++) {
        TensorScope *scope = tensor_scope_open();
        Tensor *y = tensor_sum(tensor_relu(tensor_matmul(s->a, s->b)));
        int status = scope && tensor_backward(y, NULL, false) == 0 && tensor_zero_grad(s->b) ? 0 : -1;
        tensor_scope_close(scope);
        if (status != 0) return -1;
    }
    return 0;
}

/* ---- NumPy's generator ---- */

static int iterate_normal(BenchState *s) {
    return status_of(np_random_normal(&s->run, 0, 1, SHAPE(ELEMENTS_1E7)));
}

static int iterate_choice(BenchState *s) {
    return status_of(np_random_choice(&s->run, float_range(10), SHAPE(1000000)));
}

/* ---- printing: str(t) of 1000 float32 values, all shown ---- */

static int setup_print(BenchState *s) {
    s->a = normal_tensor(s, SHAPE(1000), DTYPE_FLOAT32);
    return status_of(s->a);
}

static int iterate_print(BenchState *s) {
    nb_strbuf_clear(&s->run.out);
    return tensor_format(&s->run.out, s->a, &s->run.print_options);
}

const Benchmark bench_suite[] = {
    {"gemm_f64_4000x4000x1000", false, setup_gemm_4000, iterate_matmul},
    {"gemm_f64_cell9", true, setup_gemm_cell9, iterate_matmul},
    {"add_f64_1e7", false, setup_two_f64, iterate_add},
    {"mul_scalar_f64_1e7", false, setup_one_f64, iterate_mul_scalar},
    {"sin_f32_1e7", false, setup_one_f32, iterate_sin},
    {"exp_f64_1e7", false, setup_one_f64, iterate_exp},
    {"sum_f64_1e7", false, setup_one_f64, iterate_sum},
    {"copy_f64_1e7", false, setup_one_f64, iterate_copy},
    {"bmm_cell7", false, setup_cell7, iterate_bmm},
    {"matmul_cell8", false, setup_cell8, iterate_matmul},
    {"autograd_cell14", false, setup_nothing, iterate_autograd_cell14},
    {"normal_1e7", false, setup_nothing, iterate_normal},
    {"choice_1e6", false, setup_nothing, iterate_choice},
    {"print_f32_1000", false, setup_print, iterate_print},
    {"loop_small_ops", false, setup_small_ops, iterate_small_ops},
};
const size_t bench_suite_count = sizeof bench_suite / sizeof bench_suite[0];

/* ---- timing ---- */

#define WARMUP_MIN_SECONDS 0.2
#define SAMPLE_MIN_SECONDS 0.002
#define MEASURE_MIN_SECONDS 1.0
#define SAMPLES_MIN 5
#define SAMPLES_MIN_SLOW 3 /* for iterations over a second */
#define SAMPLES_MAX 1000

/* Runs `count` iterations, each in its own scope; returns the seconds taken
 * or -1 on error. */
static double run_iterations(const Benchmark *b, BenchState *s, int64_t count) {
    double start = stopwatch_perf_counter();
    for (int64_t i = 0; i < count; i++) {
        TensorScope *scope = tensor_scope_open();
        int status = scope ? b->iterate(s) : -1;
        tensor_scope_close(scope);
        if (status != 0 || nb_error_pending()) return -1;
    }
    stopwatch_sync(s->device);
    return stopwatch_perf_counter() - start;
}

static int compare_doubles(const void *x, const void *y) {
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

static int measure(const Benchmark *b, BenchState *s, BenchResult *result) {
    int64_t warm = 0;
    double warm_seconds = 0;
    while (warm < 2 && !(warm == 1 && warm_seconds >= 1.0)) {
        double t = run_iterations(b, s, 1);
        if (t < 0) return -1;
        warm++;
        warm_seconds += t;
    }
    while (warm_seconds < WARMUP_MIN_SECONDS) {
        double t = run_iterations(b, s, warm);
        if (t < 0) return -1;
        warm_seconds += t;
        warm *= 2;
    }
    double per_iteration = warm_seconds / (double)warm;
    int64_t batch = per_iteration >= SAMPLE_MIN_SECONDS ? 1 : (int64_t)(SAMPLE_MIN_SECONDS / per_iteration) + 1;
    int samples_min = per_iteration > 1.0 ? SAMPLES_MIN_SLOW : SAMPLES_MIN;

    static double samples[SAMPLES_MAX];
    int n = 0;
    double total = 0;
    while (n < SAMPLES_MAX && (n < samples_min || (total < MEASURE_MIN_SECONDS && per_iteration <= 1.0))) {
        double t = run_iterations(b, s, batch);
        if (t < 0) return -1;
        samples[n++] = t / (double)batch;
        total += t;
    }
    qsort(samples, (size_t)n, sizeof samples[0], compare_doubles);
    result->seconds = n % 2 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2;
    result->iters = (int64_t)n * batch;
    return 0;
}

int bench_measure(const Benchmark *b, Device device, BenchResult *result) {
    BenchState state = {.device = device};
    state.run.device = device;
    state.run.print_options = PRINT_OPTIONS_DEFAULT;
    nb_rng_seed(&state.run.rng, 0);
    TensorScope *scope = tensor_scope_open();
    int status = scope ? b->setup(&state) : -1;
    if (status == 0 && nb_error_pending()) status = -1;
    if (status == 0) status = measure(b, &state, result);
    tensor_scope_close(scope);
    nb_strbuf_free(&state.run.out);
    return status;
}
