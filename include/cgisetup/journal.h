/* journal.h - the crash-safe record of what cgisetup changes, and the lock.
 *
 * Every run that writes (apply, undo, recovery) is a transaction recorded
 * under ROOT/var/lib/cgisetup/entries/NNNNNN/ before its first write:
 *
 *	manifest   one record per line, tab-separated, written to a temporary
 *	           name, fsynced and renamed, so it is either whole or absent
 *	old-N      the bytes of every file the transaction will replace or remove
 *	new-N      the bytes it will write (to tell later whether the file is
 *	           still exactly what cgisetup left)
 *	committed  present once the transaction completed
 *
 * A transaction without "committed" was interrupted: journal_recover() puts
 * every file it names back to the exact previous bytes (idempotent, so a
 * crash during recovery is recovered by the next run). A committed "apply"
 * transaction is what --undo takes back; a committed "undo" transaction
 * removes itself and the apply it undid.
 *
 * The whole run holds an flock on ROOT/var/lib/cgisetup (the directory).
 *
 * Calling sequence:
 *	journal_open(root, may_create, wait_ms, &j, &d);   lock, bounded wait
 *	journal_recover(j, &n_recovered, &d);     a run that writes, first
 *	journal_pending(j, &n, &paths, &d);       a run that only reads
 *	journal_begin(j, "apply", &t);
 *	txn_meta(t, "dir", "/srv/cgi"); ...
 *	txn_replace(t, path, new_bytes) / txn_create_file / txn_create_dir /
 *	txn_create_symlink / txn_remove_file / ... / txn_chmod   (records only)
 *	txn_prepare(t, &d);                       durable, before the first write
 *	... write ...
 *	txn_commit(t, &d)  or  txn_rollback(t, &failures)
 *	txn_free(t); journal_close(j);
 */
#ifndef CGISETUP_JOURNAL_H
#define CGISETUP_JOURNAL_H

#include <stdbool.h>
#include <sys/types.h>

#include "cgisetup/diag.h"


enum txn_op {
	TXN_REPLACE,        /* an existing file gets new bytes */
	TXN_CREATE_FILE,
	TXN_CREATE_DIR,
	TXN_CREATE_SYMLINK,
	TXN_REMOVE_FILE,    /* an existing file goes away (undo) */
	TXN_REMOVE_DIR,
	TXN_REMOVE_SYMLINK,
	TXN_CHMOD,
	TXN_CHANGE,         /* a plan change, kept for undo (no file action) */
	TXN_PROBE,          /* the HTTP check's transient script: written and
			     * removed within the run; a recovery removes it,
			     * an undo has nothing to take back */
};

struct txn_record {
	enum txn_op op;
	char *path;
	char *target;   /* symlink target; TXN_CHANGE: the change text */
	char *old_data; /* bytes before (REPLACE, REMOVE_FILE) */
	size_t old_len;
	char *new_data; /* bytes after (REPLACE, CREATE_FILE) */
	size_t new_len;
	mode_t mode;    /* REPLACE/REMOVE: old mode; CREATE: mode; CHMOD: old */
	mode_t new_mode; /* CHMOD */
	uid_t uid;
	gid_t gid;
};

struct txn {
	char *dir;       /* the entry directory (inside root) */
	char *name;      /* "000012" */
	char **meta_keys;
	char **meta_values;
	struct txn_record *recs;
	size_t n_recs;
	bool committed;
	bool prepared;
	struct journal *journal;
};

struct journal;

/* Lock the journal at ROOT, waiting at most WAIT_MS for another run. */
int journal_open(const char *root, bool may_create, unsigned wait_ms, struct journal **ret,
		 struct diag *d);
void journal_close(struct journal *j);
/* Whether this run holds the lock: false after journal_open(may_create =
 * false) on a system without a journal. */
bool journal_locked(const struct journal *j);
/* Whether any entry, committed or not, is in the journal. */
bool journal_has_entries(struct journal *j);
/* Roll back interrupted transactions; *ret_n tells how many there were. */
int journal_recover(struct journal *j, unsigned *ret_n, char ***ret_failures, struct diag *d);
/* What journal_recover() would do, without doing it (a dry run): how many
 * interrupted transactions there are and the files their rollback puts
 * back (a strv, NULL when none). */
int journal_pending(struct journal *j, unsigned *ret_n, char ***ret_paths, struct diag *d);
/* Committed transactions of KIND ("apply"), oldest first. */
int journal_list(struct journal *j, const char *kind, struct txn ***ret, size_t *ret_n,
		 struct diag *d);
void journal_list_free(struct txn **v, size_t n);
/* After undo transaction UNDO committed: drop the apply it undid, or, when
 * UNDO says it was partly undone ("partly_undone"), keep it with that
 * reason; hand its module symlinks on to the entry "module_heir" names;
 * then drop UNDO. Recovery does the same for an undo cut after its
 * commit. */
int journal_finish_undo(struct journal *j, struct txn *undo, struct diag *d);
/* Delete a committed transaction (after it was undone). */
int journal_forget(struct journal *j, struct txn *t, struct diag *d);
/* Whether the journal lies at ROOT and has anything in it. */
bool journal_exists(const char *root);

int journal_begin(struct journal *j, const char *kind, struct txn **ret);
int txn_meta(struct txn *t, const char *key, const char *value);
const char *txn_get_meta(const struct txn *t, const char *key);
/* Replace KEY's value, or add it. */
int txn_set_meta(struct txn *t, const char *key, const char *value);
/* Write a committed entry's manifest again, with its meta changed or
 * symlink records appended (an undo that hands a module on, or leaves the
 * entry partly undone). */
int txn_amend(struct txn *t, struct diag *d);
int txn_replace(struct txn *t, const char *path, const char *new_data, size_t new_len,
		struct diag *d);
int txn_create_file(struct txn *t, const char *path, const char *data, size_t len, mode_t mode);
int txn_probe(struct txn *t, const char *path, const char *data, size_t len, mode_t mode);
int txn_create_dir(struct txn *t, const char *path, mode_t mode);
int txn_create_symlink(struct txn *t, const char *path, const char *target);
int txn_remove_file(struct txn *t, const char *path, struct diag *d);
int txn_remove_dir(struct txn *t, const char *path, mode_t mode);
int txn_remove_symlink(struct txn *t, const char *path, const char *target);
int txn_chmod(struct txn *t, const char *path, mode_t old_mode, mode_t new_mode);
int txn_change(struct txn *t, const char *text);
int txn_prepare(struct txn *t, struct diag *d);
int txn_commit(struct txn *t, struct diag *d);
/* Put back everything the records name (whatever was done of it yet) and
 * delete the entry; what could not be put back is appended to *failures,
 * and then the entry stays (in progress) for the next run to retry: -EIO. */
int txn_rollback(struct txn *t, char ***failures);
void txn_free(struct txn *t);

#endif
