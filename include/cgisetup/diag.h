/* diag.h - the one error value that crosses layers.
 *
 * A function that fails returns a negative errno and, when it has something
 * to say, fills a struct diag: a message in English and, separately, its
 * subject (a path, a unit), so that a front end can translate the format and
 * print the subject. Effects never print; front ends decide what the user
 * sees and which exit code follows.
 *
 * The message format follows git's grammar: lowercase, no final period, the
 * failure first, the subject in quotes.
 */
#ifndef CGISETUP_DIAG_H
#define CGISETUP_DIAG_H

#include "cgisetup/util.h"

enum diag_kind {
	DIAG_NONE = 0,
	DIAG_USAGE,   /* bad usage or bad input: exit 2, nothing changed */
	DIAG_FAILURE, /* anything else: exit 1 */
};

struct diag {
	enum diag_kind kind;
	char msg[1024];
	char detail[4096]; /* e.g. Apache's own output, may be empty */
};

/* Fill D (when D is not NULL) and return -ERR, for "return diag_set(...)". */
int diag_set(struct diag *d, enum diag_kind kind, int err, const char *fmt, ...)
	_printf_(4, 5);
int diag_set_detail(struct diag *d, const char *detail);

/* Formats passed to diag_set are marked with N_() for xgettext; the front
 * end installs gettext here, so effects never include libintl themselves. */
extern const char *(*diag_translator)(const char *msgid);

#define diag_usage(d, err, ...) diag_set((d), DIAG_USAGE, (err), __VA_ARGS__)
#define diag_fail(d, err, ...) diag_set((d), DIAG_FAILURE, (err), __VA_ARGS__)

#endif
