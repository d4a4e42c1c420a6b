/* cell_compile: libtcc in memory, or cc -shared and dlopen. */
#define _GNU_SOURCE /* mkdtemp */
#include "cell_compile.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#ifdef NB_HAVE_LIBTCC
#include <libtcc.h>
#endif

bool usercell_have_tcc(void) {
#ifdef NB_HAVE_LIBTCC
    return true;
#else
    return false;
#endif
}

static UserCellStatus found(void *symbol, const CellUnit *unit, CellEntry *entry) {
    if (!symbol) {
        fprintf(stderr, "the compiled cell has no '%s'\n", unit->entry);
        return USERCELL_COMPILE_ERROR;
    }
    if (unit->whole)
        entry->cell = symbol;
    else /* POSIX: a data pointer from dlsym may be a function's */
        memcpy(&entry->run, &symbol, sizeof entry->run);
    return USERCELL_OK;
}

#ifdef NB_HAVE_LIBTCC
/* GCC's checked arithmetic, which tcc 0.9.27 lacks and the timing cell
 * (cell 9) uses on unsigned sizes: exact for unsigned operands of the
 * result's type. (The unit starts with #line, so lines stay the user's.) */
#define TCC_PRELUDE                                                                                    \
    "#define __builtin_mul_overflow(a, b, r) ({ __typeof__(*(r)) nb_x_ = (a), nb_y_ = (b); "           \
    "*(r) = nb_x_ * nb_y_; nb_x_ != 0 && *(r) / nb_x_ != nb_y_; })\n"                                   \
    "#define __builtin_add_overflow(a, b, r) ({ __typeof__(*(r)) nb_x_ = (a), nb_y_ = (b); "           \
    "*(r) = nb_x_ + nb_y_; *(r) < nb_x_; })\n"

static void tcc_diagnostic(void *opaque, const char *message) {
    (void)opaque;
    fprintf(stderr, "%s\n", message);
}

static UserCellStatus compile_tcc(const CellUnit *unit, const UserCellJob *job, CellEntry *entry) {
    TCCState *s = tcc_new();
    if (!s) {
        fprintf(stderr, "libtcc could not start\n");
        return USERCELL_NO_COMPILER;
    }
    tcc_set_error_func(s, NULL, tcc_diagnostic);
    tcc_set_output_type(s, TCC_OUTPUT_MEMORY);
    for (int i = 0; i < job->ninclude_dirs; i++) tcc_add_include_path(s, job->include_dirs[i]);
    StrBuf text = STRBUF_INIT;
    nb_strbuf_append(&text, TCC_PRELUDE);
    nb_strbuf_append_len(&text, nb_strbuf_cstr(&unit->text), unit->text.len);
    int compiled = tcc_compile_string(s, nb_strbuf_cstr(&text));
    nb_strbuf_free(&text);
    if (compiled < 0) return USERCELL_COMPILE_ERROR;
    /* Undefined names are looked up in the process: the executable's
     * exported library and vocabulary, and libc. */
    if (tcc_relocate(s, TCC_RELOCATE_AUTO) < 0) return USERCELL_COMPILE_ERROR;
    return found(tcc_get_symbol(s, unit->entry), unit, entry);
}
#endif

static int write_file(const char *path, const StrBuf *text) {
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    size_t n = fwrite(nb_strbuf_cstr(text), 1, text->len, f);
    return (fclose(f) == 0 && n == text->len) ? 0 : -1;
}

static UserCellStatus compile_cc(const CellUnit *unit, const UserCellJob *job, CellEntry *entry) {
    const char *tmp = getenv("TMPDIR");
    char dir[512], source[600], object[600];
    snprintf(dir, sizeof dir, "%s/nbreplay-cell-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        fprintf(stderr, "cannot make a folder for the compiler: %s\n", strerror(errno));
        return USERCELL_SYSTEM_ERROR;
    }
    snprintf(source, sizeof source, "%s/cell.c", dir);
    snprintf(object, sizeof object, "%s/cell.so", dir);
    if (write_file(source, &unit->text) != 0) {
        fprintf(stderr, "cannot write %s: %s\n", source, strerror(errno));
        return USERCELL_SYSTEM_ERROR;
    }
    const char *compiler = getenv("CC");
    if (!compiler || !*compiler) compiler = "cc";
    char *argv[16 + USERCELL_MAX_INCLUDE_DIRS];
    char include_args[USERCELL_MAX_INCLUDE_DIRS][520];
    int argc = 0;
    argv[argc++] = (char *)compiler;
    argv[argc++] = "-std=gnu11";
    argv[argc++] = "-fPIC";
    argv[argc++] = "-shared";
    argv[argc++] = "-O0";
    for (int i = 0; i < job->ninclude_dirs; i++) {
        snprintf(include_args[i], sizeof include_args[i], "-I%s", job->include_dirs[i]);
        argv[argc++] = include_args[i];
    }
    argv[argc++] = "-o";
    argv[argc++] = object;
    argv[argc++] = source;
    argv[argc] = NULL;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(STDERR_FILENO, STDOUT_FILENO);
        execvp(compiler, argv);
        _exit(127);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) < 0) {
        fprintf(stderr, "cannot run %s: %s\n", compiler, strerror(errno));
        return USERCELL_SYSTEM_ERROR;
    }
    unlink(source);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
        rmdir(dir);
        fprintf(stderr, "no C compiler '%s' found: install libtcc-dev and tcc, then rebuild "
                        "nbreplay, or install gcc\n", compiler);
        return USERCELL_NO_COMPILER;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        rmdir(dir);
        return USERCELL_COMPILE_ERROR;
    }
    void *handle = dlopen(object, RTLD_NOW | RTLD_LOCAL);
    unlink(object);
    rmdir(dir);
    if (!handle) {
        fprintf(stderr, "%s\n", dlerror());
        return USERCELL_COMPILE_ERROR;
    }
    return found(dlsym(handle, unit->entry), unit, entry);
}

UserCellStatus cell_compile(const CellUnit *unit, const UserCellJob *job, CellEntry *entry) {
    *entry = (CellEntry){0};
    UserCellCompiler which = job->compiler;
    if (which == USERCELL_COMPILER_AUTO) which = usercell_have_tcc() ? USERCELL_COMPILER_TCC : USERCELL_COMPILER_CC;
    if (which == USERCELL_COMPILER_TCC) {
#ifdef NB_HAVE_LIBTCC
        return compile_tcc(unit, job, entry);
#else
        fprintf(stderr, "this nbreplay was built without libtcc: install libtcc-dev and tcc, "
                        "then rebuild (or use cc)\n");
        return USERCELL_NO_COMPILER;
#endif
    }
    return compile_cc(unit, job, entry);
}
