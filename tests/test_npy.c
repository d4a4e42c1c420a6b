/* test_npy: src/npy.c against the files in tests/data/npy (written with the
 * real NumPy by tests/corpus/make_npy_cases.py). Good files must load and
 * print exactly as PyTorch prints them; bad files must be refused with the
 * expected words in a one-line message and without leaking. Every prefix of
 * a good file is also fed to nb_npy_parse, since truncation can happen at any
 * byte, and every allocation is made to fail once. */
#include <check.h>
#include <cJSON.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "error.h"
#include "npy.h"
#include "print.h"
#include "tensor.h"
#include "corpus.h"

static cJSON *manifest;
static const cJSON *good_files;
static const cJSON *bad_files;
static char data_dir[4096];

static void path_of(char *buf, size_t cap, const char *file) {
    snprintf(buf, cap, "%s/%s", data_dir, file);
}

/* The whole file in an nb_malloc'd block. */
static unsigned char *file_bytes(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    ck_assert(fseek(f, 0, SEEK_END) == 0);
    long size = ftell(f);
    ck_assert(size >= 0 && fseek(f, 0, SEEK_SET) == 0);
    unsigned char *bytes = nb_malloc((size_t)size + 1);
    ck_assert(bytes != NULL);
    *len = fread(bytes, 1, (size_t)size, f);
    fclose(f);
    ck_assert_uint_eq(*len, (size_t)size);
    return bytes;
}

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

START_TEST(test_good_file) {
    const cJSON *entry = cJSON_GetArrayItem(good_files, _i);
    const char *file = corpus_field(entry, "file")->valuestring;
    char path[4200];
    path_of(path, sizeof path, file);
    nb_error_clear();
    int64_t live = nb_alloc_stats().live_blocks;
    TensorScope *scope = tensor_scope_open();
    Tensor *t = nb_npy_load(path);
    ck_assert_msg(t != NULL, "%s refused: %s", file, nb_error_message());
    const cJSON *expected;
    cJSON_ArrayForEach(expected, corpus_field(entry, "expected")) {
        PrintOptions opts = options_of(corpus_field(expected, "options"));
        StrBuf out = STRBUF_INIT;
        ck_assert_int_eq(tensor_format(&out, t, &opts), 0);
        ck_assert_msg(strcmp(nb_strbuf_cstr(&out), corpus_field(expected, "text")->valuestring) == 0,
                      "%s printed\n%s\nPyTorch printed\n%s", file, nb_strbuf_cstr(&out),
                      corpus_field(expected, "text")->valuestring);
        nb_strbuf_free(&out);
    }
    tensor_scope_close(scope);
    ck_assert_int_eq(nb_alloc_stats().live_blocks, live);
}
END_TEST

START_TEST(test_bad_file) {
    const cJSON *entry = cJSON_GetArrayItem(bad_files, _i);
    const char *file = corpus_field(entry, "file")->valuestring;
    const char *words = corpus_field(entry, "error_contains")->valuestring;
    char path[4200];
    path_of(path, sizeof path, file);
    nb_error_clear();
    int64_t live = nb_alloc_stats().live_blocks;
    TensorScope *scope = tensor_scope_open();
    Tensor *t = nb_npy_load(path);
    ck_assert_msg(t == NULL, "%s was accepted", file);
    const char *message = nb_error_message();
    ck_assert_int_eq(nb_error_kind(), ERR_FORMAT);
    ck_assert_msg(strstr(message, words) != NULL, "%s: message '%s' lacks '%s'", file, message,
                  words);
    ck_assert_msg(strncmp(message, path, strlen(path)) == 0, "%s: message '%s' does not name it",
                  file, message);
    ck_assert_msg(strchr(message, '\n') == NULL, "%s: message spans lines", file);
    ck_assert_uint_eq(tensor_scope_size(scope), 0);
    tensor_scope_close(scope);
    ck_assert_int_eq(nb_alloc_stats().live_blocks, live);
    nb_error_clear();
}
END_TEST

/* Every proper prefix of a good file is a truncated file: the header's
 * length field covers its padding, so even an empty array's file cannot be
 * cut and stay whole. */
