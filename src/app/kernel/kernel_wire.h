/* kernel_wire: Jupyter's wire protocol (messaging 5.3) over ZeroMQ: a
 * message is the routing identities, "<IDS|MSG>", the HMAC-SHA256 signature
 * (hex) of the four JSON frames that follow (header, parent_header,
 * metadata, content), then those frames. Signing and checking use
 * libsodium; a message whose signature is wrong is dropped. */
#ifndef NB_KERNEL_WIRE_H
#define NB_KERNEL_WIRE_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#define KERNEL_PROTOCOL_VERSION "5.3"
#define KERNEL_MAX_IDENTITIES 8

typedef struct KernelKey {
    unsigned char *bytes; /* NULL or empty: messages are neither signed nor checked */
    size_t len;
} KernelKey;

typedef struct KernelFrame {
    char *data;
    size_t len;
} KernelFrame;

typedef struct KernelMsg {
    KernelFrame ids[KERNEL_MAX_IDENTITIES];
    int nids;
    cJSON *header, *parent, *metadata, *content;
    const char *type; /* header.msg_type, inside header */
} KernelMsg;

typedef enum KernelRecv {
    KERNEL_RECV_OK,
    KERNEL_RECV_DROPPED, /* bad signature or malformed: *why says which */
    KERNEL_RECV_ERROR,   /* the socket failed */
} KernelRecv;

/* Receives one message from `socket` and checks its signature. */
KernelRecv kernel_wire_recv(void *socket, const KernelKey *key, KernelMsg *msg, const char **why);
void kernel_msg_free(KernelMsg *msg);

/* Sends a message of type msg_type with `content` (taken over), a reply to
 * `parent` (its identities route it; NULL: none, as on iopub, where `topic`
 * is the one identity). session: the kernel's session id. 0, or -1. */
int kernel_wire_send(void *socket, const KernelKey *key, const char *session, const KernelMsg *parent,
                     const char *topic, const char *msg_type, cJSON *content);

/* The HMAC-SHA256 of the frames, as 64 hex digits and a '\0' (empty when
 * the key is). Exposed for the unit test. */
void kernel_wire_sign(const KernelKey *key, const KernelFrame frames[4], char hex[65]);

#endif
