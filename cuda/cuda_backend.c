/* cuda_backend: the CUDA entry of the backend table (src/backend.h). This
 * C side builds geometries, picks layouts and words errors; the kernels
 * are in the .cu files behind cuda_launch.h. Device memory comes from the
 * caching allocator, which holds it until a request fails or the program
 * exits. */
#include <limits.h>
#include <stdlib.h>

#include "error.h"
#include "cuda_allocator.h"
#include "cuda_gemm_layout.h"
#include "cuda_launch.h"
#include "cuda_module.h"
#include "cuda_transfer.h"

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

/* ---- memory ---- */

static CachingAllocator allocator = CACHING_ALLOCATOR_INIT(cuda_raw_alloc, cuda_raw_free, "CUDA");
static bool exit_hook_installed;

/* Registered after the runtime started, so it runs before the runtime's
 * own teardown. */
static void release_at_exit(void) {
    cuda_runtime_shutdown();
    caching_release_all(&allocator);
}

static void *cuda_alloc(size_t nbytes) {
    if (cuda_runtime_init() != 0) return NULL;
    if (!exit_hook_installed) {
        exit_hook_installed = true;
        atexit(release_at_exit);
    }
    return caching_alloc(&allocator, nbytes);
}

static void cuda_free(void *ptr) { caching_free(&allocator, ptr); }

void *cuda_scratch_alloc(size_t nbytes) { return cuda_alloc(nbytes); }

void cuda_scratch_free(void *ptr) { cuda_free(ptr); }

uint64_t cuda_memory_allocated(void) { return allocator.allocated; }

uint64_t cuda_memory_reserved(void) { return allocator.reserved; }

/* ---- elementwise ---- */

/* 1 from a launcher: no kernel for the dtype, which the front end never
 * asks for; PyTorch's words in case a caller does. */
static int launched(int status, const char *op, DType dtype) {
    if (status != 1) return status;
    return nb_error_set(ERR_VALUE, "\"%s_cuda\" not implemented for '%s'", op, nb_dtype_scalar_name(dtype));
}

static int cuda_copy(Tensor *dst, const Tensor *src) {
    CudaGeometry g;
    cuda_geometry_build(&g, 2, (const Tensor *const[]){dst, src});
    return launched(cuda_launch_copy(dst->dtype, src->dtype, &g), "copy", dst->dtype);
}

static int cuda_unary(UnaryOp op, Tensor *out, const Tensor *in) {
    CudaGeometry g;
    cuda_geometry_build(&g, 2, (const Tensor *const[]){out, in});
    return launched(cuda_launch_unary(op, out->dtype, &g), unary_names[op], out->dtype);
}

static int cuda_binary(BinaryOp op, Tensor *out, const Tensor *a, const Tensor *b) {
    CudaGeometry g;
    cuda_geometry_build(&g, 3, (const Tensor *const[]){out, a, b});
    /* pow's shortcuts are for a Python-number exponent, as on the CPU
     * (src/ops.c marks it) */
    bool scalar_exponent = b->is_wrapped_number;
    /* comparisons: the operands' dtype picks the kernel, the result is bool */
    return launched(cuda_launch_binary(op, a->dtype, &g, scalar_exponent), binary_names[op], a->dtype);
}

static int cuda_where(Tensor *out, const Tensor *cond, const Tensor *a, const Tensor *b) {
    CudaGeometry g;
    cuda_geometry_build(&g, 4, (const Tensor *const[]){out, cond, a, b});
    return launched(cuda_launch_where(out->dtype, &g), "where", out->dtype);
}

/* ---- reductions ---- */

/* A contiguous input summed whole goes through the pairwise tree; any
 * other sum gives each output element one thread that adds its inputs in
 * C order. Neither is yet the CPU's (ATen's) order. */
static int cuda_sum(Tensor *out, const Tensor *in) {
    if (tensor_numel(out) == 1 && tensor_is_contiguous(in))
        return launched(cuda_launch_sum(in->dtype, tensor_data(in), tensor_numel(in), tensor_data(out)), "sum",
                        in->dtype);
    /* out seen with in's shape: stride 0 along the summed dimensions */
    Tensor window = *out;
    for (int d = 0; d < in->ndim; d++)
        if (out->shape[d] == 1 && in->shape[d] != 1) {
            window.shape[d] = in->shape[d];
            window.strides[d] = 0;
        }
    CudaSumIntoGeometry g;
    cuda_sum_into_geometry_build(&g, &window, in);
    return launched(cuda_launch_sum_into(out->dtype, &g), "sum", out->dtype);
}

/* max/min (out 0-d) and argmax/argmin (out with in's rank): out seen with
 * in's shape, stride 0 along the reduced dimensions, as for sum */
static int cuda_reduce(ReduceOp op, Tensor *out, const Tensor *in) {
    static const char *const names[] = {
#define REDUCE_NAME(ID, NAME) NAME,
        REDUCE_OP_LIST(REDUCE_NAME)
#undef REDUCE_NAME
    };
    Tensor window = *out;
    window.ndim = in->ndim;
    for (int d = 0; d < in->ndim; d++) {
        bool reduced = out->ndim == 0 || (out->shape[d] == 1 && in->shape[d] != 1);
        window.shape[d] = in->shape[d];
        window.strides[d] = reduced ? 0 : out->strides[d];
    }
    CudaSumIntoGeometry g;
    cuda_sum_into_geometry_build(&g, &window, in);
    return launched(cuda_launch_reduce(op, in->dtype, &g), names[op], in->dtype);
}

