/* export_ipynb: the notebook as Jupyter's nbformat 4.5 JSON: for each cell
 * a Markdown cell with its narrative and a code cell with its Python and,
 * as a stdout stream, what nbreplay printed. execution_count is the cell's
 * notebook number, so the cells read In [1], In [2] ... as in the original;
 * our own cells (number 0) have none (null), as a cell never run. */
#include "export.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cell_files.h"
#include "error.h"

#ifndef NBREPLAY_VERSION
#define NBREPLAY_VERSION "unknown"
#endif

/* Jupyter's multiline string: the text split after each '\n'. */
static cJSON *lines_array(const char *text, size_t len) {
    cJSON *array = cJSON_CreateArray();
    size_t start = 0;
    for (size_t i = 0; array && i < len; i++) {
        if (text[i] != '\n' && i + 1 < len) continue;
        size_t end = i + 1;
        char *line = cJSON_malloc(end - start + 1);
        if (!line) {
            cJSON_Delete(array);
            return NULL;
        }
        memcpy(line, text + start, end - start);
        line[end - start] = '\0';
        cJSON *item = cJSON_CreateString(line);
        cJSON_free(line);
        if (!item || !cJSON_AddItemToArray(array, item)) {
            cJSON_Delete(item);
            cJSON_Delete(array);
            return NULL;
        }
        start = end;
    }
    return array;
}

/* The text without the newlines and spaces that end it: a notebook cell's
 * source does not end in a newline. */
static size_t trimmed_length(const char *text) {
    size_t len = strlen(text);
    while (len > 0 && strchr(" \n\t", text[len - 1])) len--;
    return len;
}

static bool add_cell_texts(cJSON *cells, const ExportCell *ec, char *id, size_t id_size, const StrBuf *narrative,
                           const StrBuf *code_text);

/* For our kernel (doc->kernel): the narrative, then the Python the cell
 * replays; the code cell holds the C. */
static bool c_cell_texts(const Cell *cell, StrBuf *narrative, StrBuf *code) {
    nb_strbuf_append_len(narrative, cell->narrative, trimmed_length(cell->narrative));
    if (narrative->len) nb_strbuf_append(narrative, "\n\n");
    nb_strbuf_append(narrative, "*The PyTorch this cell replays:*\n\n```python\n");
    nb_strbuf_append_len(narrative, cell->python, trimmed_length(cell->python));
    nb_strbuf_append(narrative, "\n```");
    const char *source = cell_c_source(cell);
    char *body = cell_c_body(cell, source);
    const char *c = body ? body : source;
    nb_strbuf_append_len(code, c, trimmed_length(c));
    free(body);
    return !narrative->failed && !code->failed;
}

static bool add_cell(cJSON *cells, const ExportCell *ec, bool c_cells) {
    const Cell *cell = ec->cell;
    char id[64];
    StrBuf narrative = STRBUF_INIT, code_text = STRBUF_INIT;
    if (c_cells && !c_cell_texts(cell, &narrative, &code_text)) return false;
    if (!c_cells) {
        nb_strbuf_append_len(&narrative, cell->narrative, trimmed_length(cell->narrative));
        nb_strbuf_append_len(&code_text, cell->python, trimmed_length(cell->python));
    }
    bool ok = add_cell_texts(cells, ec, id, sizeof id, &narrative, &code_text);
    nb_strbuf_free(&narrative);
    nb_strbuf_free(&code_text);
    return ok;
}

