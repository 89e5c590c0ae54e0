/* main.c - set up the locale and hand over to the command line. */
#include "config.h"

#include <locale.h>
#include <stdio.h>

#include "cgisetup/cli.h"
#include "cgisetup/i18n.h"

static const char *
translate(const char *msgid)
{
	return gettext(msgid);
}

int
main(int argc, char **argv)
{
	struct request req;
	struct diag d = { 0 };
	enum cli_mode mode;
	int r;

	setlocale(LC_ALL, "");
	bindtextdomain(PACKAGE, LOCALEDIR);
	textdomain(PACKAGE);
	diag_translator = translate;

	if (request_init(&req) < 0) {
		fputs("cgisetup: out of memory\n", stderr);
		return EXIT_FAILURE_;
	}
	r = cli_parse(argc, argv, &req, &mode, &d);
	if (r < 0) {
		fprintf(stderr, _("cgisetup: %s\n"), d.msg);
		fprintf(stderr, _("Try 'cgisetup --help' for more information.\n"));
		request_release(&req);
		return EXIT_USAGE;
	}
	r = cli_run(mode, &req);
	request_release(&req);
	return r;
}
