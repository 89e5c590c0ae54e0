/* undo.c - take back the last applied change (see undo.h). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgisetup/confedit.h"
#include "cgisetup/diff.h"
#include "cgisetup/fsops.h"
#include "cgisetup/plan.h"
#include "cgisetup/template.h"
#include "cgisetup/request.h"
#include "cgisetup/undo.h"
#include "cgisetup/util.h"

static int
open_journal(const struct request *req, struct undo *u, struct diag *d)
{
	struct stat st;
	int r;

	u->req = req;
	if (*req->root && (stat(req->root, &st) < 0 || !S_ISDIR(st.st_mode)))
		return diag_usage(d, ENOENT, N_("root directory '%s' does not exist"), req->root);
	r = journal_open(req->root, false, req->wait_ms, &u->journal, d);
	if (r == -EACCES && req->dry_run)
		return 0;
	if (r < 0)
		return r;
	if (!req->dry_run)
		r = journal_recover(u->journal, &u->recovered, &u->recovery_failures, d);
	else /* a dry run writes nothing, a recovery included */
		r = journal_pending(u->journal, &u->recovery_pending, &u->recovery_paths, d);
	if (r >= 0)
		r = journal_list(u->journal, "apply", &u->applied, &u->n_applied, d);
	return r;
}

int
undo_status(const struct request *req, struct undo *ret, struct diag *d)
{
	struct undo u = { 0 };
	int r = open_journal(req, &u, d);

	if (r < 0) {
		undo_release(&u);
		return r;
	}
	*ret = u;
	return 0;
}

bool
undo_intact(const struct undo *u, const struct txn *t)
{
	const char *root = u->req->root;

	for (size_t i = 0; i < t->n_recs; i++) {
		const struct txn_record *rec = &t->recs[i];
		_cleanup_free_ char *text = NULL;
		size_t len;

		if (rec->op != TXN_REPLACE && rec->op != TXN_CREATE_FILE)
			continue;
		if (fsops_read(root, rec->path, &text, &len, NULL) < 0)
			return false;
		if (len != rec->new_len || memcmp(text, rec->new_data, len) != 0)
			return false;
	}
	return true;
}

/* ---- planning the inverse ---- */

/* "N of cgisetup's edits ... were changed": one msgid for one edit, one
 * for several (a diag_strdup message has no plural forms). */
static char *
edits_changed(size_t missing, const char *path)
{
	if (missing == 1)
		return diag_strdup(N_("one of cgisetup's edits in '%s' was changed since and "
				      "carries no marker: take it out by hand"), path);
	return diag_strdup(N_("%zu of cgisetup's edits in '%s' were changed since and carry no "
			      "marker: take them out by hand"), missing, path);
}

static int
note(char ***v, char *msg)
{
	return msg ? strv_push(v, msg) : -ENOMEM;
}

/* cgisetup's lines were edited since: remove its section, Alias and
 * LoadModule by their markers through Augeas, then take back what still
 * stands as it was written (an uncommented LoadModule line). */
static int
remove_by_marker(struct undo *u, const struct txn_record *rec, char **ret, struct diag *d)
{
	char *const files[] = { rec->path, NULL };
	_cleanup_free_ char *text = NULL;
	struct confedit *ce = NULL;
	size_t missing = 0;
	int r, removed = 0;

	r = confedit_open(u->req->root, files, &ce, d);
	if (r >= 0)
		r = confedit_check_parsed(ce, rec->path, d);
	if (r >= 0)
		r = removed = confedit_remove_managed(ce, rec->path, txn_get_meta(u->target, "dir"),
						      txn_get_meta(u->target, "url_path"), d);
	if (r >= 0)
		r = confedit_preview(ce, rec->path, &text, d);
	confedit_close(ce);
	if (r >= 0 && removed == 0)
		r = -ESRCH;
	if (r >= 0)
		r = diff_unapply(rec->old_data, rec->new_data, text, &missing, ret);
	if (r == -ESRCH)
		return r; /* no marker: see unapply_what_is_left() */
	if (r >= 0 && missing > 0)
		r = note(&u->partly, edits_changed(missing, rec->path));
	if (r >= 0) {
		char *w = diag_strdup(N_("cgisetup's lines in '%s' were edited since: removed its "
					 "section by its marker, with the edits in it"), rec->path);

		r = w ? strv_push(&u->warnings, w) : -ENOMEM;
	}
	return r;
}

/* Neither as written nor by a marker: the lines still found are taken
 * out. None found means the file was replaced since (a package upgrade
 * took the maintainer's version): that file is done, and the rest of the
 * undo goes on. Some found, some not: what is left is named, and the
 * entry stays, partly undone. 1: nothing to write. */
