/* plan.c - decide what to change, and why (see plan.h). */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <strings.h>
#include <sys/stat.h>

#include "cgisetup/plan.h"
#include "cgisetup/util.h"

#define MAX_URL_SUFFIX 9

void
plan_release(struct plan *p)
{
	for (size_t i = 0; i < p->n_changes; i++) {
		free(p->changes[i].path);
		free(p->changes[i].arg);
		strv_free(p->changes[i].args);
		free(p->changes[i].content);
	}
	free(p->changes);
	free(p->url_path);
	free(p->hello_path);
	free(p->probe_path);
	free(p->probe_url_path);
	free(p->restricted_by);
	strv_free(p->warnings);
	*p = (struct plan){ 0 };
}

bool
plan_changes_config(const struct plan *p)
{
	for (size_t i = 0; i < p->n_changes; i++)
		if (p->changes[i].kind >= CHANGE_CONF_ALIAS)
			return true;
	return false;
}

/* Whether every string C's kind needs is there (a failed strdup leaves NULL). */
static bool
change_complete(const struct change *c)
{
	switch (c->kind) {
	case CHANGE_WRITE:
		return c->path && c->content;
	case CHANGE_SYMLINK:
	case CHANGE_CONF_ALIAS:
	case CHANGE_CONF_BLOCK:
	case CHANGE_CONF_MODULE_UNCOMMENT:
	case CHANGE_CONF_MODULE_ADD:
		return c->path && c->arg;
	default:
		return c->path;
	}
}

/* Append C to P, taking its strings even on failure. */
static int
plan_add(struct plan *p, struct change c)
{
	struct change *nv = change_complete(&c)
				    ? realloc(p->changes, (p->n_changes + 1) * sizeof(*nv))
				    : NULL;

	if (!nv || !c.path) {
		free(c.path);
		free(c.arg);
		strv_free(c.args);
		free(c.content);
		if (nv)
			p->changes = nv;
		return -ENOMEM;
	}
	nv[p->n_changes++] = c;
	p->changes = nv;
	return 0;
}

bool
plan_same_dir(const char *written, const char *dir)
{
	return effective_same_dir(written, dir);
}

static bool
is_prefixed(const char *opt)
{
	return opt[0] == '+' || opt[0] == '-';
}

int
plan_options_with_execcgi(char *const *args, char ***ret)
{
	_cleanup_strv_free_ char **out = NULL;
	bool prefixed = !args || !args[0] || is_prefixed(args[0]);
	int r;

	for (size_t i = 0; args && args[i]; i++) {
		const char *a = args[i];

		if (strcaseeq(a, prefixed ? "+ExecCGI" : "ExecCGI") ||
		    (!prefixed && strcaseeq(a, "All")))
			return 0;
		/* "-ExecCGI" goes; "None" means nothing else, so it goes too. */
		if (strcaseeq(a, "-ExecCGI") || strcaseeq(a, "None"))
			continue;
		r = strv_extend(&out, a);
		if (r < 0)
			return r;
	}
	r = strv_extend(&out, prefixed ? "+ExecCGI" : "ExecCGI");
	if (r < 0)
		return r;
	*ret = TAKE_PTR(out);
	return 1;
}

static bool
url_overlaps(const char *a, const char *b)
{
	return request_path_within(a, b) || request_path_within(b, a);
}

/* A directive that uses a URL path: an Alias-like one, a Redirect, a
 * RewriteRule or a ProxyPass. */
struct url_use {
	const char *directive;
	const char *url;
	const char *file;
	unsigned line;
};

/* Where a URL mapping counts for a server-wide change: the main server and
 * the default (first) virtual host. A mapping inside another name-based
 * virtual host takes the path from that host only. */
static bool
counts_server_wide(int vhost)
{
	return vhost <= 0;
}

/* The literal leading part of a regex URL pattern ("^/app/(.*)" -> "/app"). */
static char *
regex_prefix(const char *re)
{
	size_t n;

	if (re[0] == '^')
		re++;
	n = strcspn(re, ".*+?()[]{}|\\$");
	if (n == 0 || re[0] != '/')
		return NULL;
	return strndup(re, n);
}

