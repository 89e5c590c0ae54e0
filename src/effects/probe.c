/* probe.c - describe the host's Apache (see probe.h). */
#include "config.h"

#include <errno.h>
#include <glob.h>
#include <sys/stat.h>

#include "cgisetup/fsops.h"
#include "cgisetup/probe.h"
#include "cgisetup/scan.h"
#include "cgisetup/shellvars.h"
#include "cgisetup/spawn.h"
#include "cgisetup/util.h"

#define MAX_INCLUDE_DEPTH 32
#define LIVE_TIMEOUT_MS 10000

struct walk {
	const char *root;
	struct host *host;
	struct model *model; /* the one being fed */
	struct diag *d;
	unsigned depth;
};

static int walk_file(struct walk *w, const char *path);

static bool
exists_cb(const char *path, void *userdata)
{
	return fsops_exists(userdata, path);
}

/* Once each: the configuration may be walked more than once. */
static int
warn(struct host *h, const char *msg)
{
	return strv_contains(h->warnings, msg) ? 0 : strv_extend(&h->warnings, msg);
}

/* Every file (not directory) that PATTERN names, sorted as httpd sorts. */
static int
expand_include(struct walk *w, const char *pattern, bool optional)
{
	_cleanup_free_ char *full = fsops_path(w->root, pattern);
	size_t skip = strlen(w->root);
	struct stat st;
	glob_t g;
	int r = 0;

	if (!full)
		return -ENOMEM;
	if (stat(full, &st) == 0 && S_ISDIR(st.st_mode)) {
		char *all = path_join(full, "*");

		free(full);
		full = all;
		if (!full)
			return -ENOMEM;
	}
	if (glob(full, 0, NULL, &g) != 0) {
		if (!optional && !strpbrk(pattern, "*?[")) {
			_cleanup_free_ char *m = diag_strdup(N_("'Include %s' names no file: Apache's "
								"config test fails on it"), pattern);

			return m ? warn(w->host, m) : -ENOMEM;
		}
		return 0;
	}
	for (size_t i = 0; r >= 0 && i < g.gl_pathc; i++) {
		if (fsops_is_regular(w->root, g.gl_pathv[i] + skip))
			r = walk_file(w, g.gl_pathv[i] + skip);
	}
	globfree(&g);
	return r;
}

static int
walk_item(const struct scan_item *item, void *userdata)
{
	struct walk *w = userdata;
	_cleanup_free_ char *include = NULL;
	bool optional = false;
	int r;

	r = model_feed(w->model, item, &include, &optional);
	if (r < 0 || !include)
		return r;
	return expand_include(w, include, optional);
}

static int
walk_file(struct walk *w, const char *path)
{
	_cleanup_free_ char *text = NULL;
	size_t len;
	int r;

	if (w->depth >= MAX_INCLUDE_DEPTH)
		return diag_fail(w->d, ELOOP, N_("includes nested too deeply at '%s'"), path);
	r = fsops_read(w->root, path, &text, &len, w->d);
	if (r < 0)
		return r;
	r = model_enter_file(w->model, path);
	if (r < 0)
		return r;
	w->depth++;
	r = scan_text(text, len, walk_item, w);
	w->depth--;
	model_leave_file(w->model);
	return r;
}

static int
read_shellvars(const char *root, const char *path, struct shellvars *ret)
{
	_cleanup_free_ char *text = NULL;

	if (!path || fsops_read(root, path, &text, NULL, NULL) < 0)
		return -ENOENT;
	return shellvars_parse(text, ret);
}

static int
probe_os_release(const char *root, struct host *h)
{
	struct shellvars v = { 0 };
	int r = read_shellvars(root, "/etc/os-release", &v);

	if (r == -ENOENT)
		r = read_shellvars(root, "/usr/lib/os-release", &v);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	h->os_id = xstrdup_or_null(shellvars_get(&v, "ID"));
	h->os_like = xstrdup_or_null(shellvars_get(&v, "ID_LIKE"));
	h->os_name = xstrdup_or_null(shellvars_get(&v, "PRETTY_NAME"));
	shellvars_release(&v);
	return 0;
}

static int
define_cb(const char *name, const char *value, void *ud)
{
	return model_define(ud, name, value);
}

