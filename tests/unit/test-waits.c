/* test-waits.c - the effects' waits under a signal storm, and sighold.
 *
 * A SIGALRM handler installed without SA_RESTART fires every millisecond
 * (as the wizard's SIGWINCH handler may during a resize), so every
 * blocking call below is interrupted many times: each wait must retry with
 * what is left of its time, neither fail nor end early. Then sighold.h:
 * the stopping signals that came while held are reported once and
 * consumed, the caller's own blocked signals are left alone, an ignored
 * one is not reported. No root, no network beyond 127.0.0.1.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "cgisetup/fetch.h"
#include "cgisetup/fsops.h"
#include "cgisetup/sighold.h"
#include "cgisetup/spawn.h"
#include "cgisetup/timeutil.h"
#include "cgisetup/verify.h"
#include "tap.h"

static volatile sig_atomic_t ticks;

static void
on_alarm(int sig)
{
	(void)sig;
	ticks++;
}

static void
storm(bool on)
{
	struct itimerval it = { { 0, on ? 1000 : 0 }, { 0, on ? 1000 : 0 } };
	struct sigaction sa = { .sa_handler = on_alarm }; /* no SA_RESTART */

	sigemptyset(&sa.sa_mask);
	if (on)
		sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
}

static void
test_pause(void)
{
	long long t0 = timeutil_now_ms();
	sig_atomic_t before = ticks;

	timeutil_pause_ms(150);
	CHECK(timeutil_now_ms() - t0 >= 150);
	CHECK(ticks - before > 10); /* the storm did blow meanwhile */
}

static void
test_spawn(void)
{
	char sh[] = "/bin/sh", c[] = "-c", script[] = "sleep 0.2; echo done";
	char *argv[] = { sh, c, script, NULL };
	_cleanup_free_ char *out = NULL;
	struct diag d = { 0 };
	int status = -1;

	CHECK(spawn_capture(argv, 5000, &status, &out, &d) == 0);
	CHECK(status == 0);
	CHECK_STR(out, "done\n");
}

/* A child inherits only stdin, stdout and stderr: descriptors the caller
 * left open (not close-on-exec: a lock, a log, a pipe) are closed in it. */
static void
test_spawn_fds(void)
{
	char sh[] = "/bin/sh", c[] = "-c", script[] = "ls -1 /proc/$$/fd";
	char *argv[] = { sh, c, script, NULL };
	_cleanup_free_ char *out = NULL;
	struct diag d = { 0 };
	int status = -1, p[2];

	CHECK(pipe(p) == 0);
	CHECK(dup2(p[0], 17) == 17);
	CHECK(spawn_capture(argv, 5000, &status, &out, &d) == 0);
	CHECK(status == 0);
	CHECK_STR(out, "0\n1\n2\n");
	close(p[0]);
	close(p[1]);
	close(17);
}

/* verify_socket_listening (the wait for mod_cgid's daemon): a Unix socket
 * is seen once it listens, not while it is only bound, nor another name. */
static void
test_socket_listening(void)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	char other[sizeof(a.sun_path) + 8];
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	snprintf(a.sun_path, sizeof(a.sun_path), "/tmp/cgs-test-sock.%d", (int)getpid());
	snprintf(other, sizeof(other), "%s0", a.sun_path);
	unlink(a.sun_path);
	CHECK(fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0);
	CHECK(!verify_socket_listening(a.sun_path));
	CHECK(listen(fd, 1) == 0);
	CHECK(verify_socket_listening(a.sun_path));
	CHECK(!verify_socket_listening(other));
	close(fd);
	unlink(a.sun_path);
	CHECK(!verify_socket_listening(a.sun_path));
}

/* A refused connection is tried again until the time is up, not until
 * the first signal. */
static void
test_fetch(void)
{
	struct fetch_result res = { 0 };
	struct diag d = { 0 };
	long long t0 = timeutil_now_ms(), took;

	CHECK(fetch_get_retry("http://127.0.0.1:1/", 400, &res, &d) < 0);
	took = timeutil_now_ms() - t0;
	CHECK(res.error == FETCH_REFUSED);
	CHECK(took >= 400 && took < 5000);
	fetch_result_release(&res);
}

static void
test_pread(void)
{
	char path[] = "/tmp/cgisetup-test-waits-XXXXXX", buf[16] = "";
	int fd = mkstemp(path);

	CHECK(fd >= 0);
	if (fd < 0)
		return;
	unlink(path);
	CHECK(write(fd, "0123456789", 10) == 10);
	CHECK(fsops_pread_all(fd, buf, sizeof(buf) - 1, 2) == 8);
	CHECK_STR(buf, "23456789");
	close(fd);
}

static bool
pending(int sig)
{
	sigset_t set;

	sigpending(&set);
	return sigismember(&set, sig);
}

static void
test_sighold(void)
{
	static const struct timespec now = { 0, 0 };
	struct sighold h;
	sigset_t set, mask;

	/* nothing came */
	sighold_begin(&h);
	CHECK(sighold_end(&h) == 0);

	/* two came: reported (the lower number), consumed, the process alive */
	sighold_begin(&h);
	raise(SIGTERM);
	raise(SIGINT);
	CHECK(sighold_end(&h) == SIGINT);
	CHECK(!pending(SIGINT) && !pending(SIGTERM));

	/* the mask is the caller's again */
	sigprocmask(SIG_SETMASK, NULL, &mask);
	CHECK(!sigismember(&mask, SIGINT));

	/* a signal the caller blocked itself stays pending, for the caller */
	sigemptyset(&set);
	sigaddset(&set, SIGQUIT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sighold_begin(&h);
	raise(SIGQUIT);
	CHECK(sighold_end(&h) == 0);
	CHECK(pending(SIGQUIT));
	CHECK(sigtimedwait(&set, NULL, &now) == SIGQUIT);
	sigprocmask(SIG_UNBLOCK, &set, NULL);

	/* nohup: an ignored SIGHUP is no interruption */
	signal(SIGHUP, SIG_IGN);
	sighold_begin(&h);
	raise(SIGHUP);
	CHECK(sighold_end(&h) == 0);
	signal(SIGHUP, SIG_DFL);
}

int
main(void)
{
	storm(true);
	test_pause();
	test_spawn();
	test_spawn_fds();
	test_socket_listening();
	test_fetch();
	test_pread();
	test_sighold();
	storm(false);
	return tap_done();
}
