/* checklog.c - the live half of --check: what an HTTP answer and the
 * error-log lines Apache wrote for that request say went wrong (see
 * check.h; the catalogue of messages is httpd 2.4's mod_cgi.c, mod_cgid.c,
 * util_script.c, mod_authz_core.c, request.c and suexec.c). */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>

#include "cgisetup/check.h"
#include "cgisetup/util.h"

#define LOG_TEXT_MAX 200 /* of a quoted log text in a finding */

/* What the lines say, gathered in one pass. */
struct log_facts {
	bool denied;        /* AH01630 */
	bool execcgi_off;   /* AH01262 / AH02809 */
	char *blocked;      /* AH00035: the filesystem path */
	bool not_found;     /* AH01264 / AH02811 */
	char *exec_errno;   /* AH01241 / mod_cgi: "(2)No such file or directory" */
	char *env_missing;  /* /usr/bin/env: 'NAME': No such file or directory */
	bool env_denied;    /* ... 'NAME': Permission denied */
	char *bad_header;   /* malformed header from script: Bad header: TEXT */
	bool invalid_header; /* AH02429 */
	char *error_line;   /* a Python exception's last line */
	bool end_of_output; /* End of script output before headers */
	bool timed_out;     /* Script timed out before returning headers */
	bool cgid_down;     /* AH01257 */
	bool suexec;        /* suexec policy violation */
};

static void
log_facts_release(struct log_facts *lf)
{
	free(lf->blocked);
	free(lf->exec_errno);
	free(lf->env_missing);
	free(lf->bad_header);
	free(lf->error_line);
}

/* A copy of S up to the first of STOP (or its end), at most LOG_TEXT_MAX
 * bytes, control characters shown as '?'. */
