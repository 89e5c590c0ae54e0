/* wizard-undo.c - undo from the wizard: what cgisetup has applied (for
 * screen 1), the undo preview and the undo result.
 *
 * The same calls as `cgisetup --status` and `cgisetup --undo`:
 * undo_status() and undo_intact() list the applies; undo_prepare() as a
 * dry run and undo_diff() make the preview; Undo prepares once more for
 * real (the journal is locked and an interrupted run recovered from then
 * on) and goes on only if that undo is the one shown, like Apply on the
 * set-up path; undo_apply() takes the change back with the wizard's
 * reporter. Every listing and preview is copied out and its struct undo
 * released at once, so the journal is never held while a screen waits for
 * a key.
 *
 * The undo uses a shallow copy of the request (w->undo_req: the same
 * strings, its own dry_run), so the set-up path's request is left alone.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>

#define NCURSES_WIDECHAR 1
#include <curses.h>

#include "cgisetup/i18n.h"
#include "cgisetup/output.h"
#include "cgisetup/util.h"
#include "wizard-int.h"

/* ---- what is applied ---- */

void
wizard_undo_status_release(struct wiz *w)
{
	struct wiz_detect *s = &w->detect;

	for (size_t i = 0; i < s->n_applied; i++) {
		free(s->applied[i].id);
		free(s->applied[i].time);
		free(s->applied[i].dir);
		free(s->applied[i].url_path);
	}
	free(s->applied);
	s->applied = NULL;
	s->n_applied = 0;
	s->status_known = false;
}

/* T's KEY; "?" when the journal entry has none. */
static const char *
meta_text(const struct txn *t, const char *key)
{
	const char *v = txn_get_meta(t, key);

	return v ? v : "?";
}

static char *
applied_meta(const struct txn *t, const char *key)
{
	return strdup(meta_text(t, key));
}

static int
copy_applied(struct wiz_detect *s, const struct undo *u)
{
	s->applied = calloc(u->n_applied ? u->n_applied : 1, sizeof(*s->applied));
	if (!s->applied)
		return -ENOMEM;
	for (size_t i = 0; i < u->n_applied; i++) {
		const struct txn *t = u->applied[i];
		struct wiz_applied *a = &s->applied[s->n_applied++];

		a->id = strdup(undo_id(t));
		a->time = applied_meta(t, "time");
		a->dir = applied_meta(t, "dir");
		a->url_path = applied_meta(t, "url_path");
		a->intact = undo_intact(u, t);
		if (!a->id || !a->time || !a->dir || !a->url_path)
			return -ENOMEM;
	}
	return 0;
}

/* Read-only, as `cgisetup --status` run as a dry run: no recovery, no
 * journal created, the lock held only for the call. */
void
wizard_undo_status(struct wiz *w)
{
	struct wiz_detect *s = &w->detect;
	struct request req = *w->req;
	struct undo u = { 0 };

	wizard_undo_status_release(w);
	s->status_diag = (struct diag){ 0 };
	req.dry_run = true;
	if (undo_status(&req, &u, &s->status_diag) < 0)
		return;
	if (copy_applied(s, &u) < 0) {
		wizard_undo_status_release(w);
		diag_fail(&s->status_diag, ENOMEM, N_("out of memory"));
	} else {
		s->status_known = true;
	}
	undo_release(&u);
}

/* ---- the undo preview ---- */

static void
add_actions(struct wiz_view *v, const struct undo *u)
{
	for (size_t i = 0; u->txn && i < u->txn->n_recs; i++) {
		const struct txn_record *rec = &u->txn->recs[i];
		_cleanup_free_ char *what = output_undo_action(rec->op, rec->path);

		if (what)
			wizard_view_addf(v, WIZ_ATTR_NORMAL, 6, "  - %s", what);
	}
}

static int
add_diff(struct wiz_view *v, const struct undo *u)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;
	int r = undo_diff(u, &sb);

	return r < 0 ? r : wizard_view_add_diff(v, sb.buf);
}

/* Which of the applied changes the preview shows, when there is a choice. */
static void
add_pick(struct wiz_view *v, const struct wiz *w)
{
	size_t n = w->detect.n_applied;

	if (n < 2)
		return;
	wizard_view_addf(v, WIZ_ATTR_NORMAL, 4,
			 _("Change %s, %zu of %zu applied (newest first): n shows an older one, "
			   "p a newer one."),
			 w->undo_pick_id, w->undo_pick + 1, n);
	wizard_view_add(v, WIZ_ATTR_NORMAL, 0, false, "");
}

