/* alloc: counted heap allocation with optional failure injection, and the
 * pools of small fixed-size blocks (pool.h) that go through the same books.
 * The counters are not thread-safe by design: the library runs one cell at
 * a time. The pools' free lists are per thread. */
#include "alloc.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "pool.h"

#if defined(__SANITIZE_ADDRESS__)
#define NB_POOL_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NB_POOL_UNDER_ASAN 1
#endif
#endif

#if !defined(NB_POOL_UNDER_ASAN) && defined(__has_include)
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#define NB_POOL_ASK_VALGRIND 1
#endif
#endif

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

/* ---- pools ---- */

/* A free block's first word links it to the next. */
typedef struct FreeBlock {
    struct FreeBlock *next;
} FreeBlock;

/* limit: how many blocks the list keeps, set when the pool first goes to
 * the heap (a pool is always asked for one size); 0 (keep none) before,
 * and when not recycling. */
typedef struct {
    FreeBlock *head;
    size_t count, limit;
} FreeList;

/* initial-exec: one segment-relative access, no __tls_get_addr per op */
static _Thread_local FreeList free_lists[NB_POOL_COUNT] __attribute__((tls_model("initial-exec")));
static int recycling = -1; /* unknown until first asked */

int nb_pool_recycles(void) {
    if (recycling < 0) {
#if defined(NB_POOL_UNDER_ASAN)
        recycling = 0;
#elif defined(NB_POOL_ASK_VALGRIND)
        /* Memcheck answers this request with -1 (any other tool, and no
         * Valgrind, with 0): only memcheck needs every block from malloc,
         * callgrind should count what a normal run does. */
        int probe = 0;
        recycling = (long)VALGRIND_MAKE_MEM_DEFINED(&probe, sizeof probe) == -1 ? 0 : 1;
#else
        recycling = 1;
#endif
    }
    return recycling;
}

/* A thread's lists die with it: a key whose destructor runs at the
 * thread's exit frees the blocks its lists still keep, so programs that
 * start and end threads do not leak up to a list's limit per pool each. */
static pthread_key_t exit_key;
static pthread_once_t exit_key_once = PTHREAD_ONCE_INIT;

static void free_thread_lists(void *unused) {
    (void)unused;
    for (int pool = 0; pool < NB_POOL_COUNT; pool++) {
        FreeList *list = &free_lists[pool];
        while (list->head) {
            FreeBlock *next = list->head->next;
            free(list->head);
            list->head = next;
        }
        list->count = list->limit = 0;
    }
}

static void make_exit_key(void) { pthread_key_create(&exit_key, free_thread_lists); }

/* Asks for free_thread_lists at this thread's exit (once per thread: a
 * list's limit is set once, on its first trip to the heap). */
static void free_lists_at_thread_exit(void) {
    pthread_once(&exit_key_once, make_exit_key);
    if (!pthread_getspecific(exit_key)) pthread_setspecific(exit_key, free_lists);
}

/* About 1 MiB of blocks per list, at least 64 and at most NB_POOL_MAX_FREE. */
static size_t list_limit(size_t size) {
    if (!nb_pool_recycles()) return 0;
    free_lists_at_thread_exit();
    size_t n = ((size_t)1 << 20) / (size ? size : 1);
    return n < 64 ? 64 : n > NB_POOL_MAX_FREE ? NB_POOL_MAX_FREE : n;
}

void *nb_pool_take(NbPool pool, size_t size) {
    if (should_fail()) return NULL;
    FreeList *list = &free_lists[pool];
    FreeBlock *block = list->head;
    if (block) {
        list->head = block->next;
        list->count--;
    } else {
        list->limit = list_limit(size);
        block = malloc(size ? size : 1);
        if (!block) return NULL;
    }
    stats.live_blocks++;
    return block;
}

void nb_pool_give(NbPool pool, void *p) {
    if (!p) return;
    stats.live_blocks--;
    FreeList *list = &free_lists[pool];
    if (list->count >= list->limit) {
        free(p);
        return;
    }
    FreeBlock *block = p;
    block->next = list->head;
    list->head = block;
    list->count++;
}

size_t nb_pool_free_count(NbPool pool) { return free_lists[pool].count; }
