/* diagnose.c - record what --check needs to know and ask check.h's rules
 * (see diagnose.h). Reads only; never runs a script. */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include "cgisetup/diagnose.h"
#include "cgisetup/effective.h"
#include "cgisetup/fetch.h"
#include "cgisetup/fsops.h"
#include "cgisetup/journal.h"
#include "cgisetup/journald.h"
#include "cgisetup/spawn.h"
#include "cgisetup/undo.h"
#include "cgisetup/util.h"
#include "cgisetup/verify.h"

#define FETCH_TIMEOUT_MS 15000
#define LOG_MAX 65536
#define LOG_SETTLE_MS 1000  /* how long to wait for the lines of an error answer */
#define MAX_GROUPS 64
#define SUEXEC_TIMEOUT_MS 5000

/* Who the scripts run as, and the facts shared by every script. */
struct ctx {
	const struct request *req;
	const char *root;
	struct diagnose *dg;
	struct check_host h;
	uid_t uid;
	gid_t groups[MAX_GROUPS];
	int n_groups;
	char *enable_module;
	struct check_suexec_v suexec; /* suexec -V, on the real system */
	char *suexec_docroot;         /* suexec-custom's document root, from its file */
	char **jdirs, **jvhosts;      /* the journal's --vhost directories and their names */
};

/* ---- the run user ---- */

static int
run_user(struct ctx *c, const char *name)
{
	_cleanup_free_ char *passwd = NULL;
	struct passwd *pw = NULL;
	FILE *f;

	if (!name)
		return -ENOENT;
	if (!*c->root) {
		pw = getpwnam(name);
		if (pw) {
			c->uid = pw->pw_uid;
			c->n_groups = MAX_GROUPS;
			if (getgrouplist(name, pw->pw_gid, c->groups, &c->n_groups) < 0)
				c->n_groups = 0;
		}
	} else {
		passwd = fsops_path(c->root, "/etc/passwd");
		f = passwd ? fopen(passwd, "re") : NULL;
		while (f && (pw = fgetpwent(f)) && !streq(pw->pw_name, name))
			;
		if (pw) {
			c->uid = pw->pw_uid;
			c->groups[0] = pw->pw_gid;
			c->n_groups = 1;
		}
		if (f)
			fclose(f);
	}
	if (!pw)
		return -ENOENT;
	c->h.run_uid = (unsigned)c->uid;
	c->h.run_gid = c->n_groups > 0 ? (unsigned)c->groups[0] : (unsigned)-1;
	return 0;
}

/* Whether the run user has BITS (4 read, 1 execute/search) on ST. */
static bool
run_user_may(const struct ctx *c, const struct stat *st, unsigned bits)
{
	if (c->uid == 0)
		return true;
	if (st->st_uid == c->uid)
		return ((st->st_mode >> 6) & bits) == bits;
	for (int i = 0; i < c->n_groups; i++)
		if (st->st_gid == c->groups[i])
			return ((st->st_mode >> 3) & bits) == bits;
	return (st->st_mode & bits) == bits;
}

/* ---- files inside --root ---- */

/* The host path of PATH with its links resolved inside the root. */
static char *
host_path(const struct ctx *c, const char *path, char **ret_resolved)
{
	_cleanup_free_ char *resolved = NULL;
	char *p;

	if (fsops_resolve(c->root, path, &resolved) < 0)
		resolved = strdup(path);
	p = resolved ? fsops_path(c->root, resolved) : NULL;
	if (ret_resolved)
		*ret_resolved = TAKE_PTR(resolved);
	return p;
}

static int
probe_exe(const char *path, struct check_exe *ret, void *userdata)
{
	const struct ctx *c = userdata;
	_cleanup_free_ char *resolved = NULL;
	_cleanup_free_ char *hp = host_path(c, path, &resolved);
	struct stat st;
	const char *base, *minor;

	*ret = (struct check_exe){ .python_minor = -1 };
	if (!hp)
		return -ENOMEM;
	if (stat(hp, &st) < 0)
		return -errno;
	ret->exists = true;
	ret->executable = S_ISREG(st.st_mode) && run_user_may(c, &st, 1);
	base = strrchr(resolved, '/') ? strrchr(resolved, '/') + 1 : resolved;
	if ((minor = startswith(base, "python3.")))
		ret->python_minor = (int)strtol(minor, NULL, 10);
	return 0;
}

/* ---- the facts of a directory, shared by its scripts ---- */

struct dir_facts {
	char *blocked;      /* the first directory the run user cannot search */
	char *noexec;       /* the noexec mount point, or NULL */
	bool script_alias;
};

static void
dir_facts_release(struct dir_facts *f)
{
	free(f->blocked);
	free(f->noexec);
}

/* Whether the run user may search PREFIX (a directory): 1 yes, 0 no. */
static int
searchable(const struct ctx *c, const char *prefix)
{
	_cleanup_free_ char *hp = fsops_path(c->root, prefix);
	struct stat st;

	if (!hp)
		return -ENOMEM;
	return stat(hp, &st) < 0 || !S_ISDIR(st.st_mode) || run_user_may(c, &st, 1);
}

