/* corpus: the suites' shared corpus reader. */
#include "corpus.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

cJSON *corpus_load(const char *file) {
    const char *dir = getenv("NB_TEST_DATA");
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "tests/data", file);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "corpus: cannot open %s\n", path);
        return NULL;
    }
    char *text = NULL;
    size_t len = 0;
    if (fseek(f, 0, SEEK_END) == 0) {
        long size = ftell(f);
        if (size > 0 && fseek(f, 0, SEEK_SET) == 0 && (text = malloc((size_t)size + 1)) != NULL) {
            len = fread(text, 1, (size_t)size, f);
            text[len] = '\0';
        }
    }
    fclose(f);
    cJSON *json = text ? cJSON_ParseWithLength(text, len) : NULL;
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
