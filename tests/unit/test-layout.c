/* test-layout.c - unit tests of the model (scan.c + model.c) and of the
 * layout built from it (layout.c), for every layout family.
 * Output is TAP, one line per assertion. */
#include "config.h"

#include <errno.h>
#include <stdio.h>

#include "cgisetup/layout.h"
#include "cgisetup/live.h"
#include "cgisetup/model.h"
#include "cgisetup/scan.h"

#include "fixture.h"
#include "tap.h"

/* V joined with single spaces ("" when empty). */
static char *
joined(char *const *v)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; v && v[i]; i++)
		strbuf_addf(&sb, "%s%s", i ? " " : "", v[i]);
	return strbuf_detach(&sb);
}

/* ---- the model, fed from text ---- */

/* A model of one file, /etc/httpd/conf/httpd.conf, with DEFINES. */
static int
model_of(const char *text, const char *const *defines, struct model *m)
{
	const struct host_fixture h = {
		.name = "inline",
		.family = "rhel",
		.files = { { NULL, "/etc/httpd/conf/httpd.conf", text } },
	};
	int r = model_init(m, "/etc/httpd");

	for (size_t i = 0; r >= 0 && defines && defines[i]; i++)
		r = model_define(m, defines[i], NULL);
	return r < 0 ? r : fixture_feed(&h, m, NULL);
}

static void
test_model_ifmodule(void)
{
	struct model m;

	CHECK(model_of("LoadModule mpm_event_module modules/mod_mpm_event.so\n"
		       "<IfModule mpm_event_module>\n"
		       "  LoadModule cgid_module modules/mod_cgid.so\n"
		       "</IfModule>\n"
		       "<IfModule mod_mpm_event.c>\n"
		       "  Listen 81\n"
		       "</IfModule>\n"
		       "<IfModule !mpm_event_module>\n"
		       "  LoadModule cgi_module modules/mod_cgi.so\n"
		       "</IfModule>\n"
		       "<ifmodule mod_cgid.c>\n"
		       "  <IfModule !mod_cgi.c>\n"
		       "    User cgiduser\n"
		       "  </IfModule>\n"
		       "  <IfModule mod_cgi.c>\n"
		       "    Group never\n"
		       "  </IfModule>\n"
		       "</ifmodule>\n"
		       "<IfModule ssl_module>\n"
		       "  <IfModule !ssl_module>\n"
		       "    DocumentRoot /never\n"
		       "  </IfModule>\n"
		       "</IfModule>\n"
		       "<IfModule !ssl_module>\n"
		       "  DocumentRoot /srv/www\n"
		       "</IfModule>\n",
		       NULL, &m) == 0);
	CHECK(model_has_module(&m, "cgid_module"));
	CHECK(model_has_module(&m, "mod_cgid.c"));
	CHECK(!model_has_module(&m, "cgi_module"));
	CHECK(!model_has_module(&m, "mod_cgi.c"));
	CHECK(!model_has_module(&m, "cgid"));
	CHECK(m.n_loaded == 2);
	CHECK_STR(m.listen, "81");
	CHECK_STR(m.user, "cgiduser");
	CHECK_STR(m.group, NULL);
	CHECK_STR(m.document_root, "/srv/www");
	CHECK(m.depth == 0);
	model_release(&m);

	/* a module loaded after the test does not count: httpd reads in order */
	CHECK(model_of("<IfModule cgi_module>\nUser early\n</IfModule>\n"
		       "LoadModule cgi_module modules/mod_cgi.so\n"
		       "<IfModule cgi_module>\nGroup late\n</IfModule>\n",
		       NULL, &m) == 0);
	CHECK_STR(m.user, NULL);
	CHECK_STR(m.group, "late");
	model_release(&m);
}

