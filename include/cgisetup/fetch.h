/* fetch.h - one HTTP GET, the way verification needs it.
 *
 * This is the only module that knows libcurl. It never uses a proxy (the
 * server under test is local; an http_proxy in the environment must not
 * answer in its place), never follows redirects (a redirect is itself a
 * finding), speaks only http and https, and keeps at most the first 64 KiB
 * of the body.
 *
 * Calling sequence (after a restart job, see service.h):
 *
 *	struct fetch_result res = { 0 };
 *	r = fetch_get_retry("http://127.0.0.1/cgi-bin/hello.py", 10000, &res, &d);
 *	if (r < 0)
 *		... res.error says why: refused, timeout or other ...
 *	else
 *		... res.status, res.content_type, res.body: hand to the verdict ...
 *	fetch_result_release(&res);
 *
 * Unlike other out-parameters, *RET is filled on failure too (error,
 * error_text): the verdict needs to know how the fetch failed. Release it
 * in both cases.
 */
#ifndef CGISETUP_FETCH_H
#define CGISETUP_FETCH_H

#include <stdbool.h>
#include <stddef.h>

#include "cgisetup/diag.h"

#define FETCH_BODY_MAX (64 * 1024)

enum fetch_error {
	FETCH_OK,      /* an HTTP response arrived (any status) */
	FETCH_REFUSED, /* connection refused: nothing listens (-ECONNREFUSED) */
	FETCH_TIMEOUT, /* no complete answer in time (-ETIMEDOUT) */
	FETCH_OTHER,   /* anything else: bad URL, name lookup, TLS, reset ... */
};

/* How to reach the URL (fetch_get_opts); zero means none of it. */
struct fetch_opts {
	/* "NAME:PORT:ADDRESS": connect to ADDRESS for NAME:PORT (libcurl's
	 * CURLOPT_RESOLVE), so that Host and SNI say NAME while the
	 * connection stays on loopback */
	const char *pin;
	/* https: accept the server's own certificate unverified (a local
	 * proof of a server on this host, never a client's trust decision) */
	bool any_certificate;
};

struct fetch_result {
	long status;        /* HTTP status, 0 when no response */
	char *content_type; /* Content-Type as sent, NULL when none */
	char *body;         /* NUL-terminated, at most FETCH_BODY_MAX bytes */
	size_t body_len;
	enum fetch_error error;
	char *error_text;   /* libcurl's words, NULL on FETCH_OK */
	char *location;     /* a redirect's absolute target, NULL when none */
};

/* Free what R holds and zero it; R may be NULL or already released. */
void fetch_result_release(struct fetch_result *r);

/* GET URL once; TIMEOUT_MS bounds the connect and the whole transfer.
 * Returns 0 when an HTTP response arrived (any status, body possibly cut at
 * FETCH_BODY_MAX), or a negative errno with ret->error set: -ECONNREFUSED,
 * -ETIMEDOUT, -EINVAL (bad URL), -EIO or -ENOMEM. */
int fetch_get(const char *url, unsigned timeout_ms, struct fetch_result *ret,
	struct diag *d);

/* fetch_get with OPTS (may be NULL). */
int fetch_get_opts(const char *url, const struct fetch_opts *opts, unsigned timeout_ms,
		   struct fetch_result *ret, struct diag *d);

/* Like fetch_get, but while the connection is refused or times out, try
 * again until TOTAL_MS have passed since the call (a server that is still
 * starting). Waits between tries grow from 50 to 500 ms and never run past
 * the deadline; one try is given at most 5 s or what is left. Other errors
 * return at once. */
int fetch_get_retry(const char *url, unsigned total_ms, struct fetch_result *ret,
	struct diag *d);
int fetch_get_retry_opts(const char *url, const struct fetch_opts *opts, unsigned total_ms,
			 struct fetch_result *ret, struct diag *d);

/* For --version: *RET_BUILT the libcurl cgisetup was built against
 * (static), *RET_RUNNING the one it runs with (curl_version_info; free it).
 * 0, or -ENOMEM. */
int fetch_version(const char **ret_built, char **ret_running);

#endif
