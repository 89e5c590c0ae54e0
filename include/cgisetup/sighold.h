/* sighold.h - hold back the signals that stop a program while work that
 * must not be cut runs, and learn afterwards whether one came.
 *
 *   struct sighold h;
 *   sighold_begin(&h);        SIGINT, SIGTERM, SIGHUP, SIGQUIT blocked
 *   ... write, activate ...
 *   sig = sighold_end(&h);    0, or a stopping signal that arrived meanwhile
 *
 * sighold_end() consumes the signals that arrived (they would otherwise
 * take their default course, killing the process, the moment the mask is
 * restored): the caller shows the result of the work first, says that it
 * waited, and exits with the status of the work. A signal the process
 * ignores (nohup's SIGHUP) is consumed and not reported. Ctrl-C before
 * sighold_begin() or after sighold_end() acts as it always does.
 */
#ifndef CGISETUP_SIGHOLD_H
#define CGISETUP_SIGHOLD_H

#include <signal.h>

struct sighold {
	sigset_t old;
	sigset_t held; /* those of ours the caller had not blocked already */
};

void sighold_begin(struct sighold *h);
/* Restore the mask; the first stopping signal that arrived, or 0. */
int sighold_end(struct sighold *h);

#endif
