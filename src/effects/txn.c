/* txn.c - journal transactions: what a run will do, on disk before it
 * does it, and how to take it back (see journal.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgisetup/fsops.h"
#include "cgisetup/journal.h"
#include "cgisetup/util.h"

#include "txn-int.h"

#define MANIFEST_MAGIC "cgisetup-journal\t1"

static const char *const op_names[] = {
	[TXN_REPLACE] = "replace",         [TXN_CREATE_FILE] = "create-file",
	[TXN_CREATE_DIR] = "create-dir",   [TXN_CREATE_SYMLINK] = "create-symlink",
	[TXN_REMOVE_FILE] = "remove-file", [TXN_REMOVE_DIR] = "remove-dir",
	[TXN_REMOVE_SYMLINK] = "remove-symlink", [TXN_CHMOD] = "chmod",
	[TXN_CHANGE] = "change", [TXN_PROBE] = "probe",
};

/* ---- building the record ---- */

int
txn_meta(struct txn *t, const char *key, const char *value)
{
	if (strv_extend(&t->meta_keys, key) < 0)
		return -ENOMEM;
	return strv_extend(&t->meta_values, value ? value : "");
}

int
txn_set_meta(struct txn *t, const char *key, const char *value)
{
	char *v;

	for (size_t i = 0; t->meta_keys && t->meta_keys[i]; i++) {
		if (!streq(t->meta_keys[i], key))
			continue;
		v = strdup(value ? value : "");
		if (!v)
			return -ENOMEM;
		free(t->meta_values[i]);
		t->meta_values[i] = v;
		return 0;
	}
	return txn_meta(t, key, value);
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
	_cleanup_free_ char *full = fsops_path(journal_root(t->journal), path);
	struct stat st;
	int r;

	if (!full)
		return -ENOMEM;
	if (lstat(full, &st) < 0)
		return diag_fail(d, errno, N_("cannot stat '%s': %s"), path, strerror(errno));
	rec->mode = st.st_mode & 07777;
	rec->uid = st.st_uid;
	rec->gid = st.st_gid;
	r = fsops_read(journal_root(t->journal), path, &rec->old_data, &rec->old_len, d);
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
	if (!rec.new_data) {
		/* txn_add() frees a record it refuses; this one never gets there
		 * (found by cppcheck: the path and the old bytes leaked) */
		free(rec.path);
		free(rec.old_data);
		return -ENOMEM;
	}
	return txn_add(t, rec);
}

int
txn_create_file(struct txn *t, const char *path, const char *data, size_t len, mode_t mode)
{
	return txn_add(t, (struct txn_record){ .op = TXN_CREATE_FILE, .path = strdup(path),
					       .new_data = memdup0(data, len), .new_len = len,
					       .mode = mode });
}

