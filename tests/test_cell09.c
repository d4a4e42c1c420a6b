/* test_cell09: the timing cell's arithmetic and its parameters. Its output
 * is two elapsed times, which verify can only match by pattern, so what it
 * computes is checked here instead: for the seeds and sizes in
 * tests/data/cell9_corpus.jsonl (written from NumPy by
 * tests/corpus/make_cell9_corpus.py), X and Y must be NumPy's draws bit for
 * bit and our matmul of them NumPy's np.matmul to rounding. Then the cell
 * itself runs at small sizes, and bad parameters must fail with one clear
 * line before anything is drawn. */
#include <check.h>
#include <cJSON.h>

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../cells/registry.h"
#include "alloc.h"
#include "error.h"
#include "ops.h"
#include "rng.h"
#include "run.h"
#include "tensor.h"
#include "corpus.h"

static cJSON *corpus;
static const cJSON *cases;

static double hex_double(const cJSON *item) {
    ck_assert_msg(cJSON_IsString(item), "corpus double is not a hex string");
    char *end;
    double v = strtod(item->valuestring, &end);
    ck_assert_msg(*end == '\0', "bad corpus double '%s'", item->valuestring);
    return v;
}

static int64_t json_int(const cJSON *obj, const char *name) {
    const cJSON *item = corpus_field(obj, name);
    ck_assert_msg(cJSON_IsNumber(item), "'%s' is not a number", name);
    return (int64_t)item->valuedouble;
}

static uint64_t bits_of(double v) {
    uint64_t b;
    memcpy(&b, &v, sizeof b);
    return b;
}

/* The first and last recorded values and the wrapped sum of every value's
 * bit pattern, as make_cell9_corpus.py records them. */
static void check_draws(const cJSON *c, const char *name, const double *v, int64_t n) {
    char key[32];
    snprintf(key, sizeof key, "%s_first", name);
    const cJSON *first = corpus_field(c, key);
    snprintf(key, sizeof key, "%s_last", name);
    const cJSON *last = corpus_field(c, key);
    int edge = cJSON_GetArraySize(first);
    for (int i = 0; i < edge && i < n; i++) {
        double want = hex_double(cJSON_GetArrayItem(first, i));
        ck_assert_msg(bits_of(v[i]) == bits_of(want), "%s[%d] = %a, NumPy drew %a", name, i, v[i], want);
    }
    int nlast = cJSON_GetArraySize(last);
    for (int i = 0; i < nlast && i < n; i++) {
        int64_t at = n - nlast + i;
        double want = hex_double(cJSON_GetArrayItem(last, i));
        ck_assert_msg(bits_of(v[at]) == bits_of(want), "%s[%" PRId64 "] = %a, NumPy drew %a", name,
                      at, v[at], want);
    }
    uint64_t sum = 0;
    for (int64_t i = 0; i < n; i++) sum += bits_of(v[i]);
    snprintf(key, sizeof key, "%s_bits_sum", name);
    char got[17];
    snprintf(got, sizeof got, "%016" PRIx64, sum);
    ck_assert_msg(strcmp(got, corpus_field(c, key)->valuestring) == 0,
                  "%s: some draw differs from NumPy's (bit-pattern sum %s, NumPy %s)", name, got,
                  corpus_field(c, key)->valuestring);
}

START_TEST(test_product_matches_numpy) {
    const cJSON *c = cJSON_GetArrayItem(cases, _i);
    int64_t K = json_int(c, "K"), L = json_int(c, "L"), M = json_int(c, "M");
    TensorScope *scope = tensor_scope_open();
    Rng rng;
    nb_rng_seed(&rng, (uint32_t)json_int(c, "seed"));
    Tensor *X = tensor_empty(DTYPE_FLOAT64, SHAPE(K, L));
    Tensor *Y = tensor_empty(DTYPE_FLOAT64, SHAPE(L, M));
    ck_assert_ptr_nonnull(X);
    ck_assert_ptr_nonnull(Y);
    const double *x = tensor_data(X), *y = tensor_data(Y);
    nb_rng_normal(&rng, 0, 1, tensor_data(X), (size_t)(K * L));
    nb_rng_normal(&rng, 0, 1, tensor_data(Y), (size_t)(L * M));
    check_draws(c, "x", x, K * L);
    check_draws(c, "y", y, L * M);

    Tensor *Z = tensor_matmul(X, Y);
    ck_assert_msg(Z != NULL, "matmul failed: %s", nb_error_message());
    ck_assert_int_eq(Z->ndim, 2);
    ck_assert_int_eq(Z->shape[0], K);
    ck_assert_int_eq(Z->shape[1], M);
    const cJSON *product = corpus_field(c, "product");
    ck_assert_int_eq(cJSON_GetArraySize(product), K * M);
    const double *z = tensor_data(Z);
    int i = 0;
    for (const cJSON *item = product->child; item; item = item->next, i++) {
        int64_t r = i / M, col = i % M;
        /* Summation order may differ from NumPy's BLAS: each term rounds by
         * at most 2**-52 relative, so bound by L ulps of the sum of |terms|. */
        double scale = 0;
        for (int64_t k = 0; k < L; k++) scale += fabs(x[r * L + k] * y[k * M + col]);
        double want = hex_double(item), bound = (double)L * 0x1p-52 * scale;
        ck_assert_msg(fabs(z[i] - want) <= bound, "Z[%" PRId64 ",%" PRId64 "] = %a, NumPy %a", r,
                      col, z[i], want);
    }
    tensor_scope_close(scope);
    ck_assert_int_eq(nb_alloc_stats().live_blocks, 0);
}
END_TEST

