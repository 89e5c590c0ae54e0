/* diff.c - unified diffs (see diff.h). */
#include "config.h"

#include <errno.h>
#include <stdint.h>

#include "cgisetup/diff.h"

#define CONTEXT 3
#define LCS_MAX_CELLS (4u * 1024 * 1024)

struct lines {
	const char **start;
	size_t *len; /* without the newline */
	size_t n;
	bool last_has_newline;
};

enum op { OP_EQ, OP_DEL, OP_INS };

static void
lines_release(struct lines *l)
{
	free(l->start);
	free(l->len);
}

static int
lines_split(const char *text, struct lines *ret)
{
	struct lines l = { .last_has_newline = true };
	size_t cap = 0;

	for (const char *p = text; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		if (l.n == cap) {
			cap = cap ? 2 * cap : 64;
			const char **s = realloc(l.start, cap * sizeof(*s));
			size_t *ln = s ? realloc(l.len, cap * sizeof(*ln)) : NULL;
			if (s)
				l.start = s;
			if (!s || !ln) {
				lines_release(&l);
				return -ENOMEM;
			}
			l.len = ln;
		}
		l.start[l.n] = p;
		l.len[l.n++] = n;
		l.last_has_newline = nl != NULL;
		p = nl ? nl + 1 : p + n;
	}
	*ret = l;
	return 0;
}

static bool
line_eq(const struct lines *a, size_t i, const struct lines *b, size_t j)
{
	bool a_nl = i + 1 < a->n || a->last_has_newline;
	bool b_nl = j + 1 < b->n || b->last_has_newline;

	return a->len[i] == b->len[j] && a_nl == b_nl &&
	       memcmp(a->start[i], b->start[j], a->len[i]) == 0;
}

/* Edit script of the middle parts a[lo_a..hi_a) and b[lo_b..hi_b). */
static int
middle_ops(const struct lines *a, size_t lo_a, size_t hi_a, const struct lines *b,
	   size_t lo_b, size_t hi_b, enum op *ops, size_t *n_ops)
{
	size_t n = hi_a - lo_a, m = hi_b - lo_b, i = 0, j = 0;
	uint32_t *t = NULL;

	if ((n + 1) * (m + 1) <= LCS_MAX_CELLS) {
		t = calloc((n + 1) * (m + 1), sizeof(*t));
		if (!t)
			return -ENOMEM;
	}
#define T(x, y) t[(x) * (m + 1) + (y)]
	for (size_t x = n; t && x-- > 0;)
		for (size_t y = m; y-- > 0;)
			T(x, y) = line_eq(a, lo_a + x, b, lo_b + y)
					  ? T(x + 1, y + 1) + 1
					  : (T(x + 1, y) > T(x, y + 1) ? T(x + 1, y) : T(x, y + 1));
	while (i < n || j < m) {
		if (t && i < n && j < m && line_eq(a, lo_a + i, b, lo_b + j)) {
			ops[(*n_ops)++] = OP_EQ;
			i++, j++;
		} else if (i < n && (j == m || !t || T(i + 1, j) >= T(i, j + 1))) {
			ops[(*n_ops)++] = OP_DEL;
			i++;
		} else {
			ops[(*n_ops)++] = OP_INS;
			j++;
		}
	}
#undef T
	free(t);
	return 0;
}

/* The whole edit script from A to B; OPS has room for a->n + b->n. The
 * common head and tail are matched first, so the table covers only the
 * part that changed. */
static int
edit_script(const struct lines *a, const struct lines *b, enum op *ops, size_t *n_ops)
{
	size_t pre = 0, suf = 0;
	int r;

	while (pre < a->n && pre < b->n && line_eq(a, pre, b, pre))
		pre++;
	while (suf < a->n - pre && suf < b->n - pre &&
	       line_eq(a, a->n - 1 - suf, b, b->n - 1 - suf))
		suf++;
	*n_ops = 0;
	for (size_t i = 0; i < pre; i++)
		ops[(*n_ops)++] = OP_EQ;
	r = middle_ops(a, pre, a->n - suf, b, pre, b->n - suf, ops, n_ops);
	for (size_t i = 0; r >= 0 && i < suf; i++)
		ops[(*n_ops)++] = OP_EQ;
	return r;
}

