/* data_paths: where nbreplay finds the data it reads: the goldens and
 * golden/generate.py (which reads the cells' Python beside them).
 *
 * Nothing is compiled in as an absolute path. The golden folder is, in
 * order: --golden-dir, $NBREPLAY_GOLDEN_DIR, then the one installed with
 * the program (<prefix>/share/nbreplay/golden, found from the executable's
 * own location, so a moved install still works), then build/golden, the
 * link to the source tree's goldens that a build tree has. */
#ifndef NB_DATA_PATHS_H
#define NB_DATA_PATHS_H

/* The golden folder to use when the user gave `option` (NULL if not). */
const char *data_golden_dir(const char *option);
/* golden/generate.py of the install or build tree, whatever folder the
 * goldens are read from or written to. */
const char *data_generator(void);

/* Where a user's cell finds notebook.h and the public headers: the
 * install's <prefix>/include/nbreplay, else the build tree's cell-include
 * links to the source folders. Fills dirs (at most max); returns the count. */
int data_cell_include_dirs(const char **dirs, int max);

#endif
