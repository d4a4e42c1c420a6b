/* cell_page: the page of one cell for show and lesson (see cell_page.h). */
#include "cell_page.h"

#include <stdio.h>
#include <string.h>

#include "error.h"
#include "cell_files.h"
#include "highlight.h"
#include "md_term.h"
#include "term.h"

#define COLUMN_GAP " │ "
#define COLUMN_GAP_WIDTH 3
#define TAB_WIDTH 4

/* "━━━ In [7] · bmm · Batch matrix multiplication ━━━━…" across the width. */
static void title(StrBuf *out, const Cell *cell, const CellPageOptions *o) {
    char text[256];
    /* the narrative's own heading says the title: not twice */
    bool repeat = cell_narrative_repeats_title(cell);
    if (cell->number > 0 && repeat)
        snprintf(text, sizeof text, " In [%d] · %s ", cell->number, cell->name);
    else if (cell->number > 0)
        snprintf(text, sizeof text, " In [%d] · %s · %s ", cell->number, cell->name, cell->title);
    else if (repeat)
        snprintf(text, sizeof text, " In [%s] ", cell->name);
    else
        snprintf(text, sizeof text, " In [%s] · %s ", cell->name, cell->title);
    size_t w = term_text_width(text, strlen(text)) + 3;
    StrBuf rule = STRBUF_INIT;
    term_repeat(&rule, "━", (size_t)o->width > w ? (size_t)o->width - w : 3);
    term_styled(out, o->color, STYLE_DIM, "━━━");
    term_styled(out, o->color, STYLE_HEADING, text);
    term_styled(out, o->color, STYLE_DIM, nb_strbuf_cstr(&rule));
    nb_strbuf_append_char(out, '\n');
    if (rule.failed) out->failed = true;
    nb_strbuf_free(&rule);
}

/* "── Python  cells/cell07_bmm.py ────…" filling `width` columns. */
static void section_label(StrBuf *out, bool color, const char *label, const char *detail,
                          size_t width) {
    size_t used = 3 + term_text_width(label, strlen(label)) + (detail ? 2 + strlen(detail) : 0) + 1;
    term_styled(out, color, STYLE_DIM, "── ");
    term_styled(out, color, STYLE_LABEL, label);
    if (detail) {
        nb_strbuf_append(out, "  ");
        term_styled(out, color, STYLE_DIM, detail);
    }
    nb_strbuf_append_char(out, ' ');
    StrBuf rule = STRBUF_INIT;
    term_repeat(&rule, "─", width > used ? width - used : 2);
    term_styled(out, color, STYLE_DIM, nb_strbuf_cstr(&rule));
    if (rule.failed) out->failed = true;
    nb_strbuf_free(&rule);
}

/* Length of the ANSI escape sequence at p (0 when there is none). */
static size_t escape_length(const char *p) {
    if (p[0] != '\033' || p[1] != '[') return 0;
    size_t n = 2;
    while (p[n] && !(p[n] >= 0x40 && p[n] <= 0x7E)) n++;
    return p[n] ? n + 1 : n;
}

/* The rows of a code column: each source line (highlighted when colour is
 * on), tabs expanded, cut into pieces of at most `width` columns; pieces
 * after the first begin with a continuation mark, and a style cut in two is
 * ended and taken up again. Rows are separated by '\n'. */
static void column_rows(StrBuf *rows, const char *code, HighlightLanguage language, size_t width,
                        bool color) {
    StrBuf coloured = STRBUF_INIT;
    if (color) {
        highlight_code(&coloured, code, language, HIGHLIGHT_TERMINAL);
        code = nb_strbuf_cstr(&coloured);
    }
    const char *s = code;
    StrBuf line = STRBUF_INIT;
    char style[32] = "";
    while (*s) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        nb_strbuf_clear(&line);
        for (size_t i = 0; i < n; i++) {
            if (s[i] == '\t')
                nb_strbuf_repeat(&line, ' ', TAB_WIDTH - term_text_width(line.data, line.len) % TAB_WIDTH);
            else
                nb_strbuf_append_char(&line, s[i]);
        }
        const char *p = nb_strbuf_cstr(&line);
        bool first = true;
        do {
            size_t avail = first ? width : width - 2, taken = 0, w = 0;
            char carried[sizeof style]; /* the style in force where this piece begins */
            memcpy(carried, style, sizeof style);
            while (p[taken] && w < avail) {
                size_t esc = escape_length(p + taken);
                if (esc > 0) {
                    if (esc < sizeof style) snprintf(style, sizeof style, "%.*s", (int)esc, p + taken);
                    taken += esc;
                    continue;
                }
                taken++;
                while ((p[taken] & 0xC0) == 0x80) taken++;
                w++;
            }
            /* escapes right at the cut belong to the next piece's text */
            if (!first) {
                term_styled(rows, color, STYLE_DIM, "↪ ");
                if (carried[0] && strcmp(carried, "\033[m") != 0 && strcmp(carried, TERM_RESET) != 0)
                    nb_strbuf_append(rows, carried);
            }
            nb_strbuf_append_len(rows, p, taken);
            if (color && p[taken]) nb_strbuf_append(rows, TERM_RESET);
            nb_strbuf_append_char(rows, '\n');
            p += taken;
            first = false;
        } while (*p);
        s += n + (nl ? 1 : 0);
        style[0] = '\0';
    }
    if (line.failed || coloured.failed) rows->failed = true;
    nb_strbuf_free(&line);
    nb_strbuf_free(&coloured);
}

/* The next row of a column (without its '\n'), advancing *cursor; "" once
 * the column has run out. */