static void
test_model_ifdefine(void)
{
	static const char *const cli[] = { "FROM_CLI", NULL };
	struct model m;

	CHECK(model_of("<IfDefine FROM_CLI>\n  Listen 8001\n</IfDefine>\n"
		       "<IfDefine LATER>\n  User early\n</IfDefine>\n"
		       "Define LATER\n"
		       "<IfDefine LATER>\n  Group late\n</IfDefine>\n"
		       "<IfDefine !NEVER>\n  DocumentRoot /srv/not-never\n</IfDefine>\n"
		       "<IfDefine NEVER>\n  ErrorLog /never.log\n</IfDefine>\n"
		       "<IfDefine !FROM_CLI>\n  ErrorLog /not-cli.log\n</IfDefine>\n",
		       cli, &m) == 0);
	CHECK_STR(m.listen, "8001");
	CHECK_STR(m.user, NULL);
	CHECK_STR(m.group, "late");
	CHECK_STR(m.document_root, "/srv/not-never");
	CHECK_STR(m.error_log, NULL);
	CHECK(strv_contains(m.defines, "FROM_CLI") && strv_contains(m.defines, "LATER"));
	CHECK(!strv_contains(m.defines, "NEVER"));
	model_release(&m);

	/* a Define inside a false section does not happen */
	CHECK(model_of("<IfDefine NOPE>\nDefine HIDDEN\n</IfDefine>\n"
		       "<IfDefine HIDDEN>\nListen 9\n</IfDefine>\n",
		       NULL, &m) == 0);
	CHECK(!strv_contains(m.defines, "HIDDEN"));
	CHECK_STR(m.listen, NULL);
	model_release(&m);
}

static void
test_model_vars(void)
{
	struct model m;
	_cleanup_free_ char *e1 = NULL, *e2 = NULL, *e3 = NULL, *r1 = NULL, *r2 = NULL;
	_cleanup_strv_free_ char **inc = NULL;
	const struct host_fixture h = {
		.name = "vars",
		.family = "upstream",
		.files = { { NULL, "/etc/x/httpd.conf",
			     "Define WEB /srv/web\n"
			     "Define SUB html\n"
			     "DocumentRoot ${WEB}/${SUB}\n"
			     "User ${RUN_USER}\n"
			     "ErrorLog ${UNSET}/error.log\n"
			     "Include ${WEB}/conf.d/*.conf\n"
			     "ServerRoot /opt/apache\n"
			     "IncludeOptional sites/*.conf\n"
			     "<IfDefine NOPE>\nInclude /never/*.conf\n</IfDefine>\n"
			     "Listen ${WEB\n" } },
	};

	CHECK(model_init(&m, "/usr/local/apache2") == 0);
	CHECK(model_set_var(&m, "RUN_USER", "www-old") == 0);
	CHECK(model_set_var(&m, "RUN_USER", "www-run") == 0);
	CHECK(fixture_feed(&h, &m, &inc) == 0);
	CHECK_STR(m.document_root, "/srv/web/html");
	CHECK_STR(m.user, "www-run");
	CHECK_STR(m.error_log, "${UNSET}/error.log");
	CHECK_STR(m.listen, "${WEB");
	CHECK_STR(m.server_root, "/opt/apache");
	CHECK(strv_length(inc) == 2);
	CHECK_STR(inc ? inc[0] : NULL, "/srv/web/conf.d/*.conf");
	CHECK_STR(inc && inc[0] ? inc[1] : NULL, "/opt/apache/sites/*.conf");
	e1 = model_expand(&m, "${WEB}${WEB}");
	e2 = model_expand(&m, "$WEB ${} ${web}");
	e3 = model_expand(&m, "");
	CHECK_STR(e1, "/srv/web/srv/web");
	CHECK_STR(e2, "$WEB ${} ${web}");
	CHECK_STR(e3, "");
	r1 = model_resolve(&m, "logs/error_log");
	r2 = model_resolve(&m, "/var/log/x");
	CHECK_STR(r1, "/opt/apache/logs/error_log");
	CHECK_STR(r2, "/var/log/x");
	model_release(&m);
}

/* Where mod_cgid's daemon listens: ScriptSock under DefaultRuntimeDir, the
 * defaults, and Debian's mods-available/cgid.conf fed apart. */
