/* wizard.c - the setup wizard: the terminal, signals and the main loop
 * (see wizard.h; one file per screen holds the screens themselves). The
 * flow table says which screen follows which: the five steps of the set-up
 * path, and the three of the undo path that screen 1 opens.
 *
 * The terminal is given back on every way out: a normal return, a fatal
 * signal (SIGINT, SIGTERM, SIGHUP, SIGQUIT) and a crash (SIGSEGV, SIGBUS,
 * SIGFPE, SIGILL, SIGABRT) all run endwin() before the signal takes its
 * default course. The apply screen blocks the stopping signals while the
 * pipeline writes, so an apply is never cut halfway.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <wchar.h>

#define NCURSES_WIDECHAR 1
#include <curses.h>

#include "cgisetup/cli.h"
#include "cgisetup/i18n.h"
#include "cgisetup/output.h"
#include "cgisetup/util.h"
#include "wizard-int.h"

/* Escape sequences arrive at once; a lone Esc needs no long wait. */
#define ESC_DELAY_MS 25
/* Reads that fail in a row before the terminal is taken as gone. */
#define MAX_READ_ERRORS 1000

/* Which screen follows which: the set-up path, and the undo path that
 * screen 1 opens. */
struct flow {
	const struct wiz_screen *screen;
	int next;        /* WIZ_NEXT goes there; -1: nowhere */
	int prev;        /* Esc goes back there; -1: Esc quits */
	int number, of;  /* "step NUMBER of OF" */
	bool undo;       /* on the undo path */
	bool done;       /* the work has run: leaving asks nothing */
};

static const struct flow flow[WIZ_N_SCREENS] = {
	[WIZ_DETECT] = { &wizard_detect_screen, WIZ_DIR, -1, 1, 5, false, false },
	[WIZ_DIR] = { &wizard_dir_screen, WIZ_PREVIEW, WIZ_DETECT, 2, 5, false, false },
	[WIZ_PREVIEW] = { &wizard_preview_screen, WIZ_APPLY, WIZ_DIR, 3, 5, false, false },
	[WIZ_APPLY] = { &wizard_apply_screen, WIZ_RESULT, -1, 4, 5, false, true },
	[WIZ_RESULT] = { &wizard_result_screen, -1, -1, 5, 5, false, true },
	[WIZ_UNDO_PREVIEW] = { &wizard_undo_preview_screen, WIZ_UNDO_APPLY, WIZ_DETECT, 1, 3, true,
			       false },
	[WIZ_UNDO_APPLY] = { &wizard_undo_apply_screen, WIZ_UNDO_RESULT, -1, 2, 3, true, true },
	[WIZ_UNDO_RESULT] = { &wizard_undo_result_screen, -1, -1, 3, 3, true, true },
};

#define SCREEN(w) (flow[(w)->step].screen)

static const int fatal_signals[] = {
	SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT,
};

static struct sigaction saved_actions[ELEMENTSOF(fatal_signals)];
static SCREEN *term_screen;
static volatile sig_atomic_t curses_active;

/* ---- terminal and signals ---- */

/* Give the terminal back, then let the signal do what it does by default
 * (SA_RESETHAND restored that; the signal stays blocked until the handler
 * returns, so raise() takes effect right after). */
static void
on_fatal_signal(int sig)
{
	if (curses_active)
		endwin();
	raise(sig);
}

static void
signals_install(void)
{
	struct sigaction sa = { .sa_handler = on_fatal_signal, .sa_flags = SA_RESETHAND };

	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < ELEMENTSOF(fatal_signals); i++) {
		sigaction(fatal_signals[i], NULL, &saved_actions[i]);
		/* a signal the caller ignores (nohup) stays ignored */
		if (saved_actions[i].sa_handler == SIG_IGN)
			continue;
		sigaction(fatal_signals[i], &sa, NULL);
	}
}

static void
signals_restore(void)
{
	for (size_t i = 0; i < ELEMENTSOF(fatal_signals); i++)
		sigaction(fatal_signals[i], &saved_actions[i], NULL);
}

