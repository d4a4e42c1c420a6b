/* verify_report: verify's text, TAP and JUnit reports (see
 * verify_report.h). */
#include "verify_report.h"

#include <string.h>

#include "../present/xml_escape.h"
#include "cli.h"
#include "../textdiff.h"

void verify_report_text(StrBuf *out, const VerifyResult *r) {
    char label[96];
    cli_cell_label(r->cell, label, sizeof label);
    /* goldens' text is shown escaped where it is not valid UTF-8 or would
     * drive the terminal */
    if (r->passed) {
        /* a passing cell has a reason only under --rtol/--atol: its errors */
        nb_strbuf_printf(out, "PASS %s%s", label, r->reason.len ? ": " : "");
        textdiff_append_printable(out, nb_strbuf_cstr(&r->reason), r->reason.len);
        nb_strbuf_append_char(out, '\n');
    } else if (r->diff.len > 0) {
        nb_strbuf_printf(out, "FAIL %s\n", label);
        textdiff_append_printable(out, r->diff.data, r->diff.len);
    } else {
        nb_strbuf_printf(out, "FAIL %s\n  ", label);
        textdiff_append_printable(out, nb_strbuf_cstr(&r->reason), r->reason.len);
        nb_strbuf_append_char(out, '\n');
    }
}

#define SGR_RED "\033[31m"
#define SGR_GREEN "\033[32m"
#define SGR_CYAN "\033[36m"
#define SGR_BOLD_RED "\033[1;31m"
#define SGR_RESET "\033[0m"

static void styled(StrBuf *out, bool color, const char *sgr, const char *text, size_t len) {
    if (color) nb_strbuf_append(out, sgr);
    nb_strbuf_append_len(out, text, len);
    if (color) nb_strbuf_append(out, SGR_RESET);
}

void verify_report_text_styled(StrBuf *out, const VerifyResult *r, bool color) {
    if (!color && !r->error) {
        verify_report_text(out, r);
        return;
    }
    char label[96];
    cli_cell_label(r->cell, label, sizeof label);
    const char *verdict = r->passed ? "PASS" : r->error ? "ERROR" : "FAIL";
    styled(out, color, r->passed ? SGR_GREEN : SGR_BOLD_RED, verdict, strlen(verdict));
    nb_strbuf_printf(out, " %s", label);
    if (r->passed) {
        nb_strbuf_printf(out, "%s%s\n", r->reason.len ? ": " : "", nb_strbuf_cstr(&r->reason));
        return;
    }
    nb_strbuf_append_char(out, '\n');
    if (r->diff.len == 0) {
        nb_strbuf_printf(out, "  %s\n", nb_strbuf_cstr(&r->reason));
        return;
    }
    for (const char *s = r->diff.data; *s;) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        bool head = n >= 3 && (strncmp(s, "---", 3) == 0 || strncmp(s, "+++", 3) == 0);
        const char *sgr = head ? NULL : s[0] == '-' ? SGR_RED : s[0] == '+' ? SGR_GREEN
                                                    : strncmp(s, "@@", 2) == 0 ? SGR_CYAN : NULL;
        if (sgr && n > 0)
            styled(out, color, sgr, s, n);
        else
            nb_strbuf_append_len(out, s, n);
        nb_strbuf_append_char(out, '\n');
        s += n + (nl ? 1 : 0);
    }
}

void verify_report_failed_line(StrBuf *out, const VerifyResult *results, int n) {
    bool any = false;
    for (int i = 0; i < n; i++) {
        if (results[i].passed || !results[i].cell) continue;
        nb_strbuf_append(out, any ? " " : "failed: ");
        if (results[i].cell->number > 0)
            nb_strbuf_printf(out, "%d", results[i].cell->number);
        else
            nb_strbuf_append(out, results[i].cell->name);
        any = true;
    }
    if (any) nb_strbuf_append_char(out, '\n');
}

void verify_report_tap_plan(StrBuf *out, int ncells) {
    nb_strbuf_printf(out, "TAP version 13\n1..%d\n", ncells);
}

/* A YAML double-quoted scalar. */
static void yaml_quoted(StrBuf *out, const char *text) {
    nb_strbuf_append_char(out, '"');
    for (const char *c = text; *c;) {
        if (*c == '"' || *c == '\\') {
            nb_strbuf_printf(out, "\\%c", *c++);
        } else if ((unsigned char)*c < 0x20) {
            nb_strbuf_printf(out, "\\x%02x", (unsigned char)*c++);
        } else { /* a run of plain text, shown as the terminal may show it */
            size_t n = 0;
            while (c[n] && c[n] != '"' && c[n] != '\\' && (unsigned char)c[n] >= 0x20) n++;
            textdiff_append_printable(out, c, n);
            c += n;
        }
    }
    nb_strbuf_append_char(out, '"');
}

void verify_report_tap(StrBuf *out, int number, const VerifyResult *r) {
    char label[96];
    cli_cell_label(r->cell, label, sizeof label);
    nb_strbuf_printf(out, "%s %d - %s\n", r->passed ? "ok" : "not ok", number, label);
    if (r->passed) return;
    nb_strbuf_append(out, "  ---\n  message: ");
    yaml_quoted(out, nb_strbuf_cstr(&r->reason));
    nb_strbuf_append(out, "\n  severity: fail\n");
    if (r->diff.len > 0) {
        /* a literal block keeps the diff as it is, one indented line each */
        nb_strbuf_append(out, "  diff: |\n");
        for (const char *s = r->diff.data; *s;) {
            const char *nl = strchr(s, '\n');
            size_t n = nl ? (size_t)(nl - s) : strlen(s);
            nb_strbuf_append(out, "    ");
            textdiff_append_printable(out, s, n);
            nb_strbuf_append_char(out, '\n');
            s += n + (nl ? 1 : 0);
        }
    }
    nb_strbuf_append(out, "  ...\n");
}

static void xml_text(StrBuf *out, const char *text) {
    xml_escape(out, text, strlen(text));
}

void verify_report_junit(StrBuf *out, const VerifyResult *results, int n, double seconds) {
    int failures = 0;
    for (int i = 0; i < n; i++) failures += !results[i].passed;
    nb_strbuf_printf(out,
                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<testsuites name=\"nbreplay verify\" tests=\"%d\" failures=\"%d\" errors=\"0\" "
                  "time=\"%.3f\">\n"
                  "  <testsuite name=\"nbreplay verify\" tests=\"%d\" failures=\"%d\" errors=\"0\" "
                  "skipped=\"0\" time=\"%.3f\">\n",
                  n, failures, seconds, n, failures, seconds);
    for (int i = 0; i < n; i++) {
        const VerifyResult *r = &results[i];
        char label[96];
        cli_cell_label(r->cell, label, sizeof label);
        nb_strbuf_append(out, "    <testcase classname=\"nbreplay.cells\" name=\"");
        xml_text(out, label);
        nb_strbuf_printf(out, "\" time=\"%.3f\"", r->seconds);
        if (r->passed) {
            nb_strbuf_append(out, "/>\n");
            continue;
        }
        nb_strbuf_append(out, ">\n      <failure message=\"");
        xml_text(out, nb_strbuf_cstr(&r->reason));
        nb_strbuf_printf(out, "\" type=\"%s\">", r->diff.len > 0 ? "diff" : "error");
        xml_text(out, r->diff.len > 0 ? r->diff.data : nb_strbuf_cstr(&r->reason));
        nb_strbuf_append(out, "</failure>\n    </testcase>\n");
    }
    nb_strbuf_append(out, "  </testsuite>\n</testsuites>\n");
}
