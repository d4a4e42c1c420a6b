/* cpu_reduce: sums over dimensions and the dot product on the CPU, in
 * ATen 1.13's order: its TensorIterator walk (cpu_reduce_iter.c) around
 * its cascade sum (cpu_cascade_sum.c), and the BLAS dot it calls. */
#include <cblas.h>
#include <limits.h>
#include <string.h>

#include "error.h"
#include "cpu_cascade_sum.h"
#include "cpu_kernels.h"
#include "cpu_reduce_iter.h"

/* The output starts at 0 (ATen's fill_), and every block of the walk adds
 * its sums into it. */
int cpu_sum(Tensor *out, const Tensor *in) {
    static const ReduceLoop2d loops[DTYPE_COUNT] = {[DTYPE_INT64] = cpu_wrapping_sum_loop_i64,
                                                    [DTYPE_FLOAT32] = cpu_cascade_sum_loop_f32,
                                                    [DTYPE_FLOAT64] = cpu_cascade_sum_loop_f64};
    if (!loops[in->dtype]) return nb_error_set(ERR_VALUE, "\"sum_cpu\" not implemented for 'Bool'");
    size_t elsize = nb_dtype_size(out->dtype);
    memset(tensor_data(out), 0, (size_t)tensor_numel(out) * elsize);
    ReduceIter it;
    reduce_iter_build(&it, out, in);
    if (reduce_iter_numel(&it) == 0) return 0;
    reduce_iter_run(&it, loops[in->dtype], (int64_t)elsize);
    return 0;
}

/* ATen's dot_impl: one element steps nowhere (strides become 1); float32
 * and float64 go to BLAS's dot whenever the sizes fit its ints, stride 0
 * included; int64 (and what does not fit) is a plain running sum. */
int cpu_dot(Tensor *out, const Tensor *a, const Tensor *b) {
    int64_t n = a->shape[0], sa = a->strides[0], sb = b->strides[0];
    if (n == 1) sa = sb = 1;
    const char *pa = tensor_data(a), *pb = tensor_data(b);
    void *o = tensor_data(out);
    bool blas = n <= INT_MAX && sa <= INT_MAX && sb <= INT_MAX;
    switch (a->dtype) {
    case DTYPE_FLOAT32:
        if (blas) {
            *(float *)o = cblas_sdot((int)n, (const float *)pa, (int)sa, (const float *)pb, (int)sb);
        } else {
            float acc = 0;
            for (int64_t i = 0; i < n; i++) acc += ((const float *)pa)[i * sa] * ((const float *)pb)[i * sb];
            *(float *)o = acc;
        }
        return 0;
    case DTYPE_FLOAT64:
        if (blas) {
            *(double *)o = cblas_ddot((int)n, (const double *)pa, (int)sa, (const double *)pb, (int)sb);
        } else {
            double acc = 0;
            for (int64_t i = 0; i < n; i++) acc += ((const double *)pa)[i * sa] * ((const double *)pb)[i * sb];
            *(double *)o = acc;
        }
        return 0;
    case DTYPE_INT64: {
        uint64_t acc = 0;
        for (int64_t i = 0; i < n; i++)
            acc += (uint64_t)((const int64_t *)pa)[i * sa] * (uint64_t)((const int64_t *)pb)[i * sb];
        *(int64_t *)o = (int64_t)acc;
        return 0;
    }
    case DTYPE_BOOL: break;
    }
    return nb_error_set(ERR_VALUE, "\"dot\" not implemented for 'Bool'");
}
