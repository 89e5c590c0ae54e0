/* restart.h - bring Apache onto a new configuration.
 *
 * Through systemd's D-Bus API (service.h) when systemd is PID 1, through
 * the layout's control program (`apache2ctl restart`, `apachectl graceful`,
 * spawned with an argv) otherwise. The fallback is a supported path.
 *
 * Calling sequence:
 *	restart_probe(host, &state, &d);     before the first write
 *	... edit, config test ...
 *	job = verdict_restart_job(state.running, module_enabled, changed);
 *	restart_run(host, &state, job, &result, &d);
 *	restart_state_release(&state); restart_result_release(&result);
 */
#ifndef CGISETUP_RESTART_H
#define CGISETUP_RESTART_H

#include <stdbool.h>
#include <stdint.h>

#include "cgisetup/diag.h"
#include "cgisetup/probe.h"
#include "cgisetup/verdict.h"

struct apache_state {
	bool via_systemd;
	bool running;
	char *unit;          /* systemd unit, or NULL */
	char *invocation_id; /* systemd's InvocationID, or NULL */
	uint32_t main_pid;   /* from systemd or the PidFile; 0 if unknown */
	char *failed;        /* the unit is in the failed state: its service
			      * result ("exit-code", "start-limit-hit"), else NULL */
};

struct restart_result {
	enum restart_job job;
	char *how;     /* "RestartUnit apache2.service", "apache2ctl graceful" */
	struct apache_state after;
};

int restart_probe(const struct host *h, struct apache_state *ret, struct diag *d);
/* On failure *RET still holds the job and how it was tried (for the report). */
int restart_run(const struct host *h, const struct apache_state *before, enum restart_job job,
		struct restart_result *ret, struct diag *d);
/* The command a user runs to do JOB by hand: "systemctl restart
 * apache2.service" under systemd, "/usr/sbin/apache2ctl restart" without. */
char *restart_advice(const struct host *h, enum restart_job job);
void restart_state_release(struct apache_state *s);
void restart_result_release(struct restart_result *r);

#endif
