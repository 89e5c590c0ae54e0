/* diagnose.h - `cgisetup --check`: record the facts of a directory, a
 * script or a URL and hand them to the rules of check.h.
 *
 * For a directory it reads every script in it (the files whose extension
 * is handled, or every file of a ScriptAlias directory): mode, owner, the
 * first bytes, the mount, the directories on the way; it never runs one.
 * For one script or a URL it also fetches it once, the way the
 * verification does (verify_url: the Listen address and port), and reads
 * only the error-log bytes Apache wrote meanwhile (the log's size and
 * inode are recorded before the request). Under --root nothing is fetched.
 *
 * Calling sequence:
 *	struct diagnose dg = { 0 };
 *	r = diagnose_run(req, target_or_NULL, &dg, &d);   (-EINVAL: bad target)
 *	... dg.findings ...
 *	diagnose_release(&dg);
 */
#ifndef CGISETUP_DIAGNOSE_H
#define CGISETUP_DIAGNOSE_H

#include <stdbool.h>

#include "cgisetup/check.h"
#include "cgisetup/diag.h"
#include "cgisetup/probe.h"
#include "cgisetup/request.h"

struct diagnose {
	struct host host;
	bool have_host;
	struct findings findings;
	char **dirs;        /* the directories checked, in order */
	unsigned n_scripts; /* the scripts read */
	char *url;          /* the URL fetched, NULL when none */
	long status;        /* its HTTP status, 0 when it did not answer */
	char *log;          /* the error-log bytes written for that request */
};

/* Check TARGET: NULL (every directory cgisetup's journal lists), an
 * absolute directory or file, or an http or https URL.
 * FETCH: fetch a single script or URL (false: static checks only). */
int diagnose_run(const struct request *req, const char *target, bool fetch,
		 struct diagnose *ret, struct diag *d);
void diagnose_release(struct diagnose *dg);

/* Every directory cgisetup's journal lists (each once, oldest first) and,
 * when RET_VHOSTS, the --vhost each was set up with ("" for none): the
 * default of --check and --fix. -ENOENT (a usage error) when there is none. */
int diagnose_journal_dirs(const struct request *req, char ***ret, char ***ret_vhosts,
			  struct diag *d);

#endif
