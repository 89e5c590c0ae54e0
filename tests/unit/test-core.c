/* test-core.c - unit tests of the core (no root, no Apache, no network).
 * Output is TAP, one line per assertion. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>

#include "cgisetup/diff.h"
#include "cgisetup/json.h"
#include "cgisetup/layout.h"
#include "cgisetup/live.h"
#include "cgisetup/model.h"
#include "cgisetup/plan.h"
#include "cgisetup/request.h"
#include "cgisetup/scan.h"
#include "cgisetup/shellvars.h"
#include "cgisetup/template.h"
#include "cgisetup/textedit.h"
#include "cgisetup/verdict.h"

#include "tap.h"

/* ---- options ---- */

static char *
options_after(const char *const *in)
{
	_cleanup_strv_free_ char **out = NULL;
	struct strbuf sb = STRBUF_INIT;
	int r = plan_options_with_execcgi((char *const *)in, &out);

	if (r == 0)
		return strdup("(unchanged)");
	for (size_t i = 0; out && out[i]; i++)
		strbuf_addf(&sb, "%s%s", i ? " " : "", out[i]);
	return strbuf_detach(&sb);
}

static void
test_options(void)
{
	static const struct {
		const char *in[4];
		const char *want;
	} cases[] = {
		{ { NULL }, "+ExecCGI" },
		{ { "FollowSymLinks", NULL }, "FollowSymLinks ExecCGI" },
		{ { "Indexes", "FollowSymLinks", NULL }, "Indexes FollowSymLinks ExecCGI" },
		{ { "None", NULL }, "ExecCGI" },
		{ { "-ExecCGI", NULL }, "+ExecCGI" },
		{ { "+Indexes", "-ExecCGI", NULL }, "+Indexes +ExecCGI" },
		{ { "+execcgi", NULL }, "(unchanged)" },
		{ { "ExecCGI", "Includes", NULL }, "(unchanged)" },
		{ { "All", NULL }, "(unchanged)" },
		{ { "-MultiViews", NULL }, "-MultiViews +ExecCGI" },
	};

	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		_cleanup_free_ char *got = options_after(cases[i].in);

		CHECK_STR(got, cases[i].want);
	}
}

static void
test_same_dir(void)
{
	CHECK(plan_same_dir("/srv/cgi", "/srv/cgi"));
	CHECK(plan_same_dir("\"/srv/cgi/\"", "/srv/cgi"));
	CHECK(plan_same_dir("'/srv//cgi'", "/srv/cgi"));
	CHECK(plan_same_dir("/srv/my\\ cgi", "/srv/my cgi"));
	CHECK(!plan_same_dir("/srv/cgi2", "/srv/cgi"));
	CHECK(!plan_same_dir("/SRV/cgi", "/srv/cgi"));
}

/* ---- request validation ---- */

static int
validate(const char *dir, const char *url, enum diag_kind *kind)
{
	struct request req;
	struct diag d = { 0 };
	int r;

	request_init(&req);
	req.dir = strdup(dir);
	req.url_path = url ? strdup(url) : NULL;
	r = request_validate(&req, &d);
	*kind = d.kind;
	request_release(&req);
	return r;
}

static void
test_request(void)
{
	static const char *const bad_dirs[] = {
		"srv/cgi", "/", "/etc", "/usr", "/bin", "/proc", "/proc/1", "/etc/apache2",
		"/srv/../etc", "/srv/./cgi", "/srv/cgi\n", "/srv/c\tgi", "/srv/\"cgi\"", "",
	};
	static const char *const good_dirs[] = { "/srv/cgi", "/srv/my cgi", "/usr/lib/cgi-bin",
						  "/var/www/cgi-bin", "/srv//cgi/" };
	enum diag_kind kind;
	struct request req;
	struct diag d = { 0 };

	for (size_t i = 0; i < ELEMENTSOF(bad_dirs); i++)
		CHECK(validate(bad_dirs[i], NULL, &kind) < 0 && kind == DIAG_USAGE);
	for (size_t i = 0; i < ELEMENTSOF(good_dirs); i++)
		CHECK(validate(good_dirs[i], NULL, &kind) == 0);
	CHECK(validate("/srv/cgi", "cgi", &kind) < 0);
	CHECK(validate("/srv/cgi", "/a\"b", &kind) < 0);
	CHECK(validate("/srv/cgi", "/a b", &kind) < 0);
	CHECK(validate("/srv/cgi", "/", &kind) < 0);
	CHECK(validate("/srv/cgi", "/scripts/", &kind) == 0);

	request_init(&req);
	CHECK(request_set_exts(&req, ".py,.cgi", &d) == 0 && strv_length(req.exts) == 2);
	CHECK(request_set_exts(&req, "py", &d) < 0);
	CHECK(request_set_exts(&req, ".p;y", &d) < 0);
	request_release(&req);
}

