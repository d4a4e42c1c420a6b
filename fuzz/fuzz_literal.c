/* fuzz_literal: torch_tensor's Python-literal parser on arbitrary text. It
 * must give a tensor or one error, a tensor it gives must print, and the
 * scope must take back everything. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "error.h"
#include "fuzz_check.h"
#include "print.h"
#include "tensor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    /* torch_tensor reads a C string; an embedded NUL just ends it early */
    char *text = malloc(size + 1);
    if (!text) return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    nb_error_clear();
    int64_t live = nb_alloc_stats().live_blocks;
    TensorScope *scope = tensor_scope_open();
    FUZZ_REQUIRE(scope != NULL, "no scope: %s", nb_error_message());
    Tensor *t = torch_tensor(text);
    FUZZ_REQUIRE((t != NULL) != nb_error_pending(), "tensor %p with error '%s'", (void *)t,
                 nb_error_message());
    if (t) {
        StrBuf out = STRBUF_INIT;
        int rc = tensor_format(&out, t, NULL);
        FUZZ_REQUIRE(rc == 0 && out.len > 0, "a parsed literal does not print: %s", nb_error_message());
        nb_strbuf_free(&out);
    }
    tensor_scope_close(scope);
    nb_error_clear();
    FUZZ_REQUIRE(nb_alloc_stats().live_blocks == live, "%lld blocks leaked",
                 (long long)(nb_alloc_stats().live_blocks - live));
    free(text);
    return 0;
}
