/* textedit.c - uncomment one LoadModule line (see textedit.h). */
#include "config.h"

#include <errno.h>

#include "cgisetup/diff.h"
#include "cgisetup/scan.h"
#include "cgisetup/textedit.h"
#include "cgisetup/util.h"

struct finder {
	const char *module;
	unsigned ordinal;
	unsigned seen;
	unsigned line; /* 0 until found */
};

/* The same test as model.c's feed_comment: "LoadModule NAME PATH". */
static int
find_item(const struct scan_item *it, void *userdata)
{
	struct finder *f = userdata;
	_cleanup_strv_free_ char **w = NULL;
	const char *rest;

	if (it->kind != SCAN_COMMENT || f->line)
		return 0;
	rest = startswith(it->name, "LoadModule");
	if (!rest || (*rest != ' ' && *rest != '\t') || scan_split_args(rest, &w) < 0)
		return 0;
	if (strv_length(w) == 2 && streq(w[0], f->module) && ++f->seen == f->ordinal)
		f->line = it->line;
	return 0;
}

int
textedit_uncomment_loadmodule(const char *text, const char *module, unsigned ordinal,
			      char **ret)
{
	struct finder f = { .module = module, .ordinal = ordinal };
	const char *p = text, *hash;
	size_t indent, cut;
	char *out;
	int r = scan_text(text, strlen(text), find_item, &f);

	if (r < 0)
		return r;
	if (!f.line)
		return -ENOENT;
	for (unsigned l = 1; l < f.line; l++)
		p = strchr(p, '\n') + 1;
	indent = strspn(p, " \t");
	hash = p + indent;
	cut = 1 + strspn(hash + 1, " \t");
	out = malloc(strlen(text) - cut + 1);
	if (!out)
		return -ENOMEM;
	memcpy(out, text, (size_t)(hash - text));
	memcpy(out + (hash - text), hash + cut, strlen(hash + cut) + 1);
	*ret = out;
	return 0;
}

/* Whether every line of TEXT ends with CR LF (and there is one). */
static bool
all_crlf(const char *text)
{
	bool any = false;

	for (const char *p = strchr(text, '\n'); p; p = strchr(p + 1, '\n')) {
		if (p == text || p[-1] != '\r')
			return false;
		any = true;
	}
	return any;
}

char *
textedit_line_endings_like(const char *old_text, const char *new_text)
{
	struct strbuf sb = STRBUF_INIT;

	if (!all_crlf(old_text))
		return strdup(new_text);
	for (const char *p = new_text; *p; p++) {
		if (*p == '\n' && (p == new_text || p[-1] != '\r') && strbuf_add(&sb, "\r", 1) < 0)
			goto oom;
		if (strbuf_add(&sb, p, 1) < 0)
			goto oom;
	}
	return strbuf_detach(&sb);
oom:
	strbuf_release(&sb);
	return NULL;
}

/* Leading blanks of the line at P. */
static size_t
blanks(const char *p)
{
	return strspn(p, " \t");
}

static bool
opens_section(const char *p)
{
	p += blanks(p);
	return p[0] == '<' && p[1] != '/';
}

static bool
closes_section(const char *p)
{
	p += blanks(p);
	return p[0] == '<' && p[1] == '/';
}

/* The file's own indentation step: what the first indented line inside a
 * section adds to its opening line ("\t" in Debian's apache2.conf, four
 * spaces in Fedora's httpd.conf); NULL when the file indents nothing. */
static char *
indent_unit(const char *text)
{
	const char *opener = NULL;

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		size_t b = blanks(p);

		if (p[b] == '\n' || p[b] == '\r' || p[b] == '#' || !p[b])
			continue;
		if (opener && !closes_section(p) && b > blanks(opener) &&
		    strncmp(p, opener, blanks(opener)) == 0)
			return strndup(p + blanks(opener), b - blanks(opener));
		opener = opens_section(p) ? p : NULL;
	}
	return NULL;
}

static int
add_indented(struct strbuf *sb, const char *unit, unsigned depth, const char *line, size_t n)
{
	for (unsigned k = 0; k < depth; k++)
		if (strbuf_adds(sb, unit) < 0)
			return -ENOMEM;
	return strbuf_add(sb, line, n);
}

/* Rebuild NEW with the lines INS marks indented by UNIT per open section. */
static char *
indent_lines(const char *new_text, const bool *ins, size_t n_ins, const char *unit)
{
	struct strbuf sb = STRBUF_INIT;
	unsigned depth = 0;
	size_t i = 0;

	for (const char *p = new_text; *p; i++) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) + 1 : strlen(p);
		bool closing = closes_section(p), opening = opens_section(p);
		unsigned at = closing && depth ? depth - 1 : depth;
		int r = i < n_ins && ins[i] && blanks(p) == 0 ? add_indented(&sb, unit, at, p, n)
							      : strbuf_add(&sb, p, n);

		if (r < 0) {
			strbuf_release(&sb);
			return NULL;
		}
		depth = closing ? at : depth + (opening ? 1 : 0);
		p += n;
	}
	return strbuf_detach(&sb);
}

char *
textedit_indent_like(const char *old_text, const char *new_text)
{
	_cleanup_free_ char *unit = indent_unit(old_text);
	_cleanup_free_ bool *ins = NULL;
	size_t n_ins = 0;

	if (!unit || diff_inserted(old_text, new_text, &ins, &n_ins) < 0)
		return unit ? NULL : strdup(new_text);
	return indent_lines(new_text, ins, n_ins, unit);
}