/* ---- scanner and model ---- */

static const char conf_text[] =
	"ServerRoot \"/etc/httpd\"\n"
	"LoadModule mpm_event_module modules/mod_mpm_event.so\n"
	"<IfModule !mpm_prefork_module>\n"
	"\t#LoadModule cgid_module modules/mod_cgid.so\n"
	"</IfModule>\n"
	"<IfModule mpm_prefork_module>\n"
	"\t#LoadModule cgi_module modules/mod_cgi.so\n"
	"</IfModule>\n"
	"Define MYVAR /srv/www\n"
	"DocumentRoot ${MYVAR}\n"
	"<IfDefine NOPE>\n"
	"Listen 8080\n"
	"</IfDefine>\n"
	"Listen 127.0.0.1:81\n"
	"Include conf.d/*.conf\n"
	"ScriptAlias /cgi-bin/ \"/var/www/cgi-bin/\"\n"
	"<VirtualHost *:80>\n"
	"  DocumentRoot /other \\\n"
	"  # not a comment, a continuation\n"
	"</VirtualHost>\n";

static int
feed(const struct scan_item *it, void *ud)
{
	struct model *m = ud;
	_cleanup_free_ char *inc = NULL;
	bool opt;
	int r = model_feed(m, it, &inc, &opt);

	if (inc)
		CHECK_STR(inc, "/etc/httpd/conf.d/*.conf");
	return r;
}

static void
test_model(void)
{
	struct model m;

	model_init(&m, "/usr/local/apache2");
	model_enter_file(&m, "/etc/httpd/conf/httpd.conf");
	CHECK(scan_text(conf_text, strlen(conf_text), feed, &m) == 0);
	model_leave_file(&m);
	CHECK_STR(m.server_root, "/etc/httpd");
	CHECK_STR(m.document_root, "/srv/www");
	CHECK_STR(m.listen, "127.0.0.1:81");
	CHECK(model_has_module(&m, "mpm_event_module"));
	CHECK(model_has_module(&m, "mod_mpm_event.c"));
	CHECK(!model_has_module(&m, "cgid_module"));
	CHECK(m.n_commented == 2);
	CHECK(m.n_commented == 2 && m.commented[0].active && !m.commented[1].active);
	CHECK(m.n_commented == 2 && m.commented[0].line == 4 && m.commented[0].ordinal == 1);
	CHECK(m.n_aliases == 1 && streq(m.aliases[0].path, "/var/www/cgi-bin/"));
	model_release(&m);
}

static void
test_listen(void)
{
	char *host = NULL;
	unsigned port = 0;

	CHECK(layout_parse_listen("80", &host, &port) == 0 && port == 80 && !host);
	CHECK(layout_parse_listen("127.0.0.1:8080", &host, &port) == 0 && port == 8080 &&
	      streq(host, "127.0.0.1"));
	free(host);
	CHECK(layout_parse_listen("[::]:443", &host, &port) == 0 && port == 443 &&
	      streq(host, "[::]"));
	free(host);
	CHECK(layout_parse_listen("http", &host, &port) < 0);
	CHECK(layout_parse_listen("70000", &host, &port) < 0);
}

static int
feed_any(const struct scan_item *it, void *ud)
{
	_cleanup_free_ char *inc = NULL;
	bool opt;

	return model_feed(ud, it, &inc, &opt);
}

