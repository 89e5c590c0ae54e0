/* confedit.c - Apache configuration through libaugeas (see confedit.h).
 *
 * Tree facts this file relies on (RESEARCH-apache.md, section 4): a section
 * is a node labelled with its name as written (case kept), whose first
 * children are its "arg" nodes; a directive is a node labelled "directive"
 * whose value is its name; argument values keep their quotes; comments
 * are "#comment" nodes. New nodes are reached through Augeas variables
 * ($cgs_*), which keep pointing at a node when siblings move or it is
 * renamed.
 */
#include "config.h"

#include <augeas.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <strings.h>

#include "cgisetup/confedit.h"
#include "cgisetup/scan.h"
#include "cgisetup/util.h"

struct confedit {
	augeas *aug;
	char *dir_written; /* DIR's section argument as written ("${TOOLS}") */
	char **from_text;  /* files parsed from text given by the caller */
};

static void
free_matches(char **m, int n)
{
	for (int i = 0; i < n; i++)
		free(m[i]);
	free(m);
}

/* "/files" + PATH with every component escaped for a path expression. */
static char *
tree_path(struct confedit *ce, const char *prefix, const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	_cleanup_free_ char *copy = strdup(path);
	char *save = NULL;

	if (!copy || strbuf_adds(&sb, prefix) < 0)
		goto oom;
	for (char *c = strtok_r(copy, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		_cleanup_free_ char *esc = NULL;

		if (aug_escape_name(ce->aug, c, &esc) < 0)
			goto oom;
		if (strbuf_addf(&sb, "/%s", esc ? esc : c) < 0)
			goto oom;
	}
	return strbuf_detach(&sb);
oom:
	strbuf_release(&sb);
	return NULL;
}

static int
aug_failure(struct confedit *ce, const char *what, struct diag *d)
{
	const char *minor = aug_error_minor_message(ce->aug);

	return diag_fail(d, EIO, N_("augeas: %s: %s%s%s"), what, aug_error_message(ce->aug),
			 minor ? ": " : "", minor ? minor : "");
}

int
confedit_open(const char *root, char *const *files, struct confedit **ret, struct diag *d)
{
	_cleanup_free_ struct confedit *ce = calloc(1, sizeof(*ce));

	if (!ce)
		return -ENOMEM;
	ce->aug = aug_init(*root ? root : "/", NULL, AUG_NO_MODL_AUTOLOAD | AUG_NO_ERR_CLOSE);
	if (!ce->aug || aug_error(ce->aug) != AUG_NOERROR) {
		if (ce->aug)
			aug_close(ce->aug);
		return diag_fail(d, EIO, N_("cannot initialise augeas"));
	}
	if (aug_set(ce->aug, "/augeas/load/Httpd/lens", "Httpd.lns") < 0)
		goto fail;
	for (size_t i = 0; files && files[i]; i++)
		if (aug_set(ce->aug, "/augeas/load/Httpd/incl[last()+1]", files[i]) < 0)
			goto fail;
	if (aug_load(ce->aug) < 0)
		goto fail;
	*ret = TAKE_PTR(ce);
	return 0;
fail:
	aug_failure(ce, "load", d);
	aug_close(ce->aug);
	return -EIO;
}

void
confedit_close(struct confedit *ce)
{
	if (!ce)
		return;
	aug_close(ce->aug);
	free(ce->dir_written);
	strv_free(ce->from_text);
	free(ce);
}

static const char *
get_value(struct confedit *ce, const char *path)
{
	const char *v = NULL;

	if (aug_get(ce->aug, path, &v) != 1)
		return NULL;
	return v;
}

int
confedit_load_text(struct confedit *ce, const char *file, const char *text, struct diag *d)
{
	_cleanup_free_ char *tree = tree_path(ce, "/files", file);
	_cleanup_free_ char *node = tree_path(ce, "/text", file);

	if (!tree || !node || strv_extend(&ce->from_text, file) < 0)
		return -ENOMEM;
	if (aug_rm(ce->aug, tree) < 0 || aug_set(ce->aug, node, text) < 0)
		return aug_failure(ce, file, d);
	if (aug_text_store(ce->aug, "Httpd.lns", node, tree) < 0)
		return diag_usage(d, EBADMSG, N_("cannot parse '%s': %s"), file,
				  aug_error_message(ce->aug));
	return 0;
}

int
confedit_check_parsed(struct confedit *ce, const char *file, struct diag *d)
{
	_cleanup_free_ char *base = tree_path(ce, "/augeas/files", file);
	_cleanup_free_ char *err = NULL, *line = NULL, *msg = NULL, *files = NULL;
	const char *l, *m;

	if (!base)
		return -ENOMEM;
	files = tree_path(ce, "/files", file);
	err = strdup_printf("%s/error", base);
	line = strdup_printf("%s/error/line", base);
	msg = strdup_printf("%s/error/message", base);
	if (!err || !line || !msg || !files)
		return -ENOMEM;
	if (!get_value(ce, err)) {
		if (strv_contains(ce->from_text, file))
			return 0; /* parsed by confedit_load_text, which said so */
		if (aug_match(ce->aug, files, NULL) < 1)
			return diag_usage(d, ENOENT, N_("cannot load '%s' with augeas"), file);
		return 0;
	}
	l = get_value(ce, line);
	m = get_value(ce, msg);
	return diag_usage(d, EBADMSG, N_("cannot parse '%s' line %s: %s"), file, l ? l : "?",
			  m ? m : get_value(ce, err));
}

/* ---- reading the tree into a confview ---- */

static int
match(struct confedit *ce, const char *expr, char ***ret)
{
	int n = aug_match(ce->aug, expr, ret);

	if (n < 0)
		return -EIO;
	return n;
}

/* The arguments of the node at PATH, unquoted. */
static int
read_args(struct confedit *ce, const char *path, char ***ret)
{
	_cleanup_free_ char *expr = strdup_printf("%s/arg", path);
	_cleanup_strv_free_ char **args = NULL;
	char **m = NULL;
	int n, r = 0;

	if (!expr)
		return -ENOMEM;
	n = match(ce, expr, &m);
	for (int i = 0; r >= 0 && i < n; i++) {
		const char *v = get_value(ce, m[i]);
		char *a = strdup(v ? v : "");

		r = strv_push(&args, a ? scan_unquote(a) : NULL);
	}
	free_matches(m, n);
	if (r < 0 || n < 0)
		return r < 0 ? r : n;
	*ret = TAKE_PTR(args);
	return 0;
}

/* The concrete path of the top-level <Directory> section for DIR in FILE. */
static int
find_block(struct confedit *ce, const char *file, const char *dir, char **ret)
{
	_cleanup_free_ char *base = tree_path(ce, "/files", file);
	_cleanup_free_ char *expr = NULL;
	char **m = NULL;
	int n;

	if (!base)
		return -ENOMEM;
	expr = strdup_printf("%s/*[label() =~ regexp('directory', 'i')]", base);
	if (!expr)
		return -ENOMEM;
	n = match(ce, expr, &m);
	for (int i = 0; i < n; i++) {
		_cleanup_free_ char *argp = strdup_printf("%s/arg[1]", m[i]);
		const char *arg = argp ? get_value(ce, argp) : NULL;

		if (arg && !streq(arg, "~") &&
		    (plan_same_dir(arg, dir) ||
		     (ce->dir_written && plan_same_dir(arg, ce->dir_written)))) {
			*ret = strdup(m[i]);
			free_matches(m, n);
			return *ret ? 1 : -ENOMEM;
		}
	}
	free_matches(m, n);
	return n < 0 ? -EIO : 0;
}

/* Record what one directive of the section means for CGI. */
static int
view_directive(struct confedit *ce, const char *path, const char *name, struct confview *v)
{
	_cleanup_strv_free_ char **args = NULL;
	int r = read_args(ce, path, &args);

	if (r < 0)
		return r;
	if (strcaseeq(name, "Options") && !v->has_options) {
		v->has_options = true;
		v->options = TAKE_PTR(args);
	} else if (strcaseeq(name, "Require")) {
		v->has_require = true;
	} else if (strcaseeq(name, "SetHandler") && args[0] && strcaseeq(args[0], "cgi-script")) {
		v->all_handled = true;
	} else if (strcaseeq(name, "AddHandler") && args[0] && strcaseeq(args[0], "cgi-script")) {
		for (size_t i = 1; r >= 0 && args[i]; i++) {
			char *e = args[i][0] == '.' ? strdup(args[i]) : strdup_printf(".%s", args[i]);

			for (char *p = e; p && *p; p++)
				*p = (char)tolower((unsigned char)*p);
			r = strv_push(&v->handled_exts, e);
		}
	}
	return r;
}

static int
view_block(struct confedit *ce, const char *block, struct confview *v)
{
	_cleanup_free_ char *expr = strdup_printf("%s/*", block);
	char **m = NULL;
	int n, r = 0;

	if (!expr)
		return -ENOMEM;
	n = match(ce, expr, &m);
	for (int i = 0; r >= 0 && i < n; i++) {
		const char *label = strrchr(m[i], '/') + 1;
		const char *value = get_value(ce, m[i]);

		if (startswith(label, "#comment") && value && strstr(value, "cgisetup"))
			v->has_marker = true;
		else if (startswith(label, "directive") && value)
			r = view_directive(ce, m[i], value, v);
	}
	free_matches(m, n);
	return n < 0 ? -EIO : r;
}

int
confedit_set_dir_written(struct confedit *ce, const char *written)
{
	char *w = written ? strdup(written) : NULL;

	if (written && !w)
		return -ENOMEM;
	free(ce->dir_written);
	ce->dir_written = w;
	return 0;
}

int
confedit_view(struct confedit *ce, const char *main_config, const char *dir,
	      struct confview *ret, struct diag *d)
{
	_cleanup_free_ char *block = NULL;
	struct confview v = { 0 };
	int r = find_block(ce, main_config, dir, &block);

	if (r > 0) {
		v.block_found = true;
		r = view_block(ce, block, &v);
	}
	if (r < 0) {
		confedit_view_release(&v);
		return r == -ENOMEM ? r : aug_failure(ce, "match", d);
	}
	*ret = v;
	return 0;
}

void
confedit_view_release(struct confview *v)
{
	strv_free(v->options);
	strv_free(v->handled_exts);
	*v = (struct confview){ 0 };
}

/* ---- changing the tree ---- */

/* An argument as it must be written: quoted when it holds a blank. */
static char *
quote_arg(const char *a)
{
	if (*a && !strpbrk(a, " \t"))
		return strdup(a);
	return strdup_printf("\"%s\"", a);
}

/* Give the node $VAR a value and argument children. */
static int
set_node(struct confedit *ce, const char *var, const char *value, const char *const *args)
{
	_cleanup_free_ char *node = strdup_printf("$%s", var);

	if (!node || aug_set(ce->aug, node, value) < 0)
		return -EIO;
	for (size_t i = 0; args && args[i]; i++) {
		_cleanup_free_ char *p = strdup_printf("$%s/arg[%zu]", var, i + 1);
		_cleanup_free_ char *q = quote_arg(args[i]);

		if (!p || !q || aug_set(ce->aug, p, q) < 0)
			return -EIO;
	}
	return 0;
}

/* Append a LABEL node as the last child of PARENT and bind $VAR to it. */
static int
append_child(struct confedit *ce, const char *parent, const char *label, const char *value,
	     const char *var)
{
	_cleanup_free_ char *p = strdup_printf("%s/%s[last()+1]", parent, label);
	_cleanup_free_ char *last = strdup_printf("%s/%s[last()]", parent, label);

	if (!p || !last || aug_set(ce->aug, p, value) < 0)
		return -EIO;
	return aug_defvar(ce->aug, var, last) == 1 ? 0 : -EIO;
}

static int
append_directive(struct confedit *ce, const char *parent, const char *name,
		 const char *const *args)
{
	int r = append_child(ce, parent, "directive", name, "cgs_dir");

	return r < 0 ? r : set_node(ce, "cgs_dir", name, args);
}

/* Where a change goes: the top level of FILE, or (ORDINAL > 0) inside the
 * ORDINAL-th <VirtualHost> of FILE in the order written, wherever it
 * nests (certbot wraps its copy in <IfModule mod_ssl.c>). */
static char *
change_parent(struct confedit *ce, const char *file, unsigned ordinal)
{
	_cleanup_free_ char *base = tree_path(ce, "/files", file);
	_cleanup_free_ char *expr = NULL;
	char **m = NULL, *parent = NULL;
	int n;

	if (!base || ordinal == 0)
		return TAKE_PTR(base);
	expr = strdup_printf("%s//VirtualHost", base);
	if (!expr)
		return NULL;
	n = match(ce, expr, &m);
	if (n >= (int)ordinal)
		parent = strdup(m[ordinal - 1]);
	free_matches(m, n);
	return parent;
}

static int
add_block(struct confedit *ce, const char *file, unsigned ordinal, const char *dir,
	  char *const *exts, bool grant)
{
	static const char *const options[] = { "+ExecCGI", NULL };
	static const char *const granted[] = { "all", "granted", NULL };
	_cleanup_free_ char *base = change_parent(ce, file, ordinal);
	_cleanup_free_ char *arg = quote_arg(dir);
	_cleanup_strv_free_ char **handler = NULL;
	int r;

	if (!base || !arg || strv_extend(&handler, "cgi-script") < 0)
		return -ENOMEM;
	for (size_t i = 0; exts && exts[i]; i++)
		if (strv_extend(&handler, exts[i]) < 0)
			return -ENOMEM;
	r = append_child(ce, base, "Directory", NULL, "cgs_block");
	if (r >= 0 && aug_set(ce->aug, "$cgs_block/arg", arg) < 0)
		r = -EIO;
	if (r >= 0 && aug_set(ce->aug, "$cgs_block/#comment", CONFEDIT_MARKER) < 0)
		r = -EIO;
	if (r >= 0)
		r = append_directive(ce, "$cgs_block", "Options", options);
	if (r >= 0 && exts && exts[0])
		r = append_directive(ce, "$cgs_block", "AddHandler", (const char *const *)handler);
	if (r >= 0 && grant)
		r = append_directive(ce, "$cgs_block", "Require", granted);
	return r;
}

/* New top-level nodes always go at the end of the file: Augeas gives each
 * node the formatting of the node that held its position among same-label
 * siblings, so an insertion in the middle would re-indent what follows. */
static int
add_alias(struct confedit *ce, const char *file, unsigned ordinal, const char *dir,
	  const char *url, char *const *target)
{
	_cleanup_free_ char *base = change_parent(ce, file, ordinal);
	_cleanup_free_ char *comment = strdup_printf("cgisetup: URL path for %s", dir);
	const char *args[] = { url, target[0], NULL };
	int r;

	if (!base || !comment)
		return -ENOMEM;
	r = append_child(ce, base, "#comment", comment, "cgs_note");
	if (r >= 0)
		r = append_child(ce, base, "directive", "Alias", "cgs_dir");
	return r < 0 ? r : set_node(ce, "cgs_dir", "Alias", args);
}

static int
set_options(struct confedit *ce, const char *block, char *const *args)
{
	_cleanup_free_ char *expr = strdup_printf("%s/directive[. =~ regexp('options', 'i')]", block);
	_cleanup_free_ char *old_args = NULL;
	char **m = NULL;
	int n, r;

	if (!expr)
		return -ENOMEM;
	n = match(ce, expr, &m);
	if (n < 0)
		return -EIO;
	if (n == 0)
		return append_directive(ce, block, "Options", (const char *const *)args);
	old_args = strdup_printf("%s/arg", m[0]);
	r = old_args && aug_defvar(ce->aug, "cgs_dir", m[0]) == 1 ? 0 : -EIO;
	free_matches(m, n);
	if (r >= 0 && aug_rm(ce->aug, old_args) < 0)
		r = -EIO;
	return r < 0 ? r : set_node(ce, "cgs_dir", "Options", (const char *const *)args);
}

static int
add_marker(struct confedit *ce, const char *block)
{
	return append_child(ce, block, "#comment", CONFEDIT_MARKER, "cgs_note");
}

/* A LoadModule line nobody left commented out: at the end of the file,
 * like every node cgisetup adds (see add_alias). */
static int
add_module(struct confedit *ce, const char *file, const char *module, const char *so_path)
{
	_cleanup_free_ char *base = tree_path(ce, "/files", file);
	const char *args[] = { module, so_path, NULL };
	int r;

	if (!base)
		return -ENOMEM;
	r = append_child(ce, base, "#comment", "cgisetup: CGI module", "cgs_note");
	if (r >= 0)
		r = append_child(ce, base, "directive", "LoadModule", "cgs_dir");
	return r < 0 ? r : set_node(ce, "cgs_dir", "LoadModule", args);
}

static int
apply_change(struct confedit *ce, const struct change *c, const char *dir, const char *block)
{
	static const char *const granted[] = { "all", "granted", NULL };
	_cleanup_strv_free_ char **handler = NULL;

	switch (c->kind) {
	case CHANGE_CONF_ALIAS:
		return add_alias(ce, c->path, c->ordinal, dir, c->arg, c->args);
	case CHANGE_CONF_BLOCK:
		return add_block(ce, c->path, c->ordinal, dir, c->args, c->grant);
	case CHANGE_CONF_MARKER:
		return add_marker(ce, block);
	case CHANGE_CONF_OPTIONS:
		return set_options(ce, block, c->args);
	case CHANGE_CONF_HANDLER:
		if (strv_extend(&handler, "cgi-script") < 0)
			return -ENOMEM;
		for (size_t i = 0; c->args[i]; i++)
			if (strv_extend(&handler, c->args[i]) < 0)
				return -ENOMEM;
		return append_directive(ce, block, "AddHandler", (const char *const *)handler);
	case CHANGE_CONF_REQUIRE:
		return append_directive(ce, block, "Require", granted);
	case CHANGE_CONF_MODULE_ADD:
		return add_module(ce, c->path, c->arg, c->args[0]);
	default:
		return 0;
	}
}

int
confedit_apply(struct confedit *ce, const struct plan *p, const char *dir, struct diag *d)
{
	for (size_t i = 0; i < p->n_changes; i++) {
		const struct change *c = &p->changes[i];
		_cleanup_free_ char *block = NULL;
		int r = 0;

		if (c->kind < CHANGE_CONF_ALIAS)
			continue;
		if (c->kind >= CHANGE_CONF_MARKER && c->kind <= CHANGE_CONF_REQUIRE)
			r = find_block(ce, c->path, dir, &block);
		if (r == 0 && !block && c->kind >= CHANGE_CONF_MARKER && c->kind <= CHANGE_CONF_REQUIRE)
			r = -ENOENT;
		if (r >= 0)
			r = apply_change(ce, c, dir, block);
		if (r == -ENOMEM)
			return diag_fail(d, ENOMEM, N_("out of memory"));
		if (r < 0)
			return aug_failure(ce, c->path, d);
	}
	return 0;
}

/* The text of a file loaded by confedit_load_text: put back into the
 * text it was parsed from. */
static int
preview_text(struct confedit *ce, const char *file, const char *tree, char **ret,
	     struct diag *d)
{
	_cleanup_free_ char *node = tree_path(ce, "/text", file);
	_cleanup_free_ char *out = tree_path(ce, "/cgisetup-out", file);
	const char *text;
	char *copy;

	if (!node || !out)
		return -ENOMEM;
	if (aug_text_retrieve(ce->aug, "Httpd.lns", node, tree, out) < 0 ||
	    !(text = get_value(ce, out)))
		return diag_fail(d, EIO, N_("augeas cannot write '%s': %s"), file,
				 aug_error_message(ce->aug));
	copy = strdup(text);
	if (!copy)
		return -ENOMEM;
	*ret = copy;
	return 0;
}

int
confedit_preview(struct confedit *ce, const char *file, char **ret, struct diag *d)
{
	_cleanup_free_ char *path = tree_path(ce, "/files", file);
	_cleanup_free_ char *errp = tree_path(ce, "/augeas/files", file);
	char *out = NULL;

	if (!path || !errp)
		return -ENOMEM;
	if (strv_contains(ce->from_text, file))
		return preview_text(ce, file, path, ret, d);
	if (aug_preview(ce->aug, path, &out) < 0 || !out) {
		_cleanup_free_ char *msg = strdup_printf("%s/error/message", errp);
		const char *m = msg ? get_value(ce, msg) : NULL;

		free(out);
		return diag_fail(d, EIO, N_("augeas cannot write '%s': %s"), file,
				 m ? m : aug_error_message(ce->aug));
	}
	*ret = out;
	return 0;
}

/* ---- removing cgisetup's own nodes (undo, when its lines were edited) ---- */

/* Remove every node EXPR matches; the number removed, or -EIO. */
static int
remove_all(struct confedit *ce, const char *expr)
{
	int n = aug_rm(ce->aug, expr);

	return n < 0 ? -EIO : n;
}

static int
remove_managed_block(struct confedit *ce, const char *file, const char *dir)
{
	_cleanup_free_ char *block = NULL, *marker = NULL;
	int r = find_block(ce, file, dir, &block);

	if (r <= 0)
		return r;
	marker = strdup_printf("%s/#comment[. = '%s']", block, CONFEDIT_MARKER);
	if (!marker)
		return -ENOMEM;
	if (aug_match(ce->aug, marker, NULL) < 1)
		return 0; /* not cgisetup's section */
	return remove_all(ce, block);
}

static int
remove_alias(struct confedit *ce, const char *base, const char *dir, const char *url)
{
	_cleanup_free_ char *comment = strdup_printf("cgisetup: URL path for %s", dir);
	_cleanup_free_ char *expr = NULL, *note = NULL;
	char **m = NULL;
	int n, removed = 0;

	if (!comment)
		return -ENOMEM;
	note = strdup_printf("%s/#comment[. = \"%s\"]", base, comment);
	expr = strdup_printf("%s/directive[. =~ regexp('alias', 'i')][arg[1] = '%s/']", base, url);
	if (!note || !expr)
		return -ENOMEM;
	n = match(ce, expr, &m);
	for (int i = n - 1; i >= 0; i--) {
		_cleanup_free_ char *argp = strdup_printf("%s/arg[2]", m[i]);
		const char *target = argp ? get_value(ce, argp) : NULL;

		if (target && plan_same_dir(target, dir) && aug_rm(ce->aug, m[i]) > 0)
			removed++;
	}
	free_matches(m, n);
	if (removed && remove_all(ce, note) < 0)
		return -EIO;
	return n < 0 ? -EIO : removed;
}

static int
remove_added_module(struct confedit *ce, const char *base)
{
	_cleanup_free_ char *note = strdup_printf("%s/#comment[. = 'cgisetup: CGI module']", base);
	_cleanup_free_ char *line = NULL;
	int r;

	if (!note)
		return -ENOMEM;
	line = strdup_printf("%s/following-sibling::directive[1][. =~ regexp('loadmodule', 'i')]", note);
	if (!line)
		return -ENOMEM;
	r = remove_all(ce, line);
	if (r >= 0)
		r = remove_all(ce, note);
	return r;
}

int
confedit_remove_managed(struct confedit *ce, const char *file, const char *dir, const char *url,
			struct diag *d)
{
	_cleanup_free_ char *base = tree_path(ce, "/files", file);
	int r, removed = 0;

	if (!base)
		return -ENOMEM;
	r = remove_managed_block(ce, file, dir);
	if (r >= 0) {
		removed += r;
		r = remove_alias(ce, base, dir, url);
	}
	if (r >= 0) {
		removed += r;
		r = remove_added_module(ce, base);
	}
	if (r < 0)
		return r == -ENOMEM ? r : aug_failure(ce, file, d);
	return removed + r;
}

int
confedit_version(const char **ret_built, char **ret_running)
{
	/* No lens, no file: the handle exists only to say its version. */
	augeas *aug = aug_init("/", NULL, AUG_NO_LOAD | AUG_NO_MODL_AUTOLOAD | AUG_NO_STDINC |
				   AUG_NO_ERR_CLOSE);
	const char *v = NULL;
	char *running = NULL;

	if (aug && aug_error(aug) == AUG_NOERROR && aug_get(aug, "/augeas/version", &v) == 1 && v) {
		running = strdup(v);
		if (!running) {
			aug_close(aug);
			return -ENOMEM;
		}
	}
	aug_close(aug);
	*ret_built = AUGEAS_BUILD_VERSION;
	*ret_running = running;
	return 0;
}