START_TEST(test_every_truncation) {
    const cJSON *entry = cJSON_GetArrayItem(good_files, _i);
    const char *file = corpus_field(entry, "file")->valuestring;
    char path[4200];
    path_of(path, sizeof path, file);
    int64_t live = nb_alloc_stats().live_blocks;
    size_t len;
    unsigned char *bytes = file_bytes(path, &len);
    TensorScope *scope = tensor_scope_open();
    for (size_t cut = 0; cut < len; cut++) {
        nb_error_clear();
        Tensor *t = nb_npy_parse(bytes, cut, file);
        ck_assert_msg(t == NULL, "%s cut to %zu bytes was accepted", file, cut);
        ck_assert_int_eq(nb_error_kind(), ERR_FORMAT);
        const char *m = nb_error_message();
        ck_assert_msg(strstr(m, "truncated") || strstr(m, "not a .npy file") ||
                          strstr(m, "malformed"),
                      "%s cut to %zu bytes: '%s'", file, cut, m);
    }
    nb_error_clear();
    tensor_scope_close(scope);
    nb_free(bytes);
    ck_assert_int_eq(nb_alloc_stats().live_blocks, live);
}
END_TEST

START_TEST(test_missing_file) {
    nb_error_clear();
    int64_t live = nb_alloc_stats().live_blocks;
    TensorScope *scope = tensor_scope_open();
    char path[4200];
    path_of(path, sizeof path, "no_such_file.npy");
    ck_assert(nb_npy_load(path) == NULL);
    ck_assert_int_eq(nb_error_kind(), ERR_IO);
    ck_assert_msg(strstr(nb_error_message(), "cannot open") != NULL, "%s", nb_error_message());
    nb_error_clear();
    ck_assert(nb_npy_load(data_dir) == NULL); /* a directory opens but cannot be read */
    ck_assert_int_eq(nb_error_kind(), ERR_IO);
    nb_error_clear();
    tensor_scope_close(scope);
    ck_assert_int_eq(nb_alloc_stats().live_blocks, live);
}
END_TEST

/* Each allocation npy_load makes fails once in turn: the result is NULL
 * with an out-of-memory error and nothing leaks, until it succeeds. */
START_TEST(test_out_of_memory) {
    char path[4200];
    path_of(path, sizeof path, "good_f8_2x2x2_v2.npy");
    bool loaded = false;
    for (int64_t k = 1; k < 50 && !loaded; k++) {
        nb_error_clear();
        int64_t live = nb_alloc_stats().live_blocks;
        TensorScope *scope = tensor_scope_open();
        nb_alloc_fail_after(k);
        Tensor *t = nb_npy_load(path);
        nb_alloc_fail_after(0);
        if (t) {
            loaded = true;
        } else {
            ck_assert_int_eq(nb_error_kind(), ERR_NOMEM);
        }
        tensor_scope_close(scope);
        ck_assert_int_eq(nb_alloc_stats().live_blocks, live);
    }
    ck_assert(loaded);
    nb_error_clear();
}
END_TEST

/* NumPy reads any nonzero byte as True; the tensor must hold 0 and 1. */
START_TEST(test_bool_bytes_normalized) {
    char path[4200];
    path_of(path, sizeof path, "odd_bool_bytes.npy");
    nb_error_clear();
    TensorScope *scope = tensor_scope_open();
    Tensor *t = nb_npy_load(path);
    ck_assert_msg(t != NULL, "%s", nb_error_message());
    const unsigned char *p = tensor_data(t);
    ck_assert(p[0] == 1 && p[1] == 0 && p[2] == 1);
    tensor_scope_close(scope);
}
END_TEST

/* npy/expected.jsonl, the manifest make_npy_cases.py writes beside the
 * files; data_dir is where the files are. */
static cJSON *load_manifest(void) {
    const char *dir = getenv("NB_TEST_DATA");
    snprintf(data_dir, sizeof data_dir, "%s/npy", dir && *dir ? dir : "tests/data");
    return corpus_load("npy/expected.jsonl");
}

int main(void) {
    manifest = load_manifest();
    if (manifest == NULL) return EXIT_FAILURE;
    good_files = cJSON_GetObjectItemCaseSensitive(manifest, "good");
    bad_files = cJSON_GetObjectItemCaseSensitive(manifest, "bad");
    int ngood = cJSON_GetArraySize(good_files), nbad = cJSON_GetArraySize(bad_files);
    if (ngood == 0 || nbad == 0) {
        fprintf(stderr, "test_npy: manifest lists no files\n");
        cJSON_Delete(manifest);
        return EXIT_FAILURE;
    }

    Suite *s = suite_create("npy");
    TCase *files = tcase_create("files");
    tcase_add_loop_test(files, test_good_file, 0, ngood);
    tcase_add_loop_test(files, test_bad_file, 0, nbad);
    tcase_add_loop_test(files, test_every_truncation, 0, ngood);
    suite_add_tcase(s, files);
    TCase *api = tcase_create("api");
    tcase_add_test(api, test_missing_file);
    tcase_add_test(api, test_out_of_memory);
    tcase_add_test(api, test_bool_bytes_normalized);
    suite_add_tcase(s, api);

    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    cJSON_Delete(manifest);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
