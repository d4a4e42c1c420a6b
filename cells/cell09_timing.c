/* In [9]: times a KxL by LxM float64 product as np.matmul and as a tensor
 * product on the run's device; prints both times (docs/performance.md).
 *
 * A CUDA launch returns before the kernel runs, so the notebook's time.time()
 * around torch.matmul times the launch. The device time here ends with
 * stopwatch_device_time, which waits for the device: a GPU backend fixes the
 * number by providing Backend.synchronize, with no change to this file.
 *
 * Memory: torch.tensor(X) copies, but nothing writes X or XT later and
 * XT.to('cpu') is XT, so on the CPU the tensors share the arrays. The
 * np.matmul result is dropped at once, as Python drops it. Peak: X + Y + one
 * product, checked against MemAvailable before anything is drawn. */
#include "error.h"
#include "meminfo.h"
#include "progress.h"
#include "stopwatch.h"
#include "cell_text.h"
#include "notebook.h"

static const CellParam cell09_params[] = {
    {"K", 25000, 1, "rows of X"},
    {"L", 10000, 1, "columns of X, rows of Y"},
    {"M", 1000, 1, "columns of Y"},
};

static int check_sizes(uint64_t K, uint64_t L, uint64_t M) {
    uint64_t x, y, z, sum, bytes;
    if (__builtin_mul_overflow(K, L, &x) || __builtin_mul_overflow(L, M, &y) ||
        __builtin_mul_overflow(K, M, &z) || __builtin_add_overflow(x, y, &sum) ||
        __builtin_add_overflow(sum, z, &sum) || __builtin_mul_overflow(sum, 8u, &bytes))
        return nb_error_set(ERR_NOMEM, "X, Y and X@Y need more than 2**64 bytes");
    if (K > INT32_MAX || L > INT32_MAX || M > INT32_MAX)
        return nb_error_set(ERR_VALUE, "K, L and M must be at most 2147483647 (BLAS's int)");
    return meminfo_require(bytes);
}

/* XT=torch.tensor(X); XG=XT.to(dev): one copy to another device, none on
 * the CPU. */
static Tensor *tensor_on_device(Run *run, Tensor *array) {
    return run->device == DEVICE_CPU ? array : torch_tensor_from_numpy(run, array);
}

/* np.matmul(X,Y) as a statement: made and dropped. */
static void np_matmul_dropped(Tensor *X, Tensor *Y) {
    TensorScope *scope = tensor_scope_open();
    if (scope) tensor_matmul(X, Y);
    tensor_scope_close(scope);
}

static int cell09_run(Run *run) {
    int64_t K = run_param(run, "K"), L = run_param(run, "L"), M = run_param(run, "M");
    if (check_sizes((uint64_t)K, (uint64_t)L, (uint64_t)M) != 0) return -1;

    Progress *progress = progress_begin("cell 9: drawing X and Y");
    Tensor *X = np_random_normal(run, 0, 1, SHAPE(K, L));
    Tensor *Y = np_random_normal(run, 0, 1, SHAPE(L, M));
    progress_end(progress);
    if (cell_status(run) != 0) return -1;

    progress = progress_begin("cell 9: np.matmul(X,Y)");
    double start_time = stopwatch_perf_counter();
    np_matmul_dropped(X, Y);
    double end_time = stopwatch_perf_counter();
    progress_end(progress);
    if (cell_status(run) != 0) return -1;
    print_float(run, end_time - start_time);

    Tensor *XG = tensor_on_device(run, X);
    Tensor *YG = tensor_on_device(run, Y);

    progress = progress_begin("cell 9: torch.matmul(XG,YG) on %s", nb_device_name(run->device));
    start_time = stopwatch_time();
    Tensor *ZG = tensor_matmul(XG, YG);
    end_time = stopwatch_device_time(run->device);
    progress_end(progress);
    if (!ZG) return -1;
    print_float(run, end_time - start_time);
    return cell_status(run);
}

const Cell cell09_timing = {
    .number = 9,
    .name = "timing",
    .title = "Timing a big matmul: NumPy vs the device",
    .narrative = cell09_timing_narrative,
    .python = cell09_timing_python,
    .params = cell09_params,
    .nparams = (int)(sizeof cell09_params / sizeof cell09_params[0]),
    .run = cell09_run,
};
