/* test-check.c - --check's findings (check.h) from recorded facts: each
 * static check of a script, the configuration checks through the model,
 * suEXEC and SELinux (which the rig cannot enable), and the error-log
 * mapping of a live fetch. */
#include "config.h"

#include <errno.h>
#include <stdio.h>

#include "cgisetup/check.h"
#include "cgisetup/effective.h"
#include "cgisetup/util.h"
#include "fixture.h"
#include "tap.h"

/* ---- a host: what is at each path ---- */

static const struct {
	const char *path;
	bool executable;
	int minor;
} files[] = {
	{ "/usr/bin/python3", true, 11 },
	{ "/usr/bin/env", true, -1 },
	{ "/usr/bin/perl", true, -1 },
	{ "/opt/py313/bin/python3", true, 13 },
	{ "/opt/py313/bin/python", true, 13 },
	{ "/usr/local/bin/tool", false, -1 },
};

static int
probe(const char *path, struct check_exe *ret, void *userdata)
{
	const char *prefix = userdata; /* a PATH directory that maps to the 3.13 one */

	*ret = (struct check_exe){ .python_minor = -1 };
	if (prefix && streq(path, "/usr/bin/python3"))
		path = "/opt/py313/bin/python3";
	for (size_t i = 0; i < ELEMENTSOF(files); i++)
		if (streq(files[i].path, path)) {
			ret->exists = true;
			ret->executable = files[i].executable;
			ret->python_minor = files[i].minor;
			return 0;
		}
	return -ENOENT;
}

static struct check_host
host(void)
{
	return (struct check_host){ .run_user = "www-data", .run_uid = 33, .run_gid = 33,
				    .probe = probe };
}

static struct check_script
script(const char *path, const char *head)
{
	return (struct check_script){ .path = path, .kind = CHECK_FILE_REGULAR, .mode = 0755,
				      .head = head, .head_len = strlen(head) };
}

static char *
render(const char *fmt, char *const *args)
{
	return fmt ? check_render(fmt, args) : NULL;
}

/* The findings of one script: assert that ID is among them, and its
 * cause and fix as rendered in English. */
static void
expect(const char *name, const struct check_host *h, const struct check_script *s,
       const char *id, enum finding_level level, const char *cause, const char *fix)
{
	struct findings f = { 0 };
	const struct finding *x;

	CHECK_AT(name, check_script(h, s, &f) == 0);
	x = findings_find(&f, id);
	CHECK_AT(name, x != NULL);
	if (x) {
		_cleanup_free_ char *c = render(x->cause, x->cause_args);
		_cleanup_free_ char *fx = render(x->fix, x->fix_args);

		CHECK_AT(name, x->level == level);
		CHECK_STR_AT(name, "cause", c, cause);
		CHECK_STR_AT(name, "fix", fx, fix);
	} else {
		for (size_t i = 0; i < f.n; i++)
			printf("# has: %s\n", f.v[i].id);
	}
	findings_release(&f);
}

static bool
has(const struct check_host *h, const struct check_script *s, const char *id)
{
	struct findings f = { 0 };
	bool found;

	check_script(h, s, &f);
	found = findings_find(&f, id) != NULL;
	findings_release(&f);
	return found;
}

static void
test_render(void)
{
	char a[] = "a", b[] = "b";
	char *args[FINDING_ARGS] = { a, b, NULL };
	_cleanup_free_ char *r1 = check_render("%s-%s 100%%", args);
	_cleanup_free_ char *r2 = check_render("%2$s then %1$s", args);
	_cleanup_free_ char *r3 = check_render("%d", args);

	CHECK_STR(r1, "a-b 100%");
	CHECK_STR(r2, "b then a");
	CHECK(r3 == NULL);
}

static void
test_shebang(void)
{
	static const struct {
		const char *head, *interp, *env;
		int rc;
	} cases[] = {
		{ "#!/usr/bin/python3\nx", "/usr/bin/python3", NULL, 0 },
		{ "#! /usr/bin/env python\n", "/usr/bin/env", "python", 0 },
		{ "#!/usr/bin/env python3\r\n", "/usr/bin/env", "python3", 0 },
		{ "#!/usr/bin/env python3 -u\n", "/usr/bin/env", "python3 -u", 0 },
		{ "#!/usr/bin/env -S X=1 python3 -u\n", "/usr/bin/env", "python3", 0 },
		{ "\xef\xbb\xbf#!/usr/bin/python3\n", "/usr/bin/python3", NULL, 0 },
		{ "#!", "", NULL, 0 },
		{ "print('x')\n", NULL, NULL, -EINVAL },
		{ "", NULL, NULL, -EINVAL },
	};

	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		_cleanup_free_ char *interp = NULL, *env = NULL;
		int r = check_shebang(cases[i].head, strlen(cases[i].head), &interp, &env);
		char name[32];

		snprintf(name, sizeof(name), "shebang %zu", i);
		CHECK_AT(name, r == cases[i].rc);
		CHECK_STR_AT(name, "interp", interp, cases[i].interp);
		CHECK_STR_AT(name, "env", env, cases[i].env);
	}
}

/* The classic tutorial's first script. */
static void
test_tutorial(void)
{
	struct check_host h = host();
	struct check_script s = script("/srv/cgi/hello.py",
				       "#! /usr/bin/env python\n"
				       "print \"Content-Type: text/html\"\n"
				       "print\n"
				       "print \"<h1>Hello</h1>\"\n");

	expect("tutorial", &h, &s, "env-not-found", FINDING_PROBLEM,
	       "no 'python' on the web server's PATH (/usr/local/sbin:/usr/local/bin:/usr/sbin:"
	       "/usr/bin:/sbin:/bin): '/usr/bin/env python' fails (the caller's pyenv, venv or"
	       " ~/.local pythons are not on it)",
	       "make the first line of /srv/cgi/hello.py '#!/usr/bin/python3'");
	expect("tutorial", &h, &s, "python2-syntax", FINDING_PROBLEM,
	       "line 2 of '/srv/cgi/hello.py' is Python 2 syntax (a print statement): Python 3"
	       " stops with a SyntaxError",
	       "write print() as a function, line 2: print(\"Content-Type: text/html\")");
	/* Apache's PATH, not the caller's: a python on the envvars PATH is found */
	h.apache_path = "/opt/py313/bin:/usr/bin";
	CHECK(!has(&h, &s, "env-not-found"));
	h.apache_path = "/usr/local/bin";
	expect("tutorial-path", &h, &s, "env-not-found", FINDING_PROBLEM,
	       "no 'python' on the web server's PATH (/usr/local/bin): '/usr/bin/env python'"
	       " fails (the caller's pyenv, venv or ~/.local pythons are not on it)",
	       "make the first line of /srv/cgi/hello.py '#!/usr/bin/python3'");
}