/* The picked entry cannot be taken back now (a later one builds on it):
 * the preview says why instead of a plan. */
static void
fill_refused(struct wiz *w, const struct diag *d)
{
	struct wiz_view *v = &w->undo_preview.view;
	char msg[DIAG_MSG_MAX];

	wizard_view_clear(v);
	add_pick(v, w);
	wizard_view_addf(v, WIZ_ATTR_ERROR, 4, _("Change %s cannot be undone now: %s"),
			 w->undo_pick_id, output_message(d, msg));
}

static void
fill_preview(struct wiz *w)
{
	struct wiz_view *v = &w->undo_preview.view;
	const struct undo *u = &w->u;
	const struct txn *t = u->target;

	wizard_view_clear(v);
	wizard_preview_add_recovery(v, u->recovered, u->recovery_failures);
	wizard_preview_add_pending(v, u->recovery_pending, u->recovery_paths);
	add_pick(v, w);
	if (!t) {
		wizard_view_add(v, WIZ_ATTR_OK, 0, false,
				_("Nothing to undo: no change by cgisetup is applied on this system."));
		return;
	}
	wizard_view_addf(v, WIZ_ATTR_HEADING, 4, _("Take back CGI for '%s' at %s/ (applied %s)"),
			 meta_text(t, "dir"), meta_text(t, "url_path"), meta_text(t, "time"));
	wizard_view_add(v, WIZ_ATTR_NORMAL, 4, false,
			undo_intact(u, t) ? _("Its files are still as cgisetup left them (intact).")
					  : _("Its files were edited since: everyone else's edits are "
					      "kept."));
	wizard_view_add(v, WIZ_ATTR_NORMAL, 0, false, "");
	wizard_view_add(v, WIZ_ATTR_HEADING, 0, false, _("What will be done:"));
	add_actions(v, u);
	wizard_result_add_warnings(v, u->warnings);
	wizard_view_add(v, WIZ_ATTR_NORMAL, 0, false, "");
	wizard_view_add(v, WIZ_ATTR_HEADING, 0, false,
			_("The unified diff of every file that changes or goes:"));
	if (add_diff(v, u) < 0)
		wizard_view_add(v, WIZ_ATTR_ERROR, 0, false, _("the diff could not be made"));
}

/* The undo as text, to tell whether a later one differs. */
static char *
shown_text(const struct undo *u)
{
	struct strbuf sb = STRBUF_INIT;
	int r = strbuf_addf(&sb, "%s\n", u->target ? u->target->name : "-");

	for (size_t i = 0; r >= 0 && u->txn && i < u->txn->n_recs; i++)
		r = strbuf_addf(&sb, "%d %s\n", (int)u->txn->recs[i].op, u->txn->recs[i].path);
	for (size_t i = 0; r >= 0 && u->warnings && u->warnings[i]; i++)
		r = strbuf_addf(&sb, "%s\n", u->warnings[i]);
	if (r >= 0)
		r = undo_diff(u, &sb);
	if (r < 0) {
		strbuf_release(&sb);
		return NULL;
	}
	return strbuf_detach(&sb);
}

void
wizard_undo_release(struct wiz *w)
{
	if (w->undo_prepared)
		undo_release(&w->u);
	w->undo_prepared = false;
}

/* Prepare the undo, for real or as a dry run, in place of any other
 * struct undo or pipeline: a record lock vanishes when any descriptor of
 * its file is closed, so two of them must never overlap. */
static int
prepare(struct wiz *w, bool for_real, struct diag *d)
{
	wizard_undo_release(w);
	if (w->prepared)
		pipeline_free(w->p);
	w->prepared = false;
	w->undo_req = *w->req;
	w->undo_req.dry_run = !for_real;
	/* the wizard takes back the latest entry, whatever DIR was typed */
	w->undo_req.dir = NULL;
	w->undo_req.undo_id = w->undo_pick_id[0] ? w->undo_pick_id : NULL;
	w->undo_req.forget = false;
	if (undo_prepare(&w->undo_req, &w->u, d) < 0)
		return -1;
	w->undo_prepared = true;
	return 0;
}

