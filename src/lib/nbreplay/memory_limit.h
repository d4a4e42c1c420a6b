/* memory_limit: what the process's own limits (ulimit -v, ulimit -d) still
 * allow, and OpenBLAS's buffer reserved while they allow it. OpenBLAS maps
 * a buffer of about 128 MiB the first time a thread calls gemm and, when
 * the mapping fails, retries forever; so under a limit the buffer is mapped
 * early (nb_blas_reserve), and a product that finds no room for it is
 * refused as out of memory instead of hanging. */
#ifndef NB_MEMORY_LIMIT_H
#define NB_MEMORY_LIMIT_H

#include <stdint.h>

/* Bytes of address space RLIMIT_AS and RLIMIT_DATA still leave (the
 * smaller), or -1 when neither is set. */
int64_t nb_memory_headroom(void);

/* Under a limit, maps OpenBLAS's buffer for the calling thread now, when
 * there is room for it (nothing otherwise, and nothing without a limit). */
void nb_blas_reserve(void);

#endif
