/* journal.c - transactions, crash recovery and the lock (see journal.h).
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

#define JOURNAL_DIR "/var/lib/cgisetup"
#define ENTRIES_DIR JOURNAL_DIR "/entries"
#define LOCK_FILE JOURNAL_DIR "/lock"
#define PARENTS_FILE JOURNAL_DIR "/created-parents"
/* Written at the root only while the journal's missing parents are being
 * created (never on a real system, which has /var/lib). */
#define CREATING_FILE "/.cgisetup-creating-journal"
#define MANIFEST_MAGIC "cgisetup-journal\t1"

struct journal {
	char *root;
	int lock_fd;
};

static void journal_remove_if_empty(struct journal *j);

static const char *const op_names[] = {
	[TXN_REPLACE] = "replace",         [TXN_CREATE_FILE] = "create-file",
	[TXN_CREATE_DIR] = "create-dir",   [TXN_CREATE_SYMLINK] = "create-symlink",
	[TXN_REMOVE_FILE] = "remove-file", [TXN_REMOVE_DIR] = "remove-dir",
	[TXN_REMOVE_SYMLINK] = "remove-symlink", [TXN_CHMOD] = "chmod",
	[TXN_CHANGE] = "change",
};

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
	if (flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) < 0) {
		int r = -errno;

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

/* ---- transactions: building the record ---- */

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

int
txn_meta(struct txn *t, const char *key, const char *value)
{
	if (strv_extend(&t->meta_keys, key) < 0)
		return -ENOMEM;
	return strv_extend(&t->meta_values, value ? value : "");
}

const char *
txn_get_meta(const struct txn *t, const char *key)
{
	for (size_t i = 0; t->meta_keys && t->meta_keys[i]; i++)
		if (streq(t->meta_keys[i], key))
			return t->meta_values[i];
	return NULL;
}

static int
txn_add(struct txn *t, struct txn_record rec)
{
	struct txn_record *nv = realloc(t->recs, (t->n_recs + 1) * sizeof(*nv));

	if (!nv || !rec.path) {
		free(rec.path);
		free(rec.target);
		free(rec.old_data);
		free(rec.new_data);
		if (nv)
			t->recs = nv;
		return -ENOMEM;
	}
	nv[t->n_recs++] = rec;
	t->recs = nv;
	return 0;
}

static char *
memdup0(const char *data, size_t len)
{
	char *p = malloc(len + 1);

	if (p) {
		memcpy(p, data, len);
		p[len] = '\0';
	}
	return p;
}

/* Read PATH's bytes and owner/mode into REC (old side). */
static int
snapshot_file(struct txn *t, const char *path, struct txn_record *rec, struct diag *d)
{
	_cleanup_free_ char *full = fsops_path(t->journal->root, path);
	struct stat st;
	int r;

	if (!full)
		return -ENOMEM;
	if (lstat(full, &st) < 0)
		return diag_fail(d, errno, N_("cannot stat '%s': %s"), path, strerror(errno));
	rec->mode = st.st_mode & 07777;
	rec->uid = st.st_uid;
	rec->gid = st.st_gid;
	r = fsops_read(t->journal->root, path, &rec->old_data, &rec->old_len, d);
	return r;
}

int
txn_replace(struct txn *t, const char *path, const char *new_data, size_t new_len,
	    struct diag *d)
{
	struct txn_record rec = { .op = TXN_REPLACE };
	int r = snapshot_file(t, path, &rec, d);

	if (r < 0)
		return r;
	rec.path = strdup(path);
	rec.new_data = memdup0(new_data, new_len);
	rec.new_len = new_len;
	return rec.new_data ? txn_add(t, rec) : -ENOMEM;
}

int
txn_create_file(struct txn *t, const char *path, const char *data, size_t len, mode_t mode)
{
	return txn_add(t, (struct txn_record){ .op = TXN_CREATE_FILE, .path = strdup(path),
					       .new_data = memdup0(data, len), .new_len = len,
					       .mode = mode });
}

int
txn_create_dir(struct txn *t, const char *path, mode_t mode)
{
	return txn_add(t, (struct txn_record){ .op = TXN_CREATE_DIR, .path = strdup(path),
					       .mode = mode });
}

int
txn_create_symlink(struct txn *t, const char *path, const char *target)
{
	return txn_add(t, (struct txn_record){ .op = TXN_CREATE_SYMLINK, .path = strdup(path),
					       .target = strdup(target) });
}

int
txn_remove_file(struct txn *t, const char *path, struct diag *d)
{
	struct txn_record rec = { .op = TXN_REMOVE_FILE };
	int r = snapshot_file(t, path, &rec, d);

	if (r < 0)
		return r;
	rec.path = strdup(path);
	return txn_add(t, rec);
}

int
txn_remove_dir(struct txn *t, const char *path, mode_t mode)
{
	return txn_add(t, (struct txn_record){ .op = TXN_REMOVE_DIR, .path = strdup(path),
					       .mode = mode });
}

int
txn_remove_symlink(struct txn *t, const char *path, const char *target)
{
	return txn_add(t, (struct txn_record){ .op = TXN_REMOVE_SYMLINK, .path = strdup(path),
					       .target = strdup(target) });
}

int
txn_chmod(struct txn *t, const char *path, mode_t old_mode, mode_t new_mode)
{
	return txn_add(t, (struct txn_record){ .op = TXN_CHMOD, .path = strdup(path),
					       .mode = old_mode, .new_mode = new_mode });
}

int
txn_change(struct txn *t, const char *text)
{
	return txn_add(t, (struct txn_record){ .op = TXN_CHANGE, .path = strdup("-"),
					       .target = strdup(text) });
}

void
txn_free(struct txn *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n_recs; i++) {
		free(t->recs[i].path);
		free(t->recs[i].target);
		free(t->recs[i].old_data);
		free(t->recs[i].new_data);
	}
	free(t->recs);
	free(t->dir);
	free(t->name);
	strv_free(t->meta_keys);
	strv_free(t->meta_values);
	free(t);
}