/* Show the dry run's undo; the journal is let go at once. */
static void
show_dry_run(struct wiz *w)
{
	fill_preview(w);
	free(w->undo_shown);
	w->undo_shown = shown_text(&w->u);
	w->undo_target = w->u.target != NULL;
	wizard_undo_release(w);
}

/* Pick the entry PICK places before the latest (screen 1's list). */
static void
set_pick(struct wiz *w, size_t pick)
{
	const struct wiz_detect *s = &w->detect;

	w->undo_pick = pick;
	w->undo_pick_id[0] = '\0';
	if (pick < s->n_applied)
		snprintf(w->undo_pick_id, sizeof(w->undo_pick_id), "%s",
			 s->applied[s->n_applied - 1 - pick].id);
}

/* n / p on the preview: another applied change, planned as a dry run. */
static enum wiz_action
undo_pick_other(struct wiz *w, bool older)
{
	size_t n = w->detect.n_applied, pick = w->undo_pick;
	struct diag d = { 0 };

	if (n < 2 || (older && pick + 1 >= n) || (!older && pick == 0)) {
		beep();
		return WIZ_HANDLED;
	}
	set_pick(w, older ? pick + 1 : pick - 1);
	w->undo_note = (struct diag){ 0 };
	w->undo_preview.note = NULL;
	w->undo_preview.view.top = 0;
	if (prepare(w, false, &d) < 0) {
		fill_refused(w, &d);
		free(w->undo_shown);
		w->undo_shown = NULL;
		w->undo_target = false;
	} else {
		show_dry_run(w);
	}
	w->undo_preview.focus = w->may_apply && w->undo_target ? PAGER_CONFIRM : PAGER_BACK;
	return WIZ_HANDLED;
}

enum wiz_action
wizard_undo_start(struct wiz *w)
{
	struct wiz_detect *s = &w->detect;

	s->undo_diag = (struct diag){ 0 };
	set_pick(w, 0);
	wizard_busy(w, _("Reading the journal and planning the undo..."));
	if (prepare(w, false, &s->undo_diag) < 0)
		return WIZ_HANDLED;
	if (!w->u.target) {
		wizard_undo_release(w);
		diag_fail(&s->undo_diag, ENOENT,
			  N_("nothing to undo: no change by cgisetup is applied on this system"));
		wizard_undo_status(w);
		return WIZ_HANDLED;
	}
	show_dry_run(w);
	w->undo_note = (struct diag){ 0 };
	w->undo_preview.note = NULL;
	w->undo_preview.view.top = 0;
	return WIZ_UNDO;
}

static void
undo_preview_init(struct wiz *w)
{
	struct wiz_pager *s = &w->undo_preview;

	/* keys typed ahead (a second Enter) must not undo an unread plan */
	flushinp();
	w->undoing = true;
	w->previewed = true;
	s->focus = w->may_apply && w->undo_target ? PAGER_CONFIRM : PAGER_BACK;
}

static void
undo_preview_leave(struct wiz *w)
{
	wizard_undo_release(w);
	w->undoing = false;
	/* screen 1 lists what is applied now */
	wizard_undo_status(w);
}

static void
undo_preview_draw(struct wiz *w)
{
	struct wiz_pager *s = &w->undo_preview;
	int y = wizard_body_top(), bottom = wizard_body_bottom();
	const char *names[PAGER_N_BUTTONS] = { _("Back"), _("Undo"), _("Cancel") };
	unsigned disabled = w->may_apply && w->undo_target ? 0 : 1u << PAGER_CONFIRM;
	char pos[128];

	y += wizard_draw_para(y, 2, COLS - 4, 2,
			      _("Nothing has been written yet. Undo makes exactly these changes; "
				"Cancel leaves the system untouched."),
			      WIZ_ATTR_NORMAL) + 1;
	bottom = wizard_body_fit(y, (int)wizard_view_rows(&s->view, COLS - 4) + 3);
	wizard_view_draw(&s->view, y, 2, bottom - 3 - y + 1, COLS - 4);
	wizard_view_position(&s->view, pos, sizeof(pos));
	wizard_draw_text(bottom - 2, COLS - 2 - wizard_draw_width(pos, strlen(pos)), COLS / 2, pos,
			 WIZ_ATTR_DIM);
	if (w->undo_note.msg[0])
		wizard_draw_text(bottom - 1, 2, COLS - 4, w->undo_note.msg, WIZ_ATTR_ERROR);
	else if (!w->may_apply && w->undo_target)
		wizard_draw_text(bottom - 1, 2, COLS - 4,
				 _("root is needed to undo: run 'sudo cgisetup' (this preview needs "
				   "none)"),
				 WIZ_ATTR_ERROR);
	else if (s->note)
		wizard_draw_text(bottom - 1, 2, COLS - 4, s->note, WIZ_ATTR_ERROR);
	wizard_draw_buttons(bottom, 2, names, PAGER_N_BUTTONS, s->focus, disabled);
}

