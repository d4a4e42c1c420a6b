/* export_doc: runs the cells an export holds (see export.h). */
#include "export.h"

#include <stdio.h>

#include "alloc.h"
#include "error.h"

int export_doc_run(ExportDoc *doc, const Cell *const *cells, const RunOptions *options,
                   size_t ncells) {
    *doc = (ExportDoc){nb_calloc(ncells ? ncells : 1, sizeof(ExportCell)), 0,
                       ncells ? options[0].seed : 0, NULL, ncells ? options[0].device : DEVICE_CPU};
    if (!doc->cells) return nb_error_nomem();
    for (size_t i = 0; i < ncells; i++) {
        ExportCell *ec = &doc->cells[doc->ncells++];
        *ec = (ExportCell){cells[i], STRBUF_INIT};
        if (run_cell(cells[i], &options[i], &ec->output) != 0 || ec->output.failed) {
            /* the message must say which cell; error.h keeps the first */
            char message[512];
            snprintf(message, sizeof message, "%s", nb_error_pending() ? nb_error_message() : "out of memory");
            nb_error_clear();
            export_doc_free(doc);
            return nb_error_set(ERR_VALUE, "cell %d (%s): %s", cells[i]->number, cells[i]->name, message);
        }
    }
    return 0;
}

void export_doc_free(ExportDoc *doc) {
    for (size_t i = 0; i < doc->ncells; i++) nb_strbuf_free(&doc->cells[i].output);
    nb_free(doc->cells);
    *doc = (ExportDoc){NULL, 0, 0, NULL, DEVICE_CPU};
}
