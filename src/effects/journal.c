/* journal.c - the journal directory, its lock, recovery (see journal.h).
 *
 * The lock is a POSIX record lock (fcntl F_SETLK) on ROOT/var/lib/cgisetup/
 * lock rather than flock(2): F_GETLK names the holder's PID, so a second run
 * can say who it waits for without cgisetup writing its PID anywhere (a
 * run that changes nothing must not change a byte, journal included).
 * Record locks belong to the process and vanish when it closes any
 * descriptor of the file: only this file ever opens it.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cgisetup/fsops.h"
#include "cgisetup/journal.h"
#include "cgisetup/timeutil.h"
#include "cgisetup/util.h"

#include "txn-int.h"

#define JOURNAL_DIR "/var/lib/cgisetup"
#define ENTRIES_DIR JOURNAL_DIR "/entries"
#define LOCK_FILE JOURNAL_DIR "/lock"
#define PARENTS_FILE JOURNAL_DIR "/created-parents"
/* Written at the root only while the journal's missing parents are being
 * created (never on a real system, which has /var/lib). */
#define CREATING_FILE "/.cgisetup-creating-journal"

struct journal {
	char *root;
	int lock_fd;
};

static void journal_remove_if_empty(struct journal *j);


bool
journal_exists(const char *root)
{
	return fsops_exists(root, ENTRIES_DIR);
}

/* ---- the lock ---- */

static int
lock_holder(int fd)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };

	if (fcntl(fd, F_GETLK, &fl) < 0 || fl.l_type == F_UNLCK)
		return 0;
	return fl.l_pid;
}

/* Try the lock once: 1 taken (*ret_fd), 0 held by *ret_holder, -ENOENT
 * when there is no lock file (or it was unlinked by a teardown meanwhile). */
static int
lock_try(const char *root, bool may_create, int *ret_fd, int *ret_holder, struct diag *d)
{
	_cleanup_free_ char *path = fsops_path(root, LOCK_FILE);
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	struct stat st;
	int fd;

	if (!path)
		return -ENOMEM;
	fd = open(path, O_RDWR | O_CLOEXEC | (may_create ? O_CREAT : 0), 0600);
	if (fd < 0)
		return errno == ENOENT ? -ENOENT
				       : diag_fail(d, errno, N_("cannot open the lock '%s': %s"),
						   LOCK_FILE, strerror(errno));
	if (fcntl(fd, F_SETLK, &fl) == 0) {
		if (fstat(fd, &st) == 0 && st.st_nlink > 0) {
			*ret_fd = fd;
			return 1;
		}
		close(fd);
		return -ENOENT;
	}
	*ret_holder = lock_holder(fd);
	close(fd);
	return 0;
}

/* The journal's directories are created and torn down under an flock on
 * the root directory itself (which always exists), so that two runs never
 * build and remove them at the same time. Held only for that moment. */
static int
creation_lock(const char *root, bool wait)
{
	int fd = open(*root ? root : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	while (flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) < 0) {
		int r = -errno;

		if (r == -EINTR)
			continue; /* a signal (a terminal resize) is no reason to give up */
		close(fd);
		return r;
	}
	return fd;
}

/* Remove the parents a cut-short journal creation left behind (listed in
 * CREATING_FILE), when they are empty. */
static void
undo_cut_creation(const char *root)
{
	_cleanup_free_ char *list = NULL;
	_cleanup_strv_free_ char **dirs = NULL;

	fsops_remove_temps(root, CREATING_FILE);
	if (fsops_read(root, CREATING_FILE, &list, NULL, NULL) < 0)
		return;
	for (char *save = NULL, *p = strtok_r(list, "\n", &save); p; p = strtok_r(NULL, "\n", &save))
		strv_extend(&dirs, p);
	if (!fsops_exists(root, PARENTS_FILE)) {
		fsops_rmdir(root, ENTRIES_DIR, NULL);
		fsops_unlink(root, LOCK_FILE, NULL);
		for (size_t i = strv_length(dirs); i-- > 0;)
			fsops_rmdir(root, dirs[i], NULL);
	}
	fsops_unlink(root, CREATING_FILE, NULL);
}

