/* wizard-int.h - the wizard's screens, shared by src/ui/wizard*.c only
 * (the one public function, wizard_run(), is in cgisetup/wizard.h).
 *
 * A thin face over the pipeline the command line uses: the screens fill
 * the same struct request, check it with request_validate(), preview with
 * pipeline_prepare() and pipeline_diff(), apply with pipeline_apply() and
 * hear about progress through the same struct reporter. Undo goes the
 * same way: undo_status() and undo_intact() list what is applied,
 * undo_prepare() (as a dry run) and undo_diff() preview, undo_apply()
 * takes the change back. No rule about Apache, about what a valid request
 * is or about what an undo does lives here.
 *
 * One file per screen in the ncdu manner: each screen has init/draw/key,
 * and key handlers return what should happen next (enum wiz_action)
 * instead of doing it (htop's HandlerResult). Each screen owns the state
 * it fills and frees it in its release hook.
 *
 * Calling sequence of a screen (wizard.c's main loop):
 *	init(w)                 on entering it (also after Back)
 *	draw(w)                 whenever the screen is drawn
 *	run(w)                  optional: once, after the first draw
 *	key(w, &k)              for each key: returns an enum wiz_action
 *	leave(w)                optional: when it is left backwards
 *	release(w)              optional: once, when the wizard ends, for
 *	                        every screen whether it was shown or not
 */
#ifndef CGISETUP_WIZARD_INT_H
#define CGISETUP_WIZARD_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "cgisetup/diag.h"
#include "cgisetup/pipeline.h"
#include "cgisetup/probe.h"
#include "cgisetup/request.h"
#include "cgisetup/restart.h"
#include "cgisetup/undo.h"
#include "cgisetup/wizard.h"

/* The smallest terminal every screen is laid out for. */
#define WIZ_MIN_COLS 80
#define WIZ_MIN_LINES 24

/* What a key handler asks the main loop to do. */
enum wiz_action {
	WIZ_IGNORED, /* the screen had no use for the key: global keys apply */
	WIZ_HANDLED, /* used; the screen is redrawn */
	WIZ_NEXT,    /* go to the next screen */
	WIZ_BACK,    /* go to the previous screen (Esc) */
	WIZ_QUIT,    /* leave (asks first once the preview was shown) */
	WIZ_FINISH,  /* leave now: the outcome is set */
	WIZ_HELP,    /* show the current screen's help */
	WIZ_UNDO,    /* go to the undo preview (prepared by wizard_undo_start) */
	WIZ_CHECK,   /* go to the findings (made by wizard_check_start) */
};

/* The screens: the set-up path (five steps), then the undo path (three
 * steps, entered from screen 1). wizard.c's flow table says which follows
 * which. */
enum wiz_step {
	WIZ_DETECT,
	WIZ_DIR,
	WIZ_PREVIEW,
	WIZ_APPLY,
	WIZ_RESULT,
	WIZ_UNDO_PREVIEW,
	WIZ_UNDO_APPLY,
	WIZ_UNDO_RESULT,
	WIZ_CHECK_RESULT, /* screen 1's "Check my scripts" */
	WIZ_N_SCREENS,
};

enum wiz_outcome {
	WIZ_CANCELLED, /* left before applying: nothing was written */
	WIZ_APPLIED,
	WIZ_UNCHANGED, /* already configured */
	WIZ_FAILED,    /* apply failed (and was rolled back) */
	WIZ_UNDONE,    /* the last change was taken back */
	WIZ_UNDO_FAILED, /* the undo failed (and was rolled back) */
};

/* Display attributes, mapped to colours or to plain video attributes. */
enum wiz_attr {
	WIZ_ATTR_NORMAL,
	WIZ_ATTR_TITLE,
	WIZ_ATTR_FOCUS,
	WIZ_ATTR_HEADING,
	WIZ_ATTR_DIM,
	WIZ_ATTR_ERROR,
	WIZ_ATTR_OK,
	WIZ_ATTR_ADD,
	WIZ_ATTR_DEL,
	WIZ_ATTR_HUNK,
	WIZ_ATTR_FIELD,
	WIZ_N_ATTRS,
};

