/* effective.c - the merged per-directory configuration (see effective.h). */
#include "config.h"

#include <errno.h>
#include <fnmatch.h>
#include <regex.h>
#include <stdlib.h>

#include "cgisetup/effective.h"
#include "cgisetup/request.h"
#include "cgisetup/util.h"

/* Copy a directory argument as Apache reads it: unquoted, unescaped,
 * without repeated or trailing slashes. */
char *
effective_canonical_dir(const char *written)
{
	_cleanup_free_ char *s = strdup(written);
	size_t n, w = 0;

	if (!s)
		return NULL;
	n = strlen(s);
	if (n >= 2 && (s[0] == '"' || s[0] == '\'') && s[n - 1] == s[0]) {
		memmove(s, s + 1, n - 2);
		s[n - 2] = '\0';
	}
	for (size_t r = 0; s[r]; r++) {
		if (s[r] == '\\' && s[r + 1])
			r++;
		if (s[r] == '/' && w > 0 && s[w - 1] == '/')
			continue;
		s[w++] = s[r];
	}
	while (w > 1 && s[w - 1] == '/')
		w--;
	s[w] = '\0';
	return TAKE_PTR(s);
}

bool
effective_same_dir(const char *written, const char *dir)
{
	_cleanup_free_ char *a = effective_canonical_dir(written);
	_cleanup_free_ char *b = effective_canonical_dir(dir);

	return a && b && streq(a, b);
}

/* Path components: "/" 0, "/srv" 1, "/srv/cgi" 2. */
static unsigned
components(const char *path)
{
	unsigned n = 0;

	for (const char *p = path; *p; p++)
		if (*p == '/' && p[1])
			n++;
	return n;
}

/* The leading N components of DIR ("/srv/cgi/x", 2 -> "/srv/cgi"). */
static char *
leading(const char *dir, unsigned n)
{
	const char *p = dir;

	for (unsigned k = 0; *p && k <= n; p++)
		if (*p == '/' && ++k > n)
			break;
	return strndup(dir, (size_t)(p - dir));
}

static bool
regex_matches(const char *re, const char *dir)
{
	_cleanup_free_ char *slashed = strdup_printf("%s/", dir);
	regex_t rx;
	bool hit;

	/* Apache uses PCRE; POSIX extended reads the patterns found in
	 * configurations (anchors, classes, groups, alternation) alike. */
	if (!slashed || regcomp(&rx, re, REG_EXTENDED | REG_NOSUB) != 0)
		return false;
	hit = regexec(&rx, dir, 0, NULL, 0) == 0 || regexec(&rx, slashed, 0, NULL, 0) == 0;
	regfree(&rx);
	return hit;
}

/* Whether section S applies to DIR. */
static bool
section_applies(const struct model_section *s, const char *dir)
{
	_cleanup_free_ char *path = NULL, *head = NULL;

	if (s->kind != MODEL_SEC_DIRECTORY || !s->active)
		return false;
	if (s->regex)
		return regex_matches(s->arg, dir);
	path = effective_canonical_dir(s->arg);
	if (!path || path[0] != '/')
		return false;
	if (strpbrk(path, "*?[")) {
		head = leading(dir, components(path));
		return head && fnmatch(path, head, FNM_PATHNAME) == 0;
	}
	return streq(path, "/") || request_path_within(dir, path);
}

struct ordered {
	size_t section;
	unsigned key; /* regex, vhost, components: the merge groups */
};

/* Regex sections after literal ones; within each, shorter paths first;
 * a virtual host's sections after the main server's of the same group;
 * ties in the order read. */
static unsigned
merge_key(const struct model_section *s)
{
	unsigned k = s->regex ? 1u << 20 : components(s->arg) << 1;

	return k + (s->vhost >= 0 ? 1 : 0);
}

static int
by_merge_order(const void *a, const void *b)
{
	const struct ordered *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->section < y->section ? -1 : x->section > y->section;
}

/* The sections that apply to DIR, the virtual hosts' too, merged. */
static int
applicable(const struct model *m, const char *dir, struct ordered **ret, size_t *n)
{
	struct ordered *v = calloc(m->n_sections + 1, sizeof(*v));

	if (!v)
		return -ENOMEM;
	*n = 0;
	for (size_t i = 0; i < m->n_sections; i++) {
		const struct model_section *s = &m->sections[i];

		if (section_applies(s, dir))
			v[(*n)++] = (struct ordered){ .section = i, .key = merge_key(s) };
	}
	qsort(v, *n, sizeof(*v), by_merge_order);
	*ret = v;
	return 0;
}

/* ---- Options ---- */

