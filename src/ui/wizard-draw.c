/* wizard-draw.c - the wizard's drawing helpers: attributes, and UTF-8 text
 * measured in terminal columns, cut or wrapped to fit (see wizard.h).
 *
 * Widths come from mbrtowc() and wcwidth() in the user's locale; a byte
 * that is not a valid character counts as one column, so text in a
 * locale that is not UTF-8 still lines up.
 */
#include "config.h"

#include <errno.h>
#include <wchar.h>

#define NCURSES_WIDECHAR 1
#include <curses.h>

#include "cgisetup/util.h"
#include "wizard-int.h"

#define TAB_WIDTH 8

enum {
	PAIR_TITLE = 1,
	PAIR_ERROR,
	PAIR_OK,
	PAIR_HUNK,
	PAIR_FIELD,
};

static int attrs[WIZ_N_ATTRS];

/* Map the attributes to colours when COLORS, to plain video otherwise. */
void
wizard_draw_setup(bool colors)
{
	for (size_t i = 0; i < WIZ_N_ATTRS; i++)
		attrs[i] = A_NORMAL;
	attrs[WIZ_ATTR_TITLE] = A_REVERSE;
	attrs[WIZ_ATTR_FOCUS] = A_REVERSE | A_BOLD;
	attrs[WIZ_ATTR_HEADING] = A_BOLD;
	attrs[WIZ_ATTR_DIM] = A_DIM;
	attrs[WIZ_ATTR_ERROR] = A_BOLD;
	attrs[WIZ_ATTR_HUNK] = A_BOLD;
	attrs[WIZ_ATTR_FIELD] = A_UNDERLINE;
	if (!colors)
		return;
	use_default_colors();
	init_pair(PAIR_TITLE, COLOR_WHITE, COLOR_BLUE);
	init_pair(PAIR_ERROR, COLOR_RED, -1);
	init_pair(PAIR_OK, COLOR_GREEN, -1);
	init_pair(PAIR_HUNK, COLOR_CYAN, -1);
	init_pair(PAIR_FIELD, COLOR_BLACK, COLOR_WHITE);
	attrs[WIZ_ATTR_TITLE] = COLOR_PAIR(PAIR_TITLE) | A_BOLD;
	attrs[WIZ_ATTR_ERROR] = COLOR_PAIR(PAIR_ERROR) | A_BOLD;
	attrs[WIZ_ATTR_OK] = COLOR_PAIR(PAIR_OK);
	attrs[WIZ_ATTR_ADD] = COLOR_PAIR(PAIR_OK);
	attrs[WIZ_ATTR_DEL] = COLOR_PAIR(PAIR_ERROR);
	attrs[WIZ_ATTR_HUNK] = COLOR_PAIR(PAIR_HUNK);
	attrs[WIZ_ATTR_FIELD] = COLOR_PAIR(PAIR_FIELD);
}

int
wizard_draw_attr(enum wiz_attr a)
{
	return a < WIZ_N_ATTRS ? attrs[a] : (int)A_NORMAL;
}

/* The length and width of the character at S (at most LEN bytes). */
static size_t
char_at(const char *s, size_t len, mbstate_t *st, int *ret_width)
{
	wchar_t wc;
	size_t n = mbrtowc(&wc, s, len, st);
	int wd;

	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		*st = (mbstate_t){ 0 };
		*ret_width = 1;
		return 1;
	}
	wd = wcwidth(wc);
	*ret_width = wd < 0 ? 1 : wd;
	return n;
}

int
wizard_draw_width(const char *s, size_t len)
{
	mbstate_t st = { 0 };
	int cols = 0;

	for (size_t i = 0; i < len;) {
		int wd;

		i += char_at(s + i, len - i, &st, &wd);
		cols += wd;
	}
	return cols;
}

size_t
wizard_draw_fit(const char *s, size_t len, int cols)
{
	mbstate_t st = { 0 };
	size_t i = 0;
	int used = 0;

	while (i < len) {
		int wd;
		size_t n = char_at(s + i, len - i, &st, &wd);

		if (used + wd > cols)
			break;
		used += wd;
		i += n;
	}
	return i;
}

int
wizard_draw_text(int y, int x, int cols, const char *s, enum wiz_attr a)
{
	size_t n;

	if (cols <= 0 || !s)
		return 0;
	n = wizard_draw_fit(s, strlen(s), cols);
	attrset(wizard_draw_attr(a));
	mvaddnstr(y, x, s, (int)n);
	attrset(A_NORMAL);
	return wizard_draw_width(s, n);
}

void
wizard_draw_fill(int y, int x, int cols, enum wiz_attr a)
{
	attrset(wizard_draw_attr(a));
	for (int i = 0; i < cols; i++)
		mvaddch(y, x + i, ' ');
	attrset(A_NORMAL);
}

