/* md_term: Markdown to terminal text by walking cmark's AST with
 * cmark_iter. Inline content of each block is collected first (with style
 * escapes and formulas in it) and then word-wrapped under the prefixes of
 * the blocks it sits in (quote bars, list bullets). */
#include "md_term.h"

#include <cmark.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "latex_text.h"
#include "math_spans.h"
#include "term.h"

#define MAX_NESTING 16
#define NBSP "\302\240"

/* A block that prefixes the lines inside it: a quote's bar, or a list
 * item's bullet on its first line and the bullet's width of space after. */
typedef struct {
    char first[24];
    char rest[24];
    bool first_used;
} Container;

typedef struct {
    bool ordered;
    int next;
    bool tight;
} ListState;

typedef struct {
    StrBuf *out;
    bool color;
    int width;
    const MathText *math;
    StrBuf inl; /* inline content of the current leaf block */
    TermStyle styles[MAX_NESTING];
    int nstyles;
    Container containers[MAX_NESTING];
    int ncontainers;
    ListState lists[MAX_NESTING];
    int nlists;
    bool any_block;
} Md;

/* ---- lines and prefixes ---- */

static void append_prefix(Md *md, StrBuf *line, bool blank) {
    size_t start = line->len;
    for (int i = 0; i < md->ncontainers; i++) {
        Container *c = &md->containers[i];
        const char *text = c->first_used ? c->rest : c->first;
        if (md->color && strcmp(text, "│ ") == 0)
            term_styled(line, true, STYLE_DIM, text);
        else
            nb_strbuf_append(line, text);
    }
    if (blank)
        while (line->len > start && line->data[line->len - 1] == ' ') line->data[--line->len] = '\0';
}

static void mark_prefixes_used(Md *md) {
    for (int i = 0; i < md->ncontainers; i++) md->containers[i].first_used = true;
}

static size_t prefix_width(const Md *md) {
    size_t w = 0;
    for (int i = 0; i < md->ncontainers; i++) {
        const Container *c = &md->containers[i];
        const char *text = c->first_used ? c->rest : c->first;
        w += term_text_width(text, strlen(text));
    }
    return w;
}

static void emit_blank(Md *md) {
    append_prefix(md, md->out, true);
    nb_strbuf_append_char(md->out, '\n');
}

/* One finished line: the prefixes, the line (non-breaking spaces back to
 * spaces), a newline. */
static void emit_line(Md *md, const char *text, size_t len) {
    append_prefix(md, md->out, false);
    for (size_t i = 0; i < len; i++) {
        if (i + 1 < len && memcmp(text + i, NBSP, 2) == 0) {
            nb_strbuf_append_char(md->out, ' ');
            i++;
        } else {
            nb_strbuf_append_char(md->out, text[i]);
        }
    }
    nb_strbuf_append_char(md->out, '\n');
    mark_prefixes_used(md);
}

/* Before a leaf block: a blank line after an earlier block, except between
 * the items of a tight list. */
static void begin_block(Md *md) {
    bool tight = md->nlists > 0 && md->lists[md->nlists - 1].tight;
    if (md->any_block && !tight) emit_blank(md);
    md->any_block = true;
}

/* ---- word wrapping ---- */

typedef struct {
    Md *md;
    size_t width;
    StrBuf line, word;
    size_t line_w;
    bool pending_space;
    StrBuf state;        /* style escapes in force (since the last reset) */
    StrBuf line_state;   /* ... at the start of the current line */
    StrBuf word_state;   /* ... at the start of the current word */
    size_t widest;
} Wrap;

static void wrap_end_line(Wrap *w) {
    StrBuf full = STRBUF_INIT;
    nb_strbuf_append(&full, nb_strbuf_cstr(&w->line_state));
    nb_strbuf_append(&full, nb_strbuf_cstr(&w->line));
    if (w->state.len > 0 || w->line_state.len > 0) nb_strbuf_append(&full, TERM_RESET);
    emit_line(w->md, nb_strbuf_cstr(&full), full.len);
    if (full.failed) w->md->out->failed = true;
    nb_strbuf_free(&full);
    if (w->line_w > w->widest) w->widest = w->line_w;
    nb_strbuf_clear(&w->line);
    w->line_w = 0;
    w->pending_space = false;
    nb_strbuf_clear(&w->line_state);
    nb_strbuf_append(&w->line_state, nb_strbuf_cstr(&w->word_state));
}