/* One key press: a curses KEY_* code, or a character. */
struct wiz_key {
	bool fn;  /* CODE is a KEY_* value (get_wch returned KEY_CODE_YES) */
	int code; /* KEY_* when FN, otherwise a wide character */
};

#define WIZ_KEY_ESC 27

/* A one-line text field (UTF-8), edited in place. */
struct wiz_field {
	char *text;
	size_t cursor; /* byte offset, always on a character boundary */
};

/* Scrollable text: logical lines, wrapped to the width at draw time. */
struct wiz_view_line {
	char *text;         /* tabs expanded, control characters replaced */
	enum wiz_attr attr;
	int indent;         /* columns before every row but the first */
	bool hard;          /* wrap at the edge (diff), not between words */
};

struct wiz_view {
	struct wiz_view_line *lines;
	size_t n_lines;
	size_t top;        /* first row shown */
	size_t top_line;   /* the line TOP falls in: kept when the width changes */
	int cols;          /* the width of the last layout */
	size_t rows;       /* rows of the last layout */
	int height;        /* rows visible at the last draw */
	bool follow;       /* always show the last rows (progress as it comes) */
};

/* One change cgisetup applied, as undo_status() lists it (copied out, so
 * that the journal is not held while screen 1 is shown). */
struct wiz_applied {
	char *id;   /* the ID --status shows, for --undo ID */
	char *time;
	char *dir;
	char *url_path;
	bool intact; /* undo_intact(): every file still as cgisetup left it */
};

/* Screen 1: what was detected, and the main menu. */
struct wiz_detect {
	bool probed;
	bool found;              /* probe_host() succeeded: w->host is valid */
	struct diag diag;        /* why it did not */
	bool have_state;         /* restart_probe() answered (real system only) */
	struct apache_state state;
	struct wiz_field config; /* shown when the main config is unknown */
	int focus;               /* -1: the config field; else a menu entry */
	bool status_known;       /* undo_status() answered */
	struct diag status_diag; /* why it did not */
	struct wiz_applied *applied; /* oldest first; the last is what undo takes back */
	size_t n_applied;
	struct diag undo_diag;   /* why the undo preview could not be shown */
};

/* Screen 2: the CGI directory and its options. */
enum {
	WIZ_DIR_FIELD_DIR,
	WIZ_DIR_FIELD_URL,
	WIZ_DIR_FIELD_EXTS,
	WIZ_DIR_N_FIELDS,
};

struct wiz_dirscreen {
	bool filled;
	struct wiz_field fields[WIZ_DIR_N_FIELDS];
	bool hello;
	int focus;        /* fields, then the hello check box, then buttons */
	bool valid;       /* request_validate() and plan_url_path() accept the fields */
	struct diag diag; /* its message, or pipeline_prepare()'s */
	bool forceable;   /* the one refusal is a world-writable directory */
	char *forced;     /* the directory the user chose to use anyway (--force) */
	char *url;        /* plan_url_path(): where the directory will be served */
	bool alias;       /* ... through a new Alias */
	char **sites;     /* the named virtual hosts (--vhost), NULL when none */
	size_t site;      /* 0: server-wide; k: sites[k - 1] */
};

/* Screen 3 and 5: a view and a row of buttons. */
struct wiz_pager {
	struct wiz_view view;
	int focus;        /* button */
	const char *note; /* a translated line above the buttons, or NULL */
	const char *blocked; /* why Confirm is refused (translated), or NULL */
};

/* The buttons of a pager screen (the preview, the undo preview). */
enum {
	PAGER_BACK,
	PAGER_CONFIRM, /* Apply, Undo */
	PAGER_CANCEL,
	PAGER_N_BUTTONS,
};

