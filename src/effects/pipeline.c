/* pipeline.c - detection, plan, preview and apply with rollback (see pipeline.h).
 *
 * Until the crash-safe journal exists, the rollback record lives in memory:
 * every write is recorded before the next one starts, and any failure puts
 * back what was recorded, newest first.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>

#include "cgisetup/diff.h"
#include "cgisetup/fsops.h"
#include "cgisetup/pipeline.h"
#include "cgisetup/spawn.h"
#include "cgisetup/template.h"
#include "cgisetup/textedit.h"
#include "cgisetup/util.h"

#define CONFIGTEST_TIMEOUT_MS 30000
#define VERIFY_TIMEOUT_MS 10000

/* ---- prepare ---- */

static int
render_hello(struct pipeline *p)
{
	_cleanup_free_ char *python = fsops_find_python(p->req->root);
	const char *vars[] = { "PYTHON3", python ? python : "/usr/bin/env python3", NULL };

	if (!python && strv_extend(&p->host.warnings,
				   "no python3 found on the target system: hello.py uses "
				   "'/usr/bin/env python3'") < 0)
		return -ENOMEM;
	p->hello_content = template_render(template_hello_py, vars);
	return p->hello_content ? 0 : -ENOMEM;
}

/* Record FILE as edited; AUGEAS says whether the tree edits it (it must
 * then parse) or only the text edit of textedit.h does. */
static int
edits_add(struct pipeline *p, struct confedit *ce, const char *file, bool augeas,
	  struct diag *d)
{
	struct edited_file e = { .via_augeas = augeas };
	struct edited_file *nv;
	int r = 0;

	for (size_t i = 0; i < p->n_edits; i++) {
		if (streq(p->edits[i].path, file)) {
			p->edits[i].via_augeas |= augeas;
			return augeas ? confedit_check_parsed(ce, file, d) : 0;
		}
	}
	if (augeas)
		r = confedit_check_parsed(ce, file, d);
	if (r < 0)
		return r;
	e.path = strdup(file);
	r = e.path ? fsops_read(p->req->root, file, &e.old_text, &e.old_len, d) : -ENOMEM;
	nv = r >= 0 ? realloc(p->edits, (p->n_edits + 1) * sizeof(*nv)) : NULL;
	if (!nv) {
		free(e.path);
		free(e.old_text);
		return r < 0 ? r : -ENOMEM;
	}
	p->edits = nv;
	p->edits[p->n_edits++] = e;
	return 0;
}

static struct edited_file *
edits_find(struct pipeline *p, const char *file)
{
	for (size_t i = 0; i < p->n_edits; i++)
		if (streq(p->edits[i].path, file))
			return &p->edits[i];
	return NULL;
}

/* Uncomment LoadModule lines in the texts Augeas produced. */
static int
uncomment_modules(struct pipeline *p, struct diag *d)
{
	for (size_t i = 0; i < p->plan.n_changes; i++) {
		const struct change *c = &p->plan.changes[i];
		struct edited_file *e;
		char *text;
		int r;

		if (c->kind != CHANGE_CONF_MODULE_UNCOMMENT)
			continue;
		e = edits_find(p, c->path);
		r = textedit_uncomment_loadmodule(e->new_text, c->arg, c->ordinal, &text);
		if (r < 0)
			return diag_fail(d, r, N_("cannot find the commented 'LoadModule %s' in '%s'"),
					 c->arg, c->path);
		free(e->new_text);
		e->new_text = text;
	}
	return 0;
}

/* Carry the plan out in the Augeas tree and keep the resulting texts. */
static int
preview_edits(struct pipeline *p, struct confedit *ce, struct diag *d)
{
	int r = 0;

	for (size_t i = 0; r >= 0 && i < p->plan.n_changes; i++) {
		const struct change *c = &p->plan.changes[i];

		if (c->kind >= CHANGE_CONF_ALIAS)
			r = edits_add(p, ce, c->path, c->kind != CHANGE_CONF_MODULE_UNCOMMENT, d);
	}
	if (r >= 0)
		r = confedit_apply(ce, &p->plan, p->req->dir, d);
	for (size_t i = 0; r >= 0 && i < p->n_edits; i++) {
		struct edited_file *e = &p->edits[i];

		if (e->via_augeas)
			r = confedit_preview(ce, e->path, &e->new_text, d);
		else if (!(e->new_text = strdup(e->old_text)))
			r = -ENOMEM;
	}
	return r < 0 ? r : uncomment_modules(p, d);
}

