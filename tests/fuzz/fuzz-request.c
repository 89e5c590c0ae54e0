/* fuzz-request.c - request validation: the input's lines are DIR, the URL
 * path, the --ext list and the --config file, as the command line or the
 * wizard would hand them over (a missing line stays unset). */
#include "config.h"

#include "cgisetup/request.h"
#include "cgisetup/util.h"
#include "fuzz.h"

/* The next line of *P (moved past it), or NULL at the end. */
static char *
next_line(char **p)
{
	char *line = *p, *nl;

	if (!line)
		return NULL;
	nl = strchr(line, '\n');
	if (nl) {
		*nl = '\0';
		*p = nl + 1;
	} else {
		*p = NULL;
	}
	return line;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_str(data, size), *p = text;
	char *dir = next_line(&p), *url = next_line(&p), *ext = next_line(&p),
	     *config = next_line(&p);
	struct diag d = { 0 };
	struct request req;

	if (request_init(&req) < 0)
		abort();
	req.dir = xstrdup_or_null(dir);
	req.url_path = url && *url ? strdup(url) : NULL;
	req.config = config && *config ? strdup(config) : NULL;
	if ((!ext || !*ext || request_set_exts(&req, ext, &d) >= 0) &&
	    request_validate(&req, &d) >= 0 && req.dir)
		(void)request_path_within(req.dir, "/srv");
	request_release(&req);

	if (dir && *dir == '/') {
		char *copy = strdup(dir);

		if (copy && request_normalize_path(copy) >= 0)
			(void)request_path_within("/srv/cgi/x", copy);
		free(copy);
	}
	free(text);
	return 0;
}
