/* main.c - set up the locale and hand over to the command line. */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

#include "cgisetup/cli.h"
#include "cgisetup/i18n.h"
#include "cgisetup/output.h"

int
main(int argc, char **argv)
{
	struct request req;
	struct diag d = { 0 };
	enum cli_mode mode;
	char msg[DIAG_MSG_MAX];
	int r;

	setlocale(LC_ALL, "");
	/* CGISETUP_TEST_LOCALEDIR: for the test suite only (tests/tree/json-english.sh
	 * brings a catalogue of its own); not documented to users */
	bindtextdomain(PACKAGE, getenv("CGISETUP_TEST_LOCALEDIR") ? getenv("CGISETUP_TEST_LOCALEDIR")
								   : LOCALEDIR);
	textdomain(PACKAGE);

	if (request_init(&req) < 0) {
		fputs("cgisetup: out of memory\n", stderr);
		return EXIT_FAILURE_;
	}
	r = cli_parse(argc, argv, &req, &mode, &d);
	if (r < 0) {
		fprintf(stderr, _("cgisetup: %s\n"), output_message(&d, msg));
		fprintf(stderr, _("Try 'cgisetup --help' for more information.\n"));
		request_release(&req);
		return EXIT_USAGE;
	}
	r = cli_run(mode, &req);
	request_release(&req);
	return r;
}
