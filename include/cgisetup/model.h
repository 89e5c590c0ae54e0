/* model.h - what a configuration says, gathered directive by directive.
 *
 * The model is fed the items of scan.h in the order Apache reads them,
 * across included files, and evaluates <IfModule>, <IfDefine> and ${VAR}
 * as httpd would with the modules and defines known so far. It collects the
 * facts cgisetup needs (server root, loaded modules, document root, Listen,
 * User, ErrorLog, aliases, commented-out LoadModule lines) and tells its
 * caller which Include patterns to expand. It does no I/O: the caller reads
 * the files (see probe.h).
 *
 * Calling sequence:
 *	model_init(&m, default_server_root);
 *	model_define(&m, "NAME", NULL) ...          defines from the command line
 *	model_set_var(&m, "APACHE_RUN_USER", "www-data") ...   envvars
 *	for every file: model_enter_file(&m, path);
 *		for every scan item: model_feed(&m, item, &include);
 *			if include was set, expand it (absolute, may hold a glob)
 *			and recurse, then free it
 *	model_leave_file(&m);
 *	model_release(&m);
 */
#ifndef CGISETUP_MODEL_H
#define CGISETUP_MODEL_H

#include <stdbool.h>

#include "cgisetup/scan.h"

#define MODEL_MAX_DEPTH 64

/* An Alias-like directive: kept whether its section is active or not,
 * because enabling a module may activate it later (Debian's cgi-bin). */
struct model_alias {
	char *directive; /* Alias, ScriptAlias, AliasMatch, ScriptAliasMatch */
	char *url;
	char *path;
	char *file;
	unsigned line;
	int vhost;   /* index in model.vhosts, -1: the main server */
	bool active; /* its enclosing conditional sections are all true */
};

/* The sections that scope per-directory configuration, as Apache merges
 * them (see effective.h). Conditional sections (<IfModule> ...) are not
 * recorded: they only decide whether what they hold is active. */
enum model_section_kind {
	MODEL_SEC_DIRECTORY,  /* <Directory>, <Directory ~ RE>, <DirectoryMatch> */
	MODEL_SEC_LOCATION,   /* <Location>, <Location ~ RE>, <LocationMatch> */
	MODEL_SEC_FILES,      /* <Files>, <FilesMatch> */
	MODEL_SEC_OTHER,      /* <Proxy>, <If>, <Limit>, ...: not modelled */
};

struct model_section {
	enum model_section_kind kind;
	char *arg;    /* the path or pattern, ${VAR} expanded, unquoted */
	char *written; /* the same as written, quotes kept ("${TOOLS}") */
	bool regex;   /* a *Match section or "~ RE" */
	int vhost;    /* index in model.vhosts, -1: the main server */
	const char *file; /* owned by model.files */
	unsigned line;
	bool active;
};

/* A directive that decides CGI, access or a URL mapping, with its scope. */
struct model_directive {
	char *name;    /* as written: Options, Require, AddHandler, Redirect, ... */
	char **args;   /* ${VAR} expanded, unquoted */
	const char *file; /* owned by model.files */
	unsigned line;
	int section;   /* innermost recorded section (index), -1: none */
	int vhost;     /* index in model.vhosts, -1: the main server */
	bool in_authz_block; /* inside <RequireAll>/<RequireAny>/<RequireNone> */
	bool active;
};

struct model_vhost {
	char *addrs;       /* the <VirtualHost> arguments, space-separated */
	char *server_name; /* NULL when it has none */
	char **aliases;    /* ServerAlias names, in order */
	char *document_root; /* its own DocumentRoot, NULL when it inherits */
	char *error_log;   /* its own ErrorLog as written (model_resolve), NULL: the main's */
	bool tls;          /* SSLEngine on inside it */
	const char *file; /* owned by model.files */
	unsigned line;
	bool active;
};

/* A LoadModule line, active or commented out. */
struct model_module {
	char *name; /* cgid_module */
	char *path; /* as written: modules/mod_cgid.so */
	char *file;
	unsigned line;
	unsigned ordinal; /* among commented lines for NAME in FILE, from 1 */
	bool active;      /* its enclosing sections are all true */
};

