/* test_alloc_failure: every out-of-memory path, walked the way SQLite walks
 * its own. For each piece of work (every registered cell through run_cell,
 * npy_parse on every good .npy file, golden_parse + golden_compare on every
 * golden, tensor_format on tensors of every kind), the k-th allocation is
 * made to fail for k = 1, 2, 3, ... until the work finishes without reaching
 * allocation k. Each attempt must end in one of two ways only: the exact
 * result of an uninjected run, or a clean failure with an out-of-memory error
 * that leaves the caller's buffer as it was. And every attempt must give back
 * every block it took (the suite also runs under ASan in CI).
 *
 * Allocations of OpenBLAS and of the C library's own (printf, stdio) do not
 * pass through alloc.h and are not failed here. */
#include <check.h>
#include <cJSON.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../cells/registry.h"
#include "corpus.h"
#include "alloc.h"
#include "error.h"
#include "golden.h"
#include "npy.h"
#include "print.h"
#include "run.h"
#include "tensor.h"

/* Text every buffer holds before an attempt, so "nothing appended" and
 * "left as it was" can be told from "emptied". */
static const char prefix[] = "(before)\n";

/* A bound on k that no piece of work here comes near; reaching it means
 * the loop would not end. */
#define MAX_ATTEMPTS 200000

static const char *env_or(const char *name, const char *fallback) {
    const char *value = getenv(name);
    return value && *value ? value : fallback;
}

