/* fuzz-verdict.c - what cgisetup reads back from the server after a
 * restart: the error-log bytes written since the request (verdict_log_tail
 * keeps the last lines for the report) and the HTTP answer to GET hello.py
 * (verdict_judge). The first two bytes pick the status and the number of
 * log lines; then the Content-Type, the proof value and the body, one per
 * line, the body also taken as the log. */
#include "config.h"

#include "cgisetup/verdict.h"
#include "fuzz.h"

static char *
cut_line(char **p)
{
	char *line = *p, *nl = strchr(line, '\n');

	if (nl) {
		*nl = '\0';
		*p = nl + 1;
	} else {
		*p = line + strlen(line);
	}
	return line;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_answer a = { 0 };
	char *text, *p, *tail;
	size_t n_lines;

	if (size < 2)
		return 0;
	text = fuzz_str(data + 2, size - 2);
	n_lines = data[1] % 16;
	tail = verdict_log_tail(text, n_lines);
	free(tail);

	p = text;
	a.answered = data[0] & 1;
	a.refused = data[0] & 2;
	a.status = (long)((data[0] << 8 | data[1]) % 600);
	a.content_type = data[1] & 1 ? cut_line(&p) : NULL;
	a.proof = cut_line(&p);
	a.body = data[1] & 2 ? p : NULL;
	(void)verdict_name(verdict_judge(&a));
	free(text);
	return 0;
}
