/* check.h - why a CGI script does not run: recorded facts in, findings out.
 *
 * Pure rules for `cgisetup --check`. The effects layer records what it saw
 * (the script's mode, owner and first bytes, the mounts, the directories on
 * the path, what is at an interpreter's path, suEXEC and SELinux) and the
 * configuration model (model.h, effective.h); this module turns them into
 * findings, each ok, a warning or a problem, with its cause and the exact
 * fix (a command or a configuration line). Nothing here reads a file or
 * runs anything: what lives at a path is asked through check_probe_fn,
 * which the caller answers from its own records (the unit tests from a
 * table).
 *
 * The texts are N_() formats whose conversions are "%s" only (a
 * translation may number them, "%2$s"); check_render() fills them in,
 * with the English format for --json or the translated one for humans.
 *
 * Calling sequence:
 *	struct findings f = { 0 };
 *	check_config(&config_facts, &f);          once per directory
 *	check_script(&host_facts, &script_facts, &f);   per script
 *	check_log(&fetch_outcome, log_bytes, &f);   after a live fetch
 *	... findings_worst(&f), f.v[i] ...
 *	findings_release(&f);
 */
#ifndef CGISETUP_CHECK_H
#define CGISETUP_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "cgisetup/layout.h"
#include "cgisetup/model.h"

#define CHECK_HEAD_MAX 65536 /* bytes of a script the checks read */
#define FINDING_ARGS 3
/* Apache's PATH when nothing sets one (Debian's envvars, httpd's default). */
#define CHECK_DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

enum finding_level {
	FINDING_OK,
	FINDING_WARNING,
	FINDING_PROBLEM,
};

/* What --fix may do about a finding by itself. */
enum finding_fix {
	FIX_NONE,
	FIX_MODE,    /* chmod to fix_mode (the exec and read bits the run user needs) */
	FIX_CRLF,    /* CRLF -> LF in the whole file */
	FIX_BOM,     /* drop the UTF-8 byte order mark */
	FIX_CONFIG,  /* module, +ExecCGI, handler, Require: the apply path for the directory */
};

struct finding {
	enum finding_level level;
	const char *id;      /* stable key for --json: "exec-bit", "crlf", ... */
	char *subject;       /* the script, the directory or the URL */
	const char *cause;   /* N_() format, "%s" only */
	char *cause_args[FINDING_ARGS];
	const char *fix;     /* N_() format, or NULL (an ok finding) */
	char *fix_args[FINDING_ARGS];
	enum finding_fix autofix;
	unsigned fix_mode;   /* FIX_MODE: the new mode */
};

struct findings {
	struct finding *v;
	size_t n, cap;
};

/* Add a finding: the arguments of CAUSE (as many as it has "%s"), then
 * those of FIX (NULL for none). 0 or -ENOMEM. */
int findings_add(struct findings *f, enum finding_level level, const char *id,
		 const char *subject, enum finding_fix autofix, const char *cause,
		 const char *fix, ...);
void findings_release(struct findings *f);
enum finding_level findings_worst(const struct findings *f);
/* The first finding with ID, or NULL. */
const struct finding *findings_find(const struct findings *f, const char *id);
const char *finding_level_name(enum finding_level l); /* "ok", "warning", "problem" */

/* FMT ("%s" or "%N$s", "%%") filled with ARGS; NULL when out of memory or
 * when FMT has another conversion. */
char *check_render(const char *fmt, char *const *args);

/* What is at a path, as the run user would find it. */
struct check_exe {
	bool exists;
	bool executable;     /* a regular file the run user may execute */
	int python_minor;    /* python3.N behind it (symlinks followed); -1 unknown */
};
typedef int check_probe_fn(const char *path, struct check_exe *ret, void *userdata);

/* The host, once. */
struct check_host {
	const char *run_user;    /* www-data */
	unsigned run_uid, run_gid;
	const char *apache_path; /* the service's PATH (envvars), NULL: CHECK_DEFAULT_PATH */
	const char *unit;        /* the systemd unit ("apache2.service"), or NULL */
	check_probe_fn *probe;
	void *userdata;
	/* suEXEC (suexec -V, SuexecUserGroup): NULL user when not in use */
	const char *suexec_user;
	unsigned suexec_uid;
	const char *suexec_docroot; /* AP_DOC_ROOT */
	long suexec_uid_min;        /* AP_UID_MIN, 0 when unknown */
	/* SELinux: enforcing, and the boolean httpd_enable_cgi */
	bool selinux;
	bool selinux_cgi_bool;
};