static char *
lines_of(char *const *v)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; v && v[i]; i++)
		if (strbuf_addf(&sb, "%s\n", v[i]) < 0) {
			strbuf_release(&sb);
			return NULL;
		}
	return strbuf_detach(&sb);
}

/* Create ROOT/var/lib/cgisetup/entries, remembering which parents were new
 * so that an emptied journal leaves no trace. */
static int
journal_create_dirs(const char *root, struct diag *d)
{
	_cleanup_strv_free_ char **missing = NULL;
	_cleanup_free_ char *list = NULL;
	int r;

	if (journal_exists(root))
		return 0;
	r = fsops_missing_dirs(root, JOURNAL_DIR, &missing);
	list = r >= 0 ? lines_of(missing) : NULL;
	if (!list)
		return -ENOMEM;
	if (strv_length(missing) > 1)
		r = fsops_write_atomic(root, CREATING_FILE, list, strlen(list), 0600, d);
	if (r >= 0)
		r = fsops_mkdir_p(root, JOURNAL_DIR, 0755, NULL, d);
	if (r >= 0)
		r = fsops_mkdir_p(root, ENTRIES_DIR, 0700, NULL, d);
	if (r >= 0)
		r = fsops_write_atomic(root, PARENTS_FILE, list, strlen(list), 0600, d);
	if (r >= 0 && strv_length(missing) > 1)
		r = fsops_unlink(root, CREATING_FILE, d);
	if (r < 0) {
		fsops_remove_temps(root, PARENTS_FILE);
		fsops_unlink(root, PARENTS_FILE, NULL);
		undo_cut_creation(root);
		fsops_rmdir(root, ENTRIES_DIR, NULL);
		for (size_t i = strv_length(missing); i-- > 0;)
			fsops_rmdir(root, missing[i], NULL);
	}
	return r;
}

/* Under the creation lock: clean up after a cut-short creation, create
 * the journal when this run may write. */
static int
journal_prepare_dirs(const char *root, bool may_create, struct diag *d)
{
	int fd = creation_lock(root, true), r = 0;

	if (fd < 0)
		return diag_fail(d, fd, N_("cannot lock '%s': %s"), *root ? root : "/", strerror(-fd));
	undo_cut_creation(root);
	if (may_create)
		r = journal_create_dirs(root, d);
	close(fd);
	return r;
}

static int
journal_lock(struct journal *j, bool may_create, unsigned wait_ms, struct diag *d)
{
	long long deadline = timeutil_now_ms() + wait_ms;

	for (;;) {
		int holder = 0, r;

		r = journal_prepare_dirs(j->root, may_create, d);
		if (r < 0)
			return r;
		/* a journal directory without its lock is one whose creation was
		 * cut short: take the lock to clean it up */
		r = lock_try(j->root, may_create || fsops_exists(j->root, JOURNAL_DIR), &j->lock_fd,
			     &holder, d);
		if (r != 0 && r != -ENOENT)
			return r < 0 ? r : 0;
		if (r == -ENOENT && !may_create)
			return 0; /* no journal: nothing to lock or recover */
		if (timeutil_now_ms() >= deadline)
			return diag_fail(d, EBUSY, N_("another cgisetup (PID %d) is changing this "
						      "system; try again when it has finished"),
					 holder);
		timeutil_pause_ms(50);
	}
}

int
journal_open(const char *root, bool may_create, unsigned wait_ms, struct journal **ret,
	     struct diag *d)
{
	_cleanup_free_ struct journal *j = calloc(1, sizeof(*j));
	int r;

	if (!j)
		return -ENOMEM;
	j->lock_fd = -1;
	j->root = strdup(root);
	if (!j->root)
		return -ENOMEM;
	r = journal_lock(j, may_create, wait_ms, d);
	if (r < 0) {
		free(j->root);
		return r;
	}
	*ret = TAKE_PTR(j);
	return 0;
}

void
journal_close(struct journal *j)
{
	if (!j)
		return;
	if (j->lock_fd >= 0)
		journal_remove_if_empty(j); /* an empty journal has nothing to keep */
	if (j->lock_fd >= 0)
		close(j->lock_fd);
	free(j->root);
	free(j);
}

