/* cli.c - the command line front end.
 *
 * Parses options into a struct request through a table, then runs the same
 * pipeline as the wizard. This file decides what is printed and which exit
 * code follows; it holds no rule about Apache.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cgisetup/cli.h"
#include "cgisetup/confedit.h"
#include "cgisetup/diagnose.h"
#include "cgisetup/fetch.h"
#include "cgisetup/fsops.h"
#include "cgisetup/i18n.h"
#include "cgisetup/output.h"
#include "cgisetup/output-check.h"
#include "cgisetup/pipeline.h"
#include "cgisetup/sighold.h"
#include "cgisetup/service.h"
#include "cgisetup/undo.h"
#include "cgisetup/util.h"
#include "cgisetup/wizard.h"

enum {
	OPT_ROOT = 0x100,
	OPT_EXT,
	OPT_URL_PATH,
	OPT_CONFIG,
	OPT_JSON,
	OPT_FORCE,
	OPT_NO_HELLO,
	OPT_DETECT,
	OPT_NO_RESTART,
	OPT_NO_VERIFY,
	OPT_UNDO,
	OPT_STATUS,
	OPT_WAIT,
	OPT_RESTART,
	OPT_FORGET,
	OPT_VHOST,
	OPT_USERDIR,
	OPT_NO_START,
	OPT_CHECK,
	OPT_FIX,
};

/* --check TARGET / --fix TARGET: the one argument they take (NULL: every
 * directory in the journal); kept here, the request holds none. */
static char *check_target;

static const struct option options[] = {
	{ "dir", required_argument, NULL, 'd' },
	{ "yes", no_argument, NULL, 'y' },
	{ "dry-run", no_argument, NULL, 'n' },
	{ "root", required_argument, NULL, OPT_ROOT },
	{ "ext", required_argument, NULL, OPT_EXT },
	{ "url-path", required_argument, NULL, OPT_URL_PATH },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "no-hello", no_argument, NULL, OPT_NO_HELLO },
	{ "detect", no_argument, NULL, OPT_DETECT },
	{ "no-restart", no_argument, NULL, OPT_NO_RESTART },
	{ "no-start", no_argument, NULL, OPT_NO_START },
	{ "no-verify", no_argument, NULL, OPT_NO_VERIFY },
	{ "undo", no_argument, NULL, OPT_UNDO },
	{ "status", no_argument, NULL, OPT_STATUS },
	{ "wait", required_argument, NULL, OPT_WAIT },
	{ "restart", no_argument, NULL, OPT_RESTART },
	{ "forget", no_argument, NULL, OPT_FORGET },
	{ "vhost", required_argument, NULL, OPT_VHOST },
	{ "userdir", no_argument, NULL, OPT_USERDIR },
	{ "check", no_argument, NULL, OPT_CHECK },
	{ "fix", no_argument, NULL, OPT_FIX },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