static void
test_model_cgid_socket(void)
{
	static const char debian_conf[] = "# Socket for cgid communication\n"
					  "ScriptSock ${APACHE_RUN_DIR}/socks/cgisock\n";
	_cleanup_free_ char *s1 = NULL, *s2 = NULL, *s3 = NULL, *s4 = NULL, *s5 = NULL;
	struct model m;

	CHECK(model_of("ServerRoot /etc/httpd\n", NULL, &m) == 0);
	s1 = model_cgid_socket(&m);
	CHECK_STR(s1, "/etc/httpd/logs/cgisock");
	model_release(&m);

	CHECK(model_of("DefaultRuntimeDir run\nScriptSock x/sock\n"
		       "<VirtualHost *:80>\nScriptSock /vhost\n</VirtualHost>\n", NULL, &m) == 0);
	s2 = model_cgid_socket(&m);
	CHECK_STR(s2, "/etc/httpd/run/x/sock");
	model_release(&m);

	CHECK(model_of("DefaultRuntimeDir /run/httpd\nScriptSock /var/cgid\n", NULL, &m) == 0);
	s3 = model_cgid_socket(&m);
	CHECK_STR(s3, "/var/cgid");
	CHECK(model_feed_script_sock(&m, debian_conf, strlen(debian_conf)) == 0);
	s4 = model_cgid_socket(&m);
	CHECK_STR(s4, "/var/cgid"); /* the files read first win */
	model_release(&m);

	CHECK(model_init(&m, "/etc/apache2") == 0);
	CHECK(model_set_var(&m, "APACHE_RUN_DIR", "/var/run/apache2") == 0);
	CHECK(model_feed_script_sock(&m, debian_conf, strlen(debian_conf)) == 0);
	s5 = model_cgid_socket(&m);
	CHECK_STR(s5, "/var/run/apache2/socks/cgisock");
	model_release(&m);
}

static void
test_model_directives(void)
{
	struct model m;

	CHECK(model_of("documentroot \"/srv/my www\"\n"
		       "LISTEN 8080\n"
		       "Listen 9090\n"
		       "DocumentRoot /srv/second\\\n"
		       "-line\n"
		       "ErrorLog first.log\n"
		       "ErrorLog 'logs/second.log'\n"
		       "<VirtualHost *:80>\n"
		       "  DocumentRoot /srv/vhost1\n"
		       "  User vhostuser\n"
		       "  ErrorLog /vhost.log\n"
		       "</VirtualHost>\n"
		       "<VirtualHost *:81>\n"
		       "  DocumentRoot /srv/vhost2\n"
		       "</VirtualHost>\n"
		       "</IfModule>\n"
		       "</IfModule>\n"
		       "User  main\n"
		       "Listen\n",
		       NULL, &m) == 0);
	CHECK_STR(m.document_root, "/srv/second-line");
	CHECK_STR(m.vhost_document_root, "/srv/vhost1");
	CHECK_STR(m.listen, "8080");
	CHECK_STR(m.error_log, "logs/second.log");
	CHECK_STR(m.user, "main");
	CHECK(m.depth == 0 && m.vhost_level == 0);
	model_release(&m);
}

static void
test_model_aliases(void)
{
	struct model m;

	CHECK(model_of("Alias /icons/ \"/usr/share/httpd/icons/\"\n"
		       "<IfModule mod_cgid.c>\n"
		       "  ScriptAlias /cgi-bin/ /usr/lib/cgi-bin/\n"
		       "</IfModule>\n"
		       "scriptaliasmatch ^/x(.*) /srv/x$1\n"
		       "Alias /lonely\n",
		       NULL, &m) == 0);
	CHECK(m.n_aliases == 3);
	if (m.n_aliases == 3) {
		CHECK_STR(m.aliases[0].directive, "Alias");
		CHECK_STR(m.aliases[0].url, "/icons/");
		CHECK_STR(m.aliases[0].path, "/usr/share/httpd/icons/");
		CHECK(m.aliases[0].line == 1);
		CHECK_STR(m.aliases[1].directive, "ScriptAlias");
		CHECK_STR(m.aliases[1].path, "/usr/lib/cgi-bin/");
		CHECK_STR(m.aliases[1].file, "/etc/httpd/conf/httpd.conf");
		CHECK(m.aliases[1].line == 3);
		CHECK_STR(m.aliases[2].directive, "scriptaliasmatch");
	}
	model_release(&m);
}

