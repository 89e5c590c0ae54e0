/* output.c - rendering results as text or JSON (see output.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

#include "cgisetup/i18n.h"
#include "cgisetup/json.h"
#include "cgisetup/output.h"
#include "cgisetup/output-check.h"
#include "cgisetup/restart.h"
#include "cgisetup/template.h"
#include "cgisetup/util.h"

static void print_recovery(unsigned n, char *const *failures);
static void print_fetched(FILE *out, const struct verify_result *v);

static const char *const change_names[] = {
	[CHANGE_MKDIR] = "mkdir",
	[CHANGE_WRITE] = "write",
	[CHANGE_CHMOD] = "chmod",
	[CHANGE_SYMLINK] = "symlink",
	[CHANGE_CONF_ALIAS] = "alias",
	[CHANGE_CONF_BLOCK] = "directory-section",
	[CHANGE_CONF_MARKER] = "marker",
	[CHANGE_CONF_OPTIONS] = "options",
	[CHANGE_CONF_HANDLER] = "handler",
	[CHANGE_CONF_REQUIRE] = "require",
	[CHANGE_CONF_MODULE_UNCOMMENT] = "loadmodule-uncomment",
	[CHANGE_CONF_MODULE_ADD] = "loadmodule-add",
};

static char *
join(char *const *v, const char *sep)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; v && v[i]; i++)
		if ((i && strbuf_adds(&sb, sep) < 0) || strbuf_adds(&sb, v[i]) < 0)
			break;
	return strbuf_detach(&sb);
}

char *
output_describe(const struct change *c)
{
	_cleanup_free_ char *args = join(c->args, " ");

	switch (c->kind) {
	case CHANGE_MKDIR:
		return strdup_printf(_("create directory '%s' (mode %04o)"), c->path, (unsigned)c->mode);
	case CHANGE_WRITE:
		return strdup_printf(_("write '%s' (mode %04o)"), c->path, (unsigned)c->mode);
	case CHANGE_CHMOD:
		return strdup_printf(_("change the mode of '%s' from %04o to %04o"), c->path,
				     (unsigned)c->old_mode, (unsigned)c->mode);
	case CHANGE_SYMLINK:
		return strdup_printf(_("create symlink '%s' -> '%s'"), c->path, c->arg);
	case CHANGE_CONF_ALIAS:
		return strdup_printf(_("add 'Alias %s %s' to '%s'"), c->arg, args, c->path);
	case CHANGE_CONF_BLOCK:
		return strdup_printf(_("add a <Directory %s> section to '%s'"), c->arg, c->path);
	case CHANGE_CONF_MARKER:
		return strdup_printf(_("mark the existing section in '%s'"), c->path);
	case CHANGE_CONF_OPTIONS:
		return strdup_printf(_("set 'Options %s' in '%s'"), args, c->path);
	case CHANGE_CONF_HANDLER:
		return strdup_printf(_("add 'AddHandler cgi-script %s' in '%s'"), args, c->path);
	case CHANGE_CONF_REQUIRE:
		return strdup_printf(_("add 'Require all granted' in '%s'"), c->path);
	case CHANGE_CONF_MODULE_UNCOMMENT:
		return strdup_printf(_("uncomment 'LoadModule %s' in '%s'"), c->arg, c->path);
	case CHANGE_CONF_MODULE_ADD:
		return strdup_printf(_("add 'LoadModule %s %s' to '%s'"), c->arg, args, c->path);
	}
	return strdup("?");
}

static const char *
output_gettext(const char *msgid)
{
	return _(msgid);
}

const char *
output_message(const struct diag *d, char *buf)
{
	return diag_message(d, output_gettext, buf, DIAG_MSG_MAX);
}

const char *
output_text(const char *english, char *buf)
{
	return diag_text(english, output_gettext, buf, DIAG_MSG_MAX);
}

static void
print_json(struct strbuf *sb)
{
	fputs(sb->buf ? sb->buf : "{}", stdout);
	fputc('\n', stdout);
}

static void
json_layout(struct json *j, const struct host *h)
{
	const struct layout *l = &h->layout;

	json_open(j, "layout", '{');
	json_string(j, "family", l->family->name);
	json_string(j, "os_id", h->os_id);
	json_string(j, "os_name", h->os_name);
	json_bool(j, "from_live_server", l->from_live);
	json_string(j, "version", h->live.version);
	json_string(j, "main_config", l->main_config);
	json_string(j, "server_root", l->server_root);
	json_string(j, "mpm", l->mpm);
	json_bool(j, "threaded", l->threaded);
	json_string(j, "cgi_module_loaded", l->cgi_loaded);
	json_string(j, "cgi_module_wanted", l->cgi_wanted);
	json_string(j, "document_root", l->document_root);
	json_string(j, "listen_host", l->listen_host);
	json_int(j, "listen_port", l->listen_port);
	json_string(j, "user", l->user);
	json_string(j, "error_log", l->error_log);
	json_string(j, "unit", l->unit);
	json_string(j, "module_mechanism",
		    l->family->modmech == MODMECH_DEBIAN_SYMLINK ? "a2enmod-symlinks" : "loadmodule");
	json_open(j, "config_files", '[');
	for (size_t i = 0; l->files && l->files[i]; i++)
		json_string(j, NULL, l->files[i]);
	json_close(j, ']');
	json_close(j, '}');
}

static void
json_strings(struct json *j, const char *key, char *const *a, char *const *b)
{
	json_open(j, key, '[');
	for (size_t i = 0; a && a[i]; i++)
		json_string(j, NULL, a[i]);
	for (size_t i = 0; b && b[i]; i++)
		json_string(j, NULL, b[i]);
	json_close(j, ']');
}

static void
json_warnings(struct json *j, char *const *a, char *const *b)
{
	json_strings(j, "warnings", a, b);
}

/* An apply's warnings: detection's, the plan's, and the check's when it
 * could not prove the change (English). */
