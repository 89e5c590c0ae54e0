/* verify.h - prove over HTTP that a script runs (the probe, activate.h).
 *
 * Fetches the URL Apache serves it at (retrying a bounded few seconds while
 * Apache comes up), judges the answer (verdict.h) and collects the error-log
 * lines written since the request.
 */
#ifndef CGISETUP_VERIFY_H
#define CGISETUP_VERIFY_H

#include <stdbool.h>
#include <sys/types.h>

#include "cgisetup/diag.h"
#include "cgisetup/probe.h"
#include "cgisetup/verdict.h"

struct verify_result {
	char *url;      /* the URL actually fetched (after a followed redirect) */
	char *redirected_from; /* the URL that redirected to it, or NULL */
	char *location; /* a redirect that was not followed, or NULL */
	bool any_certificate; /* https: the server's certificate was not verified */
	enum verdict verdict;
	long status;
	char *content_type;
	char *log_tail; /* error-log lines written meanwhile, or NULL */
	char *body;     /* what the script printed (at most 4 KiB) */
};

/* The URL of PATH ("/cgi/hello.py") on the layout's Listen address:
 * https on an HTTPS-only server. */
char *verify_url(const struct layout *l, const char *path);
/* With a vhost name (--vhost, or a --check URL's): that name pinned to the
 * Listen address ("NAME:PORT:ADDRESS", fetch_opts.pin), so that the request
 * carries its Host and SNI and stays on this host; NULL without one. */
char *verify_pin(const struct layout *l);
/* The current size of the error log, to read what comes after it. */
off_t verify_log_offset(const struct layout *l);
int verify_fetch(const struct layout *l, const char *url, const char *proof, unsigned total_ms,
		 struct verify_result *ret, struct diag *d);
/* Whether the error log gained a line holding NEEDLE after OFFSET. */
bool verify_log_has(const struct layout *l, off_t offset, const char *needle);
/* The HTTP status PATH answers with now (0: no answer), for comparing the
 * site before and after a rollback. */
int verify_status(const struct layout *l, const char *path, long *ret_status);
void verify_result_release(struct verify_result *r);
/* Whether a Unix socket listens at PATH (/proc/net/unix: no connection is
 * made, which mod_cgid's daemon would log as an error). */
bool verify_socket_listening(const char *path);

#endif