/* Undo: prepare for real and go on only with the undo that was shown;
 * otherwise show the new one, prepared as a dry run like every preview. */
static enum wiz_action
undo_confirm(struct wiz *w)
{
	_cleanup_free_ char *now = NULL;

	if (!w->may_apply || !w->undo_target) {
		beep();
		return WIZ_HANDLED;
	}
	w->undo_note = (struct diag){ 0 };
	w->undo_preview.note = NULL;
	wizard_busy(w, _("Checking that the undo is still the one shown..."));
	if (prepare(w, true, &w->undo_note) < 0)
		return WIZ_HANDLED;
	now = shown_text(&w->u);
	if (w->u.target && now && w->undo_shown && streq(now, w->undo_shown))
		return WIZ_NEXT;
	if (prepare(w, false, &w->undo_note) < 0) {
		w->undo_target = false;
		return WIZ_HANDLED;
	}
	show_dry_run(w);
	w->undo_preview.view.top = 0;
	w->undo_preview.note = _("The files changed meanwhile: this is the new undo. Review it, "
				 "then Undo.");
	w->undo_preview.focus = w->undo_target ? PAGER_CONFIRM : PAGER_BACK;
	return WIZ_HANDLED;
}

static enum wiz_action
undo_preview_key(struct wiz *w, const struct wiz_key *k)
{
	if (wizard_key_is(k, 'n') || wizard_key_is(k, 'p'))
		return undo_pick_other(w, wizard_key_is(k, 'n'));
	return wizard_pager_key(w, &w->undo_preview, k, undo_confirm);
}

/* The state this screen owns. */
static void
undo_preview_release(struct wiz *w)
{
	wizard_undo_release(w);
	wizard_view_clear(&w->undo_preview.view);
	free(w->undo_shown);
	w->undo_shown = NULL;
}

static void
undo_preview_keys(const struct wiz *w, struct wiz_keys *k)
{
	const struct wiz_pager *s = &w->undo_preview;

	k->here = w->detect.n_applied > 1 ? _("PgUp/PgDn: scroll  n/p: older/newer")
					  : _("PgUp/PgDn: scroll");
	k->tab = _("Tab: button");
	k->esc = _("Esc: back");
	if (s->focus == PAGER_BACK)
		k->enter = _("Enter: back");
	else if (s->focus == PAGER_CANCEL)
		k->enter = _("Enter: cancel");
	else if (w->may_apply && w->undo_target)
		k->enter = _("Enter: undo");
}

const struct wiz_screen wizard_undo_preview_screen = {
	.title = N_("Undo preview"),
	.help = N_("Undo takes back the most recent change cgisetup applied on this system, "
		   "the same as 'cgisetup --undo', or, picked with n (older) and p (newer), "
		   "another one, the same as 'cgisetup --undo ID' (refused, with the reason, "
		   "while a later change builds on it): every file it changed gets its old bytes back "
		   "(or, when someone edited it since, only cgisetup's own lines are taken out), "
		   "what it created goes, and Apache is reloaded. Below are the actions and the "
		   "unified diff (the same as 'cgisetup --undo --dry-run'). Nothing has been "
		   "written yet.\n\n"
		   "Undo makes exactly these changes; if anything fails, the undo is rolled back. "
		   "Back returns to the first screen; Cancel (or q) leaves without writing "
		   "anything.\n\n"
		   "Keys: Up/Down, PgUp/PgDn, Home/End scroll; Tab/Shift-Tab or Left/Right pick "
		   "a button; Enter chooses it; Esc goes back; q quits."),
	.keys = undo_preview_keys,
	.init = undo_preview_init,
	.draw = undo_preview_draw,
	.key = undo_preview_key,
	.leave = undo_preview_leave,
	.release = undo_preview_release,
};

/* ---- the undo result ---- */

