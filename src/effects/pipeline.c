/* pipeline.c - detection, plan, preview and apply with rollback (see pipeline.h).
 *
 * The whole run holds the journal's lock. Before its first write, apply
 * records everything it will do in a journal transaction (journal.h), so a
 * failure in this run, or a crash that ends it, is rolled back to the exact
 * previous bytes from that record.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>

#include "cgisetup/check.h"
#include "cgisetup/confedit.h"
#include "cgisetup/diff.h"
#include "cgisetup/fsops.h"
#include "cgisetup/journal.h"
#include "cgisetup/pipeline.h"
#include "cgisetup/template.h"
#include "cgisetup/textedit.h"
#include "cgisetup/util.h"

/* One configuration file the plan edits: its bytes before and after. */
struct edited_file {
	char *path;
	char *old_text;
	size_t old_len;
	char *new_text;
	bool via_augeas; /* false: only a LoadModule line is uncommented */
};

struct pipeline {
	const struct request *req;
	struct host host;
	struct confview view;     /* of block_file */
	struct effective eff;     /* the whole configuration's view of DIR */
	char *block_file;         /* where DIR's section is completed or added */
	size_t *vhosts;           /* --vhost: its copies (indices into the model) */
	size_t n_vhosts;
	char **vhost_files;       /* the file each copy is edited in */
	struct pipeline_copy *copies; /* the result's view of them */
	char *userdir_user;       /* --userdir: the user the proof runs for */
	struct dirview dir;
	struct plan plan;
	char *hello_content;
	char probe_token[17];     /* 16 hex digits: the probe's unique name */
	struct edited_file *edits;
	size_t n_edits;

	struct journal *journal;  /* held (locked) from prepare to free */
	struct txn *txn;
	struct activation act;    /* restart and verification, real system only */
	char *url;
	struct pipeline_result result; /* what the front ends read */
};

/* Whether a script with the probe's extension already ran in DIR, at the
 * URL path, before this run: the module loaded, the URL mapped, ExecCGI
 * (or a ScriptAlias), the extension handled, access not the stock deny.
 * The undo is judged against it: a second apply for the same directory
 * (more extensions) or Debian's /usr/lib/cgi-bin with the module on
 * leaves scripts running after its undo, as they did before. */
static bool
ran_before(const struct pipeline *p)
{
	const struct effective *e = &p->eff;
	const char *ext = p->plan.probe_path ? strrchr(p->plan.probe_path, '.') : NULL;

	if (!p->host.layout.cgi_loaded || p->plan.alias_needed || !ext ||
	    e->access == EFFECTIVE_STOCK_DENIED || !(e->exec_cgi || e->script_alias))
		return false;
	if (e->script_alias)
		return true;
	for (size_t k = 0; p->req->exts[k]; k++)
		if (strcaseeq(p->req->exts[k], ext))
			return e->handled[k];
	return false;
}

/* ---- prepare ---- */

static int
render_hello(struct pipeline *p)
{
	_cleanup_free_ char *python = fsops_find_python(p->req->root);
	const char *vars[] = { "PYTHON3", python ? python : "/usr/bin/env python3", NULL };

	/* with --no-hello no script is written: nothing to warn about */
	if (!python && !p->req->no_hello &&
	    strv_push(&p->host.warnings, diag_strdup(N_("no python3 found on the target system: "
							"hello.py uses '/usr/bin/env python3'"))) < 0)
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

/* What cgisetup writes looks like the file's own: its indentation, its
 * line endings. */
static int
look_like_the_file(struct edited_file *e)
{
	_cleanup_free_ char *indented = textedit_indent_like(e->old_text, e->new_text);
	char *text = indented ? textedit_line_endings_like(e->old_text, indented) : NULL;

	if (!text)
		return -ENOMEM;
	free(e->new_text);
	e->new_text = text;
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
		if (r >= 0)
			r = look_like_the_file(e);
	}
	return r < 0 ? r : uncomment_modules(p, d);
}

/* --fix: each handled script of DIR whose text a BOM or CRLF line endings
 * break, rewritten by check_fix_text() as one more edited file, so that the
 * diff shows it, the journal keeps its bytes and --undo puts them back. */
static int
fix_scripts(struct pipeline *p, struct diag *d)
{
	for (size_t i = 0; p->req->fix_scripts && i < p->dir.n_entries; i++) {
		const struct dirent_view *de = &p->dir.entries[i];
		const char *dot = strrchr(de->name, '.');
		struct edited_file e = { 0 };
		struct edited_file *nv;
		int r;

		if (!de->regular || !dot || !strv_contains_case(p->req->exts, dot))
			continue;
		e.path = path_join(p->req->dir, de->name);
		if (!e.path)
			return -ENOMEM;
		r = fsops_read(p->req->root, e.path, &e.old_text, &e.old_len, d);
		/* a text with a NUL byte is not a script cgisetup rewrites */
		if (r >= 0 && strlen(e.old_text) == e.old_len)
			e.new_text = check_fix_text(e.old_text, e.old_len, &r);
		nv = r >= 0 && e.new_text ? realloc(p->edits, (p->n_edits + 1) * sizeof(*nv)) : NULL;
		if (!nv) {
			free(e.path);
			free(e.old_text);
			free(e.new_text);
			if (r < 0)
				return r;
			if (e.new_text)
				return -ENOMEM;
			continue;
		}
		p->edits = nv;
		p->edits[p->n_edits++] = e;
	}
	return 0;
}