static int
emit_line(struct strbuf *out, char tag, const struct lines *l, size_t i)
{
	int r = strbuf_addf(out, "%c%.*s\n", tag, (int)l->len[i], l->start[i]);

	if (r >= 0 && i + 1 == l->n && !l->last_has_newline)
		r = strbuf_adds(out, "\\ No newline at end of file\n");
	return r;
}

/* Print ops[from..to) as one hunk; ai/bi are the line numbers at FROM. */
static int
emit_hunk(struct strbuf *out, const enum op *ops, size_t from, size_t to, const struct lines *a,
	  size_t ai, const struct lines *b, size_t bi)
{
	size_t na = 0, nb = 0;
	int r;

	for (size_t k = from; k < to; k++) {
		na += ops[k] != OP_INS;
		nb += ops[k] != OP_DEL;
	}
	r = strbuf_addf(out, "@@ -%zu,%zu +%zu,%zu @@\n", na ? ai + 1 : ai, na, nb ? bi + 1 : bi,
			nb);
	for (size_t k = from; r >= 0 && k < to; k++) {
		if (ops[k] == OP_EQ) {
			r = emit_line(out, ' ', a, ai++);
			bi++;
		} else if (ops[k] == OP_DEL) {
			r = emit_line(out, '-', a, ai++);
		} else {
			r = emit_line(out, '+', b, bi++);
		}
	}
	return r;
}

static int
emit_hunks(struct strbuf *out, const enum op *ops, size_t n_ops, const struct lines *a,
	   const struct lines *b)
{
	size_t k = 0, ai = 0, bi = 0;
	int r = 0;

	while (r >= 0 && k < n_ops) {
		size_t start, end, eq_run = 0, sa, sb;

		if (ops[k] == OP_EQ) {
			k++, ai++, bi++;
			continue;
		}
		start = k >= CONTEXT ? k - CONTEXT : 0;
		sa = ai - (k - start);
		sb = bi - (k - start);
		/* extend until more than 2*CONTEXT equal lines follow a change */
		for (end = k; end < n_ops && eq_run <= 2 * CONTEXT; end++)
			eq_run = ops[end] == OP_EQ ? eq_run + 1 : 0;
		if (eq_run > CONTEXT)
			end -= eq_run - CONTEXT;
		r = emit_hunk(out, ops, start, end, a, sa, b, sb);
		for (; k < end; k++) {
			ai += ops[k] != OP_INS;
			bi += ops[k] != OP_DEL;
		}
	}
	return r;
}

int
diff_inserted(const char *old_text, const char *new_text, bool **ret, size_t *ret_n)
{
	struct lines a = { 0 }, b = { 0 };
	_cleanup_free_ enum op *ops = NULL;
	bool *ins = NULL;
	size_t n_ops = 0, j = 0;
	int r = lines_split(old_text, &a);

	if (r >= 0)
		r = lines_split(new_text, &b);
	if (r >= 0 && !(ops = calloc(a.n + b.n + 1, sizeof(*ops))))
		r = -ENOMEM;
	if (r >= 0 && !(ins = calloc(b.n + 1, sizeof(*ins))))
		r = -ENOMEM;
	if (r >= 0)
		r = edit_script(&a, &b, ops, &n_ops);
	/* in a change block (deletions, then insertions), the first inserted
	 * lines replace the deleted ones: changed, not inserted */
	for (size_t k = 0, deleted = 0; r >= 0 && k < n_ops; k++) {
		if (ops[k] == OP_DEL)
			deleted++;
		else if (ops[k] == OP_INS && deleted > 0)
			deleted--;
		else if (ops[k] == OP_INS)
			ins[j] = true;
		else
			deleted = 0;
		if (ops[k] != OP_DEL)
			j++;
	}
	lines_release(&a);
	lines_release(&b);
	if (r < 0) {
		free(ins);
		return r;
	}
	*ret = ins;
	*ret_n = b.n;
	return 0;
}

/* GNU diff ends a file name with a tab (its timestamp follows): patch
 * reads a name up to the first tab, or else up to the first space, which
 * would cut "b/srv/my cgi/hello.py" at "b/srv/my". */
