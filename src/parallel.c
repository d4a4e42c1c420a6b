/* parallel: a fixed pool of worker threads, started on first use, that
 * sleep on a condition variable between jobs. The caller runs the first
 * piece itself, so on two cores one worker suffices. Workers sleep rather
 * than spin: the machine is often shared, and a spinning worker would steal
 * the core the caller needs. */
#define _GNU_SOURCE /* sched_getaffinity */
#include "parallel.h"

#include <pthread.h>
#include <sched.h>
#include <stdbool.h>

typedef struct {
    ParallelFn fn;
    void *context;
    int64_t chunk; /* items per piece, a multiple of align; the last may be short */
    int64_t n;
    int parts;
} Job;

static pthread_once_t pool_once = PTHREAD_ONCE_INIT;
static int pool_threads = 1; /* the caller included */
static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t start_cond = PTHREAD_COND_INITIALIZER;
static pthread_cond_t done_cond = PTHREAD_COND_INITIALIZER;
static uint64_t generation; /* bumped for every job */
static int remaining;       /* pieces of the current job still running on workers */
static Job job;
/* Set in workers, and in the caller while its job runs: a nested
 * parallel_for then runs serially instead of waiting on itself. */
static _Thread_local bool in_job;

static void run_piece(const Job *j, int part) {
    int64_t begin = j->chunk * part;
    int64_t end = part == j->parts - 1 ? j->n : begin + j->chunk;
    j->fn(j->context, begin, end);
}

static void *worker_main(void *arg) {
    int index = (int)(intptr_t)arg;
    in_job = true;
    uint64_t seen = 0;
    pthread_mutex_lock(&pool_lock);
    for (;;) {
        while (generation == seen) pthread_cond_wait(&start_cond, &pool_lock);
        seen = generation;
        Job j = job;
        pthread_mutex_unlock(&pool_lock);
        if (index < j.parts) run_piece(&j, index);
        pthread_mutex_lock(&pool_lock);
        if (index < j.parts && --remaining == 0) pthread_cond_signal(&done_cond);
    }
    return NULL;
}

static void start_pool(void) {
    cpu_set_t cpus;
    int wanted = 1;
    if (sched_getaffinity(0, sizeof cpus, &cpus) == 0) wanted = CPU_COUNT(&cpus);
    if (wanted > PARALLEL_MAX_THREADS) wanted = PARALLEL_MAX_THREADS;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    for (int i = 1; i < wanted; i++) {
        pthread_t thread;
        if (pthread_create(&thread, &attr, worker_main, (void *)(intptr_t)i) != 0) break;
        pool_threads++;
    }
    pthread_attr_destroy(&attr);
}

int parallel_threads(void) {
    pthread_once(&pool_once, start_pool);
    return pool_threads;
}

void parallel_for(int64_t n, int64_t grain, int64_t align, ParallelFn fn, void *context) {
    if (align < 1) align = 1;
    if (grain < 1) grain = 1;
    int64_t parts = in_job ? 1 : n / grain;
    if (parts >= 2) {
        int threads = parallel_threads();
        if (parts > threads) parts = threads;
    }
    if (parts < 2) {
        if (n > 0) fn(context, 0, n);
        return;
    }
    int64_t chunk = (n + parts - 1) / parts;
    chunk = (chunk + align - 1) / align * align;
    parts = (n + chunk - 1) / chunk; /* rounding up to align can leave fewer */
    if (parts < 2) {
        fn(context, 0, n);
        return;
    }
    Job j = {fn, context, chunk, n, (int)parts};
    pthread_mutex_lock(&pool_lock);
    job = j;
    remaining = j.parts - 1;
    generation++;
    pthread_cond_broadcast(&start_cond);
    pthread_mutex_unlock(&pool_lock);

    in_job = true;
    run_piece(&j, 0);
    in_job = false;

    pthread_mutex_lock(&pool_lock);
    while (remaining > 0) pthread_cond_wait(&done_cond, &pool_lock);
    pthread_mutex_unlock(&pool_lock);
}
