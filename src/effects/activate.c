/* activate.c - config test, restart, verification, restart back
 * (see activate.h). */
#include "config.h"

#include <errno.h>
#include <time.h>

#include "cgisetup/activate.h"
#include "cgisetup/fsops.h"
#include "cgisetup/journal.h"
#include "cgisetup/spawn.h"
#include "cgisetup/template.h"
#include "cgisetup/timeutil.h"
#include "cgisetup/util.h"

#define CONFIGTEST_TIMEOUT_MS 30000
#define CHECK_TIMEOUT_MS 3000
#define RELOAD_SETTLE_MS 3000
#define CGID_SOCKET_MS 1500
#define START_SETTLE_MS 10000

int
activate_observe(const struct request *req, const struct host *h, struct activation *act,
		 struct diag *d)
{
	int r;

	act->planned = !*req->root && !req->no_restart;
	if (!act->planned)
		return 0;
	r = restart_probe(h, &act->before, d);
	if (r < 0)
		return r;
	/* --no-start: Apache stopped on purpose stays stopped */
	if (req->no_start && !act->before.running) {
		act->planned = false;
		act->left_stopped = true;
		return 0;
	}
	if (act->before.running)
		verify_status(&h->layout, "/", &act->baseline_status);
	return 0;
}

/* Apache's own verdict on the edited files (real system only). */
int
activate_configtest(const struct request *req, const struct host *h, struct diag *d)
{
	char *argv[] = { h->ctl_path, (char *)"-t", NULL };
	_cleanup_free_ char *out = NULL;
	int status, r;

	if (*req->root || !h->ctl_path)
		return 0;
	r = spawn_capture(argv, CONFIGTEST_TIMEOUT_MS, &status, &out, d);
	if (r < 0)
		return r;
	if (status == 0)
		return 0;
	diag_set_detail(d, out);
	return diag_fail(d, EINVAL, N_("Apache's config test failed ('%s -t' exited with %d)"),
			 h->ctl_path, status);
}

/* The config test on the files as they are, before the first write: a
 * configuration that fails already would fail after the change too, and
 * the run would only be rolled back. Names the file and line Apache names. */
int
activate_configtest_before(const struct request *req, const struct host *h, struct diag *d)
{
	_cleanup_free_ char *file = NULL;
	char detail[sizeof(d->detail)];
	unsigned line = 0;

	int r = activate_configtest(req, h, d);

	if (r >= 0 || r == -ENOMEM || !d->detail[0])
		return r;
	memcpy(detail, d->detail, sizeof(detail));
	if (verdict_configtest_where(detail, &file, &line))
		diag_fail(d, EINVAL, N_("Apache's configuration fails its config test already, "
					"before any change, at %s line %u: nothing was written; fix "
					"it first ('%s -t' shows it)"),
			  file, line, h->ctl_path);
	else
		diag_fail(d, EINVAL, N_("Apache's configuration fails its config test already, "
					"before any change: nothing was written; fix it first ('%s "
					"-t' shows it)"),
			  h->ctl_path);
	diag_set_detail(d, detail);
	return -EINVAL;
}

/* One restart job, reported as one step; the state after it becomes the
 * state the next job starts from. */
static int
run_job(const struct host *h, struct activation *act, enum restart_job job,
	const struct reporter *rep, struct diag *d)
{
	const struct apache_state *from = act->attempted ? &act->restart.after : &act->before;
	struct restart_result res = { 0 };
	int r;

	reporter_begin(rep, STEP_RESTART, verdict_restart_name(job));
	act->attempted = true;
	r = restart_run(h, from, job, &res, d);
	if (r >= 0 && !res.after.running)
		r = diag_fail(d, EIO, N_("Apache is not running after '%s'"), res.how);
	reporter_end(rep, STEP_RESTART, res.how, r);
	if (res.how) {
		if (strv_extend(&act->path, verdict_restart_name(job)) < 0) {
			restart_result_release(&res);
			return -ENOMEM;
		}
		restart_result_release(&act->restart);
		act->restart = res;
	}
	return r;
}

/* Fetch hello.py once (retrying a refused connection briefly). */
static int
check_once(const struct host *h, struct activation *act, const char *url, struct diag *d)
{
	verify_result_release(&act->verify);
	act->verified = false;
	if (verify_fetch(&h->layout, url, TEMPLATE_HELLO_PROOF, CHECK_TIMEOUT_MS, &act->verify, d) < 0)
		return -ENOMEM;
	act->verified = true;
	return 0;
}