/* The first directory on DIR's path (from "/") the run user cannot search. */
static int
find_blocked(const struct ctx *c, const char *dir, char **ret)
{
	size_t len = strlen(dir);
	int r = searchable(c, "/");

	if (r == 0)
		*ret = strdup("/");
	for (size_t n = 2; r > 0 && n <= len; n++) {
		_cleanup_free_ char *prefix = NULL;

		if (n < len && dir[n] != '/')
			continue;
		prefix = strndup(dir, n);
		r = prefix ? searchable(c, prefix) : -ENOMEM;
		if (r == 0)
			*ret = TAKE_PTR(prefix);
	}
	return r < 0 ? r : 0;
}

/* The mount point of DIR when it is mounted noexec. */
static int
find_noexec(const struct ctx *c, const char *dir, char **ret)
{
	_cleanup_free_ char *hp = fsops_path(c->root, dir), *mnt = strdup(dir);
	struct statvfs vfs;
	struct stat st, up;

	if (!hp || !mnt)
		return -ENOMEM;
	if (statvfs(hp, &vfs) < 0 || !(vfs.f_flag & ST_NOEXEC) || stat(hp, &st) < 0)
		return 0;
	/* up while the parent is on the same file system */
	for (;;) {
		char *slash = strrchr(mnt, '/');
		_cleanup_free_ char *parent = NULL, *hparent = NULL;

		if (!slash || streq(mnt, "/"))
			break;
		parent = slash == mnt ? strdup("/") : strndup(mnt, (size_t)(slash - mnt));
		hparent = parent ? fsops_path(c->root, parent) : NULL;
		if (!hparent)
			return -ENOMEM;
		if (stat(hparent, &up) < 0 || up.st_dev != st.st_dev)
			break;
		free(mnt);
		mnt = TAKE_PTR(parent);
	}
	*ret = TAKE_PTR(mnt);
	return 0;
}

/* The uid of user NAME ("#UID" as SuexecUserGroup allows), from the
 * system's or the --root tree's passwd; -ENOENT when unknown. */
static int
user_uid(const struct ctx *c, const char *name, unsigned *ret)
{
	_cleanup_free_ char *passwd = NULL;
	struct passwd *pw = NULL;
	FILE *f;

	if (name[0] == '#') {
		*ret = (unsigned)strtoul(name + 1, NULL, 10);
		return 0;
	}
	if (!*c->root) {
		pw = getpwnam(name);
		if (pw)
			*ret = pw->pw_uid;
		return pw ? 0 : -ENOENT;
	}
	passwd = fsops_path(c->root, "/etc/passwd");
	f = passwd ? fopen(passwd, "re") : NULL;
	while (f && (pw = fgetpwent(f)) && !streq(pw->pw_name, name))
		;
	if (pw)
		*ret = pw->pw_uid;
	if (f)
		fclose(f);
	return pw ? 0 : -ENOENT;
}

/* suEXEC for DIR's scripts: the SuexecUserGroup in force for the vhost
 * that serves DIR (Apache refuses the directive when suEXEC is off, so it
 * being there means suEXEC runs them), with suexec -V's rules. */
static void
suexec_of_dir(struct ctx *c, const char *dir)
{
	const struct model *m = probe_effective_model(&c->dg->host);
	int vh = effective_vhost_of_dir(m, dir, c->dg->host.layout.listen_port);
	const struct model_directive *d = effective_server_directive(m, vh, "SuexecUserGroup");

	c->h.suexec_user = NULL;
	if (!d || !d->args[0] || user_uid(c, d->args[0], &c->h.suexec_uid) < 0)
		return;
	c->h.suexec_user = d->args[0];
	c->h.suexec_docroot = c->suexec.doc_root ? c->suexec.doc_root : c->suexec_docroot;
	c->h.suexec_uid_min = c->suexec.uid_min;
}

static int
dir_facts(struct ctx *c, const char *dir, struct dir_facts *ret)
{
	const struct model *m = probe_effective_model(&c->dg->host);
	struct effective e = { 0 };
	int r = find_blocked(c, dir, &ret->blocked);

	suexec_of_dir(c, dir);

	if (r == 0)
		r = find_noexec(c, dir, &ret->noexec);
	if (r == 0)
		r = effective_dir(m, dir, c->req->exts, NULL, &e);
	if (r == 0) {
		ret->script_alias = e.script_alias != NULL;
		effective_release(&e);
	}
	return r;
}

/* ---- one script ---- */

static char *
selinux_type(const char *hp)
{
	char label[256];
	ssize_t n = getxattr(hp, "security.selinux", label, sizeof(label) - 1);
	char *type;

	if (n <= 0)
		return NULL;
	label[n] = '\0';
	/* user:role:type:level */
	type = strchr(label, ':');
	type = type ? strchr(type + 1, ':') : NULL;
	return type ? strndup(type + 1, strcspn(type + 1, ":")) : NULL;
}

