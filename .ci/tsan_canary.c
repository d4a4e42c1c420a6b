/* tsan_canary: two threads write one int without a lock. Under
 * ThreadSanitizer it must fail, which shows the race detector in .ci/run is
 * really armed (with the suppressions it runs the suite under). */
#include <pthread.h>
#include <stdio.h>

static int shared;

static void *writer(void *arg) {
    (void)arg;
    shared++;
    return NULL;
}

int main(void) {
    pthread_t a, b;
    pthread_create(&a, NULL, writer, NULL);
    pthread_create(&b, NULL, writer, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    printf("%d\n", shared);
    return 0;
}
