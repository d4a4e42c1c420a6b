/* test_edges: the tensor library at its edges, against what PyTorch 1.13
 * does there (tests/data/edges_corpus.jsonl, written by
 * tests/corpus/make_edges_corpus.py): every op on empty and 0-d tensors,
 * Python numbers and mixed dtypes; nan, inf, signed zeros, tiny and huge
 * values through every op and through the printer; int64 wrap-around;
 * broadcasting and shape errors (PyTorch's words); and shapes whose element
 * or byte count overflows int64, which must be refused without allocating
 * anything and without arithmetic that wraps.
 *
 * Every result is compared bit for bit, the sign of zero included (any NaN
 * matches any NaN), and printed as PyTorch prints it: sin, cos, exp, log and
 * pow are SLEEF in ATen's loop structure, sums ATen's cascade_sum and
 * products PyTorch's BLAS calls (tests/test_elementwise_bits.c,
 * tests/test_reduce_bits.c), so no op is left to round differently.
 * Autograd's edges are left to its own suite.
 * Mismatches are all counted and the first ones shown before a test fails. */
#include <check.h>
#include <cJSON.h>

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "error.h"
#include "ops.h"
#include "op_calls.h"
#include "print.h"
#include "tensor.h"
#include "corpus.h"

#define MISMATCHES_SHOWN 30

static cJSON *corpus;

/* ---- reading the corpus ---- */

static DType dtype_named(const char *name) {
    static const struct { const char *name; DType dtype; } names[] = {
        {"float32", DTYPE_FLOAT32}, {"float64", DTYPE_FLOAT64},
        {"int64", DTYPE_INT64}, {"bool", DTYPE_BOOL},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i].name, name) == 0) return names[i].dtype;
    ck_abort_msg("unknown corpus dtype '%s'", name);
    return DTYPE_FLOAT32;
}

/* Dimensions past 2**53 come as strings, which a double cannot hold. */
static Tensor *tensor_of(const cJSON *json) {
    size_t len;
    unsigned char *data = corpus_bytes(corpus_field(json, "data")->valuestring, &len);
    Tensor *t = tensor_from_data(dtype_named(corpus_field(json, "dtype")->valuestring),
                                 corpus_shape(corpus_field(json, "shape")), data);
    free(data);
    ck_assert_msg(t != NULL, "cannot build a corpus tensor: %s", nb_error_message());
    return t;
}

/* A tensor, or a Python number wrapped as PyTorch wraps it. */
static Tensor *operand_of(const cJSON *json) {
    const cJSON *i = cJSON_GetObjectItemCaseSensitive(json, "int");
    if (i) return py_int(strtoll(i->valuestring, NULL, 10));
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(json, "float");
    if (f) return py_float(strtod(f->valuestring, NULL));
    return tensor_of(json);
}

/* ---- comparing ---- */

typedef struct Tally {
    int checked;
    int mismatches;
} Tally;