static void
json_apply_warnings(struct json *j, const struct pipeline_result *res)
{
	_cleanup_free_ char *not_proven = output_not_proven(res, true);

	json_open(j, "warnings", '[');
	for (size_t i = 0; res->host->warnings && res->host->warnings[i]; i++)
		json_string(j, NULL, res->host->warnings[i]);
	for (size_t i = 0; res->plan->warnings && res->plan->warnings[i]; i++)
		json_string(j, NULL, res->plan->warnings[i]);
	if (not_proven)
		json_string(j, NULL, not_proven);
	json_close(j, ']');
}

static void
json_changes(struct json *j, const struct plan *plan)
{
	json_open(j, "changes", '[');
	for (size_t i = 0; i < plan->n_changes; i++) {
		const struct change *c = &plan->changes[i];

		json_open(j, NULL, '{');
		json_string(j, "action", change_names[c->kind]);
		json_string(j, "path", c->path);
		json_string(j, "reason", c->why);
		json_close(j, '}');
	}
	json_close(j, ']');
}

static void
json_restart(struct json *j, const struct activation *act)
{
	const struct restart_result *r = &act->restart;

	json_open(j, "restart", '{');
	json_string(j, "job", verdict_restart_name(r->job));
	json_open(j, "path", '[');
	for (size_t i = 0; act->path && act->path[i]; i++)
		json_string(j, NULL, act->path[i]);
	json_close(j, ']');
	json_string(j, "reason", act->reason);
	json_string(j, "how", r->how);
	json_bool(j, "via_systemd", act->before.via_systemd);
	json_string(j, "unit", act->before.unit);
	json_bool(j, "was_running", act->before.running);
	json_string(j, "invocation_id_before", act->before.invocation_id);
	json_string(j, "invocation_id_after", r->after.invocation_id);
	json_int(j, "main_pid_before", act->before.main_pid);
	json_int(j, "main_pid_after", r->after.main_pid);
	json_close(j, '}');
}

static void
json_verify(struct json *j, const struct verify_result *v)
{
	json_open(j, "verify", '{');
	json_string(j, "url", v->url);
	json_string(j, "redirected_from", v->redirected_from);
	json_string(j, "location", v->location);
	json_bool(j, "any_certificate", v->any_certificate);
	json_int(j, "status", v->status);
	json_string(j, "content_type", v->content_type);
	json_string(j, "verdict", verdict_name(v->verdict));
	json_string(j, "error_log", v->log_tail);
	json_close(j, '}');
}

/* Every document opens the same way: a program checks schema_version
 * before it reads anything else. */
static void
json_document(struct json *j)
{
	json_open(j, NULL, '{');
	json_int(j, "schema_version", OUTPUT_JSON_SCHEMA_VERSION);
}

/* A dry run's recovery that waits for the next run that writes. */
static void
json_pending(struct json *j, unsigned pending, char *const *paths)
{
	if (!pending)
		return;
	json_int(j, "recovery_pending", pending);
	json_open(j, "recovery_files", '[');
	for (size_t i = 0; paths && paths[i]; i++)
		json_string(j, NULL, paths[i]);
	json_close(j, ']');
}

/* A failed HTTP check: why, as --check --json says it (the human output
 * prints the same before the rollback report). */
static void
json_diagnosis(struct json *j, const struct pipeline *p)
{
	struct findings f;

	if (output_check_verification_findings(p, &f) < 0 || f.n == 0)
		return;
	output_check_json_findings(j, "diagnosis", &f);
	findings_release(&f);
}

/* What the run did with Apache, after the plan. */
static void
json_activation(struct json *j, const struct pipeline *p)
{
	const struct pipeline_result *res = pipeline_result(p);

	if (res->act->attempted)
		json_restart(j, res->act);
	else if (res->observed || res->act->left_stopped)
		json_bool(j, "apache_running", res->act->before.running);
	if (res->not_loaded)
		json_bool(j, "loaded", res->activated);
	if (res->act->verified) {
		json_verify(j, &res->act->verify);
		/* what the check proved: "proven", or "restricted" when an
		 * admin's access rule answered 401/403 (configured, not proven) */
		json_string(j, "verdict", verdict_outcome_name(res->act->outcome));
		json_diagnosis(j, p);
	}
	/* not "warnings": the document has that key already */
	if (res->rollback_failures)
		json_strings(j, "rollback_failures", res->rollback_failures, NULL);
	if (res->act->rollback_how)
		json_string(j, "rollback_restart", res->act->rollback_how);
}

/* Where the change applies; KIND names it, VHOST the name --vhost was
 * given; COPIES (when known) every copy of the vhost written into. */
static void
json_scope(struct json *j, enum request_scope kind, const char *vhost,
	   const struct pipeline_copy *copies, size_t n_copies)
{
	json_open(j, "scope", '{');
	json_string(j, "kind", request_scope_name(kind));
	if (kind == SCOPE_VHOST)
		json_string(j, "vhost", vhost);
	if (copies) {
		json_open(j, "copies", '[');
		for (size_t i = 0; i < n_copies; i++) {
			json_open(j, NULL, '{');
			json_string(j, "file", copies[i].file);
			json_int(j, "line", copies[i].line);
			json_close(j, '}');
		}
		json_close(j, ']');
	}
	json_close(j, '}');
}

