/* model.c - evaluate configuration items into facts (see model.h). */
#include "config.h"

#include <ctype.h>
#include <errno.h>

#include "cgisetup/diag.h"
#include "cgisetup/model.h"
#include "cgisetup/util.h"

int
model_init(struct model *m, const char *default_server_root)
{
	*m = (struct model){ 0 };
	m->active[0] = true;
	m->section_at[0] = -1;
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
model_drop_scopes(struct model *m)
{
	for (size_t i = 0; i < m->n_sections; i++) {
		free(m->sections[i].arg);
		free(m->sections[i].written);
	}
	free(m->sections);
	for (size_t i = 0; i < m->n_directives; i++) {
		free(m->directives[i].name);
		strv_free(m->directives[i].args);
	}
	free(m->directives);
	for (size_t i = 0; i < m->n_vhosts; i++) {
		free(m->vhosts[i].addrs);
		free(m->vhosts[i].server_name);
		strv_free(m->vhosts[i].aliases);
		free(m->vhosts[i].document_root);
		free(m->vhosts[i].error_log);
	}
	free(m->vhosts);
	m->sections = NULL;
	m->directives = NULL;
	m->vhosts = NULL;
	m->n_sections = m->cap_sections = 0;
	m->n_directives = m->cap_directives = 0;
	m->n_vhosts = 0;
}

void
model_release(struct model *m)
{
	free(m->server_root);
	free(m->document_root);
	free(m->vhost_document_root);
	free(m->listen);
	strv_free(m->listens);
	free(m->userdir_disabled);
	free(m->user);
	free(m->group);
	free(m->error_log);
	free(m->script_sock);
	free(m->runtime_dir);
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
	model_drop_scopes(m);
	strv_free(m->assumed_modules);
	strv_free(m->warnings);
	for (unsigned i = 0; i < MODEL_MAX_DEPTH; i++)
		free(m->section[i]);
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
	int r;

	if (m->n_files_open >= MODEL_MAX_DEPTH)
		return -ELOOP;
	r = strv_push_n(&m->files, &m->n_files, strdup(path));
	if (r < 0)
		return r;
	/* the records of this file share its name, owned by m->files */
	m->file_depth[m->n_files_open] = m->depth;
	m->file_stack[m->n_files_open++] = m->files[m->n_files - 1];
	return 0;
}

static void section_close(struct model *m);

static void
model_warn(struct model *m, char *msg)
{
	/* a warning that cannot be stored is lost, not a failure */
	if (msg)
		strv_push(&m->warnings, msg);
}

void
model_leave_file(struct model *m)
{
	/* Apache wants every section closed in the file that opened it: one
	 * left open would swallow what the including file says next */
	while (m->n_files_open > 0 && m->depth > m->file_depth[m->n_files_open - 1]) {
		model_warn(m, diag_strdup(N_("'<%s>' opened in '%s' line %u is not closed in that "
					     "file: Apache refuses it"), m->section[m->depth],
					    m->file_stack[m->n_files_open - 1],
					    m->section_line[m->depth]));
		section_close(m);
	}
	if (m->n_files_open > 0)
		m->n_files_open--;
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

	if (!strstr(s, "${"))
		return strdup(s);
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

/* Whether module MOD ("cgid_module") is NAME, as <IfModule> names it:
 * "cgid_module" or its source file "mod_cgid.c". */
static bool
module_is(const char *mod, const char *name)
{
	size_t n = strlen(mod);
	const char *rest;

	if (streq(mod, name))
		return true;
	if (!endswith(mod, "_module"))
		return false;
	rest = startswith(name, "mod_");
	return rest && strlen(rest) == n - 7 + 2 && strncmp(rest, mod, n - 7) == 0 &&
	       streq(rest + n - 7, ".c");
}

bool
model_has_module(const struct model *m, const char *name)
{
	for (size_t i = 0; i < m->n_loaded; i++)
		if (module_is(m->loaded[i].name, name))
			return true;
	return false;
}

int
model_assume_module(struct model *m, const char *name)
{
	return strv_extend(&m->assumed_modules, name);
}

/* Whether NAME ("cgid_module" or "mod_cgid.c") is among the assumed. */
static bool
assumed(const struct model *m, const char *name)
{
	for (size_t i = 0; m->assumed_modules && m->assumed_modules[i]; i++)
		if (module_is(m->assumed_modules[i], name))
			return true;
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
	holds = is_module ? model_has_module(m, arg) || assumed(m, arg)
			  : strv_contains(m->defines, arg);
	return holds != negate;
}

/* The kind of a scoping section by its name, and whether it is a regex. */
static bool
section_kind(const char *name, char *const *args, enum model_section_kind *kind, bool *regex)
{
	static const struct {
		const char *name;
		enum model_section_kind kind;
		bool regex;
	} kinds[] = {
		{ "Directory", MODEL_SEC_DIRECTORY, false },
		{ "DirectoryMatch", MODEL_SEC_DIRECTORY, true },
		{ "Location", MODEL_SEC_LOCATION, false },
		{ "LocationMatch", MODEL_SEC_LOCATION, true },
		{ "Files", MODEL_SEC_FILES, false },
		{ "FilesMatch", MODEL_SEC_FILES, true },
		{ "Proxy", MODEL_SEC_OTHER, false },
		{ "ProxyMatch", MODEL_SEC_OTHER, true },
		{ "If", MODEL_SEC_OTHER, false },
		{ "ElseIf", MODEL_SEC_OTHER, false },
		{ "Else", MODEL_SEC_OTHER, false },
		{ "Limit", MODEL_SEC_OTHER, false },
		{ "LimitExcept", MODEL_SEC_OTHER, false },
	};

	for (size_t i = 0; i < ELEMENTSOF(kinds); i++)
		if (strcaseeq(name, kinds[i].name)) {
			*kind = kinds[i].kind;
			*regex = kinds[i].regex || (args[0] && streq(args[0], "~"));
			return true;
		}
	return false;
}

static int
grow(void **v, size_t *cap, size_t n, size_t size)
{
	void *nv;

	if (n < *cap)
		return 0;
	nv = realloc(*v, (*cap ? *cap * 2 : 64) * size);
	if (!nv)
		return -ENOMEM;
	*v = nv;
	*cap = *cap ? *cap * 2 : 64;
	return 0;
}

static int
current_vhost(const struct model *m)
{
	return m->vhost_level ? (int)m->n_vhosts - 1 : -1;
}

/* Record a scoping section; its index goes on the section stack. */
static int
section_record(struct model *m, const struct scan_item *it, bool active)
{
	enum model_section_kind kind;
	bool regex;
	const char *arg;

	m->section_at[m->depth] = -1;
	if (!section_kind(it->name, it->args, &kind, &regex))
		return 0;
	if (grow((void **)&m->sections, &m->cap_sections, m->n_sections, sizeof(*m->sections)) < 0)
		return -ENOMEM;
	arg = it->args[0] && streq(it->args[0], "~") ? it->args[1] : it->args[0];
	m->sections[m->n_sections] = (struct model_section){
		.kind = kind, .regex = regex, .vhost = current_vhost(m), .line = it->line,
		.active = active, .arg = model_expand(m, arg ? arg : ""),
		.written = strdup(arg ? arg : ""), .file = current_file(m),
	};
	if (!m->sections[m->n_sections].arg || !m->sections[m->n_sections].written) {
		free(m->sections[m->n_sections].arg);
		free(m->sections[m->n_sections].written);
		return -ENOMEM;
	}
	m->section_at[m->depth] = (int)m->n_sections++;
	return 0;
}

static int
vhost_record(struct model *m, const struct scan_item *it, bool active)
{
	struct model_vhost *nv = realloc(m->vhosts, (m->n_vhosts + 1) * sizeof(*nv));
	struct strbuf addrs = STRBUF_INIT;

	if (!nv)
		return -ENOMEM;
	m->vhosts = nv;
	for (size_t i = 0; it->args[i]; i++)
		if (strbuf_addf(&addrs, "%s%s", i ? " " : "", it->args[i]) < 0) {
			strbuf_release(&addrs);
			return -ENOMEM;
		}
	nv[m->n_vhosts] = (struct model_vhost){ .addrs = strbuf_detach(&addrs),
						.file = current_file(m),
						.line = it->line, .active = active };
	if (!nv[m->n_vhosts].addrs)
		return -ENOMEM;
	m->n_vhosts++;
	return 0;
}

static bool
is_authz_block(const char *name)
{
	return strcaseeq(name, "RequireAll") || strcaseeq(name, "RequireAny") ||
	       strcaseeq(name, "RequireNone");
}

static int
section_open(struct model *m, const struct scan_item *it)
{
	bool active = m->active[m->depth];
	const char *arg = it->args[0] ? it->args[0] : "";
	int r = 0;

	if (m->depth + 1 >= MODEL_MAX_DEPTH)
		return -ELOOP;
	if (strcaseeq(it->name, "IfModule"))
		active = active && condition_true(m, true, arg);
	else if (strcaseeq(it->name, "IfDefine"))
		active = active && condition_true(m, false, arg);
	m->depth++;
	m->active[m->depth] = active;
	m->section_line[m->depth] = it->line;
	free(m->section[m->depth]);
	m->section[m->depth] = strdup(it->name);
	if (strcaseeq(it->name, "VirtualHost") && m->vhost_level == 0) {
		r = vhost_record(m, it, active);
		m->vhost_level = m->depth;
	}
	if (is_authz_block(it->name))
		m->authz_depth++;
	if (r >= 0)
		r = section_record(m, it, active);
	if (r < 0)
		return r;
	return m->section[m->depth] ? 0 : -ENOMEM;
}

static void
section_close(struct model *m)
{
	if (m->depth == 0)
		return;
	if (m->vhost_level == m->depth)
		m->vhost_level = 0;
	if (m->section[m->depth] && is_authz_block(m->section[m->depth]) && m->authz_depth)
		m->authz_depth--;
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
		.vhost = current_vhost(m),
		.active = m->active[m->depth],
	};
	/* out of memory: no alias with a NULL field (gcc -fanalyzer) */
	if (!nv[m->n_aliases].directive || !nv[m->n_aliases].url || !nv[m->n_aliases].path ||
	    !nv[m->n_aliases].file) {
		free(nv[m->n_aliases].directive);
		free(nv[m->n_aliases].url);
		free(nv[m->n_aliases].path);
		free(nv[m->n_aliases].file);
		return -ENOMEM;
	}
	m->n_aliases++;
	return 0;
}

/* Directives whose scope decides CGI, access or a URL (see effective.h). */
static bool
is_recorded_directive(const char *name)
{
	static const char *const names[] = {
		"Options", "AddHandler", "SetHandler", "RemoveHandler", "Require",
		"AuthType", "Order", "Allow", "Deny", "Satisfy", "Redirect",
		"RedirectMatch", "RedirectPermanent", "RedirectTemp", "RewriteRule",
		"ProxyPass", "ProxyPassMatch", "SuexecUserGroup", NULL
	};

	return strv_contains_case((char **)names, name);
}

static int
innermost_section(const struct model *m)
{
	for (unsigned d = m->depth; d > 0; d--)
		if (m->section_at[d] >= 0)
			return m->section_at[d];
	return -1;
}

static int
directive_record(struct model *m, const struct scan_item *it)
{
	struct model_directive *dv;

	if (grow((void **)&m->directives, &m->cap_directives, m->n_directives,
		 sizeof(*m->directives)) < 0)
		return -ENOMEM;
	dv = &m->directives[m->n_directives];
	*dv = (struct model_directive){
		.name = strdup(it->name), .file = current_file(m), .line = it->line,
		.section = innermost_section(m), .vhost = current_vhost(m),
		.in_authz_block = m->authz_depth > 0, .active = m->active[m->depth],
	};
	/* Never NULL, also for a directive without arguments ("Require" alone,
	 * which Apache refuses but a file it never read may hold): every
	 * reader looks at args[0] (found by fuzz-config: effective.c
	 * dereferenced a NULL vector) */
	dv->args = calloc(1, sizeof(char *));
	for (size_t i = 0; dv->args && it->args[i]; i++)
		if (strv_push(&dv->args, model_expand(m, it->args[i])) < 0)
			break;
	if (!dv->name || !dv->args || strv_length(dv->args) != strv_length(it->args)) {
		free(dv->name);
		strv_free(dv->args);
		return -ENOMEM;
	}
	m->n_directives++;
	return 0;
}

/* ServerName inside a <VirtualHost> names it. */
static int
vhost_name(struct model *m, const struct scan_item *it)
{
	struct model_vhost *v;

	if (!m->vhost_level || !m->n_vhosts || !it->args[0])
		return 0;
	v = &m->vhosts[m->n_vhosts - 1];
	if (v->server_name)
		return 0;
	v->server_name = model_expand(m, it->args[0]);
	return v->server_name ? 0 : -ENOMEM;
}

/* UserDir of the main server: "disabled" alone turns it off for every
 * user; "enabled NAMES" (or any directory name) turns it on again. */
static int
userdir_note(struct model *m, const struct scan_item *it)
{
	bool off = it->args[0] && strcaseeq(it->args[0], "disabled") && !it->args[1];

	if (m->vhost_level || !it->args[0])
		return 0;
	free(m->userdir_disabled);
	m->userdir_disabled = NULL;
	if (!off)
		return 0;
	m->userdir_disabled = strdup_printf("'UserDir disabled' in '%s' line %u", current_file(m),
					    it->line);
	return m->userdir_disabled ? 0 : -ENOMEM;
}

/* ServerAlias and SSLEngine inside a <VirtualHost> (the first level). */
static int
vhost_extra(struct model *m, const struct scan_item *it)
{
	struct model_vhost *v;

	if (!m->vhost_level || !m->n_vhosts || !it->args[0])
		return 0;
	v = &m->vhosts[m->n_vhosts - 1];
	if (strcaseeq(it->name, "SSLEngine")) {
		v->tls = strcaseeq(it->args[0], "on");
		return 0;
	}
	for (size_t i = 0; it->args[i]; i++) {
		int r = strv_push(&v->aliases, model_expand(m, it->args[i]));

		if (r < 0)
			return r;
	}
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
	if (m->vhost_level) {
		if (m->n_vhosts && !m->vhosts[m->n_vhosts - 1].document_root &&
		    set_once(&m->vhosts[m->n_vhosts - 1].document_root, args[0]) < 0)
			return -ENOMEM;
		return set_once(&m->vhost_document_root, args[0]);
	}
	free(m->document_root);
	m->document_root = NULL;
	return set_once(&m->document_root, args[0]);
}

static int
on_listen(struct model *m, char **args, char **inc _unused_, bool *opt _unused_)
{
	int r = strv_push(&m->listens, args[1] ? strdup_printf("%s %s", args[0], args[1])
					       : strdup(args[0]));

	return r < 0 ? r : set_once(&m->listen, args[0]);
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
	/* a vhost's own: the requests it serves log there (the last wins) */
	if (m->vhost_level) {
		if (!m->n_vhosts)
			return 0;
		free(m->vhosts[m->n_vhosts - 1].error_log);
		m->vhosts[m->n_vhosts - 1].error_log = NULL;
		return set_once(&m->vhosts[m->n_vhosts - 1].error_log, args[0]);
	}
	free(m->error_log);
	m->error_log = NULL;
	return set_once(&m->error_log, args[0]);
}

/* ScriptSock and DefaultRuntimeDir: the server's, the last one wins */
static int
on_script_sock(struct model *m, char **args, char **inc _unused_, bool *opt _unused_)
{
	if (m->vhost_level)
		return 0;
	free(m->script_sock);
	m->script_sock = NULL;
	return set_once(&m->script_sock, args[0]);
}

static int
on_runtime_dir(struct model *m, char **args, char **inc _unused_, bool *opt _unused_)
{
	if (m->vhost_level)
		return 0;
	free(m->runtime_dir);
	m->runtime_dir = NULL;
	return set_once(&m->runtime_dir, args[0]);
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
	{ "ScriptSock", on_script_sock },
	{ "DefaultRuntimeDir", on_runtime_dir },
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
		if (tolower((unsigned char)it->name[0]) ==
			    tolower((unsigned char)directive_table[i].name[0]) &&
		    strcaseeq(it->name, directive_table[i].name))
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
		if (m->n_files_open && m->depth <= m->file_depth[m->n_files_open - 1]) {
			/* unbalanced: httpd would refuse; detection goes on */
			model_warn(m, diag_strdup(N_("'</%s>' in '%s' line %u closes no open "
						     "section: Apache refuses it"), it->name,
						  current_file(m),
						    it->line));
			return 0;
		}
		section_close(m);
		return 0;
	case SCAN_DIRECTIVE:
		break;
	}
	if (is_alias_directive(it->name)) {
		int r = alias_add(m, it);

		if (r < 0)
			return r;
	} else if (is_recorded_directive(it->name)) {
		int r = directive_record(m, it);

		if (r < 0)
			return r;
	} else if (strcaseeq(it->name, "ServerName") && m->active[m->depth]) {
		int r = vhost_name(m, it);

		if (r < 0)
			return r;
	} else if (strcaseeq(it->name, "UserDir") && m->active[m->depth]) {
		int r = userdir_note(m, it);

		if (r < 0)
			return r;
	} else if ((strcaseeq(it->name, "ServerAlias") || strcaseeq(it->name, "SSLEngine")) &&
		   m->active[m->depth]) {
		int r = vhost_extra(m, it);

		if (r < 0)
			return r;
	}
	if (!m->active[m->depth])
		return 0;
	return feed_directive(m, it, ret_include, ret_optional);
}