static int
prepare_plan(struct pipeline *p, struct confedit *ce, struct diag *d)
{
	const struct layout *l = &p->host.layout;
	struct plan_input in = {
		.req = p->req, .layout = l, .model = &p->host.model, .view = &p->view,
		.dir = &p->dir, .hello_content = p->hello_content,
	};
	_cleanup_free_ char *load = xasprintf("%s/mods-available/%s.load", l->server_root,
					      l->cgi_wanted);
	_cleanup_free_ char *conf = xasprintf("%s/mods-available/%s.conf", l->server_root,
					      l->cgi_wanted);
	int r;

	if (!load || !conf)
		return -ENOMEM;
	in.module_load_available = fsops_exists(p->req->root, load);
	in.module_conf_available = fsops_exists(p->req->root, conf);
	r = confedit_check_parsed(ce, l->main_config, d);
	if (r >= 0)
		r = confedit_view(ce, l->main_config, p->req->dir, &p->view, d);
	if (r >= 0)
		r = plan_build(&in, &p->plan, d);
	if (r >= 0)
		r = preview_edits(p, ce, d);
	return r;
}

int
pipeline_prepare(const struct request *req, struct pipeline *ret, struct diag *d)
{
	struct pipeline p = { .req = req };
	struct confedit *ce = NULL;
	int r;

	r = probe_host(req, &p.host, d);
	if (r >= 0)
		r = fsops_dirview(req->root, req->dir, &p.dir, d);
	if (r >= 0)
		r = render_hello(&p);
	if (r >= 0) {
		/* Augeas reads only the file it may edit (see textedit.h for the
		 * LoadModule lines it does not touch). */
		char *const files[] = { p.host.layout.main_config, NULL };

		r = confedit_open(req->root, files, &ce, d);
	}
	if (r >= 0)
		r = prepare_plan(&p, ce, d);
	confedit_close(ce);
	if (r < 0) {
		if (r == -ENOMEM)
			diag_fail(d, ENOMEM, N_("out of memory"));
		pipeline_release(&p);
		return r;
	}
	*ret = p;
	return 0;
}

bool
pipeline_has_changes(const struct pipeline *p)
{
	for (size_t i = 0; i < p->plan.n_changes; i++)
		if (p->plan.changes[i].kind < CHANGE_CONF_ALIAS)
			return true;
	for (size_t i = 0; i < p->n_edits; i++)
		if (!streq(p->edits[i].old_text, p->edits[i].new_text))
			return true;
	return false;
}

int
pipeline_diff(const struct pipeline *p, struct strbuf *out)
{
	int r = 0;

	for (size_t i = 0; r >= 0 && i < p->n_edits; i++) {
		const struct edited_file *e = &p->edits[i];
		_cleanup_free_ char *a = xasprintf("a%s", e->path), *b = xasprintf("b%s", e->path);

		r = a && b ? diff_unified(e->old_text, e->new_text, a, b, out) : -ENOMEM;
	}
	for (size_t i = 0; r >= 0 && i < p->plan.n_changes; i++) {
		const struct change *c = &p->plan.changes[i];
		_cleanup_free_ char *b = NULL;

		if (c->kind != CHANGE_WRITE)
			continue;
		b = xasprintf("b%s", c->path);
		r = b ? diff_unified(NULL, c->content, "/dev/null", b, out) : -ENOMEM;
	}
	return r;
}

/* ---- apply and rollback ---- */

/* What has been done so far, to undo it newest first. */
struct undo {
	char **dirs;       /* created, outermost first */
	char **files;      /* created */
	char **links;      /* created */
	size_t n_chmods;   /* plan changes of kind CHANGE_CHMOD done, in plan order */
	size_t n_configs;  /* edited files written, in p->edits order */
};

static void
undo_release(struct undo *u)
{
	strv_free(u->dirs);
	strv_free(u->files);
	strv_free(u->links);
}

static void
rollback_note(struct pipeline *p, int r, const struct diag *d)
{
	if (r < 0)
		strv_extend(&p->rollback_failures, d->msg);
}

