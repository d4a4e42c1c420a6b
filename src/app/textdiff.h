/* textdiff: unified diffs between two texts, line by line, in the form
 * `diff -u` prints (hunks with 3 lines of context, "\ No newline at end of
 * file"), where the caller decides which lines count as equal. verify uses
 * it to show how a cell's output drifted from its golden, with golden lines
 * that are patterns equal to any line they match. */
#ifndef NB_TEXTDIFF_H
#define NB_TEXTDIFF_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

/* Lines of context around each change, as diff -u. */
#define TEXTDIFF_CONTEXT 3
/* A diff longer than this many lines is cut, ending in "(diff truncated)". */
#define TEXTDIFF_MAX_OUTPUT_LINES 2000
/* Past this many differing lines (after the common start and end are set
 * aside) the minimal diff is not searched for: the differing middle is shown
 * as one hunk, all of it removed and then added. Keeps time and memory
 * bounded when an output is nothing like its golden. */
#define TEXTDIFF_MAX_MIDDLE_LINES 20000
#define TEXTDIFF_MAX_EDITS 1000

/* One line, without its '\n'. */
typedef struct TextLine {
    const char *text;
    size_t len;
} TextLine;

typedef struct TextDiffSide {
    const char *label;      /* shown after "--- " (old) or "+++ " (new) */
    const TextLine *lines;
    size_t nlines;
    bool final_newline;     /* false: the last line has no '\n' after it */
} TextDiffSide;

/* Whether old line `old_index` and new line `new_index` are the same. */
typedef bool (*TextLineEqual)(void *ctx, size_t old_index, size_t new_index);

/* Splits text into lines as diff does: a final '\n' ends the last line
 * rather than starting an empty one, so "" has no lines and "a\n" one.
 * *lines (nb_malloc'd, NULL when there are none) points into text.
 * Returns 0, or -1 out of memory (error.h set). */
int textdiff_split(const char *text, size_t len, TextLine **lines, size_t *nlines,
                   bool *final_newline);

/* Appends to `out` the unified diff from old to new. `equal` NULL compares
 * bytes. A line that lacks its '\n' never equals one that has it, as in
 * diff. Context lines are shown as the new side has them (they differ from
 * the old side's only when `equal` is looser than byte equality).
 * Returns 1 when the sides differ (diff appended), 0 when every line is
 * equal (nothing appended), -1 out of memory (error.h set). */
int textdiff_unified(StrBuf *out, const TextDiffSide *old_side, const TextDiffSide *new_side,
                     TextLineEqual equal, void *ctx);

/* Appends text as a terminal may show it: valid UTF-8, newlines and tabs
 * as they are; a byte that is not part of valid UTF-8, a control
 * character (ESC and the rest, which could drive the terminal) and DEL as
 * \xNN. For text from files (goldens) echoed in reports. */
void textdiff_append_printable(StrBuf *out, const char *text, size_t len);

#endif