static void
test_first_line(void)
{
	struct check_host h = host();
	struct check_script s;

	s = script("/srv/cgi/crlf.py", "#!/usr/bin/python3\r\nprint('x')\r\n");
	expect("crlf", &h, &s, "crlf", FINDING_PROBLEM,
	       "'/srv/cgi/crlf.py' has Windows line endings: the kernel looks for"
	       " '/usr/bin/python3\\r' (AH01241: No such file or directory)",
	       "sed -i 's/\\r$//' /srv/cgi/crlf.py");
	CHECK(!has(&h, &s, "interpreter-missing"));
	s = script("/srv/cgi/crlf-env.py", "#!/usr/bin/env python3\r\nprint('x')\r\n");
	expect("crlf-env", &h, &s, "crlf", FINDING_PROBLEM,
	       "'/srv/cgi/crlf-env.py' has Windows line endings: the kernel looks for"
	       " 'python3\\r' (AH01241: No such file or directory)",
	       "sed -i 's/\\r$//' /srv/cgi/crlf-env.py");
	CHECK(findings_find(&(struct findings){ 0 }, "crlf") == NULL);

	s = script("/srv/cgi/bom.py", "\xef\xbb\xbf#!/usr/bin/python3\nprint('x')\n");
	expect("bom", &h, &s, "bom", FINDING_PROBLEM,
	       "'/srv/cgi/bom.py' starts with a UTF-8 byte order mark before '#!': the kernel does"
	       " not see the shebang (AH01241: Exec format error)",
	       "sed -i '1s/^\\xEF\\xBB\\xBF//' /srv/cgi/bom.py");

	s = script("/srv/cgi/none.py", "print('Content-Type: text/html')\n");
	expect("no-shebang", &h, &s, "no-shebang", FINDING_PROBLEM,
	       "'/srv/cgi/none.py' has no '#!' line: the kernel cannot run it"
	       " (AH01241: Exec format error)",
	       "add '#!/usr/bin/python3' as the first line of /srv/cgi/none.py");
	s = script("/srv/cgi/prog.cgi", "\x7f" "ELF\x02\x01");
	CHECK(!has(&h, &s, "no-shebang"));

	s = script("/srv/cgi/bad.py", "#!/usr/local/bin/python3\nprint('x')\n");
	expect("interp-missing", &h, &s, "interpreter-missing", FINDING_PROBLEM,
	       "the interpreter '/usr/local/bin/python3' named in the first line of"
	       " '/srv/cgi/bad.py' does not exist (AH01241: No such file or directory)",
	       "make the first line of /srv/cgi/bad.py '#!/usr/bin/python3'");
	s = script("/srv/cgi/t.cgi", "#!/usr/local/bin/tool\n");
	expect("interp-not-exec", &h, &s, "interpreter-not-executable", FINDING_PROBLEM,
	       "the interpreter '/usr/local/bin/tool' named in the first line of '/srv/cgi/t.cgi'"
	       " cannot be executed by the web server's user 'www-data'",
	       "chmod a+rx /usr/local/bin/tool, or name another interpreter");
	s = script("/srv/cgi/x.cgi", "#!/usr/bin/env nosuch\n");
	expect("env-other", &h, &s, "env-not-found", FINDING_PROBLEM,
	       "no 'nosuch' on the web server's PATH (/usr/local/sbin:/usr/local/bin:/usr/sbin:"
	       "/usr/bin:/sbin:/bin): '/usr/bin/env nosuch' fails",
	       "install 'nosuch' in a directory on that PATH, or write the interpreter's full"
	       " path in the first line of /srv/cgi/x.cgi");
	s = script("/srv/cgi/u.py", "#!/usr/bin/env python3 -u\nprint('x')\n");
	CHECK(has(&h, &s, "env-not-found")); /* Linux looks up "python3 -u" */
}

static void
test_python(void)
{
	struct check_host h = host();
	struct check_script s;
	const char *cgi = "#!/usr/bin/python3\nimport os, cgi\nprint('Content-Type: text/plain')\n";

	s = script("/srv/cgi/form.py", cgi);
	CHECK(!has(&h, &s, "import-cgi")); /* 3.11 still has it */
	h.userdata = (void *)"3.13";
	expect("import-cgi", &h, &s, "import-cgi", FINDING_PROBLEM,
	       "line 2 of '/srv/cgi/form.py' imports cgi or cgitb, which Python 3.13 no longer has"
	       " (removed in 3.13): ModuleNotFoundError",
	       "install the drop-in legacy-cgi (pip install legacy-cgi), or read the request with"
	       " os.environ and urllib.parse instead");
	s = script("/srv/cgi/tb.py", "#!/usr/bin/env python3\nfrom cgitb import enable\n");
	CHECK(has(&h, &s, "import-cgi"));
	s = script("/srv/cgi/ok.py", "#!/usr/bin/python3\nimport cgisetup_helper\n");
	CHECK(!has(&h, &s, "import-cgi"));
	h.userdata = NULL;
	/* Python 3 prints are not reported; a python2 interpreter may print */
	s = script("/srv/cgi/p3.py", "#!/usr/bin/python3\nprint (1)\nprint('a')\nprint\n");
	CHECK(!has(&h, &s, "python2-syntax"));
	s = script("/srv/cgi/p2.py", "#!/usr/bin/python2\nprint 'a'\n");
	CHECK(!has(&h, &s, "python2-syntax"));
	s = script("/srv/cgi/pl.cgi", "#!/usr/bin/perl\nprint \"x\";\n");
	CHECK(!has(&h, &s, "python2-syntax"));
}

static void
test_mode(void)
{
	struct check_host h = host();
	struct check_script s = script("/srv/cgi/m.py", "#!/usr/bin/python3\n");
	struct findings f = { 0 };

	s.mode = 0644;
	expect("exec-bit", &h, &s, "exec-bit", FINDING_PROBLEM,
	       "'/srv/cgi/m.py' (mode 0644) cannot be read and executed by the web server's user"
	       " 'www-data' (AH01241: Permission denied)",
	       "chmod 0755 /srv/cgi/m.py");
	CHECK(check_script(&h, &s, &f) == 0);
	CHECK(f.n > 0 && f.v[0].autofix == FIX_MODE && f.v[0].fix_mode == 0755);
	findings_release(&f);
	s.mode = 0700; /* the owner only: www-data is "others" */
	CHECK(has(&h, &s, "exec-bit"));
	s.uid = 33;    /* www-data owns it: 0700 is enough to run, but it may rewrite it */
	CHECK(!has(&h, &s, "exec-bit"));
	expect("owner", &h, &s, "owner", FINDING_WARNING,
	       "'/srv/cgi/m.py' belongs to the web server's user 'www-data': a script can rewrite"
	       " itself",
	       "chown root /srv/cgi/m.py");
	s.uid = 0;
	s.gid = 33;
	s.mode = 0750;
	CHECK(!has(&h, &s, "exec-bit"));
	s.gid = 0;
	s.mode = 0757;
	expect("writable", &h, &s, "writable", FINDING_WARNING,
	       "'/srv/cgi/m.py' (mode 0757) is writable by group or others: anyone who can write it"
	       " runs code as the web server",
	       "chmod 0755 /srv/cgi/m.py");
	/* not executable and writable by all: both fixes name one mode, the
	 * exec bits without the write bits, and --fix's mode is that one */
	s.mode = 0666;
	expect("0666: exec-bit", &h, &s, "exec-bit", FINDING_PROBLEM,
	       "'/srv/cgi/m.py' (mode 0666) cannot be read and executed by the web server's user"
	       " 'www-data' (AH01241: Permission denied)",
	       "chmod 0755 /srv/cgi/m.py");
	expect("0666: writable", &h, &s, "writable", FINDING_WARNING,
	       "'/srv/cgi/m.py' (mode 0666) is writable by group or others: anyone who can write it"
	       " runs code as the web server",
	       "chmod 0755 /srv/cgi/m.py");
	CHECK(check_script(&h, &s, &f) == 0);
	CHECK(f.n > 0 && f.v[0].autofix == FIX_MODE && f.v[0].fix_mode == 0755);
	findings_release(&f);
	s.mode = 0646;
	expect("0646: writable", &h, &s, "writable", FINDING_WARNING,
	       "'/srv/cgi/m.py' (mode 0646) is writable by group or others: anyone who can write it"
	       " runs code as the web server",
	       "chmod 0755 /srv/cgi/m.py");
	s.mode = 0755;
	expect("ok", &h, &s, "script", FINDING_OK, "'/srv/cgi/m.py': no problem found", NULL);
	CHECK(check_script(&h, &s, &f) == 0 && f.n == 1 && findings_worst(&f) == FINDING_OK);
	findings_release(&f);
}

