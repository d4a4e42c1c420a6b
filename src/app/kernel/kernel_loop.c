/* kernel_loop: the kernel's sockets and its loop: reads the connection
 * file, binds the five channels (shell, control, stdin, iopub, heartbeat),
 * and answers requests until a shutdown. The heartbeat is echoed by a
 * thread of its own, so a long cell never looks like a dead kernel. */
#define _GNU_SOURCE /* strdup */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include "kernel_assist.h"
#include "kernel_internal.h"

#define MAX_CONNECTION_FILE_BYTES (1 << 20)

static void log_line(const char *fmt, const char *what) {
    fprintf(stderr, "nbreplay kernel: ");
    fprintf(stderr, fmt, what);
    fputc('\n', stderr);
}

void kernel_publish(Kernel *k, const KernelMsg *parent, const char *msg_type, cJSON *content) {
    /* iopub carries the parent's header, not its routing identities */
    KernelMsg header_only = {.nids = 0, .header = parent ? parent->header : NULL};
    char topic[96];
    snprintf(topic, sizeof topic, "kernel.%s.%s", k->session, msg_type);
    if (kernel_wire_send(k->iopub, &k->key, k->session, parent ? &header_only : NULL, topic, msg_type, content) != 0)
        log_line("could not publish %s", msg_type);
}

void kernel_publish_status(Kernel *k, const KernelMsg *parent, const char *state) {
    cJSON *content = cJSON_CreateObject();
    cJSON_AddStringToObject(content, "execution_state", state);
    kernel_publish(k, parent, "status", content);
}

void kernel_reply(Kernel *k, void *socket, const KernelMsg *request, const char *msg_type, cJSON *content) {
    if (kernel_wire_send(socket, &k->key, k->session, request, NULL, msg_type, content) != 0)
        log_line("could not send %s", msg_type);
}

static cJSON *kernel_info(const Kernel *k) {
    cJSON *c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "status", "ok");
    cJSON_AddStringToObject(c, "protocol_version", KERNEL_PROTOCOL_VERSION);
    cJSON_AddStringToObject(c, "implementation", "nbreplay");
    cJSON_AddStringToObject(c, "implementation_version", k->config->version);
    cJSON *lang = cJSON_AddObjectToObject(c, "language_info");
    cJSON_AddStringToObject(lang, "name", "c");
    cJSON_AddStringToObject(lang, "version", "C11");
    cJSON_AddStringToObject(lang, "mimetype", "text/x-csrc");
    cJSON_AddStringToObject(lang, "file_extension", ".c");
    cJSON_AddStringToObject(lang, "pygments_lexer", "c");
    cJSON_AddStringToObject(lang, "codemirror_mode", "text/x-csrc");
    cJSON_AddStringToObject(c, "banner",
                            "nbreplay: C cells on a PyTorch 1.13 work-alike, printing what PyTorch prints.\n"
                            "Each cell runs alone, in a child process; np.random.seed(0) before each\n"
                            "(//% seed N, //% device cpu|cuda, //% timeout S change that cell's run).");
    cJSON *links = cJSON_AddArrayToObject(c, "help_links");
    cJSON *link = cJSON_CreateObject();
    cJSON_AddStringToObject(link, "text", "nbreplay in Jupyter (docs/jupyter.md)");
    cJSON_AddStringToObject(link, "url", "https://github.com/nbreplay/nbreplay/blob/main/docs/jupyter.md");
    cJSON_AddItemToArray(links, link);
    return c;
}

static const char *content_string(const KernelMsg *msg, const char *name) {
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(msg->content, name);
    return cJSON_IsString(item) ? item->valuestring : "";
}

static int content_int(const KernelMsg *msg, const char *name) {
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(msg->content, name);
    return cJSON_IsNumber(item) ? item->valueint : 0;
}

/* Requests either channel may carry; true when it was one of them. */
static bool serve_common(Kernel *k, void *socket, const KernelMsg *msg) {
    if (strcmp(msg->type, "kernel_info_request") == 0) {
        kernel_reply(k, socket, msg, "kernel_info_reply", kernel_info(k));
    } else if (strcmp(msg->type, "shutdown_request") == 0) {
        const cJSON *restart = cJSON_GetObjectItemCaseSensitive(msg->content, "restart");
        cJSON *c = cJSON_CreateObject();
        cJSON_AddStringToObject(c, "status", "ok");
        cJSON_AddBoolToObject(c, "restart", cJSON_IsTrue(restart));
        kernel_publish(k, msg, "shutdown_reply", cJSON_Duplicate(c, true));
        kernel_reply(k, socket, msg, "shutdown_reply", c);
        k->stopping = true;
        if (k->running) usercell_interrupt();
    } else if (strcmp(msg->type, "interrupt_request") == 0) {
        if (k->running) usercell_interrupt();
        cJSON *c = cJSON_CreateObject();
        cJSON_AddStringToObject(c, "status", "ok");
        kernel_reply(k, socket, msg, "interrupt_reply", c);
    } else {
        return false;
    }
    return true;
}