/* The URL path a Redirect, RewriteRule or ProxyPass line claims. */
static char *
rule_url(const struct model_directive *d)
{
	static const char *const status[] = { "permanent", "temp", "seeother", "gone", NULL };
	char *const *a = d->args;

	if (strcaseeq(d->name, "RewriteRule") || strcasestr(d->name, "match"))
		return a[0] ? regex_prefix(a[0]) : NULL;
	if (strncasecmp(d->name, "Redirect", 8) == 0 && a[0] &&
	    (strv_contains_case((char **)status, a[0]) || (a[0][0] >= '0' && a[0][0] <= '9')))
		a++;
	return a[0] && a[0][0] == '/' ? effective_canonical_dir(a[0]) : NULL;
}

static bool
is_url_rule(const char *name)
{
	return strncasecmp(name, "Redirect", 8) == 0 || strcaseeq(name, "RewriteRule") ||
	       strncasecmp(name, "ProxyPass", 9) == 0;
}

static bool
alias_collides(const struct model_alias *a, const char *url)
{
	_cleanup_free_ char *u = NULL;

	if (strcasestr(a->directive, "match") || !counts_server_wide(a->vhost))
		return false;
	u = effective_canonical_dir(a->url);
	return u && u[0] == '/' && url_overlaps(u, url);
}

static bool
rule_collides(const struct model_directive *d, const char *url)
{
	_cleanup_free_ char *u = NULL;

	/* RewriteRule inside <Directory> matches file paths, not URLs */
	if (!d->active || d->section >= 0 || !counts_server_wide(d->vhost) || !is_url_rule(d->name))
		return false;
	u = rule_url(d);
	return u && url_overlaps(u, url);
}

/* The first mapping whose URL overlaps URL; false when none does. */
static bool
url_collision(const struct model *m, const char *url, struct url_use *ret)
{
	for (size_t i = 0; i < m->n_aliases; i++) {
		const struct model_alias *a = &m->aliases[i];

		if (alias_collides(a, url)) {
			*ret = (struct url_use){ a->directive, a->url, a->file, a->line };
			return true;
		}
	}
	for (size_t i = 0; i < m->n_directives; i++) {
		const struct model_directive *d = &m->directives[i];

		if (rule_collides(d, url)) {
			*ret = (struct url_use){ d->name, d->args[0], d->file, d->line };
			return true;
		}
	}
	return false;
}

/* An existing Alias or ScriptAlias that already maps a URL to DIR. */
static const struct model_alias *
alias_for_dir(const struct model *m, const char *dir)
{
	for (size_t i = 0; i < m->n_aliases; i++)
		if (!endswith(m->aliases[i].directive, "atch") &&
		    plan_same_dir(m->aliases[i].path, dir))
			return &m->aliases[i];
	return NULL;
}

char *
plan_default_url_path(const struct model *m, const char *dir)
{
	const char *base = strrchr(dir, '/') + 1;
	_cleanup_free_ char *url = NULL;

	for (unsigned k = 1; k <= MAX_URL_SUFFIX; k++) {
		free(url);
		url = k == 1 ? strdup_printf("/%s", base) : strdup_printf("/%s-%u", base, k);
		if (!url)
			return NULL;
		/* a character a URL must escape ('#', '%', '?', a space, ...)
		 * becomes '-': the URL stays plain, and cgisetup's own check
		 * fetches what a browser would */
		for (char *p = url + 1; *p; p++)
			if (!isalnum((unsigned char)*p) && !strchr("._~-", *p))
				*p = '-';
		if (!url_collision(m, url, &(struct url_use){ 0 }))
			return TAKE_PTR(url);
	}
	return NULL;
}

/* --url-path URL for DIR: free, or DIR's own mapping already. A DIR that
 * is served elsewhere is not moved silently: a second Alias would leave
 * the first one in force, and dropping it is the undo's job. */
