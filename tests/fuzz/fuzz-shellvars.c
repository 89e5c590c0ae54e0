/* fuzz-shellvars.c - the shell-variable reader (Debian's envvars, RHEL's
 * sysconfig, Gentoo's conf.d, os-release) and the -D option splitter, on
 * arbitrary text. */
#include "config.h"

#include "cgisetup/shellvars.h"
#include "fuzz.h"

static int
count_define(const char *name, const char *value, void *ud)
{
	(void)name;
	(void)value;
	(*(unsigned *)ud)++;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_str(data, size);
	struct shellvars v = { 0 };
	unsigned n = 0;

	if (shellvars_parse(text, &v) >= 0) {
		const char *opts = shellvars_get(&v, "OPTIONS");

		(void)shellvars_get(&v, "APACHE_RUN_USER");
		(void)shellvars_get(&v, "ID");
		if (opts)
			(void)shellvars_for_each_define(opts, count_define, &n);
		shellvars_release(&v);
	}
	(void)shellvars_for_each_define(text, count_define, &n);
	free(text);
	return 0;
}
