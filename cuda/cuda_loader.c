/* cuda_loader: src/gpu.h and the CUDA entry of the backend table in a
 * build with CUDA. The backend is the module nbreplay-cuda.so
 * (cuda_module.h), opened the first time a GPU is asked for: a probe
 * (`--device cuda`, `--device auto`, cell 1), `--version`'s report, the
 * first use of the CUDA backend. Until then, and on a machine where it
 * cannot be opened, nothing of CUDA is loaded.
 *
 * Where the module is, the first that exists:
 *   1. $NBREPLAY_CUDA_MODULE, when set and not empty: that file and no
 *      other;
 *   2. installed, relative to the folder of the file this code was loaded
 *      from: NB_CUDA_MODULE_FROM_LIBDIR when that is a shared library (in
 *      libdir), NB_CUDA_MODULE_FROM_BINDIR when it is the program (in
 *      bindir, with the static library linked in);
 *   3. a build tree: NB_CUDA_MODULE_IN_BUILD below the build tree's root,
 *      the nearest folder above that file holding meson-private.
 * cuda/meson.build sets the three relative paths from the prefix, libdir
 * and bindir, so an installed tree can move, and nothing compiled in names
 * the source or build folder. */
#define _GNU_SOURCE /* dladdr1 */
#include "cuda_module.h"

#include <dlfcn.h>
#include <limits.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "cuda_unavailable.h"

const NbCudaHost cuda_host = {
    .error_set = nb_error_set,
    .error_nomem = nb_error_nomem,
    .malloc = nb_malloc,
    .calloc = nb_calloc,
    .realloc = nb_realloc,
    .free = nb_free,
    .dtype_size = nb_dtype_size,
    .dtype_scalar_name = nb_dtype_scalar_name,
    .tensor_numel = tensor_numel,
    .tensor_device = tensor_device,
    .tensor_is_contiguous = tensor_is_contiguous,
    .tensor_data = tensor_data,
    .tensor_clone = tensor_clone,
    .backend_for = backend_for,
};

static struct {
    bool tried;
    const NbCudaModule *module; /* NULL: not loaded, `why` says why */
    char path[PATH_MAX];        /* the module's file */
    char why[PATH_MAX + 256];   /* a path and words around it */
} loader;

