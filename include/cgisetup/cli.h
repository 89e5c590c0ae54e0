/* cli.h - the command line: options into a struct request (front end). */
#ifndef CGISETUP_CLI_H
#define CGISETUP_CLI_H

#include "cgisetup/diag.h"
#include "cgisetup/request.h"

enum cli_mode {
	CLI_APPLY,   /* --dir ... [--yes] [--dry-run] */
	CLI_DETECT,  /* --detect */
	CLI_UNDO,    /* --undo */
	CLI_STATUS,  /* --status */
	CLI_CHECK,   /* --check [TARGET] */
	CLI_FIX,     /* --fix [TARGET] */
	CLI_HELP,
	CLI_VERSION,
};

enum cli_exit {
	EXIT_OK = 0,      /* applied, or already configured */
	EXIT_FAILURE_ = 1, /* failed; everything was put back */
	EXIT_USAGE = 2,   /* bad usage or bad input; nothing changed */
};

int cli_parse(int argc, char **argv, struct request *req, enum cli_mode *ret_mode,
	      struct diag *d);
void cli_usage(void);
int cli_run(enum cli_mode mode, struct request *req);

#endif
