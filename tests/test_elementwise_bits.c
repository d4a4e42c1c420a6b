/* test_elementwise_bits: every elementwise op's values, bit for bit, against
 * PyTorch 1.13's CPU kernels (tests/data/elementwise_bits.json, written by
 * tests/corpus/make_elementwise_bits.py on this machine): float32 and
 * float64, lengths around the vector width and the parallel grain,
 * contiguous, strided, transposed and broadcast operands, Python numbers,
 * pow's special exponents and special values. No tolerance: one unit in the
 * last place fails, and so does a NaN whose bits differ.
 *
 * PyTorch's bits depend on the CPU capability and thread count it chose
 * (kernels/cpu_capability.h): the suite makes the corpus's choices through
 * the variables PyTorch reads, and skips on a CPU that cannot run the
 * corpus's capability. */
#include <check.h>
#include <cJSON.h>

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../kernels/cpu_capability.h"
#include "alloc.h"
#include "error.h"
#include "ops.h"
#include "op_calls.h"
#include "tensor.h"
#include "corpus.h"

#define MISMATCHES_SHOWN 20
#define EXIT_SKIP 77

static cJSON *corpus;

/* ---- inputs ---- */

/* The generator the corpus script documents: element i of a seeded run. */
static uint64_t splitmix64(uint64_t seed, uint64_t i) {
    uint64_t z = seed + (i + 1) * UINT64_C(0x9E3779B97F4A7C15);
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* The 1-D run of values a tensor operand is viewed from. */
static Tensor *base_of(const cJSON *spec, DType dtype) {
    const cJSON *hex = cJSON_GetObjectItemCaseSensitive(spec, "hex");
    if (hex) {
        size_t len;
        unsigned char *bytes = corpus_bytes(hex->valuestring, &len);
        size_t size = dtype == DTYPE_FLOAT32 ? 4 : 8;
        Tensor *t = tensor_from_data(dtype, (Shape){.ndim = 1, .dims = {(int64_t)(len / size)}}, bytes);
        free(bytes);
        return t;
    }
    uint64_t seed = strtoull(corpus_field(spec, "seed")->valuestring, NULL, 16);
    double lo = strtod(corpus_field(spec, "lo")->valuestring, NULL);
    double hi = strtod(corpus_field(spec, "hi")->valuestring, NULL);
    int64_t count = (int64_t)corpus_field(spec, "count")->valuedouble;
    Tensor *t = tensor_empty(dtype, (Shape){.ndim = 1, .dims = {count}});
    ck_assert_ptr_nonnull(t);
    for (int64_t i = 0; i < count; i++) {
        double u = (double)(splitmix64(seed, (uint64_t)i) >> 11) * 0x1p-53;
        double x = lo + (hi - lo) * u;
        if (dtype == DTYPE_FLOAT32)
            ((float *)tensor_data(t))[i] = (float)x;
        else
            ((double *)tensor_data(t))[i] = x;
    }
    return t;
}

/* A Python number, or a tensor viewed as the corpus says: reshaped, every
 * second element, or the transpose of the reversed shape. */
static Tensor *operand_of(const cJSON *json, DType dtype) {
    const cJSON *number = cJSON_GetObjectItemCaseSensitive(json, "float");
    if (number) return py_float(strtod(number->valuestring, NULL));
    const cJSON *spec = corpus_field(json, "tensor");
    Shape shape = corpus_shape(corpus_field(spec, "shape"));
    const char *view = corpus_field(spec, "view")->valuestring;
    Tensor *base = base_of(spec, dtype);
    if (strcmp(view, "step2") == 0) return tensor_slice(base, 0, 0, 2 * shape.dims[0], 2);
    if (strcmp(view, "transpose") == 0) {
        Shape reversed = {.ndim = 2, .dims = {shape.dims[1], shape.dims[0]}};
        return tensor_transpose(tensor_reshape(base, reversed), 0, 1);
    }
    ck_assert_str_eq(view, "contiguous");
    return tensor_reshape(base, shape);
}

/* The op table's rows by torch name (their public calls, op_calls.h); the
 * arithmetic as Python's operators are (tensor_div is t / u). */
static Tensor *apply(const char *op, Tensor *a, Tensor *b) {
    static const char *const unary_names[] = {
#define UNARY_ROW_NAME(ID, NAME, ...) [UNARY_##ID] = NAME,
        UNARY_OP_LIST(UNARY_ROW_NAME)
#undef UNARY_ROW_NAME
    };
    static const char *const binary_names[] = {
#define BINARY_ROW_NAME(ID, NAME, ...) [BINARY_##ID] = NAME,
        BINARY_OP_LIST(BINARY_ROW_NAME)
#undef BINARY_ROW_NAME
    };
    for (int i = 0; i < UNARY_OP_COUNT; i++)
        if (strcmp(unary_names[i], op) == 0) return tensor_unary((UnaryOp)i, a);
    for (int i = 0; i < BINARY_OP_COUNT; i++)
        if (strcmp(binary_names[i], op) == 0) return tensor_binary((BinaryOp)i, a, b);
    ck_abort_msg("unknown op '%s'", op);
    return NULL;
}

/* ---- comparing ---- */

static uint64_t word_at(const unsigned char *bytes, size_t size, int64_t i) {
    if (size == 4) {
        uint32_t w;
        memcpy(&w, bytes + i * 4, 4);
        return w;
    }
    uint64_t w;
    memcpy(&w, bytes + i * 8, 8);
    return w;
}

/* Returns the number of differing elements (hex) or blocks (checksums),
 * after naming the first on stderr. */
static int compare(const char *name, const Tensor *result, const cJSON *expected) {
    size_t size = result->dtype == DTYPE_FLOAT32 ? 4 : 8;
    int64_t n = tensor_numel(result);
    const unsigned char *got = tensor_data(result);
    int differing = 0;
    const cJSON *hex = cJSON_GetObjectItemCaseSensitive(expected, "hex");
    if (hex) {
        size_t len;
        unsigned char *want = corpus_bytes(hex->valuestring, &len);
        ck_assert_uint_eq(len, (size_t)n * size);
        for (int64_t i = 0; i < n; i++) {
            uint64_t g = word_at(got, size, i), w = word_at(want, size, i);
            if (g != w && differing++ == 0)
                fprintf(stderr, "%s: element %" PRId64 " is %0*" PRIx64 ", PyTorch's %0*" PRIx64 "\n",
                        name, i, (int)(2 * size), g, (int)(2 * size), w);
        }
        free(want);
        return differing;
    }
    int64_t block = (int64_t)corpus_field(expected, "block")->valuedouble;
    const cJSON *sums = corpus_field(expected, "sums");
    ck_assert_int_eq(cJSON_GetArraySize(sums), (n + block - 1) / block);
    int64_t start = 0;
    const cJSON *sum;
    cJSON_ArrayForEach(sum, sums) {
        uint64_t h = 0;
        for (int64_t i = 0; i < block && start + i < n; i++)
            h += word_at(got, size, start + i) * (2 * (uint64_t)i + 1);
        if (h != strtoull(sum->valuestring, NULL, 16) && differing++ == 0)
            fprintf(stderr, "%s: elements %" PRId64 "..%" PRId64 " differ from PyTorch's\n", name,
                    start, start + block - 1);
        start += block;
    }
    return differing;
}

static int run_case(const cJSON *c) {
    const char *name = corpus_field(c, "name")->valuestring;
    DType dtype = corpus_dtype(corpus_field(c, "dtype")->valuestring);
    TensorScope *scope = tensor_scope_open();
    Tensor *in[2] = {NULL, NULL};
    int k = 0;
    const cJSON *operand;
    cJSON_ArrayForEach(operand, corpus_field(c, "inputs")) in[k++] = operand_of(operand, dtype);
    Tensor *result = tensor_contiguous(apply(corpus_field(c, "op")->valuestring, in[0], in[1]));
    ck_assert_msg(result != NULL, "%s: %s", name, nb_error_message());
    ck_assert_int_eq(result->dtype, dtype);
    int differing = compare(name, result, corpus_field(c, "expected"));
    tensor_scope_close(scope);
    return differing;
}

static void run_ops(bool (*wanted)(const char *op)) {
    int cases = 0, failing = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, corpus_field(corpus, "cases")) {
        if (!wanted(corpus_field(c, "op")->valuestring)) continue;
        cases++;
        if (run_case(c) && ++failing == MISMATCHES_SHOWN) fprintf(stderr, "(further cases not named)\n");
    }
    ck_assert_int_gt(cases, 0);
    ck_assert_msg(failing == 0, "%d of %d cases differ from PyTorch", failing, cases);
}