/* ---- the manifest on disk ---- */

static int
add_field(struct strbuf *sb, const char *s)
{
	int r = strbuf_adds(sb, "\t");

	for (const char *p = s ? s : ""; r >= 0 && *p; p++) {
		if (*p == '\\')
			r = strbuf_adds(sb, "\\\\");
		else if (*p == '\t')
			r = strbuf_adds(sb, "\\t");
		else if (*p == '\n')
			r = strbuf_adds(sb, "\\n");
		else
			r = strbuf_add(sb, p, 1);
	}
	return r;
}

static int
add_number(struct strbuf *sb, bool octal, unsigned long v)
{
	char buf[32];

	if (octal)
		snprintf(buf, sizeof(buf), "%lo", v);
	else
		snprintf(buf, sizeof(buf), "%lu", v);
	return add_field(sb, buf);
}

static int
manifest_record(struct strbuf *sb, const struct txn_record *rec)
{
	int r = strbuf_adds(sb, op_names[rec->op]);

	if (r >= 0)
		r = add_field(sb, rec->path);
	if (r >= 0)
		r = add_field(sb, rec->target ? rec->target : "");
	if (r >= 0)
		r = add_number(sb, true, rec->mode);
	if (r >= 0)
		r = add_number(sb, true, rec->new_mode);
	if (r >= 0)
		r = add_number(sb, false, rec->uid);
	if (r >= 0)
		r = add_number(sb, false, rec->gid);
	return r < 0 ? r : strbuf_adds(sb, "\n");
}

static char *
manifest_text(const struct txn *t)
{
	struct strbuf sb = STRBUF_INIT;
	int r = strbuf_adds(&sb, MANIFEST_MAGIC "\n");

	for (size_t i = 0; r >= 0 && t->meta_keys && t->meta_keys[i]; i++) {
		r = strbuf_adds(&sb, "meta");
		if (r >= 0)
			r = add_field(&sb, t->meta_keys[i]);
		if (r >= 0)
			r = add_field(&sb, t->meta_values[i]);
		if (r >= 0)
			r = strbuf_adds(&sb, "\n");
	}
	for (size_t i = 0; r >= 0 && i < t->n_recs; i++)
		r = manifest_record(&sb, &t->recs[i]);
	if (r < 0) {
		strbuf_release(&sb);
		return NULL;
	}
	return strbuf_detach(&sb);
}

static int
write_data(struct txn *t, size_t i, const char *side, const char *data, size_t len,
	   struct diag *d)
{
	_cleanup_free_ char *path = xasprintf("%s/%s-%zu", t->dir, side, i);

