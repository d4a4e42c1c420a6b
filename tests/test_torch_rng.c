/* test_torch_rng: holds src/lib/torch_random.c to PyTorch 1.13's default CPU
 * generator bit for bit by replaying tests/data/torch_rng_corpus.jsonl
 * (written from real torch by tests/corpus/make_torch_rng_corpus.py): every
 * case's seeds and rand/randn calls in order, comparing every byte of every
 * result, under each ATen CPU capability the corpus recorded (randn of 16
 * and more elements has one Box-Muller kernel per capability). Also str()
 * of printed draws, the errors for bad shapes, and the unseeded generator.
 *
 * Each Check test runs in its own forked process (Check's default), so a
 * test may choose the capability with ATEN_CPU_CAPABILITY before its first
 * draw, as PyTorch reads it once at start-up. */
#include <check.h>
#include <cJSON.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu_capability.h"
#include "error.h"
#include "print.h"
#include "strbuf.h"
#include "tensor.h"
#include "torch_random.h"
#include "corpus.h"
#include "standin_device.h"

static cJSON *corpus;

/* A Python int in [-2**63, 2**64) as torch.manual_seed takes it. */
static uint64_t seed_of(const cJSON *item) {
    ck_assert(cJSON_IsString(item));
    const char *text = item->valuestring;
    char *end;
    uint64_t seed = text[0] == '-' ? (uint64_t)strtoll(text, &end, 10) : strtoull(text, &end, 10);
    ck_assert_msg(*end == '\0', "bad corpus seed '%s'", text);
    return seed;
}

static void expect_bytes(const Tensor *t, const cJSON *hex, const char *what, int op) {
    size_t len;
    unsigned char *want = corpus_bytes(corpus_field(hex, "bytes")->valuestring, &len);
    ck_assert_msg((size_t)tensor_numel(t) * sizeof(float) == len, "%s, op %d: %lld values, torch %zu",
                  what, op, (long long)tensor_numel(t), len / sizeof(float));
    const float *got = tensor_data(t);
    for (size_t i = 0; i < len / sizeof(float); i++) {
        float w;
        memcpy(&w, want + i * sizeof(float), sizeof w);
        ck_assert_msg(memcmp(&got[i], &w, sizeof w) == 0,
                      "%s, op %d (%s of %lld), value %zu: got %a, torch %a", what, op,
                      corpus_field(hex, "op")->valuestring, (long long)tensor_numel(t), i,
                      (double)got[i], (double)w);
    }
    free(want);
}

/* 64-bit FNV-1a of the bytes, as the corpus script digests long draws. */
static uint64_t fnv1a64(const void *data, size_t len) {
    const unsigned char *p = data;
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (size_t i = 0; i < len; i++) h = (h ^ p[i]) * UINT64_C(0x100000001b3);
    return h;
}

static void expect_digest(const Tensor *t, const cJSON *op, const char *what, int i) {
    char got[17];
    snprintf(got, sizeof got, "%016" PRIx64,
             fnv1a64(tensor_data(t), (size_t)tensor_numel(t) * sizeof(float)));
    ck_assert_msg(strcmp(got, corpus_field(op, "fnv1a64")->valuestring) == 0,
                  "%s, op %d (%s of %lld): digest %s, torch %s", what, i,
                  corpus_field(op, "op")->valuestring, (long long)tensor_numel(t), got,
                  corpus_field(op, "fnv1a64")->valuestring);
}

static void replay(const cJSON *c) {
    const char *name = corpus_field(c, "name")->valuestring;
    TensorScope *scope = tensor_scope_open();
    int i = 0;
    const cJSON *op;
    cJSON_ArrayForEach(op, corpus_field(c, "ops")) {
        const char *kind = corpus_field(op, "op")->valuestring;
        if (strcmp(kind, "seed") == 0) {
            torch_manual_seed(seed_of(corpus_field(op, "seed")));
        } else {
            Shape shape = corpus_shape(corpus_field(op, "shape"));
            Tensor *t = strcmp(kind, "rand") == 0 ? tensor_rand(shape) : tensor_randn(shape);
            ck_assert_msg(t != NULL, "%s, op %d: %s", name, i, nb_error_message());
            ck_assert_int_eq(t->dtype, DTYPE_FLOAT32);
            ck_assert(tensor_is_contiguous(t));
            if (cJSON_GetObjectItemCaseSensitive(op, "fnv1a64"))
                expect_digest(t, op, name, i);
            else
                expect_bytes(t, op, name, i);
        }
        i++;
    }
    tensor_scope_close(scope);
}

