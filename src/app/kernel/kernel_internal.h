/* kernel_internal: what the kernel's files share: its sockets, key and
 * counters, and sending on them. */
#ifndef NB_KERNEL_INTERNAL_H
#define NB_KERNEL_INTERNAL_H

#include <stdbool.h>

#include "kernel.h"
#include "kernel_wire.h"

typedef struct Kernel {
    void *context;
    void *shell, *control, *stdin_socket, *iopub, *heartbeat;
    KernelKey key;
    char session[40];
    const KernelConfig *config;
    int execution_count;
    bool running;  /* a cell runs now */
    bool stopping; /* a shutdown was asked */
} Kernel;

/* A message on iopub whose parent is `parent` (NULL: none). */
void kernel_publish(Kernel *k, const KernelMsg *parent, const char *msg_type, cJSON *content);
void kernel_publish_status(Kernel *k, const KernelMsg *parent, const char *state);
/* The reply to `request` on the socket it came on. */
void kernel_reply(Kernel *k, void *socket, const KernelMsg *request, const char *msg_type, cJSON *content);

/* Answers what comes on the control channel now, without waiting (a running
 * cell's ticks call it, so Ctrl-C and shutdown reach a running cell). */
void kernel_serve_control(Kernel *k);

/* execute_request: runs the cell and sends the reply (kernel_execute.c). */
void kernel_execute(Kernel *k, const KernelMsg *request);

#endif