static const char *
name_end(const char *label)
{
	return strchr(label, ' ') ? "\t" : "";
}

char *
diff_name(const char *prefix, const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	bool quote = false;

	for (const unsigned char *p = (const unsigned char *)path; *p; p++)
		quote |= *p == '\\' || *p == '"' || *p < 0x20 || *p == 0x7f;
	if (!quote)
		return strdup_printf("%s%s", prefix, path);
	/* as GNU diff and git quote a name: C-style, between double quotes */
	strbuf_addf(&sb, "\"%s", prefix);
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if (*p == '\\' || *p == '"')
			strbuf_addf(&sb, "\\%c", *p);
		else if (*p == '\t')
			strbuf_adds(&sb, "\\t");
		else if (*p == '\n')
			strbuf_adds(&sb, "\\n");
		else if (*p < 0x20 || *p == 0x7f)
			strbuf_addf(&sb, "\\%03o", *p);
		else
			strbuf_add(&sb, p, 1);
	}
	strbuf_adds(&sb, "\"");
	return strbuf_detach(&sb);
}

/* The git header of a file PATH that the diff creates with MODE (0100755,
 * or 0120000 for a symlink): GNU patch and git apply both set the mode
 * from it, and make a symlink of a 120000 "file" whose text is the
 * target. */
static int
new_file_header(const char *a, const char *b, unsigned mode, struct strbuf *out)
{
	return strbuf_addf(out, "diff --git %s %s\nnew file mode %06o\n", a, b, mode);
}

int
diff_new_file(const char *path, const char *content, unsigned mode, struct strbuf *out)
{
	_cleanup_free_ char *a = diff_name("a", path), *b = diff_name("b", path);
	int r;

	if (!a || !b)
		return -ENOMEM;
	r = new_file_header(a, b, 0100000 | (mode & 07777), out);
	return r < 0 ? r : diff_unified(NULL, content, "/dev/null", b, out);
}

int
diff_new_symlink(const char *path, const char *target, struct strbuf *out)
{
	_cleanup_free_ char *a = diff_name("a", path), *b = diff_name("b", path);
	int r;

	if (!a || !b)
		return -ENOMEM;
	r = new_file_header(a, b, 0120000, out);
	/* the target without a newline: git's form of a symlink */
	return r < 0 ? r : diff_unified(NULL, target, "/dev/null", b, out);
}

int
diff_unified(const char *old_text, const char *new_text, const char *old_label,
	     const char *new_label, struct strbuf *out)
{
	struct lines a = { 0 }, b = { 0 };
	enum op *ops = NULL;
	size_t n_ops = 0;
	int r;

	if (streq_ptr(old_text, new_text))
		return 0;
	r = lines_split(old_text, &a);
	if (r >= 0)
		r = lines_split(new_text, &b);
	if (r < 0)
		goto out;
	ops = malloc((a.n + b.n + 1) * sizeof(*ops));
	if (!ops) {
		r = -ENOMEM;
		goto out;
	}
	r = edit_script(&a, &b, ops, &n_ops);
	if (r >= 0)
		r = strbuf_addf(out, "--- %s%s\n+++ %s%s\n", old_label, name_end(old_label),
				new_label, name_end(new_label));
	if (r >= 0)
		r = emit_hunks(out, ops, n_ops, &a, &b);
out:
	free(ops);
	lines_release(&a);
	lines_release(&b);
	return r;
}

/* ---- taking a change back out of a text that changed since ---- */

struct hunk {
	size_t a, na; /* old side: first line, count */
	size_t b, nb; /* new side */
};

/* The changed runs of OPS, with no context. */
static size_t
hunks_of(const enum op *ops, size_t n_ops, struct hunk *out)
{
	size_t n = 0, ai = 0, bi = 0;

	for (size_t k = 0; k < n_ops;) {
		if (ops[k] == OP_EQ) {
			k++, ai++, bi++;
			continue;
		}
		out[n] = (struct hunk){ .a = ai, .b = bi };
		for (; k < n_ops && ops[k] != OP_EQ; k++) {
			if (ops[k] == OP_DEL)
				out[n].na++, ai++;
			else
				out[n].nb++, bi++;
		}
		n++;
	}
	return n;
}

