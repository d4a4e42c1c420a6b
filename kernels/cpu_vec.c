/* cpu_vec: dispatches ATen's vector math to the instruction set
 * cpu_capability() chose; DEFAULT is ATen's vec_base.h, which applies the
 * C++ scalar function (libm) to each lane. */
#include "cpu_vec.h"

#include <math.h>

#include "cpu_capability.h"
#include "cpu_vec_isa.h"

#if defined(__x86_64__)
#define VEC_HAVE_X86 1
#else
#define VEC_HAVE_X86 0
#endif

int vec_lanes(int elem_size) { return cpu_capability_vector_bytes(cpu_capability()) / elem_size; }

static double libm_d(VecFn f, double x) {
    switch (f) {
#define VEC_CASE(ID, NAME) case VEC_##ID: return NAME(x);
        VEC_FN_LIST(VEC_CASE)
#undef VEC_CASE
    }
    return x;
}

static float libm_f(VecFn f, float x) {
    switch (f) {
#define VEC_CASE(ID, NAME) case VEC_##ID: return NAME##f(x);
        VEC_FN_LIST(VEC_CASE)
#undef VEC_CASE
    }
    return x;
}

#if VEC_HAVE_X86
#define VEC_DISPATCH(fn, ...)                                                \
    switch (cpu_capability()) {                                              \
    case CPU_CAPABILITY_AVX512: vec_avx512_##fn(__VA_ARGS__); return;        \
    case CPU_CAPABILITY_AVX2: vec_avx2_##fn(__VA_ARGS__); return;            \
    case CPU_CAPABILITY_DEFAULT: break;                                      \
    }
#else
#define VEC_DISPATCH(fn, ...)
#endif

void vec_map_f64(VecFn f, double *y, const double *x, int64_t n) {
    VEC_DISPATCH(map_f64, f, y, x, n)
    for (int64_t i = 0; i < n; i++) y[i] = libm_d(f, x[i]);
}

void vec_map_f32(VecFn f, float *y, const float *x, int64_t n) {
    VEC_DISPATCH(map_f32, f, y, x, n)
    for (int64_t i = 0; i < n; i++) y[i] = libm_f(f, x[i]);
}

void vec_pow_f64(double *y, const double *x, int64_t x_step, const double *e, int64_t e_step,
                 int64_t n) {
    VEC_DISPATCH(pow_f64, y, x, x_step, e, e_step, n)
    for (int64_t i = 0; i < n; i++) y[i] = pow(x[i * x_step], e[i * e_step]);
}

/* vec_base.h's pow is std::pow(float, float): powf. */
void vec_pow_f32(float *y, const float *x, int64_t x_step, const float *e, int64_t e_step,
                 int64_t n) {
    VEC_DISPATCH(pow_f32, y, x, x_step, e, e_step, n)
    for (int64_t i = 0; i < n; i++) y[i] = powf(x[i * x_step], e[i * e_step]);
}
