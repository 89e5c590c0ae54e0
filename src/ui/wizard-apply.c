/* wizard-apply.c - screen 4: pipeline_apply() (or, on the undo path,
 * undo_apply()), each step as it is reported.
 *
 * The steps arrive through the same struct reporter the command line
 * passes, under its contract (reporter.h): each step begins and ends once,
 * never overlapping. So a begin adds a "[....]" line, a retry counts on
 * it ("(try 3)"), and the end turns that same line into one word of a
 * single vocabulary: "[changed]" (files, configuration, a restart job, a
 * rollback: the system is not as it was), "[ok]" (a check that passed),
 * "[skipped]" with why (the config test under --root), "[failed]" (also
 * an HTTP check that did not prove the script ran, though another restart
 * job follows) or "[incomplete]" (a rollback that could not put
 * everything back); each restart job and each HTTP check is a
 * line of its own, visible while it runs. The view follows its last row,
 * so the newest step is always on the screen, at 80x24 too; curses sends
 * only what changed, so nothing flickers.
 *
 * SIGINT, SIGTERM, SIGHUP and SIGQUIT are held back while the pipeline
 * writes and reloads (sighold.h); one that came is recorded, not acted on:
 * the result screen says so and the wizard exits with the work's status.
 */
#include "config.h"

#define NCURSES_WIDECHAR 1
#include <curses.h>

#include "cgisetup/i18n.h"
#include "cgisetup/output.h"
#include "cgisetup/sighold.h"
#include "cgisetup/util.h"
#include "wizard-int.h"

/* "restart: reload", "HTTP check: http://... (try 3)", then why it was
 * skipped or did not pass (NOTE) */
static char *
step_text(const char *mark, const struct wiz_progress *pg, const char *note)
{
	_cleanup_free_ char *count = pg->tries > 1 ? strdup_printf(_(" (try %u)"), pg->tries)
						   : strdup("");

	if (!count)
		return NULL;
	return strdup_printf("%s %s%s%s%s%s", mark, output_step_name(pg->step),
			     pg->subject ? ": " : "", pg->subject ? pg->subject : "", count,
			     note ? note : "");
}

/* A step that ended well: a check passed, or the system changed. */
static bool
is_check(enum pipeline_step step)
{
	return step == STEP_CONFIGTEST || step == STEP_VERIFY;
}

static const char *
end_mark(enum pipeline_step step, int r)
{
	/* TRANSLATORS: marks before each step's name; keep them the same width */
	if (step == STEP_ROLLBACK && r < 0)
		return _("[incomplete]");
	if (r < 0 || r == REPORT_UNANSWERED)
		return _("[failed] ");
	if (r == REPORT_SKIPPED)
		return _("[skipped]");
	return is_check(step) ? _("[ok]     ") : _("[changed]");
}

/* Why a step ended as it did, after its name (NULL: nothing to add). */
static char *
end_note(const struct wiz *w, int r, const char *subject)
{
	if (r == REPORT_SKIPPED)
		return strdup(*w->req->root ? _(" (--root: nothing is run)")
					    : _(" (apachectl was not found)"));
	if (r == REPORT_UNANSWERED && subject)
		return strdup_printf(" - %s", _(subject));
	return NULL;
}

/* The running step's line, as it reads now. */
static void
show(struct wiz *w, const char *mark, enum wiz_attr a, const char *note)
{
	_cleanup_free_ char *t = step_text(mark, &w->progress, note);

	if (t)
		wizard_view_set(&w->steps, w->progress.line, a, t);
	wizard_redraw(w);
}

static void
report_begin(void *userdata, enum pipeline_step step, const char *subject)
{
	struct wiz *w = userdata;

	wizard_apply_release(w);
	w->progress = (struct wiz_progress){ .line = w->steps.n_lines, .step = step,
					     .subject = subject ? strdup(subject) : NULL,
					     .tries = 1 };
	if (wizard_view_add(&w->steps, WIZ_ATTR_DIM, 4, false, "") < 0)
		return;
	/* TRANSLATORS: same width as "[changed]" */
	show(w, _("[....]   "), WIZ_ATTR_DIM, NULL);
}

static void
report_retry(void *userdata, enum pipeline_step step, unsigned attempt)
{
	struct wiz *w = userdata;

	w->progress.tries = attempt;
	show(w, _("[....]   "), WIZ_ATTR_DIM, NULL);
}

/* The line keeps the subject its step began with ("restart: reload"). */
static void
report_end(void *userdata, enum pipeline_step step, const char *subject, int r)
{
	struct wiz *w = userdata;

	enum wiz_attr a = r < 0 || r == REPORT_UNANSWERED ? WIZ_ATTR_ERROR
			  : r == REPORT_SKIPPED		  ? WIZ_ATTR_DIM
							  : WIZ_ATTR_OK;

	_cleanup_free_ char *note = end_note(w, r, subject);

	show(w, end_mark(step, r), a, note);
}

const struct reporter *
wizard_apply_reporter(struct wiz *w)
{
	static struct reporter rep = {
		.begin = report_begin, .retry = report_retry, .end = report_end,
	};

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

/* Run WORK with the stopping signals held back until it returned. One
 * that came meanwhile is taken out of the queue here, not left to kill the
 * wizard once unblocked: the result screen says it waited, and the wizard
 * ends, when the result is left, with the status of the work. */
static int
run_blocked(struct wiz *w, int (*work)(struct wiz *w))
{
	struct sighold held;
	int r;

	sighold_begin(&held);
	r = work(w);
	w->applying = false;
	w->steps.follow = false;
	w->interrupted = sighold_end(&held) != 0;
	return r;
}

static int
do_apply(struct wiz *w)
{
	return pipeline_apply(w->p, wizard_apply_reporter(w), &w->diag);
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

/* The state this screen owns. */
static void
apply_release(struct wiz *w)
{
	wizard_apply_release(w);
	wizard_view_clear(&w->steps);
}

const struct wiz_screen wizard_apply_screen = {
	.title = N_("Apply"),
	.hints = N_("Please wait"),
	.help = N_("cgisetup is writing the changes shown in the preview, then (on the real "
		   "system) runs Apache's config test, restarts Apache and fetches hello.py to "
		   "prove CGI runs. Each step shows [....] while it runs, then its result: "
		   "changed (the system was changed), ok (a check passed), skipped (with why) or "
		   "failed. If the run fails, every change is put back."),
	.init = apply_init,
	.draw = apply_draw,
	.key = apply_key,
	.run = apply_run,
	.release = apply_release,
};

const struct wiz_screen wizard_undo_apply_screen = {
	.title = N_("Undo"),
	.hints = N_("Please wait"),
	.help = N_("cgisetup is taking back the change shown in the undo preview, then (on the "
		   "real system) runs Apache's config test, reloads Apache and checks that the "
		   "script no longer runs. Each step shows [....] while it runs, then its "
		   "result: changed, ok, skipped (with why) or failed. If the undo fails, it is "
		   "rolled back."),
	.init = apply_init,
	.draw = apply_draw,
	.key = apply_key,
	.run = undo_run,
	.release = apply_release,
};