/* the unary rows but neg: library math (SLEEF, libm) or activations */
static bool is_math(const char *op) {
    static const char *const names[] = {
#define UNARY_ROW_NAME(ID, NAME, ...) NAME,
        UNARY_OP_LIST(UNARY_ROW_NAME)
#undef UNARY_ROW_NAME
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i], op) == 0) return strcmp(op, "neg") != 0;
    return false;
}
static bool is_pow(const char *op) { return strcmp(op, "pow") == 0; }
static bool is_arithmetic(const char *op) { return !is_math(op) && !is_pow(op); }

START_TEST(test_math) { run_ops(is_math); }
END_TEST

START_TEST(test_pow) { run_ops(is_pow); }
END_TEST

START_TEST(test_arithmetic) { run_ops(is_arithmetic); }
END_TEST

/* Makes the choices PyTorch made where the corpus was written, through
 * the variables PyTorch reads (which kernels/cpu_capability.c reads too,
 * on first use); false, after a line on stderr, when this CPU cannot. */
static bool choose_as_the_corpus(void) {
    static const char *const names[] = {"DEFAULT", "AVX2", "AVX512"};
    static const char *const variable_values[] = {"default", "avx2", "avx512"};
    const cJSON *capability = cJSON_GetObjectItemCaseSensitive(corpus, "capability");
    const cJSON *threads = cJSON_GetObjectItemCaseSensitive(corpus, "threads");
    if (!cJSON_IsString(capability) || !cJSON_IsNumber(threads)) {
        fprintf(stderr, "elementwise_bits.json does not say where it was written\n");
        return false;
    }
    for (int c = 0; c < 3; c++)
        if (strcmp(capability->valuestring, names[c]) == 0) setenv("ATEN_CPU_CAPABILITY", variable_values[c], 1);
    char count[32];
    snprintf(count, sizeof count, "%d", (int)threads->valuedouble);
    setenv("OMP_NUM_THREADS", count, 1);
    unsetenv("MKL_NUM_THREADS");
    if (strcmp(capability->valuestring, names[cpu_capability()]) == 0 &&
        (int)threads->valuedouble == cpu_aten_threads())
        return true;
    fprintf(stderr, "elementwise_bits.json was written under CPU capability %s, which this CPU "
                    "cannot run (it runs %s)\n", capability->valuestring, names[cpu_capability()]);
    return false;
}

int main(void) {
    corpus = corpus_load("elementwise_bits.json");
    if (!corpus) return EXIT_FAILURE;
    if (!choose_as_the_corpus()) {
        cJSON_Delete(corpus);
        return EXIT_SKIP;
    }
    Suite *s = suite_create("elementwise_bits");
    TCase *tc = tcase_create("elementwise_bits");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_math);
    tcase_add_test(tc, test_pow);
    tcase_add_test(tc, test_arithmetic);
    suite_add_tcase(s, tc);
    SRunner *runner = srunner_create(s);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    cJSON_Delete(corpus);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
