/* test_cuda_host: the parts of the CUDA backend that run on the host,
 * checked where there is no GPU: the caching allocator's bookkeeping (with
 * malloc standing in for cudaMalloc, and out-of-memory on demand), the
 * choice of how cuBLAS reads a strided matrix (against kernels/cpu_gemm.c's
 * rule), the geometry the elementwise and sum_into kernels get, and the
 * kernels' element functions (cuda/scalar_ops.cuh, compiled for the host by
 * tests/scalar_ops_host.cu) against the CPU kernels, bit for bit except where a math library computes (sin, cos,
 * exp, log, pow), whose GPU versions test_cuda bounds on a real device. */
#include <check.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../cuda/cuda_allocator.h"
#include "../cuda/cuda_gemm_layout.h"
#include "../cuda/cuda_geometry.h"
#include "alloc.h"
#include "backend.h"
#include "error.h"
#include "scalar_ops_host.h"
#include "tensor.h"

/* ---- a device made of malloc ---- */

static int64_t fake_live;       /* blocks the fake device holds */
static uint64_t fake_capacity;  /* bytes it can hold; beyond: out of memory */
static uint64_t fake_used;
static bool fake_broken;        /* every request fails with a device error */

typedef struct FakeBlock {
    size_t size;
    max_align_t payload[];
} FakeBlock;

static int fake_alloc(void **ptr, size_t nbytes) {
    if (fake_broken) return nb_error_set(ERR_DEVICE, "CUDA error in cudaMalloc: fake device is broken");
    if (fake_used + nbytes > fake_capacity) return 1;
    FakeBlock *b = malloc(sizeof *b + nbytes);
    if (!b) return 1;
    b->size = nbytes;
    fake_used += nbytes;
    fake_live++;
    *ptr = b->payload;
    return 0;
}

static void fake_free(void *ptr) {
    FakeBlock *b = (FakeBlock *)((char *)ptr - offsetof(FakeBlock, payload));
    fake_used -= b->size;
    fake_live--;
    free(b);
}

static void fake_reset(uint64_t capacity) {
    fake_capacity = capacity;
    fake_broken = false;
    nb_error_clear();
}

START_TEST(test_size_classes) {
    ck_assert_uint_eq(caching_round_size(0), 512);
    ck_assert_uint_eq(caching_round_size(1), 512);
    ck_assert_uint_eq(caching_round_size(512), 512);
    ck_assert_uint_eq(caching_round_size(513), 1024);
    ck_assert_uint_eq(caching_round_size((size_t)1 << 20), (size_t)1 << 20);
    ck_assert_uint_eq(caching_round_size(((size_t)1 << 20) + 1), (size_t)2 << 20);
    ck_assert_uint_eq(caching_round_size((size_t)5 << 20), (size_t)6 << 20);
    ck_assert_uint_eq(caching_round_size(SIZE_MAX), 0);
}
END_TEST

START_TEST(test_freed_blocks_are_reused_and_counted) {
    fake_reset(UINT64_MAX);
    CachingAllocator a = CACHING_ALLOCATOR_INIT(fake_alloc, fake_free, "CUDA");
    void *p = caching_alloc(&a, 4000);
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_eq(a.allocated, 4096);
    ck_assert_uint_eq(a.reserved, 4096);
    caching_free(&a, p);
    ck_assert_uint_eq(a.allocated, 0);
    ck_assert_uint_eq(a.reserved, 4096); /* cached, not returned */
    ck_assert_int_eq(fake_live, 1);
    /* the same class comes back from the cache; another class does not */
    void *q = caching_alloc(&a, 3900);
    ck_assert_ptr_eq(q, p);
    ck_assert_uint_eq(a.raw_allocs, 1);
    void *r = caching_alloc(&a, 100);
    ck_assert_ptr_ne(r, p);
    ck_assert_uint_eq(a.raw_allocs, 2);
    ck_assert_uint_eq(a.allocated, 4096 + 512);
    caching_free(&a, q);
    caching_free(&a, r);
    caching_empty_cache(&a);
    ck_assert_uint_eq(a.reserved, 0);
    ck_assert_int_eq(fake_live, 0);
    caching_release_all(&a);
}
END_TEST

/* Many blocks live at once, freed in a scrambled order: the live table
 * grows, deletes keep every other entry findable, and the counts return
 * to zero. */
