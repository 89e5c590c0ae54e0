/* test-plan.c - unit tests of the plan (plan.c) built from configuration
 * text of every family, and of the request validation (request.c).
 * Output is TAP, one line per assertion. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>

#include "cgisetup/layout.h"
#include "cgisetup/model.h"
#include "cgisetup/plan.h"
#include "cgisetup/request.h"

#include "fixture.h"
#include "tap.h"

#define HELLO "#!/usr/bin/python3\nprint('hello')\n"

static const char *const kind_names[] = {
	[CHANGE_MKDIR] = "mkdir",
	[CHANGE_WRITE] = "write",
	[CHANGE_CHMOD] = "chmod",
	[CHANGE_SYMLINK] = "symlink",
	[CHANGE_CONF_ALIAS] = "alias",
	[CHANGE_CONF_BLOCK] = "block",
	[CHANGE_CONF_MARKER] = "marker",
	[CHANGE_CONF_OPTIONS] = "options",
	[CHANGE_CONF_HANDLER] = "handler",
	[CHANGE_CONF_REQUIRE] = "require",
	[CHANGE_CONF_MODULE_UNCOMMENT] = "uncomment",
	[CHANGE_CONF_MODULE_ADD] = "loadmodule",
};

/* One change as "kind path [arg] [args...] [mode]". */
static void
describe_change(struct strbuf *sb, const struct change *c)
{
	strbuf_addf(sb, "%s %s", kind_names[c->kind], c->path ? c->path : "(null)");
	if (c->arg)
		strbuf_addf(sb, " %s", c->arg);
	for (size_t i = 0; c->args && c->args[i]; i++)
		strbuf_addf(sb, " %s", c->args[i]);
	if (c->kind == CHANGE_MKDIR || c->kind == CHANGE_WRITE)
		strbuf_addf(sb, " %04o", (unsigned)c->mode);
	else if (c->kind == CHANGE_CHMOD)
		strbuf_addf(sb, " %04o->%04o", (unsigned)c->old_mode, (unsigned)c->mode);
	else if (c->kind == CHANGE_CONF_MODULE_UNCOMMENT)
		strbuf_addf(sb, " #%u", c->ordinal);
}

/* The whole plan's changes, "; "-separated, in order. */
static char *
describe(const struct plan *p)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < p->n_changes; i++) {
		if (i)
			strbuf_adds(&sb, "; ");
		describe_change(&sb, &p->changes[i]);
	}
	return strbuf_detach(&sb);
}

static char *
joined(char *const *v, const char *sep)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; v && v[i]; i++)
		strbuf_addf(&sb, "%s%s", i ? sep : "", v[i]);
	return strbuf_detach(&sb);
}

static int
strv_from(const char *const *in, size_t n, char ***ret)
{
	for (size_t i = 0; i < n && in[i]; i++)
		if (strv_extend(ret, in[i]) < 0)
			return -ENOMEM;
	return 0;
}

/* ---- plan_build, table-driven ---- */

enum dir_state {
	DIR_MISSING,
	DIR_EMPTY,      /* exists, mode 0755, no hello.py */
	DIR_HELLO,      /* exists with our hello.py */
	DIR_OTHER_HELLO, /* exists with someone else's hello.py */
};

struct plan_case {
	const char *name;
	const char *fixture;
	const char *dir;
	const char *url;  /* --url-path */
	const char *exts; /* --ext */
	/* the <Directory> section in the main config */
	bool block, marker, require, all_handled;
	const char *options[5]; /* its Options (none when options[0] is NULL) */
	const char *handled[4]; /* lowercase extensions of AddHandler cgi-script */
	enum dir_state dir_state;
	bool load_available, conf_available; /* Debian's mods-available */
	/* expected */
	const char *changes;
	const char *url_path;
	bool alias;
	bool module_enabled;
	const char *warnings;
};

#define DEB "/etc/apache2/apache2.conf"
#define RHEL "/etc/httpd/conf/httpd.conf"