void
cli_usage(void)
{
	printf(_("usage: cgisetup --dir DIR --yes [options]\n"
		 "       cgisetup --dir DIR --dry-run [options]\n"
		 "       cgisetup --undo [ID | --dir DIR] [--dry-run] [options]\n"
		 "       cgisetup --undo ID --forget [--yes]\n"
		 "       cgisetup --status [--root ROOT] [--json]\n"
		 "       cgisetup --detect [--root ROOT] [--json]\n"
		 "       cgisetup --check [URL | SCRIPT | DIR] [--json]\n"
		 "       cgisetup --fix [DIR | SCRIPT] --yes | --dry-run [options]\n"
		 "\n"
		 "Turn on Python CGI for DIR in Apache httpd: find the layout, edit the\n"
		 "configuration with Augeas, enable the CGI module, write hello.py.\n"
		 "\n"
		 "  -d, --dir DIR        the CGI directory (absolute path)\n"
		 "  -y, --yes            apply without asking\n"
		 "  -n, --dry-run        print the diff and the actions; write nothing\n"
		 "      --root ROOT      work on the tree under ROOT as if it were '/'\n"
		 "                       (nothing is restarted or fetched)\n"
		 "      --ext LIST       extensions run as CGI (default: .py)\n"
		 "      --url-path PATH  URL path to serve DIR at (default: from DIR)\n"
		 "      --vhost NAME     only in that virtual host (a ServerName, ServerAlias\n"
		 "                       or site file name), in every copy of it (its :80\n"
		 "                       and :443 definitions); default: server-wide\n"
		 "      --userdir        CGI in every user's ~/public_html/cgi-bin, served\n"
		 "                       at /~USER/cgi-bin/ (mod_userdir); no --dir\n"
		 "      --config FILE    the main Apache config (default: detected)\n"
		 "      --json           print a machine-readable result on stdout\n"
		 "      --force          accept a world-writable DIR\n"
		 "      --no-hello       do not write the hello.py test script\n"
		 "      --no-restart     edit only; print what to run to activate it\n"
		 "      --no-start       a stopped Apache stays stopped: configure only\n"
		 "                       (a running one is activated as usual)\n"
		 "      --restart        a full restart instead of graceful reloads (drops\n"
		 "                       the connections in flight)\n"
		 "      --no-verify      restart, but do not prove over HTTP that a script runs\n"
		 "      --undo [ID]      take back the most recent applied change, or the\n"
		 "                       one --status lists as ID (--dir DIR: the latest\n"
		 "                       for DIR)\n"
		 "      --forget         with --undo ID: drop that entry from the journal;\n"
		 "                       no file is changed\n"
		 "      --status         list what cgisetup has applied on this system\n"
		 "      --wait SECONDS   wait that long for another cgisetup run (default 10)\n"
		 "      --detect         print what was detected and exit\n"
		 "      --check [TARGET] say why CGI scripts do not run, with the fix: a URL or\n"
		 "                       one script is also fetched once; a directory's\n"
		 "                       scripts are read, never run (default: every\n"
		 "                       directory cgisetup set up)\n"
		 "      --fix [TARGET]   apply what --check can fix by itself for the\n"
		 "                       directory (or the script's): exec bits, CRLF line\n"
		 "                       endings, a byte order mark, the module, ExecCGI,\n"
		 "                       the handler, Require; journaled, --undo takes it back\n"
		 "                       (default: every directory cgisetup set up)\n"
		 "  -h, --help           show this help\n"
		 "  -V, --version        show the version\n"
		 "\n"
		 "Exit status: 0 applied or already configured, 1 failed (nothing left\n"
		 "changed), 2 bad usage or bad input (nothing changed). --check: 0 no\n"
		 "problem found, 1 a problem found, 2 bad input.\n"));
}

static int
replace(char **field, const char *value)
{
	char *v = strdup(value);

	if (!v)
		return -ENOMEM;
	free(*field);
	*field = v;
	return 0;
}

/* Strip trailing slashes from --root: "/tmp/x/" and "/tmp/x" are the same. */
static int
set_root(struct request *req, const char *value, struct diag *d)
{
	size_t n = strlen(value);

	while (n > 1 && value[n - 1] == '/')
		n--;
	if (n == 0)
		return diag_usage(d, EINVAL, N_("empty --root"));
	free(req->root);
	req->root = streq(value, "/") ? strdup("") : strndup(value, n);
	return req->root ? 0 : -ENOMEM;
}

static int
set_wait(struct request *req, const char *value, struct diag *d)
{
	char *end;
	unsigned long sec;

	errno = 0;
	sec = strtoul(value, &end, 10);
	if (errno || end == value || *end || sec > 3600)
		return diag_usage(d, EINVAL, N_("--wait needs a number of seconds (0 to 3600), not '%s'"),
				  value);
	req->wait_ms = (unsigned)sec * 1000;
	return 0;
}