/* The whole result document; STATUS says which outcome it is. */
static void
json_result(const struct pipeline *p, const char *status, const struct diag *d, bool diff)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT, patch = STRBUF_INIT;
	const struct pipeline_result *res = p ? pipeline_result(p) : NULL;
	struct json j = JSON_INIT(&sb);

	json_document(&j);
	json_string(&j, "status", status);
	json_bool(&j, "changed", streq(status, "applied"));
	json_int(&j, "recovered", res ? res->recovered : 0);
	if (d) {
		json_string(&j, "error", d->msg);
		json_string(&j, "detail", d->detail[0] ? d->detail : NULL);
	}
	if (res)
		json_pending(&j, res->recovery_pending, res->recovery_paths);
	if (res && res->host->layout.family) {
		json_layout(&j, res->host);
		json_string(&j, "dir", res->req->dir);
		json_scope(&j, request_scope(res->req), res->req->vhost, res->copies,
			   res->n_copies);
		json_string(&j, "url_path", res->plan->url_path);
		/* no hello.py (--no-hello): no URL that would answer 404 */
		json_string(&j, "url", res->has_hello ? res->url : NULL);
		json_changes(&j, res->plan);
		json_apply_warnings(&j, res);
	}
	if (res)
		json_activation(&j, p);
	if (diff && pipeline_diff(p, &patch) >= 0)
		json_string(&j, "diff", patch.buf ? patch.buf : "");
	json_close(&j, '}');
	print_json(&sb);
}

static void
print_warnings(char *const *v)
{
	char buf[DIAG_MSG_MAX];

	for (size_t i = 0; v && v[i]; i++)
		fprintf(stderr, _("cgisetup: warning: %s\n"), output_text(v[i], buf));
}

void
output_error(const struct request *req, const struct diag *d, const struct pipeline *p)
{
	const struct pipeline_result *res;
	char msg[DIAG_MSG_MAX];

	if (req->json) {
		json_result(p, d->kind == DIAG_USAGE ? "invalid" : "failed", d, false);
		return;
	}
	fprintf(stderr, _("cgisetup: %s\n"), output_message(d, msg));
	if (d->detail[0])
		fprintf(stderr, "%s%s", d->detail, endswith(d->detail, "\n") ? "" : "\n");
	if (!p)
		return;
	res = pipeline_result(p);
	if (res->act && res->act->verified)
		print_fetched(stderr, &res->act->verify);
	if (res->rollback_failures) {
		fprintf(stderr, _("cgisetup: rollback incomplete; fix these by hand:\n"));
		for (size_t i = 0; res->rollback_failures[i]; i++)
			fprintf(stderr, "  %s\n", output_text(res->rollback_failures[i], msg));
		fprintf(stderr, _("cgisetup: the journal keeps the record: once the cause is "
				  "fixed, any cgisetup run (e.g. 'cgisetup --status') finishes the "
				  "rollback\n"));
	} else if (!res->applied && res->has_changes && res->mode == PREPARE_APPLY) {
		fprintf(stderr, _("cgisetup: every change was rolled back\n"));
		if (res->act->rollback_how) {
			_cleanup_free_ char *how = output_how(res->act->rollback_how);

			fprintf(stderr, _("cgisetup: Apache is back on its old configuration (%s)\n"),
				how ? how : "?");
		}
	}
}

void
output_padded(const char *s, int width)
{
	size_t n = mbstowcs(NULL, s, 0);
	int w = -1;

	if (n != (size_t)-1) {
		_cleanup_free_ wchar_t *ws = calloc(n + 1, sizeof(*ws));

		if (ws && mbstowcs(ws, s, n + 1) != (size_t)-1)
			w = wcswidth(ws, n);
	}
	if (w < 0) /* not valid in this locale: its bytes */
		w = (int)strlen(s);
	fputs(s, stdout);
	do
		putchar(' ');
	while (++w < width);
}

static void
print_detect_line(const char *label, const char *value)
{
	fputs("  ", stdout);
	output_padded(label, 19);
	printf("%s\n", value ? value : _("(unknown)"));
}

/* The active virtual hosts, as --vhost names them. */
static void
json_vhosts(struct json *j, const struct model *m)
{
	json_open(j, "vhosts", '[');
	for (size_t i = 0; i < m->n_vhosts; i++) {
		const struct model_vhost *v = &m->vhosts[i];
		_cleanup_free_ char *addrs = strdup(v->addrs);
		char *save = NULL;

		if (!v->active)
			continue;
		json_open(j, NULL, '{');
		json_string(j, "name", v->server_name);
		json_strings(j, "aliases", v->aliases, NULL);
		json_open(j, "addresses", '[');
		for (char *a = addrs ? strtok_r(addrs, " ", &save) : NULL; a;
		     a = strtok_r(NULL, " ", &save))
			json_string(j, NULL, a);
		json_close(j, ']');
		json_int(j, "port", model_vhost_port(m, i));
		json_string(j, "file", v->file);
		json_int(j, "line", v->line);
		json_string(j, "document_root", v->document_root);
		json_bool(j, "tls", v->tls);
		json_close(j, '}');
	}
	json_close(j, ']');
}

static void
print_vhosts(const struct model *m)
{
	bool any = false;

	for (size_t i = 0; i < m->n_vhosts; i++) {
		const struct model_vhost *v = &m->vhosts[i];
		_cleanup_free_ char *aliases = NULL;
		struct strbuf sb = STRBUF_INIT;

		if (!v->active)
			continue;
		for (size_t k = 0; v->aliases && v->aliases[k]; k++)
			strbuf_addf(&sb, "%s%s", k ? " " : "", v->aliases[k]);
		aliases = strbuf_detach(&sb);
		if (!any)
			printf("  %s\n", _("virtual hosts:"));
		any = true;
		printf("    %s%s%s%s %s%s  %s:%u\n", v->server_name ? v->server_name : _("(no name)"),
		       aliases && *aliases ? " (" : "", aliases ? aliases : "",
		       aliases && *aliases ? ")" : "", v->addrs, v->tls ? " TLS" : "", v->file, v->line);
		if (v->document_root)
			printf("      %s %s\n", _("document root:"), v->document_root);
	}
}