/* The layout of configuration TEXT (one file, no live server). */
static void
layout_of(const char *text, struct model *m, struct layout *l)
{
	struct diag d = { 0 };

	model_init(m, "/etc/apache2");
	model_enter_file(m, "/etc/apache2/apache2.conf");
	CHECK(scan_text(text, strlen(text), feed_any, m) == 0);
	model_leave_file(m);
	CHECK(layout_build(layout_families(), m, NULL, "/etc/apache2/apache2.conf", l, &d) == 0);
}

/* The Listen the proof uses: plain HTTP first, https on an HTTPS-only
 * server; the names a redirect may lead to. */
static void
test_listen_tls(void)
{
	struct model m;
	struct layout l;

	layout_of("Listen 443\nListen 8080\n", &m, &l);
	CHECK(l.listen_port == 8080 && !l.listen_tls);
	layout_release(&l);
	model_release(&m);
	layout_of("Listen 127.0.0.2:443\n<VirtualHost *:443>\nServerName a.test\n"
		  "ServerAlias www.a.test b.test\nSSLEngine on\nDocumentRoot /srv/a\n"
		  "</VirtualHost>\n", &m, &l);
	CHECK(l.listen_port == 443 && l.listen_tls && streq(l.listen_host, "127.0.0.2"));
	CHECK_STR(l.tls_host, "127.0.0.2");
	CHECK(strv_length(l.names) == 3 && strv_contains(l.names, "b.test"));
	CHECK(m.n_vhosts == 1 && m.vhosts[0].tls && streq(m.vhosts[0].document_root, "/srv/a"));
	layout_release(&l);
	model_release(&m);
	/* SSLEngine on a port other than 443 makes it https too */
	layout_of("Listen 8443\n<VirtualHost *:8443>\nSSLEngine on\n</VirtualHost>\n", &m, &l);
	CHECK(l.listen_port == 8443 && l.listen_tls);
	layout_release(&l);
	model_release(&m);
	layout_of("Listen 8443 https\nListen 81 http\n", &m, &l);
	CHECK(l.listen_port == 81 && !l.listen_tls);
	layout_release(&l);
	model_release(&m);
}

static enum verdict judge(bool answered, bool refused, long status, const char *type,
			  const char *body);

static void
test_redirect(void)
{
	char *names[] = { (char *)"r.test", (char *)"www.r.test", NULL };
	struct url_parts u = { 0 };
	const char *from = "http://127.0.0.1/cgi/p.py";

	CHECK(verdict_url_split("https://[::1]:8443/cgi/x.py?a", &u) == 0 &&
	      streq(u.scheme, "https") && streq(u.host, "[::1]") && u.port == 8443 &&
	      streq(u.path, "/cgi/x.py?a"));
	verdict_url_release(&u);
	CHECK(verdict_url_split("HTTPS://r.test", &u) == 0 && u.port == 443 &&
	      streq(u.path, "/"));
	verdict_url_release(&u);
	CHECK(verdict_url_split("https://u@r.test/", &u) < 0);
	CHECK(verdict_url_split("https://r.test:0/", &u) < 0);
	CHECK(verdict_url_split("/relative", &u) < 0);
	CHECK(verdict_follow_redirect(from, "https://127.0.0.1/cgi/p.py", names));
	CHECK(verdict_follow_redirect(from, "https://R.TEST/cgi/p.py", names));
	CHECK(verdict_follow_redirect(from, "https://www.r.test:8443/cgi/p.py", names));
	CHECK(verdict_follow_redirect(from, "https://localhost/cgi/p.py", names));
	CHECK(verdict_follow_redirect("http://a.test/x", "https://a.test/x", NULL));
	CHECK(!verdict_follow_redirect(from, "http://r.test/cgi/p.py", names));
	CHECK(!verdict_follow_redirect(from, "https://elsewhere.example/cgi/p.py", names));
	CHECK(!verdict_follow_redirect(from, "https://192.0.2.1/cgi/p.py", names));
	CHECK(!verdict_follow_redirect(from, "https://[2001:db8::1]/cgi/p.py", names));
	CHECK(!verdict_follow_redirect(from, "https://r.test@evil.example/", names));
	CHECK(!verdict_follow_redirect(from, "ftp://r.test/", names));
	CHECK(judge(true, false, 301, "text/html", "") == VERDICT_REDIRECT);
	CHECK(judge(true, false, 308, "text/html", "") == VERDICT_REDIRECT);
}