/* The apply screen's progress: the line of the step that runs (or ran
 * last), "[....]" until the step ends (reporter.h). */
struct wiz_progress {
	size_t line;            /* its index in wiz.steps */
	enum pipeline_step step;
	char *subject;          /* as the step began */
	unsigned tries;         /* the reporter's retries (HTTP checks) */
};

struct wiz {
	struct request *req;
	struct host host;       /* screen 1's detection */
	struct pipeline *p;     /* valid when PREPARED */
	bool prepared;
	char *shown;            /* the plan and diff the preview showed */
	bool previewed;         /* the preview was shown: quitting asks first */
	bool may_apply;         /* root, or working on --root */
	bool req_force;         /* --force was given */
	bool applying;
	bool interrupted;       /* a stopping signal came during the apply/undo */
	enum wiz_outcome outcome;
	struct diag diag;       /* pipeline_apply()'s */
	struct wiz_view steps;  /* the reporter's lines, as they come */
	struct wiz_progress progress;
	enum wiz_step step;
	bool run_pending;       /* the screen's run() is still to be called */
	bool done;
	int cursor_y, cursor_x; /* where the terminal cursor goes, -1: hidden */

	struct wiz_detect detect;
	struct wiz_dirscreen dir;
	struct wiz_pager preview;
	struct wiz_pager result;

	/* undo: a shallow copy of *req (the same strings) with its own
	 * dry_run, so that the set-up request is left as it is */
	struct request undo_req;
	struct undo u;          /* valid when UNDO_PREPARED */
	bool undo_prepared;
	bool undoing;           /* on the undo path */
	bool undo_target;       /* the undo preview shows something to undo */
	char *undo_shown;       /* what the undo preview showed */
	size_t undo_pick;       /* the entry to take back: 0 the latest, 1 the one
				 * before, ... (of detect.applied) */
	char undo_pick_id[32];  /* its ID, for undo_req.undo_id */
	struct diag undo_note;  /* why Undo did not go on */
	struct wiz_pager undo_preview;
	struct wiz_pager check; /* "Check my scripts": the findings */
};

/* What the keys do on a screen now, for the key bar at the bottom, which
 * wizard.c draws the same way on every screen: the focused widget's own
 * keys, then Tab, Enter and Esc as they act on it, then F1 and q. Each
 * field is translated text, NULL when the key does nothing there. */
struct wiz_keys {
	const char *here;  /* "Space: tick", "Ctrl-W: delete word" */
	const char *tab;   /* "Tab: move" */
	const char *enter; /* "Enter: apply" */
	const char *esc;   /* "Esc: back" */
	bool typing;       /* q and ? type into the focused field */
};

struct wiz_screen {
	const char *title; /* N_() */
	const char *hints; /* N_(): the key line at the bottom, when no keys() */
	/* optional: the key bar from the focused widget (struct wiz_keys) */
	void (*keys)(const struct wiz *w, struct wiz_keys *k);
	const char *help;  /* N_(): F1 */
	void (*init)(struct wiz *w);  /* on entering the screen (also after Back) */
	void (*draw)(struct wiz *w);  /* the body, between title and key line */
	enum wiz_action (*key)(struct wiz *w, const struct wiz_key *k);
	/* optional: work done once after the first draw (detection, apply) */
	enum wiz_action (*run)(struct wiz *w);
	/* optional: leaving the screen backwards */
	void (*leave)(struct wiz *w);
	/* optional: free what the screen owns; once, when the wizard ends,
	 * whether the screen was shown or not (so it must cope with state
	 * never filled) */
	void (*release)(struct wiz *w);
};

void wizard_result_keys(const struct wiz *w, struct wiz_keys *k);