/* Where the row that starts at S should end: the bytes of the row, and
 * through *RET_NEXT where the next row starts (a space at a break is
 * dropped). */
static size_t
wrap_row(const char *s, size_t len, int cols, bool hard, size_t *ret_next)
{
	size_t fit = wizard_draw_fit(s, len, cols);
	size_t cut;

	if (fit == 0 && len > 0)
		fit = 1; /* a character wider than the row: show it anyway */
	if (fit >= len || hard) {
		*ret_next = fit;
		return fit;
	}
	cut = fit;
	while (cut > 0 && s[cut] != ' ')
		cut--;
	if (cut == 0) {
		*ret_next = fit;
		return fit;
	}
	*ret_next = cut + 1;
	while (cut > 0 && s[cut - 1] == ' ')
		cut--;
	return cut;
}

size_t
wizard_draw_wrap(const char *s, int cols, int indent, bool hard, wizard_draw_row_fn row,
		 void *userdata)
{
	size_t n_rows = 0;

	if (indent >= cols)
		indent = 0;
	if (cols < 1)
		cols = 1;
	for (;;) {
		size_t len = strcspn(s, "\n");
		bool first = true;

		do {
			size_t next, used;

			used = wrap_row(s, len, first ? cols : cols - indent, hard, &next);
			if (row)
				row(s, used, first, userdata);
			n_rows++;
			first = false;
			s += next;
			len -= next;
		} while (len > 0);
		if (*s != '\n')
			break;
		s++;
	}
	return n_rows;
}

struct para {
	int y, x, cols, max_rows, skip, drawn;
	enum wiz_attr attr;
};

static void
para_row(const char *row, size_t len, bool first, void *userdata)
{
	struct para *p = userdata;

	if (p->skip > 0) {
		p->skip--;
		return;
	}
	if (p->drawn >= p->max_rows)
		return;
	attrset(wizard_draw_attr(p->attr));
	mvaddnstr(p->y + p->drawn, p->x, row, (int)len);
	attrset(A_NORMAL);
	p->drawn++;
}

int
wizard_draw_para_from(int y, int x, int cols, int max_rows, int skip, const char *s,
		      enum wiz_attr a)
{
	struct para p = { .y = y, .x = x, .cols = cols, .max_rows = max_rows, .skip = skip,
			  .attr = a };

	if (!s || max_rows <= 0)
		return 0;
	wizard_draw_wrap(s, cols, 0, false, para_row, &p);
	return p.drawn;
}

int
wizard_draw_para(int y, int x, int cols, int max_rows, const char *s, enum wiz_attr a)
{
	return wizard_draw_para_from(y, x, cols, max_rows, 0, s, a);
}

char *
wizard_draw_clean(const char *s, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	size_t col = 0;
	int r = 0;

	for (size_t i = 0; r >= 0 && i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\t') {
			do
				r = strbuf_add(&sb, " ", 1);
			while (r >= 0 && ++col % TAB_WIDTH);
			continue;
		}
		if (c == '\r')
			continue;
		if (c < 0x20 || c == 0x7f)
			c = '?';
		r = strbuf_add(&sb, &c, 1);
		if ((c & 0xc0) != 0x80) /* not a UTF-8 continuation byte */
			col++;
	}
	if (r < 0) {
		strbuf_release(&sb);
		return NULL;
	}
	return strbuf_detach(&sb);
}

void
wizard_draw_buttons(int y, int x, const char *const *labels, int n, int focus,
		    unsigned disabled)
{
	for (int i = 0; i < n; i++) {
		_cleanup_free_ char *b = strdup_printf("< %s >", labels[i]);
		enum wiz_attr a = i == focus		 ? WIZ_ATTR_FOCUS
				  : disabled & (1u << i) ? WIZ_ATTR_DIM
							 : WIZ_ATTR_NORMAL;

		if (!b)
			return;
		x += wizard_draw_text(y, x, COLS - x, b, a) + 2;
	}
}

void
wizard_draw_box(int y, int x, int h, int cols)
{
	for (int i = 0; i < h; i++)
		wizard_draw_fill(y + i, x, cols, WIZ_ATTR_NORMAL);
	mvhline(y, x + 1, ACS_HLINE, cols - 2);
	mvhline(y + h - 1, x + 1, ACS_HLINE, cols - 2);
	mvvline(y + 1, x, ACS_VLINE, h - 2);
	mvvline(y + 1, x + cols - 1, ACS_VLINE, h - 2);
	mvaddch(y, x, ACS_ULCORNER);
	mvaddch(y, x + cols - 1, ACS_URCORNER);
	mvaddch(y + h - 1, x, ACS_LLCORNER);
	mvaddch(y + h - 1, x + cols - 1, ACS_LRCORNER);
}
