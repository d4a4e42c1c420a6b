/* cpu_blas_buffer: maps OpenBLAS's buffer while a memory limit leaves room
 * for it, so that a product never meets OpenBLAS's endless retry. */
#include "cpu_blas_buffer.h"

#include <cblas.h>
#include <stdatomic.h>
#include <stdint.h>

#include "error.h"
#include "nbreplay/memory_limit.h"

/* big enough that OpenBLAS takes its buffered path, not a small-matrix
 * kernel without a buffer */
#define WARM_N 160

static atomic_int mapped;
/* Asking for the limits is two system calls, which cost more than a small
 * product: the first answer "no limit" is kept. ulimit sets a limit before
 * the process starts; one the process sets itself later is not seen. */
static atomic_int unlimited;

int cpu_blas_ready(void) {
    if (atomic_load(&mapped) || atomic_load(&unlimited)) return 0;
    int64_t room = nb_memory_headroom();
    if (room < 0) { /* no limit: OpenBLAS's own way */
        atomic_store(&unlimited, 1);
        return 0;
    }
    if (room < CPU_BLAS_BUFFER_BYTES + ((int64_t)WARM_N * WARM_N * 8 * 3))
        return nb_error_set(ERR_NOMEM, "out of memory (OpenBLAS needs %lld MiB of address space for its "
                                       "buffer; the memory limit leaves %lld MiB)",
                            (long long)(CPU_BLAS_BUFFER_BYTES >> 20), (long long)(room >> 20));
    static double a[WARM_N * WARM_N], c[WARM_N * WARM_N];
    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, WARM_N, WARM_N, WARM_N, 1.0, a, WARM_N, a,
                WARM_N, 0.0, c, WARM_N);
    atomic_store(&mapped, 1);
    return 0;
}
