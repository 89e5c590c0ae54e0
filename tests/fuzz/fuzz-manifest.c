/* fuzz-manifest.c - the journal's loader on a corrupted or cut entry: the
 * input is written as ROOT/var/lib/cgisetup/entries/000001/manifest (up to
 * the first form feed; the rest, when there is one, becomes old-0 and
 * new-0), then journal_pending() loads it as a read-only run would. It
 * must refuse or load, never crash; nothing is ever rolled back here (a
 * rollback would write where the fuzzed manifest says).
 *
 * ROOT is a directory of this process under $TMPDIR, removed at exit. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgisetup/journal.h"
#include "cgisetup/util.h"
#include "fuzz.h"

static char root[256];
static char entry[300];

static void
remove_root(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		fprintf(stderr, "fuzz-manifest: cannot remove %s\n", root);
}

static void
setup_root(void)
{
	const char *tmp = getenv("TMPDIR");
	char path[400];

	snprintf(root, sizeof(root), "%s/cgisetup-fuzz.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(root))
		abort();
	atexit(remove_root);
	snprintf(path, sizeof(path), "%s/var", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/var/lib", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/var/lib/cgisetup", root);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/var/lib/cgisetup/entries", root);
	mkdir(path, 0700);
	snprintf(entry, sizeof(entry), "%s/000001", path);
	mkdir(entry, 0700);
}

static void
write_file(const char *name, const uint8_t *data, size_t size)
{
	char path[400];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", entry, name);
	if (!data) {
		(void)unlink(path);
		return;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *ff = memchr(data, '\f', size);
	size_t n = ff ? (size_t)(ff - data) : size;
	struct journal *j = NULL;
	struct diag d = { 0 };
	char **paths = NULL;
	struct txn **list = NULL;
	size_t n_list = 0;
	unsigned pending = 0;

	if (!*root)
		setup_root();
	write_file("manifest", data, n);
	write_file("old-0", ff ? ff + 1 : NULL, ff ? size - n - 1 : 0);
	write_file("new-0", ff ? ff + 1 : NULL, ff ? size - n - 1 : 0);
	if (journal_open(root, false, 0, &j, &d) < 0)
		return 0;
	(void)journal_pending(j, &pending, &paths, &d);
	strv_free(paths);
	if (journal_list(j, "apply", &list, &n_list, &d) >= 0)
		journal_list_free(list, n_list);
	journal_close(j);
	return 0;
}