static int
unapply_what_is_left(struct undo *u, const struct txn_record *rec, const char *current,
		     char **ret)
{
	_cleanup_free_ char *text = NULL;
	size_t missing = 0;
	int r = diff_unapply(rec->old_data, rec->new_data, current, &missing, &text);

	if (r < 0)
		return r;
	if (streq(text, current))
		return note(&u->warnings,
			    diag_strdup(N_("cgisetup's lines are gone from '%s' (the file was "
					   "replaced since, by a package upgrade say): nothing to "
					   "take out there"), rec->path)) < 0 ? -ENOMEM : 1;
	if (missing > 0 &&
	    note(&u->partly, edits_changed(missing, rec->path)) < 0)
		return -ENOMEM;
	*ret = TAKE_PTR(text);
	return 0;
}

/* The text a configuration file gets back. */
static int
inverse_replace(struct undo *u, const struct txn_record *rec, struct diag *d)
{
	_cleanup_free_ char *current = NULL, *text = NULL;
	size_t len;
	int r = fsops_read(u->req->root, rec->path, &current, &len, d);

	if (r < 0)
		return r;
	if (len == rec->new_len && memcmp(current, rec->new_data, len) == 0)
		return txn_replace(u->txn, rec->path, rec->old_data, rec->old_len, d);
	r = diff_unapply(rec->old_data, rec->new_data, current, NULL, &text);
	if (r == -ESRCH)
		r = remove_by_marker(u, rec, &text, d);
	if (r == -ESRCH)
		r = unapply_what_is_left(u, rec, current, &text);
	if (r != 0)
		return r < 0 ? r : 0;
	return txn_replace(u->txn, rec->path, text, strlen(text), d);
}

static int
inverse_create_file(struct undo *u, const struct txn_record *rec, char ***removed,
		    struct diag *d)
{
	_cleanup_free_ char *text = NULL;
	size_t len;

	if (fsops_read(u->req->root, rec->path, &text, &len, NULL) < 0)
		return 0; /* already gone */
	if (len != rec->new_len || memcmp(text, rec->new_data, len) != 0) {
		char *w = diag_strdup(N_("kept '%s': it was changed since cgisetup wrote it"),
				      rec->path);

		return w ? strv_push(&u->warnings, w) : -ENOMEM;
	}
	if (strv_extend(removed, rec->path) < 0)
		return -ENOMEM;
	return txn_remove_file(u->txn, rec->path, d);
}

/* A directory goes only when everything in it goes too. */
static int
inverse_create_dir(struct undo *u, const struct txn_record *rec, char ***removed)
{
	_cleanup_free_ char *full = fsops_path(u->req->root, rec->path);
	struct dirent *de;
	bool empty = true;
	DIR *dir;

	if (!full)
		return -ENOMEM;
	dir = opendir(full);
	if (!dir)
		return 0;
	while (empty && (de = readdir(dir))) {
		_cleanup_free_ char *child = NULL;

		if (streq(de->d_name, ".") || streq(de->d_name, ".."))
			continue;
		child = path_join(rec->path, de->d_name);
		empty = child && strv_contains(*removed, child);
	}
	closedir(dir);
	if (!empty) {
		char *w = diag_strdup(N_("kept directory '%s': it is not empty"), rec->path);

		return w ? strv_push(&u->warnings, w) : -ENOMEM;
	}
	if (strv_extend(removed, rec->path) < 0)
		return -ENOMEM;
	return txn_remove_dir(u->txn, rec->path, rec->mode);
}

static int
inverse_record(struct undo *u, const struct txn_record *rec, char ***removed, struct diag *d)
{
	struct stat st;
	_cleanup_free_ char *full = NULL;

	switch (rec->op) {
	case TXN_REPLACE:
		return inverse_replace(u, rec, d);
	case TXN_CREATE_FILE:
		return inverse_create_file(u, rec, removed, d);
	case TXN_CREATE_DIR:
		return inverse_create_dir(u, rec, removed);
	case TXN_CREATE_SYMLINK:
		if (!fsops_is_symlink_to(u->req->root, rec->path, rec->target))
			return 0;
		if (u->heir) /* the module stays for a later entry */
			return 0;
		return txn_remove_symlink(u->txn, rec->path, rec->target);
	case TXN_CHMOD:
		full = fsops_path(u->req->root, rec->path);
		if (!full)
			return -ENOMEM;
		if (lstat(full, &st) < 0 || !S_ISREG(st.st_mode) ||
		    (st.st_mode & 07777) != rec->new_mode)
			return 0; /* changed since: the admin's mode stays */
		return txn_chmod(u->txn, rec->path, rec->new_mode, rec->mode);
	default:
		return 0;
	}
}

