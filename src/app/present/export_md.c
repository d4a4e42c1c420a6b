/* export_md: the notebook as one Markdown file: each cell's narrative as
 * written (its LaTeX left for the reader's renderer, as Jupyter and GitHub
 * read $...$), its Python in a fenced block under "In [n]:" ("In [name]:"
 * for a cell of our own, as `nbreplay run` heads it), and what nbreplay
 * printed in a fenced text block. */
#include "export.h"

#include <string.h>

#include "error.h"

#ifndef NBREPLAY_VERSION
#define NBREPLAY_VERSION "unknown"
#endif

/* A fence longer than any run of backticks in the text, so the text
 * cannot close it. */
static size_t fence_length(const char *text) {
    size_t longest = 0, run = 0;
    for (const char *c = text; *c; c++) {
        run = *c == '`' ? run + 1 : 0;
        if (run > longest) longest = run;
    }
    return longest >= 3 ? longest + 1 : 3;
}

static void fenced(StrBuf *out, const char *info, const char *text) {
    size_t fence = fence_length(text), len = strlen(text);
    nb_strbuf_repeat(out, '`', fence);
    nb_strbuf_printf(out, "%s\n", info);
    nb_strbuf_append(out, text);
    if (len > 0 && text[len - 1] != '\n') nb_strbuf_append_char(out, '\n');
    nb_strbuf_repeat(out, '`', fence);
    nb_strbuf_append(out, "\n\n");
}

int export_markdown(StrBuf *out, const ExportDoc *doc) {
    nb_strbuf_printf(out,
                  "<!-- The PyTorch tutorial notebook as replayed by nbreplay %s (seed %u): "
                  "every output below was printed by its C replay. -->\n\n",
                  NBREPLAY_VERSION, (unsigned)doc->seed);
    for (size_t i = 0; i < doc->ncells; i++) {
        const ExportCell *ec = &doc->cells[i];
        const char *narrative = ec->cell->narrative;
        size_t len = strlen(narrative);
        while (len > 0 && strchr(" \n\t", narrative[len - 1])) len--;
        if (len > 0) {
            nb_strbuf_append_len(out, narrative, len);
            nb_strbuf_append(out, "\n\n");
        }
        if (ec->cell->number > 0)
            nb_strbuf_printf(out, "In [%d]:\n\n", ec->cell->number);
        else
            nb_strbuf_printf(out, "In [%s]:\n\n", ec->cell->name);
        fenced(out, "python", ec->cell->python);
        if (ec->output.len > 0) fenced(out, "text", ec->output.data);
    }
    return out->failed ? nb_error_nomem() : 0;
}
