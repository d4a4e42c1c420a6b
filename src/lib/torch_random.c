/* torch_random: PyTorch 1.13's default CPU generator (CPUGeneratorImpl with
 * ATen's mt19937, core/MT19937RNGEngine.h) and the draws of torch.rand and
 * torch.randn (native/cpu/DistributionTemplates.h, core/DistributionsHelper.h,
 * core/TransformationHelper.h), transcribed so they draw the same bits. */
#include "torch_random.h"

#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cpu_normal_fill.h"
#include "error.h"

enum { MT_N = 624, MT_M = 397 };
#define MT_MATRIX_A 0x9908b0dfu
#define MT_UMASK 0x80000000u
#define MT_LMASK 0x7fffffffu
/* c10::detail::default_rng_seed_val */
#define DEFAULT_SEED UINT64_C(67280421310721)

/* The generator's whole state: mt19937_data_pod plus CPUGeneratorImpl's
 * cached second normal sample (next_double_normal_sample_). */
typedef struct TorchGenerator {
    uint64_t seed;
    int left;
    uint32_t next;
    uint32_t state[MT_N];
    bool has_next_normal;
    double next_normal;
} TorchGenerator;

static TorchGenerator gen;
static bool gen_seeded;
/* PyTorch draws under the generator's mutex; so do we. */
static pthread_mutex_t gen_mutex = PTHREAD_MUTEX_INITIALIZER;

/* mt19937_engine::init_with_uint32: only the low 32 bits seed the state. */
static void seed_locked(uint64_t seed) {
    gen.seed = seed;
    gen.state[0] = (uint32_t)(seed & 0xffffffffu);
    for (uint32_t j = 1; j < MT_N; j++)
        gen.state[j] = 1812433253u * (gen.state[j - 1] ^ (gen.state[j - 1] >> 30)) + j;
    gen.left = 1;
    gen.next = 0;
    gen.has_next_normal = false; /* set_current_seed resets the caches */
    gen_seeded = true;
}

static void ensure_seeded_locked(void) {
    if (!gen_seeded) seed_locked(DEFAULT_SEED);
}

static uint32_t twist(uint32_t u, uint32_t v) {
    return (((u & MT_UMASK) | (v & MT_LMASK)) >> 1) ^ ((v & 1) ? MT_MATRIX_A : 0);
}

static void next_state(void) {
    uint32_t *p = gen.state;
    gen.left = MT_N;
    gen.next = 0;
    for (int j = MT_N - MT_M + 1; --j; p++) *p = p[MT_M] ^ twist(p[0], p[1]);
    for (int j = MT_M; --j; p++) *p = p[MT_M - MT_N] ^ twist(p[0], p[1]);
    *p = p[MT_M - MT_N] ^ twist(p[0], gen.state[0]);
}

/* CPUGeneratorImpl::random(): one tempered word. */
static uint32_t random32(void) {
    if (--gen.left == 0) next_state();
    uint32_t y = gen.state[gen.next++];
    y ^= (y >> 11);
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    y ^= (y >> 18);
    return y;
}

/* CPUGeneratorImpl::random64(): two words, the first the high half. */
static uint64_t random64(void) {
    uint32_t hi = random32();
    uint32_t lo = random32();
    return ((uint64_t)hi << 32) | lo;
}

/* uniform_real_distribution<float>(0, 1): 24 bits of one word, then
 * x * (to - from) + from. */
static float uniform_float(void) {
    float x = (float)(random32() & ((1u << 24) - 1)) * (1.0f / (float)(1u << 24));
    return x * (1.0f - 0.0f) + 0.0f;
}

/* uniform_real_distribution<double>(0, 1): 53 bits of a 64-bit draw. */
static double uniform_double(void) {
    double x = (double)(random64() & ((UINT64_C(1) << 53) - 1)) * (1.0 / (double)(UINT64_C(1) << 53));
    return x * (1.0 - 0.0) + 0.0;
}

