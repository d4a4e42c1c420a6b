/* kernel_module: the one symbol nbreplay-kernel.so exports (everything
 * else in it is hidden): the kernel's server, for kernel_loader.c. */
#include "kernel_module.h"

__attribute__((visibility("default"))) int nb_kernel_module_serve(const char *connection_file,
                                                                  const KernelConfig *config);

int nb_kernel_module_serve(const char *connection_file, const KernelConfig *config) {
    return kernel_serve(connection_file, config);
}
