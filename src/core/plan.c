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

/* Append C to P, taking its strings even on failure. */
static int
plan_add(struct plan *p, struct change c)
{
	struct change *nv = realloc(p->changes, (p->n_changes + 1) * sizeof(*nv));

	if (!nv) {
		free(c.path);
		free(c.arg);
		strv_free(c.args);
		free(c.content);
		return -ENOMEM;
	}
	nv[p->n_changes++] = c;
	p->changes = nv;
	return 0;
}

/* Copy a directory argument as Apache reads it: unquoted, unescaped,
 * without repeated or trailing slashes. */
static char *
dir_canonical(const char *written)
{
	_cleanup_free_ char *s = strdup(written);
	size_t n, w = 0;

	if (!s)
		return NULL;
	n = strlen(s);
	if (n >= 2 && (s[0] == '"' || s[0] == '\'') && s[n - 1] == s[0]) {
		memmove(s, s + 1, n - 2);
		s[n - 2] = '\0';
	}
	for (size_t r = 0; s[r]; r++) {
		if (s[r] == '\\' && s[r + 1])
			r++;
		if (s[r] == '/' && w > 0 && s[w - 1] == '/')
			continue;
		s[w++] = s[r];
	}
	while (w > 1 && s[w - 1] == '/')
		w--;
	s[w] = '\0';
	return TAKE_PTR(s);
}

bool
plan_same_dir(const char *written, const char *dir)
{
	_cleanup_free_ char *a = dir_canonical(written);
	_cleanup_free_ char *b = dir_canonical(dir);

	return a && b && streq(a, b);
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

/* The Alias-like directive whose URL overlaps URL, if any. */
static const struct model_alias *
url_collision(const struct model *m, const char *url)
{
	for (size_t i = 0; i < m->n_aliases; i++) {
		const struct model_alias *a = &m->aliases[i];
		_cleanup_free_ char *u = NULL;

		if (endswith(a->directive, "Match") || endswith(a->directive, "match"))
			continue;
		u = dir_canonical(a->url);
		if (u && u[0] == '/' && url_overlaps(u, url))
			return a;
	}
	return NULL;
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
		/* spaces in a URL need escaping; keep the URL plain */
		for (char *p = url; *p; p++)
			if (*p == ' ')
				*p = '-';
		if (!url_collision(m, url))
			return TAKE_PTR(url);
	}
	return NULL;
}

int
plan_url_path(const struct model *m, const struct layout *l, const struct request *req,
	      char **ret_url, bool *ret_alias, struct diag *d)
{
	const struct model_alias *a = alias_for_dir(m, req->dir);
	_cleanup_free_ char *root = l->document_root ? dir_canonical(l->document_root) : NULL;
	char *url;
	bool alias = false;

	if (a && !req->url_path) {
		url = dir_canonical(a->url);
	} else if (req->url_path) {
		const struct model_alias *c = url_collision(m, req->url_path);

		if (c && !(a && c == a))
			return diag_usage(d, EEXIST,
					  N_("URL path '%s' is already used by '%s %s' in '%s' line %u"),
					  req->url_path, c->directive, c->url, c->file, c->line);
		url = strdup(req->url_path);
		alias = !a;
	} else if (root && !streq(root, req->dir) && request_path_within(req->dir, root)) {
		url = strdup(req->dir + (streq(root, "/") ? 0 : strlen(root)));
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

static int
plan_dir_checks(const struct plan_input *in, struct diag *d)
{
	const struct dirview *dv = in->dir;

	if (!dv->exists)
		return 0;
	if (dv->is_symlink)
		return diag_usage(d, EINVAL,
				  N_("'%s' is a symbolic link: give the directory it points to"),
				  in->req->dir);
	if (!dv->is_dir)
		return diag_usage(d, ENOTDIR, N_("'%s' exists and is not a directory"),
				  in->req->dir);
	if ((dv->mode & S_IWOTH) && !in->req->force)
		return diag_usage(d, EPERM,
				  N_("refusing world-writable directory '%s' (mode %04o): anyone could "
				     "run code as the web server; fix its mode or use --force"),
				  in->req->dir, (unsigned)(dv->mode & 07777));
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
		r = strv_extend(&p->warnings, "an existing hello.py was kept as it is");
	for (size_t i = 0; r >= 0 && i < dv->n_entries; i++) {
		const struct dirent_view *e = &dv->entries[i];

		if (!e->regular || !has_handled_ext(in, e->name) || exec_mode(e->mode) == e->mode)
			continue;
		r = plan_add(p, (struct change){ .kind = CHANGE_CHMOD,
						 .path = path_join(in->req->dir, e->name),
						 .mode = exec_mode(e->mode), .old_mode = e->mode,
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
		if (strv_extend(&p->warnings, "no mods-available/ file for the CGI module: "
					      "adding a LoadModule line instead") < 0)
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

static int
plan_block_new(const struct plan_input *in, struct plan *p)
{
	_cleanup_strv_free_ char **exts = NULL;
	int r = missing_exts(in, &exts);

	if (r < 0)
		return r;
	return plan_add(p, (struct change){ .kind = CHANGE_CONF_BLOCK,
					 .path = strdup(in->layout->main_config),
					 .arg = strdup(in->req->dir), .args = TAKE_PTR(exts),
					 .why = N_("allow CGI scripts in the directory and grant access "
						   "to it") });
}

static int
plan_block_complete(const struct plan_input *in, struct plan *p)
{
	const struct confview *v = in->view;
	const char *cfg = in->layout->main_config;
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
	if (r >= 0 && !v->has_require)
		r = plan_add(p, (struct change){ .kind = CHANGE_CONF_REQUIRE, .path = strdup(cfg),
						 .why = N_("every stock layout denies '/': grant access to "
							   "the directory") });
	return r;
}

int
plan_build(const struct plan_input *in, struct plan *ret, struct diag *d)
{
	struct plan p = { 0 };
	int r;

	r = plan_dir_checks(in, d);
	if (r >= 0)
		r = plan_url_path(in->model, in->layout, in->req, &p.url_path, &p.alias_needed, d);
	if (r >= 0)
		r = plan_files(in, &p);
	if (r >= 0)
		r = plan_module(in, &p);
	if (r >= 0)
		r = plan_alias(in, &p);
	if (r >= 0)
		r = in->view->block_found ? plan_block_complete(in, &p) : plan_block_new(in, &p);
	if (r < 0) {
		plan_release(&p);
		if (r == -ENOMEM)
			diag_fail(d, ENOMEM, N_("out of memory"));
		return r;
	}
	*ret = p;
	return 0;
}