static bool
exists_none(const char *path, void *ud)
{
	return strv_contains(ud, path);
}

static void
test_family(void)
{
	static const char *const rhel[] = { "/etc/httpd/conf/httpd.conf",
					    "/etc/httpd/conf.modules.d", NULL };
	static const char *const arch[] = { "/etc/httpd/conf/httpd.conf", NULL };
	static const char *const deb[] = { "/etc/apache2/apache2.conf", NULL };
	static const char *const none[] = { NULL };

	CHECK_STR(layout_pick_family(NULL, NULL, NULL, exists_none, (void *)rhel)->name, "rhel");
	CHECK_STR(layout_pick_family(NULL, NULL, NULL, exists_none, (void *)arch)->name, "arch");
	CHECK_STR(layout_pick_family("ubuntu", "debian", NULL, exists_none, (void *)deb)->name, "debian");
	CHECK_STR(layout_pick_family("linuxmint", "ubuntu debian", NULL, exists_none, (void *)deb)->name,
		  "debian");
	CHECK(layout_pick_family(NULL, NULL, NULL, exists_none, (void *)none) == NULL);
	CHECK_STR(layout_pick_family(NULL, NULL, "/opt/x/httpd.conf", exists_none, (void *)deb)->name,
		  "upstream");
}

/* ---- live server output ---- */

static void
test_live(void)
{
	struct live l = { 0 };

	CHECK(live_parse_version(&l, "Server version: Apache/2.4.71 (Debian)\n"
				     "Server MPM:     event\n  threaded:     yes (fixed thread count)\n"
				     " -D HTTPD_ROOT=\"/etc/apache2\"\n"
				     " -D SERVER_CONFIG_FILE=\"apache2.conf\"\n") == 0);
	CHECK_STR(l.version, "Apache/2.4.71 (Debian)");
	CHECK_STR(l.mpm, "event");
	CHECK(l.threaded);
	CHECK_STR(l.config_file, "/etc/apache2/apache2.conf");
	CHECK(live_parse_run_cfg(&l, "ServerRoot: \"/etc/apache2\"\n"
				     "Main DocumentRoot: \"/var/www/html\"\n"
				     "Main ErrorLog: \"/var/log/apache2/error.log\"\n"
				     "User: name=\"www-data\" id=33\n") == 0);
	CHECK_STR(l.document_root, "/var/www/html");
	CHECK_STR(l.user, "www-data");
	CHECK(live_parse_includes(&l, "Included configuration files:\n"
				      "  (*) /etc/apache2/apache2.conf\n"
				      "    (146) /etc/apache2/mods-enabled/alias.load\n") == 0);
	CHECK(strv_length(l.includes) == 2);
	CHECK(live_parse_modules(&l, "Loaded Modules:\n core_module (static)\n cgid_module (shared)\n") ==
	      0);
	CHECK(strv_contains(l.modules, "cgid_module"));
	live_release(&l);

	/* one run of -t -D DUMP_INCLUDES -D DUMP_MODULES: the main config from
	 * the "(*)" line, the MPM from the modules */
	CHECK(live_parse_includes(&l, "Included configuration files:\n"
				      "  (*) /etc/httpd/conf/httpd.conf\n"
				      "    (1) /etc/httpd/conf.modules.d/00-mpm.conf\n") == 0);
	CHECK_STR(l.config_file, "/etc/httpd/conf/httpd.conf");
	CHECK(live_parse_modules(&l, " core_module (static)\n mpm_prefork_module (shared)\n") == 0);
	CHECK_STR(l.mpm, "prefork");
	CHECK(!l.threaded);
	live_release(&l);
}

