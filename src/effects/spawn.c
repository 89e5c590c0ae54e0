/* spawn.c - run a program from an argv (see spawn.h). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cgisetup/spawn.h"
#include "cgisetup/timeutil.h"
#include "cgisetup/util.h"

extern char **environ;

#define OUTPUT_MAX (1u << 20)

/* Read FD until EOF or the deadline; 0 at EOF, -ETIME on timeout. */
static int
read_until_eof(int fd, long long deadline, struct strbuf *out)
{
	char buf[4096];

	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		long long left = deadline - timeutil_now_ms();
		ssize_t n;

		if (left <= 0)
			return -ETIME;
		if (poll(&p, 1, (int)left) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		n = read(fd, buf, sizeof(buf));
		if (n == 0)
			return 0;
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			return -errno;
		if (out->len < OUTPUT_MAX && strbuf_add(out, buf, (size_t)n) < 0)
			return -ENOMEM;
	}
}

/* The child starts with no signal blocked and default dispositions: a
 * front end may block SIGINT/SIGTERM around an apply, and an httpd started
 * by apachectl must not inherit that. It also starts in a process group of
 * its own: a Ctrl-C on the terminal goes to the whole foreground group,
 * and while the front end holds it back until the work is done, it would
 * kill the config test in the middle of the apply (a failure, and a
 * rollback, that nobody asked for). Its stdin is /dev/null and its output
 * a pipe, so it never needs the terminal. */
static void
clean_signals(posix_spawnattr_t *attr)
{
	sigset_t none, all;

	sigemptyset(&none);
	sigfillset(&all);
	posix_spawnattr_init(attr);
	posix_spawnattr_setsigmask(attr, &none);
	posix_spawnattr_setsigdefault(attr, &all);
	posix_spawnattr_setpgroup(attr, 0);
	posix_spawnattr_setflags(attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
				       POSIX_SPAWN_SETPGROUP);
}

#ifndef HAVE_POSIX_SPAWN_FILE_ACTIONS_ADDCLOSEFROM_NP
/* Without closefrom in posix_spawn (glibc < 2.34): a close action for every
 * descriptor above stderr open now, from /proc/self/fd (the directory's own
 * descriptor included; closing it in the child is harmless). */
static void
add_close_all(posix_spawn_file_actions_t *fa)
{
	DIR *dir = opendir("/proc/self/fd");
	struct dirent *e;

	if (!dir)
		return;
	while ((e = readdir(dir))) {
		char *end;
		long fd = strtol(e->d_name, &end, 10);

		if (*end == '\0' && end != e->d_name && fd > STDERR_FILENO)
			posix_spawn_file_actions_addclose(fa, (int)fd);
	}
	closedir(dir);
}
#endif

/* The child keeps only stdin, stdout and stderr: cgisetup opens its own
 * descriptors close-on-exec, but what its caller left open (a lock file, a
 * log, the end of a pipe) is inherited by cgisetup and would otherwise live
 * on in every child, and in an Apache started by apachectl for that
 * Apache's whole life: the caller's next run waits on its own lock, a reader
 * of the pipe never sees EOF. The close actions run after the dup2s. */
static void
close_inherited(posix_spawn_file_actions_t *fa)
{
#ifdef HAVE_POSIX_SPAWN_FILE_ACTIONS_ADDCLOSEFROM_NP
	posix_spawn_file_actions_addclosefrom_np(fa, STDERR_FILENO + 1);
#else
	add_close_all(fa);
#endif
}

static int
start(char *const argv[], int pipefd[2], pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	int r;

	clean_signals(&attr);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDOUT_FILENO);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDERR_FILENO);
	posix_spawn_file_actions_addclose(&fa, pipefd[0]);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	close_inherited(&fa);
	r = posix_spawnp(pid, argv[0], &fa, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	return -r;
}

static int
wait_child(pid_t pid, int *ret_status)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -errno;
	*ret_status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return 0;
}

int
spawn_capture(char *const argv[], unsigned timeout_ms, int *ret_status, char **ret_output,
	      struct diag *d)
{
	_cleanup_strbuf_ struct strbuf out = STRBUF_INIT;
	int pipefd[2], r, status = 0;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return diag_fail(d, errno, N_("cannot create a pipe: %s"), strerror(errno));
	r = start(argv, pipefd, &pid);
	close(pipefd[1]);
	if (r < 0) {
		close(pipefd[0]);
		return diag_fail(d, r, N_("cannot run '%s': %s"), argv[0], strerror(-r));
	}
	r = read_until_eof(pipefd[0], timeutil_now_ms() + timeout_ms, &out);
	close(pipefd[0]);
	if (r == -ETIME)
		kill(pid, SIGKILL);
	if (wait_child(pid, &status) < 0 && r >= 0)
		r = -ECHILD;
	if (r < 0)
		return diag_fail(d, r, r == -ETIME ? N_("'%s' did not finish in time")
						   : N_("'%s' failed to run"),
				 argv[0]);
	*ret_status = status;
	if (ret_output)
		*ret_output = strbuf_detach(&out);
	return 0;
}

int
spawn_find_program(const char *program, char **ret_path)
{
	const char *env = getenv("PATH");
	/* sbin too: a non-root user's PATH may lack it, and apachectl lives there */
	_cleanup_free_ char *path = strdup_printf("%s:/usr/local/sbin:/usr/sbin:/sbin",
					          env ? env : "/usr/local/bin:/usr/bin:/bin");
	char *save = NULL;

	if (!path)
		return -ENOMEM;
	if (program[0] == '/') {
		if (access(program, X_OK) < 0)
			return -ENOENT;
		*ret_path = strdup(program);
		return *ret_path ? 0 : -ENOMEM;
	}
	for (char *dir = strtok_r(path, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		_cleanup_free_ char *full = path_join(dir, program);

		if (full && access(full, X_OK) == 0) {
			*ret_path = TAKE_PTR(full);
			return 0;
		}
	}
	return -ENOENT;
}
