/* wizard.c - the setup wizard: the terminal, signals and the main loop
 * (see wizard.h; one file per screen holds the screens themselves). The
 * flow table says which screen follows which: the five steps of the set-up
 * path, and the three of the undo path that screen 1 opens.
 *
 * The terminal is given back on every way out: a normal return, a fatal
 * signal (SIGINT, SIGTERM, SIGHUP, SIGQUIT) and a crash (SIGSEGV, SIGBUS,
 * SIGFPE, SIGILL, SIGABRT) all run endwin() before the signal takes its
 * default course. The apply screen holds the stopping signals back while
 * the pipeline writes and reloads, so an apply is never cut halfway; one
 * that came then is reported, not obeyed (wizard-apply.c).
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

/* How long the rest of an escape sequence may take to come: long enough
 * for a sequence a slow link split (an arrow split by 60 ms), short enough
 * that a lone Esc still feels immediate. */
#define ESC_DELAY_MS 100
/* The longest escape sequence read whole; longer ones are dropped. */
#define ESC_SEQ_MAX 32
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
	[WIZ_CHECK_RESULT] = { &wizard_check_screen, -1, WIZ_DETECT, 1, 1, false, false },
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

/* One character or key within MS milliseconds (-1: wait); false when
 * none came. */
static bool
read_raw(struct wiz_key *k, int ms)
{
	wint_t wc;
	int r;

	timeout(ms);
	r = get_wch(&wc);
	timeout(-1);
	if (r == ERR)
		return false;
	k->fn = r == KEY_CODE_YES;
	k->code = (int)wc;
	return true;
}

/* The keys a terminal sends as "ESC [ N ~" that curses did not know (PuTTY
 * and the Linux console send F1 as ESC [ 1 1 ~). 0: none. */
static int
csi_tilde_key(int n)
{
	static const int keys[] = {
		[1] = KEY_HOME, [2] = KEY_IC, [3] = KEY_DC, [4] = KEY_END, [5] = KEY_PPAGE,
		[6] = KEY_NPAGE, [7] = KEY_HOME, [8] = KEY_END,
	};

	if (n >= 11 && n <= 15)
		return KEY_F(n - 10);
	if (n > 0 && (size_t)n < ELEMENTSOF(keys))
		return keys[n];
	return 0;
}

/* The key of a final byte after "ESC [" or "ESC O" without parameters
 * that matter (arrows, Home, End, F1-F4 as SS3). 0: none. */
static int
final_key(int c)
{
	switch (c) {
	case 'A': return KEY_UP;
	case 'B': return KEY_DOWN;
	case 'C': return KEY_RIGHT;
	case 'D': return KEY_LEFT;
	case 'H': return KEY_HOME;
	case 'F': return KEY_END;
	case 'P': return KEY_F(1);
	case 'Q': return KEY_F(2);
	case 'R': return KEY_F(3);
	case 'S': return KEY_F(4);
	case 'Z': return KEY_BTAB;
	default: return 0;
	}
}

/* The rest of a sequence after "ESC INTRO" that curses did not decode
 * (unknown to the terminfo entry, or split by the link): read it whole,
 * so that none of its bytes is ever taken as typed text. A CSI ("ESC [")
 * runs to its final byte (0x40-0x7e) past parameter and intermediate
 * bytes; an SS3 ("ESC O") is one byte. Returns the key it stands for, or
 * 0 when it is unknown (then it is dropped). */
static int
read_sequence(int intro)
{
	char params[ESC_SEQ_MAX];
	size_t n = 0;
	struct wiz_key k;

	for (;;) {
		if (!read_raw(&k, ESC_DELAY_MS) || k.fn)
			return 0; /* cut short: nothing of it is typed */
		if (intro == 'O')
			return final_key(k.code);
		if (k.code >= 0x40 && k.code <= 0x7e && !(n == 0 && k.code == '['))
			break;
		if (k.code < 0x20 || k.code > 0x7e)
			return 0;
		if (n < sizeof(params) - 1)
			params[n++] = (char)k.code;
	}
	params[n] = '\0';
	if (k.code == '~')
		return csi_tilde_key((int)strtol(params, NULL, 10));
	if (n > 0 && params[0] == '[') /* the Linux console's F1-F5: ESC [ [ A */
		return k.code >= 'A' && k.code <= 'E' ? KEY_F(k.code - 'A' + 1) : 0;
	/* modified keys (ESC [ 1 ; 5 C) count as the key itself */
	return final_key(k.code);
}

