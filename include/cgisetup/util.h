/* util.h - ownership helpers, string vectors and a growable buffer.
 *
 * Habits (see docs/ARCHITECTURE.md): errors are negative errno values; functions
 * set their out-parameters only on success; _cleanup_ attributes make the
 * owner of every allocation visible, and TAKE_PTR hands it over.
 *
 * Core code may use everything here: it needs only libc.
 */
#ifndef CGISETUP_UTIL_H
#define CGISETUP_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define _cleanup_(f) __attribute__((cleanup(f)))
#define _cleanup_free_ _cleanup_(freep)
#define _cleanup_strv_free_ _cleanup_(strv_freep)
#define _cleanup_strbuf_ _cleanup_(strbuf_release)
#define _unused_ __attribute__((unused))
#define _printf_(a, b) __attribute__((format(printf, a, b)))

/* Marks a string for translation without translating it (gettext_noop). */
#define N_(s) (s)

#define ELEMENTSOF(x) (sizeof(x) / sizeof((x)[0]))

/* Return the pointer and forget it, so that a cleanup handler does not free it. */
#define TAKE_PTR(p)                        \
	({                                 \
		__typeof__(p) _p_ = (p);   \
		(p) = NULL;                \
		_p_;                       \
	})

static inline void
freep(void *p)
{
	free(*(void **)p);
}

static inline bool
streq(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}

static inline bool
streq_ptr(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

bool strcaseeq(const char *a, const char *b);
/* Return the text after PREFIX in S, or NULL when S does not start with it. */
const char *startswith(const char *s, const char *prefix);
bool endswith(const char *s, const char *suffix);
char *xstrdup_or_null(const char *s);
/* A new string formatted like printf; NULL when out of memory, like strdup
 * (it does not abort: every caller checks). */
char *strdup_printf(const char *fmt, ...) _printf_(1, 2);
/* Join path components with exactly one '/' between them. */
char *path_join(const char *a, const char *b);

/* NULL-terminated string vectors. */
size_t strv_length(char *const *v);
int strv_push(char ***v, char *s); /* takes S, even on failure */
int strv_extend(char ***v, const char *s);
/* strv_push for a vector whose length *N the caller keeps, built by this
 * function only: O(1). */
int strv_push_n(char ***v, size_t *n, char *s);
/* A copy of V without repeated strings, the first of each kept, in order
 * (O(n log n)). */
int strv_uniq(char *const *v, char ***ret);
bool strv_contains(char *const *v, const char *s);
bool strv_contains_case(char *const *v, const char *s);
char **strv_free(char **v);
static inline void
strv_freep(char ***v)
{
	strv_free(*v);
}

/* A growable, always NUL-terminated byte buffer. */
struct strbuf {
	char *buf;
	size_t len;
	size_t alloc;
};
#define STRBUF_INIT { NULL, 0, 0 }

int strbuf_add(struct strbuf *sb, const void *data, size_t len);
int strbuf_adds(struct strbuf *sb, const char *s);
int strbuf_addf(struct strbuf *sb, const char *fmt, ...) _printf_(2, 3);
/* Return the buffer as a string ("" when empty) and reset SB. */
char *strbuf_detach(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);

#endif