static void
test_place(void)
{
	struct check_host h = host();
	struct check_script s = script("/mnt/data/cgi/n.py", "#!/usr/bin/python3\n");

	s.noexec_mount = "/mnt/data";
	expect("noexec", &h, &s, "noexec", FINDING_PROBLEM,
	       "'/mnt/data/cgi/n.py' is on '/mnt/data', mounted noexec: the kernel refuses to run"
	       " it (AH01241: Permission denied)",
	       "mount -o remount,exec /mnt/data (and drop noexec from its line in /etc/fstab), or"
	       " move the scripts to another file system");
	s.noexec_mount = NULL;
	s.blocked_dir = "/mnt/data";
	expect("blocked", &h, &s, "path-blocked", FINDING_PROBLEM,
	       "the web server's user 'www-data' cannot search '/mnt/data', on the way to"
	       " '/mnt/data/cgi/n.py' (AH00035: 403)",
	       "chmod o+x /mnt/data");
	s = script("/usr/lib/cgi-bin/style.css", "body { color: red }\n");
	s.script_alias = true;
	expect("not-a-script", &h, &s, "not-a-script", FINDING_WARNING,
	       "'/usr/lib/cgi-bin/style.css' is in a ScriptAlias directory, where every file is"
	       " executed, not served",
	       "move it out of the ScriptAlias directory");
	s = script("/usr/lib/cgi-bin/x.py", "print('x')\n");
	s.script_alias = true;
	CHECK(has(&h, &s, "no-shebang") && !has(&h, &s, "not-a-script"));
	s = script("/srv/cgi/gone.py", "");
	s.kind = CHECK_FILE_MISSING;
	expect("missing", &h, &s, "missing", FINDING_PROBLEM, "'/srv/cgi/gone.py' does not exist",
	       "check the path: ls -l /srv/cgi/gone.py");
	s.kind = CHECK_FILE_OTHER;
	CHECK(has(&h, &s, "not-regular"));
	s = script("/srv/cgi/log.py", "#!/usr/bin/python3\nopen('/tmp/hits.log', 'a')\n");
	h.unit = "apache2.service";
	expect("private-tmp", &h, &s, "private-tmp", FINDING_WARNING,
	       "'/srv/cgi/log.py' uses /tmp: Apache runs with PrivateTmp=true, so its scripts see a"
	       " /tmp of their own, not the system's",
	       "look in /tmp/systemd-private-*-apache2.service-*/tmp, or write below /var/lib"
	       " instead");
	s = script("/srv/cgi/log.py", "#!/usr/bin/python3\nopen('/var/lib/x/hits.log', 'a')\n");
	CHECK(!has(&h, &s, "private-tmp"));
	s = script("/srv/cgi/log.py", "#!/usr/bin/python3\nopen('/tmp/hits.log', 'a')\n");
	h.unit = "openrc:apache2"; /* no systemd, no PrivateTmp */
	CHECK(!has(&h, &s, "private-tmp"));
}

/* suEXEC and SELinux cannot be turned on in the rig: their rules from
 * recorded facts. */
static void
test_suexec_selinux(void)
{
	struct check_host h = host();
	struct check_script s = script("/home/alice/public_html/cgi-bin/a.py",
				       "#!/usr/bin/python3\nprint('x')\n");

	h.suexec_user = "alice";
	h.suexec_uid = 1000;
	h.suexec_docroot = "/var/www";
	s.uid = 0;
	expect("suexec-owner", &h, &s, "suexec-owner", FINDING_PROBLEM,
	       "suEXEC runs '/home/alice/public_html/cgi-bin/a.py' as 'alice', who does not own it"
	       " (suexec policy violation)",
	       "chown alice /home/alice/public_html/cgi-bin/a.py");
	s.uid = 1000;
	CHECK(!has(&h, &s, "suexec-owner"));
	expect("suexec-docroot", &h, &s, "suexec-docroot", FINDING_PROBLEM,
	       "suEXEC runs only scripts below its document root '/var/www';"
	       " '/home/alice/public_html/cgi-bin/a.py' is not",
	       "move the script below /var/www (suexec -V shows AP_DOC_ROOT)");
	h.suexec_docroot = "/home";
	CHECK(!has(&h, &s, "suexec-docroot"));
	s.mode = 0775;
	expect("suexec-writable", &h, &s, "writable", FINDING_PROBLEM,
	       "'/home/alice/public_html/cgi-bin/a.py' (mode 0775) is writable by group or others:"
	       " suEXEC refuses to run it",
	       "chmod 0755 /home/alice/public_html/cgi-bin/a.py");
	s.mode = 0755;
	CHECK(!has(&h, &s, "owner")); /* under suEXEC the owner is the run user on purpose */

	h = host();
	s = script("/var/www/cgi-bin/s.py", "#!/usr/bin/python3\nprint('x')\n");
	h.selinux = true;
	h.selinux_cgi_bool = true;
	s.selinux_type = "var_t";
	expect("selinux-label", &h, &s, "selinux-label", FINDING_PROBLEM,
	       "SELinux labels '/var/www/cgi-bin/s.py' 'var_t', which httpd may not execute"
	       " (needs httpd_sys_script_exec_t)",
	       "semanage fcontext -a -t httpd_sys_script_exec_t '/var/www/cgi-bin(/.*)?' &&"
	       " restorecon -Rv /var/www/cgi-bin");
	s.selinux_type = "httpd_sys_script_exec_t";
	CHECK(!has(&h, &s, "selinux-label"));
	h.selinux_cgi_bool = false;
	expect("selinux-boolean", &h, &s, "selinux-boolean", FINDING_PROBLEM,
	       "SELinux is enforcing and the boolean httpd_enable_cgi is off: httpd may not run"
	       " '/var/www/cgi-bin/s.py'",
	       "setsebool -P httpd_enable_cgi on");
	h.selinux = false;
	s.selinux_type = "var_t";
	CHECK(!has(&h, &s, "selinux-label") && !has(&h, &s, "selinux-boolean"));
}

