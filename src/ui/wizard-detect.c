/* wizard-detect.c - screen 1: what was detected, and the main menu.
 *
 * Shows what probe_host() found (the same detection as --detect); a value
 * it could not establish is shown as unknown. The only one a user can
 * type is the main configuration, because struct request has a field for
 * it (--config); the rest has none, so it is only shown.
 *
 * Below it, what cgisetup has already applied here, as `cgisetup --status`
 * lists it (undo_status(), undo_intact(); wizard-undo.c reads it). The
 * menu is a table; "Undo the last change" is in it while the journal holds
 * an applied change (the key u chooses it too), and "Check my scripts"
 * (wizard-check.c) then too.
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

#define FOCUS_CONFIG (-1)
#define MAX_WARNING_ROWS 3

struct entry {
	const char *label; /* N_() */
	bool (*shown)(const struct wiz *w);
	enum wiz_action (*choose)(struct wiz *w);
	char *(*detail)(const struct wiz *w); /* optional, after the label */
};

static bool
when_found(const struct wiz *w)
{
	return w->detect.found;
}

static bool
when_missing(const struct wiz *w)
{
	return !w->detect.found;
}

static bool
always(const struct wiz *w)
{
	return true;
}

static enum wiz_action
choose_setup(struct wiz *w)
{
	return WIZ_NEXT;
}

static enum wiz_action
choose_quit(struct wiz *w)
{
	return WIZ_QUIT;
}

static bool
when_applied(const struct wiz *w)
{
	return w->detect.n_applied > 0;
}

static enum wiz_action
choose_undo(struct wiz *w)
{
	return wizard_undo_start(w);
}

/* What the undo takes back: the last apply listed. */
static char *
undo_detail(const struct wiz *w)
{
	const struct wiz_applied *a = &w->detect.applied[w->detect.n_applied - 1];

	return strdup_printf(_("CGI for '%s' at %s/"), a->dir, a->url_path);
}

static enum wiz_action choose_redetect(struct wiz *w);

static enum wiz_action
choose_check(struct wiz *w)
{
	return wizard_check_start(w);
}

static const struct entry entries[] = {
	{ N_("Set up CGI for a directory"), when_found, choose_setup, NULL },
	{ N_("Undo the last change"), when_applied, choose_undo, undo_detail },
	{ N_("Check my scripts"), when_applied, choose_check, NULL },
	{ N_("Detect again with this main configuration"), when_missing, choose_redetect, NULL },
	{ N_("Quit"), always, choose_quit, NULL },
};

#define N_ENTRIES ((int)ELEMENTSOF(entries))

/* ---- detection ---- */

static void
forget(struct wiz *w)
{
	struct wiz_detect *s = &w->detect;

	if (s->found)
		probe_host_release(&w->host);
	if (s->have_state)
		restart_state_release(&s->state);
	s->found = s->have_state = false;
	s->diag = (struct diag){ 0 };
}

static int
first_entry(const struct wiz *w)
{
	for (int i = 0; i < N_ENTRIES; i++)
		if (entries[i].shown(w))
			return i;
	return 0;
}

static void
probe(struct wiz *w)
{
	struct wiz_detect *s = &w->detect;
	struct diag d = { 0 };

	forget(w);
	s->found = probe_host(w->req, &w->host, &s->diag) >= 0;
	if (s->found)
		probe_version(&w->host); /* screen 1 shows it, as --detect does */
	s->probed = true;
	s->undo_diag = (struct diag){ 0 };
	wizard_undo_status(w);
	/* whether Apache runs: only on the real system (nothing runs in --root) */
	if (s->found && !*w->req->root)
		s->have_state = restart_probe(&w->host, &s->state, &d) >= 0;
	s->focus = s->found ? first_entry(w) : FOCUS_CONFIG;
}

static enum wiz_action
choose_redetect(struct wiz *w)
{
	const char *text = w->detect.config.text;
	char *config = text && *text ? strdup(text) : NULL;

	if (text && *text && !config)
		return WIZ_HANDLED;
	free(w->req->config);
	w->req->config = config;
	wizard_busy(w, _("Detecting Apache..."));
	probe(w);
	return WIZ_HANDLED;
}

/* ---- screen ---- */

static void
detect_init(struct wiz *w)
{
	struct wiz_detect *s = &w->detect;

	if (!s->config.text)
		wizard_field_set(&s->config, w->req->config);
	if (s->probed)
		s->focus = s->found ? first_entry(w) : FOCUS_CONFIG;
}

static enum wiz_action
detect_run(struct wiz *w)
{
	if (w->detect.probed)
		return WIZ_HANDLED;
	wizard_busy(w, _("Detecting Apache..."));
	probe(w);
	return WIZ_HANDLED;
}

