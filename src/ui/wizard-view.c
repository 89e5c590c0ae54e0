/* wizard-view.c - scrollable text for the preview and the result (see
 * wizard.h). Lines are kept whole and wrapped to the width of each draw,
 * so a resized terminal reflows them instead of cutting them.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#define NCURSES_WIDECHAR 1
#include <curses.h>

#include "cgisetup/i18n.h"
#include "cgisetup/util.h"
#include "wizard-int.h"

int
wizard_view_add(struct wiz_view *v, enum wiz_attr a, int indent, bool hard, const char *text)
{
	struct wiz_view_line *nl;
	char *clean = wizard_draw_clean(text, strlen(text));

	if (!clean)
		return -ENOMEM;
	nl = realloc(v->lines, (v->n_lines + 1) * sizeof(*nl));
	if (!nl) {
		free(clean);
		return -ENOMEM;
	}
	v->lines = nl;
	v->lines[v->n_lines++] = (struct wiz_view_line){
		.text = clean, .attr = a, .indent = indent, .hard = hard
	};
	return 0;
}

int
wizard_view_addf(struct wiz_view *v, enum wiz_attr a, int indent, const char *fmt, ...)
{
	_cleanup_free_ char *s = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		s = NULL;
		return -ENOMEM;
	}
	return wizard_view_add(v, a, indent, false, s);
}

int
wizard_view_add_text(struct wiz_view *v, enum wiz_attr a, int indent, const char *text)
{
	int r = 0;

	for (const char *p = text; r >= 0 && *p;) {
		size_t n = strcspn(p, "\n");
		_cleanup_free_ char *line = strndup(p, n);

		r = line ? wizard_view_add(v, a, indent, true, line) : -ENOMEM;
		p += n;
		if (*p == '\n')
			p++;
	}
	return r;
}

static enum wiz_attr
diff_attr(const char *line)
{
	if (startswith(line, "+++") || startswith(line, "---"))
		return WIZ_ATTR_HEADING;
	if (startswith(line, "@@"))
		return WIZ_ATTR_HUNK;
	if (line[0] == '+')
		return WIZ_ATTR_ADD;
	if (line[0] == '-')
		return WIZ_ATTR_DEL;
	return WIZ_ATTR_NORMAL;
}

int
wizard_view_add_diff(struct wiz_view *v, const char *diff)
{
	int r = 0;

	for (const char *s = diff; r >= 0 && s && *s;) {
		size_t n = strcspn(s, "\n");
		_cleanup_free_ char *line = strndup(s, n);

		r = line ? wizard_view_add(v, diff_attr(line), 0, true, line) : -ENOMEM;
		s += n + (s[n] == '\n');
	}
	return r;
}

int
wizard_view_insert_heading(struct wiz_view *v, size_t i, const char *text)
{
	struct wiz_view_line line;
	int r;

	if (i > v->n_lines)
		return -EINVAL;
	r = wizard_view_add(v, WIZ_ATTR_HEADING, 0, false, text);
	if (r < 0)
		return r;
	/* the new last line moves up to I */
	line = v->lines[v->n_lines - 1];
	memmove(v->lines + i + 1, v->lines + i, (v->n_lines - 1 - i) * sizeof(*v->lines));
	v->lines[i] = line;
	return 0;
}

int
wizard_view_set(struct wiz_view *v, size_t i, enum wiz_attr a, const char *text)
{
	char *clean;

	if (i >= v->n_lines)
		return -EINVAL;
	clean = wizard_draw_clean(text, strlen(text));
	if (!clean)
		return -ENOMEM;
	free(v->lines[i].text);
	v->lines[i].text = clean;
	v->lines[i].attr = a;
	return 0;
}

void
wizard_view_clear(struct wiz_view *v)
{
	for (size_t i = 0; i < v->n_lines; i++)
		free(v->lines[i].text);
	free(v->lines);
	*v = (struct wiz_view){ 0 };
}

struct layout_ctx {
	const struct wiz_view_line *line;
	size_t row;    /* rows laid out so far */
	size_t top;    /* first row to draw */
	int y, x, height;
	bool draw;
};

static void
view_row(const char *row, size_t len, bool first, void *userdata)
{
	struct layout_ctx *c = userdata;
	int indent = first ? 0 : c->line->indent;

	if (c->draw && c->row >= c->top && c->row < c->top + (size_t)c->height) {
		attrset(wizard_draw_attr(c->line->attr));
		mvaddnstr(c->y + (int)(c->row - c->top), c->x + indent, row, (int)len);
		attrset(A_NORMAL);
	}
	c->row++;
}

/* Lay every line out at COLS columns; draws the rows in view when DRAW. */
static size_t
view_layout(struct wiz_view *v, struct layout_ctx *c, int cols)
{
	c->row = 0;
	for (size_t i = 0; i < v->n_lines; i++) {
		c->line = &v->lines[i];
		wizard_draw_wrap(c->line->text, cols, c->line->indent, c->line->hard, view_row, c);
	}
	return c->row;
}

static size_t
line_rows(const struct wiz_view_line *l, int cols)
{
	return wizard_draw_wrap(l->text, cols, l->indent, l->hard, NULL, NULL);
}