static int
plan_inverse(struct undo *u, struct diag *d)
{
	_cleanup_strv_free_ char **removed = NULL;
	const struct txn *t = u->target;
	int r;

	r = journal_begin(u->journal, "undo", &u->txn);
	if (r >= 0)
		r = txn_meta(u->txn, "undoes", t->name);
	if (r >= 0)
		r = txn_meta(u->txn, "dir", txn_get_meta(t, "dir"));
	if (r >= 0 && u->heir)
		r = txn_meta(u->txn, "module_heir", u->heir->name);
	for (size_t i = t->n_recs; r >= 0 && i-- > 0;)
		r = inverse_record(u, &t->recs[i], &removed, d);
	if (r >= 0 && u->partly) {
		_cleanup_strbuf_ struct strbuf why = STRBUF_INIT;

		for (size_t i = 0; r >= 0 && u->partly[i]; i++)
			r = strbuf_addf(&why, "%s%s", i ? "; " : "", u->partly[i]);
		if (r >= 0)
			r = txn_meta(u->txn, "partly_undone", why.buf);
	}
	return r == -ENOMEM ? diag_fail(d, ENOMEM, N_("out of memory")) : r;
}

const char *
undo_id(const struct txn *t)
{
	const char *p = t->name;

	while (p[0] == '0' && p[1])
		p++;
	return p;
}

static bool
same_id(const struct txn *t, const char *id)
{
	char *end;
	unsigned long want, have;

	errno = 0;
	want = strtoul(id, &end, 10);
	if (errno || end == id || *end)
		return false;
	have = strtoul(t->name, &end, 10);
	return want == have;
}

/* The entry to undo, into *RET: by ID, by directory, or the latest. 0:
 * there is none. */
static int
find_target(struct undo *u, size_t *ret, struct diag *d)
{
	const struct request *req = u->req;
	_cleanup_free_ char *dir = req->dir ? strdup(req->dir) : NULL;
	size_t i;

	if (req->undo_id) {
		for (i = 0; i < u->n_applied && !same_id(u->applied[i], req->undo_id); i++)
			;
		if (i < u->n_applied) {
			*ret = i;
			return 1;
		}
		return diag_usage(d, ENOENT, N_("no applied change has the ID '%s' (cgisetup "
						"--status lists them)"), req->undo_id);
	}
	if (req->dir) {
		if (!dir || request_normalize_path(dir) < 0)
			return diag_usage(d, EINVAL, N_("directory '%s' is not an absolute path "
							"without '.' or '..'"), req->dir);
		for (i = u->n_applied; i-- > 0;) {
			if (streq_ptr(txn_get_meta(u->applied[i], "dir"), dir)) {
				*ret = i;
				return 1;
			}
		}
		return diag_usage(d, ENOENT, N_("no change by cgisetup for '%s' to undo (cgisetup "
						"--status lists them)"), dir);
	}
	if (u->n_applied == 0)
		return 0;
	*ret = u->n_applied - 1;
	return 1;
}

static bool
has_change(const struct txn *t, const char *prefix)
{
	for (size_t i = 0; i < t->n_recs; i++)
		if (t->recs[i].op == TXN_CHANGE && startswith(t->recs[i].target, prefix))
			return true;
	return false;
}

/* Later entries that build on the target: one for the same directory
 * edited what it wrote; one applied while its module was on needs it.
 * Module symlinks go to the first later entry (applied right after, it
 * relied on them first); a LoadModule line cannot be handed on. */
static int
check_later(struct undo *u, size_t idx, struct diag *d)
{
	const struct txn *t = u->applied[idx];
	const char *dir = txn_get_meta(t, "dir"), *module = txn_get_meta(t, "module");
	bool has_module = module && *module;

	for (size_t k = u->n_applied; k-- > idx + 1;) {
		const struct txn *later = u->applied[k];

		if (streq_ptr(txn_get_meta(later, "dir"), dir))
			return diag_usage(d, EBUSY, N_("cannot undo change %s alone: change %s for "
						       "the same directory '%s' builds on it; undo "
						       "that one first"),
					  undo_id(t), undo_id(later), dir);
		if (has_module && has_change(t, "loadmodule-"))
			return diag_usage(d, EBUSY, N_("cannot undo change %s alone: it enabled the "
						       "module '%s' with a LoadModule line that "
						       "change %s needs; undo that one first"),
					  undo_id(t), module, undo_id(later));
	}
	if (has_module && idx + 1 < u->n_applied) {
		u->heir = u->applied[idx + 1];
		return note(&u->warnings, diag_strdup(N_("kept the module '%s' enabled: change %s "
							 "for '%s' needs it"), module,
							undo_id(u->heir),
							txn_get_meta(u->heir, "dir")));
	}
	return 0;
}