/* The whole file, malloc'd and NUL-terminated (NULL if it cannot be read). */
static char *read_text(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0, got;
    char *text = malloc(cap);
    while (text && (got = fread(text + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (n + 1 == cap) {
            char *grown = realloc(text, cap *= 2);
            if (!grown) free(text);
            text = grown;
        }
    }
    fclose(f);
    if (text) text[n] = '\0';
    if (len) *len = n;
    return text;
}

/* One attempt's bookkeeping: the live blocks before it set anything up,
 * and the allocation counter when injection began. */
typedef struct Attempt {
    int64_t live;
    int64_t calls;
    int64_t k;
} Attempt;

static Attempt attempt_open(int64_t k) {
    nb_error_clear();
    return (Attempt){nb_alloc_stats().live_blocks, 0, k};
}

/* From here on, allocation k fails. */
static void attempt_inject(Attempt *a) {
    a->calls = nb_alloc_stats().total_calls;
    nb_alloc_fail_after(a->k);
}

/* Ends injection; returns whether allocation k was reached. */
static bool attempt_end(const Attempt *a) {
    nb_alloc_fail_after(0);
    return nb_alloc_stats().total_calls - a->calls >= a->k;
}

static void expect_no_leak(const Attempt *a, const char *what) {
    int64_t leaked = nb_alloc_stats().live_blocks - a->live;
    ck_assert_msg(leaked == 0, "%s with allocation %lld failing: %lld blocks leaked", what,
                  (long long)a->k, (long long)leaked);
}

static void expect_nomem(const Attempt *a, const char *what) {
    ck_assert_msg(nb_error_kind() == ERR_NOMEM,
                  "%s with allocation %lld failing: failed with '%s' (kind %d), not out of memory",
                  what, (long long)a->k, nb_error_message(), (int)nb_error_kind());
}

static StrBuf prefixed_buffer(void) {
    StrBuf sb = STRBUF_INIT;
    nb_strbuf_append(&sb, prefix);
    ck_assert(!sb.failed);
    return sb;
}

/* ---- cells ---- */

typedef struct CellCase {
    const Cell *cell;
    Golden golden;
    bool has_golden;
    RunParamArg params[GOLDEN_MAX_PARAMS];
    RunOptions options;
} CellCase;

/* Runs the cell as verify does: with its golden's seed and parameters, so a
 * cell with big defaults (In [9]) runs at the golden's size. */
static void cell_case_open(CellCase *c, const Cell *cell) {
    memset(c, 0, sizeof *c);
    c->cell = cell;
    char path[4096];
    snprintf(path, sizeof path, "%s/cell-%02d.json", env_or("NB_GOLDEN_DIR", "golden"), cell->number);
    c->has_golden = golden_load(path, &c->golden) == 0;
    nb_error_clear();
    c->options.device = DEVICE_CPU;
    if (c->has_golden) {
        for (int i = 0; i < c->golden.nparams; i++)
            c->params[i] = (RunParamArg){c->golden.params[i].name, c->golden.params[i].value};
        c->options.seed = c->golden.seed;
        c->options.params = c->params;
        c->options.nparams = c->golden.nparams;
    }
}

static bool golden_has_patterns(const Golden *g) {
    for (size_t i = 0; i < g->nlines; i++)
        if (g->lines[i].pattern) return true;
    return false;
}

/* Whether `output` is the cell's correct output: the uninjected run's,
 * byte for byte, or for a cell whose golden has varying lines (timings),
 * whatever its golden accepts. */
static bool cell_output_correct(const CellCase *c, const char *output, const char *reference) {
    if (c->has_golden && golden_has_patterns(&c->golden)) {
        int match = golden_compare(&c->golden, output, "output", NULL);
        nb_error_clear();
        return match == 1;
    }
    return strcmp(output, reference) == 0;
}

START_TEST(test_cell_out_of_memory) {
    const Cell *cell = cell_registry[_i];
    CellCase c;
    cell_case_open(&c, cell);
    int64_t live = nb_alloc_stats().live_blocks;

    StrBuf reference = STRBUF_INIT;
    nb_error_clear();
    ck_assert_msg(run_cell(cell, &c.options, &reference) == 0, "cell %d fails uninjected: %s",
                  cell->number, nb_error_message());
    ck_assert_int_eq(nb_alloc_stats().live_blocks, live + (reference.data ? 1 : 0));
    if (c.has_golden)
        ck_assert_msg(cell_output_correct(&c, nb_strbuf_cstr(&reference), nb_strbuf_cstr(&reference)),
                      "cell %d does not match its golden uninjected", cell->number);

    char what[64];
    snprintf(what, sizeof what, "cell %d (%s)", cell->number, cell->name);
    bool reached = true;
    int64_t k;
    for (k = 1; reached && k < MAX_ATTEMPTS; k++) {
        Attempt a = attempt_open(k);
        StrBuf out = prefixed_buffer();
        attempt_inject(&a);
        int rc = run_cell(cell, &c.options, &out);
        reached = attempt_end(&a);
        if (rc == 0) {
            ck_assert_msg(!out.failed && strncmp(nb_strbuf_cstr(&out), prefix, strlen(prefix)) == 0 &&
                              cell_output_correct(&c, nb_strbuf_cstr(&out) + strlen(prefix),
                                                  nb_strbuf_cstr(&reference)),
                          "%s with allocation %lld failing: succeeded with wrong output%s:\n%s",
                          what, (long long)k, out.failed ? " (its buffer failed)" : "",
                          nb_strbuf_cstr(&out));
        } else {
            ck_assert_msg(rc == -1, "%s returned %d", what, rc);
            expect_nomem(&a, what);
            ck_assert_msg(!out.failed && strcmp(nb_strbuf_cstr(&out), prefix) == 0,
                          "%s with allocation %lld failing: failed but changed the output to:\n%s",
                          what, (long long)k, nb_strbuf_cstr(&out));
        }
        nb_strbuf_free(&out);
        nb_error_clear();
        expect_no_leak(&a, what);
    }
    ck_assert_msg(!reached, "%s still reached the failing allocation after %lld tries", what,
                  (long long)k);
    nb_strbuf_free(&reference);
    if (c.has_golden) golden_free(&c.golden);
}
END_TEST

/* ---- .npy files ---- */

static cJSON *npy_manifest;

static char *npy_path(const char *file, char *buf, size_t cap) {
    snprintf(buf, cap, "%s/npy/%s", env_or("NB_TEST_DATA", "tests/data"), file);
    return buf;
}

/* str(t) for the file parsed without injection. */
static char *npy_reference_text(const unsigned char *bytes, size_t len, const char *file) {
    TensorScope *scope = tensor_scope_open();
    Tensor *t = nb_npy_parse(bytes, len, file);
    ck_assert_msg(t != NULL, "%s refused uninjected: %s", file, nb_error_message());
    StrBuf out = STRBUF_INIT;
    ck_assert_int_eq(tensor_format(&out, t, NULL), 0);
    char *text = strdup(nb_strbuf_cstr(&out));
    nb_strbuf_free(&out);
    tensor_scope_close(scope);
    return text;
}

START_TEST(test_npy_out_of_memory) {
    const cJSON *entry = cJSON_GetArrayItem(cJSON_GetObjectItem(npy_manifest, "good"), _i);
    const char *file = cJSON_GetObjectItem(entry, "file")->valuestring;
    char path[4200];
    size_t len = 0;
    unsigned char *bytes = (unsigned char *)read_text(npy_path(file, path, sizeof path), &len);
    ck_assert_msg(bytes != NULL, "cannot read %s", path);
    nb_error_clear();
    char *reference = npy_reference_text(bytes, len, file);

    bool reached = true;
    int64_t k;
    for (k = 1; reached && k < MAX_ATTEMPTS; k++) {
        Attempt a = attempt_open(k);
        TensorScope *scope = tensor_scope_open();
        ck_assert(scope != NULL);
        attempt_inject(&a);
        Tensor *t = nb_npy_parse(bytes, len, file);
        reached = attempt_end(&a);
        if (t) {
            StrBuf out = STRBUF_INIT;
            ck_assert_int_eq(tensor_format(&out, t, NULL), 0);
            ck_assert_msg(strcmp(nb_strbuf_cstr(&out), reference) == 0,
                          "%s with allocation %lld failing: read as\n%s", file, (long long)k,
                          nb_strbuf_cstr(&out));
            nb_strbuf_free(&out);
        } else {
            expect_nomem(&a, file);
        }
        ck_assert_uint_eq(tensor_scope_size(scope), t ? 1 : 0);
        tensor_scope_close(scope);
        nb_error_clear();
        expect_no_leak(&a, file);
    }
    ck_assert_msg(!reached, "%s still reached the failing allocation after %lld tries", file,
                  (long long)k);
    free(reference);
    free(bytes);
}
END_TEST

/* ---- goldens ---- */

typedef struct GoldenOutcome {
    int parsed;   /* golden_parse's result */
    int compared; /* golden_compare's, when parsed */
    char *diff;
} GoldenOutcome;

/* The output verify would compare: the golden's own stdout with its first
 * digit changed, so the comparison has a difference to render. */
static char *changed_stdout(const char *json) {
    cJSON *root = cJSON_Parse(json);
    const cJSON *out = cJSON_GetObjectItemCaseSensitive(root, "stdout");
    char *text = strdup(cJSON_IsString(out) ? out->valuestring : "x\n");
    cJSON_Delete(root);
    for (char *p = text; *p; p++)
        if (*p >= '0' && *p <= '9') {
            *p = *p == '9' ? '0' : (char)(*p + 1);
            break;
        }
    return text;
}

/* golden_parse then, if it parsed, golden_compare with `actual`. */
static GoldenOutcome parse_and_compare(const char *json, const char *name, const char *actual,
                                       StrBuf *diff) {
    GoldenOutcome o = {0, 0, NULL};
    Golden g;
    o.parsed = golden_parse(json, name, &g);
    if (o.parsed == 0) {
        o.compared = golden_compare(&g, actual, "actual", diff);
        golden_free(&g);
    }
    return o;
}

static void golden_case(const char *path) {
    char *json = read_text(path, NULL);
    ck_assert_msg(json != NULL, "cannot read %s", path);
    char *actual = changed_stdout(json);
    const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;

    nb_error_clear();
    StrBuf reference_diff = STRBUF_INIT;
    GoldenOutcome reference = parse_and_compare(json, name, actual, &reference_diff);
    ErrorKind reference_kind = nb_error_kind();
    ck_assert_msg(reference_kind != ERR_NOMEM, "%s: out of memory uninjected", name);

    bool reached = true;
    int64_t k;
    for (k = 1; reached && k < MAX_ATTEMPTS; k++) {
        Attempt a = attempt_open(k);
        StrBuf diff = prefixed_buffer();
        attempt_inject(&a);
        GoldenOutcome o = parse_and_compare(json, name, actual, &diff);
        reached = attempt_end(&a);
        bool failed = o.parsed < 0 || o.compared < 0;
        if (failed && nb_error_kind() == ERR_NOMEM) {
            /* a failed comparison may have begun its diff; nothing more is promised */
        } else {
            ck_assert_msg(o.parsed == reference.parsed && o.compared == reference.compared &&
                              nb_error_kind() == reference_kind,
                          "%s with allocation %lld failing: parse %d compare %d ('%s'), uninjected "
                          "parse %d compare %d",
                          name, (long long)k, o.parsed, o.compared, nb_error_message(),
                          reference.parsed, reference.compared);
            if (o.parsed == 0 && o.compared >= 0)
                ck_assert_msg(strncmp(nb_strbuf_cstr(&diff), prefix, strlen(prefix)) == 0 &&
                                  strcmp(nb_strbuf_cstr(&diff) + strlen(prefix),
                                         nb_strbuf_cstr(&reference_diff)) == 0,
                              "%s with allocation %lld failing: a different diff:\n%s", name,
                              (long long)k, nb_strbuf_cstr(&diff));
        }
        nb_strbuf_free(&diff);
        nb_error_clear();
        expect_no_leak(&a, name);
    }
    ck_assert_msg(!reached, "%s still reached the failing allocation after %lld tries", name,
                  (long long)k);
    nb_strbuf_free(&reference_diff);
    free(actual);
    free(json);
}

START_TEST(test_golden_out_of_memory) {
    char path[4096];
    snprintf(path, sizeof path, "%s/cell-%02d.json", env_or("NB_GOLDEN_DIR", "golden"),
             cell_registry[_i]->number);
    FILE *f = fopen(path, "rb");
    if (!f) return; /* a cell of our own may have no golden yet */
    fclose(f);
    golden_case(path);
}
END_TEST

/* The test corpus's goldens, good and bad: refusing a bad one must not
 * leak either, whichever allocation fails. */
static const char *const test_goldens[] = {
    "pattern-ok.json", "params-ok.json", "lines-empty-last.json", "pattern-bad-escape.json",
    "pattern-unbalanced.json", "params-too-many.json", "truncated.json", "unknown-key.json",
    "lines-differ.json", "duplicate-key.json", "nul-escape.json",
};

START_TEST(test_test_golden_out_of_memory) {
    char path[4096];
    snprintf(path, sizeof path, "%s/golden/%s", env_or("NB_TEST_DATA", "tests/data"),
             test_goldens[_i]);
    golden_case(path);
}
END_TEST

/* ---- the printer ---- */

typedef struct FormatCase {
    const char *literal;
    PrintOptions options;
    bool requires_grad;
} FormatCase;

static const FormatCase format_cases[] = {
    {"[[1.,2.,3.],[4.,5.,6.]]", {4, 1000.0, 3, 80, -1}, false},
    {"[1e-8, 1e10, -3.5]", {4, 1000.0, 3, 80, -1}, true},
    {"[[1, 2, 3], [4, 5, 6]]", {4, 1000.0, 3, 20, -1}, false},
    {"[True, False, True]", {4, 1000.0, 3, 80, -1}, false},
    {"[]", {4, 1000.0, 3, 80, -1}, false},
    {"3.25", {2, 1000.0, 3, 80, 1}, false},
    {"[[1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5], [1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5]]",
     {6, 5.0, 2, 30, 0}, false},
};

START_TEST(test_format_out_of_memory) {
    const FormatCase *fc = &format_cases[_i];
    nb_error_clear();
    TensorScope *scope = tensor_scope_open();
    Tensor *t = torch_tensor(fc->literal);
    ck_assert_msg(t != NULL, "%s: %s", fc->literal, nb_error_message());
    t->requires_grad = fc->requires_grad;
    StrBuf reference = STRBUF_INIT;
    ck_assert_int_eq(tensor_format(&reference, t, &fc->options), 0);

    bool reached = true;
    int64_t k;
    for (k = 1; reached && k < MAX_ATTEMPTS; k++) {
        Attempt a = attempt_open(k);
        StrBuf out = prefixed_buffer();
        attempt_inject(&a);
        int rc = tensor_format(&out, t, &fc->options);
        reached = attempt_end(&a);
        if (rc == 0) {
            ck_assert_msg(strncmp(nb_strbuf_cstr(&out), prefix, strlen(prefix)) == 0 &&
                              strcmp(nb_strbuf_cstr(&out) + strlen(prefix), nb_strbuf_cstr(&reference)) == 0,
                          "%s with allocation %lld failing printed\n%s", fc->literal, (long long)k,
                          nb_strbuf_cstr(&out));
        } else {
            expect_nomem(&a, fc->literal);
            ck_assert_msg(out.failed || strcmp(nb_strbuf_cstr(&out), prefix) == 0,
                          "%s with allocation %lld failing: failed but left\n%s", fc->literal,
                          (long long)k, nb_strbuf_cstr(&out));
        }
        nb_strbuf_free(&out);
        nb_error_clear();
        expect_no_leak(&a, fc->literal);
    }
    ck_assert_msg(!reached, "%s still reached the failing allocation after %lld tries",
                  fc->literal, (long long)k);
    nb_strbuf_free(&reference);
    tensor_scope_close(scope);
}
END_TEST

static Suite *alloc_failure_suite(void) {
    Suite *s = suite_create("alloc_failure");
    TCase *tc = tcase_create("every allocation fails in turn");
    tcase_set_timeout(tc, 600);
    tcase_add_loop_test(tc, test_cell_out_of_memory, 0, (int)cell_registry_count);
    tcase_add_loop_test(tc, test_golden_out_of_memory, 0, (int)cell_registry_count);
    tcase_add_loop_test(tc, test_test_golden_out_of_memory, 0,
                        (int)(sizeof test_goldens / sizeof test_goldens[0]));
    int ngood = cJSON_GetArraySize(cJSON_GetObjectItem(npy_manifest, "good"));
    tcase_add_loop_test(tc, test_npy_out_of_memory, 0, ngood);
    tcase_add_loop_test(tc, test_format_out_of_memory, 0,
                        (int)(sizeof format_cases / sizeof format_cases[0]));
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    npy_manifest = corpus_load("npy/expected.jsonl");
    if (!npy_manifest) return 1;
    SRunner *runner = srunner_create(alloc_failure_suite());
    srunner_run_all(runner, CK_ENV);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    cJSON_Delete(npy_manifest);
    return failed == 0 ? 0 : 1;
}
