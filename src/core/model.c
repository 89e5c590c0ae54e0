/* model.c - evaluate configuration items into facts (see model.h). */
#include "config.h"

#include <errno.h>

#include "cgisetup/model.h"
#include "cgisetup/util.h"

int
model_init(struct model *m, const char *default_server_root)
{
	*m = (struct model){ 0 };
	m->active[0] = true;
	m->server_root = strdup(default_server_root ? default_server_root : "/");
	return m->server_root ? 0 : -ENOMEM;
}

static void
module_list_free(struct model_module *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].path);
		free(v[i].file);
	}
	free(v);
}

void
model_release(struct model *m)
{
	free(m->server_root);
	free(m->document_root);
	free(m->vhost_document_root);
	free(m->listen);
	free(m->user);
	free(m->group);
	free(m->error_log);
	strv_free(m->files);
	strv_free(m->defines);
	strv_free(m->var_names);
	strv_free(m->var_values);
	for (size_t i = 0; i < m->n_aliases; i++) {
		free(m->aliases[i].directive);
		free(m->aliases[i].url);
		free(m->aliases[i].path);
		free(m->aliases[i].file);
	}
	free(m->aliases);
	module_list_free(m->loaded, m->n_loaded);
	module_list_free(m->commented, m->n_commented);
	for (unsigned i = 0; i < MODEL_MAX_DEPTH; i++)
		free(m->section[i]);
	for (unsigned i = 0; i < m->n_files_open; i++)
		free(m->file_stack[i]);
	*m = (struct model){ 0 };
}

int
model_set_var(struct model *m, const char *name, const char *value)
{
	for (size_t i = 0; m->var_names && m->var_names[i]; i++) {
		if (streq(m->var_names[i], name)) {
			char *v = strdup(value);

			if (!v)
				return -ENOMEM;
			free(m->var_values[i]);
			m->var_values[i] = v;
			return 0;
		}
	}
	if (strv_extend(&m->var_names, name) < 0)
		return -ENOMEM;
	return strv_extend(&m->var_values, value);
}

int
model_define(struct model *m, const char *name, const char *value)
{
	int r = 0;

	if (!strv_contains(m->defines, name))
		r = strv_extend(&m->defines, name);
	if (r >= 0 && value)
		r = model_set_var(m, name, value);
	return r;
}

int
model_enter_file(struct model *m, const char *path)
{
	if (m->n_files_open >= MODEL_MAX_DEPTH)
		return -ELOOP;
	m->file_stack[m->n_files_open] = strdup(path);
	if (!m->file_stack[m->n_files_open])
		return -ENOMEM;
	m->n_files_open++;
	return strv_extend(&m->files, path);
}

void
model_leave_file(struct model *m)
{
	if (m->n_files_open > 0)
		free(m->file_stack[--m->n_files_open]);
}

static const char *
current_file(const struct model *m)
{
	return m->n_files_open ? m->file_stack[m->n_files_open - 1] : "";
}

static const char *
var_lookup(const struct model *m, const char *name, size_t len)
{
	for (size_t i = 0; m->var_names && m->var_names[i]; i++)
		if (strlen(m->var_names[i]) == len && strncmp(m->var_names[i], name, len) == 0)
			return m->var_values[i];
	return NULL;
}

char *
model_expand(const struct model *m, const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = s;

	while (*p) {
		const char *end = NULL, *val = NULL;

		if (p[0] == '$' && p[1] == '{')
			end = strchr(p + 2, '}');
		if (end)
			val = var_lookup(m, p + 2, (size_t)(end - p - 2));
		if (val) {
			if (strbuf_adds(&sb, val) < 0)
				goto oom;
			p = end + 1;
			continue;
		}
		if (strbuf_add(&sb, p, 1) < 0)
			goto oom;
		p++;
	}
	return strbuf_detach(&sb);
oom:
	strbuf_release(&sb);
	return NULL;
}

char *
model_resolve(const struct model *m, const char *path)
{
	if (path[0] == '/')
		return strdup(path);
	return path_join(m->server_root, path);
}

