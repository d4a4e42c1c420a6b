/* xml_escape: text made safe inside XML and HTML elements and attribute
 * values (the SVG charts, the HTML export, verify's JUnit report). */
#ifndef NB_XML_ESCAPE_H
#define NB_XML_ESCAPE_H

#include <stddef.h>

#include "strbuf.h"

/* Appends text with &, <, > and " escaped. Control characters other than
 * tab, newline and carriage return, which XML 1.0 cannot hold in any form,
 * become '?'. */
void xml_escape(StrBuf *out, const char *text, size_t len);

#endif
