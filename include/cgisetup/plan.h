/* plan.h - the ordered, idempotent list of changes, each with its reason.
 *
 * plan_build() is a pure function of what the user asked for (request), the
 * layout, what the configuration holds today (model + confview) and what
 * the CGI directory holds today (dirview). An empty plan means "already
 * configured". Effects carry the plan out (confedit.h for the configuration,
 * fsops.h for files), and dry-run renders it instead.
 */
#ifndef CGISETUP_PLAN_H
#define CGISETUP_PLAN_H

#include <stdbool.h>
#include <sys/types.h>

#include "cgisetup/diag.h"
#include "cgisetup/effective.h"
#include "cgisetup/layout.h"
#include "cgisetup/model.h"
#include "cgisetup/request.h"

/* What the main configuration holds today for the CGI directory (the
 * Augeas side fills it, see confedit.h). */
struct confview {
	bool block_found;      /* a top-level <Directory> for the directory */
	bool has_options;      /* the block has an Options directive */
	char **options;        /* the arguments of its first Options */
	char **handled_exts;   /* lowercase extensions given to cgi-script */
	bool all_handled;      /* SetHandler cgi-script */
	bool has_require;      /* any Require: the admin's access rule is kept */
	bool has_marker;
};

struct dirent_view {
	char *name;
	mode_t mode;
	bool regular; /* a regular file (symlinks are never followed) */
	unsigned long nlink; /* hard links: more than one, the file is also elsewhere */
};

/* What the CGI directory holds today (fsops.h fills it). */
struct dirview {
	bool exists;
	bool is_dir;
	bool is_symlink;
	mode_t mode;
	struct dirent_view *entries;
	size_t n_entries;
	char *hello_content; /* hello.py's bytes when it exists */
};

enum change_kind {
	CHANGE_MKDIR,
	CHANGE_WRITE,
	CHANGE_CHMOD,
	CHANGE_SYMLINK,
	CHANGE_CONF_ALIAS,
	CHANGE_CONF_BLOCK,      /* a new <Directory> section with the marker */
	CHANGE_CONF_MARKER,     /* the marker in an existing section */
	CHANGE_CONF_OPTIONS,    /* set Options to args (replacing existing ones) */
	CHANGE_CONF_HANDLER,    /* AddHandler cgi-script args */
	CHANGE_CONF_REQUIRE,    /* Require all granted */
	CHANGE_CONF_MODULE_UNCOMMENT, /* path: file, arg: module name, ordinal */
	CHANGE_CONF_MODULE_ADD, /* path: file, arg: module name, args[0]: .so path */
};

struct change {
	enum change_kind kind;
	char *path;     /* the file or directory it acts on (inside root) */
	char *arg;
	char **args;
	char *content;  /* CHANGE_WRITE */
	mode_t mode;
	mode_t old_mode;
	unsigned ordinal; /* MODULE_UNCOMMENT: which line; ALIAS, BLOCK: inside the
			   * ORDINAL-th <VirtualHost> of PATH (0: at its top level) */
	bool grant;      /* CHANGE_CONF_BLOCK: with "Require all granted" */
	const char *why; /* N_() text */
};

struct plan {
	struct change *changes;
	size_t n_changes;
	char *url_path;       /* "/cgi": no trailing slash */
	bool alias_needed;
	bool module_enabled;  /* the plan loads a CGI module that was not loaded */
	char *hello_path;
	/* The transient script the HTTP check fetches (NULL when the input
	 * had no probe token): a name only cgisetup writes, so the check
	 * never runs the user's own hello.py. */
	char *probe_path;
	char *probe_url_path; /* "/cgi/cgisetup-probe-<token>.py" */
	/* "'Require ip 10.0.0.0/8' in 'FILE' line N" when an admin's access
	 * rule decides who reaches DIR (EFFECTIVE_RESTRICTED), else NULL: a
	 * 401/403 from the check is then expected (verdict_outcome()). */
	char *restricted_by;
	char **warnings;      /* English, N_() marked formats already expanded */
};

struct plan_input {
	const struct request *req;
	const struct layout *layout;
	const struct model *model;
	const struct confview *view;  /* of BLOCK_FILE */
	const struct effective *eff;  /* the whole configuration's view of DIR */
	const char *block_file;       /* where DIR's section is (completed) or goes */
	const struct dirview *dir;
	bool module_load_available; /* Debian: mods-available/X.load exists */
	bool module_conf_available; /* Debian: mods-available/X.conf exists */
	const char *hello_content;  /* rendered template */
	const char *probe_token;    /* random, [0-9a-f]; NULL: no probe */
	/* --vhost: every copy of the virtual host (indices into model->vhosts)
	 * and, for each, the file to edit (its symlink resolved); the URL
	 * mapping and the section go inside each copy, nowhere else */
	const size_t *vhosts;
	size_t n_vhosts;
	char *const *vhost_files;
	/* --userdir: a user whose ~/public_html/cgi-bin exists (the probe
	 * goes there), NULL when none; whether mod_userdir is loaded, and
	 * (Debian) whether mods-available/userdir.{load,conf} exist */
	const char *userdir_user;
	bool userdir_loaded;
	bool userdir_load_available;
	bool userdir_conf_available;
};

int plan_build(const struct plan_input *in, struct plan *ret, struct diag *d);
void plan_release(struct plan *p);
bool plan_changes_config(const struct plan *p);

/* Options arguments that add ExecCGI while staying valid httpd syntax (all
 * arguments prefixed with +/-, or none). Returns 1 and sets *ret when a
 * change is needed, 0 when ExecCGI is already on. */
int plan_options_with_execcgi(char *const *args, char ***ret);

/* Compare directory arguments as Apache does: quotes, "\ " escapes, repeated
 * and trailing slashes do not matter. */
bool plan_same_dir(const char *written, const char *dir);

/* What the directory REQ->dir is today may refuse it: a symbolic link,
 * not a directory, or world-writable without REQ->force (-EPERM, the one
 * refusal --force lifts). */
int plan_check_dir(const struct request *req, const struct dirview *dv, struct diag *d);

/* The URL path REQ's directory will be served at (REQ->url_path when given,
 * an existing Alias for the directory, its place below the document root,
 * or a free "/" + its name), and whether an Alias must be added. */
int plan_url_path(const struct model *m, const struct layout *l, const struct request *req,
		  char **ret_url, bool *ret_alias, struct diag *d);

/* The probe's file name for TOKEN: "cgisetup-probe-TOKEN.py" (no leading dot:
 * hardened servers deny dot files with <FilesMatch "^\.">), or with
 * the first of EXTS when ".py" is not among them (the probe has a
 * shebang: it runs whatever its extension). */
char *plan_probe_name(char *const *exts, const char *token);

/* The URL path cgisetup uses for DIR when the user gave none. */
char *plan_default_url_path(const struct model *m, const char *dir);

#endif