/* What the whole configuration makes of DIR, and the file its section is
 * in: the first <Directory DIR> of the main server wherever it lives, so
 * that its access rules stay in force, unless a package owns that file
 * (an upgrade would replace it): then the main configuration. */
static int
prepare_effective(struct pipeline *p)
{
	const struct model *m = probe_effective_model(&p->host);
	const char *main_config = p->host.layout.main_config;
	_cleanup_strv_free_ char **keep = NULL;
	int r;

	r = effective_dir(m, p->req->dir, p->req->exts, NULL, &p->eff);
	if (r >= 0 && p->eff.own && !streq(p->eff.own->file, main_config) &&
	    fsops_package_owned(p->req->root, p->eff.own->file)) {
		r = strv_extend(&keep, p->eff.own->file);
		effective_release(&p->eff);
		if (r >= 0)
			r = effective_dir(m, p->req->dir, p->req->exts, keep, &p->eff);
	}
	if (r < 0)
		return r;
	/* a symlinked file (conf-enabled/x.conf) is edited at its target, so
	 * that the link stays a link */
	if (!p->eff.own)
		p->block_file = strdup(main_config);
	else if (fsops_resolve(p->req->root, p->eff.own->file, &p->block_file) < 0)
		p->block_file = strdup(p->eff.own->file);
	return p->block_file ? 0 : -ENOMEM;
}

/* --userdir: the first user (by name) whose ~/public_html/cgi-bin is a
 * real directory, not a link: the proof runs there. NULL when none. */
static int
userdir_proof_user(const char *root, char **ret)
{
	struct dirview home = { 0 };
	struct diag d = { 0 };
	const char *best = NULL;

	*ret = NULL;
	if (fsops_dirview(root, "/home", &home, &d) < 0)
		return 0;
	for (size_t i = 0; i < home.n_entries; i++) {
		const char *name = home.entries[i].name;
		_cleanup_free_ char *path = strdup_printf("/home/%s/" REQUEST_USERDIR_SUB, name);
		struct dirview dv = { 0 };

		if (!path || name[0] == '.' || (best && strcmp(name, best) >= 0))
			continue;
		if (fsops_dirview(root, path, &dv, &d) >= 0 && dv.exists && dv.is_dir &&
		    !dv.is_symlink)
			best = name;
		fsops_dirview_release(&dv);
	}
	if (best && !(*ret = strdup(best))) {
		fsops_dirview_release(&home);
		return -ENOMEM;
	}
	fsops_dirview_release(&home);
	return 0;
}

static bool
host_has_module(const struct host *h, const char *name)
{
	if (h->have_live && h->live.modules)
		return strv_contains(h->live.modules, name);
	return model_has_module(probe_effective_model(h), name);
}

/* The names --vhost knows: each active vhost's ServerName, or its file's
 * name when it has none, once each. */
static char *
vhost_known_names(const struct model *m)
{
	_cleanup_strv_free_ char **seen = NULL;
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < m->n_vhosts; i++) {
		const char *name = m->vhosts[i].server_name, *slash = strrchr(m->vhosts[i].file, '/');

		if (!name)
			name = slash ? slash + 1 : m->vhosts[i].file;
		if (!m->vhosts[i].active || strv_contains(seen, name))
			continue;
		if (strv_extend(&seen, name) < 0 ||
		    strbuf_addf(&sb, "%s'%s'", sb.len ? ", " : "", name) < 0) {
			strbuf_release(&sb);
			return NULL;
		}
	}
	return strbuf_detach(&sb);
}

/* The first address of a <VirtualHost> line when it is a specific one
 * ("127.0.0.2:80" gives "127.0.0.2", "[::1]:80" gives "[::1]"); NULL for
 * "*", "_default_" or a name. */
static int
vhost_address(const char *addrs, char **ret)
{
	size_t n = strcspn(addrs, " ");
	const char *colon = memrchr(addrs, ':', n);
	size_t hn = colon && (addrs[0] != '[' || colon[-1] == ']') ? (size_t)(colon - addrs) : n;
	_cleanup_free_ char *host = strndup(addrs, hn);

	*ret = NULL;
	if (!host)
		return -ENOMEM;
	if (host[0] == '[' || (host[0] && host[strspn(host, "0123456789.")] == '\0'))
		*ret = TAKE_PTR(host);
	return 0;
}