static const struct plan_case plan_cases[] = {
	/* ---- every family, a fresh directory ---- */
	{ .name = "debian event: mods-enabled symlinks for cgid",
	  .fixture = "debian", .dir = "/srv/cgi", .load_available = true, .conf_available = true,
	  .changes = "mkdir /srv/cgi 0755; write /srv/cgi/hello.py 0755; "
		     "symlink /etc/apache2/mods-enabled/cgid.load ../mods-available/cgid.load; "
		     "symlink /etc/apache2/mods-enabled/cgid.conf ../mods-available/cgid.conf; "
		     "alias " DEB " /cgi/ /srv/cgi/; block " DEB " /srv/cgi .py",
	  .url_path = "/cgi", .alias = true, .module_enabled = true, .warnings = "" },
	{ .name = "debian event: no cgid.conf in mods-available",
	  .fixture = "debian", .dir = "/srv/cgi", .dir_state = DIR_HELLO, .load_available = true,
	  .changes = "symlink /etc/apache2/mods-enabled/cgid.load ../mods-available/cgid.load; "
		     "alias " DEB " /cgi/ /srv/cgi/; block " DEB " /srv/cgi .py",
	  .url_path = "/cgi", .alias = true, .module_enabled = true, .warnings = "" },
	{ .name = "debian event: no mods-available, a LoadModule line",
	  .fixture = "debian", .dir = "/srv/cgi", .dir_state = DIR_HELLO,
	  .changes = "loadmodule " DEB " cgid_module /usr/lib/apache2/modules/mod_cgid.so; "
		     "alias " DEB " /cgi/ /srv/cgi/; block " DEB " /srv/cgi .py",
	  .url_path = "/cgi", .alias = true, .module_enabled = true,
	  .warnings = "no mods-available/ file for the CGI module: adding a LoadModule line instead" },
	{ .name = "debian prefork: mod_cgi",
	  .fixture = "debian-prefork", .dir = "/srv/cgi", .dir_state = DIR_HELLO,
	  .load_available = true,
	  .changes = "symlink /etc/apache2/mods-enabled/cgi.load ../mods-available/cgi.load; "
		     "alias " DEB " /cgi/ /srv/cgi/; block " DEB " /srv/cgi .py",
	  .url_path = "/cgi", .alias = true, .module_enabled = true, .warnings = "" },
	{ .name = "debian cgid loaded: no module change",
	  .fixture = "debian-cgid", .dir = "/srv/cgi", .dir_state = DIR_HELLO,
	  .load_available = true, .conf_available = true,
	  .changes = "alias " DEB " /cgi/ /srv/cgi/; block " DEB " /srv/cgi .py",
	  .url_path = "/cgi", .alias = true, .warnings = "" },
	{ .name = "debian /usr/lib/cgi-bin: the stock ScriptAlias is reused",
	  .fixture = "debian", .dir = "/usr/lib/cgi-bin", .dir_state = DIR_EMPTY,
	  .load_available = true,
	  .changes = "write /usr/lib/cgi-bin/hello.py 0755; "
		     "symlink /etc/apache2/mods-enabled/cgid.load ../mods-available/cgid.load; "
		     "block " DEB " /usr/lib/cgi-bin .py",
	  .url_path = "/cgi-bin", .module_enabled = true, .warnings = "" },
	/* ScriptAlias runs every file it maps, whatever Options says (mod_cgi's
	 * is_scriptaliased): the stock section needs nothing */
	{ .name = "rhel: cgid loaded, the stock ScriptAlias serves it: nothing to write",
	  .fixture = "rhel", .dir = "/var/www/cgi-bin", .dir_state = DIR_EMPTY,
	  .block = true, .require = true, .options = { "None" },
	  .changes = "write /var/www/cgi-bin/hello.py 0755",
	  .url_path = "/cgi-bin", .warnings = "" },
	{ .name = "rhel prefork: cgi loaded",
	  .fixture = "rhel-prefork", .dir = "/srv/cgi", .dir_state = DIR_HELLO,
	  .changes = "alias " RHEL " /cgi/ /srv/cgi/; block " RHEL " /srv/cgi .py",
	  .url_path = "/cgi", .alias = true, .warnings = "" },
	{ .name = "rhel without 01-cgi.conf: a LoadModule line in the main config",
	  .fixture = "rhel-nocgi", .dir = "/srv/cgi", .dir_state = DIR_HELLO,
	  .changes = "loadmodule " RHEL " cgid_module modules/mod_cgid.so; "
		     "alias " RHEL " /cgi/ /srv/cgi/; block " RHEL " /srv/cgi .py",
	  .url_path = "/cgi", .alias = true, .module_enabled = true, .warnings = "" },
	{ .name = "arch event: uncomment cgid",
	  .fixture = "arch", .dir = "/srv/cgi", .dir_state = DIR_HELLO,
	  .changes = "uncomment " RHEL " cgid_module #1; "
		     "alias " RHEL " /cgi/ /srv/cgi/; block " RHEL " /srv/cgi .py",
	  .url_path = "/cgi", .alias = true, .module_enabled = true, .warnings = "" },
	{ .name = "arch event: the stock /srv/http/cgi-bin below the document root",
	  .fixture = "arch", .dir = "/srv/http/cgi-bin", .dir_state = DIR_HELLO,
	  .changes = "uncomment " RHEL " cgid_module #1; block " RHEL " /srv/http/cgi-bin .py",
	  .url_path = "/cgi-bin", .module_enabled = true, .warnings = "" },
	{ .name = "arch prefork: uncomment cgi",
	  .fixture = "arch-prefork", .dir = "/srv/http/scripts", .dir_state = DIR_HELLO,
	  .changes = "uncomment " RHEL " cgi_module #1; block " RHEL " /srv/http/scripts .py",
	  .url_path = "/scripts", .module_enabled = true, .warnings = "" },
	{ .name = "suse static prefork: a cgi LoadModule line, the stock ScriptAlias",
	  .fixture = "suse", .dir = "/srv/www/cgi-bin", .dir_state = DIR_HELLO,
	  .changes = "loadmodule /etc/apache2/httpd.conf cgi_module "
		     "/usr/lib64/apache2-prefork/mod_cgi.so",
	  .url_path = "/cgi-bin", .module_enabled = true, .warnings = "" },
	{ .name = "gentoo without -D CGI: a cgi LoadModule line",
	  .fixture = "gentoo", .dir = "/var/www/localhost/cgi-bin", .dir_state = DIR_HELLO,
	  .changes = "loadmodule /etc/apache2/httpd.conf cgi_module modules/mod_cgi.so; "
		     "alias /etc/apache2/httpd.conf /cgi-bin/ /var/www/localhost/cgi-bin/; "
		     "block /etc/apache2/httpd.conf /var/www/localhost/cgi-bin .py",
	  .url_path = "/cgi-bin", .alias = true, .module_enabled = true, .warnings = "" },
	{ .name = "gentoo with -D CGI: loaded",
	  .fixture = "gentoo-cgi", .dir = "/var/www/localhost/htdocs/cgi", .dir_state = DIR_HELLO,
	  .changes = "block /etc/apache2/httpd.conf /var/www/localhost/htdocs/cgi .py",
	  .url_path = "/cgi", .warnings = "" },
	{ .name = "alpine prefork: uncomment cgi, below the document root",
	  .fixture = "alpine", .dir = "/var/www/localhost/htdocs/cgi", .dir_state = DIR_HELLO,
	  .changes = "uncomment /etc/apache2/httpd.conf cgi_module #1; "
		     "block /etc/apache2/httpd.conf /var/www/localhost/htdocs/cgi .py",
	  .url_path = "/cgi", .module_enabled = true, .warnings = "" },
	{ .name = "freebsd event: uncomment cgid, the stock ScriptAlias",
	  .fixture = "freebsd", .dir = "/usr/local/www/apache24/cgi-bin", .dir_state = DIR_HELLO,
	  .changes = "uncomment /usr/local/etc/apache24/httpd.conf cgid_module #1",
	  .url_path = "/cgi-bin", .module_enabled = true, .warnings = "" },
	{ .name = "homebrew prefork: uncomment cgi",
	  .fixture = "homebrew", .dir = "/opt/homebrew/var/www/cgi-bin", .dir_state = DIR_HELLO,
	  .changes = "uncomment /opt/homebrew/etc/httpd/httpd.conf cgi_module #1; "
		     "block /opt/homebrew/etc/httpd/httpd.conf /opt/homebrew/var/www/cgi-bin .py",
	  .url_path = "/cgi-bin", .module_enabled = true, .warnings = "" },
	{ .name = "upstream worker, cgid loaded",
	  .fixture = "upstream", .dir = "/usr/local/apache2/cgi-bin", .dir_state = DIR_HELLO,
	  .changes = "alias /usr/local/apache2/conf/httpd.conf /cgi-bin/ /usr/local/apache2/cgi-bin/; "
		     "block /usr/local/apache2/conf/httpd.conf /usr/local/apache2/cgi-bin .py",
	  .url_path = "/cgi-bin", .alias = true, .warnings = "" },
	{ .name = "upstream static event: a cgid LoadModule line",
	  .fixture = "upstream-static", .dir = "/srv/cgi", .dir_state = DIR_HELLO,
	  .changes = "loadmodule /usr/local/apache2/conf/httpd.conf cgid_module "
		     "modules/mod_cgid.so; "
		     "alias /usr/local/apache2/conf/httpd.conf /cgi/ /srv/cgi/; "
		     "block /usr/local/apache2/conf/httpd.conf /srv/cgi .py",
	  .url_path = "/cgi", .alias = true, .module_enabled = true, .warnings = "" },

	/* ---- an existing <Directory> section (debian-cgid: no module change,
	 * below the document root: no alias) ---- */
#define SECTION(nm, ...)                                                             \
	{ .name = nm, .fixture = "debian-cgid", .dir = "/var/www/html/cgi",           \
	  .dir_state = DIR_HELLO, .block = true, .url_path = "/cgi", .warnings = "",  \
	  __VA_ARGS__ }
	SECTION("section: empty",
		.changes = "marker " DEB "; options " DEB " +ExecCGI; handler " DEB " .py; "
			   "require " DEB),
	SECTION("section: complete", .marker = true, .require = true,
		.options = { "ExecCGI" }, .handled = { ".py" }, .changes = ""),
	SECTION("section: Options +ExecCGI", .marker = true, .require = true,
		.options = { "+FollowSymLinks", "+ExecCGI" }, .handled = { ".py" }, .changes = ""),
	SECTION("section: Options execcgi in lowercase", .marker = true, .require = true,
		.options = { "execcgi" }, .handled = { ".py" }, .changes = ""),
	SECTION("section: Options All", .marker = true, .require = true, .options = { "All" },
		.handled = { ".py" }, .changes = ""),
	SECTION("section: Options -ExecCGI", .marker = true, .require = true,
		.options = { "+Indexes", "-ExecCGI" }, .handled = { ".py" },
		.changes = "options " DEB " +Indexes +ExecCGI"),
	SECTION("section: Options None", .marker = true, .require = true, .options = { "None" },
		.handled = { ".py" }, .changes = "options " DEB " ExecCGI"),
	SECTION("section: Options without ExecCGI", .marker = true, .require = true,
		.options = { "Indexes", "FollowSymLinks" }, .handled = { ".py" },
		.changes = "options " DEB " Indexes FollowSymLinks ExecCGI"),
	SECTION("section: no Options at all", .marker = true, .require = true, .handled = { ".py" },
		.changes = "options " DEB " +ExecCGI"),
	SECTION("section: SetHandler cgi-script handles every extension", .marker = true,
		.require = true, .options = { "ExecCGI" }, .all_handled = true,
		.exts = ".py,.cgi,.pl", .changes = ""),
	SECTION("section: AddHandler with several extensions, any case", .marker = true,
		.require = true, .options = { "ExecCGI" }, .handled = { ".cgi", ".py" },
		.exts = ".PY,.Cgi", .changes = ""),
	SECTION("section: AddHandler misses some extensions", .marker = true, .require = true,
		.options = { "ExecCGI" }, .handled = { ".cgi" }, .exts = ".py,.cgi,.pl",
		.changes = "handler " DEB " .py .pl"),
	SECTION("section: the admin's Require is kept", .require = true, .options = { "ExecCGI" },
		.handled = { ".py" }, .changes = "marker " DEB),
#undef SECTION
	{ .name = "no section: a new one hands every extension to cgi-script",
	  .fixture = "debian-cgid", .dir = "/var/www/html/cgi", .dir_state = DIR_HELLO,
	  .exts = ".py,.cgi",
	  .changes = "block " DEB " /var/www/html/cgi .py .cgi", .url_path = "/cgi", .warnings = "" },

	/* ---- the directory and hello.py ---- */
	{ .name = "someone else's hello.py is kept",
	  .fixture = "debian-cgid", .dir = "/var/www/html/cgi", .dir_state = DIR_OTHER_HELLO,
	  .block = true, .marker = true, .require = true, .options = { "ExecCGI" },
	  .handled = { ".py" }, .changes = "", .url_path = "/cgi",
	  .warnings = "an existing hello.py was kept as it is" },

	/* ---- URL collisions ---- */
	{ .name = "DIR = the document root: served at /, no Alias",
	  .fixture = "debian-cgid", .dir = "/var/www/html", .dir_state = DIR_HELLO,
	  .changes = "block " DEB " /var/www/html .py", .url_path = "", .warnings = "" },
	{ .name = "--url-path taken by the stock ScriptAlias",
	  .fixture = "debian-cgid", .dir = "/srv/cgi", .url = "/cgi-bin", .dir_state = DIR_HELLO,
	  .url_path = NULL },
	{ .name = "--url-path below the stock ScriptAlias",
	  .fixture = "debian-cgid", .dir = "/srv/cgi", .url = "/cgi-bin/py", .dir_state = DIR_HELLO,
	  .url_path = NULL },
	{ .name = "--url-path free",
	  .fixture = "debian-cgid", .dir = "/srv/cgi", .url = "/py/", .dir_state = DIR_HELLO,
	  .changes = "alias " DEB " /py/ /srv/cgi/; block " DEB " /srv/cgi .py",
	  .url_path = "/py", .alias = true, .warnings = "" },
	{ .name = "--url-path = the ScriptAlias of the directory: reused",
	  .fixture = "debian-cgid", .dir = "/usr/lib/cgi-bin", .url = "/cgi-bin", .dir_state = DIR_HELLO,
	  .changes = "", .url_path = "/cgi-bin", .warnings = "" },
	/* served elsewhere already: never "already configured" at a URL that
	 * does not answer, never a second mapping behind the user's back */
	{ .name = "--url-path other than the ScriptAlias of the directory: refused",
	  .fixture = "debian-cgid", .dir = "/usr/lib/cgi-bin", .url = "/py", .dir_state = DIR_HELLO,
	  .url_path = NULL },
	{ .name = "--url-path below the ScriptAlias of the directory",
	  .fixture = "debian-cgid", .dir = "/usr/lib/cgi-bin", .url = "/cgi-bin/py",
	  .dir_state = DIR_HELLO, .url_path = NULL },
	{ .name = "below the document root, but its URL is the stock ScriptAlias's",
	  .fixture = "debian-cgid", .dir = "/var/www/html/cgi-bin", .dir_state = DIR_HELLO,
	  .changes = "alias " DEB " /cgi-bin-2/ /var/www/html/cgi-bin/; "
		     "block " DEB " /var/www/html/cgi-bin .py",
	  .url_path = "/cgi-bin-2", .alias = true, .warnings = "" },
};