static void
test_model_commented(void)
{
	struct model m;
	const struct host_fixture h = {
		.name = "commented",
		.family = "upstream",
		.files = {
			{ NULL, "/a.conf",
			  "LoadModule mpm_event_module modules/mod_mpm_event.so\n"
			  "<IfModule mpm_prefork_module>\n"
			  "#LoadModule cgid_module modules/mod_cgid.so\n"
			  "</IfModule>\n"
			  "#LoadModule cgid_module modules/mod_cgid.so\n"
			  "#  LoadModule\tcgi_module \"modules/mod_cgi.so\"\n"
			  "#LoadModules cgid_module x.so\n"
			  "# LoadModule cgid_module modules/mod_cgid.so # not two words\n"
			  "# LoadModule cgid_module\n"
			  "Include /b.conf\n" },
			{ "/b.conf", "/b.conf", "    #LoadModule cgid_module other/mod_cgid.so\n" },
		},
	};

	CHECK(model_init(&m, "/usr/local/apache2") == 0 && fixture_feed(&h, &m, NULL) == 0);
	CHECK(m.n_commented == 4);
	if (m.n_commented == 4) {
		CHECK(!m.commented[0].active && m.commented[0].ordinal == 1 && m.commented[0].line == 3);
		CHECK(m.commented[1].active && m.commented[1].ordinal == 2 && m.commented[1].line == 5);
		CHECK_STR(m.commented[2].name, "cgi_module");
		CHECK_STR(m.commented[2].path, "modules/mod_cgi.so");
		CHECK(m.commented[2].active && m.commented[2].ordinal == 1);
		CHECK_STR(m.commented[3].file, "/b.conf");
		CHECK_STR(m.commented[3].path, "other/mod_cgid.so");
		CHECK(m.commented[3].active && m.commented[3].ordinal == 1 && m.commented[3].line == 1);
	}
	CHECK(!model_has_module(&m, "cgid_module"));
	CHECK(m.n_files_open == 0);
	CHECK(strv_length(m.files) == 2);
	model_release(&m);
}

/* ---- the layout of every family ---- */

