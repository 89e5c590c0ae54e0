/* util.c - small string helpers shared by every layer. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <strings.h>

#include "cgisetup/util.h"

bool
strcaseeq(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}

const char *
startswith(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);

	if (strncmp(s, prefix, n) != 0)
		return NULL;
	return s + n;
}

bool
endswith(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);

	return ls >= lx && memcmp(s + ls - lx, suffix, lx) == 0;
}

char *
xstrdup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

char *
strdup_printf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&s, fmt, ap);
	va_end(ap);
	return r < 0 ? NULL : s;
}

char *
path_join(const char *a, const char *b)
{
	size_t la = strlen(a);

	while (la > 0 && a[la - 1] == '/')
		la--;
	while (*b == '/')
		b++;
	/* by hand: this runs for every file of a 10,000-site tree */
	size_t lb = strlen(b);
	char *s = malloc(la + lb + 2);

	if (!s)
		return NULL;
	memcpy(s, a, la);
	s[la] = '/';
	memcpy(s + la + 1, b, lb + 1);
	return s;
}

size_t
strv_length(char *const *v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

int
strv_push(char ***v, char *s)
{
	size_t n = strv_length(*v);
	char **nv;

	if (!s)
		return -ENOMEM;
	nv = realloc(*v, (n + 2) * sizeof(char *));
	if (!nv) {
		free(s);
		return -ENOMEM;
	}
	nv[n] = s;
	nv[n + 1] = NULL;
	*v = nv;
	return 0;
}

/* Append S to V of length *N, doubling the array as it fills: O(1) per
 * push where strv_push pays O(n) to find the end. The array is grown when
 * N + 1 is a power of two, so V must have been built by this function. */
int
strv_push_n(char ***v, size_t *n, char *s)
{
	size_t m = *n + 1;
	char **nv;

	if (!s)
		return -ENOMEM;
	if (!*v || (m & (m - 1)) == 0) {
		nv = realloc(*v, 2 * m * sizeof(char *));
		if (!nv) {
			free(s);
			return -ENOMEM;
		}
		*v = nv;
	}
	(*v)[(*n)++] = s;
	(*v)[*n] = NULL;
	return 0;
}

struct uniq_entry {
	const char *s;
	size_t index;
};

static int
uniq_cmp(const void *a, const void *b)
{
	const struct uniq_entry *x = a, *y = b;
	int c = strcmp(x->s, y->s);

	return c ? c : (x->index > y->index) - (x->index < y->index);
}

int
strv_uniq(char *const *v, char ***ret)
{
	size_t n = strv_length(v), k = 0;
	_cleanup_free_ struct uniq_entry *e = calloc(n + 1, sizeof(*e));
	_cleanup_free_ bool *dup = calloc(n + 1, sizeof(bool));
	char **out = calloc(n + 1, sizeof(char *));

	if (!e || !dup || !out) {
		free(out);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		e[i] = (struct uniq_entry){ v[i], i };
	qsort(e, n, sizeof(*e), uniq_cmp);
	for (size_t i = 1; i < n; i++)
		dup[e[i].index] = streq(e[i].s, e[i - 1].s);
	for (size_t i = 0; i < n; i++) {
		if (dup[i])
			continue;
		out[k] = strdup(v[i]);
		if (!out[k++]) {
			strv_free(out);
			return -ENOMEM;
		}
	}
	*ret = out;
	return 0;
}

int
strv_extend(char ***v, const char *s)
{
	return strv_push(v, strdup(s));
}

bool
strv_contains(char *const *v, const char *s)
{
	for (size_t i = 0; v && v[i]; i++)
		if (streq(v[i], s))
			return true;
	return false;
}

bool
strv_contains_case(char *const *v, const char *s)
{
	int first = tolower((unsigned char)s[0]);

	/* the first letter rules most out without a call: directive names are
	 * looked up this way for every line of the configuration */
	for (size_t i = 0; v && v[i]; i++)
		if (tolower((unsigned char)v[i][0]) == first && strcaseeq(v[i], s))
			return true;
	return false;
}

char **
strv_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
	return NULL;
}

static int
strbuf_grow(struct strbuf *sb, size_t extra)
{
	size_t want = sb->len + extra + 1;
	char *nb;

	if (want <= sb->alloc)
		return 0;
	if (want < 2 * sb->alloc)
		want = 2 * sb->alloc;
	nb = realloc(sb->buf, want);
	if (!nb)
		return -ENOMEM;
	sb->buf = nb;
	sb->alloc = want;
	return 0;
}

int
strbuf_add(struct strbuf *sb, const void *data, size_t len)
{
	int r = strbuf_grow(sb, len);

	if (r < 0)
		return r;
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
	return 0;
}

int
strbuf_adds(struct strbuf *sb, const char *s)
{
	return strbuf_add(sb, s, strlen(s));
}

int
strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	_cleanup_free_ char *s = NULL;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (r < 0) {
		s = NULL;
		return -ENOMEM;
	}
	return strbuf_add(sb, s, (size_t)r);
}

char *
strbuf_detach(struct strbuf *sb)
{
	char *s = sb->buf ? sb->buf : strdup("");

	sb->buf = NULL;
	sb->len = sb->alloc = 0;
	return s;
}

void
strbuf_release(struct strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->alloc = 0;
}
