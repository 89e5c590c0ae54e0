/* check.c - the static checks of --check: findings from recorded facts
 * (see check.h). */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "cgisetup/check.h"
#include "cgisetup/effective.h"
#include "cgisetup/plan.h"
#include "cgisetup/request.h"
#include "cgisetup/util.h"

static unsigned
count_args(const char *fmt)
{
	unsigned n = 0;

	for (const char *p = fmt; p && (p = strchr(p, '%')); p++) {
		if (p[1] == '%')
			p++;
		else
			n++;
	}
	return n;
}

static int
take_args(char **dst, const char *fmt, va_list *ap)
{
	unsigned n = count_args(fmt);

	for (unsigned i = 0; i < n && i < FINDING_ARGS; i++) {
		const char *a = va_arg(*ap, const char *);

		dst[i] = strdup(a ? a : "");
		if (!dst[i])
			return -ENOMEM;
	}
	return 0;
}

static void
finding_release(struct finding *x)
{
	free(x->subject);
	for (unsigned i = 0; i < FINDING_ARGS; i++) {
		free(x->cause_args[i]);
		free(x->fix_args[i]);
	}
}

int
findings_add(struct findings *f, enum finding_level level, const char *id, const char *subject,
	     enum finding_fix autofix, const char *cause, const char *fix, ...)
{
	struct finding x = { .level = level, .id = id, .cause = cause, .fix = fix,
			     .autofix = autofix };
	va_list ap;
	int r;

	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 8;
		struct finding *v = realloc(f->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		f->v = v;
		f->cap = cap;
	}
	x.subject = strdup(subject ? subject : "");
	va_start(ap, fix);
	r = x.subject ? take_args(x.cause_args, cause, &ap) : -ENOMEM;
	if (r == 0 && fix)
		r = take_args(x.fix_args, fix, &ap);
	va_end(ap);
	if (r < 0) {
		finding_release(&x);
		return r;
	}
	f->v[f->n++] = x;
	return 0;
}

void
findings_release(struct findings *f)
{
	for (size_t i = 0; i < f->n; i++)
		finding_release(&f->v[i]);
	free(f->v);
	*f = (struct findings){ 0 };
}

enum finding_level
findings_worst(const struct findings *f)
{
	enum finding_level w = FINDING_OK;

	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].level > w)
			w = f->v[i].level;
	return w;
}

const struct finding *
findings_find(const struct findings *f, const char *id)
{
	for (size_t i = 0; i < f->n; i++)
		if (streq(f->v[i].id, id))
			return &f->v[i];
	return NULL;
}

const char *
finding_level_name(enum finding_level l)
{
	switch (l) {
	case FINDING_OK:
		return "ok";
	case FINDING_WARNING:
		return "warning";
	case FINDING_PROBLEM:
		return "problem";
	}
	return "problem";
}

char *
check_render(const char *fmt, char *const *args)
{
	_cleanup_strbuf_ struct strbuf sb = { 0 };
	unsigned next = 0;

	for (const char *p = fmt; *p; p++) {
		unsigned k;
		char *end;

		if (*p != '%') {
			if (strbuf_add(&sb, p, 1) < 0)
				return NULL;
			continue;
		}
		if (p[1] == '%') {
			if (strbuf_add(&sb, "%", 1) < 0)
				return NULL;
			p++;
			continue;
		}
		k = next++;
		if (isdigit((unsigned char)p[1])) {
			k = (unsigned)strtoul(p + 1, &end, 10) - 1;
			if (*end != '$')
				return NULL;
			p = end;
		}
		if (p[1] != 's' || k >= FINDING_ARGS)
			return NULL;
		p++;
		if (strbuf_adds(&sb, args[k] ? args[k] : "") < 0)
			return NULL;
	}
	return strbuf_detach(&sb);
}

/* ---- the script's first line ---- */

static bool
has_bom(const char *h, size_t n)
{
	return n >= 3 && memcmp(h, "\xef\xbb\xbf", 3) == 0;
}

static bool
is_elf(const char *h, size_t n)
{
	return n >= 4 && memcmp(h, "\x7f" "ELF", 4) == 0;
}

static bool
has_shebang(const char *head, size_t len)
{
	size_t skip = has_bom(head, len) ? 3 : 0;

	return len >= skip + 2 && head[skip] == '#' && head[skip + 1] == '!';
}

/* The text after "#!" up to the end of the first line, without "\r";
 * *RET_CRLF when the line ends in "\r\n". NULL without "#!". */