static void
test_shellvars(void)
{
	struct shellvars v;

	CHECK(shellvars_parse("export APACHE_RUN_USER=www-data\n"
			      "export APACHE_LOG_DIR=/var/log/apache2$SUFFIX\n"
			      "ID=\"debian\"  # comment\n"
			      "NAME='Debian $x'\n",
			      &v) == 0);
	CHECK_STR(shellvars_get(&v, "APACHE_RUN_USER"), "www-data");
	CHECK_STR(shellvars_get(&v, "APACHE_LOG_DIR"), "/var/log/apache2");
	CHECK_STR(shellvars_get(&v, "ID"), "debian");
	CHECK_STR(shellvars_get(&v, "NAME"), "Debian $x");
	shellvars_release(&v);

	/* fuzz-shellvars: a first assignment naming itself read the value
	 * vector before it existed (a NULL dereference); a later one gets the
	 * earlier value, as in the shell */
	CHECK(shellvars_parse("A=$A\n", &v) == 0);
	CHECK_STR(shellvars_get(&v, "A"), "");
	shellvars_release(&v);
	CHECK(shellvars_parse("A=1\nexport A=${A}:2\nB=$A$B\n", &v) == 0);
	CHECK_STR(shellvars_get(&v, "A"), "1:2");
	CHECK_STR(shellvars_get(&v, "B"), "1:2");
	shellvars_release(&v);
}

/* ---- text edits and diffs ---- */

static void
test_textedit(void)
{
	_cleanup_free_ char *out = NULL, *again = NULL;
	const char *text = "# LoadModule cgid_module x y\n"
			   "\t#LoadModule cgid_module modules/mod_cgid.so\n"
			   "#  LoadModule cgid_module other/mod_cgid.so\n";

	CHECK(textedit_uncomment_loadmodule(text, "cgid_module", 2, &out) == 0);
	CHECK_STR(out, "# LoadModule cgid_module x y\n"
		       "\t#LoadModule cgid_module modules/mod_cgid.so\n"
		       "LoadModule cgid_module other/mod_cgid.so\n");
	CHECK(textedit_uncomment_loadmodule(text, "cgid_module", 1, &again) == 0);
	CHECK(again && strstr(again, "\tLoadModule cgid_module modules/mod_cgid.so\n"));
	CHECK(textedit_uncomment_loadmodule(text, "cgi_module", 1, &out) == -ENOENT);
}

static void
test_diff(void)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;
	_cleanup_strbuf_ struct strbuf none = STRBUF_INIT;
	_cleanup_free_ char *q = diff_name("a", "/srv/my cgi");

	CHECK_STR(q, "a/srv/my cgi");
	CHECK(diff_unified("a\nb\nc\n", "a\nb\nc\n", "x", "y", &none) == 0 && none.len == 0);
	CHECK(diff_unified("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", "1\n2\n3\n4\nX\n6\n7\n8\n9\n10\n", "a/f",
			   "b/f", &sb) == 0);
	CHECK_STR(sb.buf, "--- a/f\n+++ b/f\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+X\n 6\n 7\n 8\n");
	strbuf_release(&sb);
	CHECK(diff_unified(NULL, "new\n", "/dev/null", "b/n", &sb) == 0);
	CHECK_STR(sb.buf, "--- /dev/null\n+++ b/n\n@@ -0,0 +1,1 @@\n+new\n");
	strbuf_release(&sb);
	CHECK(diff_unified("a", "a\nb\n", "a/f", "b/f", &sb) == 0);
	CHECK_STR(sb.buf, "--- a/f\n+++ b/f\n@@ -1,1 +1,2 @@\n-a\n\\ No newline at end of file\n+a\n+b\n");
	strbuf_release(&sb);
	/* a space: the name ends with a tab, as GNU diff's do */
	CHECK(diff_new_file("/srv/my cgi/h.py", "x\n", 0755, &sb) == 0);
	CHECK_STR(sb.buf, "diff --git a/srv/my cgi/h.py b/srv/my cgi/h.py\nnew file mode 100755\n"
			  "--- /dev/null\n+++ b/srv/my cgi/h.py\t\n@@ -0,0 +1,1 @@\n+x\n");
	strbuf_release(&sb);
	CHECK(diff_new_symlink("/e/l", "../t", &sb) == 0);
	CHECK_STR(sb.buf, "diff --git a/e/l b/e/l\nnew file mode 120000\n--- /dev/null\n+++ b/e/l\n"
			  "@@ -0,0 +1,1 @@\n+../t\n\\ No newline at end of file\n");
	free(q);
	q = diff_name("b", "/srv/a\\b");
	CHECK_STR(q, "\"b/srv/a\\\\b\"");
}

