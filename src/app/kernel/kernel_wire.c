/* kernel_wire: Jupyter's messages on ZeroMQ sockets, signed with libsodium's
 * HMAC-SHA256 (libzmq itself links libsodium on Debian, so this adds no
 * library to the process). */
#define _GNU_SOURCE /* strdup */
#include "kernel_wire.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <zmq.h>

#define DELIMITER "<IDS|MSG>"
#define MAX_FRAMES 32

void kernel_wire_sign(const KernelKey *key, const KernelFrame frames[4], char hex[65]) {
    hex[0] = '\0';
    if (!key->bytes || key->len == 0) return;
    crypto_auth_hmacsha256_state state;
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_init(&state, key->bytes, key->len);
    for (int i = 0; i < 4; i++)
        crypto_auth_hmacsha256_update(&state, (const unsigned char *)frames[i].data, frames[i].len);
    crypto_auth_hmacsha256_final(&state, mac);
    sodium_bin2hex(hex, 65, mac, sizeof mac);
}

static void frames_free(KernelFrame *frames, int n) {
    for (int i = 0; i < n; i++) free(frames[i].data);
}

/* All the frames of one multipart message (at most MAX_FRAMES kept). */
static int recv_frames(void *socket, KernelFrame *frames, int *nframes) {
    *nframes = 0;
    int more = 1;
    while (more) {
        zmq_msg_t part;
        zmq_msg_init(&part);
        if (zmq_msg_recv(&part, socket, 0) < 0) {
            zmq_msg_close(&part);
            frames_free(frames, *nframes);
            return -1;
        }
        more = zmq_msg_more(&part);
        if (*nframes < MAX_FRAMES) {
            size_t len = zmq_msg_size(&part);
            char *data = malloc(len + 1);
            if (data) {
                memcpy(data, zmq_msg_data(&part), len);
                data[len] = '\0';
                frames[(*nframes)++] = (KernelFrame){data, len};
            }
        }
        zmq_msg_close(&part);
    }
    return 0;
}

KernelRecv kernel_wire_recv(void *socket, const KernelKey *key, KernelMsg *msg, const char **why) {
    memset(msg, 0, sizeof *msg);
    KernelFrame frames[MAX_FRAMES];
    int n;
    if (recv_frames(socket, frames, &n) != 0) return KERNEL_RECV_ERROR;
    int delim = -1;
    for (int i = 0; i < n && delim < 0; i++)
        if (frames[i].len == strlen(DELIMITER) && memcmp(frames[i].data, DELIMITER, frames[i].len) == 0)
            delim = i;
    KernelRecv status = KERNEL_RECV_DROPPED;
    if (delim < 0 || n - delim < 6 || delim > KERNEL_MAX_IDENTITIES) {
        *why = "a malformed message (no <IDS|MSG> and five frames after it)";
        goto done;
    }
    char expected[65];
    kernel_wire_sign(key, &frames[delim + 2], expected);
    const KernelFrame *signature = &frames[delim + 1];
    if (signature->len != strlen(expected) ||
        (signature->len > 0 && sodium_memcmp(signature->data, expected, signature->len) != 0)) {
        *why = "a message with a bad signature";
        goto done;
    }
    msg->header = cJSON_Parse(frames[delim + 2].data);
    msg->parent = cJSON_Parse(frames[delim + 3].data);
    msg->metadata = cJSON_Parse(frames[delim + 4].data);
    msg->content = cJSON_Parse(frames[delim + 5].data);
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(msg->header, "msg_type");
    if (!cJSON_IsObject(msg->header) || !cJSON_IsObject(msg->content) || !cJSON_IsString(type)) {
        *why = "a message whose header or content is not JSON of the protocol";
        kernel_msg_free(msg);
        goto done;
    }
    msg->type = type->valuestring;
    for (int i = 0; i < delim; i++) {
        msg->ids[i] = frames[i];
        frames[i].data = NULL;
    }
    msg->nids = delim;
    status = KERNEL_RECV_OK;
done:
    frames_free(frames, n);
    return status;
}

void kernel_msg_free(KernelMsg *msg) {
    for (int i = 0; i < msg->nids; i++) free(msg->ids[i].data);
    cJSON_Delete(msg->header);
    cJSON_Delete(msg->parent);
    cJSON_Delete(msg->metadata);
    cJSON_Delete(msg->content);
    memset(msg, 0, sizeof *msg);
}

static void iso_now(char *buf, size_t size) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    gmtime_r(&tv.tv_sec, &tm);
    char date[32];
    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf, size, "%s.%06ldZ", date, (long)tv.tv_usec);
}

static cJSON *new_header(const char *session, const char *msg_type) {
    unsigned char id[16];
    char hex[33], msg_id[40], date[48];
    randombytes_buf(id, sizeof id);
    sodium_bin2hex(hex, sizeof hex, id, sizeof id);
    snprintf(msg_id, sizeof msg_id, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
    iso_now(date, sizeof date);
    cJSON *header = cJSON_CreateObject();
    cJSON_AddStringToObject(header, "msg_id", msg_id);
    cJSON_AddStringToObject(header, "session", session);
    cJSON_AddStringToObject(header, "username", "nbreplay");
    cJSON_AddStringToObject(header, "date", date);
    cJSON_AddStringToObject(header, "msg_type", msg_type);
    cJSON_AddStringToObject(header, "version", KERNEL_PROTOCOL_VERSION);
    return header;
}

/* cJSON's text, in memory of malloc's own (cJSON may have other hooks) */
static char *json_text(const cJSON *item) {
    char *printed = cJSON_PrintUnformatted(item);
    char *text = printed ? strdup(printed) : NULL;
    cJSON_free(printed);
    return text;
}

static int send_frame(void *socket, const void *data, size_t len, bool more) {
    return zmq_send(socket, data, len, more ? ZMQ_SNDMORE : 0) < 0 ? -1 : 0;
}

int kernel_wire_send(void *socket, const KernelKey *key, const char *session, const KernelMsg *parent,
                     const char *topic, const char *msg_type, cJSON *content) {
    cJSON *header = new_header(session, msg_type);
    char *texts[4] = {
        json_text(header),
        parent && parent->header ? json_text(parent->header) : strdup("{}"),
        strdup("{}"),
        content ? json_text(content) : strdup("{}"),
    };
    cJSON_Delete(header);
    cJSON_Delete(content);
    int status = 0;
    KernelFrame frames[4];
    for (int i = 0; i < 4; i++) {
        if (!texts[i]) status = -1;
        frames[i] = (KernelFrame){texts[i], texts[i] ? strlen(texts[i]) : 0};
    }
    if (status == 0) {
        char signature[65];
        kernel_wire_sign(key, frames, signature);
        if (parent && parent->nids > 0)
            for (int i = 0; i < parent->nids && status == 0; i++)
                status = send_frame(socket, parent->ids[i].data, parent->ids[i].len, true);
        else if (topic)
            status = send_frame(socket, topic, strlen(topic), true);
        if (status == 0) status = send_frame(socket, DELIMITER, strlen(DELIMITER), true);
        if (status == 0) status = send_frame(socket, signature, strlen(signature), true);
        for (int i = 0; i < 4 && status == 0; i++) status = send_frame(socket, frames[i].data, frames[i].len, i < 3);
    }
    for (int i = 0; i < 4; i++) free(texts[i]);
    return status;
}
