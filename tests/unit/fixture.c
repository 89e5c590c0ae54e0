/* fixture.c - configurations of every layout family (see fixture.h).
 *
 * Trimmed from the stock files of each distribution: only the lines that
 * matter to detection are kept, in their original spelling. */
#include "config.h"

#include <errno.h>
#include <stdio.h>

#include "cgisetup/scan.h"
#include "cgisetup/util.h"

#include "fixture.h"

/* ---- Debian and Ubuntu ---- */

#define DEB_MAIN                                                        \
	{ NULL, "/etc/apache2/apache2.conf",                            \
	  "DefaultRuntimeDir ${APACHE_RUN_DIR}\n"                       \
	  "PidFile ${APACHE_PID_FILE}\n"                                \
	  "User ${APACHE_RUN_USER}\n"                                   \
	  "Group ${APACHE_RUN_GROUP}\n"                                 \
	  "ErrorLog ${APACHE_LOG_DIR}/error.log\n"                      \
	  "IncludeOptional mods-enabled/*.load\n"                       \
	  "IncludeOptional mods-enabled/*.conf\n"                       \
	  "Include ports.conf\n"                                        \
	  "<Directory />\n\tOptions FollowSymLinks\n\tRequire all denied\n</Directory>\n" \
	  "<Directory /var/www/>\n\tOptions Indexes FollowSymLinks\n</Directory>\n" \
	  "IncludeOptional conf-enabled/*.conf\n"                       \
	  "IncludeOptional sites-enabled/*.conf\n" }
#define DEB_LOAD(name, so)                                              \
	{ "/etc/apache2/mods-enabled/*.load", "/etc/apache2/mods-enabled/" name ".load", \
	  "LoadModule " name "_module /usr/lib/apache2/modules/" so "\n" }
#define DEB_PORTS                                                       \
	{ "/etc/apache2/ports.conf", "/etc/apache2/ports.conf",         \
	  "Listen 80\n\n<IfModule ssl_module>\n\tListen 443\n</IfModule>\n" }
#define DEB_SERVE_CGI_BIN                                               \
	{ "/etc/apache2/conf-enabled/*.conf", "/etc/apache2/conf-enabled/serve-cgi-bin.conf", \
	  "<IfModule mod_alias.c>\n"                                    \
	  "\t<IfModule mod_cgi.c>\n\t\tDefine ENABLE_USR_LIB_CGI_BIN\n\t</IfModule>\n" \
	  "\t<IfModule mod_cgid.c>\n\t\tDefine ENABLE_USR_LIB_CGI_BIN\n\t</IfModule>\n" \
	  "\t<IfDefine ENABLE_USR_LIB_CGI_BIN>\n"                       \
	  "\t\tScriptAlias /cgi-bin/ /usr/lib/cgi-bin/\n"               \
	  "\t\t<Directory \"/usr/lib/cgi-bin\">\n"                      \
	  "\t\t\tOptions +ExecCGI -MultiViews +SymLinksIfOwnerMatch\n"  \
	  "\t\t\tRequire all granted\n\t\t</Directory>\n"               \
	  "\t</IfDefine>\n</IfModule>\n" }
#define DEB_SITE                                                        \
	{ "/etc/apache2/sites-enabled/*.conf", "/etc/apache2/sites-enabled/000-default.conf", \
	  "<VirtualHost *:80>\n"                                        \
	  "\tServerAdmin webmaster@localhost\n"                         \
	  "\tDocumentRoot /var/www/html\n"                              \
	  "\tErrorLog ${APACHE_LOG_DIR}/error.log\n"                    \
	  "</VirtualHost>\n" }
#define DEB_VARS                                                        \
	{ "APACHE_RUN_USER", "www-data", "APACHE_RUN_GROUP", "www-data", \
	  "APACHE_LOG_DIR", "/var/log/apache2", NULL }

/* ---- RHEL, CentOS, Fedora ---- */

#define RHEL_MAIN                                                       \
	{ NULL, "/etc/httpd/conf/httpd.conf",                           \
	  "ServerRoot \"/etc/httpd\"\n"                                 \
	  "Listen 80\n"                                                 \
	  "Include conf.modules.d/*.conf\n"                             \
	  "User apache\nGroup apache\n"                                 \
	  "DocumentRoot \"/var/www/html\"\n"                            \
	  "<Directory \"/var/www/html\">\n    Options Indexes FollowSymLinks\n</Directory>\n" \
	  "ErrorLog \"logs/error_log\"\n"                               \
	  "<IfModule alias_module>\n"                                   \
	  "    ScriptAlias /cgi-bin/ \"/var/www/cgi-bin/\"\n"           \
	  "</IfModule>\n"                                               \
	  "IncludeOptional conf.d/*.conf\n" }