static int
url_path_given(const struct model *m, const struct request *req, const struct model_alias *a,
	       char **ret_url, bool *ret_alias, struct diag *d)
{
	_cleanup_free_ char *mapped = a ? effective_canonical_dir(a->url) : NULL;
	struct url_use c;

	if (a && mapped && !streq(mapped, req->url_path))
		return diag_usage(d, EEXIST,
				  N_("'%s' is already served at %s/ by '%s' in '%s' line %u: give "
				     "that URL path, or undo first to move it"),
				  req->dir, mapped, a->directive, a->file, a->line);
	if (!a && url_collision(m, req->url_path, &c))
		return diag_usage(d, EEXIST,
				  N_("URL path '%s' is already used by '%s %s' in '%s' line %u"),
				  req->url_path, c.directive, c.url, c.file, c.line);
	*ret_url = strdup(req->url_path);
	*ret_alias = !a;
	return *ret_url ? 0 : -ENOMEM;
}

/* DIR's URL below the document root ROOT ("" for the root itself); NULL
 * when DIR is not below it, or when an Alias-like directive takes that URL
 * (it would not reach DIR: Debian's /cgi-bin/ for /var/www/html/cgi-bin). */
static const char *
url_below_root(const struct model *m, const char *root, const char *dir)
{
	const char *url;

	if (!root || !request_path_within(dir, root))
		return NULL;
	if (streq(root, dir))
		return "";
	url = dir + (streq(root, "/") ? 0 : strlen(root));
	return url_collision(m, url, &(struct url_use){ 0 }) ? NULL : url;
}

int
plan_url_path(const struct model *m, const struct layout *l, const struct request *req,
	      char **ret_url, bool *ret_alias, struct diag *d)
{
	const struct model_alias *a = alias_for_dir(m, req->dir);
	_cleanup_free_ char *root = l->document_root ? effective_canonical_dir(l->document_root) : NULL;
	const char *below;
	char *url;
	bool alias = false;

	if (req->url_path)
		return url_path_given(m, req, a, ret_url, ret_alias, d);
	if (a) {
		url = effective_canonical_dir(a->url);
	} else if ((below = url_below_root(m, root, req->dir))) {
		url = strdup(below);
	} else {
		url = plan_default_url_path(m, req->dir);
		if (!url)
			return diag_usage(d, EEXIST,
					  N_("no free URL path for '%s': choose one with --url-path"),
					  req->dir);
		alias = true;
	}
	if (!url)
		return -ENOMEM;
	*ret_url = url;
	*ret_alias = alias;
	return 0;
}

int
plan_check_dir(const struct request *req, const struct dirview *dv, struct diag *d)
{
	if (!dv->exists)
		return 0;
	if (dv->is_symlink)
		return diag_usage(d, EINVAL,
				  N_("'%s' is a symbolic link: give the directory it points to"),
				  req->dir);
	if (!dv->is_dir)
		return diag_usage(d, ENOTDIR, N_("'%s' exists and is not a directory"),
				  req->dir);
	if ((dv->mode & S_IWOTH) && !req->force)
		return diag_usage(d, EPERM,
				  N_("refusing world-writable directory '%s' (mode %04o): anyone could "
				     "run code as the web server; fix its mode or use --force"),
				  req->dir, (unsigned)(dv->mode & 07777));
	return 0;
}

static bool
has_handled_ext(const struct plan_input *in, const char *name)
{
	for (char *const *e = in->req->exts; *e; e++) {
		size_t ln = strlen(name), le = strlen(*e);

		if (ln > le && strcasecmp(name + ln - le, *e) == 0)
			return true;
	}
	return false;
}

/* Execute permission wherever read permission is; never any write bit. */
static mode_t
exec_mode(mode_t mode)
{
	mode_t m = mode | S_IXUSR;

	if (mode & S_IRGRP)
		m |= S_IXGRP;
	if (mode & S_IROTH)
		m |= S_IXOTH;
	return m;
}

/* The mode a script that is not executable gets. --fix: also without
 * group and other write, the mode --check's exec-bit and writable findings
 * both name (a script anyone may write runs their code as the web server;
 * 0666 becomes 0755). A plain apply keeps the write bits as the admin set
 * them (0664 -> 0775). */
static mode_t
script_mode(const struct plan_input *in, mode_t mode)
{
	return in->req->fix_scripts ? exec_mode(mode) & ~(mode_t)(S_IWGRP | S_IWOTH)
				    : exec_mode(mode);
}

static int warn(struct plan *p, char *msg);