static void wrap_flush_word(Wrap *w) {
    if (w->word.len == 0) return;
    size_t ww = term_text_width(w->word.data, w->word.len);
    if (w->line_w > 0 && w->line_w + (w->pending_space ? 1 : 0) + ww > w->width) {
        wrap_end_line(w);
    } else if (w->pending_space && w->line_w > 0) {
        nb_strbuf_append_char(&w->line, ' ');
        w->line_w++;
    }
    nb_strbuf_append_len(&w->line, w->word.data, w->word.len);
    w->line_w += ww;
    w->pending_space = false;
    nb_strbuf_clear(&w->word);
}

/* Emits `text` (style escapes, spaces, '\n' for hard breaks) wrapped to
 * the width left after the prefixes; returns the widest line's width. */
static size_t emit_wrapped(Md *md, const char *text, size_t len) {
    size_t avail = (size_t)md->width > prefix_width(md) + 20 ? (size_t)md->width - prefix_width(md) : 20;
    Wrap w = {md, avail, STRBUF_INIT, STRBUF_INIT, 0, false, STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, 0};
    for (size_t i = 0; i < len;) {
        if (w.word.len == 0) {
            nb_strbuf_clear(&w.word_state);
            nb_strbuf_append(&w.word_state, nb_strbuf_cstr(&w.state));
        }
        if (text[i] == '\033') {
            size_t j = i + 1;
            while (j < len && !(text[j] >= 0x40 && text[j] <= 0x7E && text[j] != '[')) j++;
            j = j < len ? j + 1 : len;
            nb_strbuf_append_len(&w.word, text + i, j - i);
            if (j - i == strlen(TERM_RESET) && memcmp(text + i, TERM_RESET, j - i) == 0)
                nb_strbuf_clear(&w.state);
            else
                nb_strbuf_append_len(&w.state, text + i, j - i);
            i = j;
        } else if (text[i] == ' ') {
            wrap_flush_word(&w);
            if (w.line_w > 0) w.pending_space = true;
            i++;
        } else if (text[i] == '\n') {
            wrap_flush_word(&w);
            nb_strbuf_clear(&w.word_state);
            nb_strbuf_append(&w.word_state, nb_strbuf_cstr(&w.state));
            wrap_end_line(&w);
            i++;
        } else {
            nb_strbuf_append_char(&w.word, text[i++]);
        }
    }
    wrap_flush_word(&w);
    nb_strbuf_clear(&w.word_state);
    nb_strbuf_append(&w.word_state, nb_strbuf_cstr(&w.state));
    if (w.line_w > 0 || w.line.len > 0) wrap_end_line(&w);
    if (w.line.failed || w.word.failed || w.state.failed || w.line_state.failed || w.word_state.failed)
        md->out->failed = true;
    nb_strbuf_free(&w.line);
    nb_strbuf_free(&w.word);
    nb_strbuf_free(&w.state);
    nb_strbuf_free(&w.line_state);
    nb_strbuf_free(&w.word_state);
    return w.widest;
}

static bool is_blank(const StrBuf *sb) {
    for (size_t i = 0; i < sb->len; i++)
        if (sb->data[i] != ' ' && sb->data[i] != '\n') return false;
    return true;
}

/* Emits the inline content gathered so far, if any. */
static size_t flush_inline(Md *md) {
    size_t widest = 0;
    if (!is_blank(&md->inl)) widest = emit_wrapped(md, md->inl.data, md->inl.len);
    nb_strbuf_clear(&md->inl);
    return widest;
}

/* ---- inline styles ---- */

static void push_style(Md *md, TermStyle style) {
    if (md->nstyles < MAX_NESTING) md->styles[md->nstyles++] = style;
    if (md->color) nb_strbuf_append(&md->inl, term_sgr(style));
}

static void pop_style(Md *md) {
    if (md->nstyles > 0) md->nstyles--;
    if (!md->color) return;
    nb_strbuf_append(&md->inl, TERM_RESET);
    for (int i = 0; i < md->nstyles; i++) nb_strbuf_append(&md->inl, term_sgr(md->styles[i]));
}

/* ---- formulas ---- */

