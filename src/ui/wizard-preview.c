/* wizard-preview.c - screen 3: the plan and the full unified diff.
 *
 * Shows what pipeline_prepare() planned, each change with its reason, and
 * pipeline_diff()'s patch, exactly what --dry-run prints. The preview is
 * prepared as a dry run, so nothing is written or locked however long it
 * stays open: Back and Cancel leave the system untouched. Apply prepares
 * once more for real (the journal is opened and locked from then on) and
 * goes on only if that plan is the one shown; otherwise it shows the new
 * one.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>

#define NCURSES_WIDECHAR 1
#include <curses.h>

#include "cgisetup/activate.h"
#include "cgisetup/i18n.h"
#include "cgisetup/output.h"
#include "cgisetup/util.h"
#include "wizard-int.h"

static int
add_diff(struct wiz_view *v, const struct pipeline *p)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;
	int r = pipeline_diff(p, &sb);

	return r < 0 ? r : wizard_view_add_diff(v, sb.buf);
}

static void
add_warnings(struct wiz_view *v, char *const *warnings)
{
	char buf[DIAG_MSG_MAX];

	for (size_t i = 0; warnings && warnings[i]; i++)
		wizard_view_addf(v, WIZ_ATTR_ERROR, 4, _("warning: %s"), output_text(warnings[i], buf));
}

static void
add_plan(struct wiz_view *v, const struct pipeline *p)
{
	const struct pipeline_result *res = pipeline_result(p);
	const struct plan *plan = res->plan;

	wizard_view_add(v, WIZ_ATTR_HEADING, 0, false, _("What will change, and why:"));
	for (size_t i = 0; i < plan->n_changes; i++) {
		_cleanup_free_ char *what = output_describe(&plan->changes[i]);

		wizard_view_addf(v, WIZ_ATTR_NORMAL, 4, "  - %s", what ? what : "?");
		wizard_view_addf(v, WIZ_ATTR_OK, 4, "    %s", _(plan->changes[i].why));
	}
	wizard_view_add(v, WIZ_ATTR_NORMAL, 0, false, "");
	if (res->req->no_hello)
		wizard_view_addf(v, WIZ_ATTR_NORMAL, 4,
				 _("'%s' will be served at %s/ (no hello.py: test it with a script "
				   "of your own)"),
				 res->req->dir, plan->url_path);
	else
		wizard_view_addf(v, WIZ_ATTR_NORMAL, 4, _("'%s' will be served at %s/ (test: %s)"),
				 res->req->dir, plan->url_path, res->url);
	add_warnings(v, res->host->warnings);
	add_warnings(v, plan->warnings);
	wizard_view_add(v, WIZ_ATTR_NORMAL, 0, false, "");
	wizard_view_add(v, WIZ_ATTR_HEADING, 0, false,
			_("The unified diff of every file that changes or is created:"));
	if (add_diff(v, p) < 0)
		wizard_view_add(v, WIZ_ATTR_ERROR, 0, false, _("the diff could not be made"));
}

/* pipeline_prepare() and undo_prepare() first roll back a run that was
 * interrupted: say so above the preview. */
void
wizard_preview_add_recovery(struct wiz_view *v, unsigned recovered, char *const *failures)
{
	if (recovered > 0)
		wizard_view_add(v, WIZ_ATTR_ERROR, 4, false,
				_("An interrupted run was found and rolled back to the exact "
				  "previous files first."));
	char buf[DIAG_MSG_MAX];

	for (size_t i = 0; failures && failures[i]; i++)
		wizard_view_addf(v, WIZ_ATTR_ERROR, 4, _("recovery: %s"), output_text(failures[i], buf));
	if (recovered > 0 || failures)
		wizard_view_add(v, WIZ_ATTR_NORMAL, 0, false, "");
}

/* A preview reads only: an interrupted run is rolled back when Apply
 * prepares for real, which may change the plan (Apply then shows the new
 * one). */
void
wizard_preview_add_pending(struct wiz_view *v, unsigned pending, char *const *paths)
{
	if (!pending)
		return;
	wizard_view_add(v, WIZ_ATTR_ERROR, 4, false,
			_("An interrupted run was found: going on first rolls it back to the "
			  "exact previous files. It puts back:"));
	for (size_t i = 0; paths && paths[i]; i++)
		wizard_view_addf(v, WIZ_ATTR_ERROR, 4, "  '%s'", paths[i]);
	wizard_view_add(v, WIZ_ATTR_NORMAL, 0, false, "");
}

