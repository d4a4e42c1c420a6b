/* kernel_spec: the kernelspec Jupyter reads to start this kernel
 * (share/jupyter/kernels/nbreplay/kernel.json). */
#define _GNU_SOURCE /* strdup */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kernel.h"

char *kernel_spec_json(const char *program) {
    cJSON *spec = cJSON_CreateObject();
    cJSON *argv = cJSON_AddArrayToObject(spec, "argv");
    const char *args[] = {program, "kernel", "-f", "{connection_file}"};
    for (size_t i = 0; i < 4; i++) cJSON_AddItemToArray(argv, cJSON_CreateString(args[i]));
    cJSON_AddStringToObject(spec, "display_name", "C (nbreplay)");
    cJSON_AddStringToObject(spec, "language", "c");
    /* Ctrl-C in the notebook is an interrupt_request on the control channel:
     * the kernel stops the running cell and stays */
    cJSON_AddStringToObject(spec, "interrupt_mode", "message");
    cJSON *metadata = cJSON_AddObjectToObject(spec, "metadata");
    cJSON_AddBoolToObject(metadata, "debugger", false);
    char *printed = cJSON_Print(spec);
    cJSON_Delete(spec);
    char *text = printed ? malloc(strlen(printed) + 2) : NULL;
    if (text) sprintf(text, "%s\n", printed);
    cJSON_free(printed);
    return text;
}

/* mkdir -p */
static int make_dirs(const char *dir) {
    char *path = strdup(dir);
    if (!path) return -1;
    for (char *p = path + 1;; p++) {
        if (*p != '/' && *p != '\0') continue;
        char c = *p;
        *p = '\0';
        if (mkdir(path, 0755) != 0 && errno != EEXIST) {
            free(path);
            return -1;
        }
        if (c == '\0') break;
        *p = c;
    }
    free(path);
    return 0;
}

int kernel_spec_write(const char *dir, const char *program) {
    if (make_dirs(dir) != 0) return -1;
    char *text = kernel_spec_json(program);
    if (!text) return -1;
    char path[4096];
    snprintf(path, sizeof path, "%s/kernel.json", dir);
    FILE *f = fopen(path, "w");
    int status = f && fputs(text, f) >= 0 ? 0 : -1;
    if (f && fclose(f) != 0) status = -1;
    free(text);
    return status;
}