/* The proof reaches the vhost as a client would: its name as Host (and
 * SNI), on the port of a plain-HTTP copy, else of a TLS one. */
static int
vhost_target(struct pipeline *p)
{
	const struct model *m = probe_effective_model(&p->host);
	struct layout *l = &p->host.layout;
	const struct model_vhost *v = NULL;
	char *addr = NULL;
	unsigned port;

	for (size_t k = 0; k < p->n_vhosts && !v; k++)
		if (!m->vhosts[p->vhosts[k]].tls && model_vhost_port(m, p->vhosts[k]) != 443)
			v = &m->vhosts[p->vhosts[k]];
	if (!v)
		v = &m->vhosts[p->vhosts[0]];
	port = model_vhost_port(m, (size_t)(v - m->vhosts));
	if (port)
		l->listen_port = port;
	/* <VirtualHost 127.0.0.2:80> answers on that address only */
	if (vhost_address(v->addrs, &addr) < 0)
		return -ENOMEM;
	if (addr) {
		free(l->listen_host);
		l->listen_host = addr;
	}
	l->listen_tls = v->tls || port == 443;
	/* the proof's lines go to the vhost's own ErrorLog (or the journal) */
	free(l->request_error_log);
	l->request_error_log = NULL;
	if (v->error_log && startswith(v->error_log, "syslog"))
		l->error_log_journal = endswith(l->unit, ".service");
	else if (v->error_log && !(l->request_error_log = model_resolve(m, v->error_log)))
		return -ENOMEM;
	free(l->vhost_name);
	l->vhost_name = xstrdup_or_null(v->server_name ? v->server_name
				       : v->aliases ? v->aliases[0] : NULL);
	return !v->server_name && !v->aliases ? 0 : l->vhost_name ? 0 : -ENOMEM;
}

/* --vhost NAME: every copy of that virtual host, and the file each is
 * edited in (a symlink in sites-enabled at its target). */
static int
prepare_vhost(struct pipeline *p, struct diag *d)
{
	const struct model *m = probe_effective_model(&p->host);
	_cleanup_free_ char *known = NULL;
	int r;

	if (!p->req->vhost)
		return 0;
	r = model_find_vhosts(m, p->req->vhost, &p->vhosts, &p->n_vhosts);
	if (r < 0)
		return r;
	if (p->n_vhosts == 0) {
		known = vhost_known_names(m);
		if (!known)
			return -ENOMEM;
		if (!*known)
			return diag_usage(d, ENOENT, N_("no virtual host is named '%s': this "
							"configuration has none"), p->req->vhost);
		return diag_usage(d, ENOENT, N_("no virtual host is named '%s'; the known ones: %s"),
				  p->req->vhost, known);
	}
	for (size_t k = 0; k < p->n_vhosts; k++) {
		const char *file = m->vhosts[p->vhosts[k]].file;
		char *resolved = NULL;

		if (fsops_resolve(p->req->root, file, &resolved) < 0)
			resolved = strdup(file);
		r = strv_push(&p->vhost_files, resolved);
		if (r < 0)
			return r;
	}
	return vhost_target(p);
}

/* The Augeas view of DIR's section in block_file. A section Augeas does
 * not see at the top of that file (inside <IfModule>, say) is left as it
 * is, and cgisetup's own section goes to the main configuration. */
static int
prepare_view(struct pipeline *p, struct confedit *ce, struct diag *d)
{
	const char *main_config = p->host.layout.main_config;
	int r = 0;

	if (p->eff.own && !effective_same_dir(p->eff.own->written, p->req->dir))
		r = confedit_set_dir_written(ce, p->eff.own->written);
	if (r >= 0 && !streq(p->block_file, main_config))
		r = confedit_check_parsed(ce, p->block_file, d);
	if (r >= 0)
		r = confedit_view(ce, p->block_file, p->req->dir, &p->view, d);
	if (r < 0 || p->view.block_found || streq(p->block_file, main_config))
		return r;
	confedit_view_release(&p->view);
	free(p->block_file);
	p->block_file = strdup(main_config);
	if (!p->block_file)
		return -ENOMEM;
	return confedit_view(ce, main_config, p->req->dir, &p->view, d);
}

