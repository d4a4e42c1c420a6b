/* test_print: holds src/print.c and src/pyfloat.c to PyTorch 1.13's text,
 * byte for byte, by replaying tests/data/print_corpus.jsonl and
 * tests/data/pyfloat_corpus.jsonl (written from the real PyTorch and Python
 * by tests/corpus/make_print_corpus.py).
 *
 * Every corpus tensor is printed as stored and again through three
 * non-contiguous views that hold the same values (an interleaved select, a
 * transpose of transposed data, a strided slice), so reading through strides
 * is checked against the same expected text. Mismatches are all counted and
 * shown (up to a limit) before the test fails, since one printer bug tends to
 * break many cases and the pattern is what helps. */
#include <check.h>
#include <cJSON.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "error.h"
#include "print.h"
#include "pyfloat.h"
#include "tensor.h"
#include "corpus.h"

#define MISMATCHES_SHOWN 40

static cJSON *print_corpus;
static cJSON *pyfloat_corpus;

/* ---- corpus reading ---- */

static int json_int(const cJSON *item) {
    ck_assert_msg(cJSON_IsNumber(item), "corpus value is not a number");
    return item->valueint;
}

static PrintOptions options_of(const cJSON *json) {
    PrintOptions o = PRINT_OPTIONS_DEFAULT;
    o.precision = json_int(corpus_field(json, "precision"));
    const cJSON *threshold = corpus_field(json, "threshold");
    o.threshold = cJSON_IsString(threshold) ? INFINITY : threshold->valuedouble;
    o.edgeitems = json_int(corpus_field(json, "edgeitems"));
    o.linewidth = json_int(corpus_field(json, "linewidth"));
    const cJSON *sci = corpus_field(json, "sci_mode");
    o.sci_mode = cJSON_IsNull(sci) ? -1 : cJSON_IsTrue(sci) ? 1 : 0;
    return o;
}

/* ---- comparing and reporting ---- */

typedef struct Tally {
    int checked;
    int mismatches;
} Tally;

static void describe_options(char *buf, size_t cap, const PrintOptions *o) {
    snprintf(buf, cap, "precision=%d threshold=%g edgeitems=%d linewidth=%d sci_mode=%d",
             o->precision, o->threshold, o->edgeitems, o->linewidth, o->sci_mode);
}

/* Formats t and compares with the expected text; `how` names the path. */
static void expect_printed(Tally *tally, int index, const char *how, const Tensor *t,
                           const PrintOptions *opts, const char *expected) {
    StrBuf out = STRBUF_INIT;
    int rc = tensor_format(&out, t, opts);
    const char *actual = rc == 0 ? nb_strbuf_cstr(&out) : nb_error_message();
    tally->checked++;
    if (rc != 0 || strcmp(actual, expected) != 0) {
        if (tally->mismatches < MISMATCHES_SHOWN) {
            char options[160];
            describe_options(options, sizeof options, opts);
            fprintf(stderr, "case %d (%s), %s:\n--- expected\n%s\n--- actual\n%s\n---\n", index,
                    how, options, expected, actual);
        }
        tally->mismatches++;
    }
    nb_strbuf_free(&out);
    nb_error_clear();
}

/* Prints the count; returns whether all matched. */
static bool report(const Tally *tally, const char *what) {
    if (tally->mismatches > MISMATCHES_SHOWN)
        fprintf(stderr, "%s: %d more mismatches not shown\n", what,
                tally->mismatches - MISMATCHES_SHOWN);
    if (tally->mismatches > 0)
        fprintf(stderr, "%s: %d of %d printed differently from PyTorch\n", what,
                tally->mismatches, tally->checked);
    return tally->mismatches == 0;
}

/* ---- views holding the same values ---- */

/* A byte pattern that prints differently from any real element, so a view
 * that reads the wrong place shows up. */
static void fill_decoy(unsigned char *dst, DType dtype, size_t count) {
    for (size_t i = 0; i < count; i++) {
        unsigned char *p = dst + i * nb_dtype_size(dtype);
        if (dtype == DTYPE_FLOAT32) {
            float v = 7.5e30f;
            memcpy(p, &v, sizeof v);
        } else if (dtype == DTYPE_FLOAT64) {
            double v = -3.25e200;
            memcpy(p, &v, sizeof v);
        } else if (dtype == DTYPE_INT64) {
            int64_t v = INT64_MIN + 12345;
            memcpy(p, &v, sizeof v);
        } else {
            *p = 1;
        }
    }
}

/* Values interleaved with decoys in a (..., 2) tensor; select(-1, 0) gives
 * back the original with every stride doubled. */