START_TEST(test_many_live_blocks) {
    fake_reset(UINT64_MAX);
    CachingAllocator a = CACHING_ALLOCATOR_INIT(fake_alloc, fake_free, "CUDA");
    enum { N = 3000 };
    static void *blocks[N];
    for (int i = 0; i < N; i++) {
        blocks[i] = caching_alloc(&a, (size_t)(i % 7 + 1) * 700);
        ck_assert_ptr_nonnull(blocks[i]);
    }
    uint64_t allocated = a.allocated;
    for (int step = 0; step < N; step++) {
        int i = (int)(((int64_t)step * 1237) % N);
        caching_free(&a, blocks[i]);
    }
    ck_assert_uint_eq(a.allocated, 0);
    ck_assert_uint_eq(a.reserved, allocated);
    /* a second round is served from the cache entirely */
    uint64_t raw = a.raw_allocs;
    for (int i = 0; i < N; i++) blocks[i] = caching_alloc(&a, (size_t)(i % 7 + 1) * 700);
    ck_assert_uint_eq(a.raw_allocs, raw);
    for (int i = 0; i < N; i++) caching_free(&a, blocks[i]);
    caching_release_all(&a);
    ck_assert_int_eq(fake_live, 0);
}
END_TEST

/* Out of room: the cache is emptied and the request tried once more. */
START_TEST(test_out_of_memory_empties_the_cache_then_reports) {
    fake_reset((5 << 20) / 2);
    CachingAllocator a = CACHING_ALLOCATOR_INIT(fake_alloc, fake_free, "CUDA");
    void *p = caching_alloc(&a, 2 << 20);
    ck_assert_ptr_nonnull(p);
    caching_free(&a, p);
    /* 2 MiB cached and 1000 KiB more do not fit in 2.5 MiB: only once the
     * cached block went back */
    void *q = caching_alloc(&a, 1000 * 1024);
    ck_assert_ptr_nonnull(q);
    ck_assert_uint_eq(a.reserved, 1000 * 1024);
    ck_assert_int_eq(fake_live, 1);
    /* and when even that is not enough: one line, nothing taken */
    ck_assert_ptr_null(caching_alloc(&a, 4 << 20));
    ck_assert_int_eq(nb_error_kind(), ERR_NOMEM);
    ck_assert_str_eq(nb_error_message(),
                     "CUDA out of memory: tried to allocate 4.00 MiB (1000.00 KiB allocated, 1000.00 KiB reserved)");
    nb_error_clear();
    ck_assert_uint_eq(a.allocated, 1000 * 1024);
    caching_free(&a, q);
    caching_release_all(&a);
    ck_assert_int_eq(fake_live, 0);
}
END_TEST

START_TEST(test_device_errors_pass_through) {
    fake_reset(UINT64_MAX);
    fake_broken = true;
    CachingAllocator a = CACHING_ALLOCATOR_INIT(fake_alloc, fake_free, "CUDA");
    ck_assert_ptr_null(caching_alloc(&a, 10));
    ck_assert_int_eq(nb_error_kind(), ERR_DEVICE);
    ck_assert_str_eq(nb_error_message(), "CUDA error in cudaMalloc: fake device is broken");
    nb_error_clear();
    ck_assert_uint_eq(a.reserved, 0);
    caching_release_all(&a);
}
END_TEST

/* Failing host allocations (the bookkeeping) never lose device memory. */
START_TEST(test_bookkeeping_allocation_failures) {
    fake_reset(UINT64_MAX);
    int64_t live = nb_alloc_stats().live_blocks;
    for (int64_t k = 1; k < 40; k++) {
        CachingAllocator a = CACHING_ALLOCATOR_INIT(fake_alloc, fake_free, "CUDA");
        void *blocks[20] = {0};
        nb_alloc_fail_after(k);
        for (int i = 0; i < 20; i++) {
            blocks[i] = caching_alloc(&a, (size_t)(i % 3 + 1) * 1000);
            if (!blocks[i]) {
                ck_assert_int_eq(nb_error_kind(), ERR_NOMEM);
                nb_error_clear();
            }
        }
        for (int i = 0; i < 20; i++) caching_free(&a, blocks[i]);
        nb_alloc_fail_after(0);
        ck_assert_uint_eq(a.allocated, 0);
        caching_release_all(&a);
        ck_assert_int_eq(fake_live, 0);
        ck_assert_int_eq(nb_alloc_stats().live_blocks, live);
    }
}
END_TEST