static int
read_head(const char *hp, char **ret, size_t *ret_len)
{
	_cleanup_free_ char *buf = malloc(CHECK_HEAD_MAX + 1);
	int fd = open(hp, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	ssize_t n;

	if (!buf)
		return -ENOMEM;
	if (fd < 0)
		return -errno;
	n = fsops_pread_all(fd, buf, CHECK_HEAD_MAX, 0);
	close(fd);
	if (n < 0)
		return (int)n;
	buf[n] = '\0';
	*ret = TAKE_PTR(buf);
	*ret_len = (size_t)n;
	return 0;
}

static int
check_one(struct ctx *c, const char *path, const struct dir_facts *df)
{
	_cleanup_free_ char *hp = host_path(c, path, NULL), *head = NULL, *type = NULL;
	struct passwd *pw;
	struct check_script s = { .path = path, .kind = CHECK_FILE_MISSING, .head = "",
				  .blocked_dir = df->blocked, .noexec_mount = df->noexec,
				  .script_alias = df->script_alias };
	struct stat st;
	int r;

	if (!hp)
		return -ENOMEM;
	if (stat(hp, &st) == 0) {
		s.kind = S_ISREG(st.st_mode) ? CHECK_FILE_REGULAR
			 : S_ISDIR(st.st_mode) ? CHECK_FILE_DIRECTORY : CHECK_FILE_OTHER;
		s.mode = st.st_mode & 07777;
		s.uid = st.st_uid;
		s.gid = st.st_gid;
		pw = *c->root ? NULL : getpwuid(st.st_uid);
		s.owner = pw ? pw->pw_name : NULL;
	}
	if (s.kind == CHECK_FILE_REGULAR) {
		r = read_head(hp, &head, &s.head_len);
		if (r < 0)
			return r;
		s.head = head;
		type = c->h.selinux ? selinux_type(hp) : NULL;
		s.selinux_type = type;
	}
	c->dg->n_scripts++;
	return check_script(&c->h, &s, &c->dg->findings);
}

/* ---- a directory ---- */

static bool
handled_name(const struct ctx *c, const char *name, bool script_alias)
{
	const char *dot = strrchr(name, '.');

	if (name[0] == '.')
		return false;
	if (script_alias)
		return true;
	return dot && strv_contains_case(c->req->exts, dot);
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
list_scripts(const struct ctx *c, const char *dir, bool script_alias, char ***ret)
{
	_cleanup_free_ char *hp = host_path(c, dir, NULL);
	_cleanup_strv_free_ char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	DIR *d;

	if (!hp)
		return -ENOMEM;
	d = opendir(hp);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (de->d_type == DT_DIR || !handled_name(c, de->d_name, script_alias))
			continue;
		if (strv_push_n(&names, &n, strdup(de->d_name)) < 0) {
			closedir(d);
			return -ENOMEM;
		}
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof(*names), cmp_names);
	*ret = TAKE_PTR(names);
	return 0;
}

/* The directories the journal says were set up with --vhost NAME, and
 * the names: their configuration is that vhost's (its merge has the main
 * server's sections too, so a later server-wide setup, or a --fix entry,
 * which records no vhost, changes nothing). A journal that cannot be
 * read leaves the list empty (the main server's view). */
static int
journal_vhost_dirs(struct ctx *c)
{
	struct undo u = { 0 };
	struct diag scratch = { 0 };
	struct request ro = *c->req;

	ro.dry_run = true; /* only read it: an interrupted run's recovery is not this lookup's */
	if (undo_status(&ro, &u, &scratch) < 0)
		return 0;
	for (size_t i = 0; i < u.n_applied; i++) {
		const char *dir = txn_get_meta(u.applied[i], "dir"), *name = NULL;

		if (!dir || undo_entry_scope(u.applied[i], &name) != SCOPE_VHOST || !name)
			continue;
		if (strv_extend(&c->jdirs, dir) < 0 || strv_extend(&c->jvhosts, name) < 0) {
			undo_release(&u);
			return -ENOMEM;
		}
	}
	undo_release(&u);
	return 0;
}

/* The vhost (its copy on the layout's port) whose configuration decides
 * for DIR, -1 for the main server: the latest --vhost entry for DIR in the
 * journal, else a vhost whose own Alias, ScriptAlias or DocumentRoot maps
 * DIR (an admin's site: the main server alone would not serve it). Its
 * name, for the Host of a fetch, in *RET_NAME (may be NULL; stays NULL
 * for a vhost without a name). */
static int
dir_vhost(const struct ctx *c, const char *dir, const char **ret_name)
{
	const struct layout *l = &c->dg->host.layout;
	const struct model *m = &c->dg->host.model;
	int vh = -1;

	for (size_t i = 0; c->jdirs && c->jdirs[i]; i++)
		if (streq(c->jdirs[i], dir)) {
			vh = model_request_vhost(m, c->jvhosts[i], l->listen_port);
			if (ret_name)
				*ret_name = c->jvhosts[i];
		}
	if (vh >= 0 || (vh = effective_vhost_mapping(m, dir)) < 0)
		return vh;
	if (ret_name)
		*ret_name = m->vhosts[vh].server_name;
	return vh;
}

static int
check_config_of(struct ctx *c, const char *dir)
{
	int vh = dir_vhost(c, dir, NULL);
	struct check_config cc = {
		.model = &c->dg->host.model, .scopes = probe_effective_model(&c->dg->host),
		.layout = &c->dg->host.layout, .dir = dir, .exts = c->req->exts,
		.enable_module = c->enable_module, .in_vhost = vh >= 0, .vhost = vh,
	};

	if (strv_extend(&c->dg->dirs, dir) < 0)
		return -ENOMEM;
	return check_config(&cc, &c->dg->findings);
}

static int
check_dir(struct ctx *c, const char *dir)
{
	struct dir_facts df = { 0 };
	_cleanup_strv_free_ char **names = NULL;
	int r = check_config_of(c, dir);

	if (r == 0)
		r = dir_facts(c, dir, &df);
	if (r == 0)
		r = list_scripts(c, dir, df.script_alias, &names);
	if (r == -ENOENT || r == -ENOTDIR)
		r = findings_add(&c->dg->findings, FINDING_PROBLEM, "missing", dir, FIX_NONE,
				 N_("'%s' does not exist"), N_("check the path: ls -l %s"), dir, dir);
	for (size_t i = 0; r == 0 && names && names[i]; i++) {
		_cleanup_free_ char *path = path_join(dir, names[i]);

		r = path ? check_one(c, path, &df) : -ENOMEM;
	}
	dir_facts_release(&df);
	return r;
}

static int
check_file(struct ctx *c, const char *path)
{
	_cleanup_free_ char *dir = strdup(path);
	struct dir_facts df = { 0 };
	char *slash;
	int r;

	if (!dir)
		return -ENOMEM;
	slash = strrchr(dir, '/');
	*(slash == dir ? slash + 1 : slash) = '\0';
	r = check_config_of(c, dir);
	if (r == 0)
		r = dir_facts(c, dir, &df);
	if (r == 0)
		r = check_one(c, path, &df);
	dir_facts_release(&df);
	return r;
}

/* ---- the live check ---- */

struct log_mark {
	dev_t dev;
	ino_t ino;
	off_t size;
	bool valid;
};

static void
log_mark(const char *path, struct log_mark *m)
{
	struct stat st;

	*m = (struct log_mark){ 0 };
	if (path && stat(path, &st) == 0) {
		m->dev = st.st_dev;
		m->ino = st.st_ino;
		m->size = st.st_size;
		m->valid = true;
	}
}

/* The bytes written to the log since MARK (from the start of a new file
 * when it was rotated meanwhile), at most LOG_MAX. */
static char *
log_since(const char *path, const struct log_mark *mark)
{
	struct stat st;
	off_t from = 0;
	char *buf;
	ssize_t n;
	int fd;

	if (!path)
		return NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0) {
		close(fd);
		return NULL;
	}
	if (mark->valid && st.st_dev == mark->dev && st.st_ino == mark->ino)
		from = mark->size;
	if (st.st_size <= from) {
		close(fd);
		return strdup("");
	}
	if (st.st_size - from > LOG_MAX)
		from = st.st_size - LOG_MAX;
	buf = calloc(1, LOG_MAX + 1);
	n = buf ? fsops_pread_all(fd, buf, (size_t)(st.st_size - from), from) : -1;
	close(fd);
	if (n < 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* Whether the ErrorLog is a file cgisetup can read after a mark: not
 * "syslog:..." nor a pipe to a program ("|rotatelogs ..."). */
static bool
log_is_file(const char *path)
{
	const char *base = path ? strrchr(path, '/') : NULL;

	return path && path[0] == '/' && !strchr(path, '|') && !startswith(base + 1, "syslog");
}

static void
sleep_ms(unsigned ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* PATH with the characters a URL must escape written %XX. */
static char *
url_escape(const char *path)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;

	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		int r = isalnum(*p) || strchr("/._~-", *p) ? strbuf_add(&sb, p, 1)
							   : strbuf_addf(&sb, "%%%02X", *p);

		if (r < 0)
			return NULL;
	}
	return strbuf_detach(&sb);
}

/* The live findings from FIRST that a static check of SCRIPT already gave
 * (a CRLF seen in the file and in the log): said once. A finding about the
 * directory (Require, ExecCGI) stays: the log confirms it for this URL. */
static void
drop_repeated(struct findings *f, size_t first, const char *script)
{
	size_t keep = first;

	for (size_t i = first; i < f->n; i++) {
		bool seen = false;

		for (size_t k = 0; k < first && !seen; k++)
			seen = streq(f->v[k].id, f->v[i].id) && streq_ptr(f->v[k].subject, script);
		if (seen) {
			for (unsigned a = 0; a < FINDING_ARGS; a++) {
				free(f->v[i].cause_args[a]);
				free(f->v[i].fix_args[a]);
			}
			free(f->v[i].subject);
			continue;
		}
		f->v[keep++] = f->v[i];
	}
	f->n = keep;
}

/* ---- the error log of the request ---- */

/* One log Apache may write the request's lines to: a file, or the
 * journal (ErrorLog syslog). */
struct log_src {
	char *path;        /* the file; NULL for the journal or none */
	bool journal;
	struct log_mark mark;
};

/* The request's own log (the answering vhost's ErrorLog, else the main
 * server's) and, when the vhost has its own, the main server's too: mod_cgid's
 * daemon writes a script's stderr and its exec failures (AH01241) there. */
struct req_log {
	struct log_src src[2];
	size_t n;
	const char *written; /* the request's ErrorLog as written, for a warning */
	uint64_t since;      /* the journal's mark */
};

/* "syslog" or "syslog:FACILITY[:TAG]" as written (not a file's path). */
static bool
is_syslog(const char *written)
{
	return written && startswith(written, "syslog") && (written[6] == '\0' || written[6] == ':');
}

static bool
log_src_readable(const struct log_src *s)
{
	return s->journal || log_is_file(s->path);
}

/* WRITTEN (as the model has it; RESOLVED the path when known already):
 * the journal when it is syslog and Apache runs as a systemd service. */
static int
log_src_set(const struct ctx *c, const char *written, const char *resolved, struct log_src *ret)
{
	const struct layout *l = &c->dg->host.layout;

	*ret = (struct log_src){ 0 };
	if (is_syslog(written) && l->unit && endswith(l->unit, ".service")) {
		ret->journal = true;
		return 0;
	}
	if (!resolved && !written)
		return 0;
	ret->path = resolved ? strdup(resolved) : is_syslog(written) ? strdup(written)
					       : model_resolve(&c->dg->host.model, written);
	return ret->path ? 0 : -ENOMEM;
}

/* The logs of the request to the vhost that answers the fetch (its Host
 * and port, as Apache picks it), see struct req_log. */
static int
request_log(const struct ctx *c, struct req_log *ret)
{
	const struct layout *l = &c->dg->host.layout;
	const struct model *m = &c->dg->host.model;
	int vh = model_request_vhost(m, l->vhost_name, l->listen_port);
	const char *own = vh >= 0 ? m->vhosts[vh].error_log : NULL;
	int r = 0;

	*ret = (struct req_log){ .written = own ? own : l->error_log ? l->error_log
								: m->error_log };
	if (own)
		r = log_src_set(c, own, NULL, &ret->src[ret->n++]);
	/* the main server's, as Apache reports it when it is running */
	if (r == 0)
		r = log_src_set(c, m->error_log, is_syslog(m->error_log) ? NULL : l->error_log,
				&ret->src[ret->n++]);
	/* the same file twice (Debian's default site names the main log) */
	if (r == 0 && ret->n == 2 && streq_ptr(ret->src[0].path, ret->src[1].path) &&
	    ret->src[0].journal == ret->src[1].journal) {
		free(ret->src[1].path);
		ret->n = 1;
	}
	return r;
}

static void
request_log_release(struct req_log *rl)
{
	for (size_t i = 0; i < rl->n; i++)
		free(rl->src[i].path);
}

static void
request_log_mark(struct req_log *rl)
{
	rl->since = journald_now();
	for (size_t i = 0; i < rl->n; i++)
		log_mark(rl->src[i].journal || !log_is_file(rl->src[i].path) ? NULL
									  : rl->src[i].path,
			 &rl->src[i].mark);
}

/* What was logged since the mark, the request's own log first; NULL
 * when none can be read. */
static char *
request_log_since(const struct ctx *c, const struct req_log *rl)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;
	bool any = false, journal_read = false;

	for (size_t i = 0; i < rl->n; i++) {
		const struct log_src *s = &rl->src[i];
		_cleanup_free_ char *text = NULL;

		if (s->journal && !journal_read) {
			journal_read = true;
			if (journald_since(c->dg->host.layout.unit, rl->since, LOG_MAX, &text) < 0)
				text = NULL;
		} else if (!s->journal && log_is_file(s->path)) {
			text = log_since(s->path, &s->mark);
		}
		if (!text)
			continue;
		any = true;
		if (strbuf_adds(&sb, text) < 0)
			return NULL;
	}
	return any ? strdup(sb.buf ? sb.buf : "") : NULL;
}

