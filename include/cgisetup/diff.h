/* diff.h - unified diffs of two texts, for --dry-run and the wizard's preview.
 *
 * Lines are compared with a longest-common-subsequence table; for very
 * large inputs it falls back to trimming the common head and tail, which
 * still gives a correct (if less tight) diff.
 */
#ifndef CGISETUP_DIFF_H
#define CGISETUP_DIFF_H

#include "cgisetup/util.h"

/* Append to OUT the unified diff (3 lines of context) turning OLD into NEW,
 * with "--- OLD_LABEL" / "+++ NEW_LABEL" headers. OLD may be NULL for a new
 * file. Nothing is appended when the texts are equal. */
int diff_unified(const char *old_text, const char *new_text, const char *old_label,
		 const char *new_label, struct strbuf *out);

/* PREFIX ("a" or "b") and PATH as a diff names it: quoted C-style, as
 * GNU diff and git do, when PATH holds a backslash, a double quote or a
 * control character. diff_unified() ends a label with a space by a tab. */
char *diff_name(const char *prefix, const char *path);

/* A new file PATH (absolute) with CONTENT and MODE, or a new symlink to
 * TARGET, as a git-style diff ("diff --git", "new file mode"): GNU patch
 * (2.7 and later) and git apply both create it with that mode, or as a
 * symlink. */
int diff_new_file(const char *path, const char *content, unsigned mode, struct strbuf *out);
int diff_new_symlink(const char *path, const char *target, struct strbuf *out);

/* Take the change OLD -> NEW back out of CURRENT, a text that may have
 * been edited elsewhere since: every run of lines the change added or
 * altered is found in CURRENT (as a whole, nearest to where it was) and
 * replaced by what was there before. -ESRCH when a run is not found as it
 * was written (someone edited cgisetup's own lines), unless MISSING is
 * given: then such runs are left alone and counted there. */
int diff_unapply(const char *old_text, const char *new_text, const char *current, size_t *missing,
		 char **ret);

/* For every line of NEW, whether the edit script from OLD inserted it (a
 * line that replaces a deleted one is changed, not inserted): *RET (free
 * it) has *RET_N entries. */
int diff_inserted(const char *old_text, const char *new_text, bool **ret, size_t *ret_n);

#endif
