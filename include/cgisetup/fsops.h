/* fsops.h - every file-system access of cgisetup, relative to --root.
 *
 * All paths given to these functions are paths on the target system
 * ("/etc/apache2/apache2.conf"); ROOT ("" for the real system) is prefixed
 * here and nowhere else. Writes are atomic (temporary file in the same
 * directory, fsync, rename, fsync of the directory) and keep the owner and
 * mode of the file they replace. Modes are changed only through a file
 * descriptor opened with O_NOFOLLOW, so a symlink is never followed.
 */
#ifndef CGISETUP_FSOPS_H
#define CGISETUP_FSOPS_H

#include <stdbool.h>
#include <sys/types.h>

#include "cgisetup/diag.h"
#include "cgisetup/plan.h"

char *fsops_path(const char *root, const char *path);
bool fsops_exists(const char *root, const char *path);
/* Whether PATH, its links resolved inside ROOT, is a regular file. */
bool fsops_is_regular(const char *root, const char *path);
/* PATH with every symbolic link in it resolved inside ROOT (an absolute
 * target is read from ROOT's "/", never the host's): the file an edit must
 * write so that the links stay links. -ELOOP past 40 links. */
int fsops_resolve(const char *root, const char *path, char **ret);

/* Whether PATH (inside ROOT) is a mount point of its own, as a file
 * bind-mounted into a container is: rename(2) cannot replace it. */
bool fsops_is_mount_point(const char *root, const char *path);

/* Whether a package owns PATH as a configuration file (dpkg's conffiles),
 * which an upgrade may replace: cgisetup then leaves it alone. */
bool fsops_package_owned(const char *root, const char *path);
int fsops_read(const char *root, const char *path, char **ret, size_t *ret_len, struct diag *d);
/* pread() LEN bytes at OFFSET, again after a signal or a short read;
 * fewer only at the end of the file; -errno on failure. */
ssize_t fsops_pread_all(int fd, void *buf, size_t len, off_t offset);

/* Write CONTENT atomically. An existing file keeps its owner and mode;
 * a new one gets MODE and root's ownership. */
int fsops_write_atomic(const char *root, const char *path, const char *content, size_t len,
		       mode_t mode, struct diag *d);

/* Remove the temporary files a write of PATH cut short may have left;
 * -errno when one could not be removed. */
int fsops_remove_temps(const char *root, const char *path);

/* Create PATH and its missing parents with MODE (umask ignored); the
 * directories created, outermost first, are appended to *created. */
int fsops_mkdir_p(const char *root, const char *path, mode_t mode, char ***created,
		  struct diag *d);

/* The components of PATH that do not exist yet, outermost first. */
int fsops_missing_dirs(const char *root, const char *path, char ***ret);

/* Change the mode of the regular file PATH from OLD_MODE to MODE; refuses a
 * symlink or a file whose mode changed meanwhile. */
int fsops_chmod(const char *root, const char *path, mode_t old_mode, mode_t mode,
		struct diag *d);

int fsops_symlink(const char *root, const char *target, const char *path, struct diag *d);
/* Whether PATH is a symlink whose target is exactly TARGET. */
bool fsops_is_symlink_to(const char *root, const char *path, const char *target);
int fsops_unlink(const char *root, const char *path, struct diag *d);
int fsops_rmdir(const char *root, const char *path, struct diag *d);
/* Remove a directory of plain files (a journal entry). */
int fsops_remove_tree(const char *root, const char *path);

/* Describe DIR for the planner (lstat, never following a symlink). */
int fsops_dirview(const char *root, const char *dir, struct dirview *ret, struct diag *d);
void fsops_dirview_release(struct dirview *v);

/* The first python3 that exists on the target system, or NULL. */
char *fsops_find_python(const char *root);
/* 16 random hex digits into RET (17 bytes): the probe's unique name. */
int fsops_random_token(char ret[static 17], struct diag *d);

#endif
