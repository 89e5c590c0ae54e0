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

#endif
