/* parallel: a fixed pool of worker threads, started on first use, that
 * sleep on a condition variable between jobs. The caller works too, so on
 * two cores one worker suffices. Workers sleep rather than spin: the
 * machine is often shared, and a spinning worker would steal the core the
 * caller needs. For the same reason a job is cut into several pieces per
 * thread, taken in turn from a shared counter: when a core is busy with
 * another program, the other threads take over its share instead of
 * waiting for it. */
#define _GNU_SOURCE /* sched_getaffinity */
#include "parallel.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>

/* Pieces per thread: enough for the others to absorb a stalled one. */
#define PIECES_PER_THREAD 8

typedef struct {
    ParallelFn fn;
    void *context;
    int64_t chunk; /* items per piece, a multiple of align; the last may be short */
    int64_t n;
    int parts;
    atomic_int next_piece;
} Job;

static pthread_once_t pool_once = PTHREAD_ONCE_INIT;
static int pool_threads = 1; /* the caller included */
static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t start_cond = PTHREAD_COND_INITIALIZER;
static pthread_cond_t done_cond = PTHREAD_COND_INITIALIZER;
static uint64_t generation; /* bumped for every job */
static int remaining;       /* workers still inside the current job */
static Job job;
/* Set in workers, and in the caller while its job runs: a nested
 * parallel_for then runs serially instead of waiting on itself. */
static _Thread_local bool in_job;

static void run_piece(const Job *j, int part) {
    int64_t begin = j->chunk * part;
    int64_t end = part == j->parts - 1 ? j->n : begin + j->chunk;
    j->fn(j->context, begin, end);
}

/* Takes pieces until none is left. */
static void work_on(Job *j) {
    for (int part; (part = atomic_fetch_add(&j->next_piece, 1)) < j->parts;) run_piece(j, part);
}

static void *worker_main(void *arg) {
    (void)arg;
    in_job = true;
    uint64_t seen = 0;
    pthread_mutex_lock(&pool_lock);
    for (;;) {
        while (generation == seen) pthread_cond_wait(&start_cond, &pool_lock);
        seen = generation;
        Job *j = &job;
        remaining++;
        pthread_mutex_unlock(&pool_lock);
        work_on(j);
        pthread_mutex_lock(&pool_lock);
        if (--remaining == 0) pthread_cond_signal(&done_cond);
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
        if (pthread_create(&thread, &attr, worker_main, NULL) != 0) break;
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
    int threads = parts >= 2 ? parallel_threads() : 1;
    if (parts > (int64_t)threads * PIECES_PER_THREAD) parts = (int64_t)threads * PIECES_PER_THREAD;
    if (threads < 2 || parts < 2) {
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
    pthread_mutex_lock(&pool_lock);
    /* A worker that woke too late for the last job may still be looking at
     * it (finding no piece left); the job is rewritten once it has left. */
    while (remaining > 0) pthread_cond_wait(&done_cond, &pool_lock);
    job.fn = fn;
    job.context = context;
    job.chunk = chunk;
    job.n = n;
    job.parts = (int)parts;
    atomic_store(&job.next_piece, 0);
    generation++;
    pthread_cond_broadcast(&start_cond);
    pthread_mutex_unlock(&pool_lock);

    in_job = true;
    work_on(&job);
    in_job = false;

    /* Every piece has been taken; wait for the workers still running one,
     * and for any that woke late and may yet look at the counter. */
    pthread_mutex_lock(&pool_lock);
    while (remaining > 0) pthread_cond_wait(&done_cond, &pool_lock);
    pthread_mutex_unlock(&pool_lock);
}
