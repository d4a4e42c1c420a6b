/* alloc: counted heap allocation with optional failure injection.
 * Not thread-safe by design: the library runs one cell at a time. */
#include "alloc.h"

#include <stdlib.h>
#include <string.h>

static AllocStats stats;
static int64_t fail_at;  /* 0: never fail; else fail when total_calls reaches it */

static int should_fail(void) {
    stats.total_calls++;
    return fail_at > 0 && stats.total_calls >= fail_at;
}

void *nb_malloc(size_t n) {
    if (should_fail()) return NULL;
    void *p = malloc(n ? n : 1);
    if (p) stats.live_blocks++;
    return p;
}

void *nb_calloc(size_t count, size_t size) {
    if (should_fail()) return NULL;
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (p) stats.live_blocks++;
    return p;
}

void *nb_realloc(void *p, size_t n) {
    if (!p) return nb_malloc(n);
    if (should_fail()) return NULL;
    return realloc(p, n ? n : 1);
}

void nb_free(void *p) {
    if (!p) return;
    stats.live_blocks--;
    free(p);
}

char *nb_strdup(const char *s) {
    size_t n = strlen(s) + 1;
    char *p = nb_malloc(n);
    if (p) memcpy(p, s, n);
    return p;
}

AllocStats nb_alloc_stats(void) { return stats; }

void nb_alloc_fail_after(int64_t k) { fail_at = k > 0 ? stats.total_calls + k : 0; }
