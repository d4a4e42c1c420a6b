/* check.h for the suites: Check's own (<check.h>), except that a passing
 * ck_assert* no longer calls _mark_point. Check's _mark_point writes the
 * assertion's file and line to its message pipe, one write() per passing
 * assertion: the unit suites and the corpora tests (which run them again)
 * made millions of them, seconds of system time. A failing assertion
 * reports exactly as before; what goes is the "last checkpoint" Check
 * names when a test dies of a signal (mark_point() still sets one).
 * tests/meson.build puts this folder first on the suites' include path. */
#ifndef NB_CHECK_QUIET_H
#define NB_CHECK_QUIET_H
#pragma GCC system_header /* #include_next is a GCC extension */
#include_next <check.h>

#undef ck_assert_msg
#define ck_assert_msg(expr, ...)                                                        \
    ((expr) ? (void)0                                                                     \
            : _ck_assert_failed(__FILE__, __LINE__, "Assertion '" #expr "' failed", ##__VA_ARGS__))

#endif