static const struct {
	const char *fixture;
	const char *server_root;
	const char *mpm;
	bool threaded;
	const char *cgi_loaded;
	const char *cgi_wanted;
	const char *document_root;
	const char *listen_host;
	unsigned listen_port;
	const char *user;
	const char *error_log;
	const char *unit;
	const char *module_dir;
	const char *files;
} layouts[] = {
	{ "debian", "/etc/apache2", "event", true, NULL, "cgid", "/var/www/html", NULL, 80,
	  "www-data", "/var/log/apache2/error.log", "apache2.service", "/usr/lib/apache2/modules",
	  "/etc/apache2/apache2.conf /etc/apache2/mods-enabled/alias.load "
	  "/etc/apache2/mods-enabled/mpm_event.load /etc/apache2/ports.conf "
	  "/etc/apache2/conf-enabled/serve-cgi-bin.conf /etc/apache2/sites-enabled/000-default.conf" },
	{ "debian-prefork", "/etc/apache2", "prefork", false, NULL, "cgi", "/var/www/html", NULL, 80,
	  "www-data", "/var/log/apache2/error.log", "apache2.service", "/usr/lib/apache2/modules",
	  "/etc/apache2/apache2.conf /etc/apache2/mods-enabled/alias.load "
	  "/etc/apache2/mods-enabled/mpm_prefork.load /etc/apache2/ports.conf "
	  "/etc/apache2/conf-enabled/serve-cgi-bin.conf /etc/apache2/sites-enabled/000-default.conf" },
	{ "debian-cgid", "/etc/apache2", "event", true, "cgid", "cgid", "/var/www/html", NULL, 80,
	  "www-data", "/var/log/apache2/error.log", "apache2.service", "/usr/lib/apache2/modules",
	  "/etc/apache2/apache2.conf /etc/apache2/mods-enabled/alias.load "
	  "/etc/apache2/mods-enabled/cgid.load /etc/apache2/mods-enabled/mpm_event.load "
	  "/etc/apache2/ports.conf /etc/apache2/conf-enabled/serve-cgi-bin.conf "
	  "/etc/apache2/sites-enabled/000-default.conf" },
	{ "rhel", "/etc/httpd", "event", true, "cgid", "cgid", "/var/www/html", NULL, 80, "apache",
	  "/etc/httpd/logs/error_log", "httpd.service", "modules",
	  "/etc/httpd/conf/httpd.conf /etc/httpd/conf.modules.d/00-mpm.conf "
	  "/etc/httpd/conf.modules.d/01-cgi.conf" },
	{ "rhel-prefork", "/etc/httpd", "prefork", false, "cgi", "cgi", "/var/www/html", NULL, 80,
	  "apache", "/etc/httpd/logs/error_log", "httpd.service", "modules",
	  "/etc/httpd/conf/httpd.conf /etc/httpd/conf.modules.d/00-mpm.conf "
	  "/etc/httpd/conf.modules.d/01-cgi.conf" },
	{ "arch", "/etc/httpd", "event", true, NULL, "cgid", "/srv/http", NULL, 80, "http",
	  "/var/log/httpd/error_log", "httpd.service", "modules", "/etc/httpd/conf/httpd.conf" },
	{ "arch-prefork", "/etc/httpd", "prefork", false, NULL, "cgi", "/srv/http", NULL, 80, "http",
	  NULL, "httpd.service", "modules", "/etc/httpd/conf/httpd.conf" },
	{ "suse", "/etc/apache2", "prefork", false, NULL, "cgi", "/srv/www/htdocs", NULL, 80, "wwwrun",
	  "/var/log/apache2/error_log", "apache2.service", "/usr/lib64/apache2-prefork",
	  "/etc/apache2/httpd.conf /etc/apache2/uid.conf /etc/apache2/sysconfig.d/loadmodule.conf "
	  "/etc/apache2/listen.conf /etc/apache2/default-server.conf" },
	{ "gentoo", "/usr/lib64/apache2", NULL, false, NULL, "cgi", "/var/www/localhost/htdocs", NULL,
	  80, "apache", "/var/log/apache2/error_log", "openrc:apache2", "modules",
	  "/etc/apache2/httpd.conf /etc/apache2/modules.d/00_default_settings.conf "
	  "/etc/apache2/vhosts.d/00_default_vhost.conf" },
	{ "gentoo-cgi", "/usr/lib64/apache2", NULL, false, "cgi", "cgi", "/var/www/localhost/htdocs",
	  NULL, 80, "apache", NULL, "openrc:apache2", "modules",
	  "/etc/apache2/httpd.conf /etc/apache2/vhosts.d/00_default_vhost.conf" },
	{ "alpine", "/var/www", "prefork", false, NULL, "cgi", "/var/www/localhost/htdocs", NULL, 80,
	  "apache", "/var/www/logs/error.log", "openrc:apache2", "modules", "/etc/apache2/httpd.conf" },
	{ "freebsd", "/usr/local", "event", true, NULL, "cgid", "/usr/local/www/apache24/data", NULL,
	  80, "www", "/var/log/httpd-error.log", "rc.d:apache24", "libexec/apache24",
	  "/usr/local/etc/apache24/httpd.conf" },
	{ "homebrew", "/opt/homebrew/opt/httpd", "prefork", false, NULL, "cgi", "/opt/homebrew/var/www",
	  NULL, 8080, "_www", "/opt/homebrew/var/log/httpd/error_log", "brew:httpd",
	  "lib/httpd/modules", "/opt/homebrew/etc/httpd/httpd.conf" },
	{ "upstream", "/usr/local/apache2", "worker", true, "cgid", "cgid", "/usr/local/apache2/htdocs",
	  "127.0.0.1", 8080, "daemon", "/usr/local/apache2/logs/error_log", "httpd.service", "modules",
	  "/usr/local/apache2/conf/httpd.conf" },
	{ "upstream-static", "/usr/local/apache2", "event", true, NULL, "cgid", NULL, NULL, 80, "daemon",
	  NULL, "httpd.service", "modules", "/usr/local/apache2/conf/httpd.conf" },
};

static void
test_layouts(void)
{
	for (size_t i = 0; i < ELEMENTSOF(layouts); i++) {
		const char *name = layouts[i].fixture;
		const struct host_fixture *h = host_fixture(name);
		struct model m = { 0 };
		struct layout l = { 0 };
		_cleanup_free_ char *files = NULL;
		char port[16];

		CHECK_AT(name, fixture_layout(h, &m, &l) == 0);
		files = joined(l.files);
		snprintf(port, sizeof(port), "%u", l.listen_port);
		CHECK_STR_AT(name, "family", l.family ? l.family->name : NULL, h->family);
		CHECK_AT(name, !l.from_live);
		CHECK_STR_AT(name, "main_config", l.main_config, h->files[0].path);
		CHECK_STR_AT(name, "server_root", l.server_root, layouts[i].server_root);
		CHECK_STR_AT(name, "mpm", l.mpm, layouts[i].mpm);
		CHECK_AT(name, l.threaded == layouts[i].threaded);
		CHECK_STR_AT(name, "cgi_loaded", l.cgi_loaded, layouts[i].cgi_loaded);
		CHECK_STR_AT(name, "cgi_wanted", l.cgi_wanted, layouts[i].cgi_wanted);
		CHECK_STR_AT(name, "document_root", l.document_root, layouts[i].document_root);
		CHECK_STR_AT(name, "listen_host", l.listen_host, layouts[i].listen_host);
		CHECK_AT(name, l.listen_port == layouts[i].listen_port);
		CHECK_STR_AT(name, "user", l.user, layouts[i].user);
		CHECK_STR_AT(name, "error_log", l.error_log, layouts[i].error_log);
		CHECK_STR_AT(name, "unit", l.unit, layouts[i].unit);
		CHECK_STR_AT(name, "module_dir", l.module_dir, layouts[i].module_dir);
		CHECK_STR_AT(name, "files", files, layouts[i].files);
		layout_release(&l);
		model_release(&m);
	}
}