static char *
shebang_line(const char *head, size_t len, bool *ret_crlf)
{
	const char *p = head, *end = head + len, *nl;
	size_t n;

	if (has_bom(head, len))
		p += 3;
	if (end - p < 2 || p[0] != '#' || p[1] != '!')
		return NULL;
	p += 2;
	nl = memchr(p, '\n', (size_t)(end - p));
	n = (size_t)((nl ? nl : end) - p);
	if (ret_crlf)
		*ret_crlf = nl && n > 0 && p[n - 1] == '\r';
	while (n > 0 && (p[n - 1] == '\r' || p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	return strndup(p, n);
}

static const char *
skip_blanks(const char *s)
{
	return s + strspn(s, " \t");
}

int
check_shebang(const char *head, size_t len, char **ret_interp, char **ret_env_name)
{
	_cleanup_free_ char *line = NULL, *interp = NULL, *name = NULL;
	const char *p, *rest, *base;
	size_t n;

	if (!has_shebang(head, len))
		return -EINVAL;
	line = shebang_line(head, len, NULL);
	if (!line)
		return -ENOMEM;
	p = skip_blanks(line);
	n = strcspn(p, " \t");
	interp = strndup(p, n);
	if (!interp)
		return -ENOMEM;
	rest = skip_blanks(p + n);
	base = strrchr(interp, '/') ? strrchr(interp, '/') + 1 : interp;
	if (streq(base, "env") && *rest) {
		/* Linux passes everything after the interpreter as one
		 * argument: "env python3 -u" looks up "python3 -u", unless
		 * env splits it itself (-S) */
		if (startswith(rest, "-S")) {
			rest = skip_blanks(rest + 2);
			while (*rest && strchr(rest, '=') && strchr(rest, '=') < rest + strcspn(rest, " \t"))
				rest = skip_blanks(rest + strcspn(rest, " \t"));
			name = strndup(rest, strcspn(rest, " \t"));
		} else {
			name = strdup(rest);
		}
		if (!name)
			return -ENOMEM;
	}
	*ret_interp = TAKE_PTR(interp);
	*ret_env_name = TAKE_PTR(name);
	return 0;
}

/* ---- the script ---- */

struct script_ctx {
	const struct check_host *h;
	const struct check_script *s;
	struct findings *out;
	size_t first;          /* index of this script's first finding */
	struct check_exe interp; /* what the shebang runs */
	bool interp_known;
};

#define ADD(c, level, id, fixkind, cause, fix, ...) \
	findings_add((c)->out, (level), (id), (c)->s->path, (fixkind), (cause), (fix), __VA_ARGS__)

static const char *
apache_path(const struct check_host *h)
{
	return h->apache_path && *h->apache_path ? h->apache_path : CHECK_DEFAULT_PATH;
}

/* NAME on the service's PATH: the first directory holding an executable
 * NAME, as execvp() finds it. *RET_FOUND NULL when none. */
static int
path_lookup(const struct check_host *h, const char *name, char **ret_found,
	    struct check_exe *ret_exe)
{
	const char *p = apache_path(h);

	*ret_found = NULL;
	while (*p) {
		size_t n = strcspn(p, ":");
		_cleanup_free_ char *dir = n ? strndup(p, n) : strdup(".");
		_cleanup_free_ char *full = dir ? path_join(dir, name) : NULL;
		struct check_exe e = { .python_minor = -1 };

		if (!full)
			return -ENOMEM;
		if (h->probe(full, &e, h->userdata) == 0 && e.exists && e.executable) {
			*ret_found = TAKE_PTR(full);
			*ret_exe = e;
			return 0;
		}
		p += n + (p[n] == ':');
	}
	return 0;
}

/* The interpreter to suggest in a fix: python3 on the service's PATH. */
static char *
suggested_python(const struct check_host *h)
{
	struct check_exe e;
	char *found = NULL;

	if (path_lookup(h, "python3", &found, &e) < 0)
		return NULL;
	return found ? found : strdup("/usr/bin/python3");
}

/* The first line to suggest: "#!" and suggested_python(). */
static char *
suggested_shebang(const struct check_host *h)
{
	_cleanup_free_ char *py = suggested_python(h);

	return py ? strdup_printf("#!%s", py) : NULL;
}

static bool
is_python(const char *interp, const char *env_name)
{
	const char *name = env_name ? env_name : interp;
	const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;

	return startswith(base, "python") != NULL;
}

static bool
is_python2(const char *interp, const char *env_name)
{
	const char *name = env_name ? env_name : interp;
	const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;

	return startswith(base, "python2") != NULL;
}

/* The one mode both the exec-bit and the writable finding give as their
 * fix: the read and exec bits the run user needs (RX), the exec bits, and
 * no write bit for group or others; following one fix never undoes the
 * other (0666 -> 0755, not 0777 then 0644). */
static unsigned
fix_mode_for(unsigned mode, unsigned rx)
{
	return (mode | 0111 | (rx & 0444)) & ~0022u;
}

static int
check_mode(struct script_ctx *c)
{
	const struct check_script *s = c->s;
	unsigned rx = s->uid == c->h->run_uid ? 0500 : s->gid == c->h->run_gid ? 0050 : 0005;
	bool runnable = (s->mode & rx) == rx;
	char mode[16], path_mode[16];
	int r;

	if (!runnable) {
		unsigned want = fix_mode_for(s->mode, rx);

		snprintf(mode, sizeof(mode), "%04o", s->mode);
		snprintf(path_mode, sizeof(path_mode), "%04o", want);
		r = ADD(c, FINDING_PROBLEM, "exec-bit", FIX_MODE,
			N_("'%s' (mode %s) cannot be read and executed by the web server's user '%s'"
			   " (AH01241: Permission denied)"),
			N_("chmod %s %s"), s->path, mode, c->h->run_user, path_mode, s->path);
		if (r < 0)
			return r;
		c->out->v[c->out->n - 1].fix_mode = want;
	}
	if (s->mode & 0022) {
		bool suexec = c->h->suexec_user != NULL;

		snprintf(mode, sizeof(mode), "%04o", s->mode);
		snprintf(path_mode, sizeof(path_mode), "%04o",
			 runnable ? s->mode & ~0022u : fix_mode_for(s->mode, rx));
		r = ADD(c, suexec ? FINDING_PROBLEM : FINDING_WARNING, "writable", FIX_NONE,
			suexec ? N_("'%s' (mode %s) is writable by group or others: suEXEC refuses"
				    " to run it")
			       : N_("'%s' (mode %s) is writable by group or others: anyone who can"
				    " write it runs code as the web server"),
			N_("chmod %s %s"), s->path, mode, path_mode, s->path);
		if (r < 0)
			return r;
	}
	if (s->uid == c->h->run_uid && !c->h->suexec_user) {
		r = ADD(c, FINDING_WARNING, "owner", FIX_NONE,
			N_("'%s' belongs to the web server's user '%s': a script can rewrite itself"),
			N_("chown root %s"), s->path, c->h->run_user, s->path);
		if (r < 0)
			return r;
	}
	return 0;
}

static bool
below(const char *path, const char *dir)
{
	const char *rest = startswith(path, dir);

	return rest && (*rest == '/' || (*rest == '\0') || endswith(dir, "/"));
}

static int
check_suexec(struct script_ctx *c)
{
	const struct check_host *h = c->h;
	const struct check_script *s = c->s;
	int r = 0;

	if (!h->suexec_user)
		return 0;
	if (s->uid != h->suexec_uid)
		r = ADD(c, FINDING_PROBLEM, "suexec-owner", FIX_NONE,
			N_("suEXEC runs '%s' as '%s', who does not own it (suexec policy violation)"),
			N_("chown %s %s"), s->path, h->suexec_user, h->suexec_user, s->path);
	if (r == 0 && h->suexec_uid_min > 0 && (long)h->suexec_uid < h->suexec_uid_min) {
		char uid[24], min[24];

		snprintf(uid, sizeof(uid), "%u", h->suexec_uid);
		snprintf(min, sizeof(min), "%ld", h->suexec_uid_min);
		r = ADD(c, FINDING_PROBLEM, "suexec-uid-min", FIX_NONE,
			N_("suEXEC runs '%s' as uid %s, below its minimum uid %s (AP_UID_MIN)"),
			N_("give SuexecUserGroup a user with uid %s or more"), s->path, uid, min,
			min);
	}
	if (r == 0 && h->suexec_docroot && !below(s->path, h->suexec_docroot))
		r = ADD(c, FINDING_PROBLEM, "suexec-docroot", FIX_NONE,
			N_("suEXEC runs only scripts below its document root '%s'; '%s' is not"),
			N_("move the script below %s (suexec -V shows AP_DOC_ROOT)"),
			h->suexec_docroot, s->path, h->suexec_docroot);
	return r;
}

static int
check_selinux(struct script_ctx *c)
{
	const struct check_script *s = c->s;
	_cleanup_free_ char *dir = NULL;
	char *slash;
	int r = 0;

	if (!c->h->selinux)
		return 0;
	dir = strdup(s->path);
	if (!dir)
		return -ENOMEM;
	slash = strrchr(dir, '/');
	if (slash && slash != dir)
		*slash = '\0';
	if (s->selinux_type && !streq(s->selinux_type, "httpd_sys_script_exec_t"))
		r = ADD(c, FINDING_PROBLEM, "selinux-label", FIX_NONE,
			N_("SELinux labels '%s' '%s', which httpd may not execute"
			   " (needs httpd_sys_script_exec_t)"),
			N_("semanage fcontext -a -t httpd_sys_script_exec_t '%s(/.*)?'"
			   " && restorecon -Rv %s"),
			s->path, s->selinux_type, dir, dir);
	if (r == 0 && !c->h->selinux_cgi_bool)
		r = ADD(c, FINDING_PROBLEM, "selinux-boolean", FIX_NONE,
			N_("SELinux is enforcing and the boolean httpd_enable_cgi is off: httpd may"
			   " not run '%s'"),
			N_("setsebool -P httpd_enable_cgi on"), s->path);
	return r;
}

static int
check_place(struct script_ctx *c)
{
	const struct check_script *s = c->s;
	int r = 0;

	if (s->noexec_mount)
		r = ADD(c, FINDING_PROBLEM, "noexec", FIX_NONE,
			N_("'%s' is on '%s', mounted noexec: the kernel refuses to run it"
			   " (AH01241: Permission denied)"),
			N_("mount -o remount,exec %s (and drop noexec from its line in /etc/fstab),"
			   " or move the scripts to another file system"),
			s->path, s->noexec_mount, s->noexec_mount);
	if (r == 0 && s->blocked_dir)
		r = ADD(c, FINDING_PROBLEM, "path-blocked", FIX_NONE,
			N_("the web server's user '%s' cannot search '%s', on the way to '%s'"
			   " (AH00035: 403)"),
			N_("chmod o+x %s"), c->h->run_user, s->blocked_dir, s->path, s->blocked_dir);
	return r;
}

static int
check_env_lookup(struct script_ctx *c, const char *name)
{
	const struct check_host *h = c->h;
	_cleanup_free_ char *found = NULL, *line = NULL;
	int r = path_lookup(h, name, &found, &c->interp);

	if (r < 0)
		return r;
	if (found) {
		c->interp_known = true;
		return 0;
	}
	if (!startswith(name, "python"))
		return ADD(c, FINDING_PROBLEM, "env-not-found", FIX_NONE,
			   N_("no '%s' on the web server's PATH (%s): '/usr/bin/env %s' fails"),
			   N_("install '%s' in a directory on that PATH, or write the interpreter's"
			      " full path in the first line of %s"),
			   name, apache_path(h), name, name, c->s->path);
	line = suggested_shebang(h);
	if (!line)
		return -ENOMEM;
	return ADD(c, FINDING_PROBLEM, "env-not-found", FIX_NONE,
		   N_("no '%s' on the web server's PATH (%s): '/usr/bin/env %s' fails (the"
		      " caller's pyenv, venv or ~/.local pythons are not on it)"),
		   N_("make the first line of %s '%s'"),
		   name, apache_path(h), name, c->s->path, line);
}

static int
check_interpreter(struct script_ctx *c, const char *interp)
{
	struct check_exe e = { .python_minor = -1 };
	_cleanup_free_ char *py = NULL;
	int r = c->h->probe(interp, &e, c->h->userdata);

	if (r < 0 && r != -ENOENT)
		return r;
	if (e.exists && e.executable) {
		c->interp = e;
		c->interp_known = true;
		return 0;
	}
	py = is_python(interp, NULL) ? suggested_python(c->h) : NULL;
	if (!e.exists)
		return py ? ADD(c, FINDING_PROBLEM, "interpreter-missing", FIX_NONE,
				N_("the interpreter '%s' named in the first line of '%s' does not"
				   " exist (AH01241: No such file or directory)"),
				N_("make the first line of %s '#!%s'"), interp, c->s->path,
				c->s->path, py)
			  : ADD(c, FINDING_PROBLEM, "interpreter-missing", FIX_NONE,
				N_("the interpreter '%s' named in the first line of '%s' does not"
				   " exist (AH01241: No such file or directory)"),
				N_("install it, or write the path of an installed interpreter in"
				   " the first line of %s"), interp, c->s->path, c->s->path);
	return ADD(c, FINDING_PROBLEM, "interpreter-not-executable", FIX_NONE,
		   N_("the interpreter '%s' named in the first line of '%s' cannot be executed"
		      " by the web server's user '%s'"),
		   N_("chmod a+rx %s, or name another interpreter"), interp, c->s->path,
		   c->h->run_user, interp);
}

/* Whether LINE is a Python 2 print statement: "print" then something
 * other than "(" (print("x") and print (x) are Python 3). */
static bool
is_print_statement(const char *line, size_t n, size_t *ret_arg)
{
	size_t i = strspn(line, " \t");

	if (n < i + 6 || memcmp(line + i, "print", 5) != 0)
		return false;
	i += 5;
	if (line[i] != ' ' && line[i] != '\t' && line[i] != '"' && line[i] != '\'')
		return false;
	i += strspn(line + i, " \t");
	if (i >= n || line[i] == '(' || line[i] == '=' || line[i] == '#' || line[i] == '\r')
		return false;
	*ret_arg = i;
	return true;
}

/* Whether LINE imports the cgi or cgitb module. */
static bool
imports_cgi(const char *line, size_t n)
{
	_cleanup_free_ char *l = strndup(line, n);
	const char *p;

	if (!l)
		return false;
	p = skip_blanks(l);
	if ((p = startswith(p, "import ")) || (p = startswith(skip_blanks(l), "from "))) {
		/* "import cgi", "import os, cgi", "from cgi import x" */
		for (char *tok = strtok(l + (p - l), " ,\t\r"); tok; tok = strtok(NULL, " ,\t\r")) {
			if (streq(tok, "import") || streq(tok, "as"))
				break;
			if (streq(tok, "cgi") || streq(tok, "cgitb"))
				return true;
		}
	}
	return false;
}

static int
check_python(struct script_ctx *c, const char *interp, const char *env_name)
{
	const struct check_script *s = c->s;
	const char *p = s->head, *end = s->head + s->head_len;
	bool py2_reported = false, cgi_reported = false;
	bool py2_interp = is_python2(interp, env_name);
	bool no_cgi = c->interp_known && c->interp.python_minor >= 13;
	unsigned lineno = 0;
	int r = 0;

	while (p < end && r == 0) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((nl ? nl : end) - p), arg;
		char num[16];

		lineno++;
		snprintf(num, sizeof(num), "%u", lineno);
		if (!py2_interp && !py2_reported && is_print_statement(p, n, &arg)) {
			_cleanup_free_ char *fixed = NULL;
			size_t m = n;

			while (m > arg && (p[m - 1] == '\r' || p[m - 1] == ' '))
				m--;
			fixed = strdup_printf("%.*sprint(%.*s)", (int)strspn(p, " \t"), p,
					      (int)(m - arg), p + arg);
			if (!fixed)
				return -ENOMEM;
			r = ADD(c, FINDING_PROBLEM, "python2-syntax", FIX_NONE,
				N_("line %s of '%s' is Python 2 syntax (a print statement):"
				   " Python 3 stops with a SyntaxError"),
				N_("write print() as a function, line %s: %s"), num, s->path, num,
				fixed);
			py2_reported = true;
		} else if (no_cgi && !cgi_reported && imports_cgi(p, n)) {
			char minor[16];

			snprintf(minor, sizeof(minor), "3.%d", c->interp.python_minor);
			r = ADD(c, FINDING_PROBLEM, "import-cgi", FIX_NONE,
				N_("line %s of '%s' imports cgi or cgitb, which Python %s no longer"
				   " has (removed in 3.13): ModuleNotFoundError"),
				N_("install the drop-in legacy-cgi (pip install legacy-cgi), or read"
				   " the request with os.environ and urllib.parse instead"),
				num, s->path, minor);
			cgi_reported = true;
		}
		p = nl ? nl + 1 : end;
	}
	return r;
}

static bool
script_extension(const char *path)
{
	static const char *const exts[] = { ".py", ".cgi", ".pl", ".sh", ".rb", ".php", NULL };
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	const char *dot = strrchr(base, '.');

	return !dot || strv_contains_case((char *const *)exts, dot);
}

static int
check_first_line(struct script_ctx *c)
{
	const struct check_script *s = c->s;
	_cleanup_free_ char *interp = NULL, *env_name = NULL, *line = NULL;
	bool crlf = false;
	int r;

	if (has_bom(s->head, s->head_len)) {
		r = ADD(c, FINDING_PROBLEM, "bom", FIX_BOM,
			N_("'%s' starts with a UTF-8 byte order mark before '#!': the kernel does not"
			   " see the shebang (AH01241: Exec format error)"),
			N_("sed -i '1s/^\\xEF\\xBB\\xBF//' %s"), s->path, s->path);
		if (r < 0)
			return r;
	}
	if (!has_shebang(s->head, s->head_len)) {
		if (is_elf(s->head, s->head_len))
			return 0;
		line = suggested_shebang(c->h);
		if (!line)
			return -ENOMEM;
		return ADD(c, FINDING_PROBLEM, "no-shebang", FIX_NONE,
			   N_("'%s' has no '#!' line: the kernel cannot run it"
			      " (AH01241: Exec format error)"),
			   N_("add '%s' as the first line of %s"), s->path, line, s->path);
	}
	line = shebang_line(s->head, s->head_len, &crlf);
	r = line ? check_shebang(s->head, s->head_len, &interp, &env_name) : -ENOMEM;
	if (r < 0)
		return r;
	if (crlf) {
		r = ADD(c, FINDING_PROBLEM, "crlf", FIX_CRLF,
			N_("'%s' has Windows line endings: the kernel looks for '%s\\r'"
			   " (AH01241: No such file or directory)"),
			N_("sed -i 's/\\r$//' %s"), s->path, env_name ? env_name : interp, s->path);
		if (r < 0)
			return r;
	}
	if (!*interp)
		return ADD(c, FINDING_PROBLEM, "interpreter-missing", FIX_NONE,
			   N_("the '#!' line of '%s' names no interpreter"),
			   N_("make the first line of %s '#!/usr/bin/python3'"), s->path, s->path);
	r = env_name ? check_env_lookup(c, env_name) : check_interpreter(c, interp);
	if (r == 0 && is_python(interp, env_name))
		r = check_python(c, interp, env_name);
	return r;
}

/* A script that writes below /tmp: under the unit's PrivateTmp=true (Debian's
 * apache2.service, Red Hat's httpd.service) its files land in a /tmp of the
 * service's own, not the one its author looks in. */
static int
check_tmp(struct script_ctx *c)
{
	const char *h = c->s->head;

	/* PrivateTmp is systemd's: no hint for another service manager */
	if (!c->h->unit || !endswith(c->h->unit, ".service"))
		return 0;
	if (!strstr(h, "'/tmp/") && !strstr(h, "\"/tmp/") && !strstr(h, "'/tmp'")
	    && !strstr(h, "\"/tmp\""))
		return 0;
	return ADD(c, FINDING_WARNING, "private-tmp", FIX_NONE,
		   N_("'%s' uses /tmp: Apache runs with PrivateTmp=true, so its scripts see a"
		      " /tmp of their own, not the system's"),
		   N_("look in /tmp/systemd-private-*-%s-*/tmp, or write below /var/lib instead"),
		   c->s->path, c->h->unit);
}

int
check_script(const struct check_host *h, const struct check_script *s, struct findings *out)
{
	struct script_ctx c = { .h = h, .s = s, .out = out, .first = out->n };
	int r;

	switch (s->kind) {
	case CHECK_FILE_MISSING:
		return ADD(&c, FINDING_PROBLEM, "missing", FIX_NONE, N_("'%s' does not exist"),
			   N_("check the path: ls -l %s"), s->path, s->path);
	case CHECK_FILE_REGULAR:
		break;
	default:
		return ADD(&c, FINDING_PROBLEM, "not-regular", FIX_NONE,
			   N_("'%s' is not a regular file"), N_("check the path: ls -l %s"),
			   s->path, s->path);
	}
	if (s->script_alias && !has_shebang(s->head, s->head_len) && !is_elf(s->head, s->head_len)
	    && !script_extension(s->path))
		return ADD(&c, FINDING_WARNING, "not-a-script", FIX_NONE,
			   N_("'%s' is in a ScriptAlias directory, where every file is executed,"
			      " not served"),
			   N_("move it out of the ScriptAlias directory"), s->path);
	r = check_mode(&c);
	if (r == 0)
		r = check_place(&c);
	if (r == 0)
		r = check_first_line(&c);
	if (r == 0)
		r = check_tmp(&c);
	if (r == 0)
		r = check_suexec(&c);
	if (r == 0)
		r = check_selinux(&c);
	if (r < 0)
		return r;
	for (size_t i = c.first; i < out->n; i++)
		if (out->v[i].level != FINDING_OK)
			return 0;
	return ADD(&c, FINDING_OK, "script", FIX_NONE, N_("'%s': no problem found"), NULL,
		   s->path);
}

char *
check_fix_text(const char *text, size_t len, int *ret_err)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;
	const char *p = text, *end = text + len;
	bool changed = has_bom(text, len);

	*ret_err = 0;
	if (changed)
		p += 3;
	while (p < end) {
		const char *cr = memchr(p, '\r', (size_t)(end - p));

		if (!cr || cr + 1 >= end || cr[1] != '\n') {
			size_t n = cr ? (size_t)(cr - p) + 1 : (size_t)(end - p);

			if (strbuf_add(&sb, p, n) < 0)
				goto oom;
			p += n;
			continue;
		}
		if (strbuf_add(&sb, p, (size_t)(cr - p)) < 0)
			goto oom;
		p = cr + 1; /* the "\n" follows */
		changed = true;
	}
	if (!changed)
		return NULL;
	return strbuf_detach(&sb);
oom:
	*ret_err = -ENOMEM;
	return NULL;
}

