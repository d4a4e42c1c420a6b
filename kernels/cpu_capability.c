/* cpu_capability: ATen's CPU capability and default thread count, decided
 * once per process as ATen decides them (DispatchStub.cpp's
 * compute_cpu_capability, ParallelCommon.cpp's intraop_default_num_threads
 * and c10's TaskThreadPoolBase::defaultNumThreads). */
#include "cpu_capability.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__x86_64__)
#include <cpuid.h>
#define CPU_X86 1
#else
#define CPU_X86 0
#endif

static CpuCapability best_supported(void) {
#if CPU_X86
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
        __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("fma"))
        return CPU_CAPABILITY_AVX512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return CPU_CAPABILITY_AVX2;
#endif
    return CPU_CAPABILITY_DEFAULT;
}

static CpuCapability capability;

static void decide_capability(void) {
    CpuCapability best = best_supported();
    /* ATen's automatic choice stops at AVX2. */
    capability = best < CPU_CAPABILITY_AVX2 ? best : CPU_CAPABILITY_AVX2;
    const char *env = getenv("ATEN_CPU_CAPABILITY");
    if (!env) return;
    CpuCapability asked;
    if (strcmp(env, "avx512") == 0)
        asked = CPU_CAPABILITY_AVX512;
    else if (strcmp(env, "avx2") == 0)
        asked = CPU_CAPABILITY_AVX2;
    else if (strcmp(env, "default") == 0)
        asked = CPU_CAPABILITY_DEFAULT;
    else
        return; /* ATen warns and ignores it */
    capability = asked < best ? asked : best;
}

CpuCapability cpu_capability(void) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, decide_capability);
    return capability;
}

int cpu_capability_vector_bytes(CpuCapability c) { return c == CPU_CAPABILITY_AVX512 ? 64 : 32; }

/* c10's get_env_num_threads: a positive integer, else not set. */
static int env_threads(const char *name) {
    const char *value = getenv(name);
    if (!value) return 0;
    char *end;
    long n = strtol(value, &end, 10);
    return end != value && n > 0 && n < 1 << 20 ? (int)n : 0;
}

#if CPU_X86
/* Bits of an APIC id that number the threads of one core, as cpuinfo's
 * cpuinfo_x86_detect_topology reads them: CPUID leaf 0xB's SMT level where
 * the x2APIC is present; else, with HTT, AMD's legacy core count leaves no
 * thread bits and otherwise leaf 1's logical processor count sets them. */
static unsigned bit_length(unsigned n) { return n <= 1 ? 0 : 32u - (unsigned)__builtin_clz(n - 1); }

static unsigned apic_thread_bits(void) {
    unsigned a, b, c, d, max_base, max_ext;
    __cpuid(0, max_base, b, c, d);
    __cpuid(0x80000000u, max_ext, b, c, d);
    __cpuid(1, a, b, c, d);
    unsigned leaf1_ebx = b;
    bool htt = (d >> 28) & 1, x2apic = (c >> 21) & 1;
    unsigned thread_bits = 0;
    if (htt) {
        bool cmp_legacy = false;
        if (max_ext >= 0x80000001u) {
            __cpuid(0x80000001u, a, b, c, d);
            cmp_legacy = (c >> 1) & 1;
        }
        if (!cmp_legacy) thread_bits = bit_length((leaf1_ebx >> 16) & 0xff);
    }
    if (x2apic && max_base >= 0xb) {
        thread_bits = 0;
        for (unsigned level = 0;; level++) {
            __cpuid_count(0xb, level, a, b, c, d);
            unsigned type = (c >> 8) & 0xff;
            if (type == 0) break;
            if (type == 1) thread_bits = a & 0x1f;
        }
    }
    return thread_bits;
}

/* Physical cores: distinct APIC ids once the thread bits are dropped. */
static int physical_cores(void) {
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f) return 0;
    unsigned shift = apic_thread_bits();
    unsigned long cores[1024];
    int ncores = 0;
    char line[256];
    while (fgets(line, sizeof line, f)) {
        unsigned long apic;
        if (sscanf(line, "apicid : %lu", &apic) != 1) continue;
        apic >>= shift;
        bool seen = false;
        for (int i = 0; i < ncores; i++) seen = seen || cores[i] == apic;
        if (!seen && ncores < 1024) cores[ncores++] = apic;
    }
    fclose(f);
    return ncores;
}
#else
static int physical_cores(void) { return 0; }
#endif

static int aten_threads;

static void decide_threads(void) {
    int n = env_threads("OMP_NUM_THREADS");
    if (env_threads("MKL_NUM_THREADS")) n = env_threads("MKL_NUM_THREADS");
    if (n == 0) {
        long processors = sysconf(_SC_NPROCESSORS_ONLN);
        int cores = physical_cores();
        n = cores > 0 && cores < processors ? cores : processors > 0 ? (int)processors : 1;
    }
    aten_threads = n;
}

int cpu_aten_threads(void) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, decide_threads);
    return aten_threads;
}
