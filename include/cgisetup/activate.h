/* activate.h - after the files changed: config test, restart, HTTP check,
 * and, when the change is rolled back, Apache back on the old files.
 *
 * Shared by apply and undo. Only on the real system: with --root nothing
 * is run, restarted or fetched.
 *
 * Calling sequence:
 *	activate_observe(req, host, &act, &d);      before the first write
 *	... write ...
 *	activate_all(req, host, &act, &opts, &d);   config test, restart(s), HTTP check
 *	on failure (of the writes too):
 *	activate_rollback(txn, host, &act, rep, &failures);
 *	activation_release(&act);
 *
 * Every step is reported through opts.reporter as reporter.h says: the
 * config test, each restart job and each HTTP check begin and end once.
 */
#ifndef CGISETUP_ACTIVATE_H
#define CGISETUP_ACTIVATE_H

#include "cgisetup/probe.h"

#include "cgisetup/reporter.h"
#include "cgisetup/request.h"
#include "cgisetup/restart.h"
#include "cgisetup/verify.h"

struct activation {
	bool planned;               /* restart and verify after the edit */
	bool left_stopped;          /* --no-start: Apache was stopped, stays so */
	struct apache_state before; /* Apache before the first write */
	long baseline_status;       /* what "/" answered before, 0 = nothing */
	bool attempted;             /* a restart was tried */
	struct restart_result restart; /* the last job */
	char **path;                /* the jobs run, in order: "reload", "reload" */
	char *reason;               /* why the path went beyond its first job */
	bool verified;
	struct verify_result verify;
	enum check_outcome outcome; /* what the last check proved (verified) */
	char *rollback_how;         /* the restart that brought the old config back */
	bool module_changed;        /* from activate_opts, for the rollback */
	bool expect_run;            /* from activate_opts, for the rollback */
};

int activate_observe(const struct request *req, const struct host *h, struct activation *act,
		     struct diag *d);
int activate_configtest(const struct request *req, const struct host *h, struct diag *d);
/* The same before the first write, the failure naming Apache's file and
 * line ("fails already, before any change"). */
int activate_configtest_before(const struct request *req, const struct host *h,
			       struct diag *d);
struct activate_opts {
	bool configtest;     /* run Apache's config test first */
	bool module_changed; /* a CGI module was loaded or unloaded */
	bool force_restart;  /* --restart: a full restart, not a graceful one */
	bool verify;         /* fetch the probe (the only way to know a job worked) */
	bool expect_run;     /* apply: the script must run; undo: must not */
	const char *url_path;
	/* The transient probe (plan.h), recorded in the run's transaction
	 * (txn_probe()) before this: written just before the first check,
	 * removed right after the last whatever it said. NULL: fetch
	 * URL_PATH/hello.py as it stands. */
	const char *probe_path;
	const char *probe_url_path;
	const char *probe_content;
	/* The admin's access rule that decides who reaches DIR (plan.h), or
	 * NULL: a 401/403 is then "configured, not proven", not a failure. */
	const char *restricted_by;
	const struct reporter *reporter; /* progress of each job and check */
};

/* The config test (if O->configtest), then, when ACT is planned, the
 * restart jobs and HTTP checks: graceful first, a second graceful for
 * mod_cgid, a full restart only when the HTTP check says the graceful path
 * did not work (verdict.h). Shared by apply and undo. */
int activate_all(const struct request *req, const struct host *h, struct activation *act,
		 const struct activate_opts *o, struct diag *d);
struct txn;
/* Put the files of T back, then Apache back on them as it was before:
 * the rollback step. What could not be put back is added to *FAILURES. */
void activate_rollback(struct txn *t, const struct host *h, struct activation *act,
		       const struct reporter *rep, char ***failures);
void activation_release(struct activation *act);

#endif
