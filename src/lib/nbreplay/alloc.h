/* alloc: the one door through which the library takes heap memory. It keeps
 * counters (so tests can show memory stays flat) and can be told to fail
 * the k-th allocation (so tests can walk every out-of-memory path). */
#ifndef NB_ALLOC_H
#define NB_ALLOC_H

#include <stddef.h>
#include <stdint.h>

void *nb_malloc(size_t n);
void *nb_calloc(size_t count, size_t size);
void *nb_realloc(void *p, size_t n);
void nb_free(void *p);
char *nb_strdup(const char *s);

typedef struct AllocStats {
    int64_t live_blocks;     /* allocations not yet freed */
    int64_t total_calls;     /* allocations attempted so far */
} AllocStats;

AllocStats nb_alloc_stats(void);
/* Make allocation number k (1-based, counted from now) and every later one
 * fail; k = 0 turns failure injection off. */
void nb_alloc_fail_after(int64_t k);

#endif
