/* cpu_blas_buffer: OpenBLAS's per-thread buffer under a memory limit (see
 * nbreplay/memory_limit.h). */
#ifndef NB_CPU_BLAS_BUFFER_H
#define NB_CPU_BLAS_BUFFER_H

#include <stdbool.h>

/* Address space one OpenBLAS thread maps for its buffer (measured: 0.3.21
 * maps 128 MiB plus its bookkeeping), with a margin. */
#define CPU_BLAS_BUFFER_BYTES ((int64_t)136 << 20)

/* 0 when a BLAS level-2/3 call may run (no limit, or the buffer is mapped
 * or there is room to map it now); -1 with ERR_NOMEM set when it would not
 * fit, where OpenBLAS would retry forever. */
int cpu_blas_ready(void);

#endif