static int
prepare_plan(struct pipeline *p, struct confedit *ce, struct diag *d)
{
	const struct layout *l = &p->host.layout;
	struct plan_input in = {
		.req = p->req, .layout = l, .model = probe_effective_model(&p->host),
		.view = &p->view,
		.eff = &p->eff, .dir = &p->dir, .hello_content = p->hello_content,
		.probe_token = p->probe_token, .vhosts = p->vhosts, .n_vhosts = p->n_vhosts,
		.vhost_files = p->vhost_files,
	};
	_cleanup_free_ char *ud_load = strdup_printf("%s/mods-available/userdir.load",
						     l->server_root);
	_cleanup_free_ char *ud_conf = strdup_printf("%s/mods-available/userdir.conf",
						     l->server_root);
	_cleanup_free_ char *load = strdup_printf("%s/mods-available/%s.load", l->server_root,
					          l->cgi_wanted);
	_cleanup_free_ char *conf = strdup_printf("%s/mods-available/%s.conf", l->server_root,
					          l->cgi_wanted);
	int r;

	if (!load || !conf)
		return -ENOMEM;
	/* random enough that no file of the user's has the probe's name */
	r = fsops_random_token(p->probe_token, d);
	if (r < 0)
		return r;
	in.module_load_available = fsops_exists(p->req->root, load);
	in.module_conf_available = fsops_exists(p->req->root, conf);
	if (p->req->userdir) {
		if (!ud_load || !ud_conf || userdir_proof_user(p->req->root, &p->userdir_user) < 0)
			return -ENOMEM;
		in.userdir_user = p->userdir_user;
		in.userdir_loaded = host_has_module(&p->host, "userdir_module");
		in.userdir_load_available = fsops_exists(p->req->root, ud_load);
		in.userdir_conf_available = fsops_exists(p->req->root, ud_conf);
	}
	r = confedit_check_parsed(ce, l->main_config, d);
	for (size_t k = 0; r >= 0 && k < p->n_vhosts; k++)
		r = confedit_check_parsed(ce, p->vhost_files[k], d);
	if (r >= 0)
		r = prepare_view(p, ce, d);
	in.block_file = p->block_file;
	if (r >= 0)
		r = plan_build(&in, &p->plan, d);
	if (r >= 0)
		r = preview_edits(p, ce, d);
	if (r >= 0)
		r = fix_scripts(p, d);
	return r;
}

/* Bring Apache onto the files a recovery restored, if it runs. */
static void
restart_after_recovery(struct pipeline *p)
{
	struct apache_state st = { 0 };
	struct restart_result res = { 0 };
	struct diag d = { 0 };

	if (*p->req->root || restart_probe(&p->host, &st, &d) < 0 || !st.running)
		goto out;
	if (activate_configtest(p->req, &p->host, &d) < 0 ||
	    restart_run(&p->host, &st, RESTART_FULL, &res, &d) < 0) {
		diag_remember(&d);
		strv_extend(&p->result.recovery_failures, d.msg);
	}
out:
	restart_result_release(&res);
	restart_state_release(&st);
}

/* Take the lock for the whole run and roll back an interrupted one. The
 * journal is not created here: a run refused while it validates must
 * leave the system as it found it, mtimes of / and /var/lib included (see
 * pipeline_prepare). Without a journal there is nothing to lock or
 * recover yet. A read-only run may run without the right to lock it (a
 * non-root preview). LOCKED: a journal this run has created and locked
 * already, whose entries another run may have added meanwhile. */
static int
lock_and_recover(const struct request *req, struct pipeline *p, struct journal *locked,
		 struct diag *d)
{
	struct pipeline_result *res = &p->result;
	bool may_write = res->mode == PREPARE_APPLY;
	struct stat st;
	int r = 0;

	if (*req->root && (stat(req->root, &st) < 0 || !S_ISDIR(st.st_mode)))
		return diag_usage(d, ENOENT, N_("root directory '%s' does not exist"), req->root);
	if (locked)
		p->journal = locked;
	else
		r = journal_open(req->root, false, req->wait_ms, &p->journal, d);
	if (!locked && r == -EACCES && !may_write)
		return 0;
	if (!locked && r < 0)
		return r;
	if (!may_write) /* a dry run writes nothing, a recovery included */
		return journal_pending(p->journal, &res->recovery_pending, &res->recovery_paths, d);
	return journal_recover(p->journal, &res->recovered, &res->recovery_failures, d);
}

static bool
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

/* --vhost: the result names each copy of the vhost, in the file it is
 * edited in, at the line of its <VirtualHost>. */
static int
fill_copies(struct pipeline *p)
{
	const struct model *m = probe_effective_model(&p->host);

	if (!p->n_vhosts)
		return 0;
	p->copies = calloc(p->n_vhosts, sizeof(*p->copies));
	if (!p->copies)
		return -ENOMEM;
	for (size_t k = 0; k < p->n_vhosts; k++) {
		p->copies[k].file = p->vhost_files[k];
		p->copies[k].line = m->vhosts[p->vhosts[k]].line;
	}
	p->result.copies = p->copies;
	p->result.n_copies = p->n_vhosts;
	return 0;
}

/* The result's views of the run, once the plan stands. */
static int
fill_result(struct pipeline *p)
{
	_cleanup_free_ char *path = strdup_printf("%s/hello.py", p->plan.url_path);
	struct pipeline_result *res = &p->result;

	p->url = path ? verify_url(&p->host.layout, path) : NULL;
	if (!p->url)
		return -ENOMEM;
	res->req = p->req;
	res->host = &p->host;
	res->plan = &p->plan;
	res->url = p->url;
	res->has_hello = !p->req->no_hello || p->dir.hello_content;
	res->act = &p->act;
	res->has_changes = pipeline_has_changes(p);
	return fill_copies(p);
}