static Tensor *interleaved_view(DType dtype, Shape shape, const unsigned char *data) {
    size_t size = nb_dtype_size(dtype), n = 1;
    for (int i = 0; i < shape.ndim; i++) n *= (size_t)shape.dims[i];
    unsigned char *buf = nb_malloc(2 * n * size);
    ck_assert(buf != NULL);
    fill_decoy(buf, dtype, 2 * n);
    for (size_t i = 0; i < n; i++) memcpy(buf + 2 * i * size, data + i * size, size);
    Shape wide = shape;
    wide.dims[wide.ndim++] = 2;
    Tensor *view = tensor_select(tensor_from_data(dtype, wide, buf), -1, 0);
    nb_free(buf);
    return view;
}

/* The values stored with dims 0 and ndim-1 swapped, then transposed back. */
static Tensor *transposed_view(DType dtype, Shape shape, const unsigned char *data) {
    int last = shape.ndim - 1;
    Shape swapped = shape;
    swapped.dims[0] = shape.dims[last];
    swapped.dims[last] = shape.dims[0];
    size_t size = nb_dtype_size(dtype), n = 1;
    for (int i = 0; i < shape.ndim; i++) n *= (size_t)shape.dims[i];
    unsigned char *buf = nb_malloc(n * size);
    ck_assert(buf != NULL);
    int64_t pos[TENSOR_MAX_DIMS] = {0};
    for (size_t i = 0; i < n; i++) {
        size_t target = 0;
        for (int d = 0; d < shape.ndim; d++) {
            int from = d == 0 ? last : d == last ? 0 : d;
            target = target * (size_t)swapped.dims[d] + (size_t)pos[from];
        }
        memcpy(buf + target * size, data + i * size, size);
        for (int d = last; d >= 0 && ++pos[d] == shape.dims[d]; d--) pos[d] = 0;
    }
    Tensor *view = tensor_transpose(tensor_from_data(dtype, swapped, buf), 0, last);
    nb_free(buf);
    return view;
}

/* The values as the odd rows (dim 0) of a taller tensor, sliced 1::2. */
static Tensor *strided_slice_view(DType dtype, Shape shape, const unsigned char *data) {
    size_t size = nb_dtype_size(dtype), row = size;
    for (int i = 1; i < shape.ndim; i++) row *= (size_t)shape.dims[i];
    size_t rows = (size_t)shape.dims[0];
    unsigned char *buf = nb_malloc((2 * rows + 1) * row);
    ck_assert(buf != NULL);
    fill_decoy(buf, dtype, (2 * rows + 1) * row / size);
    for (size_t r = 0; r < rows; r++) memcpy(buf + (2 * r + 1) * row, data + r * row, row);
    Shape tall = shape;
    tall.dims[0] = (int64_t)(2 * rows + 1);
    Tensor *view = tensor_slice(tensor_from_data(dtype, tall, buf), 0, 1, tall.dims[0], 2);
    nb_free(buf);
    return view;
}

/* Rebuilds the corpus's view of a base tensor, operation by operation. */
static Tensor *apply_view_ops(Tensor *t, const cJSON *ops) {
    const cJSON *op;
    cJSON_ArrayForEach(op, ops) {
        const char *name = cJSON_GetArrayItem(op, 0)->valuestring;
        int a = cJSON_GetArrayItem(op, 1) ? cJSON_GetArrayItem(op, 1)->valueint : 0;
        const cJSON *arg2 = cJSON_GetArrayItem(op, 2);
        if (strcmp(name, "transpose") == 0) {
            t = tensor_transpose(t, a, arg2->valueint);
        } else if (strcmp(name, "slice") == 0) {
            t = tensor_slice(t, a, (int64_t)arg2->valuedouble,
                             (int64_t)cJSON_GetArrayItem(op, 3)->valuedouble,
                             (int64_t)cJSON_GetArrayItem(op, 4)->valuedouble);
        } else if (strcmp(name, "select") == 0) {
            t = tensor_select(t, a, (int64_t)arg2->valuedouble);
        } else if (strcmp(name, "expand") == 0) {
            t = tensor_expand(t, corpus_shape(cJSON_GetArrayItem(op, 1)));
        } else {
            ck_abort_msg("unknown corpus view op '%s'", name);
        }
    }
    return t;
}

/* ---- tests ---- */

static void with_grad(Tensor *t, bool requires_grad) {
    ck_assert_msg(t != NULL, "could not build the tensor: %s", nb_error_message());
    t->requires_grad = requires_grad;
}