/* ---- the configuration ---- */

/* DIR at or below the directory of an Alias or ScriptAlias of server VH
 * (-1: the main server), as a URL path. */
static int
url_of_alias_in(const struct model *m, int vh, const char *dir, char **ret)
{
	for (size_t i = 0; i < m->n_aliases; i++) {
		const struct model_alias *a = &m->aliases[i];
		_cleanup_free_ char *url = NULL, *path = NULL;
		const char *rest;

		if (!a->active || a->vhost != vh || strstr(a->directive, "Match"))
			continue;
		url = effective_canonical_dir(a->url);
		path = effective_canonical_dir(a->path);
		if (!url || !path)
			return -ENOMEM;
		rest = startswith(dir, path);
		if (rest && (*rest == '/' || !*rest)) {
			*ret = strdup_printf("%s%s", streq(url, "/") ? "" : url, rest);
			return *ret ? 0 : -ENOMEM;
		}
	}
	return -ENOENT;
}

int
check_url_path(const struct model *m, const struct layout *l, const char *dir, char **ret)
{
	struct request req = { .dir = (char *)dir };
	_cleanup_free_ char *url = NULL;
	bool alias = false;
	int r = plan_url_path(m, l, &req, &url, &alias, NULL);

	if (r < 0)
		return r;
	if (alias)
		return url_of_alias_in(m, -1, dir, ret);
	*ret = TAKE_PTR(url);
	return 0;
}

