/* layout.c - the family table and the layout it leads to (see layout.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>

#include "cgisetup/layout.h"
#include "cgisetup/util.h"

/* RESEARCH-apache.md, section 2.3. Order matters where two families share a
 * main config path: the one with a marker comes first. */
static const struct family families[] = {
	{
		.name = "debian",
		.os_ids = "debian ubuntu linuxmint raspbian pop",
		.main_config = "/etc/apache2/apache2.conf",
		.server_root = "/etc/apache2",
		.unit = "apache2.service",
		.ctl = "apache2ctl",
		.user = "www-data",
		.envvars = "/etc/apache2/envvars",
		.modmech = MODMECH_DEBIAN_SYMLINK,
		.module_dir = "/usr/lib/apache2/modules",
		.cgi_dir = "/usr/lib/cgi-bin",
	},
	{
		.name = "rhel",
		.os_ids = "rhel centos fedora rocky almalinux ol amzn cloudlinux scientific",
		.main_config = "/etc/httpd/conf/httpd.conf",
		.marker = "/etc/httpd/conf.modules.d",
		.server_root = "/etc/httpd",
		.unit = "httpd.service",
		.ctl = "apachectl",
		.user = "apache",
		.defines_file = "/etc/sysconfig/httpd",
		.defines_var = "OPTIONS",
		.modmech = MODMECH_LOADMODULE,
		.module_dir = "modules",
		.cgi_dir = "/var/www/cgi-bin",
	},
	{
		.name = "arch",
		.os_ids = "arch archarm manjaro endeavouros",
		.main_config = "/etc/httpd/conf/httpd.conf",
		.server_root = "/etc/httpd",
		.unit = "httpd.service",
		.ctl = "apachectl",
		.user = "http",
		.modmech = MODMECH_LOADMODULE,
		.module_dir = "modules",
		.cgi_dir = "/srv/http/cgi-bin",
	},
	{
		.name = "suse",
		.os_ids = "opensuse opensuse-leap opensuse-tumbleweed sles sled suse",
		.main_config = "/etc/apache2/httpd.conf",
		.marker = "/etc/apache2/default-server.conf",
		.server_root = "/etc/apache2",
		.unit = "apache2.service",
		.ctl = "apachectl",
		.static_mpm = "prefork",
		.user = "wwwrun",
		.modmech = MODMECH_LOADMODULE,
		.module_dir = "/usr/lib64/apache2",
		.cgi_dir = "/srv/www/cgi-bin",
	},
	{
		.name = "gentoo",
		.os_ids = "gentoo",
		.main_config = "/etc/apache2/httpd.conf",
		.marker = "/etc/apache2/modules.d",
		.server_root = "/usr/lib64/apache2",
		.unit = "openrc:apache2",
		.ctl = "apache2ctl",
		.user = "apache",
		.defines_file = "/etc/conf.d/apache2",
		.defines_var = "APACHE2_OPTS",
		.modmech = MODMECH_LOADMODULE,
		.module_dir = "modules",
		.cgi_dir = "/var/www/localhost/cgi-bin",
	},
	{
		.name = "alpine",
		.os_ids = "alpine",
		.main_config = "/etc/apache2/httpd.conf",
		.server_root = "/var/www",
		.unit = "openrc:apache2",
		.ctl = "apachectl",
		.user = "apache",
		.modmech = MODMECH_LOADMODULE,
		.module_dir = "modules",
		.cgi_dir = "/var/www/localhost/cgi-bin",
	},
	{
		.name = "freebsd",
		.os_ids = "freebsd",
		.main_config = "/usr/local/etc/apache24/httpd.conf",
		.server_root = "/usr/local",
		.unit = "rc.d:apache24",
		.ctl = "apachectl",
		.user = "www",
		.modmech = MODMECH_LOADMODULE,
		.module_dir = "libexec/apache24",
		.cgi_dir = "/usr/local/www/apache24/cgi-bin",
	},
	{
		.name = "homebrew",
		.os_ids = "macos darwin",
		.main_config = "/opt/homebrew/etc/httpd/httpd.conf",
		.server_root = "/opt/homebrew/opt/httpd",
		.unit = "brew:httpd",
		.ctl = "apachectl",
		.user = "_www",
		.modmech = MODMECH_LOADMODULE,
		.module_dir = "lib/httpd/modules",
		.cgi_dir = "/opt/homebrew/var/www/cgi-bin",
	},
	{
		.name = "upstream",
		.os_ids = "",
		.main_config = "/usr/local/apache2/conf/httpd.conf",
		.server_root = "/usr/local/apache2",
		.unit = "httpd.service",
		.ctl = "apachectl",
		.static_mpm = "event",
		.user = "daemon",
		.modmech = MODMECH_LOADMODULE,
		.module_dir = "modules",
		.cgi_dir = "/usr/local/apache2/cgi-bin",
	},
};

