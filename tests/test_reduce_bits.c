/* test_reduce_bits: sums and products bit for bit PyTorch 1.13's.
 *
 * Replays tests/data/reduce_bits.json (tests/corpus/make_reduce_bits.py,
 * real PyTorch): each case builds its inputs (stored bytes, or the shared
 * formula for big ones) through the same views, sets the thread count the
 * case ran PyTorch with, runs the op through the library's front end and
 * compares the result's bytes: one ulp anywhere fails, and the report
 * names the case and the first differing element. */
#include <check.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../kernels/cpu_reduce_iter.h"
#include "autograd.h"
#include "error.h"
#include "ops.h"
#include "print.h"
#include "corpus.h"

static cJSON *corpus;

static void load_corpus(void) {
    corpus = corpus_load("reduce_bits.json");
    ck_assert_ptr_nonnull(corpus);
}

static void free_corpus(void) {
    cJSON_Delete(corpus);
    corpus = NULL;
}

static int64_t json_int(const cJSON *item) { return (int64_t)cJSON_GetNumberValue(item); }

static int64_t numel_of(Shape s) {
    int64_t n = 1;
    for (int i = 0; i < s.ndim; i++) n *= s.dims[i];
    return n;
}

/* The corpus script's formula_values: splitmix64 of (seed, i), a signed
 * 24-bit mantissa scaled by 2^[-20, 11]; exact in either float type. */
static double formula_value(uint64_t seed, int64_t i) {
    uint64_t z = seed + (uint64_t)(i + 1) * UINT64_C(0x9E3779B97F4A7C15);
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    z ^= z >> 31;
    int64_t mantissa = (int64_t)(z >> 40) - (INT64_C(1) << 23);
    return ldexp((double)mantissa, (int)(z & 31) - 20);
}

static Tensor *formula_tensor(DType dtype, Shape shape, uint64_t seed) {
    Tensor *t = tensor_empty(dtype, shape);
    ck_assert_ptr_nonnull(t);
    int64_t n = numel_of(shape);
    for (int64_t i = 0; i < n; i++) {
        double v = formula_value(seed, i);
        if (dtype == DTYPE_FLOAT32)
            ((float *)tensor_data(t))[i] = (float)v;
        else if (dtype == DTYPE_FLOAT64)
            ((double *)tensor_data(t))[i] = v;
        else
            ck_abort_msg("formula inputs are floating");
    }
    return t;
}

static Tensor *apply_view(Tensor *t, const cJSON *steps) {
    const cJSON *step;
    cJSON_ArrayForEach(step, steps) {
        const char *kind = cJSON_GetArrayItem(step, 0)->valuestring;
        int a1 = (int)json_int(cJSON_GetArrayItem(step, 1));
        if (strcmp(kind, "transpose") == 0)
            t = tensor_transpose(t, a1, (int)json_int(cJSON_GetArrayItem(step, 2)));
        else if (strcmp(kind, "slice") == 0)
            t = tensor_slice(t, a1, json_int(cJSON_GetArrayItem(step, 2)), json_int(cJSON_GetArrayItem(step, 3)),
                             json_int(cJSON_GetArrayItem(step, 4)));
        else if (strcmp(kind, "expand") == 0)
            t = tensor_expand(t, corpus_shape(cJSON_GetArrayItem(step, 1)));
        else if (strcmp(kind, "select") == 0)
            t = tensor_select(t, a1, json_int(cJSON_GetArrayItem(step, 2)));
        else if (strcmp(kind, "unsqueeze") == 0)
            t = tensor_unsqueeze(t, a1);
        else
            ck_abort_msg("unknown view step '%s'", kind);
    }
    return t;
}

static Tensor *build_input(const cJSON *desc) {
    DType dtype = corpus_dtype(corpus_field(desc, "dtype")->valuestring);
    Shape shape = corpus_shape(corpus_field(desc, "shape"));
    Tensor *base;
    const cJSON *formula = cJSON_GetObjectItemCaseSensitive(desc, "formula");
    if (formula) {
        base = formula_tensor(dtype, shape, (uint64_t)json_int(corpus_field(formula, "seed")));
    } else {
        size_t len;
        unsigned char *bytes = corpus_bytes(corpus_field(desc, "data")->valuestring, &len);
        ck_assert_uint_eq(len, (size_t)numel_of(shape) * nb_dtype_size(dtype));
        base = tensor_from_data(dtype, shape, bytes);
        free(bytes);
    }
    return apply_view(base, corpus_field(desc, "view"));
}