int
check_url_path_in(const struct model *m, const struct layout *l, int vh, const char *dir,
		  char **ret)
{
	_cleanup_free_ char *root = NULL;
	const char *written, *rest;
	int r;

	if (vh < 0 || (size_t)vh >= m->n_vhosts)
		return check_url_path(m, l, dir, ret);
	r = url_of_alias_in(m, vh, dir, ret);
	if (r == -ENOENT)
		r = url_of_alias_in(m, -1, dir, ret);
	if (r != -ENOENT)
		return r;
	written = m->vhosts[vh].document_root ? m->vhosts[vh].document_root : l->document_root;
	if (!written)
		return -ENOENT;
	root = effective_canonical_dir(written);
	if (!root)
		return -ENOMEM;
	rest = streq(root, "/") ? dir : startswith(dir, root);
	if (!rest || (*rest && *rest != '/'))
		return -ENOENT;
	*ret = strdup(rest);
	return *ret ? 0 : -ENOMEM;
}

struct config_ctx {
	const struct check_config *c;
	struct findings *out;
	const char *dir;
};

#define CADD(x, level, id, fixkind, cause, fix, ...) \
	findings_add((x)->out, (level), (id), (x)->dir, (fixkind), (cause), (fix), __VA_ARGS__)

static int
check_module(struct config_ctx *x)
{
	const struct layout *l = x->c->layout;
	_cleanup_free_ char *load = NULL;
	const char *wanted = l->cgi_wanted ? l->cgi_wanted : "cgid";

	if (!l->cgi_loaded) {
		load = x->c->enable_module ? strdup(x->c->enable_module)
					   : strdup_printf("LoadModule %s_module modules/mod_%s.so",
							   wanted, wanted);
		if (!load)
			return -ENOMEM;
		return CADD(x, FINDING_PROBLEM, "module-missing", FIX_CONFIG,
			    N_("no CGI module is loaded: Apache sends the scripts' source (or a"
			       " download) instead of running them"),
			    N_("%s, then a full restart (cgisetup --fix does both)"), load);
	}
	if (l->cgi_wanted && !streq(l->cgi_loaded, l->cgi_wanted))
		return CADD(x, FINDING_WARNING, "module-mpm", FIX_NONE,
			    N_("mod_%s is loaded with mpm_%s, which wants mod_%s"),
			    N_("load mod_%s instead of mod_%s"), l->cgi_loaded,
			    l->mpm ? l->mpm : "?", l->cgi_wanted, l->cgi_wanted, l->cgi_loaded);
	return 0;
}