const struct family *
layout_families(void)
{
	return families;
}

size_t
layout_n_families(void)
{
	return ELEMENTSOF(families);
}

const struct family *
layout_family_by_name(const char *name)
{
	for (size_t i = 0; i < ELEMENTSOF(families); i++)
		if (streq(families[i].name, name))
			return &families[i];
	return NULL;
}

/* Whether the space-separated LIST holds WORD. */
static bool
word_in(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; n > 0 && (p = strstr(p, word)); p += n) {
		bool starts = p == list || p[-1] == ' ';
		bool ends = p[n] == '\0' || p[n] == ' ';

		if (starts && ends)
			return true;
	}
	return false;
}

static const struct family *
family_by_os(const char *os_id, const char *os_like)
{
	_cleanup_free_ char *like = strdup(os_like ? os_like : "");
	char *save = NULL;

	if (os_id && *os_id) {
		for (size_t i = 0; i < ELEMENTSOF(families); i++)
			if (word_in(families[i].os_ids, os_id))
				return &families[i];
	}
	for (char *w = like ? strtok_r(like, " ", &save) : NULL; w; w = strtok_r(NULL, " ", &save))
		for (size_t i = 0; i < ELEMENTSOF(families); i++)
			if (word_in(families[i].os_ids, w))
				return &families[i];
	return NULL;
}

static bool
family_matches(const struct family *f, const char *config, layout_exists_fn exists, void *ud)
{
	if (config ? !streq(config, f->main_config) : !exists(f->main_config, ud))
		return false;
	return !f->marker || exists(f->marker, ud);
}

const struct family *
layout_pick_family(const char *os_id, const char *os_like, const char *config,
		   layout_exists_fn exists, void *ud)
{
	const struct family *f = family_by_os(os_id, os_like);

	if (f && (config || exists(f->main_config, ud)))
		return f;
	for (size_t i = 0; i < ELEMENTSOF(families); i++)
		if (family_matches(&families[i], config, exists, ud))
			return &families[i];
	/* A path no family knows (given with --config): a family that has
	 * this layout's marker, else the upstream defaults. */
	for (size_t i = 0; config && i < ELEMENTSOF(families); i++)
		if (families[i].marker && exists(families[i].marker, ud))
			return &families[i];
	return config ? &families[ELEMENTSOF(families) - 1] : NULL;
}

int
layout_parse_listen(const char *arg, char **ret_host, unsigned *ret_port)
{
	const char *colon = strrchr(arg, ':');
	const char *port = colon ? colon + 1 : arg;
	char *host = NULL, *end;
	unsigned long p;

	if (arg[0] == '[' && (!colon || colon < strchr(arg, ']')))
		return -EINVAL; /* "[::1]" without a port */
	errno = 0;
	p = strtoul(port, &end, 10);
	if (errno || end == port || *end || p == 0 || p > 65535)
		return -EINVAL;
	if (colon) {
		host = strndup(arg, (size_t)(colon - arg));
		if (!host)
			return -ENOMEM;
	}
	*ret_host = host;
	*ret_port = (unsigned)p;
	return 0;
}

