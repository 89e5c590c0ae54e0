/* fuzz.h - shared by the libFuzzer harnesses (tests/fuzz/run.sh builds
 * them; never part of the default build). */
#ifndef CGISETUP_FUZZ_H
#define CGISETUP_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as a NUL-terminated string (the parsers take C strings; a NUL
 * inside the input ends it there, as it would in text read from a file by
 * the callers, which refuse or cut at a NUL the same way). */
static inline char *
fuzz_str(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

#endif