/* normal_distribution<double>(0, 1): Box-Muller, the sine kept for the
 * next call. Each value goes through transformation::normal, val * 1 + 0,
 * which makes a -0 (u2 == 0) a +0, as in PyTorch. */
static double normal_double(void) {
    if (gen.has_next_normal) {
        gen.has_next_normal = false;
        return gen.next_normal * 1.0 + 0.0;
    }
    const double u1 = uniform_double();
    const double u2 = uniform_double();
    const double r = sqrt(-2.0 * log(1.0 - u2));
    const double theta = 2.0 * 3.14159265358979323846 * u1;
    gen.next_normal = r * sin(theta);
    gen.has_next_normal = true;
    return r * cos(theta) * 1.0 + 0.0;
}

/* normal_fill: every uniform first, then Box-Muller over blocks of 16; a
 * size that is no multiple of 16 draws 16 new uniforms for the last 16
 * values and transforms them again. */
static void normal_fill(float *data, int64_t size) {
    for (int64_t i = 0; i < size; i++) data[i] = uniform_float();
    for (int64_t i = 0; i < size - 15; i += 16) cpu_normal_fill_16(data + i, 0.0f, 1.0f);
    if (size % 16 != 0) {
        float *tail = data + size - 16;
        for (int i = 0; i < 16; i++) tail[i] = uniform_float();
        cpu_normal_fill_16(tail, 0.0f, 1.0f);
    }
}

void torch_manual_seed(uint64_t seed) {
    pthread_mutex_lock(&gen_mutex);
    seed_locked(seed);
    pthread_mutex_unlock(&gen_mutex);
}

uint64_t torch_initial_seed(void) {
    pthread_mutex_lock(&gen_mutex);
    ensure_seeded_locked();
    uint64_t seed = gen.seed;
    pthread_mutex_unlock(&gen_mutex);
    return seed;
}

/* at::empty's check_size_nonnegative, message and all, before anything
 * is drawn. */
static int check_size_nonnegative(Shape shape) {
    for (int i = 0; i < shape.ndim; i++) {
        if (shape.dims[i] >= 0) continue;
        char dims[TENSOR_MAX_DIMS * 22 + 2] = "[";
        size_t len = 1;
        for (int k = 0; k < shape.ndim; k++)
            len += (size_t)snprintf(dims + len, sizeof dims - len, "%s%lld", k ? ", " : "",
                                    (long long)shape.dims[k]);
        snprintf(dims + len, sizeof dims - len, "]");
        return nb_error_set(ERR_VALUE, "Trying to create tensor with negative dimension %lld: %s",
                            (long long)shape.dims[i], dims);
    }
    return 0;
}

/* An uninitialized float32 CPU tensor of `shape`, or NULL. */
static Tensor *new_float_tensor(Shape shape) {
    if (nb_error_pending()) return NULL;
    if (shape.ndim >= 0 && shape.ndim <= TENSOR_MAX_DIMS && check_size_nonnegative(shape) != 0)
        return NULL;
    return tensor_empty(DTYPE_FLOAT32, shape);
}

Tensor *tensor_rand(Shape shape) {
    Tensor *t = new_float_tensor(shape);
    if (!t) return NULL;
    float *data = tensor_data(t);
    int64_t n = tensor_numel(t);
    pthread_mutex_lock(&gen_mutex);
    ensure_seeded_locked();
    for (int64_t i = 0; i < n; i++) data[i] = uniform_float();
    pthread_mutex_unlock(&gen_mutex);
    return tensor_place_on_default_device(t);
}

Tensor *tensor_randn(Shape shape) {
    Tensor *t = new_float_tensor(shape);
    if (!t) return NULL;
    float *data = tensor_data(t);
    int64_t n = tensor_numel(t);
    pthread_mutex_lock(&gen_mutex);
    ensure_seeded_locked();
    if (n >= 16) {
        normal_fill(data, n);
    } else {
        for (int64_t i = 0; i < n; i++) data[i] = (float)normal_double();
    }
    pthread_mutex_unlock(&gen_mutex);
    return tensor_place_on_default_device(t);
}
