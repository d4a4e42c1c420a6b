/* pool: free lists of fixed-size blocks for what every op makes and every
 * scope close drops (tensor headers, small storages, scopes, autograd
 * nodes), so a small op takes no malloc once the lists are warm.
 *
 * A block taken from a pool counts as an allocation in alloc.c's books
 * (nb_alloc_stats, and nb_alloc_fail_after can make the take fail) and as
 * a live block until it is put back, exactly as nb_malloc/nb_free would:
 * the allocation-failure walk and the memory-stability tests see the same
 * thing with or without pools. Each list keeps at most a fixed number of
 * blocks; the rest go back to the heap, so pools never grow without bound.
 * Lists are per thread, and freed when their thread exits.
 *
 * Under AddressSanitizer, and under Valgrind's memcheck (asked once, by a
 * client request, where <valgrind/memcheck.h> was found at build time), the
 * pools pass every block straight to malloc and free, so use after free
 * and leaks are still caught where the block was taken. */
#ifndef NB_POOL_H
#define NB_POOL_H

#include <stddef.h>

typedef enum {
    NB_POOL_TENSOR,     /* Tensor headers */
    NB_POOL_STORAGE,    /* Storage headers of large data */
    NB_POOL_SMALL_64,   /* a Storage and its data in one block: data up to 64 bytes */
    NB_POOL_SMALL_128,
    NB_POOL_SMALL_256,
    NB_POOL_SMALL_512,
    NB_POOL_SCOPE,      /* TensorScopes */
    NB_POOL_NODE,       /* autograd nodes */
    NB_POOL_COUNT
} NbPool;

/* Blocks one list keeps at most: about 1 MiB of them, never fewer than
 * 64, never more than this (the rest are freed). */
#define NB_POOL_MAX_FREE 4096

/* A block of `size` bytes (always the same size for one pool), not
 * zeroed; NULL when the allocation fails (no error is set). */
void *nb_pool_take(NbPool pool, size_t size);
/* Gives a block back (NULL is ignored). */
void nb_pool_give(NbPool pool, void *block);
/* Blocks now waiting in the calling thread's list of `pool` (for tests). */
size_t nb_pool_free_count(NbPool pool);
/* Whether pools hand out recycled blocks in this process (false under
 * AddressSanitizer and Valgrind). */
int nb_pool_recycles(void);

#endif
