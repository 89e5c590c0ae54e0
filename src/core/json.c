/* json.c - a small JSON writer (see json.h). */
#include "config.h"

#include "cgisetup/json.h"

/* The length of the well-formed UTF-8 sequence at P (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF), 0 when it is not one. */
static size_t
utf8_sequence(const unsigned char *p)
{
	size_t n;
	unsigned lo = 0x80, hi = 0xbf;

	if (*p < 0x80)
		return 1;
	if (*p >= 0xc2 && *p <= 0xdf)
		n = 2;
	else if (*p >= 0xe0 && *p <= 0xef)
		n = 3;
	else if (*p >= 0xf0 && *p <= 0xf4)
		n = 4;
	else
		return 0;
	if (*p == 0xe0)
		lo = 0xa0;
	else if (*p == 0xed)
		hi = 0x9f;
	else if (*p == 0xf0)
		lo = 0x90;
	else if (*p == 0xf4)
		hi = 0x8f;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return n;
}

/* A path is bytes, JSON is UTF-8: each byte that is not part of a
 * well-formed sequence (a Latin-1 directory name) becomes U+FFFD, so the
 * document always parses; the human output keeps the bytes. */
void
json_escape(struct strbuf *out, const char *s)
{
	strbuf_adds(out, "\"");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		size_t n = utf8_sequence(p);

		if (n != 1) {
			if (n == 0)
				strbuf_adds(out, "\\ufffd");
			else
				strbuf_add(out, p, n);
			p += n ? n - 1 : 0;
		} else if (*p == '"' || *p == '\\')
			strbuf_addf(out, "\\%c", *p);
		else if (*p == '\n')
			strbuf_adds(out, "\\n");
		else if (*p == '\t')
			strbuf_adds(out, "\\t");
		else if (*p < 0x20)
			strbuf_addf(out, "\\u%04x", *p);
		else
			strbuf_add(out, p, 1);
	}
	strbuf_adds(out, "\"");
}

static void
json_key(struct json *j, const char *key)
{
	if (j->need_comma[j->depth])
		strbuf_adds(j->out, ",");
	j->need_comma[j->depth] = true;
	if (key) {
		json_escape(j->out, key);
		strbuf_adds(j->out, ":");
	}
}

void
json_open(struct json *j, const char *key, char bracket)
{
	if (j->depth + 1 >= JSON_MAX_DEPTH)
		return;
	if (j->depth > 0 || j->need_comma[0])
		json_key(j, key);
	strbuf_add(j->out, &bracket, 1);
	j->need_comma[++j->depth] = false;
}

void
json_close(struct json *j, char bracket)
{
	strbuf_add(j->out, &bracket, 1);
	if (j->depth > 0)
		j->depth--;
	if (j->depth == 0)
		j->need_comma[0] = true;
}

void
json_string(struct json *j, const char *key, const char *value)
{
	json_key(j, key);
	if (value)
		json_escape(j->out, value);
	else
		strbuf_adds(j->out, "null");
}

void
json_int(struct json *j, const char *key, long long value)
{
	json_key(j, key);
	strbuf_addf(j->out, "%lld", value);
}

void
json_bool(struct json *j, const char *key, bool value)
{
	json_key(j, key);
	strbuf_adds(j->out, value ? "true" : "false");
}