/* ---- how cuBLAS reads a matrix ---- */

START_TEST(test_gemm_layouts) {
    GemmLayout l;
    l = gemm_layout(3, 4, 4, 1); /* row-major */
    ck_assert(l.ok && !l.transpose);
    ck_assert_int_eq(l.ld, 4);
    l = gemm_layout(3, 4, 1, 3); /* column-major (a transposed view) */
    ck_assert(l.ok && l.transpose);
    ck_assert_int_eq(l.ld, 3);
    l = gemm_layout(3, 4, 10, 1); /* rows padded: a slice of a wider matrix */
    ck_assert(l.ok && !l.transpose);
    ck_assert_int_eq(l.ld, 10);
    l = gemm_layout(3, 4, 8, 2); /* every other column: not readable */
    ck_assert(!l.ok);
    l = gemm_layout(1, 4, 0, 1); /* one row: its stride never matters */
    ck_assert(l.ok && !l.transpose);
    ck_assert_int_eq(l.ld, 4);
    l = gemm_layout(4, 1, 1, 0); /* one column */
    ck_assert(l.ok);
    ck_assert_int_ge(l.ld, 1);
    l = gemm_layout(1, 1, 0, 0);
    ck_assert(l.ok);
    ck_assert_int_ge(l.ld, 1);
    l = gemm_layout(2, 3, 2, 1); /* rows overlap: no leading dimension fits */
    ck_assert(!l.ok);
    l = gemm_layout(2, 3, (int64_t)1 << 31, 1); /* beyond cuBLAS's int */
    ck_assert(!l.ok);
}
END_TEST

/* ---- geometry ---- */

START_TEST(test_geometry_coalesces_like_the_cpu) {
    TensorScope *scope = tensor_scope_open();
    Tensor *a = tensor_zeros(DTYPE_FLOAT32, SHAPE(4, 5, 6));
    Tensor *b = tensor_zeros(DTYPE_FLOAT64, SHAPE(4, 5, 6));
    CudaGeometry g;
    cuda_geometry_build(&g, 2, (const Tensor *const[]){a, b});
    ck_assert_int_eq(g.ndim, 1);
    ck_assert(g.contiguous && g.index32);
    ck_assert_int_eq(g.numel, 120);
    ck_assert_ptr_eq(g.data[0], tensor_data(a));
    /* a transposed operand keeps two dimensions; strides in elements */
    Tensor *m = tensor_zeros(DTYPE_FLOAT32, SHAPE(5, 4));
    Tensor *out = tensor_zeros(DTYPE_FLOAT32, SHAPE(4, 5));
    cuda_geometry_build(&g, 2, (const Tensor *const[]){out, tensor_transpose(m, 0, 1)});
    ck_assert_int_eq(g.ndim, 2);
    ck_assert(!g.contiguous);
    ck_assert_int_eq(g.strides[0][0], 5);
    ck_assert_int_eq(g.strides[1][0], 1);
    ck_assert_int_eq(g.strides[1][1], 4);
    /* a broadcast operand has stride 0; size-1 dimensions vanish */
    Tensor *row = tensor_expand(tensor_zeros(DTYPE_FLOAT32, SHAPE(1, 5)), SHAPE(4, 5));
    Tensor *out3 = tensor_zeros(DTYPE_FLOAT32, SHAPE(4, 1, 5));
    cuda_geometry_build(&g, 3, (const Tensor *const[]){out3, tensor_reshape(out, SHAPE(4, 1, 5)),
                                                         tensor_unsqueeze(row, 1)});
    ck_assert_int_eq(g.ndim, 2);
    ck_assert_int_eq(g.strides[2][0], 0);
    ck_assert_int_eq(g.strides[2][1], 1);
    /* one element */
    cuda_geometry_build(&g, 1, (const Tensor *const[]){tensor_zeros(DTYPE_INT64, SHAPE0)});
    ck_assert_int_eq(g.ndim, 0);
    ck_assert_int_eq(g.numel, 1);
    ck_assert(g.contiguous);
    tensor_scope_close(scope);
}
END_TEST