struct model {
	char *server_root;
	char *document_root;       /* main server */
	char *vhost_document_root; /* first <VirtualHost>'s, as a fallback */
	char *listen;              /* first Listen argument */
	char **listens;            /* every active Listen: "ADDR" or "ADDR PROTOCOL" */
	/* "'UserDir disabled' in 'FILE' line N" while the main server's
	 * UserDir lines disable it for every user (no "UserDir enabled
	 * NAMES" since), else NULL */
	char *userdir_disabled;
	char *user;
	char *group;
	char *error_log;
	char *script_sock; /* mod_cgid's ScriptSock, expanded, as written */
	char *runtime_dir; /* DefaultRuntimeDir, expanded, as written */
	char **files;   /* every file read, in order */
	size_t n_files;
	char **defines; /* Define and -D names */
	char **var_names;
	char **var_values;
	struct model_alias *aliases;
	size_t n_aliases;
	struct model_module *loaded;
	size_t n_loaded;
	struct model_module *commented;
	size_t n_commented;
	struct model_section *sections;
	size_t n_sections, cap_sections;
	struct model_directive *directives;
	size_t n_directives, cap_directives;
	struct model_vhost *vhosts;
	size_t n_vhosts;
	char **assumed_modules; /* treated as loaded: the plan will load them */

	/* walking state */
	bool active[MODEL_MAX_DEPTH];
	char *section[MODEL_MAX_DEPTH];
	unsigned depth;
	unsigned vhost_level; /* depth of the innermost <VirtualHost>, 0 = none */
	int section_at[MODEL_MAX_DEPTH]; /* recorded section opened at a depth, or -1 */
	unsigned authz_depth; /* open <Require*> blocks */
	const char *file_stack[MODEL_MAX_DEPTH]; /* into files */
	unsigned file_depth[MODEL_MAX_DEPTH];    /* section depth when entered */
	unsigned section_line[MODEL_MAX_DEPTH];  /* where each open section opened */
	char **warnings; /* English: what Apache would refuse, with file and line */
	unsigned n_files_open;
};

int model_init(struct model *m, const char *default_server_root);
void model_release(struct model *m);
/* Free the recorded sections, directives and virtual hosts (the facts,
 * aliases and modules stay): for a model no longer asked about scopes. */
void model_drop_scopes(struct model *m);
int model_define(struct model *m, const char *name, const char *value);
int model_set_var(struct model *m, const char *name, const char *value);
int model_enter_file(struct model *m, const char *path);
void model_leave_file(struct model *m);

/* Feed one item. When it is an active Include/IncludeOptional, set
 * *ret_include to the absolute pattern and *ret_optional accordingly. */
int model_feed(struct model *m, const struct scan_item *item, char **ret_include,
	       bool *ret_optional);

/* Evaluate <IfModule NAME> as if NAME ("cgid_module") were loaded: the
 * configuration as Apache will read it once the plan loaded the module.
 * Call before feeding. */
int model_assume_module(struct model *m, const char *name);

/* The active virtual hosts NAME names: its ServerName or a ServerAlias
 * (without case), or the file it is in ("shop" or "shop.conf" for
 * sites-enabled/shop.conf): every copy of one site, its :80 and :443
 * definitions. Sets *RET (indices into m->vhosts, free it) and *RET_N; 0,
 * or -ENOMEM. */
int model_find_vhosts(const struct model *m, const char *name, size_t **ret, size_t *ret_n);
/* The vhost Apache picks for a request with Host NAME (NULL: none) on
 * PORT: the first active one on that port whose ServerName or ServerAlias
 * is NAME, else the first on that port (the port's default); -1 when none
 * is on that port (the main server answers). A vhost without a port in
 * its address is on every port; address-based matching is not modelled. */
int model_request_vhost(const struct model *m, const char *name, unsigned port);
/* The position of vhost I among the <VirtualHost> sections of its file,
 * from 1, in the order they are written. */
unsigned model_vhost_ordinal(const struct model *m, size_t i);
/* The port of vhost I's first address ("*:443" gives 443), 0 when none. */
unsigned model_vhost_port(const struct model *m, size_t i);

/* Whether the module named "cgid_module" or "mod_cgid.c" is loaded. */
bool model_has_module(const struct model *m, const char *name);
/* Make PATH absolute against the server root (no change when absolute). */
char *model_resolve(const struct model *m, const char *path);
/* Replace ${VAR} with defined values; unknown ones stay as written. */
char *model_expand(const struct model *m, const char *s);
/* The ScriptSock of a module's own configuration file TEXT (Debian's
 * mods-available/cgid.conf, which a2enmod enables with the module), when
 * the files read so far set none. */
int model_feed_script_sock(struct model *m, const char *text, size_t len);
/* Where mod_cgid's daemon listens, without the ".PID" mod_cgid appends:
 * ScriptSock (default "cgisock") under DefaultRuntimeDir (default "logs"
 * under ServerRoot) unless absolute. NULL when out of memory. */
char *model_cgid_socket(const struct model *m);

#endif