	if (!path)
		return -ENOMEM;
	return fsops_write_atomic(t->journal->root, path, data ? data : "", len, 0600, d);
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
	*ret = xasprintf("%06lu", max + 1);
	return *ret ? 0 : -ENOMEM;
}

int
txn_prepare(struct txn *t, struct diag *d)
{
	_cleanup_free_ char *manifest = NULL, *mpath = NULL;
	int r = next_entry_name(t->journal, &t->name);

	if (r < 0)
		return diag_fail(d, r, N_("cannot read the journal '%s': %s"), ENTRIES_DIR,
				 strerror(-r));
	t->dir = xasprintf("%s/%s", ENTRIES_DIR, t->name);
	if (!t->dir)
		return -ENOMEM;
	r = fsops_mkdir_p(t->journal->root, t->dir, 0700, NULL, d);
	for (size_t i = 0; r >= 0 && i < t->n_recs; i++) {
		const struct txn_record *rec = &t->recs[i];

		if (rec->op == TXN_REPLACE || rec->op == TXN_REMOVE_FILE)
			r = write_data(t, i, "old", rec->old_data, rec->old_len, d);
		if (r >= 0 && (rec->op == TXN_REPLACE || rec->op == TXN_CREATE_FILE))
			r = write_data(t, i, "new", rec->new_data, rec->new_len, d);
	}
	manifest = r >= 0 ? manifest_text(t) : NULL;
	mpath = xasprintf("%s/manifest", t->dir);
	if (r >= 0 && (!manifest || !mpath))
		r = -ENOMEM;
	/* the manifest last: an entry without one is a journal write that
	 * never finished, and nothing was changed after it */
	if (r >= 0)
		r = fsops_write_atomic(t->journal->root, mpath, manifest, strlen(manifest), 0600, d);
	if (r < 0) {
		fsops_remove_tree(t->journal->root, t->dir);
		return r;
	}
	t->prepared = true;
	return 0;
}

int
txn_commit(struct txn *t, struct diag *d)
{
	_cleanup_free_ char *path = xasprintf("%s/committed", t->dir);
	int r;

	if (!path)
		return -ENOMEM;
	r = fsops_write_atomic(t->journal->root, path, "", 0, 0600, d);
	if (r >= 0)
		t->committed = true;
	return r;
}

/* ---- rolling back ---- */

static void
note(char ***failures, char *msg)
{
	if (msg && failures)
		strv_push(failures, msg);
	else
		free(msg);
}

/* Whether the file at PATH holds exactly DATA. */
static bool
file_equals(const char *root, const char *path, const char *data, size_t len)
{
	_cleanup_free_ char *text = NULL;
	size_t n;

	if (fsops_read(root, path, &text, &n, NULL) < 0)
		return false;
	return n == len && memcmp(text, data, len) == 0;
}

static int
lstat_at(const char *root, const char *path, struct stat *st)
{
	_cleanup_free_ char *full = fsops_path(root, path);

	if (!full)
		return -ENOMEM;
	return lstat(full, st) < 0 ? -errno : 0;
}

/* Put the file back: its old bytes, owner and mode (no write when equal). */
static int
restore_file(const char *root, const struct txn_record *rec, struct diag *d)
{
	_cleanup_free_ char *full = fsops_path(root, rec->path);
	struct stat st;
	int r = 0;

	if (!full)
		return -ENOMEM;
	if (!file_equals(root, rec->path, rec->old_data, rec->old_len))
		r = fsops_write_atomic(root, rec->path, rec->old_data, rec->old_len, rec->mode, d);
	if (r >= 0 && lstat(full, &st) == 0 &&
	    (st.st_uid != rec->uid || st.st_gid != rec->gid || (st.st_mode & 07777) != rec->mode)) {
		if (lchown(full, rec->uid, rec->gid) < 0 && errno != EPERM)
			r = -errno;
		if (r >= 0 && chmod(full, rec->mode) < 0)
			r = -errno;
	}
	return r;
}