static int
where(const struct model_directive *d, char **ret)
{
	*ret = d ? strdup_printf("%s:%u", d->file, d->line) : strdup("-");
	return *ret ? 0 : -ENOMEM;
}

static int
check_effective(struct config_ctx *x, const struct effective *e)
{
	char *const *exts = x->c->exts;
	_cleanup_free_ char *at = NULL;
	int r = 0;

	if (!e->exec_cgi && !e->script_alias) {
		r = where(e->exec_by, &at);
		if (r == 0)
			r = CADD(x, FINDING_PROBLEM, "execcgi-off", FIX_CONFIG,
				 N_("Options ExecCGI is off for '%s' (decided at %s): Apache answers"
				    " 403 (AH01262, AH02809)"),
				 N_("add 'Options +ExecCGI' to <Directory %s>"), x->dir, at, x->dir);
	}
	for (size_t i = 0; r == 0 && exts && exts[i]; i++)
		if (!e->handled[i] && !e->script_alias && !e->set_handler)
			r = CADD(x, FINDING_PROBLEM, "not-handled", FIX_CONFIG,
				 N_("'%s' files in '%s' are not handed to cgi-script: Apache sends"
				    " their source"),
				 N_("add 'AddHandler cgi-script %s' to <Directory %s>"), exts[i],
				 x->dir, exts[i], x->dir);
	if (r < 0)
		return r;
	free(at);
	at = NULL;
	r = where(e->access_by, &at);
	if (r == 0 && e->access == EFFECTIVE_STOCK_DENIED)
		r = CADD(x, FINDING_PROBLEM, "require-denied", FIX_CONFIG,
			 N_("'%s' is denied by the catch-all <Directory /> (%s): Apache answers"
			    " 403 (AH01630)"),
			 N_("add 'Require all granted' to <Directory %s>"), x->dir, at, x->dir);
	else if (r == 0 && e->access == EFFECTIVE_RESTRICTED)
		r = CADD(x, FINDING_WARNING, "access-restricted", FIX_NONE,
			 N_("an access rule at %s decides who reaches '%s': others get 401 or 403"),
			 N_("check that rule; cgisetup keeps it as written"), at, x->dir);
	if (r == 0 && e->defeat) {
		free(at);
		at = NULL;
		r = where(e->defeat, &at);
		if (r == 0)
			r = CADD(x, FINDING_PROBLEM, "defeated", FIX_NONE,
				 N_("'%s' at %s turns CGI off again for '%s'"),
				 N_("remove or change the line at %s"), e->defeat->name, at, x->dir,
				 at);
	}
	return r;
}

