/* fsops.c - file-system access relative to --root (see fsops.h). */
#include "config.h"

#include <dirent.h>
#include <glob.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <stdint.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cgisetup/fsops.h"
#include "cgisetup/util.h"

#define READ_MAX (16u * 1024 * 1024)

static void
closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}
#define _cleanup_close_ _cleanup_(closep)

static char *
raw_path(const char *root, const char *path)
{
	if (!root || !*root)
		return strdup(path);
	return path_join(root, path);
}

static char *resolved_path(const char *root, const char *path);

/* Open PATH as if ROOT were "/": under --root the kernel resolves every
 * link inside ROOT (openat2's RESOLVE_IN_ROOT, Linux 5.6), in one call
 * where resolving by hand costs an lstat per component; before 5.6, by
 * hand. errno is set when it fails. */
static int
open_inside(const char *root, const char *path, int flags)
{
	_cleanup_close_ int dirfd = -1;
	_cleanup_free_ char *full = NULL;
	struct open_how how = { .flags = (uint64_t)(flags | O_CLOEXEC),
				.resolve = RESOLVE_IN_ROOT };
	long fd;

	if (!root || !*root)
		return open(path, flags | O_CLOEXEC);
	dirfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return -1;
	/* EAGAIN: a rename anywhere on the system raced with the lookup; the
	 * kernel asks to try again (openat2(2)) */
	for (int tries = 0; tries < 64; tries++) {
		fd = syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
		if (fd >= 0 || (errno != EAGAIN && errno != EINTR))
			break;
	}
	if (fd >= 0 || (errno != ENOSYS && errno != EAGAIN))
		return (int)fd;
	full = resolved_path(root, path);
	if (!full) {
		errno = ENOMEM;
		return -ENOMEM;
	}
	return open(full, flags | O_CLOEXEC);
}

/* Under --root, the directories on PATH are resolved inside ROOT, so that
 * an absolute symlink in the tree never leads to the host's files; the
 * last component is left as it is (lstat, O_NOFOLLOW and rename act on
 * it, not on what it points to). */
char *
fsops_path(const char *root, const char *path)
{
	_cleanup_free_ char *dir = NULL, *inside = NULL;
	const char *slash = strrchr(path, '/');

	if (!root || !*root || !slash || slash == path)
		return raw_path(root, path);
	dir = strndup(path, (size_t)(slash - path));
	if (!dir)
		return NULL;
	if (fsops_resolve(root, dir, &inside) < 0)
		return raw_path(root, path);
	return strdup_printf("%s%s%s", root, streq(inside, "/") ? "" : inside, slash);
}

bool
fsops_exists(const char *root, const char *path)
{
	_cleanup_free_ char *full = resolved_path(root, path);
	struct stat st;

	return full && stat(full, &st) == 0;
}

/* Resolve one symlink at PREFIX (a path inside ROOT) into *OUT + REST:
 * an absolute target starts again from ROOT's "/", a relative one from
 * PREFIX's directory. */
static int
follow_link(const char *root, const char *prefix, const char *rest, char **out)
{
	_cleanup_free_ char *full = raw_path(root, prefix);
	char target[PATH_MAX];
	ssize_t n = full ? readlink(full, target, sizeof(target) - 1) : -1;
	_cleanup_free_ char *dir = NULL, *joined = NULL;

	if (n < 0)
		return full ? -errno : -ENOMEM;
	target[n] = '\0';
	if (target[0] == '/')
		joined = strdup_printf("%s%s", target, rest);
	else if ((dir = strndup(prefix, (size_t)(strrchr(prefix, '/') - prefix))))
		joined = strdup_printf("%s/%s%s", dir, target, rest);
	if (!joined)
		return -ENOMEM;
	free(*out);
	*out = TAKE_PTR(joined);
	return 0;
}

/* Remove "." and empty components and apply ".." (never above "/"), in
 * place: "/etc/apache2/conf-enabled/../conf-available/x.conf". */
static void
squash_dots(char *path)
{
	size_t w = 0;

	for (char *p = path; *p;) {
		size_t n;

		while (*p == '/')
			p++;
		n = strcspn(p, "/");
		if (n == 0)
			break;
		if (n == 1 && p[0] == '.') {
			/* nothing */
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			while (w > 0 && path[--w] != '/')
				;
		} else {
			path[w++] = '/';
			memmove(path + w, p, n);
			w += n;
		}
		p += n;
	}
	if (w == 0)
		path[w++] = '/';
	path[w] = '\0';
}

