/* suggest: "did you mean ...?" for a mistyped command, option or cell
 * name: the nearest candidate by edit distance, when it is near enough. */
#ifndef NB_SUGGEST_H
#define NB_SUGGEST_H

#include <stddef.h>

/* Optimal string alignment distance (Levenshtein plus transpositions, so
 * "rnu" is one step from "run"), case-insensitive. */
size_t suggest_distance(const char *a, const char *b);

/* The candidate nearest to `word`, or NULL when none is within a third of
 * the word's length (at least 1, at most 3 edits) or two are equally near.
 * A candidate that starts with `word` (3 letters or more) wins outright. */
const char *suggest_nearest(const char *word, const char *const *candidates, size_t n);

#endif