extern const struct wiz_screen wizard_detect_screen;
extern const struct wiz_screen wizard_dir_screen;
extern const struct wiz_screen wizard_preview_screen;
extern const struct wiz_screen wizard_apply_screen;
extern const struct wiz_screen wizard_result_screen;
extern const struct wiz_screen wizard_undo_preview_screen;
extern const struct wiz_screen wizard_undo_apply_screen;
extern const struct wiz_screen wizard_undo_result_screen;
extern const struct wiz_screen wizard_check_screen;

/* wizard.c: whether K is Enter (Return, or the keypad's Enter). */
bool wizard_key_enter(const struct wiz_key *k);
/* wizard.c: whether K is the character C. */
bool wizard_key_is(const struct wiz_key *k, int c);
/* wizard.c: a yes/no question in a box over the screen; true on y (n,
 * Esc, Enter and a terminal gone answer no). */
bool wizard_ask(struct wiz *w, const char *title, const char *text, const char *footer);
/* wizard.c: draw the whole screen now (used while work runs). */
void wizard_redraw(struct wiz *w);
/* wizard.c: a one-line "working" message over the current screen. */
void wizard_busy(struct wiz *w, const char *msg);
/* wizard.c: the first row below the title and the last row above the
 * key line that a screen may use. */
int wizard_body_top(void);
int wizard_body_bottom(void);
/* wizard.c: the last row ROWS rows from Y take, at most the body's last:
 * a screen's buttons stay under its content on a tall terminal. */
int wizard_body_fit(int y, int rows);

/* wizard-draw.c: attributes, measuring and drawing UTF-8 text. */
void wizard_draw_setup(bool colors);
int wizard_draw_attr(enum wiz_attr a);
int wizard_draw_width(const char *s, size_t len);
/* How many bytes of S (LEN bytes) fit in COLS columns. */
size_t wizard_draw_fit(const char *s, size_t len, int cols);
/* Draw at most COLS columns of S at (Y, X); returns the columns used. */
int wizard_draw_text(int y, int x, int cols, const char *s, enum wiz_attr a);
/* Fill COLS columns at (Y, X) with spaces in attribute A. */
void wizard_draw_fill(int y, int x, int cols, enum wiz_attr a);
typedef void (*wizard_draw_row_fn)(const char *row, size_t len, bool first, void *userdata);
/* Cut S into rows of at most COLS columns (between words, or anywhere
 * when HARD), rows after the first of each line INDENT columns narrower;
 * calls ROW for each and returns their number. */
size_t wizard_draw_wrap(const char *s, int cols, int indent, bool hard, wizard_draw_row_fn row,
			void *userdata);
/* Draw S wrapped at (Y, X), at most MAX_ROWS rows; returns the rows used. */
int wizard_draw_para(int y, int x, int cols, int max_rows, const char *s, enum wiz_attr a);
/* The same, leaving out the first SKIP rows of the wrapped text (a box
 * scrolled down). */
int wizard_draw_para_from(int y, int x, int cols, int max_rows, int skip, const char *s,
			  enum wiz_attr a);
/* A copy of S (LEN bytes) with tabs expanded and control bytes replaced. */
char *wizard_draw_clean(const char *s, size_t len);
/* A row of buttons "< Label >" starting at (Y, X); DISABLED is a bit mask. */
void wizard_draw_buttons(int y, int x, const char *const *labels, int n, int focus,
			 unsigned disabled);
/* A framed, cleared box. */
void wizard_draw_box(int y, int x, int h, int cols);

/* wizard-field.c: the line editor. */
int wizard_field_set(struct wiz_field *f, const char *text);
void wizard_field_release(struct wiz_field *f);
/* Edit F with K. Returns true when the key was used; *RET_CHANGED says
 * whether the text changed. */
bool wizard_field_key(struct wiz_field *f, const struct wiz_key *k, bool *ret_changed);
/* Draw F as "[text   ]" in COLS columns; sets the cursor when FOCUSED. */
void wizard_field_draw(struct wiz *w, const struct wiz_field *f, int y, int x, int cols,
		       bool focused);