static const char *
or_unknown(const char *s)
{
	return s && *s ? s : NULL;
}

static char *
service_text(const struct wiz *w)
{
	const struct wiz_detect *s = &w->detect;
	const char *unit = w->host.layout.unit ? w->host.layout.unit : _("unknown");

	if (*w->req->root)
		return strdup_printf(_("%s (not checked: --root)"), unit);
	if (!s->have_state)
		return strdup_printf(_("%s (state unknown)"), unit);
	if (!s->state.running && s->state.failed)
		return strdup_printf(_("%s (failed: %s)"), unit,
				     s->state.failed);
	return strdup_printf(s->state.running ? _("%s (running)") : _("%s (not running)"), unit);
}

static char *
listen_text(const struct layout *l)
{
	const char *host = l->listen_host ? l->listen_host : _("any address");

	if (!l->listen_port)
		return strdup_printf(_("%s, port unknown"), host);
	return strdup_printf(_("%s, port %u"), host, l->listen_port);
}

static char *
mpm_text(const struct layout *l)
{
	if (!l->mpm)
		return NULL;
	return strdup_printf("%s (%s)", l->mpm, l->threaded ? _("threaded") : _("not threaded"));
}

static char *
cgi_text(const struct layout *l)
{
	if (l->cgi_loaded)
		return strdup_printf(_("%s loaded"), l->cgi_loaded);
	if (l->cgi_wanted)
		return strdup_printf(_("not loaded (%s matches the MPM)"), l->cgi_wanted);
	return strdup_printf("%s", _("not loaded"));
}

/* One "label: value" row; a missing value reads "unknown". */
static void
info_row(int y, int lw, const char *label, const char *value)
{
	wizard_draw_text(y, 2, lw, _(label), WIZ_ATTR_NORMAL);
	if (value)
		wizard_draw_text(y, 3 + lw, COLS - 5 - lw, value, WIZ_ATTR_HEADING);
	else
		wizard_draw_text(y, 3 + lw, COLS - 5 - lw, _("unknown"), WIZ_ATTR_DIM);
}

static const char *const info_labels[] = {
	N_("System:"),	    N_("Layout:"),     N_("Apache:"),	 N_("Main config:"),
	N_("Server root:"), N_("Service:"),    N_("MPM:"),	 N_("CGI module:"),
	N_("Listen:"),	    N_("Document root:"), N_("Run user:"), N_("Error log:"),
	N_("Detected from:"),
};

static int
label_width(void)
{
	const char *applied = _("Applied:");
	int lw = wizard_draw_width(applied, strlen(applied));

	for (size_t i = 0; i < ELEMENTSOF(info_labels); i++) {
		const char *t = _(info_labels[i]);
		int wd = wizard_draw_width(t, strlen(t));

		lw = wd > lw ? wd : lw;
	}
	return lw < COLS / 3 ? lw : COLS / 3;
}

static int
draw_info(const struct wiz *w, int y)
{
	const struct host *h = &w->host;
	const struct layout *l = &h->layout;
	_cleanup_free_ char *service = service_text(w), *listen = listen_text(l);
	_cleanup_free_ char *mpm = mpm_text(l), *cgi = cgi_text(l);
	const char *values[] = {
		or_unknown(h->os_name),
		l->family ? l->family->name : NULL,
		or_unknown(h->live.version),
		or_unknown(l->main_config),
		or_unknown(l->server_root),
		service,
		mpm,
		cgi,
		listen,
		or_unknown(l->document_root),
		or_unknown(l->user),
		or_unknown(l->error_log),
		/* apachectl answers whether Apache runs or not */
		l->from_live ? _("Apache itself (apachectl)") : _("the configuration files"),
	};
	int lw = label_width();

	for (size_t i = 0; i < ELEMENTSOF(info_labels); i++)
		info_row(y++, lw, info_labels[i], values[i]);
	return y;
}

static int
draw_warnings(const struct wiz *w, int y, int max_rows)
{
	for (size_t i = 0; w->host.warnings && w->host.warnings[i] && max_rows > 0; i++) {
		char buf[DIAG_MSG_MAX];
		_cleanup_free_ char *t = strdup_printf(_("warning: %s"),
						       output_text(w->host.warnings[i], buf));
		int n = t ? wizard_draw_para(y, 2, COLS - 4, max_rows, t, WIZ_ATTR_ERROR) : 0;

		y += n;
		max_rows -= n;
	}
	return y;
}

static char *
applied_text(const struct wiz_applied *a)
{
	/* TRANSLATORS: a change cgisetup applied: when, which directory, its
	 * URL path, and whether its files are still as cgisetup left them */
	return strdup_printf(_("%s  %s at %s/  (%s)"), a->time, a->dir, a->url_path,
			     a->intact ? _("intact") : _("edited since"));
}

