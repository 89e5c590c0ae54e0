/* wizard-result.c - screen 5: what pipeline_apply() did.
 *
 * Success: where CGI is served, the jobs that activated it and why, the
 * HTTP check and what the script printed (its HTML tags taken out for
 * reading). Failure: the diagnosis, Apache's own words or the error-log
 * lines (the diag detail), and whether every change was put back. The
 * same facts the command line prints, which it prints again when the
 * wizard closes. The undo result (wizard-undo.c) shares the drawing.
 */
#include "config.h"

#define NCURSES_WIDECHAR 1
#include <curses.h>

#include "cgisetup/i18n.h"
#include "cgisetup/output.h"
#include "cgisetup/output-check.h"
#include "cgisetup/template.h"
#include "cgisetup/util.h"
#include "wizard-int.h"

/* The activation's path, in the command line's words (output.h). */
void
wizard_result_add_path(struct wiz_view *v, const struct activation *act, bool forced)
{
	_cleanup_free_ char *text = NULL;
	const char *why;

	if (!act->attempted)
		return;
	text = output_activation_text(act);
	why = output_activation_why(act, forced);
	wizard_view_addf(v, WIZ_ATTR_NORMAL, 4, _("Apache: %s"), text ? text : "?");
	if (why)
		wizard_view_addf(v, WIZ_ATTR_NORMAL, 4, _("Why: %s"), why);
}

static void
add_restart(struct wiz_view *v, const struct pipeline_result *res)
{
	if (res->act->attempted) {
		wizard_result_add_path(v, res->act, res->req->force_restart);
		return;
	}
	if (res->req->no_restart && !*res->req->root) {
		_cleanup_free_ char *cmd = output_advice(res);

		wizard_view_addf(v, WIZ_ATTR_NORMAL, 4,
				 _("Apache was not restarted (--no-restart): activate it with '%s'"),
				 cmd ? cmd : "?");
	} else if (res->act->left_stopped) {
		_cleanup_free_ char *cmd = restart_advice(res->host, RESTART_START);

		wizard_view_addf(v, WIZ_ATTR_NORMAL, 4,
				 _("Apache was stopped and was left stopped, as you chose: the "
				   "change is not proven over HTTP; start it with '%s'"),
				 cmd ? cmd : "?");
	}
}

/* Append the text of BODY (HTML or not) to SB: tags dropped, the five
 * common entities decoded, one output line per non-blank line. */
static int
body_text(const char *body, struct strbuf *sb)
{
	static const struct {
		const char *name;
		char c;
	} entities[] = { { "&lt;", '<' }, { "&gt;", '>' }, { "&amp;", '&' },
			 { "&quot;", '"' }, { "&#39;", '\'' } };
	bool in_tag = false;
	int r = 0;

	for (const char *s = body; r >= 0 && *s; s++) {
		size_t i;

		if (in_tag) {
			in_tag = *s != '>';
			continue;
		}
		if (*s == '<') {
			in_tag = true;
			continue;
		}
		for (i = 0; *s == '&' && i < ELEMENTSOF(entities); i++)
			if (startswith(s, entities[i].name))
				break;
		if (*s == '&' && i < ELEMENTSOF(entities)) {
			r = strbuf_add(sb, &entities[i].c, 1);
			s += strlen(entities[i].name) - 1;
			continue;
		}
		r = strbuf_add(sb, s, 1);
	}
	return r;
}

/* What the script printed, for reading. */
static void
add_body(struct wiz_view *v, const char *body)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;

	if (!body || !*body || body_text(body, &sb) < 0 || !sb.buf)
		return;
	wizard_view_add(v, WIZ_ATTR_HEADING, 4, false, _("The script printed:"));
	for (const char *s = sb.buf; *s;) {
		size_t n = strcspn(s, "\n");
		_cleanup_free_ char *line = strndup(s, n);
		char *t = line;

		while (t && (*t == ' ' || *t == '\t' || *t == '\r'))
			t++;
		if (t && *t)
			wizard_view_addf(v, WIZ_ATTR_NORMAL, 8, "    %s", t);
		s += n + (s[n] == '\n');
	}
}

/* What the HTTP check proved: the probe ran, or the admin's access rule
 * answered (configured, not proven: a warning, not a failure). */
