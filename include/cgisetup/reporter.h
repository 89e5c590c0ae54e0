/* reporter.h - how apply and undo tell a front end about their progress.
 *
 * The pipeline (pipeline_apply) and undo (undo_apply) run a fixed series
 * of steps and call the front end's reporter around each one, so the
 * command line and the wizard show the same steps without a rule of their
 * own. The contract, which both sides may rely on:
 *
 *	begin(step, subject)          the step starts
 *	  retry(step, attempt)        optional, 0..n times: the same step
 *	                              tries again (HTTP check while Apache
 *	                              comes up: attempt 2, 3, ...)
 *	end(step, subject, r)         the step is over
 *
 *  - Every begin is followed by exactly one end, for the same step, before
 *    anything else begins: steps never nest and never overlap.
 *  - An end never comes without its begin.
 *  - R < 0 (a negative errno) means the step failed and the run fails with
 *    it: after a failed step only the rollback step may follow. R == 0
 *    means the step did its work. REPORT_SKIPPED: the step did not run
 *    (the config test under --root, or without apachectl); the run goes
 *    on. REPORT_UNANSWERED: an HTTP check whose answer did not prove the
 *    script ran but only calls for another restart job; SUBJECT at its end
 *    is why (an N_() string), and the next restart begins.
 *  - SUBJECT (may be NULL) is what the step works on. At begin: the
 *    configuration file, apachectl for the config test, the job name for a
 *    restart ("reload"), the URL for an HTTP check. At end it may name the
 *    outcome more precisely: how a restart job ran ("ReloadOrRestartUnit
 *    apache2.service"), how Apache got the old files back for the
 *    rollback; NULL when there is nothing more to say. The strings live
 *    only for the call.
 *
 * The order of steps in a run:
 *	apply:  files, configuration, [config test, (restart, HTTP check)...],
 *	        and rollback if anything failed after the first write
 *	undo:   files, [config test, (restart, HTTP check)...], rollback
 *	        if anything failed
 * The bracketed steps run on the real system only (not with --root);
 * restart and HTTP check alternate as activate.h decides, a restart may
 * come without a check (--no-verify).
 *
 * Each callback may be NULL; so may the reporter itself.
 */
#ifndef CGISETUP_REPORTER_H
#define CGISETUP_REPORTER_H

#include <stddef.h>

/* The results of a step that neither did its work nor failed the run. */
#define REPORT_SKIPPED 1
#define REPORT_UNANSWERED 2

enum pipeline_step {
	STEP_FILES,      /* directory, hello.py, modes, symlinks */
	STEP_CONFIG,     /* configuration files written */
	STEP_CONFIGTEST, /* Apache's own config test */
	STEP_RESTART,    /* one restart job */
	STEP_VERIFY,     /* one HTTP check (with its retries) */
	STEP_ROLLBACK,   /* files back, Apache back on them */
};

struct reporter {
	void (*begin)(void *userdata, enum pipeline_step step, const char *subject);
	void (*retry)(void *userdata, enum pipeline_step step, unsigned attempt);
	void (*end)(void *userdata, enum pipeline_step step, const char *subject, int r);
	void *userdata;
};

static inline void
reporter_begin(const struct reporter *rep, enum pipeline_step step, const char *subject)
{
	if (rep && rep->begin)
		rep->begin(rep->userdata, step, subject);
}

static inline void
reporter_retry(const struct reporter *rep, enum pipeline_step step, unsigned attempt)
{
	if (rep && rep->retry)
		rep->retry(rep->userdata, step, attempt);
}

static inline void
reporter_end(const struct reporter *rep, enum pipeline_step step, const char *subject, int r)
{
	if (rep && rep->end)
		rep->end(rep->userdata, step, subject, r);
}

#endif
