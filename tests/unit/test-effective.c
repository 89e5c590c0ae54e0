/* test-effective.c - effective_dir() on models built from configuration
 * text: access (open, granted, the stock deny, an admin's restriction on
 * DIR or a parent, authz blocks), ExecCGI and handlers in Apache's merge
 * order, the section cgisetup completes, and the lines that would turn CGI
 * off again after it (later in the section, a later section, a regex
 * section, a virtual host). Each case asserts the exact file and line. */
#include "config.h"

#include <stdio.h>

#include "cgisetup/effective.h"
#include "cgisetup/model.h"
#include "cgisetup/scan.h"
#include "tap.h"

#define STOCK "<Directory />\n\tRequire all denied\n</Directory>\n"
#define MAIN "/etc/apache2/apache2.conf"
#define CONF "/etc/apache2/conf-enabled/admin.conf"
#define LATER "/etc/apache2/conf-enabled/zz.conf"

struct text_file {
	const char *path;
	const char *text;
};

struct eff_case {
	const char *name;
	struct text_file files[3]; /* read in this order, as Includes would */
	const char *keep;          /* a file a package owns, or NULL */
	/* expected */
	enum effective_access access;
	const char *access_at; /* "FILE:LINE" of the deciding rule, or NULL */
	bool exec;
	bool handled;          /* .py */
	const char *own_at;    /* "FILE:LINE" of the section completed, or NULL */
	const char *kept_at;   /* the same in a kept file */
	const char *defeat_at;
	const char *vhost_defeat_at;
	bool script_alias;
};