/* Valid UTF-8 passes as it is; every byte of a sequence that is not
 * well-formed becomes U+FFFD. */
static void
test_json_utf8(void)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "/srv/caf\xc3\xa9", "\"/srv/caf\xc3\xa9\"" },        /* é */
		{ "/srv/\xe2\x82\xac\xf0\x9f\x98\x80", "\"/srv/\xe2\x82\xac\xf0\x9f\x98\x80\"" },
		{ "/srv/caf\xe9", "\"/srv/caf\\ufffd\"" },               /* Latin-1 é */
		{ "\xc3", "\"\\ufffd\"" },                              /* cut short */
		{ "\xc0\xaf", "\"\\ufffd\\ufffd\"" },                  /* overlong '/' */
		{ "\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"" },      /* a surrogate */
		{ "\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"" }, /* above U+10FFFF */
		{ "\xff\x7f", "\"\\ufffd\x7f\"" },
	};

	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;

		json_escape(&sb, cases[i].in);
		CHECK_STR(sb.buf, cases[i].want);
	}
}

static void
test_template_and_json(void)
{
	const char *vars[] = { "PYTHON3", "/usr/bin/python3", NULL };
	_cleanup_free_ char *hello = template_render(template_hello_py, vars);
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;
	struct json j = JSON_INIT(&sb);

	CHECK(hello && startswith(hello, "#!/usr/bin/python3\n"));
	CHECK(hello && !strstr(hello, TEMPLATE_HELLO_PROOF));
	CHECK(hello && !strstr(hello, "\nimport cgi"));
	json_open(&j, NULL, '{');
	json_string(&j, "a", "q\"\n");
	json_open(&j, "l", '[');
	json_int(&j, NULL, 1);
	json_bool(&j, NULL, true);
	json_close(&j, ']');
	json_string(&j, "n", NULL);
	json_close(&j, '}');
	CHECK_STR(sb.buf, "{\"a\":\"q\\\"\\n\",\"l\":[1,true],\"n\":null}");
	test_json_utf8();
}

static enum verdict
judge(bool answered, bool refused, long status, const char *type, const char *body)
{
	struct http_answer a = { .answered = answered, .refused = refused, .status = status,
				 .content_type = type, .body = body, .proof = TEMPLATE_HELLO_PROOF };

	return verdict_judge(&a);
}

static void
test_verdict(void)
{
	const char *vars[] = { "PYTHON3", "/usr/bin/python3", NULL };
	_cleanup_free_ char *source = template_render(template_hello_py, vars);
	_cleanup_free_ char *tail = NULL;
	char *where;
	unsigned line = 0;

	CHECK(judge(true, false, 200, "text/html; charset=utf-8",
		    "<p id=\"proof\">cgisetup-ran-42042</p>") == VERDICT_RAN);
	CHECK(judge(true, false, 200, "text/x-python", source) == VERDICT_SOURCE);
	CHECK(judge(true, false, 200, "text/plain", "cgisetup-ran-42042") == VERDICT_UNEXPECTED);
	CHECK(judge(true, false, 403, "text/html", "") == VERDICT_FORBIDDEN);
	CHECK(judge(true, false, 401, "text/html", "") == VERDICT_UNAUTHORIZED);
	CHECK_STR(verdict_name(VERDICT_UNAUTHORIZED), "unauthorized");
	CHECK(judge(true, false, 404, "text/html", "") == VERDICT_NOT_FOUND);
	CHECK(judge(true, false, 500, "text/html", "") == VERDICT_SERVER_ERROR);
	CHECK(judge(true, false, 503, "text/html", "") == VERDICT_UNAVAILABLE);
	CHECK(judge(false, true, 0, NULL, NULL) == VERDICT_REFUSED);
	CHECK(judge(false, false, 0, NULL, NULL) == VERDICT_TIMEOUT);
	CHECK_STR(verdict_name(VERDICT_SOURCE), "source-served");
	CHECK(verdict_configtest_where(
		"apache2: Syntax error on line 225 of /etc/apache2/apache2.conf: Syntax error on "
		"line 3 of /etc/apache2/conf-enabled/my x.conf: Invalid command 'Foo'\n",
		&where, &line));
	CHECK_STR(where, "/etc/apache2/conf-enabled/my x.conf");
	CHECK(line == 3);
	free(where);
	CHECK(verdict_configtest_where("AH00526: Syntax error on line 1 of /etc/a.conf:\n"
				       "Invalid command 'CgisetupNoSuchDirective'\n", &where, &line));
	CHECK_STR(where, "/etc/a.conf");
	CHECK(line == 1);
	free(where);
	CHECK(!verdict_configtest_where("AH00543: apache2: bad user name www\n", &where, &line));
	CHECK(where == NULL);
	tail = verdict_log_tail("a\nb\nc\nd\n", 2);
	CHECK_STR(tail, "c\nd\n");
	CHECK(verdict_restart_job(false, true, true) == RESTART_START);
	CHECK(verdict_restart_job(true, true, true) == RESTART_FULL);
	CHECK(verdict_restart_job(true, false, true) == RESTART_RELOAD);
	CHECK(verdict_restart_job(true, false, false) == RESTART_NONE);
}