/* Whether path names a regular file (a folder or nothing is skipped). */
static bool is_file(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static bool is_folder(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* dir/rel into out; false when it does not fit. */
static bool join(char *out, size_t size, const char *dir, const char *rel) {
    int n = snprintf(out, size, "%s/%s", dir, rel);
    return n > 0 && (size_t)n < size;
}

/* The folder of the file this code was loaded from, resolved, and whether
 * that file is the program (named by /proc/self/exe, dladdr giving only
 * its argv[0]) rather than a shared library. false when it cannot be told. */
static bool own_folder(char *dir, bool *program) {
    Dl_info info;
    void *extra = NULL;
    if (!dladdr1(&loader, &info, &extra, RTLD_DL_LINKMAP) || !extra) return false;
    const struct link_map *map = extra;
    *program = map->l_name[0] == '\0';
    if (*program) {
        ssize_t n = readlink("/proc/self/exe", dir, PATH_MAX - 1);
        if (n <= 0) return false;
        dir[n] = '\0';
    } else if (!realpath(map->l_name, dir)) {
        return false;
    }
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir) return false;
    *slash = '\0';
    return true;
}

/* The nearest folder at or above dir that holds meson-private: the root of
 * the build tree dir is in. */
static bool build_root(const char *dir, char *root) {
    snprintf(root, PATH_MAX, "%s", dir);
    char marker[PATH_MAX];
    for (;;) {
        if (join(marker, sizeof marker, root, "meson-private") && is_folder(marker)) return true;
        char *slash = strrchr(root, '/');
        if (!slash || slash == root) return false;
        *slash = '\0';
    }
}

/* Sets loader.path, or loader.why naming every place looked in. */
static int find_module(void) {
    const char *chosen = getenv("NBREPLAY_CUDA_MODULE");
    if (chosen && chosen[0]) {
        snprintf(loader.path, sizeof loader.path, "%s", chosen);
        return 0; /* dlopen says it if the file is not there */
    }
    char dir[PATH_MAX];
    bool program;
    if (!own_folder(dir, &program)) {
        snprintf(loader.why, sizeof loader.why,
                 "CUDA is not available: cannot tell which folder nbreplay runs from to find its CUDA "
                 "module (set NBREPLAY_CUDA_MODULE)");
        return -1;
    }
    char looked[2][PATH_MAX];
    int n = 0;
    const char *installed = program ? NB_CUDA_MODULE_FROM_BINDIR : NB_CUDA_MODULE_FROM_LIBDIR;
    if (installed[0] && join(looked[n], PATH_MAX, dir, installed)) n++;
    char root[PATH_MAX];
    if (build_root(dir, root) && join(looked[n], PATH_MAX, root, NB_CUDA_MODULE_IN_BUILD)) n++;
    for (int i = 0; i < n; i++)
        if (is_file(looked[i])) {
            if (!realpath(looked[i], loader.path)) snprintf(loader.path, sizeof loader.path, "%s", looked[i]);
            return 0;
        }
    if (n == 0) {
        snprintf(loader.why, sizeof loader.why,
                 "CUDA is not available: nowhere to look for the CUDA module from %s (set NBREPLAY_CUDA_MODULE)",
                 dir);
        return -1;
    }
    int used = snprintf(loader.why, sizeof loader.why, "CUDA is not available: no CUDA module at");
    for (int i = 0; i < n && used > 0 && (size_t)used < sizeof loader.why; i++)
        used += snprintf(loader.why + used, sizeof loader.why - (size_t)used, "%s %s", i ? " or" : "", looked[i]);
    return -1;
}

/* Whether the driver's library loads; when not, why says so as the
 * runtime in the module would. A probe asks this first because the module
 * is large: loading it only to hear from its runtime that libcuda.so.1 is
 * missing cost about 3 ms of every `--device auto` start on a machine
 * without a GPU. A module the user names (NBREPLAY_CUDA_MODULE) is still
 * opened, to report on that file, and --version loads the module anyway to
 * name it and its runtime. */
static bool driver_loadable(char *why, size_t size) {
    const char *chosen = getenv("NBREPLAY_CUDA_MODULE");
    if (loader.module || (chosen && chosen[0])) return true;
    /* kept open (RTLD_NODELETE): the runtime's own dlopen finds this copy */
    if (dlopen("libcuda.so.1", RTLD_LAZY | RTLD_LOCAL | RTLD_NODELETE)) return true;
    const char *reason = dlerror();
    snprintf(why, size, "CUDA is not available: %s", reason ? reason : "no libcuda.so.1");
    return false;
}

/* Opens the module once; 0, or -1 with loader.why set. */
static int load(void) {
    if (loader.tried) return loader.module ? 0 : -1;
    loader.tried = true;
    if (find_module() != 0) return -1;
    /* RTLD_NODELETE: the module's exit handlers must find it mapped */
    void *handle = dlopen(loader.path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
    if (!handle) {
        const char *reason = dlerror();
        snprintf(loader.why, sizeof loader.why, "CUDA is not available: %s", reason ? reason : loader.path);
        return -1;
    }
    void *symbol = dlsym(handle, NB_CUDA_MODULE_ENTRY);
    NbCudaModuleEntry entry = NULL;
    _Static_assert(sizeof entry == sizeof symbol, "dlsym's pointer holds a function pointer");
    memcpy(&entry, &symbol, sizeof entry); /* ISO C has no cast from void * to a function pointer */
    const NbCudaAbi abi = NB_CUDA_ABI;
    const NbCudaModule *module = entry ? entry(&abi, &cuda_host) : NULL;
    if (!module) {
        snprintf(loader.why, sizeof loader.why, "CUDA is not available: %s is not the CUDA module of this nbreplay%s",
                 loader.path, entry ? " (it was built from another version)" : "");
        dlclose(handle);
        return -1;
    }
    loader.module = module; /* the handle stays open until exit */
    return 0;
}

bool nb_gpu_compiled(void) { return true; }

int nb_gpu_probe(GpuInfo *info) {
    char why[256];
    if (!driver_loadable(why, sizeof why)) return nb_error_set(ERR_DEVICE, "%s", why);
    if (load() != 0) return nb_error_set(ERR_DEVICE, "%s", loader.why);
    return loader.module->probe(info);
}

uint64_t nb_gpu_memory_allocated(void) { return loader.module ? loader.module->memory_allocated() : 0; }

uint64_t nb_gpu_memory_reserved(void) { return loader.module ? loader.module->memory_reserved() : 0; }

void nb_gpu_version_line(char *buf, size_t size) {
    if (load() != 0) {
        snprintf(buf, size, "cuda: built; %s", loader.why);
        return;
    }
    char described[512];
    loader.module->describe(described, sizeof described);
    snprintf(buf, size, "cuda: built; module %s; %s", loader.path, described);
}

const Backend *cuda_backend_get(void) { return load() == 0 ? loader.module->backend : &cuda_unavailable_backend; }