/* wizard-view.c: the scrollable text. */
int wizard_view_add(struct wiz_view *v, enum wiz_attr a, int indent, bool hard, const char *text);
int wizard_view_addf(struct wiz_view *v, enum wiz_attr a, int indent, const char *fmt, ...)
	_printf_(4, 5);
/* Add every line of TEXT (several lines, such as a diff or a log). */
int wizard_view_add_text(struct wiz_view *v, enum wiz_attr a, int indent, const char *text);
/* Add a unified diff, each line coloured by its kind. */
int wizard_view_add_diff(struct wiz_view *v, const char *diff);
/* Insert a heading line before line I. */
int wizard_view_insert_heading(struct wiz_view *v, size_t i, const char *text);
/* Replace the text and attribute of line I. */
int wizard_view_set(struct wiz_view *v, size_t i, enum wiz_attr a, const char *text);
void wizard_view_clear(struct wiz_view *v);
void wizard_view_draw(struct wiz_view *v, int y, int x, int height, int cols);
/* How many rows V takes at COLS columns. */
size_t wizard_view_rows(struct wiz_view *v, int cols);
/* "lines 1-14 of 58" for the row below the view, or "" when all fits. */
void wizard_view_position(const struct wiz_view *v, char *buf, size_t size);
/* Arrows, PgUp/PgDn, Home/End. */
bool wizard_view_key(struct wiz_view *v, const struct wiz_key *k);
/* The keys of a pager screen: scrolling, Tab/arrows between the buttons,
 * Enter on Back, Cancel or CONFIRM's button. */
struct wiz;
enum wiz_action wizard_pager_key(struct wiz *w, struct wiz_pager *s, const struct wiz_key *k,
				 enum wiz_action (*confirm)(struct wiz *w));
/* "An interrupted run was rolled back first", above a preview or result. */
void wizard_preview_add_recovery(struct wiz_view *v, unsigned recovered, char *const *failures);
/* A preview reads only: an interrupted run waits, and going on (Apply,
 * Undo) rolls it back first, which may change the plan (then the new one
 * is shown). */
void wizard_preview_add_pending(struct wiz_view *v, unsigned pending, char *const *paths);

/* wizard-apply.c: the reporter the pipeline (and undo) calls during apply. */
const struct reporter *wizard_apply_reporter(struct wiz *w);
void wizard_apply_release(struct wiz *w);

/* wizard-result.c: shared by both result screens. */
void wizard_result_draw(struct wiz *w);
enum wiz_action wizard_result_key(struct wiz *w, const struct wiz_key *k);
/* The jobs ACT ran ("reload, then reload"), how, and why, as the command
 * line words them. */
void wizard_result_add_path(struct wiz_view *v, const struct activation *act, bool forced);
/* The steps as the reporter gave them, and the warnings. */
void wizard_result_add_steps(struct wiz_view *v, const struct wiz *w);
/* The line that says a Ctrl-C came during the work and was waited out. */
void wizard_result_add_interrupted(struct wiz_view *v, const struct wiz *w);
void wizard_result_add_warnings(struct wiz_view *v, char *const *warnings);
/* Both result screens' release hook. */
void wizard_result_release(struct wiz *w);

/* wizard-undo.c: what is applied (for screen 1), and the undo path. */
void wizard_undo_status(struct wiz *w);
void wizard_undo_status_release(struct wiz *w);
/* Prepare the undo preview; WIZ_UNDO when there is one to show. */
enum wiz_action wizard_undo_start(struct wiz *w);
/* Screen 1's "Check my scripts" (wizard-check.c): --check of every
 * directory cgisetup set up, without fetching; WIZ_CHECK shows it. */
enum wiz_action wizard_check_start(struct wiz *w);
void wizard_undo_release(struct wiz *w);

#endif