START_TEST(test_sum_into_geometry_splits_kept_and_reduced) {
    TensorScope *scope = tensor_scope_open();
    /* (2, 3, 4) summed into (3, 1): dst strides (0, 1, 0) */
    Tensor *src = tensor_zeros(DTYPE_FLOAT64, SHAPE(2, 3, 4));
    Tensor *dst = tensor_expand(tensor_zeros(DTYPE_FLOAT64, SHAPE(3, 1)), SHAPE(2, 3, 4));
    CudaSumIntoGeometry g;
    cuda_sum_into_geometry_build(&g, dst, src);
    ck_assert_int_eq(g.nkeep, 1);
    ck_assert_int_eq(g.nkept, 3);
    ck_assert_int_eq(g.keep_src[0], 4);
    ck_assert_int_eq(g.nreduce, 2);
    ck_assert_int_eq(g.nreduced, 8);
    ck_assert_int_eq(g.reduce_shape[0], 2);
    ck_assert_int_eq(g.reduce_src[0], 12);
    ck_assert_int_eq(g.reduce_shape[1], 4);
    ck_assert_int_eq(g.reduce_src[1], 1);
    /* everything into one element: adjacent reduced dims merge */
    Tensor *all = tensor_expand(tensor_zeros(DTYPE_FLOAT64, SHAPE0), SHAPE(2, 3, 4));
    cuda_sum_into_geometry_build(&g, all, src);
    ck_assert_int_eq(g.nkeep, 0);
    ck_assert_int_eq(g.nkept, 1);
    ck_assert_int_eq(g.nreduce, 1);
    ck_assert_int_eq(g.nreduced, 24);
    /* nothing to reduce: one add per element */
    cuda_sum_into_geometry_build(&g, src, src);
    ck_assert_int_eq(g.nreduce, 0);
    ck_assert_int_eq(g.nreduced, 1);
    ck_assert_int_eq(g.nkept, 24);
    /* an empty tensor: no work */
    Tensor *none = tensor_zeros(DTYPE_FLOAT64, SHAPE(0, 4));
    cuda_sum_into_geometry_build(&g, none, none);
    ck_assert_int_eq(g.nkept, 0);
    tensor_scope_close(scope);
}
END_TEST

/* ---- the kernels' element functions against the CPU kernels ---- */

/* Values every op meets: signed zeros, infinities, nan, huge, tiny,
 * integral and fractional; for int64 the ends of the range too. */
static const double float_values[] = {0.0,  -0.0, 1.0,   -1.0,  0.5,      -0.5,     2.0,  3.0,  -2.5,
                                      1e-30, 1e30, 7.25, 100.0, -100.0,  INFINITY, -INFINITY, NAN, 1e-45,
                                      3.5e9, 9.3e18, -9.3e18, 1e300};
static const int64_t int_values[] = {0, 1, -1, 2, -2, 3, 7, INT64_MAX, INT64_MIN, 3037000500, -9, 63, 64};
#define NFLOAT (sizeof float_values / sizeof float_values[0])
#define NINT (sizeof int_values / sizeof int_values[0])

/* The test values in `dtype`, n of them, as a CPU tensor. */
static Tensor *values_of(DType dtype) {
    if (dtype == DTYPE_INT64) return tensor_from_data(DTYPE_INT64, SHAPE((int64_t)NINT), int_values);
    if (dtype == DTYPE_BOOL) return tensor_from_data(DTYPE_BOOL, SHAPE(2), (bool[]){false, true});
    return tensor_to_dtype(tensor_from_data(DTYPE_FLOAT64, SHAPE((int64_t)NFLOAT), float_values), dtype);
}

/* Equal element by element; any nan equals any nan (the payloads differ
 * between x86 and the GPU, and PyTorch prints every nan as nan). With
 * `approx`, for what goes through a math library (sin, cos, exp, log, pow
 * by a general exponent): the host's library is neither the CPU kernels'
 * (which have vector versions of their own) nor the GPU's, so there the
 * values need only agree to a few ulp (and zeros in value, not sign);
 * test_cuda bounds the GPU's own on a device. */