static const char *next_row(const char **cursor, size_t *len) {
    const char *row = *cursor;
    const char *nl = strchr(row, '\n');
    *len = nl ? (size_t)(nl - row) : strlen(row);
    *cursor = row + *len + (nl ? 1 : 0);
    return row;
}

static void side_by_side(StrBuf *out, const Cell *cell, const char *c_source, const char *stem,
                         const CellPageOptions *o) {
    size_t left = ((size_t)o->width - COLUMN_GAP_WIDTH) / 2;
    size_t right = (size_t)o->width - COLUMN_GAP_WIDTH - left;
    char py_name[300], c_name[300];
    snprintf(py_name, sizeof py_name, "%s.py", stem);
    snprintf(c_name, sizeof c_name, "%s.c", stem);
    StrBuf lrows = STRBUF_INIT, rrows = STRBUF_INIT;
    section_label(&lrows, o->color, "Python", py_name, left);
    nb_strbuf_append_char(&lrows, '\n');
    column_rows(&lrows, cell->python, HIGHLIGHT_PYTHON, left, o->color);
    section_label(&rrows, o->color, "C", c_name, right);
    nb_strbuf_append_char(&rrows, '\n');
    column_rows(&rrows, c_source, HIGHLIGHT_C, right, o->color);
    const char *lc = nb_strbuf_cstr(&lrows), *rc = nb_strbuf_cstr(&rrows);
    while (*lc || *rc) {
        size_t ln, rn;
        const char *l = next_row(&lc, &ln), *r = next_row(&rc, &rn);
        nb_strbuf_append_len(out, l, ln);
        size_t lw = term_text_width(l, ln);
        nb_strbuf_repeat(out, ' ', left > lw ? left - lw : 0);
        term_styled(out, o->color, STYLE_DIM, COLUMN_GAP);
        nb_strbuf_append_len(out, r, rn);
        while (out->len > 0 && out->data[out->len - 1] == ' ') out->data[--out->len] = '\0';
        nb_strbuf_append_char(out, '\n');
    }
    if (lrows.failed || rrows.failed) out->failed = true;
    nb_strbuf_free(&lrows);
    nb_strbuf_free(&rrows);
}

static void stacked(StrBuf *out, const Cell *cell, const char *c_source, const char *stem,
                    const CellPageOptions *o) {
    char name[300];
    snprintf(name, sizeof name, "%s.py", stem);
    section_label(out, o->color, "Python", name, (size_t)o->width);
    nb_strbuf_append_char(out, '\n');
    column_rows(out, cell->python, HIGHLIGHT_PYTHON, (size_t)o->width, o->color);
    nb_strbuf_append_char(out, '\n');
    snprintf(name, sizeof name, "%s.c", stem);
    section_label(out, o->color, "C", name, (size_t)o->width);
    nb_strbuf_append_char(out, '\n');
    column_rows(out, c_source, HIGHLIGHT_C, (size_t)o->width, o->color);
}

static bool blank(const char *text) {
    return text[strspn(text, " \t\n")] == '\0';
}

int cell_page_render(StrBuf *out, const Cell *cell, const CellPageOptions *o) {
    char file_stem[128], stem[160], run_label[256];
    cell_file_stem(cell, file_stem, sizeof file_stem);
    snprintf(stem, sizeof stem, "cells/%s", file_stem);
    /* the statements: the #includes and the registration are boilerplate */
    StrBuf c_text = STRBUF_INIT;
    cell_c_statements(&c_text, cell);
    const char *c_source = nb_strbuf_cstr(&c_text);

    title(out, cell, o);
    nb_strbuf_append_char(out, '\n');
    if (!blank(cell->narrative)) {
        /* prose reads best at a measure of its own, even on a wide terminal */
        int measure = o->width < CELL_PAGE_MEASURE ? o->width : CELL_PAGE_MEASURE;
        if (md_term_render(out, cell->narrative, o->color, measure) != 0) {
            nb_strbuf_free(&c_text);
            return -1;
        }
        nb_strbuf_append_char(out, '\n');
    }
    if (o->width >= CELL_PAGE_SIDE_BY_SIDE)
        side_by_side(out, cell, c_source, stem, o);
    else
        stacked(out, cell, c_source, stem, o);
    nb_strbuf_append_char(out, '\n');
    if (c_text.failed) out->failed = true;
    nb_strbuf_free(&c_text);

    /* the command that prints the same, --param values included */
    int used = snprintf(run_label, sizeof run_label, "nbreplay run %s --seed %u", cell->name, (unsigned)o->seed);
    for (int k = 0; k < o->nparams && used > 0 && (size_t)used < sizeof run_label; k++)
        used += snprintf(run_label + used, sizeof run_label - (size_t)used, " --param %s=%s", o->params[k].name,
                         o->params[k].value);
    section_label(out, o->color, "Output", run_label, (size_t)o->width);
    nb_strbuf_append_char(out, '\n');
    RunOptions run_options = {.seed = o->seed, .device = o->device, .params = o->params,
                              .nparams = o->nparams};
    int status = 0;
    if (run_cell(cell, &run_options, out) != 0) {
        if (nb_error_kind() == ERR_NOMEM) return -1;
        StrBuf line = STRBUF_INIT;
        nb_strbuf_printf(&line, "error: %s", nb_error_message());
        term_styled(out, o->color, STYLE_ERROR, nb_strbuf_cstr(&line));
        nb_strbuf_append_char(out, '\n');
        nb_strbuf_free(&line);
        nb_error_clear();
        status = 1;
    }
    if (out->failed) return nb_error_nomem();
    return status;
}
