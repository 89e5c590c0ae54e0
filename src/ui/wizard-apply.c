/* wizard-apply.c - screen 4: pipeline_apply() (or, on the undo path,
 * undo_apply()), each step as it is reported.
 *
 * The steps arrive through the same struct reporter the command line
 * passes. A step that begins is shown at once as a "[....]" line, which
 * becomes "[done]" or "[failed]" in place when the step ends, so the
 * restart jobs and the HTTP checks are visible while they run. The
 * reporter's calls are shown as they come, nothing is inferred from them:
 * a step that begins while another is still shown as running means the
 * other one is over ("[done]"); the same HTTP check begun again right
 * after itself is a retry, counted on its line ("(try 3)"), while each
 * restart job gets a line of its own; an end without a line of its own
 * (the restart after its HTTP checks, the rollback) closes the running
 * line and adds its own. The view follows its last row, so the newest step is always on
 * the screen, at 80x24 too; curses sends only what changed, so nothing
 * flickers.
 *
 * SIGINT, SIGTERM, SIGHUP and SIGQUIT are blocked while the pipeline
 * writes and take effect only after it returned (with everything applied,
 * or everything put back).
 */
#include "config.h"

#include <signal.h>

#define NCURSES_WIDECHAR 1
#include <curses.h>

#include "cgisetup/i18n.h"
#include "cgisetup/output.h"
#include "cgisetup/util.h"
#include "cgisetup/wizard.h"

/* "restart: reload", "HTTP check: http://... (try 3)" */
static char *
step_text(const char *mark, enum pipeline_step step, const char *subject, unsigned tries)
{
	_cleanup_free_ char *count = tries > 1 ? xasprintf(_(" (try %u)"), tries) : strdup("");

	if (!count)
		return NULL;
	return xasprintf("%s %s%s%s%s", mark, output_step_name(step), subject ? ": " : "",
			 subject ? subject : "", count);
}

static const char *
end_mark(enum pipeline_step step, int r)
{
	/* TRANSLATORS: marks before each step's name; keep them the same width */
	if (step == STEP_ROLLBACK && r < 0)
		return _("[incomplete]");
	return r < 0 ? _("[failed]") : _("[done]  ");
}

static void
add_line(struct wiz *w, enum wiz_attr a, const char *text)
{
	if (text)
		wizard_view_add(&w->steps, a, 4, false, text);
}

/* The running line gets its result: R, as the step that ends says. */
static void
resolve(struct wiz *w, int r, const char *subject)
{
	struct wiz_progress *pg = &w->progress;
	_cleanup_free_ char *t = NULL;

	if (!pg->pending)
		return;
	t = step_text(end_mark(pg->step, r), pg->step, subject ? subject : pg->subject, pg->tries);
	if (t)
		wizard_view_set(&w->steps, pg->line, r < 0 ? WIZ_ATTR_ERROR : WIZ_ATTR_OK, t);
	free(pg->subject);
	*pg = (struct wiz_progress){ 0 };
}

static void
report_begin(void *userdata, enum pipeline_step step, const char *subject)
{
	struct wiz *w = userdata;
	struct wiz_progress *pg = &w->progress;
	_cleanup_free_ char *t = NULL;

	if (pg->pending && step == STEP_VERIFY && pg->step == step &&
	    streq_ptr(pg->subject, subject)) {
		/* the same HTTP check again while Apache comes up: one line,
		 * counting (a restart job begun again is another job: its own
		 * line) */
		pg->tries++;
		/* TRANSLATORS: same width as "[done]  " */
		t = step_text(_("[....]  "), step, subject, pg->tries);
		if (t)
			wizard_view_set(&w->steps, pg->line, WIZ_ATTR_DIM, t);
		wizard_redraw(w);
		return;
	}
	resolve(w, 0, NULL);
	t = step_text(_("[....]  "), step, subject, 1);
	if (t && wizard_view_add(&w->steps, WIZ_ATTR_DIM, 4, false, t) >= 0) {
		char *s = subject ? strdup(subject) : NULL;

		if (!subject || s)
			*pg = (struct wiz_progress){ .pending = true, .line = w->steps.n_lines - 1,
						     .step = step, .subject = s, .tries = 1 };
	}
	wizard_redraw(w);
}

