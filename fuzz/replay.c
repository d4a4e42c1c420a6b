/* replay: runs a fuzz harness without libFuzzer on every file of the
 * folders (or the files) named on the command line, so the test suite
 * replays every input a fuzzer ever crashed on (fuzz/regressions/) and the
 * seed corpora with a plain compiler. A harness that breaks a promise
 * aborts, which fails the test; so does an unreadable file or finding no
 * input at all. */
#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Only some harnesses need setting up. */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

/* Replays one file; returns 0, or 1 when it cannot be read. */
static int replay_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        dprintf(STDERR_FILENO, "replay: cannot open %s\n", path);
        return 1;
    }
    size_t cap = 4096, len = 0;
    unsigned char *data = malloc(cap);
    size_t got;
    while (data && (got = fread(data + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap) {
            unsigned char *grown = realloc(data, cap *= 2);
            if (!grown) free(data);
            data = grown;
        }
    }
    fclose(f);
    if (!data) {
        dprintf(STDERR_FILENO, "replay: out of memory reading %s\n", path);
        return 1;
    }
    LLVMFuzzerTestOneInput(data, len);
    free(data);
    return 0;
}

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Replays a folder's files in name order (so a failure is reproducible);
 * returns how many could not be read, and counts the replayed ones. */
static int replay_folder(const char *dir, int *replayed) {
    DIR *d = opendir(dir);
    if (!d) {
        /* git keeps no empty folders, so a target nothing ever crashed has
         * no regressions folder; main still insists on some input */
        dprintf(STDERR_FILENO, "replay: no folder %s, nothing replayed from it\n", dir);
        return 0;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        if (n == cap) {
            char **grown = realloc(names, (cap = cap ? cap * 2 : 64) * sizeof *names);
            if (!grown) break;
            names = grown;
        }
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    int failures = 0;
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        failures += replay_file(path);
        (*replayed)++;
        free(names[i]);
    }
    free(names);
    return failures;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s FOLDER_OR_FILE...\n", argv[0]);
        return 2;
    }
    if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
    int failures = 0, replayed = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0 || S_ISDIR(st.st_mode)) {
            failures += replay_folder(argv[i], &replayed);
        } else {
            failures += replay_file(argv[i]);
            replayed++;
        }
    }
    /* the harness may have pointed the stdio streams at /dev/null */
    dprintf(STDERR_FILENO, "replay: %d inputs, %d unreadable\n", replayed, failures);
    return failures || replayed == 0 ? 1 : 0;
}
