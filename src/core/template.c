/* template.c - fill @NAME@ placeholders (see template.h). */
#include "config.h"

#include "cgisetup/template.h"
#include "cgisetup/util.h"

static const char *
lookup(const char *const *vars, const char *name, size_t len)
{
	for (size_t i = 0; vars[i] && vars[i + 1]; i += 2)
		if (strlen(vars[i]) == len && strncmp(vars[i], name, len) == 0)
			return vars[i + 1];
	return NULL;
}

char *
template_render(const char *text, const char *const *vars)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = text;

	while (*p) {
		const char *end = p[0] == '@' ? strchr(p + 1, '@') : NULL;
		const char *val = end ? lookup(vars, p + 1, (size_t)(end - p - 1)) : NULL;
		int r;

		if (val) {
			r = strbuf_adds(&sb, val);
			p = end + 1;
		} else {
			r = strbuf_add(&sb, p, 1);
			p++;
		}
		if (r < 0) {
			strbuf_release(&sb);
			return NULL;
		}
	}
	return strbuf_detach(&sb);
}