/* ---- the configuration, through the model ---- */

#define CONF_HEAD(mpm, cgi)                                                      \
	"LoadModule mpm_" mpm "_module /usr/lib/apache2/modules/mod_mpm_" mpm ".so\n" \
	"LoadModule alias_module /usr/lib/apache2/modules/mod_alias.so\n"        \
	cgi                                                                      \
	"User www-data\nGroup www-data\nListen 80\n"                             \
	"ErrorLog /var/log/apache2/error.log\n"                                  \
	"DocumentRoot /var/www/html\n"                                           \
	"<Directory />\n\tOptions FollowSymLinks\n\tRequire all denied\n</Directory>\n" \
	"<Directory /var/www/>\n\tRequire all granted\n</Directory>\n"
#define CGID "LoadModule cgid_module /usr/lib/apache2/modules/mod_cgid.so\n"
#define CGI "LoadModule cgi_module /usr/lib/apache2/modules/mod_cgi.so\n"
#define CONF_DIRS                                                                \
	"ScriptAlias /cgi-bin/ /usr/lib/cgi-bin/\n"                              \
	"<Directory /usr/lib/cgi-bin>\n\tRequire all granted\n</Directory>\n"    \
	"Alias /off /srv/off\n"                                                  \
	"<Directory /srv/off>\n\tOptions -ExecCGI\n\tAddHandler cgi-script .py\n" \
	"\tRequire all granted\n</Directory>\n"                                  \
	"Alias /open /srv/open\n"                                                \
	"<Directory /srv/open>\n\tOptions +ExecCGI\n\tAddHandler cgi-script .py\n" \
	"\tRequire all granted\n</Directory>\n"                                  \
	"Alias /ip /srv/ip\n"                                                    \
	"<Directory /srv/ip>\n\tOptions +ExecCGI\n\tAddHandler cgi-script .py\n" \
	"\tRequire ip 10.0.0.0/8\n</Directory>\n"                                \
	"<Directory /srv/open>\n\tOptions None\n</Directory>\n"

struct conf_case {
	const char *name, *text, *dir;
	const char *id;
	enum finding_level level;
	const char *cause, *fix;
};

static void
run_conf_case(const struct conf_case *k)
{
	const struct host_fixture h = {
		.name = k->name,
		.family = "debian",
		.files = { { NULL, "/etc/apache2/apache2.conf", k->text } },
	};
	char py[] = ".py";
	char *exts[] = { py, NULL };
	struct model m;
	struct layout l = { 0 };
	struct findings f = { 0 };
	struct check_config c = { .model = &m, .layout = &l, .dir = k->dir, .exts = exts,
				  .enable_module = "a2enmod cgid" };
	const struct finding *x;

	CHECK_AT(k->name, fixture_layout(&h, &m, &l) == 0);
	CHECK_AT(k->name, check_config(&c, &f) == 0);
	x = findings_find(&f, k->id);
	CHECK_AT(k->name, x != NULL);
	if (x) {
		_cleanup_free_ char *cause = render(x->cause, x->cause_args);
		_cleanup_free_ char *fix = render(x->fix, x->fix_args);

		CHECK_AT(k->name, x->level == k->level);
		CHECK_STR_AT(k->name, "cause", cause, k->cause);
		CHECK_STR_AT(k->name, "fix", fix, k->fix);
	} else {
		for (size_t i = 0; i < f.n; i++)
			printf("# has: %s\n", f.v[i].id);
	}
	findings_release(&f);
	layout_release(&l);
	model_release(&m);
}

/* A directory set up with --vhost b.test: the vhost's section and Alias
 * decide for a request to it; the main server alone denies and maps
 * nothing. A vhost whose own section turns ExecCGI off is still caught. */
#define VHOST_CONF(opt)                                                          \
	CONF_HEAD("event", CGID)                                                 \
	"<VirtualHost *:80>\n\tServerName a.test\n\tDocumentRoot /var/www/a\n"     \
	"\t<Directory /srv/v>\n\t\tOptions -ExecCGI\n\t</Directory>\n</VirtualHost>\n" \
	"<VirtualHost *:80>\n\tServerName b.test\n\tDocumentRoot /var/www/b\n"     \
	"\tAlias /v/ /srv/v/\n\t<Directory /srv/v>\n\t\tOptions " opt "\n"         \
	"\t\tAddHandler cgi-script .py\n\t\tRequire all granted\n\t</Directory>\n"  \
	"</VirtualHost>\n"

static void
config_vhost_case(const char *name, const char *text, bool in_vhost, const char *want_id,
		  const char *want_ok)
{
	const struct host_fixture h = {
		.name = name,
		.family = "debian",
		.files = { { NULL, "/etc/apache2/apache2.conf", text } },
	};
	char py[] = ".py";
	char *exts[] = { py, NULL };
	struct model m;
	struct layout l = { 0 };
	struct findings f = { 0 };
	struct check_config c = { .model = &m, .layout = &l, .dir = "/srv/v", .exts = exts,
				  .enable_module = "a2enmod cgid", .in_vhost = in_vhost };
	const struct finding *x;

	CHECK_AT(name, fixture_layout(&h, &m, &l) == 0);
	c.vhost = model_request_vhost(&m, "b.test", 80);
	CHECK_AT(name, c.vhost == 1);
	CHECK_AT(name, check_config(&c, &f) == 0);
	CHECK_AT(name, findings_find(&f, want_id) != NULL);
	x = findings_find(&f, "config");
	if (want_ok) {
		_cleanup_free_ char *cause = x ? render(x->cause, x->cause_args) : NULL;

		CHECK_AT(name, findings_worst(&f) == FINDING_OK);
		CHECK_STR_AT(name, "cause", cause, want_ok);
	}
	for (size_t i = 0; findings_worst(&f) != (want_ok ? FINDING_OK : FINDING_PROBLEM) &&
			   i < f.n; i++)
		printf("# has: %s\n", f.v[i].id);
	findings_release(&f);
	layout_release(&l);
	model_release(&m);
}

static void
test_config_vhost(void)
{
	config_vhost_case("vhost: the main server's view", VHOST_CONF("+ExecCGI"), false,
			  "require-denied", NULL);
	config_vhost_case("vhost: b.test's view", VHOST_CONF("+ExecCGI"), true, "config",
			  "'/srv/v': CGI is on (module, ExecCGI, handler, access), served at"
			  " '/v/'");
	config_vhost_case("vhost: b.test turns ExecCGI off", VHOST_CONF("-ExecCGI"), true,
			  "execcgi-off", NULL);
}

