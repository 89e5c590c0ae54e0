/* fuzz-augeas.c - arbitrary configuration text through Augeas's Httpd lens
 * and everything cgisetup does with the tree it yields (confedit.c): the
 * parse check, the view of /srv/cgi's section, the plan's edits (a new
 * Alias, section and LoadModule when there is no section; marker,
 * Options, AddHandler and Require in the one found), the removal of
 * cgisetup's own lines by their markers, and the preview (the text that
 * would be written).
 *
 * The text is written to /etc/apache2/apache2.conf under a scratch root
 * made once per process (Augeas reads files only); nothing else is
 * touched. */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgisetup/confedit.h"
#include "cgisetup/plan.h"
#include "cgisetup/util.h"
#include "fuzz.h"

#define FILE_IN_ROOT "/etc/apache2/apache2.conf"

static char root[] = "/tmp/cgs-fuzz-augeas-XXXXXX";
static char path[sizeof(root) + sizeof(FILE_IN_ROOT)];

/* The scratch root goes when the process ends normally. */
static void
cleanup(void)
{
	char dir[sizeof(path)];

	unlink(path);
	snprintf(dir, sizeof(dir), "%s/etc/apache2", root);
	rmdir(dir);
	snprintf(dir, sizeof(dir), "%s/etc", root);
	rmdir(dir);
	rmdir(root);
}

static void
setup(void)
{
	char dir[sizeof(path)];

	if (path[0])
		return;
	if (!mkdtemp(root))
		abort();
	snprintf(dir, sizeof(dir), "%s/etc", root);
	mkdir(dir, 0755);
	snprintf(dir, sizeof(dir), "%s/etc/apache2", root);
	mkdir(dir, 0755);
	snprintf(path, sizeof(path), "%s%s", root, FILE_IN_ROOT);
	atexit(cleanup);
}

static void
write_input(const uint8_t *data, size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0)
		abort();
	for (size_t off = 0; off < size;) {
		ssize_t n = write(fd, data + off, size - off);

		if (n <= 0)
			abort();
		off += (size_t)n;
	}
	close(fd);
}

/* The changes plan.c makes for /srv/cgi, for a file with or without the
 * section (the fields as plan.c fills them). */
static void
edit(struct confedit *ce, const struct confview *v)
{
	char *exts[] = { (char *)".py", NULL };
	char *alias[] = { (char *)"/srv/cgi/", NULL };
	char *opts[] = { (char *)"+ExecCGI", NULL };
	char *mod[] = { (char *)"/usr/lib/apache2/modules/mod_cgid.so", NULL };
	struct change add[] = {
		{ .kind = CHANGE_CONF_MODULE_ADD, .path = (char *)FILE_IN_ROOT,
		  .arg = (char *)"cgid_module", .args = mod },
		{ .kind = CHANGE_CONF_ALIAS, .path = (char *)FILE_IN_ROOT, .arg = (char *)"/cgi/",
		  .args = alias },
		{ .kind = CHANGE_CONF_BLOCK, .path = (char *)FILE_IN_ROOT, .arg = (char *)"/srv/cgi",
		  .args = exts, .grant = true },
	};
	struct change complete[] = {
		{ .kind = CHANGE_CONF_MARKER, .path = (char *)FILE_IN_ROOT },
		{ .kind = CHANGE_CONF_OPTIONS, .path = (char *)FILE_IN_ROOT, .args = opts },
		{ .kind = CHANGE_CONF_HANDLER, .path = (char *)FILE_IN_ROOT, .args = exts },
		{ .kind = CHANGE_CONF_REQUIRE, .path = (char *)FILE_IN_ROOT },
	};
	struct plan p = { 0 };

	p.changes = v->block_found ? complete : add;
	p.n_changes = v->block_found ? ELEMENTSOF(complete) : ELEMENTSOF(add);
	(void)confedit_apply(ce, &p, "/srv/cgi", NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *files[] = { (char *)FILE_IN_ROOT, NULL };
	struct confedit *ce = NULL;
	struct confview v = { 0 };
	char *text = NULL;

	setup();
	write_input(data, size);
	if (confedit_open(root, files, &ce, NULL) < 0)
		return 0;
	if (confedit_check_parsed(ce, FILE_IN_ROOT, NULL) < 0)
		goto out;
	if (confedit_view(ce, FILE_IN_ROOT, "/srv/cgi", &v, NULL) >= 0) {
		edit(ce, &v);
		confedit_view_release(&v);
	}
	if (confedit_preview(ce, FILE_IN_ROOT, &text, NULL) >= 0)
		free(text);
	(void)confedit_remove_managed(ce, FILE_IN_ROOT, "/srv/cgi", "/cgi/", NULL);
out:
	confedit_close(ce);
	return 0;
}
