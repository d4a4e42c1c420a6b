/* kernel_assist: is_complete, complete and inspect (kernel_assist.h). */
#include "kernel_assist.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "kernel_vocab.h"
#include "strbuf.h"

#define MAX_MATCHES 200
#define MAX_WORD 128

cJSON *kernel_is_complete(const char *code) {
    int depth = 0;
    bool block_comment = false, bad = false;
    for (const char *p = code; *p && !bad; p++) {
        if (block_comment) {
            if (p[0] == '*' && p[1] == '/') block_comment = false, p++;
        } else if (p[0] == '/' && p[1] == '*') {
            block_comment = true;
            p++;
        } else if (p[0] == '/' && p[1] == '/') {
            while (p[1] && p[1] != '\n') p++;
        } else if (*p == '"' || *p == '\'') {
            char quote = *p;
            for (p++; *p && *p != quote && *p != '\n'; p++)
                if (*p == '\\' && p[1]) p++;
            if (*p != quote) bad = true; /* a string literal runs off its line */
        } else if (strchr("([{", *p)) {
            depth++;
        } else if (strchr(")]}", *p)) {
            if (--depth < 0) bad = true;
        }
    }
    cJSON *reply = cJSON_CreateObject();
    const char *status = bad ? "invalid" : depth > 0 || block_comment ? "incomplete" : "complete";
    cJSON_AddStringToObject(reply, "status", status);
    if (strcmp(status, "incomplete") == 0) cJSON_AddStringToObject(reply, "indent", "    ");
    return reply;
}

static bool is_word_char(char c) { return isalnum((unsigned char)c) || c == '_'; }

/* The byte offset of code point `cursor` in UTF-8 text. */
static size_t byte_offset(const char *code, int cursor) {
    size_t i = 0;
    for (int points = 0; code[i] && points < cursor; points++) {
        i++;
        while (((unsigned char)code[i] & 0xC0) == 0x80) i++;
    }
    return i;
}

static int code_points(const char *code, size_t bytes) {
    int n = 0;
    for (size_t i = 0; i < bytes; i++)
        if (((unsigned char)code[i] & 0xC0) != 0x80) n++;
    return n;
}

static bool has_match(const cJSON *matches, const char *word) {
    const cJSON *m;
    cJSON_ArrayForEach(m, matches) if (strcmp(m->valuestring, word) == 0) return true;
    return false;
}

static int compare_strings(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

cJSON *kernel_complete(const char *code, int cursor_pos) {
    size_t end = byte_offset(code, cursor_pos), start = end;
    while (start > 0 && is_word_char(code[start - 1])) start--;
    size_t plen = end - start;
    const char *prefix = code + start;
    const char *found[MAX_MATCHES];
    int nfound = 0;
    for (size_t i = 0; i < kernel_nwords && nfound < MAX_MATCHES; i++)
        if (strncmp(kernel_words[i].name, prefix, plen) == 0) found[nfound++] = kernel_words[i].name;
    /* the cell's own names: variables it declares, `run` */
    static const char *const own_always[] = {"run"};
    cJSON *matches = cJSON_CreateArray();
    char *own[MAX_MATCHES];
    int nown = 0;
    if (plen > 0 && strncmp(own_always[0], prefix, plen) == 0) own[nown++] = strdup(own_always[0]);
    for (const char *p = code; *p && nown < MAX_MATCHES;) {
        if (!is_word_char(*p)) {
            p++;
            continue;
        }
        const char *w = p;
        while (is_word_char(*p)) p++;
        size_t len = (size_t)(p - w);
        bool at_cursor = (size_t)(w - code) == start;
        if (!at_cursor && len > plen && len < MAX_WORD && strncmp(w, prefix, plen) == 0 && !isdigit((unsigned char)*w))
            own[nown++] = strndup(w, len);
    }
    qsort(own, (size_t)nown, sizeof own[0], compare_strings);
    for (int i = 0; i < nown; i++) {
        bool known = false;
        for (int j = 0; j < nfound && !known; j++) known = strcmp(found[j], own[i]) == 0;
        if (!known && !has_match(matches, own[i])) cJSON_AddItemToArray(matches, cJSON_CreateString(own[i]));
        free(own[i]);
    }
    for (int j = 0; j < nfound; j++) cJSON_AddItemToArray(matches, cJSON_CreateString(found[j]));
    cJSON *reply = cJSON_CreateObject();
    cJSON_AddItemToObject(reply, "matches", matches);
    cJSON_AddNumberToObject(reply, "cursor_start", code_points(code, start));
    cJSON_AddNumberToObject(reply, "cursor_end", code_points(code, end));
    cJSON_AddObjectToObject(reply, "metadata");
    cJSON_AddStringToObject(reply, "status", "ok");
    return reply;
}

static const KernelWord *lookup(const char *name) {
    size_t lo = 0, hi = kernel_nwords;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(kernel_words[mid].name, name);
        if (c == 0) return &kernel_words[mid];
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return NULL;
}

cJSON *kernel_inspect(const char *code, int cursor_pos) {
    size_t at = byte_offset(code, cursor_pos), start = at, end = at;
    while (start > 0 && is_word_char(code[start - 1])) start--;
    while (is_word_char(code[end])) end++;
    /* at "tensor_mm(|", the call the cursor is in */
    if (start == end && start > 0 && code[start - 1] == '(') {
        end = start - 1;
        start = end;
        while (start > 0 && is_word_char(code[start - 1])) start--;
    }
    char word[MAX_WORD] = "";
    if (end - start < sizeof word) memcpy(word, code + start, end - start), word[end - start] = '\0';
    const KernelWord *w = word[0] ? lookup(word) : NULL;
    cJSON *reply = cJSON_CreateObject();
    cJSON_AddStringToObject(reply, "status", "ok");
    cJSON_AddBoolToObject(reply, "found", w != NULL);
    cJSON *data = cJSON_AddObjectToObject(reply, "data");
    cJSON_AddObjectToObject(reply, "metadata");
    if (w) {
        StrBuf text = STRBUF_INIT;
        nb_strbuf_printf(&text, "%s    (<nbreplay/%s>)\n\n%s\n", w->name, w->header, w->declaration);
        if (w->pytorch[0]) nb_strbuf_printf(&text, "\nPyTorch: %s\n", w->pytorch);
        if (w->doc[0]) nb_strbuf_printf(&text, "\n%s\n", w->doc);
        cJSON_AddStringToObject(data, "text/plain", nb_strbuf_cstr(&text));
        nb_strbuf_free(&text);
    }
    return reply;
}