static int
apply_option(int c, const char *arg, struct request *req, enum cli_mode *mode, struct diag *d)
{
	switch (c) {
	case 'd':
		return replace(&req->dir, arg);
	case 'y':
		req->yes = true;
		return 0;
	case 'n':
		req->dry_run = true;
		return 0;
	case OPT_ROOT:
		return set_root(req, arg, d);
	case OPT_EXT:
		return request_set_exts(req, arg, d);
	case OPT_URL_PATH:
		return replace(&req->url_path, arg);
	case OPT_CONFIG:
		return replace(&req->config, arg);
	case OPT_JSON:
		req->json = true;
		return 0;
	case OPT_FORCE:
		req->force = true;
		return 0;
	case OPT_NO_HELLO:
		req->no_hello = true;
		return 0;
	case OPT_DETECT:
		*mode = CLI_DETECT;
		return 0;
	case OPT_NO_RESTART:
		req->no_restart = true;
		return 0;
	case OPT_NO_START:
		req->no_start = true;
		return 0;
	case OPT_NO_VERIFY:
		req->no_verify = true;
		return 0;
	case OPT_UNDO:
		*mode = CLI_UNDO;
		return 0;
	case OPT_STATUS:
		*mode = CLI_STATUS;
		return 0;
	case OPT_WAIT:
		return set_wait(req, arg, d);
	case OPT_RESTART:
		req->force_restart = true;
		return 0;
	case OPT_FORGET:
		req->forget = true;
		return 0;
	case OPT_VHOST:
		return replace(&req->vhost, arg);
	case OPT_USERDIR:
		req->userdir = true;
		return 0;
	case OPT_CHECK:
		*mode = CLI_CHECK;
		return 0;
	case OPT_FIX:
		*mode = CLI_FIX;
		return 0;
	case 'h':
		*mode = CLI_HELP;
		return 0;
	case 'V':
		*mode = CLI_VERSION;
		return 0;
	default:
		return diag_usage(d, EINVAL, N_("unknown option '%s'"), arg ? arg : "?");
	}
}

int
cli_parse(int argc, char **argv, struct request *req, enum cli_mode *ret_mode, struct diag *d)
{
	enum cli_mode mode = CLI_APPLY;
	int c, r;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":d:ynhV", options, NULL)) != -1) {
		if (c == '?')
			return diag_usage(d, EINVAL, N_("unknown option '%s'"), argv[optind - 1]);
		if (c == ':')
			return diag_usage(d, EINVAL, N_("option '%s' needs a value"),
					  argv[optind - 1]);
		r = apply_option(c, optarg, req, &mode, d);
		if (r < 0)
			return r;
	}
	/* --undo ID: the one argument the undo takes */
	if (mode == CLI_UNDO && optind < argc && !req->undo_id && !(req->undo_id = strdup(argv[optind++])))
		return -ENOMEM;
	/* --check TARGET, --fix TARGET */
	if ((mode == CLI_CHECK || mode == CLI_FIX) && optind < argc && !check_target
	    && !(check_target = strdup(argv[optind++])))
		return -ENOMEM;
	if (optind < argc)
		return diag_usage(d, EINVAL, N_("unexpected argument '%s'"), argv[optind]);
	if (req->forget && (mode != CLI_UNDO || !req->undo_id))
		return diag_usage(d, EINVAL, N_("--forget needs --undo ID: the entry to drop"));
	*ret_mode = mode;
	return 0;
}

/* Without --yes or --dry-run the wizard asks, on a terminal. */
static bool
wants_wizard(const struct request *req)
{
	return !req->yes && !req->dry_run && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
}

/* Without --yes there must be somebody to ask (run_apply opened the
 * wizard when there is). */
static int
check_confirmation(const struct request *req, struct diag *d)
{
	if (req->yes || req->dry_run)
		return 0;
	return diag_usage(d, EINVAL, N_("no terminal to ask on: use --dir DIR --yes to "
					"apply without questions, or --dry-run to preview"));
}

static int
exit_code(const struct diag *d)
{
	return d->kind == DIAG_USAGE ? EXIT_USAGE : EXIT_FAILURE_;
}

static int
run_detect(struct request *req)
{
	struct diag d = { 0 };
	struct host h;
	int r = probe_host(req, &h, &d);

	if (r < 0) {
		output_error(req, &d, NULL);
		return exit_code(&d);
	}
	probe_version(&h);
	output_detect(req, &h);
	probe_host_release(&h);
	return EXIT_OK;
}

/* Configured, not loaded by the running Apache: activate it (--yes). */
static int
cli_activate(struct request *req, struct pipeline *p, struct diag *d)
{
	struct sighold held;
	int r;

	sighold_begin(&held);
	r = pipeline_activate(p, output_reporter(req), d);
	if (r < 0)
		output_error(req, d, p);
	else
		output_activated(p);
	if (sighold_end(&held))
		output_interrupted(false);
	return r;
}

