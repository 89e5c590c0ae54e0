/* request.c - validating what the user asked for (see request.h). */
#include "config.h"

#include <ctype.h>
#include <strings.h>
#include <errno.h>
#include <limits.h>

#include "cgisetup/request.h"
#include "cgisetup/util.h"

/* Directories that must never become a CGI directory themselves. */
static const char *const system_dirs[] = {
	"/", "/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/lib32", "/lib64", "/libx32",
	"/media", "/mnt", "/opt", "/proc", "/root", "/run", "/sbin", "/srv", "/sys", "/tmp",
	"/usr", "/usr/bin", "/usr/include", "/usr/lib", "/usr/lib64", "/usr/libexec",
	"/usr/local", "/usr/local/bin", "/usr/local/lib", "/usr/local/sbin", "/usr/sbin",
	"/usr/share", "/var", "/var/lib", "/var/log", "/var/cache", "/var/spool", "/var/tmp",
	NULL,
};

/* Trees where no CGI directory belongs at any depth. */
static const char *const system_trees[] = {
	"/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64", "/proc", "/run",
	"/sbin", "/sys", "/usr/bin", "/usr/sbin", "/tmp", "/var/tmp", NULL,
};

int
request_init(struct request *req)
{
	*req = (struct request){ 0 };
	req->root = strdup("");
	req->wait_ms = REQUEST_DEFAULT_WAIT_MS;
	if (!req->root || strv_extend(&req->exts, ".py") < 0)
		return -ENOMEM;
	return 0;
}

void
request_release(struct request *req)
{
	free(req->root);
	free(req->dir);
	free(req->url_path);
	free(req->vhost);
	free(req->config);
	free(req->undo_id);
	strv_free(req->exts);
	*req = (struct request){ 0 };
}

static bool
ext_valid(const char *e)
{
	if (e[0] != '.' || e[1] == '\0' || strlen(e) > 32)
		return false;
	for (const char *p = e + 1; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-')
			return false;
	return true;
}

int
request_set_exts(struct request *req, const char *list, struct diag *d)
{
	_cleanup_strv_free_ char **v = NULL;
	_cleanup_free_ char *copy = strdup(list);
	char *save = NULL;

	if (!copy)
		return -ENOMEM;
	for (char *w = strtok_r(copy, ", ", &save); w; w = strtok_r(NULL, ", ", &save)) {
		if (!ext_valid(w))
			return diag_usage(d, EINVAL,
					  N_("invalid extension '%s': expected a dot and letters or digits, "
					     "such as '.py'"),
					  w);
		if (!strv_contains(v, w) && strv_extend(&v, w) < 0)
			return -ENOMEM;
	}
	if (!v)
		return diag_usage(d, EINVAL, N_("empty extension list"));
	strv_free(req->exts);
	req->exts = TAKE_PTR(v);
	return 0;
}

int
request_normalize_path(char *path)
{
	char *w = path;

	if (path[0] != '/')
		return -EINVAL;
	for (const char *r = path; *r;) {
		const char *end;
		size_t n;

		while (*r == '/')
			r++;
		if (!*r)
			break;
		end = strchrnul(r, '/');
		n = (size_t)(end - r);
		if ((n == 1 && r[0] == '.') || (n == 2 && r[0] == '.' && r[1] == '.'))
			return -EINVAL;
		*w++ = '/';
		memmove(w, r, n);
		w += n;
		r = end;
	}
	if (w == path)
		*w++ = '/';
	*w = '\0';
	return 0;
}

bool
request_path_within(const char *path, const char *dir)
{
	const char *rest;

	if (streq(dir, "/"))
		return true;
	rest = startswith(path, dir);
	return rest && (*rest == '\0' || *rest == '/');
}

/* A newline, a control character or a double quote cannot be written into
 * an Apache directive safely. */
static const char *
bad_char(const char *s)
{
	for (const char *p = s; *p; p++) {
		if (*p == '\n')
			return N_("a newline");
		if (iscntrl((unsigned char)*p))
			return N_("a control character");
		if (*p == '"')
			return N_("a double quote");
		if (*p == '\\')
			return N_("a backslash");
	}
	return NULL;
}

/* S with control characters shown as C escapes, for a message. */
static char *
printable(const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\n')
			strbuf_adds(&sb, "\\n");
		else if (*p == '\t')
			strbuf_adds(&sb, "\\t");
		else if (iscntrl(*p))
			strbuf_addf(&sb, "\\x%02x", *p);
		else
			strbuf_add(&sb, p, 1);
	}
	return strbuf_detach(&sb);
}

/* What Apache would not read literally in "<Directory DIR>": a wildcard
 * would open CGI to every directory it matches, "${" names a variable and
 * '>' ends the section's opening tag. */
static const char *
apache_special(const char *dir)
{
	if (strpbrk(dir, "*?["))
		return N_("a wildcard character ('*', '?' or '['), which Apache would match "
			  "against other directories");
	if (strstr(dir, "${"))
		return N_("'${', which Apache would read as a variable");
	if (strchr(dir, '>'))
		return N_("'>', which ends an Apache section's opening tag");
	return NULL;
}