static int
select_target(struct undo *u, struct diag *d)
{
	size_t idx = 0;
	int r = find_target(u, &idx, d);

	if (r <= 0)
		return r;
	u->target = u->applied[idx];
	return u->req->forget ? 0 : check_later(u, idx, d);
}

int
undo_forget(struct undo *u, struct diag *d)
{
	int r = journal_forget(u->journal, u->target, d);

	u->done = r >= 0;
	return r;
}

int
undo_prepare(const struct request *req, struct undo *ret, struct diag *d)
{
	struct undo u = { 0 };
	int r = open_journal(req, &u, d);

	if (r >= 0)
		r = select_target(&u, d);
	if (r >= 0 && u.target && !req->forget) {
		r = probe_host(req, &u.host, d);
		u.have_host = r >= 0;
		if (r >= 0)
			r = plan_inverse(&u, d);
	}
	if (r < 0) {
		undo_release(&u);
		return r;
	}
	*ret = u;
	return 0;
}

int
undo_diff(const struct undo *u, struct strbuf *out)
{
	int r = 0;

	for (size_t i = 0; r >= 0 && u->txn && i < u->txn->n_recs; i++) {
		const struct txn_record *rec = &u->txn->recs[i];
		_cleanup_free_ char *a = diff_name("a", rec->path), *b = diff_name("b", rec->path);

		if (!a || !b)
			return -ENOMEM;
		if (rec->op == TXN_REPLACE)
			r = diff_unified(rec->old_data, rec->new_data, a, b, out);
		else if (rec->op == TXN_REMOVE_FILE)
			r = diff_unified(rec->old_data, "", a, "/dev/null", out);
	}
	return r;
}

/* ---- carrying it out ---- */

static int
undo_record(struct undo *u, const struct txn_record *rec, struct diag *d)
{
	const char *root = u->req->root;

	switch (rec->op) {
	case TXN_REPLACE:
		return fsops_write_atomic(root, rec->path, rec->new_data, rec->new_len, rec->mode, d);
	case TXN_REMOVE_FILE:
	case TXN_REMOVE_SYMLINK:
		return fsops_unlink(root, rec->path, d);
	case TXN_REMOVE_DIR:
		return fsops_rmdir(root, rec->path, d);
	case TXN_CHMOD:
		return fsops_chmod(root, rec->path, rec->mode, rec->new_mode, d);
	default:
		return 0;
	}
}

static bool
removes_created(const struct txn_record *rec)
{
	return rec->op == TXN_REMOVE_FILE || rec->op == TXN_REMOVE_DIR;
}

/* The probe that tells whether the running Apache still runs scripts in
 * DIR: the apply's extension, a fresh name, recorded in the undo's
 * transaction before it is written (a crash leaves it to the recovery). */
static int
plan_probe(struct undo *u, struct diag *d)
{
	const char *dir = txn_get_meta(u->target, "dir");
	const char *url_path = txn_get_meta(u->target, "url_path");
	const char *ext = txn_get_meta(u->target, "probe_ext");
	char *exts[] = { (char *)ext, NULL };
	_cleanup_free_ char *python = NULL, *name = NULL;
	const char *vars[] = { "PYTHON3", NULL, NULL };
	char token[17];
	int r;

	if (!u->act.planned || u->req->no_verify || !dir || !url_path || !ext ||
	    !fsops_exists(u->req->root, dir))
		return 0;
	r = fsops_random_token(token, d);
	if (r < 0)
		return r;
	python = fsops_find_python(u->req->root);
	vars[1] = python ? python : "/usr/bin/env python3";
	name = plan_probe_name(exts, token);
	u->probe_path = name ? path_join(dir, name) : NULL;
	u->probe_url_path = name ? strdup_printf("%s/%s", url_path, name) : NULL;
	u->probe_content = template_render(template_hello_py, vars);
	if (!u->probe_path || !u->probe_url_path || !u->probe_content)
		return diag_fail(d, ENOMEM, N_("out of memory"));
	r = txn_probe(u->txn, u->probe_path, u->probe_content, strlen(u->probe_content), 0755);
	return r == -ENOMEM ? diag_fail(d, ENOMEM, N_("out of memory")) : r;
}