/* 401/403 prove nothing when an admin's rule restricts access: configured,
 * not proven, never a failure (nor a restart); without such a rule they
 * stay failures. */
static void
test_verdict_restricted(void)
{
	CHECK(verdict_outcome(true, true, VERDICT_FORBIDDEN) == CHECK_RESTRICTED);
	CHECK(verdict_outcome(true, true, VERDICT_UNAUTHORIZED) == CHECK_RESTRICTED);
	CHECK(verdict_outcome(true, false, VERDICT_FORBIDDEN) == CHECK_FAILED);
	CHECK(verdict_outcome(true, false, VERDICT_UNAUTHORIZED) == CHECK_FAILED);
	CHECK(verdict_outcome(true, true, VERDICT_RAN) == CHECK_PROVEN);
	CHECK(verdict_outcome(true, false, VERDICT_RAN) == CHECK_PROVEN);
	/* restricted: anything else still fails (a 500 is the script's fault) */
	CHECK(verdict_outcome(true, true, VERDICT_SERVER_ERROR) == CHECK_FAILED);
	CHECK(verdict_outcome(true, true, VERDICT_SOURCE) == CHECK_FAILED);
	/* undo: anything but "ran" proves the script no longer runs */
	CHECK(verdict_outcome(false, false, VERDICT_FORBIDDEN) == CHECK_PROVEN);
	CHECK(verdict_outcome(false, true, VERDICT_RAN) == CHECK_FAILED);
	CHECK_STR(verdict_outcome_name(CHECK_RESTRICTED), "restricted");
	CHECK_STR(verdict_outcome_name(CHECK_PROVEN), "proven");

	CHECK(verdict_next(RESTART_RELOAD, 1, false, true, true, VERDICT_FORBIDDEN, true) ==
	      NEXT_DONE);
	CHECK(verdict_next(RESTART_RELOAD, 1, false, true, true, VERDICT_UNAUTHORIZED, false) ==
	      NEXT_DONE);
	CHECK(verdict_next(RESTART_FULL, 0, true, true, true, VERDICT_FORBIDDEN, false) ==
	      NEXT_DONE);
	CHECK(verdict_next(RESTART_RELOAD, 1, false, true, false, VERDICT_FORBIDDEN, true) ==
	      NEXT_FAIL);
	CHECK(verdict_next(RESTART_RELOAD, 1, false, true, false, VERDICT_UNAUTHORIZED, true) ==
	      NEXT_FAIL);
	/* not active yet: still waits, then a full restart, restricted or not */
	CHECK(verdict_next(RESTART_RELOAD, 1, false, true, true, VERDICT_NOT_FOUND, true) ==
	      NEXT_WAIT);
	CHECK(verdict_next(RESTART_RELOAD, 1, false, true, true, VERDICT_NOT_FOUND, false) ==
	      NEXT_RESTART);
	CHECK(verdict_next(RESTART_RELOAD, 1, false, true, true, VERDICT_RAN, true) == NEXT_DONE);
	CHECK(verdict_next(RESTART_RELOAD, 1, false, false, true, VERDICT_FORBIDDEN, true) ==
	      NEXT_DONE);
}

