/* kernel_vocab: the names a cell is written with (the library's public API
 * and the cell vocabulary of notebook.h and run.h), each with its
 * declaration, its doc comment and the PyTorch it mirrors (docs/api.md).
 * Generated at build time (make_kernel_vocab.py); the kernel completes and
 * inspects from it. */
#ifndef NB_KERNEL_VOCAB_H
#define NB_KERNEL_VOCAB_H

#include <stddef.h>

typedef struct KernelWord {
    const char *name;
    const char *declaration; /* as the header writes it, on one line */
    const char *doc;         /* the header's comment for it ("" if none) */
    const char *pytorch;     /* docs/api.md's PyTorch column ("" if none) */
    const char *header;      /* "ops.h" */
} KernelWord;

extern const KernelWord kernel_words[]; /* sorted by name */
extern const size_t kernel_nwords;

#endif
