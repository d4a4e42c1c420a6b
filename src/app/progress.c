/* progress: a helper thread sleeps until the phase has run a second (or
 * NBREPLAY_PROGRESS_AFTER seconds), then rewrites one stderr line every
 * second until the phase ends. The phase itself never waits on it, so what
 * is being timed is not disturbed. */
#include "progress.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
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
    long after_ms; /* how long the phase runs before its line appears */
};

static double seconds_since(const struct timespec *start) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) * 1e-9;
}

static void *progress_thread(void *arg) {
    Progress *p = arg;
    pthread_mutex_lock(&p->lock);
    struct timespec wake = p->start;
    wake.tv_sec += p->after_ms / 1000;
    wake.tv_nsec += (p->after_ms % 1000) * 1000000L;
    if (wake.tv_nsec >= 1000000000L) {
        wake.tv_sec++;
        wake.tv_nsec -= 1000000000L;
    }
    while (!p->ended) {
        while (!p->ended && pthread_cond_timedwait(&p->ended_cond, &p->lock, &wake) == 0) {
        }
        if (p->ended) break;
        fprintf(stderr, "\r%s ... %ld s", p->what, (long)seconds_since(&p->start));
        fflush(stderr);
        p->shown = true;
        wake.tv_sec++;
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

/* NBREPLAY_PROGRESS_AFTER: seconds a phase runs before its line appears
 * (default 1; 0 shows every phase, which is how the tests see it). */
static long progress_after_ms(void) {
    const char *text = getenv("NBREPLAY_PROGRESS_AFTER");
    if (!text || !*text) return 1000;
    char *end;
    double seconds = strtod(text, &end);
    if (*end != '\0' || !(seconds >= 0) || seconds > 3600) return 1000;
    return (long)(seconds * 1000.0 + 0.5);
}

Progress *progress_begin(const char *fmt, ...) {
    if (!isatty(STDERR_FILENO)) return NULL;
    Progress *p = nb_calloc(1, sizeof *p);
    if (!p) return NULL;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->what, sizeof p->what, fmt, ap);
    va_end(ap);
    p->after_ms = progress_after_ms();
    clock_gettime(CLOCK_MONOTONIC, &p->start);
    if (p->after_ms == 0) { /* at once, so that even an instant phase shows */
        fprintf(stderr, "%s ... 0 s", p->what);
        fflush(stderr);
        p->shown = true;
        p->after_ms = 1000;
    }
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