static void
test_config(void)
{
	static const struct conf_case cases[] = {
		{ "module-missing", CONF_HEAD("event", "") CONF_DIRS, "/srv/open", "module-missing",
		  FINDING_PROBLEM,
		  "no CGI module is loaded: Apache sends the scripts' source (or a download)"
		  " instead of running them",
		  "a2enmod cgid, then a full restart (cgisetup --fix does both)" },
		{ "module-mpm", CONF_HEAD("event", CGI) CONF_DIRS, "/usr/lib/cgi-bin", "module-mpm",
		  FINDING_WARNING, "mod_cgi is loaded with mpm_event, which wants mod_cgid",
		  "load mod_cgid instead of mod_cgi" },
		{ "execcgi-off", CONF_HEAD("event", CGID) CONF_DIRS, "/srv/off", "execcgi-off",
		  FINDING_PROBLEM,
		  "Options ExecCGI is off for '/srv/off' (decided at /etc/apache2/apache2.conf:22):"
		  " Apache answers 403 (AH01262, AH02809)",
		  "add 'Options +ExecCGI' to <Directory /srv/off>" },
		{ "defeated", CONF_HEAD("event", CGID) CONF_DIRS, "/srv/open", "execcgi-off",
		  FINDING_PROBLEM,
		  "Options ExecCGI is off for '/srv/open' (decided at /etc/apache2/apache2.conf:39):"
		  " Apache answers 403 (AH01262, AH02809)",
		  "add 'Options +ExecCGI' to <Directory /srv/open>" },
		{ "not-handled", CONF_HEAD("event", CGID) CONF_DIRS, "/var/www/html/app",
		  "not-handled", FINDING_PROBLEM,
		  "'.py' files in '/var/www/html/app' are not handed to cgi-script: Apache sends"
		  " their source",
		  "add 'AddHandler cgi-script .py' to <Directory /var/www/html/app>" },
		{ "require-denied", CONF_HEAD("event", CGID) CONF_DIRS, "/srv/new", "require-denied",
		  FINDING_PROBLEM,
		  "'/srv/new' is denied by the catch-all <Directory /> (/etc/apache2/apache2.conf:11):"
		  " Apache answers 403 (AH01630)",
		  "add 'Require all granted' to <Directory /srv/new>" },
		{ "no-url", CONF_HEAD("event", CGID) CONF_DIRS, "/srv/new", "no-url", FINDING_PROBLEM,
		  "no Alias, ScriptAlias or DocumentRoot serves '/srv/new': no URL reaches it",
		  "add 'Alias /new /srv/new'" },
		{ "restricted", CONF_HEAD("event", CGID) CONF_DIRS, "/srv/ip", "access-restricted",
		  FINDING_WARNING,
		  "an access rule at /etc/apache2/apache2.conf:36 decides who reaches '/srv/ip':"
		  " others get 401 or 403",
		  "check that rule; cgisetup keeps it as written" },
		{ "ok-scriptalias", CONF_HEAD("event", CGID) CONF_DIRS, "/usr/lib/cgi-bin", "config",
		  FINDING_OK,
		  "'/usr/lib/cgi-bin': CGI is on (module, ExecCGI, handler, access), served at"
		  " '/cgi-bin/'", NULL },
		{ "ok-below-alias",
		  CONF_HEAD("event", CGID) "Alias /app /srv/app\n<Directory /srv/app>\n"
		  "\tOptions +ExecCGI\n\tAddHandler cgi-script .py\n\tRequire all granted\n"
		  "</Directory>\n", "/srv/app/sub", "config", FINDING_OK,
		  "'/srv/app/sub': CGI is on (module, ExecCGI, handler, access), served at"
		  " '/app/sub/'", NULL },
		{ "ok-prefork", CONF_HEAD("prefork", CGI) CONF_DIRS, "/usr/lib/cgi-bin", "config",
		  FINDING_OK,
		  "'/usr/lib/cgi-bin': CGI is on (module, ExecCGI, handler, access), served at"
		  " '/cgi-bin/'", NULL },
	};

	for (size_t i = 0; i < ELEMENTSOF(cases); i++)
		run_conf_case(&cases[i]);
}

/* ---- the error log of a live fetch ---- */

#define PFX "[Mon Nov 30 17:00:00.000000 2026] "
#define CGID_ERR PFX "[cgid:error] [pid 812:tid 900] "
#define CGI_ERR PFX "[cgi:error] [pid 812] [client 127.0.0.1:4242] "

struct log_case {
	const char *name;
	long status;
	const char *content_type, *body, *log;
	const char *id;
	enum finding_level level;
	const char *cause, *fix;
};