/* "Applied:" and one row per change cgisetup applied, oldest first, in at
 * most MAX_ROWS rows (the most recent ones when they do not all fit);
 * returns the row after them. */
static int
draw_applied(const struct wiz *w, int y, int max_rows)
{
	const struct wiz_detect *s = &w->detect;
	int lw = label_width(), x = 3 + lw, cols = COLS - 5 - lw;
	size_t first = 0;

	if (max_rows < 1)
		return y;
	wizard_draw_text(y, 2, lw, _("Applied:"), WIZ_ATTR_NORMAL);
	if (!s->status_known) {
		char msg[DIAG_MSG_MAX];
		_cleanup_free_ char *t = strdup_printf(_("unknown: %s"),
						       output_message(&s->status_diag, msg));

		wizard_draw_text(y, x, cols, t ? t : _("unknown"), WIZ_ATTR_DIM);
		return y + 1;
	}
	/* without root the journal cannot be read: none listed proves nothing */
	if (s->n_applied == 0 && !w->may_apply) {
		wizard_draw_text(y, x, cols, _("unknown (needs root)"), WIZ_ATTR_DIM);
		return y + 1;
	}
	if (s->n_applied == 0) {
		wizard_draw_text(y, x, cols, _("nothing by cgisetup yet"), WIZ_ATTR_DIM);
		return y + 1;
	}
	if (s->n_applied > (size_t)max_rows) {
		_cleanup_free_ char *t = NULL;

		first = s->n_applied - (size_t)(max_rows - 1);
		t = strdup_printf(ngettext("%zu earlier change (cgisetup --status lists it)",
					   "%zu earlier changes (cgisetup --status lists them)", first),
				  first);
		wizard_draw_text(y++, x, cols, t, WIZ_ATTR_DIM);
	}
	for (size_t i = first; i < s->n_applied; i++) {
		_cleanup_free_ char *t = applied_text(&s->applied[i]);

		wizard_draw_text(y++, x, cols, t, WIZ_ATTR_HEADING);
	}
	return y;
}

static int
n_shown(const struct wiz *w)
{
	int n = 0;

	for (int i = 0; i < N_ENTRIES; i++)
		n += entries[i].shown(w);
	return n;
}

/* The menu from row Y, at most as low as the body's last rows. */
static void
draw_menu(const struct wiz *w, int y)
{
	if (y > wizard_body_bottom() - n_shown(w) + 1)
		y = wizard_body_bottom() - n_shown(w) + 1;

	for (int i = 0; i < N_ENTRIES; i++) {
		_cleanup_free_ char *t = NULL, *detail = NULL;
		bool focused = w->detect.focus == i;

		if (!entries[i].shown(w))
			continue;
		detail = entries[i].detail ? entries[i].detail(w) : NULL;
		t = detail ? strdup_printf("%s %s (%s)", focused ? ">" : " ", _(entries[i].label), detail)
			   : strdup_printf("%s %s", focused ? ">" : " ", _(entries[i].label));
		if (t)
			wizard_draw_text(y, 2, COLS - 4, t,
					 focused ? WIZ_ATTR_FOCUS : WIZ_ATTR_NORMAL);
		y++;
	}
}

/* Detection failed: why, and the one value the user can give. */
static void
draw_missing(struct wiz *w, int y)
{
	const char *label = _("Main config:");
	int lw = wizard_draw_width(label, strlen(label));
	int bottom = wizard_body_bottom() - n_shown(w) - 1;
	char msg[DIAG_MSG_MAX];

	wizard_draw_text(y++, 2, COLS - 4, _("Apache could not be detected:"), WIZ_ATTR_HEADING);
	y += wizard_draw_para(y, 2, COLS - 4, 3, output_message(&w->detect.diag, msg),
			      WIZ_ATTR_ERROR);
	y += wizard_draw_para(y, 2, COLS - 4, 3, w->detect.diag.detail, WIZ_ATTR_NORMAL) + 1;
	y += wizard_draw_para(y, 2, COLS - 4, 3,
			      _("The main configuration file is unknown. Type its path (inside "
				"--root when one is given), then choose \"Detect again\"."),
			      WIZ_ATTR_NORMAL) + 1;
	if (y > bottom)
		y = bottom;
	wizard_draw_text(y, 2, lw, label, w->detect.focus == FOCUS_CONFIG ? WIZ_ATTR_FOCUS
									 : WIZ_ATTR_NORMAL);
	wizard_field_draw(w, &w->detect.config, y, 3 + lw, COLS - 5 - lw,
			  w->detect.focus == FOCUS_CONFIG);
}

