/* cuda_gemm_layout: row- or column-major reading of a strided matrix, with
 * the leading dimension cuBLAS requires (at least the stored rows). */
#include "cuda_gemm_layout.h"

static int64_t max1(int64_t v) { return v > 1 ? v : 1; }

static bool fits_int(int64_t v) { return v >= 1 && v <= 2147483647; }

GemmLayout gemm_layout(int64_t rows, int64_t cols, int64_t rs, int64_t cs) {
    GemmLayout layout = {false, false, 0};
    if ((cols == 1 || cs == 1) && (rows == 1 || rs >= max1(cols)))
        layout = (GemmLayout){true, false, rows == 1 ? max1(cols) : rs};
    else if ((rows == 1 || rs == 1) && (cols == 1 || cs >= max1(rows)))
        layout = (GemmLayout){true, true, cols == 1 ? max1(rows) : cs};
    if (layout.ok && !fits_int(layout.ld)) layout.ok = false;
    return layout;
}