static const struct log_case log_cases[] = {
	{ "source", 200, "text/x-python", "#!/usr/bin/python3\nprint('x')\n", "", "source-served",
	  FINDING_PROBLEM,
	  "'http://127.0.0.1/cgi/x.py' came back as its own source: Apache does not run it (no CGI"
	  " module, or no handler for it)",
	  "cgisetup --fix (loads the module, adds the handler, then a full restart)" },
	{ "ran", 200, "text/html", "<h1>hi</h1>", "", "ran", FINDING_OK,
	  "'http://127.0.0.1/cgi/x.py' ran: HTTP 200", NULL },
	{ "AH01630", 403, "text/html", "Forbidden",
	  PFX "[authz_core:error] [pid 1:tid 2] [client 127.0.0.1:4242] AH01630: client denied by"
	  " server configuration: /srv/cgi/x.py\n", "require-denied", FINDING_PROBLEM,
	  "the configuration denies '/srv/cgi/x.py' (AH01630: client denied by server"
	  " configuration)",
	  "add 'Require all granted' to the script's <Directory> (cgisetup --fix)" },
	{ "AH01262", 403, NULL, NULL,
	  CGID_ERR "[client 127.0.0.1:4242] AH01262: Options ExecCGI is off in this directory:"
	  " /srv/cgi/x.py\n", "execcgi-off", FINDING_PROBLEM,
	  "Options ExecCGI is off for '/srv/cgi/x.py' (AH01262, AH02809)",
	  "add 'Options +ExecCGI' to the script's <Directory> (cgisetup --fix)" },
	{ "AH02809", 403, NULL, NULL,
	  CGI_ERR "AH02809: Options ExecCGI is off in this directory: /srv/cgi/x.py\n",
	  "execcgi-off", FINDING_PROBLEM,
	  "Options ExecCGI is off for '/srv/cgi/x.py' (AH01262, AH02809)",
	  "add 'Options +ExecCGI' to the script's <Directory> (cgisetup --fix)" },
	{ "AH00035", 403, NULL, NULL,
	  PFX "[core:error] [pid 1:tid 2] (13)Permission denied: [client 127.0.0.1:4242] AH00035:"
	  " access to /cgi/x.py denied (filesystem path '/srv/cgi/sub') because search"
	  " permissions are missing on a component of the path\n", "path-blocked",
	  FINDING_PROBLEM,
	  "the web server cannot search '/srv/cgi/sub' (AH00035): a directory on the path lacks"
	  " the x bit for it",
	  "chmod o+x /srv/cgi/sub" },
	{ "eacces-cgid", 500, NULL, NULL,
	  CGID_ERR "(13)Permission denied: [client 127.0.0.1:4242] AH01241: exec of"
	  " '/srv/cgi/x.py' failed\n"
	  CGID_ERR "[client 127.0.0.1:4242] End of script output before headers: x.py\n",
	  "exec-eacces", FINDING_PROBLEM,
	  "Apache could not start '/srv/cgi/x.py': (13)Permission denied (AH01241): no exec bit, a"
	  " noexec mount or SELinux",
	  "chmod 755 /srv/cgi/x.py; if it is already executable, check the mount (findmnt -T"
	  " /srv/cgi/x.py) and SELinux (ls -Z /srv/cgi/x.py)" },
	{ "eacces-cgi", 500, NULL, NULL,
	  CGI_ERR "AH01215: stderr from /srv/cgi/x.py: (13)Permission denied: exec of"
	  " '/srv/cgi/x.py' failed\n"
	  CGI_ERR "End of script output before headers: x.py\n",
	  "exec-eacces", FINDING_PROBLEM,
	  "Apache could not start '/srv/cgi/x.py': (13)Permission denied (AH01241): no exec bit, a"
	  " noexec mount or SELinux",
	  "chmod 755 /srv/cgi/x.py; if it is already executable, check the mount (findmnt -T"
	  " /srv/cgi/x.py) and SELinux (ls -Z /srv/cgi/x.py)" },
	{ "enoent", 500, NULL, NULL,
	  CGID_ERR "(2)No such file or directory: [client 127.0.0.1:4242] AH01241: exec of"
	  " '/srv/cgi/x.py' failed\n", "exec-enoent", FINDING_PROBLEM,
	  "Apache could not start '/srv/cgi/x.py': (2)No such file or directory (AH01241): the"
	  " interpreter named by its '#!' line does not exist, or the line ends in a carriage"
	  " return",
	  "correct its first line (head -1 /srv/cgi/x.py | od -c shows it)" },
	{ "enoexec", 500, NULL, NULL,
	  CGID_ERR "(8)Exec format error: [client 127.0.0.1:4242] AH01241: exec of"
	  " '/srv/cgi/x.py' failed\n", "exec-enoexec", FINDING_PROBLEM,
	  "Apache could not start '/srv/cgi/x.py': (8)Exec format error (AH01241): it has no '#!'"
	  " line, or a byte order mark comes before it",
	  "make '#!/usr/bin/python3' the very first bytes of /srv/cgi/x.py" },
	{ "env-cgid", 500, NULL, NULL,
	  "/usr/bin/env: 'python': No such file or directory\n"
	  CGID_ERR "[client 127.0.0.1:4242] End of script output before headers: x.py\n",
	  "env-not-found", FINDING_PROBLEM,
	  "/usr/bin/env finds no 'python' on the web server's PATH, running '/srv/cgi/x.py'",
	  "write the interpreter's full path in the first line of /srv/cgi/x.py (cgisetup --check"
	  " /srv/cgi/x.py names one)" },
	{ "env-denied", 500, NULL, NULL,
	  "/usr/bin/env: 'python3': Permission denied\n"
	  CGID_ERR "[client 127.0.0.1:4242] End of script output before headers: x.py\n",
	  "interpreter-not-executable", FINDING_PROBLEM,
	  "/usr/bin/env found 'python3' on the web server's PATH but may not run it (Permission"
	  " denied), running '/srv/cgi/x.py'",
	  "chmod a+rx \"$(readlink -f \"$(command -v python3)\")\"" },
	{ "env-crlf-cgi", 500, NULL, NULL,
	  CGI_ERR "AH01215: stderr from /srv/cgi/x.py: /usr/bin/env: 'python3\\r': No such file or"
	  " directory\n", "crlf", FINDING_PROBLEM,
	  "'/srv/cgi/x.py' has Windows line endings: /usr/bin/env looks for 'python3\\r'",
	  "sed -i 's/\\r$//' /srv/cgi/x.py" },
	{ "env-crlf-raw", 500, NULL, NULL, "/usr/bin/env: 'python3\r': No such file or directory\n",
	  "crlf", FINDING_PROBLEM,
	  "'/srv/cgi/x.py' has Windows line endings: /usr/bin/env looks for 'python3?'",
	  "sed -i 's/\\r$//' /srv/cgi/x.py" },
	{ "nohdr", 500, NULL, NULL,
	  CGID_ERR "[client 127.0.0.1:4242] malformed header from script 'x.py': Bad header:"
	  " hello world\n", "malformed-header", FINDING_PROBLEM,
	  "'/srv/cgi/x.py' printed 'hello world' where a header belongs (malformed header from"
	  " script)",
	  "print 'Content-Type: text/html' and then an empty line before anything else" },
	{ "AH02429", 500, NULL, NULL,
	  CGID_ERR "[client 127.0.0.1:4242] AH02429: Response header name 'hello world' contains"
	  " invalid characters, aborting request\n", "output-before-headers", FINDING_PROBLEM,
	  "'/srv/cgi/x.py' printed text before its headers (AH02429: a header name with invalid"
	  " characters)",
	  "print 'Content-Type: text/html' and then an empty line before anything else" },
	{ "importerror", 500, NULL, NULL,
	  "Traceback (most recent call last):\n  File \"/srv/cgi/x.py\", line 2, in <module>\n"
	  "    import nosuch\nModuleNotFoundError: No module named 'nosuch'\n"
	  CGID_ERR "[client 127.0.0.1:4242] End of script output before headers: x.py\n",
	  "traceback", FINDING_PROBLEM,
	  "'/srv/cgi/x.py' stopped with an exception before its headers: ModuleNotFoundError: No"
	  " module named 'nosuch'",
	  "fix the line the traceback names (the error log has it all)" },
	{ "importerror-cgi", 500, NULL, NULL,
	  CGI_ERR "AH01215: stderr from /srv/cgi/x.py: Traceback (most recent call last):\n"
	  CGI_ERR "AH01215: stderr from /srv/cgi/x.py:   File \"/srv/cgi/x.py\", line 2\n"
	  CGI_ERR "AH01215: stderr from /srv/cgi/x.py: ImportError: cannot import name 'y'\n"
	  CGI_ERR "End of script output before headers: x.py\n",
	  "traceback", FINDING_PROBLEM,
	  "'/srv/cgi/x.py' stopped with an exception before its headers: ImportError: cannot"
	  " import name 'y'",
	  "fix the line the traceback names (the error log has it all)" },
	{ "py2", 500, NULL, NULL,
	  "  File \"/srv/cgi/x.py\", line 2\n    print \"Content-Type: text/html\"\n    ^\n"
	  "SyntaxError: Missing parentheses in call to 'print'. Did you mean print(...)?\n"
	  CGID_ERR "[client 127.0.0.1:4242] End of script output before headers: x.py\n",
	  "python2-syntax", FINDING_PROBLEM,
	  "'/srv/cgi/x.py' stopped with: SyntaxError: Missing parentheses in call to 'print'. Did"
	  " you mean print(...)?: it is Python 2 syntax",
	  "write print() as a function: print(\"...\")" },
	{ "syntax", 500, NULL, NULL,
	  "  File \"/srv/cgi/x.py\", line 2\n    def (\n        ^\n"
	  "SyntaxError: invalid syntax\n", "traceback", FINDING_PROBLEM,
	  "'/srv/cgi/x.py' stopped with an exception before its headers: SyntaxError: invalid"
	  " syntax",
	  "fix the line the traceback names (the error log has it all)" },
	{ "import-cgi", 500, NULL, NULL,
	  "Traceback (most recent call last):\n  File \"/srv/cgi/x.py\", line 2, in <module>\n"
	  "    import cgi\nModuleNotFoundError: No module named 'cgi'\n", "import-cgi",
	  FINDING_PROBLEM,
	  "'/srv/cgi/x.py' stopped with: ModuleNotFoundError: No module named 'cgi' (cgi and cgitb"
	  " were removed in Python 3.13)",
	  "install the drop-in legacy-cgi (pip install legacy-cgi), or read the request with"
	  " os.environ and urllib.parse instead" },
	{ "end-of-output", 500, NULL, NULL,
	  CGID_ERR "[client 127.0.0.1:4242] End of script output before headers: x.py\n",
	  "no-output", FINDING_PROBLEM,
	  "'/srv/cgi/x.py' ended before it printed any header (End of script output before"
	  " headers)",
	  "make it print 'Content-Type: text/html' and an empty line first, and exit 0; its own"
	  " errors, if any, are in the error log" },
	{ "cgid-down", 503, NULL, NULL,
	  CGID_ERR "[client 127.0.0.1:4242] AH01257: unable to connect to cgi daemon after"
	  " multiple tries: /srv/cgi/x.py\n", "cgid-down", FINDING_PROBLEM,
	  "mod_cgid's daemon is not running (AH01257: unable to connect to cgi daemon): a"
	  " graceful reload alone does not start it",
	  "systemctl restart apache2 (a full restart)" },
	{ "timeout", 504, NULL, NULL,
	  CGID_ERR "[client 127.0.0.1:4242] Script timed out before returning headers: x.py\n",
	  "timeout", FINDING_PROBLEM,
	  "'/srv/cgi/x.py' sent no header before Apache's Timeout (Script timed out)",
	  "make it answer sooner, or raise 'Timeout' (seconds) in the configuration" },
	{ "AH01264", 404, NULL, NULL,
	  CGID_ERR "[client 127.0.0.1:4242] AH01264: script not found or unable to stat:"
	  " /usr/lib/cgi-bin/missing.py\n", "not-found", FINDING_PROBLEM,
	  "'http://127.0.0.1/cgi/x.py' maps to a file that does not exist (AH01264)",
	  "check the file name, or the Alias/ScriptAlias the URL goes through" },
	{ "404", 404, NULL, NULL, "", "not-found", FINDING_PROBLEM,
	  "nothing is served at 'http://127.0.0.1/cgi/x.py' (HTTP 404)",
	  "check the URL against the Alias/ScriptAlias that serves the directory (cgisetup"
	  " --status)" },
	{ "suexec", 500, NULL, NULL,
	  CGI_ERR "AH01215: stderr from /srv/cgi/x.py: suexec policy violation: see suexec log"
	  " for more details\n", "suexec-policy", FINDING_PROBLEM,
	  "suEXEC refused to run '/srv/cgi/x.py' (suexec policy violation)",
	  "read the reason in suEXEC's own log (suexec -V names it, AP_LOG_EXEC)" },
	{ "silent-500", 500, NULL, NULL, NULL, "server-error", FINDING_PROBLEM,
	  "'http://127.0.0.1/cgi/x.py' answered HTTP 500 and the error log says nothing about it",
	  "look at the error log of the virtual host that serves http://127.0.0.1/cgi/x.py" },
};

