/* atomic_file: writes a whole file or nothing. The bytes go to a temporary
 * file in the same folder, which is then renamed over the target, so a
 * reader (or a crash) never sees half a file and a failed write leaves any
 * existing file as it was. */
#ifndef NB_ATOMIC_FILE_H
#define NB_ATOMIC_FILE_H

#include <stddef.h>

/* Returns 0, or -1 with error.h set to one line naming the path and the
 * reason ("cannot write out/x.html: Permission denied"). The new file gets
 * the permissions a newly created file would (0666 less the umask). */
int atomic_write_file(const char *path, const char *data, size_t len);

#endif