int
fsops_resolve(const char *root, const char *path, char **ret)
{
	_cleanup_free_ char *cur = strdup(path);
	unsigned links = 0;
	size_t pos = 0;

	if (!cur)
		return -ENOMEM;
	squash_dots(cur);
	for (;;) {
		size_t end = pos + 1 + strcspn(cur + pos + 1, "/");
		_cleanup_free_ char *prefix = strndup(cur, end);
		_cleanup_free_ char *full = prefix ? raw_path(root, prefix) : NULL;
		struct stat st;
		int r;

		if (!full)
			return -ENOMEM;
		if (lstat(full, &st) == 0 && S_ISLNK(st.st_mode)) {
			if (++links > 40)
				return -ELOOP;
			r = follow_link(root, prefix, cur + end, &cur);
			if (r < 0)
				return r;
			squash_dots(cur);
			pos = 0;
			continue;
		}
		if (!cur[end])
			break;
		pos = end;
	}
	*ret = TAKE_PTR(cur);
	return 0;
}

/* The mount point field of a /proc/self/mountinfo line (field 5), with
 * its octal escapes ("\040" for a space) decoded in place. */
static char *
mountinfo_point(char *line)
{
	char *f = line, *end, *o;

	for (int i = 0; i < 4 && f; i++)
		f = strchr(f, ' ') ? strchr(f, ' ') + 1 : NULL;
	if (!f || !(end = strchr(f, ' ')))
		return NULL;
	*end = '\0';
	for (char *c = o = f; *c; c++, o++) {
		if (c[0] == '\\' && c[1] && c[2] && c[3]) {
			*o = (char)((c[1] - '0') * 64 + (c[2] - '0') * 8 + (c[3] - '0'));
			c += 3;
		} else {
			*o = *c;
		}
	}
	*o = '\0';
	return f;
}

bool
fsops_is_mount_point(const char *root, const char *path)
{
	_cleanup_free_ char *inside = NULL, *full = NULL, *text = NULL;
	char *save = NULL;

	if (fsops_resolve(root, path, &inside) < 0)
		return false;
	full = raw_path(root, inside);
	if (!full || fsops_read(NULL, "/proc/self/mountinfo", &text, NULL, NULL) < 0)
		return false;
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		const char *point = mountinfo_point(l);

		if (point && streq(point, full))
			return true;
	}
	return false;
}

/* Whether TEXT holds PATH as a line of its own. */
static bool
lists_line(const char *text, const char *path)
{
	size_t n = strlen(path);

	for (const char *p = text; (p = strstr(p, path)); p += n)
		if ((p == text || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0'))
			return true;
	return false;
}

bool
fsops_package_owned(const char *root, const char *path)
{
	_cleanup_free_ char *info = NULL, *pattern = NULL;
	size_t skip = root ? strlen(root) : 0;
	bool owned = false;
	glob_t g;

	/* dpkg's info directory as the target system sees it: under --root a
	 * link in it must not list, or read, the host's */
	if (fsops_resolve(root, "/var/lib/dpkg/info", &info) < 0)
		return false;
	pattern = strdup_printf("%s%s/*.conffiles", root ? root : "", info);
	if (!pattern || glob(pattern, 0, NULL, &g) != 0)
		return false;
	for (size_t i = 0; !owned && i < g.gl_pathc; i++) {
		_cleanup_free_ char *text = NULL;

		if (fsops_read(root, g.gl_pathv[i] + skip, &text, NULL, NULL) >= 0)
			owned = lists_line(text, path);
	}
	globfree(&g);
	return owned;
}

/* PATH inside ROOT with every link resolved there: what reading PATH
 * means when ROOT is the system's "/". */
static char *
resolved_path(const char *root, const char *path)
{
	_cleanup_free_ char *inside = NULL;

	if (!root || !*root || fsops_resolve(root, path, &inside) < 0)
		return fsops_path(root, path);
	return raw_path(root, inside);
}

bool
fsops_is_regular(const char *root, const char *path)
{
	_cleanup_close_ int fd = open_inside(root, path, O_PATH);
	struct stat st;

	return fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
}

int
fsops_read(const char *root, const char *path, char **ret, size_t *ret_len, struct diag *d)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;
	_cleanup_close_ int fd = open_inside(root, path, O_RDONLY);
	char buf[8192];
	ssize_t n;

	if (fd == -ENOMEM)
		return -ENOMEM;
	if (fd < 0)
		return diag_fail(d, errno, N_("cannot read '%s': %s"), path, strerror(errno));
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return diag_fail(d, errno, N_("cannot read '%s': %s"), path, strerror(errno));
		if (sb.len + (size_t)n > READ_MAX)
			return diag_fail(d, EFBIG, N_("cannot read '%s': larger than 16 MiB"), path);
		if (strbuf_add(&sb, buf, (size_t)n) < 0)
			return -ENOMEM;
	}
	if (ret_len)
		*ret_len = sb.len;
	*ret = strbuf_detach(&sb);
	return 0;
}