static void
add_undone(struct wiz_view *v, const struct undo *u)
{
	const struct txn *other = undo_entry_still_serving(u);

	if (other)
		wizard_view_addf(v, WIZ_ATTR_OK, 4,
				 _("Undone: change %s for '%s'. CGI stays on there: change %s for the "
				   "same directory still applies."),
				 undo_id(u->target), meta_text(u->target, "dir"), undo_id(other));
	else if (undo_runs_still(u))
		wizard_view_addf(v, WIZ_ATTR_OK, 4,
				 _("Undone: the change of %s for '%s'. CGI stays on there, as it was "
				   "before that change."),
				 meta_text(u->target, "time"), meta_text(u->target, "dir"));
	else
		wizard_view_addf(v, WIZ_ATTR_OK, 4,
				 _("Undone: CGI for '%s' (applied %s) is off again."),
				 meta_text(u->target, "dir"), meta_text(u->target, "time"));
	wizard_result_add_path(v, &u->act, u->req->force_restart);
	if (u->act.verified)
		wizard_view_addf(v, WIZ_ATTR_OK, 4,
				 undo_runs_still(u)
					 ? _("Verified: a probe script in '%s' still runs, as before (HTTP %ld).")
					 : _("Verified: a probe script in '%s' no longer runs (HTTP %ld)."),
				 meta_text(u->target, "dir"), u->act.verify.status);
	wizard_view_add(v, WIZ_ATTR_NORMAL, 0, false, "");
	wizard_view_add(v, WIZ_ATTR_HEADING, 0, false, _("What was done:"));
	add_actions(v, u);
}

static void
add_undo_failure(struct wiz_view *v, const struct wiz *w)
{
	const struct undo *u = &w->u;
	char msg[DIAG_MSG_MAX];

	wizard_view_addf(v, WIZ_ATTR_ERROR, 4, _("Failed: %s"), output_message(&w->diag, msg));
	if (w->diag.detail[0]) {
		wizard_view_add(v, WIZ_ATTR_HEADING, 0, false, _("Details:"));
		wizard_view_add_text(v, WIZ_ATTR_NORMAL, 0, w->diag.detail);
	}
	if (u->rollback_failures) {
		wizard_view_add(v, WIZ_ATTR_ERROR, 4, false,
				_("Rollback of the undo incomplete; fix these by hand:"));
		for (size_t i = 0; u->rollback_failures[i]; i++)
			wizard_view_addf(v, WIZ_ATTR_ERROR, 4, "  %s",
					 output_text(u->rollback_failures[i], msg));
	} else {
		_cleanup_free_ char *next = output_undo_next(u);

		wizard_view_add(v, WIZ_ATTR_OK, 4, false,
				_("The undo was rolled back: the change is still applied."));
		if (next)
			wizard_view_addf(v, WIZ_ATTR_NORMAL, 4, _("What to do: %s"), next);
	}
	if (u->act.rollback_how) {
		_cleanup_free_ char *how = output_how(u->act.rollback_how);

		wizard_view_addf(v, WIZ_ATTR_NORMAL, 4,
				 _("Apache is back on its old configuration (%s)."), how ? how : "?");
	}
}

static void
undo_result_init(struct wiz *w)
{
	struct wiz_view *v = &w->result.view;

	flushinp(); /* keys pressed during the undo must not close the result unread */
	wizard_view_clear(v);
	wizard_preview_add_recovery(v, w->u.recovered, w->u.recovery_failures);
	if (w->outcome == WIZ_UNDONE)
		add_undone(v, &w->u);
	else
		add_undo_failure(v, w);
	wizard_result_add_interrupted(v, w);
	wizard_result_add_steps(v, w);
	wizard_result_add_warnings(v, w->u.warnings);
}

const struct wiz_screen wizard_undo_result_screen = {
	.title = N_("Undo result"),
	.help = N_("What the undo did. On success: what was taken back and, on the real "
		   "system, how Apache was reloaded and the HTTP check that proved the script no "
		   "longer runs. On failure: what went wrong, and whether the undo was rolled "
		   "back (then the change is still applied, as before).\n\n"
		   "The same report is printed on the terminal when the wizard closes."),
	.keys = wizard_result_keys,
	.init = undo_result_init,
	.draw = wizard_result_draw,
	.key = wizard_result_key,
	.release = wizard_result_release,
};