static int
check_failed(struct activation *act, const char *url, bool expect_run, struct diag *d)
{
	if (!expect_run)
		return diag_fail(d, EPROTO, N_("'%s' still runs the script after the undo"), url);
	diag_set_detail(d, act->verify.log_tail);
	/* the verdict's explanation, third, is a msgid too */
	return diag_fail_tr(d, EPROTO, 1u << 2, N_("'%s' did not run the script (HTTP %ld): %s"),
			    url, act->verify.status, verdict_explain(act->verify.verdict));
}

/* Check after JOB until the answer decides what comes next: one HTTP
 * check step, each further fetch a retry of it. */
static enum next_step
settle(const struct host *h, struct activation *act, const struct activate_opts *o,
       const char *url, enum restart_job job, unsigned reloads, struct diag *d)
{
	unsigned settle_ms = job == RESTART_RELOAD ? RELOAD_SETTLE_MS : START_SETTLE_MS;
	long long deadline = timeutil_now_ms() + settle_ms;

	reporter_begin(o->reporter, STEP_VERIFY, url);
	for (unsigned attempt = 1;; attempt++) {
		enum next_step next;

		if (attempt > 1)
			reporter_retry(o->reporter, STEP_VERIFY, attempt);
		if (check_once(h, act, url, d) < 0)
			return NEXT_FAIL;
		next = verdict_next(job, reloads, o->module_changed, o->expect_run,
				    o->restricted_by != NULL, act->verify.verdict,
				    timeutil_now_ms() < deadline);
		if (next != NEXT_WAIT)
			return next;
		timeutil_pause_ms(100);
	}
}

/* The HTTP check step after JOB, begun and ended: 1 when the run goes
 * on with the job in *JOB, 0 when it is done, < 0 when it failed. */
static int
check_step(const struct host *h, struct activation *act, const struct activate_opts *o,
	   const char *url, enum restart_job *job, unsigned reloads, struct diag *d)
{
	enum next_step next = settle(h, act, o, url, *job, reloads, d);
	int r = 0;

	if (next == NEXT_FAIL)
		r = act->verified ? check_failed(act, url, o->expect_run, d) : -ENOMEM;
	if (act->verified)
		act->outcome = verdict_outcome(o->expect_run, o->restricted_by != NULL,
					       act->verify.verdict);
	if (next == NEXT_FAIL || next == NEXT_DONE) {
		reporter_end(o->reporter, STEP_VERIFY, url, r);
		return r;
	}
	/* not proved: the check did not pass, another job follows */
	reporter_end(o->reporter, STEP_VERIFY, verdict_next_reason(next, act->verify.verdict),
		     REPORT_UNANSWERED);
	free(act->reason);
	act->reason = xstrdup_or_null(verdict_next_reason(next, act->verify.verdict));
	*job = next == NEXT_RELOAD_AGAIN ? RESTART_RELOAD : RESTART_FULL;
	return 1;
}

/* Apache writes this line when a (graceful) restart has read the new
 * configuration and serves again: the moment a second pass may start. */
#define GENERATION_DONE "resuming normal operations"

/* Wait until Apache says a generation started after OFFSET runs (no wait
 * when the error log cannot be read: the HTTP check decides). */
static void
wait_generation(const struct host *h, off_t offset)
{
	long long deadline = timeutil_now_ms() + RELOAD_SETTLE_MS;

	if (offset < 0)
		return;
	while (!verify_log_has(&h->layout, offset, GENERATION_DONE) &&
	       timeutil_now_ms() < deadline)
		timeutil_pause_ms(20);
}

/* A graceful reload, then wait until Apache says the new generation runs. */
static int
reload_and_wait(const struct host *h, struct activation *act, const struct activate_opts *o,
		struct diag *d)
{
	off_t offset = verify_log_offset(&h->layout);
	int r;

	r = run_job(h, act, RESTART_RELOAD, o->reporter, d);
	if (r >= 0)
		wait_generation(h, offset);
	return r;
}

/* mod_cgid's daemon starts with each generation; a request that comes
 * before its socket listens waits in mod_cgid's own connect retries (up to
 * about a second; 1 apply in 5-7 took 1.2 s instead of 0.23 s). Wait for
 * the socket instead (ScriptSock plus ".PID" of the parent), polling
 * /proc/net/unix, at most CGID_SOCKET_MS (a socket named wrong, from a
 * ScriptSock cgisetup could not read, costs that much); past that the
 * check decides. Only when the run loaded the module, the case the tail
 * was measured in. */
