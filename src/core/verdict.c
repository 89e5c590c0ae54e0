/* verdict.c - judging an HTTP answer, choosing a restart (see verdict.h). */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cgisetup/util.h"
#include "cgisetup/verdict.h"

static const struct {
	const char *name;
	const char *explain;
} verdicts[] = {
	[VERDICT_RAN] = { "ran", N_("the script ran") },
	[VERDICT_SOURCE] = { "source-served",
			     N_("Apache sent the script's source instead of running it: the CGI "
				"module is not loaded, or the handler is not applied") },
	[VERDICT_FORBIDDEN] = { "forbidden",
				N_("403 Forbidden: access to the directory is denied (Require), "
				   "ExecCGI is off, or a path component is not searchable") },
	[VERDICT_UNAUTHORIZED] = { "unauthorized",
				   N_("401 Unauthorized: the directory asks for credentials "
				      "(AuthType, Require valid-user)") },
	[VERDICT_NOT_FOUND] = { "not-found",
				N_("404 Not Found: the URL does not map to the directory") },
	[VERDICT_SERVER_ERROR] = { "server-error",
				   N_("500 Internal Server Error: the script failed (interpreter, "
				      "mode, line endings or its output; see the error log)") },
	[VERDICT_UNAVAILABLE] = { "unavailable",
				  N_("503 Service Unavailable: the cgid daemon is not running "
				     "(a graceful reload does not start it; a full restart does)") },
	[VERDICT_REFUSED] = { "refused", N_("connection refused: Apache is not listening") },
	[VERDICT_TIMEOUT] = { "timeout", N_("no answer in time") },
	[VERDICT_UNEXPECTED] = { "unexpected", N_("an unexpected answer") },
	[VERDICT_REDIRECT] = { "redirect",
			       N_("a redirect that leaves this server (or does not go to https): "
				  "not followed, the proof stays on this host") },
};

static bool
is_html(const char *content_type)
{
	return content_type && strncasecmp(content_type, "text/html", 9) == 0;
}

enum verdict
verdict_judge(const struct http_answer *a)
{
	const char *body = a->body ? a->body : "";

	if (!a->answered)
		return a->refused ? VERDICT_REFUSED : VERDICT_TIMEOUT;
	switch (a->status) {
	case 200:
		if (is_html(a->content_type) && strstr(body, a->proof))
			return VERDICT_RAN;
		/* The source holds the expression, never its value. */
		if (startswith(body, "#!") || strstr(body, "import sys"))
			return VERDICT_SOURCE;
		return VERDICT_UNEXPECTED;
	case 401:
		return VERDICT_UNAUTHORIZED;
	case 403:
		return VERDICT_FORBIDDEN;
	case 404:
		return VERDICT_NOT_FOUND;
	case 500:
		return VERDICT_SERVER_ERROR;
	case 503:
		return VERDICT_UNAVAILABLE;
	case 301:
	case 302:
	case 303:
	case 307:
	case 308:
		return VERDICT_REDIRECT;
	default:
		return VERDICT_UNEXPECTED;
	}
}

void
verdict_url_release(struct url_parts *u)
{
	free(u->scheme);
	free(u->host);
	free(u->path);
	*u = (struct url_parts){ 0 };
}

/* HOST[:PORT] of an authority; brackets of an IPv6 literal kept. */
static int
url_split_authority(const char *a, size_t n, struct url_parts *u)
{
	const char *end = a + n, *colon;
	unsigned long port;
	char *stop;

	if (memchr(a, '@', n))
		return -EINVAL; /* credentials: never the server's own redirect */
	if (n && a[0] == '[') {
		const char *rb = memchr(a, ']', n);

		if (!rb)
			return -EINVAL;
		colon = rb + 1 < end && rb[1] == ':' ? rb + 1 : NULL;
		if (!colon && rb + 1 != end)
			return -EINVAL;
	} else {
		colon = memchr(a, ':', n);
	}
	u->host = strndup(a, colon ? (size_t)(colon - a) : n);
	if (!u->host)
		return -ENOMEM;
	if (!colon || colon + 1 == end)
		return *u->host ? 0 : -EINVAL;
	errno = 0;
	port = strtoul(colon + 1, &stop, 10);
	if (errno || stop != end || port == 0 || port > 65535)
		return -EINVAL;
	u->port = (unsigned)port;
	return *u->host ? 0 : -EINVAL;
}