static void serve_shell(Kernel *k, const KernelMsg *msg) {
    kernel_publish_status(k, msg, "busy");
    if (serve_common(k, k->shell, msg)) {
        /* kernel_info, shutdown or interrupt: answered */
    } else if (strcmp(msg->type, "execute_request") == 0) {
        kernel_execute(k, msg);
    } else if (strcmp(msg->type, "is_complete_request") == 0) {
        kernel_reply(k, k->shell, msg, "is_complete_reply", kernel_is_complete(content_string(msg, "code")));
    } else if (strcmp(msg->type, "complete_request") == 0) {
        kernel_reply(k, k->shell, msg, "complete_reply",
                     kernel_complete(content_string(msg, "code"), content_int(msg, "cursor_pos")));
    } else if (strcmp(msg->type, "inspect_request") == 0) {
        kernel_reply(k, k->shell, msg, "inspect_reply",
                     kernel_inspect(content_string(msg, "code"), content_int(msg, "cursor_pos")));
    } else if (strcmp(msg->type, "history_request") == 0) {
        cJSON *c = cJSON_CreateObject();
        cJSON_AddStringToObject(c, "status", "ok");
        cJSON_AddArrayToObject(c, "history");
        kernel_reply(k, k->shell, msg, "history_reply", c);
    } else if (strcmp(msg->type, "comm_info_request") == 0) {
        cJSON *c = cJSON_CreateObject();
        cJSON_AddStringToObject(c, "status", "ok");
        cJSON_AddObjectToObject(c, "comms");
        kernel_reply(k, k->shell, msg, "comm_info_reply", c);
    } else {
        log_line("ignored a %s (not handled by this kernel)", msg->type);
    }
    kernel_publish_status(k, msg, "idle");
}

/* Receives one message, or logs why it was dropped; false when none came. */
static bool receive(Kernel *k, void *socket, KernelMsg *msg) {
    const char *why = "";
    switch (kernel_wire_recv(socket, &k->key, msg, &why)) {
    case KERNEL_RECV_OK: return true;
    case KERNEL_RECV_DROPPED: log_line("dropped %s", why); return false;
    default: return false;
    }
}

void kernel_serve_control(Kernel *k) {
    for (;;) {
        zmq_pollitem_t item = {k->control, 0, ZMQ_POLLIN, 0};
        if (zmq_poll(&item, 1, 0) <= 0 || !(item.revents & ZMQ_POLLIN)) return;
        KernelMsg msg;
        if (!receive(k, k->control, &msg)) continue;
        if (!serve_common(k, k->control, &msg)) log_line("ignored a %s on the control channel", msg.type);
        kernel_msg_free(&msg);
    }
}

/* ---- connection file and sockets ---- */

static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *text = malloc(MAX_CONNECTION_FILE_BYTES + 1);
    size_t n = text ? fread(text, 1, MAX_CONNECTION_FILE_BYTES, f) : 0;
    fclose(f);
    if (text) text[n] = '\0';
    return text;
}

static void *bind_socket(Kernel *k, const cJSON *conn, int type, const char *port_name) {
    const cJSON *transport = cJSON_GetObjectItemCaseSensitive(conn, "transport");
    const cJSON *ip = cJSON_GetObjectItemCaseSensitive(conn, "ip");
    const cJSON *port = cJSON_GetObjectItemCaseSensitive(conn, port_name);
    if (!cJSON_IsString(ip) || !cJSON_IsNumber(port)) {
        fprintf(stderr, "nbreplay kernel: the connection file has no ip or %s\n", port_name);
        return NULL;
    }
    const char *scheme = cJSON_IsString(transport) ? transport->valuestring : "tcp";
    char endpoint[512];
    if (strcmp(scheme, "ipc") == 0)
        snprintf(endpoint, sizeof endpoint, "ipc://%s-%d", ip->valuestring, port->valueint);
    else
        snprintf(endpoint, sizeof endpoint, "%s://%s:%d", scheme, ip->valuestring, port->valueint);
    void *socket = zmq_socket(k->context, type);
    int linger = 1000;
    if (socket) zmq_setsockopt(socket, ZMQ_LINGER, &linger, sizeof linger);
    if (!socket || zmq_bind(socket, endpoint) != 0) {
        fprintf(stderr, "nbreplay kernel: cannot bind %s (%s): %s\n", port_name, endpoint, zmq_strerror(zmq_errno()));
        if (socket) zmq_close(socket);
        return NULL;
    }
    return socket;
}