void
output_detect(const struct request *req, const struct host *h)
{
	const struct layout *l = &h->layout;
	_cleanup_free_ char *port = strdup_printf("%u", l->listen_port);

	if (req->json) {
		_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;
		struct json j = JSON_INIT(&sb);

		json_document(&j);
		json_layout(&j, h);
		json_vhosts(&j, probe_effective_model(h));
		json_warnings(&j, h->warnings, NULL);
		json_close(&j, '}');
		print_json(&sb);
		return;
	}
	print_detect_line(_("layout:"), l->family->name);
	print_detect_line(_("system:"), h->os_name);
	print_detect_line(_("Apache:"), h->live.version);
	print_detect_line(_("main config:"), l->main_config);
	print_detect_line(_("server root:"), l->server_root);
	print_detect_line(_("MPM:"), l->mpm);
	print_detect_line(_("CGI module:"), l->cgi_loaded ? l->cgi_loaded : _("not loaded"));
	print_detect_line(_("document root:"), l->document_root);
	print_detect_line(_("listen:"), port);
	print_detect_line(_("run user:"), l->user);
	print_detect_line(_("error log:"), l->error_log);
	print_detect_line(_("service:"), l->unit);
	print_vhosts(probe_effective_model(h));
	print_warnings(h->warnings);
}

/* A dry run leaves an interrupted run for the next run that writes. */
static void
print_pending(unsigned pending, char *const *paths)
{
	if (!pending)
		return;
	printf(_("# cgisetup: recovery pending: an interrupted run was found; the next run "
		 "that writes rolls it back to the exact previous files first:\n"));
	for (size_t i = 0; paths && paths[i]; i++)
		printf(_("#   put back '%s'\n"), paths[i]);
}

static void
print_changes(const struct plan *plan, const char *prefix)
{
	for (size_t i = 0; i < plan->n_changes; i++) {
		_cleanup_free_ char *s = output_describe(&plan->changes[i]);

		printf("%s%s: %s\n", prefix, s ? s : "?", _(plan->changes[i].why));
	}
}

void
output_dry_run(const struct pipeline *p)
{
	const struct pipeline_result *res = pipeline_result(p);
	_cleanup_strbuf_ struct strbuf diff = STRBUF_INIT;

	if (res->req->json) {
		json_result(p, "dry-run", NULL, true);
		return;
	}
	print_pending(res->recovery_pending, res->recovery_paths);
	if (!res->has_changes) {
		printf(_("# cgisetup: already configured: nothing would change\n"));
		return;
	}
	printf(_("# cgisetup --dry-run: nothing was written; the plan:\n"));
	print_changes(res->plan, "#   ");
	if (pipeline_diff(p, &diff) >= 0 && diff.buf)
		fputs(diff.buf, stdout);
	print_warnings(res->host->warnings);
	print_warnings(res->plan->warnings);
}

static void
print_not_running(const struct pipeline_result *res)
{
	_cleanup_free_ char *cmd = restart_advice(res->host, RESTART_START);
	const struct apache_state *st = &res->act->before;
	const char *unit = st->unit ? st->unit : "?";

	if (streq_ptr(st->failed, "start-limit-hit"))
		printf(_("cgisetup: note: Apache is not running: its service '%s' was started too "
			 "often in a short time (start-limit-hit); 'systemctl reset-failed %s' "
			 "clears the limit, then start it with '%s'\n"),
		       unit, unit, cmd ? cmd : "?");
	else if (st->failed)
		printf(_("cgisetup: note: Apache is not running: its service '%s' failed (result "
			 "'%s'; 'systemctl status %s' says why); start it with '%s'\n"),
		       unit, st->failed, unit, cmd ? cmd : "?");
	else
		printf(_("cgisetup: note: Apache is not running; start it with '%s'\n"),
		       cmd ? cmd : "?");
}

/* --no-start: configured, not started, not proven */
static void
print_left_stopped(const struct pipeline_result *res)
{
	_cleanup_free_ char *cmd = restart_advice(res->host, RESTART_START);

	printf(_("cgisetup: --no-start: Apache is stopped and was left stopped; the change is "
		 "not proven over HTTP; start it with '%s'\n"), cmd ? cmd : "?");
}

void
output_unchanged(const struct pipeline *p)
{
	const struct pipeline_result *res = pipeline_result(p);

	if (res->req->json) {
		json_result(p, "unchanged", NULL, false);
		return;
	}
	print_recovery(res->recovered, res->recovery_failures);
	if (res->not_loaded) {
		_cleanup_free_ char *cmd = output_advice(res);

		printf(_("cgisetup: configured, not active yet: the running Apache has not loaded "
			 "what cgisetup wrote for '%s'; activate it with '%s' (or 'cgisetup --dir "
			 "%s --yes', without --no-restart)\n"), res->req->dir, cmd ? cmd : "?",
		       res->req->dir);
		print_warnings(res->plan->warnings);
		return;
	}
	printf(_("cgisetup: already configured: nothing changed ('%s' served at %s/)\n"),
	       res->req->dir, res->plan->url_path);
	if (res->observed && !res->act->before.running)
		print_not_running(res);
	print_warnings(res->plan->warnings);
}

/* "reloaded gracefully (no connection dropped)", "reload, reload", ... */
static void
print_path(const struct activation *act, bool forced)
{
	_cleanup_free_ char *text = output_activation_text(act);
	const char *why = output_activation_why(act, forced);

	printf(_("cgisetup: Apache: %s\n"), text ? text : "?");
	if (why)
		printf(_("cgisetup: why: %s\n"), why);
}

