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
 *	activate_restart(host, &act, module_changed, &d);
 *	activate_verify(host, &act, url_path, expect_run, &d);
 *	on failure, after the files are back:
 *	activate_restart_back(host, &act, module_changed, &failures);
 *	activation_release(&act);
 */
#ifndef CGISETUP_ACTIVATE_H
#define CGISETUP_ACTIVATE_H

#include "cgisetup/probe.h"
#include "cgisetup/request.h"
#include "cgisetup/restart.h"
#include "cgisetup/verify.h"

struct activation {
	bool planned;               /* restart and verify after the edit */
	struct apache_state before; /* Apache before the first write */
	long baseline_status;       /* what "/" answered before, 0 = nothing */
	bool attempted;             /* a restart was tried */
	struct restart_result restart;
	bool verified;
	struct verify_result verify;
	char *rollback_how;         /* the restart that brought the old config back */
};

int activate_observe(const struct request *req, const struct host *h, struct activation *act,
		     struct diag *d);
int activate_configtest(const struct request *req, const struct host *h, struct diag *d);
int activate_restart(const struct host *h, struct activation *act, bool module_changed,
		     struct diag *d);
/* EXPECT_RUN: the script must run (apply) or must not any more (undo). */
int activate_verify(const struct host *h, struct activation *act, const char *url_path,
		    bool expect_run, struct diag *d);
void activate_restart_back(const struct host *h, struct activation *act, bool module_changed,
			   char ***failures);
void activation_release(struct activation *act);

#endif