/* Variables from envvars and -D options from the distribution's files. */
static int
probe_variables(const char *root, const struct family *fam, struct model *m)
{
	struct shellvars v = { 0 };
	int r = 0;

	if (read_shellvars(root, fam->envvars, &v) >= 0) {
		for (size_t i = 0; r >= 0 && v.names[i]; i++)
			r = model_set_var(m, v.names[i], v.values[i]);
		shellvars_release(&v);
	}
	if (r >= 0 && fam->defines_var && read_shellvars(root, fam->defines_file, &v) >= 0) {
		const char *opts = shellvars_get(&v, fam->defines_var);

		if (opts)
			r = shellvars_for_each_define(opts, define_cb, m);
		shellvars_release(&v);
	}
	return r;
}

/* Run CTL with ARGS and parse its output with PARSE; false when it fails. */
static bool
live_ask(const char *ctl, const char *a1, const char *a2, const char *a3, struct live *l,
	 int (*parse)(struct live *, const char *))
{
	char *argv[] = { (char *)ctl, (char *)a1, (char *)a2, (char *)a3, NULL };
	_cleanup_free_ char *out = NULL;
	int status;

	if (spawn_capture(argv, LIVE_TIMEOUT_MS, &status, &out, NULL) < 0 || status != 0)
		return false;
	return parse(l, out) >= 0;
}

/* The three dumps from one run of httpd's config parser (each run costs
 * about 20 ms): DUMP_INCLUDES prints first (its "(*)" line names the main
 * config), then DUMP_RUN_CFG's lines, then the modules (the MPM among them)
 * from the "Loaded Modules:" header on. */
static bool
live_ask_dumps(const char *ctl, struct live *l)
{
	char *argv[] = { (char *)ctl, (char *)"-t", (char *)"-D", (char *)"DUMP_INCLUDES",
			 (char *)"-D", (char *)"DUMP_RUN_CFG", (char *)"-D", (char *)"DUMP_MODULES",
			 NULL };
	_cleanup_free_ char *out = NULL;
	char *mods;
	int status;

	if (spawn_capture(argv, LIVE_TIMEOUT_MS, &status, &out, NULL) < 0 || status != 0)
		return false;
	mods = strstr(out, "Loaded Modules:");
	if (!mods)
		return false;
	*mods = '\0';
	mods += strlen("Loaded Modules:");
	return live_parse_includes(l, out) >= 0 && live_parse_run_cfg(l, out) >= 0 &&
	       live_parse_modules(l, mods) >= 0 && l->config_file;
}

/* On the real system: what the installed server says about itself. */
static void
probe_live(struct host *h)
{
	static const char *const ctls[] = { "apache2ctl", "httpd", "apachectl", "apache2" };

	for (size_t i = 0; !h->ctl_path && i < ELEMENTSOF(ctls); i++)
		spawn_find_program(ctls[i], &h->ctl_path);
	if (!h->ctl_path)
		return;
	h->have_live = live_ask_dumps(h->ctl_path, &h->live);
	if (!h->have_live) {
		_cleanup_free_ char *w = diag_strdup(N_("the installed Apache could not list its own "
							"configuration (its config test may fail): "
							"cgisetup read the files instead"));

		if (w) /* a warning that cannot be stored is lost, not a failure */
			warn(h, w);
	}
}

void
probe_version(struct host *h)
{
	if (h->ctl_path && !h->live.version)
		live_ask(h->ctl_path, "-V", NULL, NULL, &h->live, live_parse_version);
}

static int
probe_root(const struct request *req, struct diag *d)
{
	struct stat st;

	if (!*req->root)
		return 0;
	if (stat(req->root, &st) < 0 || !S_ISDIR(st.st_mode))
		return diag_usage(d, ENOENT, N_("root directory '%s' does not exist"), req->root);
	return 0;
}

static const char *
main_config_of(const struct request *req, const struct host *h, const struct family *fam)
{
	if (req->config)
		return req->config;
	if (h->live.config_file)
		return h->live.config_file;
	return fam->main_config;
}

/* The module's own file that a2enmod enables with it (Debian's
 * mods-available/cgid.conf sets ScriptSock): where the daemon will listen.
 * Nothing when there is no such file. */
static int
probe_module_conf(const char *root, struct host *h)
{
	_cleanup_free_ char *conf = strdup_printf("%s/mods-available/%s.conf",
						  h->layout.server_root, h->layout.cgi_wanted);
	_cleanup_free_ char *text = NULL;
	size_t len = 0;

	if (!conf)
		return -ENOMEM;
	if (fsops_read(root, conf, &text, &len, NULL) < 0)
		return 0;
	return model_feed_script_sock(&h->after, text, len);
}

