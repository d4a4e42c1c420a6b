/* math_spans: formulas out of Markdown and placeholders in (see
 * math_spans.h). */
#include "math_spans.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "error.h"

static bool at_line_start(const char *start, const char *s) {
    return s == start || s[-1] == '\n';
}

/* A fence line (``` or ~~~ after up to three spaces) at s: its fence
 * character, else 0. */
static char fence_at(const char *s) {
    int indent = 0;
    while (*s == ' ' && indent < 4) s++, indent++;
    if (indent < 4 && (s[0] == '`' || s[0] == '~') && s[1] == s[0] && s[2] == s[0]) return s[0];
    return 0;
}

static const char *line_end(const char *s) {
    const char *nl = strchr(s, '\n');
    return nl ? nl + 1 : s + strlen(s);
}

/* Whether the text between s and end holds a blank line or a code fence,
 * either of which ends a paragraph and so any inline formula in it. */
static bool crosses_block(const char *s, const char *end) {
    for (const char *c = s; c < end; c++) {
        if (*c != '\n') continue;
        const char *d = c + 1;
        while (d < end && (*d == ' ' || *d == '\t')) d++;
        if ((d < end && *d == '\n') || fence_at(c + 1)) return true;
    }
    return false;
}

/* The closing delimiter of the formula opened before s: the next `close`
 * not escaped by a backslash; NULL when there is none. */
static const char *find_close(const char *s, const char *close) {
    size_t n = strlen(close);
    for (const char *c = s; *c; c++) {
        if (*c == '\\' && c[1]) {
            c++;
            continue;
        }
        if (strncmp(c, close, n) == 0) return c;
    }
    return NULL;
}

static int push_span(MathText *out, const char *tex, size_t len, bool display) {
    MathSpan *spans = nb_realloc(out->spans, (out->nspans + 1) * sizeof *spans);
    if (!spans) return nb_error_nomem();
    out->spans = spans;
    spans[out->nspans] = (MathSpan){tex, len, display};
    nb_strbuf_printf(&out->markdown, "%c%zu%c", MATH_PLACEHOLDER_OPEN, out->nspans,
                  MATH_PLACEHOLDER_CLOSE);
    out->nspans++;
    return 0;
}

int math_extract(const char *markdown, MathText *out) {
    *out = (MathText){STRBUF_INIT, NULL, 0};
    const char *s = markdown;
    char fence = 0;
    while (*s) {
        if (at_line_start(markdown, s)) {
            char f = fence_at(s);
            if (fence ? f == fence : f != 0) {
                fence = fence ? 0 : f;
                const char *end = line_end(s);
                nb_strbuf_append_len(&out->markdown, s, (size_t)(end - s));
                s = end;
                continue;
            }
            if (fence) {
                const char *end = line_end(s);
                nb_strbuf_append_len(&out->markdown, s, (size_t)(end - s));
                s = end;
                continue;
            }
        }
        if (*s == '\\' && s[1] == '$') {
            nb_strbuf_append_len(&out->markdown, s, 2);
            s += 2;
            continue;
        }
        if (*s == '`') {
            /* a code span: as many backticks close it as opened it */
            size_t ticks = strspn(s, "`");
            const char *c = s + ticks;
            const char *close = NULL;
            while ((c = strchr(c, '`')) != NULL) {
                size_t run = strspn(c, "`");
                if (run == ticks) {
                    close = c;
                    break;
                }
                c += run;
            }
            const char *end = close ? close + ticks : s + ticks;
            nb_strbuf_append_len(&out->markdown, s, (size_t)(end - s));
            s = end;
            continue;
        }
        if (*s == '$') {
            bool display = s[1] == '$';
            const char *tex = s + (display ? 2 : 1);
            const char *close = find_close(tex, display ? "$$" : "$");
            if (close && close > tex && (display || !crosses_block(tex, close))) {
                if (push_span(out, tex, (size_t)(close - tex), display) != 0) {
                    math_text_free(out);
                    return -1;
                }
                s = close + (display ? 2 : 1);
                continue;
            }
        }
        nb_strbuf_append_char(&out->markdown, *s++);
    }
    if (out->markdown.failed) {
        math_text_free(out);
        return nb_error_nomem();
    }
    return 0;
}

void math_text_free(MathText *text) {
    nb_strbuf_free(&text->markdown);
    nb_free(text->spans);
    *text = (MathText){STRBUF_INIT, NULL, 0};
}

long math_placeholder_at(const MathText *text, const char *s, size_t *len) {
    if (*s != MATH_PLACEHOLDER_OPEN) return -1;
    char *end;
    unsigned long index = strtoul(s + 1, &end, 10);
    if (end == s + 1 || *end != MATH_PLACEHOLDER_CLOSE || index >= text->nspans) return -1;
    *len = (size_t)(end + 1 - s);
    return (long)index;
}
