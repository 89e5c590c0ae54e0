/* wizard-result.c - screen 5: what pipeline_apply() did.
 *
 * Success: where CGI is served, the restart and the HTTP check when there
 * were some. Failure: the diagnosis, Apache's own words or the error-log
 * lines (the diag detail), and whether every change was put back. The
 * same facts the command line prints, which it prints again when the
 * wizard closes.
 */
#include "config.h"

#define NCURSES_WIDECHAR 1
#include <curses.h>

#include "cgisetup/i18n.h"
#include "cgisetup/output.h"
#include "cgisetup/template.h"
#include "cgisetup/util.h"
#include "cgisetup/wizard.h"

static char *
join(char *const *v, const char *sep)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; v && v[i]; i++)
		if ((i && strbuf_adds(&sb, sep) < 0) || strbuf_adds(&sb, v[i]) < 0)
			break;
	return strbuf_detach(&sb);
}

/* The jobs the activation ran, and its reason when it went further than
 * the first one: what the pipeline decided, shown as it is. */
static void
add_restart(struct wiz_view *v, const struct pipeline *p)
{
	const struct activation *act = &p->act;
	_cleanup_free_ char *path = NULL;

	if (!act->attempted) {
		if (p->req->no_restart && !*p->req->root)
			wizard_view_add(v, WIZ_ATTR_NORMAL, 4, false,
					_("Apache was not restarted (--no-restart): restart or "
					  "reload it to activate the change."));
		return;
	}
	/* TRANSLATORS: between the service jobs run in turn ("reload, then reload") */
	path = join(act->path, _(", then "));
	wizard_view_addf(v, WIZ_ATTR_NORMAL, 4, _("Apache: %s ('%s')"), path ? path : "?",
			 act->restart.how ? act->restart.how : "?");
	if (act->reason)
		wizard_view_addf(v, WIZ_ATTR_NORMAL, 4, _("Why: %s"), _(act->reason));
}

static void
add_success(struct wiz_view *v, const struct pipeline *p)
{
	_cleanup_free_ char *url = output_hello_url(p);

	wizard_view_addf(v, WIZ_ATTR_OK, 4, _("CGI is on for '%s', served at %s/"), p->req->dir,
			 p->plan.url_path);
	add_restart(v, p);
	if (p->act.verified)
		wizard_view_addf(v, WIZ_ATTR_OK, 4,
				 _("Verified: %s ran (HTTP %ld, it printed '%s')."),
				 p->act.verify.url, p->act.verify.status, TEMPLATE_HELLO_PROOF);
	else if (*p->req->root)
		wizard_view_addf(v, WIZ_ATTR_NORMAL, 4,
				 _("--root given: Apache was not restarted; test URL once it "
				   "runs: %s"),
				 url ? url : "?");
	else
		wizard_view_addf(v, WIZ_ATTR_NORMAL, 4, _("Test it: %s"), url ? url : "?");
}

static void
add_failure(struct wiz_view *v, const struct wiz *w)
{
	const struct pipeline *p = &w->p;

	wizard_view_addf(v, WIZ_ATTR_ERROR, 4, _("Failed: %s"), w->diag.msg);
	if (w->diag.detail[0]) {
		wizard_view_add(v, WIZ_ATTR_HEADING, 0, false, _("Details:"));
		wizard_view_add_text(v, WIZ_ATTR_NORMAL, 0, w->diag.detail);
	}
	if (p->rollback_failures) {
		wizard_view_add(v, WIZ_ATTR_ERROR, 4, false,
				_("Rollback incomplete; fix these by hand:"));
		for (size_t i = 0; p->rollback_failures[i]; i++)
			wizard_view_addf(v, WIZ_ATTR_ERROR, 4, "  %s", p->rollback_failures[i]);
	} else {
		wizard_view_add(v, WIZ_ATTR_OK, 4, false, _("Every change was rolled back."));
	}
	if (p->act.rollback_how)
		wizard_view_addf(v, WIZ_ATTR_NORMAL, 4,
				 _("Apache is back on its old configuration ('%s')."),
				 p->act.rollback_how);
}

static void
add_warnings(struct wiz_view *v, char *const *warnings)
{
	for (size_t i = 0; warnings && warnings[i]; i++)
		wizard_view_addf(v, WIZ_ATTR_ERROR, 4, _("warning: %s"), warnings[i]);
}

static void
result_init(struct wiz *w)
{
	struct wiz_view *v = &w->result.view;

	flushinp(); /* keys pressed during the apply must not close the result unread */
	wizard_view_clear(v);
	if (w->outcome == WIZ_APPLIED)
		add_success(v, &w->p);
	else
		add_failure(v, w);
	wizard_view_add(v, WIZ_ATTR_NORMAL, 0, false, "");
	wizard_view_add(v, WIZ_ATTR_HEADING, 0, false, _("Steps:"));
	for (size_t i = 0; i < w->steps.n_lines; i++)
		wizard_view_add(v, w->steps.lines[i].attr, 4, false, w->steps.lines[i].text);
	add_warnings(v, w->p.host.warnings);
	add_warnings(v, w->p.plan.warnings);
}

static void
result_draw(struct wiz *w)
{
	struct wiz_view *v = &w->result.view;
	int y = wizard_body_top(), bottom = wizard_body_bottom();
	const char *names[] = { _("Quit") };
	char pos[128];

	wizard_view_draw(v, y, 2, bottom - 2 - y + 1, COLS - 4);
	wizard_view_position(v, pos, sizeof(pos));
	wizard_draw_text(bottom - 1, COLS - 2 - wizard_draw_width(pos, strlen(pos)), COLS / 2, pos,
			 WIZ_ATTR_DIM);
	wizard_draw_buttons(bottom, 2, names, 1, 0, 0);
}

static enum wiz_action
result_key(struct wiz *w, const struct wiz_key *k)
{
	if (wizard_view_key(&w->result.view, k))
		return WIZ_HANDLED;
	/* the apply is over: every way out leaves at once */
	if (wizard_key_enter(k) || wizard_key_is(k, 'q') || wizard_key_is(k, 'Q') ||
	    wizard_key_is(k, WIZ_KEY_ESC))
		return WIZ_FINISH;
	return WIZ_IGNORED;
}

const struct wiz_screen wizard_result_screen = {
	.title = N_("Result"),
	.hints = N_("Arrows PgUp/PgDn Home/End: scroll   Enter or q: quit   F1: help"),
	.help = N_("What happened. On success: where CGI is served and, on the real system, "
		   "the restart and the HTTP check that proved hello.py ran. On failure: what "
		   "went wrong, Apache's own words or its error-log lines, and whether every "
		   "change was put back.\n\n"
		   "The same report is printed on the terminal when the wizard closes."),
	.init = result_init,
	.draw = result_draw,
	.key = result_key,
};
