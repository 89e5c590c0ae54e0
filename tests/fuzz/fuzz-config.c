/* fuzz-config.c - arbitrary configuration text through the scanner and the
 * model (scan_text, model_feed), then what the model makes of a fixed
 * directory (effective_dir, effective_location_rule).
 *
 * A form feed splits the input into up to four files read in order (the
 * first is the main configuration, the second a package's file cgisetup
 * must not edit): the model keeps a file stack and per-file sections. */
#include "config.h"

#include <stdbool.h>

#include "cgisetup/effective.h"
#include "cgisetup/model.h"
#include "cgisetup/scan.h"
#include "fuzz.h"

static const char *const files[] = {
	"/etc/apache2/apache2.conf",
	"/etc/apache2/conf-enabled/pkg.conf",
	"/etc/apache2/sites-enabled/000-default.conf",
	"/etc/apache2/conf.d/last.conf",
};

static int
feed(const struct scan_item *it, void *userdata)
{
	char *include = NULL;
	bool optional;
	int r = model_feed(userdata, it, &include, &optional);

	free(include);
	return r;
}

static void
read_files(struct model *m, const char *text, size_t len)
{
	size_t i = 0;

	while (i < sizeof(files) / sizeof(files[0])) {
		const char *ff = memchr(text, '\f', len);
		size_t n = ff ? (size_t)(ff - text) : len;

		if (model_enter_file(m, files[i]) < 0)
			return;
		(void)scan_text(text, n, feed, m);
		model_leave_file(m);
		i++;
		if (!ff)
			return;
		text = ff + 1;
		len -= n + 1;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *exts[] = { (char *)".py", (char *)".cgi", NULL };
	char *keep[] = { (char *)files[1], NULL };
	struct effective e = { 0 };
	struct model m;

	if (model_init(&m, "/etc/apache2") < 0)
		return 0;
	/* half the inputs as Apache reads them once the plan loaded mod_cgid */
	if (size % 2 && model_assume_module(&m, "cgid_module") < 0)
		goto out;
	read_files(&m, (const char *)data, size);
	if (effective_dir(&m, "/srv/cgi", exts, keep, &e) >= 0) {
		(void)effective_all_handled(&e, exts);
		effective_release(&e);
	}
	(void)effective_location_rule(&m, "/cgi");
	(void)effective_location_rule(&m, "");
out:
	model_release(&m);
	return 0;
}
