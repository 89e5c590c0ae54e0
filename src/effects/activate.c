/* activate.c - config test, restart, verification, restart back
 * (see activate.h). */
#include "config.h"

#include <errno.h>

#include "cgisetup/activate.h"
#include "cgisetup/spawn.h"
#include "cgisetup/template.h"
#include "cgisetup/util.h"

#define CONFIGTEST_TIMEOUT_MS 30000
#define VERIFY_TIMEOUT_MS 10000

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

int
activate_restart(const struct host *h, struct activation *act, bool module_changed,
		 struct diag *d)
{
	enum restart_job job = verdict_restart_job(act->before.running, module_changed, true);
	int r;

	act->attempted = true;
	r = restart_run(h, &act->before, job, &act->restart, d);
	if (r >= 0 && !act->restart.after.running)
		r = diag_fail(d, EIO, N_("Apache is not running after '%s'"), act->restart.how);
	return r;
}

int
activate_verify(const struct host *h, struct activation *act, const char *url_path,
		bool expect_run, struct diag *d)
{
	_cleanup_free_ char *path = xasprintf("%s/hello.py", url_path);
	_cleanup_free_ char *url = path ? verify_url(&h->layout, path) : NULL;
	int r;

	if (!url)
		return -ENOMEM;
	r = verify_fetch(&h->layout, url, TEMPLATE_HELLO_PROOF, expect_run ? VERIFY_TIMEOUT_MS : 2000,
			 &act->verify, d);
	act->verified = r >= 0;
	if (r < 0)
		return r;
	if (expect_run && act->verify.verdict != VERDICT_RAN) {
		diag_set_detail(d, act->verify.log_tail);
		return diag_fail(d, EPROTO, N_("'%s' did not run the script (HTTP %ld): %s"), url,
				 act->verify.status, verdict_explain(act->verify.verdict));
	}
	if (!expect_run && act->verify.verdict == VERDICT_RAN)
		return diag_fail(d, EPROTO, N_("'%s' still runs the script after the undo"), url);
	return 0;
}

static void
note(char ***failures, struct diag *d)
{
	if (failures)
		strv_extend(failures, d->msg);
}

void
activate_restart_back(const struct host *h, struct activation *act, bool module_changed,
		      char ***failures)
{
	struct restart_result back = { 0 };
	struct apache_state now = { 0 };
	struct diag d = { 0 };
	enum restart_job job = module_changed ? RESTART_FULL : RESTART_RELOAD;
	long status = 0;

	if (!act->attempted || restart_probe(h, &now, &d) < 0 ||
	    (!now.running && !act->before.running)) {
		restart_state_release(&now);
		return;
	}
	if (!now.running)
		job = RESTART_START;
	if (restart_run(h, &now, job, &back, &d) < 0) {
		note(failures, &d);
	} else {
		act->rollback_how = TAKE_PTR(back.how);
		verify_status(&h->layout, "/", &status);
		if (act->before.running && status != act->baseline_status) {
			diag_fail(&d, EIO, N_("after the rollback '/' answers %ld, before it answered %ld"),
				  status, act->baseline_status);
			note(failures, &d);
		}
	}
	restart_result_release(&back);
	restart_state_release(&now);
}

void
activation_release(struct activation *act)
{
	restart_state_release(&act->before);
	restart_result_release(&act->restart);
	verify_result_release(&act->verify);
	free(act->rollback_how);
	*act = (struct activation){ 0 };
}
