/* latex_text: the LaTeX of a narrative's mathematics ($...$, $$...$$) as
 * readable plain text for a terminal: \frac{a}{b} and {a \over b} become
 * a/b (with parentheses where needed), \partial ∂, \mathbb{R} ℝ, Greek
 * letters themselves, x^2 x², x_i xᵢ, and \lim_{h\rightarrow 0}
 * lim_{h→0} (a script that has no Unicode form keeps its braces). Spacing
 * follows TeX's rules for atom classes (relations and binary operators get
 * spaces, scripts none), so source spacing does not matter. It is a
 * translator for reading, driven by tables of commands, not a typesetter:
 * unknown commands are kept as written (\foo). */
#ifndef NB_LATEX_TEXT_H
#define NB_LATEX_TEXT_H

#include <stddef.h>

#include "strbuf.h"

/* Appends the text for tex[0..len) to out; a LaTeX line break (\\) becomes
 * '\n'. Out of memory shows as out->failed. */
void latex_to_text(StrBuf *out, const char *tex, size_t len);

#endif
