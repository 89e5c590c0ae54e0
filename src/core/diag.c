/* diag.c - filling the error value (see diag.h). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include "cgisetup/diag.h"

const char *(*diag_translator)(const char *msgid);

int
diag_set(struct diag *d, enum diag_kind kind, int err, const char *fmt, ...)
{
	va_list ap;

	if (err > 0)
		err = -err;
	if (!d)
		return err;
	d->kind = kind;
	va_start(ap, fmt);
	if (diag_translator)
		fmt = diag_translator(fmt);
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	va_end(ap);
	return err;
}

int
diag_set_detail(struct diag *d, const char *detail)
{
	if (d)
		snprintf(d->detail, sizeof(d->detail), "%s", detail ? detail : "");
	return 0;
}
