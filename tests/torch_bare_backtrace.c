/* torch_bare_backtrace: backtrace_symbols(3) that writes each frame as its
 * bare address, for the test run's torch server (torch_preload.py) to
 * preload.
 *
 * Why: torch 1.13 builds a C++ backtrace into every c10::Error, and glibc's
 * backtrace_symbols names each frame with dladdr, which walks all of
 * libtorch_cpu's symbols: about 4 ms an error. The corpus scripts record
 * hundreds of PyTorch's error texts, and those cost a third of their time.
 * Python never shows that backtrace (str(e) is what_without_backtrace()
 * unless TORCH_SHOW_CPP_STACKTRACES is set, and then nothing is preloaded),
 * so what the scripts write is byte for byte the same. */
#include <execinfo.h>
#include <stdio.h>
#include <stdlib.h>

char **backtrace_symbols(void *const *frames, int count) {
    enum { EACH = sizeof "[0x]" + 2 * sizeof(void *) };
    if (count < 0) return NULL;
    /* one block, as glibc's: the caller frees the array alone */
    char **lines = malloc((size_t)count * (sizeof *lines + EACH));
    if (!lines) return NULL;
    char *text = (char *)(lines + count);
    for (int i = 0; i < count; i++, text += EACH) {
        snprintf(text, EACH, "[%p]", frames[i]);
        lines[i] = text;
    }
    return lines;
}
