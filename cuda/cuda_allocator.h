/* cuda_allocator: a caching allocator in the manner of PyTorch's CUDA one.
 * cudaMalloc and cudaFree are slow and synchronize the device, so a freed
 * block is not returned to the driver but kept on a free list of its size
 * class and handed out again to the next request of that class; blocks go
 * back to the driver only when a request fails (empty the cache, try once
 * more) or at exit. It reports what torch.cuda.memory_allocated and
 * memory_reserved report.
 *
 * Plain C over a raw allocate/free pair, so the bookkeeping is tested on
 * the host (tests/test_cuda_host.c) with malloc standing in for cudaMalloc.
 * Single-threaded, like the rest of the library. */
#ifndef NB_CUDA_ALLOCATOR_H
#define NB_CUDA_ALLOCATOR_H

#include <stddef.h>
#include <stdint.h>

/* 0 with *ptr set; 1 when the device is out of memory (the caller may free
 * cached blocks and retry); -1 on any other failure, with error.h set. */
typedef int (*RawAllocFn)(void **ptr, size_t nbytes);
typedef void (*RawFreeFn)(void *ptr);

/* Requests up to 1 MiB round up to a multiple of 512 bytes, larger ones to
 * a multiple of 2 MiB (PyTorch's kMinBlockSize and kRoundLarge), so
 * requests of nearly the same size share a class and its free list. */
#define CACHING_SMALL_ROUND ((size_t)512)
#define CACHING_SMALL_LIMIT ((size_t)1 << 20)
#define CACHING_LARGE_ROUND ((size_t)2 << 20)

typedef struct SizeClass {
    size_t size;
    void **free_blocks; /* a stack: the block freed last is reused first */
    size_t count, cap;
} SizeClass;

typedef struct LiveBlock {
    void *ptr; /* NULL: an empty slot */
    size_t size;
} LiveBlock;

typedef struct CachingAllocator {
    RawAllocFn raw_alloc;
    RawFreeFn raw_free;
    const char *device;    /* "CUDA", for messages */
    SizeClass *classes;    /* sorted by size */
    size_t nclasses, classes_cap;
    LiveBlock *live;       /* open addressing, linear probing */
    size_t live_count, live_cap;
    uint64_t allocated;    /* bytes in blocks handed out and not freed */
    uint64_t reserved;     /* bytes held from the driver: allocated + cached */
    uint64_t raw_allocs;   /* calls of raw_alloc that succeeded */
} CachingAllocator;

#define CACHING_ALLOCATOR_INIT(raw_alloc_fn, raw_free_fn, device_name) \
    {(raw_alloc_fn), (raw_free_fn), (device_name), NULL, 0, 0, NULL, 0, 0, 0, 0, 0}

/* The size class a request of nbytes falls in, or 0 when that overflows. */
size_t caching_round_size(size_t nbytes);
/* A block of at least nbytes (at least one byte even for 0). NULL with
 * error.h set: ERR_NOMEM "CUDA out of memory: ..." when the device has no
 * room even after the cache was emptied, or what raw_alloc reported. */
void *caching_alloc(CachingAllocator *a, size_t nbytes);
/* Keeps the block for reuse; NULL is ignored. */
void caching_free(CachingAllocator *a, void *ptr);
/* torch.cuda.empty_cache(): every cached block back to the driver. */
void caching_empty_cache(CachingAllocator *a);
/* Returns every block, live or cached, and the bookkeeping; `a` can be
 * used again afterwards. */
void caching_release_all(CachingAllocator *a);

#endif