static bool
is_prefixed(const char *opt)
{
	return opt[0] == '+' || opt[0] == '-';
}

/* The ExecCGI state after directive D (Options) given STATE before;
 * *DECIDES when D says anything about ExecCGI. */
static bool
options_exec(const struct model_directive *d, bool state, bool *decides)
{
	*decides = false;
	if (d->args[0] && !is_prefixed(d->args[0])) {
		*decides = true;
		return strv_contains_case(d->args, "ExecCGI") || strv_contains_case(d->args, "All");
	}
	for (size_t i = 0; d->args[i]; i++) {
		if (strcaseeq(d->args[i], "+ExecCGI")) {
			state = true;
			*decides = true;
		} else if (strcaseeq(d->args[i], "-ExecCGI")) {
			state = false;
			*decides = true;
		}
	}
	return state;
}

/* ---- handlers ---- */

/* "py" and ".py" name the same extension to mod_mime. */
static bool
ext_is(const char *written, const char *ext)
{
	return strcaseeq(written + (written[0] == '.'), ext + (ext[0] == '.'));
}

static bool
strv_contains_ext(char *const *v, const char *ext)
{
	for (size_t i = 0; v[i]; i++)
		if (ext_is(v[i], ext))
			return true;
	return false;
}

/* Apply AddHandler/RemoveHandler/SetHandler D to the per-extension state. */
static void
handler_apply(struct effective *e, const struct model_directive *d, char *const *exts,
	      bool *set_cgi)
{
	if (strcaseeq(d->name, "SetHandler")) {
		bool none = !d->args[0] || strcaseeq(d->args[0], "None");

		*set_cgi = !none && strcaseeq(d->args[0], "cgi-script");
		e->set_handler = none ? NULL : d;
		return;
	}
	if (!d->args[0])
		return;
	for (size_t k = 0; exts[k]; k++) {
		if (strcaseeq(d->name, "AddHandler") && strv_contains_ext(d->args + 1, exts[k]))
			e->handled[k] = strcaseeq(d->args[0], "cgi-script");
		if (strcaseeq(d->name, "RemoveHandler") && strv_contains_ext(d->args, exts[k]))
			e->handled[k] = false;
	}
}

/* ---- access ---- */

static bool
is_access_rule(const struct model_directive *d)
{
	return strcaseeq(d->name, "Require") || strcaseeq(d->name, "Order") ||
	       strcaseeq(d->name, "Allow") || strcaseeq(d->name, "Deny");
}

static bool
args_are(const struct model_directive *d, const char *a, const char *b)
{
	return strv_length(d->args) == 2 && strcaseeq(d->args[0], a) && strcaseeq(d->args[1], b);
}

/* What the access rules of one section decide, with the rule that says so;
 * false when the section has none (it inherits). */
static bool
section_access(const struct model *m, size_t sec, enum effective_access *ret,
	       const struct model_directive **by)
{
	bool any = false, granted = true, denied = true;

	for (size_t i = 0; i < m->n_directives; i++) {
		const struct model_directive *d = &m->directives[i];

		if (d->section != (int)sec || !d->active || !is_access_rule(d))
			continue;
		if (!any || (granted && !args_are(d, "all", "granted")))
			*by = d;
		any = true;
		granted = granted && !d->in_authz_block && args_are(d, "all", "granted");
		denied = denied && !d->in_authz_block && args_are(d, "all", "denied");
	}
	if (!any)
		return false;
	if (granted)
		*ret = EFFECTIVE_GRANTED;
	else if (denied && effective_same_dir(m->sections[sec].arg, "/") && !m->sections[sec].regex)
		*ret = EFFECTIVE_STOCK_DENIED;
	else
		*ret = EFFECTIVE_RESTRICTED;
	return true;
}

/* ---- walking the merge ---- */

static bool
in_section(const struct model_directive *d, int sec)
{
	return d->active && d->section == sec;
}

/* Merge the directives of section SEC (or, SEC -1, the directives of
 * server VH outside any section: -1 the main server) into E. */
static void
merge_section(const struct model *m, int sec, int vh, char *const *exts, bool *set_cgi,
	      struct effective *e)
{
	enum effective_access acc;
	const struct model_directive *by = NULL;

	for (size_t i = 0; i < m->n_directives; i++) {
		const struct model_directive *d = &m->directives[i];
		bool decides;

		if (!in_section(d, sec) || (sec < 0 && d->vhost != vh))
			continue;
		if (strcaseeq(d->name, "Options")) {
			e->exec_cgi = options_exec(d, e->exec_cgi, &decides);
			if (decides)
				e->exec_by = d;
		} else {
			handler_apply(e, d, exts, set_cgi);
		}
	}
	if (sec >= 0 && section_access(m, (size_t)sec, &acc, &by)) {
		e->access = acc;
		e->access_by = by;
	}
}