static void
add_check(struct wiz_view *v, const struct pipeline_result *res)
{
	const struct verify_result *vr = &res->act->verify;
	_cleanup_free_ char *not_proven = output_not_proven(res, false);

	if (not_proven) {
		wizard_view_addf(v, WIZ_ATTR_ERROR, 4, _("warning: %s"), not_proven);
	} else if (res->act->verified) {
		wizard_view_addf(v, WIZ_ATTR_OK, 4,
				 _("Verified: a probe script ran in '%s' (HTTP %ld, it printed "
				   "'%s')."),
				 res->req->dir, vr->status, TEMPLATE_HELLO_PROOF);
		add_body(v, vr->body);
	}
}

static void
add_success(struct wiz_view *v, const struct pipeline_result *res)
{
	wizard_view_addf(v, WIZ_ATTR_OK, 4, _("CGI is on for '%s', served at %s/"), res->req->dir,
			 res->plan->url_path);
	add_restart(v, res);
	add_check(v, res);
	if (!res->has_hello)
		wizard_view_addf(v, WIZ_ATTR_NORMAL, 4,
				 _("No test script was written: a script you put in '%s' runs "
				   "at %s/NAME"),
				 res->req->dir, res->plan->url_path);
	else if (*res->req->root)
		wizard_view_addf(v, WIZ_ATTR_NORMAL, 4,
				 _("--root given: Apache was not restarted; test URL once it "
				   "runs: %s"),
				 res->url);
	else if (res->act->left_stopped)
		wizard_view_addf(v, WIZ_ATTR_NORMAL, 4, _("Test it once Apache runs: %s"), res->url);
	else if (res->has_hello)
		wizard_view_addf(v, WIZ_ATTR_NORMAL, 4, _("Test it: %s"), res->url);
}

/* Why the HTTP check failed, as --check reads its answer and log lines. */
static void
add_diagnosis(struct wiz_view *v, const struct pipeline *p)
{
	struct findings f;

	if (output_check_verification_findings(p, &f) < 0 || f.n == 0)
		return;
	wizard_view_add(v, WIZ_ATTR_HEADING, 0, false, _("Why the check failed:"));
	for (size_t i = 0; i < f.n; i++) {
		_cleanup_free_ char *cause = output_check_finding_text(&f.v[i], false);
		_cleanup_free_ char *fix = output_check_finding_text(&f.v[i], true);

		wizard_view_addf(v, WIZ_ATTR_ERROR, 4,
				 f.v[i].level == FINDING_WARNING ? _("warning: %s") : _("problem: %s"),
				 cause ? cause : "?");
		if (fix)
			wizard_view_addf(v, WIZ_ATTR_NORMAL, 4, _("fix: %s"), fix);
	}
	findings_release(&f);
}

static void
add_failure(struct wiz_view *v, const struct wiz *w)
{
	const struct pipeline_result *res = pipeline_result(w->p);
	char msg[DIAG_MSG_MAX];

	wizard_view_addf(v, WIZ_ATTR_ERROR, 4, _("Failed: %s"), output_message(&w->diag, msg));
	if (w->diag.detail[0]) {
		wizard_view_add(v, WIZ_ATTR_HEADING, 0, false, _("Details:"));
		wizard_view_add_text(v, WIZ_ATTR_NORMAL, 0, w->diag.detail);
	}
	add_diagnosis(v, w->p);
	if (res->rollback_failures) {
		wizard_view_add(v, WIZ_ATTR_ERROR, 4, false,
				_("Rollback incomplete; fix these by hand:"));
		for (size_t i = 0; res->rollback_failures[i]; i++)
			wizard_view_addf(v, WIZ_ATTR_ERROR, 4, "  %s",
					 output_text(res->rollback_failures[i], msg));
	} else {
		wizard_view_add(v, WIZ_ATTR_OK, 4, false, _("Every change was rolled back."));
	}
	if (res->act->rollback_how) {
		_cleanup_free_ char *how = output_how(res->act->rollback_how);

		wizard_view_addf(v, WIZ_ATTR_NORMAL, 4,
				 _("Apache is back on its old configuration (%s)."), how ? how : "?");
	}
}

/* The Ctrl-C that came during the work, and what became of it: the work
 * was not cut (wizard-apply.c), so its outcome is the one above. */