static void
rollback(struct pipeline *p, struct undo *u)
{
	const char *root = p->req->root;
	struct diag d = { 0 };
	size_t done = 0;

	for (size_t i = u->n_configs; i-- > 0;) {
		const struct edited_file *e = &p->edits[i];

		rollback_note(p, fsops_write_atomic(root, e->path, e->old_text, e->old_len, 0644, &d),
			      &d);
	}
	for (size_t i = strv_length(u->links); i-- > 0;)
		rollback_note(p, fsops_unlink(root, u->links[i], &d), &d);
	for (size_t i = 0; i < p->plan.n_changes && done < u->n_chmods; i++) {
		const struct change *c = &p->plan.changes[i];

		if (c->kind != CHANGE_CHMOD)
			continue;
		rollback_note(p, fsops_chmod(root, c->path, c->mode, c->old_mode, &d), &d);
		done++;
	}
	for (size_t i = strv_length(u->files); i-- > 0;)
		rollback_note(p, fsops_unlink(root, u->files[i], &d), &d);
	for (size_t i = strv_length(u->dirs); i-- > 0;)
		rollback_note(p, fsops_rmdir(root, u->dirs[i], &d), &d);
}

static int
apply_file_change(struct pipeline *p, const struct change *c, struct undo *u, struct diag *d)
{
	const char *root = p->req->root;
	int r;

	switch (c->kind) {
	case CHANGE_MKDIR:
		return fsops_mkdir_p(root, c->path, c->mode, &u->dirs, d);
	case CHANGE_WRITE:
		r = fsops_write_atomic(root, c->path, c->content, strlen(c->content), c->mode, d);
		return r < 0 ? r : strv_extend(&u->files, c->path);
	case CHANGE_CHMOD:
		r = fsops_chmod(root, c->path, c->old_mode, c->mode, d);
		if (r >= 0)
			u->n_chmods++;
		return r;
	case CHANGE_SYMLINK:
		r = fsops_symlink(root, c->arg, c->path, d);
		return r < 0 ? r : strv_extend(&u->links, c->path);
	default:
		return 0;
	}
}

