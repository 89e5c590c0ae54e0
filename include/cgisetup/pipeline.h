/* pipeline.h - request -> facts -> layout -> plan -> apply, for every front end.
 *
 * The CLI and the wizard call the same functions and learn about progress
 * through the same reporter (reporter.h: every step begins and ends once),
 * so neither holds a rule of its own. What a run found and did, they read
 * from its result (struct pipeline_result); the engine itself is opaque.
 *
 * Calling sequence:
 *	pipeline_prepare(&req, PREPARE_..., &p, &d);  detection and plan
 *	pipeline_diff(p, &sb);               optional: the preview
 *	pipeline_apply(p, &reporter, &d);    PREPARE_APPLY only: writes, rolls
 *	                                     back on failure
 *	pipeline_result(p)                   at any time after prepare
 *	pipeline_free(p);
 *
 * Only PREPARE_APPLY writes anything, and only from pipeline_prepare() on:
 * it takes the journal's lock for the whole run and first rolls back a run
 * that was interrupted (journal.h). The other modes read only: an
 * interrupted run is reported as pending (result.recovery_pending), with
 * what its recovery will do, and left for the next run that writes.
 */
#ifndef CGISETUP_PIPELINE_H
#define CGISETUP_PIPELINE_H

#include "cgisetup/activate.h"
#include "cgisetup/plan.h"
#include "cgisetup/probe.h"
#include "cgisetup/reporter.h"
#include "cgisetup/request.h"

enum prepare_mode {
	PREPARE_APPLY,   /* lock, recover, plan: pipeline_apply() may follow */
	PREPARE_DRY_RUN, /* --dry-run: plan only, nothing written */
	PREPARE_PREVIEW, /* the wizard's preview: as a dry run; the wizard
			  * prepares again with PREPARE_APPLY before it applies */
};

/* --vhost: one copy of the virtual host the change goes into. */
struct pipeline_copy {
	const char *file; /* the file edited (a symlink's target), inside root */
	unsigned line;    /* its <VirtualHost> line */
};

/* What a run found and did; filled by pipeline_prepare() and
 * pipeline_apply(), valid until pipeline_free(). */
struct pipeline_result {
	enum prepare_mode mode;
	const struct request *req;
	const struct host *host;     /* detection: layout, warnings */
	const struct plan *plan;     /* the changes, the URL path, warnings */
	const char *url;             /* hello.py's URL, for the user to try (the HTTP
				      * check fetches a probe of its own) */
	bool has_changes;            /* applying would change anything */
	bool has_hello;              /* hello.py is in DIR once applied (written, or
				      * there already): url answers */
	bool applied;                /* pipeline_apply() succeeded */
	const struct pipeline_copy *copies; /* --vhost: every copy written into */
	size_t n_copies;
	const struct activation *act; /* restart path, verification, rollback restart */
	bool observed;               /* pipeline_observe(): act->before is filled */
	bool not_loaded;             /* pipeline_observe(): configured, but the running
				      * Apache read its configuration before the latest
				      * apply for DIR wrote it (--no-restart) */
	bool module_pending;         /* not_loaded: that apply enabled the CGI module */
	bool activated;              /* pipeline_activate() succeeded */
	char **rollback_failures;    /* what could not be put back, or NULL */
	unsigned recovered;          /* interrupted runs rolled back first */
	char **recovery_failures;    /* what that recovery could not put back */
	unsigned recovery_pending;   /* read-only modes: interrupted runs left */
	char **recovery_paths;       /* the files their recovery will put back */
};

struct pipeline;

int pipeline_prepare(const struct request *req, enum prepare_mode mode, struct pipeline **ret,
		     struct diag *d);
const struct pipeline_result *pipeline_result(const struct pipeline *p);
/* Fill the activation's "before" with Apache's state (real system only; a
 * few ms): for a run that changes nothing but should say Apache is not
 * running. */
void pipeline_observe(struct pipeline *p);
/* After pipeline_observe() found result.not_loaded (PREPARE_APPLY): the
 * config test, the restart and the HTTP check, no file written. */
int pipeline_activate(struct pipeline *p, const struct reporter *rep, struct diag *d);
/* The unified diff of every file the plan changes or creates. */
int pipeline_diff(const struct pipeline *p, struct strbuf *out);
int pipeline_apply(struct pipeline *p, const struct reporter *rep, struct diag *d);
void pipeline_free(struct pipeline *p);

#endif
