/* test_golden_rules: the ways verify may accept output that is not the
 * golden's byte for byte: numbers within a tolerance (src/tolerance.c,
 * golden_compare_tolerant) and cell 1's device variant
 * (golden_select_device_variant). Everything else must still be exact. */
#include <check.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "error.h"
#include "golden.h"
#include "tolerance.h"

static const Tolerance loose = {1e-5, 1e-8};

static bool line_match(const char *expected, const char *actual, const Tolerance *tol, ToleranceErrors *errors) {
    return tolerance_line_match(expected, strlen(expected), actual, strlen(actual), tol, errors);
}

START_TEST(test_numbers_within_tolerance_match) {
    ToleranceErrors e = {0, 0, 0};
    ck_assert(line_match("tensor([0.8415, 0.9093])", "tensor([0.8415, 0.9093])", &loose, &e));
    ck_assert(line_match("3.085249333991669", "3.0852493339916693", &loose, &e));
    ck_assert(line_match("tensor([1.0000e+00, 2.5000e-05])", "tensor([1.0000e+00, 2.5000e-05])", &loose, &e));
    ck_assert(line_match("x = -2.0", "x = -2.00001", &loose, &e));
    ck_assert_uint_eq(e.numbers, 6);
    ck_assert(e.max_abs > 0 && e.max_abs < 2e-5);
    ck_assert(fabs(e.max_rel - 5e-6) < 1e-9);
}
END_TEST

START_TEST(test_numbers_beyond_tolerance_fail_but_are_measured) {
    ToleranceErrors e = {0, 0, 0};
    ck_assert(!line_match("tensor([1.0000, 2.0000])", "tensor([1.0000, 2.0010])", &loose, &e));
    ck_assert_uint_eq(e.numbers, 2);
    ck_assert(fabs(e.max_abs - 0.001) < 1e-12);
    ck_assert(fabs(e.max_rel - 0.0005) < 1e-12);
    /* an expected zero: any difference is infinitely relative */
    ToleranceErrors z = {0, 0, 0};
    ck_assert(!line_match("0.", "1e-3", &loose, &z));
    ck_assert(isinf(z.max_rel));
    ck_assert(line_match("0.", "1e-9", &loose, NULL));
}
END_TEST

START_TEST(test_text_must_stay_exact) {
    ToleranceErrors e = {0, 0, 0};
    ck_assert(!line_match("tensor([1., 2.])", "tensor([1., 2.], dtype=torch.float64)", &loose, &e));
    ck_assert(!line_match("tensor([1., 2.])", "tensor([1.,  2.])", &loose, NULL));
    ck_assert(!line_match("tensor([1., 2.])", "tensor([1., 2., 3.])", &loose, NULL));
    ck_assert(!line_match("dtype=torch.float64", "dtype=torch.float32", &(Tolerance){1, 100}, NULL));
    ck_assert(!line_match("grad_fn=<MulBackward0>", "grad_fn=<MulBackward1>", &(Tolerance){1, 100}, NULL));
    ck_assert(!line_match("-0.0000", " 0.0000", &loose, NULL));
    /* the text differed, so nothing was measured */
    ck_assert_uint_eq(e.numbers, 0);
    ck_assert(line_match("", "", &loose, NULL));
    ck_assert(!line_match("a", "", &loose, NULL));
}
END_TEST

START_TEST(test_what_counts_as_a_number) {
    const Tolerance any = {0, 1e9};
    ck_assert(line_match("tensor([1., .5, 3])", "tensor([2., .7, 4])", &any, NULL));
    ck_assert(line_match("[inf, -inf, nan]", "[inf, -inf, nan]", &loose, NULL));
    ck_assert(!line_match("[inf]", "[-inf]", &any, NULL));
    ck_assert(!line_match("[nan]", "[1.0]", &any, NULL));
    ck_assert(!line_match("[inf]", "[1e308]", &any, NULL));
    ck_assert(line_match("size=(0, 3)", "size=(0, 3)", &loose, NULL));
    ck_assert(line_match("In [12]:", "In [12]:", &loose, NULL));
    /* glued to a word: text, not a number */
    ck_assert(!line_match("float64", "float65", &any, NULL));
    ck_assert(!line_match("x1", "x2", &any, NULL));
    /* "1.2.3" is no number: exact */
    ck_assert(!line_match("1.2.3", "1.2.4", &any, NULL));
    ck_assert(line_match("1e-05", "1.0e-05", &loose, NULL));
}
END_TEST

static const char golden_json[] =
    "{\"cell\": 3, \"format\": 1, \"name\": \"add\", \"params\": {}, \"seed\": 0,"
    " \"source\": \"\", \"versions\": {\"numpy\": \"1\", \"python\": \"3\", \"torch\": \"1\"},"
    " \"stdout\": \"tensor([0.8415, 0.9093])\\ntook 3 s\\n\","
    " \"lines\": [{\"text\": \"tensor([0.8415, 0.9093])\"}, {\"text\": \"took 3 s\", \"pattern\": \"took \\\\d+ s\"}]}";