static void assert_same_elements(const char *what, const Tensor *expected, const void *actual, bool approx) {
    int64_t n = tensor_numel(expected);
    size_t size = nb_dtype_size(expected->dtype);
    const char *e = tensor_data(expected), *a = actual;
    bool floating = expected->dtype == DTYPE_FLOAT32 || expected->dtype == DTYPE_FLOAT64;
    for (int64_t i = 0; i < n; i++) {
        bool same = memcmp(e + (size_t)i * size, a + (size_t)i * size, size) == 0;
        if (floating && !same) {
            bool f32 = expected->dtype == DTYPE_FLOAT32;
            double x = f32 ? ((const float *)e)[i] : ((const double *)e)[i];
            double y = f32 ? ((const float *)a)[i] : ((const double *)a)[i];
            same = (isnan(x) && isnan(y)) ||
                   (approx && (x == y || fabs(x - y) <= fabs(x) * (f32 ? 5e-7 : 1e-15)));
        }
        ck_assert_msg(same, "%s: element %lld differs from the CPU kernel's", what, (long long)i);
    }
}

static const char *const unary_names[] = {
#define UNARY_NAME(ID, NAME, ...) NAME,
    UNARY_OP_LIST(UNARY_NAME)
#undef UNARY_NAME
};
static const char *const binary_names[] = {
#define BINARY_NAME(ID, NAME, ...) NAME,
    BINARY_OP_LIST(BINARY_NAME)
#undef BINARY_NAME
};

START_TEST(test_unary_functions_are_the_cpus) {
    TensorScope *scope = tensor_scope_open();
    for (int op = 0; op < UNARY_OP_COUNT; op++)
        for (int dt = 0; dt < DTYPE_COUNT; dt++) {
            Tensor *in = values_of((DType)dt), *expected = tensor_empty((DType)dt, tensor_shape(in));
            void *out = calloc((size_t)tensor_numel(in), nb_dtype_size((DType)dt));
            bool cpu_has = cpu_backend.unary((UnaryOp)op, expected, in) == 0;
            nb_error_clear();
            int host = scalar_ops_host_unary((UnaryOp)op, (DType)dt, tensor_data(in), out, tensor_numel(in));
            char what[64];
            snprintf(what, sizeof what, "%s %s", unary_names[op], nb_dtype_torch_name((DType)dt));
            ck_assert_msg(cpu_has == (host == 0), "%s: the CPU %s a kernel, the device %s", what,
                          cpu_has ? "has" : "has no", host == 0 ? "has" : "has none");
            if (cpu_has) assert_same_elements(what, expected, out, op != UNARY_NEG);
            free(out);
        }
    tensor_scope_close(scope);
}
END_TEST

/* Every pair of test values, with the exponent varying along the row (the
 * general path) and, for pow, fixed along it (the shortcuts). */