struct built {
	struct model m;
	struct layout l;
	struct request req;
	struct confview view;
	struct effective eff;
	struct dirview dir;
	struct dirent_view entry;
};

static void
built_release(struct built *b)
{
	layout_release(&b->l);
	model_release(&b->m);
	request_release(&b->req);
	strv_free(b->view.options);
	strv_free(b->view.handled_exts);
	effective_release(&b->eff);
	free(b->entry.name);
}

static int
build_case(const struct plan_case *c, struct built *b, struct plan *p, struct diag *d)
{
	struct plan_input in = { .req = &b->req, .layout = &b->l, .model = &b->m,
				 .view = &b->view, .eff = &b->eff, .dir = &b->dir,
				 .module_load_available = c->load_available,
				 .module_conf_available = c->conf_available, .hello_content = HELLO };
	int r = fixture_layout(host_fixture(c->fixture), &b->m, &b->l);

	if (r >= 0)
		r = request_init(&b->req);
	if (r < 0)
		return r;
	b->req.dir = strdup(c->dir);
	b->req.url_path = c->url ? strdup(c->url) : NULL;
	if (c->exts && request_set_exts(&b->req, c->exts, d) < 0)
		return -EINVAL;
	if (request_validate(&b->req, d) < 0)
		return -EINVAL;
	if (effective_dir(&b->m, b->req.dir, b->req.exts, NULL, &b->eff) < 0)
		return -ENOMEM;
	in.block_file = b->l.main_config;
	b->view = (struct confview){ .block_found = c->block, .has_marker = c->marker,
				     .has_require = c->require, .all_handled = c->all_handled,
				     .has_options = c->options[0] != NULL };
	if (strv_from(c->options, ELEMENTSOF(c->options), &b->view.options) < 0 ||
	    strv_from(c->handled, ELEMENTSOF(c->handled), &b->view.handled_exts) < 0)
		return -ENOMEM;
	b->dir = (struct dirview){ .exists = c->dir_state != DIR_MISSING,
				   .is_dir = c->dir_state != DIR_MISSING, .mode = 040755 };
	if (c->dir_state == DIR_HELLO || c->dir_state == DIR_OTHER_HELLO) {
		b->entry = (struct dirent_view){ .name = strdup("hello.py"), .mode = 0100755,
						 .regular = true };
		b->dir.entries = &b->entry;
		b->dir.n_entries = 1;
		b->dir.hello_content = (char *)(c->dir_state == DIR_HELLO ? HELLO : "print(1)\n");
	}
	return plan_build(&in, p, d);
}

