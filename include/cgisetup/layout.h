/* layout.h - which distribution's Apache this is, and where everything lives.
 *
 * The family table holds the per-distribution hints of RESEARCH-apache.md
 * (main config, built-in server root, unit, run user, how modules are
 * enabled). Hints are not truth: layout_build() prefers what the
 * configuration says (struct model) and, above that, what the live server
 * reports (struct live).
 *
 * Calling sequence:
 *	fam = layout_pick_family(os_id, os_like, exists_cb, ud);   (or by config)
 *	... read the configuration into a struct model (probe.h) ...
 *	layout_build(fam, &model, live_or_NULL, &layout, &diag);
 *	layout_release(&layout);
 */
#ifndef CGISETUP_LAYOUT_H
#define CGISETUP_LAYOUT_H

#include <stdbool.h>

#include "cgisetup/diag.h"
#include "cgisetup/live.h"
#include "cgisetup/model.h"

enum module_mechanism {
	MODMECH_LOADMODULE,     /* uncomment or add a LoadModule line */
	MODMECH_DEBIAN_SYMLINK, /* mods-enabled/X.load -> ../mods-available/X.load */
};

struct family {
	const char *name;
	const char *os_ids;      /* space-separated os-release IDs */
	const char *main_config; /* where the main config usually is */
	const char *marker;      /* a path that tells families with the same main config apart */
	const char *server_root; /* built-in ServerRoot */
	const char *unit;        /* systemd unit, or "manager:name" without systemd */
	const char *ctl;         /* control program */
	const char *static_mpm;  /* MPM compiled in when no LoadModule mpm_* */
	const char *user;        /* default run user */
	const char *envvars;     /* shell file with APACHE_* variables, or NULL */
	const char *defines_file; /* shell file with -D options for httpd, or NULL */
	const char *defines_var;
	enum module_mechanism modmech;
	const char *module_dir;  /* where LoadModule finds modules, when no line says */
	const char *cgi_dir;     /* the distribution's customary CGI directory */
};

/* Every known family, the generic upstream layout last. */
const struct family *layout_families(void);
size_t layout_n_families(void);
const struct family *layout_family_by_name(const char *name);

typedef bool (*layout_exists_fn)(const char *path, void *userdata);

/* Pick the family: os-release first, then the paths that exist. NULL when
 * no Apache configuration is found. CONFIG (may be NULL) is a main config
 * given by the user. */
const struct family *layout_pick_family(const char *os_id, const char *os_like,
					const char *config, layout_exists_fn exists,
					void *userdata);

struct layout {
	const struct family *family;
	bool from_live;
	char *main_config;
	char *server_root;
	char *mpm;         /* "event", "worker", "prefork" or NULL when unknown */
	bool threaded;
	char *cgi_loaded;  /* "cgi", "cgid" or NULL */
	char *cgi_wanted;  /* module that matches the MPM */
	char *document_root;
	char *listen_host; /* NULL = any address */
	unsigned listen_port;
	bool listen_tls;   /* the proof speaks https (an HTTPS-only server) */
	char *tls_host;    /* the first TLS Listen's address, NULL = any or none */
	char **names;      /* ServerName and ServerAlias of every active vhost */
	char *vhost_name;  /* --vhost: the Host (and SNI) the proof sends, or NULL */
	char *user;
	char *error_log;
	/* the proof's own log: --vhost's ErrorLog when it has one (resolved),
	 * NULL: error_log; and whether ErrorLog is syslog under a systemd unit
	 * (its lines are in the journal) */
	char *request_error_log;
	bool error_log_journal;
	char *unit;
	char *module_dir;  /* directory of the other modules, for a new LoadModule */
	char **files;      /* every configuration file Apache reads */
};

int layout_build(const struct family *fam, const struct model *m, const struct live *live,
		 const char *main_config, struct layout *ret, struct diag *d);
void layout_release(struct layout *l);

/* Split a Listen argument ("80", "127.0.0.1:8080", "[::]:80 https"). */
int layout_parse_listen(const char *arg, char **ret_host, unsigned *ret_port);

/* Whether a Listen of the model ("443", "8443 https") speaks TLS. */
bool layout_listen_is_tls(const struct model *m, const char *listen);

/* Refuse (exit 2) a main configuration of a Debian multi-instance setup
 * (/etc/apache2-NAME/...); 0 otherwise. */
int layout_refuse_instance(const char *config, struct diag *d);

#endif