static void
detect_draw(struct wiz *w)
{
	/* the rows above the menu, one blank row kept before it */
	int y = wizard_body_top(), end = wizard_body_bottom() - n_shown(w);
	const struct diag *undo = &w->detect.undo_diag;
	char msg[DIAG_MSG_MAX];

	if (!w->detect.probed)
		return;
	if (w->detect.found) {
		y = draw_info(w, y);
		y = draw_applied(w, y, end - y - (undo->msg[0] ? 1 : 0));
		if (undo->msg[0])
			y += wizard_draw_para(y, 2, COLS - 4, end - y, output_message(undo, msg),
					      WIZ_ATTR_ERROR);
		if (y < end)
			y++;
		y = draw_warnings(w, y, end - y < MAX_WARNING_ROWS ? end - y : MAX_WARNING_ROWS);
		/* right under what was found, on a tall terminal too */
		draw_menu(w, y + 1);
	} else {
		draw_missing(w, y);
		draw_menu(w, wizard_body_bottom());
	}
}

/* Move the focus by STEP over the shown entries (and the field). */
static void
move_focus(struct wiz *w, int step)
{
	int lo = w->detect.found ? 0 : FOCUS_CONFIG;
	int f = w->detect.focus;

	do {
		f += step;
		if (f < lo)
			f = N_ENTRIES - 1;
		if (f >= N_ENTRIES)
			f = lo;
	} while (f != FOCUS_CONFIG && !entries[f].shown(w));
	w->detect.focus = f;
}

static enum wiz_action
detect_key(struct wiz *w, const struct wiz_key *k)
{
	struct wiz_detect *s = &w->detect;
	bool changed;

	if (!s->probed)
		return WIZ_HANDLED;
	if ((k->fn && k->code == KEY_DOWN) || wizard_key_is(k, '\t')) {
		move_focus(w, 1);
		return WIZ_HANDLED;
	}
	if (k->fn && (k->code == KEY_UP || k->code == KEY_BTAB)) {
		move_focus(w, -1);
		return WIZ_HANDLED;
	}
	if (wizard_key_enter(k))
		return s->focus == FOCUS_CONFIG ? choose_redetect(w) : entries[s->focus].choose(w);
	if (s->focus != FOCUS_CONFIG && when_applied(w) &&
	    (wizard_key_is(k, 'u') || wizard_key_is(k, 'U')))
		return choose_undo(w);
	if (s->focus == FOCUS_CONFIG && wizard_field_key(&s->config, k, &changed))
		return WIZ_HANDLED;
	return WIZ_IGNORED;
}

static void
detect_keys(const struct wiz *w, struct wiz_keys *k)
{
	const struct wiz_detect *s = &w->detect;

	if (!s->probed) {
		k->here = _("Please wait: detecting");
		k->typing = true; /* every key waits */
		return;
	}
	k->esc = _("Esc: quit?");
	if (s->focus == FOCUS_CONFIG) {
		k->here = _("Ctrl-W: delete word");
		k->tab = _("Tab: move");
		k->enter = _("Enter: detect again");
		k->typing = true;
		return;
	}
	k->here = when_applied(w) ? _("Up/Down: choose  u: undo") : _("Up/Down: choose");
	k->enter = _("Enter: select");
}

/* The state this screen owns. */
static void
detect_release(struct wiz *w)
{
	wizard_undo_status_release(w);
	if (w->detect.found)
		probe_host_release(&w->host);
	w->detect.found = false;
	if (w->detect.have_state)
		restart_state_release(&w->detect.state);
	w->detect.have_state = false;
	wizard_field_release(&w->detect.config);
}

const struct wiz_screen wizard_detect_screen = {
	.title = N_("Detected system"),
	.help = N_("This is what cgisetup found about Apache on this system (or under --root), "
		   "the same as 'cgisetup --detect'. A value shown as unknown could not be "
		   "established; it is not needed unless a later step says so.\n\n"
		   "Applied: what cgisetup has applied on this system (the same as 'cgisetup "
		   "--status'), oldest first, and whether its files are still as cgisetup left "
		   "them.\n\n"
		   "Choose \"Set up CGI for a directory\" to pick the directory and see exactly "
		   "what would change. Nothing is written before you confirm the preview. "
		   "\"Undo the last change\" (or the key u) shows what taking back the most "
		   "recent one would do, and does it only once you confirm. \"Check my "
		   "scripts\" shows what 'cgisetup --check' says of the directories cgisetup "
		   "set up: each problem with its fix; nothing is run or written.\n\n"
		   "Keys: Up/Down or Tab/Shift-Tab move, Enter selects, q quits (Esc asks first), "
		   "F1 or ? "
		   "shows this help."),
	.keys = detect_keys,
	.init = detect_init,
	.draw = detect_draw,
	.key = detect_key,
	.run = detect_run,
	.release = detect_release,
};
