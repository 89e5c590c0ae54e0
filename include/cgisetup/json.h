/* json.h - a small JSON writer for --json output (never translated).
 *
 * Calling sequence:
 *	struct json j = JSON_INIT(&sb);
 *	json_open(&j, NULL, '{');
 *	json_string(&j, "status", "applied");
 *	json_open(&j, "changes", '['); ... json_close(&j, ']');
 *	json_close(&j, '}');
 */
#ifndef CGISETUP_JSON_H
#define CGISETUP_JSON_H

#include <stdbool.h>

#include "cgisetup/util.h"

#define JSON_MAX_DEPTH 16

struct json {
	struct strbuf *out;
	unsigned depth;
	bool need_comma[JSON_MAX_DEPTH];
};
#define JSON_INIT(sb) { .out = (sb) }

/* KEY is NULL inside an array. VALUE NULL is written as null. */
void json_open(struct json *j, const char *key, char bracket);
void json_close(struct json *j, char bracket);
void json_string(struct json *j, const char *key, const char *value);
void json_int(struct json *j, const char *key, long long value);
void json_bool(struct json *j, const char *key, bool value);
void json_escape(struct strbuf *out, const char *s);

#endif
