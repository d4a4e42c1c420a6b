/* kernel_module: the interface of nbreplay-kernel.so, the loadable module
 * that holds the Jupyter kernel's server (ZeroMQ, libsodium, and what
 * libzmq maps: libstdc++, Kerberos, PGM, NORM). `nbreplay kernel -f`
 * loads it (kernel_loader.c), so every other start of nbreplay maps none
 * of them. The module calls back into the program for usercell_* (the
 * program exports them, kernel.dynamic-list) and the library's API. */
#ifndef NB_KERNEL_MODULE_H
#define NB_KERNEL_MODULE_H

#include "kernel.h"

#define NB_KERNEL_MODULE_ENTRY "nb_kernel_module_serve"

/* kernel_serve, as the module exports it. */
typedef int (*NbKernelModuleServe)(const char *connection_file, const KernelConfig *config);

#endif