static bool
request_log_readable(const struct req_log *rl)
{
	return rl->n > 0 && log_src_readable(&rl->src[0]);
}

static int
fetch_and_map(struct ctx *c, const char *url_path, const char *script)
{
	const struct layout *l = &c->dg->host.layout;
	_cleanup_free_ char *escaped = url_escape(url_path), *pin = NULL;
	struct fetch_result f = { 0 };
	struct req_log rl = { 0 };
	struct check_fetch cf = { .script = script };
	/* suEXEC's own log: the reason of a "suexec policy violation" */
	const char *suexec_log = c->suexec.log_exec && log_is_file(c->suexec.log_exec)
					 ? c->suexec.log_exec : NULL;
	_cleanup_free_ char *suexec_text = NULL;
	struct log_mark suexec_mark;
	size_t first;
	int r;

	c->dg->url = escaped ? verify_url(l, escaped) : NULL;
	pin = verify_pin(l);
	if (!c->dg->url || (l->vhost_name && !pin))
		return -ENOMEM;
	r = request_log(c, &rl);
	if (r == 0 && !request_log_readable(&rl))
		r = findings_add(&c->dg->findings, FINDING_WARNING, "log-not-a-file", c->dg->url,
				 FIX_NONE,
				 N_("Apache's ErrorLog is '%s', not a file: the diagnosis of '%s' comes"
				    " from its HTTP answer alone"),
				 N_("journalctl -u %s --since -5min"),
				 rl.written ? rl.written : "-", c->dg->url,
				 l->unit ? l->unit : "apache2");
	if (r < 0) {
		request_log_release(&rl);
		return r;
	}
	request_log_mark(&rl);
	log_mark(suexec_log, &suexec_mark);
	/* the same target as the apply's proof (verify_url): on an HTTPS-only
	 * server the server's own certificate is accepted, as there */
	r = fetch_get_opts(c->dg->url, &(struct fetch_opts){
				   .pin = pin,
				   .any_certificate = startswith(c->dg->url, "https:") != NULL },
			   FETCH_TIMEOUT_MS, &f, NULL);
	cf.url = c->dg->url;
	cf.answered = r >= 0;
	cf.timed_out = f.error == FETCH_TIMEOUT;
	cf.status = f.status;
	cf.content_type = f.content_type;
	cf.body = f.body;
	c->dg->status = f.status;
	/* the lines of an error answer may follow it by a moment (cgid's
	 * daemon writes the script's stderr itself; journald takes its time) */
	for (unsigned waited = 0;; waited += 100) {
		free(c->dg->log);
		c->dg->log = request_log_since(c, &rl);
		if (f.status == 200 || (c->dg->log && *c->dg->log) || waited >= LOG_SETTLE_MS
		    || !request_log_readable(&rl))
			break;
		sleep_ms(100);
	}
	request_log_release(&rl);
	if (suexec_log && c->dg->log && strstr(c->dg->log, "suexec policy violation")) {
		suexec_text = log_since(suexec_log, &suexec_mark);
		cf.suexec_log = suexec_text;
		cf.suexec_log_path = suexec_log;
	}
	first = c->dg->findings.n;
	r = check_log(&cf, c->dg->log, &c->dg->findings);
	fetch_result_release(&f);
	if (r == 0)
		drop_repeated(&c->dg->findings, first, script);
	return r;
}