bool
model_has_module(const struct model *m, const char *name)
{
	for (size_t i = 0; i < m->n_loaded; i++) {
		const char *mod = m->loaded[i].name, *base;
		_cleanup_free_ char *source = NULL;

		if (streq(mod, name))
			return true;
		base = endswith(mod, "_module") ? mod : NULL;
		if (!base)
			continue;
		source = strdup_printf("mod_%.*s.c", (int)(strlen(mod) - 7), mod);
		if (source && streq(source, name))
			return true;
	}
	return false;
}

/* The truth of an <IfModule>/<IfDefine> argument such as "!mod_cgi.c". */
static bool
condition_true(const struct model *m, bool is_module, const char *arg)
{
	bool negate = arg[0] == '!';
	bool holds;

	if (negate)
		arg++;
	holds = is_module ? model_has_module(m, arg) : strv_contains(m->defines, arg);
	return holds != negate;
}

static int
section_open(struct model *m, const struct scan_item *it)
{
	bool active = m->active[m->depth];
	const char *arg = it->args[0] ? it->args[0] : "";

	if (m->depth + 1 >= MODEL_MAX_DEPTH)
		return -ELOOP;
	if (strcaseeq(it->name, "IfModule"))
		active = active && condition_true(m, true, arg);
	else if (strcaseeq(it->name, "IfDefine"))
		active = active && condition_true(m, false, arg);
	m->depth++;
	m->active[m->depth] = active;
	free(m->section[m->depth]);
	m->section[m->depth] = strdup(it->name);
	if (strcaseeq(it->name, "VirtualHost") && m->vhost_level == 0)
		m->vhost_level = m->depth;
	return m->section[m->depth] ? 0 : -ENOMEM;
}

static void
section_close(struct model *m)
{
	if (m->depth == 0)
		return; /* unbalanced: httpd would refuse; detection goes on */
	if (m->vhost_level == m->depth)
		m->vhost_level = 0;
	m->depth--;
}

static int
set_once(char **field, const char *value)
{
	if (*field || !value)
		return 0;
	*field = strdup(value);
	return *field ? 0 : -ENOMEM;
}

static int
module_add(struct model_module **v, size_t *n, struct model_module mod)
{
	struct model_module *nv = realloc(*v, (*n + 1) * sizeof(**v));

	if (!nv || !mod.name || !mod.path || !mod.file) {
		free(mod.name);
		free(mod.path);
		free(mod.file);
		if (nv)
			*v = nv;
		return -ENOMEM;
	}
	nv[(*n)++] = mod;
	*v = nv;
	return 0;
}

static unsigned
commented_ordinal(const struct model *m, const char *name, const char *file)
{
	unsigned k = 1;

	for (size_t i = 0; i < m->n_commented; i++)
		if (streq(m->commented[i].name, name) && streq(m->commented[i].file, file))
			k++;
	return k;
}

/* "#LoadModule cgid_module modules/mod_cgid.so" is a module one could enable. */
static int
feed_comment(struct model *m, const struct scan_item *it)
{
	_cleanup_strv_free_ char **w = NULL;
	const char *rest = startswith(it->name, "LoadModule");
	int r;

	if (!rest || (*rest != ' ' && *rest != '\t'))
		return 0;
	r = scan_split_args(rest, &w);
	if (r < 0)
		return r;
	if (strv_length(w) != 2)
		return 0;
	return module_add(&m->commented, &m->n_commented,
			  (struct model_module){
				  .name = strdup(w[0]),
				  .path = strdup(w[1]),
				  .file = strdup(current_file(m)),
				  .line = it->line,
				  .ordinal = commented_ordinal(m, w[0], current_file(m)),
				  .active = m->active[m->depth],
			  });
}

