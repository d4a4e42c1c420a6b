/* cuda_allocator: size classes with free lists, and a pointer -> size map
 * of the live blocks (device memory cannot hold a header the host reads). */
#include "cuda_allocator.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "error.h"

size_t caching_round_size(size_t nbytes) {
    size_t round = nbytes <= CACHING_SMALL_LIMIT ? CACHING_SMALL_ROUND : CACHING_LARGE_ROUND;
    if (nbytes == 0) return CACHING_SMALL_ROUND;
    if (nbytes > SIZE_MAX - (round - 1)) return 0;
    return (nbytes + round - 1) / round * round;
}

/* "2.00 GiB", as PyTorch's out-of-memory message writes sizes */
static const char *bytes_text(uint64_t bytes, char *buf, size_t size) {
    static const char *const units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double value = (double)bytes;
    int unit = 0;
    while (value >= 1024 && unit < 6) {
        value /= 1024;
        unit++;
    }
    if (unit == 0)
        snprintf(buf, size, "%llu bytes", (unsigned long long)bytes);
    else
        snprintf(buf, size, "%.2f %s", value, units[unit]);
    return buf;
}

/* ---- live blocks: ptr -> size ---- */

static size_t slot_of(const CachingAllocator *a, const void *ptr) {
    uint64_t h = (uint64_t)(uintptr_t)ptr;
    h ^= h >> 33;
    h *= UINT64_C(0xff51afd7ed558ccd);
    h ^= h >> 33;
    return (size_t)h & (a->live_cap - 1);
}

static void live_put(CachingAllocator *a, void *ptr, size_t size) {
    size_t i = slot_of(a, ptr);
    while (a->live[i].ptr) i = (i + 1) & (a->live_cap - 1);
    a->live[i] = (LiveBlock){ptr, size};
    a->live_count++;
}

/* Room for one more live block (the table stays at most half full). */
static int live_reserve(CachingAllocator *a) {
    if (2 * (a->live_count + 1) <= a->live_cap) return 0;
    size_t cap = a->live_cap ? a->live_cap * 2 : 64;
    LiveBlock *old = a->live;
    size_t old_cap = a->live_cap;
    LiveBlock *grown = nb_calloc(cap, sizeof *grown);
    if (!grown) return nb_error_nomem();
    a->live = grown;
    a->live_cap = cap;
    a->live_count = 0;
    for (size_t i = 0; i < old_cap; i++)
        if (old[i].ptr) live_put(a, old[i].ptr, old[i].size);
    nb_free(old);
    return 0;
}

/* Removes ptr and returns its size, or 0 when it is not live. Linear
 * probing deletes by shifting later entries of the run back, so lookups
 * never need tombstones. */
static size_t live_take(CachingAllocator *a, void *ptr) {
    if (!a->live_cap) return 0;
    size_t mask = a->live_cap - 1, i = slot_of(a, ptr);
    while (a->live[i].ptr && a->live[i].ptr != ptr) i = (i + 1) & mask;
    if (!a->live[i].ptr) return 0;
    size_t size = a->live[i].size;
    a->live[i].ptr = NULL;
    a->live_count--;
    for (size_t j = (i + 1) & mask; a->live[j].ptr; j = (j + 1) & mask) {
        size_t home = slot_of(a, a->live[j].ptr);
        /* move j back into the hole at i unless its home lies in (i, j] */
        bool stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
        if (stays) continue;
        a->live[i] = a->live[j];
        a->live[j].ptr = NULL;
        i = j;
    }
    return size;
}

/* ---- size classes ---- */

static SizeClass *class_find(CachingAllocator *a, size_t size, size_t *insert_at) {
    size_t lo = 0, hi = a->nclasses;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a->classes[mid].size < size)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (insert_at) *insert_at = lo;
    return lo < a->nclasses && a->classes[lo].size == size ? &a->classes[lo] : NULL;
}

