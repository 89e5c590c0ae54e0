/* pipeline.h - request -> facts -> layout -> plan -> apply, for every front end.
 *
 * The CLI and the wizard call the same three functions and learn about
 * progress through the same reporter (reporter.h: every step begins and
 * ends once), so neither holds a rule of its own.
 *
 * Calling sequence:
 *	pipeline_prepare(&req, &p, &d);     read-only: detection and plan
 *	pipeline_diff(&p, &sb);             optional: the preview
 *	pipeline_apply(&p, &reporter, &d);  writes; rolls back on failure
 *	pipeline_release(&p);
 */
#ifndef CGISETUP_PIPELINE_H
#define CGISETUP_PIPELINE_H

#include "cgisetup/confedit.h"
#include "cgisetup/plan.h"
#include "cgisetup/probe.h"
#include "cgisetup/request.h"
#include "cgisetup/activate.h"
#include "cgisetup/journal.h"
#include "cgisetup/reporter.h"

/* One configuration file the plan edits: its bytes before and after. */
struct edited_file {
	char *path;
	char *old_text;
	size_t old_len;
	char *new_text;
	bool via_augeas; /* false: only a LoadModule line is uncommented */
};

struct pipeline {
	const struct request *req;
	struct host host;
	struct confview view;
	struct dirview dir;
	struct plan plan;
	char *hello_content;
	struct edited_file *edits;
	size_t n_edits;
	bool applied;
	char **rollback_failures; /* what could not be put back, if anything */

	struct journal *journal;  /* held (locked) from prepare to release */
	unsigned recovered;       /* interrupted runs rolled back first */
	char **recovery_failures;
	struct txn *txn;
	struct activation act;    /* restart and verification, real system only */
	bool observed;            /* pipeline_observe() filled act.before */
};

int pipeline_prepare(const struct request *req, struct pipeline *ret, struct diag *d);
/* Fill p->act.before with Apache's state (real system only; a few ms):
 * for a run that changes nothing but should say Apache is not running. */
void pipeline_observe(struct pipeline *p);
/* Whether applying would change anything. */
bool pipeline_has_changes(const struct pipeline *p);
/* The unified diff of every file the plan changes or creates. */
int pipeline_diff(const struct pipeline *p, struct strbuf *out);
int pipeline_apply(struct pipeline *p, const struct reporter *rep, struct diag *d);
void pipeline_release(struct pipeline *p);

#endif
