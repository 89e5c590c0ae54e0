/* activate.h - after the files changed: config test, restart, HTTP check,
 * and, when the change is rolled back, Apache back on the old files.
 *
 * Shared by apply and undo. Only on the real system: with --root nothing
 * is run, restarted or fetched.
 *
 * Calling sequence:
 *	activate_observe(req, host, &act, &d);      before the first write
 *	... write ...
 *	activate_configtest(req, host, &d);
 *	activate_run(host, &act, &opts, &d);      restart(s) and HTTP check
 *	on failure, after the files are back:
 *	activate_restart_back(host, &act, &failures);
 *	activation_release(&act);
 */
#ifndef CGISETUP_ACTIVATE_H
#define CGISETUP_ACTIVATE_H

#include "cgisetup/probe.h"

struct reporter;
#include "cgisetup/request.h"
#include "cgisetup/restart.h"
#include "cgisetup/verify.h"

struct activation {
	bool planned;               /* restart and verify after the edit */
	struct apache_state before; /* Apache before the first write */
	long baseline_status;       /* what "/" answered before, 0 = nothing */
	bool attempted;             /* a restart was tried */
	struct restart_result restart; /* the last job */
	char **path;                /* the jobs run, in order: "reload", "reload" */
	char *reason;               /* why the path went beyond its first job */
	bool verified;
	struct verify_result verify;
	char *rollback_how;         /* the restart that brought the old config back */
	bool module_changed;        /* from activate_opts, for the rollback */
	bool expect_run;            /* from activate_opts, for the rollback */
};

int activate_observe(const struct request *req, const struct host *h, struct activation *act,
		     struct diag *d);
int activate_configtest(const struct request *req, const struct host *h, struct diag *d);
struct activate_opts {
	bool module_changed; /* a CGI module was loaded or unloaded */
	bool force_restart;  /* --restart: a full restart, not a graceful one */
	bool verify;         /* fetch hello.py (the only way to know a job worked) */
	bool expect_run;     /* apply: the script must run; undo: must not */
	const char *url_path;
	const struct reporter *reporter; /* progress of each job and check */
};

/* Graceful first, a second graceful for mod_cgid, a full restart only when
 * the HTTP check says the graceful path did not work (verdict.h). */
int activate_run(const struct host *h, struct activation *act, const struct activate_opts *o,
		 struct diag *d);
void activate_restart_back(const struct host *h, struct activation *act, char ***failures);
/* Whether activate_run()'s failure R lies in the HTTP check (the restart
 * itself worked) rather than in a restart job. */
bool activate_failed_in_check(const struct activation *act, int r);
void activation_release(struct activation *act);

#endif
