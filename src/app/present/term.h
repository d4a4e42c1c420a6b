/* term: what the presentation commands (show, lesson) need to know about
 * the terminal they write to: whether to colour, how wide it is, how wide
 * a piece of UTF-8 text looks, and the few ANSI styles they use. */
#ifndef NB_TERM_H
#define NB_TERM_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

typedef enum { TERM_COLOR_AUTO, TERM_COLOR_ALWAYS, TERM_COLOR_NEVER } TermColorChoice;

typedef enum {
    STYLE_PLAIN,
    STYLE_TITLE,    /* the cell's header line */
    STYLE_HEADING,  /* Markdown headings */
    STYLE_STRONG,
    STYLE_EMPH,
    STYLE_CODE,     /* code spans and blocks in the narrative */
    STYLE_MATH,
    STYLE_LINK,
    STYLE_LABEL,    /* section labels: Python, C, Output */
    STYLE_DIM,      /* rules, file names, continuation marks */
    STYLE_ERROR,
} TermStyle;

/* "auto", "always" or "never" (also "yes"/"no"); false for anything else. */
bool term_parse_color(const char *text, TermColorChoice *choice);
/* Whether to colour standard output. auto colours only a terminal, and not
 * when NO_COLOR is set to a non-empty value (https://no-color.org) or TERM
 * is "dumb"; an explicit always/never wins over both. */
bool term_use_color(TermColorChoice choice);
/* Columns to lay out for: `requested` when > 0, else the terminal's width
 * when stdout is one, else $COLUMNS, else 80. */
int term_width(int requested);

/* The SGR sequence that switches the style on ("" for STYLE_PLAIN). */
const char *term_sgr(TermStyle style);
#define TERM_RESET "\033[0m"
/* Appends text in a style: wrapped in the style's SGR and a reset when
 * `color`, plain otherwise. */
void term_styled(StrBuf *out, bool color, TermStyle style, const char *text);

/* Columns `text` takes on a terminal: one per code point, none for ANSI
 * escape sequences and combining marks. (Wide CJK characters would take
 * two; none of the texts shown here has any.) */
size_t term_text_width(const char *text, size_t len);
/* Appends n copies of a UTF-8 string (a rule of '─', say). */
void term_repeat(StrBuf *out, const char *unit, size_t n);

#endif
