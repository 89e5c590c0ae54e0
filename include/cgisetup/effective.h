/* effective.h - what the whole configuration, as Apache merges it, makes
 * of one directory: whether CGI runs there, which extensions go to
 * cgi-script, who may reach it, and which lines decide each of these.
 *
 * Apache merges per-directory configuration in this order (core.c,
 * ap_core_reorder_directories and the section docs, "How the sections are
 * merged"): directives outside any section first, then <Directory>
 * sections that are not regular expressions, shortest path first (fewest
 * components), sections of equal length in the order they were read; then
 * <DirectoryMatch> and <Directory ~> in the order read; sections inside a
 * <VirtualHost> after the same sections outside it; <Location> last. A
 * <Directory> with wildcards matches the directory's leading components.
 *
 * Pure: it reads a struct model (model.h) built from every file Apache
 * reads, with the conditions (<IfModule>, <IfDefine>) evaluated.
 *
 * Calling sequence:
 *	effective_dir(&model, "/srv/cgi", exts, keep, &e);
 *	... e.exec_cgi, e.access, e.handled[i], e.own, e.defeat ...
 *	effective_release(&e);
 */
#ifndef CGISETUP_EFFECTIVE_H
#define CGISETUP_EFFECTIVE_H

#include <stdbool.h>

#include "cgisetup/model.h"

enum effective_access {
	EFFECTIVE_OPEN,          /* no access rule applies: Apache grants */
	EFFECTIVE_GRANTED,       /* "Require all granted" decides */
	EFFECTIVE_STOCK_DENIED,  /* only the catch-all <Directory /> denies */
	EFFECTIVE_RESTRICTED,    /* an admin's rule decides: it is kept */
};

struct effective {
	bool exec_cgi;
	const struct model_directive *exec_by;   /* the Options line that decides */
	bool *handled;             /* per extension: handed to cgi-script */
	const struct model_directive *set_handler; /* a SetHandler that decides */
	enum effective_access access;
	const struct model_directive *access_by; /* the rule that decides */
	const struct model_section *own;  /* the first <Directory DIR> of the main
					   * server, in a file cgisetup may edit */
	const struct model_section *own_kept; /* the same in a file a package owns:
					       * left alone, a section of cgisetup's own
					       * follows it */
	const struct model_alias *script_alias; /* a ScriptAlias serving DIR */
	/* A line that would turn CGI off again after cgisetup's own section
	 * (written at the end of the main configuration, or completed in
	 * OWN), and why; NULL when none. */
	const struct model_directive *defeat;
	const char *defeat_why;  /* N_() text */
	/* The same, inside a virtual host only: a warning, not a refusal. */
	const struct model_directive *vhost_defeat;
};

/* Fill RET for DIR (canonical, absolute) and the extensions EXTS
 * (NULL-terminated, ".py"). KEEP lists the files cgisetup must not edit
 * (a package's configuration files; may be NULL). -ENOMEM only. */
int effective_dir(const struct model *m, const char *dir, char *const *exts, char *const *keep,
		  struct effective *ret);
/* The same for a request to virtual host VH (-1: the main server, as
 * effective_dir): the main server's sections and VH's own, merged. */
int effective_dir_in(const struct model *m, int vh, const char *dir, char *const *exts,
		     char *const *keep, struct effective *ret);
void effective_release(struct effective *e);

/* The access rule of a <Location> (of the main server or the default
 * virtual host) that decides for the scripts at URL ("/cgi"; "" for "/")
 * when it restricts them, NULL otherwise: <Location> merges last, so such
 * a rule keeps applying whatever cgisetup writes for the directory. */
const struct model_directive *effective_location_rule(const struct model *m, const char *url);

/* Whether every extension is handled (or a ScriptAlias serves DIR). */
bool effective_all_handled(const struct effective *e, char *const *exts);

/* A directory argument as Apache reads it: unquoted, unescaped, without
 * repeated or trailing slashes. NULL when out of memory. */
char *effective_canonical_dir(const char *written);

/* The first active vhost with an Alias, ScriptAlias or DocumentRoot at or
 * above DIR (its own mapping serves DIR); -1 when none. */
int effective_vhost_mapping(const struct model *m, const char *dir);

/* The vhost that serves DIR: the first active one with an Alias,
 * ScriptAlias or DocumentRoot at or above DIR; else the one a request on
 * PORT reaches without a name (model_request_vhost); -1: the main server. */
int effective_vhost_of_dir(const struct model *m, const char *dir, unsigned port);

/* A server-level directive NAME (SuexecUserGroup) in force for vhost VH
 * (-1: the main server): the vhost's own last active one outside any
 * section, else the main server's; NULL when none. */
const struct model_directive *effective_server_directive(const struct model *m, int vh,
							  const char *name);

/* Whether a <Directory> argument names DIR itself: quotes, "\ " escapes,
 * repeated and trailing slashes do not matter. */
bool effective_same_dir(const char *written, const char *dir);

#endif
