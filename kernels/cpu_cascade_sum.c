/* cpu_cascade_sum: the 2-D loop of ATen 1.13's floating sum (cascade_sum
 * in native/cpu/SumKernel.cpp), addition for addition.
 *
 * ATen sums a float32 tensor in float32 (acc_type<float, is_cuda=true>)
 * and a float64 one in float64. Each run of a row is summed by
 * multi_row_sum: running sums on four levels, a level's sum moving up a
 * level every 2^p additions (p = max(4, ceil(log2 n) / 4)), so only numbers
 * of similar size meet. A contiguous row is read as AVX2 vectors (8 floats,
 * 4 doubles) summed lane by lane, four vectors apart (row_sum's ILP), the
 * lanes added in order at the end; a reduction whose kept dimension is the
 * contiguous one sums 8 or 32 outputs at once, lane by lane. Here a vector
 * is an array of lanes: each lane's additions are the same IEEE additions
 * in the same order, so the bits are AVX2's. Under the AVX512 capability
 * (ATEN_CPU_CAPABILITY=avx512) ATen's vectors are twice as wide (16 floats,
 * 8 doubles), and so are these. */
#include "cpu_cascade_sum.h"

#include <string.h>

#include "cpu_capability.h"

#define LEVELS 4
#define ILP 4
#define OUTER_ROWS 4

static int64_t ceil_log2(int64_t x) {
    if (x <= 2) return 1;
    int64_t bits = 0;
    for (uint64_t v = (uint64_t)x - 1; v; v >>= 1) bits++;
    return bits;
}

/* The level every 2^p additions climb (multi_row_sum's level_power). */
static int64_t level_power(int64_t size) {
    int64_t p = ceil_log2(size) / LEVELS;
    return p > 4 ? p : 4;
}

/* multi_row_sum and row_sum over items of type A (a scalar, or a vector of
 * lanes, GCC's vector extension: lane-wise IEEE additions, as AVX2's),
 * always four at a time (ILP and OUTER_ROWS are both 4): out[k] is the
 * sum over i < size of the item at in + i*row_stride + k*col_stride. */
#define DEFINE_MULTI_ROW(A, S)                                                                          \
    static inline void add_##S(A *acc, const char *p) {                                                \
        A v;                                                                                           \
        memcpy(&v, p, sizeof v);                                                                       \
        *acc += v;                                                                                     \
    }                                                                                                  \
                                                                                                       \
    static void multi_row_sum_##S(const char *in, int64_t row_stride, int64_t col_stride, int64_t size, \
                                  A out[4]) {                                                          \
        const A zero = {0};                                                                            \
        A acc[LEVELS][4];                                                                              \
        for (int j = 0; j < LEVELS; j++)                                                               \
            for (int k = 0; k < 4; k++) acc[j][k] = zero;                                              \
        int64_t power = level_power(size), step = (int64_t)1 << power, mask = step - 1;                \
        int64_t i = 0;                                                                                 \
        while (i + step <= size) {                                                                     \
            for (int64_t j = 0; j < step; j++, i++) {                                                  \
                const char *row = in + i * row_stride;                                                 \
                for (int k = 0; k < 4; k++) add_##S(&acc[0][k], row + k * col_stride);                 \
            }                                                                                          \
            for (int j = 1; j < LEVELS; j++) {                                                         \
                for (int k = 0; k < 4; k++) {                                                          \
                    acc[j][k] += acc[j - 1][k];                                                        \
                    acc[j - 1][k] = zero;                                                              \
                }                                                                                      \
                if ((i & (mask << (j * power))) != 0) break;                                           \
            }                                                                                          \
        }                                                                                              \
        for (; i < size; i++) {                                                                        \
            const char *row = in + i * row_stride;                                                     \
            for (int k = 0; k < 4; k++) add_##S(&acc[0][k], row + k * col_stride);                     \
        }                                                                                              \
        for (int j = 1; j < LEVELS; j++)                                                               \
            for (int k = 0; k < 4; k++) acc[0][k] += acc[j][k];                                        \
        for (int k = 0; k < 4; k++) out[k] = acc[0][k];                                                \
    }                                                                                                  \
                                                                                                       \
    /* row_sum: `size` items `stride` apart as four interleaved sums, the                               \
     * leftover items added to the first, then the other three to it */                                \
    static void row_sum_##S(const char *in, int64_t stride, int64_t size, A *out) {                    \
        A partial[ILP];                                                                                \
        int64_t size_ilp = size / ILP;                                                                 \
        multi_row_sum_##S(in, stride * ILP, stride, size_ilp, partial);                                \
        for (int64_t i = size_ilp * ILP; i < size; i++) add_##S(&partial[0], in + i * stride);         \
        for (int k = 1; k < ILP; k++) partial[0] += partial[k];                                        \
        *out = partial[0];                                                                             \
    }