static void
test_log(void)
{
	for (size_t i = 0; i < ELEMENTSOF(log_cases); i++) {
		const struct log_case *k = &log_cases[i];
		struct check_fetch fe = { .url = "http://127.0.0.1/cgi/x.py",
					  .script = "/srv/cgi/x.py", .answered = true,
					  .status = k->status, .content_type = k->content_type,
					  .body = k->body };
		struct findings f = { 0 };

		CHECK_AT(k->name, check_log(&fe, k->log, &f) == 0);
		CHECK_AT(k->name, f.n == 1);
		if (f.n >= 1) {
			_cleanup_free_ char *cause = render(f.v[0].cause, f.v[0].cause_args);
			_cleanup_free_ char *fix = render(f.v[0].fix, f.v[0].fix_args);

			CHECK_STR_AT(k->name, "id", f.v[0].id, k->id);
			CHECK_AT(k->name, f.v[0].level == k->level);
			CHECK_STR_AT(k->name, "cause", cause, k->cause);
			CHECK_STR_AT(k->name, "fix", fix, k->fix);
		}
		findings_release(&f);
	}
	{
		struct check_fetch fe = { .url = "http://127.0.0.1/x.py", .answered = false };
		struct findings f = { 0 };

		CHECK(check_log(&fe, NULL, &f) == 0 && f.n == 1 && streq(f.v[0].id, "no-answer"));
		findings_release(&f);
	}
}

/* suexec -V as Debian 12's apache2-suexec-pristine and apache2-suexec-custom
 * (2.4.71-1~deb12u1) print it to root, on stderr (recorded). */
static const char suexec_pristine_v[] =
	" -D AP_DOC_ROOT=\"/var/www\"\n"
	" -D AP_GID_MIN=100\n"
	" -D AP_HTTPD_USER=\"www-data\"\n"
	" -D AP_LOG_EXEC=\"/var/log/apache2/suexec.log\"\n"
	" -D AP_SAFE_PATH=\"/usr/local/bin:/usr/bin:/bin\"\n"
	" -D AP_UID_MIN=100\n"
	" -D AP_USERDIR_SUFFIX=\"public_html\"\n";
static const char suexec_custom_v[] =
	" -D SUEXEC_CONFIG_DIR=/etc/apache2/suexec/\n"
	" -D AP_GID_MIN=100\n"
	" -D AP_LOG_EXEC=\"/var/log/apache2/suexec.log\"\n"
	" -D AP_SAFE_PATH=\"/usr/local/bin:/usr/bin:/bin\"\n"
	" -D AP_UID_MIN=100\n";

/* suexec -V's facts, the uid floor, the reason from suEXEC's own log,
 * and SuexecUserGroup through the model (the vhost's, else the main's). */