static void
rollback_record(const char *root, const struct txn_record *rec, char ***failures)
{
	struct diag d = { 0 };
	struct stat st;
	int r = 0;

	if (rec->op != TXN_CHANGE)
		fsops_remove_temps(root, rec->path);
	switch (rec->op) {
	case TXN_REPLACE:
	case TXN_REMOVE_FILE:
		r = restore_file(root, rec, &d);
		break;
	case TXN_CREATE_FILE:
		if (lstat_at(root, rec->path, &st) < 0)
			break;
		if (S_ISREG(st.st_mode) && file_equals(root, rec->path, rec->new_data, rec->new_len))
			r = fsops_unlink(root, rec->path, &d);
		else
			note(failures, xasprintf("kept '%s': it was changed since cgisetup created it",
						 rec->path));
		break;
	case TXN_CREATE_DIR:
		if (lstat_at(root, rec->path, &st) == 0 && fsops_rmdir(root, rec->path, NULL) < 0)
			note(failures, xasprintf("kept directory '%s': it is not empty", rec->path));
		break;
	case TXN_CREATE_SYMLINK:
		if (fsops_is_symlink_to(root, rec->path, rec->target))
			r = fsops_unlink(root, rec->path, &d);
		break;
	case TXN_REMOVE_DIR:
		if (lstat_at(root, rec->path, &st) < 0)
			r = fsops_mkdir_p(root, rec->path, rec->mode, NULL, &d);
		break;
	case TXN_REMOVE_SYMLINK:
		if (lstat_at(root, rec->path, &st) < 0)
			r = fsops_symlink(root, rec->target, rec->path, &d);
		break;
	case TXN_CHMOD:
		if (lstat_at(root, rec->path, &st) == 0 && S_ISREG(st.st_mode) &&
		    (st.st_mode & 07777) == rec->new_mode)
			r = fsops_chmod(root, rec->path, rec->new_mode, rec->mode, &d);
		break;
	case TXN_CHANGE:
		break;
	}
	if (r < 0)
		note(failures, strdup(d.msg[0] ? d.msg : rec->path));
}

int
txn_rollback(struct txn *t, char ***failures)
{
	const char *root = t->journal->root;

	for (size_t i = t->n_recs; i-- > 0;)
		rollback_record(root, &t->recs[i], failures);
	/* what could not be put back was reported; the entry has served */
	if (t->dir)
		fsops_remove_tree(root, t->dir);
	return 0;
}

/* ---- reading entries back ---- */

/* Split one manifest line into unescaped fields. */
static int
split_fields(const char *line, char ***ret)
{
	_cleanup_strv_free_ char **v = NULL;
	struct strbuf sb = STRBUF_INIT;
	const char *p = line;
	int r = 0;

	for (;; p++) {
		if (*p == '\t' || *p == '\0') {
			r = strv_push(&v, strbuf_detach(&sb));
			if (r < 0 || *p == '\0')
				break;
			continue;
		}
		if (*p == '\\' && p[1]) {
			p++;
			r = strbuf_add(&sb, *p == 't' ? "\t" : *p == 'n' ? "\n" : p, 1);
		} else {
			r = strbuf_add(&sb, p, 1);
		}
		if (r < 0)
			break;
	}
	strbuf_release(&sb);
	if (r < 0)
		return r;
	*ret = TAKE_PTR(v);
	return 0;
}

static int
op_by_name(const char *name)
{
	for (size_t i = 0; i < ELEMENTSOF(op_names); i++)
		if (streq(op_names[i], name))
			return (int)i;
	return -1;
}

static int
read_data(struct txn *t, size_t i, const char *side, char **ret, size_t *ret_len)
{
	_cleanup_free_ char *path = xasprintf("%s/%s-%zu", t->dir, side, i);

	if (!path)
		return -ENOMEM;
	return fsops_read(t->journal->root, path, ret, ret_len, NULL);
}

static int
parse_record(struct txn *t, char **f)
{
	struct txn_record rec = { 0 };
	int op = op_by_name(f[0]), r = 0;
	size_t i = t->n_recs;

	if (op < 0 || strv_length(f) != 7)
		return -EBADMSG;
	rec.op = (enum txn_op)op;
	rec.path = strdup(f[1]);
	rec.target = *f[2] ? strdup(f[2]) : NULL;
	rec.mode = (mode_t)strtoul(f[3], NULL, 8);
	rec.new_mode = (mode_t)strtoul(f[4], NULL, 8);
	rec.uid = (uid_t)strtoul(f[5], NULL, 10);
	rec.gid = (gid_t)strtoul(f[6], NULL, 10);
	if (rec.op == TXN_REPLACE || rec.op == TXN_REMOVE_FILE)
		r = read_data(t, i, "old", &rec.old_data, &rec.old_len);
	if (r >= 0 && (rec.op == TXN_REPLACE || rec.op == TXN_CREATE_FILE))
		r = read_data(t, i, "new", &rec.new_data, &rec.new_len);
	if (r < 0) {
		free(rec.path);
		free(rec.target);
		free(rec.old_data);
		return r;
	}
	return txn_add(t, rec);
}

