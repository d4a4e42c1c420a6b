/* float_text: printf's "%.*f" and "%.*e" of a double, exactly and without
 * printf, for the printer's hot path.
 *
 * glibc's printf rounds the exact binary value to nearest, ties to even,
 * and so does Python's format(); these functions do the same with integer
 * arithmetic in 128 bits. Where 128 bits are not enough (huge or tiny
 * values, long precisions) they decline and the caller asks printf. */
#ifndef NB_FLOAT_TEXT_H
#define NB_FLOAT_TEXT_H

/* Room for any text these write ("-" + 20 digits + "." + 19 digits). */
#define FLOAT_TEXT_MAX 48

/* "%.{prec}f" / "%.{prec}e" of finite x into buf (FLOAT_TEXT_MAX bytes, not
 * NUL-terminated); returns the length, or -1 when x or prec is outside
 * what the integer path covers (nothing written then). */
int float_text_fixed(char *buf, double x, int prec);
int float_text_sci(char *buf, double x, int prec);

#endif
