/* test_kernel: the Jupyter kernel's parts that need no Jupyter: magics,
 * is_complete, complete, inspect (from the generated vocabulary) and
 * message signing. The kernel itself, on the wire with real Jupyter, is
 * tests/kernel_test.py. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel_assist.h"
#include "kernel_magic.h"
#include "kernel_vocab.h"
#include "kernel_wire.h"

static KernelMagics defaults(void) { return (KernelMagics){.seed = 0, .device = KERNEL_DEVICE_AUTO, .timeout_s = 0}; }

START_TEST(magics_set_seed_device_timeout) {
    KernelMagics m = defaults();
    char why[256] = "";
    ck_assert_int_eq(kernel_magics_parse("//% seed 3\n  //% device cpu\n//%timeout 2.5\nprint_line(run, \"x\");", &m,
                                         why, sizeof why), 0);
    ck_assert_uint_eq(m.seed, 3);
    ck_assert_int_eq(m.device, KERNEL_DEVICE_CPU);
    ck_assert(m.timeout_s == 2.5);
    m = defaults();
    ck_assert_int_eq(kernel_magics_parse("// % seed 3\n/* //% seed 4 */\n", &m, why, sizeof why), 0);
    ck_assert_uint_eq(m.seed, 0); /* not a magic line */
}
END_TEST

START_TEST(magics_refuse_bad_values) {
    static const char *const bad[] = {"//% seed -1", "//% seed 4294967296", "//% seed x", "//% device gpu",
                                      "//% timeout 0", "//% timeout nan", "//% sed 3", "//% seed 3 4", "//%"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        KernelMagics m = defaults();
        char why[256] = "";
        ck_assert_msg(kernel_magics_parse(bad[i], &m, why, sizeof why) == -1, "%s was taken", bad[i]);
        ck_assert_msg(strncmp(why, "line 1: ", 8) == 0, "%s: %s", bad[i], why);
    }
}
END_TEST

static const char *status_of(const char *code) {
    static char status[32];
    cJSON *r = kernel_is_complete(code);
    snprintf(status, sizeof status, "%s", cJSON_GetStringValue(cJSON_GetObjectItem(r, "status")));
    cJSON_Delete(r);
    return status;
}

START_TEST(is_complete_follows_brackets_strings_comments) {
    ck_assert_str_eq(status_of("print_line(run, \"x\");"), "complete");
    ck_assert_str_eq(status_of("for (int i = 0; i < 3; i++) {"), "incomplete");
    ck_assert_str_eq(status_of("print_tensor(run, tensor_mm(A,"), "incomplete");
    ck_assert_str_eq(status_of("/* a comment"), "incomplete");
    ck_assert_str_eq(status_of("print_line(run, \"}{\"); // {"), "complete");
    ck_assert_str_eq(status_of("x = 1; }"), "invalid");
    ck_assert_str_eq(status_of("print_line(run, \"open\n"), "invalid");
}
END_TEST

START_TEST(complete_names_and_cursor) {
    const char *code = "Tensor *weights = torch_tensor(\"[1.]\");\ntensor_m";
    cJSON *r = kernel_complete(code, (int)strlen(code));
    cJSON *matches = cJSON_GetObjectItem(r, "matches");
    bool mm = false;
    cJSON *m;
    cJSON_ArrayForEach(m, matches) {
        ck_assert(strncmp(m->valuestring, "tensor_m", 8) == 0);
        mm = mm || strcmp(m->valuestring, "tensor_mm") == 0;
    }
    ck_assert(mm);
    ck_assert_int_eq(cJSON_GetObjectItem(r, "cursor_start")->valueint, (int)strlen(code) - 8);
    cJSON_Delete(r);
    /* the cell's own variable; a cursor counted in code points, not bytes */
    const char *own = "/* é */ Tensor *weights; wei";
    r = kernel_complete(own, 28); /* 28 code points, 29 bytes */
    matches = cJSON_GetObjectItem(r, "matches");
    ck_assert_int_eq(cJSON_GetArraySize(matches), 1);
    ck_assert_str_eq(cJSON_GetArrayItem(matches, 0)->valuestring, "weights");
    ck_assert_int_eq(cJSON_GetObjectItem(r, "cursor_start")->valueint, 25);
    cJSON_Delete(r);
}
END_TEST

START_TEST(inspect_says_declaration_and_pytorch) {
    cJSON *r = kernel_inspect("tensor_bmm(A, B)", 4);
    ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(r, "found")));
    const char *text = cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(r, "data"), "text/plain"));
    ck_assert_ptr_nonnull(strstr(text, "Tensor *tensor_bmm(Tensor *a, Tensor *b);"));
    ck_assert_ptr_nonnull(strstr(text, "torch.bmm"));
    cJSON_Delete(r);
    r = kernel_inspect("nothing_here", 2);
    ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(r, "found")));
    cJSON_Delete(r);
}
END_TEST

START_TEST(vocabulary_is_sorted_and_has_the_cell_words) {
    ck_assert_uint_gt(kernel_nwords, 50);
    for (size_t i = 1; i < kernel_nwords; i++) ck_assert_int_lt(strcmp(kernel_words[i - 1].name, kernel_words[i].name), 0);
    bool print_tensor = false, np_random_normal = false;
    for (size_t i = 0; i < kernel_nwords; i++) {
        print_tensor = print_tensor || strcmp(kernel_words[i].name, "print_tensor") == 0;
        np_random_normal = np_random_normal || strcmp(kernel_words[i].name, "np_random_normal") == 0;
    }
    ck_assert(print_tensor && np_random_normal);
}
END_TEST

START_TEST(signature_depends_on_key_and_every_frame) {
    char a[65], b[65], c[65], none[65];
    KernelFrame frames[4] = {{"{\"msg_type\":\"x\"}", 16}, {"{}", 2}, {"{}", 2}, {"{\"code\":\"1\"}", 12}};
    KernelKey key = {(unsigned char *)"secret", 6}, other = {(unsigned char *)"secreT", 6}, empty = {NULL, 0};
    kernel_wire_sign(&key, frames, a);
    kernel_wire_sign(&other, frames, b);
    frames[3] = (KernelFrame){"{\"code\":\"2\"}", 12};
    kernel_wire_sign(&key, frames, c);
    kernel_wire_sign(&empty, frames, none);
    ck_assert_uint_eq(strlen(a), 64);
    ck_assert_str_ne(a, b);
    ck_assert_str_ne(a, c);
    ck_assert_str_eq(none, "");
}
END_TEST

static Suite *kernel_suite(void) {
    Suite *s = suite_create("kernel");
    TCase *tc = tcase_create("kernel");
    tcase_add_test(tc, magics_set_seed_device_timeout);
    tcase_add_test(tc, magics_refuse_bad_values);
    tcase_add_test(tc, is_complete_follows_brackets_strings_comments);
    tcase_add_test(tc, complete_names_and_cursor);
    tcase_add_test(tc, inspect_says_declaration_and_pytorch);
    tcase_add_test(tc, vocabulary_is_sorted_and_has_the_cell_words);
    tcase_add_test(tc, signature_depends_on_key_and_every_frame);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    SRunner *runner = srunner_create(kernel_suite());
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