static void
terminal_close(void)
{
	if (!curses_active)
		return;
	endwin();
	curses_active = 0;
	delscreen(term_screen);
	term_screen = NULL;
}

static bool
want_colors(void)
{
	const char *no_color = getenv("NO_COLOR");

	/* the NO_COLOR convention (no-color.org): set and not empty */
	if (no_color && *no_color)
		return false;
	return has_colors() && start_color() == OK;
}

/* Start curses on stdin/stdout; -ENOTTY when the terminal cannot run a
 * full-screen program (unknown TERM, no cursor addressing). */
static int
terminal_open(void)
{
	const char *cup;

	term_screen = newterm(NULL, stdout, stdin);
	if (!term_screen)
		return -ENOTTY;
	set_term(term_screen);
	curses_active = 1;
	cup = tigetstr("cup");
	if (!cup || cup == (char *)-1) {
		terminal_close();
		return -ENOTTY;
	}
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	set_escdelay(ESC_DELAY_MS);
	curs_set(0);
	wizard_draw_setup(want_colors());
	return 0;
}

static int
read_key(struct wiz_key *k)
{
	wint_t wc;
	int r = get_wch(&wc);

	if (r == ERR)
		return -EIO;
	k->fn = r == KEY_CODE_YES;
	k->code = (int)wc;
	return 0;
}

bool
wizard_key_enter(const struct wiz_key *k)
{
	return k->fn ? k->code == KEY_ENTER : k->code == '\n' || k->code == '\r';
}

bool
wizard_key_is(const struct wiz_key *k, int c)
{
	return !k->fn && k->code == c;
}

/* ---- drawing the frame ---- */

int
wizard_body_top(void)
{
	return 2;
}

int
wizard_body_bottom(void)
{
	return LINES - 3;
}

static bool
too_small(void)
{
	return COLS < WIZ_MIN_COLS || LINES < WIZ_MIN_LINES;
}

static void
draw_title(const struct wiz *w)
{
	const char *right = _("F1: help");
	int rw = wizard_draw_width(right, strlen(right));
	const struct flow *f = &flow[w->step];
	_cleanup_free_ char *left =
		f->undo ? strdup_printf(_("cgisetup - undo step %d of %d: %s"), f->number, f->of,
				        _(f->screen->title))
			: strdup_printf(_("cgisetup - step %d of %d: %s"), f->number, f->of,
				        _(f->screen->title));

	wizard_draw_fill(0, 0, COLS, WIZ_ATTR_TITLE);
	if (left)
		wizard_draw_text(0, 1, COLS - rw - 4, left, WIZ_ATTR_TITLE);
	wizard_draw_text(0, COLS - rw - 1, rw, right, WIZ_ATTR_TITLE);
}

static void
draw_too_small(void)
{
	_cleanup_free_ char *msg =
		strdup_printf(_("The terminal is %dx%d; the wizard needs at least %dx%d. Enlarge it, "
			    "or press q to quit."),
			      COLS, LINES, WIZ_MIN_COLS, WIZ_MIN_LINES);

	if (msg)
		wizard_draw_para(0, 0, COLS, LINES, msg, WIZ_ATTR_ERROR);
}

static void
draw(struct wiz *w)
{
	erase();
	w->cursor_y = w->cursor_x = -1;
	if (too_small()) {
		draw_too_small();
	} else {
		draw_title(w);
		SCREEN(w)->draw(w);
		wizard_draw_text(LINES - 1, 1, COLS - 2, _(SCREEN(w)->hints), WIZ_ATTR_DIM);
	}
	if (w->cursor_y >= 0) {
		curs_set(1);
		move(w->cursor_y, w->cursor_x);
	} else {
		curs_set(0);
	}
}

void
wizard_redraw(struct wiz *w)
{
	draw(w);
	refresh();
}

/* A framed box in the middle of the screen: TITLE in the frame, TEXT,
 * a blank row, FOOTER. */
