/* fuzz-check.c - --check's readers of untrusted bytes: the error-log
 * lines written for a request with the HTTP answer (check_log), and a
 * script's first bytes (check_script: shebang, BOM, CRLF, Python 2 print,
 * import cgi). The first byte picks the status and whether the answer came;
 * the second the mode, the interpreter facts and whether the ScriptAlias
 * rules apply; then the Content-Type and the body, one per line; the rest
 * is the log, and the whole input is also a script's head. */
#include "config.h"

#include "cgisetup/check.h"
#include "fuzz.h"

static const long statuses[] = { 200, 401, 403, 404, 500, 503, 504, 302 };

static char *
cut_line(char **p)
{
	char *line = *p, *nl = strchr(line, '\n');

	if (nl) {
		*nl = '\0';
		*p = nl + 1;
	} else {
		*p = line + strlen(line);
	}
	return line;
}

static int
probe(const char *path, struct check_exe *ret, void *userdata)
{
	unsigned bits = *(const unsigned char *)userdata;

	(void)path;
	*ret = (struct check_exe){ .exists = bits & 1, .executable = bits & 2,
				   .python_minor = bits & 4 ? 13 : -1 };
	return ret->exists ? 0 : -2;
}

static void
render_all(const struct findings *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(check_render(f->v[i].cause, f->v[i].cause_args));
		if (f->v[i].fix)
			free(check_render(f->v[i].fix, f->v[i].fix_args));
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct findings f = { 0 };
	char *text, *p;
	unsigned char bits;

	if (size < 2)
		return 0;
	bits = data[1];
	text = fuzz_str(data + 2, size - 2);
	{
		struct check_host h = { .run_user = "www-data", .run_uid = 33, .run_gid = 33,
					.probe = probe, .userdata = &bits,
					.suexec_user = bits & 8 ? "alice" : NULL,
					.suexec_docroot = "/var/www", .selinux = bits & 16 };
		struct check_script s = { .path = "/srv/cgi/x.py", .kind = CHECK_FILE_REGULAR,
					  .mode = (bits & 32) ? 0644 : 0777, .head = text,
					  .head_len = strlen(text), .script_alias = bits & 64,
					  .selinux_type = "var_t" };

		(void)check_script(&h, &s, &f);
		render_all(&f);
		findings_release(&f);
	}
	p = text;
	{
		struct check_fetch fe = { .url = "http://127.0.0.1/cgi/x.py",
					  .script = data[0] & 8 ? "/srv/cgi/x.py" : NULL,
					  .answered = !(data[0] & 16), .timed_out = data[0] & 32,
					  .status = statuses[data[0] % 8] };

		fe.content_type = cut_line(&p);
		fe.body = cut_line(&p);
		fe.proof = data[0] & 64 ? "proof" : NULL;
		(void)check_log(&fe, p, &f);
		render_all(&f);
		findings_release(&f);
	}
	free(text);
	return 0;
}