#define RHEL_MPM(active)                                                \
	{ "/etc/httpd/conf.modules.d/*.conf", "/etc/httpd/conf.modules.d/00-mpm.conf", \
	  "LoadModule alias_module modules/mod_alias.so\n"              \
	  "#LoadModule mpm_worker_module modules/mod_mpm_worker.so\n"   \
	  "LoadModule " active "_module modules/mod_" active ".so\n" }
#define RHEL_CGI                                                        \
	{ "/etc/httpd/conf.modules.d/*.conf", "/etc/httpd/conf.modules.d/01-cgi.conf", \
	  "<IfModule mpm_worker_module>\n   LoadModule cgid_module modules/mod_cgid.so\n</IfModule>\n" \
	  "<IfModule mpm_event_module>\n   LoadModule cgid_module modules/mod_cgid.so\n</IfModule>\n" \
	  "<IfModule mpm_prefork_module>\n   LoadModule cgi_module modules/mod_cgi.so\n</IfModule>\n" }

/* ---- the httpd.conf of upstream, as Arch, Alpine, FreeBSD and Homebrew ship it ---- */

#define STOCK_CGI_LINES(dir)                                            \
	"<IfModule !mpm_prefork_module>\n"                              \
	"\t#LoadModule cgid_module " dir "/mod_cgid.so\n"               \
	"</IfModule>\n"                                                 \
	"<IfModule mpm_prefork_module>\n"                               \
	"\t#LoadModule cgi_module " dir "/mod_cgi.so\n"                 \
	"</IfModule>\n"