static Tensor *(*const products[])(Tensor *, Tensor *) = {tensor_dot, tensor_mv, tensor_mm, tensor_bmm,
                                                          tensor_matmul};
static const char *const product_names[] = {"grad_dot", "grad_mv", "grad_mm", "grad_bmm", "grad_matmul"};

/* The reductions over a dimension and over everything, by corpus name. */
static Tensor *reduction(const char *op, const cJSON *c, Tensor *x) {
    static const struct {
        const char *name;
        Tensor *(*fn)(Tensor *, int, bool);
    } dim_ops[] = {{"sum_dim", tensor_sum_dim},
                   {"mean_dim", tensor_mean_dim},
                   {"argmax_dim", tensor_argmax_dim},
                   {"argmin_dim", tensor_argmin_dim}};
    static const struct {
        const char *name;
        Tensor *(*fn)(Tensor *);
    } all_ops[] = {{"mean", tensor_mean}, {"max", tensor_max}, {"min", tensor_min},
                   {"argmax", tensor_argmax}, {"argmin", tensor_argmin}};
    for (size_t i = 0; i < sizeof dim_ops / sizeof dim_ops[0]; i++)
        if (strcmp(op, dim_ops[i].name) == 0)
            return dim_ops[i].fn(x, (int)json_int(corpus_field(c, "dim")),
                                 cJSON_IsTrue(corpus_field(c, "keepdim")));
    for (size_t i = 0; i < sizeof all_ops / sizeof all_ops[0]; i++)
        if (strcmp(op, all_ops[i].name) == 0) return all_ops[i].fn(x);
    return NULL;
}

static bool is_reduction(const char *op) {
    static const char *const names[] = {"sum_dim", "mean_dim", "argmax_dim", "argmin_dim", "mean",
                                        "max",     "min",      "argmax",     "argmin"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(op, names[i]) == 0) return true;
    return false;
}

/* str() of the case's first result, to compare with the corpus's "text" */
static char printed[1 << 16];

/* The op's results, as many as the case expects. */
static int run_case(const char *op, const cJSON *c, Tensor **in, Tensor **results) {
    printed[0] = 0;
    if (is_reduction(op) || (strncmp(op, "grad_", 5) == 0 && is_reduction(op + 5))) {
        bool grad = strncmp(op, "grad_", 5) == 0;
        Tensor *x = grad ? tensor_requires_grad_(in[0], true) : in[0];
        Tensor *out = reduction(grad ? op + 5 : op, c, x);
        if (!out) return -1;
        StrBuf text = {0};
        if (tensor_format(&text, out, NULL) != 0) return -1;
        snprintf(printed, sizeof printed, "%s", nb_strbuf_cstr(&text));
        nb_strbuf_free(&text);
        if (!grad) {
            results[0] = out;
            return 0;
        }
        if (tensor_backward(out, in[1], false) != 0) return -1;
        results[0] = tensor_grad(x);
        return results[0] ? 0 : -1;
    }
    for (size_t p = 0; p < sizeof products / sizeof products[0]; p++)
        if (strcmp(op, product_names[p]) == 0) {
            Tensor *a = tensor_requires_grad_(in[0], true), *b = tensor_requires_grad_(in[1], true);
            if (tensor_backward(products[p](a, b), in[2], false) != 0) return -1;
            results[0] = tensor_grad(a);
            results[1] = tensor_grad(b);
            return results[0] && results[1] ? 0 : -1;
        }
    if (strcmp(op, "sum") == 0) {
        results[0] = tensor_sum(in[0]);
    } else if (strcmp(op, "sum_to_size") == 0) {
        results[0] = tensor_sum_to_size(in[0], corpus_shape(corpus_field(c, "size")));
    } else if (strcmp(op, "grad_add") == 0 || strcmp(op, "grad_mul") == 0) {
        Tensor *a = tensor_requires_grad_(in[0], true), *b = tensor_requires_grad_(in[1], true);
        Tensor *out = op[5] == 'a' ? tensor_add(a, b) : tensor_mul(a, b);
        if (tensor_backward(out, in[2], false) != 0) return -1;
        results[0] = tensor_grad(a);
    } else if (strcmp(op, "dot") == 0) {
        results[0] = tensor_dot(in[0], in[1]);
    } else if (strcmp(op, "mv") == 0) {
        results[0] = tensor_mv(in[0], in[1]);
    } else if (strcmp(op, "mm") == 0) {
        results[0] = tensor_mm(in[0], in[1]);
    } else if (strcmp(op, "bmm") == 0) {
        results[0] = tensor_bmm(in[0], in[1]);
    } else if (strcmp(op, "matmul") == 0) {
        results[0] = tensor_matmul(in[0], in[1]);
    } else if (strcmp(op, "matmul_grad") == 0) {
        results[0] = tensor_matmul(tensor_requires_grad_(in[0], true), tensor_requires_grad_(in[1], true));
    } else {
        ck_abort_msg("unknown op '%s'", op);
    }
    return results[0] ? 0 : -1;
}

