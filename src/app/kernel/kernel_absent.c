/* kernel_absent: the kernel in a build without libzmq or libsodium. */
#include <stdio.h>

#include "kernel.h"

bool kernel_available(void) { return false; }

int kernel_serve(const char *connection_file, const KernelConfig *config) {
    (void)connection_file;
    (void)config;
    fprintf(stderr, "nbreplay kernel: this nbreplay was built without the Jupyter kernel "
                    "(apt-get install libzmq3-dev libsodium-dev, then rebuild)\n");
    return 1;
}