/* The file a URL path reaches: the first Alias or ScriptAlias of vhost VH
 * (-1: none), then of the main server, whose URL is a prefix of it, else
 * the vhost's document root, else the main server's. */
static char *
file_for_url(const struct model *m, const struct layout *l, int vh, const char *path)
{
	const char *docroot = vh >= 0 && m->vhosts[vh].document_root ? m->vhosts[vh].document_root
								     : l->document_root;

	for (int pass = vh >= 0 ? 0 : 1; pass < 2; pass++) {
		for (size_t i = 0; i < m->n_aliases; i++) {
			const struct model_alias *a = &m->aliases[i];
			_cleanup_free_ char *url = NULL, *dir = NULL;
			const char *rest;

			if (!a->active || a->vhost != (pass ? -1 : vh) || strstr(a->directive, "Match"))
				continue;
			url = effective_canonical_dir(a->url);
			dir = effective_canonical_dir(a->path);
			if (!url || !dir)
				return NULL;
			rest = streq(url, "/") ? path : startswith(path, url);
			if (rest && (*rest == '/' || !*rest || streq(url, "/")))
				return strdup_printf("%s%s%s", dir,
						     *rest == '/' || !*rest ? "" : "/", rest);
		}
	}
	return docroot ? strdup_printf("%s%s", docroot, path) : NULL;
}