/* A NaN matches any NaN (its sign and payload are not PyTorch's promise). */
static bool both_nan(DType dtype, const unsigned char *a, const unsigned char *b) {
    if (dtype == DTYPE_FLOAT32) {
        float x, y;
        memcpy(&x, a, 4);
        memcpy(&y, b, 4);
        return isnan(x) && isnan(y);
    }
    if (dtype == DTYPE_FLOAT64) {
        double x, y;
        memcpy(&x, a, 8);
        memcpy(&y, b, 8);
        return isnan(x) && isnan(y);
    }
    return false;
}

/* 1 (after a line on stderr) when got is not expect to the bit, a NaN
 * matching any NaN. */
static int compare(const char *name, const Tensor *got, const cJSON *expect) {
    DType dtype = corpus_dtype(corpus_field(expect, "dtype")->valuestring);
    Shape shape = corpus_shape(corpus_field(expect, "shape"));
    if (got->dtype != dtype || !nb_shape_equal(tensor_shape(got), shape)) {
        fprintf(stderr, "%s: dtype or shape differs\n", name);
        return 1;
    }
    size_t len, size = nb_dtype_size(dtype);
    unsigned char *want = corpus_bytes(corpus_field(expect, "data")->valuestring, &len);
    const unsigned char *have = tensor_data(tensor_contiguous((Tensor *)got));
    int differs = 0;
    for (size_t i = 0; i < len / size && !differs; i++)
        if (memcmp(have + i * size, want + i * size, size) != 0 && !both_nan(dtype, have + i * size, want + i * size)) {
            double h = 0, w = 0;
            if (dtype == DTYPE_FLOAT32) {
                h = *(const float *)(have + i * size);
                w = *(const float *)(want + i * size);
            } else if (dtype == DTYPE_FLOAT64 || dtype == DTYPE_INT64) {
                int64_t hi, wi;
                memcpy(&hi, have + i * size, 8);
                memcpy(&wi, want + i * size, 8);
                h = dtype == DTYPE_INT64 ? (double)hi : *(const double *)(have + i * size);
                w = dtype == DTYPE_INT64 ? (double)wi : *(const double *)(want + i * size);
            }
            fprintf(stderr, "%s: element %zu is %.17g, PyTorch's %.17g\n", name, i, h, w);
            differs = 1;
        }
    free(want);
    return differs;
}

static const char *const ops[] = {"sum",     "sum_to_size", "grad_add",    "grad_mul", "dot",     "mv",
                                  "mm",      "bmm",         "matmul",      "matmul_grad", "grad_dot", "grad_mv",
                                  "grad_mm", "grad_bmm",    "grad_matmul",
                                  /* reductions over a dimension, means, max/min, argmax/argmin */
                                  "sum_dim", "mean_dim", "argmax_dim", "argmin_dim", "mean", "max", "min",
                                  "argmax", "argmin", "grad_sum_dim", "grad_mean_dim", "grad_mean", "grad_max",
                                  "grad_min"};