static int
write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* fsync() that a signal does not cut short (NFS and FUSE can be
 * interrupted; a local file system never is). */
static int
fsync_again(int fd)
{
	while (fsync(fd) < 0)
		if (errno != EINTR)
			return -1;
	return 0;
}

ssize_t
fsops_pread_all(int fd, void *buf, size_t len, off_t offset)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(fd, (char *)buf + done, len - done, offset + (off_t)done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		done += (size_t)n;
	}
	return (ssize_t)done;
}

static int
fsync_dir_of(const char *full)
{
	_cleanup_free_ char *copy = strdup(full);
	_cleanup_close_ int fd = -1;

	if (!copy)
		return -ENOMEM;
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fsync_again(fd) < 0)
		return -errno;
	return 0;
}

/* Fill the temporary file FD and give it the final owner and mode. */
static int
write_tmp(int fd, const char *full, const char *content, size_t len, mode_t mode)
{
	struct stat st;
	int r = write_all(fd, content, len);

	if (r < 0)
		return r;
	if (stat(full, &st) == 0) {
		if (fchown(fd, st.st_uid, st.st_gid) < 0 && errno != EPERM)
			return -errno;
		mode = st.st_mode & 07777;
	}
	if (fchmod(fd, mode) < 0 || fsync_again(fd) < 0)
		return -errno;
	return 0;
}

int
fsops_write_atomic(const char *root, const char *path, const char *content, size_t len,
		   mode_t mode, struct diag *d)
{
	_cleanup_free_ char *full = fsops_path(root, path);
	_cleanup_free_ char *tmp = NULL;
	_cleanup_close_ int fd = -1;
	int r;

	if (!full)
		return -ENOMEM;
	tmp = strdup_printf("%s.cgisetup-XXXXXX", full);
	if (!tmp)
		return -ENOMEM;
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return diag_fail(d, errno, N_("cannot write '%s': %s"), path, strerror(errno));
	r = write_tmp(fd, full, content, len, mode);
	if (r >= 0 && rename(tmp, full) < 0)
		r = -errno;
	if (r < 0) {
		unlink(tmp);
		return diag_fail(d, r, N_("cannot write '%s': %s"), path, strerror(-r));
	}
	r = fsync_dir_of(full);
	if (r < 0)
		return diag_fail(d, r, N_("cannot sync the directory of '%s': %s"), path,
				 strerror(-r));
	return 0;
}

int
fsops_mkdir_p(const char *root, const char *path, mode_t mode, char ***created,
	      struct diag *d)
{
	_cleanup_free_ char *p = strdup(path);
	int r;

	if (!p)
		return -ENOMEM;
	for (char *slash = strchr(p + 1, '/');; slash = strchr(slash + 1, '/')) {
		_cleanup_free_ char *full = NULL;

		if (slash)
			*slash = '\0';
		full = fsops_path(root, p);
		if (!full)
			return -ENOMEM;
		if (mkdir(full, mode) == 0) {
			if (chmod(full, mode) < 0)
				return diag_fail(d, errno, N_("cannot set the mode of '%s': %s"), p,
						 strerror(errno));
			r = created ? strv_extend(created, p) : 0;
			if (r < 0)
				return r;
		} else if (errno != EEXIST) {
			return diag_fail(d, errno, N_("cannot create directory '%s': %s"), p,
					 strerror(errno));
		}
		if (!slash)
			return 0;
		*slash = '/';
	}
}

