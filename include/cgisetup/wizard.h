/* wizard.h - the ncurses setup wizard (`sudo cgisetup` on a terminal).
 *
 * A thin face over the pipeline the command line uses (see
 * src/ui/wizard-int.h for its screens).
 *
 * Calling sequence:
 *	r = wizard_run(&req);   exit code (cli.h's enum cli_exit)
 */
#ifndef CGISETUP_WIZARD_H
#define CGISETUP_WIZARD_H

#include "cgisetup/request.h"

/* Run the wizard on the controlling terminal. REQ may already hold
 * --dir, --url-path, --ext, --config, --root, --force...; the wizard
 * fills in the rest. Returns the exit code: 0 applied or already
 * configured, 1 failed or cancelled, 2 bad input or no usable terminal. */
int wizard_run(struct request *req);

/* For --version: *RET_BUILT the ncurses the wizard was built against and
 * *RET_RUNNING the one it runs with (curses_version()); both static. */
void wizard_curses_version(const char **ret_built, const char **ret_running);

#endif
