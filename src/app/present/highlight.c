/* highlight: loads nbreplay-highlight.so (GNU source-highlight) the first
 * time code is to be coloured, and shows the code plain when it cannot
 * (see highlight.h, highlight_module.h). */
#include "highlight.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "highlight_module.h"
#include "xml_escape.h"

#ifndef NB_HIGHLIGHT_FROM_BINDIR
#define NB_HIGHLIGHT_FROM_BINDIR ""
#endif
#ifndef NB_HIGHLIGHT_IN_BUILD
#define NB_HIGHLIGHT_IN_BUILD ""
#endif

static struct {
    bool tried;
    NbHighlightCode code;
    NbHighlightFree release;
} module;

static bool exists(const char *path, bool folder) {
    struct stat st;
    return stat(path, &st) == 0 && (folder ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode));
}

/* $NBREPLAY_HIGHLIGHT_MODULE; else installed, relative to the program's
 * folder; else in the build tree the program sits in (the folder above it
 * that holds meson-private). */
static bool find_module(char *path, size_t size) {
    const char *chosen = getenv("NBREPLAY_HIGHLIGHT_MODULE");
    if (chosen) {
        snprintf(path, size, "%s", chosen);
        return chosen[0] != '\0'; /* empty: highlighting off */
    }
    char dir[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", dir, sizeof dir - 1);
    if (n <= 0) return false;
    dir[n] = '\0';
    char *slash = strrchr(dir, '/');
    if (!slash) return false;
    *slash = '\0';
    if (NB_HIGHLIGHT_FROM_BINDIR[0]) {
        int w = snprintf(path, size, "%s/%s", dir, NB_HIGHLIGHT_FROM_BINDIR);
        if (w > 0 && (size_t)w < size && exists(path, false)) return true;
    }
    char marker[PATH_MAX + 16];
    while (NB_HIGHLIGHT_IN_BUILD[0]) {
        snprintf(marker, sizeof marker, "%s/meson-private", dir);
        if (exists(marker, true)) {
            int w = snprintf(path, size, "%s/%s", dir, NB_HIGHLIGHT_IN_BUILD);
            return w > 0 && (size_t)w < size && exists(path, false);
        }
        slash = strrchr(dir, '/');
        if (!slash || slash == dir) break;
        *slash = '\0';
    }
    return false;
}

static bool load(void) {
    if (module.tried) return module.code != NULL;
    module.tried = true;
    char path[PATH_MAX];
    if (!find_module(path, sizeof path)) return false;
    void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!handle) return false; /* not installed, or no memory to map it: plain code */
    void *code = dlsym(handle, NB_HIGHLIGHT_MODULE_ENTRY), *release = dlsym(handle, NB_HIGHLIGHT_MODULE_FREE);
    if (!code || !release) {
        dlclose(handle);
        return false;
    }
    /* ISO C has no cast from void * to a function pointer */
    memcpy(&module.code, &code, sizeof module.code);
    memcpy(&module.release, &release, sizeof module.release);
    return true;
}

bool highlight_code(StrBuf *out, const char *code, HighlightLanguage language, HighlightTarget target) {
    size_t len = 0;
    char *text = load() ? module.code(code, language == HIGHLIGHT_PYTHON ? 0 : 1,
                                      target == HIGHLIGHT_HTML ? 1 : 0, &len)
                        : NULL;
    if (text) {
        nb_strbuf_append_len(out, text, len);
        module.release(text);
        return true;
    }
    if (target == HIGHLIGHT_HTML)
        xml_escape(out, code, strlen(code));
    else
        nb_strbuf_append(out, code);
    return false;
}