const struct host_fixture host_fixtures[] = {
	{
		.name = "debian",
		.family = "debian",
		.vars = DEB_VARS,
		.files = { DEB_MAIN, DEB_LOAD("alias", "mod_alias.so"),
			   DEB_LOAD("mpm_event", "mod_mpm_event.so"), DEB_PORTS, DEB_SERVE_CGI_BIN,
			   DEB_SITE },
	},
	{
		.name = "debian-prefork",
		.family = "debian",
		.vars = DEB_VARS,
		.files = { DEB_MAIN, DEB_LOAD("alias", "mod_alias.so"),
			   DEB_LOAD("mpm_prefork", "mod_mpm_prefork.so"), DEB_PORTS,
			   DEB_SERVE_CGI_BIN, DEB_SITE },
	},
	{
		.name = "debian-cgid",
		.family = "debian",
		.vars = DEB_VARS,
		.files = { DEB_MAIN, DEB_LOAD("alias", "mod_alias.so"),
			   DEB_LOAD("cgid", "mod_cgid.so"),
			   DEB_LOAD("mpm_event", "mod_mpm_event.so"), DEB_PORTS, DEB_SERVE_CGI_BIN,
			   DEB_SITE },
	},
	{
		.name = "rhel",
		.family = "rhel",
		.files = { RHEL_MAIN, RHEL_MPM("mpm_event"), RHEL_CGI },
	},
	{
		.name = "rhel-prefork",
		.family = "rhel",
		.files = { RHEL_MAIN, RHEL_MPM("mpm_prefork"), RHEL_CGI },
	},
	{
		.name = "rhel-nocgi",
		.family = "rhel",
		.files = { RHEL_MAIN, RHEL_MPM("mpm_event") },
	},
	{
		.name = "arch",
		.family = "arch",
		.files = { { NULL, "/etc/httpd/conf/httpd.conf",
			     "ServerRoot \"/etc/httpd\"\n"
			     "Listen 80\n"
			     "LoadModule mpm_event_module modules/mod_mpm_event.so\n"
			     "#LoadModule mpm_prefork_module modules/mod_mpm_prefork.so\n"
			     "LoadModule unixd_module modules/mod_unixd.so\n"
			     STOCK_CGI_LINES("modules")
			     "<IfModule unixd_module>\nUser http\nGroup http\n</IfModule>\n"
			     "DocumentRoot \"/srv/http\"\n"
			     "ErrorLog \"/var/log/httpd/error_log\"\n"
			     "<IfModule alias_module>\n"
			     "    ScriptAlias /cgi-bin/ \"/srv/http/cgi-bin/\"\n"
			     "</IfModule>\n" } },
	},
	{
		.name = "arch-prefork",
		.family = "arch",
		.files = { { NULL, "/etc/httpd/conf/httpd.conf",
			     "ServerRoot \"/etc/httpd\"\n"
			     "Listen 80\n"
			     "#LoadModule mpm_event_module modules/mod_mpm_event.so\n"
			     "LoadModule mpm_prefork_module modules/mod_mpm_prefork.so\n"
			     STOCK_CGI_LINES("modules")
			     "DocumentRoot \"/srv/http\"\n" } },
	},
	{
		.name = "suse",
		.family = "suse",
		.files = {
			{ NULL, "/etc/apache2/httpd.conf",
			  "Include /etc/apache2/uid.conf\n"
			  "Include /etc/apache2/server-tuning.conf\n"
			  "ErrorLog /var/log/apache2/error_log\n"
			  "Include /etc/apache2/sysconfig.d/loadmodule.conf\n"
			  "Include /etc/apache2/listen.conf\n"
			  "Include /etc/apache2/default-server.conf\n" },
			{ "/etc/apache2/uid.conf", "/etc/apache2/uid.conf", "User wwwrun\nGroup www\n" },
			{ "/etc/apache2/sysconfig.d/loadmodule.conf",
			  "/etc/apache2/sysconfig.d/loadmodule.conf",
			  "LoadModule actions_module      /usr/lib64/apache2-prefork/mod_actions.so\n"
			  "LoadModule alias_module        /usr/lib64/apache2-prefork/mod_alias.so\n" },
			{ "/etc/apache2/listen.conf", "/etc/apache2/listen.conf",
			  "<IfDefine !NOLISTEN>\n\tListen 80\n</IfDefine>\n" },
			{ "/etc/apache2/default-server.conf", "/etc/apache2/default-server.conf",
			  "DocumentRoot \"/srv/www/htdocs\"\n"
			  "Alias /icons/ \"/usr/share/apache2/icons/\"\n"
			  "ScriptAlias /cgi-bin/ \"/srv/www/cgi-bin/\"\n" },
		},
	},
	{
		.name = "gentoo",
		.family = "gentoo",
		.defines = { "DEFAULT_VHOST", "INFO", "LANGUAGE" },
		.files = {
			{ NULL, "/etc/apache2/httpd.conf",
			  "ServerRoot \"/usr/lib64/apache2\"\n"
			  "LoadModule alias_module modules/mod_alias.so\n"
			  "<IfDefine CGI>\nLoadModule cgi_module modules/mod_cgi.so\n</IfDefine>\n"
			  "<IfDefine INFO>\nLoadModule info_module modules/mod_info.so\n</IfDefine>\n"
			  "User apache\nGroup apache\n"
			  "Include /etc/apache2/modules.d/*.conf\n"
			  "Include /etc/apache2/vhosts.d/*.conf\n" },
			{ "/etc/apache2/modules.d/*.conf", "/etc/apache2/modules.d/00_default_settings.conf",
			  "ErrorLog /var/log/apache2/error_log\n" },
			{ "/etc/apache2/vhosts.d/*.conf", "/etc/apache2/vhosts.d/00_default_vhost.conf",
			  "<IfDefine DEFAULT_VHOST>\nListen 80\n"
			  "<VirtualHost *:80>\n\tDocumentRoot \"/var/www/localhost/htdocs\"\n"
			  "</VirtualHost>\n</IfDefine>\n" },
		},
	},
	{
		.name = "gentoo-cgi",
		.family = "gentoo",
		.defines = { "DEFAULT_VHOST", "CGI" },
		.files = {
			{ NULL, "/etc/apache2/httpd.conf",
			  "ServerRoot \"/usr/lib64/apache2\"\n"
			  "LoadModule alias_module modules/mod_alias.so\n"
			  "<IfDefine CGI>\nLoadModule cgi_module modules/mod_cgi.so\n</IfDefine>\n"
			  "User apache\nGroup apache\n"
			  "Include /etc/apache2/vhosts.d/*.conf\n" },
			{ "/etc/apache2/vhosts.d/*.conf", "/etc/apache2/vhosts.d/00_default_vhost.conf",
			  "<IfDefine DEFAULT_VHOST>\nListen 80\n"
			  "<VirtualHost *:80>\n\tDocumentRoot \"/var/www/localhost/htdocs\"\n"
			  "</VirtualHost>\n</IfDefine>\n" },
		},
	},
	{
		.name = "alpine",
		.family = "alpine",
		.files = { { NULL, "/etc/apache2/httpd.conf",
			     "ServerRoot /var/www\n"
			     "Listen 80\n"
			     "LoadModule mpm_prefork_module modules/mod_mpm_prefork.so\n"
			     "#LoadModule mpm_event_module modules/mod_mpm_event.so\n"
			     STOCK_CGI_LINES("modules")
			     "User apache\nGroup apache\n"
			     "DocumentRoot \"/var/www/localhost/htdocs\"\n"
			     "ErrorLog logs/error.log\n"
			     "IncludeOptional /etc/apache2/conf.d/*.conf\n" } },
	},
	{
		.name = "freebsd",
		.family = "freebsd",
		.files = { { NULL, "/usr/local/etc/apache24/httpd.conf",
			     "ServerRoot \"/usr/local\"\n"
			     "Listen 80\n"
			     "LoadModule mpm_event_module libexec/apache24/mod_mpm_event.so\n"
			     "#LoadModule mpm_prefork_module libexec/apache24/mod_mpm_prefork.so\n"
			     STOCK_CGI_LINES("libexec/apache24")
			     "User www\nGroup www\n"
			     "DocumentRoot \"/usr/local/www/apache24/data\"\n"
			     "ErrorLog \"/var/log/httpd-error.log\"\n"
			     "    ScriptAlias /cgi-bin/ \"/usr/local/www/apache24/cgi-bin/\"\n"
			     "Include etc/apache24/Includes/*.conf\n" } },
	},
	{
		.name = "homebrew",
		.family = "homebrew",
		.files = { { NULL, "/opt/homebrew/etc/httpd/httpd.conf",
			     "ServerRoot \"/opt/homebrew/opt/httpd\"\n"
			     "Listen 8080\n"
			     "LoadModule mpm_prefork_module lib/httpd/modules/mod_mpm_prefork.so\n"
			     STOCK_CGI_LINES("lib/httpd/modules")
			     "User _www\nGroup _www\n"
			     "DocumentRoot \"/opt/homebrew/var/www\"\n"
			     "ErrorLog \"/opt/homebrew/var/log/httpd/error_log\"\n" } },
	},
	{
		.name = "upstream",
		.family = "upstream",
		.files = { { NULL, "/usr/local/apache2/conf/httpd.conf",
			     "ServerRoot \"/usr/local/apache2\"\n"
			     "Listen 127.0.0.1:8080\n"
			     "LoadModule mpm_worker_module modules/mod_mpm_worker.so\n"
			     "LoadModule cgid_module modules/mod_cgid.so\n"
			     "User daemon\n"
			     "DocumentRoot \"/usr/local/apache2/htdocs\"\n"
			     "ErrorLog \"logs/error_log\"\n" } },
	},
	{
		/* built with a static MPM, nothing but defaults */
		.name = "upstream-static",
		.family = "upstream",
		.files = { { NULL, "/usr/local/apache2/conf/httpd.conf",
			     "# nothing but comments\n" } },
	},
};