/* An Esc from curses: alone, the start of a sequence it did not decode,
 * or Alt with a key. Returns false when it was an unknown sequence,
 * dropped whole. */
static bool
decode_escape(struct wiz_key *k)
{
	struct wiz_key next;
	int key;

	if (!read_raw(&next, ESC_DELAY_MS))
		return true; /* a lone Esc */
	if (next.fn || (next.code != '[' && next.code != 'O')) {
		/* Alt with a key: Esc, then the key as it came */
		if (next.fn)
			ungetch(next.code);
		else
			unget_wch((wchar_t)next.code);
		return true;
	}
	key = read_sequence(next.code);
	if (key == 0)
		return false;
	*k = (struct wiz_key){ .fn = true, .code = key };
	return true;
}

static int
read_key(struct wiz_key *k)
{
	for (;;) {
		if (!read_raw(k, -1))
			return -EIO;
		if (!wizard_key_is(k, WIZ_KEY_ESC) || decode_escape(k))
			return 0;
	}
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

int
wizard_body_fit(int y, int rows)
{
	int last = y + rows - 1;

	return last < wizard_body_bottom() ? last : wizard_body_bottom();
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

/* One key bar for every screen, true for the focused widget. */
static void
draw_keys(const struct wiz *w)
{
	struct wiz_keys k = { 0 };
	const char *parts[6];
	struct strbuf bar = STRBUF_INIT;
	size_t n = 0;

	if (!SCREEN(w)->keys) {
		wizard_draw_text(LINES - 1, 1, COLS - 2, _(SCREEN(w)->hints), WIZ_ATTR_DIM);
		return;
	}
	SCREEN(w)->keys(w, &k);
	parts[n++] = k.here;
	parts[n++] = k.tab;
	parts[n++] = k.enter;
	parts[n++] = k.esc;
	parts[n++] = _("F1: help");
	parts[n++] = k.typing ? NULL : _("q: quit");
	/* a narrow terminal loses whole keys from the end, never half a word
	 * (F1's help names them all) */
	for (; n > 0; n--) {
		bar.len = 0;
		for (size_t i = 0; i < n; i++)
			if (parts[i] && strbuf_addf(&bar, "%s%s", bar.len ? "  " : "", parts[i]) < 0)
				n = 1;
		if (bar.buf && wizard_draw_width(bar.buf, bar.len) <= COLS - 2)
			break;
	}
	wizard_draw_text(LINES - 1, 1, COLS - 2, bar.buf ? bar.buf : "", WIZ_ATTR_DIM);
	strbuf_release(&bar);
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
		draw_keys(w);
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

/* Below the minimum size a box takes the whole screen, unframed: a
 * question must be seen to be answered. */
static void
draw_box_plain(const char *title, const char *text, const char *footer)
{
	int y = 0;

	erase();
	y += wizard_draw_para(y, 0, COLS, LINES - y, title, WIZ_ATTR_HEADING);
	y += wizard_draw_para(y, 0, COLS, LINES - y, text, WIZ_ATTR_NORMAL);
	wizard_draw_para(y, 0, COLS, LINES - y, footer, WIZ_ATTR_DIM);
}

/* The size of the framed box for TEXT: its columns, its rows, and the rows
 * of TEXT that do not fit in it (0 when it fits). */
static void
box_size(const char *text, int *ret_cols, int *ret_h, int *ret_hidden)
{
	int cols = COLS - 8 < 72 ? COLS - 8 : 72;
	int rows = (int)wizard_draw_wrap(text, cols - 4, 0, false, NULL, NULL);
	int h = rows + 5 < LINES - 2 ? rows + 5 : LINES - 2;

	*ret_cols = cols;
	*ret_h = h;
	*ret_hidden = rows - (h - 5) > 0 ? rows - (h - 5) : 0;
}

/* A framed box in the middle of the screen: TITLE in the frame, TEXT from
 * its row TOP on, a blank row, FOOTER. */
static void
draw_box_text(const char *title, const char *text, int top, const char *footer)
{
	int cols, h, hidden, y, x;

	box_size(text, &cols, &h, &hidden);
	y = (LINES - h) / 2, x = (COLS - cols) / 2;
	curs_set(0);
	wizard_draw_box(y, x, h, cols);
	wizard_draw_text(y, x + 2, cols - 4, title, WIZ_ATTR_HEADING);
	wizard_draw_para_from(y + 2, x + 2, cols - 4, h - 5, top < hidden ? top : hidden, text,
			      WIZ_ATTR_NORMAL);
	wizard_draw_text(y + h - 2, x + 2, cols - 4, footer, WIZ_ATTR_DIM);
}

void
wizard_busy(struct wiz *w, const char *msg)
{
	draw(w);
	if (!too_small())
		draw_box_text(_("Please wait"), msg, 0, "");
	refresh();
}

/* ---- modal boxes: help and the quit question ---- */

struct box {
	const char *title, *text, *footer;
	/* the arrows and pages scroll a TEXT taller than the box, with
	 * FOOTER_SCROLL as its footer (help); otherwise every key answers */
	const char *footer_scroll;
};

/* Whether K scrolls a box whose text starts at row *TOP (at most MAX_TOP),
 * moving *TOP. */
static bool
box_scroll(const struct wiz_key *k, int *top, int max_top)
{
	int page = LINES - 7 > 1 ? LINES - 7 : 1;

	if (!k->fn || max_top <= 0)
		return false;
	switch (k->code) {
	case KEY_UP: *top -= 1; break;
	case KEY_DOWN: *top += 1; break;
	case KEY_PPAGE: *top -= page; break;
	case KEY_NPAGE: *top += page; break;
	case KEY_HOME: *top = 0; break;
	case KEY_END: *top = max_top; break;
	default: return false;
	}
	*top = *top < 0 ? 0 : *top > max_top ? max_top : *top;
	return true;
}

/* Show BOX over the current screen until a key other than a resize (or,
 * for a box that scrolls, other than a scrolling key). */
static int
modal(struct wiz *w, const struct box *box, struct wiz_key *ret)
{
	int top = 0, max_top = 0;

	for (int errors = 0; errors < MAX_READ_ERRORS;) {
		int cols, h;

		draw(w);
		box_size(box->text, &cols, &h, &max_top);
		top = top < max_top ? top : max_top; /* a resize may have made it taller */
		if (too_small())
			draw_box_plain(box->title, box->text, box->footer);
		else
			draw_box_text(box->title, box->text, top,
				      max_top > 0 && box->footer_scroll ? box->footer_scroll
									: box->footer);
		refresh();
		if (read_key(ret) < 0) {
			errors++;
			continue;
		}
		if (ret->fn && ret->code == KEY_RESIZE)
			continue;
		if (!(box->footer_scroll && box_scroll(ret, &top, max_top)))
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
		.footer_scroll = _("Up/Down, PgUp/PgDn: scroll   any other key: return"),
	};
	struct wiz_key k;

	modal(w, &box, &k);
}

bool
wizard_ask(struct wiz *w, const char *title, const char *text, const char *footer)
{
	struct box box = { .title = title, .text = text, .footer = footer };
	struct wiz_key k;

	for (;;) {
		if (modal(w, &box, &k) < 0)
			return false;
		if (wizard_key_is(&k, 'y') || wizard_key_is(&k, 'Y'))
			return true;
		if (k.fn || wizard_key_is(&k, 'n') || wizard_key_is(&k, 'N') ||
		    wizard_key_is(&k, WIZ_KEY_ESC) || wizard_key_enter(&k))
			return false;
	}
}

/* Leaving before the work asks first (the terminal gone: leave). */
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

/* Esc where there is nothing to go back to: a stray Esc (or what is left
 * of a sequence a slow link cut) must not end the wizard, so it asks
 * first, unless the work has run. */
static void
back(struct wiz *w)
{
	if (flow[w->step].prev < 0) {
		if (flow[w->step].done || confirm_quit(w))
			w->done = true;
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
	case WIZ_CHECK:
		enter(w, WIZ_CHECK_RESULT);
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
finish_report(struct wiz *w)
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

/* ... and, when a Ctrl-C came during the work, why it did not stop it. */
static int
finish(struct wiz *w)
{
	int code = finish_report(w);

	if (w->interrupted)
		output_interrupted(w->undoing);
	return code;
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
	w.req_force = req->force;
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
