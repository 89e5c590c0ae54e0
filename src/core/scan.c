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

/* Measure one quoted or bare word starting at *P: its first character,
 * its length once unescaped, and where it ends (*P is moved past it). */
static const char *
measure_word(const char **p, char *ret_quote, size_t *ret_len)
{
	const char *s = skip_blanks(*p), *start;
	char quote = 0;
	size_t n = 0;

	if (*s == '"' || *s == '\'')
		quote = *s++;
	start = s;
	for (; *s; s++, n++) {
		if (quote && *s == '\\' && (s[1] == quote || s[1] == '\\'))
			s++;
		else if (quote ? *s == quote : (*s == ' ' || *s == '\t'))
			break;
	}
	*p = quote && *s == quote ? s + 1 : s;
	*ret_quote = quote;
	*ret_len = n;
	return start;
}

/* Copy the N characters of a word measured at START into OUT, unescaped. */
static char *
copy_word(const char *start, char quote, size_t n, char *out)
{
	for (size_t k = 0; k < n; k++, start++) {
		if (quote && *start == '\\' && (start[1] == quote || start[1] == '\\'))
			start++;
		out[k] = *start;
	}
	out[n] = '\0';
	return out + n + 1;
}

/* The words of ARGS as one allocation (the pointers, then the strings):
 * one free() for all, where a vector of strings costs one per word. This
 * runs for every line of a 10,000-site configuration. */
static char **
split_block(const char *args)
{
	size_t count = 0, bytes = 0, n;
	const char *p = args, *start;
	char quote, **v, *out;

	while (*skip_blanks(p)) {
		measure_word(&p, &quote, &n);
		count++;
		bytes += n + 1;
	}
	v = malloc((count + 1) * sizeof(char *) + bytes);
	if (!v)
		return NULL;
	out = (char *)(v + count + 1);
	p = args;
	for (size_t i = 0; i < count; i++) {
		start = measure_word(&p, &quote, &n);
		v[i] = out;
		out = copy_word(start, quote, n, out);
	}
	v[count] = NULL;
	return v;
}

int
scan_split_args(const char *args, char ***ret)
{
	_cleanup_free_ char **block = split_block(args);
	_cleanup_strv_free_ char **v = NULL;
	size_t n = 0;

	if (!block)
		return -ENOMEM;
	for (size_t i = 0; block[i]; i++)
		if (strv_push_n(&v, &n, strdup(block[i])) < 0)
			return -ENOMEM;
	if (!v && !(v = calloc(1, sizeof(char *))))
		return -ENOMEM;
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
	_cleanup_free_ char **args = NULL; /* one block: split_block() */
	struct scan_item item = { .line = lineno };
	char *p = (char *)skip_blanks(line), *name, *end;

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
	args = split_block(p);
	if (!args)
		return -ENOMEM;
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