/* The configuration again, as Apache will read it once the CGI module is
 * loaded: <IfModule mod_cgid.c> sections (Debian's serve-cgi-bin.conf)
 * then count. Read only when the module is not loaded yet. */
static int
probe_after_module(struct walk *w, const struct family *fam, const char *config)
{
	struct host *h = w->host;
	_cleanup_free_ char *name = strdup_printf("%s_module", h->layout.cgi_wanted);
	int r;

	if (!name)
		return -ENOMEM;
	r = model_init(&h->after, fam->server_root);
	if (r >= 0)
		r = model_assume_module(&h->after, name);
	if (r >= 0)
		r = probe_variables(w->root, fam, &h->after);
	w->model = &h->after;
	if (r >= 0)
		r = walk_file(w, config);
	w->model = &h->model;
	if (r >= 0)
		r = probe_module_conf(w->root, h);
	h->have_after = r >= 0;
	if (h->have_after)
		model_drop_scopes(&h->model); /* only the after-model is asked */
	return r;
}

/* A symlinked main configuration (apache2.conf -> apache2.conf.real) is
 * edited at its target, inside ROOT, so that the link stays a link. */
static int
probe_resolve_main(const char *root, struct layout *l)
{
	char *target = NULL;
	int r = fsops_resolve(root, l->main_config, &target);

	if (r == -ENOMEM)
		return r;
	if (r < 0)
		return 0;
	free(l->main_config);
	l->main_config = target;
	return 0;
}

const struct model *
probe_effective_model(const struct host *h)
{
	return h->have_after ? &h->after : &h->model;
}

int
probe_host(const struct request *req, struct host *ret, struct diag *d)
{
	struct host h = { 0 };
	const struct family *fam;
	const char *config;
	struct walk w = { .root = req->root, .host = &h, .model = &h.model, .d = d };
	int r;

	r = probe_root(req, d);
	if (r >= 0)
		r = probe_os_release(req->root, &h);
	if (r < 0)
		goto fail;
	if (req->config && !fsops_exists(req->root, req->config)) {
		r = diag_usage(d, ENOENT, N_("config file '%s' does not exist"), req->config);
		goto fail;
	}
	if (req->config && !fsops_is_regular(req->root, req->config)) {
		r = diag_usage(d, EINVAL, N_("config file '%s' is not a regular file: give Apache's "
					     "main configuration file"), req->config);
		goto fail;
	}
	if (!*req->root)
		probe_live(&h);
	config = req->config ? req->config : h.live.config_file;
	fam = layout_pick_family(h.os_id, h.os_like, config, exists_cb, req->root);
	if (!fam) {
		r = diag_usage(d, ENOENT, N_("no Apache configuration found under '%s': install "
					     "Apache or give --config FILE"),
			       *req->root ? req->root : "/");
		goto fail;
	}
	config = main_config_of(req, &h, fam);
	r = layout_refuse_instance(config, d);
	if (r < 0)
		goto fail;
	r = model_init(&h.model, fam->server_root);
	if (r >= 0)
		r = probe_variables(req->root, fam, &h.model);
	if (r >= 0)
		r = walk_file(&w, config);
	if (r >= 0)
		r = layout_build(fam, &h.model, h.have_live ? &h.live : NULL, config, &h.layout, d);
	for (size_t i = 0; r >= 0 && h.model.warnings && h.model.warnings[i]; i++)
		r = warn(&h, h.model.warnings[i]);
	if (r >= 0 && !h.layout.cgi_loaded)
		r = probe_after_module(&w, fam, config);
	if (r >= 0)
		r = probe_resolve_main(req->root, &h.layout);
	if (r < 0)
		goto fail;
	*ret = h;
	return 0;
fail:
	probe_host_release(&h);
	return r;
}

void
probe_host_release(struct host *h)
{
	free(h->os_id);
	free(h->os_like);
	free(h->os_name);
	model_release(&h->model);
	model_release(&h->after);
	live_release(&h->live);
	free(h->ctl_path);
	layout_release(&h->layout);
	strv_free(h->warnings);
	*h = (struct host){ 0 };
}