int
check_config(const struct check_config *c, struct findings *out)
{
	struct config_ctx x = { .c = c, .out = out, .dir = c->dir };
	struct effective e = { 0 };
	_cleanup_free_ char *url = NULL;
	size_t first = out->n;
	int r = check_module(&x);

	if (r < 0)
		return r;
	r = effective_dir_in(c->scopes ? c->scopes : c->model, c->in_vhost ? c->vhost : -1, c->dir,
			     c->exts, NULL, &e);
	if (r < 0)
		return r;
	r = check_effective(&x, &e);
	effective_release(&e);
	if (r < 0)
		return r;
	r = check_url_path_in(c->model, c->layout, c->in_vhost ? c->vhost : -1, c->dir, &url);
	if (r == -ENOENT) {
		_cleanup_free_ char *alias = plan_default_url_path(c->model, c->dir);

		if (!alias)
			return -ENOMEM;
		r = CADD(&x, FINDING_PROBLEM, "no-url", FIX_CONFIG,
			 N_("no Alias, ScriptAlias or DocumentRoot serves '%s': no URL reaches it"),
			 N_("add 'Alias %s %s'"), c->dir, alias, c->dir);
	}
	if (r < 0)
		return r;
	for (size_t i = first; i < out->n; i++)
		if (out->v[i].level != FINDING_OK)
			return 0;
	return CADD(&x, FINDING_OK, "config", FIX_NONE,
		    N_("'%s': CGI is on (module, ExecCGI, handler, access), served at '%s/'"),
		    NULL, c->dir, url ? url : "");
}

