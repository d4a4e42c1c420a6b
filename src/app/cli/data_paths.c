/* data_paths: the goldens and generator, found from the executable. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "data_paths.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef NB_BINDIR
#define NB_BINDIR "bin"
#endif
#ifndef NB_INCLUDEDIR
#define NB_INCLUDEDIR "include"
#endif
#ifndef NB_DATADIR
#define NB_DATADIR "share"
#endif

#define PATH_SIZE 4096

/* The folder holding the running executable, or "." if unknown. */
static const char *exe_dir(void) {
    static char dir[PATH_SIZE];
    if (dir[0]) return dir;
    ssize_t n = readlink("/proc/self/exe", dir, sizeof dir - 1);
    if (n <= 0) return strcpy(dir, ".");
    dir[n] = '\0';
    char *slash = strrchr(dir, '/');
    if (slash == dir) slash[1] = '\0';
    else if (slash) *slash = '\0';
    return dir;
}

static int is_dir(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* <prefix>/<datadir>/nbreplay/golden, reached from <prefix>/<bindir>: one
 * ".." per component of bindir (both are relative to the prefix, meson's
 * default; absolute ones are used as they are). */
static const char *installed_golden_dir(char *buf, size_t size) {
    if (NB_DATADIR[0] == '/') {
        snprintf(buf, size, "%s/nbreplay/golden", NB_DATADIR);
        return buf;
    }
    static const char bindir[] = NB_BINDIR;
    size_t len = (size_t)snprintf(buf, size, "%s", exe_dir());
    for (const char *p = bindir; *p && len < size; p++)
        if (*p != '/' && (p == bindir || p[-1] == '/'))
            len += (size_t)snprintf(buf + len, size - len, "/..");
    if (len < size) snprintf(buf + len, size - len, "/%s/nbreplay/golden", NB_DATADIR);
    return buf;
}

/* The install's or build tree's own golden folder. */
static const char *own_golden_dir(void) {
    static char dir[PATH_SIZE];
    if (dir[0]) return dir;
    char candidate[PATH_SIZE];
    installed_golden_dir(candidate, sizeof candidate);
    if (!is_dir(candidate)) snprintf(candidate, sizeof candidate, "%s/golden", exe_dir());
    /* resolved, so messages and children see a plain path */
    if (!realpath(candidate, dir)) snprintf(dir, sizeof dir, "%s", candidate);
    return dir;
}

const char *data_golden_dir(const char *option) {
    if (option) return option;
    const char *env = getenv("NBREPLAY_GOLDEN_DIR");
    if (env && *env) return env;
    return own_golden_dir();
}

const char *data_generator(void) {
    static char path[PATH_SIZE + sizeof "/generate.py"];
    snprintf(path, sizeof path, "%s/generate.py", own_golden_dir());
    return path;
}

/* <prefix>/<includedir>/nbreplay, reached from the executable as the
 * goldens are. */
static void installed_include_dir(char *buf, size_t size) {
    if (NB_INCLUDEDIR[0] == '/') {
        snprintf(buf, size, "%s/nbreplay", NB_INCLUDEDIR);
        return;
    }
    static const char bindir[] = NB_BINDIR;
    size_t len = (size_t)snprintf(buf, size, "%s", exe_dir());
    for (const char *p = bindir; *p && len < size; p++)
        if (*p != '/' && (p == bindir || p[-1] == '/'))
            len += (size_t)snprintf(buf + len, size - len, "/..");
    if (len < size) snprintf(buf + len, size - len, "/%s/nbreplay", NB_INCLUDEDIR);
}

int data_cell_include_dirs(const char **dirs, int max) {
    static char installed[PATH_SIZE], build[3][PATH_SIZE];
    static const char *const build_links[] = {"lib", "cells", "app"};
    char probe[PATH_SIZE + 16];
    installed_include_dir(installed, sizeof installed);
    snprintf(probe, sizeof probe, "%s/notebook.h", installed);
    int n = 0;
    if (access(probe, R_OK) == 0) {
        if (n < max) dirs[n++] = installed;
        return n;
    }
    for (int i = 0; i < 3 && n < max; i++) {
        snprintf(build[i], sizeof build[i], "%s/cell-include/%s", exe_dir(), build_links[i]);
        dirs[n++] = build[i];
    }
    return n;
}