void
wizard_result_add_interrupted(struct wiz_view *v, const struct wiz *w)
{
	const char *text = NULL;

	if (!w->interrupted)
		return;
	switch (w->outcome) {
	case WIZ_APPLIED:
		text = _("Interrupted while the change was being applied: cgisetup waited for it to "
			 "finish, and the change is applied.");
		break;
	case WIZ_FAILED:
		text = _("Interrupted while the change was being applied: cgisetup waited for it to "
			 "finish; it failed, and what became of the change is said above.");
		break;
	case WIZ_UNDONE:
		text = _("Interrupted while the undo ran: cgisetup waited for it to finish, and the "
			 "change is taken back.");
		break;
	case WIZ_UNDO_FAILED:
		text = _("Interrupted while the undo ran: cgisetup waited for it to finish; it "
			 "failed, and what became of the change is said above.");
		break;
	case WIZ_UNCHANGED:
	case WIZ_CANCELLED:
		return;
	}
	wizard_view_add(v, WIZ_ATTR_NORMAL, 0, false, "");
	wizard_view_add(v, WIZ_ATTR_HEADING, 4, false, text);
}

void
wizard_result_add_warnings(struct wiz_view *v, char *const *warnings)
{
	char buf[DIAG_MSG_MAX];

	for (size_t i = 0; warnings && warnings[i]; i++)
		wizard_view_addf(v, WIZ_ATTR_ERROR, 4, _("warning: %s"), output_text(warnings[i], buf));
}

void
wizard_result_add_steps(struct wiz_view *v, const struct wiz *w)
{
	wizard_view_add(v, WIZ_ATTR_NORMAL, 0, false, "");
	wizard_view_add(v, WIZ_ATTR_HEADING, 0, false, _("Steps:"));
	for (size_t i = 0; i < w->steps.n_lines; i++)
		wizard_view_add(v, w->steps.lines[i].attr, 4, false, w->steps.lines[i].text);
}

static void
result_init(struct wiz *w)
{
	struct wiz_view *v = &w->result.view;

	flushinp(); /* keys pressed during the apply must not close the result unread */
	wizard_view_clear(v);
	if (w->outcome == WIZ_APPLIED)
		add_success(v, pipeline_result(w->p));
	else
		add_failure(v, w);
	wizard_result_add_interrupted(v, w);
	wizard_result_add_steps(v, w);
	wizard_result_add_warnings(v, pipeline_result(w->p)->host->warnings);
	wizard_result_add_warnings(v, pipeline_result(w->p)->plan->warnings);
}

void
wizard_result_draw(struct wiz *w)
{
	struct wiz_view *v = &w->result.view;
	int y = wizard_body_top();
	int bottom = wizard_body_fit(y, (int)wizard_view_rows(v, COLS - 4) + 2);
	const char *names[] = { _("Quit") };
	char pos[128];

	wizard_view_draw(v, y, 2, bottom - 2 - y + 1, COLS - 4);
	wizard_view_position(v, pos, sizeof(pos));
	wizard_draw_text(bottom - 1, COLS - 2 - wizard_draw_width(pos, strlen(pos)), COLS / 2, pos,
			 WIZ_ATTR_DIM);
	wizard_draw_buttons(bottom, 2, names, 1, 0, 0);
}

enum wiz_action
wizard_result_key(struct wiz *w, const struct wiz_key *k)
{
	if (wizard_view_key(&w->result.view, k))
		return WIZ_HANDLED;
	/* the work is over: every way out leaves at once */
	if (wizard_key_enter(k) || wizard_key_is(k, 'q') || wizard_key_is(k, 'Q') ||
	    wizard_key_is(k, WIZ_KEY_ESC))
		return WIZ_FINISH;
	return WIZ_IGNORED;
}

/* The result: only leaving is left to do. */
void
wizard_result_keys(const struct wiz *w, struct wiz_keys *k)
{
	(void)w;
	k->here = _("PgUp/PgDn: scroll");
	k->enter = _("Enter: quit");
	k->esc = _("Esc: quit");
}

/* The state this screen owns. */
void
wizard_result_release(struct wiz *w)
{
	wizard_view_clear(&w->result.view);
}

const struct wiz_screen wizard_result_screen = {
	.title = N_("Result"),
	.help = N_("What happened. On success: where CGI is served and, on the real system, "
		   "the jobs that activated the change (graceful reloads keep every connection), "
		   "the HTTP check that proved a probe script ran and what it printed (or, when an "
		   "admin's access rule answers 401/403, that the change is in place but not "
		   "proven). On failure: what "
		   "went wrong, Apache's own words or its error-log lines, and whether every "
		   "change was put back.\n\n"
		   "The same report is printed on the terminal when the wizard closes."),
	.init = result_init,
	.keys = wizard_result_keys,
	.draw = wizard_result_draw,
	.key = wizard_result_key,
	.release = wizard_result_release,
};
