/* spawn.h - run a program from an argv, never through a shell.
 *
 * User text never reaches a shell: the program and its arguments are passed
 * to posix_spawnp() as they are. Standard output and error are captured
 * together (Apache prints its diagnostics on stderr).
 */
#ifndef CGISETUP_SPAWN_H
#define CGISETUP_SPAWN_H

#include "cgisetup/diag.h"

/* Run ARGV, wait at most TIMEOUT_MS, return 0 and set *ret_status to the
 * exit status (or 128+signal) and *ret_output to what it printed.
 * -ENOENT when the program is not found. */
int spawn_capture(char *const argv[], unsigned timeout_ms, int *ret_status, char **ret_output,
		  struct diag *d);

/* Whether PROGRAM is found on PATH (or is an executable absolute path). */
int spawn_find_program(const char *program, char **ret_path);

#endif
