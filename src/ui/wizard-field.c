/* wizard-field.c - a one-line text field for the wizard (see wizard.h).
 *
 * The text is kept as UTF-8 in the locale's encoding; the cursor moves by
 * whole characters. Keys: characters insert, Left/Right, Home/End (also
 * Ctrl-A/Ctrl-E), Backspace, Delete (also Ctrl-D), Ctrl-U deletes to the
 * start, Ctrl-K to the end, Ctrl-W the word before the cursor (readline's
 * unix-filename-rubout: spaces and '/' end a word, so that it takes back
 * one path component). Every other key is left to the screen.
 *
 * A field scrolls sideways to keep the cursor in view; '<' and '>' take
 * the place of its brackets while text is hidden on that side.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <wchar.h>
#include <wctype.h>

#define NCURSES_WIDECHAR 1
#include <curses.h>

#include "cgisetup/util.h"
#include "wizard-int.h"

#define CTRL(c) ((c) & 0x1f)
#define FIELD_MAX 4096

int
wizard_field_set(struct wiz_field *f, const char *text)
{
	char *t = strdup(text ? text : "");

	if (!t)
		return -ENOMEM;
	free(f->text);
	f->text = t;
	f->cursor = strlen(t);
	return 0;
}

void
wizard_field_release(struct wiz_field *f)
{
	free(f->text);
	*f = (struct wiz_field){ 0 };
}

/* The length of the character at S (1 for a byte that starts none). */
static size_t
char_len(const char *s)
{
	mbstate_t st = { 0 };
	size_t n = mbrtowc(NULL, s, strlen(s), &st);

	return n == (size_t)-1 || n == (size_t)-2 || n == 0 ? 1 : n;
}

static size_t
prev_char(const char *s, size_t pos)
{
	size_t i = 0, last = 0;

	while (i < pos) {
		last = i;
		i += char_len(s + i);
	}
	return last;
}

static int
insert(struct wiz_field *f, int wc)
{
	char mb[MB_LEN_MAX];
	mbstate_t st = { 0 };
	size_t n = wcrtomb(mb, (wchar_t)wc, &st), len = strlen(f->text);
	char *t;

	if (n == (size_t)-1 || len + n > FIELD_MAX)
		return -EINVAL;
	t = realloc(f->text, len + n + 1);
	if (!t)
		return -ENOMEM;
	memmove(t + f->cursor + n, t + f->cursor, len - f->cursor + 1);
	memcpy(t + f->cursor, mb, n);
	f->text = t;
	f->cursor += n;
	return 0;
}

/* Delete the bytes [FROM, TO) of the text. */
static void
cut(struct wiz_field *f, size_t from, size_t to)
{
	memmove(f->text + from, f->text + to, strlen(f->text + to) + 1);
	f->cursor = from;
}

static bool
is_printable(const struct wiz_key *k)
{
	return !k->fn && k->code >= 0x20 && k->code != 0x7f && iswprint((wint_t)k->code);
}

/* Keys that move the cursor; false when K is none of them. */
static bool
move_key(struct wiz_field *f, const struct wiz_key *k)
{
	size_t len = strlen(f->text);

	if (k->fn && k->code == KEY_LEFT) {
		if (f->cursor > 0)
			f->cursor = prev_char(f->text, f->cursor);
	} else if (k->fn && k->code == KEY_RIGHT) {
		if (f->cursor < len)
			f->cursor += char_len(f->text + f->cursor);
	} else if ((k->fn && k->code == KEY_HOME) || (!k->fn && k->code == CTRL('a'))) {
		f->cursor = 0;
	} else if ((k->fn && k->code == KEY_END) || (!k->fn && k->code == CTRL('e'))) {
		f->cursor = len;
	} else {
		return false;
	}
	return true;
}

static bool
word_end(char c)
{
	return c == ' ' || c == '/';
}

/* Ctrl-W: the separators just before the cursor, then the word. */
static void
cut_word(struct wiz_field *f)
{
	size_t from = f->cursor;

	while (from > 0 && word_end(f->text[from - 1]))
		from--;
	while (from > 0 && !word_end(f->text[from - 1]))
		from--;
	cut(f, from, f->cursor);
}

/* Keys that delete; false when K is none of them. */
static bool
delete_key(struct wiz_field *f, const struct wiz_key *k)
{
	size_t len = strlen(f->text);
	bool backspace = (k->fn && k->code == KEY_BACKSPACE) ||
			 (!k->fn && (k->code == 0x7f || k->code == CTRL('h')));
	bool del = (k->fn && k->code == KEY_DC) || (!k->fn && k->code == CTRL('d'));

	if (backspace) {
		if (f->cursor > 0)
			cut(f, prev_char(f->text, f->cursor), f->cursor);
	} else if (del) {
		if (f->cursor < len)
			cut(f, f->cursor, f->cursor + char_len(f->text + f->cursor));
	} else if (!k->fn && k->code == CTRL('u')) {
		cut(f, 0, f->cursor);
	} else if (!k->fn && k->code == CTRL('k')) {
		f->text[f->cursor] = '\0';
	} else if (!k->fn && k->code == CTRL('w')) {
		cut_word(f);
	} else {
		return false;
	}
	return true;
}

bool
wizard_field_key(struct wiz_field *f, const struct wiz_key *k, bool *ret_changed)
{
	_cleanup_free_ char *before = NULL;
	bool used = true;

	*ret_changed = false;
	if (!f->text)
		return false;
	before = strdup(f->text);
	if (is_printable(k)) {
		if (insert(f, k->code) < 0)
			beep(); /* too long, or not a character of this locale */
	} else {
		used = move_key(f, k) || delete_key(f, k);
	}
	*ret_changed = used && (!before || !streq(before, f->text));
	return used;
}

void
wizard_field_draw(struct wiz *w, const struct wiz_field *f, int y, int x, int cols,
		  bool focused)
{
	const char *t = f->text ? f->text : "";
	int inner = cols - 2, shown;
	size_t start = 0, n;

	if (inner < 1)
		return;
	/* scroll sideways so that the cursor stays inside the field */
	while (wizard_draw_width(t + start, f->cursor - start) > inner - 1)
		start += char_len(t + start);
	n = wizard_draw_fit(t + start, strlen(t + start), inner);
	mvaddch(y, x, start > 0 ? '<' : '[');
	wizard_draw_fill(y, x + 1, inner, WIZ_ATTR_FIELD);
	attrset(wizard_draw_attr(WIZ_ATTR_FIELD));
	mvaddnstr(y, x + 1, t + start, (int)n);
	attrset(A_NORMAL);
	mvaddch(y, x + 1 + inner, t[start + n] ? '>' : ']');
	if (!focused)
		return;
	shown = wizard_draw_width(t + start, f->cursor - start);
	w->cursor_y = y;
	w->cursor_x = x + 1 + shown;
}
