/* fuzz_npy: the .npy reader on arbitrary bytes. Whatever the bytes, npy_parse
 * gives a tensor or one error (never both, never neither), a tensor it gives
 * prints, and nothing it allocated outlives the scope. */
#include <stddef.h>
#include <stdint.h>

#include "alloc.h"
#include "error.h"
#include "fuzz_check.h"
#include "npy.h"
#include "print.h"
#include "tensor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    nb_error_clear();
    int64_t live = nb_alloc_stats().live_blocks;
    TensorScope *scope = tensor_scope_open();
    FUZZ_REQUIRE(scope != NULL, "no scope: %s", nb_error_message());
    Tensor *t = nb_npy_parse(data, size, "fuzz.npy");
    FUZZ_REQUIRE((t != NULL) != nb_error_pending(), "tensor %p with error '%s'", (void *)t,
                 nb_error_message());
    if (t) {
        StrBuf out = STRBUF_INIT;
        int rc = tensor_format(&out, t, NULL);
        FUZZ_REQUIRE(rc == 0 && out.len > 0, "a parsed tensor does not print: %s", nb_error_message());
        nb_strbuf_free(&out);
    }
    tensor_scope_close(scope);
    nb_error_clear();
    FUZZ_REQUIRE(nb_alloc_stats().live_blocks == live, "%lld blocks leaked",
                 (long long)(nb_alloc_stats().live_blocks - live));
    return 0;
}