static void
draw_box_text(const char *title, const char *text, const char *footer)
{
	int cols = COLS - 8 < 72 ? COLS - 8 : 72;
	int rows = (int)wizard_draw_wrap(text, cols - 4, 0, false, NULL, NULL);
	int h = rows + 5 < LINES - 2 ? rows + 5 : LINES - 2;
	int y = (LINES - h) / 2, x = (COLS - cols) / 2;

	curs_set(0);
	wizard_draw_box(y, x, h, cols);
	wizard_draw_text(y, x + 2, cols - 4, title, WIZ_ATTR_HEADING);
	wizard_draw_para(y + 2, x + 2, cols - 4, h - 5, text, WIZ_ATTR_NORMAL);
	wizard_draw_text(y + h - 2, x + 2, cols - 4, footer, WIZ_ATTR_DIM);
}

void
wizard_busy(struct wiz *w, const char *msg)
{
	draw(w);
	if (!too_small())
		draw_box_text(_("Please wait"), msg, "");
	refresh();
}

/* ---- modal boxes: help and the quit question ---- */

struct box {
	const char *title, *text, *footer;
};

/* Show BOX over the current screen until a key other than a resize. */
static int
modal(struct wiz *w, const struct box *box, struct wiz_key *ret)
{
	for (int errors = 0; errors < MAX_READ_ERRORS;) {
		draw(w);
		if (!too_small())
			draw_box_text(box->title, box->text, box->footer);
		refresh();
		if (read_key(ret) < 0) {
			errors++;
			continue;
		}
		if (!(ret->fn && ret->code == KEY_RESIZE))
			return 0;
	}
	return -EIO;
}

static void
show_help(struct wiz *w)
{
	_cleanup_free_ char *title = strdup_printf(_("Help: %s"), _(SCREEN(w)->title));
	struct box box = {
		.title = title ? title : "",
		.text = _(SCREEN(w)->help),
		.footer = _("Press any key to return."),
	};
	struct wiz_key k;

	modal(w, &box, &k);
}

/* Once the preview was shown, leaving asks first. */
static bool
confirm_quit(struct wiz *w)
{
	struct box box = {
		.title = w->undoing ? _("Quit without undoing?") : _("Quit without applying?"),
		.text = _("Nothing has been written: the system is exactly as it was."),
		.footer = _("y: quit    n or Esc: stay"),
	};
	struct wiz_key k;

	for (;;) {
		if (modal(w, &box, &k) < 0)
			return true;
		if (wizard_key_is(&k, 'y') || wizard_key_is(&k, 'Y'))
			return true;
		if (k.fn || wizard_key_is(&k, 'n') || wizard_key_is(&k, 'N') ||
		    wizard_key_is(&k, WIZ_KEY_ESC) || wizard_key_enter(&k))
			return false;
	}
}

/* ---- the main loop ---- */

static void
enter(struct wiz *w, enum wiz_step step)
{
	w->step = step;
	flow[step].screen->init(w);
	w->run_pending = flow[step].screen->run != NULL;
}

static void act(struct wiz *w, enum wiz_action a);

static void
back(struct wiz *w)
{
	if (flow[w->step].prev < 0) {
		act(w, WIZ_QUIT);
		return;
	}
	if (SCREEN(w)->leave)
		SCREEN(w)->leave(w);
	enter(w, flow[w->step].prev);
}

static void
act(struct wiz *w, enum wiz_action a)
{
	switch (a) {
	case WIZ_NEXT:
		if (flow[w->step].next >= 0)
			enter(w, flow[w->step].next);
		break;
	case WIZ_UNDO:
		enter(w, WIZ_UNDO_PREVIEW);
		break;
	case WIZ_BACK:
		back(w);
		break;
	case WIZ_QUIT:
		if (!w->previewed || flow[w->step].done || confirm_quit(w))
			w->done = true;
		break;
	case WIZ_FINISH:
		w->done = true;
		break;
	case WIZ_HELP:
		show_help(w);
		break;
	case WIZ_IGNORED:
	case WIZ_HANDLED:
		break;
	}
}