char *
output_how(const char *how)
{
	const char *space = how ? strchr(how, ' ') : NULL;

	if (!how)
		return strdup("?");
	/* "ReloadOrRestartUnit apache2.service": a D-Bus method, then the unit */
	if (space && space - how > 4 && strncmp(space - 4, "Unit", 4) == 0 &&
	    !strchr(space + 1, ' '))
		return strdup_printf(_("systemd, %s"), space + 1);
	/* TRANSLATORS: a command, quoted as the language quotes */
	return strdup_printf(_("'%s'"), how);
}

char *
output_activation_text(const struct activation *act)
{
	_cleanup_free_ char *how = output_how(act->restart.how), *path = NULL;
	bool graceful;

	if (strv_length(act->path) == 1 && act->restart.job == RESTART_START)
		return strdup_printf(_("was not running: started it (%s)"), how ? how : "?");
	/* TRANSLATORS: between the service jobs run in turn ("reload, then reload") */
	path = join(act->path, _(", then "));
	graceful = !strv_contains(act->path, "restart") && !strv_contains(act->path, "start");
	return strdup_printf("%s (%s)%s", path ? path : "?", how ? how : "?",
			     graceful ? _(": graceful, no connection dropped") : "");
}

const char *
output_activation_why(const struct activation *act, bool forced)
{
	if (act->reason)
		return _(act->reason);
	return forced ? _("--restart asked for a full restart") : NULL;
}

char *
output_scope(enum request_scope kind, const char *vhost)
{
	switch (kind) {
	case SCOPE_VHOST:
		return vhost ? strdup_printf(_("only in the virtual host '%s'"), vhost)
			     : strdup(_("only in one virtual host"));
	case SCOPE_USERDIR:
		return strdup(_("in every user's ~/public_html/cgi-bin (--userdir)"));
	default:
		return strdup(_("server-wide"));
	}
}

char *
output_run_scope(const struct pipeline_result *res)
{
	_cleanup_free_ char *scope = output_scope(request_scope(res->req), res->req->vhost);
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;

	if (!scope)
		return NULL;
	if (!res->n_copies)
		return TAKE_PTR(scope);
	for (size_t i = 0; i < res->n_copies; i++)
		/* TRANSLATORS: a copy of a virtual host: its file, the line of its
		 * <VirtualHost>; the copies are joined with ", " */
		if ((i && strbuf_adds(&sb, _(", ")) < 0) ||
		    strbuf_addf(&sb, _("'%s' line %u"), res->copies[i].file,
				res->copies[i].line) < 0)
			return NULL;
	/* TRANSLATORS: a scope, then the files and lines of the vhost it was written into */
	return strdup_printf(_("%s (in %s)"), scope, sb.buf);
}

/* Whole sentences, so that a language can put the path where it goes. */
char *
output_undo_action(enum txn_op op, const char *path)
{
	switch (op) {
	case TXN_REPLACE:
		return strdup_printf(_("restore '%s'"), path);
	case TXN_REMOVE_FILE:
		return strdup_printf(_("remove file '%s'"), path);
	case TXN_REMOVE_DIR:
		return strdup_printf(_("remove directory '%s'"), path);
	case TXN_REMOVE_SYMLINK:
		return strdup_printf(_("remove symlink '%s'"), path);
	case TXN_CHMOD:
		return strdup_printf(_("restore the mode of '%s'"), path);
	default:
		return NULL;
	}
}

char *
output_advice(const struct pipeline_result *res)
{
	bool module = res->plan->module_enabled || (res->not_loaded && res->module_pending);

	return restart_advice(res->host, module ? RESTART_FULL : RESTART_RELOAD);
}

static void
print_advice(const struct pipeline_result *res)
{
	_cleanup_free_ char *cmd = output_advice(res);

	printf(_("cgisetup: --no-restart: activate it with '%s'\n"), cmd ? cmd : "?");
}

#define NOT_PROVEN N_("not proven over HTTP (HTTP %ld): access to '%s' is restricted by %s; " \
			 "CGI is configured")

char *
output_not_proven(const struct pipeline_result *res, bool english)
{
	const struct activation *act = res->act;
	const char *by = res->plan->restricted_by ? res->plan->restricted_by : "?";

	if (!act->verified || act->outcome != CHECK_RESTRICTED)
		return NULL;
	if (english)
		return strdup_printf(NOT_PROVEN, act->verify.status, res->req->dir, by);
	return strdup_printf(_(NOT_PROVEN), act->verify.status, res->req->dir, by);
}

/* The URL of DIR itself: hello.py's without its last component, for
 * the user's own scripts (printed with NAME after it). */
static const char *
url_base(const char *url)
{
	static char buf[4096];
	const char *slash = strrchr(url, '/');
	size_t n = slash ? (size_t)(slash - url) : strlen(url);

	snprintf(buf, sizeof(buf), "%.*s", (int)n, url);
	return buf;
}

/* Which URL the HTTP check fetched, how, and a redirect it did not
 * follow: the report names what was actually fetched. */
static void
print_fetched(FILE *out, const struct verify_result *v)
{
	if (v->redirected_from)
		fprintf(out, _("cgisetup: '%s' redirected to '%s': the check followed it on "
			       "loopback\n"), v->redirected_from, v->url);
	fprintf(out, _("cgisetup: the check fetched %s\n"), v->url);
	if (v->any_certificate)
		fprintf(out, _("cgisetup: over https on loopback, accepting the server's own "
			       "certificate without verifying it (a local proof only)\n"));
	if (v->location)
		fprintf(out, _("cgisetup: the answer was a redirect to '%s': not followed (the "
			       "check follows only https on this server, on loopback)\n"),
			v->location);
}