static void
test_plan_cases(void)
{
	for (size_t i = 0; i < ELEMENTSOF(plan_cases); i++) {
		const struct plan_case *c = &plan_cases[i];
		struct built b = { 0 };
		struct plan p = { 0 };
		struct diag d = { 0 };
		int r = build_case(c, &b, &p, &d);
		_cleanup_free_ char *changes = NULL, *warnings = NULL, *hello = NULL;

		if (!c->url_path) {
			/* refused: nothing planned, a usage error that says why */
			CHECK_AT(c->name, r == -EEXIST);
			CHECK_AT(c->name, d.kind == DIAG_USAGE);
			CHECK_AT(c->name, p.n_changes == 0 && !p.url_path);
			built_release(&b);
			continue;
		}
		changes = describe(&p);
		warnings = joined(p.warnings, " | ");
		CHECK_AT(c->name, r == 0);
		CHECK_STR_AT(c->name, "changes", changes, c->changes);
		CHECK_STR_AT(c->name, "url_path", p.url_path, c->url_path);
		CHECK_AT(c->name, p.alias_needed == c->alias);
		CHECK_AT(c->name, p.module_enabled == c->module_enabled);
		CHECK_STR_AT(c->name, "warnings", warnings, c->warnings);
		hello = path_join(b.req.dir, "hello.py");
		CHECK_STR_AT(c->name, "hello_path", p.hello_path, hello);
		CHECK_AT(c->name, plan_changes_config(&p) ==
				  (strstr(changes, "alias") || strstr(changes, "block") ||
				   strstr(changes, "marker") || strstr(changes, "options") ||
				   strstr(changes, "handler") || strstr(changes, "require") ||
				   strstr(changes, "uncomment") || strstr(changes, "loadmodule")));
		plan_release(&p);
		built_release(&b);
	}
}