static bool
vhost_file_is(const struct model_vhost *v, const char *name)
{
	const char *base = strrchr(v->file, '/');
	size_t n = strlen(name);

	base = base ? base + 1 : v->file;
	return streq(base, name) || (strncmp(base, name, n) == 0 && streq(base + n, ".conf"));
}

static bool
vhost_named(const struct model_vhost *v, const char *name)
{
	return (v->server_name && strcaseeq(v->server_name, name)) ||
	       strv_contains_case(v->aliases, name) || vhost_file_is(v, name);
}

/* Whether vhost I shares its ServerName with a vhost NAME names directly:
 * one site's copies (:80 and certbot's :443) are one choice, whichever
 * name (an alias only one copy has, the site file) picked it. */
static bool
vhost_same_site(const struct model *m, size_t i, const char *name)
{
	const char *sn = m->vhosts[i].server_name;

	if (!sn)
		return false;
	for (size_t j = 0; j < m->n_vhosts; j++)
		if (m->vhosts[j].active && m->vhosts[j].server_name &&
		    strcaseeq(m->vhosts[j].server_name, sn) && vhost_named(&m->vhosts[j], name))
			return true;
	return false;
}

int
model_find_vhosts(const struct model *m, const char *name, size_t **ret, size_t *ret_n)
{
	size_t *v = NULL, n = 0;

	for (size_t i = 0; i < m->n_vhosts; i++) {
		size_t *nv;

		if (!m->vhosts[i].active || (!vhost_named(&m->vhosts[i], name) &&
					     !vhost_same_site(m, i, name)))
			continue;
		nv = realloc(v, (n + 1) * sizeof(*v));
		if (!nv) {
			free(v);
			return -ENOMEM;
		}
		v = nv;
		v[n++] = i;
	}
	*ret = v;
	*ret_n = n;
	return 0;
}

