/* confedit.h - the one place that knows libaugeas.
 *
 * Augeas is opened with AUG_NO_MODL_AUTOLOAD and only the Httpd lens, over
 * an explicit list of files (literal paths, so no two patterns overlap and
 * Augeas loads every one of them). Changes are made in the tree only;
 * confedit_preview() returns the text a file would then have, and the
 * caller writes it (atomically, through fsops.h) or prints it as a diff.
 * So dry-run and apply produce the very same bytes.
 *
 * Calling sequence:
 *	confedit_open(root, files, &ce, &d);
 *	confedit_check_parsed(ce, file, &d);    for each file to be edited
 *	confedit_set_dir_written(ce, "${TOOLS}");   optional
 *	confedit_view(ce, main_config, dir, &view, &d);
 *	... plan_build(...) ...
 *	confedit_apply(ce, &plan, &d);
 *	confedit_preview(ce, file, &text, &d);  for each file the plan edits
 *	confedit_close(ce);
 */
#ifndef CGISETUP_CONFEDIT_H
#define CGISETUP_CONFEDIT_H

#include "cgisetup/diag.h"
#include "cgisetup/plan.h"

/* The text of the marker comment cgisetup puts in its sections. */
#define CONFEDIT_MARKER "managed by cgisetup (undo with: cgisetup --undo)"

struct confedit;

int confedit_open(const char *root, char *const *files, struct confedit **ret, struct diag *d);
void confedit_close(struct confedit *ce);

/* Parse FILE from TEXT instead of from the disk: for a file without a
 * final newline, which Augeas 1.14 parses but cannot preview; the caller
 * passes the text with the newline added, and the preview has it. */
int confedit_load_text(struct confedit *ce, const char *file, const char *text, struct diag *d);

/* Fail with "cannot parse 'FILE' line N: MESSAGE" when Augeas could not. */
int confedit_check_parsed(struct confedit *ce, const char *file, struct diag *d);

/* The spelling of DIR's section argument in the file when it is not DIR
 * itself ("${TOOLS}", from the model): that section is DIR's too. */
int confedit_set_dir_written(struct confedit *ce, const char *written);

int confedit_view(struct confedit *ce, const char *main_config, const char *dir,
		  struct confview *ret, struct diag *d);
void confedit_view_release(struct confview *v);

/* Carry out the CHANGE_CONF_* steps of P in the tree (nothing is written),
 * except CHANGE_CONF_MODULE_UNCOMMENT, a text edit (see textedit.h). */
int confedit_apply(struct confedit *ce, const struct plan *p, const char *dir,
		   struct diag *d);

int confedit_preview(struct confedit *ce, const char *file, char **ret, struct diag *d);

/* Remove, by their markers, the <Directory DIR> section cgisetup wrote, its
 * Alias for URL and a LoadModule line it added. Returns how many nodes went.
 * Augeas re-formats what follows a removed node (see textedit.h), so undo
 * uses this only when cgisetup's own lines were edited since. */
int confedit_remove_managed(struct confedit *ce, const char *file, const char *dir,
			    const char *url, struct diag *d);

/* For --version: *RET_BUILT the Augeas cgisetup was built against (static),
 * *RET_RUNNING the one it runs with, read from /augeas/version of a handle
 * that loads no lens and no file (NULL when Augeas cannot start; free it).
 * 0, or -ENOMEM. */
int confedit_version(const char **ret_built, char **ret_running);

#endif