int
txn_probe(struct txn *t, const char *path, const char *data, size_t len, mode_t mode)
{
	return txn_add(t, (struct txn_record){ .op = TXN_PROBE, .path = strdup(path),
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

static bool
has_new_data(enum txn_op op)
{
	return op == TXN_REPLACE || op == TXN_CREATE_FILE || op == TXN_PROBE;
}

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
	_cleanup_free_ char *path = strdup_printf("%s/%s-%zu", t->dir, side, i);

	if (!path)
		return -ENOMEM;
	return fsops_write_atomic(journal_root(t->journal), path, data ? data : "", len, 0600, d);
}

int
txn_prepare(struct txn *t, struct diag *d)
{
	_cleanup_free_ char *manifest = NULL, *mpath = NULL;
	int r = journal_next_entry(t->journal, &t->dir, &t->name, d);

	if (r < 0)
		return r;
	r = fsops_mkdir_p(journal_root(t->journal), t->dir, 0700, NULL, d);
	for (size_t i = 0; r >= 0 && i < t->n_recs; i++) {
		const struct txn_record *rec = &t->recs[i];

		if (rec->op == TXN_REPLACE || rec->op == TXN_REMOVE_FILE)
			r = write_data(t, i, "old", rec->old_data, rec->old_len, d);
		if (r >= 0 && has_new_data(rec->op))
			r = write_data(t, i, "new", rec->new_data, rec->new_len, d);
	}
	manifest = r >= 0 ? manifest_text(t) : NULL;
	mpath = strdup_printf("%s/manifest", t->dir);
	if (r >= 0 && (!manifest || !mpath))
		r = -ENOMEM;
	/* the manifest last: an entry without one is a journal write that
	 * never finished, and nothing was changed after it */
	if (r >= 0)
		r = fsops_write_atomic(journal_root(t->journal), mpath, manifest, strlen(manifest), 0600, d);
	if (r < 0) {
		fsops_remove_tree(journal_root(t->journal), t->dir);
		return r;
	}
	t->prepared = true;
	return 0;
}

/* Records added since are appended, so old-N and new-N keep their
 * numbers; only records without data (symlinks) may be added. The
 * manifest is replaced atomically: the entry is the old one or the new. */
int
txn_amend(struct txn *t, struct diag *d)
{
	_cleanup_free_ char *manifest = manifest_text(t), *mpath = strdup_printf("%s/manifest", t->dir);

	if (!manifest || !mpath)
		return -ENOMEM;
	return fsops_write_atomic(journal_root(t->journal), mpath, manifest, strlen(manifest), 0600, d);
}

int
txn_commit(struct txn *t, struct diag *d)
{
	_cleanup_free_ char *path = strdup_printf("%s/committed", t->dir);
	int r;

	if (!path)
		return -ENOMEM;
	r = fsops_write_atomic(journal_root(t->journal), path, "", 0, 0600, d);
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

/* Put back one record; -EIO when it could not be (a kept file is only
 * noted: it is the user's now). */
static int
rollback_record(const char *root, const struct txn_record *rec, char ***failures)
{
	struct diag d = { 0 };
	struct stat st;
	int r = 0, temps = 0;

	if (rec->op != TXN_CHANGE)
		temps = fsops_remove_temps(root, rec->path);
	if (temps < 0)
		note(failures, diag_strdup(N_("cannot remove the temporary file of '%s': %s"),
					   rec->path, strerror(-temps)));
	switch (rec->op) {
	case TXN_REPLACE:
	case TXN_REMOVE_FILE:
		r = restore_file(root, rec, &d);
		break;
	case TXN_PROBE:
		if (lstat_at(root, rec->path, &st) == 0 &&
		    file_equals(root, rec->path, rec->new_data, rec->new_len))
			r = fsops_unlink(root, rec->path, &d);
		break;
	case TXN_CREATE_FILE:
		if (lstat_at(root, rec->path, &st) < 0)
			break;
		if (S_ISREG(st.st_mode) && file_equals(root, rec->path, rec->new_data, rec->new_len))
			r = fsops_unlink(root, rec->path, &d);
		else
			note(failures, diag_strdup(N_("kept '%s': it was changed since cgisetup "
						      "created it"), rec->path));
		break;
	case TXN_CREATE_DIR:
		if (lstat_at(root, rec->path, &st) == 0 && fsops_rmdir(root, rec->path, NULL) < 0)
			note(failures, diag_strdup(N_("kept directory '%s': it is not empty"),
						   rec->path));
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
	if (r < 0) {
		diag_remember(&d);
		note(failures, strdup(d.msg[0] ? d.msg : rec->path));
	}
	return r < 0 || temps < 0 ? -EIO : 0;
}

int
txn_rollback(struct txn *t, char ***failures)
{
	const char *root = journal_root(t->journal);
	int r = 0;

	for (size_t i = t->n_recs; i-- > 0;)
		if (rollback_record(root, &t->recs[i], failures) < 0)
			r = -EIO;
	/* An entry that could not be rolled back stays in progress: the next
	 * run, in any mode, tries again from the same record. */
	if (r >= 0 && t->dir)
		fsops_remove_tree(root, t->dir);
	return r;
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
	_cleanup_free_ char *path = strdup_printf("%s/%s-%zu", t->dir, side, i);

	if (!path)
		return -ENOMEM;
	return fsops_read(journal_root(t->journal), path, ret, ret_len, NULL);
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
	if (r >= 0 && has_new_data(rec.op))
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

int
txn_load(struct journal *j, const char *name, struct txn **ret)
{
	struct txn *t = calloc(1, sizeof(*t));
	_cleanup_free_ char *mpath = NULL, *cpath = NULL, *text = NULL;
	int r;

	if (!t)
		return -ENOMEM;
	t->journal = j;
	t->name = strdup(name);
	t->dir = journal_entry_dir(name);
	mpath = strdup_printf("%s/manifest", t->dir ? t->dir : "");
	cpath = strdup_printf("%s/committed", t->dir ? t->dir : "");
	r = t->name && t->dir && mpath && cpath ? 0 : -ENOMEM;
	if (r >= 0)
		r = fsops_read(journal_root(j), mpath, &text, NULL, NULL);
	if (r >= 0)
		r = parse_manifest(t, text);
	if (r < 0) {
		txn_free(t);
		return r;
	}
	t->prepared = true;
	t->committed = fsops_exists(journal_root(j), cpath);
	*ret = t;
	return 0;
}

