/* kernel: nbreplay as a Jupyter kernel (messaging protocol 5.3 over
 * ZeroMQ). Each execute request compiles and runs the cell as `nbreplay run
 * FILE.c` does (src/app/usercell: in a child process, so a crash or an
 * endless loop is an error in the notebook and the kernel lives on). See
 * docs/jupyter.md. */
#ifndef NB_KERNEL_H
#define NB_KERNEL_H

#include <stdbool.h>

#include "../usercell/usercell.h"

typedef struct KernelConfig {
    const char *include_dirs[USERCELL_MAX_INCLUDE_DIRS]; /* where notebook.h is */
    int ninclude_dirs;
    UserCellCompiler compiler;
    const char *version; /* nbreplay's, for kernel_info */
} KernelConfig;

/* Serves the kernel described by the connection file until a shutdown
 * request. Returns 0, or 1 after one line on stderr (a connection file that
 * cannot be read, a port that cannot be bound). */
int kernel_serve(const char *connection_file, const KernelConfig *config);

/* The kernelspec (kernel.json) whose argv runs `program kernel -f
 * {connection_file}`: display name "C (nbreplay)", language c. The caller
 * frees it. */
char *kernel_spec_json(const char *program);

/* Writes DIR/kernel.json (DIR made as needed, parents too). 0, or -1 with
 * errno set. */
int kernel_spec_write(const char *dir, const char *program);

/* Whether this nbreplay was built with the kernel (libzmq, libsodium). */
bool kernel_available(void);

#endif