/* The plan and the diff as text, to tell whether a later plan differs. */
static char *
shown_text(const struct pipeline *p)
{
	const struct plan *plan = pipeline_result(p)->plan;
	struct strbuf sb = STRBUF_INIT;
	int r = strbuf_addf(&sb, "%d\n", pipeline_result(p)->has_changes);

	for (size_t i = 0; r >= 0 && i < plan->n_changes; i++) {
		_cleanup_free_ char *what = output_describe(&plan->changes[i]);

		r = what ? strbuf_addf(&sb, "%s\n", what) : -ENOMEM;
	}
	if (r >= 0)
		r = pipeline_diff(p, &sb);
	if (r < 0) {
		strbuf_release(&sb);
		return NULL;
	}
	return strbuf_detach(&sb);
}

/* Apache's config test on the files as they are (the real system only,
 * a fraction of a second): a configuration that fails already would fail
 * after the change too, and the apply would only be rolled back. */
static bool
configtest_fails(struct wiz *w, struct diag *d)
{
	const struct pipeline_result *res = pipeline_result(w->p);

	if (*w->req->root || !res->host->ctl_path)
		return false;
	return activate_configtest_before(w->req, res->host, d) < 0;
}

/* "Before you apply": what Apply will do to the server besides the
 * changes listed, and what stops it, in plain words, from what is known
 * already. Sets the pager's BLOCKED when Apply cannot succeed. */
static void
add_before(struct wiz *w)
{
	struct wiz_pager *s = &w->preview;
	const struct pipeline_result *res = pipeline_result(w->p);
	const struct apache_state *st = &res->act->before;
	struct diag d = { 0 };
	char msg[DIAG_MSG_MAX];
	size_t first = s->view.n_lines;

	/* without root Apache's state and its config test cannot be read
	 * reliably (apachectl -t needs root), and Apply is refused anyway */
	if (w->may_apply && !*w->req->root && !w->req->no_restart) {
		pipeline_observe(w->p);
		if (res->observed && !st->running && !w->req->no_start)
			wizard_view_addf(&s->view, WIZ_ATTR_ERROR, 4,
					 _("  - Apache is stopped now: Apply will start it (%s). "
					   "Press s to leave it stopped and only configure."),
					 st->unit ? st->unit : "apachectl");
		else if (res->observed && !st->running)
			wizard_view_add(&s->view, WIZ_ATTR_ERROR, 4, false,
					 _("  - Apache is stopped now and Apply leaves it stopped: "
					   "it only configures, nothing proves the change over HTTP "
					   "until Apache runs (--no-start). Press s to start it "
					   "after all."));
	}
	if (w->may_apply && configtest_fails(w, &d)) {
		wizard_view_addf(&s->view, WIZ_ATTR_ERROR, 4, "  - %s", output_message(&d, msg));
		if (d.detail[0])
			wizard_view_add_text(&s->view, WIZ_ATTR_NORMAL, 6, d.detail);
		s->blocked = _("Apply refused until the config test passes: fix the line named above");
	}
	if (!request_hello_runs(w->req)) {
		wizard_view_add(&s->view, WIZ_ATTR_ERROR, 4, false,
				_("  - hello.py cannot run: '.py' is not one of the extensions, so "
				  "Apache would not run it as CGI. Add .py to the extensions, or "
				  "untick hello.py."));
		s->blocked = _("Apply refused: hello.py would not run (Back: add .py or untick it)");
	}
	if (s->view.n_lines == first)
		return;
	wizard_view_insert_heading(&s->view, first, _("Before you apply:"));
	wizard_view_add(&s->view, WIZ_ATTR_NORMAL, 0, false, "");
}

