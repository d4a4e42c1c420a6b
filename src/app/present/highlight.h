/* highlight: Python and C source coloured for a terminal (ANSI) or marked
 * up for HTML (<span class="keyword">...), by GNU source-highlight
 * (libsource-highlight: its python.lang and c.lang, its esc.outlang and
 * htmlcss.outlang), which lives in the module nbreplay-highlight.so,
 * loaded on first use (highlight_module.h). Without the module (not built,
 * not found, $NBREPLAY_HIGHLIGHT_MODULE empty, no memory to map it) the
 * text comes back plain (escaped for HTML), so nothing else changes. */
#ifndef NB_HIGHLIGHT_H
#define NB_HIGHLIGHT_H

#include <stdbool.h>

#include "strbuf.h"

typedef enum { HIGHLIGHT_PYTHON, HIGHLIGHT_C } HighlightLanguage;
typedef enum { HIGHLIGHT_TERMINAL, HIGHLIGHT_HTML } HighlightTarget;

/* Appends `code` highlighted. On a terminal every line ends its styles, so
 * the text can be cut into lines; in HTML, the text is escaped. Returns
 * true when it was highlighted, false when the code went in plain. */
bool highlight_code(StrBuf *out, const char *code, HighlightLanguage language, HighlightTarget target);

#endif
