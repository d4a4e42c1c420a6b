/* linalg: dot, mv, mm, bmm, matmul and outer, with PyTorch 1.13's checks
 * and messages. mm, mv and bmm each reach the backend's entry of that name,
 * which computes as PyTorch's op of that name does; matmul reproduces
 * torch.matmul's case analysis (including folding batches into one mm), so
 * shapes, error texts and the products' bits come out as PyTorch's. */
#include "backend.h"
#include "derivatives.h"
#include "error.h"
#include "ops.h"

static int require_same_dtype(const Tensor *a, const Tensor *b) {
    if (a->dtype == b->dtype) return 0;
    return nb_error_set(ERR_VALUE, "expected scalar type %s but found %s", nb_dtype_scalar_name(a->dtype),
                     nb_dtype_scalar_name(b->dtype));
}

/* PyTorch's product kernels dispatch on the first operand's dtype, which
 * has no bool case (`kernel` names the one that says so), then read the
 * second as that dtype; but an empty product never reaches them: it is
 * zeros, whatever the dtypes. */
static int require_kernel_dtypes(const Tensor *a, const Tensor *b, int64_t out_numel, int64_t inner,
                                 const char *kernel) {
    if (out_numel == 0 || inner == 0) return 0;
    if (a->dtype == DTYPE_BOOL) return nb_error_set(ERR_VALUE, "\"%s\" not implemented for 'Bool'", kernel);
    return require_same_dtype(a, b);
}

/* bmm's output takes the second operand's dtype, and ATen's bmm takes one
 * of two kernels by size: below 400 multiply-adds a matrix its own loop,
 * dispatched on the first operand's dtype; else addmm per batch,
 * dispatched on the output's. Each words its refusals its own way. */
static int require_bmm_dtypes(const Tensor *a, const Tensor *b) {
    int64_t m = a->shape[1], k = a->shape[2], n = b->shape[2];
    if (a->shape[0] * m * n == 0 || k == 0) return 0;
    if (k * m * n < 400) return require_kernel_dtypes(a, b, m * n, k, "bmm");
    if (b->dtype == DTYPE_BOOL)
        return nb_error_set(ERR_VALUE, "\"addmm_impl_cpu_\" not implemented for 'Bool'");
    return require_same_dtype(b, a);
}

static int require_same_device(const Tensor *a, const Tensor *b) {
    if (tensor_device(a) == tensor_device(b)) return 0;
    return nb_error_set(ERR_VALUE, "Expected all tensors to be on the same device, but found at least "
                                "two devices, cuda:0 and cpu!");
}

typedef enum { PRODUCT_MM, PRODUCT_MV, PRODUCT_BMM } Product;

/* out (of `shape`, as `dtype`: which of the operands' dtypes an empty
 * product takes is the op's) = a @ b on the inputs' device, by the
 * backend's entry for `kind`; `inner` is the length summed over. */
static Tensor *product(Product kind, Tensor *a, Tensor *b, Shape shape, int64_t inner, DType dtype) {
    if (!a || !b) return nb_error_null_tensor();
    Device device = tensor_device(a);
    Tensor *out = tensor_empty_on(device, dtype, shape);
    if (!out || tensor_numel(out) == 0) return out;
    if (inner == 0) { /* empty inner dimension: the sum of nothing */
        Tensor *zero = tensor_zeros(dtype, SHAPE0);
        if (tensor_copy_into(out, tensor_expand(zero, tensor_shape(out))) != 0) return NULL;
        return out;
    }
    const Backend *backend = backend_for(device);
    int status = kind == PRODUCT_MM   ? backend->mm(out, a, b)
                 : kind == PRODUCT_MV ? backend->mv(out, a, b)
                                      : backend->bmm(out, a, b);
    return status == 0 ? out : NULL;
}