int
model_request_vhost(const struct model *m, const char *name, unsigned port)
{
	int dflt = -1;

	for (size_t i = 0; i < m->n_vhosts; i++) {
		unsigned p = model_vhost_port(m, i);

		if (!m->vhosts[i].active || (p && p != port))
			continue;
		if (name && ((m->vhosts[i].server_name && strcaseeq(m->vhosts[i].server_name, name))
			     || strv_contains_case(m->vhosts[i].aliases, name)))
			return (int)i;
		if (dflt < 0)
			dflt = (int)i;
	}
	return dflt;
}

unsigned
model_vhost_ordinal(const struct model *m, size_t i)
{
	unsigned k = 1;

	for (size_t j = 0; j < i; j++)
		if (streq(m->vhosts[j].file, m->vhosts[i].file))
			k++;
	return k;
}

unsigned
model_vhost_port(const struct model *m, size_t i)
{
	const char *a = m->vhosts[i].addrs;
	size_t n = strcspn(a, " ");
	const char *colon = memrchr(a, ':', n);

	return colon ? (unsigned)strtoul(colon + 1, NULL, 10) : 0;
}

static int
script_sock_cb(const struct scan_item *it, void *userdata)
{
	struct model *m = userdata;

	if (it->kind != SCAN_DIRECTIVE || !strcaseeq(it->name, "ScriptSock") || !it->args[0])
		return 0;
	free(m->script_sock);
	m->script_sock = model_expand(m, it->args[0]);
	return m->script_sock ? 0 : -ENOMEM;
}

int
model_feed_script_sock(struct model *m, const char *text, size_t len)
{
	if (m->script_sock)
		return 0;
	return scan_text(text, len, script_sock_cb, m);
}

char *
model_cgid_socket(const struct model *m)
{
	const char *sock = m->script_sock ? m->script_sock : "cgisock";
	_cleanup_free_ char *dir = NULL;

	if (sock[0] == '/')
		return strdup(sock);
	dir = model_resolve(m, m->runtime_dir ? m->runtime_dir : "logs");
	return dir ? path_join(dir, sock) : NULL;
}
