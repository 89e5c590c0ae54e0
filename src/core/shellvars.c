/* shellvars.c - NAME=VALUE files in shell syntax (see shellvars.h). */
#include "config.h"

#include <ctype.h>
#include <errno.h>

#include "cgisetup/scan.h"
#include "cgisetup/shellvars.h"
#include "cgisetup/util.h"

const char *
shellvars_get(const struct shellvars *v, const char *name)
{
	const char *found = NULL;

	for (size_t i = 0; v->names && v->names[i]; i++)
		if (streq(v->names[i], name))
			found = v->values[i]; /* the last assignment wins */
	return found;
}

static const char *
lookup_n(const struct shellvars *v, const char *name, size_t len)
{
	_cleanup_free_ char *n = strndup(name, len);

	return n ? shellvars_get(v, n) : NULL;
}

/* Expand one value: quotes removed, $X and ${X} replaced. */
static char *
expand(const struct shellvars *v, const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	char quote = 0;

	for (const char *p = s; *p; p++) {
		const char *name, *end, *val;

		if ((*p == '"' || *p == '\'') && (!quote || quote == *p)) {
			quote = quote ? 0 : *p;
			continue;
		}
		if (!quote && (*p == ' ' || *p == '\t' || *p == '#'))
			break; /* end of the word (or a trailing comment) */
		if (*p != '$' || quote == '\'') {
			if (strbuf_add(&sb, p, 1) < 0)
				goto oom;
			continue;
		}
		name = p[1] == '{' ? p + 2 : p + 1;
		for (end = name; isalnum((unsigned char)*end) || *end == '_'; end++)
			;
		val = lookup_n(v, name, (size_t)(end - name));
		if (val && strbuf_adds(&sb, val) < 0)
			goto oom;
		p = (p[1] == '{' && *end == '}') ? end : end - 1;
	}
	return strbuf_detach(&sb);
oom:
	strbuf_release(&sb);
	return NULL;
}

static int
parse_line(struct shellvars *v, const char *line)
{
	const char *p = line, *eq;

	while (*p == ' ' || *p == '\t')
		p++;
	if (startswith(p, "export ")) {
		p += 7;
		while (*p == ' ')
			p++;
	}
	eq = strchr(p, '=');
	if (!eq || eq == p)
		return 0;
	for (const char *q = p; q < eq; q++)
		if (!isalnum((unsigned char)*q) && *q != '_')
			return 0;
	/* The value first, while NAME is not known yet: a "$NAME" in it is the
	 * earlier assignment (A=1, A=$A:2 is "1:2", as in the shell), and the
	 * lookup never meets a name without its value (a first "A=$A" read
	 * values[0] of a NULL vector). */
	if (strv_push(&v->values, expand(v, eq + 1)) < 0)
		return -ENOMEM;
	return strv_push(&v->names, strndup(p, (size_t)(eq - p)));
}

int
shellvars_parse(const char *text, struct shellvars *ret)
{
	struct shellvars v = { 0 };

	for (const char *p = text; p && *p;) {
		const char *nl = strchr(p, '\n');
		_cleanup_free_ char *line = strndup(p, nl ? (size_t)(nl - p) : strlen(p));

		if (!line || parse_line(&v, line) < 0) {
			shellvars_release(&v);
			return -ENOMEM;
		}
		p = nl ? nl + 1 : NULL;
	}
	*ret = v;
	return 0;
}

void
shellvars_release(struct shellvars *v)
{
	strv_free(v->names);
	strv_free(v->values);
	*v = (struct shellvars){ 0 };
}

static int
define_one(const char *word, int (*cb)(const char *, const char *, void *), void *ud)
{
	_cleanup_free_ char *name = strdup(word);
	char *eq;

	if (!name)
		return -ENOMEM;
	eq = strchr(name, '=');
	if (eq)
		*eq++ = '\0';
	return *name ? cb(name, eq, ud) : 0;
}

int
shellvars_for_each_define(const char *options,
			  int (*cb)(const char *name, const char *value, void *ud), void *ud)
{
	_cleanup_strv_free_ char **w = NULL;
	int r = scan_split_args(options, &w);

	for (size_t i = 0; r >= 0 && w[i]; i++) {
		if (streq(w[i], "-D") && w[i + 1])
			r = define_one(w[++i], cb, ud);
		else if (startswith(w[i], "-D"))
			r = define_one(w[i] + 2, cb, ud);
	}
	return r;
}
