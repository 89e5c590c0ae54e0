/* json.c - a small JSON writer (see json.h). */
#include "config.h"

#include "cgisetup/json.h"

void
json_escape(struct strbuf *out, const char *s)
{
	strbuf_adds(out, "\"");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
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
