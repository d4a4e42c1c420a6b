/* corpus: reading the JSON corpora in tests/data that scripts in
 * tests/corpus/ wrote from real PyTorch and NumPy — shared by the suites. */
#ifndef NB_TESTS_CORPUS_H
#define NB_TESTS_CORPUS_H

#include <cJSON.h>
#include <check.h>
#include <stddef.h>

#include "tensor.h"

/* Parses $NB_TEST_DATA/FILE (tests/data when unset); NULL, after a line on
 * stderr naming the file, when it cannot be read or parsed. A FILE ending
 * in .jsonl is JSON Lines as tests/corpus/corpus_lib.py writes it, one case
 * a line: the first line is an object, the header, whose members the
 * result gets; each other line is {"SECTION": case}, appended to the
 * result's array SECTION. Any other FILE is one JSON document. */
cJSON *corpus_load(const char *file);
/* obj[name]; fails the running Check test when the entry lacks it. */
const cJSON *corpus_field(const cJSON *obj, const char *name);
/* The raw bytes a corpus stores as lower-case hex; *len gets their count.
 * malloc'd: the caller frees them. Fails the test on a bad digit. */
unsigned char *corpus_bytes(const char *hex, size_t *len);
/* "float32", "float64", "int64", "bool"; fails the test on anything else. */
DType corpus_dtype(const char *name);
/* An integer a corpus stores as a JSON number or, beyond 2**53, as a
 * decimal string. */
int64_t corpus_int64(const cJSON *item);
/* A shape stored as a list of such integers; fails the test when it has
 * more dimensions than a tensor can. */
Shape corpus_shape(const cJSON *dims);
/* A corpus suite's main ends here: runs the suite, frees the corpus and
 * returns the process's exit status (EXIT_SUCCESS when nothing failed). */
int corpus_run_suite(Suite *suite, cJSON *corpus);

#endif