/* Every family is covered by a row above, and has what the plan needs. */
static void
test_families_covered(void)
{
	for (size_t i = 0; i < layout_n_families(); i++) {
		const struct family *f = &layout_families()[i];
		bool found = false;

		for (size_t k = 0; k < ELEMENTSOF(layouts); k++)
			found = found || streq(host_fixture(layouts[k].fixture)->family, f->name);
		CHECK_AT(f->name, found);
		CHECK_AT(f->name, layout_family_by_name(f->name) == f);
		CHECK_AT(f->name, f->main_config && f->main_config[0] == '/');
		CHECK_AT(f->name, f->server_root && f->unit && f->ctl && f->user && f->module_dir);
		CHECK_AT(f->name, f->cgi_dir && f->cgi_dir[0] == '/');
		CHECK_AT(f->name, (f->modmech == MODMECH_DEBIAN_SYMLINK) == streq(f->name, "debian"));
	}
	CHECK(layout_family_by_name("windows") == NULL);
	CHECK_STR(layout_families()[layout_n_families() - 1].name, "upstream");
}

static bool
exists_in(const char *path, void *userdata)
{
	return strv_contains(userdata, path);
}

/* os-release first, then the files that exist, and a --config path. */
static void
test_pick_family(void)
{
	static const struct {
		const char *os_id, *os_like, *config;
		const char *paths[3];
		const char *want;
	} cases[] = {
		{ "debian", NULL, NULL, { "/etc/apache2/apache2.conf" }, "debian" },
		{ "pop", "ubuntu debian", NULL, { "/etc/apache2/apache2.conf" }, "debian" },
		{ "fedora", NULL, NULL, { "/etc/httpd/conf/httpd.conf" }, "rhel" },
		{ "rocky", "rhel centos fedora", NULL, { "/etc/httpd/conf/httpd.conf" }, "rhel" },
		{ "manjaro", "arch", NULL, { "/etc/httpd/conf/httpd.conf" }, "arch" },
		{ "opensuse-tumbleweed", "opensuse suse", NULL, { "/etc/apache2/httpd.conf" }, "suse" },
		{ "gentoo", NULL, NULL, { "/etc/apache2/httpd.conf" }, "gentoo" },
		{ "alpine", NULL, NULL, { "/etc/apache2/httpd.conf" }, "alpine" },
		{ "freebsd", NULL, NULL, { "/usr/local/etc/apache24/httpd.conf" }, "freebsd" },
		{ "macos", NULL, NULL, { "/opt/homebrew/etc/httpd/httpd.conf" }, "homebrew" },
		/* no os-release: the files tell */
		{ NULL, NULL, NULL, { "/etc/apache2/httpd.conf", "/etc/apache2/default-server.conf" },
		  "suse" },
		{ NULL, NULL, NULL, { "/etc/apache2/httpd.conf", "/etc/apache2/modules.d" }, "gentoo" },
		{ NULL, NULL, NULL, { "/etc/apache2/httpd.conf" }, "alpine" },
		{ NULL, NULL, NULL, { "/usr/local/apache2/conf/httpd.conf" }, "upstream" },
		/* os-release names a family whose config is not there */
		{ "debian", NULL, NULL, { "/etc/httpd/conf/httpd.conf", "/etc/httpd/conf.modules.d" },
		  "rhel" },
		{ "unknownos", "alsounknown", NULL, { "/opt/homebrew/etc/httpd/httpd.conf" }, "homebrew" },
		/* --config */
		{ "debian", NULL, "/srv/apache2.conf", { NULL }, "debian" },
		{ NULL, NULL, "/etc/httpd/conf/httpd.conf", { NULL }, "arch" },
		{ NULL, NULL, "/etc/httpd/conf/httpd.conf", { "/etc/httpd/conf.modules.d" }, "rhel" },
		{ NULL, NULL, "/opt/x.conf", { "/etc/apache2/modules.d" }, "gentoo" },
		{ NULL, NULL, "/opt/x.conf", { NULL }, "upstream" },
		{ NULL, NULL, NULL, { NULL }, NULL },
		{ "debian", NULL, NULL, { NULL }, NULL },
	};

	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		const struct family *f = layout_pick_family(cases[i].os_id, cases[i].os_like,
							    cases[i].config, exists_in,
							    (void *)cases[i].paths);
		char what[64];

		snprintf(what, sizeof(what), "pick_family row %zu", i);
		CHECK_STR_AT(what, "family", f ? f->name : NULL, cases[i].want);
	}
}