bool
journal_locked(const struct journal *j)
{
	return j && j->lock_fd >= 0;
}

/* ---- transactions ---- */

int
journal_begin(struct journal *j, const char *kind, struct txn **ret)
{
	struct txn *t = calloc(1, sizeof(*t));
	time_t now = time(NULL);
	char stamp[32];

	if (!t)
		return -ENOMEM;
	t->journal = j;
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	if (txn_meta(t, "kind", kind) < 0 || txn_meta(t, "time", stamp) < 0) {
		txn_free(t);
		return -ENOMEM;
	}
	*ret = t;
	return 0;
}

const char *
journal_root(const struct journal *j)
{
	return j->root;
}

char *
journal_entry_dir(const char *name)
{
	return strdup_printf("%s/%s", ENTRIES_DIR, name);
}

/* The next free entry number: one more than the highest present. */
static int
next_entry_name(struct journal *j, char **ret)
{
	_cleanup_free_ char *full = fsops_path(j->root, ENTRIES_DIR);
	unsigned long max = 0;
	struct dirent *de;
	DIR *dir;

	if (!full)
		return -ENOMEM;
	dir = opendir(full);
	if (!dir)
		return -errno;
	while ((de = readdir(dir))) {
		unsigned long n = strtoul(de->d_name, NULL, 10);

		if (n > max)
			max = n;
	}
	closedir(dir);
	*ret = strdup_printf("%06lu", max + 1);
	return *ret ? 0 : -ENOMEM;
}

int
journal_next_entry(struct journal *j, char **ret_dir, char **ret_name, struct diag *d)
{
	_cleanup_free_ char *name = NULL;
	int r = next_entry_name(j, &name);

	if (r < 0)
		return diag_fail(d, r, N_("cannot read the journal '%s': %s"), ENTRIES_DIR,
				 strerror(-r));
	*ret_dir = journal_entry_dir(name);
	if (!*ret_dir)
		return -ENOMEM;
	*ret_name = TAKE_PTR(name);
	return 0;
}

/* ---- reading entries back ---- */

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Entry names, oldest first. */
static int
entry_names(struct journal *j, char ***ret)
{
	_cleanup_free_ char *full = fsops_path(j->root, ENTRIES_DIR);
	_cleanup_strv_free_ char **v = NULL;
	struct dirent *de;
	DIR *dir;
	int r = 0;

	if (!full)
		return -ENOMEM;
	dir = opendir(full);
	if (!dir)
		return errno == ENOENT ? 0 : -errno;
	while (r >= 0 && (de = readdir(dir)))
		if (de->d_name[0] != '.')
			r = strv_extend(&v, de->d_name);
	closedir(dir);
	if (r < 0)
		return r;
	if (v)
		qsort(v, strv_length(v), sizeof(char *), cmp_names);
	*ret = TAKE_PTR(v);
	return 0;
}

bool
journal_has_entries(struct journal *j)
{
	_cleanup_strv_free_ char **names = NULL;

	/* unreadable counts as taken: the caller then prepares again under the lock */
	return entry_names(j, &names) < 0 || names;
}

static bool
isempty(const char *s)
{
	return !s || !*s;
}

/* The module symlinks TARGET created, onto HEIR, which needs the module
 * once TARGET is gone: undoing HEIR then disables it. */
static int
hand_on_module(struct txn *target, struct txn *heir, struct diag *d)
{
	const char *module = txn_get_meta(target, "module");
	int r = 0;

	if (!module || !*module || !isempty(txn_get_meta(heir, "module")))
		return 0; /* nothing to hand on, or handed on already */
	for (size_t i = 0; r >= 0 && i < target->n_recs; i++)
		if (target->recs[i].op == TXN_CREATE_SYMLINK)
			r = txn_create_symlink(heir, target->recs[i].path, target->recs[i].target);
	if (r >= 0)
		r = txn_set_meta(heir, "module", module);
	return r < 0 ? r : txn_amend(heir, d);
}

