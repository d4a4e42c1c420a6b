/* kernel_loader: `nbreplay kernel -f` in a build with the kernel. The
 * server lives in the module nbreplay-kernel.so (kernel_module.h), loaded
 * here on demand, so only the kernel maps libzmq and what it pulls in. */
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel.h"
#include "kernel_module.h"

#ifndef NB_KERNEL_FROM_BINDIR
#define NB_KERNEL_FROM_BINDIR ""
#endif
#ifndef NB_KERNEL_IN_BUILD
#define NB_KERNEL_IN_BUILD ""
#endif

static bool is_file(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static bool is_folder(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* $NBREPLAY_KERNEL_MODULE; else installed, relative to the program's
 * folder; else in the build tree the program sits in (the folder above it
 * that holds meson-private). As highlight.c finds nbreplay-highlight.so.
 * `path` holds where it looked when it returns false. */
static bool find_module(char *path, size_t size) {
    const char *chosen = getenv("NBREPLAY_KERNEL_MODULE");
    if (chosen && chosen[0]) {
        snprintf(path, size, "%s", chosen);
        return is_file(path);
    }
    char dir[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", dir, sizeof dir - 1);
    if (n <= 0) return false;
    dir[n] = '\0';
    char *slash = strrchr(dir, '/');
    if (!slash) return false;
    *slash = '\0';
    int w = snprintf(path, size, "%s/%s", dir, NB_KERNEL_FROM_BINDIR);
    if (NB_KERNEL_FROM_BINDIR[0] && w > 0 && (size_t)w < size && is_file(path)) return true;
    char marker[PATH_MAX + 16], installed[PATH_MAX];
    snprintf(installed, sizeof installed, "%s", path);
    while (NB_KERNEL_IN_BUILD[0]) {
        snprintf(marker, sizeof marker, "%s/meson-private", dir);
        if (is_folder(marker)) {
            w = snprintf(path, size, "%s/%s", dir, NB_KERNEL_IN_BUILD);
            return w > 0 && (size_t)w < size && is_file(path);
        }
        slash = strrchr(dir, '/');
        if (!slash || slash == dir) break;
        *slash = '\0';
    }
    /* where it looked, for the message */
    snprintf(path, size, "%s", NB_KERNEL_FROM_BINDIR[0] ? installed : "nbreplay-kernel.so, with no location known");
    return false;
}

bool kernel_available(void) {
    char path[PATH_MAX];
    return find_module(path, sizeof path);
}

int kernel_serve(const char *connection_file, const KernelConfig *config) {
    char path[PATH_MAX];
    if (!find_module(path, sizeof path)) {
        fprintf(stderr, "nbreplay kernel: the kernel module is missing (%s): reinstall nbreplay, "
                        "or set NBREPLAY_KERNEL_MODULE to its nbreplay-kernel.so\n", path);
        return 1;
    }
    void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    void *entry = handle ? dlsym(handle, NB_KERNEL_MODULE_ENTRY) : NULL;
    if (!entry) {
        fprintf(stderr, "nbreplay kernel: cannot load %s: %s\n", path, dlerror());
        if (handle) dlclose(handle);
        return 1;
    }
    NbKernelModuleServe serve;
    memcpy(&serve, &entry, sizeof serve); /* ISO C has no cast from void * to a function pointer */
    return serve(connection_file, config);
}
