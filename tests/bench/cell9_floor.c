/* cell9_floor: the floor under `nbreplay run 9` (issue 18), the work cell 9
 * cannot do without, each part timed alone in one process: drawing X and Y
 * (NumPy's normals, nb_rng_normal from seed 0, as the cell draws them) and
 * the two K x L by L x M float64 products, each the one cblas_dgemm that
 * cpu_gemm.c makes for a row-major product. Every buffer is faulted in
 * before anything is timed, so first touch, allocation, start and exit are
 * not in the floor: they are what the cell adds to it.
 *
 *   cell9_floor [--fresh] [K L M]     (default 25000 10000 1000)
 *
 * With --fresh, X, Y and each product's result are fresh memory instead, so
 * the draws and the products fault their pages in, as the cell's do.
 *
 * Prints one JSON line: draws, gemm1, gemm2, floor (their sum) and fault_in
 * (writing the arrays once before, untimed in the floor), in seconds. Driven by
 * tests/bench/cell9_floor; a benchmark, not a test. */
#define _DEFAULT_SOURCE /* madvise */
#include <cblas.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include <nbreplay/nbreplay.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* A block in 2 MB pages where the kernel allows (as the library's big
 * tensors), written once so that no page fault is left for the timed part. */
static double *block(size_t count, bool fault_in) {
    size_t bytes = count * sizeof(double);
    double *p = NULL;
    if (posix_memalign((void **)&p, (size_t)2 << 20, bytes) != 0) return NULL;
#ifdef MADV_HUGEPAGE
    madvise(p, bytes, MADV_HUGEPAGE);
#endif
    if (fault_in) memset(p, 0, bytes);
    return p;
}

/* Z = X @ Y, all row-major: as column-major, Z^T = Y^T X^T (addmm's swap). */
static double timed_product(const double *X, const double *Y, double *Z, int K, int L, int M) {
    double start = now();
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, M, K, L, 1.0, Y, M, X, L, 0.0, Z, M);
    return now() - start;
}

int main(int argc, char **argv) {
    bool fresh = argc > 1 && strcmp(argv[1], "--fresh") == 0;
    argc -= fresh;
    argv += fresh;
    long K = 25000, L = 10000, M = 1000;
    if (argc == 4) {
        K = atol(argv[1]);
        L = atol(argv[2]);
        M = atol(argv[3]);
    }
    if (argc != 1 && argc != 4) {
        fprintf(stderr, "usage: cell9_floor [--fresh] [K L M]\n");
        return 2;
    }
    if (K <= 0 || L <= 0 || M <= 0 || K > 1000000 || L > 1000000 || M > 1000000) {
        fprintf(stderr, "cell9_floor: K, L and M must be in 1..1000000\n");
        return 2;
    }
    size_t nx = (size_t)K * (size_t)L, ny = (size_t)L * (size_t)M, nz = (size_t)K * (size_t)M;
    /* how long faulting the three arrays in takes here (with --fresh, only
     * mapping them: the draws and the products fault them in) */
    double fault_start = now();
    double *X = block(nx, !fresh), *Y = block(ny, !fresh), *Z = block(nz, !fresh);
    double fault_in = now() - fault_start;
    double *tiny = block(1, true);
    if (!X || !Y || !Z || !tiny) {
        fprintf(stderr, "cell9_floor: out of memory\n");
        return 1;
    }
    /* OpenBLAS starts its threads and maps its buffers on the first call:
     * a 1x1 product does that outside the timed part. */
    timed_product(tiny, tiny, tiny, 1, 1, 1);

    Rng rng;
    nb_rng_seed(&rng, 0);
    double start = now();
    nb_rng_normal(&rng, 0.0, 1.0, X, nx);
    nb_rng_normal(&rng, 0.0, 1.0, Y, ny);
    double draws = now() - start;
    double gemm1 = timed_product(X, Y, Z, (int)K, (int)L, (int)M);
    if (fresh) { /* the cell's second product has a new result, as torch.matmul's */
        free(Z);
        if (!(Z = block(nz, false))) return 1;
    }
    double gemm2 = timed_product(X, Y, Z, (int)K, (int)L, (int)M);
    printf("{\"K\": %ld, \"L\": %ld, \"M\": %ld, \"fresh\": %s, \"draws\": %.6f, \"gemm1\": %.6f, "
           "\"gemm2\": %.6f, \"floor\": %.6f, \"fault_in\": %.6f, \"check\": %.17g}\n",
           K, L, M, fresh ? "true" : "false", draws, gemm1, gemm2, draws + gemm1 + gemm2, fault_in,
           Z[nz - 1]);
    free(X);
    free(Y);
    free(Z);
    free(tiny);
    return 0;
}
