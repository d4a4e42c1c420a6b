/* progress: a helper thread sleeps until the phase has run a second, then
 * rewrites one stderr line every second until the phase ends. The phase
 * itself never waits on it, so what is being timed is not disturbed. */
#include "progress.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "alloc.h"

struct Progress {
    char what[160];
    struct timespec start;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t ended_cond;
    bool ended;
    bool shown; /* a line was written and must be completed */
};

static double seconds_since(const struct timespec *start) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) * 1e-9;
}

static void *progress_thread(void *arg) {
    Progress *p = arg;
    pthread_mutex_lock(&p->lock);
    for (long tick = 1; !p->ended; tick++) {
        struct timespec wake = p->start;
        wake.tv_sec += tick;
        while (!p->ended && pthread_cond_timedwait(&p->ended_cond, &p->lock, &wake) == 0) {
        }
        if (p->ended) break;
        fprintf(stderr, "\r%s ... %ld s", p->what, tick);
        fflush(stderr);
        p->shown = true;
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

Progress *progress_begin(const char *fmt, ...) {
    if (!isatty(STDERR_FILENO)) return NULL;
    Progress *p = nb_calloc(1, sizeof *p);
    if (!p) return NULL;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->what, sizeof p->what, fmt, ap);
    va_end(ap);
    clock_gettime(CLOCK_MONOTONIC, &p->start);
    /* The wake-up times are on the monotonic clock, like the start. */
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&p->ended_cond, &attr);
    pthread_condattr_destroy(&attr);
    pthread_mutex_init(&p->lock, NULL);
    if (pthread_create(&p->thread, NULL, progress_thread, p) != 0) {
        pthread_cond_destroy(&p->ended_cond);
        pthread_mutex_destroy(&p->lock);
        nb_free(p);
        return NULL;
    }
    return p;
}

void progress_end(Progress *p) {
    if (!p) return;
    pthread_mutex_lock(&p->lock);
    p->ended = true;
    pthread_cond_signal(&p->ended_cond);
    pthread_mutex_unlock(&p->lock);
    pthread_join(p->thread, NULL);
    /* The spaces cover the end of the longer "... N s" line. */
    if (p->shown) fprintf(stderr, "\r%s: %.1f s      \n", p->what, seconds_since(&p->start));
    pthread_cond_destroy(&p->ended_cond);
    pthread_mutex_destroy(&p->lock);
    nb_free(p);
}
