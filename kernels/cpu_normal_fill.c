/* cpu_normal_fill: chooses ATen's normal_fill_16 variant by the CPU
 * capability ATen would run (cpu_capability.c) and holds the scalar one. */
#include "cpu_normal_fill.h"

#include <math.h>

#include "cpu_capability.h"

/* normal_fill_16<float>: the DEFAULT build of DistributionKernels.cpp
 * takes it. theta is computed in double (2.0f * pi<double> * u2) and rounded once. */
static void normal_fill_16_scalar(float *data, float mean, float std) {
    static const double pi = 3.14159265358979323846;
    for (int j = 0; j < 8; j++) {
        const float u1 = 1 - data[j]; /* [0, 1) -> (0, 1] for log */
        const float u2 = data[j + 8];
        const float radius = sqrtf(-2 * logf(u1));
        const float theta = (float)(2.0f * pi * u2);
        data[j] = radius * cosf(theta) * std + mean;
        data[j + 8] = radius * sinf(theta) * std + mean;
    }
}

/* ATen 1.13 has no AVX-512 build of the normal kernel: its dispatch falls
 * back to the AVX2 one under AVX512 (checked against torch run with
 * ATEN_CPU_CAPABILITY=avx512). */
void cpu_normal_fill_16(float *data, float mean, float std) {
#if defined(__x86_64__)
    if (cpu_capability() != CPU_CAPABILITY_DEFAULT) {
        cpu_normal_fill_16_avx2(data, mean, std);
        return;
    }
#endif
    normal_fill_16_scalar(data, mean, std);
}
