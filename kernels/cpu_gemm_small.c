/* cpu_gemm_small: float64 matrix products too small for BLAS to pay off.
 *
 * OpenBLAS spends microseconds per call on its interface and packing
 * before any arithmetic; the notebook's products (5x3x2 batches, a 300x4 by
 * 4x10 fold) are done in a fraction of that. Here B is packed into panels
 * of 4 columns (zero-padded), and each 4x4 tile of C is accumulated in four
 * vector registers over k, reading A in place.
 *
 * Each element is 0 + a0*b0 + a1*b1 + ... in order of k, every product
 * rounded (no fused multiply-add), whichever tile or padding it falls in:
 * results never depend on the shape around them. They may differ from
 * OpenBLAS's (which fuses and reorders) in the last bits, as PyTorch's own
 * small-bmm loop does. */
#include "cpu_gemm_small.h"

#include <string.h>

typedef double v4d __attribute__((vector_size(32)));

#define TILE 4
/* The product must be this small (in multiply-adds) to come here. */
#define SMALL_GEMM_MAX_MACS 32768
/* B's packed panels live on the stack, up to this many doubles. */
#define SMALL_GEMM_MAX_PACKED 4096

static int64_t round_up(int64_t v, int64_t to) { return (v + to - 1) / to * to; }

bool cpu_gemm_small_fits(int64_t m, int64_t n, int64_t k) {
    return m <= SMALL_GEMM_MAX_MACS && n <= SMALL_GEMM_MAX_MACS && k <= SMALL_GEMM_MAX_MACS &&
           m * n * k <= SMALL_GEMM_MAX_MACS && round_up(n, TILE) * k <= SMALL_GEMM_MAX_PACKED;
}

/* Writes the `cols` leading lanes of one tile row; constant sizes, so
 * each case is one or two plain stores. */
#define STORE_ROW(row_ptr, acc, cols)                                     \
    do {                                                                  \
        switch (cols) {                                                   \
        case 1: memcpy((row_ptr), &(acc), 1 * sizeof(double)); break;     \
        case 2: memcpy((row_ptr), &(acc), 2 * sizeof(double)); break;     \
        case 3: memcpy((row_ptr), &(acc), 3 * sizeof(double)); break;     \
        default: memcpy((row_ptr), &(acc), 4 * sizeof(double)); break;    \
        }                                                                 \
    } while (0)

/* A is read in place (four rows at a time, a row past the end standing in
 * for the missing ones of the last panel, its results never stored); bp
 * holds B in panels of TILE columns, bp[panel][p][c]. The four
 * accumulators are named, not an array, so that they stay in registers.
 * AVX2 where the CPU has it, one binary for both. */
__attribute__((target_clones("avx2", "default")))
static void tiles(int64_t m, int64_t n, int64_t k, const double *a, int64_t a_rs, int64_t a_cs,
                  const double *bp, double *c) {
    for (int64_t i = 0; i < m; i += TILE) {
        int64_t rows = m - i < TILE ? m - i : TILE;
        const double *a0 = a + i * a_rs;
        const double *a1 = rows > 1 ? a0 + a_rs : a0;
        const double *a2 = rows > 2 ? a0 + 2 * a_rs : a0;
        const double *a3 = rows > 3 ? a0 + 3 * a_rs : a0;
        for (int64_t j = 0; j < n; j += TILE) {
            const double *b_panel = bp + j * k;
            v4d acc0 = {0, 0, 0, 0}, acc1 = acc0, acc2 = acc0, acc3 = acc0;
            for (int64_t p = 0; p < k; p++) {
                v4d b;
                memcpy(&b, b_panel + p * TILE, sizeof b);
                double x0 = a0[p * a_cs], x1 = a1[p * a_cs], x2 = a2[p * a_cs], x3 = a3[p * a_cs];
                acc0 += (v4d){x0, x0, x0, x0} * b;
                acc1 += (v4d){x1, x1, x1, x1} * b;
                acc2 += (v4d){x2, x2, x2, x2} * b;
                acc3 += (v4d){x3, x3, x3, x3} * b;
            }
            int64_t cols = n - j < TILE ? n - j : TILE;
            double *row = c + i * n + j;
            STORE_ROW(row, acc0, cols);
            if (rows > 1) STORE_ROW(row + n, acc1, cols);
            if (rows > 2) STORE_ROW(row + 2 * n, acc2, cols);
            if (rows > 3) STORE_ROW(row + 3 * n, acc3, cols);
        }
    }
}

void cpu_gemm_small_f64(int64_t m, int64_t n, int64_t k, const double *a, int64_t a_rs, int64_t a_cs,
                        const double *b, int64_t b_rs, int64_t b_cs, double *c) {
    double bp[SMALL_GEMM_MAX_PACKED];
    int64_t np = round_up(n, TILE);
    for (int64_t j = 0; j < np; j++)
        for (int64_t p = 0; p < k; p++)
            bp[(j / TILE) * TILE * k + p * TILE + j % TILE] = j < n ? b[p * b_rs + j * b_cs] : 0.0;
    tiles(m, n, k, a, a_rs, a_cs, bp, c);
}
