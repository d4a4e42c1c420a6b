/* suggest: the nearest of a few names to a mistyped one (see suggest.h). */
#include "suggest.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_WORD 64

size_t suggest_distance(const char *a, const char *b) {
    size_t n = strlen(a), m = strlen(b);
    if (n > MAX_WORD || m > MAX_WORD) return (size_t)-1;
    static size_t d[MAX_WORD + 1][MAX_WORD + 1];
    for (size_t i = 0; i <= n; i++) d[i][0] = i;
    for (size_t j = 0; j <= m; j++) d[0][j] = j;
    for (size_t i = 1; i <= n; i++)
        for (size_t j = 1; j <= m; j++) {
            int ca = tolower((unsigned char)a[i - 1]), cb = tolower((unsigned char)b[j - 1]);
            size_t best = d[i - 1][j - 1] + (ca != cb);
            if (d[i - 1][j] + 1 < best) best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best) best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
                tolower((unsigned char)a[i - 2]) == cb && d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[n][m];
}

const char *suggest_nearest(const char *word, const char *const *candidates, size_t n) {
    size_t len = strlen(word);
    if (len == 0) return NULL;
    const char *prefixed = NULL;
    size_t nprefixed = 0;
    if (len >= 3)
        for (size_t i = 0; i < n; i++)
            if (strncasecmp(candidates[i], word, len) == 0 && strlen(candidates[i]) > len) {
                prefixed = candidates[i];
                nprefixed++;
            }
    if (nprefixed == 1) return prefixed;
    size_t limit = len / 3 < 1 ? 1 : len / 3 > 3 ? 3 : len / 3;
    const char *best = NULL;
    size_t best_d = limit + 1;
    bool tie = false;
    for (size_t i = 0; i < n; i++) {
        size_t dist = suggest_distance(word, candidates[i]);
        if (dist < best_d) {
            best_d = dist;
            best = candidates[i];
            tie = false;
        } else if (dist == best_d && best && strcmp(best, candidates[i]) != 0) {
            tie = true;
        }
    }
    return tie ? NULL : best;
}
