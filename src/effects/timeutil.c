/* timeutil.c - the monotonic clock (see timeutil.h). */
#include "config.h"

#include <errno.h>
#include <time.h>

#include "cgisetup/timeutil.h"

long long
timeutil_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
timeutil_pause_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}
