/* txn-int.h - between journal.c and txn.c only (journal.h is the public
 * side): journal.c owns the entries directory and the lock, txn.c writes,
 * commits, loads and rolls back one entry.
 *
 * Calling sequence:
 *	journal_begin() -> txn.c: journal_next_entry(j, &dir, &name, &d)
 *	journal_recover() / journal_pending() / journal_list() ->
 *	        txn_load(j, name, &t)          then txn_rollback() or txn_free()
 *	txn.c: journal_root(j), journal_entry_dir(name) for its paths
 */
#ifndef CGISETUP_TXN_INT_H
#define CGISETUP_TXN_INT_H

#include "cgisetup/journal.h"

const char *journal_root(const struct journal *j);
char *journal_entry_dir(const char *name);
int journal_next_entry(struct journal *j, char **ret_dir, char **ret_name, struct diag *d);
/* Load entry NAME; -ENOENT when it has no manifest (a journal write that
 * never finished: nothing was changed after it). */
int txn_load(struct journal *j, const char *name, struct txn **ret);

#endif