/* The screen first; what it leaves: Esc goes back, q quits, ? helps. */
static enum wiz_action
dispatch(struct wiz *w, const struct wiz_key *k)
{
	enum wiz_action a;

	if (k->fn && k->code == KEY_F(1))
		return WIZ_HELP;
	if (too_small())
		return wizard_key_is(k, 'q') || wizard_key_is(k, 'Q') ? WIZ_QUIT : WIZ_HANDLED;
	a = SCREEN(w)->key(w, k);
	if (a != WIZ_IGNORED)
		return a;
	if (wizard_key_is(k, WIZ_KEY_ESC))
		return WIZ_BACK;
	if (wizard_key_is(k, 'q') || wizard_key_is(k, 'Q'))
		return WIZ_QUIT;
	if (wizard_key_is(k, '?'))
		return WIZ_HELP;
	return WIZ_IGNORED;
}

static void
loop(struct wiz *w)
{
	int errors = 0;

	enter(w, WIZ_DETECT);
	while (!w->done) {
		struct wiz_key k;

		wizard_redraw(w);
		if (w->run_pending) {
			w->run_pending = false;
			act(w, SCREEN(w)->run(w));
			continue;
		}
		if (read_key(&k) < 0) {
			/* the terminal is gone: leave as if cancelled */
			if (++errors >= MAX_READ_ERRORS)
				w->done = true;
			continue;
		}
		errors = 0;
		if (k.fn && k.code == KEY_RESIZE)
			continue;
		act(w, dispatch(w, &k));
	}
}

/* ---- after the wizard: the command line's own report ---- */

/* The result stays in the terminal's scrollback, worded as the command
 * line words it. */
static int
finish(struct wiz *w)
{
	switch (w->outcome) {
	case WIZ_APPLIED:
		output_applied(w->p);
		return EXIT_OK;
	case WIZ_UNCHANGED:
		output_unchanged(w->p);
		return EXIT_OK;
	case WIZ_FAILED:
		output_error(w->req, &w->diag, w->prepared ? w->p : NULL);
		return w->diag.kind == DIAG_USAGE ? EXIT_USAGE : EXIT_FAILURE_;
	case WIZ_UNDONE:
		output_undone(&w->u);
		return EXIT_OK;
	case WIZ_UNDO_FAILED:
		output_undo_error(&w->u, &w->diag);
		return w->diag.kind == DIAG_USAGE ? EXIT_USAGE : EXIT_FAILURE_;
	case WIZ_CANCELLED:
		break;
	}
	fprintf(stderr, _("cgisetup: cancelled: nothing was changed\n"));
	return EXIT_FAILURE_;
}

/* Every screen frees what it owns (each hook copes with being called
 * for a screen never shown, and with being called twice). */
static void
release(struct wiz *w)
{
	for (size_t i = 0; i < WIZ_N_SCREENS; i++)
		if (flow[i].screen->release)
			flow[i].screen->release(w);
}

int
wizard_run(struct request *req)
{
	struct wiz w = { .req = req, .cursor_y = -1, .cursor_x = -1 };
	int code;

	/* with --root every path is the caller's own tree */
	w.may_apply = geteuid() == 0 || *req->root;
	if (terminal_open() < 0) {
		const char *term = getenv("TERM");

		fprintf(stderr,
			_("cgisetup: cannot open the wizard on terminal '%s': use --dir DIR "
			  "--yes to apply without questions, or --dry-run to preview\n"),
			term ? term : "");
		return EXIT_USAGE;
	}
	signals_install();
	loop(&w);
	terminal_close();
	signals_restore();
	code = finish(&w);
	release(&w);
	return code;
}

#define WIZ_STR_(x) #x
#define WIZ_STR(x) WIZ_STR_(x)

void
wizard_curses_version(const char **ret_built, const char **ret_running)
{
	/* curses_version() reads no terminal: --version may call it anywhere.
	 * It says "ncurses 6.4.20221231"; the name is --version's to print. */
	const char *v = curses_version(), *number = startswith(v, "ncurses ");

	*ret_built = NCURSES_VERSION "." WIZ_STR(NCURSES_VERSION_PATCH);
	*ret_running = number ? number : v;
}