/* What the HTTP check proved, or where to test by hand. */
static void
print_check(const struct pipeline_result *res)
{
	const struct activation *act = res->act;
	_cleanup_free_ char *not_proven = output_not_proven(res, false);

	if (act->verified)
		print_fetched(stdout, &act->verify);
	if (not_proven)
		fprintf(stderr, _("cgisetup: warning: %s\n"), not_proven);
	else if (act->verified)
		printf(_("cgisetup: verified: a probe script ran in '%s' (HTTP %ld, %s)\n"),
		       res->req->dir, act->verify.status, TEMPLATE_HELLO_PROOF);
	else if (act->attempted && res->req->no_verify)
		printf(_("cgisetup: --no-verify: Apache was brought onto the change as usual, but "
			 "nothing proved over HTTP that a script runs\n"));
	if (!res->has_hello)
		printf(_("cgisetup: no test script (--no-hello): a script you put in '%s' runs at "
			 "%s/NAME\n"), res->req->dir, url_base(res->url));
	else if (*res->req->root)
		printf(_("cgisetup: --root given: Apache was not restarted; test URL once it runs: %s\n"),
		       res->url);
	else if (act->left_stopped)
		printf(_("cgisetup: test it once Apache runs: %s\n"), res->url);
	else if (res->has_hello)
		printf(_("cgisetup: test it: %s\n"), res->url);
}

/* --vhost, --userdir: where the change applies (server-wide goes without
 * saying, as before those options) */
static void
print_scope(const struct pipeline_result *res)
{
	_cleanup_free_ char *scope = NULL;

	if (request_scope(res->req) == SCOPE_SERVER)
		return;
	scope = output_run_scope(res);
	printf(_("cgisetup: where: %s\n"), scope ? scope : "?");
}

static void
print_restart(const struct pipeline_result *res)
{
	if (res->act->attempted && res->act->before.failed)
		printf(_("cgisetup: note: Apache's service '%s' had failed before this run (result "
			 "'%s')\n"), res->act->before.unit ? res->act->before.unit : "?",
		       res->act->before.failed);
	if (res->act->attempted)
		print_path(res->act, res->req->force_restart);
	else if (res->req->no_restart && !*res->req->root)
		print_advice(res);
	else if (res->act->left_stopped)
		print_left_stopped(res);
}

void
output_applied(const struct pipeline *p)
{
	const struct pipeline_result *res = pipeline_result(p);

	if (res->req->json) {
		json_result(p, "applied", NULL, false);
		return;
	}
	print_recovery(res->recovered, res->recovery_failures);
	print_changes(res->plan, "  ");
	printf(_("cgisetup: CGI is on for '%s', served at %s/\n"), res->req->dir,
	       res->plan->url_path);
	print_scope(res);
	print_restart(res);
	print_check(res);
	print_warnings(res->host->warnings);
	print_warnings(res->plan->warnings);
}

/* A re-run that found the files configured but not loaded, and loaded
 * them (pipeline_activate). */
void
output_activated(const struct pipeline *p)
{
	const struct pipeline_result *res = pipeline_result(p);

	if (res->req->json) {
		json_result(p, "activated", NULL, false);
		return;
	}
	print_recovery(res->recovered, res->recovery_failures);
	printf(_("cgisetup: configured, not active yet: the running Apache had not loaded what "
		 "cgisetup wrote for '%s'; activated it now (no file changed)\n"),
	       res->req->dir);
	print_restart(res);
	print_check(res);
	print_warnings(res->host->warnings);
	print_warnings(res->plan->warnings);
}

const char *
output_step_name(enum pipeline_step step)
{
	switch (step) {
	case STEP_FILES:
		return _("files");
	case STEP_CONFIG:
		return _("configuration");
	case STEP_CONFIGTEST:
		return _("config test");
	case STEP_RESTART:
		return _("restart");
	case STEP_VERIFY:
		return _("HTTP check");
	case STEP_ROLLBACK:
		return _("rollback");
	}
	return "?";
}

/* The command line prints only a step that failed, with what it names at
 * its end (how the restart job ran, the URL checked, ...). */
static void
report_end(void *userdata, enum pipeline_step step, const char *subject, int r)
{
	const struct request *req = userdata;

	if (req->json || r >= 0 || step == STEP_ROLLBACK)
		return;
	fprintf(stderr, _("cgisetup: step failed: %s%s%s\n"), output_step_name(step),
		subject ? ": " : "", subject ? subject : "");
}

const struct reporter *
output_reporter(const struct request *req)
{
	static struct reporter rep = { .end = report_end };

	rep.userdata = (void *)req;
	return &rep;
}

/* ---- undo and status ---- */

static void
print_recovery(unsigned n, char *const *failures)
{
	if (n > 0)
		fprintf(stderr, _("cgisetup: an interrupted run was found and rolled back to the exact "
				  "previous files first\n"));
	char buf[DIAG_MSG_MAX];

	for (size_t i = 0; failures && failures[i]; i++)
		fprintf(stderr, _("cgisetup: recovery: %s\n"), output_text(failures[i], buf));
}

static void
json_undo(const struct undo *u, const char *status, const struct diag *d, bool diff)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT, patch = STRBUF_INIT;
	struct json j = JSON_INIT(&sb);

	json_document(&j);
	json_string(&j, "status", status);
	json_bool(&j, "changed", streq(status, "undone"));
	json_int(&j, "recovered", u->recovered);
	json_pending(&j, u->recovery_pending, u->recovery_paths);
	if (d) {
		json_string(&j, "error", d->msg);
		json_string(&j, "detail", d->detail[0] ? d->detail : NULL);
	}
	if (u->target) {
		json_string(&j, "id", undo_id(u->target));
		const char *vhost;
		enum request_scope kind = undo_entry_scope(u->target, &vhost);

		json_string(&j, "dir", txn_get_meta(u->target, "dir"));
		json_scope(&j, kind, vhost, NULL, 0);
		json_string(&j, "url_path", txn_get_meta(u->target, "url_path"));
		json_string(&j, "applied_at", txn_get_meta(u->target, "time"));
	}
	if (u->act.attempted)
		json_restart(&j, &u->act);
	if (u->act.verified)
		json_verify(&j, &u->act.verify);
	json_warnings(&j, u->warnings, u->rollback_failures);
	json_open(&j, "not_undone", '[');
	for (size_t i = 0; u->partly && u->partly[i]; i++)
		json_string(&j, NULL, u->partly[i]);
	json_close(&j, ']');
	if (diff && undo_diff(u, &patch) >= 0)
		json_string(&j, "diff", patch.buf ? patch.buf : "");
	json_close(&j, '}');
	print_json(&sb);
}

