/* cpu_kernels: the CPU backend's entry points, one family per file. */
#ifndef NB_CPU_KERNELS_H
#define NB_CPU_KERNELS_H

#include "backend.h"

int cpu_copy(Tensor *dst, const Tensor *src);                                   /* cpu_elementwise.c */
int cpu_unary(UnaryOp op, Tensor *out, const Tensor *in);                       /* cpu_elementwise.c */
int cpu_binary(BinaryOp op, Tensor *out, const Tensor *a, const Tensor *b);     /* cpu_elementwise.c */
/* add, sub, mul, div of float32/float64 operands of out's dtype and shape,
 * all three contiguous on the host: the row kernel on one row, without
 * the iterator's setup (what cpu_binary computes, bit for bit); false,
 * nothing written, for any other op or dtype. */
bool cpu_binary_exact_contiguous(BinaryOp op, Tensor *out, const Tensor *a, const Tensor *b);
/* A unary op of the table on a contiguous input of out's dtype and shape
 * (below the parallel grain): its row kernel on one row, as cpu_unary runs
 * it; false, nothing written, when the dtype has no kernel. */
bool cpu_unary_contiguous(UnaryOp op, Tensor *out, const Tensor *in);
int cpu_where(Tensor *out, const Tensor *cond, const Tensor *a, const Tensor *b); /* cpu_elementwise.c */
int cpu_sum(Tensor *out, const Tensor *in);                                     /* cpu_reduce.c */
int cpu_dot(Tensor *out, const Tensor *a, const Tensor *b);                     /* cpu_reduce.c */
int cpu_mm(Tensor *out, const Tensor *a, const Tensor *b);                      /* cpu_gemm.c */
int cpu_mv(Tensor *out, const Tensor *mat, const Tensor *vec);                  /* cpu_gemv.c */
int cpu_bmm(Tensor *out, const Tensor *a, const Tensor *b);                     /* cpu_gemm.c */
int cpu_reduce(ReduceOp op, Tensor *out, const Tensor *in);                     /* cpu_reduce_minmax.c */

#endif