static int
parse_manifest(struct txn *t, const char *text)
{
	const char *p = startswith(text, MANIFEST_MAGIC "\n");
	int r = 0;

	if (!p)
		return -EBADMSG;
	while (r >= 0 && *p) {
		const char *nl = strchrnul(p, '\n');
		_cleanup_free_ char *line = strndup(p, (size_t)(nl - p));
		_cleanup_strv_free_ char **f = NULL;

		p = *nl ? nl + 1 : nl;
		if (!line || split_fields(line, &f) < 0)
			return -ENOMEM;
		if (streq(f[0], "meta") && strv_length(f) == 3)
			r = txn_meta(t, f[1], f[2]);
		else
			r = parse_record(t, f);
	}
	return r;
}

/* Load entry NAME; -ENOENT when it has no manifest (an unfinished
 * journal write: nothing was changed after it). */
static int
load_entry(struct journal *j, const char *name, struct txn **ret)
{
	struct txn *t = calloc(1, sizeof(*t));
	_cleanup_free_ char *mpath = NULL, *cpath = NULL, *text = NULL;
	int r;

	if (!t)
		return -ENOMEM;
	t->journal = j;
	t->name = strdup(name);
	t->dir = xasprintf("%s/%s", ENTRIES_DIR, name);
	mpath = xasprintf("%s/manifest", t->dir ? t->dir : "");
	cpath = xasprintf("%s/committed", t->dir ? t->dir : "");
	r = t->name && t->dir && mpath && cpath ? 0 : -ENOMEM;
	if (r >= 0)
		r = fsops_read(j->root, mpath, &text, NULL, NULL);
	if (r >= 0)
		r = parse_manifest(t, text);
	if (r < 0) {
		txn_free(t);
		return r;
	}
	t->prepared = true;
	t->committed = fsops_exists(j->root, cpath);
	*ret = t;
	return 0;
}

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

/* An undo that committed but was cut before it removed the entries: the
 * apply it undid is gone from the system, so it goes from the journal. */
static void
finish_undo(struct journal *j, struct txn *undo)
{
	const char *target = txn_get_meta(undo, "undoes");
	_cleanup_free_ char *dir = target ? xasprintf("%s/%s", ENTRIES_DIR, target) : NULL;

	if (dir)
		fsops_remove_tree(j->root, dir);
	fsops_remove_tree(j->root, undo->dir);
}

int
journal_recover(struct journal *j, unsigned *ret_n, char ***ret_failures, struct diag *d)
{
	_cleanup_strv_free_ char **names = NULL;
	unsigned n = 0;
	int r;

	*ret_n = 0;
	if (!j || j->lock_fd < 0)
		return 0;
	r = entry_names(j, &names);
	if (r < 0)
		return diag_fail(d, r, N_("cannot read the journal '%s': %s"), ENTRIES_DIR,
				 strerror(-r));
	/* newest first: a later transaction may have built on an earlier one */
	for (size_t i = strv_length(names); i-- > 0;) {
		_cleanup_free_ char *dir = xasprintf("%s/%s", ENTRIES_DIR, names[i]);
		struct txn *t = NULL;

		r = load_entry(j, names[i], &t);
		if (r == -ENOENT) {
			fsops_remove_tree(j->root, dir); /* the journal write itself was cut */
			continue;
		}
		if (r < 0)
			return diag_fail(d, r, N_("cannot read journal entry '%s'"), names[i]);
		if (!t->committed) {
			txn_rollback(t, ret_failures);
			n++;
		} else if (streq_ptr(txn_get_meta(t, "kind"), "undo")) {
			finish_undo(j, t);
		}
		txn_free(t);
	}
	*ret_n = n;
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

		if (load_entry(j, names[i], &t) < 0)
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