/* Whether a script may be made executable. Not when it has other hard
 * links (the mode is the inode's: a 0600 file elsewhere, under /etc say,
 * would become executable too) nor when it is setuid or setgid (an exec bit
 * on such a file is the admin's decision, never a side effect): both are
 * left as they are and named in a warning. */
static int
may_chmod(const struct plan_input *in, struct plan *p, const struct dirent_view *e, bool *ret)
{
	_cleanup_free_ char *path = path_join(in->req->dir, e->name);

	*ret = false;
	if (!path)
		return -ENOMEM;
	if (e->mode & (S_ISUID | S_ISGID))
		return warn(p, strdup_printf("'%s' is set%s (mode %04o): not made executable; "
					     "check it and change its mode yourself",
					     path, e->mode & S_ISUID ? "uid" : "gid",
					     (unsigned)(e->mode & 07777)));
	if (e->nlink > 1)
		return warn(p, strdup_printf("'%s' has %lu hard links: not made executable "
					     "(that would change the same file elsewhere)",
					     path, e->nlink));
	*ret = true;
	return 0;
}

static int
plan_files(const struct plan_input *in, struct plan *p)
{
	const struct dirview *dv = in->dir;
	int r = 0;

	p->hello_path = path_join(in->req->dir, "hello.py");
	if (!p->hello_path)
		return -ENOMEM;
	if (!dv->exists)
		r = plan_add(p, (struct change){ .kind = CHANGE_MKDIR, .path = strdup(in->req->dir),
						 .mode = 0755,
						 .why = N_("the CGI directory does not exist yet") });
	if (r >= 0 && !in->req->no_hello && !dv->hello_content)
		r = plan_add(p, (struct change){ .kind = CHANGE_WRITE, .path = strdup(p->hello_path),
						 .content = strdup(in->hello_content), .mode = 0755,
						 .why = N_("a test script proves that CGI runs") });
	if (r >= 0 && dv->hello_content && !streq(dv->hello_content, in->hello_content))
		r = strv_push(&p->warnings, diag_strdup(N_("an existing hello.py was kept as it is")));
	for (size_t i = 0; r >= 0 && i < dv->n_entries; i++) {
		const struct dirent_view *e = &dv->entries[i];
		bool chmod_ok;

		if (!e->regular || !has_handled_ext(in, e->name) || exec_mode(e->mode) == e->mode)
			continue;
		r = may_chmod(in, p, e, &chmod_ok);
		if (r < 0 || !chmod_ok)
			continue;
		r = plan_add(p, (struct change){ .kind = CHANGE_CHMOD,
						 .path = path_join(in->req->dir, e->name),
						 .mode = script_mode(in, e->mode), .old_mode = e->mode,
						 .why = N_("a CGI script must be executable") });
	}
	return r;
}

static int
plan_module_symlinks(const struct plan_input *in, struct plan *p)
{
	const char *mod = in->layout->cgi_wanted, *root = in->layout->server_root;
	static const char *const exts[] = { "load", "conf" };
	int r = 0;

	for (size_t i = 0; r >= 0 && i < ELEMENTSOF(exts); i++) {
		if (i == 1 && !in->module_conf_available)
			break;
		r = plan_add(p, (struct change){
					.kind = CHANGE_SYMLINK,
					.path = strdup_printf("%s/mods-enabled/%s.%s", root, mod, exts[i]),
					.arg = strdup_printf("../mods-available/%s.%s", mod, exts[i]),
					.why = N_("enable the CGI module that matches the MPM, as a2enmod does"),
				});
	}
	return r;
}

/* Uncomment a LoadModule line whose sections are active, else add one. */
static int
plan_module_line(const struct plan_input *in, struct plan *p)
{
	const struct layout *l = in->layout;
	_cleanup_free_ char *name = strdup_printf("%s_module", l->cgi_wanted);
	_cleanup_strv_free_ char **args = NULL;

	if (!name)
		return -ENOMEM;
	for (size_t i = 0; i < in->model->n_commented; i++) {
		const struct model_module *c = &in->model->commented[i];

		if (c->active && streq(c->name, name))
			return plan_add(p, (struct change){
						   .kind = CHANGE_CONF_MODULE_UNCOMMENT,
						   .path = strdup(c->file), .arg = TAKE_PTR(name),
						   .ordinal = c->ordinal,
						   .why = N_("load the CGI module that matches the MPM"),
					   });
	}
	if (strv_push(&args, strdup_printf("%s/mod_%s.so", l->module_dir, l->cgi_wanted)) < 0)
		return -ENOMEM;
	return plan_add(p, (struct change){ .kind = CHANGE_CONF_MODULE_ADD,
					 .path = strdup(l->main_config), .arg = TAKE_PTR(name),
					 .args = TAKE_PTR(args),
					 .why = N_("load the CGI module that matches the MPM") });
}

