/* cpu_gemm_small: our own kernel for float64 products too small for BLAS
 * to pay off (cpu_gemm_small.c says why and how). */
#ifndef NB_CPU_GEMM_SMALL_H
#define NB_CPU_GEMM_SMALL_H

#include <stdbool.h>
#include <stdint.h>

/* Whether an m x k by k x n product is small enough for it. */
bool cpu_gemm_small_fits(int64_t m, int64_t n, int64_t k);

/* c (m x n, contiguous) = a (m x k) @ b (k x n); strides in elements. */
void cpu_gemm_small_f64(int64_t m, int64_t n, int64_t k, const double *a, int64_t a_rs, int64_t a_cs,
                        const double *b, int64_t b_rs, int64_t b_cs, double *c);

#endif
