/* kernel_execute: an execute_request. The cell's magics give its seed,
 * device and time limit; usercell_run compiles and runs it in a child
 * (src/app/usercell), streaming what it prints to iopub as it comes, while
 * the kernel keeps answering the control channel (interrupt, shutdown). A
 * cell that fails, crashes, loops or does not compile is an `error` in the
 * notebook, with the compiler's or the library's own message. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"
#include "gpu.h"
#include "kernel_internal.h"
#include "kernel_magic.h"

/* What a running cell's output and ticks need. */
typedef struct Execution {
    Kernel *kernel;
    const KernelMsg *request;
    StrBuf pending; /* output not yet sent: an unfinished UTF-8 character */
} Execution;

static void publish_stream(Kernel *k, const KernelMsg *request, const char *name, const char *text, size_t len) {
    if (len == 0) return;
    StrBuf copy = STRBUF_INIT;
    nb_strbuf_append_len(&copy, text, len);
    cJSON *c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "name", name);
    cJSON_AddStringToObject(c, "text", nb_strbuf_cstr(&copy));
    nb_strbuf_free(&copy);
    kernel_publish(k, request, "stream", c);
}

/* How much of text ends on a whole UTF-8 character. */
static size_t whole_utf8(const char *text, size_t len) {
    size_t i = len, back = 0;
    while (i > 0 && back < 4 && ((unsigned char)text[i - 1] & 0xC0) == 0x80) i--, back++;
    if (i == 0) return len;
    unsigned char lead = (unsigned char)text[i - 1];
    size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    return need == back + 1 ? len : i - 1;
}

static void on_output(void *context, const char *data, size_t len) {
    Execution *e = context;
    nb_strbuf_append_len(&e->pending, data, len);
    size_t whole = whole_utf8(e->pending.data, e->pending.len);
    publish_stream(e->kernel, e->request, "stdout", e->pending.data, whole);
    memmove(e->pending.data, e->pending.data + whole, e->pending.len - whole);
    e->pending.len -= whole;
    e->pending.data[e->pending.len] = '\0';
}

static void on_tick(void *context) {
    Execution *e = context;
    kernel_serve_control(e->kernel);
}

static cJSON *lines_array(const char *text) {
    cJSON *lines = cJSON_CreateArray();
    for (const char *line = text; *line;) {
        const char *eol = strchr(line, '\n');
        size_t len = eol ? (size_t)(eol - line) : strlen(line);
        StrBuf one = STRBUF_INIT;
        nb_strbuf_append_len(&one, line, len);
        cJSON_AddItemToArray(lines, cJSON_CreateString(nb_strbuf_cstr(&one)));
        nb_strbuf_free(&one);
        if (!eol) break;
        line = eol + 1;
    }
    return lines;
}

/* The `error` on iopub and the execute_reply that says the same. */
static void reply_error(Kernel *k, const KernelMsg *request, int count, const char *ename, const char *evalue,
                        const char *traceback, bool publish) {
    cJSON *error = cJSON_CreateObject();
    cJSON_AddStringToObject(error, "ename", ename);
    cJSON_AddStringToObject(error, "evalue", evalue);
    cJSON_AddItemToObject(error, "traceback", lines_array(traceback));
    cJSON *reply = cJSON_Duplicate(error, true);
    if (publish) kernel_publish(k, request, "error", error);
    else cJSON_Delete(error);
    cJSON_AddStringToObject(reply, "status", "error");
    cJSON_AddNumberToObject(reply, "execution_count", count);
    kernel_reply(k, k->shell, request, "execute_reply", reply);
}

static void reply_ok(Kernel *k, const KernelMsg *request, int count) {
    cJSON *reply = cJSON_CreateObject();
    cJSON_AddStringToObject(reply, "status", "ok");
    cJSON_AddNumberToObject(reply, "execution_count", count);
    cJSON_AddArrayToObject(reply, "payload");
    cJSON_AddObjectToObject(reply, "user_expressions");
    kernel_reply(k, k->shell, request, "execute_reply", reply);
}

static const char *error_name(UserCellStatus status) {
    switch (status) {
    case USERCELL_COMPILE_ERROR: return "CompileError";
    case USERCELL_FAILED: return "Error";
    case USERCELL_CRASHED: return "CellCrashed";
    case USERCELL_EXITED: return "CellExited";
    case USERCELL_TIMED_OUT: return "TimeoutError";
    case USERCELL_INTERRUPTED: return "KeyboardInterrupt";
    case USERCELL_NO_COMPILER: return "NoCompiler";
    default: return "SystemError";
    }
}

static bool blank(const char *code) {
    return code[strspn(code, " \t\r\n")] == '\0';
}

/* Whether a GPU is usable, asked once, in a child of its own: the CUDA
 * driver does not survive fork(), so the kernel, which forks every cell,
 * must never start it itself. Returns 0, or -1 with why in `why`. */