enum check_file_kind {
	CHECK_FILE_MISSING,
	CHECK_FILE_REGULAR,
	CHECK_FILE_DIRECTORY,
	CHECK_FILE_SYMLINK,  /* a link is not followed by the checks */
	CHECK_FILE_OTHER,
};

/* One script, as recorded. */
struct check_script {
	const char *path;
	enum check_file_kind kind;
	unsigned mode;        /* st_mode & 07777 */
	unsigned uid, gid;
	const char *owner;    /* the owner's name, NULL when unknown */
	const char *head;     /* the first bytes (at most CHECK_HEAD_MAX), with a NUL
			       * after them (head[head_len] == '\0') */
	size_t head_len;
	const char *noexec_mount;  /* the noexec mount point it is on, or NULL */
	const char *blocked_dir;   /* the first directory the run user cannot search */
	bool script_alias;    /* served by a ScriptAlias: every file there runs */
	const char *selinux_type;  /* its label's type, NULL when unknown */
};

/* TEXT (LEN bytes) without a leading UTF-8 byte order mark and with "\r\n"
 * turned into "\n", or NULL when nothing changes (or out of memory: see
 * *RET_ERR, 0 or -ENOMEM). What --fix writes for FIX_BOM and FIX_CRLF. */
char *check_fix_text(const char *text, size_t len, int *ret_err);

/* The static checks of one script; appends findings (an "ok" one when
 * nothing is wrong). 0 or -ENOMEM. */
int check_script(const struct check_host *h, const struct check_script *s,
		 struct findings *out);

/* The shebang's interpreter and, for "env NAME", the name looked up on
 * the PATH (NULL otherwise). Exposed for the tests. -EINVAL: no "#!". */
int check_shebang(const char *head, size_t len, char **ret_interp, char **ret_env_name);

/* The configuration as Apache merges it, for one directory. */
struct check_config {
	const struct model *model;  /* with the facts (module loaded) */
	const struct model *scopes; /* sections and directives (probe's host.after
				     * when the module is not loaded; else model) */
	const struct layout *layout;
	const char *dir;
	char *const *exts;          /* ".py" ... */
	const char *enable_module;  /* the command that loads cgi_wanted ("a2enmod cgid") */
	bool in_vhost;              /* DIR is served by virtual host VHOST (--vhost): */
	int vhost;                  /* its sections and URL mapping count, not the main's */
};

int check_config(const struct check_config *c, struct findings *out);
/* The URL path DIR is served at ("" for the document root itself); -ENOENT
 * when no Alias, ScriptAlias or DocumentRoot reaches it. */
int check_url_path(const struct model *m, const struct layout *l, const char *dir, char **ret);
/* The same for a request to virtual host VH (-1: check_url_path): its own
 * Alias and ScriptAlias lines first, then the main server's, then its
 * DocumentRoot (the main one when it has none). */
int check_url_path_in(const struct model *m, const struct layout *l, int vh, const char *dir,
		      char **ret);

/* The outcome of a live fetch and the error-log bytes Apache wrote for it. */
struct check_fetch {
	const char *url;
	const char *script;   /* the file it maps to, or NULL */
	bool answered;
	bool timed_out;
	long status;
	const char *content_type;
	const char *body;
	const char *proof;    /* NULL: any 200 that is not the source counts */
	/* suEXEC's own log (AP_LOG_EXEC): its path and the bytes written
	 * during the request, NULL when unknown */
	const char *suexec_log_path;
	const char *suexec_log;
};

/* What `suexec -V` says it was built with (it prints "-D NAME=VALUE"
 * lines on stderr when root asks). */
struct check_suexec_v {
	char *doc_root;       /* AP_DOC_ROOT */
	char *log_exec;       /* AP_LOG_EXEC */
	char *httpd_user;     /* AP_HTTPD_USER */
	char *userdir_suffix; /* AP_USERDIR_SUFFIX */
	char *config_dir;     /* SUEXEC_CONFIG_DIR (Debian's suexec-custom) */
	long uid_min, gid_min; /* AP_UID_MIN, AP_GID_MIN; 0 when not said */
	bool log_syslog;      /* AP_LOG_SYSLOG */
};

/* Parse TEXT (suexec -V's output). 0 or -ENOMEM; release *RET. */
int check_parse_suexec_v(const char *text, struct check_suexec_v *ret);
void check_suexec_v_release(struct check_suexec_v *v);

/* The reason in suEXEC's log LOG ("[TIME]: MESSAGE" lines): the last
 * message that is not its "uid: ... cmd: ..." line; NULL when none. */
char *check_suexec_reason(const char *log);

/* Map the outcome and LOG (may be NULL) to findings. 0 or -ENOMEM. */
int check_log(const struct check_fetch *f, const char *log, struct findings *out);

#endif
