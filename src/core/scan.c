/* scan.c - split Apache configuration text into directives (see scan.h). */
#include "config.h"

#include <ctype.h>
#include <errno.h>

#include "cgisetup/scan.h"
#include "cgisetup/util.h"

static const char *
skip_blanks(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* Read one quoted or bare word starting at *P; advance *P past it. */
static char *
next_word(const char **p)
{
	struct strbuf sb = STRBUF_INIT;
	const char *s = skip_blanks(*p);
	char quote = 0;

	if (*s == '"' || *s == '\'')
		quote = *s++;
	for (; *s; s++) {
		if (quote && *s == '\\' && (s[1] == quote || s[1] == '\\')) {
			s++;
		} else if (quote ? *s == quote : (*s == ' ' || *s == '\t')) {
			if (quote)
				s++;
			break;
		}
		if (strbuf_add(&sb, s, 1) < 0) {
			strbuf_release(&sb);
			return NULL;
		}
	}
	*p = s;
	return strbuf_detach(&sb);
}

int
scan_split_args(const char *args, char ***ret)
{
	_cleanup_strv_free_ char **v = NULL;
	const char *p = args;
	int r;

	for (;;) {
		p = skip_blanks(p);
		if (*p == '\0')
			break;
		r = strv_push(&v, next_word(&p));
		if (r < 0)
			return r;
	}
	if (!v) {
		v = calloc(1, sizeof(char *));
		if (!v)
			return -ENOMEM;
	}
	*ret = TAKE_PTR(v);
	return 0;
}

char *
scan_unquote(char *arg)
{
	size_t n = strlen(arg);

	if (n >= 2 && (arg[0] == '"' || arg[0] == '\'') && arg[n - 1] == arg[0]) {
		memmove(arg, arg + 1, n - 2);
		arg[n - 2] = '\0';
	}
	return arg;
}

/* Interpret one logical line (continuations already joined). */
static int
scan_line(char *line, unsigned lineno, scan_callback cb, void *userdata)
{
	_cleanup_strv_free_ char **args = NULL;
	struct scan_item item = { .line = lineno };
	char *p = (char *)skip_blanks(line), *name, *end;
	int r;

	if (*p == '\0')
		return 0;
	if (*p == '#') {
		item.kind = SCAN_COMMENT;
		item.name = skip_blanks(p + 1);
		return cb(&item, userdata);
	}
	item.kind = SCAN_DIRECTIVE;
	if (*p == '<') {
		p++;
		item.kind = SCAN_SECTION_OPEN;
		if (*p == '/') {
			p++;
			item.kind = SCAN_SECTION_CLOSE;
		}
		end = strrchr(p, '>');
		if (end)
			*end = '\0';
	}
	name = p;
	while (*p && *p != ' ' && *p != '\t')
		p++;
	if (*p)
		*p++ = '\0';
	r = scan_split_args(p, &args);
	if (r < 0)
		return r;
	item.name = name;
	item.args = args;
	return cb(&item, userdata);
}

int
scan_text(const char *text, size_t len, scan_callback cb, void *userdata)
{
	_cleanup_strbuf_ struct strbuf logical = STRBUF_INIT;
	unsigned lineno = 0, start = 1;
	size_t i = 0;
	int r;

	while (i < len) {
		size_t j = i, n;

		while (j < len && text[j] != '\n')
			j++;
		lineno++;
		n = j - i;
		if (n > 0 && text[i + n - 1] == '\r')
			n--;
		if (logical.len == 0)
			start = lineno;
		if (n > 0 && text[i + n - 1] == '\\') {
			r = strbuf_add(&logical, text + i, n - 1);
		} else {
			r = strbuf_add(&logical, text + i, n);
			if (r >= 0)
				r = scan_line(logical.buf, start, cb, userdata);
			logical.len = 0;
		}
		if (r < 0)
			return r;
		i = j + 1;
	}
	if (logical.len > 0)
		return scan_line(logical.buf, start, cb, userdata);
	return 0;
}
