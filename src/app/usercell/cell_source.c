/* cell_source: wrapping a user's cell for the compiler. */
#define _GNU_SOURCE /* memmem */
#include "cell_source.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const char *skip_space(const char *p) {
    while (isspace((unsigned char)*p)) p++;
    return p;
}

static size_t ident_len(const char *p) {
    size_t n = 0;
    if (!(isalpha((unsigned char)p[0]) || p[0] == '_')) return 0;
    while (isalnum((unsigned char)p[n]) || p[n] == '_') n++;
    return n;
}

/* The NAME of `const Cell NAME =`, or 0 when the file defines no cell. */
static size_t find_cell_definition(const char *text, char *name, size_t size) {
    for (const char *p = strstr(text, "const Cell"); p; p = strstr(p + 1, "const Cell")) {
        if (p > text && (isalnum((unsigned char)p[-1]) || p[-1] == '_')) continue;
        const char *q = p + strlen("const Cell");
        if (!isspace((unsigned char)*q)) continue;
        q = skip_space(q);
        size_t n = ident_len(q);
        if (n == 0 || n >= size || *skip_space(q + n) != '=') continue;
        memcpy(name, q, n);
        name[n] = '\0';
        return n;
    }
    return 0;
}

/* A whole cell names its narrative and Python, which the notebook embeds
 * (cell_text.h); a user's cell gets empty stand-ins. */
static void add_text_stand_ins(StrBuf *out, const char *text) {
    static const char *const fields[] = {".narrative", ".python"};
    for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) {
        for (const char *p = strstr(text, fields[f]); p; p = strstr(p + 1, fields[f])) {
            const char *q = skip_space(p + strlen(fields[f]));
            if (*q != '=') continue;
            q = skip_space(q + 1);
            size_t n = ident_len(q);
            if (n > 0) nb_strbuf_printf(out, "static const char %.*s[] = \"\";\n", (int)n, q);
        }
    }
}

static bool is_include_line(const char *line) {
    line = skip_space(line);
    if (*line != '#') return false;
    line = line + 1;
    while (*line == ' ' || *line == '\t') line++;
    return strncmp(line, "include", 7) == 0;
}

static bool is_cell_text_include(const char *line, size_t len) {
    return is_include_line(line) && len >= 11 &&
           memmem(line, len, "\"cell_text.h\"", 13) != NULL;
}

/* Appends `text` line by line; whole files lose their cell_text.h include,
 * bodies keep their #include lines out of the function (they were moved
 * before it), each replaced by an empty line so numbering holds. */
static void append_lines(StrBuf *out, const char *text, bool whole, bool includes_only,
                         const char *name) {
    int number = 1;
    for (const char *line = text; *line; number++) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        bool include = is_include_line(line);
        if (includes_only) {
            if (include) {
                nb_strbuf_printf(out, "#line %d \"%s\"\n", number, name);
                nb_strbuf_append_len(out, line, len);
                nb_strbuf_append_char(out, '\n');
            }
        } else if ((whole && is_cell_text_include(line, len)) || (!whole && include)) {
            nb_strbuf_append_char(out, '\n');
        } else {
            nb_strbuf_append_len(out, line, len);
            nb_strbuf_append_char(out, '\n');
        }
        if (!end) break;
        line = end + 1;
    }
}

int cell_source_build(const char *name, const char *text, CellUnit *unit) {
    *unit = (CellUnit){.text = STRBUF_INIT};
    StrBuf *out = &unit->text;
    unit->whole = find_cell_definition(text, unit->entry, sizeof unit->entry) > 0;
    nb_strbuf_append(out, "#line 1 \"<nbreplay>\"\n");
    if (unit->whole) {
        add_text_stand_ins(out, text);
        nb_strbuf_printf(out, "#line 1 \"%s\"\n", name);
        append_lines(out, text, true, false, name);
    } else {
        snprintf(unit->entry, sizeof unit->entry, "%s", CELL_SOURCE_BODY_ENTRY);
        nb_strbuf_append(out, "#include \"notebook.h\"\n");
        append_lines(out, text, false, true, name);
        nb_strbuf_append(out, "#line 1 \"<nbreplay>\"\n");
        nb_strbuf_append(out, "int " CELL_SOURCE_BODY_ENTRY "(Run *run);\n");
        nb_strbuf_append(out, "int " CELL_SOURCE_BODY_ENTRY "(Run *run) {\n");
        nb_strbuf_printf(out, "#line 1 \"%s\"\n", name);
        append_lines(out, text, false, false, name);
        /* still the user's file: an error found at its end is reported there */
        nb_strbuf_append(out, ";\nreturn cell_status(run);\n}\n");
    }
    return out->failed ? -1 : 0;
}

void cell_source_free(CellUnit *unit) { nb_strbuf_free(&unit->text); }