int
fsops_chmod(const char *root, const char *path, mode_t old_mode, mode_t mode, struct diag *d)
{
	_cleanup_free_ char *full = fsops_path(root, path);
	_cleanup_close_ int fd = -1;
	struct stat st;

	if (!full)
		return -ENOMEM;
	fd = open(full, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return diag_fail(d, errno, N_("cannot open '%s' to change its mode: %s"), path,
				 strerror(errno));
	if (fstat(fd, &st) < 0)
		return diag_fail(d, errno, N_("cannot stat '%s': %s"), path, strerror(errno));
	/* a hard link made since the plan: adding a bit would reach it too */
	if (!S_ISREG(st.st_mode) || (st.st_mode & 07777) != (old_mode & 07777) ||
	    ((mode & ~old_mode & 07777) && st.st_nlink > 1))
		return diag_fail(d, EBUSY, N_("'%s' changed while cgisetup was running"), path);
	if (fchmod(fd, mode) < 0)
		return diag_fail(d, errno, N_("cannot change the mode of '%s': %s"), path,
				 strerror(errno));
	return 0;
}

int
fsops_symlink(const char *root, const char *target, const char *path, struct diag *d)
{
	_cleanup_free_ char *full = fsops_path(root, path);

	if (!full)
		return -ENOMEM;
	if (symlink(target, full) < 0)
		return diag_fail(d, errno, N_("cannot create symlink '%s': %s"), path,
				 strerror(errno));
	return fsync_dir_of(full) < 0 ? diag_fail(d, errno, N_("cannot sync '%s'"), path) : 0;
}

int
fsops_unlink(const char *root, const char *path, struct diag *d)
{
	_cleanup_free_ char *full = fsops_path(root, path);

	if (!full)
		return -ENOMEM;
	if (unlink(full) < 0 && errno != ENOENT)
		return diag_fail(d, errno, N_("cannot remove '%s': %s"), path, strerror(errno));
	return 0;
}

int
fsops_rmdir(const char *root, const char *path, struct diag *d)
{
	_cleanup_free_ char *full = fsops_path(root, path);

	if (!full)
		return -ENOMEM;
	if (rmdir(full) < 0 && errno != ENOENT)
		return diag_fail(d, errno, N_("cannot remove directory '%s': %s"), path,
				 strerror(errno));
	return 0;
}

static int
dirview_add(struct dirview *v, const char *name, const struct stat *st)
{
	struct dirent_view *nv = realloc(v->entries, (v->n_entries + 1) * sizeof(*nv));

	if (!nv)
		return -ENOMEM;
	v->entries = nv;
	nv[v->n_entries] = (struct dirent_view){ .name = strdup(name),
						 .mode = st->st_mode & 07777,
						 .regular = S_ISREG(st->st_mode),
						 .nlink = (unsigned long)st->st_nlink };
	if (!nv[v->n_entries].name)
		return -ENOMEM;
	v->n_entries++;
	return 0;
}

static int
dirview_scan(const char *full, struct dirview *v)
{
	DIR *dir = opendir(full);
	struct dirent *de;
	int r = 0;

	if (!dir)
		return -errno;
	while (r >= 0 && (de = readdir(dir))) {
		struct stat st;

		if (de->d_name[0] == '.' || fstatat(dirfd(dir), de->d_name, &st,
						    AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		r = dirview_add(v, de->d_name, &st);
	}
	closedir(dir);
	return r;
}

static void
dirview_read_hello(const char *full, struct dirview *v)
{
	_cleanup_free_ char *path = path_join(full, "hello.py");
	_cleanup_close_ int fd = -1;
	struct stat st;
	char *buf;

	if (!path)
		return;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > 1 << 20)
		return;
	buf = calloc(1, (size_t)st.st_size + 1);
	if (buf && fsops_pread_all(fd, buf, (size_t)st.st_size, 0) == st.st_size)
		v->hello_content = buf;
	else
		free(buf);
}

int
fsops_dirview(const char *root, const char *dir, struct dirview *ret, struct diag *d)
{
	_cleanup_free_ char *full = fsops_path(root, dir);
	struct dirview v = { 0 };
	struct stat st;
	int r;

	if (!full)
		return -ENOMEM;
	if (lstat(full, &st) < 0) {
		if (errno != ENOENT)
			return diag_fail(d, errno, N_("cannot inspect '%s': %s"), dir, strerror(errno));
		*ret = v;
		return 0;
	}
	v.exists = true;
	v.is_symlink = S_ISLNK(st.st_mode);
	v.is_dir = S_ISDIR(st.st_mode);
	v.mode = st.st_mode & 07777;
	if (v.is_dir) {
		r = dirview_scan(full, &v);
		if (r < 0) {
			fsops_dirview_release(&v);
			return diag_fail(d, r, N_("cannot list '%s': %s"), dir, strerror(-r));
		}
		dirview_read_hello(full, &v);
	}
	*ret = v;
	return 0;
}

void
fsops_dirview_release(struct dirview *v)
{
	for (size_t i = 0; i < v->n_entries; i++)
		free(v->entries[i].name);
	free(v->entries);
	free(v->hello_content);
	*v = (struct dirview){ 0 };
}

char *
fsops_find_python(const char *root)
{
	static const char *const candidates[] = {
		"/usr/bin/python3", "/usr/local/bin/python3", "/bin/python3",
		"/opt/homebrew/bin/python3", "/usr/local/opt/python3/bin/python3",
	};

	for (size_t i = 0; i < ELEMENTSOF(candidates); i++) {
		_cleanup_free_ char *full = fsops_path(root, candidates[i]);

		if (full && access(full, X_OK) == 0)
			return strdup(candidates[i]);
	}
	return NULL;
}

int
fsops_remove_tree(const char *root, const char *path)
{
	_cleanup_free_ char *full = fsops_path(root, path);
	struct dirent *de;
	DIR *dir;

	if (!full)
		return -ENOMEM;
	dir = opendir(full);
	if (!dir)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(dir)))
		if (!streq(de->d_name, ".") && !streq(de->d_name, ".."))
			unlinkat(dirfd(dir), de->d_name, 0);
	closedir(dir);
	return rmdir(full) < 0 && errno != ENOENT ? -errno : 0;
}

