/* live.c - read what apachectl -V, -t -D DUMP_... and -M print (see live.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>

#include "cgisetup/live.h"
#include "cgisetup/scan.h"
#include "cgisetup/util.h"

typedef int (*line_fn)(struct live *l, const char *line);

static int
for_each_line(struct live *l, const char *text, line_fn fn)
{
	const char *p = text;

	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		_cleanup_free_ char *line = strndup(p, n);
		int r;

		if (!line)
			return -ENOMEM;
		r = fn(l, line);
		if (r < 0)
			return r;
		p = nl ? nl + 1 : NULL;
	}
	return 0;
}

static int
set_field(char **field, const char *value)
{
	char *v = strdup(value);

	if (!v)
		return -ENOMEM;
	free(*field);
	*field = v;
	return 0;
}

/* Value of `KEY: "value"` or `KEY: value`, quotes removed. */
static int
set_after(char **field, const char *line, const char *key)
{
	const char *rest = startswith(line, key);
	_cleanup_free_ char *v = NULL;

	if (!rest)
		return 0;
	while (*rest == ' ' || *rest == '\t')
		rest++;
	v = strdup(rest);
	if (!v)
		return -ENOMEM;
	return set_field(field, scan_unquote(v));
}

/* `-D NAME="value"` from -V. */
static int
set_define(char **field, const char *line, const char *name)
{
	const char *p = line;
	_cleanup_free_ char *v = NULL;

	while (*p == ' ')
		p++;
	p = startswith(p, "-D ");
	if (!p || !(p = startswith(p, name)) || *p != '=')
		return 0;
	v = strdup(p + 1);
	if (!v)
		return -ENOMEM;
	return set_field(field, scan_unquote(v));
}

static int
version_line(struct live *l, const char *line)
{
	const char *p;
	int r;

	r = set_after(&l->version, line, "Server version:");
	if (r >= 0)
		r = set_after(&l->mpm, line, "Server MPM:");
	if (r >= 0)
		r = set_define(&l->httpd_root, line, "HTTPD_ROOT");
	if (r >= 0)
		r = set_define(&l->config_file, line, "SERVER_CONFIG_FILE");
	p = strstr(line, "threaded:");
	if (p)
		l->threaded = strstr(p, "yes") != NULL;
	return r;
}

int
live_parse_version(struct live *l, const char *text)
{
	int r = for_each_line(l, text, version_line);

	if (r < 0 || !l->config_file || l->config_file[0] == '/' || !l->httpd_root)
		return r;
	/* SERVER_CONFIG_FILE is relative to HTTPD_ROOT unless absolute. */
	char *abs = path_join(l->httpd_root, l->config_file);
	if (!abs)
		return -ENOMEM;
	free(l->config_file);
	l->config_file = abs;
	return 0;
}

/* `User: name="www-data" id=33` */
static int
set_user(struct live *l, const char *line)
{
	const char *p = startswith(line, "User: name=\"");
	const char *end;

	if (!p || !(end = strchr(p, '"')))
		return 0;
	free(l->user);
	l->user = strndup(p, (size_t)(end - p));
	return l->user ? 0 : -ENOMEM;
}

static int
run_cfg_line(struct live *l, const char *line)
{
	int r = set_after(&l->server_root, line, "ServerRoot:");

	if (r >= 0)
		r = set_after(&l->document_root, line, "Main DocumentRoot:");
	if (r >= 0)
		r = set_after(&l->error_log, line, "Main ErrorLog:");
	if (r >= 0)
		r = set_after(&l->pid_file, line, "PidFile:");
	if (r >= 0)
		r = set_user(l, line);
	return r;
}

int
live_parse_run_cfg(struct live *l, const char *text)
{
	return for_each_line(l, text, run_cfg_line);
}

/* `  (146) /etc/apache2/mods-enabled/alias.load` or `  (*) /etc/...` */
static int
include_line(struct live *l, const char *line)
{
	const char *p = line;

	while (*p == ' ')
		p++;
	if (*p != '(' || !(p = strchr(p, ')')))
		return 0;
	p++;
	while (*p == ' ')
		p++;
	if (*p != '/' || strv_contains(l->includes, p))
		return 0;
	/* "(*) /etc/apache2/apache2.conf": the main configuration file */
	if (!l->config_file && strstr(line, "(*)") && !(l->config_file = strdup(p)))
		return -ENOMEM;
	return strv_extend(&l->includes, p);
}

int
live_parse_includes(struct live *l, const char *text)
{
	return for_each_line(l, text, include_line);
}

/* ` cgid_module (shared)` */
static int
module_line(struct live *l, const char *line)
{
	const char *p = line, *end;

	if (*p != ' ')
		return 0;
	while (*p == ' ')
		p++;
	end = strstr(p, " (");
	if (!end)
		return 0;
	/* the MPM is a module too: "mpm_event_module (shared)" */
	if (!l->mpm && startswith(p, "mpm_") && end - p > 11 && startswith(end - 7, "_module")) {
		l->mpm = strndup(p + 4, (size_t)(end - p - 11));
		if (!l->mpm)
			return -ENOMEM;
		l->threaded = !streq(l->mpm, "prefork");
	}
	return strv_push(&l->modules, strndup(p, (size_t)(end - p)));
}

int
live_parse_modules(struct live *l, const char *text)
{
	return for_each_line(l, text, module_line);
}

void
live_release(struct live *l)
{
	free(l->version);
	free(l->mpm);
	free(l->httpd_root);
	free(l->config_file);
	free(l->server_root);
	free(l->document_root);
	free(l->error_log);
	free(l->user);
	free(l->pid_file);
	strv_free(l->includes);
	strv_free(l->modules);
	*l = (struct live){ 0 };
}