/* A directive in section SEC, after AFTER_LINE of the same section when
 * SEC is cgisetup's own, that turns CGI off for one of EXTS. */
static const struct model_directive *
defeater(const struct model *m, size_t sec, const struct model_directive *after,
	 char *const *exts, const char **why)
{
	for (size_t i = 0; i < m->n_directives; i++) {
		const struct model_directive *d = &m->directives[i];
		bool decides, exec;

		if (!in_section(d, (int)sec) || (after && d <= after))
			continue;
		exec = strcaseeq(d->name, "Options") && !options_exec(d, true, &decides);
		if (exec) {
			*why = N_("it turns ExecCGI off again");
			return d;
		}
		if (strcaseeq(d->name, "SetHandler") && d->args[0] && !strcaseeq(d->args[0], "None") &&
		    !strcaseeq(d->args[0], "cgi-script")) {
			*why = N_("it hands every file to another handler");
			return d;
		}
		for (size_t k = 0; d->args[0] && exts[k]; k++)
			if ((strcaseeq(d->name, "RemoveHandler") && strv_contains_ext(d->args, exts[k])) ||
			    (strcaseeq(d->name, "AddHandler") && !strcaseeq(d->args[0], "cgi-script") &&
			     strv_contains_ext(d->args + 1, exts[k]))) {
				*why = N_("it takes the script extension away from cgi-script");
				return d;
			}
	}
	return NULL;
}

/* The first Options line of the own section: cgisetup completes that one. */
static const struct model_directive *
first_options(const struct model *m, size_t sec)
{
	for (size_t i = 0; i < m->n_directives; i++)
		if (in_section(&m->directives[i], (int)sec) &&
		    strcaseeq(m->directives[i].name, "Options"))
			return &m->directives[i];
	return NULL;
}

static void
find_own(const struct model *m, const char *dir, char *const *keep, struct effective *e)
{
	for (size_t i = 0; !e->own && !e->own_kept && i < m->n_sections; i++) {
		const struct model_section *s = &m->sections[i];

		if (s->kind != MODEL_SEC_DIRECTORY || !s->active || s->regex || s->vhost != -1 ||
		    !effective_same_dir(s->arg, dir))
			continue;
		if (keep && strv_contains(keep, s->file))
			e->own_kept = s;
		else
			e->own = s;
	}
	for (size_t i = 0; !e->script_alias && i < m->n_aliases; i++) {
		const struct model_alias *a = &m->aliases[i];

		if (a->active && a->vhost == -1 && strcaseeq(a->directive, "ScriptAlias") &&
		    effective_same_dir(a->path, dir))
			e->script_alias = a;
	}
}

/* After cgisetup's section (OWN, or a new one at the end of the main
 * configuration, after every same-length section read before): the
 * sections that still follow in the merge, and what in them undoes CGI. */
static void
find_defeat(const struct model *m, const char *dir, const struct ordered *v, size_t n,
	    char *const *exts, struct effective *e)
{
	size_t own = e->own ? (size_t)(e->own - m->sections) : (size_t)-1;
	unsigned own_key = merge_key(&(struct model_section){ .arg = (char *)dir, .vhost = -1 });
	bool after = false;

	for (size_t i = 0; i < n && !e->defeat; i++) {
		const struct model_section *s = &m->sections[v[i].section];
		const struct model_directive *d;

		if (!e->own)
			after = v[i].key > own_key;
		if (v[i].section == own) {
			e->defeat = defeater(m, own, first_options(m, own), exts, &e->defeat_why);
			after = true;
			continue;
		}
		if (!after || !(d = defeater(m, v[i].section, NULL, exts, &e->defeat_why)))
			continue;
		if (s->vhost >= 0)
			e->vhost_defeat = e->vhost_defeat ? e->vhost_defeat : d;
		else
			e->defeat = d;
	}
}

int
effective_dir(const struct model *m, const char *dir, char *const *exts, char *const *keep,
	      struct effective *ret)
{
	return effective_dir_in(m, -1, dir, exts, keep, ret);
}