/* The message of a refused --url-path names the directive and where it is. */
static void
test_plan_collision_message(void)
{
	const struct plan_case c = { .name = "msg", .fixture = "debian-cgid", .dir = "/srv/cgi",
				     .url = "/cgi-bin/", .dir_state = DIR_HELLO };
	struct built b = { 0 };
	struct plan p = { 0 };
	struct diag d = { 0 };

	CHECK(build_case(&c, &b, &p, &d) == -EEXIST);
	CHECK_STR(d.msg, "URL path '/cgi-bin' is already used by 'ScriptAlias /cgi-bin/' in "
			 "'/etc/apache2/conf-enabled/serve-cgi-bin.conf' line 9");
	built_release(&b);
}

/* ---- the directory: checks, hello.py and script modes ---- */

static int
plan_dir(struct dirview *dv, bool force, bool no_hello, struct plan *p, struct diag *d)
{
	const struct host_fixture *h = host_fixture("debian-cgid");
	struct built b = { 0 };
	int r = fixture_layout(h, &b.m, &b.l);

	if (r >= 0)
		r = request_init(&b.req);
	if (r >= 0 && request_set_exts(&b.req, ".py,.cgi", d) < 0)
		r = -EINVAL;
	if (r >= 0) {
		struct plan_input in = { .req = &b.req, .layout = &b.l, .model = &b.m,
					 .view = &b.view, .eff = &b.eff,
					 .block_file = b.l.main_config, .dir = dv,
					 .hello_content = HELLO };

		b.req.dir = strdup("/var/www/html/cgi");
		b.req.force = force;
		b.req.no_hello = no_hello;
		r = b.req.dir ? effective_dir(&b.m, b.req.dir, b.req.exts, NULL, &b.eff) : -ENOMEM;
		if (r >= 0)
			r = plan_build(&in, p, d);
	}
	built_release(&b);
	return r;
}

static void
test_plan_dir(void)
{
	struct dirent_view entries[] = {
		{ .name = (char *)"a.py", .mode = 0100644, .regular = true },
		{ .name = (char *)"b.PY", .mode = 0100600, .regular = true },
		{ .name = (char *)"c.txt", .mode = 0100644, .regular = true },
		{ .name = (char *)"d.py", .mode = 0100755, .regular = true },
		{ .name = (char *)"e.py", .mode = 0120777, .regular = false },
		{ .name = (char *)"f.cgi", .mode = 0100604, .regular = true },
		{ .name = (char *)".py", .mode = 0100644, .regular = true },
		{ .name = (char *)"g.pyc", .mode = 0100644, .regular = true },
		{ .name = (char *)"sub.py", .mode = 040755, .regular = false },
		{ .name = (char *)"h.py", .mode = 0100666, .regular = true },
		{ .name = (char *)"i.py", .mode = 0100600, .regular = true, .nlink = 2 },
		{ .name = (char *)"j.py", .mode = 0104644, .regular = true, .nlink = 1 },
		{ .name = (char *)"k.py", .mode = 0102640, .regular = true, .nlink = 1 },
	};
	struct dirview dv = { .exists = true, .is_dir = true, .mode = 040755, .entries = entries,
			      .n_entries = ELEMENTSOF(entries) };
	struct plan p = { 0 };
	struct diag d = { 0 };
	_cleanup_free_ char *got = NULL, *got2 = NULL;

	CHECK(plan_dir(&dv, false, false, &p, &d) == 0);
	got = describe(&p);
	CHECK_STR(got, "write /var/www/html/cgi/hello.py 0755; "
		       "chmod /var/www/html/cgi/a.py 100644->100755; "
		       "chmod /var/www/html/cgi/b.PY 100600->100700; "
		       "chmod /var/www/html/cgi/f.cgi 100604->100705; "
		       "chmod /var/www/html/cgi/h.py 100666->100777; "
		       "block " DEB " /var/www/html/cgi .py .cgi");
	CHECK(p.n_changes > 0 && streq_ptr(p.changes[0].content, HELLO));
	/* a hard link, setuid, setgid: left alone, each named */
	CHECK(p.warnings && strv_length(p.warnings) == 3);
	CHECK_STR(p.warnings[0], "'/var/www/html/cgi/i.py' has 2 hard links: not made executable "
				 "(that would change the same file elsewhere)");
	CHECK_STR(p.warnings[1], "'/var/www/html/cgi/j.py' is setuid (mode 4644): not made "
				 "executable; check it and change its mode yourself");
	CHECK_STR(p.warnings[2], "'/var/www/html/cgi/k.py' is setgid (mode 2640): not made "
				 "executable; check it and change its mode yourself");
	plan_release(&p);

	dv.n_entries = 0;
	CHECK(plan_dir(&dv, false, true, &p, &d) == 0);
	got2 = describe(&p);
	CHECK_STR(got2, "block " DEB " /var/www/html/cgi .py .cgi");
	plan_release(&p);

	dv.is_symlink = true;
	d = (struct diag){ 0 };
	CHECK(plan_dir(&dv, false, false, &p, &d) == -EINVAL && d.kind == DIAG_USAGE);
	CHECK_STR(d.msg, "'/var/www/html/cgi' is a symbolic link: give the directory it points to");
	dv.is_symlink = false;
	dv.is_dir = false;
	d = (struct diag){ 0 };
	CHECK(plan_dir(&dv, false, false, &p, &d) == -ENOTDIR && d.kind == DIAG_USAGE);
	dv.is_dir = true;
	dv.mode = 040777;
	d = (struct diag){ 0 };
	CHECK(plan_dir(&dv, false, false, &p, &d) == -EPERM && d.kind == DIAG_USAGE);
	CHECK(p.n_changes == 0);
	CHECK(plan_dir(&dv, true, false, &p, &d) == 0);
	plan_release(&p);
	dv.mode = 041777; /* sticky, still world-writable */
	CHECK(plan_dir(&dv, false, false, &p, &d) == -EPERM);
	dv.mode = 040775;
	CHECK(plan_dir(&dv, false, false, &p, &d) == 0);
	plan_release(&p);
}