#define N_OPS ((int)(sizeof ops / sizeof ops[0]))

START_TEST(test_op_cases) {
    const char *op = ops[_i];
    int cases = 0, failures = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, corpus_field(corpus, "cases")) {
        if (strcmp(corpus_field(c, "op")->valuestring, op) != 0) continue;
        const char *name = corpus_field(c, "name")->valuestring;
        TensorScope *scope = tensor_scope_open();
        cpu_reduce_set_threads((int)json_int(corpus_field(c, "threads")));
        Tensor *in[3] = {NULL, NULL, NULL};
        int nin = 0;
        const cJSON *desc;
        cJSON_ArrayForEach(desc, corpus_field(c, "inputs")) in[nin++] = build_input(desc);
        Tensor *results[2] = {NULL, NULL};
        const cJSON *error = cJSON_GetObjectItemCaseSensitive(c, "error");
        if (error) {
            /* PyTorch refused: so must we, in its words */
            int status = run_case(op, c, in, results);
            if (status == 0 || strcmp(nb_error_message(), error->valuestring) != 0) {
                fprintf(stderr, "%s: expected error '%s', got %s'%s'\n", name, error->valuestring,
                        status == 0 ? "a result " : "", status == 0 ? "" : nb_error_message());
                failures++;
            }
            nb_error_clear();
            tensor_scope_close(scope);
            cases++;
            continue;
        }
        const cJSON *expect = corpus_field(c, "expect");
        const cJSON *text = cJSON_GetObjectItemCaseSensitive(c, "text");
        if (run_case(op, c, in, results) != 0) {
            fprintf(stderr, "%s: failed: %s\n", name, nb_error_message());
            nb_error_clear();
            failures++;
        } else {
            int differs = 0;
            for (int r = 0; r < cJSON_GetArraySize(expect) && r < 2; r++) {
                char what[256];
                snprintf(what, sizeof what, r == 0 ? "%s" : "%s (second result)", name);
                differs |= compare(what, results[r], cJSON_GetArrayItem(expect, r));
            }
            if (text && strcmp(text->valuestring, printed) != 0) {
                fprintf(stderr, "%s: printed\n%s\nPyTorch printed\n%s\n", name, printed, text->valuestring);
                differs = 1;
            }
            failures += differs;
        }
        tensor_scope_close(scope);
        cases++;
    }
    cpu_reduce_set_threads(1);
    ck_assert_msg(cases > 0, "no %s cases in the corpus", op);
    ck_assert_msg(failures == 0, "%d of %d %s cases differ from PyTorch (listed above)", failures, cases, op);
}
END_TEST

/* The corpus reaches the paths that differ: two threads past the grain,
 * big inputs by formula, stride-0 and transposed views. */
START_TEST(test_corpus_reaches_every_path) {
    int two_threads = 0, formulas = 0, expanded = 0, transposed = 0;
    const cJSON *c, *desc;
    cJSON_ArrayForEach(c, corpus_field(corpus, "cases")) {
        if (json_int(corpus_field(c, "threads")) == 2) two_threads++;
        cJSON_ArrayForEach(desc, corpus_field(c, "inputs")) {
            if (cJSON_GetObjectItemCaseSensitive(desc, "formula")) formulas++;
            const char *text = cJSON_PrintUnformatted(corpus_field(desc, "view"));
            if (strstr(text, "expand")) expanded++;
            if (strstr(text, "transpose")) transposed++;
            cJSON_free((void *)text);
        }
    }
    ck_assert_int_ge(two_threads, 20);
    ck_assert_int_ge(formulas, 50);
    ck_assert_int_ge(expanded, 10);
    ck_assert_int_ge(transposed, 50);
}
END_TEST

int main(void) {
    Suite *s = suite_create("reduce_bits");
    TCase *tc = tcase_create("corpus");
    tcase_set_timeout(tc, 120);
    tcase_add_unchecked_fixture(tc, load_corpus, free_corpus);
    tcase_add_test(tc, test_corpus_reaches_every_path);
    tcase_add_loop_test(tc, test_op_cases, 0, N_OPS);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