static char *
copy_until(const char *s, const char *stop)
{
	const char *end = stop ? strstr(s, stop) : NULL;
	size_t n = end ? (size_t)(end - s) : strlen(s);
	char *c;

	if (n > LOG_TEXT_MAX)
		n = LOG_TEXT_MAX;
	c = strndup(s, n);
	for (char *p = c; p && *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = '?';
	return c;
}

static int
set_once(char **slot, char *value)
{
	if (!value)
		return -ENOMEM;
	if (*slot)
		free(value);
	else
		*slot = value;
	return 0;
}

/* The script's own stderr in an error-log line: after "stderr from
 * PATH: " (mod_cgi, AH01215), else after Apache's "[...] " prefixes, else
 * the line itself (mod_cgid copies it raw). */
static const char *
payload(const char *line)
{
	const char *p = strstr(line, "stderr from ");

	if (p) {
		p = strstr(p, ": ");
		return p ? p + 2 : line;
	}
	while (*line == '[') {
		const char *end = strchr(line, ']');

		if (!end)
			break;
		line = end + 1 + strspn(end + 1, " ");
	}
	return line;
}

/* Whether P is a Python exception's last line: "NameError: ...",
 * "ModuleNotFoundError: No module named 'cgi'". */
static bool
is_exception_line(const char *p)
{
	size_t n = 0;

	while (isalnum((unsigned char)p[n]) || p[n] == '_' || p[n] == '.')
		n++;
	if (n < 5 || p[n] != ':')
		return false;
	return (n >= 5 && memcmp(p + n - 5, "Error", 5) == 0)
	       || (n >= 9 && memcmp(p + n - 9, "Exception", 9) == 0)
	       || (n >= 4 && memcmp(p + n - 4, "Exit", 4) == 0);
}

/* The first "(N)Text" in LINE before LIMIT: how an exec failed. */
static const char *
errno_text(const char *line, const char *limit)
{
	for (const char *p = line; p < limit; p++) {
		size_t n;

		if (*p != '(')
			continue;
		n = strspn(p + 1, "0123456789");
		if (n > 0 && p[1 + n] == ')')
			return p;
	}
	return NULL;
}

static int
read_line(struct log_facts *lf, const char *line)
{
	const char *p = payload(line), *q;
	int r = 0;

	if (strstr(line, "AH01630"))
		lf->denied = true;
	if (strstr(line, "AH01262") || strstr(line, "AH02809")
	    || strstr(line, "Options ExecCGI is off"))
		lf->execcgi_off = true;
	if (strstr(line, "AH00035") && (q = strstr(line, "(filesystem path '")))
		r = set_once(&lf->blocked, copy_until(q + 18, "'"));
	if (strstr(line, "AH01264") || strstr(line, "AH02811")
	    || strstr(line, "script not found or unable to stat"))
		lf->not_found = true;
	if (r == 0 && (q = strstr(line, "exec of '")) && strstr(q, "' failed")) {
		const char *e = errno_text(line, q);

		r = set_once(&lf->exec_errno, e ? copy_until(e, ":") : strdup("?"));
	}
	if (r == 0 && (q = strstr(p, "env: '")) && !lf->env_missing) {
		r = set_once(&lf->env_missing, copy_until(q + 6, "': "));
		lf->env_denied = strstr(q, "': Permission denied") != NULL;
	}
	if (r == 0 && (q = strstr(line, "Bad header: ")))
		r = set_once(&lf->bad_header, copy_until(q + 12, NULL));
	else if (r == 0 && strstr(line, "malformed header from script"))
		r = set_once(&lf->bad_header, strdup(""));
	if (strstr(line, "AH02429"))
		lf->invalid_header = true;
	if (r == 0 && is_exception_line(p)) {
		/* the last one wins: a traceback's final line */
		free(lf->error_line);
		lf->error_line = copy_until(p, NULL);
		r = lf->error_line ? 0 : -ENOMEM;
	}
	if (strstr(line, "End of script output before headers"))
		lf->end_of_output = true;
	if (strstr(line, "Script timed out"))
		lf->timed_out = true;
	if (strstr(line, "AH01257") || strstr(line, "unable to connect to cgi daemon"))
		lf->cgid_down = true;
	if (strstr(line, "suexec policy violation"))
		lf->suexec = true;
	return r;
}

static int
read_log(struct log_facts *lf, const char *log)
{
	const char *p = log;

	while (p && *p) {
		const char *nl = strchr(p, '\n');
		_cleanup_free_ char *line = strndup(p, nl ? (size_t)(nl - p) : strlen(p));
		int r;

		if (!line)
			return -ENOMEM;
		r = read_line(lf, line);
		if (r < 0)
			return r;
		p = nl ? nl + 1 : NULL;
	}
	return 0;
}

#define LADD(f, out, level, id, cause, fix, ...) \
	findings_add((out), (level), (id), (f)->url, FIX_NONE, (cause), (fix), __VA_ARGS__)

static const char *
script_of(const struct check_fetch *f)
{
	return f->script ? f->script : f->url;
}

/* Whether a 200 brought the script's source back rather than its output. */
static bool
is_source(const struct check_fetch *f)
{
	const char *b = f->body ? f->body : "";
	const char *ct = f->content_type ? f->content_type : "";

	if (startswith(b, "\xef\xbb\xbf"))
		b += 3;
	return startswith(b, "#!") || strstr(ct, "x-python") || strstr(ct, "x-perl")
	       || strstr(ct, "x-sh") || strstr(ct, "x-cgi");
}

static int
map_exec_failure(const struct check_fetch *f, const struct log_facts *lf, struct findings *out)
{
	const char *e = lf->exec_errno, *s = script_of(f);

	if (startswith(e, "(2)"))
		return LADD(f, out, FINDING_PROBLEM, "exec-enoent",
			    N_("Apache could not start '%s': %s (AH01241): the interpreter named by"
			       " its '#!' line does not exist, or the line ends in a carriage return"),
			    N_("correct its first line (head -1 %s | od -c shows it)"), s, e, s);
	if (startswith(e, "(8)"))
		return LADD(f, out, FINDING_PROBLEM, "exec-enoexec",
			    N_("Apache could not start '%s': %s (AH01241): it has no '#!' line, or"
			       " a byte order mark comes before it"),
			    N_("make '#!/usr/bin/python3' the very first bytes of %s"), s, e, s);
	if (startswith(e, "(13)"))
		return LADD(f, out, FINDING_PROBLEM, "exec-eacces",
			    N_("Apache could not start '%s': %s (AH01241): no exec bit, a noexec"
			       " mount or SELinux"),
			    N_("chmod 755 %s; if it is already executable, check the mount"
			       " (findmnt -T %s) and SELinux (ls -Z %s)"), s, e, s, s, s);
	return LADD(f, out, FINDING_PROBLEM, "exec-failed",
		    N_("Apache could not start '%s': %s"), N_("cgisetup --check %s"), s, e, s);
}

static int
map_env(const struct check_fetch *f, const char *name, bool denied, struct findings *out)
{
	size_t n = strlen(name);

	if (denied)
		return LADD(f, out, FINDING_PROBLEM, "interpreter-not-executable",
			    N_("/usr/bin/env found '%s' on the web server's PATH but may not run it"
			       " (Permission denied), running '%s'"),
			    N_("chmod a+rx \"$(readlink -f \"$(command -v %s)\")\""), name,
			    script_of(f), name);

	if ((n >= 1 && name[n - 1] == '?') || (n >= 2 && endswith(name, "\\r")))
		return LADD(f, out, FINDING_PROBLEM, "crlf",
			    N_("'%s' has Windows line endings: /usr/bin/env looks for '%s'"),
			    N_("sed -i 's/\\r$//' %s"), script_of(f), name, script_of(f));
	return LADD(f, out, FINDING_PROBLEM, "env-not-found",
		    N_("/usr/bin/env finds no '%s' on the web server's PATH, running '%s'"),
		    N_("write the interpreter's full path in the first line of %s"
		       " (cgisetup --check %s names one)"),
		    name, script_of(f), script_of(f), script_of(f));
}

static int
map_exception(const struct check_fetch *f, const char *line, struct findings *out)
{
	if (strstr(line, "No module named 'cgi'") || strstr(line, "No module named 'cgitb'"))
		return LADD(f, out, FINDING_PROBLEM, "import-cgi",
			    N_("'%s' stopped with: %s (cgi and cgitb were removed in Python 3.13)"),
			    N_("install the drop-in legacy-cgi (pip install legacy-cgi), or read"
			       " the request with os.environ and urllib.parse instead"),
			    script_of(f), line);
	if (strstr(line, "SyntaxError") && strstr(line, "print"))
		return LADD(f, out, FINDING_PROBLEM, "python2-syntax",
			    N_("'%s' stopped with: %s: it is Python 2 syntax"),
			    N_("write print() as a function: print(\"...\")"), script_of(f), line);
	return LADD(f, out, FINDING_PROBLEM, "traceback",
		    N_("'%s' stopped with an exception before its headers: %s"),
		    N_("fix the line the traceback names (the error log has it all)"),
		    script_of(f), line);
}

/* suEXEC refused: the reason from its own log when it was read. */
static int
map_suexec(const struct check_fetch *f, struct findings *out)
{
	_cleanup_free_ char *reason = f->suexec_log ? check_suexec_reason(f->suexec_log) : NULL;

	if (reason)
		return LADD(f, out, FINDING_PROBLEM, "suexec-policy",
			    N_("suEXEC refused to run '%s' (suexec policy violation): %s (%s)"),
			    N_("make the script, its directory and SuexecUserGroup meet suEXEC's"
			       " rules (suexec -V shows them)"),
			    script_of(f), reason, f->suexec_log_path ? f->suexec_log_path : "-");
	return LADD(f, out, FINDING_PROBLEM, "suexec-policy",
		    N_("suEXEC refused to run '%s' (suexec policy violation)"),
		    N_("read the reason in suEXEC's own log (suexec -V names it,"
		       " AP_LOG_EXEC)"), script_of(f));
}

static int
map_server_error(const struct check_fetch *f, const struct log_facts *lf, struct findings *out)
{
	const char *s = script_of(f);

	if (lf->suexec)
		return map_suexec(f, out);
	if (lf->env_missing)
		return map_env(f, lf->env_missing, lf->env_denied, out);
	if (lf->exec_errno)
		return map_exec_failure(f, lf, out);
	if (lf->error_line)
		return map_exception(f, lf->error_line, out);
	if (lf->bad_header)
		return LADD(f, out, FINDING_PROBLEM, "malformed-header",
			    N_("'%s' printed '%s' where a header belongs (malformed header from"
			       " script)"),
			    N_("print 'Content-Type: text/html' and then an empty line before"
			       " anything else"), s, lf->bad_header);
	if (lf->invalid_header)
		return LADD(f, out, FINDING_PROBLEM, "output-before-headers",
			    N_("'%s' printed text before its headers (AH02429: a header name with"
			       " invalid characters)"),
			    N_("print 'Content-Type: text/html' and then an empty line before"
			       " anything else"), s);
	if (lf->timed_out)
		return LADD(f, out, FINDING_PROBLEM, "timeout",
			    N_("'%s' sent no header before Apache's Timeout"),
			    N_("make it answer sooner, or raise 'Timeout' (seconds) in the"
			       " configuration"), s);
	if (lf->end_of_output)
		return LADD(f, out, FINDING_PROBLEM, "no-output",
			    N_("'%s' ended before it printed any header (End of script output"
			       " before headers)"),
			    N_("make it print 'Content-Type: text/html' and an empty line first,"
			       " and exit 0; its own errors, if any, are in the error log"), s);
	return LADD(f, out, FINDING_PROBLEM, "server-error",
		    N_("'%s' answered HTTP 500 and the error log says nothing about it"),
		    N_("look at the error log of the virtual host that serves %s"), f->url,
		    f->url);
}

static int
map_forbidden(const struct check_fetch *f, const struct log_facts *lf, struct findings *out)
{
	if (lf->blocked)
		return LADD(f, out, FINDING_PROBLEM, "path-blocked",
			    N_("the web server cannot search '%s' (AH00035): a directory on the"
			       " path lacks the x bit for it"),
			    N_("chmod o+x %s"), lf->blocked, lf->blocked);
	if (lf->execcgi_off)
		return LADD(f, out, FINDING_PROBLEM, "execcgi-off",
			    N_("Options ExecCGI is off for '%s' (AH01262, AH02809)"),
			    N_("add 'Options +ExecCGI' to the script's <Directory> (cgisetup --fix)"),
			    script_of(f));
	if (lf->denied)
		return LADD(f, out, FINDING_PROBLEM, "require-denied",
			    N_("the configuration denies '%s' (AH01630: client denied by server"
			       " configuration)"),
			    N_("add 'Require all granted' to the script's <Directory>"
			       " (cgisetup --fix)"), script_of(f));
	if (lf->suexec)
		return map_server_error(f, lf, out);
	return LADD(f, out, FINDING_PROBLEM, "forbidden",
		    N_("'%s' answered HTTP 403 and the error log says nothing about it"),
		    N_("look for a <Location> or .htaccess rule that denies %s"), f->url, f->url);
}

static int
map_answer(const struct check_fetch *f, const struct log_facts *lf, struct findings *out)
{
	char status[24];

	switch (f->status) {
	case 200:
		if (is_source(f))
			return LADD(f, out, FINDING_PROBLEM, "source-served",
				    N_("'%s' came back as its own source: Apache does not run it (no"
				       " CGI module, or no handler for it)"),
				    N_("cgisetup --fix (loads the module, adds the handler, then a full"
				       " restart)"), f->url);
		if (f->proof && (!f->body || !strstr(f->body, f->proof)))
			break;
		return LADD(f, out, FINDING_OK, "ran", N_("'%s' ran: HTTP 200"), NULL, f->url);
	case 401:
		return LADD(f, out, FINDING_WARNING, "auth",
			    N_("'%s' asks for a login (HTTP 401): an admin's rule"),
			    N_("fetch it with the credentials that rule wants"), f->url);
	case 403:
		return map_forbidden(f, lf, out);
	case 404:
		return lf->not_found
			       ? LADD(f, out, FINDING_PROBLEM, "not-found",
				      N_("'%s' maps to a file that does not exist (AH01264)"),
				      N_("check the file name, or the Alias/ScriptAlias the URL goes"
					 " through"), f->url)
			       : LADD(f, out, FINDING_PROBLEM, "not-found",
				      N_("nothing is served at '%s' (HTTP 404)"),
				      N_("check the URL against the Alias/ScriptAlias that serves the"
					 " directory (cgisetup --status)"), f->url);
	case 500:
		return map_server_error(f, lf, out);
	case 503:
		if (lf->cgid_down)
			return LADD(f, out, FINDING_PROBLEM, "cgid-down",
				    N_("mod_cgid's daemon is not running (AH01257: unable to connect to"
				       " cgi daemon): a graceful reload alone does not start it"),
				    N_("systemctl restart apache2 (a full restart)"), f->url);
		break;
	case 504:
		return LADD(f, out, FINDING_PROBLEM, "timeout",
			    N_("'%s' sent no header before Apache's Timeout (Script timed out)"),
			    N_("make it answer sooner, or raise 'Timeout' (seconds) in the"
			       " configuration"), script_of(f));
	default:
		break;
	}
	snprintf(status, sizeof(status), "%ld", f->status);
	return LADD(f, out, FINDING_PROBLEM, "unexpected",
		    N_("'%s' answered HTTP %s, not the script's output"),
		    N_("look at the error log of the virtual host that serves %s"), f->url, status,
		    f->url);
}

int
check_log(const struct check_fetch *f, const char *log, struct findings *out)
{
	struct log_facts lf = { 0 };
	int r = log ? read_log(&lf, log) : 0;

	if (r == 0 && !f->answered)
		r = f->timed_out
			    ? LADD(f, out, FINDING_PROBLEM, "no-answer",
				   N_("'%s' did not answer in time"),
				   N_("systemctl status apache2; a script that never ends holds the"
				      " request until Apache's Timeout"), f->url)
			    : LADD(f, out, FINDING_PROBLEM, "no-answer",
				   N_("nothing answers at '%s'"), N_("systemctl start apache2"),
				   f->url);
	else if (r == 0)
		r = map_answer(f, &lf, out);
	log_facts_release(&lf);
	return r;
}