static void
test_suexec_facts(void)
{
	struct check_suexec_v v;
	struct check_host h = host();
	struct check_script s = script("/var/www/cgi-bin/a.py", "#!/usr/bin/python3\nprint('x')\n");
	_cleanup_free_ char *reason = NULL;

	CHECK(check_parse_suexec_v(suexec_pristine_v, &v) == 0);
	CHECK_STR_AT("pristine", "AP_DOC_ROOT", v.doc_root, "/var/www");
	CHECK_STR_AT("pristine", "AP_LOG_EXEC", v.log_exec, "/var/log/apache2/suexec.log");
	CHECK_STR_AT("pristine", "AP_HTTPD_USER", v.httpd_user, "www-data");
	CHECK_STR_AT("pristine", "AP_USERDIR_SUFFIX", v.userdir_suffix, "public_html");
	CHECK_AT("pristine", v.uid_min == 100 && v.gid_min == 100 && !v.config_dir &&
		 !v.log_syslog);
	check_suexec_v_release(&v);
	CHECK(check_parse_suexec_v(suexec_custom_v, &v) == 0);
	CHECK_STR_AT("custom", "SUEXEC_CONFIG_DIR", v.config_dir, "/etc/apache2/suexec/");
	CHECK_AT("custom", !v.doc_root && v.uid_min == 100);
	check_suexec_v_release(&v);
	CHECK(check_parse_suexec_v(" -D AP_LOG_SYSLOG\n", &v) == 0 && v.log_syslog &&
	      !v.log_exec);
	check_suexec_v_release(&v);

	h.suexec_user = "daemon";
	h.suexec_uid = 1;
	h.suexec_uid_min = 100;
	s.uid = 1;
	expect("suexec-uid-min", &h, &s, "suexec-uid-min", FINDING_PROBLEM,
	       "suEXEC runs '/var/www/cgi-bin/a.py' as uid 1, below its minimum uid 100"
	       " (AP_UID_MIN)",
	       "give SuexecUserGroup a user with uid 100 or more");
	h.suexec_uid = s.uid = 1000;
	CHECK(!has(&h, &s, "suexec-uid-min"));

	/* suexec.c's log: "[TIME]: uid: ... cmd: ..." then the reason */
	reason = check_suexec_reason(
		"[2026-11-30 18:00:00]: uid: (1000/alice) gid: (1000/alice) cmd: a.py\n"
		"[2026-11-30 18:00:00]: target uid/gid (1000/1000) mismatch with directory"
		" (0/0) or program (0/0) or trusted user (0/0)\n");
	CHECK_STR_AT("reason", "text", reason,
		     "target uid/gid (1000/1000) mismatch with directory (0/0) or program (0/0)"
		     " or trusted user (0/0)");
	CHECK(check_suexec_reason("") == NULL);
	{
		struct check_fetch fe = {
			.url = "http://127.0.0.1/cgi/x.py", .script = "/srv/cgi/x.py",
			.answered = true, .status = 500, .content_type = "text/html",
			.body = "Internal Server Error",
			.suexec_log_path = "/var/log/apache2/suexec.log",
			.suexec_log = "[2026-11-30 18:00:00]: uid: (1000/alice) gid: (1000/alice)"
				      " cmd: x.py\n[2026-11-30 18:00:00]: command not in docroot"
				      " (/srv/cgi/x.py)\n",
		};
		struct findings f = { 0 };
		const struct finding *x;

		CHECK(check_log(&fe, PFX "[cgid:error] [pid 1:tid 2] [client 127.0.0.1:4242]"
				" AH01215: suexec policy violation: see suexec log for more"
				" details: /srv/cgi/x.py\n", &f) == 0);
		x = findings_find(&f, "suexec-policy");
		CHECK(x != NULL);
		if (x) {
			_cleanup_free_ char *cause = render(x->cause, x->cause_args);

			CHECK_STR_AT("suexec log", "cause", cause,
				     "suEXEC refused to run '/srv/cgi/x.py' (suexec policy violation):"
				     " command not in docroot (/srv/cgi/x.py)"
				     " (/var/log/apache2/suexec.log)");
		}
		findings_release(&f);
	}
	{
		const struct host_fixture hf = {
			.name = "SuexecUserGroup",
			.family = "debian",
			.files = { { NULL, "/etc/apache2/apache2.conf",
				     "SuexecUserGroup mainuser maingroup\n"
				     "<VirtualHost *:80>\n\tServerName a.test\n"
				     "\tDocumentRoot /var/www/a\n"
				     "\tErrorLog /var/log/apache2/a-error.log\n"
				     "\tSuexecUserGroup alice alice\n</VirtualHost>\n"
				     "<VirtualHost *:80>\n\tServerName b.test\n"
				     "\tDocumentRoot /var/www/b\n"
				     "\t<Directory /var/www/b>\n\t\tRequire all granted\n"
				     "\t</Directory>\n</VirtualHost>\n" } },
		};
		struct model m;
		struct layout l = { 0 };
		const struct model_directive *d;
		int vh;

		CHECK(fixture_layout(&hf, &m, &l) == 0);
		vh = effective_vhost_of_dir(&m, "/var/www/a/cgi", 80);
		CHECK(vh == 0);
		d = effective_server_directive(&m, vh, "SuexecUserGroup");
		CHECK_STR_AT("vhost a", "user", d ? d->args[0] : NULL, "alice");
		vh = effective_vhost_of_dir(&m, "/var/www/b", 80);
		CHECK(vh == 1);
		d = effective_server_directive(&m, vh, "SuexecUserGroup");
		CHECK_STR_AT("vhost b inherits", "user", d ? d->args[0] : NULL, "mainuser");
		CHECK(effective_vhost_of_dir(&m, "/srv/other", 8080) == -1);
		CHECK(model_request_vhost(&m, "b.test", 80) == 1);
		CHECK(model_request_vhost(&m, "nosuch.test", 80) == 0);
		/* a vhost's own ErrorLog (--check reads it for the requests it serves) */
		CHECK_STR_AT("vhost a", "ErrorLog", m.n_vhosts > 0 ? m.vhosts[0].error_log : NULL,
			     "/var/log/apache2/a-error.log");
		CHECK(m.n_vhosts > 1 && !m.vhosts[1].error_log);
		layout_release(&l);
		model_release(&m);
	}
}

static void
test_fix_text(void)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "#!/usr/bin/python3\r\nprint(1)\r\n", "#!/usr/bin/python3\nprint(1)\n" },
		{ "\xef\xbb\xbf#!/usr/bin/python3\nx\n", "#!/usr/bin/python3\nx\n" },
		{ "\xef\xbb\xbf#!/x\r\ny\rz\r", "#!/x\ny\rz\r" },
		{ "#!/x\ny\n", NULL },
		{ "a\rb", NULL },
		{ "", NULL },
	};

	for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
		int err;
		_cleanup_free_ char *got = check_fix_text(cases[i].in, strlen(cases[i].in), &err);
		char name[32];

		snprintf(name, sizeof(name), "fix text %zu", i);
		CHECK_STR_AT(name, "text", got, cases[i].out);
		CHECK_AT(name, err == 0);
	}
}

int
main(void)
{
	test_fix_text();
	test_render();
	test_shebang();
	test_tutorial();
	test_first_line();
	test_python();
	test_mode();
	test_place();
	test_suexec_selinux();
	test_suexec_facts();
	test_config();
	test_config_vhost();
	test_log();
	return tap_done();
}
