/* undo.h - take back an applied change (the latest, or one that no later
 * change builds on), and list what is applied.
 *
 * Undo takes back exactly what the apply did, no more, no less, and keeps
 * everyone else's edits: a configuration file still exactly as cgisetup
 * left it gets its original bytes back; one edited since has only
 * cgisetup's own lines taken out (diff_unapply, see diff.h). Files cgisetup
 * created go unless they were changed since (then they are kept, with a
 * warning); directories it created go once empty; modes it changed come
 * back; the module goes only if this apply enabled it. Like apply, undo is
 * a journal transaction, tested, restarted and verified (the script must no
 * longer run), and rolled back itself if any of that fails.
 *
 * Calling sequence:
 *	undo_prepare(req, &u, &d);       lock, recover (not with --dry-run:
 *	                                 recovery_pending), plan (read-only)
 *	if (u.target) { undo_diff(&u, &sb); undo_apply(&u, &reporter, &d); }
 *	undo_release(&u);
 */
#ifndef CGISETUP_UNDO_H
#define CGISETUP_UNDO_H

#include "cgisetup/activate.h"
#include "cgisetup/journal.h"
#include "cgisetup/reporter.h"
#include "cgisetup/request.h"

struct undo {
	const struct request *req;
	struct journal *journal;
	unsigned recovered;
	char **recovery_failures;
	unsigned recovery_pending; /* --dry-run: interrupted runs left as they are */
	char **recovery_paths;     /* the files their recovery will put back */
	struct txn **applied;  /* committed applies, oldest first */
	size_t n_applied;
	struct txn *target;    /* the one to undo, or NULL */
	struct txn *heir;      /* the later entry its module symlinks go to, or NULL */
	char **partly;         /* what cannot be undone, and why (the entry stays) */
	struct host host;
	bool have_host;
	struct txn *txn;       /* the undo transaction */
	char **warnings;
	char **rollback_failures;
	struct activation act;
	/* The HTTP check's probe (activate.h), as the apply's: NULL when the
	 * apply recorded none (an older journal) or DIR is gone; the check
	 * fetches hello.py then. */
	char *probe_path;
	char *probe_url_path;
	char *probe_content;
	bool done;
};

/* The target: req->undo_id (an entry --status lists), else the latest
 * entry for req->dir, else the latest entry. A target that later entries
 * build on (the same directory, a LoadModule line they need) is refused
 * (DIAG_USAGE), naming the one to undo first. */
int undo_prepare(const struct request *req, struct undo *ret, struct diag *d);
/* --undo ID --forget: drop the target from the journal, change no file. */
int undo_forget(struct undo *u, struct diag *d);
/* The ID --status shows for entry T ("3" for entry 000003). */
const char *undo_id(const struct txn *t);
int undo_diff(const struct undo *u, struct strbuf *out);
int undo_apply(struct undo *u, const struct reporter *rep, struct diag *d);
void undo_release(struct undo *u);

/* For --status: the committed applies (undo_prepare without planning). */
int undo_status(const struct request *req, struct undo *ret, struct diag *d);
/* Whether every file of apply T is still as cgisetup left it. */
bool undo_intact(const struct undo *u, const struct txn *t);

/* Whether scripts in the entry's directory ran before that apply (an
 * earlier entry, a distribution's ScriptAlias): the undo then leaves them
 * running, and proves that, instead of proving them gone. */
bool undo_runs_still(const struct undo *u);

/* The scope of apply T, from its journal entry; *VHOST is the name
 * --vhost was given (NULL when the entry does not say, or not a vhost). */
enum request_scope undo_entry_scope(const struct txn *t, const char **vhost);

/* Another applied entry for the target's directory (an earlier apply with
 * other extensions): CGI stays on there after the undo; NULL when none. */
const struct txn *undo_entry_still_serving(const struct undo *u);

#endif
