/* wizard-check.c - screen 1's "Check my scripts": what `cgisetup --check`
 * says of every directory cgisetup set up (diagnose.h: the scripts are
 * read, never run; nothing is fetched), one line per finding with the fix
 * under each problem, in a scrollable view. Esc or Enter goes back to
 * screen 1. */
#include "config.h"

#include <curses.h>

#include "cgisetup/diagnose.h"
#include "cgisetup/i18n.h"
#include "cgisetup/output.h"
#include "cgisetup/output-check.h"
#include "cgisetup/util.h"
#include "wizard-int.h"

static enum wiz_attr
level_attr(enum finding_level l)
{
	return l == FINDING_OK ? WIZ_ATTR_OK : l == FINDING_WARNING ? WIZ_ATTR_HEADING
								    : WIZ_ATTR_ERROR;
}

static void
add_cause(struct wiz_view *v, enum finding_level l, const char *cause)
{
	if (l == FINDING_OK)
		wizard_view_addf(v, level_attr(l), 4, _("ok: %s"), cause);
	else if (l == FINDING_WARNING)
		wizard_view_addf(v, level_attr(l), 4, _("warning: %s"), cause);
	else
		wizard_view_addf(v, level_attr(l), 4, _("problem: %s"), cause);
}

static void
add_findings(struct wiz_view *v, const struct diagnose *dg)
{
	unsigned problems = 0;
	_cleanup_free_ char *summary = output_check_summary(dg);

	for (size_t i = 0; i < dg->findings.n; i++) {
		const struct finding *x = &dg->findings.v[i];
		_cleanup_free_ char *cause = output_check_finding_text(x, false);
		_cleanup_free_ char *fix = output_check_finding_text(x, true);

		add_cause(v, x->level, cause ? cause : "?");
		if (fix && x->level != FINDING_OK)
			wizard_view_addf(v, WIZ_ATTR_NORMAL, 6, _("  fix: %s"), fix);
		problems += x->level == FINDING_PROBLEM;
	}
	wizard_view_add(v, WIZ_ATTR_NORMAL, 0, false, "");
	wizard_view_addf(v, problems ? WIZ_ATTR_ERROR : WIZ_ATTR_OK, 0, "%s.",
			 summary ? summary : "?");
	if (problems)
		wizard_view_add(v, WIZ_ATTR_NORMAL, 0, false,
				_("cgisetup --fix DIR --dry-run shows what it can fix by itself."));
}

enum wiz_action
wizard_check_start(struct wiz *w)
{
	struct wiz_view *v = &w->check.view;
	struct diagnose dg = { 0 };
	struct diag d = { 0 };
	char msg[DIAG_MSG_MAX];

	wizard_busy(w, _("Checking the scripts..."));
	wizard_view_clear(v);
	v->top = 0;
	if (diagnose_run(w->req, NULL, false, &dg, &d) < 0)
		wizard_view_addf(v, WIZ_ATTR_ERROR, 4, _("Failed: %s"), output_message(&d, msg));
	else
		add_findings(v, &dg);
	diagnose_release(&dg);
	return WIZ_CHECK;
}

static void
check_init(struct wiz *w)
{
	(void)w;
}

static void
check_draw(struct wiz *w)
{
	wizard_view_draw_one_button(&w->check.view, _("Back"));
}

/* The key bar: the findings scroll, Enter and Esc go back (wizard.c adds
 * F1 and q, as on every screen). */
static void
check_keys(const struct wiz *w, struct wiz_keys *k)
{
	(void)w;
	k->here = _("PgUp/PgDn: scroll");
	k->enter = _("Enter: back");
	k->esc = _("Esc: back");
}

static enum wiz_action
check_key(struct wiz *w, const struct wiz_key *k)
{
	if (wizard_view_key(&w->check.view, k))
		return WIZ_HANDLED;
	if (wizard_key_enter(k) || wizard_key_is(k, WIZ_KEY_ESC))
		return WIZ_BACK;
	return WIZ_IGNORED;
}

static void
check_release(struct wiz *w)
{
	wizard_view_clear(&w->check.view);
}

const struct wiz_screen wizard_check_screen = {
	.title = N_("Check my scripts"),
	.keys = check_keys,
	.help = N_("What 'cgisetup --check' says of every directory cgisetup set up: the CGI "
		   "module, the configuration that decides for the directory, and each script "
		   "(mode, owner, its first line, the interpreter on Apache's PATH, Python 2 "
		   "syntax, import cgi on Python 3.13). The scripts are read, never run.\n\n"
		   "Each problem comes with its fix. 'cgisetup --fix DIR' makes the ones it can "
		   "make by itself (exec bits, line endings, a byte order mark, the module, "
		   "ExecCGI, Require), with a preview and an undo."),
	.init = check_init,
	.draw = check_draw,
	.key = check_key,
	.release = check_release,
};