static int
plan_module(const struct plan_input *in, struct plan *p)
{
	const struct layout *l = in->layout;

	if (l->cgi_loaded)
		return 0;
	p->module_enabled = true;
	if (l->family->modmech == MODMECH_DEBIAN_SYMLINK) {
		if (in->module_load_available)
			return plan_module_symlinks(in, p);
		/* a partial tree without mods-available: load it directly */
		if (strv_push(&p->warnings, diag_strdup(N_("no mods-available/ file for the CGI "
							   "module: adding a LoadModule line "
							   "instead"))) < 0)
			return -ENOMEM;
	}
	return plan_module_line(in, p);
}

static int
plan_alias(const struct plan_input *in, struct plan *p)
{
	_cleanup_strv_free_ char **args = NULL;

	if (!p->alias_needed)
		return 0;
	if (strv_push(&args, strdup_printf("%s/", in->req->dir)) < 0)
		return -ENOMEM;
	for (size_t k = 0; k < in->n_vhosts; k++) {
		_cleanup_strv_free_ char **copy = NULL;
		int r = strv_extend(&copy, args[0]);

		if (r >= 0)
			r = plan_add(p, (struct change){
				.kind = CHANGE_CONF_ALIAS, .path = strdup(in->vhost_files[k]),
				.ordinal = model_vhost_ordinal(in->model, in->vhosts[k]),
				.arg = strdup_printf("%s/", p->url_path), .args = TAKE_PTR(copy),
				.why = N_("map a URL to the directory in this virtual host") });
		if (r < 0)
			return r;
	}
	if (in->n_vhosts)
		return 0;
	return plan_add(p, (struct change){ .kind = CHANGE_CONF_ALIAS,
					 .path = strdup(in->layout->main_config),
					 .arg = strdup_printf("%s/", p->url_path), .args = TAKE_PTR(args),
					 .why = N_("map a URL to the directory, which lies outside the "
						   "document root") });
}

/* Extensions of the request that the section does not hand to cgi-script. */
static int
missing_exts(const struct plan_input *in, char ***ret)
{
	_cleanup_strv_free_ char **v = NULL;

	for (char *const *e = in->req->exts; *e; e++) {
		if (in->view->all_handled || strv_contains_case(in->view->handled_exts, *e))
			continue;
		if (strv_extend(&v, *e) < 0)
			return -ENOMEM;
	}
	*ret = TAKE_PTR(v);
	return 0;
}

static bool
needs_grant(const struct plan_input *in)
{
	/* --userdir: the home directories' own section (Debian's and RHEL's
	 * userdir.conf: Require method GET POST OPTIONS) decides access */
	if (in->req->userdir)
		return false;
	/* Only the stock catch-all "<Directory /> Require all denied" is
	 * overridden; any other rule is the admin's, and stays in force. */
	return in->eff->access == EFFECTIVE_STOCK_DENIED;
}

/* --vhost: whether a request to copy V of the vhost runs DIR's scripts
 * already, as Apache merges the main server's sections and V's own (the
 * same merge --check uses): ExecCGI, every extension handed to
 * cgi-script, and access where cgisetup would grant it. A section of
 * cgisetup's own from an earlier run makes it so: a second run adds
 * nothing. 1 yes, 0 no, -ENOMEM. */
static int
vhost_section_holds(const struct plan_input *in, size_t v)
{
	struct effective e = { 0 };
	bool runs;
	int r = effective_dir_in(in->model, (int)v, in->req->dir, in->req->exts, NULL, &e);

	if (r < 0)
		return r;
	runs = (e.exec_cgi || e.script_alias) && effective_all_handled(&e, in->req->exts) &&
	       (in->req->userdir || e.access != EFFECTIVE_STOCK_DENIED);
	effective_release(&e);
	return runs;
}

