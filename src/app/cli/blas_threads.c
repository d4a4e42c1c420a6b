/* blas_threads: under a memory limit (ulimit -v, ulimit -d), sizes
 * OpenBLAS's thread count before OpenBLAS starts. Its constructor starts
 * one thread per core, and each maps a buffer of about 128 MiB; where the
 * limit has no room for them a thread retries its mapping forever and the
 * program never exits (or OpenBLAS kills itself when a thread cannot be
 * made). An executable's .preinit_array runs before any shared library's
 * constructor; but the C library's own initialisation, which follows,
 * resets the environment to what the program was started with, so a
 * setenv here is lost. Where the count must change, the program therefore
 * executes itself again with OPENBLAS_NUM_THREADS set (before any library
 * has started: a few milliseconds), and OpenBLAS reads that. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "memory_limit.h"

/* what one more OpenBLAS thread maps: its buffer and its stack (measured
 * with OpenBLAS 0.3.21: 139 MiB) */
#define BYTES_PER_THREAD ((int64_t)144 << 20)
/* the main thread's own buffer, and OpenBLAS's library itself (39 MiB) */
#define BYTES_FIRST_THREAD ((int64_t)(136 + 40) << 20)

/* set in the second start, so that there is never a third */
#define SIZED_MARK "NBREPLAY_BLAS_THREADS_SIZED"

/* envp's value of name, or NULL (the C library's getenv is not ready yet) */
static const char *env_value(char **envp, const char *name) {
    size_t len = strlen(name);
    for (char **e = envp; *e; e++)
        if (strncmp(*e, name, len) == 0 && (*e)[len] == '=') return *e + len + 1;
    return NULL;
}

static void size_blas_threads(int argc, char **argv, char **envp) {
    (void)argc;
    if (!envp || env_value(envp, SIZED_MARK)) return;
    int64_t room = nb_memory_headroom();
    if (room < 0) return; /* no limit: OpenBLAS's own choice */
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    long threads = cores > 0 ? cores : 1;
    const char *set = env_value(envp, "OPENBLAS_NUM_THREADS");
    if (set && atol(set) > 0 && atol(set) < threads) threads = atol(set);
    /* half the room for OpenBLAS at most; the rest is the cells' */
    int64_t budget = room / 2 - BYTES_FIRST_THREAD;
    long fit = budget > 0 ? 1 + (long)(budget / BYTES_PER_THREAD) : 1;
    if (fit < threads) threads = fit;
    if (set && atol(set) == threads) return;
    size_t n = 0;
    while (envp[n]) n++;
    char **env = malloc((n + 3) * sizeof *env);
    if (!env) return;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(envp[i], "OPENBLAS_NUM_THREADS=", 21) != 0) env[k++] = envp[i];
    char value[48];
    snprintf(value, sizeof value, "OPENBLAS_NUM_THREADS=%ld", threads);
    env[k++] = value;
    env[k++] = SIZED_MARK "=1";
    env[k] = NULL;
    execve("/proc/self/exe", argv, env);
    free(env); /* no /proc: go on with OpenBLAS's own count */
}

__attribute__((section(".preinit_array"), used)) static void (*const size_blas_threads_early)(
    int, char **, char **) = size_blas_threads;