START_TEST(test_corpus_tensors) {
    const cJSON *cases = corpus_field(print_corpus, "tensors");
    Tally stored = {0}, views = {0};
    int index = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, cases) {
        DType dtype = corpus_dtype(corpus_field(c, "dtype")->valuestring);
        Shape shape = corpus_shape(corpus_field(c, "shape"));
        PrintOptions opts = options_of(corpus_field(c, "options"));
        bool requires_grad = cJSON_IsTrue(corpus_field(c, "requires_grad"));
        const char *expected = corpus_field(c, "expected")->valuestring;
        size_t len;
        unsigned char *data = corpus_bytes(corpus_field(c, "data")->valuestring, &len);
        const cJSON *view_ops = cJSON_GetObjectItemCaseSensitive(c, "view");

        TensorScope *scope = tensor_scope_open();
        Tensor *t = tensor_from_data(dtype, shape, data);
        if (view_ops) {
            t = apply_view_ops(t, view_ops);
            with_grad(t, requires_grad);
            expect_printed(&views, index, "corpus view", t, &opts, expected);
        } else {
            with_grad(t, requires_grad);
            expect_printed(&stored, index, "contiguous", t, &opts, expected);
            if (tensor_numel(t) > 0 && shape.ndim < TENSOR_MAX_DIMS) {
                Tensor *v = interleaved_view(dtype, shape, data);
                with_grad(v, requires_grad);
                expect_printed(&views, index, "interleaved select view", v, &opts, expected);
            }
            if (tensor_numel(t) > 0 && shape.ndim >= 2) {
                Tensor *v = transposed_view(dtype, shape, data);
                with_grad(v, requires_grad);
                expect_printed(&views, index, "transpose view", v, &opts, expected);
            }
            if (tensor_numel(t) > 0 && shape.ndim >= 1) {
                Tensor *v = strided_slice_view(dtype, shape, data);
                with_grad(v, requires_grad);
                expect_printed(&views, index, "strided slice view", v, &opts, expected);
            }
        }
        tensor_scope_close(scope);
        free(data);
        index++;
    }
    bool stored_ok = report(&stored, "stored tensors");
    bool views_ok = report(&views, "views");
    ck_assert_msg(stored_ok && views_ok, "tensors printed differently from PyTorch");
}
END_TEST

START_TEST(test_corpus_sizes) {
    Tally tally = {0};
    int index = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, corpus_field(print_corpus, "sizes")) {
        /* size_format reads only the geometry, so no storage is needed (and
         * some of these shapes are far too large to allocate). */
        Shape shape = corpus_shape(corpus_field(c, "shape"));
        Tensor t = {.ndim = shape.ndim};
        memcpy(t.shape, shape.dims, sizeof t.shape);
        StrBuf out = STRBUF_INIT;
        ck_assert_int_eq(tensor_format_size(&out, &t), 0);
        const char *expected = corpus_field(c, "expected")->valuestring;
        tally.checked++;
        if (strcmp(nb_strbuf_cstr(&out), expected) != 0) {
            fprintf(stderr, "size case %d: expected %s, got %s\n", index, expected,
                    nb_strbuf_cstr(&out));
            tally.mismatches++;
        }
        nb_strbuf_free(&out);
        index++;
    }
    ck_assert(report(&tally, "sizes"));
}
END_TEST

static double double_from_bits(const char *hex) {
    size_t len;
    unsigned char *bytes = corpus_bytes(hex, &len);
    ck_assert_uint_eq(len, sizeof(double));
    double x;
    memcpy(&x, bytes, sizeof x);
    free(bytes);
    return x;
}

typedef void (*FloatFormat)(StrBuf *out, double x, int prec);

static void expect_float_text(Tally *tally, double x, const char *what, int prec,
                              const char *expected, FloatFormat format) {
    StrBuf out = STRBUF_INIT;
    if (format)
        format(&out, x, prec);
    else
        py_float_repr(&out, x);
    tally->checked++;
    if (strcmp(nb_strbuf_cstr(&out), expected) != 0) {
        if (tally->mismatches < MISMATCHES_SHOWN)
            fprintf(stderr, "%a %s (precision %d): Python '%s', got '%s'\n", x, what, prec,
                    expected, nb_strbuf_cstr(&out));
        tally->mismatches++;
    }
    nb_strbuf_free(&out);
}

START_TEST(test_corpus_pyfloat) {
    Tally tally = {0};
    const cJSON *c;
    cJSON_ArrayForEach(c, corpus_field(pyfloat_corpus, "values")) {
        double x = double_from_bits(corpus_field(c, "bits")->valuestring);
        expect_float_text(&tally, x, "repr", 0, corpus_field(c, "repr")->valuestring, NULL);
        const cJSON *e;
        cJSON_ArrayForEach(e, corpus_field(c, "fixed"))
            expect_float_text(&tally, x, "fixed", atoi(e->string), e->valuestring, py_float_fixed);
        cJSON_ArrayForEach(e, corpus_field(c, "sci"))
            expect_float_text(&tally, x, "sci", atoi(e->string), e->valuestring, py_float_sci);
    }
    ck_assert(report(&tally, "Python float text"));
}
END_TEST