/* A --check URL that names a host (not an address): the fetch sends that
 * name as Host (and SNI), pinned to the Listen address, on the URL's port
 * and scheme, as a client reaches that vhost. */
static int
url_vhost(struct ctx *c, const char *url)
{
	struct layout *l = &c->dg->host.layout;
	bool tls = startswith(url, "https://") != NULL;
	const char *a = url + (tls ? 8 : 7);
	_cleanup_free_ char *name = strndup(a, strcspn(a, "/?#"));
	char *colon;

	if (!name)
		return -ENOMEM;
	colon = name[0] == '[' ? NULL : strrchr(name, ':');
	if (colon)
		*colon++ = '\0';
	if (name[0] == '[' || !*name || name[strspn(name, "0123456789.")] == '\0' ||
	    strcaseeq(name, "localhost"))
		return 0;
	l->listen_port = colon && *colon ? (unsigned)strtoul(colon, NULL, 10) : tls ? 443 : 80;
	l->listen_tls = tls;
	free(l->vhost_name);
	l->vhost_name = TAKE_PTR(name);
	return 0;
}

static int
check_url(struct ctx *c, const char *url, bool fetch)
{
	const char *p = startswith(url, "http://") ? url + 7 : url + 8;
	const struct layout *l = &c->dg->host.layout;
	_cleanup_free_ char *path = NULL, *file = NULL, *hp = NULL;
	int r = url_vhost(c, url);

	p = strchr(p, '/');
	path = strndup(p ? p : "/", p ? strcspn(p, "?#") : 1);
	if (r < 0 || !path)
		return -ENOMEM;
	file = file_for_url(&c->dg->host.model, l,
			    model_request_vhost(&c->dg->host.model, l->vhost_name, l->listen_port),
			    path);
	hp = file ? host_path(c, file, NULL) : NULL;
	if (hp && access(hp, F_OK) == 0)
		r = check_file(c, file);
	if (r == 0 && fetch)
		r = fetch_and_map(c, path, file);
	return r;
}