static bool add_cell_texts(cJSON *cells, const ExportCell *ec, char *id, size_t id_size, const StrBuf *narrative,
                           const StrBuf *code_text) {
    const Cell *cell = ec->cell;
    size_t narrative_len = narrative->len;
    if (narrative_len > 0) {
        cJSON *md = cJSON_CreateObject();
        snprintf(id, id_size, "cell-%02d-%s-narrative", cell->number, cell->name);
        if (!md || !cJSON_AddItemToArray(cells, md)) return false;
        if (!cJSON_AddStringToObject(md, "cell_type", "markdown") ||
            !cJSON_AddStringToObject(md, "id", id) || !cJSON_AddObjectToObject(md, "metadata") ||
            !cJSON_AddItemToObject(md, "source", lines_array(narrative->data, narrative_len)))
            return false;
    }
    cJSON *code = cJSON_CreateObject();
    snprintf(id, id_size, "cell-%02d-%s", cell->number, cell->name);
    if (!code || !cJSON_AddItemToArray(cells, code)) return false;
    cJSON *count = cell->number > 0 ? cJSON_CreateNumber(cell->number) : cJSON_CreateNull();
    if (!cJSON_AddStringToObject(code, "cell_type", "code") ||
        !cJSON_AddItemToObject(code, "execution_count", count) ||
        !cJSON_AddStringToObject(code, "id", id) || !cJSON_AddObjectToObject(code, "metadata"))
        return false;
    cJSON *outputs = cJSON_AddArrayToObject(code, "outputs");
    if (!outputs) return false;
    if (ec->output.len > 0) {
        cJSON *stream = cJSON_CreateObject();
        if (!stream || !cJSON_AddItemToArray(outputs, stream)) return false;
        if (!cJSON_AddStringToObject(stream, "name", "stdout") ||
            !cJSON_AddStringToObject(stream, "output_type", "stream") ||
            !cJSON_AddItemToObject(stream, "text", lines_array(ec->output.data, ec->output.len)))
            return false;
    }
    return cJSON_AddItemToObject(code, "source", lines_array(nb_strbuf_cstr(code_text), code_text->len));
}

/* The metadata that makes Jupyter open the notebook with our kernel. */
static bool add_c_kernel(cJSON *kernel, cJSON *language, const char *name) {
    return cJSON_AddStringToObject(kernel, "display_name", "C (nbreplay)") &&
           cJSON_AddStringToObject(kernel, "language", "c") && cJSON_AddStringToObject(kernel, "name", name) &&
           cJSON_AddStringToObject(language, "name", "c") &&
           cJSON_AddStringToObject(language, "file_extension", ".c") &&
           cJSON_AddStringToObject(language, "mimetype", "text/x-csrc") &&
           cJSON_AddStringToObject(language, "codemirror_mode", "text/x-csrc");
}

static cJSON *notebook(const ExportDoc *doc) {
    cJSON *nb = cJSON_CreateObject();
    cJSON *cells = nb ? cJSON_AddArrayToObject(nb, "cells") : NULL;
    for (size_t i = 0; cells && i < doc->ncells; i++)
        if (!add_cell(cells, &doc->cells[i], doc->kernel != NULL)) cells = NULL;
    cJSON *metadata = cells ? cJSON_AddObjectToObject(nb, "metadata") : NULL;
    cJSON *kernel = metadata ? cJSON_AddObjectToObject(metadata, "kernelspec") : NULL;
    cJSON *language = metadata ? cJSON_AddObjectToObject(metadata, "language_info") : NULL;
    cJSON *ours = metadata ? cJSON_AddObjectToObject(metadata, "nbreplay") : NULL;
    bool ok = kernel && language && ours &&
              (doc->kernel ? add_c_kernel(kernel, language, doc->kernel)
                           : cJSON_AddStringToObject(kernel, "display_name", "Python 3") &&
                                 cJSON_AddStringToObject(kernel, "language", "python") &&
                                 cJSON_AddStringToObject(kernel, "name", "python3") &&
                                 cJSON_AddStringToObject(language, "name", "python")) &&
              cJSON_AddStringToObject(ours, "version", NBREPLAY_VERSION) &&
              cJSON_AddNumberToObject(ours, "seed", (double)doc->seed) &&
              cJSON_AddStringToObject(ours, "outputs", "printed by nbreplay's C replay of each cell") &&
              cJSON_AddNumberToObject(nb, "nbformat", 4) &&
              cJSON_AddNumberToObject(nb, "nbformat_minor", 5);
    if (!ok) {
        cJSON_Delete(nb);
        return NULL;
    }
    return nb;
}

int export_ipynb(StrBuf *out, const ExportDoc *doc) {
    cJSON *nb = notebook(doc);
    char *text = nb ? cJSON_Print(nb) : NULL;
    cJSON_Delete(nb);
    if (!text) return nb_error_nomem();
    nb_strbuf_append(out, text);
    nb_strbuf_append_char(out, '\n');
    cJSON_free(text);
    return out->failed ? nb_error_nomem() : 0;
}