const size_t n_host_fixtures = ELEMENTSOF(host_fixtures);

const struct host_fixture *
host_fixture(const char *name)
{
	for (size_t i = 0; i < n_host_fixtures; i++)
		if (streq(host_fixtures[i].name, name))
			return &host_fixtures[i];
	fprintf(stderr, "no host fixture '%s'\n", name);
	abort();
}

struct walk {
	const struct host_fixture *h;
	struct model *m;
	char **includes;
};

static int walk_file(struct walk *w, const struct conf_file *f);

static int
walk_item(const struct scan_item *it, void *userdata)
{
	struct walk *w = userdata;
	_cleanup_free_ char *inc = NULL;
	bool optional = false;
	int r = model_feed(w->m, it, &inc, &optional);

	if (r < 0 || !inc)
		return r;
	r = strv_extend(&w->includes, inc);
	for (size_t i = 1; r >= 0 && i < FIXTURE_MAX_FILES && w->h->files[i].path; i++)
		if (streq(w->h->files[i].pattern, inc))
			r = walk_file(w, &w->h->files[i]);
	return r;
}

static int
walk_file(struct walk *w, const struct conf_file *f)
{
	int r = model_enter_file(w->m, f->path);

	if (r < 0)
		return r;
	r = scan_text(f->text, strlen(f->text), walk_item, w);
	model_leave_file(w->m);
	return r;
}

int
fixture_feed(const struct host_fixture *h, struct model *m, char ***ret_includes)
{
	struct walk w = { .h = h, .m = m };
	int r = walk_file(&w, &h->files[0]);

	if (r >= 0 && ret_includes)
		*ret_includes = TAKE_PTR(w.includes);
	strv_free(w.includes);
	return r;
}

int
fixture_model(const struct host_fixture *h, struct model *m, char ***ret_includes)
{
	const struct family *fam = layout_family_by_name(h->family);
	int r;

	if (!fam)
		return -EINVAL;
	r = model_init(m, fam->server_root);
	for (size_t i = 0; r >= 0 && i < ELEMENTSOF(h->defines) && h->defines[i]; i++)
		r = model_define(m, h->defines[i], NULL);
	for (size_t i = 0; r >= 0 && i + 1 < ELEMENTSOF(h->vars) && h->vars[i]; i += 2)
		r = model_set_var(m, h->vars[i], h->vars[i + 1]);
	if (r >= 0)
		r = fixture_feed(h, m, ret_includes);
	return r;
}

int
fixture_layout(const struct host_fixture *h, struct model *m, struct layout *l)
{
	int r = fixture_model(h, m, NULL);
	struct diag d = { 0 };

	if (r < 0)
		return r;
	return layout_build(layout_family_by_name(h->family), m, NULL, h->files[0].path, l, &d);
}