static Tensor *dot_forward(Tensor *a, Tensor *b) {
    if (!a || !b) return nb_error_null_tensor();
    if (a->ndim != 1 || b->ndim != 1) {
        nb_error_set(ERR_VALUE, "1D tensors expected, but got %dD and %dD tensors", a->ndim, b->ndim);
        return NULL;
    }
    /* PyTorch's dot_check compares dtypes before lengths */
    if (a->dtype != b->dtype) {
        nb_error_set(ERR_VALUE, "dot : expected both vectors to have same dtype, but found %s and %s",
                  nb_dtype_scalar_name(a->dtype), nb_dtype_scalar_name(b->dtype));
        return NULL;
    }
    if (a->shape[0] != b->shape[0]) {
        nb_error_set(ERR_VALUE,
                  "inconsistent tensor size, expected tensor [%lld] and src [%lld] to have the same "
                  "number of elements, but got %lld and %lld elements respectively",
                  (long long)a->shape[0], (long long)b->shape[0], (long long)a->shape[0],
                  (long long)b->shape[0]);
        return NULL;
    }
    if (require_same_device(a, b) != 0) return NULL;
    Device device = tensor_device(a);
    Tensor *out = tensor_empty_on(device, a->dtype, SHAPE0);
    if (!out || backend_for(device)->dot(out, a, b) != 0) return NULL;
    return out;
}

static Tensor *mm_forward(Tensor *a, Tensor *b) {
    if (!a || !b) return nb_error_null_tensor();
    if (a->ndim != 2) {
        nb_error_set(ERR_VALUE, "self must be a matrix");
        return NULL;
    }
    if (b->ndim != 2) {
        nb_error_set(ERR_VALUE, "mat2 must be a matrix");
        return NULL;
    }
    if (a->shape[1] != b->shape[0]) {
        nb_error_set(ERR_VALUE, "mat1 and mat2 shapes cannot be multiplied (%lldx%lld and %lldx%lld)",
                  (long long)a->shape[0], (long long)a->shape[1], (long long)b->shape[0],
                  (long long)b->shape[1]);
        return NULL;
    }
    if (require_kernel_dtypes(a, b, a->shape[0] * b->shape[1], a->shape[1], "addmm_impl_cpu_") != 0 ||
        require_same_device(a, b) != 0)
        return NULL;
    return product(PRODUCT_MM, a, b, SHAPE(a->shape[0], b->shape[1]), a->shape[1], a->dtype);
}

static Tensor *mv_forward(Tensor *mat, Tensor *vec) {
    if (!mat || !vec) return nb_error_null_tensor();
    /* PyTorch's mv sizes its output from mat.size(0) before addmv checks
     * anything (the "1" below is that output's rank) */
    if (mat->ndim == 0) {
        nb_error_set(ERR_VALUE, "Dimension specified as 0 but tensor has no dimensions");
        return NULL;
    }
    if (mat->ndim != 2 || vec->ndim != 1) {
        nb_error_set(ERR_VALUE, "vector + matrix @ vector expected, got 1, %d, %d", mat->ndim, vec->ndim);
        return NULL;
    }
    if (mat->shape[1] != vec->shape[0]) {
        nb_error_set(ERR_VALUE, "size mismatch, got %lld, %lldx%lld,%lld", (long long)mat->shape[0],
                  (long long)mat->shape[0], (long long)mat->shape[1], (long long)vec->shape[0]);
        return NULL;
    }
    if (require_kernel_dtypes(mat, vec, mat->shape[0], mat->shape[1], "addmv_impl_cpu") != 0 ||
        require_same_device(mat, vec) != 0)
        return NULL;
    return product(PRODUCT_MV, mat, vec, SHAPE(mat->shape[0]), mat->shape[1], vec->dtype);
}