START_TEST(test_compare_tolerant_on_a_golden) {
    Golden g;
    ck_assert_msg(golden_parse(golden_json, "g.json", &g) == 0, "%s", nb_error_message());
    ToleranceErrors e;
    StrBuf diff = STRBUF_INIT;
    /* exact compare refuses, tolerant accepts, the pattern line still rules */
    ck_assert_int_eq(golden_compare(&g, "tensor([0.8415, 0.9094])\ntook 7 s\n", "a", NULL), 0);
    ck_assert_int_eq(golden_compare_tolerant(&g, "tensor([0.8415, 0.9093])\ntook 7 s\n", "a",
                                             &(Tolerance){0, 0}, &e, NULL), 1);
    ck_assert_int_eq(golden_compare_tolerant(&g, "tensor([0.84150001, 0.9093])\ntook 7 s\n", "a", &loose, &e,
                                             NULL), 1);
    ck_assert_uint_eq(e.numbers, 2);
    ck_assert(e.max_abs > 0 && e.max_abs < 1e-7);
    ck_assert_int_eq(golden_compare_tolerant(&g, "tensor([0.8415, 0.9094])\ntook x s\n", "a", &loose, &e, &diff),
                     0);
    ck_assert(strstr(nb_strbuf_cstr(&diff), "+took x s") != NULL);
    ck_assert(strstr(nb_strbuf_cstr(&diff), "+tensor([0.8415, 0.9094])") != NULL);
    ck_assert(fabs(e.max_abs - 1e-4) < 1e-12);
    nb_strbuf_free(&diff);
    golden_free(&g);
}
END_TEST

static char *read_text(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

static const char *golden_dir(void) {
    const char *dir = getenv("NB_GOLDEN_DIR");
    return dir && *dir ? dir : "golden";
}

START_TEST(test_cell1_golden_follows_the_device) {
    char path[4096];
    snprintf(path, sizeof path, "%s/cell-01.json", golden_dir());
    Golden g;
    ck_assert_msg(golden_load(path, &g) == 0, "%s", nb_error_message());
    ck_assert_str_eq(g.lines[0].text, "cuda not available");
    /* a CPU run: as committed */
    ck_assert_int_eq(golden_select_device_variant(&g, false), 0);
    ck_assert_int_eq(golden_compare(&g, "cuda not available\n", "cpu", NULL), 1);
    /* a GPU run: PyTorch's GPU report, its varying lines by pattern */
    ck_assert_int_eq(golden_select_device_variant(&g, true), 0);
    ck_assert_uint_eq(g.nlines, 5);
    const char *h100 = "cuda available\nNVIDIA H100 80GB HBM3\n84929347584\n2097152\n1024\n";
    ck_assert_int_eq(golden_compare(&g, h100, "gpu", NULL), 1);
    ck_assert_int_eq(golden_compare(&g, "cuda not available\n", "gpu", NULL), 0);
    ck_assert_int_eq(golden_compare(&g, "cuda available\nNVIDIA H100\n80 GB\n0\n0\n", "gpu", NULL), 0);
    ck_assert_int_eq(golden_compare(&g, "cuda available\n\n1\n0\n0\n", "gpu", NULL), 0);
    /* and back */
    ck_assert_int_eq(golden_select_device_variant(&g, false), 0);
    ck_assert_uint_eq(g.nlines, 1);
    ck_assert_int_eq(golden_compare(&g, "cuda not available\n", "cpu", NULL), 1);
    golden_free(&g);
}
END_TEST

START_TEST(test_other_goldens_are_left_alone) {
    char path[4096];
    snprintf(path, sizeof path, "%s/cell-03.json", golden_dir());
    Golden g;
    ck_assert_msg(golden_load(path, &g) == 0, "%s", nb_error_message());
    size_t n = g.nlines;
    ck_assert_int_eq(golden_select_device_variant(&g, true), 0);
    ck_assert_uint_eq(g.nlines, n);
    ck_assert_int_eq(golden_compare(&g, g.stdout_text, "same", NULL), 1);
    golden_free(&g);
}
END_TEST

START_TEST(test_device_variant_survives_failed_allocations) {
    char path[4096];
    snprintf(path, sizeof path, "%s/cell-01.json", golden_dir());
    const char *text = read_text(path);
    ck_assert_ptr_nonnull(text);
    int64_t live = nb_alloc_stats().live_blocks;
    for (int64_t k = 1; k < 64; k++) {
        Golden g;
        ck_assert_int_eq(golden_parse(text, path, &g), 0);
        nb_alloc_fail_after(k);
        int rc = golden_select_device_variant(&g, true);
        nb_alloc_fail_after(0);
        if (rc == 0) {
            ck_assert_uint_eq(g.nlines, 5);
        } else {
            ck_assert_int_eq(nb_error_kind(), ERR_NOMEM);
            ck_assert_uint_eq(g.nlines, 0);
            nb_error_clear();
        }
        golden_free(&g);
        ck_assert_int_eq(nb_alloc_stats().live_blocks, live);
    }
}
END_TEST

static Suite *rules_suite(void) {
    Suite *s = suite_create("golden_rules");
    TCase *tolerance = tcase_create("tolerance");
    tcase_add_test(tolerance, test_numbers_within_tolerance_match);
    tcase_add_test(tolerance, test_numbers_beyond_tolerance_fail_but_are_measured);
    tcase_add_test(tolerance, test_text_must_stay_exact);
    tcase_add_test(tolerance, test_what_counts_as_a_number);
    tcase_add_test(tolerance, test_compare_tolerant_on_a_golden);
    suite_add_tcase(s, tolerance);
    TCase *device = tcase_create("device_variant");
    tcase_add_test(device, test_cell1_golden_follows_the_device);
    tcase_add_test(device, test_other_goldens_are_left_alone);
    tcase_add_test(device, test_device_variant_survives_failed_allocations);
    suite_add_tcase(s, device);
    return s;
}

int main(void) {
    SRunner *runner = srunner_create(rules_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