static int cuda_dot(Tensor *out, const Tensor *a, const Tensor *b) {
    int status = cuda_launch_dot(a->dtype, tensor_data(a), a->strides[0], tensor_data(b), b->strides[0],
                                 a->shape[0], tensor_data(out));
    if (status == 1) return nb_error_set(ERR_VALUE, "\"dot\" not implemented for '%s'", nb_dtype_scalar_name(a->dtype));
    return status;
}

/* ---- matrix products ---- */

/* t as cuBLAS can read it in place, or a contiguous copy when it cannot. */
static const Tensor *gemm_ready(const Tensor *t, int64_t rows, int64_t cols, CudaGemmOperand *operand) {
    GemmLayout layout = gemm_layout(rows, cols, t->strides[1], t->strides[2]);
    if (!layout.ok) {
        t = tensor_clone((Tensor *)t);
        if (!t) return NULL;
        layout = gemm_layout(rows, cols, t->strides[1], t->strides[2]);
        if (!layout.ok) {
            nb_error_set(ERR_VALUE, "matrix dimensions beyond 2**31 are not supported");
            return NULL;
        }
    }
    *operand = (CudaGemmOperand){tensor_data(t), layout.transpose, layout.ld, t->strides[0]};
    return t;
}

static int gemm_blas(Tensor *out, const Tensor *a, const Tensor *b) {
    int64_t batch = out->shape[0], m = out->shape[1], n = out->shape[2], k = a->shape[2];
    if (m > INT_MAX || n > INT_MAX || k > INT_MAX)
        return nb_error_set(ERR_VALUE, "matrix dimensions beyond 2**31 are not supported");
    CudaGemmOperand oa, ob;
    if (!gemm_ready(a, m, k, &oa) || !gemm_ready(b, k, n, &ob)) return -1;
    return cuda_gemm_blas(out->dtype, batch, m, n, k, &oa, &ob, tensor_data(out));
}

static int cuda_bmm(Tensor *out, const Tensor *a, const Tensor *b) {
    if (tensor_numel(out) == 0) return 0;
    switch (out->dtype) {
    case DTYPE_FLOAT32:
    case DTYPE_FLOAT64: return gemm_blas(out, a, b);
    case DTYPE_INT64:
        return cuda_launch_gemm_i64(out->shape[0], out->shape[1], out->shape[2], a->shape[2], tensor_data(a),
                                    a->strides, tensor_data(b), b->strides, tensor_data(out));
    case DTYPE_BOOL: break;
    }
    return nb_error_set(ERR_VALUE, "\"bmm_cuda\" not implemented for 'Bool'");
}

/* t seen as a batch of one matrix: (1, rows, cols) with the given element
 * strides; a header copy, the storage is t's. */
static Tensor as_batch(const Tensor *t, int64_t rows, int64_t cols, int64_t row_stride, int64_t col_stride) {
    Tensor v = *t;
    v.ndim = 3;
    v.shape[0] = 1, v.shape[1] = rows, v.shape[2] = cols;
    v.strides[0] = 0, v.strides[1] = row_stride, v.strides[2] = col_stride;
    return v;
}

/* mm and mv as a batch of one: cuBLAS, not yet PyTorch's CUDA calls. */
static int cuda_mm(Tensor *out, const Tensor *a, const Tensor *b) {
    Tensor o = as_batch(out, out->shape[0], out->shape[1], out->strides[0], out->strides[1]);
    Tensor x = as_batch(a, a->shape[0], a->shape[1], a->strides[0], a->strides[1]);
    Tensor y = as_batch(b, b->shape[0], b->shape[1], b->strides[0], b->strides[1]);
    return cuda_bmm(&o, &x, &y);
}

static int cuda_mv(Tensor *out, const Tensor *mat, const Tensor *vec) {
    Tensor o = as_batch(out, out->shape[0], 1, out->strides[0], 1);
    Tensor x = as_batch(mat, mat->shape[0], mat->shape[1], mat->strides[0], mat->strides[1]);
    Tensor y = as_batch(vec, vec->shape[0], 1, vec->strides[0], 1);
    return cuda_bmm(&o, &x, &y);
}

/* Backend.synchronize has no status: a failure stays in error.h. */
static void cuda_backend_synchronize(void) { cuda_synchronize(); }

const Backend cuda_backend = {
    .name = "cuda",
    .alloc = cuda_alloc,
    .free = cuda_free,
    .copy = cuda_copy,
    .unary = cuda_unary,
    .binary = cuda_binary,
    .sum = cuda_sum,
    .dot = cuda_dot,
    .mm = cuda_mm,
    .mv = cuda_mv,
    .bmm = cuda_bmm,
    .synchronize = cuda_backend_synchronize,
    .transfer = cuda_transfer,
    .reduce = cuda_reduce,
    .where = cuda_where,
};
