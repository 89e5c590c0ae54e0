/* sighold.c - hold back the stopping signals around work (see sighold.h).
 *
 * Why consume rather than catch: a handler would have to be installed
 * before the work and put back after, and the wizard has its own (it gives
 * the terminal back, then dies); sigtimedwait() on the blocked set takes a
 * pending signal out of the queue without running any handler, so the
 * caller decides what a Ctrl-C that came during the work means.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <time.h>

#include "cgisetup/sighold.h"
#include "cgisetup/util.h"

static const int stopping[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

void
sighold_begin(struct sighold *h)
{
	sigset_t set;

	sigemptyset(&set);
	for (size_t i = 0; i < ELEMENTSOF(stopping); i++)
		sigaddset(&set, stopping[i]);
	sigprocmask(SIG_BLOCK, &set, &h->old);
	/* a signal the caller held already stays the caller's */
	sigemptyset(&h->held);
	for (size_t i = 0; i < ELEMENTSOF(stopping); i++)
		if (!sigismember(&h->old, stopping[i]))
			sigaddset(&h->held, stopping[i]);
}

static bool
ignored(int sig)
{
	struct sigaction sa;

	return sigaction(sig, NULL, &sa) == 0 && !(sa.sa_flags & SA_SIGINFO) &&
	       sa.sa_handler == SIG_IGN;
}

int
sighold_end(struct sighold *h)
{
	static const struct timespec now = { 0, 0 };
	int first = 0;

	for (;;) {
		int sig = sigtimedwait(&h->held, NULL, &now);

		if (sig < 0 && errno == EINTR) /* a handler of another signal (SIGWINCH) ran */
			continue;
		if (sig < 0)
			break; /* EAGAIN: none left */
		if (!first && !ignored(sig))
			first = sig;
	}
	sigprocmask(SIG_SETMASK, &h->old, NULL);
	return first;
}