/* A script in a directory set up with --vhost NAME, or mapped by a named
 * vhost's own Alias or DocumentRoot, is fetched as a request to that vhost
 * (Host: NAME): the main server does not serve it.
 * *RET_VH: the vhost, -1 for the main server. */
static int
fetch_as_vhost(struct ctx *c, const char *dir, int *ret_vh)
{
	struct layout *l = &c->dg->host.layout;
	const char *name = NULL;

	*ret_vh = dir_vhost(c, dir, &name);
	if (*ret_vh < 0 || !name || l->vhost_name)
		return 0;
	l->vhost_name = strdup(name);
	return l->vhost_name ? 0 : -ENOMEM;
}

static int
check_script_live(struct ctx *c, const char *path, bool fetch)
{
	_cleanup_free_ char *dir = strdup(path), *url = NULL, *url_path = NULL;
	char *slash;
	int vh = -1;
	int r = check_file(c, path);

	if (r < 0 || !fetch || !dir)
		return r < 0 ? r : dir ? 0 : -ENOMEM;
	slash = strrchr(dir, '/');
	*(slash == dir ? slash + 1 : slash) = '\0';
	r = fetch_as_vhost(c, dir, &vh);
	if (r == 0)
		r = check_url_path_in(&c->dg->host.model, &c->dg->host.layout, vh, dir, &url);
	if (r == -ENOENT)
		return 0; /* the configuration check says: no URL reaches it */
	if (r < 0)
		return r;
	url_path = strdup_printf("%s/%s", url, strrchr(path, '/') + 1);
	return url_path ? fetch_and_map(c, url_path, path) : -ENOMEM;
}

/* ---- the host ---- */

static void
read_selinux(struct ctx *c)
{
	char buf[8] = { 0 };
	int fd;

	if (*c->root)
		return;
	fd = open("/sys/fs/selinux/enforce", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		c->h.selinux = read(fd, buf, 1) == 1 && buf[0] == '1';
		close(fd);
	}
	fd = c->h.selinux ? open("/sys/fs/selinux/booleans/httpd_enable_cgi",
				 O_RDONLY | O_CLOEXEC) : -1;
	if (fd >= 0) {
		c->h.selinux_cgi_bool = read(fd, buf, 1) == 1 && buf[0] == '1';
		close(fd);
	}
}

static const char *
model_var(const struct model *m, const char *name)
{
	for (size_t i = 0; m->var_names && m->var_names[i]; i++)
		if (streq(m->var_names[i], name))
			return m->var_values[i];
	return NULL;
}

/* The first line of suexec-custom's file for the run user (Debian:
 * /etc/apache2/suexec/www-data) that is not a comment: its document root. */
static void
read_suexec_custom(struct ctx *c)
{
	_cleanup_free_ char *path = strdup_printf("%s%s%s", c->suexec.config_dir,
						  endswith(c->suexec.config_dir, "/") ? "" : "/",
						  c->h.run_user);
	_cleanup_free_ char *hp = path ? fsops_path(c->root, path) : NULL;
	char line[4096];
	FILE *f = hp ? fopen(hp, "re") : NULL;

	while (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '/') {
			c->suexec_docroot = strdup(line);
			break;
		}
	}
	if (f)
		fclose(f);
}

/* suexec -V (suEXEC prints its build settings to root): where its
 * wrapper is on the usual layouts; run without a shell. */
static void
read_suexec(struct ctx *c)
{
	static const char *const bins[] = { "/usr/lib/apache2/suexec", "/usr/sbin/suexec",
					    "/usr/lib/httpd/suexec",
					    "/usr/local/apache2/bin/suexec" };
	_cleanup_free_ char *out = NULL;
	int status;

	if (*c->root)
		return;
	for (size_t i = 0; i < ELEMENTSOF(bins) && !out; i++) {
		char *argv[] = { (char *)bins[i], (char *)"-V", NULL };

		if (access(bins[i], X_OK) < 0)
			continue;
		if (spawn_capture(argv, SUEXEC_TIMEOUT_MS, &status, &out, NULL) < 0 || status != 0)
			free(TAKE_PTR(out));
	}
	if (out && check_parse_suexec_v(out, &c->suexec) == 0 && c->suexec.config_dir &&
	    !c->suexec.doc_root)
		read_suexec_custom(c);
}

