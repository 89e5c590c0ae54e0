/* journald.h - what a systemd unit logged to the journal since a moment
 * (libsystemd's sd-journal, src/effects/journald.c): the error-log lines
 * of a request when Apache's ErrorLog is "syslog" or "syslog:FACILITY".
 *
 * Calling sequence:
 *	uint64_t mark = journald_now();
 *	... the request ...
 *	r = journald_since("apache2.service", mark, 65536, &text);
 *	... text: the MESSAGE of each entry, one a line ...
 *	free(text);
 */
#ifndef CGISETUP_JOURNALD_H
#define CGISETUP_JOURNALD_H

#include <stddef.h>
#include <stdint.h>

/* The mark: the time now (CLOCK_REALTIME, in microseconds), as the
 * journal stamps its entries. */
uint64_t journald_now(void);

/* The MESSAGE of every entry UNIT (a ".service" name) logged at or after
 * MARK, oldest first, one a line, at most MAX bytes (the newest kept).
 * 0 (*RET "" when none), or a negative errno (no journal to read). */
int journald_since(const char *unit, uint64_t mark, size_t max, char **ret);

#endif