static void inline_math(Md *md, const MathSpan *span) {
    StrBuf text = STRBUF_INIT;
    latex_to_text(&text, span->tex, span->len);
    push_style(md, STYLE_MATH);
    /* a formula is not broken across lines */
    for (const char *c = nb_strbuf_cstr(&text); *c; c++)
        if (*c == ' ' || *c == '\n')
            nb_strbuf_append(&md->inl, NBSP);
        else
            nb_strbuf_append_char(&md->inl, *c);
    pop_style(md);
    if (text.failed) md->out->failed = true;
    nb_strbuf_free(&text);
}

/* Display math: on lines of its own, indented, each line of the formula
 * (\\ breaks) one line. */
static void display_math(Md *md, const MathSpan *span) {
    flush_inline(md);
    StrBuf text = STRBUF_INIT, line = STRBUF_INIT;
    latex_to_text(&text, span->tex, span->len);
    const char *s = nb_strbuf_cstr(&text);
    while (*s) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        nb_strbuf_clear(&line);
        nb_strbuf_append(&line, "    ");
        if (md->color) nb_strbuf_append(&line, term_sgr(STYLE_MATH));
        nb_strbuf_append_len(&line, s, n);
        if (md->color) nb_strbuf_append(&line, TERM_RESET);
        emit_line(md, line.data, line.len);
        s += n + (nl ? 1 : 0);
    }
    if (text.failed || line.failed) md->out->failed = true;
    nb_strbuf_free(&text);
    nb_strbuf_free(&line);
}

static void text_node(Md *md, const char *literal) {
    for (const char *s = literal; *s;) {
        size_t len;
        long index = math_placeholder_at(md->math, s, &len);
        if (index < 0) {
            nb_strbuf_append_char(&md->inl, *s == '\n' ? ' ' : *s);
            s++;
            continue;
        }
        const MathSpan *span = &md->math->spans[index];
        if (span->display)
            display_math(md, span);
        else
            inline_math(md, span);
        s += len;
    }
}

/* ---- blocks ---- */

static void heading(Md *md, cmark_node *node, bool entering) {
    if (entering) {
        begin_block(md);
        push_style(md, STYLE_HEADING);
        return;
    }
    pop_style(md);
    size_t widest = flush_inline(md);
    int level = cmark_node_get_heading_level(node);
    if (level <= 2 && widest > 0) {
        StrBuf rule = STRBUF_INIT;
        if (md->color) nb_strbuf_append(&rule, term_sgr(STYLE_HEADING));
        term_repeat(&rule, level == 1 ? "═" : "─", widest);
        if (md->color) nb_strbuf_append(&rule, TERM_RESET);
        emit_line(md, nb_strbuf_cstr(&rule), rule.len);
        if (rule.failed) md->out->failed = true;
        nb_strbuf_free(&rule);
    }
}

static void code_block(Md *md, cmark_node *node) {
    begin_block(md);
    const char *s = cmark_node_get_literal(node);
    StrBuf line = STRBUF_INIT;
    while (s && *s) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        nb_strbuf_clear(&line);
        nb_strbuf_append(&line, "    ");
        if (md->color) nb_strbuf_append(&line, term_sgr(STYLE_CODE));
        nb_strbuf_append_len(&line, s, n);
        if (md->color) nb_strbuf_append(&line, TERM_RESET);
        emit_line(md, line.data, line.len);
        s += n + (nl ? 1 : 0);
    }
    if (line.failed) md->out->failed = true;
    nb_strbuf_free(&line);
}

static void push_container(Md *md, const char *first, const char *rest) {
    if (md->ncontainers == MAX_NESTING) return;
    Container *c = &md->containers[md->ncontainers++];
    snprintf(c->first, sizeof c->first, "%s", first);
    snprintf(c->rest, sizeof c->rest, "%s", rest);
    c->first_used = false;
}

static void list_item(Md *md, bool entering) {
    if (!entering) {
        if (md->ncontainers > 0) md->ncontainers--;
        return;
    }
    char bullet[24], pad[24];
    if (md->nlists > 0 && md->lists[md->nlists - 1].ordered) {
        snprintf(bullet, sizeof bullet, "%d. ", md->lists[md->nlists - 1].next++);
    } else {
        snprintf(bullet, sizeof bullet, "%s", md->nlists > 1 ? "◦ " : "• ");
    }
    size_t w = term_text_width(bullet, strlen(bullet));
    memset(pad, ' ', w);
    pad[w] = '\0';
    push_container(md, bullet, pad);
}

