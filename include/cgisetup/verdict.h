/* verdict.h - what an HTTP answer says about CGI, and which restart to run.
 *
 * Pure rules: given the answer to GET hello.py (and the error-log lines
 * written meanwhile), did the script run, and if not, why (RESEARCH-apache.md
 * section 5)? Given the state of Apache and the plan, which service job?
 */
#ifndef CGISETUP_VERDICT_H
#define CGISETUP_VERDICT_H

#include <stdbool.h>
#include <stddef.h>

enum verdict {
	VERDICT_RAN,            /* 200, text/html, the proof value */
	VERDICT_SOURCE,         /* the script's source came back: no CGI module */
	VERDICT_FORBIDDEN,      /* 403 */
	VERDICT_UNAUTHORIZED,   /* 401: authentication required */
	VERDICT_NOT_FOUND,      /* 404 */
	VERDICT_SERVER_ERROR,   /* 500 */
	VERDICT_UNAVAILABLE,    /* 503: cgid daemon not started */
	VERDICT_REFUSED,        /* nothing listens */
	VERDICT_TIMEOUT,
	VERDICT_UNEXPECTED,     /* any other answer */
	VERDICT_REDIRECT,       /* 3xx to a place the proof does not follow */
};

struct http_answer {
	bool answered;        /* false: no HTTP response at all */
	bool refused;         /* connection refused (when !answered) */
	long status;
	const char *content_type;
	const char *body;
	const char *proof;    /* the value only running the script prints */
};

enum verdict verdict_judge(const struct http_answer *a);

/* A URL split into its parts: "https://[::1]:8443/cgi/x.py" gives
 * "https", "[::1]" (brackets kept), 8443, "/cgi/x.py". The port defaults
 * to the scheme's. */
struct url_parts {
	char *scheme;
	char *host;
	unsigned port;
	char *path;
};

int verdict_url_split(const char *url, struct url_parts *ret);
void verdict_url_release(struct url_parts *u);
bool verdict_host_is_loopback(const char *host);

/* Whether the proof follows a redirect from FROM_URL to LOCATION: only to
 * https, and only to this server (the host FROM_URL named, a loopback
 * address, or one of NAMES, the configuration's ServerName and
 * ServerAlias); the caller then connects on loopback whatever the name
 * resolves to. A redirect elsewhere is reported, not followed. */
bool verdict_follow_redirect(const char *from_url, const char *location, char *const *names);

/* What an apply's check proves. An admin's access rule (Require ip,
 * Require valid-user) answers 401/403 to cgisetup as to anyone: when the
 * plan knows such a rule decides access (RESTRICTED), that answer says the
 * configuration is in place but cannot be proven over HTTP, which is not a
 * failure. Without such a rule a 401/403 is one. */
enum check_outcome {
	CHECK_PROVEN,     /* the script ran (apply) or no longer runs (undo) */
	CHECK_RESTRICTED, /* configured; not proven: access is restricted */
	CHECK_FAILED,     /* anything else (or not decided yet) */
};

enum check_outcome verdict_outcome(bool expect_run, bool restricted, enum verdict v);
const char *verdict_outcome_name(enum check_outcome o); /* for --json */
const char *verdict_name(enum verdict v);          /* for --json, never translated */
const char *verdict_explain(enum verdict v);       /* N_() text for humans */
/* The last N lines of LOG (error-log bytes written since the request). */
char *verdict_log_tail(const char *log, size_t n_lines);
/* Where Apache's config test (OUT, what `apachectl -t` printed) says the
 * error is: the innermost "line N of FILE" (an Include names its parent
 * first). *RET_FILE is allocated; false when OUT names no file and line. */
bool verdict_configtest_where(const char *out, char **ret_file, unsigned *ret_line);

enum restart_job {
	RESTART_NONE,
	RESTART_START,    /* Apache was not running */
	RESTART_RELOAD,   /* graceful: the configuration changed */
	RESTART_FULL,     /* a module was loaded: mod_cgid starts its daemon only
			   * on a full restart (RESEARCH-apache.md 2.2) */
	RESTART_STOP,     /* a rollback leaves Apache stopped as it was found */
};

enum restart_job verdict_restart_job(bool running, bool module_enabled, bool config_changed);
const char *verdict_restart_name(enum restart_job j);

/* Zero-downtime activation (RESEARCH-apache.md 2.2, issue 5): a graceful
 * reload keeps every connection. mod_cgid registers on the first graceful
 * pass and starts its daemon on the next, so a newly loaded cgid answers
 * 503 until a second graceful reload; the HTTP check decides. A full
 * restart only when the graceful path does not make the script run, when
 * the user asks (--restart), or to start a stopped Apache. */
enum restart_job verdict_first_job(bool running, bool force_restart);

enum next_step {
	NEXT_DONE,         /* the check gives what was expected */
	NEXT_WAIT,         /* not decided yet: the new generation is coming up */
	NEXT_RELOAD_AGAIN, /* mod_cgid's second pass */
	NEXT_RESTART,      /* the graceful path did not do it: full restart */
	NEXT_FAIL,         /* a restart would not fix this */
};

/* After JOB (RELOADS graceful reloads done so far) the check gave V;
 * RESTRICTED: an admin's access rule decides access to the directory
 * (verdict_outcome()): a 401/403 is then final, no restart changes it. */
enum next_step verdict_next(enum restart_job job, unsigned reloads, bool module_enabled,
			    bool expect_run, bool restricted, enum verdict v, bool time_left);
/* Why the step was taken, for the user (N_() text). */
const char *verdict_next_reason(enum next_step step, enum verdict v);

#endif