int
fsops_missing_dirs(const char *root, const char *path, char ***ret)
{
	_cleanup_free_ char *p = strdup(path);
	_cleanup_strv_free_ char **v = NULL;

	if (!p)
		return -ENOMEM;
	for (char *slash = strchr(p + 1, '/');; slash = strchr(slash + 1, '/')) {
		if (slash)
			*slash = '\0';
		if (!fsops_exists(root, p) && strv_extend(&v, p) < 0)
			return -ENOMEM;
		if (!slash)
			break;
		*slash = '/';
	}
	*ret = TAKE_PTR(v);
	return 0;
}

int
fsops_remove_temps(const char *root, const char *path)
{
	_cleanup_free_ char *full = fsops_path(root, path);
	_cleanup_free_ char *pattern = full ? strdup_printf("%s.cgisetup-??????", full) : NULL;
	glob_t g;
	int r = 0;

	if (!pattern)
		return -ENOMEM;
	if (glob(pattern, GLOB_NOSORT, NULL, &g) != 0)
		return 0;
	for (size_t i = 0; i < g.gl_pathc; i++)
		if (unlink(g.gl_pathv[i]) < 0 && errno != ENOENT)
			r = -errno;
	globfree(&g);
	return r;
}

bool
fsops_is_symlink_to(const char *root, const char *path, const char *target)
{
	_cleanup_free_ char *full = fsops_path(root, path);
	char buf[4096];
	ssize_t n = full ? readlink(full, buf, sizeof(buf) - 1) : -1;

	if (n < 0)
		return false;
	buf[n] = '\0';
	return streq(buf, target);
}

int
fsops_random_token(char ret[static 17], struct diag *d)
{
	unsigned char b[8];

	if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b))
		return diag_fail(d, errno, N_("cannot get random bytes for the probe's name: %s"),
				 strerror(errno));
	for (size_t i = 0; i < sizeof(b); i++)
		snprintf(ret + 2 * i, 3, "%02x", b[i]);
	return 0;
}