static void
preview_init(struct wiz *w)
{
	struct wiz_pager *s = &w->preview;
	const struct pipeline_result *res;

	/* keys typed ahead (a second Enter) must not apply an unread plan */
	flushinp();
	w->previewed = true;
	free(w->shown);
	w->shown = shown_text(w->p);
	wizard_view_clear(&s->view);
	s->note = NULL;
	s->blocked = NULL;
	s->focus = w->may_apply ? PAGER_CONFIRM : PAGER_BACK;
	res = pipeline_result(w->p);
	wizard_preview_add_recovery(&s->view, res->recovered, res->recovery_failures);
	wizard_preview_add_pending(&s->view, res->recovery_pending, res->recovery_paths);
	if (res->has_changes) {
		add_before(w);
		add_plan(&s->view, w->p);
		if (s->blocked)
			s->focus = PAGER_BACK;
		return;
	}
	s->focus = PAGER_CONFIRM; /* Finish: even without root */
	if (!*w->req->root)
		pipeline_observe(w->p);
	if (res->not_loaded) {
		_cleanup_free_ char *cmd = output_advice(res);

		wizard_view_addf(&s->view, WIZ_ATTR_ERROR, 0,
				 _("Configured, not active yet: the files are in place, but the "
				   "running Apache has not loaded what cgisetup wrote for '%s'. "
				   "Activate it with '%s', or with 'cgisetup --dir %s --yes', which "
				   "also proves it over HTTP."),
				 w->req->dir, cmd ? cmd : "?", w->req->dir);
	} else {
		wizard_view_addf(&s->view, WIZ_ATTR_OK, 0,
				 _("Already configured: nothing would change ('%s' is served at "
				   "%s/)."),
				 w->req->dir, res->plan->url_path);
	}
	add_warnings(&s->view, res->plan->warnings);
}

static void
preview_leave(struct wiz *w)
{
	if (w->prepared)
		pipeline_free(w->p);
	w->prepared = false;
}

static void
preview_draw(struct wiz *w)
{
	struct wiz_pager *s = &w->preview;
	int y = wizard_body_top(), bottom = wizard_body_bottom();
	bool changes = pipeline_result(w->p)->has_changes;
	const char *names[PAGER_N_BUTTONS] = {
		_("Back"),
		changes ? _("Apply") : _("Finish"),
		_("Cancel"),
	};
	char pos[128];

	y += wizard_draw_para(y, 2, COLS - 4, 2,
			      changes ? _("Nothing has been written yet. Apply makes exactly these "
					  "changes; Cancel leaves the system untouched.")
				      : _("Nothing to do: the directory is set up already. Finish "
					  "leaves; nothing is written."),
			      WIZ_ATTR_NORMAL) + 1;
	bottom = wizard_body_fit(y, (int)wizard_view_rows(&s->view, COLS - 4) + 3);
	wizard_view_draw(&s->view, y, 2, bottom - 3 - y + 1, COLS - 4);
	wizard_view_position(&s->view, pos, sizeof(pos));
	wizard_draw_text(bottom - 2, COLS - 2 - wizard_draw_width(pos, strlen(pos)), COLS / 2, pos,
			 WIZ_ATTR_DIM);
	if (s->blocked && changes)
		wizard_draw_text(bottom - 1, 2, COLS - 4, s->blocked, WIZ_ATTR_ERROR);
	else if (!w->may_apply && changes)
		wizard_draw_text(bottom - 1, 2, COLS - 4,
				 _("root is needed to apply: run 'sudo cgisetup' (this preview "
				   "needs none)"),
				 WIZ_ATTR_ERROR);
	else if (s->note)
		wizard_draw_text(bottom - 1, 2, COLS - 4, s->note, WIZ_ATTR_ERROR);
	/* already configured: Finish is the one way out (Back to choose
	 * another directory) */
	wizard_draw_buttons(bottom, 2, names, changes ? PAGER_N_BUTTONS : PAGER_CANCEL, s->focus,
			    !changes || (w->may_apply && !s->blocked) ? 0 : 1u << PAGER_CONFIRM);
}

/* A fresh pipeline in place of the current one, for real or as a dry run.
 * The old one goes first: a record lock vanishes when any descriptor of
 * its file is closed, so two pipelines must never overlap. */
static int
prepare(struct wiz *w, bool for_real, struct diag *d)
{
	if (w->prepared)
		pipeline_free(w->p);
	w->prepared = false;
	if (pipeline_prepare(w->req, for_real ? PREPARE_APPLY : PREPARE_PREVIEW, &w->p, d) < 0)
		return -1;
	w->prepared = true;
	return 0;
}

/* Apply: prepare for real (the journal is opened and locked, an
 * interrupted run recovered) and go on only with the plan that was shown;
 * otherwise show the new one, prepared as a dry run like every preview. */
static enum wiz_action
prepare_for_apply(struct wiz *w)
{
	_cleanup_free_ char *now = NULL;
	struct diag d = { 0 };

	wizard_busy(w, _("Checking that the plan is still the one shown..."));
	if (prepare(w, true, &d) < 0)
		goto back;
	now = shown_text(w->p);
	if (now && w->shown && streq(now, w->shown))
		return WIZ_NEXT;
	if (prepare(w, false, &d) < 0)
		goto back;
	preview_init(w);
	w->preview.note = _("The files changed meanwhile: this is the new plan. Review it, "
			    "then Apply.");
	return WIZ_HANDLED;
back:
	/* the directory screen shows why */
	w->dir.diag = d;
	return WIZ_BACK;
}