/* A catalogue of three entries for diag_message(). */
static const char *
fake_translate(const char *msgid)
{
	if (streq(msgid, "cannot read '%s': %s (%d%%, %zu bytes)"))
		return "kann '%s' nicht lesen: %s (%d%%, %zu Bytes)";
	if (streq(msgid, "cannot start '%s': %s"))
		return "%2$s: kann '%1$s' nicht starten";
	if (streq(msgid, "unit not found"))
		return "Unit nicht gefunden";
	if (streq(msgid, "bad '%s' %d"))
		return "schlecht '%s' %s"; /* a conversion that does not match */
	return msgid;
}

static void
test_diag(void)
{
	struct diag d = { 0 };
	char buf[DIAG_MSG_MAX];

	CHECK(diag_fail(&d, EIO, "cannot read '%s': %s (%d%%, %zu bytes)", "/etc/x", "gone", 5,
			(size_t)42) == -EIO);
	CHECK_STR(d.msg, "cannot read '/etc/x': gone (5%, 42 bytes)");
	CHECK_STR(diag_message(&d, fake_translate, buf, sizeof(buf)),
		  "kann '/etc/x' nicht lesen: gone (5%, 42 Bytes)");
	diag_fail_tr(&d, ENOENT, 1u << 1, "cannot start '%s': %s", "apache2.service",
		     "unit not found");
	CHECK_STR(d.msg, "cannot start 'apache2.service': unit not found");
	CHECK_STR(diag_message(&d, fake_translate, buf, sizeof(buf)),
		  "Unit nicht gefunden: kann 'apache2.service' nicht starten");
	diag_fail(&d, EINVAL, "bad '%s' %d", "x", 3);
	CHECK_STR(diag_message(&d, fake_translate, buf, sizeof(buf)), "bad 'x' 3");
	diag_fail(&d, EINVAL, "mode %04o, %ld, %lld, %x", 0755u, -7L, 1LL << 40, 255u);
	CHECK_STR(diag_message(&d, fake_translate, buf, sizeof(buf)),
		  "mode 0755, -7, 1099511627776, ff");
	CHECK_STR(diag_message(&d, NULL, buf, sizeof(buf)), d.msg);
}

/* A message of a list (a warning): English for --json, translated by
 * diag_text() for a person; a string not made by diag_strdup() as it is. */
static void
test_diag_text(void)
{
	char buf[DIAG_MSG_MAX];
	char *w = diag_strdup("cannot read '%s': %s (%d%%, %zu bytes)", "/etc/y", "gone", 7,
			      (size_t)1);
	struct diag d = { 0 };

	CHECK_STR(w, "cannot read '/etc/y': gone (7%, 1 bytes)");
	CHECK_STR(diag_text(w, fake_translate, buf, sizeof(buf)),
		  "kann '/etc/y' nicht lesen: gone (7%, 1 Bytes)");
	CHECK_STR(diag_text("cannot read '/etc/z': gone (7%, 1 bytes)", fake_translate, buf,
			    sizeof(buf)),
		  "cannot read '/etc/z': gone (7%, 1 bytes)");
	diag_fail_tr(&d, ENOENT, 1u << 1, "cannot start '%s': %s", "httpd.service",
		     "unit not found");
	diag_remember(&d);
	CHECK_STR(diag_text("cannot start 'httpd.service': unit not found", fake_translate, buf,
			    sizeof(buf)),
		  "Unit nicht gefunden: kann 'httpd.service' nicht starten");
	CHECK_STR(diag_text(w, NULL, buf, sizeof(buf)), w);
	free(w);
}

int
main(void)
{
	test_options();
	test_same_dir();
	test_request();
	test_model();
	test_listen();
	test_listen_tls();
	test_redirect();
	test_family();
	test_live();
	test_shellvars();
	test_textedit();
	test_diff();
	test_template_and_json();
	test_verdict();
	test_verdict_restricted();
	test_diag();
	test_diag_text();
	return tap_done();
}