START_TEST(test_binary_functions_are_the_cpus) {
    /* bool results (comparisons) are checked through a device (test_cuda.c) */
    static const bool bool_result[] = {
#define BOOL_RESULT_OF(ID, NAME, GRAD_NAME, SAVED, FN, RULE, ...) OP_RULE_##RULE == OP_RULE_BOOL_RESULT,
        BINARY_OP_LIST(BOOL_RESULT_OF)
#undef BOOL_RESULT_OF
    };
    TensorScope *scope = tensor_scope_open();
    for (int op = 0; op < BINARY_OP_COUNT; op++)
        for (int dt = 0; dt < DTYPE_COUNT && !bool_result[op]; dt++) {
            Tensor *v = values_of((DType)dt);
            int64_t n = tensor_numel(v);
            /* a[i*n + j] = v[i], b[i*n + j] = v[j] */
            Tensor *a = tensor_contiguous(tensor_expand(tensor_reshape(v, SHAPE(n, 1)), SHAPE(n, n)));
            Tensor *b = tensor_contiguous(tensor_expand(v, SHAPE(n, n)));
            Tensor *expected = tensor_empty((DType)dt, SHAPE(n, n));
            void *out = calloc((size_t)(n * n), nb_dtype_size((DType)dt));
            bool cpu_has = cpu_backend.binary((BinaryOp)op, expected, a, b) == 0;
            nb_error_clear();
            int host = scalar_ops_host_binary((BinaryOp)op, (DType)dt, false, tensor_data(a), tensor_data(b), out,
                                              n * n);
            char what[64];
            snprintf(what, sizeof what, "%s %s", binary_names[op], nb_dtype_torch_name((DType)dt));
            ck_assert_msg(cpu_has == (host == 0), "%s: kernels differ in coverage", what);
            /* maximum and minimum: the CPU's vector body keeps the other
             * zero on a -0.0/0.0 tie (approx compares zeros by value) */
            if (cpu_has)
                assert_same_elements(what, expected, out,
                                     op == BINARY_POW || op == BINARY_MAXIMUM || op == BINARY_MINIMUM);
            free(out);
            if (op != BINARY_POW || !cpu_has) continue;
            for (int64_t j = 0; j < n; j++) {
                /* v ** v[j], the exponent a stride-0 row on the CPU; a float
                 * one as the front end hands the CPU a Python number (float64,
                 * marked), the only exponent whose shortcuts PyTorch takes */
                bool floating = nb_dtype_is_floating((DType)dt);
                Tensor *number = floating ? tensor_to_dtype(tensor_at(v, j), DTYPE_FLOAT64) : tensor_at(v, j);
                Tensor *exponent = tensor_expand(number, SHAPE(n));
                exponent->is_wrapped_number = floating;
                Tensor *row = tensor_empty((DType)dt, SHAPE(n));
                ck_assert_int_eq(cpu_backend.binary(BINARY_POW, row, v, exponent), 0);
                Tensor *flat = tensor_contiguous(tensor_expand(tensor_at(v, j), SHAPE(n)));
                void *row_out = calloc((size_t)n, nb_dtype_size((DType)dt));
                ck_assert_int_eq(scalar_ops_host_binary(BINARY_POW, (DType)dt, true, tensor_data(v), tensor_data(flat),
                                                        row_out, n),
                                 0);
                snprintf(what, sizeof what, "pow %s by exponent %lld", nb_dtype_torch_name((DType)dt), (long long)j);
                /* PyTorch's shortcuts are plain arithmetic: exact */
                double y = tensor_item(tensor_at(v, j));
                bool shortcut = y == 2 || y == 3 || fabs(y) == 0.5 || y == -1 || y == -2;
                assert_same_elements(what, row, row_out, dt != DTYPE_INT64 && !shortcut);
                free(row_out);
            }
        }
    tensor_scope_close(scope);
}
END_TEST

START_TEST(test_conversions_are_the_cpus) {
    TensorScope *scope = tensor_scope_open();
    for (int from = 0; from < DTYPE_COUNT; from++)
        for (int to = 0; to < DTYPE_COUNT; to++) {
            Tensor *in = values_of((DType)from);
            Tensor *expected = tensor_empty((DType)to, tensor_shape(in));
            ck_assert_int_eq(cpu_backend.copy(expected, in), 0);
            void *out = calloc((size_t)tensor_numel(in), nb_dtype_size((DType)to));
            ck_assert_int_eq(scalar_ops_host_convert((DType)to, (DType)from, tensor_data(in), out, tensor_numel(in)), 0);
            char what[64];
            snprintf(what, sizeof what, "%s to %s", nb_dtype_torch_name((DType)from), nb_dtype_torch_name((DType)to));
            assert_same_elements(what, expected, out, false);
            free(out);
        }
    tensor_scope_close(scope);
}
END_TEST

static Suite *host_suite(void) {
    Suite *s = suite_create("cuda_host");
    TCase *allocator = tcase_create("allocator");
    tcase_add_test(allocator, test_size_classes);
    tcase_add_test(allocator, test_freed_blocks_are_reused_and_counted);
    tcase_add_test(allocator, test_many_live_blocks);
    tcase_add_test(allocator, test_out_of_memory_empties_the_cache_then_reports);
    tcase_add_test(allocator, test_device_errors_pass_through);
    tcase_add_test(allocator, test_bookkeeping_allocation_failures);
    suite_add_tcase(s, allocator);
    TCase *layout = tcase_create("layout");
    tcase_add_test(layout, test_gemm_layouts);
    tcase_add_test(layout, test_geometry_coalesces_like_the_cpu);
    tcase_add_test(layout, test_sum_into_geometry_splits_kept_and_reduced);
    suite_add_tcase(s, layout);
    TCase *scalar = tcase_create("scalar_ops");
    tcase_add_test(scalar, test_unary_functions_are_the_cpus);
    tcase_add_test(scalar, test_binary_functions_are_the_cpus);
    tcase_add_test(scalar, test_conversions_are_the_cpus);
    tcase_set_timeout(scalar, 120);
    suite_add_tcase(s, scalar);
    return s;
}

int main(void) {
    SRunner *runner = srunner_create(host_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