/* ---- plan_url_path and plan_default_url_path ---- */

static const char url_conf[] =
	"DocumentRoot /var/www/html\n"
	"Alias /cgi/ /srv/other/\n"
	"ScriptAlias /cgi-bin/ \"/srv//scripts/\"\n"
	"AliasMatch ^/data(.*) /srv/data$1\n"
	"Alias /docs /srv/docs\n"
	"<IfModule nothing_module>\n"
	"  Alias \"/inactive/\" '/srv/inactive'\n"
	"</IfModule>\n";

static void
test_url_path(void)
{
	static const struct {
		const char *dir, *url;
		int rc;
		const char *want;
		bool alias;
	} cases[] = {
		/* derived */
		{ "/srv/cgi", NULL, 0, "/cgi-2", true },
		{ "/srv/my cgi", NULL, 0, "/my-cgi", true },
		{ "/srv/docs", NULL, 0, "/docs", false },
		{ "/srv/other", NULL, 0, "/cgi", false },
		{ "/srv/scripts", NULL, 0, "/cgi-bin", false },
		{ "/srv/inactive", NULL, 0, "/inactive", false },
		{ "/srv/data", NULL, 0, "/data", true },
		{ "/var/www/html/app/cgi", NULL, 0, "/app/cgi", false },
		{ "/var/www/html", NULL, 0, "", false }, /* the document root: "/" */
		{ "/var/www/htmlx", NULL, 0, "/htmlx", true },
		{ "/var/www/html/cgi-bin", NULL, 0, "/cgi-bin-2", true },
		{ "/var/www/html/docs/x", NULL, 0, "/x", true },
		/* given */
		{ "/srv/cgi", "/run", 0, "/run", true },
		{ "/srv/cgi", "/data", 0, "/data", true },
		{ "/srv/cgi", "/docsx", 0, "/docsx", true },
		{ "/srv/cgi", "/cgi", -EEXIST, NULL, false },
		{ "/srv/cgi", "/cgi/x", -EEXIST, NULL, false },
		{ "/srv/cgi", "/docs", -EEXIST, NULL, false },
		{ "/srv/cgi", "/inactive", -EEXIST, NULL, false },
		{ "/srv/other", "/cgi", 0, "/cgi", false },
		{ "/srv/scripts", "/cgi-bin", 0, "/cgi-bin", false },
		{ "/srv/scripts", "/run", -EEXIST, NULL, false }, /* served at /cgi-bin/ already */
		{ "/srv/scripts", "/cgi-bin/x", -EEXIST, NULL, false },
		{ "/srv/scripts", "/cgi", -EEXIST, NULL, false },
		{ "/var/www/html/app", "/app2", 0, "/app2", true },
	};
	struct model m;

	CHECK(model_init(&m, "/etc/httpd") == 0);
	{
		const struct host_fixture h = {
			.name = "url", .family = "rhel",
			.files = { { NULL, "/etc/httpd/conf/httpd.conf", url_conf } },
		};

		CHECK(fixture_feed(&h, &m, NULL) == 0);
	}
	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		char root[] = "/var/www/html/";
		struct layout l = { .document_root = root };
		struct request req = { .dir = (char *)cases[i].dir, .url_path = (char *)cases[i].url };
		struct diag d = { 0 };
		char *url = NULL, name[96];
		bool alias = !cases[i].alias;
		int r = plan_url_path(&m, &l, &req, &url, &alias, &d);

		snprintf(name, sizeof(name), "url_path %s %s", cases[i].dir,
			 cases[i].url ? cases[i].url : "(derived)");
		CHECK_AT(name, r == cases[i].rc);
		CHECK_STR_AT(name, "url", url, cases[i].want);
		if (r == 0)
			CHECK_AT(name, alias == cases[i].alias);
		else
			CHECK_AT(name, d.kind == DIAG_USAGE);
		free(url);
	}
	model_release(&m);
}

static void
test_url_path_no_root(void)
{
	struct model m;
	const struct host_fixture h = {
		.name = "full", .family = "rhel",
		.files = { { NULL, "/c.conf",
			     "Alias /x/ /a/\nAlias /x-2 /b\nAlias /x-3/ /c/\nAlias /x-4/ /d/\n"
			     "Alias /x-5/ /e/\nAlias /x-6/ /f/\nAlias /x-7/ /g/\nAlias /x-8/ /h/\n"
			     "ScriptAlias /x-9/ /i/\n" } },
	};
	struct layout none = { 0 };
	struct request req = { .dir = (char *)"/srv/x" };
	struct diag d = { 0 };
	char *url = NULL;
	bool alias = false;
	_cleanup_free_ char *u1 = NULL, *u2 = NULL, *u3 = NULL, *u4 = NULL;

	CHECK(model_init(&m, "/etc/httpd") == 0 && fixture_feed(&h, &m, NULL) == 0);
	u1 = plan_default_url_path(&m, "/srv/x");
	u2 = plan_default_url_path(&m, "/srv/y");
	u3 = plan_default_url_path(&m, "/a b/c d e");
	u4 = plan_default_url_path(&m, "/srv/x-");
	CHECK_STR(u1, NULL);
	CHECK_STR(u2, "/y");
	CHECK_STR(u3, "/c-d-e");
	CHECK_STR(u4, "/x-");
	CHECK(plan_url_path(&m, &none, &req, &url, &alias, &d) == -EEXIST && !url);
	CHECK_STR(d.msg, "no free URL path for '/srv/x': choose one with --url-path");
	req.dir = (char *)"/srv/z";
	CHECK(plan_url_path(&m, &none, &req, &url, &alias, &d) == 0);
	CHECK_STR(url, "/z");
	CHECK(alias);
	free(url);
	model_release(&m);
}

/* ---- directory spellings, as a <Directory> or an Alias writes them ---- */

