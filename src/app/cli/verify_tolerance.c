/* verify_tolerance: parsing the tolerances and wording the errors. */
#include "verify_tolerance.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "cli.h"

int verify_parse_tolerance(const char *option, const char *text, double *value) {
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (end == text || *end != '\0' || errno == ERANGE || !isfinite(v) || v < 0)
        return cli_usage_error("verify", "--%s expects a finite number >= 0, got '%s'", option, text);
    *value = v;
    return 0;
}

void verify_tolerance_note(VerifyResult *r, const Tolerance *tol, const ToleranceErrors *errors) {
    /* a failure with a diff shows the diff, not the reason: the numbers
     * go on top of the diff then, indented like a reason */
    bool above_diff = !r->passed && r->diff.len > 0;
    StrBuf *target = above_diff ? &r->diff : &r->reason;
    StrBuf note = STRBUF_INIT;
    nb_strbuf_printf(&note, "%s%s rtol=%g, atol=%g: max abs error %.3g, max rel error %.3g over %zu numbers",
                  above_diff ? "  " : "", r->passed ? "within" : "compared with", tol->rtol, tol->atol, errors->max_abs,
                  errors->max_rel, errors->numbers);
    if (target->len) nb_strbuf_printf(&note, above_diff ? "\n%s" : "; %s", nb_strbuf_cstr(target));
    nb_strbuf_free(target);
    *target = note;
}
