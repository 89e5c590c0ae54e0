/* output-check.c - what --check prints: one line per finding (ok, warning
 * or problem) with its cause, and the exact fix under each problem; or one
 * JSON document (schemas/check.schema.json, never translated). */
#include "config.h"

#include <stdio.h>

#include "cgisetup/i18n.h"
#include "cgisetup/json.h"
#include "cgisetup/output.h"
#include "cgisetup/output-check.h"
#include "cgisetup/util.h"

/* A finding's text, translated (HUMAN) or in English. */
static char *
finding_text(const char *fmt, char *const *args, bool human)
{
	char *s;

	if (!fmt)
		return NULL;
	s = check_render(human ? _(fmt) : fmt, args);
	/* a translation whose conversions do not fit: the English text */
	return s ? s : check_render(fmt, args);
}

static const char *
level_text(enum finding_level l)
{
	switch (l) {
	case FINDING_OK:
		return _("ok");
	case FINDING_WARNING:
		return _("warning");
	case FINDING_PROBLEM:
		return _("problem");
	}
	return "?";
}

static void
print_findings(const struct findings *f, FILE *out)
{
	for (size_t i = 0; i < f->n; i++) {
		const struct finding *x = &f->v[i];
		_cleanup_free_ char *cause = finding_text(x->cause, x->cause_args, true);
		_cleanup_free_ char *fix = finding_text(x->fix, x->fix_args, true);

		/* TRANSLATORS: one finding: its level ("ok", "warning",
		 * "problem"), then its cause */
		fprintf(out, _("%s: %s\n"), level_text(x->level), cause ? cause : "?");
		if (fix && x->level != FINDING_OK)
			fprintf(out, _("  fix: %s\n"), fix);
	}
}

void
output_check_findings(const struct findings *f, FILE *out)
{
	print_findings(f, out);
}

int
output_check_verification_findings(const struct pipeline *p, struct findings *ret)
{
	const struct pipeline_result *res = p ? pipeline_result(p) : NULL;
	const struct verify_result *v;
	struct check_fetch cf;
	int r;

	*ret = (struct findings){ 0 };
	if (!res || !res->act || !res->act->verified || res->act->outcome != CHECK_FAILED
	    || !res->act->verify.url)
		return 0;
	v = &res->act->verify;
	cf = (struct check_fetch){ .url = v->url, .answered = v->status != 0,
				   .script = res->plan ? res->plan->probe_path : NULL,
				   .timed_out = v->verdict == VERDICT_TIMEOUT, .status = v->status,
				   .content_type = v->content_type, .body = v->body };
	r = check_log(&cf, v->log_tail, ret);
	if (r < 0 || findings_worst(ret) == FINDING_OK)
		findings_release(ret);
	return r;
}

char *
output_check_finding_text(const struct finding *x, bool fix)
{
	return fix ? finding_text(x->fix, x->fix_args, true)
		   : finding_text(x->cause, x->cause_args, true);
}

void
output_check_verification(const struct pipeline *p)
{
	struct findings f;

	if (output_check_verification_findings(p, &f) < 0 || f.n == 0)
		return;
	fprintf(stderr, _("cgisetup: why the HTTP check failed (as --check reads it):\n"));
	print_findings(&f, stderr);
	findings_release(&f);
}

void
output_check_json_findings(struct json *j, const char *key, const struct findings *f)
{
	json_open(j, key, '[');
	for (size_t i = 0; i < f->n; i++) {
		const struct finding *x = &f->v[i];
		_cleanup_free_ char *cause = finding_text(x->cause, x->cause_args, false);
		_cleanup_free_ char *fix = finding_text(x->fix, x->fix_args, false);

		json_open(j, NULL, '{');
		json_string(j, "level", finding_level_name(x->level));
		json_string(j, "id", x->id);
		json_string(j, "subject", x->subject);
		json_string(j, "cause", cause);
		json_string(j, "fix", fix);
		json_bool(j, "fixable", x->autofix != FIX_NONE);
		json_close(j, '}');
	}
	json_close(j, ']');
}

char *
output_check_summary(const struct diagnose *dg)
{
	unsigned problems = 0, warnings = 0;
	size_t n_dirs = strv_length(dg->dirs);
	_cleanup_free_ char *scripts = NULL, *dirs = NULL, *p = NULL, *w = NULL;

	for (size_t i = 0; i < dg->findings.n; i++) {
		problems += dg->findings.v[i].level == FINDING_PROBLEM;
		warnings += dg->findings.v[i].level == FINDING_WARNING;
	}
	/* each count its own plural: one message with four counts has no
	 * right plural form in any language */
	scripts = strdup_printf(ngettext("%u script", "%u scripts", dg->n_scripts),
				dg->n_scripts);
	dirs = strdup_printf(ngettext("%zu directory", "%zu directories", n_dirs), n_dirs);
	p = strdup_printf(ngettext("%u problem", "%u problems", problems), problems);
	w = strdup_printf(ngettext("%u warning", "%u warnings", warnings), warnings);
	if (!scripts || !dirs || !p || !w)
		return NULL;
	/* TRANSLATORS: "checked 3 scripts in 1 directory: 1 problem, 0 warnings";
	 * each %s is one of the counts above */
	return strdup_printf(_("checked %s in %s: %s, %s"), scripts, dirs, p, w);
}

static void
print_summary(const struct diagnose *dg)
{
	_cleanup_free_ char *s = output_check_summary(dg);

	printf("cgisetup: %s\n", s ? s : "?");
}

void
output_check(const struct request *req, const struct diagnose *dg)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;
	struct json j = JSON_INIT(&sb);

	if (!req->json) {
		print_findings(&dg->findings, stdout);
		print_summary(dg);
		return;
	}
	json_open(&j, NULL, '{');
	json_int(&j, "schema_version", OUTPUT_JSON_SCHEMA_VERSION);
	json_string(&j, "status", finding_level_name(findings_worst(&dg->findings)));
	json_open(&j, "dirs", '[');
	for (size_t i = 0; dg->dirs && dg->dirs[i]; i++)
		json_string(&j, NULL, dg->dirs[i]);
	json_close(&j, ']');
	json_int(&j, "scripts", dg->n_scripts);
	if (dg->url) {
		json_open(&j, "fetched", '{');
		json_string(&j, "url", dg->url);
		json_int(&j, "status", dg->status);
		json_close(&j, '}');
	} else {
		json_string(&j, "fetched", NULL);
	}
	output_check_json_findings(&j, "findings", &dg->findings);
	json_close(&j, '}');
	fputs(sb.buf ? sb.buf : "{}", stdout);
	fputc('\n', stdout);
}