static void
test_same_dir_spellings(void)
{
	static const struct {
		const char *written;
		bool same;
	} cases[] = {
		{ "/srv/cgi", true },
		{ "/srv/cgi/", true },
		{ "\"/srv/cgi\"", true },
		{ "\"/srv/cgi/\"", true },
		{ "'/srv/cgi'", true },
		{ "'/srv/cgi//'", true },
		{ "/srv//cgi", true },
		{ "//srv///cgi///", true },
		{ "\"//srv//cgi\"", true },
		{ "/srv/c\\gi", true },
		{ "/srv/cgi-bin", false },
		{ "/srv/cg", false },
		{ "/srv", false },
		{ "/srv/cgi/sub", false },
		{ "/SRV/CGI", false },
		{ "\"/srv/cgi'", false },
		{ "~", false },
		{ "/srv/cgi*", false },
		{ "", false },
	};

	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		char name[64];

		snprintf(name, sizeof(name), "same_dir row %zu", i);
		CHECK_AT(name, plan_same_dir(cases[i].written, "/srv/cgi") == cases[i].same);
	}
	CHECK(plan_same_dir("/", "/"));
	CHECK(plan_same_dir("\"/\"", "//"));
	CHECK(!plan_same_dir("/", "/srv"));
}

/* ---- Options, more spellings than test-core.c ---- */

static void
test_options_spellings(void)
{
	static const struct {
		const char *in[4];
		const char *want; /* NULL: unchanged */
	} cases[] = {
		{ { "EXECCGI", NULL }, NULL },
		{ { "+ExecCGI", "-Indexes", NULL }, NULL },
		{ { "all", NULL }, NULL },
		{ { "+All", NULL }, "+All +ExecCGI" },
		{ { "none", NULL }, "ExecCGI" },
		{ { "-execcgi", "+Includes", NULL }, "+Includes +ExecCGI" },
		{ { "-ExecCGI", "-ExecCGI", NULL }, "+ExecCGI" },
		{ { "Indexes", "-ExecCGI", NULL }, "Indexes ExecCGI" },
		{ { "MultiViews", "ExecCGI", NULL }, NULL },
	};

	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		_cleanup_strv_free_ char **in = NULL, **out = NULL;
		_cleanup_free_ char *got = NULL;
		char name[64];
		int r;

		snprintf(name, sizeof(name), "options row %zu", i);
		CHECK_AT(name, strv_from(cases[i].in, ELEMENTSOF(cases[i].in), &in) == 0);
		r = plan_options_with_execcgi(in, &out);
		CHECK_AT(name, r == (cases[i].want ? 1 : 0));
		got = r > 0 ? joined(out, " ") : NULL;
		CHECK_STR_AT(name, "args", got, cases[i].want);
	}
}

/* ---- request validation ---- */

static void
test_request_validate(void)
{
	static const struct {
		const char *dir, *url, *config;
		int rc;
		const char *dir_after, *url_after, *config_after;
	} cases[] = {
		{ "/srv//cgi/", NULL, NULL, 0, "/srv/cgi", NULL, NULL },
		{ "/home/u/cgi", "//a//b/", NULL, 0, "/home/u/cgi", "/a/b", NULL },
		{ "/opt/cgi", "/scripts/", "/etc/httpd//conf/httpd.conf", 0, "/opt/cgi", "/scripts",
		  "/etc/httpd/conf/httpd.conf" },
		{ "/usr/local/www/cgi", NULL, NULL, 0, "/usr/local/www/cgi", NULL, NULL },
		{ "/var/www/cgi-bin", NULL, NULL, 0, "/var/www/cgi-bin", NULL, NULL },
		{ "/srv", NULL, NULL, -EINVAL, NULL, NULL, NULL },
		{ "/srv/", NULL, NULL, -EINVAL, NULL, NULL, NULL },
		{ "/home", NULL, NULL, -EINVAL, NULL, NULL, NULL },
		{ "/var", NULL, NULL, -EINVAL, NULL, NULL, NULL },
		{ "/usr/bin/cgi", NULL, NULL, -EINVAL, NULL, NULL, NULL },
		{ "/tmp/cgi", NULL, NULL, -EINVAL, NULL, NULL, NULL },
		{ "/var/tmp/x", NULL, NULL, -EINVAL, NULL, NULL, NULL },
		{ "/etc/apache2/cgi", NULL, NULL, -EINVAL, NULL, NULL, NULL },
		{ "/srv/c\\gi", NULL, NULL, -EINVAL, NULL, NULL, NULL },
		{ "/srv/cgi/..", NULL, NULL, -EINVAL, NULL, NULL, NULL },
		{ "/srv/cgi\r", NULL, NULL, -EINVAL, NULL, NULL, NULL },
		{ "/srv/cgi", "/a?b", NULL, -EINVAL, NULL, NULL, NULL },
		{ "/srv/cgi", "/a#b", NULL, -EINVAL, NULL, NULL, NULL },
		{ "/srv/cgi", "/a%20", NULL, -EINVAL, NULL, NULL, NULL },
		{ "/srv/cgi", "/a\tb", NULL, -EINVAL, NULL, NULL, NULL },
		{ "/srv/cgi", "/a/../b", NULL, -EINVAL, NULL, NULL, NULL },
		{ "/srv/cgi", "/./a", NULL, -EINVAL, NULL, NULL, NULL },
		{ "/srv/cgi", "a/b", NULL, -EINVAL, NULL, NULL, NULL },
		{ "/srv/cgi", "/a\\b", NULL, -EINVAL, NULL, NULL, NULL },
		{ "/srv/cgi", "//", NULL, -EINVAL, NULL, NULL, NULL },
		{ "/srv/cgi", NULL, "conf/httpd.conf", -EINVAL, NULL, NULL, NULL },
		{ "/srv/cgi", NULL, "/etc/\"x\".conf", -EINVAL, NULL, NULL, NULL },
		{ "/srv/cgi", NULL, "/etc/../x.conf", -EINVAL, NULL, NULL, NULL },
	};

	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		struct request req;
		struct diag d = { 0 };
		char name[64];
		int r;

		snprintf(name, sizeof(name), "validate row %zu", i);
		request_init(&req);
		req.dir = strdup(cases[i].dir);
		req.url_path = cases[i].url ? strdup(cases[i].url) : NULL;
		req.config = cases[i].config ? strdup(cases[i].config) : NULL;
		r = request_validate(&req, &d);
		CHECK_AT(name, r == cases[i].rc);
		if (r == 0) {
			CHECK_STR_AT(name, "dir", req.dir, cases[i].dir_after);
			CHECK_STR_AT(name, "url", req.url_path, cases[i].url_after);
			CHECK_STR_AT(name, "config", req.config, cases[i].config_after);
		} else {
			CHECK_AT(name, d.kind == DIAG_USAGE && d.msg[0]);
		}
		request_release(&req);
	}
}