static char *
mpm_of_model(const struct model *m)
{
	for (size_t i = 0; i < m->n_loaded; i++) {
		const char *rest = startswith(m->loaded[i].name, "mpm_");

		if (rest && endswith(rest, "_module"))
			return strndup(rest, strlen(rest) - 7);
	}
	return NULL;
}

static bool
module_loaded(const struct model *m, const struct live *live, const char *name)
{
	if (live && live->modules)
		return strv_contains(live->modules, name);
	return model_has_module(m, name);
}

static char *
module_dir_of(const struct model *m)
{
	for (size_t i = 0; i < m->n_loaded; i++) {
		const char *path = m->loaded[i].path, *slash = strrchr(path, '/');

		if (slash)
			return strndup(path, (size_t)(slash - path));
	}
	return NULL;
}

static char *
pick(const char *a, const char *b, const char *c)
{
	return xstrdup_or_null(a ? a : b ? b : c);
}

static int
layout_fill_mpm(struct layout *l, const struct model *m, const struct live *live)
{
	if (live && live->mpm) {
		l->mpm = strdup(live->mpm);
		l->threaded = live->threaded;
	} else {
		l->mpm = mpm_of_model(m);
		if (!l->mpm)
			l->mpm = xstrdup_or_null(l->family->static_mpm);
		l->threaded = l->mpm && !streq(l->mpm, "prefork");
	}
	if (module_loaded(m, live, "cgid_module"))
		l->cgi_loaded = strdup("cgid");
	else if (module_loaded(m, live, "cgi_module"))
		l->cgi_loaded = strdup("cgi");
	/* mod_cgi runs under any MPM; mod_cgid only pays off when threaded. */
	l->cgi_wanted = strdup(l->threaded ? "cgid" : "cgi");
	return l->cgi_wanted ? 0 : -ENOMEM;
}

/* Whether an active <VirtualHost> on PORT says SSLEngine on. */
static bool
vhost_tls_on_port(const struct model *m, unsigned port)
{
	for (size_t i = 0; i < m->n_vhosts; i++) {
		const char *p = m->vhosts[i].addrs;

		if (!m->vhosts[i].active || !m->vhosts[i].tls)
			continue;
		/* "*:443 [::]:443": each address's port follows its last ':' */
		while (p && *p) {
			size_t n = strcspn(p, " ");
			const char *colon = memrchr(p, ':', n);

			if (colon && strtoul(colon + 1, NULL, 10) == port)
				return true;
			p += n;
			p += strspn(p, " ");
		}
	}
	return false;
}

bool
layout_listen_is_tls(const struct model *m, const char *listen)
{
	const char *space = strchr(listen, ' ');
	_cleanup_free_ char *addr = space ? strndup(listen, (size_t)(space - listen))
					  : strdup(listen);
	_cleanup_free_ char *host = NULL;
	unsigned port;

	if (!addr || layout_parse_listen(addr, &host, &port) < 0)
		return false;
	/* Apache's default protocol is https on 443, http elsewhere */
	if (space)
		return strcaseeq(space + 1, "https");
	return port == 443 || vhost_tls_on_port(m, port);
}

/* Every ServerName and ServerAlias of the active virtual hosts: the names
 * a redirect may lead to and still be this server. */
static int
layout_fill_names(struct layout *l, const struct model *m)
{
	for (size_t i = 0; i < m->n_vhosts; i++) {
		const struct model_vhost *v = &m->vhosts[i];

		if (!v->active)
			continue;
		if (v->server_name && !strv_contains(l->names, v->server_name) &&
		    strv_extend(&l->names, v->server_name) < 0)
			return -ENOMEM;
		for (size_t k = 0; v->aliases && v->aliases[k]; k++)
			if (!strv_contains(l->names, v->aliases[k]) &&
			    strv_extend(&l->names, v->aliases[k]) < 0)
				return -ENOMEM;
	}
	return 0;
}

/* The Listen the proof reaches: the first plain-HTTP one, else (an
 * HTTPS-only server) the first one that speaks TLS. */