static const struct eff_case cases[] = {
	{ .name = "the stock deny only", .files = { { MAIN, STOCK } },
	  .access = EFFECTIVE_STOCK_DENIED, .access_at = MAIN ":2" },
	{ .name = "no access rule at all", .files = { { MAIN, "Listen 80\n" } },
	  .access = EFFECTIVE_OPEN },
	{ .name = "Require ip on DIR in an included file",
	  .files = { { MAIN, STOCK }, { CONF, "<Directory /srv/cgi>\n\tRequire ip 10.0.0.0/8\n</Directory>\n" } },
	  .access = EFFECTIVE_RESTRICTED, .access_at = CONF ":2", .own_at = CONF ":1" },
	{ .name = "Basic auth on a parent",
	  .files = { { MAIN, STOCK }, { CONF, "<Directory /srv>\n\tAuthType Basic\n\tRequire valid-user\n</Directory>\n" } },
	  .access = EFFECTIVE_RESTRICTED, .access_at = CONF ":3" },
	{ .name = "Require all denied on DIR is the admin's",
	  .files = { { MAIN, STOCK }, { CONF, "<Directory /srv/cgi>\n\tRequire all denied\n</Directory>\n" } },
	  .access = EFFECTIVE_RESTRICTED, .access_at = CONF ":2", .own_at = CONF ":1" },
	{ .name = "granted on a parent (Debian's /var/www/)",
	  .files = { { MAIN, STOCK "<Directory /srv/>\n\tRequire all granted\n</Directory>\n" } },
	  .access = EFFECTIVE_GRANTED, .access_at = MAIN ":5" },
	{ .name = "granted inside <RequireAll> is a rule of its own",
	  .files = { { MAIN, STOCK "<Directory /srv>\n<RequireAll>\nRequire all granted\n</RequireAll>\n</Directory>\n" } },
	  .access = EFFECTIVE_RESTRICTED, .access_at = MAIN ":6" },
	{ .name = "a deeper restriction does not decide for DIR",
	  .files = { { MAIN, STOCK "<Directory /srv/cgi/private>\n\tRequire all denied\n</Directory>\n" } },
	  .access = EFFECTIVE_STOCK_DENIED, .access_at = MAIN ":2" },
	{ .name = "Options +ExecCGI, then -ExecCGI in the same section",
	  .files = { { MAIN, STOCK "<Directory /srv/cgi>\nOptions +ExecCGI\nOptions -ExecCGI\n</Directory>\n" } },
	  .access = EFFECTIVE_STOCK_DENIED, .access_at = MAIN ":2", .own_at = MAIN ":4",
	  .defeat_at = MAIN ":6" },
	{ .name = "a later section for DIR turns it off",
	  .files = { { MAIN, STOCK }, { CONF, "<Directory /srv/cgi>\nOptions +ExecCGI\n</Directory>\n" },
		     { LATER, "<Directory /srv/cgi/>\nOptions Indexes\n</Directory>\n" } },
	  .access = EFFECTIVE_STOCK_DENIED, .access_at = MAIN ":2", .own_at = CONF ":1",
	  .defeat_at = LATER ":2" },
	{ .name = "a regex section turns it off",
	  .files = { { MAIN, STOCK "<DirectoryMatch \"^/srv/c.i\">\nOptions None\n</DirectoryMatch>\n" } },
	  .access = EFFECTIVE_STOCK_DENIED, .access_at = MAIN ":2", .defeat_at = MAIN ":5" },
	{ .name = "a shorter path read later merges before DIR's section",
	  .files = { { MAIN, STOCK }, { LATER, "<Directory /srv>\nOptions None\n</Directory>\n" } },
	  .access = EFFECTIVE_STOCK_DENIED, .access_at = MAIN ":2" },
	{ .name = "a virtual host turns it off: a warning, not a refusal",
	  .files = { { MAIN, STOCK "<VirtualHost *:80>\n<Directory /srv/cgi>\nOptions None\n</Directory>\n</VirtualHost>\n" } },
	  .access = EFFECTIVE_STOCK_DENIED, .access_at = MAIN ":2", .vhost_defeat_at = MAIN ":6" },
	{ .name = "AddHandler at server level, ExecCGI on a parent",
	  .files = { { MAIN, STOCK "AddHandler cgi-script py\n<Directory /srv>\nOptions ExecCGI\nRequire all granted\n</Directory>\n" } },
	  .access = EFFECTIVE_GRANTED, .access_at = MAIN ":7", .exec = true, .handled = true },
	{ .name = "RemoveHandler in DIR's section after its Options",
	  .files = { { MAIN, "AddHandler cgi-script .py\n<Directory /srv/cgi>\nOptions +ExecCGI\nRemoveHandler .py\n</Directory>\n" } },
	  .access = EFFECTIVE_OPEN, .exec = true, .own_at = MAIN ":2", .defeat_at = MAIN ":4" },
	{ .name = "SetHandler cgi-script hands every file over",
	  .files = { { MAIN, "<Directory /srv/cgi>\nOptions +ExecCGI\nSetHandler cgi-script\n</Directory>\n" } },
	  .access = EFFECTIVE_OPEN, .exec = true, .handled = true, .own_at = MAIN ":1" },
	{ .name = "a ScriptAlias serves DIR",
	  .files = { { MAIN, STOCK "ScriptAlias /cgi-bin/ /srv/cgi/\n<Directory /srv/cgi>\nRequire all granted\n</Directory>\n" } },
	  .access = EFFECTIVE_GRANTED, .access_at = MAIN ":6", .own_at = MAIN ":5",
	  .script_alias = true },
	{ .name = "a section behind ${VAR}",
	  .files = { { MAIN, "Define D /srv/cgi\n<Directory ${D}>\nRequire ip 192.0.2.1\n</Directory>\n" } },
	  .access = EFFECTIVE_RESTRICTED, .access_at = MAIN ":3", .own_at = MAIN ":2" },
	{ .name = "a section in a file a package owns is kept",
	  .files = { { MAIN, STOCK }, { CONF, "<Directory /srv/cgi>\nOptions +ExecCGI\n</Directory>\n" } },
	  .keep = CONF, .access = EFFECTIVE_STOCK_DENIED, .access_at = MAIN ":2", .exec = true,
	  .kept_at = CONF ":1" },
	{ .name = "an inactive <IfModule> is not read",
	  .files = { { MAIN, STOCK "<IfModule mod_nothing.c>\n<Directory /srv/cgi>\nRequire all granted\n</Directory>\n</IfModule>\n" } },
	  .access = EFFECTIVE_STOCK_DENIED, .access_at = MAIN ":2" },
	/* fuzz-config: a directive without arguments had a NULL args vector
	 * that effective.c dereferenced; Apache refuses these lines, cgisetup
	 * must only not crash on them (and grants nothing for them) */
	{ .name = "directives without arguments",
	  .files = { { MAIN, STOCK "<Directory /srv/cgi>\nOptions +ExecCGI\nAddHandler\nRemoveHandler\n"
			       "SetHandler\nOptions\n</Directory>\n" } },
	  .access = EFFECTIVE_STOCK_DENIED, .access_at = MAIN ":2", .exec = true, .own_at = MAIN ":4" },
	{ .name = "a wildcard section matches DIR",
	  .files = { { MAIN, STOCK "<Directory /srv/*>\nRequire host example.org\n</Directory>\n" } },
	  .access = EFFECTIVE_RESTRICTED, .access_at = MAIN ":5" },
};