void
output_undo_nothing(const struct undo *u)
{
	if (u->req->json) {
		json_undo(u, "nothing-to-undo", NULL, false);
		return;
	}
	print_recovery(u->recovered, u->recovery_failures);
	print_pending(u->recovery_pending, u->recovery_paths);
	printf(_("cgisetup: nothing to undo: no change by cgisetup is applied on this system\n"));
}

static void
print_undo_actions(const struct undo *u)
{
	for (size_t i = 0; i < u->txn->n_recs; i++) {
		const struct txn_record *rec = &u->txn->recs[i];
		_cleanup_free_ char *action = output_undo_action(rec->op, rec->path);

		if (action)
			printf("  %s\n", action);
	}
}

/* Where applied entry T applies, translated ("?" when out of memory). */
static char *
entry_scope(const struct txn *t)
{
	const char *vhost;
	enum request_scope kind = undo_entry_scope(t, &vhost);
	char *scope = output_scope(kind, vhost);

	return scope ? scope : strdup("?");
}

void
output_undo_preview(const struct undo *u)
{
	_cleanup_strbuf_ struct strbuf diff = STRBUF_INIT;
	_cleanup_free_ char *scope = NULL;

	if (u->req->json) {
		json_undo(u, "dry-run", NULL, true);
		return;
	}
	print_pending(u->recovery_pending, u->recovery_paths);
	printf(_("# cgisetup --undo --dry-run: nothing was written; undoing '%s' (applied %s):\n"),
	       txn_get_meta(u->target, "dir"), txn_get_meta(u->target, "time"));
	scope = entry_scope(u->target);
	printf(_("#   where it applied: %s\n"), scope ? scope : "?");
	print_undo_actions(u);
	if (undo_diff(u, &diff) >= 0 && diff.buf)
		fputs(diff.buf, stdout);
	print_warnings(u->warnings);
}

void
output_undone(const struct undo *u)
{
	const struct txn *other;
	char buf[DIAG_MSG_MAX];
	_cleanup_free_ char *scope = NULL;

	if (u->req->json) {
		json_undo(u, "undone", NULL, false);
		return;
	}
	print_recovery(u->recovered, u->recovery_failures);
	print_undo_actions(u);
	if (u->partly) {
		printf(_("cgisetup: partly undone: change %s for '%s' (applied %s); not undone:\n"),
		       undo_id(u->target), txn_get_meta(u->target, "dir"),
		       txn_get_meta(u->target, "time"));
		for (size_t i = 0; u->partly[i]; i++)
			printf("  %s\n", output_text(u->partly[i], buf));
		printf(_("cgisetup: the entry stays in the journal; once that is done by hand: "
			 "cgisetup --undo %s --forget\n"), undo_id(u->target));
	} else if ((other = undo_entry_still_serving(u))) {
		printf(_("cgisetup: undone: change %s for '%s' (applied %s); CGI stays on there: "
			 "change %s for the same directory still applies\n"), undo_id(u->target),
		       txn_get_meta(u->target, "dir"), txn_get_meta(u->target, "time"),
		       undo_id(other));
	} else if (undo_runs_still(u)) {
		printf(_("cgisetup: undone: the change of %s for '%s'; CGI stays on there, as it "
			 "was before that change\n"),
		       txn_get_meta(u->target, "time"), txn_get_meta(u->target, "dir"));
	} else {
		printf(_("cgisetup: undone: CGI for '%s' (applied %s) is off again\n"),
		       txn_get_meta(u->target, "dir"), txn_get_meta(u->target, "time"));
	}
	scope = entry_scope(u->target);
	printf(_("cgisetup: where it applied: %s\n"), scope ? scope : "?");
	if (u->act.attempted)
		print_path(&u->act, u->req->force_restart);
	if (u->act.verified)
		print_fetched(stdout, &u->act.verify);
	if (u->act.verified && undo_runs_still(u))
		printf(_("cgisetup: verified: a probe script in '%s' still runs, as before "
			 "(HTTP %ld)\n"), txn_get_meta(u->target, "dir"), u->act.verify.status);
	else if (u->act.verified)
		printf(_("cgisetup: verified: a probe script in '%s' no longer runs (HTTP %ld)\n"),
		       txn_get_meta(u->target, "dir"), u->act.verify.status);
	print_warnings(u->warnings);
}

void
output_forgotten(const struct undo *u)
{
	if (u->req->json) {
		json_undo(u, u->req->dry_run ? "dry-run" : "forgotten", NULL, false);
		return;
	}
	if (u->req->dry_run)
		printf(_("# cgisetup --undo %s --forget --dry-run: nothing was written; would drop "
			 "change %s for '%s' from the journal\n"), undo_id(u->target),
		       undo_id(u->target), txn_get_meta(u->target, "dir"));
	else
		printf(_("cgisetup: dropped change %s for '%s' (applied %s) from the journal; its "
			 "files are as they were\n"), undo_id(u->target),
		       txn_get_meta(u->target, "dir"), txn_get_meta(u->target, "time"));
}