/* Prepared P: say what would change, what changed, or why not. */
static int
cli_finish(struct request *req, struct pipeline *p, struct diag *d)
{
	int r = 0;

	if (req->dry_run) {
		output_dry_run(p);
	} else if (!pipeline_result(p)->has_changes) {
		pipeline_observe(p);
		if (pipeline_result(p)->not_loaded && !req->no_restart)
			r = cli_activate(req, p, d);
		else
			output_unchanged(p);
	} else {
		struct sighold held;

		/* from the first write to the report: see output_interrupted() */
		sighold_begin(&held);
		r = pipeline_apply(p, output_reporter(req), d);
		if (r < 0 && !req->json)
			output_check_verification(p);
		if (r < 0)
			output_error(req, d, p);
		else
			output_applied(p);
		if (sighold_end(&held))
			output_interrupted(false);
	}
	return r;
}

static int
run_apply(struct request *req)
{
	struct pipeline *p = NULL;
	struct diag d = { 0 };
	int r;

	if (wants_wizard(req))
		return wizard_run(req);
	r = check_confirmation(req, &d);
	if (r >= 0)
		r = request_validate(req, &d);
	if (r >= 0)
		r = pipeline_prepare(req, req->dry_run ? PREPARE_DRY_RUN : PREPARE_APPLY, &p, &d);
	if (r < 0) {
		output_error(req, &d, NULL);
		return exit_code(&d);
	}
	r = cli_finish(req, p, &d);
	pipeline_free(p);
	return r < 0 ? exit_code(&d) : EXIT_OK;
}

/* --undo ID --forget: the entry goes from the journal, its changes stay
 * where they are; asked on a terminal, unless --yes. */
static int
run_forget(struct undo *u, struct diag *d)
{
	char answer[16];

	if (!u->req->yes) {
		if (!isatty(STDIN_FILENO))
			return diag_usage(d, EINVAL, N_("no terminal to ask on: use --undo ID "
							"--forget --yes"));
		printf(_("drop change %s for '%s' (applied %s) from the journal? Its files stay "
			 "as they are, and --undo can no longer take it back [y/N] "),
		       undo_id(u->target), txn_get_meta(u->target, "dir"),
		       txn_get_meta(u->target, "time"));
		fflush(stdout);
		/* rpmatch: the locale's yes ("j" too in German; "y" in every one) */
		if (!fgets(answer, sizeof(answer), stdin) || rpmatch(answer) != 1)
			return diag_usage(d, ECANCELED, N_("nothing dropped: not confirmed"));
	}
	return undo_forget(u, d);
}

static int
run_undo(struct request *req)
{
	struct undo u = { 0 };
	struct diag d = { 0 };
	int r;

	r = undo_prepare(req, &u, &d);
	if (r >= 0 && req->forget && !req->dry_run)
		r = run_forget(&u, &d);
	if (r < 0) {
		output_error(req, &d, NULL);
		undo_release(&u);
		return exit_code(&d);
	}
	if (req->forget) {
		output_forgotten(&u);
	} else if (!u.target) {
		output_undo_nothing(&u);
	} else if (req->dry_run) {
		output_undo_preview(&u);
	} else {
		struct sighold held;

		sighold_begin(&held);
		r = undo_apply(&u, output_reporter(req), &d);
		if (r < 0)
			output_undo_error(&u, &d);
		else
			output_undone(&u);
		if (sighold_end(&held))
			output_interrupted(true);
	}
	undo_release(&u);
	return r < 0 ? exit_code(&d) : EXIT_OK;
}

/* --check: findings; exit 1 when one is a problem. */
static int
run_check(struct request *req)
{
	struct diagnose dg = { 0 };
	struct diag d = { 0 };
	int r = diagnose_run(req, check_target, true, &dg, &d);

	if (r < 0) {
		output_error(req, &d, NULL);
		diagnose_release(&dg);
		return exit_code(&d);
	}
	output_check(req, &dg);
	r = findings_worst(&dg.findings) == FINDING_PROBLEM ? EXIT_FAILURE_ : EXIT_OK;
	diagnose_release(&dg);
	return r;
}

/* --fix DIR | SCRIPT: the apply for the directory (module, ExecCGI,
 * handler, Require, exec bits), with its scripts' BOM and CRLF rewritten
 * (pipeline.c), through the same journal, preview and undo; no hello.py. */
static int
fix_one(struct request *req, const char *target)
{
	_cleanup_free_ char *dir = strdup(target);

	if (!dir)
		return EXIT_FAILURE_;
	/* a script: its directory (its links resolved inside --root) */
	if (fsops_is_regular(req->root, dir)) {
		char *slash = strrchr(dir, '/');

		*(slash == dir ? slash + 1 : slash) = '\0';
	}
	free(req->dir);
	req->dir = TAKE_PTR(dir);
	return run_apply(req);
}