/* A file the plan changes that is mounted on its own (bind-mounted into a
 * container, say) cannot be replaced by rename(2), and cgisetup writes
 * only atomically: refuse before anything is written. */
static int
refuse_mounted(struct pipeline *p, struct diag *d)
{
	for (size_t i = 0; i < p->n_edits; i++) {
		const struct edited_file *e = &p->edits[i];

		if (!streq(e->old_text, e->new_text) && fsops_is_mount_point(p->req->root, e->path))
			return diag_usage(d, EBUSY,
					  N_("'%s' is a mount point of its own (bind-mounted): it "
					     "cannot be replaced atomically; edit the file it is "
					     "mounted from, or unmount it first"),
					  e->path);
	}
	return 0;
}

/* A file without a final newline is parsed from its text with the newline
 * added, as Apache and editors expect it (Augeas cannot write it back
 * otherwise). */
static int
add_final_newline(const char *root, struct confedit *ce, const char *file, struct diag *d)
{
	_cleanup_free_ char *text = NULL, *fixed = NULL;
	size_t len;

	if (fsops_read(root, file, &text, &len, NULL) < 0 || len == 0 || text[len - 1] == '\n')
		return 0;
	fixed = strdup_printf("%s\n", text);
	return fixed ? confedit_load_text(ce, file, fixed, d) : -ENOMEM;
}

static int
prepare_once(const struct request *req, enum prepare_mode mode, struct journal *locked,
	     struct pipeline **ret, struct diag *d)
{
	_cleanup_free_ struct pipeline *p = calloc(1, sizeof(*p));
	struct confedit *ce = NULL;
	int r;

	if (!p) {
		journal_close(locked);
		return diag_fail(d, ENOMEM, N_("out of memory"));
	}
	*p = (struct pipeline){ .req = req, .result = { .mode = mode } };
	r = lock_and_recover(req, p, locked, d);
	if (r >= 0)
		r = probe_host(req, &p->host, d);
	if (r >= 0 && p->result.recovered)
		restart_after_recovery(p);
	if (r >= 0)
		r = fsops_dirview(req->root, req->dir, &p->dir, d);
	if (r >= 0)
		r = render_hello(p);
	if (r >= 0)
		r = prepare_effective(p);
	if (r >= 0)
		r = prepare_vhost(p, d);
	if (r >= 0) {
		/* Augeas reads only the files it may edit (see textedit.h for the
		 * LoadModule lines it does not touch). */
		_cleanup_strv_free_ char **files = NULL;

		r = strv_extend(&files, p->host.layout.main_config);
		if (r >= 0 && !strv_contains(files, p->block_file))
			r = strv_extend(&files, p->block_file);
		for (size_t k = 0; r >= 0 && k < p->n_vhosts; k++)
			if (!strv_contains(files, p->vhost_files[k]))
				r = strv_extend(&files, p->vhost_files[k]);
		if (r >= 0)
			r = confedit_open(req->root, files, &ce, d);
		for (size_t i = 0; r >= 0 && files[i]; i++)
			r = add_final_newline(req->root, ce, files[i], d);
	}
	if (r >= 0)
		r = prepare_plan(p, ce, d);
	confedit_close(ce);
	if (r >= 0)
		r = refuse_mounted(p, d);
	if (r >= 0)
		r = fill_result(p);
	if (r < 0) {
		if (r == -ENOMEM)
			diag_fail(d, ENOMEM, N_("out of memory"));
		pipeline_free(TAKE_PTR(p));
		return r;
	}
	*ret = TAKE_PTR(p);
	return 0;
}

/* Everything is validated before the journal exists: a refused run never
 * creates it (nor /var/lib inside --root). Only a run that will write
 * creates and locks it, once the plan stands; when another run wrote
 * entries between the validation and the lock, the files may have moved,
 * so the plan is made again, under the lock this time. */
int
pipeline_prepare(const struct request *req, enum prepare_mode mode, struct pipeline **ret,
		 struct diag *d)
{
	struct pipeline *p = NULL;
	struct journal *j = NULL;
	int r;

	r = prepare_once(req, mode, NULL, &p, d);
	/* a configuration that fails already: refused before the journal */
	if (r >= 0 && mode == PREPARE_APPLY && p->result.has_changes &&
	    activate_configtest_before(req, &p->host, d) < 0) {
		pipeline_free(p);
		*ret = NULL;
		return -EINVAL;
	}
	if (r < 0 || mode != PREPARE_APPLY || !p->result.has_changes || journal_locked(p->journal)) {
		*ret = p;
		return r;
	}
	r = journal_open(req->root, true, req->wait_ms, &j, d);
	if (r < 0) {
		pipeline_free(p);
		return r;
	}
	if (!journal_has_entries(j)) {
		journal_close(p->journal);
		p->journal = j;
		*ret = p;
		return 0;
	}
	pipeline_free(p);
	return prepare_once(req, mode, j, ret, d);
}