/* --vhost: a section of cgisetup's own inside every copy of the vhost. */
static int
plan_block_vhosts(const struct plan_input *in, struct plan *p)
{
	for (size_t k = 0; k < in->n_vhosts; k++) {
		_cleanup_strv_free_ char **exts = NULL;
		int r = vhost_section_holds(in, in->vhosts[k]);

		if (r < 0)
			return r;
		if (r > 0)
			continue;

		for (char *const *e = in->req->exts; r >= 0 && *e; e++)
			r = strv_extend(&exts, *e);
		if (r >= 0)
			r = plan_add(p, (struct change){
				.kind = CHANGE_CONF_BLOCK, .path = strdup(in->vhost_files[k]),
				.ordinal = model_vhost_ordinal(in->model, in->vhosts[k]),
				.arg = strdup(in->req->dir), .args = TAKE_PTR(exts),
				.grant = needs_grant(in),
				.why = N_("allow CGI scripts in the directory, in this virtual host "
					  "only") });
		if (r < 0)
			return r;
	}
	return 0;
}

static int
plan_block_new(const struct plan_input *in, struct plan *p)
{
	_cleanup_strv_free_ char **exts = NULL;
	int r;

	if (in->n_vhosts)
		return plan_block_vhosts(in, p);
	r = missing_exts(in, &exts);
	if (r < 0)
		return r;
	return plan_add(p, (struct change){ .kind = CHANGE_CONF_BLOCK,
					 .path = strdup(in->layout->main_config),
					 .arg = strdup(in->req->dir), .args = TAKE_PTR(exts),
					 .grant = needs_grant(in),
					 .why = needs_grant(in)
							? N_("allow CGI scripts in the directory and grant "
							     "access to it")
							: N_("allow CGI scripts in the directory") });
}

static int
plan_block_complete(const struct plan_input *in, struct plan *p)
{
	const struct confview *v = in->view;
	const char *cfg = in->block_file;
	_cleanup_strv_free_ char **opts = NULL, **exts = NULL;
	int r = 0;

	if (!v->has_marker)
		r = plan_add(p, (struct change){ .kind = CHANGE_CONF_MARKER, .path = strdup(cfg),
						 .why = N_("mark the section as completed by cgisetup") });
	if (r >= 0 && plan_options_with_execcgi(v->has_options ? v->options : NULL, &opts) > 0)
		r = plan_add(p, (struct change){ .kind = CHANGE_CONF_OPTIONS, .path = strdup(cfg),
						 .args = TAKE_PTR(opts),
						 .why = N_("allow CGI execution, keeping the other options") });
	if (r >= 0)
		r = missing_exts(in, &exts);
	if (r >= 0 && exts)
		r = plan_add(p, (struct change){ .kind = CHANGE_CONF_HANDLER, .path = strdup(cfg),
						 .args = TAKE_PTR(exts),
						 .why = N_("hand the script extensions to cgi-script") });
	if (r >= 0 && needs_grant(in) && !v->has_require)
		r = plan_add(p, (struct change){ .kind = CHANGE_CONF_REQUIRE, .path = strdup(cfg),
						 .why = N_("every stock layout denies '/': grant access to "
							   "the directory") });
	return r;
}

/* "'Options -ExecCGI' in 'FILE' line 12" */
static char *
where(const struct model_directive *d)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;

	if (strbuf_adds(&sb, d->name) < 0)
		return NULL;
	for (size_t i = 0; d->args[i]; i++)
		if (strbuf_addf(&sb, " %s", d->args[i]) < 0)
			return NULL;
	return strdup_printf("'%s' in '%s' line %u", sb.buf, d->file, d->line);
}

static int
warn(struct plan *p, char *msg)
{
	int r = msg ? strv_extend(&p->warnings, msg) : -ENOMEM;

	free(msg);
	return r;
}

