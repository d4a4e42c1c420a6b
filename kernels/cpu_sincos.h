/* cpu_sincos: float32 sin and cos, vectorized (cpu_sincos.c says how and
 * how accurate). */
#ifndef NB_CPU_SINCOS_H
#define NB_CPU_SINCOS_H

#include <stdbool.h>
#include <stdint.h>

/* y[i] = sin(x[i]) (cos when `cosine`) for n floats; strides in bytes. */
void cpu_sincos_f32(const char *x, int64_t x_stride, char *y, int64_t y_stride, int64_t n,
                    bool cosine);

#endif
