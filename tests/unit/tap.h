/* tap.h - the unit tests' assertions: TAP output, one line per assertion.
 *
 * Each test program includes this once, calls CHECK()/CHECK_STR() as often
 * as it likes and ends main() with "return tap_done();". */
#ifndef CGISETUP_TESTS_TAP_H
#define CGISETUP_TESTS_TAP_H

#include <stdio.h>

#include "cgisetup/util.h"

static int n_tests, n_failed;

static inline void
check(bool cond, const char *what, const char *file, int line)
{
	n_tests++;
	if (cond) {
		printf("ok %d - %s\n", n_tests, what);
		return;
	}
	n_failed++;
	printf("not ok %d - %s\n# at %s:%d\n", n_tests, what, file, line);
}
#define CHECK(cond) check((cond), #cond, __FILE__, __LINE__)

static inline void
check_str(const char *got, const char *want, const char *what, const char *file, int line)
{
	bool same = streq_ptr(got, want);

	check(same, what, file, line);
	if (!same)
		printf("# got:  '%s'\n# want: '%s'\n", got ? got : "(null)", want ? want : "(null)");
}
#define CHECK_STR(got, want) check_str((got), (want), #got " == " #want, __FILE__, __LINE__)

/* Like CHECK_STR, naming the table row in the TAP line. */
static inline void
check_str_named(const char *got, const char *want, const char *name, const char *field,
		const char *file, int line)
{
	char what[1024];

	snprintf(what, sizeof(what), "%s: %s", name, field);
	check_str(got, want, what, file, line);
}
#define CHECK_STR_AT(name, field, got, want) \
	check_str_named((got), (want), (name), (field), __FILE__, __LINE__)

static inline void
check_named(bool cond, const char *name, const char *what, const char *file, int line)
{
	char buf[1024];

	snprintf(buf, sizeof(buf), "%s: %s", name, what);
	check(cond, buf, file, line);
}
#define CHECK_AT(name, cond) check_named((cond), (name), #cond, __FILE__, __LINE__)

static inline int
tap_done(void)
{
	printf("1..%d\n", n_tests);
	return n_failed ? 1 : 0;
}

#endif
