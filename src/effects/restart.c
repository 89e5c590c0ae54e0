/* restart.c - restart Apache through systemd or its control program
 * (see restart.h). */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>

#include "cgisetup/fsops.h"
#include "cgisetup/restart.h"
#include "cgisetup/service.h"
#include "cgisetup/spawn.h"
#include "cgisetup/timeutil.h"
#include "cgisetup/util.h"

#define JOB_TIMEOUT_MS 90000
#define CTL_TIMEOUT_MS 60000
#define PIDFILE_WAIT_MS 10000

void
restart_state_release(struct apache_state *s)
{
	free(s->unit);
	free(s->invocation_id);
	free(s->failed);
	*s = (struct apache_state){ 0 };
}

void
restart_result_release(struct restart_result *r)
{
	free(r->how);
	restart_state_release(&r->after);
	*r = (struct restart_result){ 0 };
}

/* Ask systemd which unit runs Apache: the layout's hint first. */
static int
probe_systemd(const struct host *h, struct apache_state *st, struct diag *d)
{
	const char *hint = h->layout.unit;
	char *candidates[] = { endswith(hint, ".service") ? (char *)hint : (char *)"apache2.service",
			       (char *)"apache2.service", (char *)"httpd.service",
			       (char *)"apache.service", NULL };
	struct service_state ss = { 0 };
	int r;

	r = service_find_unit(candidates, &st->unit, d);
	if (r < 0)
		return r;
	r = service_get_state(st->unit, &ss, d);
	if (r < 0)
		return r;
	st->running = streq_ptr(ss.active_state, "active") || streq_ptr(ss.active_state, "reloading");
	st->invocation_id = TAKE_PTR(ss.invocation_id);
	st->main_pid = ss.main_pid;
	if (streq_ptr(ss.active_state, "failed"))
		st->failed = strdup(ss.result ? ss.result : "unknown");
	r = streq_ptr(ss.active_state, "failed") && !st->failed ? -ENOMEM : 0;
	service_state_release(&ss);
	return r;
}

/* Without systemd: Apache runs when its PidFile names a live process. */
static void
probe_pidfile(const struct host *h, struct apache_state *st)
{
	_cleanup_free_ char *text = NULL;
	unsigned long pid;
	char *end;

	if (!h->live.pid_file || fsops_read(NULL, h->live.pid_file, &text, NULL, NULL) < 0)
		return;
	pid = strtoul(text, &end, 10);
	if (pid == 0 || pid > UINT32_MAX || (*end && *end != '\n'))
		return;
	if (kill((pid_t)pid, 0) == 0 || errno == EPERM) {
		st->running = true;
		st->main_pid = (uint32_t)pid;
	}
}

int
restart_probe(const struct host *h, struct apache_state *ret, struct diag *d)
{
	struct apache_state st = { .via_systemd = service_systemd_running() };
	int r = 0;

	if (st.via_systemd)
		r = probe_systemd(h, &st, d);
	else
		probe_pidfile(h, &st);
	if (r < 0) {
		restart_state_release(&st);
		return r;
	}
	*ret = st;
	return 0;
}

static int
run_systemd(const struct apache_state *before, enum restart_job job, struct restart_result *res,
	    struct diag *d)
{
	static const struct {
		enum service_job job;
		const char *method;
	} map[] = {
		[RESTART_START] = { SERVICE_JOB_START, "StartUnit" },
		[RESTART_RELOAD] = { SERVICE_JOB_RELOAD_OR_RESTART, "ReloadOrRestartUnit" },
		[RESTART_FULL] = { SERVICE_JOB_RESTART, "RestartUnit" },
		[RESTART_STOP] = { SERVICE_JOB_STOP, "StopUnit" },
	};

	res->how = strdup_printf("%s %s", map[job].method, before->unit);
	if (!res->how)
		return -ENOMEM;
	return service_run_job(before->unit, map[job].job, JOB_TIMEOUT_MS, NULL, d);
}

/* `apache2ctl restart` (Debian) or `apachectl graceful`: both accept the
 * verb as their only argument and run httpd's own config test first. */
static int
run_ctl(const struct host *h, enum restart_job job, struct restart_result *res, struct diag *d)
{
	static const char *const verbs[] = { [RESTART_START] = "start",
					     [RESTART_RELOAD] = "graceful",
					     [RESTART_FULL] = "restart",
					     [RESTART_STOP] = "stop" };
	_cleanup_free_ char *ctl = NULL, *out = NULL;
	int r, status;

	r = spawn_find_program(h->layout.family->ctl, &ctl);
	if (r < 0)
		return diag_fail(d, r, N_("cannot restart Apache: no systemd and no '%s' found"),
				 h->layout.family->ctl);
	res->how = strdup_printf("%s %s", ctl, verbs[job]);
	if (!res->how)
		return -ENOMEM;
	r = spawn_capture((char *[]){ ctl, (char *)verbs[job], NULL }, CTL_TIMEOUT_MS, &status, &out,
			  d);
	if (r < 0)
		return r;
	if (status != 0) {
		diag_set_detail(d, out);
		return diag_fail(d, EIO, N_("'%s' failed with exit status %d"), res->how, status);
	}
	return 0;
}

/* apachectl returns once httpd has detached, before the daemon writes its
 * PidFile: poll for it, up to a deadline, instead of trusting the moment. */
static void
wait_pidfile(const struct host *h, struct apache_state *st)
{
	long long deadline = timeutil_now_ms() + PIDFILE_WAIT_MS;

	for (;;) {
		probe_pidfile(h, st);
		if (st->running || timeutil_now_ms() >= deadline)
			return;
		timeutil_pause_ms(50);
	}
}

int
restart_run(const struct host *h, const struct apache_state *before, enum restart_job job,
	    struct restart_result *ret, struct diag *d)
{
	struct restart_result res = { .job = job };
	int r = 0;

	if (job != RESTART_NONE)
		r = before->via_systemd ? run_systemd(before, job, &res, d) : run_ctl(h, job, &res, d);
	if (r >= 0)
		r = restart_probe(h, &res.after, d);
	if (r >= 0 && !res.after.via_systemd && job != RESTART_NONE && job != RESTART_STOP)
		wait_pidfile(h, &res.after);
	if (r < 0) {
		/* what was tried still belongs in the report */
		restart_state_release(&res.after);
		*ret = (struct restart_result){ .job = res.job, .how = res.how };
		return r;
	}
	*ret = res;
	return 0;
}

char *
restart_advice(const struct host *h, enum restart_job job)
{
	static const char *const sd_verbs[] = { [RESTART_NONE] = "reload",
						[RESTART_START] = "start",
						[RESTART_RELOAD] = "reload",
						[RESTART_FULL] = "restart",
						[RESTART_STOP] = "stop" };
	static const char *const ctl_verbs[] = { [RESTART_NONE] = "graceful",
						 [RESTART_START] = "start",
						 [RESTART_RELOAD] = "graceful",
						 [RESTART_FULL] = "restart",
						 [RESTART_STOP] = "stop" };
	_cleanup_free_ char *ctl = NULL;

	if (service_systemd_running())
		return strdup_printf("systemctl %s %s", sd_verbs[job], h->layout.unit);
	if (spawn_find_program(h->layout.family->ctl, &ctl) < 0)
		return strdup_printf("%s %s", h->layout.family->ctl, ctl_verbs[job]);
	return strdup_printf("%s %s", ctl, ctl_verbs[job]);
}