#define DEFINE_CASCADE(T, S, VW)                                                                        \
    typedef T vec_##S __attribute__((vector_size(VW * sizeof(T))));                                     \
    DEFINE_MULTI_ROW(T, S)                                                                             \
    DEFINE_MULTI_ROW(vec_##S, v##S)                                                                    \
                                                                                                       \
    static void store_##S(char *out, int64_t stride, int64_t index, T value) {                         \
        *(T *)(out + index * stride) += value;                                                         \
    }                                                                                                  \
                                                                                                       \
    static void store_lanes_##S(char *out, int64_t stride, int64_t index, const vec_##S *v) {          \
        T lanes[VW];                                                                                   \
        memcpy(lanes, v, sizeof lanes);                                                                \
        for (int l = 0; l < VW; l++) store_##S(out, stride, index + l, lanes[l]);                      \
    }                                                                                                  \
                                                                                                       \
    /* reduced dimension contiguous: vectors along it, then the scalar tail,                           \
     * then the lanes */                                                                               \
    static void vectorized_inner_sum_##S(char **data, int64_t outer_stride, int64_t out_stride,        \
                                         int64_t size0, int64_t size1) {                               \
        int64_t vec_size = size0 / VW;                                                                 \
        for (int64_t j = 0; j < size1; j++) {                                                          \
            const char *row = data[1] + j * outer_stride;                                              \
            vec_##S v;                                                                                 \
            row_sum_v##S(row, (int64_t)sizeof(vec_##S), vec_size, &v);                                 \
            T lanes[VW];                                                                               \
            memcpy(lanes, &v, sizeof lanes);                                                           \
            T acc = 0;                                                                                 \
            for (int64_t k = vec_size * VW; k < size0; k++) add_##S(&acc, row + k * (int64_t)sizeof(T)); \
            for (int l = 0; l < VW; l++) acc += lanes[l];                                              \
            store_##S(data[0], out_stride, j, acc);                                                    \
        }                                                                                              \
    }                                                                                                  \
                                                                                                       \
    static void scalar_inner_sum_##S(char **data, const int64_t *in_strides, int64_t out_stride,       \
                                     int64_t size0, int64_t size1) {                                   \
        for (int64_t j = 0; j < size1; j++) {                                                          \
            T ans;                                                                                     \
            row_sum_##S(data[1] + j * in_strides[1], in_strides[0], size0, &ans);                      \
            store_##S(data[0], out_stride, j, ans);                                                    \
        }                                                                                              \
    }                                                                                                  \
                                                                                                       \
    /* kept dimension contiguous: 4 vectors of outputs at once, then single                            \
     * vectors, then single outputs */                                                                 \
    static void vectorized_outer_sum_##S(char **data, int64_t inner_stride, int64_t out_stride,        \
                                         int64_t size0, int64_t size1) {                               \
        int64_t j = 0;                                                                                 \
        for (; j + OUTER_ROWS * VW <= size1; j += OUTER_ROWS * VW) {                                   \
            vec_##S sums[OUTER_ROWS];                                                                  \
            multi_row_sum_v##S(data[1] + j * (int64_t)sizeof(T), inner_stride, (int64_t)sizeof(vec_##S), \
                               size0, sums);                                                           \
            for (int k = 0; k < OUTER_ROWS; k++) store_lanes_##S(data[0], out_stride, j + k * VW, &sums[k]); \
        }                                                                                              \
        for (; j + VW <= size1; j += VW) {                                                             \
            vec_##S sums;                                                                              \
            row_sum_v##S(data[1] + j * (int64_t)sizeof(T), inner_stride, size0, &sums);                \
            store_lanes_##S(data[0], out_stride, j, &sums);                                            \
        }                                                                                              \
        for (; j < size1; j++) {                                                                       \
            T ans;                                                                                     \
            row_sum_##S(data[1] + j * (int64_t)sizeof(T), inner_stride, size0, &ans);                  \
            store_##S(data[0], out_stride, j, ans);                                                    \
        }                                                                                              \
    }                                                                                                  \
                                                                                                       \
    static void scalar_outer_sum_##S(char **data, const int64_t *in_strides, int64_t out_stride,       \
                                     int64_t size0, int64_t size1) {                                   \
        int64_t j = 0;                                                                                 \
        for (; j + (OUTER_ROWS - 1) < size1; j += OUTER_ROWS) {                                        \
            T sums[OUTER_ROWS];                                                                        \
            multi_row_sum_##S(data[1] + j * in_strides[1], in_strides[0], in_strides[1], size0, sums); \
            for (int k = 0; k < OUTER_ROWS; k++) store_##S(data[0], out_stride, j + k, sums[k]);       \
        }                                                                                              \
        for (; j < size1; j++) {                                                                       \
            T ans;                                                                                     \
            row_sum_##S(data[1] + j * in_strides[1], in_strides[0], size0, &ans);                      \
            store_##S(data[0], out_stride, j, ans);                                                    \
        }                                                                                              \
    }                                                                                                  \
                                                                                                       \
    static void cascade_sum_loop_##S(char **data, const int64_t *strides, int64_t size0, int64_t size1) { \
        int64_t in_strides[2] = {strides[1], strides[3]};                                              \
        int64_t out_strides[2] = {strides[0], strides[2]};                                             \
        /* the reduced dimension first */                                                              \
        if (out_strides[0] != 0 && out_strides[1] == 0) {                                              \
            int64_t t = in_strides[0];                                                                 \
            in_strides[0] = in_strides[1], in_strides[1] = t;                                          \
            t = out_strides[0], out_strides[0] = out_strides[1], out_strides[1] = t;                   \
            t = size0, size0 = size1, size1 = t;                                                       \
        }                                                                                              \
        if (out_strides[0] != 0 && out_strides[1] != 0) {                                              \
            /* nothing reduced here: out += in, element by element */                                  \
            for (int64_t j = 0; j < size1; j++)                                                        \
                for (int64_t i = 0; i < size0; i++) {                                                  \
                    T *o = (T *)(data[0] + j * strides[2] + i * strides[0]);                           \
                    *o = *o + *(const T *)(data[1] + j * strides[3] + i * strides[1]);                 \
                }                                                                                      \
            return;                                                                                    \
        }                                                                                              \
        int64_t out_stride = out_strides[1];                                                           \
        if (in_strides[0] == (int64_t)sizeof(T) && size0 >= VW)                                        \
            vectorized_inner_sum_##S(data, in_strides[1], out_stride, size0, size1);                   \
        else if (in_strides[1] == (int64_t)sizeof(T) && size1 >= VW)                                   \
            vectorized_outer_sum_##S(data, in_strides[0], out_stride, size0, size1);                   \
        else if (in_strides[0] < in_strides[1])                                                        \
            scalar_inner_sum_##S(data, in_strides, out_stride, size0, size1);                          \
        else                                                                                           \
            scalar_outer_sum_##S(data, in_strides, out_stride, size0, size1);                          \
    }