const struct pipeline_result *
pipeline_result(const struct pipeline *p)
{
	return &p->result;
}

static bool probe_planned(const struct pipeline *p);

static bool
timespec_after(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec != b->tv_sec ? a->tv_sec > b->tv_sec : a->tv_nsec > b->tv_nsec;
}

/* Whether entry T was written after SINCE: its manifest is made just
 * before the files it names (the real system only: T's dir is absolute). */
static bool
entry_written_after(const struct txn *t, const struct timespec *since)
{
	_cleanup_free_ char *manifest = strdup_printf("%s/manifest", t->dir);
	struct stat st;

	return manifest && stat(manifest, &st) == 0 && timespec_after(&st.st_mtim, since);
}

/* Whether the running Apache read its configuration before the latest
 * apply for DIR wrote its files, when that apply did not activate them
 * (--no-restart, --no-start; an apply that did, or an older journal, is
 * never "not loaded"). The apply's own time counts, not the files' mtimes:
 * an admin's later edits are not cgisetup's to activate. Apache writes its
 * PidFile again at every start and graceful restart, so the file's mtime
 * is when the running generation read the configuration. Sets *MODULE
 * when that apply enabled the CGI module. */
static bool
not_loaded_yet(struct pipeline *p, bool *module)
{
	const char *pid_file = p->host.have_live ? p->host.live.pid_file : NULL;
	struct txn **v = NULL;
	size_t n = 0;
	struct stat st;
	bool newer = false;

	if (!pid_file || !p->journal || stat(pid_file, &st) < 0 ||
	    journal_list(p->journal, "apply", &v, &n, NULL) < 0)
		return false;
	for (size_t i = n; i-- > 0;) {
		const char *mod = txn_get_meta(v[i], "module");

		if (!streq_ptr(txn_get_meta(v[i], "dir"), p->req->dir))
			continue;
		newer = streq_ptr(txn_get_meta(v[i], "activated"), "no") &&
			entry_written_after(v[i], &st.st_mtim);
		*module = mod && *mod;
		break;
	}
	journal_list_free(v, n);
	return newer;
}

void
pipeline_observe(struct pipeline *p)
{
	struct diag d = { 0 };

	if (*p->req->root || p->result.observed)
		return;
	if (restart_probe(&p->host, &p->act.before, &d) < 0)
		restart_state_release(&p->act.before);
	p->result.observed = true;
	p->result.not_loaded = p->act.before.running && !p->result.has_changes &&
			       not_loaded_yet(p, &p->result.module_pending);
}

/* The files are as cgisetup left them but the running Apache has not
 * loaded them: the config test, the restart path and the HTTP check of an
 * apply, with the probe recorded in a transaction of its own (a crash
 * cannot leave it) that goes once the run ends. No configuration file is
 * written, so a failure leaves the files as they are. */
int
pipeline_activate(struct pipeline *p, const struct reporter *rep, struct diag *d)
{
	struct activate_opts o = {
		.configtest = true, .module_changed = p->result.module_pending,
		.force_restart = p->req->force_restart, .expect_run = true,
		.url_path = p->plan.url_path, .probe_path = p->plan.probe_path,
		.probe_url_path = p->plan.probe_url_path, .probe_content = p->hello_content,
		.restricted_by = p->plan.restricted_by, .reporter = rep,
	};
	char **failures = NULL;
	int r;

	if (!p->result.not_loaded || p->result.mode != PREPARE_APPLY)
		return diag_fail(d, EINVAL, N_("nothing to activate"));
	restart_state_release(&p->act.before);
	r = activate_observe(p->req, &p->host, &p->act, d);
	o.verify = probe_planned(p);
	if (r >= 0)
		r = journal_begin(p->journal, "activate", &p->txn);
	if (r >= 0 && o.verify)
		r = txn_probe(p->txn, p->plan.probe_path, p->hello_content,
			      strlen(p->hello_content), 0755);
	if (r >= 0)
		r = txn_prepare(p->txn, d);
	if (r >= 0)
		r = activate_all(p->req, &p->host, &p->act, &o, d);
	/* the entry held only the probe: gone either way */
	if (p->txn && p->txn->dir)
		txn_rollback(p->txn, &failures);
	strv_free(failures);
	p->result.activated = r >= 0;
	return r == -ENOMEM ? diag_fail(d, ENOMEM, N_("out of memory")) : r;
}

/* A patch that `patch -p1` and `git apply` apply at /: the edited files,
 * then what the plan creates (hello.py with its mode, the module's
 * symlinks) in git's form. A directory is made by the file in it. */