static SizeClass *class_get_or_add(CachingAllocator *a, size_t size) {
    size_t at;
    SizeClass *found = class_find(a, size, &at);
    if (found) return found;
    if (a->nclasses == a->classes_cap) {
        size_t cap = a->classes_cap ? a->classes_cap * 2 : 16;
        SizeClass *grown = nb_realloc(a->classes, cap * sizeof *grown);
        if (!grown) return NULL;
        a->classes = grown;
        a->classes_cap = cap;
    }
    memmove(&a->classes[at + 1], &a->classes[at], (a->nclasses - at) * sizeof *a->classes);
    a->classes[at] = (SizeClass){size, NULL, 0, 0};
    a->nclasses++;
    return &a->classes[at];
}

static bool class_push(SizeClass *c, void *ptr) {
    if (c->count == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 8;
        void **grown = nb_realloc(c->free_blocks, cap * sizeof *grown);
        if (!grown) return false;
        c->free_blocks = grown;
        c->cap = cap;
    }
    c->free_blocks[c->count++] = ptr;
    return true;
}

/* ---- the allocator ---- */

static void *take_cached(CachingAllocator *a, size_t size) {
    SizeClass *c = class_find(a, size, NULL);
    return c && c->count ? c->free_blocks[--c->count] : NULL;
}

static int raw_alloc_retrying(CachingAllocator *a, void **ptr, size_t size) {
    int rc = a->raw_alloc(ptr, size);
    if (rc == 1 && a->reserved > a->allocated) {
        caching_empty_cache(a);
        rc = a->raw_alloc(ptr, size);
    }
    if (rc != 1) return rc;
    char want[32], have[32], held[32];
    return nb_error_set(ERR_NOMEM, "%s out of memory: tried to allocate %s (%s allocated, %s reserved)",
                     a->device, bytes_text(size, want, sizeof want),
                     bytes_text(a->allocated, have, sizeof have), bytes_text(a->reserved, held, sizeof held));
}

void *caching_alloc(CachingAllocator *a, size_t nbytes) {
    size_t size = caching_round_size(nbytes);
    if (size == 0) {
        nb_error_set(ERR_NOMEM, "%s out of memory: tried to allocate %zu bytes", a->device, nbytes);
        return NULL;
    }
    if (live_reserve(a) != 0) return NULL;
    void *ptr = take_cached(a, size);
    if (!ptr) {
        if (raw_alloc_retrying(a, &ptr, size) != 0) return NULL;
        a->reserved += size;
        a->raw_allocs++;
    }
    live_put(a, ptr, size);
    a->allocated += size;
    return ptr;
}

void caching_free(CachingAllocator *a, void *ptr) {
    if (!ptr) return;
    size_t size = live_take(a, ptr);
    if (size == 0) {
        fprintf(stderr, "internal error: %s memory %p freed but not allocated here\n", a->device, ptr);
        return;
    }
    a->allocated -= size;
    /* With no room to remember the block, give it back instead. */
    SizeClass *c = class_get_or_add(a, size);
    if (!c || !class_push(c, ptr)) {
        a->raw_free(ptr);
        a->reserved -= size;
    }
}

void caching_empty_cache(CachingAllocator *a) {
    for (size_t i = 0; i < a->nclasses; i++) {
        SizeClass *c = &a->classes[i];
        for (size_t j = 0; j < c->count; j++) a->raw_free(c->free_blocks[j]);
        a->reserved -= (uint64_t)c->count * c->size;
        c->count = 0;
    }
}

void caching_release_all(CachingAllocator *a) {
    caching_empty_cache(a);
    for (size_t i = 0; i < a->live_cap; i++)
        if (a->live[i].ptr) a->raw_free(a->live[i].ptr);
    for (size_t i = 0; i < a->nclasses; i++) nb_free(a->classes[i].free_blocks);
    nb_free(a->classes);
    nb_free(a->live);
    *a = (CachingAllocator)CACHING_ALLOCATOR_INIT(a->raw_alloc, a->raw_free, a->device);
}