static bool
block_at(const struct lines *cur, size_t at, const struct lines *b, size_t from, size_t n)
{
	if (at + n > cur->n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!line_eq(cur, at + i, b, from + i))
			return false;
	return true;
}

/* Where the new side of H sits in CUR: the match nearest to WANT. */
static long
find_block(const struct lines *cur, const struct lines *b, const struct hunk *h, size_t want)
{
	long best = -1;
	size_t best_dist = (size_t)-1;

	for (size_t at = 0; at + h->nb <= cur->n; at++) {
		size_t dist = at > want ? at - want : want - at;

		if (dist < best_dist && block_at(cur, at, b, h->b, h->nb)) {
			best = (long)at;
			best_dist = dist;
		}
	}
	return best;
}

static int
emit_lines(struct strbuf *out, const struct lines *l, size_t from, size_t n)
{
	int r = 0;

	for (size_t i = from; r >= 0 && i < from + n; i++) {
		r = strbuf_add(out, l->start[i], l->len[i]);
		if (r >= 0 && (i + 1 < l->n || l->last_has_newline))
			r = strbuf_adds(out, "\n");
	}
	return r;
}

/* Locate every hunk; a hunk not found (or out of order) is -1, and makes
 * the whole operation fail unless MISSING counts such hunks. */
static int
locate_hunks(const struct lines *b, const struct lines *cur, const struct hunk *h,
	     size_t n_hunks, long *at, size_t *missing)
{
	long end = 0; /* where the previous located hunk ends */

	for (size_t i = 0; i < n_hunks; i++) {
		at[i] = h[i].nb == 0 ? -1 : find_block(cur, b, &h[i], h[i].b);
		if (at[i] >= 0 && at[i] < end)
			at[i] = -1;
		if (at[i] < 0) {
			if (!missing)
				return -ESRCH;
			(*missing)++;
			continue;
		}
		end = at[i] + (long)h[i].nb;
	}
	return 0;
}

static int
unapply_hunks(const struct lines *a, const struct lines *b, const struct lines *cur,
	      const struct hunk *h, size_t n_hunks, size_t *missing, char **ret)
{
	_cleanup_free_ long *at = calloc(n_hunks + 1, sizeof(*at));
	struct strbuf out = STRBUF_INIT;
	size_t pos = 0;
	int r;

	if (!at)
		return -ENOMEM;
	r = locate_hunks(b, cur, h, n_hunks, at, missing);
	if (r < 0)
		return r;
	for (size_t i = 0; r >= 0 && i < n_hunks; i++) {
		if (at[i] < 0)
			continue;
		r = emit_lines(&out, cur, pos, (size_t)at[i] - pos);
		if (r >= 0)
			r = emit_lines(&out, a, h[i].a, h[i].na);
		pos = (size_t)at[i] + h[i].nb;
	}
	if (r >= 0)
		r = emit_lines(&out, cur, pos, cur->n - pos);
	if (r < 0) {
		strbuf_release(&out);
		return r;
	}
	*ret = strbuf_detach(&out);
	return 0;
}

int
diff_unapply(const char *old_text, const char *new_text, const char *current, size_t *missing,
	     char **ret)
{
	struct lines a = { 0 }, b = { 0 }, cur = { 0 };
	enum op *ops = NULL;
	struct hunk *hunks = NULL;
	size_t n_ops = 0;
	int r;

	r = lines_split(old_text, &a);
	if (r >= 0)
		r = lines_split(new_text, &b);
	if (r >= 0)
		r = lines_split(current, &cur);
	if (r >= 0) {
		ops = malloc((a.n + b.n + 1) * sizeof(*ops));
		hunks = malloc((a.n + b.n + 1) * sizeof(*hunks));
		r = ops && hunks ? edit_script(&a, &b, ops, &n_ops) : -ENOMEM;
	}
	if (r >= 0)
		r = unapply_hunks(&a, &b, &cur, hunks, hunks_of(ops, n_ops, hunks), missing, ret);
	free(ops);
	free(hunks);
	lines_release(&a);
	lines_release(&b);
	lines_release(&cur);
	return r;
}