static int
undo_activate(struct undo *u, const struct reporter *rep, bool module_changed, struct diag *d)
{
	struct activate_opts o = {
		.configtest = true, .module_changed = module_changed,
		.force_restart = u->req->force_restart, .verify = !u->req->no_verify,
		/* the URL behaves as before the apply: scripts that ran
		 * then (an earlier entry, a stock ScriptAlias) run still */
		.expect_run = undo_runs_still(u),
		.url_path = txn_get_meta(u->target, "url_path"),
		.probe_path = u->probe_path, .probe_url_path = u->probe_url_path,
		.probe_content = u->probe_content, .reporter = rep,
	};

	return activate_all(u->req, &u->host, &u->act, &o, d);
}

/* An apply made with --vhost is checked where it was proven: the vhost's
 * name, port and scheme the apply recorded. */
static int
target_vhost(struct undo *u)
{
	const char *name = txn_get_meta(u->target, "vhost");
	const char *port = txn_get_meta(u->target, "vhost_port");
	const char *tls = txn_get_meta(u->target, "vhost_tls");
	const char *addr = txn_get_meta(u->target, "vhost_address");
	struct layout *l = &u->host.layout;

	if (!name || !port)
		return 0;
	if (addr && *addr) {
		free(l->listen_host);
		l->listen_host = strdup(addr);
		if (!l->listen_host)
			return -ENOMEM;
	}
	l->listen_port = (unsigned)strtoul(port, NULL, 10);
	l->listen_tls = tls && streq(tls, "yes");
	free(l->vhost_name);
	l->vhost_name = *name ? strdup(name) : NULL;
	return !*name || l->vhost_name ? 0 : -ENOMEM;
}

int
undo_apply(struct undo *u, const struct reporter *rep, struct diag *d)
{
	bool module_changed = *txn_get_meta(u->target, "module") != '\0';
	int r = target_vhost(u) < 0 ? diag_fail(d, ENOMEM, N_("out of memory"))
				    : activate_observe(u->req, &u->host, &u->act, d);

	if (r >= 0)
		r = plan_probe(u, d);
	if (r >= 0)
		r = txn_prepare(u->txn, d);
	if (r < 0)
		return r;
	/* hello.py (and the directories it empties) go only after the check:
	 * while it is there, its URL tells whether the running Apache still
	 * runs scripts in DIR; once it is gone any reload, even one that
	 * changed nothing, would pass with a 404 */
	reporter_begin(rep, STEP_FILES, NULL);
	for (size_t i = 0; r >= 0 && i < u->txn->n_recs; i++)
		if (!removes_created(&u->txn->recs[i]))
			r = undo_record(u, &u->txn->recs[i], d);
	reporter_end(rep, STEP_FILES, NULL, r);
	if (r >= 0)
		r = undo_activate(u, rep, module_changed, d);
	for (size_t i = 0; r >= 0 && i < u->txn->n_recs; i++)
		if (removes_created(&u->txn->recs[i]))
			r = undo_record(u, &u->txn->recs[i], d);
	if (r >= 0)
		r = txn_commit(u->txn, d);
	if (r < 0) {
		activate_rollback(u->txn, &u->host, &u->act, rep, &u->rollback_failures);
		return r;
	}
	/* both entries go, the change is as if it never was; or the apply
	 * stays, partly undone, with the reason */
	r = journal_finish_undo(u->journal, u->txn, d);
	u->done = r >= 0;
	return r;
}

void
undo_release(struct undo *u)
{
	strv_free(u->recovery_failures);
	strv_free(u->recovery_paths);
	journal_list_free(u->applied, u->n_applied);
	if (u->have_host)
		probe_host_release(&u->host);
	txn_free(u->txn);
	strv_free(u->warnings);
	strv_free(u->partly);
	strv_free(u->rollback_failures);
	activation_release(&u->act);
	free(u->probe_path);
	free(u->probe_url_path);
	free(u->probe_content);
	journal_close(u->journal);
	*u = (struct undo){ 0 };
}

bool
undo_runs_still(const struct undo *u)
{
	return u->target && streq_ptr(txn_get_meta(u->target, "ran_before"), "yes");
}

const struct txn *
undo_entry_still_serving(const struct undo *u)
{
	const char *dir = u->target ? txn_get_meta(u->target, "dir") : NULL;

	for (size_t i = u->n_applied; dir && i-- > 0;)
		if (u->applied[i] != u->target && streq_ptr(txn_get_meta(u->applied[i], "dir"), dir))
			return u->applied[i];
	return NULL;
}
