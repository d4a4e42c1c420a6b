/* cpu_vec_isa_body: the body of cpu_vec_avx2.c and cpu_vec_avx512.c,
 * written once over the names each of them defines first:
 *   ISA           the suffix of the functions defined (avx2, avx512)
 *   VD, VF        the double and float vector types
 *   DL, FL        lanes per vector
 *   LOAD_D/F, STORE_D/F, SET1_D/F   unaligned load, store, broadcast
 *   SLEEF_D(name), SLEEF_F(name)    SLEEF's u10 function `name`, the one
 *                                   ATen's Vectorized<T>::name() calls
 *   POW_D, POW_F                    SLEEF's u10 pow */
#include <string.h>

#include "cpu_vec_isa.h"

#define VEC_CAT_(a, b, c) a##b##c
#define VEC_NAME(ISA_, what) VEC_CAT_(vec_, ISA_, what)

static VD apply_d(VecFn f, VD x) {
    switch (f) {
#define VEC_CASE(ID, NAME) case VEC_##ID: return SLEEF_D(NAME)(x);
        VEC_FN_LIST(VEC_CASE)
#undef VEC_CASE
    }
    return x;
}

static VF apply_f(VecFn f, VF x) {
    switch (f) {
#define VEC_CASE(ID, NAME) case VEC_##ID: return SLEEF_F(NAME)(x);
        VEC_FN_LIST(VEC_CASE)
#undef VEC_CASE
    }
    return x;
}

/* The partial last vector goes through a zero-filled buffer, as
 * Vectorized::loadu(ptr, count) and store(ptr, count) do. */
void VEC_NAME(ISA, _map_f64)(VecFn f, double *y, const double *x, int64_t n) {
    int64_t i = 0;
    for (; i + DL <= n; i += DL) STORE_D(y + i, apply_d(f, LOAD_D(x + i)));
    if (i < n) {
        double buf[DL] = {0};
        memcpy(buf, x + i, (size_t)(n - i) * sizeof *x);
        STORE_D(buf, apply_d(f, LOAD_D(buf)));
        memcpy(y + i, buf, (size_t)(n - i) * sizeof *y);
    }
}

void VEC_NAME(ISA, _map_f32)(VecFn f, float *y, const float *x, int64_t n) {
    int64_t i = 0;
    for (; i + FL <= n; i += FL) STORE_F(y + i, apply_f(f, LOAD_F(x + i)));
    if (i < n) {
        float buf[FL] = {0};
        memcpy(buf, x + i, (size_t)(n - i) * sizeof *x);
        STORE_F(buf, apply_f(f, LOAD_F(buf)));
        memcpy(y + i, buf, (size_t)(n - i) * sizeof *y);
    }
}

void VEC_NAME(ISA, _pow_f64)(double *y, const double *x, int64_t x_step, const double *e,
                             int64_t e_step, int64_t n) {
    for (int64_t i = 0; i < n; i += DL) {
        VD base = x_step ? LOAD_D(x + i) : SET1_D(x[0]);
        VD exponent = e_step ? LOAD_D(e + i) : SET1_D(e[0]);
        STORE_D(y + i, POW_D(base, exponent));
    }
}

void VEC_NAME(ISA, _pow_f32)(float *y, const float *x, int64_t x_step, const float *e,
                             int64_t e_step, int64_t n) {
    for (int64_t i = 0; i < n; i += FL) {
        VF base = x_step ? LOAD_F(x + i) : SET1_F(x[0]);
        VF exponent = e_step ? LOAD_F(e + i) : SET1_F(e[0]);
        STORE_F(y + i, POW_F(base, exponent));
    }
}