static int
finish_target(struct journal *j, struct txn *undo, const char *name, struct diag *d)
{
	const char *partly = txn_get_meta(undo, "partly_undone");
	const char *heir_name = txn_get_meta(undo, "module_heir");
	struct txn *target = NULL, *heir = NULL;
	int r = txn_load(j, name, &target);

	if (r == -ENOENT)
		return 0; /* finished before */
	if (r >= 0 && !isempty(heir_name) && txn_load(j, heir_name, &heir) >= 0)
		r = hand_on_module(target, heir, d);
	if (r >= 0 && !isempty(partly))
		r = txn_set_meta(target, "partly_undone", partly);
	if (r >= 0 && !isempty(partly))
		r = txn_amend(target, d);
	else if (r >= 0)
		r = fsops_remove_tree(j->root, target->dir);
	txn_free(heir);
	txn_free(target);
	return r;
}

int
journal_finish_undo(struct journal *j, struct txn *undo, struct diag *d)
{
	const char *name = txn_get_meta(undo, "undoes");
	int r = name ? finish_target(j, undo, name, d) : 0;

	if (r >= 0)
		r = fsops_remove_tree(j->root, undo->dir);
	if (r < 0)
		return diag_fail(d, r, N_("cannot update the journal entry '%s': %s"),
				 name ? name : undo->name, strerror(-r));
	return 0;
}

/* Every journal entry, newest first (a later transaction may have built on
 * an earlier one), loaded and handed to FN; T is NULL for an entry whose
 * own record was cut short. FN fails only for want of memory. */
typedef int (*entry_fn)(struct journal *j, const char *name, struct txn *t, void *userdata);

static int
each_entry(struct journal *j, entry_fn fn, void *userdata, struct diag *d)
{
	_cleanup_strv_free_ char **names = NULL;
	int r = entry_names(j, &names);

	if (r < 0)
		return diag_fail(d, r, N_("cannot read the journal '%s': %s"), ENTRIES_DIR,
				 strerror(-r));
	for (size_t i = strv_length(names); i-- > 0;) {
		struct txn *t = NULL;

		r = txn_load(j, names[i], &t);
		if (r < 0 && r != -ENOENT)
			return diag_fail(d, r, N_("cannot read journal entry '%s'"), names[i]);
		r = fn(j, names[i], t, userdata);
		txn_free(t);
		if (r < 0)
			return diag_fail(d, ENOMEM, N_("out of memory"));
	}
	return 0;
}

struct recovery {
	unsigned n;
	char ***failures;
};

static int
recover_entry(struct journal *j, const char *name, struct txn *t, void *userdata)
{
	struct recovery *rec = userdata;
	_cleanup_free_ char *dir = NULL;

	if (!t) {
		/* the journal write itself was cut */
		dir = strdup_printf("%s/%s", ENTRIES_DIR, name);
		if (dir)
			fsops_remove_tree(j->root, dir);
	} else if (!t->committed) {
		txn_rollback(t, rec->failures);
		rec->n++;
	} else if (streq_ptr(txn_get_meta(t, "kind"), "undo")) {
		/* committed, cut before it updated the journal */
		journal_finish_undo(j, t, NULL);
	}
	return 0;
}

int
journal_recover(struct journal *j, unsigned *ret_n, char ***ret_failures, struct diag *d)
{
	struct recovery rec = { .failures = ret_failures };
	int r;

	*ret_n = 0;
	if (!j || j->lock_fd < 0)
		return 0;
	r = each_entry(j, recover_entry, &rec, d);
	*ret_n = rec.n;
	return r < 0 ? r : 0;
}

/* The paths of T's records, each once, onto *PATHS. */
static int
pending_paths(const struct txn *t, char ***paths)
{
	for (size_t i = 0; i < t->n_recs; i++) {
		const struct txn_record *rec = &t->recs[i];

		if (rec->op == TXN_CHANGE || strv_contains(*paths, rec->path))
			continue;
		if (strv_extend(paths, rec->path) < 0)
			return -ENOMEM;
	}
	return 0;
}

struct pending {
	unsigned n;
	char **paths;
};

