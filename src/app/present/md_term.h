/* md_term: a cell's narrative (Markdown with LaTeX mathematics) rendered
 * for a terminal: headings underlined, emphasis, code and mathematics
 * styled when colour is on, paragraphs wrapped to the width, lists, quotes,
 * and formulas as readable text (latex_text.h). The Markdown is parsed by
 * cmark and rendered from its AST, never by hand. */
#ifndef NB_MD_TERM_H
#define NB_MD_TERM_H

#include <stdbool.h>

#include "strbuf.h"

/* Appends the rendering of `markdown` to out, wrapped to `width` columns
 * (at least 20 are used). Returns 0, or -1 out of memory (error.h set). */
int md_term_render(StrBuf *out, const char *markdown, bool color, int width);

#endif
