/* highlight_module: the interface of nbreplay-highlight.so, the loadable
 * module that holds GNU source-highlight (a C++ library that brings Boost
 * and ICU, some 40 MB mapped): loaded only when code is to be coloured, so
 * that every other run of nbreplay starts without it (and under a small
 * ulimit -v). Plain C, so the module needs nothing of the program. */
#ifndef NB_HIGHLIGHT_MODULE_H
#define NB_HIGHLIGHT_MODULE_H

#include <stddef.h>

#define NB_HIGHLIGHT_MODULE_ENTRY "nb_highlight_module_code"
#define NB_HIGHLIGHT_MODULE_FREE "nb_highlight_module_free"

/* language: 0 Python, 1 C; target: 0 ANSI for a terminal, 1 HTML with
 * class spans (escaped). Returns a malloc'd text and its length, or NULL
 * when the library failed. */
typedef char *(*NbHighlightCode)(const char *code, int language, int target, size_t *len);
typedef void (*NbHighlightFree)(char *text);

#endif