START_TEST(test_null_tensor) {
    nb_error_clear();
    StrBuf out = STRBUF_INIT;
    ck_assert_int_eq(tensor_format(&out, NULL, NULL), -1);
    ck_assert(nb_error_pending());
    nb_error_clear();
    ck_assert_int_eq(tensor_format_size(&out, NULL), -1);
    ck_assert(nb_error_pending());
    nb_error_clear();
    ck_assert_uint_eq(out.len, 0);
    nb_strbuf_free(&out);
}
END_TEST

START_TEST(test_default_options_when_none_given) {
    TensorScope *scope = tensor_scope_open();
    float values[] = {1.5f, -2.25f, 3.0f};
    Tensor *t = tensor_from_data(DTYPE_FLOAT32, SHAPE(3), values);
    StrBuf out = STRBUF_INIT;
    ck_assert_int_eq(tensor_format(&out, t, NULL), 0);
    ck_assert_str_eq(nb_strbuf_cstr(&out), "tensor([ 1.5000, -2.2500,  3.0000])");
    nb_strbuf_free(&out);
    tensor_scope_close(scope);
}
END_TEST

/* Every allocation the printer makes can fail: each failure must be
 * reported as out of memory and must not leak. */
START_TEST(test_out_of_memory) {
    TensorScope *scope = tensor_scope_open();
    Tensor *t = tensor_arange(0, 500);
    PrintOptions opts = PRINT_OPTIONS_DEFAULT;
    opts.threshold = INFINITY;
    bool succeeded = false;
    for (int64_t k = 1; k < 100 && !succeeded; k++) {
        nb_error_clear();
        StrBuf out = STRBUF_INIT;
        int64_t live = nb_alloc_stats().live_blocks;
        nb_alloc_fail_after(k);
        int rc = tensor_format(&out, t, &opts);
        nb_alloc_fail_after(0);
        if (rc == 0) {
            succeeded = true;
        } else {
            ck_assert_int_eq(nb_error_kind(), ERR_NOMEM);
        }
        nb_strbuf_free(&out);
        ck_assert_int_eq(nb_alloc_stats().live_blocks, live);
    }
    ck_assert_msg(succeeded, "printing never succeeded under allocation failures");
    nb_error_clear();
    tensor_scope_close(scope);
}
END_TEST

/* A failure after text was written takes the partial text back. */
START_TEST(test_failure_keeps_earlier_text) {
    TensorScope *scope = tensor_scope_open();
    double values[] = {0.1, 0.2};
    Tensor *t = tensor_from_data(DTYPE_FLOAT64, SHAPE(2), values);
    StrBuf out = STRBUF_INIT;
    nb_strbuf_append(&out, "before: ");
    nb_strbuf_repeat(&out, 'x', 100);
    nb_error_clear();
    nb_alloc_fail_after(1);
    int rc = tensor_format(&out, t, NULL);
    nb_alloc_fail_after(0);
    ck_assert_int_eq(rc, -1);
    ck_assert_int_eq(nb_error_kind(), ERR_NOMEM);
    ck_assert_uint_eq(out.len, 108);
    nb_error_clear();
    nb_strbuf_free(&out);
    tensor_scope_close(scope);
}
END_TEST

int main(void) {
    print_corpus = corpus_load("print_corpus.jsonl");
    pyfloat_corpus = corpus_load("pyfloat_corpus.jsonl");
    if (print_corpus == NULL || pyfloat_corpus == NULL) {
        cJSON_Delete(print_corpus);
        cJSON_Delete(pyfloat_corpus);
        return EXIT_FAILURE;
    }

    Suite *s = suite_create("print");
    TCase *corpus = tcase_create("corpus");
    tcase_set_timeout(corpus, 60);
    tcase_add_test(corpus, test_corpus_tensors);
    tcase_add_test(corpus, test_corpus_sizes);
    tcase_add_test(corpus, test_corpus_pyfloat);
    suite_add_tcase(s, corpus);
    TCase *api = tcase_create("api");
    tcase_add_test(api, test_null_tensor);
    tcase_add_test(api, test_default_options_when_none_given);
    tcase_add_test(api, test_out_of_memory);
    tcase_add_test(api, test_failure_keeps_earlier_text);
    suite_add_tcase(s, api);

    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    cJSON_Delete(print_corpus);
    cJSON_Delete(pyfloat_corpus);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
