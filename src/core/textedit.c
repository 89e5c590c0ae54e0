/* textedit.c - uncomment one LoadModule line (see textedit.h). */
#include "config.h"

#include <errno.h>

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