static int
warn_location(const struct plan_input *in, struct plan *p)
{
	const struct model_directive *rule = effective_location_rule(in->model, p->url_path);
	_cleanup_free_ char *at = rule ? where(rule) : NULL;

	if (!rule)
		return 0;
	return warn(p, at ? diag_strdup(N_("access to %s/ stays restricted by %s: cgisetup keeps "
					   "the admin's rule"), p->url_path, at)
			  : NULL);
}

/* What the whole configuration says beyond the section: a line that would
 * undo the change refuses the run; an admin's access rule is kept. */
static int
plan_effective_notes(const struct plan_input *in, struct plan *p, struct diag *d)
{
	const struct effective *e = in->eff;
	_cleanup_free_ char *defeat = e->defeat ? where(e->defeat) : NULL;
	_cleanup_free_ char *access = e->access_by ? where(e->access_by) : NULL;
	_cleanup_free_ char *vhost = e->vhost_defeat ? where(e->vhost_defeat) : NULL;
	int r = 0;

	if (e->defeat)
		/* the reason, third, is a msgid too (effective.c) */
		return defeat ? diag_usage_tr(d, EEXIST, 1u << 2,
					      N_("%s would turn CGI off again for '%s' (%s): "
						 "change that line first"),
					      defeat, in->req->dir, e->defeat_why)
			      : -ENOMEM;
	if (e->access == EFFECTIVE_RESTRICTED && access && !(p->restricted_by = strdup(access)))
		return -ENOMEM;
	if (e->access == EFFECTIVE_RESTRICTED)
		r = warn(p, diag_strdup(N_("access to '%s' stays restricted by %s: cgisetup keeps "
					   "the admin's rule"), in->req->dir, access ? access : "?"));
	if (r >= 0)
		r = warn_location(in, p);
	if (r >= 0 && vhost)
		r = warn(p, diag_strdup(N_("CGI stays off for '%s' in a virtual host: %s"),
					in->req->dir, vhost));
	if (r >= 0 && e->own_kept)
		r = warn(p, diag_strdup(N_("the section for '%s' in '%s' line %u belongs to a "
					   "package: cgisetup adds what is missing in a section of "
					   "its own"),
					in->req->dir, e->own_kept->file, e->own_kept->line));
	return r;
}

/* Nothing to write when the whole configuration already runs the scripts
 * (Debian's /usr/lib/cgi-bin once the module is on, say). */
static bool
block_holds(const struct plan_input *in)
{
	const struct effective *e = in->eff;

	return (e->exec_cgi || e->script_alias) && effective_all_handled(e, in->req->exts) &&
	       !needs_grant(in);
}

static int
plan_block(const struct plan_input *in, struct plan *p, struct diag *d)
{
	int r = plan_effective_notes(in, p, d);

	if (r < 0 || block_holds(in))
		return r;
	if (in->n_vhosts)
		return plan_block_vhosts(in, p);
	return in->view->block_found ? plan_block_complete(in, p) : plan_block_new(in, p);
}

char *
plan_probe_name(char *const *exts, const char *token)
{
	const char *ext = ".py";

	if (exts && exts[0] && !strv_contains_case(exts, ext))
		ext = exts[0];
	return strdup_printf("cgisetup-probe-%s%s", token, ext);
}

static int
plan_probe(const struct plan_input *in, struct plan *p)
{
	_cleanup_free_ char *name = NULL;

	if (!in->probe_token)
		return 0;
	name = plan_probe_name(in->req->exts, in->probe_token);
	p->probe_path = name ? path_join(in->req->dir, name) : NULL;
	p->probe_url_path = name ? strdup_printf("%s/%s", p->url_path, name) : NULL;
	return p->probe_path && p->probe_url_path ? 0 : -ENOMEM;
}

/* The layout as the vhost sees it: its own DocumentRoot decides which
 * directories need no Alias. A shallow copy: nothing in it is freed. */
static const struct layout *
vhost_layout(const struct plan_input *in, struct layout *lv)
{
	const char *root = NULL;

	for (size_t k = 0; k < in->n_vhosts && !root; k++)
		root = in->model->vhosts[in->vhosts[k]].document_root;
	if (!root)
		return in->layout;
	*lv = *in->layout;
	lv->document_root = (char *)root;
	return lv;
}

/* --userdir: refused where UserDir is off for everyone, or where
 * mod_userdir is neither loaded nor available to enable. */