static void replay_section(const char *section, const char *capability, CpuCapability want, int i) {
    setenv("ATEN_CPU_CAPABILITY", capability, 1);
    /* ATEN_CPU_CAPABILITY=avx512 on a CPU without AVX-512 runs AVX2 */
    if (want == CPU_CAPABILITY_AVX512 && cpu_capability() == CPU_CAPABILITY_AVX2)
        want = CPU_CAPABILITY_AVX2;
    ck_assert_msg(cpu_capability() == want,
                  "capability %s not in effect (a test must run in a fresh forked process)",
                  capability);
    replay(cJSON_GetArrayItem(corpus_field(corpus, section), i));
}

START_TEST(test_draws_avx2) { replay_section("cases_avx2", "avx2", CPU_CAPABILITY_AVX2, _i); }
END_TEST

START_TEST(test_draws_default) {
    replay_section("cases_default", "default", CPU_CAPABILITY_DEFAULT, _i);
}
END_TEST

START_TEST(test_draws_avx512) {
    replay_section("cases_avx512", "avx512", CPU_CAPABILITY_AVX512, _i);
}
END_TEST

/* str(torch.randn(shape)) after torch.manual_seed(seed). */
START_TEST(test_print) {
    const cJSON *c = cJSON_GetArrayItem(corpus_field(corpus, "prints"), _i);
    TensorScope *scope = tensor_scope_open();
    torch_manual_seed(seed_of(corpus_field(c, "seed")));
    Tensor *t = tensor_randn(corpus_shape(corpus_field(c, "shape")));
    StrBuf out = STRBUF_INIT;
    ck_assert_int_eq(tensor_format(&out, t, NULL), 0);
    ck_assert_str_eq(nb_strbuf_cstr(&out), corpus_field(c, "str")->valuestring);
    free(out.data);
    tensor_scope_close(scope);
}
END_TEST

/* A negative dimension fails with PyTorch's message and draws nothing. */
START_TEST(test_errors) {
    const cJSON *c = cJSON_GetArrayItem(corpus_field(corpus, "errors"), _i);
    TensorScope *scope = tensor_scope_open();
    torch_manual_seed(seed_of(corpus_field(c, "seed")));
    Shape shape = corpus_shape(corpus_field(c, "shape"));
    Tensor *t = strcmp(corpus_field(c, "op")->valuestring, "rand") == 0 ? tensor_rand(shape)
                                                                        : tensor_randn(shape);
    ck_assert_ptr_null(t);
    ck_assert_str_eq(nb_error_message(), corpus_field(c, "message")->valuestring);
    nb_error_clear();
    Tensor *after = tensor_rand(SHAPE(4));
    cJSON *expect = cJSON_CreateObject();
    cJSON_AddStringToObject(expect, "op", "rand");
    cJSON_AddStringToObject(expect, "bytes", corpus_field(c, "rand4_after")->valuestring);
    expect_bytes(after, expect, "after the error", 0);
    cJSON_Delete(expect);
    tensor_scope_close(scope);
}
END_TEST

/* Before any manual_seed the generator is seeded with c10's default seed
 * (PyTorch seeds from /dev/urandom instead: see torch_random.h). */
START_TEST(test_unseeded) {
    TensorScope *scope = tensor_scope_open();
    ck_assert_uint_eq(torch_initial_seed(), UINT64_C(67280421310721));
    Tensor *first = tensor_randn(SHAPE(5));
    torch_manual_seed(UINT64_C(67280421310721));
    Tensor *again = tensor_randn(SHAPE(5));
    ck_assert_mem_eq(tensor_data(first), tensor_data(again), 5 * sizeof(float));
    torch_manual_seed(UINT64_C(1) << 32 | 9);
    ck_assert_uint_eq(torch_initial_seed(), UINT64_C(1) << 32 | 9);
    tensor_scope_close(scope);
}
END_TEST

