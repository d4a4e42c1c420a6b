/* golden: the expected output of a cell as real PyTorch printed it, loaded
 * from golden/cell-NN.json (written by golden/generate.py; the format is in
 * docs/golden.md), and the comparison that verify reports. */
#ifndef NB_GOLDEN_H
#define NB_GOLDEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"
#include "tolerance.h"

#define GOLDEN_FORMAT 2
/* Format 1 (each line twice: "stdout" and "lines") is still read. */
#define GOLDEN_FORMAT_OLD 1
#define GOLDEN_MAX_PARAMS 16
/* Goldens are kilobytes; anything this big is not one. */
#define GOLDEN_MAX_FILE_BYTES ((size_t)64 << 20)

/* What matching one golden's patterns may cost: PCRE2's match limit (calls
 * of its internal match function; its default is 10 million) and depth
 * limit (backtracking memory, KiB) for each line, and a time budget for
 * the whole comparison of a cell. A pattern that needs more (a
 * catastrophic one such as (?:.|.)*(?!)) fails the cell with one line. */
#define GOLDEN_MATCH_LIMIT 100000
#define GOLDEN_DEPTH_LIMIT 1000
#define GOLDEN_MATCH_SECONDS 5

typedef struct GoldenLine {
    char *text;     /* the line PyTorch printed (without '\n') */
    char *pattern;  /* NULL: must equal text; else a pattern (the common
                       subset of Python re and PCRE2) the whole line must
                       match, for lines that vary from run to run; text is
                       then the sample the generator saw */
} GoldenLine;

typedef struct GoldenParam {
    char *name;
    char *value;    /* integers are stored in decimal */
} GoldenParam;

typedef struct Golden {
    char *origin;    /* the file it came from (the name given to
                        golden_parse); errors and diffs name it */
    int format;      /* GOLDEN_FORMAT, or GOLDEN_FORMAT_OLD */
    int cell;        /* notebook execution number, or 0 for our own cells */
    char *name;      /* cell name, [a-z0-9_]+ */
    uint32_t seed;   /* np.random.seed(seed) ran right before the cell */
    GoldenParam params[GOLDEN_MAX_PARAMS];
    int nparams;
    char *python_version;
    char *torch_version;
    char *numpy_version;
    char *source;    /* the Python that produced it */
    char *stdout_text;
    GoldenLine *lines;  /* stdout split at '\n'; a final '\n' starts no line */
    size_t nlines;
    bool trailing_newline; /* stdout ended with '\n' */
} Golden;

/* Loads and validates one golden file (at most GOLDEN_MAX_FILE_BYTES; every
 * field checked; format 2 holds each line once, in "lines" (a string, or
 * {"text", "pattern"}) and "final_newline"; format 1 held "stdout" too,
 * and its "lines" ({"text"} each) must split it exactly; every pattern must
 * compile). Returns 0, or -1 with error.h set to one line that starts with
 * the path ("golden/cell-03.json: ...") and says what is wrong; *golden is
 * then zeroed and holds nothing to free. */
int golden_load(const char *path, Golden *golden);
/* The same from text in memory; `name` stands in for the path. */
int golden_parse(const char *json_text, const char *name, Golden *golden);
/* Frees what a successful load holds and zeroes it; safe on a zeroed one. */
void golden_free(Golden *golden);

/* Compares actual stdout with the golden, line by line: an exact line must
 * be equal, a pattern line must match whole, and the line count and the
 * final '\n' must agree. Returns 1 when it matches, 0 when not (then, unless
 * `diff` is NULL, a unified diff from the golden to the actual output is
 * appended to it, headed "--- <origin>" and "+++ <label>"), -1 on error (a
 * pattern that does not compile or fails to run, out of memory). */
int golden_compare(const Golden *golden, const char *actual, const char *label, StrBuf *diff);

/* golden_compare with the numbers in exact lines compared within `tol`
 * (src/tolerance.h: the text around them must still be equal); pattern
 * lines still match by their pattern. When errors is not NULL it receives
 * the largest differences over the golden and actual lines at the same
 * position whose text agrees, within tolerance or not, so a failing cell
 * also says how far off it was. Returns as golden_compare. */
int golden_compare_tolerant(const Golden *golden, const char *actual, const char *label, const Tolerance *tol,
                            ToleranceErrors *errors, StrBuf *diff);

/* Cell 1 prints what torch.cuda reports, so its output depends on the
 * run's device rather than on the machine the golden was made on. A golden
 * of cell 1 holding one variant is rewritten to the variant of the run:
 * "cuda not available" for a CPU run; for a GPU run "cuda available" and
 * the device name, total, reserved and allocated memory as the patterns
 * golden/generate.py gives them (.+ and \d+). Other goldens, and a cell 1
 * golden that is neither variant, are left as they are. Returns 0, or -1
 * with error.h set (out of memory; the golden is then freed, as after a
 * failed golden_load). */
int golden_select_device_variant(Golden *golden, bool gpu_run);

#endif
