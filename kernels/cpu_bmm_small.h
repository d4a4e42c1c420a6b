/* cpu_bmm_small: bmm's plain loop for small float batches, as SIMD lanes. */
#ifndef NB_CPU_BMM_SMALL_H
#define NB_CPU_BMM_SMALL_H

#include <stdbool.h>

#include "tensor.h"

/* out[e] = a[e] @ b[e] by baddbmm_cpu_kernel's loop, bit for bit, when all
 * three are 3-D float32/float64 of out's dtype and b's and out's rows are
 * contiguous; false (nothing written) otherwise. */
bool cpu_bmm_small(Tensor *out, const Tensor *a, const Tensor *b);

#endif
