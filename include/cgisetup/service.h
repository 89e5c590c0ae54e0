/* service.h - ask systemd, over D-Bus, about a unit and run jobs on it.
 *
 * This is the only module that knows sd-bus (libsystemd). It talks to the
 * system bus as the caller: as root nothing asks questions; as another user
 * systemd asks polkit, and without an agent that answers "access denied"
 * (-EACCES) instead of prompting.
 *
 * Calling sequence (restart Apache and prove it restarted):
 *
 *	if (!service_systemd_running())
 *		... use the distribution's fallback (apachectl -k, rc-service) ...
 *	r = service_find_unit(candidates, &unit, &d);   "apache2.service", ...
 *	r = service_get_state(unit, &before, &d);
 *	... run the config test yourself: a restart with a broken config
 *	    leaves the site down ...
 *	r = service_run_job(unit, SERVICE_JOB_RESTART, 90000, NULL, &d);
 *	r = service_get_state(unit, &after, &d);
 *	a changed invocation_id proves a new process tree started;
 *	then fetch over HTTP with retries (fetch.h): on Debian the unit is
 *	Type=forking, so "done" means the parent exited, not that Apache
 *	already answers.
 *
 * Errors are negative errno values with D filled:
 *	-ENOTCONN	no system bus (systemd not running, no dbus)
 *	-EACCES		not allowed (not root and polkit said no)
 *	-ENOENT		unit not found (service_find_unit: none of the candidates)
 *	-ERFKILL	unit masked (systemd's own errno for it)
 *	-EOPNOTSUPP	job not applicable (reload on a unit that cannot reload)
 *	-EIO		the job failed or a dependency failed
 *	-ETIMEDOUT	the unit timed out, or our wait for the job did
 *	-ECANCELED	the job was canceled (another job replaced it)
 *	-ENOMEM, -EINVAL, or what sd-bus reported, otherwise
 */
#ifndef CGISETUP_SERVICE_H
#define CGISETUP_SERVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "cgisetup/diag.h"

enum service_job {
	SERVICE_JOB_START,             /* StartUnit: no-op when running */
	SERVICE_JOB_RESTART,           /* RestartUnit: stop + start; needed
					* after LoadModule changes */
	SERVICE_JOB_RELOAD_OR_RESTART, /* ReloadOrRestartUnit: graceful when
					* the unit can reload */
	SERVICE_JOB_RELOAD,            /* ReloadUnit: fails when not running */
	SERVICE_JOB_STOP,              /* StopUnit: leave it as the user had it */
};

struct service_state {
	bool loaded;         /* LoadState is "loaded" */
	bool masked;         /* LoadState is "masked": systemd refuses to start it */
	char *active_state;  /* "active", "failed", ... */
	char *sub_state;     /* "running", "dead", ... */
	char *result;        /* Service.Result ("success", "start-limit-hit",
			      * ...); NULL when the unit is not a service */
	char *invocation_id; /* 32 hex digits, "" when never started */
	uint32_t main_pid;   /* 0 when none */
};

/* Free the strings of S and zero it; S may be NULL or already released. */
void service_state_release(struct service_state *s);

/* Whether this host was booted with systemd (sd_booted() > 0). */
bool service_systemd_running(void);

/* Set *RET_UNIT to a copy of the first of CANDIDATES (NULL-terminated) that
 * systemd knows as a loaded unit (LoadUnit, or GetUnit when loading is not
 * allowed, then LoadState == "loaded"). -ERFKILL when none is but one is
 * masked (named), -ENOENT when none is at all. */
int service_find_unit(char *const *candidates, char **ret_unit, struct diag *d);

/* Read the state of UNIT into *RET (release it with service_state_release).
 * A unit that does not exist is not an error: ret->loaded is false. */
int service_get_state(const char *unit, struct service_state *ret, struct diag *d);

/* Enqueue JOB on UNIT with mode "replace" and wait, at most TIMEOUT_MS, for
 * that job (not any other) to be removed. The JobRemoved match is installed
 * before the job is enqueued, so a fast job cannot be missed.
 *
 * Returns 0 when the job result is "done". Otherwise the message says what
 * failed and, once the job ran, the unit's ActiveState/SubState and the
 * service's Result (e.g. "start-limit-hit"). When the wait times out the job
 * stays queued in systemd; it is not canceled.
 *
 * *RET_RESULT (RET_RESULT may be NULL) gets the job result ("done",
 * "failed", "canceled", "timeout", "dependency", "skipped", ...) whenever
 * the job finished, also when that result is a failure: it is what a caller
 * needs to tell the failures apart. It is left alone when no result came. */
int service_run_job(const char *unit, enum service_job job, unsigned timeout_ms,
	char **ret_result, struct diag *d);

/* For --version: *RET_BUILT the libsystemd cgisetup was built against
 * (static), *RET_RUNNING the file of the one it runs with (libsystemd has
 * no call that says its version: "libsystemd.so.0.35.0"; NULL when unknown;
 * free it). 0, or -ENOMEM. */
int service_version(const char **ret_built, char **ret_running);

#endif
