/* journald.c - a unit's journal entries since a mark, with sd-journal
 * (see journald.h). Reads only. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <systemd/sd-journal.h>

#include "cgisetup/journald.h"
#include "cgisetup/util.h"

uint64_t
journald_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* Append the current entry's MESSAGE and a newline. */
static int
add_message(sd_journal *j, struct strbuf *sb)
{
	const void *data;
	size_t len;
	int r = sd_journal_get_data(j, "MESSAGE", &data, &len);

	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	if (len < 8)
		return 0;
	/* "MESSAGE=" */
	r = strbuf_add(sb, (const char *)data + 8, len - 8);
	return r < 0 ? r : strbuf_add(sb, "\n", 1);
}

static int
read_since(sd_journal *j, const char *unit, uint64_t mark, struct strbuf *sb)
{
	_cleanup_free_ char *match = strdup_printf("_SYSTEMD_UNIT=%s", unit);
	int r;

	if (!match)
		return -ENOMEM;
	r = sd_journal_add_match(j, match, 0);
	if (r >= 0)
		r = sd_journal_seek_realtime_usec(j, mark);
	while (r >= 0 && (r = sd_journal_next(j)) > 0) {
		uint64_t t;

		r = sd_journal_get_realtime_usec(j, &t);
		if (r >= 0 && t >= mark)
			r = add_message(j, sb);
	}
	return r < 0 ? r : 0;
}

int
journald_since(const char *unit, uint64_t mark, size_t max, char **ret)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;
	sd_journal *j = NULL;
	int r = sd_journal_open(&j, SD_JOURNAL_LOCAL_ONLY);

	if (r < 0)
		return r;
	r = read_since(j, unit, mark, &sb);
	sd_journal_close(j);
	if (r < 0)
		return r;
	/* the newest MAX bytes, from a line's start */
	if (sb.len > max) {
		const char *from = sb.buf + sb.len - max, *nl = strchr(from, '\n');

		*ret = strdup(nl ? nl + 1 : from);
	} else {
		*ret = strdup(sb.buf ? sb.buf : "");
	}
	return *ret ? 0 : -ENOMEM;
}