/* Runs cell 9 with --param-style arguments; returns run_cell's status and
 * leaves what it printed in *out. */
static int run_cell9(const char *k, const char *l, const char *m, StrBuf *out) {
    const Cell *cell = cell_find("timing");
    ck_assert_ptr_nonnull(cell);
    RunParamArg args[3];
    int n = 0;
    if (k) args[n++] = (RunParamArg){"K", k};
    if (l) args[n++] = (RunParamArg){"L", l};
    if (m) args[n++] = (RunParamArg){"M", m};
    RunOptions options = {.seed = 0, .device = DEVICE_CPU, .params = args, .nparams = n};
    return run_cell(cell, &options, out);
}

/* repr of a float: the golden's pattern, by hand. */
static bool is_float_repr(const char *s, size_t n) {
    size_t digits = 0, i = 0;
    if (i < n && s[i] == '-') i++;
    bool point = false, exponent = false;
    for (; i < n; i++) {
        if (s[i] >= '0' && s[i] <= '9')
            digits++;
        else if (s[i] == '.' && !point && !exponent)
            point = true;
        else if (s[i] == 'e' && !exponent && digits > 0 && i + 2 < n && (s[i + 1] == '-' || s[i + 1] == '+'))
            exponent = true, i++;
        else
            return false;
    }
    return digits > 0 && (point || exponent);
}

START_TEST(test_cell_prints_two_times) {
    StrBuf out = STRBUF_INIT;
    ck_assert_msg(run_cell9("25", "10", "3", &out) == 0, "cell 9 failed: %s", nb_error_message());
    const char *text = nb_strbuf_cstr(&out), *newline = strchr(text, '\n');
    ck_assert_ptr_nonnull(newline);
    const char *second = newline + 1, *end = strchr(second, '\n');
    ck_assert_ptr_nonnull(end);
    ck_assert_msg(end[1] == '\0', "more than two lines: %s", text);
    ck_assert_msg(is_float_repr(text, (size_t)(newline - text)), "not a float: %s", text);
    ck_assert_msg(is_float_repr(second, (size_t)(end - second)), "not a float: %s", second);
    nb_strbuf_free(&out);
    ck_assert_int_eq(nb_alloc_stats().live_blocks, 0);
}
END_TEST

typedef struct {
    const char *k, *l, *m;
    const char *message; /* what the one-line error must contain */
} BadParams;

static const BadParams bad_params[] = {
    {"0", NULL, NULL, "parameter K must be an integer >= 1, got '0'"},
    {NULL, "-3", NULL, "parameter L must be an integer >= 1, got '-3'"},
    {NULL, NULL, "1e3", "parameter M must be an integer >= 1, got '1e3'"},
    {"99999999999999999999", NULL, NULL, "parameter K must be an integer >= 1"},
    /* K*L*8 and the rest wrap around 64 bits */
    {"4000000000", "4000000000", "4000000000", "need more than 2**64 bytes"},
    {"3000000000", "1", "1", "must be at most 2147483647"},
    /* 2**63 bytes: no machine has them */
    {"1073741824", "1073741824", "1", "GB of memory"},
};

START_TEST(test_bad_params_fail_cleanly) {
    const BadParams *bad = &bad_params[_i];
    StrBuf out = STRBUF_INIT;
    int64_t before = nb_alloc_stats().total_calls;
    ck_assert_int_eq(run_cell9(bad->k, bad->l, bad->m, &out), -1);
    const char *message = nb_error_message();
    ck_assert_msg(strstr(message, bad->message) != NULL, "error '%s' lacks '%s'", message, bad->message);
    ck_assert_msg(strchr(message, '\n') == NULL, "error is not one line: '%s'", message);
    ck_assert_int_eq((int)out.len, 0);
    /* Refused before any array was allocated (a run takes a few small blocks). */
    ck_assert_int_lt(nb_alloc_stats().total_calls - before, 8);
    nb_error_clear();
    nb_strbuf_free(&out);
    ck_assert_int_eq(nb_alloc_stats().live_blocks, 0);
}
END_TEST

START_TEST(test_unknown_param) {
    const Cell *cell = cell_find("9");
    ck_assert_ptr_nonnull(cell);
    RunParamArg arg = {"N", "5"};
    ck_assert_int_eq(run_check_params(cell, &arg, 1), -1);
    ck_assert_str_eq(nb_error_message(), "cell 9 (timing) has no parameter 'N' (it takes K, L, M)");
    nb_error_clear();
}
END_TEST

int main(void) {
    corpus = corpus_load("cell9_corpus.jsonl");
    if (!corpus) return EXIT_FAILURE;
    cases = cJSON_GetObjectItemCaseSensitive(corpus, "cases");
    int ncases = cJSON_GetArraySize(cases);
    if (ncases == 0) {
        fprintf(stderr, "test_cell09: corpus has no cases\n");
        cJSON_Delete(corpus);
        return EXIT_FAILURE;
    }
    Suite *s = suite_create("cell09");
    TCase *product = tcase_create("product");
    tcase_set_timeout(product, 60);
    tcase_add_loop_test(product, test_product_matches_numpy, 0, ncases);
    suite_add_tcase(s, product);
    TCase *cell = tcase_create("cell");
    tcase_add_test(cell, test_cell_prints_two_times);
    tcase_add_loop_test(cell, test_bad_params_fail_cleanly, 0,
                        (int)(sizeof bad_params / sizeof bad_params[0]));
    tcase_add_test(cell, test_unknown_param);
    suite_add_tcase(s, cell);

    return corpus_run_suite(s, corpus);
}