static void
report_step(void *userdata, enum pipeline_step step, const char *subject, int r)
{
	struct wiz *w = userdata;
	_cleanup_free_ char *t = NULL;

	if (w->progress.pending && w->progress.step == step) {
		resolve(w, r, subject);
		wizard_redraw(w);
		return;
	}
	resolve(w, r, NULL);
	t = step_text(end_mark(step, r), step, subject, 1);
	add_line(w, r < 0 ? WIZ_ATTR_ERROR : WIZ_ATTR_OK, t);
	wizard_redraw(w);
}

const struct reporter *
wizard_apply_reporter(struct wiz *w)
{
	static struct reporter rep = { .begin = report_begin, .step = report_step };

	rep.userdata = w;
	return &rep;
}

void
wizard_apply_release(struct wiz *w)
{
	free(w->progress.subject);
	w->progress = (struct wiz_progress){ 0 };
}

static void
apply_init(struct wiz *w)
{
	wizard_view_clear(&w->steps);
	wizard_apply_release(w);
	w->steps.follow = true;
	w->applying = true;
}

static void
apply_draw(struct wiz *w)
{
	int y = wizard_body_top(), bottom = wizard_body_bottom();
	const char *intro = w->undoing
				    ? _("Taking the change back. Ctrl-C waits until this is done; if a "
					"step fails, the undo is rolled back and the change stays.")
				    : _("Applying the changes. Ctrl-C waits until this is done; if a step "
					"fails, every change is put back.");

	y += wizard_draw_para(y, 2, COLS - 4, 3, intro, WIZ_ATTR_NORMAL) + 1;
	wizard_view_draw(&w->steps, y, 2, bottom - y, COLS - 4);
	if (w->applying)
		wizard_draw_text(bottom, 2, COLS - 4, _("working..."), WIZ_ATTR_DIM);
}

/* Run WORK with the stopping signals held back until it returned. */
static int
run_blocked(struct wiz *w, int (*work)(struct wiz *w))
{
	sigset_t block, old;
	int r;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGQUIT);
	sigprocmask(SIG_BLOCK, &block, &old);
	r = work(w);
	resolve(w, r, NULL); /* a step begun and never ended: the outcome decides */
	w->applying = false;
	w->steps.follow = false;
	sigprocmask(SIG_SETMASK, &old, NULL);
	return r;
}

static int
do_apply(struct wiz *w)
{
	return pipeline_apply(&w->p, wizard_apply_reporter(w), &w->diag);
}

static int
do_undo(struct wiz *w)
{
	return undo_apply(&w->u, wizard_apply_reporter(w), &w->diag);
}

static enum wiz_action
apply_run(struct wiz *w)
{
	w->outcome = run_blocked(w, do_apply) < 0 ? WIZ_FAILED : WIZ_APPLIED;
	return WIZ_NEXT;
}

static enum wiz_action
undo_run(struct wiz *w)
{
	w->outcome = run_blocked(w, do_undo) < 0 ? WIZ_UNDO_FAILED : WIZ_UNDONE;
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
		   "prove CGI runs. Each step shows [....] while it runs, then its result. If "
		   "any step fails, every change is put back."),
	.init = apply_init,
	.draw = apply_draw,
	.key = apply_key,
	.run = apply_run,
};

const struct wiz_screen wizard_undo_apply_screen = {
	.title = N_("Undo"),
	.hints = N_("Please wait"),
	.help = N_("cgisetup is taking back the change shown in the undo preview, then (on the "
		   "real system) runs Apache's config test, reloads Apache and checks that the "
		   "script no longer runs. Each step shows [....] while it runs, then its "
		   "result. If any step fails, the undo is rolled back."),
	.init = apply_init,
	.draw = apply_draw,
	.key = apply_key,
	.run = undo_run,
};