static void node_event(Md *md, cmark_node *node, cmark_event_type ev) {
    bool entering = ev == CMARK_EVENT_ENTER;
    switch (cmark_node_get_type(node)) {
    case CMARK_NODE_PARAGRAPH:
        if (entering)
            begin_block(md);
        else
            flush_inline(md);
        break;
    case CMARK_NODE_HEADING: heading(md, node, entering); break;
    case CMARK_NODE_CODE_BLOCK: code_block(md, node); break;
    case CMARK_NODE_HTML_BLOCK:
        begin_block(md);
        text_node(md, cmark_node_get_literal(node));
        flush_inline(md);
        break;
    case CMARK_NODE_THEMATIC_BREAK: {
        begin_block(md);
        StrBuf rule = STRBUF_INIT;
        term_repeat(&rule, "─", 40);
        term_styled(&md->inl, md->color, STYLE_DIM, nb_strbuf_cstr(&rule));
        nb_strbuf_free(&rule);
        flush_inline(md);
        break;
    }
    case CMARK_NODE_BLOCK_QUOTE:
        if (entering)
            push_container(md, "│ ", "│ ");
        else if (md->ncontainers > 0)
            md->ncontainers--;
        break;
    case CMARK_NODE_LIST:
        if (entering && md->nlists < MAX_NESTING) {
            md->lists[md->nlists++] = (ListState){
                cmark_node_get_list_type(node) == CMARK_ORDERED_LIST,
                cmark_node_get_list_start(node), cmark_node_get_list_tight(node) != 0};
        } else if (!entering && md->nlists > 0) {
            md->nlists--;
        }
        break;
    case CMARK_NODE_ITEM: list_item(md, entering); break;
    case CMARK_NODE_TEXT:
    case CMARK_NODE_HTML_INLINE: text_node(md, cmark_node_get_literal(node)); break;
    case CMARK_NODE_SOFTBREAK: nb_strbuf_append_char(&md->inl, ' '); break;
    case CMARK_NODE_LINEBREAK: nb_strbuf_append_char(&md->inl, '\n'); break;
    case CMARK_NODE_CODE:
        if (md->color) {
            push_style(md, STYLE_CODE);
            nb_strbuf_append(&md->inl, cmark_node_get_literal(node));
            pop_style(md);
        } else {
            nb_strbuf_printf(&md->inl, "`%s`", cmark_node_get_literal(node));
        }
        break;
    case CMARK_NODE_EMPH:
        if (entering) push_style(md, STYLE_EMPH);
        else pop_style(md);
        break;
    case CMARK_NODE_STRONG:
        if (entering) push_style(md, STYLE_STRONG);
        else pop_style(md);
        break;
    case CMARK_NODE_LINK:
        if (entering) {
            push_style(md, STYLE_LINK);
        } else {
            pop_style(md);
            const char *url = cmark_node_get_url(node);
            if (url && *url) {
                nb_strbuf_append(&md->inl, " ");
                push_style(md, STYLE_DIM);
                nb_strbuf_printf(&md->inl, "<%s>", url);
                pop_style(md);
            }
        }
        break;
    case CMARK_NODE_IMAGE: nb_strbuf_append(&md->inl, entering ? "[image: " : "]"); break;
    default: break;
    }
}

int md_term_render(StrBuf *out, const char *markdown, bool color, int width) {
    MathText math;
    if (math_extract(markdown, &math) != 0) return -1;
    cmark_node *doc = cmark_parse_document(nb_strbuf_cstr(&math.markdown), math.markdown.len,
                                           CMARK_OPT_DEFAULT);
    cmark_iter *iter = doc ? cmark_iter_new(doc) : NULL;
    if (!iter) {
        if (doc) cmark_node_free(doc);
        math_text_free(&math);
        return nb_error_nomem();
    }
    Md md = {.out = out, .color = color, .width = width < 20 ? 20 : width, .math = &math,
             .inl = STRBUF_INIT};
    cmark_event_type ev;
    while ((ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE)
        node_event(&md, cmark_iter_get_node(iter), ev);
    bool failed = md.inl.failed || out->failed;
    nb_strbuf_free(&md.inl);
    cmark_iter_free(iter);
    cmark_node_free(doc);
    math_text_free(&math);
    return failed ? nb_error_nomem() : 0;
}