static int
feed(const struct scan_item *it, void *userdata)
{
	char *include = NULL;
	bool optional;
	int r = model_feed(userdata, it, &include, &optional);

	free(include); /* the table gives the included files in order */
	return r;
}

static int
model_from(const struct eff_case *c, struct model *m)
{
	int r = model_init(m, "/etc/apache2");

	for (size_t i = 0; r >= 0 && i < ELEMENTSOF(c->files) && c->files[i].path; i++) {
		r = model_enter_file(m, c->files[i].path);
		if (r >= 0)
			r = scan_text(c->files[i].text, strlen(c->files[i].text), feed, m);
		model_leave_file(m);
	}
	return r;
}

/* "FILE:LINE", or "" for NULL. */
static void
at(char *buf, size_t n, const char *file, unsigned line)
{
	if (file)
		snprintf(buf, n, "%s:%u", file, line);
	else
		buf[0] = '\0';
}

static void
check_case(const struct eff_case *c)
{
	char *exts[] = { (char *)".py", NULL };
	char *keep[] = { (char *)c->keep, NULL };
	struct model m;
	struct effective e;
	char got[256];

	CHECK_AT(c->name, model_from(c, &m) >= 0);
	CHECK_AT(c->name, effective_dir(&m, "/srv/cgi", exts, c->keep ? keep : NULL, &e) >= 0);
	CHECK_AT(c->name, e.access == c->access);
	at(got, sizeof(got), e.access_by ? e.access_by->file : NULL, e.access_by ? e.access_by->line : 0);
	CHECK_STR_AT(c->name, "access_at", got, c->access_at ? c->access_at : "");
	CHECK_AT(c->name, e.exec_cgi == c->exec);
	CHECK_AT(c->name, e.handled[0] == c->handled);
	at(got, sizeof(got), e.own ? e.own->file : NULL, e.own ? e.own->line : 0);
	CHECK_STR_AT(c->name, "own_at", got, c->own_at ? c->own_at : "");
	at(got, sizeof(got), e.own_kept ? e.own_kept->file : NULL, e.own_kept ? e.own_kept->line : 0);
	CHECK_STR_AT(c->name, "kept_at", got, c->kept_at ? c->kept_at : "");
	at(got, sizeof(got), e.defeat ? e.defeat->file : NULL, e.defeat ? e.defeat->line : 0);
	CHECK_STR_AT(c->name, "defeat_at", got, c->defeat_at ? c->defeat_at : "");
	at(got, sizeof(got), e.vhost_defeat ? e.vhost_defeat->file : NULL,
	   e.vhost_defeat ? e.vhost_defeat->line : 0);
	CHECK_STR_AT(c->name, "vhost_defeat_at", got, c->vhost_defeat_at ? c->vhost_defeat_at : "");
	CHECK_AT(c->name, (e.script_alias != NULL) == c->script_alias);
	effective_release(&e);
	model_release(&m);
}

static void
test_location(void)
{
	static const char text[] = "<Location /cgi>\nRequire ip 10.0.0.0/8\n</Location>\n"
				   "<Location /open>\nRequire all granted\n</Location>\n"
				   "<LocationMatch \"^/x/.*\\.py$\">\nRequire valid-user\n</LocationMatch>\n";
	const struct eff_case c = { .files = { { MAIN, text } } };
	const struct model_directive *d;
	struct model m;

	CHECK(model_from(&c, &m) >= 0);
	d = effective_location_rule(&m, "/cgi");
	CHECK(d && d->line == 2);
	CHECK(effective_location_rule(&m, "/cgi2") == NULL);
	CHECK(effective_location_rule(&m, "/open") == NULL);
	d = effective_location_rule(&m, "/x");
	CHECK(d && d->line == 8);
	model_release(&m);
}

static void
test_same_dir(void)
{
	CHECK(effective_same_dir("\"/srv/cgi/\"", "/srv/cgi"));
	CHECK(effective_same_dir("/srv//cgi", "/srv/cgi"));
	CHECK(effective_same_dir("/srv/my\\ cgi", "/srv/my cgi"));
	CHECK(!effective_same_dir("/srv/cgi2", "/srv/cgi"));
}

int
main(void)
{
	for (size_t i = 0; i < ELEMENTSOF(cases); i++)
		check_case(&cases[i]);
	test_same_dir();
	test_location();
	return tap_done();
}