static void
test_request_messages(void)
{
	static const struct {
		const char *dir, *url, *msg;
	} cases[] = {
		{ "", NULL, "no CGI directory given: use --dir DIR" },
		{ "srv/cgi", NULL, "directory 'srv/cgi' is relative: give an absolute path" },
		{ "/srv/cgi  ", NULL, "directory '/srv/cgi  ' begins or ends with a space: remove it" },
		{ " /srv/cgi", NULL, "directory ' /srv/cgi' begins or ends with a space: remove it" },
		{ "/srv/c\tgi\n", NULL, "directory '/srv/c\\tgi\\n' contains a control character" },
		{ "/srv/../cgi", NULL, "directory '/srv/../cgi' has a '.' or '..' component" },
		{ "/usr//lib/", NULL, "refusing system directory '/usr/lib' as CGI directory" },
		{ "/proc/1", NULL, "refusing '/proc/1': it lies in the system directory '/proc'" },
		{ "/srv/cgi", "/a b", "URL path '/a b' contains a space, '?', '#' or '%'" },
		{ "/srv/cgi", "/", "URL path '/' would hide the whole site" },
		{ "/srv/cgi", "/\"", "URL path '/\"' contains a double quote" },
	};

	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		struct request req;
		struct diag d = { 0 };
		char name[64];

		snprintf(name, sizeof(name), "message row %zu", i);
		request_init(&req);
		req.dir = strdup(cases[i].dir);
		req.url_path = cases[i].url ? strdup(cases[i].url) : NULL;
		CHECK_AT(name, request_validate(&req, &d) == -EINVAL);
		CHECK_STR_AT(name, "msg", d.msg, cases[i].msg);
		request_release(&req);
	}
}

static void
test_request_exts(void)
{
	static const struct {
		const char *list;
		int rc;
		const char *want;
	} cases[] = {
		{ ".py", 0, ".py" },
		{ ".py,.cgi", 0, ".py .cgi" },
		{ ".py, .cgi ,.pl", 0, ".py .cgi .pl" },
		{ ".py,.py,.PY", 0, ".py .PY" },
		{ ".fcgi_1-x", 0, ".fcgi_1-x" },
		{ "", -EINVAL, NULL },
		{ " , ", -EINVAL, NULL },
		{ ".", -EINVAL, NULL },
		{ "py", -EINVAL, NULL },
		{ ".p y", -EINVAL, NULL },
		{ ".py;.cgi", -EINVAL, NULL },
		{ ".a.b", -EINVAL, NULL },
		{ ".123456789012345678901234567890123", -EINVAL, NULL },
	};

	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		struct request req;
		struct diag d = { 0 };
		_cleanup_free_ char *got = NULL;
		char name[64];

		snprintf(name, sizeof(name), "exts row %zu", i);
		request_init(&req);
		CHECK_AT(name, request_set_exts(&req, cases[i].list, &d) == cases[i].rc);
		got = joined(req.exts, " ");
		/* a refused list leaves the default */
		CHECK_STR_AT(name, "exts", got, cases[i].want ? cases[i].want : ".py");
		if (cases[i].rc)
			CHECK_AT(name, d.kind == DIAG_USAGE);
		request_release(&req);
	}
}

/* The probe's name: unique (the token), hidden, and an extension that
 * runs: .py when handled, else the first handled one. */
static void
test_probe_name(void)
{
	char *py[] = { (char *)".cgi", (char *)".py", NULL };
	char *cgi[] = { (char *)".cgi", (char *)".pl", NULL };
	char *upper[] = { (char *)".PY", NULL };
	_cleanup_free_ char *a = plan_probe_name(py, "0123abcd");
	_cleanup_free_ char *b = plan_probe_name(cgi, "0123abcd");
	_cleanup_free_ char *c = plan_probe_name(upper, "ff");
	_cleanup_free_ char *e = plan_probe_name(NULL, "ff");

	CHECK_STR(a, "cgisetup-probe-0123abcd.py");
	CHECK_STR(b, "cgisetup-probe-0123abcd.cgi");
	CHECK_STR(c, "cgisetup-probe-ff.py");
	CHECK_STR(e, "cgisetup-probe-ff.py");
}

/* hello.py runs only when '.py' is handled (any case); without hello.py
 * nothing needs to run. */
static void
test_request_hello_runs(void)
{
	static const struct {
		const char *list;
		bool no_hello, want;
	} cases[] = {
		{ ".py", false, true },
		{ ".cgi,.PY", false, true },
		{ ".cgi", false, false },
		{ ".pyc,.cgi", false, false },
		{ ".cgi", true, true },
	};

	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		struct request req;
		struct diag d = { 0 };
		char name[64];

		snprintf(name, sizeof(name), "hello runs row %zu", i);
		request_init(&req);
		CHECK_AT(name, request_set_exts(&req, cases[i].list, &d) == 0);
		req.no_hello = cases[i].no_hello;
		CHECK_AT(name, request_hello_runs(&req) == cases[i].want);
		request_release(&req);
	}
}

int
main(void)
{
	test_plan_cases();
	test_plan_collision_message();
	test_plan_dir();
	test_url_path();
	test_url_path_no_root();
	test_same_dir_spellings();
	test_options_spellings();
	test_request_validate();
	test_request_messages();
	test_request_exts();
	test_probe_name();
	test_request_hello_runs();
	return tap_done();
}
