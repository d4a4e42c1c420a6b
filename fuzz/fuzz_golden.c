/* fuzz_golden: the golden loader and matcher on arbitrary input. The input
 * is a golden's JSON, optionally followed by a NUL byte and a cell's
 * "actual" output; without one the golden is compared with its own stdout.
 *
 * Promises held: golden_parse gives a golden or one error and leaves a
 * zeroed golden on failure; golden_compare answers the same with and without
 * a diff buffer, a mismatch comes with a diff headed by the golden's name, a
 * match with none; a golden without patterns matches its own stdout; and
 * golden_free takes back every block. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "error.h"
#include "fuzz_check.h"
#include "golden.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool has_patterns(const Golden *g) {
    for (size_t i = 0; i < g->nlines; i++)
        if (g->lines[i].pattern) return true;
    return false;
}

static bool is_zeroed(const Golden *g) {
    static const Golden zero;
    return memcmp(g, &zero, sizeof zero) == 0;
}

static void check_compare(const Golden *g, const char *actual) {
    StrBuf diff = STRBUF_INIT;
    int with_diff = golden_compare(g, actual, "actual", &diff);
    FUZZ_REQUIRE((with_diff < 0) == nb_error_pending(), "compare %d with error '%s'", with_diff,
                 nb_error_message());
    nb_error_clear();
    int without_diff = golden_compare(g, actual, "actual", NULL);
    nb_error_clear();
    FUZZ_REQUIRE(with_diff == without_diff, "compare says %d with a diff buffer, %d without",
                 with_diff, without_diff);
    if (with_diff == 1) FUZZ_REQUIRE(diff.len == 0, "a match came with a diff");
    if (with_diff == 0)
        FUZZ_REQUIRE(strncmp(nb_strbuf_cstr(&diff), "--- fuzz.json\n+++ actual\n", 25) == 0,
                     "a mismatch came without a proper diff: '%.80s'", nb_strbuf_cstr(&diff));
    nb_strbuf_free(&diff);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *text = malloc(size + 1);
    if (!text) return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    size_t json_len = strlen(text);
    const char *actual = json_len < size ? text + json_len + 1 : NULL;

    nb_error_clear();
    int64_t live = nb_alloc_stats().live_blocks;
    Golden g;
    int rc = golden_parse(text, "fuzz.json", &g);
    FUZZ_REQUIRE((rc < 0) == nb_error_pending(), "parse returned %d with error '%s'", rc,
                 nb_error_message());
    if (rc < 0) {
        FUZZ_REQUIRE(is_zeroed(&g), "a refused golden was not zeroed");
    } else {
        check_compare(&g, actual ? actual : g.stdout_text);
        if (!has_patterns(&g)) {
            int self = golden_compare(&g, g.stdout_text, "self", NULL);
            FUZZ_REQUIRE(self == 1, "a golden without patterns does not match its own stdout (%d: %s)",
                         self, nb_error_message());
        }
        golden_free(&g);
        FUZZ_REQUIRE(is_zeroed(&g), "golden_free did not zero the golden");
    }
    nb_error_clear();
    FUZZ_REQUIRE(nb_alloc_stats().live_blocks == live, "%lld blocks leaked",
                 (long long)(nb_alloc_stats().live_blocks - live));
    free(text);
    return 0;
}
