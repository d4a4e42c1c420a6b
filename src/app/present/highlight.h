/* highlight: Python and C source coloured for a terminal (ANSI) or marked
 * up for HTML (<span class="keyword">...), by GNU source-highlight
 * (libsource-highlight: its python.lang and c.lang, its esc.outlang and
 * htmlcss.outlang). Built without it, the text comes back plain (escaped
 * for HTML), so nothing else changes. */
#ifndef NB_HIGHLIGHT_H
#define NB_HIGHLIGHT_H

#include <stdbool.h>

#include "strbuf.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { HIGHLIGHT_PYTHON, HIGHLIGHT_C } HighlightLanguage;
typedef enum { HIGHLIGHT_TERMINAL, HIGHLIGHT_HTML } HighlightTarget;

/* Appends `code` highlighted. On a terminal every line ends its styles, so
 * the text can be cut into lines; in HTML, the text is escaped. Returns
 * true when it was highlighted, false when the code went in plain (no
 * library, or the library failed). */
bool highlight_code(StrBuf *out, const char *code, HighlightLanguage language, HighlightTarget target);

#ifdef __cplusplus
}
#endif

#endif
