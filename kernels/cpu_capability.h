/* cpu_capability: what PyTorch 1.13's ATen decides about this machine when
 * it starts, and which our kernels must decide the same way to compute the
 * same bits: the vector instruction set its kernels use (which SLEEF
 * functions run, and how wide a vector is) and how many threads split an
 * elementwise loop (where its vectorized loop restarts). */
#ifndef NB_CPU_CAPABILITY_H
#define NB_CPU_CAPABILITY_H

typedef enum {
    CPU_CAPABILITY_DEFAULT, /* plain C++: libm, element by element */
    CPU_CAPABILITY_AVX2,    /* 32-byte vectors, SLEEF's AVX2 functions */
    CPU_CAPABILITY_AVX512,  /* 64-byte vectors, SLEEF's AVX-512 functions */
} CpuCapability;

/* ATen's choice: $ATEN_CPU_CAPABILITY ("default", "avx2", "avx512") when
 * set, else AVX2 on a CPU with AVX2 and FMA, else DEFAULT. AVX-512 is
 * opt-in in 1.13 (pytorch#80252), so an AVX-512 CPU gets AVX2. A request
 * the CPU cannot run falls back to what it can. */
CpuCapability cpu_capability(void);

/* Bytes in one ATen Vectorized<T> under that capability (32 or 64; the
 * DEFAULT build's vectors are 32 bytes too). */
int cpu_capability_vector_bytes(CpuCapability capability);

/* at::get_num_threads() at startup: $OMP_NUM_THREADS, else
 * $MKL_NUM_THREADS, else the physical cores as cpuinfo counts them (on x86
 * from the APIC ids and CPUID's topology), else the processors. */
int cpu_aten_threads(void);

#endif