static enum wiz_action
apply_or_finish(struct wiz *w)
{
	if (!pipeline_result(w->p)->has_changes) {
		w->outcome = WIZ_UNCHANGED;
		return WIZ_FINISH;
	}
	if (!w->may_apply || w->preview.blocked) {
		beep();
		return WIZ_HANDLED;
	}
	return prepare_for_apply(w);
}

/* Already configured: Back and Finish only; q finishes too (exit 0:
 * nothing was asked of the system that it does not do already). */
static enum wiz_action
unchanged_key(struct wiz *w, const struct wiz_key *k)
{
	struct wiz_pager *s = &w->preview;

	if (wizard_key_is(k, '\t') || (k->fn && (k->code == KEY_BTAB || k->code == KEY_LEFT ||
						  k->code == KEY_RIGHT))) {
		s->focus = s->focus == PAGER_BACK ? PAGER_CONFIRM : PAGER_BACK;
		return WIZ_HANDLED;
	}
	if (wizard_key_is(k, 'q') || wizard_key_is(k, 'Q')) {
		w->outcome = WIZ_UNCHANGED;
		return WIZ_FINISH;
	}
	return wizard_pager_key(w, s, k, apply_or_finish);
}

/* Whether the preview offers s: Apache is stopped, Apply would start it
 * or leave it stopped (--no-start). */
static bool
stopped_choice(const struct wiz *w)
{
	const struct pipeline_result *res = pipeline_result(w->p);

	return res->has_changes && w->may_apply && res->observed && !res->act->before.running &&
	       !*w->req->root && !w->req->no_restart;
}

static enum wiz_action
preview_key(struct wiz *w, const struct wiz_key *k)
{
	if (!pipeline_result(w->p)->has_changes)
		return unchanged_key(w, k);
	if (stopped_choice(w) && (wizard_key_is(k, 's') || wizard_key_is(k, 'S'))) {
		size_t top = w->preview.view.top;
		int focus = w->preview.focus;

		w->req->no_start = !w->req->no_start;
		preview_init(w);
		w->preview.view.top = top;
		w->preview.focus = focus;
		return WIZ_HANDLED;
	}
	return wizard_pager_key(w, &w->preview, k, apply_or_finish);
}

/* The state this screen owns. */
static void
preview_release(struct wiz *w)
{
	preview_leave(w);
	wizard_view_clear(&w->preview.view);
	free(w->shown);
	w->shown = NULL;
}

static void
preview_keys(const struct wiz *w, struct wiz_keys *k)
{
	const struct wiz_pager *s = &w->preview;
	bool changes = pipeline_result(w->p)->has_changes;

	k->here = !stopped_choice(w)  ? _("PgUp/PgDn: scroll")
		  : w->req->no_start ? _("PgUp/PgDn: scroll  s: start Apache")
				     : _("PgUp/PgDn: scroll  s: leave Apache stopped");
	k->tab = _("Tab: button");
	k->esc = _("Esc: back");
	if (s->focus == PAGER_BACK)
		k->enter = _("Enter: back");
	else if (s->focus == PAGER_CANCEL)
		k->enter = _("Enter: cancel");
	else if (!changes)
		k->enter = _("Enter: finish");
	else if (w->may_apply && !s->blocked)
		k->enter = _("Enter: apply");
}

const struct wiz_screen wizard_preview_screen = {
	.title = N_("Preview"),
	.help = N_("The plan: every change cgisetup would make, with the reason for it, then "
		   "the unified diff of every file it would change or create (the same as "
		   "--dry-run). Nothing has been written yet.\n\n"
		   "Apply makes exactly these changes; if anything fails, every change is put "
		   "back. Back returns to the directory; Cancel (or q) leaves without writing "
		   "anything.\n\n"
		   "Keys: Up/Down, PgUp/PgDn, Home/End scroll; Tab/Shift-Tab or Left/Right pick "
		   "a button; Enter chooses it; Esc goes back; q quits."),
	.keys = preview_keys,
	.init = preview_init,
	.draw = preview_draw,
	.key = preview_key,
	.leave = preview_leave,
	.release = preview_release,
};
