/* timeutil.h - the monotonic clock, for deadlines of bounded waits.
 *
 * Every wait in cgisetup polls for a condition until a deadline; the pause
 * between two polls is never the wait itself. */
#ifndef CGISETUP_TIMEUTIL_H
#define CGISETUP_TIMEUTIL_H

/* Milliseconds on the monotonic clock. */
long long timeutil_now_ms(void);
/* Pause MS milliseconds between two polls. */
void timeutil_pause_ms(unsigned ms);

#endif