static int
pending_entry(struct journal *j, const char *name, struct txn *t, void *userdata)
{
	struct pending *p = userdata;

	if (!t || t->committed)
		return 0;
	p->n++;
	return pending_paths(t, &p->paths);
}

int
journal_pending(struct journal *j, unsigned *ret_n, char ***ret_paths, struct diag *d)
{
	struct pending p = { 0 };
	int r;

	if (!j || j->lock_fd < 0)
		return 0;
	r = each_entry(j, pending_entry, &p, d);
	if (r < 0) {
		strv_free(p.paths);
		return r;
	}
	*ret_n = p.n;
	*ret_paths = p.paths;
	return 0;
}

int
journal_list(struct journal *j, const char *kind, struct txn ***ret, size_t *ret_n,
	     struct diag *d)
{
	_cleanup_strv_free_ char **names = NULL;
	struct txn **v = NULL;
	size_t n = 0;
	int r = j ? entry_names(j, &names) : 0;

	for (size_t i = 0; r >= 0 && names && names[i]; i++) {
		struct txn *t = NULL, **nv;

		if (txn_load(j, names[i], &t) < 0)
			continue;
		if (!t->committed || !streq_ptr(txn_get_meta(t, "kind"), kind)) {
			txn_free(t);
			continue;
		}
		nv = realloc(v, (n + 1) * sizeof(*nv));
		if (!nv) {
			txn_free(t);
			r = -ENOMEM;
			break;
		}
		v = nv;
		v[n++] = t;
	}
	if (r < 0) {
		journal_list_free(v, n);
		return diag_fail(d, r, N_("cannot read the journal '%s'"), ENTRIES_DIR);
	}
	*ret = v;
	*ret_n = n;
	return 0;
}

void
journal_list_free(struct txn **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		txn_free(v[i]);
	free(v);
}

/* When no entry is left, remove the journal and the parents it created,
 * so that apply followed by undo leaves the tree as it was. Without the
 * list of created parents (a run cut while creating the journal), the
 * parents are removed only if empty, which a real /var/lib never is. */
static void journal_teardown(struct journal *j);

static void
journal_remove_if_empty(struct journal *j)
{
	_cleanup_strv_free_ char **names = NULL;

	int cfd;

	if (entry_names(j, &names) < 0 || names)
		return;
	/* another run is creating the journal right now: it stays */
	cfd = creation_lock(j->root, false);
	if (cfd < 0)
		return;
	journal_teardown(j);
	close(cfd);
}

static void
journal_teardown(struct journal *j)
{
	_cleanup_free_ char *parents = NULL;
	_cleanup_strv_free_ char **created = NULL;

	if (fsops_read(j->root, PARENTS_FILE, &parents, NULL, NULL) >= 0) {
		for (char *save = NULL, *p = strtok_r(parents, "\n", &save); p;
		     p = strtok_r(NULL, "\n", &save))
			strv_extend(&created, p);
	} else {
		strv_extend(&created, "/var");
		strv_extend(&created, "/var/lib");
	}
	/* a crash while tearing down must still find the parents to remove */
	if (strv_length(created) > 1) {
		_cleanup_free_ char *list = lines_of(created);

		if (!list || fsops_write_atomic(j->root, CREATING_FILE, list, strlen(list), 0600,
						NULL) < 0)
			return;
	}
	fsops_rmdir(j->root, ENTRIES_DIR, NULL);
	fsops_remove_temps(j->root, PARENTS_FILE);
	fsops_unlink(j->root, PARENTS_FILE, NULL);
	fsops_unlink(j->root, LOCK_FILE, NULL);
	fsops_rmdir(j->root, JOURNAL_DIR, NULL);
	for (size_t i = strv_length(created); i-- > 0;)
		fsops_rmdir(j->root, created[i], NULL);
	fsops_unlink(j->root, CREATING_FILE, NULL);
}

int
journal_forget(struct journal *j, struct txn *t, struct diag *d)
{
	int r = fsops_remove_tree(j->root, t->dir);

	if (r < 0)
		return diag_fail(d, r, N_("cannot remove journal entry '%s'"), t->dir);
	journal_remove_if_empty(j);
	return 0;
}