static void mismatch(Tally *tally, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void mismatch(Tally *tally, const char *fmt, ...) {
    if (tally->mismatches++ < MISMATCHES_SHOWN) {
        va_list ap;
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fputc('\n', stderr);
    }
}

static bool report(const Tally *tally, const char *what) {
    if (tally->mismatches > MISMATCHES_SHOWN)
        fprintf(stderr, "%s: %d more mismatches not shown\n", what,
                tally->mismatches - MISMATCHES_SHOWN);
    if (tally->mismatches)
        fprintf(stderr, "%s: %d of %d cases differ from PyTorch\n", what, tally->mismatches,
                tally->checked);
    return tally->mismatches == 0;
}

/* Whether two doubles agree: any NaN with any NaN, else bit for bit (a
 * float32 widens to a double exactly, so this is its bits too). */
static bool values_agree(double actual, double expected) {
    if (isnan(expected) || isnan(actual)) return isnan(expected) && isnan(actual);
    return memcmp(&actual, &expected, sizeof actual) == 0;
}

static double element_of(DType dtype, const unsigned char *bytes, size_t i) {
    switch (dtype) {
    case DTYPE_FLOAT32: {
        float v;
        memcpy(&v, bytes + i * 4, 4);
        return v;
    }
    case DTYPE_FLOAT64: {
        double v;
        memcpy(&v, bytes + i * 8, 8);
        return v;
    }
    case DTYPE_INT64: {
        int64_t v;
        memcpy(&v, bytes + i * 8, 8);
        return (double)v;
    }
    case DTYPE_BOOL: return bytes[i] ? 1.0 : 0.0;
    }
    return 0;
}

/* Checks an op's result against PyTorch's outcome (a tensor or an error).
 * Values must be bit for bit the same, and the printed text too. */
static void expect_outcome(Tally *tally, const char *what, Tensor *actual, const cJSON *expected) {
    tally->checked++;
    const cJSON *error = cJSON_GetObjectItemCaseSensitive(expected, "error");
    if (error) {
        if (actual)
            mismatch(tally, "%s: PyTorch fails with '%s'; nbreplay gave a tensor", what,
                     error->valuestring);
        else if (strcmp(nb_error_message(), error->valuestring) != 0)
            mismatch(tally, "%s: PyTorch fails with\n    '%s'\n  nbreplay with\n    '%s'", what,
                     error->valuestring, nb_error_message());
        nb_error_clear();
        return;
    }
    if (!actual) {
        mismatch(tally, "%s: PyTorch succeeds; nbreplay fails with '%s'", what, nb_error_message());
        nb_error_clear();
        return;
    }
    DType dtype = dtype_named(corpus_field(expected, "dtype")->valuestring);
    Shape shape = corpus_shape(corpus_field(expected, "shape"));
    if (actual->dtype != dtype || !nb_shape_equal(tensor_shape(actual), shape)) {
        char want[256], got[256];
        mismatch(tally, "%s: PyTorch gives %s %s, nbreplay %s %s", what, nb_dtype_torch_name(dtype),
                 nb_shape_str(shape.dims, shape.ndim, want, sizeof want),
                 nb_dtype_torch_name(actual->dtype),
                 nb_shape_str(actual->shape, actual->ndim, got, sizeof got));
        return;
    }
    size_t len;
    unsigned char *bytes = corpus_bytes(corpus_field(expected, "data")->valuestring, &len);
    Tensor *c = tensor_contiguous(actual);
    ck_assert(c != NULL);
    const unsigned char *data = tensor_data(c);
    size_t n = (size_t)tensor_numel(c);
    for (size_t i = 0; i < n; i++) {
        bool same;
        if (dtype == DTYPE_INT64 || dtype == DTYPE_BOOL)
            same = memcmp(data + i * nb_dtype_size(dtype), bytes + i * nb_dtype_size(dtype),
                          nb_dtype_size(dtype)) == 0;
        else
            same = values_agree(element_of(dtype, data, i), element_of(dtype, bytes, i));
        if (!same) {
            mismatch(tally, "%s: element %zu is %.17g (%a) in PyTorch, %.17g (%a) in nbreplay", what,
                     i, element_of(dtype, bytes, i), element_of(dtype, bytes, i),
                     element_of(dtype, data, i), element_of(dtype, data, i));
            free(bytes);
            return;
        }
    }
    free(bytes);
    StrBuf text = STRBUF_INIT;
    ck_assert_int_eq(tensor_format(&text, actual, NULL), 0);
    const char *want = corpus_field(expected, "str")->valuestring;
    if (strcmp(nb_strbuf_cstr(&text), want) != 0)
        mismatch(tally, "%s: PyTorch prints\n%s\nnbreplay prints\n%s", what, want,
                 nb_strbuf_cstr(&text));
    nb_strbuf_free(&text);
}

static void describe(char *buf, size_t cap, const char *op, const cJSON *a, const cJSON *b) {
    char *ta = cJSON_PrintUnformatted(a), *tb = b ? cJSON_PrintUnformatted(b) : NULL;
    /* the hex data makes a long line; the dtype and shape say enough */
    snprintf(buf, cap, "%s(%.120s%s%.120s)", op, ta, tb ? ", " : "", tb ? tb : "");
    cJSON_free(ta);
    cJSON_free(tb);
}

/* ---- ops ---- */

typedef Tensor *(*BinaryFn)(Tensor *, Tensor *);

/* The op table's rows by torch name, through their public calls
 * (op_calls.h); then the products and sum. */
static Tensor *apply_binary(const char *op, Tensor *a, Tensor *b) {
    static const char *const table[] = {
#define BINARY_ROW_NAME(ID, NAME, ...) [BINARY_##ID] = NAME,
        BINARY_OP_LIST(BINARY_ROW_NAME)
#undef BINARY_ROW_NAME
    };
    for (int i = 0; i < BINARY_OP_COUNT; i++)
        if (strcmp(table[i], op) == 0) return tensor_binary((BinaryOp)i, a, b);
    static const struct { const char *name; BinaryFn fn; } ops[] = {
        {"dot", tensor_dot}, {"mv", tensor_mv}, {"mm", tensor_mm},
        {"bmm", tensor_bmm}, {"matmul", tensor_matmul}, {"outer", tensor_outer},
    };
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (strcmp(ops[i].name, op) == 0) return ops[i].fn(a, b);
    ck_abort_msg("unknown corpus op '%s'", op);
    return NULL;
}

static Tensor *apply_unary(const char *op, Tensor *a) {
    static const char *const table[] = {
#define UNARY_ROW_NAME(ID, NAME, ...) [UNARY_##ID] = NAME,
        UNARY_OP_LIST(UNARY_ROW_NAME)
#undef UNARY_ROW_NAME
    };
    for (int i = 0; i < UNARY_OP_COUNT; i++)
        if (strcmp(table[i], op) == 0) return tensor_unary((UnaryOp)i, a);
    if (strcmp(op, "sum") == 0) return tensor_sum(a);
    ck_abort_msg("unknown corpus op '%s'", op);
    return NULL;
}

/* Runs every case of a section; each in its own scope, which must take
 * back every block. */
static void run_binary_section(const char *section) {
    Tally tally = {0};
    const cJSON *c;
    cJSON_ArrayForEach(c, corpus_field(corpus, section)) {
        const char *op = corpus_field(c, "op")->valuestring;
        char what[400];
        describe(what, sizeof what, op, corpus_field(c, "a"), corpus_field(c, "b"));
        nb_error_clear();
        int64_t live = nb_alloc_stats().live_blocks;
        TensorScope *scope = tensor_scope_open();
        Tensor *a = operand_of(corpus_field(c, "a")), *b = operand_of(corpus_field(c, "b"));
        expect_outcome(&tally, what, apply_binary(op, a, b), corpus_field(c, "expected"));
        nb_error_clear();
        tensor_scope_close(scope);
        ck_assert_int_eq(nb_alloc_stats().live_blocks, live);
    }
    ck_assert_msg(report(&tally, section), "%s differs from PyTorch", section);
}

START_TEST(test_elementwise) { run_binary_section("elementwise"); }
END_TEST

START_TEST(test_linalg) { run_binary_section("linalg"); }
END_TEST

START_TEST(test_unary) {
    Tally tally = {0};
    const cJSON *c;
    cJSON_ArrayForEach(c, corpus_field(corpus, "unary")) {
        const char *op = corpus_field(c, "op")->valuestring;
        char what[400];
        describe(what, sizeof what, op, corpus_field(c, "a"), NULL);
        nb_error_clear();
        int64_t live = nb_alloc_stats().live_blocks;
        TensorScope *scope = tensor_scope_open();
        Tensor *a = operand_of(corpus_field(c, "a"));
        expect_outcome(&tally, what, apply_unary(op, a), corpus_field(c, "expected"));
        nb_error_clear();
        tensor_scope_close(scope);
        ck_assert_int_eq(nb_alloc_stats().live_blocks, live);
    }
    ck_assert_msg(report(&tally, "unary"), "unary ops differ from PyTorch");
}
END_TEST

/* ---- printing ---- */

static PrintOptions options_of(const cJSON *json) {
    PrintOptions o = PRINT_OPTIONS_DEFAULT;
    o.precision = corpus_field(json, "precision")->valueint;
    o.threshold = corpus_field(json, "threshold")->valuedouble;
    o.edgeitems = corpus_field(json, "edgeitems")->valueint;
    o.linewidth = corpus_field(json, "linewidth")->valueint;
    const cJSON *sci = corpus_field(json, "sci_mode");
    o.sci_mode = cJSON_IsNull(sci) ? -1 : cJSON_IsTrue(sci) ? 1 : 0;
    return o;
}

START_TEST(test_print) {
    Tally tally = {0};
    const cJSON *c;
    int index = 0;
    cJSON_ArrayForEach(c, corpus_field(corpus, "print")) {
        nb_error_clear();
        TensorScope *scope = tensor_scope_open();
        Tensor *t = tensor_of(corpus_field(c, "a"));
        PrintOptions opts = options_of(corpus_field(c, "options"));
        StrBuf out = STRBUF_INIT;
        tally.checked++;
        if (tensor_format(&out, t, &opts) != 0) {
            mismatch(&tally, "print case %d: fails with '%s'", index, nb_error_message());
        } else if (strcmp(nb_strbuf_cstr(&out), corpus_field(c, "expected")->valuestring) != 0) {
            mismatch(&tally, "print case %d (precision %d, sci_mode %d):\n--- PyTorch\n%s\n--- nbreplay\n%s",
                     index, opts.precision, opts.sci_mode, corpus_field(c, "expected")->valuestring,
                     nb_strbuf_cstr(&out));
        }
        nb_strbuf_free(&out);
        nb_error_clear();
        tensor_scope_close(scope);
        index++;
    }
    ck_assert_msg(report(&tally, "print"), "nan and inf print differently from PyTorch");
}
END_TEST

/* ---- shapes that overflow ---- */

/* A refused shape must be refused with an error, in PyTorch's words when
 * `same_words`, and, when `live` is not negative, before anything is
 * allocated. */
static void expect_refused(Tally *tally, const char *what, Tensor *t, const cJSON *expected,
                           int64_t live, bool same_words) {
    tally->checked++;
    const cJSON *error = cJSON_GetObjectItemCaseSensitive(expected, "error");
    if (!error) {
        char want[256], got[256];
        Shape shape = corpus_shape(corpus_field(expected, "shape"));
        if (!t)
            mismatch(tally, "%s: PyTorch makes a %s tensor; nbreplay fails with '%s'", what,
                     nb_shape_str(shape.dims, shape.ndim, want, sizeof want), nb_error_message());
        else if (!nb_shape_equal(tensor_shape(t), shape))
            mismatch(tally, "%s: PyTorch makes %s, nbreplay %s", what,
                     nb_shape_str(shape.dims, shape.ndim, want, sizeof want),
                     nb_shape_str(t->shape, t->ndim, got, sizeof got));
        nb_error_clear();
        return;
    }
    if (t) {
        mismatch(tally, "%s: PyTorch refuses it ('%s'); nbreplay made a tensor", what,
                 error->valuestring);
    } else if (nb_error_kind() != ERR_VALUE) {
        mismatch(tally, "%s: refused with '%s' (kind %d), not as a bad value", what,
                 nb_error_message(), (int)nb_error_kind());
    } else if (same_words && strcmp(nb_error_message(), error->valuestring) != 0) {
        mismatch(tally, "%s: PyTorch says '%s', nbreplay '%s'", what, error->valuestring,
                 nb_error_message());
    } else if (live >= 0 && nb_alloc_stats().live_blocks != live) {
        mismatch(tally, "%s: refused, but %lld blocks were allocated", what,
                 (long long)(nb_alloc_stats().live_blocks - live));
    }
    nb_error_clear();
}

START_TEST(test_shapes) {
    Tally tally = {0};
    const cJSON *c;
    cJSON_ArrayForEach(c, corpus_field(corpus, "shapes")) {
        const char *op = corpus_field(c, "op")->valuestring;
        char what[400];
        describe(what, sizeof what, op, corpus_field(c, "shape"), NULL);
        nb_error_clear();
        int64_t live0 = nb_alloc_stats().live_blocks;
        TensorScope *scope = tensor_scope_open();
        Shape shape = corpus_shape(corpus_field(c, "shape"));
        const cJSON *expected = corpus_field(c, "expected");
        if (strcmp(op, "empty") == 0) {
            int64_t live = nb_alloc_stats().live_blocks;
            Tensor *t = tensor_empty(dtype_named(corpus_field(c, "dtype")->valuestring), shape);
            expect_refused(&tally, what, t, expected, live, false);
            const cJSON *str = cJSON_GetObjectItemCaseSensitive(expected, "str");
            if (t && cJSON_IsString(str)) {
                StrBuf out = STRBUF_INIT;
                ck_assert_int_eq(tensor_format(&out, t, NULL), 0);
                if (strcmp(nb_strbuf_cstr(&out), str->valuestring) != 0)
                    mismatch(&tally, "%s: PyTorch prints %s, nbreplay %s", what, str->valuestring,
                             nb_strbuf_cstr(&out));
                nb_strbuf_free(&out);
            }
        } else {
            Tensor *base = tensor_zeros(DTYPE_FLOAT32, corpus_shape(corpus_field(c, "from")));
            ck_assert(base != NULL);
            int64_t live = nb_alloc_stats().live_blocks;
            Tensor *t;
            if (strcmp(op, "reshape") == 0)
                t = tensor_reshape(base, shape);
            else if (strcmp(op, "expand") == 0)
                t = tensor_expand(base, shape);
            else
                t = tensor_add(tensor_expand(base, shape), py_int(1));
            /* reshape's refusal is worded as PyTorch words it; an add may
             * make views before it finds its result too big */
            expect_refused(&tally, what, t, expected, strcmp(op, "expand_add") == 0 ? -1 : live,
                           strcmp(op, "reshape") == 0);
        }
        nb_error_clear();
        tensor_scope_close(scope);
        ck_assert_int_eq(nb_alloc_stats().live_blocks, live0);
    }
    ck_assert_msg(report(&tally, "shapes"), "overflowing shapes are handled unlike PyTorch");
}
END_TEST

static Suite *edges_suite(void) {
    Suite *s = suite_create("edges");
    TCase *tc = tcase_create("edges");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_elementwise);
    tcase_add_test(tc, test_unary);
    tcase_add_test(tc, test_linalg);
    tcase_add_test(tc, test_print);
    tcase_add_test(tc, test_shapes);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    corpus = corpus_load("edges_corpus.jsonl");
    if (!corpus) return 1;
    SRunner *runner = srunner_create(edges_suite());
    srunner_run_all(runner, CK_ENV);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    cJSON_Delete(corpus);
    return failed == 0 ? 0 : 1;
}
