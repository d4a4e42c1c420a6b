/* pyfloat: Python's text for floats: repr() (shortest round-trip) and the
 * format-spec forms '{:.Nf}' and '{:.Ne}' that torch's printer uses. */
#ifndef NB_PYFLOAT_H
#define NB_PYFLOAT_H

#include "strbuf.h"

/* repr(x): "8.378900000138856e-05", "3.0", "1e+16", "nan", "-inf". */
void py_float_repr(StrBuf *out, double x);
/* '{:.{prec}f}'.format(x) and '{:.{prec}e}'.format(x) */
void py_float_fixed(StrBuf *out, double x, int prec);
void py_float_sci(StrBuf *out, double x, int prec);

#endif
