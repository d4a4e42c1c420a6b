/* cpu_aten_loop: runs a row kernel whose bits depend on where ATen's
 * vectorized loop cuts the rows (pow, sigmoid, maximum: vector and scalar
 * bodies that round differently), walking the operands in ATen's order. */
#include "cpu_aten_loop.h"

#include "cpu_kernels.h"
#include "layout.h"

/* Whether a view steps through its elements in memory order. */
static bool dense_in_order(const Tensor *t) {
    int64_t expected = 1;
    for (int d = t->ndim - 1; d >= 0; d--) {
        if (t->shape[d] == 1) continue;
        if (t->strides[d] != expected) return false;
        expected *= t->shape[d];
    }
    return true;
}

/* ATen's cpu_kernel_vec on an output TensorIterator allocates: walked in
 * its order (src/lib/layout.h), into an output dense in that order, which
 * is how the front end allocates ours. Where an output comes in another
 * layout, the rows are computed into a scratch tensor of ATen's layout,
 * then copied. */
int cpu_iterate_as_aten(int nops, const Tensor *const *ops, CpuRowKernel kernel) {
    int order[TENSOR_MAX_DIMS];
    layout_aten_order(nops, ops, order);
    Tensor permuted[CPU_ITER_MAX_OPERANDS];
    const Tensor *views[CPU_ITER_MAX_OPERANDS];
    for (int k = 0; k < nops; k++) {
        permuted[k] = cpu_permuted(ops[k], order);
        views[k] = &permuted[k];
    }
    Tensor out = permuted[0];
    if (dense_in_order(&out)) {
        cpu_iterate_aten(nops, views, kernel);
        return 0;
    }
    TensorScope *scope = tensor_scope_open();
    Shape shape = {.ndim = out.ndim};
    for (int d = 0; d < out.ndim; d++) shape.dims[d] = out.shape[d];
    Tensor *scratch = tensor_empty(out.dtype, shape);
    if (scratch) {
        views[0] = scratch;
        cpu_iterate_aten(nops, views, kernel);
        cpu_copy(&out, scratch);
    }
    tensor_scope_close(scope);
    return scratch ? 0 : -1;
}

