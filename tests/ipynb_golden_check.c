/* ipynb_golden_check: does an executed notebook reproduce the goldens?
 *
 *   ipynb_golden_check NOTEBOOK.ipynb GOLDEN_DIR
 *
 * For the notebook `nbreplay export --kernel nbreplay` writes and `jupyter
 * nbconvert --execute` ran with our kernel: each code cell (its id names
 * the notebook cell, "cell-07-bmm") must have run without error, and its
 * stdout streams, joined, must match the cell's golden as `nbreplay verify`
 * matches it (golden_compare: exact lines equal, pattern lines matched
 * whole; cell 1's golden turned to the variant of the device the kernel
 * chose). Every cell of the registry must be there. Exit 0 when all match,
 * 1 with a diff for each that does not. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "golden.h"
#include "gpu.h"
#include "registry.h"

static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    StrBuf text = STRBUF_INIT;
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) nb_strbuf_append_len(&text, buf, n);
    fclose(f);
    return text.data;
}

/* A multiline string of nbformat: a string or an array of strings. */
static void append_text(StrBuf *out, const cJSON *text) {
    if (cJSON_IsString(text)) nb_strbuf_append(out, text->valuestring);
    const cJSON *line;
    if (cJSON_IsArray(text)) cJSON_ArrayForEach(line, text) if (cJSON_IsString(line)) nb_strbuf_append(out, line->valuestring);
}

static int check_cell(const cJSON *code_cell, const Cell *cell, const char *golden_dir, bool gpu) {
    StrBuf actual = STRBUF_INIT;
    const cJSON *output;
    int errors = 0;
    cJSON_ArrayForEach(output, cJSON_GetObjectItemCaseSensitive(code_cell, "outputs")) {
        const char *type = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(output, "output_type"));
        const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(output, "name"));
        if (type && strcmp(type, "error") == 0) {
            printf("FAIL cell %d (%s): an error: %s\n", cell->number, cell->name,
                   cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(output, "evalue")));
            errors++;
        } else if (type && strcmp(type, "stream") == 0 && name && strcmp(name, "stdout") == 0) {
            append_text(&actual, cJSON_GetObjectItemCaseSensitive(output, "text"));
        }
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/cell-%02d.json", golden_dir, cell->number);
    Golden golden;
    if (golden_load(path, &golden) != 0 || golden_select_device_variant(&golden, gpu) != 0) {
        printf("FAIL cell %d (%s): %s\n", cell->number, cell->name, nb_error_message());
        nb_error_clear();
        nb_strbuf_free(&actual);
        return 1;
    }
    if (golden.seed != 0) {
        printf("FAIL cell %d (%s): its golden ran with seed %u; the kernel runs each cell with seed 0\n",
               cell->number, cell->name, (unsigned)golden.seed);
        errors++;
    }
    StrBuf diff = STRBUF_INIT;
    int match = golden_compare(&golden, nb_strbuf_cstr(&actual), "the executed notebook", &diff);
    if (match != 1) {
        printf("FAIL cell %d (%s): output differs from %s\n%s", cell->number, cell->name, path, nb_strbuf_cstr(&diff));
        errors++;
    } else if (errors == 0) {
        printf("ok   cell %d (%s)\n", cell->number, cell->name);
    }
    nb_strbuf_free(&diff);
    nb_strbuf_free(&actual);
    golden_free(&golden);
    return errors ? 1 : 0;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: ipynb_golden_check NOTEBOOK.ipynb GOLDEN_DIR\n");
        return 2;
    }
    char *text = read_file(argv[1]);
    cJSON *nb = text ? cJSON_Parse(text) : NULL;
    free(text);
    if (!nb) {
        printf("FAIL %s: cannot read it as JSON\n", argv[1]);
        return 1;
    }
    bool gpu = nb_gpu_probe(NULL) == 0; /* the kernel's --device auto */
    nb_error_clear();
    int failures = 0;
    for (size_t i = 0; i < cell_registry_count; i++) {
        const Cell *cell = cell_registry[i];
        char id[64];
        snprintf(id, sizeof id, "cell-%02d-%s", cell->number, cell->name);
        const cJSON *c, *found = NULL;
        cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(nb, "cells")) {
            const char *cid = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "id"));
            if (cid && strcmp(cid, id) == 0) found = c;
        }
        if (!found) {
            printf("FAIL cell %d (%s): no code cell with id %s\n", cell->number, cell->name, id);
            failures++;
            continue;
        }
        failures += check_cell(found, cell, argv[2], gpu);
    }
    cJSON_Delete(nb);
    printf("%zu cells, %d failed\n", cell_registry_count, failures);
    return failures ? 1 : 0;
}
