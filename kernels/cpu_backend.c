/* cpu_backend: the CPU's entry in the backend table. */
#define _DEFAULT_SOURCE /* madvise's MADV_HUGEPAGE */
#include <stdint.h>
#include <sys/mman.h>

#include "alloc.h"
#include "error.h"
#include "cpu_kernels.h"

/* From this size on, a block is asked to live in 2 MB pages. */
#define HUGE_PAGE_MIN_BYTES ((size_t)4 << 20)
#define SMALL_PAGE_BYTES ((uintptr_t)4096)

/* A fresh block of tens of megabytes (every op's result is one) is
 * otherwise faulted in 4 kB at a time on first write, which costs more
 * than the arithmetic of a cheap op; 2 MB pages cut the faults 512-fold.
 * Where transparent huge pages are off this is a no-op, and it never
 * changes what is computed. */
static void prefer_huge_pages(void *p, size_t nbytes) {
#ifdef MADV_HUGEPAGE
    if (nbytes < HUGE_PAGE_MIN_BYTES) return;
    uintptr_t start = ((uintptr_t)p + SMALL_PAGE_BYTES - 1) & ~(SMALL_PAGE_BYTES - 1);
    uintptr_t end = ((uintptr_t)p + nbytes) & ~(SMALL_PAGE_BYTES - 1);
    if (end > start) madvise((void *)start, end - start, MADV_HUGEPAGE);
#else
    (void)p;
    (void)nbytes;
#endif
}

static void *cpu_alloc(size_t nbytes) {
    void *p = nb_malloc(nbytes);
    if (!p) {
        nb_error_set(ERR_NOMEM, "out of memory: could not allocate %zu bytes on the CPU", nbytes);
        return NULL;
    }
    prefer_huge_pages(p, nbytes);
    return p;
}

static void cpu_free(void *p) { nb_free(p); }

const Backend cpu_backend = {
    .name = "cpu",
    .alloc = cpu_alloc,
    .free = cpu_free,
    .copy = cpu_copy,
    .unary = cpu_unary,
    .binary = cpu_binary,
    .sum = cpu_sum,
    .dot = cpu_dot,
    .mm = cpu_mm,
    .mv = cpu_mv,
    .bmm = cpu_bmm,
    .reduce = cpu_reduce,
    /* CPU kernels finish before they return: there is nothing to wait for. */
    .synchronize = NULL,
    .where = cpu_where,
};
