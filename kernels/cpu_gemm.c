/* cpu_gemm: batched matrix multiply on the CPU. float32/float64 go to
 * OpenBLAS's cblas_?gemm, reading each operand in place when its strides
 * describe a row- or column-major matrix, except float64 products small
 * enough for cpu_gemm_small; int64 uses our own loop (BLAS has no integer
 * GEMM). */
#include <cblas.h>
#include <string.h>

#include "error.h"
#include "cpu_gemm_small.h"
#include "cpu_kernels.h"

/* How BLAS can read a rows x cols matrix with element strides (rs, cs). */
typedef struct {
    bool ok;
    CBLAS_TRANSPOSE trans;
    int64_t ld;
} BlasLayout;

static int64_t max1(int64_t v) { return v > 1 ? v : 1; }

static BlasLayout blas_layout(int64_t rows, int64_t cols, int64_t rs, int64_t cs) {
    /* Size-1 dimensions never step, so any stride fits them. */
    if ((cols == 1 || cs == 1) && (rows == 1 || rs >= max1(cols)))
        return (BlasLayout){true, CblasNoTrans, rows == 1 ? max1(cols) : rs};
    if ((rows == 1 || rs == 1) && (cols == 1 || cs >= max1(rows)))
        return (BlasLayout){true, CblasTrans, cols == 1 ? max1(rows) : cs};
    return (BlasLayout){false, CblasNoTrans, 0};
}

static bool fits_blas_int(int64_t v) { return v >= 0 && v <= 2147483647; }

/* Strides as BLAS needs them, or a contiguous copy of t when they are not. */
static const Tensor *blas_ready(const Tensor *t, int64_t rows, int64_t cols, BlasLayout *layout) {
    *layout = blas_layout(rows, cols, t->strides[1], t->strides[2]);
    if (layout->ok && fits_blas_int(layout->ld)) return t;
    Tensor *copy = tensor_contiguous((Tensor *)t);
    if (!copy) return NULL;
    *layout = blas_layout(rows, cols, copy->strides[1], copy->strides[2]);
    return copy;
}

static int gemm_blas(Tensor *out, const Tensor *a, const Tensor *b) {
    int64_t batch = out->shape[0], m = out->shape[1], n = out->shape[2], k = a->shape[2];
    if (!fits_blas_int(m) || !fits_blas_int(n) || !fits_blas_int(k))
        return nb_error_set(ERR_VALUE, "matrix dimensions beyond 2**31 are not supported");
    BlasLayout la, lb;
    const Tensor *ra = blas_ready(a, m, k, &la);
    const Tensor *rb = blas_ready(b, k, n, &lb);
    if (!ra || !rb) return -1;
    size_t elsize = nb_dtype_size(out->dtype);
    const char *pa = tensor_data(ra), *pb = tensor_data(rb);
    char *pc = tensor_data(out);
    for (int64_t i = 0; i < batch; i++) {
        const void *ai = pa + i * ra->strides[0] * (int64_t)elsize;
        const void *bi = pb + i * rb->strides[0] * (int64_t)elsize;
        void *ci = pc + i * m * n * (int64_t)elsize;
        if (out->dtype == DTYPE_FLOAT64)
            cblas_dgemm(CblasRowMajor, la.trans, lb.trans, (int)m, (int)n, (int)k, 1.0, ai,
                        (int)la.ld, bi, (int)lb.ld, 0.0, ci, (int)max1(n));
        else
            cblas_sgemm(CblasRowMajor, la.trans, lb.trans, (int)m, (int)n, (int)k, 1.0f, ai,
                        (int)la.ld, bi, (int)lb.ld, 0.0f, ci, (int)max1(n));
    }
    return 0;
}

/* i-k-j order keeps the inner loop streaming along rows of b and out. */
static void gemm_i64(Tensor *out, const Tensor *a, const Tensor *b) {
    int64_t batch = out->shape[0], m = out->shape[1], n = out->shape[2], k = a->shape[2];
    const int64_t *pa = tensor_data(a), *pb = tensor_data(b);
    int64_t *pc = tensor_data(out);
    memset(pc, 0, (size_t)(batch * m * n) * sizeof *pc);
    for (int64_t bi = 0; bi < batch; bi++) {
        const int64_t *ab = pa + bi * a->strides[0], *bb = pb + bi * b->strides[0];
        uint64_t *cb = (uint64_t *)(pc + bi * m * n);
        for (int64_t i = 0; i < m; i++)
            for (int64_t p = 0; p < k; p++) {
                uint64_t aip = (uint64_t)ab[i * a->strides[1] + p * a->strides[2]];
                const int64_t *brow = bb + p * b->strides[1];
                for (int64_t j = 0; j < n; j++) cb[i * n + j] += aip * (uint64_t)brow[j * b->strides[2]];
            }
    }
}

/* Each product of the batch through cpu_gemm_small, any strides. */
static void gemm_small_f64(Tensor *out, const Tensor *a, const Tensor *b) {
    int64_t batch = out->shape[0], m = out->shape[1], n = out->shape[2], k = a->shape[2];
    const double *pa = tensor_data(a), *pb = tensor_data(b);
    double *pc = tensor_data(out);
    for (int64_t i = 0; i < batch; i++)
        cpu_gemm_small_f64(m, n, k, pa + i * a->strides[0], a->strides[1], a->strides[2],
                           pb + i * b->strides[0], b->strides[1], b->strides[2], pc + i * m * n);
}

int cpu_bmm(Tensor *out, const Tensor *a, const Tensor *b) {
    if (tensor_numel(out) == 0) return 0;
    switch (out->dtype) {
    case DTYPE_FLOAT64:
        if (cpu_gemm_small_fits(out->shape[1], out->shape[2], a->shape[2])) {
            gemm_small_f64(out, a, b);
            return 0;
        }
        return gemm_blas(out, a, b);
    case DTYPE_FLOAT32: return gemm_blas(out, a, b);
    case DTYPE_INT64: gemm_i64(out, a, b); return 0;
    case DTYPE_BOOL: break;
    }
    return nb_error_set(ERR_VALUE, "\"addmm_impl_cpu_\" not implemented for 'Bool'");
}