static Tensor *bmm_forward(Tensor *a, Tensor *b) {
    if (!a || !b) return nb_error_null_tensor();
    if (a->ndim != 3) {
        nb_error_set(ERR_VALUE, "batch1 must be a 3D tensor");
        return NULL;
    }
    if (b->ndim != 3) {
        nb_error_set(ERR_VALUE, "batch2 must be a 3D tensor");
        return NULL;
    }
    if (b->shape[0] != a->shape[0] || b->shape[1] != a->shape[2]) {
        nb_error_set(ERR_VALUE,
                  "Expected size for first two dimensions of batch2 tensor to be: [%lld, %lld] but "
                  "got: [%lld, %lld].",
                  (long long)a->shape[0], (long long)a->shape[2], (long long)b->shape[0],
                  (long long)b->shape[1]);
        return NULL;
    }
    if (require_bmm_dtypes(a, b) != 0 || require_same_device(a, b) != 0)
        return NULL;
    return product(PRODUCT_BMM, a, b, SHAPE(a->shape[0], a->shape[1], b->shape[2]), a->shape[2],
                   b->dtype);
}

static Tensor *unsafe_view_forward(Tensor *const *in, const int64_t *args) {
    return tensor_reshape(in[0], shape_from_args(args));
}

/* at::_unsafe_view: how matmul reshapes its own (contiguous) product. */
static Tensor *unsafe_view(Tensor *t, Shape shape) {
    int64_t args[1 + TENSOR_MAX_DIMS];
    return autograd_apply(&node_unsafe_view, unsafe_view_forward, 1, &t, args,
                          shape_to_args(shape, args));
}

/* torch.matmul's fold: a (..., K) with ndim >= 3 times a matrix or vector b
 * becomes one mm/mv over a reshaped to (prod(...), K). */
static Tensor *matmul_folded(Tensor *a, Tensor *b) {
    Shape out_shape = {.ndim = a->ndim - 1};
    int64_t rows = 1;
    for (int i = 0; i < a->ndim - 1; i++) {
        out_shape.dims[i] = a->shape[i];
        rows *= a->shape[i];
    }
    if (b->ndim == 2) out_shape.dims[out_shape.ndim++] = b->shape[1];
    Tensor *a2 = tensor_reshape(a, SHAPE(rows, a->shape[a->ndim - 1]));
    Tensor *product = b->ndim == 2 ? tensor_mm(a2, b) : tensor_mv(a2, b);
    return unsafe_view(product, out_shape);
}

static Tensor *squeeze_forward(Tensor *const *in, const int64_t *args) {
    return tensor_squeeze_dim(in[0], (int)args[0]);
}

/* The last two dimensions swapped (Tensor.mT), or t.t() for a matrix. */
static Tensor *transpose_last(Tensor *t) {
    return t && t->ndim >= 2 ? tensor_transpose(t, -2, -1) : t;
}

/* torch.matmul folds t (>= 3-D) against a vector or matrix, except a 3-D t
 * whose last two dimensions are transposed under an outermost first one:
 * its fold would need a copy, so PyTorch runs bmm instead (which shows in
 * the error messages). */
static bool should_fold(const Tensor *t, int other_ndim) {
    if (t->ndim < 3 || (other_ndim != 1 && other_ndim != 2)) return false;
    return !(t->ndim == 3 && other_ndim == 2 && t->strides[2] != 1 &&
             t->strides[0] == t->shape[1] * t->shape[2]);
}

/* Both operands have at least 2 dimensions: broadcast the batch dimensions,
 * flatten them, and run one bmm. */
static Tensor *matmul_batched(Tensor *a, Tensor *b) {
    int64_t n = a->shape[a->ndim - 2], m1 = a->shape[a->ndim - 1];
    int64_t m2 = b->shape[b->ndim - 2], p = b->shape[b->ndim - 1];
    Shape batch_a = {.ndim = a->ndim - 2}, batch_b = {.ndim = b->ndim - 2}, batch;
    for (int i = 0; i < batch_a.ndim; i++) batch_a.dims[i] = a->shape[i];
    for (int i = 0; i < batch_b.ndim; i++) batch_b.dims[i] = b->shape[i];
    if (torch_broadcast_shapes(batch_a, batch_b, &batch) != 0) return NULL;
    int64_t batch_count = 1;
    for (int i = 0; i < batch.ndim; i++) batch_count *= batch.dims[i];

    Shape a_full = batch, b_full = batch, out_shape = batch;
    a_full.dims[a_full.ndim++] = n;
    a_full.dims[a_full.ndim++] = m1;
    b_full.dims[b_full.ndim++] = m2;
    b_full.dims[b_full.ndim++] = p;
    out_shape.dims[out_shape.ndim++] = n;
    out_shape.dims[out_shape.ndim++] = p;
    Tensor *a3 = tensor_reshape(tensor_expand(a, a_full), SHAPE(batch_count, n, m1));
    Tensor *b3 = tensor_reshape(tensor_expand(b, b_full), SHAPE(batch_count, m2, p));
    return unsafe_view(tensor_bmm(a3, b3), out_shape);
}

