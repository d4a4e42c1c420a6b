/* kernel_assist: the requests that help a student type a cell, answered
 * from the code alone (no cell runs): is_complete, complete (the library's
 * public names, the cell vocabulary and the cell's own variables) and
 * inspect (a name's declaration, doc line and the PyTorch it mirrors, from
 * kernel_vocab). Each returns the reply's content (status "ok"). */
#ifndef NB_KERNEL_ASSIST_H
#define NB_KERNEL_ASSIST_H

#include <cjson/cJSON.h>

/* {"status": "complete" | "incomplete" | "invalid", "indent": ...}:
 * incomplete while a bracket, brace or comment is still open. */
cJSON *kernel_is_complete(const char *code);
/* {"matches", "cursor_start", "cursor_end", "metadata", "status"};
 * cursor_pos counts Unicode code points, as the protocol does. */
cJSON *kernel_complete(const char *code, int cursor_pos);
/* {"status", "found", "data": {"text/plain": ...}, "metadata"} */
cJSON *kernel_inspect(const char *code, int cursor_pos);

#endif
