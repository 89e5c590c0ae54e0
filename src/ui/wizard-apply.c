/* wizard-apply.c - screen 4: pipeline_apply(), each step as it is reported.
 *
 * The steps arrive through the same struct reporter the command line
 * passes; each one is drawn at once. SIGINT, SIGTERM, SIGHUP and SIGQUIT
 * are blocked while the pipeline writes and take effect only after it
 * returned (with everything applied, or everything put back).
 */
#include "config.h"

#include <signal.h>

#define NCURSES_WIDECHAR 1
#include <curses.h>

#include "cgisetup/i18n.h"
#include "cgisetup/output.h"
#include "cgisetup/util.h"
#include "cgisetup/wizard.h"

/* A step begins: shown at once, so a restart or the HTTP retries are
 * visible while they run. */
static void
report_begin(void *userdata, enum pipeline_step step, const char *subject)
{
	struct wiz *w = userdata;

	/* TRANSLATORS: same width as "[done]  " */
	wizard_view_addf(&w->steps, WIZ_ATTR_DIM, 4, "%s %s%s%s", _("[....]  "),
			 output_step_name(step), subject ? ": " : "", subject ? subject : "");
	wizard_redraw(w);
}

static void
report_step(void *userdata, enum pipeline_step step, const char *subject, int r)
{
	struct wiz *w = userdata;
	/* TRANSLATORS: marks before each step's name; keep them the same width */
	const char *mark = r < 0 ? _("[failed]") : _("[done]  ");

	if (step == STEP_ROLLBACK)
		mark = r < 0 ? _("[incomplete]") : _("[done]  ");
	wizard_view_addf(&w->steps, r < 0 ? WIZ_ATTR_ERROR : WIZ_ATTR_OK, 4, "%s %s%s%s", mark,
			 output_step_name(step), subject ? ": " : "", subject ? subject : "");
	wizard_redraw(w);
}

const struct reporter *
wizard_apply_reporter(struct wiz *w)
{
	static struct reporter rep = { .begin = report_begin, .step = report_step };

	rep.userdata = w;
	return &rep;
}

static void
apply_init(struct wiz *w)
{
	wizard_view_clear(&w->steps);
	w->applying = true;
}

static void
apply_draw(struct wiz *w)
{
	int y = wizard_body_top(), bottom = wizard_body_bottom();

	y += wizard_draw_para(y, 2, COLS - 4, 3,
			      _("Applying the changes. Ctrl-C waits until this is done; if a step "
				"fails, every change is put back."),
			      WIZ_ATTR_NORMAL) + 1;
	wizard_view_draw(&w->steps, y, 2, bottom - y, COLS - 4);
	if (w->applying)
		wizard_draw_text(bottom, 2, COLS - 4, _("working..."), WIZ_ATTR_DIM);
}

static enum wiz_action
apply_run(struct wiz *w)
{
	sigset_t block, old;
	int r;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGQUIT);
	sigprocmask(SIG_BLOCK, &block, &old);
	r = pipeline_apply(&w->p, wizard_apply_reporter(w), &w->diag);
	w->applying = false;
	w->outcome = r < 0 ? WIZ_FAILED : WIZ_APPLIED;
	sigprocmask(SIG_SETMASK, &old, NULL);
	return WIZ_NEXT;
}

static enum wiz_action
apply_key(struct wiz *w, const struct wiz_key *k)
{
	return WIZ_HANDLED;
}

const struct wiz_screen wizard_apply_screen = {
	.title = N_("Apply"),
	.hints = N_("Please wait"),
	.help = N_("cgisetup is writing the changes shown in the preview, then (on the real "
		   "system) runs Apache's config test, restarts Apache and fetches hello.py to "
		   "prove CGI runs. If any step fails, every change is put back."),
	.init = apply_init,
	.draw = apply_draw,
	.key = apply_key,
	.run = apply_run,
};