static int read_connection(Kernel *k, const char *path) {
    char *text = read_file(path);
    cJSON *conn = text ? cJSON_Parse(text) : NULL;
    free(text);
    if (!cJSON_IsObject(conn)) {
        fprintf(stderr, "nbreplay kernel: %s: %s\n", path, conn ? "not a JSON object" : "cannot read it as JSON");
        cJSON_Delete(conn);
        return -1;
    }
    const cJSON *scheme = cJSON_GetObjectItemCaseSensitive(conn, "signature_scheme");
    const cJSON *key = cJSON_GetObjectItemCaseSensitive(conn, "key");
    if (cJSON_IsString(scheme) && strcmp(scheme->valuestring, "hmac-sha256") != 0) {
        fprintf(stderr, "nbreplay kernel: %s: signature scheme %s is not supported (hmac-sha256 is)\n", path,
                scheme->valuestring);
        cJSON_Delete(conn);
        return -1;
    }
    if (cJSON_IsString(key) && key->valuestring[0]) {
        k->key.bytes = (unsigned char *)strdup(key->valuestring);
        k->key.len = strlen(key->valuestring);
    }
    k->shell = bind_socket(k, conn, ZMQ_ROUTER, "shell_port");
    k->control = k->shell ? bind_socket(k, conn, ZMQ_ROUTER, "control_port") : NULL;
    k->stdin_socket = k->control ? bind_socket(k, conn, ZMQ_ROUTER, "stdin_port") : NULL;
    k->iopub = k->stdin_socket ? bind_socket(k, conn, ZMQ_PUB, "iopub_port") : NULL;
    k->heartbeat = k->iopub ? bind_socket(k, conn, ZMQ_ROUTER, "hb_port") : NULL;
    cJSON_Delete(conn);
    return k->heartbeat ? 0 : -1;
}

static void *echo_heartbeat(void *socket) {
    zmq_proxy(socket, socket, NULL); /* returns when the context ends */
    zmq_close(socket);
    return NULL;
}

static void close_sockets(Kernel *k) {
    void *sockets[] = {k->shell, k->control, k->stdin_socket, k->iopub};
    for (size_t i = 0; i < sizeof sockets / sizeof sockets[0]; i++)
        if (sockets[i]) zmq_close(sockets[i]);
}

bool kernel_available(void) { return true; }

int kernel_serve(const char *connection_file, const KernelConfig *config) {
    if (sodium_init() < 0) {
        fprintf(stderr, "nbreplay kernel: libsodium failed to start\n");
        return 1;
    }
    Kernel k = {.config = config, .context = zmq_ctx_new()};
    unsigned char id[16];
    randombytes_buf(id, sizeof id);
    sodium_bin2hex(k.session, sizeof k.session, id, sizeof id);
    if (read_connection(&k, connection_file) != 0) {
        close_sockets(&k);
        if (k.heartbeat) zmq_close(k.heartbeat);
        zmq_ctx_term(k.context);
        free(k.key.bytes);
        return 1;
    }
    /* Jupyter's interrupt in signal mode, or a Ctrl-C in the terminal that
     * started the notebook: it stops a running cell (usercell_run's own
     * handler), never the kernel between cells. */
    signal(SIGINT, SIG_IGN);
    pthread_t heartbeat;
    pthread_create(&heartbeat, NULL, echo_heartbeat, k.heartbeat);
    kernel_publish_status(&k, NULL, "starting");
    while (!k.stopping) {
        zmq_pollitem_t items[] = {{k.control, 0, ZMQ_POLLIN, 0}, {k.shell, 0, ZMQ_POLLIN, 0}};
        if (zmq_poll(items, 2, -1) < 0) {
            if (zmq_errno() == EINTR) continue;
            break;
        }
        if (items[0].revents & ZMQ_POLLIN) kernel_serve_control(&k);
        if (!k.stopping && (items[1].revents & ZMQ_POLLIN)) {
            KernelMsg msg;
            if (receive(&k, k.shell, &msg)) {
                serve_shell(&k, &msg);
                kernel_msg_free(&msg);
            }
        }
    }
    close_sockets(&k);
    zmq_ctx_term(k.context); /* the heartbeat's proxy returns, and closes its socket */
    pthread_join(heartbeat, NULL);
    free(k.key.bytes);
    return 0;
}
