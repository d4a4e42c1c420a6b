/* progress: a status line on stderr while a long phase of a cell runs (the
 * cell-9 timings take seconds each at their default size), for a person
 * watching a terminal: `run 9`, `run` of the whole notebook and `export`
 * alike, since the cell itself reports its phases. A phase that ends within
 * a second (NBREPLAY_PROGRESS_AFTER seconds, if set) shows nothing, and
 * nothing at all is shown when stderr is not a terminal, so what scripts
 * and tests capture never depends on it. stdout is never touched. */
#ifndef NB_PROGRESS_H
#define NB_PROGRESS_H

typedef struct Progress Progress;

/* Starts a phase described by printf-style text ("drawing X"). After a
 * second the line appears and counts the seconds. Returns NULL, having
 * started nothing, when stderr is not a terminal or no thread can be had;
 * progress_end accepts that NULL. */
Progress *progress_begin(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Ends the phase; a line that was shown is completed with the time taken. */
void progress_end(Progress *p);

#endif
