/* kernel_magic: the `//% NAME VALUE` lines of a cell (kernel_magic.h). */
#include "kernel_magic.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAGIC_MARK "//%"

static int parse_line(const char *line, size_t len, int lineno, KernelMagics *magics, char *why, size_t size) {
    char text[256];
    snprintf(text, sizeof text, "%.*s", (int)(len < sizeof text - 1 ? len : sizeof text - 1), line);
    char name[32] = "", value[200] = "", extra[8] = "";
    int n = sscanf(text, "%31s %199s %7s", name, value, extra);
    char *end;
    errno = 0;
    if (n == 2 && strcmp(name, "seed") == 0) {
        unsigned long long v = strtoull(value, &end, 10);
        if (*end == '\0' && value[0] != '-' && errno == 0 && v <= 0xffffffffULL) {
            magics->seed = (uint32_t)v;
            return 0;
        }
        snprintf(why, size, "line %d: //%% seed expects an integer 0..4294967295, got '%s'", lineno, value);
        return -1;
    }
    if (n == 2 && strcmp(name, "device") == 0) {
        if (strcmp(value, "auto") == 0) magics->device = KERNEL_DEVICE_AUTO;
        else if (strcmp(value, "cpu") == 0) magics->device = KERNEL_DEVICE_CPU;
        else if (strcmp(value, "cuda") == 0 || strcmp(value, "cuda:0") == 0) magics->device = KERNEL_DEVICE_CUDA;
        else {
            snprintf(why, size, "line %d: //%% device expects auto, cpu or cuda, got '%s'", lineno, value);
            return -1;
        }
        return 0;
    }
    if (n == 2 && strcmp(name, "timeout") == 0) {
        double v = strtod(value, &end);
        if (*end == '\0' && errno == 0 && isfinite(v) && v > 0) {
            magics->timeout_s = v;
            return 0;
        }
        snprintf(why, size, "line %d: //%% timeout expects a number of seconds > 0, got '%s'", lineno, value);
        return -1;
    }
    snprintf(why, size, "line %d: unknown magic '//%%%s' (expected //%% seed N, //%% device D or //%% timeout S)",
             lineno, text);
    return -1;
}

int kernel_magics_parse(const char *code, KernelMagics *magics, char *why, size_t why_size) {
    int lineno = 1;
    for (const char *line = code; *line; lineno++) {
        const char *eol = strchr(line, '\n');
        size_t len = eol ? (size_t)(eol - line) : strlen(line);
        const char *p = line;
        while (p < line + len && (*p == ' ' || *p == '\t')) p++;
        if ((size_t)(line + len - p) >= strlen(MAGIC_MARK) && strncmp(p, MAGIC_MARK, strlen(MAGIC_MARK)) == 0) {
            p += strlen(MAGIC_MARK);
            if (parse_line(p, (size_t)(line + len - p), lineno, magics, why, why_size) != 0) return -1;
        }
        if (!eol) break;
        line = eol + 1;
    }
    return 0;
}