static int
apply_configs(struct pipeline *p, struct undo *u, struct diag *d)
{
	for (size_t i = 0; i < p->n_edits; i++) {
		const struct edited_file *e = &p->edits[i];
		int r;

		if (streq(e->old_text, e->new_text))
			continue;
		/* count it first: a failed rename may still have replaced the file */
		u->n_configs = i + 1;
		r = fsops_write_atomic(p->req->root, e->path, e->new_text, strlen(e->new_text),
				       0644, d);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Apache's own verdict on the edited files (real system only). */
static int
configtest(struct pipeline *p, struct diag *d)
{
	char *argv[] = { p->host.ctl_path, (char *)"-t", NULL };
	_cleanup_free_ char *out = NULL;
	int status, r;

	if (*p->req->root || !p->host.ctl_path)
		return 0;
	r = spawn_capture(argv, CONFIGTEST_TIMEOUT_MS, &status, &out, d);
	if (r < 0)
		return r;
	if (status == 0)
		return 0;
	diag_set_detail(d, out);
	return diag_fail(d, EINVAL, N_("Apache's config test failed ('%s -t' exited with %d)"),
			 p->host.ctl_path, status);
}

static void
report(const struct reporter *rep, enum pipeline_step step, const char *subject, int r)
{
	if (rep && rep->step)
		rep->step(rep->userdata, step, subject, r);
}

/* Apache's state and what "/" answers, before the first write. */
static int
observe_before(struct pipeline *p, struct diag *d)
{
	int r;

	p->restart_planned = !*p->req->root && !p->req->no_restart;
	if (!p->restart_planned)
		return 0;
	r = restart_probe(&p->host, &p->before, d);
	if (r < 0)
		return r;
	if (p->before.running)
		verify_status(&p->host.layout, "/", &p->baseline_status);
	return 0;
}

static int
verify_hello(struct pipeline *p, const struct reporter *rep, struct diag *d)
{
	_cleanup_free_ char *path = xasprintf("%s/hello.py", p->plan.url_path);
	_cleanup_free_ char *url = path ? verify_url(&p->host.layout, path) : NULL;
	int r;

	if (!url)
		return -ENOMEM;
	r = verify_fetch(&p->host.layout, url, TEMPLATE_HELLO_PROOF, VERIFY_TIMEOUT_MS, &p->verify,
			 d);
	p->verified = r >= 0;
	if (r >= 0 && p->verify.verdict != VERDICT_RAN) {
		diag_set_detail(d, p->verify.log_tail);
		r = diag_fail(d, EPROTO, N_("'%s' did not run the script (HTTP %ld): %s"), url,
			      p->verify.status, verdict_explain(p->verify.verdict));
	}
	report(rep, STEP_VERIFY, url, r);
	return r;
}

static int
restart_and_verify(struct pipeline *p, const struct reporter *rep, struct diag *d)
{
	enum restart_job job = verdict_restart_job(p->before.running, p->plan.module_enabled,
						   true);
	int r;

	p->restart_attempted = true;
	r = restart_run(&p->host, &p->before, job, &p->restart, d);
	if (r >= 0 && !p->restart.after.running)
		r = diag_fail(d, EIO, N_("Apache is not running after '%s'"), p->restart.how);
	report(rep, STEP_RESTART, p->restart.how, r);
	if (r >= 0 && !p->req->no_verify && !p->req->no_hello)
		r = verify_hello(p, rep, d);
	return r;
}

/* After the files are back: Apache on the old configuration again, and
 * "/" answering as it did before. */
static void
restart_back(struct pipeline *p)
{
	struct restart_result back = { 0 };
	struct apache_state now = { 0 };
	struct diag d = { 0 };
	enum restart_job job = p->plan.module_enabled ? RESTART_FULL : RESTART_RELOAD;
	long status = 0;

	if (restart_probe(&p->host, &now, &d) < 0 || (!now.running && !p->before.running)) {
		restart_state_release(&now);
		return;
	}
	if (!now.running)
		job = RESTART_START;
	if (restart_run(&p->host, &now, job, &back, &d) < 0) {
		rollback_note(p, -EIO, &d);
	} else {
		p->rollback_how = TAKE_PTR(back.how);
		verify_status(&p->host.layout, "/", &status);
		if (p->before.running && status != p->baseline_status) {
			diag_fail(&d, EIO, N_("after the rollback '/' answers %ld, before it answered %ld"),
				  status, p->baseline_status);
			rollback_note(p, -EIO, &d);
		}
	}
	restart_result_release(&back);
	restart_state_release(&now);
}

int
pipeline_apply(struct pipeline *p, const struct reporter *rep, struct diag *d)
{
	struct undo u = { 0 };
	int r = observe_before(p, d);

	if (r < 0)
		return r;
	for (size_t i = 0; r >= 0 && i < p->plan.n_changes; i++)
		r = apply_file_change(p, &p->plan.changes[i], &u, d);
	report(rep, STEP_FILES, NULL, r);
	if (r >= 0) {
		r = apply_configs(p, &u, d);
		report(rep, STEP_CONFIG, p->host.layout.main_config, r);
	}
	if (r >= 0 && p->n_edits > 0) {
		r = configtest(p, d);
		report(rep, STEP_CONFIGTEST, p->host.ctl_path, r);
	}
	if (r >= 0 && p->restart_planned)
		r = restart_and_verify(p, rep, d);
	if (r < 0) {
		rollback(p, &u);
		if (p->restart_attempted)
			restart_back(p);
		report(rep, STEP_ROLLBACK, p->rollback_how, p->rollback_failures ? -EIO : 0);
	}
	p->applied = r >= 0;
	undo_release(&u);
	return r;
}

void
pipeline_release(struct pipeline *p)
{
	probe_host_release(&p->host);
	confedit_view_release(&p->view);
	fsops_dirview_release(&p->dir);
	plan_release(&p->plan);
	free(p->hello_content);
	for (size_t i = 0; i < p->n_edits; i++) {
		free(p->edits[i].path);
		free(p->edits[i].old_text);
		free(p->edits[i].new_text);
	}
	free(p->edits);
	strv_free(p->rollback_failures);
	restart_state_release(&p->before);
	restart_result_release(&p->restart);
	verify_result_release(&p->verify);
	free(p->rollback_how);
	*p = (struct pipeline){ 0 };
}
