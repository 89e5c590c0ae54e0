/* diag.h - the one error value that crosses layers.
 *
 * A function that fails returns a negative errno and, when it has something
 * to say, fills a struct diag. The diag keeps the message twice: rendered
 * in English (msg: logs, --json, the tests) and as its msgid (the format as
 * marked with N_()) with each argument already rendered, so that a human
 * front end can translate the format and fill in the same arguments
 * (diag_message). Core and effects never translate; --json stays English
 * (git's rule: plumbing is not translated).
 *
 * Calling sequence:
 *	return diag_fail(d, EIO, N_("cannot read '%s': %s"), path, strerror(e));
 *	... in src/ui only:
 *	char buf[DIAG_MSG_MAX];
 *	fputs(diag_message(d, gettext_fn, buf, sizeof(buf)), stderr);
 *
 * Formats may use %s %c %d %i %u %o %x %X with the h, hh, l, ll, z, j, t
 * modifiers, flags and a numeric width or precision, and a literal %%;
 * at most DIAG_MAX_ARGS conversions. An argument that is itself a msgid (a
 * reason from a table, marked N_()) is named in diag_fail_tr's mask and is
 * translated too.
 *
 * The message format follows git's grammar: lowercase, no final period, the
 * failure first, the subject in quotes.
 */
#ifndef CGISETUP_DIAG_H
#define CGISETUP_DIAG_H

#include <stdarg.h>

#include "cgisetup/util.h"

#define DIAG_MSG_MAX 1024
#define DIAG_MAX_ARGS 8

enum diag_kind {
	DIAG_NONE = 0,
	DIAG_USAGE,   /* bad usage or bad input: exit 2, nothing changed */
	DIAG_FAILURE, /* anything else: exit 1 */
};

struct diag_arg {
	char spec[16];  /* the conversion as written, "%s", "%04o", "%ld" */
	char text[256]; /* the argument, rendered with it */
	bool msgid;     /* the argument is a msgid: translate it too */
};

struct diag {
	enum diag_kind kind;
	char msg[DIAG_MSG_MAX];   /* in English */
	char detail[4096];        /* e.g. Apache's own output, may be empty */
	char fmt[512];            /* the msgid, "" if none (or too long) */
	unsigned n_args;
	struct diag_arg args[DIAG_MAX_ARGS];
};

/* Fill D (when D is not NULL) and return -ERR, for "return diag_set(...)". */
int diag_set(struct diag *d, enum diag_kind kind, int err, const char *fmt, ...)
	_printf_(4, 5);
/* The same; the arguments whose bit is set in MSGID_ARGS (bit 0: the
 * first) are msgids themselves. */
int diag_set_tr(struct diag *d, enum diag_kind kind, int err, unsigned msgid_args,
		const char *fmt, ...) _printf_(5, 6);
int diag_setv(struct diag *d, enum diag_kind kind, int err, unsigned msgid_args,
	      const char *fmt, va_list ap) _printf_(5, 0);
int diag_set_detail(struct diag *d, const char *detail);

typedef const char *diag_translate_fn(const char *msgid);

/* D's message with its format (and msgid arguments) passed through
 * TRANSLATE, the arguments filled in as they were rendered. The translated
 * format must have the same conversions as the msgid (in order, or
 * numbered "%2$s"); otherwise, or without a msgid, the English text.
 * Written to BUF (SIZE bytes), returned. */
const char *diag_message(const struct diag *d, diag_translate_fn *translate, char *buf,
			 size_t size);

/* Lists of messages (warnings, rollback and recovery failures) stay lists
 * of English strings: --json and the journal print them as they are. So
 * that a human front end can still translate them, each is made with
 * diag_strdup() (or its diag handed to diag_remember()), which keeps its
 * msgid and rendered arguments in a table of the process keyed by the
 * English text; diag_text() gives such a string translated, and any other
 * (one read back from the journal, say) as it is. The table holds at most
 * DIAG_MEMO_MAX messages, kept until the process ends (single-threaded). */
#define DIAG_MEMO_MAX 256

/* The English text of FMT (a msgid, marked N_()) with its arguments,
 * malloc'ed (NULL: out of memory), and remembered for diag_text(). */
char *diag_strdup(const char *fmt, ...) _printf_(1, 2);
/* Remember D's message for diag_text() (nothing when it has no msgid). */
void diag_remember(const struct diag *d);
/* ENGLISH translated through TRANSLATE when it was remembered, else as it
 * is; written to BUF (SIZE bytes), returned. */
const char *diag_text(const char *english, diag_translate_fn *translate, char *buf,
		      size_t size);

#define diag_usage(d, err, ...) diag_set((d), DIAG_USAGE, (err), __VA_ARGS__)
#define diag_fail(d, err, ...) diag_set((d), DIAG_FAILURE, (err), __VA_ARGS__)
#define diag_usage_tr(d, err, mask, ...) diag_set_tr((d), DIAG_USAGE, (err), (mask), __VA_ARGS__)
#define diag_fail_tr(d, err, mask, ...) diag_set_tr((d), DIAG_FAILURE, (err), (mask), __VA_ARGS__)

#endif