int
verdict_url_split(const char *url, struct url_parts *ret)
{
	struct url_parts u = { 0 };
	const char *sep = strstr(url, "://"), *auth, *path;
	int r;

	if (!sep)
		return -EINVAL;
	u.scheme = strndup(url, (size_t)(sep - url));
	if (!u.scheme)
		return -ENOMEM;
	for (char *c = u.scheme; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	auth = sep + 3;
	path = auth + strcspn(auth, "/?#");
	r = url_split_authority(auth, (size_t)(path - auth), &u);
	if (r >= 0 && !u.port)
		u.port = streq(u.scheme, "https") ? 443 : streq(u.scheme, "http") ? 80 : 0;
	if (r >= 0)
		u.path = strdup(*path ? path : "/");
	if (r >= 0 && !u.path)
		r = -ENOMEM;
	if (r >= 0 && !u.port)
		r = -EINVAL;
	if (r < 0) {
		verdict_url_release(&u);
		return r;
	}
	*ret = u;
	return 0;
}

bool
verdict_host_is_loopback(const char *host)
{
	return strcaseeq(host, "localhost") || streq(host, "[::1]") ||
	       startswith(host, "127.") != NULL;
}

/* An address literal ("192.0.2.1", "[2001:db8::1]"), not a name. */
static bool
host_is_address(const char *host)
{
	return host[0] == '[' || host[strspn(host, "0123456789.")] == '\0';
}

bool
verdict_follow_redirect(const char *from_url, const char *location, char *const *names)
{
	struct url_parts from = { 0 }, to = { 0 };
	bool follow = false;

	if (verdict_url_split(from_url, &from) < 0)
		return false;
	if (verdict_url_split(location, &to) >= 0 && streq(to.scheme, "https"))
		follow = verdict_host_is_loopback(to.host) ||
			 (!host_is_address(to.host) &&
			  (strcaseeq(to.host, from.host) || strv_contains_case(names, to.host)));
	verdict_url_release(&from);
	verdict_url_release(&to);
	return follow;
}

const char *
verdict_name(enum verdict v)
{
	return verdicts[v].name;
}

const char *
verdict_explain(enum verdict v)
{
	return verdicts[v].explain;
}

char *
verdict_log_tail(const char *log, size_t n_lines)
{
	const char *end = log + strlen(log), *p = end;
	size_t seen = 0;

	if (p > log && p[-1] == '\n')
		p--;
	while (p > log) {
		if (p[-1] == '\n' && ++seen == n_lines)
			break;
		p--;
	}
	return strdup(p);
}

/* "Syntax error on line 225 of /etc/apache2/apache2.conf: Syntax error on
 * line 1 of /etc/apache2/conf-enabled/x.conf:": the file ends at the first
 * ':' followed by white space or the end. */
bool
verdict_configtest_where(const char *out, char **ret_file, unsigned *ret_line)
{
	const char *p = out, *found = NULL;
	unsigned long line = 0, n;
	char *end;

	*ret_file = NULL;
	while (p && (p = strstr(p, "line ")) != NULL) {
		p += strlen("line ");
		n = strtoul(p, &end, 10);
		if (end == p || n == 0 || strncmp(end, " of /", 5) != 0)
			continue;
		found = end + strlen(" of ");
		line = n;
	}
	if (!found)
		return false;
	for (p = found; *p && *p != '\n' && !(*p == ':' && (!p[1] || isspace((unsigned char)p[1])));
	     p++)
		;
	*ret_file = strndup(found, (size_t)(p - found));
	*ret_line = (unsigned)line;
	return *ret_file != NULL;
}

enum restart_job
verdict_restart_job(bool running, bool module_enabled, bool config_changed)
{
	if (!running)
		return RESTART_START;
	if (module_enabled)
		return RESTART_FULL;
	return config_changed ? RESTART_RELOAD : RESTART_NONE;
}

const char *
verdict_restart_name(enum restart_job j)
{
	static const char *const names[] = { "none", "start", "reload", "restart", "stop" };

	return names[j];
}

enum restart_job
verdict_first_job(bool running, bool force_restart)
{
	if (!running)
		return RESTART_START;
	return force_restart ? RESTART_FULL : RESTART_RELOAD;
}

static bool
access_denied(enum verdict v)
{
	return v == VERDICT_FORBIDDEN || v == VERDICT_UNAUTHORIZED;
}

enum check_outcome
verdict_outcome(bool expect_run, bool restricted, enum verdict v)
{
	if (!expect_run)
		return v == VERDICT_RAN ? CHECK_FAILED : CHECK_PROVEN;
	if (v == VERDICT_RAN)
		return CHECK_PROVEN;
	return restricted && access_denied(v) ? CHECK_RESTRICTED : CHECK_FAILED;
}

const char *
verdict_outcome_name(enum check_outcome o)
{
	static const char *const names[] = { "proven", "restricted", "failed" };

	return names[o];
}

/* Verdicts that mean "the new configuration is not (fully) active yet". */
static bool
not_active_yet(enum verdict v)
{
	return v == VERDICT_NOT_FOUND || v == VERDICT_SOURCE || v == VERDICT_UNAVAILABLE ||
	       v == VERDICT_REFUSED || v == VERDICT_TIMEOUT;
}

enum next_step
verdict_next(enum restart_job job, unsigned reloads, bool module_enabled, bool expect_run,
	     bool restricted, enum verdict v, bool time_left)
{
	if (!expect_run) {
		if (v != VERDICT_RAN)
			return NEXT_DONE;
		if (time_left)
			return NEXT_WAIT;
		return job == RESTART_RELOAD ? NEXT_RESTART : NEXT_FAIL;
	}
	if (verdict_outcome(expect_run, restricted, v) != CHECK_FAILED)
		return NEXT_DONE;
	if (!not_active_yet(v))
		return NEXT_FAIL;
	if (job == RESTART_RELOAD && v == VERDICT_UNAVAILABLE && module_enabled && reloads == 1)
		return NEXT_RELOAD_AGAIN;
	if (time_left)
		return NEXT_WAIT;
	return job == RESTART_RELOAD ? NEXT_RESTART : NEXT_FAIL;
}

const char *
verdict_next_reason(enum next_step step, enum verdict v)
{
	switch (step) {
	case NEXT_RELOAD_AGAIN:
		return N_("mod_cgid answered 503 after the first graceful reload: its daemon starts "
			  "on the second pass");
	case NEXT_RESTART:
		return v == VERDICT_RAN ? N_("the script still ran after the graceful reload")
					: N_("the graceful reload did not make the script run");
	default:
		return NULL;
	}
}