int
pipeline_diff(const struct pipeline *p, struct strbuf *out)
{
	int r = 0;

	for (size_t i = 0; r >= 0 && i < p->n_edits; i++) {
		const struct edited_file *e = &p->edits[i];
		_cleanup_free_ char *a = diff_name("a", e->path), *b = diff_name("b", e->path);

		r = a && b ? diff_unified(e->old_text, e->new_text, a, b, out) : -ENOMEM;
	}
	for (size_t i = 0; r >= 0 && i < p->plan.n_changes; i++) {
		const struct change *c = &p->plan.changes[i];

		if (c->kind == CHANGE_WRITE)
			r = diff_new_file(c->path, c->content, c->mode, out);
		else if (c->kind == CHANGE_SYMLINK)
			r = diff_new_symlink(c->path, c->arg, out);
	}
	return r;
}

/* ---- apply and rollback ---- */

static const char *const change_tags[] = {
	[CHANGE_MKDIR] = "mkdir", [CHANGE_WRITE] = "write", [CHANGE_CHMOD] = "chmod",
	[CHANGE_SYMLINK] = "symlink", [CHANGE_CONF_ALIAS] = "alias",
	[CHANGE_CONF_BLOCK] = "section", [CHANGE_CONF_MARKER] = "marker",
	[CHANGE_CONF_OPTIONS] = "options", [CHANGE_CONF_HANDLER] = "handler",
	[CHANGE_CONF_REQUIRE] = "require", [CHANGE_CONF_MODULE_UNCOMMENT] = "loadmodule-uncomment",
	[CHANGE_CONF_MODULE_ADD] = "loadmodule-add",
};

/* One file-system change into the journal, before anything is written. */
static int
record_change(struct pipeline *p, struct txn *t, const struct change *c)
{
	_cleanup_strv_free_ char **missing = NULL;
	_cleanup_free_ char *text = NULL;
	int r = 0;

	switch (c->kind) {
	case CHANGE_MKDIR:
		r = fsops_missing_dirs(p->req->root, c->path, &missing);
		for (size_t i = 0; r >= 0 && missing && missing[i]; i++)
			r = txn_create_dir(t, missing[i], c->mode);
		return r;
	case CHANGE_WRITE:
		return txn_create_file(t, c->path, c->content, strlen(c->content), c->mode);
	case CHANGE_CHMOD:
		return txn_chmod(t, c->path, c->old_mode, c->mode);
	case CHANGE_SYMLINK:
		return txn_create_symlink(t, c->path, c->arg);
	default:
		text = strdup_printf("%s %s", change_tags[c->kind], c->path);
		return text ? txn_change(t, text) : -ENOMEM;
	}
}

/* The HTTP check's probe, recorded before anything is written: a crash
 * while it stands is cleaned up by the next run's recovery. */
static bool
probe_planned(const struct pipeline *p)
{
	return p->act.planned && !p->req->no_verify && p->plan.probe_path;
}

/* --vhost: where the undo's check reaches the vhost, as the apply's did. */
static int
record_vhost(const struct layout *l, struct txn *t)
{
	char port[16];
	int r;

	snprintf(port, sizeof(port), "%u", l->listen_port);
	r = txn_meta(t, "vhost", l->vhost_name ? l->vhost_name : "");
	if (r >= 0)
		r = txn_meta(t, "vhost_port", port);
	if (r >= 0)
		r = txn_meta(t, "vhost_tls", l->listen_tls ? "yes" : "no");
	if (r >= 0)
		r = txn_meta(t, "vhost_address", l->listen_host ? l->listen_host : "");
	return r;
}

static int
record_plan(struct pipeline *p, struct txn *t, struct diag *d)
{
	const struct layout *l = &p->host.layout;
	int r;

	r = txn_meta(t, "dir", p->req->dir);
	if (r >= 0)
		r = txn_meta(t, "url_path", p->plan.url_path);
	if (r >= 0)
		r = txn_meta(t, "config", l->main_config);
	if (r >= 0)
		r = txn_meta(t, "module", p->plan.module_enabled ? l->cgi_wanted : "");
	/* the undo's probe runs with the same extension */
	if (r >= 0 && p->plan.probe_path)
		r = txn_meta(t, "probe_ext", strrchr(p->plan.probe_path, '.'));
	if (r >= 0)
		r = txn_meta(t, "ran_before", ran_before(p) ? "yes" : "no");
	if (r >= 0 && p->n_vhosts)
		r = record_vhost(l, t);
	/* --status, --undo and the wizard name where the change applies */
	if (r >= 0)
		r = txn_meta(t, "scope", request_scope_name(request_scope(p->req)));
	if (r >= 0 && p->req->vhost)
		r = txn_meta(t, "vhost_name", p->req->vhost);
	/* --no-restart, --no-start: a later run tells "not active yet" */
	if (r >= 0)
		r = txn_meta(t, "activated", p->act.planned ? "yes" : "no");
	for (size_t i = 0; r >= 0 && i < p->plan.n_changes; i++)
		r = record_change(p, t, &p->plan.changes[i]);
	if (r >= 0 && probe_planned(p))
		r = txn_probe(t, p->plan.probe_path, p->hello_content, strlen(p->hello_content),
			      0755);
	for (size_t i = 0; r >= 0 && i < p->n_edits; i++)
		if (!streq(p->edits[i].old_text, p->edits[i].new_text))
			r = txn_replace(t, p->edits[i].path, p->edits[i].new_text,
					strlen(p->edits[i].new_text), d);
	if (r >= 0)
		r = txn_prepare(t, d);
	return r == -ENOMEM ? diag_fail(d, ENOMEM, N_("out of memory")) : r;
}