static int
layout_fill_listen(struct layout *l, const struct model *m)
{
	const char *plain = NULL, *tls = NULL;

	l->listen_port = 80;
	for (size_t i = 0; m->listens && m->listens[i]; i++) {
		if (layout_listen_is_tls(m, m->listens[i]))
			tls = tls ? tls : m->listens[i];
		else
			plain = plain ? plain : m->listens[i];
	}
	if (!plain && !tls)
		plain = m->listen;
	if (!plain && !tls)
		return layout_fill_names(l, m);
	_cleanup_free_ char *addr = strndup(plain ? plain : tls, strcspn(plain ? plain : tls, " "));
	if (!addr)
		return -ENOMEM;
	if (layout_parse_listen(addr, &l->listen_host, &l->listen_port) < 0)
		l->listen_port = 80;
	l->listen_tls = !plain;
	if (tls) {
		_cleanup_free_ char *taddr = strndup(tls, strcspn(tls, " "));
		unsigned tport;

		if (!taddr)
			return -ENOMEM;
		if (layout_parse_listen(taddr, &l->tls_host, &tport) < 0)
			l->tls_host = NULL;
	}
	return layout_fill_names(l, m);
}

int
layout_build(const struct family *fam, const struct model *m, const struct live *live,
	     const char *main_config, struct layout *ret, struct diag *d)
{
	struct layout l = { .family = fam, .from_live = live != NULL };
	const struct live none = { 0 };
	int r;

	if (!live)
		live = &none;
	l.main_config = strdup(main_config);
	l.server_root = pick(live->server_root, m->server_root, fam->server_root);
	l.document_root = pick(live->document_root, m->document_root, m->vhost_document_root);
	l.user = pick(live->user, m->user, fam->user);
	l.error_log = live->error_log ? strdup(live->error_log)
		      : m->error_log ? model_resolve(m, m->error_log) : NULL;
	l.unit = strdup(fam->unit);
	l.error_log_journal = m->error_log && startswith(m->error_log, "syslog") &&
			      endswith(fam->unit, ".service");
	l.module_dir = module_dir_of(m);
	if (!l.module_dir)
		l.module_dir = strdup(fam->module_dir);
	if (strv_uniq(live->includes ? live->includes : m->files, &l.files) < 0)
		goto oom;
	r = layout_fill_mpm(&l, m, live == &none ? NULL : live);
	if (r >= 0)
		r = layout_fill_listen(&l, m);
	if (r < 0 || !l.main_config || !l.server_root || !l.unit || !l.module_dir)
		goto oom;
	*ret = l;
	return 0;
oom:
	layout_release(&l);
	return diag_fail(d, ENOMEM, N_("out of memory"));
}

void
layout_release(struct layout *l)
{
	free(l->main_config);
	free(l->server_root);
	free(l->mpm);
	free(l->cgi_loaded);
	free(l->cgi_wanted);
	free(l->document_root);
	free(l->listen_host);
	free(l->tls_host);
	free(l->vhost_name);
	strv_free(l->names);
	free(l->user);
	free(l->error_log);
	free(l->request_error_log);
	free(l->unit);
	free(l->module_dir);
	strv_free(l->files);
	*l = (struct layout){ 0 };
}

int
layout_refuse_instance(const char *config, struct diag *d)
{
	const char *rest = startswith(config, "/etc/apache2-");
	size_t n = rest ? strcspn(rest, "/") : 0;

	if (!rest || n == 0 || rest[n] != '/')
		return 0;
	/* Debian's multi-instance setup (apache2@NAME.service, its own
	 * mods-enabled, envvars suffix and Listen): cgisetup would plan in the
	 * default instance's directories and reload the default unit */
	return diag_usage(d, ENOTSUP,
			  N_("'%s' belongs to the Apache instance '%.*s' (apache2@%.*s.service): "
			     "cgisetup supports only the default instance for now, and would "
			     "change the default instance's files and unit instead"),
			  config, (int)n, rest, (int)n, rest);
}