char *
output_undo_next(const struct undo *u)
{
	const char *id = u->target ? undo_id(u->target) : "";

	if (u->rollback_failures)
		return NULL;
	/* everything else worked: only the HTTP check said no */
	if (u->act.verified && u->act.outcome != CHECK_PROVEN)
		return strdup_printf(_("the files and Apache are as before the undo. If scripts "
				       "should keep running there (a mapping of your own serves "
				       "the directory), 'cgisetup --undo %s --no-verify' undoes it "
				       "without this check; otherwise fix what serves it, then run "
				       "'cgisetup --undo %s' again"),
				     id, id);
	return strdup_printf(_("the files and Apache are as before the undo: fix the cause "
			       "named above, then run 'cgisetup --undo %s' again"),
			     id);
}

void
output_undo_error(const struct undo *u, const struct diag *d)
{
	char msg[DIAG_MSG_MAX];

	if (u->req->json) {
		json_undo(u, "failed", d, false);
		return;
	}
	fprintf(stderr, _("cgisetup: %s\n"), output_message(d, msg));
	if (d->detail[0])
		fprintf(stderr, "%s%s", d->detail, endswith(d->detail, "\n") ? "" : "\n");
	if (u->act.verified)
		print_fetched(stderr, &u->act.verify);
	if (u->rollback_failures) {
		fprintf(stderr, _("cgisetup: rollback of the undo incomplete; fix these by hand:\n"));
		for (size_t i = 0; u->rollback_failures[i]; i++)
			fprintf(stderr, "  %s\n", output_text(u->rollback_failures[i], msg));
	} else {
		_cleanup_free_ char *next = output_undo_next(u);

		fprintf(stderr, _("cgisetup: the undo was rolled back: the change is still applied\n"));
		if (next)
			fprintf(stderr, _("cgisetup: what to do: %s\n"), next);
	}
}

/* One line per applied entry: its ID, time, scope, directory and URL,
 * and whether it is still as cgisetup left it; then what is not undone. */
static void
print_status_entry(const struct undo *u, size_t i, enum request_scope kind, const char *vhost,
		   const char *partly)
{
	const struct txn *t = u->applied[i];
	_cleanup_free_ char *scope = kind == SCOPE_VHOST
					     ? strdup_printf(_("vhost %s"), vhost ? vhost : "?")
					     : strdup(kind == SCOPE_USERDIR ? _("userdir")
									 : _("server-wide"));

	printf(_("%s  %s  %s  %s at %s/  (%s)%s\n"), undo_id(t), txn_get_meta(t, "time"),
	       scope ? scope : "?", txn_get_meta(t, "dir"), txn_get_meta(t, "url_path"),
	       partly ? _("partly undone") : undo_intact(u, t) ? _("intact") : _("edited since"),
	       i + 1 == u->n_applied ? _("  <- --undo takes this back") : "");
	if (partly)
		printf(_("    not undone: %s (when done by hand: cgisetup --undo %s --forget)\n"),
		       partly, undo_id(t));
}

void
output_status(const struct undo *u)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;
	struct json j = JSON_INIT(&sb);

	if (!u->req->json) {
		print_recovery(u->recovered, u->recovery_failures);
		if (u->n_applied == 0)
			printf(_("cgisetup: nothing applied by cgisetup on this system\n"));
	}
	json_document(&j);
	json_int(&j, "recovered", u->recovered);
	json_pending(&j, u->recovery_pending, u->recovery_paths);
	json_open(&j, "applied", '[');
	for (size_t i = 0; i < u->n_applied; i++) {
		const struct txn *t = u->applied[i];
		bool intact = undo_intact(u, t);
		const char *module, *vhost;
		enum request_scope kind;
		const char *partly = txn_get_meta(t, "partly_undone");

		if (partly && !*partly)
			partly = NULL;
		kind = undo_entry_scope(t, &vhost);
		if (!u->req->json)
			print_status_entry(u, i, kind, vhost, partly);
		json_open(&j, NULL, '{');
		json_string(&j, "id", undo_id(t));
		json_string(&j, "partly_undone", partly);
		json_string(&j, "time", txn_get_meta(t, "time"));
		json_string(&j, "dir", txn_get_meta(t, "dir"));
		json_scope(&j, kind, vhost, NULL, 0);
		json_string(&j, "url_path", txn_get_meta(t, "url_path"));
		module = txn_get_meta(t, "module");
		/* the journal says "" for none; --json says null, as elsewhere */
		json_string(&j, "module_enabled", module && *module ? module : NULL);
		json_bool(&j, "intact", intact);
		json_open(&j, "files", '[');
		for (size_t k = 0; k < t->n_recs; k++)
			if (t->recs[k].op != TXN_CHANGE && t->recs[k].op != TXN_PROBE)
				json_string(&j, NULL, t->recs[k].path);
		json_close(&j, ']');
		json_close(&j, '}');
	}
	json_close(&j, ']');
	json_close(&j, '}');
	if (u->req->json)
		print_json(&sb);
}

/* A Ctrl-C (SIGINT, SIGTERM, SIGHUP, SIGQUIT) during the writes and the
 * reloads is held back (cli.c, wizard-apply.c): cut there, the change
 * would be half made and the next run would roll it back; Apache, reloaded or not, would run a
 * configuration nobody asked for meanwhile. So the work finishes (applied,
 * or rolled back as the report says), the report is printed, and then this
 * line, so that whoever pressed Ctrl-C knows why the program did not stop
 * at once. The exit status stays the work's. Before the first write
 * (detection, planning) Ctrl-C stops the program at once. */
void
output_interrupted(bool undo)
{
	fflush(stdout);
	if (undo)
		fprintf(stderr, _("cgisetup: interrupted while undoing; waited for the undo to "
				  "finish\n"));
	else
		fprintf(stderr, _("cgisetup: interrupted while applying; waited for the change to "
				  "finish\n"));
}