static int
apply_file_change(struct pipeline *p, const struct change *c, struct diag *d)
{
	const char *root = p->req->root;

	switch (c->kind) {
	case CHANGE_MKDIR:
		return fsops_mkdir_p(root, c->path, c->mode, NULL, d);
	case CHANGE_WRITE:
		return fsops_write_atomic(root, c->path, c->content, strlen(c->content), c->mode, d);
	case CHANGE_CHMOD:
		return fsops_chmod(root, c->path, c->old_mode, c->mode, d);
	case CHANGE_SYMLINK:
		return fsops_symlink(root, c->arg, c->path, d);
	default:
		return 0;
	}
}

static int
apply_configs(struct pipeline *p, struct diag *d)
{
	for (size_t i = 0; i < p->n_edits; i++) {
		const struct edited_file *e = &p->edits[i];
		int r;

		if (streq(e->old_text, e->new_text))
			continue;
		r = fsops_write_atomic(p->req->root, e->path, e->new_text, strlen(e->new_text),
				       0644, d);
		if (r < 0)
			return r;
	}
	return 0;
}

static int
write_all(struct pipeline *p, const struct reporter *rep, struct diag *d)
{
	int r = 0;

	reporter_begin(rep, STEP_FILES, NULL);
	for (size_t i = 0; r >= 0 && i < p->plan.n_changes; i++)
		r = apply_file_change(p, &p->plan.changes[i], d);
	reporter_end(rep, STEP_FILES, NULL, r);
	if (r >= 0) {
		reporter_begin(rep, STEP_CONFIG, p->host.layout.main_config);
		r = apply_configs(p, d);
		reporter_end(rep, STEP_CONFIG, p->host.layout.main_config, r);
	}
	return r;
}

/* Config test, restart, HTTP check: the real system only. */
static int
activate_changes(struct pipeline *p, const struct reporter *rep, struct diag *d)
{
	struct activate_opts o = {
		/* a module enabled through symlinks changes the configuration too */
		.configtest = p->n_edits > 0 || p->plan.module_enabled,
		.module_changed = p->plan.module_enabled,
		.force_restart = p->req->force_restart,
		.verify = probe_planned(p), .expect_run = true,
		.url_path = p->plan.url_path, .probe_path = p->plan.probe_path,
		.probe_url_path = p->plan.probe_url_path, .probe_content = p->hello_content,
		.restricted_by = p->plan.restricted_by, .reporter = rep,
	};

	return activate_all(p->req, &p->host, &p->act, &o, d);
}

int
pipeline_apply(struct pipeline *p, const struct reporter *rep, struct diag *d)
{
	int r;

	if (p->result.mode != PREPARE_APPLY)
		return diag_fail(d, EINVAL, N_("cannot apply a plan prepared read-only"));
	r = activate_observe(p->req, &p->host, &p->act, d);

	if (r >= 0)
		r = journal_begin(p->journal, "apply", &p->txn);
	if (r >= 0)
		r = record_plan(p, p->txn, d);
	if (r < 0)
		return r; /* nothing written yet */
	r = write_all(p, rep, d);
	if (r >= 0)
		r = activate_changes(p, rep, d);
	if (r >= 0)
		r = txn_commit(p->txn, d);
	if (r < 0)
		activate_rollback(p->txn, &p->host, &p->act, rep, &p->result.rollback_failures);
	p->result.applied = r >= 0;
	return r;
}

void
pipeline_free(struct pipeline *p)
{
	if (!p)
		return;
	probe_host_release(&p->host);
	confedit_view_release(&p->view);
	effective_release(&p->eff);
	free(p->block_file);
	free(p->vhosts);
	free(p->copies);
	strv_free(p->vhost_files);
	free(p->userdir_user);
	fsops_dirview_release(&p->dir);
	plan_release(&p->plan);
	free(p->hello_content);
	for (size_t i = 0; i < p->n_edits; i++) {
		free(p->edits[i].path);
		free(p->edits[i].old_text);
		free(p->edits[i].new_text);
	}
	free(p->edits);
	strv_free(p->result.rollback_failures);
	strv_free(p->result.recovery_failures);
	strv_free(p->result.recovery_paths);
	activation_release(&p->act);
	txn_free(p->txn);
	journal_close(p->journal);
	free(p->url);
	free(p);
}