static int
setup(struct ctx *c, struct diag *d)
{
	const struct layout *l;
	int r = probe_host(c->req, &c->dg->host, d);

	if (r < 0)
		return r;
	c->dg->have_host = true;
	l = &c->dg->host.layout;
	c->h.run_user = l->user ? l->user : "www-data";
	/* a user unknown here (a --root tree without /etc/passwd): the
	 * scripts are judged by their "others" bits */
	if (run_user(c, c->h.run_user) < 0) {
		c->uid = (uid_t)-1;
		c->h.run_uid = c->h.run_gid = (unsigned)-1;
	}
	c->h.probe = probe_exe;
	c->h.unit = l->unit;
	c->h.userdata = c;
	c->h.apache_path = model_var(&c->dg->host.model, "PATH");
	read_selinux(c);
	read_suexec(c);
	if (l->family && l->family->modmech == MODMECH_DEBIAN_SYMLINK)
		c->enable_module = strdup_printf("a2enmod %s", l->cgi_wanted ? l->cgi_wanted : "cgid");
	else if (l->module_dir)
		c->enable_module = strdup_printf("LoadModule %s_module %s/mod_%s.so",
						 l->cgi_wanted ? l->cgi_wanted : "cgid", l->module_dir,
						 l->cgi_wanted ? l->cgi_wanted : "cgid");
	return 0;
}

/* Every directory cgisetup's journal lists, each once, oldest first, with
 * the virtual host it was set up in ("" server-wide) when RET_VHOSTS. */
int
diagnose_journal_dirs(const struct request *req, char ***ret, char ***ret_vhosts,
		      struct diag *d)
{
	struct undo u = { 0 };
	_cleanup_strv_free_ char **dirs = NULL, **vhosts = NULL;
	int r = undo_status(req, &u, d);

	if (r < 0)
		return r;
	for (size_t i = 0; r >= 0 && i < u.n_applied; i++) {
		const char *dir = txn_get_meta(u.applied[i], "dir");
		const char *vhost = txn_get_meta(u.applied[i], "vhost");

		if (!dir || strv_contains(dirs, dir))
			continue;
		if (strv_extend(&dirs, dir) < 0 || strv_extend(&vhosts, vhost ? vhost : "") < 0)
			r = -ENOMEM;
	}
	undo_release(&u);
	if (r >= 0 && !dirs)
		r = diag_usage(d, ENOENT, N_("no directory set up by cgisetup on this system:"
					     " name one (%s DIR, SCRIPT or URL)"),
			       req->fix_scripts ? "--fix" : "--check");
	if (r >= 0) {
		*ret = TAKE_PTR(dirs);
		if (ret_vhosts)
			*ret_vhosts = TAKE_PTR(vhosts);
	}
	return r;
}

static int
run_target(struct ctx *c, const char *target, bool fetch, struct diag *d)
{
	_cleanup_free_ char *hp = NULL;
	struct stat st;

	if (startswith(target, "http://") || startswith(target, "https://"))
		return check_url(c, target, fetch && !*c->root);
	if (target[0] != '/')
		return diag_usage(d, EINVAL, N_("--check needs an absolute path or a URL, not '%s'"),
				  target);
	hp = host_path(c, target, NULL);
	if (!hp)
		return -ENOMEM;
	if (stat(hp, &st) < 0)
		return diag_usage(d, ENOENT, N_("'%s' does not exist"), target);
	if (S_ISDIR(st.st_mode))
		return check_dir(c, target);
	return check_script_live(c, target, fetch && !*c->root);
}

int
diagnose_run(const struct request *req, const char *target, bool fetch, struct diagnose *ret,
	     struct diag *d)
{
	struct ctx c = { .req = req, .root = req->root ? req->root : "", .dg = ret };
	_cleanup_free_ char *canonical = NULL;
	_cleanup_strv_free_ char **dirs = NULL;
	int r;

	*ret = (struct diagnose){ 0 };
	if (target && (target[0] == '/')) {
		canonical = strdup(target);
		if (!canonical)
			return -ENOMEM;
		r = request_normalize_path(canonical);
		if (r < 0)
			return diag_usage(d, EINVAL, N_("--check needs an absolute path or a URL,"
							" not '%s'"), target);
		target = canonical;
	}
	r = setup(&c, d);
	if (r >= 0)
		r = journal_vhost_dirs(&c);
	if (r >= 0 && !target)
		r = diagnose_journal_dirs(req, &dirs, NULL, d);
	if (r >= 0 && target)
		r = run_target(&c, target, fetch, d);
	for (size_t i = 0; r >= 0 && dirs && dirs[i]; i++)
		r = check_dir(&c, dirs[i]);
	free(c.enable_module);
	check_suexec_v_release(&c.suexec);
	free(c.suexec_docroot);
	strv_free(c.jdirs);
	strv_free(c.jvhosts);
	if (r == -ENOMEM)
		diag_fail(d, ENOMEM, N_("out of memory"));
	return r;
}

void
diagnose_release(struct diagnose *dg)
{
	if (dg->have_host)
		probe_host_release(&dg->host);
	findings_release(&dg->findings);
	strv_free(dg->dirs);
	free(dg->url);
	free(dg->log);
	*dg = (struct diagnose){ 0 };
}