static void
wait_cgid_socket(const struct host *h, const struct activation *act)
{
	_cleanup_free_ char *base = NULL, *path = NULL;
	long long deadline = timeutil_now_ms() + CGID_SOCKET_MS;

	if (!h->layout.cgi_wanted || !streq(h->layout.cgi_wanted, "cgid") ||
	    !act->restart.after.main_pid)
		return;
	base = model_cgid_socket(probe_effective_model(h));
	path = base ? strdup_printf("%s.%u", base, (unsigned)act->restart.after.main_pid) : NULL;
	if (!path)
		return;
	while (!verify_socket_listening(path) && timeutil_now_ms() < deadline)
		timeutil_pause_ms(5);
}

/* mod_cgid newly loaded under a threaded MPM: it registers on the first
 * graceful pass and starts its daemon on the second, so both passes run
 * at once rather than waiting for the first to answer 503. */
static bool
needs_two_passes(const struct host *h, const struct activate_opts *o, enum restart_job job)
{
	return job == RESTART_RELOAD && o->module_changed && o->expect_run && h->layout.threaded;
}

/* The probe, just before the first check: a script only cgisetup writes,
 * so the check never runs (or judges) the user's own files. */
static int
probe_write(const struct request *req, const struct activate_opts *o, bool *written,
	    struct diag *d)
{
	int r;

	if (!o->probe_path || *written)
		return 0;
	r = fsops_write_atomic(req->root, o->probe_path, o->probe_content,
			       strlen(o->probe_content), 0755, d);
	*written = r >= 0;
	return r;
}

/* The probe goes right after the checks, whatever they said; R is the
 * run's result so far, a failed removal fails a run that succeeded (its
 * rollback removes the probe from the journal's record). */
static int
probe_remove(const struct request *req, const struct activate_opts *o, bool written, int r,
	     struct diag *d)
{
	struct diag rd = { 0 };

	if (!written || fsops_unlink(req->root, o->probe_path, &rd) >= 0 || r < 0)
		return r;
	*d = rd;
	return -EIO;
}

/* The URL the check fetches: the probe's, or hello.py's without one. */
static char *
check_url(const struct host *h, const struct activate_opts *o)
{
	_cleanup_free_ char *path = o->probe_url_path ? strdup(o->probe_url_path)
						      : strdup_printf("%s/hello.py", o->url_path);

	return path ? verify_url(&h->layout, path) : NULL;
}

/* The jobs and their checks, the probe in place for the checks. */
static int
run_and_check(const struct request *req, const struct host *h, struct activation *act,
	      const struct activate_opts *o, const char *url, enum restart_job job,
	      unsigned reloads, struct diag *d)
{
	bool written = false;
	int r;

	do {
		if (job == RESTART_RELOAD)
			r = reload_and_wait(h, act, o, d);
		else
			r = run_job(h, act, job, o->reporter, d);
		if (r < 0 || !o->verify)
			break;
		reloads += job == RESTART_RELOAD;
		if (o->expect_run && o->module_changed)
			wait_cgid_socket(h, act);
		r = probe_write(req, o, &written, d);
		if (r >= 0)
			r = check_step(h, act, o, url, &job, reloads, d);
	} while (r > 0);
	return probe_remove(req, o, written, r, d);
}

/* Graceful first, a second graceful for mod_cgid, a full restart only when
 * the HTTP check says the graceful path did not work (verdict.h). */
static int
activate_run(const struct request *req, const struct host *h, struct activation *act,
	     const struct activate_opts *o, struct diag *d)
{
	_cleanup_free_ char *url = check_url(h, o);
	enum restart_job job = verdict_first_job(act->before.running, o->force_restart);
	unsigned reloads = 0;
	int r;

	if (!url)
		return -ENOMEM;
	act->module_changed = o->module_changed;
	act->expect_run = o->expect_run;
	if (needs_two_passes(h, o, job)) {
		r = reload_and_wait(h, act, o, d);
		if (r < 0)
			return r;
		reloads++;
		act->reason = strdup(N_("mod_cgid was just loaded: its daemon starts on the second "
					"graceful pass"));
	}
	return run_and_check(req, h, act, o, url, job, reloads, d);
}

/* Apache's config test, reported as a step of its own. */
static int
configtest_step(const struct request *req, const struct host *h, const struct reporter *rep,
		struct diag *d)
{
	int r;

