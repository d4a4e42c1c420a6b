/* cpu_aten_loop: ATen's cpu_kernel_vec iteration, for kernels whose
 * vector and scalar bodies round differently. */
#ifndef NB_CPU_ATEN_LOOP_H
#define NB_CPU_ATEN_LOOP_H

#include "cpu_iter.h"

/* Runs `kernel` over ops[0] (written) and its inputs as ATen's
 * TensorIterator on an output it allocates would: walked in its order
 * (src/lib/layout.h), rows cut where it cuts them. 0, or -1 with the
 * error set when scratch memory is short. */
int cpu_iterate_as_aten(int nops, const Tensor *const *ops, CpuRowKernel kernel);

/* ATen's vectorized loop for one row of n values: it runs whole pairs of
 * vectors through the vector body when the output and every input are
 * contiguous (elem-size steps) or all but one input that is a broadcast
 * scalar (step 0); the rest, and every other row, through the scalar body.
 * How many values, from the start, the vector body gets. */
static inline int64_t cpu_aten_vector_count(int64_t n, int nops, const int64_t *s, int64_t elem,
                                            int64_t lanes) {
    int zero = 0;
    if (s[0] != elem) return 0;
    for (int k = 1; k < nops; k++) {
        if (s[k] == 0) zero++;
        else if (s[k] != elem) return 0;
    }
    if (zero > 1) return 0;
    return n / (2 * lanes) * (2 * lanes);
}

#endif