/* ---- suEXEC's own facts ---- */

/* VALUE of " -D NAME=VALUE" (its quotes dropped) in LINE, NULL when absent. */
static int
suexec_define(const char *line, const char *name, char **slot)
{
	const char *v = startswith(line, name);
	size_t n;

	if (!v || *v != '=' || *slot)
		return 0;
	v++;
	n = strlen(v);
	if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
		v++;
		n -= 2;
	}
	*slot = strndup(v, n);
	return *slot ? 0 : -ENOMEM;
}

static int
suexec_v_line(const char *line, struct check_suexec_v *v)
{
	const char *d = startswith(line, "-D ");
	const char *num;
	int r;

	if (!d)
		return 0;
	if (streq(d, "AP_LOG_SYSLOG"))
		v->log_syslog = true;
	if ((num = startswith(d, "AP_UID_MIN=")))
		v->uid_min = strtol(num, NULL, 10);
	if ((num = startswith(d, "AP_GID_MIN=")))
		v->gid_min = strtol(num, NULL, 10);
	r = suexec_define(d, "AP_DOC_ROOT", &v->doc_root);
	if (r == 0)
		r = suexec_define(d, "AP_LOG_EXEC", &v->log_exec);
	if (r == 0)
		r = suexec_define(d, "AP_HTTPD_USER", &v->httpd_user);
	if (r == 0)
		r = suexec_define(d, "AP_USERDIR_SUFFIX", &v->userdir_suffix);
	if (r == 0)
		r = suexec_define(d, "SUEXEC_CONFIG_DIR", &v->config_dir);
	return r;
}