size_t
wizard_view_rows(struct wiz_view *v, int cols)
{
	size_t rows = 0;

	for (size_t i = 0; i < v->n_lines; i++)
		rows += line_rows(&v->lines[i], cols);
	return rows;
}

/* A new width wraps every line anew: the row at the top becomes the first
 * row of the line that was there, so a resize keeps the reader's place. */
static void
keep_top_line(struct wiz_view *v, int cols)
{
	size_t row = 0;

	if (v->cols && v->cols != cols)
		for (size_t i = 0; i < v->top_line && i < v->n_lines; i++)
			row += line_rows(&v->lines[i], cols);
	else
		return;
	v->top = row;
}

/* Remember the line the top row falls in. */
static void
note_top_line(struct wiz_view *v, int cols)
{
	size_t row = 0, i;

	for (i = 0; i < v->n_lines; i++) {
		size_t n = line_rows(&v->lines[i], cols);

		if (row + n > v->top)
			break;
		row += n;
	}
	v->top_line = i;
	v->cols = cols;
}

void
wizard_view_draw(struct wiz_view *v, int y, int x, int height, int cols)
{
	struct layout_ctx c = { .y = y, .x = x, .height = height };

	if (height < 1 || cols < 1)
		return;
	v->height = height;
	v->rows = view_layout(v, &c, cols);
	keep_top_line(v, cols);
	if (v->follow || v->top + (size_t)height > v->rows)
		v->top = v->rows > (size_t)height ? v->rows - (size_t)height : 0;
	note_top_line(v, cols);
	c.top = v->top;
	c.draw = true;
	view_layout(v, &c, cols);
}

void
wizard_view_position(const struct wiz_view *v, char *buf, size_t size)
{
	size_t last = v->top + (size_t)v->height;

	if (v->rows <= (size_t)v->height) {
		snprintf(buf, size, "%s", "");
		return;
	}
	if (last > v->rows)
		last = v->rows;
	/* TRANSLATORS: the rows of a scrollable text shown, and how many it has */
	snprintf(buf, size, _("lines %zu-%zu of %zu"), v->top + 1, last, v->rows);
}

bool
wizard_pager_keys(const struct wiz_pager *s, struct wiz_keys *k)
{
	k->tab = _("Tab: button");
	k->esc = _("Esc: back");
	if (s->focus == PAGER_BACK)
		k->enter = _("Enter: back");
	else if (s->focus == PAGER_CANCEL)
		k->enter = _("Enter: cancel");
	return s->focus != PAGER_BACK && s->focus != PAGER_CANCEL;
}

void
wizard_view_draw_one_button(struct wiz_view *v, const char *label)
{
	int y = wizard_body_top();
	int bottom = wizard_body_fit(y, (int)wizard_view_rows(v, COLS - 4) + 2);
	const char *names[] = { label };
	char pos[128];

	wizard_view_draw(v, y, 2, bottom - 2 - y + 1, COLS - 4);
	wizard_view_position(v, pos, sizeof(pos));
	wizard_draw_text(bottom - 1, COLS - 2 - wizard_draw_width(pos, strlen(pos)), COLS / 2, pos,
			 WIZ_ATTR_DIM);
	wizard_draw_buttons(bottom, 2, names, 1, 0, 0);
}

bool
wizard_view_key(struct wiz_view *v, const struct wiz_key *k)
{
	size_t page = v->height > 1 ? (size_t)v->height - 1 : 1;
	size_t max = v->rows > (size_t)v->height ? v->rows - (size_t)v->height : 0;

	if (!k->fn)
		return false;
	switch (k->code) {
	case KEY_UP:
		v->top = v->top > 0 ? v->top - 1 : 0;
		return true;
	case KEY_DOWN:
		v->top = v->top < max ? v->top + 1 : max;
		return true;
	case KEY_PPAGE:
		v->top = v->top > page ? v->top - page : 0;
		return true;
	case KEY_NPAGE:
		v->top = v->top + page < max ? v->top + page : max;
		return true;
	case KEY_HOME:
		v->top = 0;
		return true;
	case KEY_END:
		v->top = max;
		return true;
	default:
		return false;
	}
}

enum wiz_action
wizard_pager_key(struct wiz *w, struct wiz_pager *s, const struct wiz_key *k,
		 enum wiz_action (*confirm)(struct wiz *w))
{
	if (wizard_view_key(&s->view, k))
		return WIZ_HANDLED;
	if (wizard_key_is(k, '\t') || (k->fn && k->code == KEY_RIGHT)) {
		s->focus = (s->focus + 1) % PAGER_N_BUTTONS;
		return WIZ_HANDLED;
	}
	if (k->fn && (k->code == KEY_BTAB || k->code == KEY_LEFT)) {
		s->focus = (s->focus + PAGER_N_BUTTONS - 1) % PAGER_N_BUTTONS;
		return WIZ_HANDLED;
	}
	if (!wizard_key_enter(k))
		return WIZ_IGNORED;
	switch (s->focus) {
	case PAGER_BACK:
		return WIZ_BACK;
	case PAGER_CANCEL:
		return WIZ_QUIT;
	default:
		return confirm(w);
	}
}
