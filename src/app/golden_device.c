/* golden_device: cell 1's golden as the run's device calls for it (see
 * golden_select_device_variant in golden.h). The committed golden was made
 * where torch saw no GPU; a GPU run of cell 1 prints the GPU's report
 * instead, whose varying lines the generator would have given these
 * patterns (golden/generate.py, cuda_report_patterns). */
#include <string.h>

#include "alloc.h"
#include "error.h"
#include "golden.h"
#include "strbuf.h"

#define CPU_REPORT "cuda not available"
#define GPU_REPORT_FIRST "cuda available"
#define GPU_REPORT_LINES 5

/* text: a sample, as the generator keeps one for a pattern line */
static const GoldenLine gpu_report[GPU_REPORT_LINES] = {
    {"cuda available", NULL}, {"NVIDIA GPU", ".+"}, {"0", "\\d+"}, {"0", "\\d+"}, {"0", "\\d+"},
};
static const GoldenLine cpu_report[1] = {{"cuda not available", NULL}};

static bool holds_cpu_report(const Golden *g) {
    return g->nlines == 1 && !g->lines[0].pattern && strcmp(g->lines[0].text, CPU_REPORT) == 0;
}

static bool holds_gpu_report(const Golden *g) {
    return g->nlines == GPU_REPORT_LINES && !g->lines[0].pattern && strcmp(g->lines[0].text, GPU_REPORT_FIRST) == 0;
}

static void free_lines(GoldenLine *lines, size_t n) {
    for (size_t i = 0; lines && i < n; i++) {
        nb_free(lines[i].text);
        nb_free(lines[i].pattern);
    }
    nb_free(lines);
}

/* Replaces g's lines and stdout with copies of `variant`. */
static int replace_lines(Golden *g, const GoldenLine *variant, size_t n) {
    GoldenLine *lines = nb_calloc(n, sizeof *lines);
    StrBuf out = STRBUF_INIT;
    bool ok = lines != NULL;
    for (size_t i = 0; ok && i < n; i++) {
        lines[i].text = nb_strdup(variant[i].text);
        lines[i].pattern = variant[i].pattern ? nb_strdup(variant[i].pattern) : NULL;
        ok = lines[i].text && (!variant[i].pattern || lines[i].pattern);
        nb_strbuf_append(&out, variant[i].text);
        if (i + 1 < n || g->trailing_newline) nb_strbuf_append_char(&out, '\n');
    }
    if (!ok || out.failed) {
        free_lines(lines, n);
        nb_strbuf_free(&out);
        nb_error_set(ERR_NOMEM, "%s: out of memory", g->origin ? g->origin : "golden");
        golden_free(g);
        return -1;
    }
    free_lines(g->lines, g->nlines);
    nb_free(g->stdout_text);
    g->lines = lines;
    g->nlines = n;
    g->stdout_text = out.data;
    return 0;
}

int golden_select_device_variant(Golden *golden, bool gpu_run) {
    if (golden->cell != 1) return 0;
    if (gpu_run && holds_cpu_report(golden)) return replace_lines(golden, gpu_report, GPU_REPORT_LINES);
    if (!gpu_run && holds_gpu_report(golden)) return replace_lines(golden, cpu_report, 1);
    return 0;
}