int
check_parse_suexec_v(const char *text, struct check_suexec_v *ret)
{
	*ret = (struct check_suexec_v){ 0 };
	for (const char *p = text; p && *p;) {
		size_t n = strcspn(p, "\n");
		_cleanup_free_ char *line = strndup(p, n);
		char *t = line;
		int r;

		if (!line) {
			check_suexec_v_release(ret);
			return -ENOMEM;
		}
		while (*t == ' ' || *t == '\t')
			t++;
		r = suexec_v_line(t, ret);
		if (r < 0) {
			check_suexec_v_release(ret);
			return r;
		}
		p += n + (p[n] == '\n');
	}
	return 0;
}

void
check_suexec_v_release(struct check_suexec_v *v)
{
	free(v->doc_root);
	free(v->log_exec);
	free(v->httpd_user);
	free(v->userdir_suffix);
	free(v->config_dir);
	*v = (struct check_suexec_v){ 0 };
}

char *
check_suexec_reason(const char *log)
{
	const char *best = NULL;
	size_t best_n = 0;

	for (const char *p = log; p && *p;) {
		size_t n = strcspn(p, "\n");
		const char *m = p, *end = p + n;

		/* "[2026-11-30 18:00:00]: " */
		if (*m == '[' && (m = memchr(m, ']', n)) && m + 2 < end && m[1] == ':' && m[2] == ' ')
			m += 3;
		else
			m = p;
		if (end > m && !startswith(m, "uid: (")) {
			best = m;
			best_n = (size_t)(end - m);
		}
		p += n + (p[n] == '\n');
	}
	if (!best)
		return NULL;
	if (best_n > 200)
		best_n = 200;
	return strndup(best, best_n);
}