static int
validate_dir(struct request *req, struct diag *d)
{
	const char *bad;

	if (!req->dir || !*req->dir)
		return diag_usage(d, EINVAL, N_("no CGI directory given: use --dir DIR"));
	bad = bad_char(req->dir);
	if (bad) {
		_cleanup_free_ char *shown = printable(req->dir);

		/* BAD, what it contains, is a msgid too (as below) */
		return diag_usage_tr(d, EINVAL, 1u << 1, N_("directory '%s' contains %s"), shown, bad);
	}
	/* a pasted path often brings spaces along, and Apache would read
	 * "<Directory /srv/cgi >" as another directory */
	if (isspace((unsigned char)req->dir[0]) ||
	    isspace((unsigned char)req->dir[strlen(req->dir) - 1]))
		return diag_usage(d, EINVAL,
				  N_("directory '%s' begins or ends with a space: remove it"),
				  req->dir);
	if (req->dir[0] != '/')
		return diag_usage(d, EINVAL, N_("directory '%s' is relative: give an absolute path"),
				  req->dir);
	if (strlen(req->dir) >= PATH_MAX)
		return diag_usage(d, ENAMETOOLONG,
				  N_("directory path is too long (%zu bytes; the limit is %d)"),
				  strlen(req->dir), PATH_MAX - 1);
	bad = apache_special(req->dir);
	if (bad)
		return diag_usage_tr(d, EINVAL, 1u << 1,
				     N_("directory '%s' contains %s: choose another name"), req->dir,
				     bad);
	if (request_normalize_path(req->dir) < 0)
		return diag_usage(d, EINVAL, N_("directory '%s' has a '.' or '..' component"),
				  req->dir);
	if (strv_contains((char **)system_dirs, req->dir))
		return diag_usage(d, EINVAL, N_("refusing system directory '%s' as CGI directory"),
				  req->dir);
	for (size_t i = 0; system_trees[i]; i++)
		if (request_path_within(req->dir, system_trees[i]))
			return diag_usage(d, EINVAL,
					  N_("refusing '%s': it lies in the system directory '%s'"),
					  req->dir, system_trees[i]);
	return 0;
}

static int
validate_url_path(struct request *req, struct diag *d)
{
	const char *bad;

	if (!req->url_path)
		return 0;
	bad = bad_char(req->url_path);
	if (bad) {
		_cleanup_free_ char *shown = printable(req->url_path);

		return diag_usage_tr(d, EINVAL, 1u << 1, N_("URL path '%s' contains %s"), shown, bad);
	}
	if (strpbrk(req->url_path, " \t?#%"))
		return diag_usage(d, EINVAL,
				  N_("URL path '%s' contains a space, '?', '#' or '%%'"),
				  req->url_path);
	if (req->url_path[0] != '/' || request_normalize_path(req->url_path) < 0)
		return diag_usage(d, EINVAL,
				  N_("URL path '%s' must start with '/' and have no '.' or '..' part"),
				  req->url_path);
	if (streq(req->url_path, "/"))
		return diag_usage(d, EINVAL, N_("URL path '/' would hide the whole site"));
	return 0;
}

/* A host name or a site file name: never a character that could end a
 * configuration line or a quoted argument. */
static int
validate_vhost(const struct request *req, struct diag *d)
{
	const char *bad;
	_cleanup_free_ char *shown = NULL;

	if (!req->vhost)
		return 0;
	bad = bad_char(req->vhost);
	if (!bad && strchr(req->vhost, '\''))
		bad = N_("a quote");
	if (!bad && strpbrk(req->vhost, " \t/"))
		bad = N_("a blank or a slash");
	if (!bad && !*req->vhost)
		return diag_usage(d, EINVAL, N_("--vhost needs a name"));
	if (!bad)
		return 0;
	shown = printable(req->vhost);
	return diag_usage(d, EINVAL, N_("virtual host name '%s' contains %s"), shown, bad);
}

/* --userdir: the directory is every user's ~/public_html/cgi-bin, the URL
 * mod_userdir's /~USER/cgi-bin/; neither is the user's to give. */
static int
validate_userdir(struct request *req, struct diag *d)
{
	if (req->vhost)
		return diag_usage(d, EINVAL, N_("--vhost and --userdir do not go together: "
						"per-user directories are served by every virtual "
						"host; choose one"));
	if (req->dir && !streq(req->dir, REQUEST_USERDIR_DIR))
		return diag_usage(d, EINVAL, N_("--userdir sets the directory itself (%s): give no "
						"--dir"), REQUEST_USERDIR_DIR);
	if (req->url_path)
		return diag_usage(d, EINVAL, N_("--userdir: mod_userdir serves the scripts at "
						"/~USER/cgi-bin/: give no --url-path"));
	if (!req->dir && !(req->dir = strdup(REQUEST_USERDIR_DIR)))
		return -ENOMEM;
	return 0;
}

int
request_validate(struct request *req, struct diag *d)
{
	int r = req->userdir ? validate_userdir(req, d) : validate_dir(req, d);

	if (r < 0)
		return r;
	r = validate_url_path(req, d);
	if (r >= 0)
		r = validate_vhost(req, d);
	if (r < 0)
		return r;
	if (req->config) {
		const char *bad = bad_char(req->config);

		if (bad) {
			_cleanup_free_ char *shown = printable(req->config);

			return diag_usage_tr(d, EINVAL, 1u << 1, N_("config path '%s' contains %s"),
					     shown, bad);
		}
		if (request_normalize_path(req->config) < 0)
			return diag_usage(d, EINVAL,
					  N_("config path '%s' must be absolute, without '.' or '..'"),
					  req->config);
	}
	return 0;
}

bool
request_hello_runs(const struct request *req)
{
	if (req->no_hello)
		return true;
	/* extensions are matched as Apache matches them: without case */
	for (char *const *e = req->exts; e && *e; e++)
		if (strcasecmp(*e, ".py") == 0)
			return true;
	return false;
}