/* --fix without a target: every directory cgisetup's journal lists (as
 * --check's default), each its own apply and journal entry, in the
 * virtual host it was set up in; the first failure (rolled back) stops. */
static int
fix_journal_dirs(struct request *req)
{
	_cleanup_strv_free_ char **dirs = NULL, **vhosts = NULL;
	struct diag d = { 0 };
	int r = diagnose_journal_dirs(req, &dirs, &vhosts, &d);

	if (r < 0) {
		output_error(req, &d, NULL);
		return exit_code(&d);
	}
	r = EXIT_OK;
	for (size_t i = 0; r == EXIT_OK && dirs[i]; i++) {
		free(req->vhost);
		req->vhost = *vhosts[i] ? strdup(vhosts[i]) : NULL;
		if (*vhosts[i] && !req->vhost)
			return EXIT_FAILURE_;
		req->userdir = streq(dirs[i], REQUEST_USERDIR_DIR);
		r = fix_one(req, dirs[i]);
	}
	return r;
}

static int
run_fix(struct request *req)
{
	struct diag d = { 0 };

	req->fix_scripts = true;
	req->no_hello = true;
	if (check_target && check_target[0] != '/') {
		diag_usage(&d, EINVAL, N_("--fix needs the absolute path of a directory or of a"
					  " script in it"));
		output_error(req, &d, NULL);
		return EXIT_USAGE;
	}
	if (!req->yes && !req->dry_run) {
		check_confirmation(req, &d);
		output_error(req, &d, NULL);
		return EXIT_USAGE;
	}
	return check_target ? fix_one(req, check_target) : fix_journal_dirs(req);
}

static int
run_status(struct request *req)
{
	struct undo u = { 0 };
	struct diag d = { 0 };
	int r = undo_status(req, &u, &d);

	if (r < 0) {
		output_error(req, &d, NULL);
		return exit_code(&d);
	}
	output_status(&u);
	undo_release(&u);
	return EXIT_OK;
}

/* One library's line of --version: name, built against, running with. */
static void
version_line(const char *name, const char *built, const char *running)
{
	fputs("  ", stdout);
	output_padded(name, 12);
	output_padded(built, 17);
	puts(running ? running : _("(unknown)"));
}

/* The version, the libraries (each asked through the one file that knows
 * it) and the license. */
static int
print_version(void)
{
	const char *built, *curses_running;
	_cleanup_free_ char *aug = NULL, *sd = NULL, *curl = NULL;

	printf("cgisetup %s\n\n", PACKAGE_VERSION);
	version_line(_("library"), _("built against"), _("running with"));
	if (confedit_version(&built, &aug) < 0)
		return -ENOMEM;
	version_line("Augeas", built, aug);
	if (service_version(&built, &sd) < 0)
		return -ENOMEM;
	version_line("libsystemd", built, sd);
	if (fetch_version(&built, &curl) < 0)
		return -ENOMEM;
	version_line("libcurl", built, curl);
	wizard_curses_version(&built, &curses_running);
	version_line("ncurses", built, curses_running);
	printf(_("\nlicense: %s\n"
		 "this is free software: you are free to change and redistribute it;\n"
		 "there is no warranty, to the extent permitted by law\n"), CGISETUP_LICENSE);
	return 0;
}

int
cli_run(enum cli_mode mode, struct request *req)
{
	int r;

	switch (mode) {
	case CLI_HELP:
		cli_usage();
		return EXIT_OK;
	case CLI_VERSION:
		if (print_version() < 0) {
			fputs("cgisetup: out of memory\n", stderr);
			return EXIT_FAILURE_;
		}
		return EXIT_OK;
	case CLI_DETECT:
		return run_detect(req);
	case CLI_UNDO:
		return run_undo(req);
	case CLI_STATUS:
		return run_status(req);
	case CLI_CHECK:
		r = run_check(req);
		free(TAKE_PTR(check_target));
		return r;
	case CLI_FIX:
		r = run_fix(req);
		free(TAKE_PTR(check_target));
		return r;
	case CLI_APPLY:
		break;
	}
	return run_apply(req);
}