int
effective_dir_in(const struct model *m, int vh, const char *dir, char *const *exts,
		 char *const *keep, struct effective *ret)
{
	struct effective e = { .access = EFFECTIVE_OPEN };
	_cleanup_free_ struct ordered *v = NULL;
	size_t n = 0;
	bool set_cgi = false;
	int r;

	e.handled = calloc(strv_length(exts) + 1, sizeof(bool));
	if (!e.handled)
		return -ENOMEM;
	find_own(m, dir, keep, &e);
	merge_section(m, -1, -1, exts, &set_cgi, &e);
	if (vh >= 0)
		merge_section(m, -1, vh, exts, &set_cgi, &e);
	/* every virtual host's sections too, so that one turning CGI off is named */
	r = applicable(m, dir, &v, &n);
	if (r < 0) {
		free(e.handled);
		return r;
	}
	/* a request to vhost VH: its own sections merge after the main
	 * server's of the same group (merge_key), the other vhosts' not at all */
	for (size_t i = 0; i < n; i++)
		if (m->sections[v[i].section].vhost == -1 ||
		    (vh >= 0 && m->sections[v[i].section].vhost == vh))
			merge_section(m, (int)v[i].section, vh, exts, &set_cgi, &e);
	for (size_t k = 0; set_cgi && exts[k]; k++)
		e.handled[k] = true;
	find_defeat(m, dir, v, n, exts, &e);
	*ret = e;
	return 0;
}

void
effective_release(struct effective *e)
{
	free(e->handled);
	*e = (struct effective){ 0 };
}

bool
effective_all_handled(const struct effective *e, char *const *exts)
{
	if (e->script_alias)
		return true;
	for (size_t k = 0; exts[k]; k++)
		if (!e->handled[k])
			return false;
	return true;
}

/* Whether a <Location> of the main server covers URL ("/cgi" covers
 * "/cgi/hello.py"; a regex one by its match). */
static bool
location_covers(const struct model_section *s, const char *url)
{
	_cleanup_free_ char *path = NULL, *probe = NULL;

	if (s->kind != MODEL_SEC_LOCATION || !s->active || s->vhost > 0)
		return false;
	probe = strdup_printf("%s/hello.py", url);
	if (!probe)
		return false;
	if (s->regex)
		return regex_matches(s->arg, probe);
	path = effective_canonical_dir(s->arg);
	return path && request_path_within(probe, path);
}

const struct model_directive *
effective_location_rule(const struct model *m, const char *url)
{
	const struct model_directive *by = NULL;

	/* <Location> sections merge after every <Directory>, in the order
	 * read: the last one with access rules decides */
	for (size_t i = 0; i < m->n_sections; i++) {
		enum effective_access acc;
		const struct model_directive *d = NULL;

		if (!location_covers(&m->sections[i], url) || !section_access(m, i, &acc, &d))
			continue;
		by = acc == EFFECTIVE_GRANTED ? NULL : d;
	}
	return by;
}

/* Whether DIR is WRITTEN (a directory as the configuration writes it) or below it. */
static bool
dir_at_or_below(const char *dir, const char *written)
{
	_cleanup_free_ char *canon = written ? effective_canonical_dir(written) : NULL;
	const char *rest = canon ? startswith(dir, canon) : NULL;

	return rest && (*rest == '/' || !*rest || streq(canon, "/"));
}

int
effective_vhost_mapping(const struct model *m, const char *dir)
{
	for (size_t i = 0; i < m->n_aliases; i++)
		if (m->aliases[i].active && m->aliases[i].vhost >= 0 &&
		    !strstr(m->aliases[i].directive, "Match") &&
		    m->vhosts[m->aliases[i].vhost].active &&
		    dir_at_or_below(dir, m->aliases[i].path))
			return m->aliases[i].vhost;
	for (size_t i = 0; i < m->n_vhosts; i++)
		if (m->vhosts[i].active && m->vhosts[i].document_root &&
		    dir_at_or_below(dir, m->vhosts[i].document_root))
			return (int)i;
	return -1;
}

int
effective_vhost_of_dir(const struct model *m, const char *dir, unsigned port)
{
	int vh = effective_vhost_mapping(m, dir);

	return vh >= 0 ? vh : model_request_vhost(m, NULL, port);
}

static const struct model_directive *
server_directive_in(const struct model *m, int vh, const char *name)
{
	const struct model_directive *found = NULL;

	for (size_t i = 0; i < m->n_directives; i++) {
		const struct model_directive *d = &m->directives[i];

		if (d->active && d->vhost == vh && d->section < 0 && strcaseeq(d->name, name))
			found = d;
	}
	return found;
}

const struct model_directive *
effective_server_directive(const struct model *m, int vh, const char *name)
{
	const struct model_directive *d = vh >= 0 ? server_directive_in(m, vh, name) : NULL;

	return d ? d : server_directive_in(m, -1, name);
}