/* What the running server says wins over the files. */
static void
test_layout_live(void)
{
	const struct host_fixture *h = host_fixture("debian");
	struct model m = { 0 };
	struct layout l = { 0 };
	struct live live = { 0 };
	struct diag d = { 0 };

	CHECK(fixture_model(h, &m, NULL) == 0);
	CHECK(live_parse_version(&live, "Server version: Apache/2.4.62 (Debian)\n"
					"Server MPM:     worker\n  threaded:     yes\n") == 0);
	CHECK(live_parse_run_cfg(&live, "ServerRoot: \"/etc/apache2\"\n"
					"Main DocumentRoot: \"/srv/live\"\n"
					"Main ErrorLog: \"/var/log/apache2/live.log\"\n"
					"User: name=\"liveuser\" id=1000\n") == 0);
	CHECK(live_parse_includes(&live, "  (*) /etc/apache2/apache2.conf\n"
					 "    (1) /etc/apache2/ports.conf\n"
					 "    (1) /etc/apache2/ports.conf\n") == 0);
	CHECK(live_parse_modules(&live, "Loaded Modules:\n core_module (static)\n"
					" mpm_worker_module (shared)\n cgi_module (shared)\n") == 0);
	CHECK(layout_build(layout_family_by_name("debian"), &m, &live, "/etc/apache2/apache2.conf",
			   &l, &d) == 0);
	CHECK(l.from_live);
	CHECK_STR(l.mpm, "worker");
	CHECK(l.threaded);
	CHECK_STR(l.cgi_loaded, "cgi");
	CHECK_STR(l.cgi_wanted, "cgid");
	CHECK_STR(l.document_root, "/srv/live");
	CHECK_STR(l.user, "liveuser");
	CHECK_STR(l.error_log, "/var/log/apache2/live.log");
	CHECK(strv_length(l.files) == 2);
	CHECK_STR(l.module_dir, "/usr/lib/apache2/modules");
	layout_release(&l);
	live_release(&live);
	model_release(&m);
}

/* A Listen the layout cannot use leaves port 80. */
static void
test_layout_listen(void)
{
	static const struct {
		const char *text;
		const char *host;
		unsigned port;
	} cases[] = {
		{ "Listen 8081\n", NULL, 8081 },
		{ "Listen [::]:8443 https\n", "[::]", 8443 },
		{ "Listen 192.0.2.1:80\nListen 81\n", "192.0.2.1", 80 },
		{ "Listen http\n", NULL, 80 },
		{ "Listen [::1]\n", NULL, 80 },
		{ "", NULL, 80 },
	};

	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		struct model m;
		struct layout l = { 0 };
		struct diag d = { 0 };
		char name[32];

		snprintf(name, sizeof(name), "listen row %zu", i);
		CHECK_AT(name, model_of(cases[i].text, NULL, &m) == 0);
		CHECK_AT(name, layout_build(layout_family_by_name("rhel"), &m, NULL,
					    "/etc/httpd/conf/httpd.conf", &l, &d) == 0);
		CHECK_STR_AT(name, "host", l.listen_host, cases[i].host);
		CHECK_AT(name, l.listen_port == cases[i].port);
		layout_release(&l);
		model_release(&m);
	}
}

int
main(void)
{
	test_model_ifmodule();
	test_model_ifdefine();
	test_model_vars();
	test_model_directives();
	test_model_cgid_socket();
	test_model_aliases();
	test_model_commented();
	test_layouts();
	test_families_covered();
	test_pick_family();
	test_layout_live();
	test_layout_listen();
	return tap_done();
}