Tensor *tensor_matmul(Tensor *a, Tensor *b) {
    if (!a || !b) return nb_error_null_tensor();
    int da = a->ndim, db = b->ndim;
    if (da == 0 || db == 0) {
        nb_error_set(ERR_VALUE, "both arguments to matmul need to be at least 1D, but they are %dD and %dD",
                  da, db);
        return NULL;
    }
    if (da == 1 && db == 1) return tensor_dot(a, b);
    if (da == 2 && db == 1) return tensor_mv(a, b);
    if (da == 1 && db == 2) {
        Tensor *product = tensor_mm(tensor_unsqueeze(a, 0), b);
        return autograd_apply(&node_squeeze_inplace, squeeze_forward, 1, &product, (int64_t[]){0}, 1);
    }
    if (da == 2 && db == 2) return tensor_mm(a, b);
    if (should_fold(a, db)) return matmul_folded(a, b);
    if (should_fold(b, da)) {
        /* (b^T @ a^T)^T, folding b's batches; a vector needs no transpose */
        Tensor *folded = matmul_folded(transpose_last(b), da == 2 ? transpose_last(a) : a);
        return da == 2 ? tensor_contiguous(transpose_last(folded)) : folded;
    }
    return matmul_batched(a, b);
}

Tensor *tensor_outer(Tensor *a, Tensor *b) {
    if (!a || !b) return nb_error_null_tensor();
    if (a->ndim != 1) {
        nb_error_set(ERR_VALUE, "outer: Expected 1-D argument self, but got %d-D", a->ndim);
        return NULL;
    }
    if (b->ndim != 1) {
        nb_error_set(ERR_VALUE, "outer: Expected 1-D argument vec2, but got %d-D", b->ndim);
        return NULL;
    }
    /* as PyTorch: self.reshape(-1, 1) * vec2, so dtypes promote */
    return tensor_mul(tensor_reshape(a, SHAPE(-1, 1)), b);
}

static Tensor *dot_adapter(Tensor *const *in, const int64_t *args) {
    (void)args;
    return dot_forward(in[0], in[1]);
}

static Tensor *mm_adapter(Tensor *const *in, const int64_t *args) {
    (void)args;
    return mm_forward(in[0], in[1]);
}

static Tensor *mv_adapter(Tensor *const *in, const int64_t *args) {
    (void)args;
    return mv_forward(in[0], in[1]);
}

static Tensor *bmm_adapter(Tensor *const *in, const int64_t *args) {
    (void)args;
    return bmm_forward(in[0], in[1]);
}

Tensor *tensor_dot(Tensor *a, Tensor *b) {
    return autograd_apply(&node_dot, dot_adapter, 2, (Tensor *[]){a, b}, NULL, 0);
}

Tensor *tensor_mm(Tensor *a, Tensor *b) {
    return autograd_apply(&node_mm, mm_adapter, 2, (Tensor *[]){a, b}, NULL, 0);
}

Tensor *tensor_mv(Tensor *a, Tensor *b) {
    return autograd_apply(&node_mv, mv_adapter, 2, (Tensor *[]){a, b}, NULL, 0);
}

Tensor *tensor_bmm(Tensor *a, Tensor *b) {
    return autograd_apply(&node_bmm, bmm_adapter, 2, (Tensor *[]){a, b}, NULL, 0);
}
