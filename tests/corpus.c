/* corpus: the suites' shared corpus reader. */
#include "corpus.h"

#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The whole file, NUL-terminated; NULL when it cannot be read. */
static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) return NULL;
    char *text = NULL;
    *len = 0;
    if (fseek(f, 0, SEEK_END) == 0) {
        long size = ftell(f);
        if (size >= 0 && fseek(f, 0, SEEK_SET) == 0 && (text = malloc((size_t)size + 1)) != NULL) {
            *len = fread(text, 1, (size_t)size, f);
            text[*len] = '\0';
        }
    }
    fclose(f);
    return text;
}

static bool ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* One line of a .jsonl corpus merged into root: the first line (the
 * header) gives root its members; every other line, {"SECTION": case},
 * appends case to root's array SECTION. False on a malformed line. */
static bool merge_line(cJSON **root, const char *text, size_t len) {
    cJSON *line = cJSON_ParseWithLength(text, len);
    if (!cJSON_IsObject(line)) {
        cJSON_Delete(line);
        return false;
    }
    if (*root == NULL) {
        *root = line;
        return true;
    }
    cJSON *item = line->child;
    if (item == NULL || item->next != NULL || item->string == NULL) {
        cJSON_Delete(line);
        return false;
    }
    cJSON *section = cJSON_GetObjectItemCaseSensitive(*root, item->string);
    if (section == NULL) section = cJSON_AddArrayToObject(*root, item->string);
    bool ok = cJSON_IsArray(section);
    if (ok) ok = cJSON_AddItemToArray(section, cJSON_DetachItemViaPointer(line, item));
    cJSON_Delete(line);
    return ok;
}

/* JSON Lines (tests/corpus/corpus_lib.py writes them): one case a line. */
static cJSON *parse_jsonl(const char *path, const char *text, size_t len) {
    cJSON *root = NULL;
    size_t number = 0;
    for (const char *p = text, *end = text + len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl ? nl : end;
        number++;
        if (stop > p && !merge_line(&root, p, (size_t)(stop - p))) {
            fprintf(stderr, "corpus: %s:%zu: not a corpus line\n", path, number);
            cJSON_Delete(root);
            return NULL;
        }
        p = stop + 1;
    }
    if (root == NULL) fprintf(stderr, "corpus: %s has no header line\n", path);
    return root;
}

cJSON *corpus_load(const char *file) {
    const char *dir = getenv("NB_TEST_DATA");
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "tests/data", file);
    size_t len = 0;
    char *text = read_file(path, &len);
    if (text == NULL) {
        fprintf(stderr, "corpus: cannot open %s\n", path);
        return NULL;
    }
    cJSON *json = ends_with(file, ".jsonl") ? parse_jsonl(path, text, len)
                                            : cJSON_ParseWithLength(text, len);
    free(text);
    if (json == NULL) fprintf(stderr, "corpus: cannot parse %s\n", path);
    return json;
}
const cJSON *corpus_field(const cJSON *obj, const char *name) {
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);
    ck_assert_msg(item != NULL, "corpus entry lacks '%s'", name);
    return item;
}

DType corpus_dtype(const char *name) {
    static const struct {
        const char *name;
        DType dtype;
    } names[] = {
        {"float32", DTYPE_FLOAT32}, {"float64", DTYPE_FLOAT64},
        {"int64", DTYPE_INT64}, {"bool", DTYPE_BOOL},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i].name, name) == 0) return names[i].dtype;
    ck_abort_msg("unknown corpus dtype '%s'", name);
    return DTYPE_FLOAT32;
}

static int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    ck_abort_msg("bad hex digit '%c' in corpus", c);
    return 0;
}

unsigned char *corpus_bytes(const char *hex, size_t *len) {
    size_t n = strlen(hex) / 2;
    unsigned char *bytes = malloc(n ? n : 1);
    ck_assert(bytes != NULL);
    for (size_t i = 0; i < n; i++)
        bytes[i] = (unsigned char)(hex_digit(hex[2 * i]) << 4 | hex_digit(hex[2 * i + 1]));
    *len = n;
    return bytes;
}

int64_t corpus_int64(const cJSON *item) {
    if (cJSON_IsString(item)) return strtoll(item->valuestring, NULL, 10);
    return (int64_t)cJSON_GetNumberValue(item);
}

Shape corpus_shape(const cJSON *dims) {
    Shape shape = {.ndim = cJSON_GetArraySize(dims)};
    ck_assert_int_le(shape.ndim, TENSOR_MAX_DIMS);
    for (int i = 0; i < shape.ndim; i++) shape.dims[i] = corpus_int64(cJSON_GetArrayItem(dims, i));
    return shape;
}

int corpus_run_suite(Suite *suite, cJSON *corpus) {
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    cJSON_Delete(corpus);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