static int probe_gpu(char *why, size_t size) {
    static int known = 0, usable = -1;
    static char reason[256] = "";
    if (!known) {
        int fds[2];
        if (pipe(fds) != 0) {
            snprintf(why, size, "pipe: %s", strerror(errno));
            return -1;
        }
        fflush(NULL);
        pid_t pid = fork();
        if (pid == 0) {
            close(fds[0]);
            int status = nb_gpu_probe(NULL);
            const char *message = status == 0 ? "" : nb_error_message();
            ssize_t w = write(fds[1], message, strlen(message));
            (void)w;
            _exit(status == 0 ? 0 : 1);
        }
        close(fds[1]);
        ssize_t n = pid > 0 ? read(fds[0], reason, sizeof reason - 1) : -1;
        reason[n > 0 ? n : 0] = '\0';
        close(fds[0]);
        int wait_status = 0;
        usable = pid > 0 && waitpid(pid, &wait_status, 0) == pid && WIFEXITED(wait_status) &&
                 WEXITSTATUS(wait_status) == 0 ? 0 : -1;
        if (usable != 0 && !reason[0]) snprintf(reason, sizeof reason, "the GPU probe failed");
        known = 1;
    }
    snprintf(why, size, "%s", reason);
    return usable;
}

/* The device the magic asks for, or -1 with why it cannot be had. */
static int resolve_device(KernelDevice wanted, Device *device, char *why, size_t size) {
    if (wanted == KERNEL_DEVICE_CPU) {
        *device = DEVICE_CPU;
        return 0;
    }
    char reason[256];
    if (probe_gpu(reason, sizeof reason) == 0) {
        *device = DEVICE_CUDA;
        return 0;
    }
    if (wanted == KERNEL_DEVICE_AUTO) {
        *device = DEVICE_CPU;
        return 0;
    }
    snprintf(why, size, "//%% device cuda: %s", reason);
    return -1;
}

static void report(Kernel *k, const KernelMsg *request, int count, const UserCellResult *result, bool silent) {
    char line[512];
    const char *what = usercell_describe(result, line, sizeof line);
    if (result->status == USERCELL_OK) {
        /* what the cell wrote to stderr itself */
        if (result->message.len && !silent) {
            publish_stream(k, request, "stderr", result->message.data, result->message.len);
            publish_stream(k, request, "stderr", "\n", 1);
        }
        reply_ok(k, request, count);
        return;
    }
    StrBuf traceback = STRBUF_INIT;
    bool message_is_the_line = result->status == USERCELL_FAILED || result->status == USERCELL_NO_COMPILER ||
                               result->status == USERCELL_SYSTEM_ERROR;
    if (result->message.len && !message_is_the_line) nb_strbuf_printf(&traceback, "%s\n", result->message.data);
    nb_strbuf_append(&traceback, what);
    if (result->partial) nb_strbuf_append(&traceback, "\nthe output above is partial: the cell stopped before its end");
    reply_error(k, request, count, error_name(result->status), what, nb_strbuf_cstr(&traceback), !silent);
    nb_strbuf_free(&traceback);
}

void kernel_execute(Kernel *k, const KernelMsg *request) {
    const cJSON *code_item = cJSON_GetObjectItemCaseSensitive(request->content, "code");
    const char *code = cJSON_IsString(code_item) ? code_item->valuestring : "";
    bool silent = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(request->content, "silent"));
    const cJSON *history = cJSON_GetObjectItemCaseSensitive(request->content, "store_history");
    bool store = !silent && !cJSON_IsFalse(history);
    if (store) k->execution_count++;
    int count = k->execution_count;
    if (!silent) { /* a silent request broadcasts nothing */
        cJSON *input = cJSON_CreateObject();
        cJSON_AddStringToObject(input, "code", code);
        cJSON_AddNumberToObject(input, "execution_count", count);
        kernel_publish(k, request, "execute_input", input);
    }

    KernelMagics magics = {.seed = 0, .device = KERNEL_DEVICE_AUTO, .timeout_s = 0};
    char why[512];
    Device device = DEVICE_CPU;
    if (kernel_magics_parse(code, &magics, why, sizeof why) != 0 ||
        resolve_device(magics.device, &device, why, sizeof why) != 0) {
        reply_error(k, request, count, "MagicError", why, why, !silent);
        return;
    }
    if (blank(code)) {
        reply_ok(k, request, count);
        return;
    }
    char name[32];
    snprintf(name, sizeof name, "In[%d]", count);
    Execution e = {.kernel = k, .request = request, .pending = STRBUF_INIT};
    UserCellJob job = {
        .name = name,
        .text = code,
        .seed = magics.seed,
        .device = device,
        .timeout_s = magics.timeout_s,
        .compiler = k->config->compiler,
        .on_output = silent ? NULL : on_output,
        .on_tick = on_tick,
        .context = &e,
    };
    for (int i = 0; i < k->config->ninclude_dirs; i++) job.include_dirs[i] = k->config->include_dirs[i];
    job.ninclude_dirs = k->config->ninclude_dirs;
    UserCellResult result;
    k->running = true;
    usercell_run(&job, &result);
    k->running = false;
    publish_stream(k, request, "stdout", e.pending.data, e.pending.len); /* a cut-off character */
    nb_strbuf_free(&e.pending);
    report(k, request, count, &result, silent);
    usercell_result_free(&result);
}
