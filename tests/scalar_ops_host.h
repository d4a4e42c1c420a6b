/* scalar_ops_host: cuda/scalar_ops.cuh's arithmetic, compiled by nvcc for
 * the host (tests/scalar_ops_host.cu), so test_cuda_host.c can hold the
 * device kernels' element functions and summation order to the CPU
 * kernels without a GPU.
 * Each call applies one op to n elements of contiguous arrays; 1 when the
 * op has no kernel for the dtype (as the launchers answer), else 0. */
#ifndef NB_TEST_SCALAR_OPS_HOST_H
#define NB_TEST_SCALAR_OPS_HOST_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#include "../kernels/op_table.h"
#include "dtype.h"

int scalar_ops_host_unary(UnaryOp op, DType dtype, const void *in, void *out, int64_t n);
/* scalar_exponent: pow as the kernel computes it when the exponent does
 * not vary along the row (PyTorch's shortcuts) */
int scalar_ops_host_binary(BinaryOp op, DType dtype, bool scalar_exponent, const void *a, const void *b, void *out,
                           int64_t n);
int scalar_ops_host_convert(DType to, DType from, const void *in, void *out, int64_t n);

#ifdef __cplusplus
}
#endif

#endif
