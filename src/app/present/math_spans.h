/* math_spans: takes the mathematics ($...$ and $$...$$) out of a Markdown
 * narrative before a Markdown parser sees it, as Jupyter does, so that
 * `_`, `*` and `\` inside formulas are not read as emphasis or escapes.
 * Each formula is replaced by a placeholder (the bytes STX, the formula's
 * index in decimal, ETX) that a renderer swaps back: for the terminal as
 * text (latex_text.h), for HTML as the original $...$ for KaTeX.
 *
 * What counts as a formula: $$ opens display math up to the next $$;
 * a single $ opens inline math up to the next $ in the same paragraph (no
 * blank line or code fence between); \$ is a dollar sign. Code spans
 * (`...`) and fenced code blocks are left alone. */
#ifndef NB_MATH_SPANS_H
#define NB_MATH_SPANS_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

#define MATH_PLACEHOLDER_OPEN '\002'
#define MATH_PLACEHOLDER_CLOSE '\003'

typedef struct MathSpan {
    const char *tex; /* points into the original Markdown, between the dollars */
    size_t len;
    bool display;    /* $$...$$ */
} MathSpan;

typedef struct MathText {
    StrBuf markdown; /* the Markdown with placeholders */
    MathSpan *spans;
    size_t nspans;
} MathText;

/* Returns 0, or -1 out of memory (error.h set). `markdown` must outlive
 * the result, whose spans point into it. */
int math_extract(const char *markdown, MathText *out);
void math_text_free(MathText *text);

/* When s starts with a placeholder for a span of `text`, its index, and
 * *len its length in bytes; else -1. */
long math_placeholder_at(const MathText *text, const char *s, size_t *len);

#endif
