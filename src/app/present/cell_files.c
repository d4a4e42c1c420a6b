/* cell_files: a cell's file names and embedded C (see cell_files.h). */
#include "cell_files.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cell_text.h"

void cell_file_stem(const Cell *cell, char *buf, size_t size) {
    snprintf(buf, size, "cell%02d_%s", cell->number, cell->name);
}

const char *cell_c_source(const Cell *cell) {
    char stem[128];
    cell_file_stem(cell, stem, sizeof stem);
    const char *source = cell_text_c_source(stem);
    return source ? source : "(the C source of this cell is not embedded in this build)\n";
}

typedef struct {
    const char *start;
    size_t len;
} Line;

static bool starts_with(const Line *l, const char *prefix) {
    size_t n = strlen(prefix);
    return l->len >= n && memcmp(l->start, prefix, n) == 0;
}

static bool is_blank_line(const Line *l) {
    for (size_t i = 0; i < l->len; i++)
        if (!isspace((unsigned char)l->start[i])) return false;
    return true;
}

/* a function's head at column 0: "static int cell07_run(Run *run) {" */
static bool is_function_head(const Line *l) {
    return l->len > 3 && isalpha((unsigned char)l->start[0]) && memcmp(l->start + l->len - 3, ") {", 3) == 0;
}

#define MAX_LINES 4096

void cell_c_statements(StrBuf *out, const Cell *cell) {
    static Line lines[MAX_LINES];
    size_t n = 0;
    for (const char *s = cell_c_source(cell); *s && n < MAX_LINES;) {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);
        lines[n++] = (Line){s, len};
        s += len + (nl ? 1 : 0);
    }
    /* keep: not an include, not inside the registration */
    size_t kept = 0, functions = 0, head = 0;
    bool in_registration = false;
    for (size_t i = 0; i < n; i++) {
        if (starts_with(&lines[i], "const Cell ")) in_registration = true;
        bool drop = in_registration || starts_with(&lines[i], "#include");
        if (in_registration && starts_with(&lines[i], "};")) in_registration = false;
        if (drop) continue;
        if (is_function_head(&lines[i])) {
            functions++;
            head = kept;
        }
        lines[kept++] = lines[i];
    }
    size_t from = 0, to = kept, indent = 0;
    if (functions == 1 && strstr(lines[head].start, "_run(Run *run) {") &&
        (size_t)(strstr(lines[head].start, "_run(Run *run) {") - lines[head].start) < lines[head].len) {
        from = head + 1;
        to = from;
        while (to < kept && !starts_with(&lines[to], "}")) to++;
        if (to > from && strstr(lines[to - 1].start, "return cell_status(run);") &&
            (size_t)(strstr(lines[to - 1].start, "return cell_status(run);") - lines[to - 1].start) < lines[to - 1].len)
            to--;
        indent = 4;
    }
    /* no blank lines at either end, nor two in a row */
    while (from < to && is_blank_line(&lines[from])) from++;
    while (to > from && is_blank_line(&lines[to - 1])) to--;
    bool last_blank = false;
    for (size_t i = from; i < to; i++) {
        bool blank = is_blank_line(&lines[i]);
        if (blank && last_blank) continue;
        last_blank = blank;
        size_t skip = 0;
        while (skip < indent && skip < lines[i].len && lines[i].start[skip] == ' ') skip++;
        nb_strbuf_append_len(out, lines[i].start + skip, blank ? 0 : lines[i].len - skip);
        nb_strbuf_append_char(out, '\n');
    }
}

bool cell_narrative_repeats_title(const Cell *cell) {
    const char *s = cell->narrative;
    s += strspn(s, " \t\n");
    size_t len = strcspn(s, "\n");
    while (len > 0 && strchr("#*_ ", *s)) {
        s++;
        len--;
    }
    while (len > 0 && strchr("#*_ \t", s[len - 1])) len--;
    return len > 0 && strlen(cell->title) == len && strncasecmp(s, cell->title, len) == 0;
}

/* The cell's body when its C is one run function over the vocabulary; NULL
 * (use the whole file) when it has parameters or helpers of its own. */
char *cell_c_body(const Cell *cell, const char *source) {
    if (cell->nparams > 0) return NULL;
    int functions = 0;
    for (const char *p = source; (p = strstr(p, "static ")); p++)
        if (p == source || p[-1] == '\n') functions++;
    const char *start = strstr(source, "(Run *run) {\n");
    const char *end = strstr(source, "\n}\n");
    if (functions != 1 || !start || !end || end < start) return NULL;
    start += strlen("(Run *run) {\n");
    StrBuf body = STRBUF_INIT;
    for (const char *line = start; line <= end;) {
        const char *eol = strchr(line, '\n');
        if (!eol || eol > end) eol = end;
        size_t len = (size_t)(eol - line);
        if (len >= 4 && strncmp(line, "    ", 4) == 0) {
            line += 4;
            len -= 4;
        }
        nb_strbuf_append_len(&body, line, len);
        nb_strbuf_append_char(&body, '\n');
        line = eol + 1;
    }
    if (!body.data) nb_strbuf_append(&body, "");
    return body.data;
}