	reporter_begin(rep, STEP_CONFIGTEST, h->ctl_path);
	/* under --root nothing is run: said, not shown as passed */
	if (*req->root || !h->ctl_path) {
		reporter_end(rep, STEP_CONFIGTEST, NULL, REPORT_SKIPPED);
		return 0;
	}
	r = activate_configtest(req, h, d);
	reporter_end(rep, STEP_CONFIGTEST, h->ctl_path, r);
	return r;
}

int
activate_all(const struct request *req, const struct host *h, struct activation *act,
	     const struct activate_opts *o, struct diag *d)
{
	int r = o->configtest ? configtest_step(req, h, o->reporter, d) : 0;

	if (r < 0 || !act->planned)
		return r;
	return activate_run(req, h, act, o, d);
}

static void
note(char ***failures, struct diag *d)
{
	if (failures) {
		diag_remember(d); /* translated where a person reads it */
		strv_extend(failures, d->msg);
	}
}

/* Apache was stopped before the run: it is stopped again. */
static void
stop_back(const struct host *h, struct activation *act, const struct apache_state *now,
	  char ***failures)
{
	struct restart_result back = { 0 };
	struct diag d = { 0 };

	if (restart_run(h, now, RESTART_STOP, &back, &d) < 0)
		note(failures, &d);
	else
		act->rollback_how = TAKE_PTR(back.how);
	restart_result_release(&back);
}

/* A second graceful pass when the rolled-back change had unloaded mod_cgid
 * (an undo): the module is loaded anew, its daemon starts on that pass. */
static void
second_pass_back(const struct host *h, const struct activation *act, off_t offset,
		 struct restart_result *back, struct diag *d)
{
	struct restart_result second = { 0 };

	if (!act->module_changed || act->expect_run || !h->layout.threaded)
		return;
	wait_generation(h, offset);
	if (restart_run(h, &back->after, RESTART_RELOAD, &second, d) >= 0) {
		restart_result_release(back);
		*back = second;
	} else {
		restart_result_release(&second);
	}
}

/* Apache ran before the run: the old files again, gracefully if it can,
 * and "/" answering as it did. */
static void
reload_back(const struct host *h, struct activation *act, const struct apache_state *now,
	    char ***failures)
{
	enum restart_job job = now->running ? RESTART_RELOAD : RESTART_START;
	off_t offset = verify_log_offset(&h->layout);
	struct restart_result back = { 0 };
	struct diag d = { 0 };
	long status = 0;

	if (restart_run(h, now, job, &back, &d) < 0 && job == RESTART_RELOAD) {
		restart_result_release(&back);
		restart_run(h, now, RESTART_FULL, &back, &d);
	} else if (job == RESTART_RELOAD && back.after.running) {
		second_pass_back(h, act, offset, &back, &d);
	}
	if (!back.after.running) {
		if (!d.msg[0])
			diag_fail(&d, EIO, N_("Apache is not running after the rollback: start it by hand"));
		note(failures, &d);
	} else {
		act->rollback_how = TAKE_PTR(back.how);
		verify_status(&h->layout, "/", &status);
		if (status != act->baseline_status) {
			diag_fail(&d, EIO, N_("after the rollback '/' answers %ld, before it answered %ld"),
				  status, act->baseline_status);
			note(failures, &d);
		}
	}
	restart_result_release(&back);
}

static void
activate_restart_back(const struct host *h, struct activation *act, char ***failures)
{
	struct apache_state now = { 0 };
	struct diag d = { 0 };

	if (!act->attempted || restart_probe(h, &now, &d) < 0) {
		restart_state_release(&now);
		return;
	}
	if (act->before.running)
		reload_back(h, act, &now, failures);
	else if (now.running)
		stop_back(h, act, &now, failures);
	restart_state_release(&now);
}

void
activate_rollback(struct txn *t, const struct host *h, struct activation *act,
		  const struct reporter *rep, char ***failures)
{
	reporter_begin(rep, STEP_ROLLBACK, NULL);
	txn_rollback(t, failures);
	activate_restart_back(h, act, failures);
	reporter_end(rep, STEP_ROLLBACK, act->rollback_how, *failures ? -EIO : 0);
}

void
activation_release(struct activation *act)
{
	restart_state_release(&act->before);
	restart_result_release(&act->restart);
	verify_result_release(&act->verify);
	free(act->rollback_how);
	free(act->reason);
	strv_free(act->path);
	*act = (struct activation){ 0 };
}