/* A handed NULL-free call with an error pending returns NULL (the first
 * message sticks) and draws nothing. */
START_TEST(test_pending_error) {
    TensorScope *scope = tensor_scope_open();
    torch_manual_seed(5);
    Tensor *want = tensor_rand(SHAPE(3));
    torch_manual_seed(5);
    nb_error_set(ERR_VALUE, "earlier");
    ck_assert_ptr_null(tensor_randn(SHAPE(20)));
    ck_assert_ptr_null(tensor_rand(SHAPE(2)));
    ck_assert_str_eq(nb_error_message(), "earlier");
    nb_error_clear();
    Tensor *got = tensor_rand(SHAPE(3));
    ck_assert_mem_eq(tensor_data(got), tensor_data(want), 3 * sizeof(float));
    tensor_scope_close(scope);
}
END_TEST

/* On a device default (the stand-in for CUDA, memory the host cannot
 * read), the values are the CPU generator's, placed on the device: the
 * stream is the same one, whatever the device. */
START_TEST(test_default_device) {
    TensorScope *scope = tensor_scope_open();
    torch_manual_seed(11);
    Tensor *cpu_n = tensor_randn(SHAPE(3, 7));
    Tensor *cpu_u = tensor_rand(SHAPE(5));
    Tensor *cpu_small = tensor_randn(SHAPE(3));
    backend_use_for_cuda(&standin_backend);
    tensor_set_default_device(DEVICE_CUDA);
    torch_manual_seed(11);
    Tensor *dev[3] = {tensor_randn(SHAPE(3, 7)), tensor_rand(SHAPE(5)), tensor_randn(SHAPE(3))};
    tensor_set_default_device(DEVICE_CPU);
    Tensor *want[3] = {cpu_n, cpu_u, cpu_small};
    for (int i = 0; i < 3; i++) {
        ck_assert_msg(dev[i] != NULL, "%s", nb_error_message());
        ck_assert_int_eq(tensor_device(dev[i]), DEVICE_CUDA);
        Tensor *back = tensor_empty(DTYPE_FLOAT32, tensor_shape(dev[i]));
        ck_assert_int_eq(tensor_copy_into(back, dev[i]), 0);
        ck_assert_mem_eq(tensor_data(back), tensor_data(want[i]),
                         (size_t)tensor_numel(back) * sizeof(float));
    }
    tensor_scope_close(scope);
    backend_use_for_cuda(NULL);
}
END_TEST

static void add_loop(Suite *s, const char *name, const TTest *test, const char *section) {
    const cJSON *cases = cJSON_GetObjectItemCaseSensitive(corpus, section);
    if (cases == NULL) {
        fprintf(stderr, "test_torch_rng: the corpus has no %s\n", section);
        exit(EXIT_FAILURE);
    }
    TCase *tc = tcase_create(name);
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, test, 0, cJSON_GetArraySize(cases));
    suite_add_tcase(s, tc);
}

int main(void) {
    corpus = corpus_load("torch_rng_corpus.jsonl");
    if (corpus == NULL) return EXIT_FAILURE;
    if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(corpus, "cases_avx2")) == 0) {
        fprintf(stderr, "test_torch_rng: corpus has no cases\n");
        cJSON_Delete(corpus);
        return EXIT_FAILURE;
    }
    Suite *s = suite_create("torch_rng");
    add_loop(s, "draws_avx2", test_draws_avx2, "cases_avx2");
    add_loop(s, "draws_default", test_draws_default, "cases_default");
    add_loop(s, "draws_avx512", test_draws_avx512, "cases_avx512");
    add_loop(s, "print", test_print, "prints");
    add_loop(s, "errors", test_errors, "errors");
    TCase *state = tcase_create("state");
    tcase_add_test(state, test_unseeded);
    tcase_add_test(state, test_pending_error);
    tcase_add_test(state, test_default_device);
    suite_add_tcase(s, state);

    return corpus_run_suite(s, corpus);
}
