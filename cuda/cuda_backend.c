/* cuda_backend: the CUDA entry of the backend table (src/backend.h). This
 * C side builds geometries, picks layouts and words errors; the kernels
 * are in the .cu files behind cuda_launch.h. Device memory comes from the
 * caching allocator, which holds it until a request fails or the program
 * exits. */
#include <limits.h>
#include <stdlib.h>

#include "../src/backend.h"
#include "../src/error.h"
#include "../src/gpu.h"
#include "cuda_allocator.h"
#include "cuda_gemm_layout.h"
#include "cuda_launch.h"
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

uint64_t gpu_memory_allocated(void) { return allocator.allocated; }

uint64_t gpu_memory_reserved(void) { return allocator.reserved; }

/* ---- elementwise ---- */

/* 1 from a launcher: no kernel for the dtype, which the front end never
 * asks for; PyTorch's words in case a caller does. */
static int launched(int status, const char *op, DType dtype) {
    if (status != 1) return status;
    return error_set(ERR_VALUE, "\"%s_cuda\" not implemented for '%s'", op, dtype_scalar_name(dtype));
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
    return launched(cuda_launch_binary(op, out->dtype, &g, scalar_exponent), binary_names[op], out->dtype);
}

/* ---- reductions ---- */

static int cuda_sum(Tensor *out, const Tensor *in) {
    if (!tensor_is_contiguous(in))
        return error_set(ERR_VALUE, "internal error: cuda_sum needs a contiguous input");
    return launched(cuda_launch_sum(in->dtype, tensor_data(in), tensor_numel(in), tensor_data(out)), "sum",
                    in->dtype);
}

static int cuda_sum_into(Tensor *dst, const Tensor *src) {
    CudaSumIntoGeometry g;
    cuda_sum_into_geometry_build(&g, dst, src);
    return launched(cuda_launch_sum_into(dst->dtype, &g), "sum", dst->dtype);
}

static int cuda_dot(Tensor *out, const Tensor *a, const Tensor *b) {
    int status = cuda_launch_dot(a->dtype, tensor_data(a), a->strides[0], tensor_data(b), b->strides[0],
                                 a->shape[0], tensor_data(out));
    if (status == 1) return error_set(ERR_VALUE, "\"dot\" not implemented for '%s'", dtype_scalar_name(a->dtype));
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
            error_set(ERR_VALUE, "matrix dimensions beyond 2**31 are not supported");
            return NULL;
        }
    }
    *operand = (CudaGemmOperand){tensor_data(t), layout.transpose, layout.ld, t->strides[0]};
    return t;
}

static int gemm_blas(Tensor *out, const Tensor *a, const Tensor *b) {
    int64_t batch = out->shape[0], m = out->shape[1], n = out->shape[2], k = a->shape[2];
    if (m > INT_MAX || n > INT_MAX || k > INT_MAX)
        return error_set(ERR_VALUE, "matrix dimensions beyond 2**31 are not supported");
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
    return error_set(ERR_VALUE, "\"bmm_cuda\" not implemented for 'Bool'");
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
    .sum_into = cuda_sum_into,
    .dot = cuda_dot,
    .bmm = cuda_bmm,
    .synchronize = cuda_backend_synchronize,
    .transfer = cuda_transfer,
};