/* Vec<T>::size() of the CPU capability ATen runs: 32-byte vectors under
 * AVX2 and DEFAULT (vec_base.h), 64-byte ones under AVX512 */
DEFINE_CASCADE(float, f32, 8)
DEFINE_CASCADE(double, f64, 4)

/* The same loops compiled for the instruction set the capability implies
 * (AVX2 implies a CPU with AVX2, AVX512 one with AVX-512F): the additions
 * are the same, but the sixteen running sums stay in registers instead of
 * spilling SSE pairs to the stack on every row, three times faster. There
 * is no multiplication here, so no contraction can change a bit. */
#pragma GCC push_options
#pragma GCC target("avx2")
DEFINE_CASCADE(float, f32_avx2, 8)
DEFINE_CASCADE(double, f64_avx2, 4)
#pragma GCC pop_options

#pragma GCC push_options
#pragma GCC target("avx512f")
DEFINE_CASCADE(float, f32_avx512, 16)
DEFINE_CASCADE(double, f64_avx512, 8)
#pragma GCC pop_options

typedef void CascadeSumLoop(char **data, const int64_t *strides, int64_t size0, int64_t size1);

void cpu_cascade_sum_loop_f32(char **data, const int64_t *strides, int64_t size0, int64_t size1) {
    CpuCapability capability = cpu_capability();
    CascadeSumLoop *loop = capability == CPU_CAPABILITY_AVX512 ? cascade_sum_loop_f32_avx512
                           : capability == CPU_CAPABILITY_AVX2 ? cascade_sum_loop_f32_avx2
                                                               : cascade_sum_loop_f32;
    loop(data, strides, size0, size1);
}

void cpu_cascade_sum_loop_f64(char **data, const int64_t *strides, int64_t size0, int64_t size1) {
    CpuCapability capability = cpu_capability();
    CascadeSumLoop *loop = capability == CPU_CAPABILITY_AVX512 ? cascade_sum_loop_f64_avx512
                           : capability == CPU_CAPABILITY_AVX2 ? cascade_sum_loop_f64_avx2
                                                               : cascade_sum_loop_f64;
    loop(data, strides, size0, size1);
}

/* Integer sums wrap and are exact in any order (ATen's own order is
 * binary_kernel_reduce_vec's); a plain walk does. */
void cpu_wrapping_sum_loop_i64(char **data, const int64_t *strides, int64_t size0, int64_t size1) {
    for (int64_t j = 0; j < size1; j++)
        for (int64_t i = 0; i < size0; i++) {
            uint64_t *o = (uint64_t *)(data[0] + j * strides[2] + i * strides[0]);
            *o += *(const uint64_t *)(data[1] + j * strides[3] + i * strides[1]);
        }
}