static int
userdir_check(const struct plan_input *in, struct diag *d)
{
	const struct family *f = in->layout->family;

	if (in->model->userdir_disabled)
		return diag_usage(d, EPERM, N_("--userdir: per-user directories are disabled for "
					       "every user by %s: enable them there first (for "
					       "example 'UserDir public_html')"),
				  in->model->userdir_disabled);
	if (in->userdir_loaded ||
	    (f->modmech == MODMECH_DEBIAN_SYMLINK && in->userdir_load_available))
		return 0;
	return diag_usage(d, ENOENT, N_("--userdir: mod_userdir is not loaded and cgisetup "
					"cannot enable it here: load it first (LoadModule "
					"userdir_module)"));
}

/* --userdir: mod_userdir enabled as a2enmod does, when it is not loaded. */
static int
plan_userdir_module(const struct plan_input *in, struct plan *p)
{
	const char *root = in->layout->server_root;
	static const char *const exts[] = { "load", "conf" };
	int r = 0;

	if (in->userdir_loaded)
		return 0;
	for (size_t i = 0; r >= 0 && i < ELEMENTSOF(exts); i++) {
		if (i == 1 && !in->userdir_conf_available)
			break;
		r = plan_add(p, (struct change){
			.kind = CHANGE_SYMLINK,
			.path = strdup_printf("%s/mods-enabled/userdir.%s", root, exts[i]),
			.arg = strdup_printf("../mods-available/userdir.%s", exts[i]),
			.why = N_("enable mod_userdir, which serves ~/public_html at /~USER/, as "
				  "a2enmod does") });
	}
	return r;
}

/* --userdir: no directory to make and no hello.py (each user has their
 * own directory); the URL is mod_userdir's; the probe goes into the
 * directory of one user who has it. */
static int
plan_userdir(const struct plan_input *in, struct plan *p, struct diag *d)
{
	const char *user = in->userdir_user;
	int r = userdir_check(in, d);

	if (r < 0)
		return r;
	p->url_path = strdup_printf("/~%s/cgi-bin", user ? user : "USER");
	p->hello_path = user ? strdup_printf("/home/%s/" REQUEST_USERDIR_SUB "/hello.py", user)
			     : strdup(REQUEST_USERDIR_DIR "/hello.py");
	if (!p->url_path || !p->hello_path)
		return -ENOMEM;
	if (!user && strv_extend(&p->warnings, "no user has ~/" REQUEST_USERDIR_SUB " yet: the "
					       "change cannot be proven over HTTP now; a user's "
					       "scripts there will run at /~USER/cgi-bin/NAME") < 0)
		return -ENOMEM;
	if (user && in->probe_token) {
		_cleanup_free_ char *name = plan_probe_name(in->req->exts, in->probe_token);

		p->probe_path = name ? strdup_printf("/home/%s/" REQUEST_USERDIR_SUB "/%s", user,
						     name) : NULL;
		p->probe_url_path = name ? strdup_printf("%s/%s", p->url_path, name) : NULL;
		if (!p->probe_path || !p->probe_url_path)
			return -ENOMEM;
	}
	return plan_userdir_module(in, p);
}

int
plan_build(const struct plan_input *in, struct plan *ret, struct diag *d)
{
	struct layout lv;
	struct plan p = { 0 };
	int r;

	if (in->req->userdir)
		r = plan_userdir(in, &p, d);
	else
		r = plan_check_dir(in->req, in->dir, d);
	if (r >= 0 && !in->req->userdir)
		r = plan_url_path(in->model, vhost_layout(in, &lv), in->req, &p.url_path,
				  &p.alias_needed, d);
	if (r >= 0 && !in->req->userdir)
		r = plan_files(in, &p);
	if (r >= 0 && !in->req->userdir)
		r = plan_probe(in, &p);
	if (r >= 0)
		r = plan_module(in, &p);
	if (r >= 0)
		r = plan_alias(in, &p);
	if (r >= 0)
		r = plan_block(in, &p, d);
	if (r < 0) {
		plan_release(&p);
		if (r == -ENOMEM)
			diag_fail(d, ENOMEM, N_("out of memory"));
		return r;
	}
	*ret = p;
	return 0;
}