static int
alias_add(struct model *m, const struct scan_item *it)
{
	struct model_alias *nv;

	if (strv_length(it->args) < 2)
		return 0;
	nv = realloc(m->aliases, (m->n_aliases + 1) * sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	m->aliases = nv;
	nv[m->n_aliases] = (struct model_alias){
		.directive = strdup(it->name),
		.url = strdup(it->args[0]),
		.path = strdup(it->args[1]),
		.file = strdup(current_file(m)),
		.line = it->line,
	};
	m->n_aliases++;
	return 0;
}

static bool
is_alias_directive(const char *name)
{
	static const char *const names[] = { "Alias", "ScriptAlias", "AliasMatch",
					     "ScriptAliasMatch", NULL };

	return strv_contains_case((char **)names, name);
}

typedef int (*directive_handler)(struct model *m, char **args, char **ret_include,
				 bool *ret_optional);

static int
on_server_root(struct model *m, char **args, char **inc _unused_, bool *opt _unused_)
{
	char *v = strdup(args[0]);

	if (!v)
		return -ENOMEM;
	free(m->server_root);
	m->server_root = v;
	return 0;
}

static int
on_document_root(struct model *m, char **args, char **inc _unused_, bool *opt _unused_)
{
	if (m->vhost_level)
		return set_once(&m->vhost_document_root, args[0]);
	free(m->document_root);
	m->document_root = NULL;
	return set_once(&m->document_root, args[0]);
}

static int
on_listen(struct model *m, char **args, char **inc _unused_, bool *opt _unused_)
{
	return set_once(&m->listen, args[0]);
}

static int
on_user(struct model *m, char **args, char **inc _unused_, bool *opt _unused_)
{
	return m->vhost_level ? 0 : set_once(&m->user, args[0]);
}

static int
on_group(struct model *m, char **args, char **inc _unused_, bool *opt _unused_)
{
	return m->vhost_level ? 0 : set_once(&m->group, args[0]);
}

static int
on_error_log(struct model *m, char **args, char **inc _unused_, bool *opt _unused_)
{
	if (m->vhost_level)
		return 0;
	free(m->error_log);
	m->error_log = NULL;
	return set_once(&m->error_log, args[0]);
}

static int
on_define(struct model *m, char **args, char **inc _unused_, bool *opt _unused_)
{
	return model_define(m, args[0], args[1]);
}

static int
on_load_module(struct model *m, char **args, char **inc _unused_, bool *opt _unused_)
{
	if (!args[1])
		return 0;
	return module_add(&m->loaded, &m->n_loaded,
			  (struct model_module){
				  .name = strdup(args[0]),
				  .path = strdup(args[1]),
				  .file = strdup(current_file(m)),
				  .active = true,
			  });
}

static int
on_include(struct model *m, char **args, char **ret_include, bool *ret_optional)
{
	*ret_include = model_resolve(m, args[0]);
	*ret_optional = false;
	return *ret_include ? 0 : -ENOMEM;
}

static int
on_include_optional(struct model *m, char **args, char **ret_include, bool *ret_optional)
{
	int r = on_include(m, args, ret_include, ret_optional);

	*ret_optional = true;
	return r;
}

static const struct {
	const char *name;
	directive_handler handler;
} directive_table[] = {
	{ "ServerRoot", on_server_root },
	{ "DocumentRoot", on_document_root },
	{ "Listen", on_listen },
	{ "User", on_user },
	{ "Group", on_group },
	{ "ErrorLog", on_error_log },
	{ "Define", on_define },
	{ "LoadModule", on_load_module },
	{ "Include", on_include },
	{ "IncludeOptional", on_include_optional },
};

static int
feed_directive(struct model *m, const struct scan_item *it, char **ret_include,
	       bool *ret_optional)
{
	_cleanup_strv_free_ char **args = NULL;

	if (!it->args[0])
		return 0;
	for (size_t i = 0; it->args[i]; i++) {
		int r = strv_push(&args, model_expand(m, it->args[i]));

		if (r < 0)
			return r;
	}
	for (size_t i = 0; i < ELEMENTSOF(directive_table); i++)
		if (strcaseeq(it->name, directive_table[i].name))
			return directive_table[i].handler(m, args, ret_include, ret_optional);
	return 0;
}

int
model_feed(struct model *m, const struct scan_item *it, char **ret_include, bool *ret_optional)
{
	*ret_include = NULL;
	switch (it->kind) {
	case SCAN_COMMENT:
		return feed_comment(m, it);
	case SCAN_SECTION_OPEN:
		return section_open(m, it);
	case SCAN_SECTION_CLOSE:
		section_close(m);
		return 0;
	case SCAN_DIRECTIVE:
		break;
	}
	if (is_alias_directive(it->name)) {
		int r = alias_add(m, it);

		if (r < 0)
			return r;
	}
	if (!m->active[m->depth])
		return 0;
	return feed_directive(m, it, ret_include, ret_optional);
}
