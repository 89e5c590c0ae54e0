/* diag.c - filling the error value, and its translated text (see diag.h). */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "cgisetup/diag.h"

/* One conversion of a format: what it is and how long it is. */
struct diag_conv {
	size_t len;      /* of the whole conversion, "%2$-5ld": 7 */
	unsigned pos;    /* "%2$...": 2; 0 when not numbered */
	char spec[16];   /* without its number: "%-5ld" */
	char length[3];  /* "", "h", "hh", "l", "ll", "z", "j", "t" */
	char conv;       /* 's', 'd', ...; 0 when not supported */
};

static size_t
diag_span(const char *s, const char *accept)
{
	return strspn(s, accept);
}

/* Parse the conversion at S (S[0] == '%', not "%%"). */
static void
diag_parse(const char *s, struct diag_conv *c)
{
	const char *p = s + 1, *body;
	size_t n = diag_span(p, "0123456789");

	*c = (struct diag_conv){ 0 };
	if (n > 0 && p[n] == '$') {
		c->pos = (unsigned)strtoul(p, NULL, 10);
		p += n + 1;
	}
	body = p;
	p += diag_span(p, "-+ #0");
	p += diag_span(p, "0123456789");
	if (*p == '.')
		p += 1 + diag_span(p + 1, "0123456789");
	n = diag_span(p, "hlzjt");
	if (n <= 2) {
		memcpy(c->length, p, n);
		p += n;
	}
	if (*p && strchr("sdiuoxXc", *p))
		c->conv = *p;
	c->len = (size_t)(p - s) + (*p ? 1 : 0);
	if (c->len - (size_t)(body - s) + 1 >= sizeof(c->spec))
		c->conv = 0;
	else
		snprintf(c->spec, sizeof(c->spec), "%%%.*s", (int)(c->len - (size_t)(body - s)), body);
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static void
diag_render_signed(struct diag_arg *a, const char *length, va_list *ap)
{
	if (streq(length, "l"))
		snprintf(a->text, sizeof(a->text), a->spec, va_arg(*ap, long));
	else if (streq(length, "ll"))
		snprintf(a->text, sizeof(a->text), a->spec, va_arg(*ap, long long));
	else if (streq(length, "z"))
		snprintf(a->text, sizeof(a->text), a->spec, va_arg(*ap, ssize_t));
	else if (streq(length, "j"))
		snprintf(a->text, sizeof(a->text), a->spec, va_arg(*ap, intmax_t));
	else if (streq(length, "t"))
		snprintf(a->text, sizeof(a->text), a->spec, va_arg(*ap, ptrdiff_t));
	else
		snprintf(a->text, sizeof(a->text), a->spec, va_arg(*ap, int));
}

static void
diag_render_unsigned(struct diag_arg *a, const char *length, va_list *ap)
{
	if (streq(length, "l"))
		snprintf(a->text, sizeof(a->text), a->spec, va_arg(*ap, unsigned long));
	else if (streq(length, "ll"))
		snprintf(a->text, sizeof(a->text), a->spec, va_arg(*ap, unsigned long long));
	else if (streq(length, "z"))
		snprintf(a->text, sizeof(a->text), a->spec, va_arg(*ap, size_t));
	else if (streq(length, "j"))
		snprintf(a->text, sizeof(a->text), a->spec, va_arg(*ap, uintmax_t));
	else if (streq(length, "t"))
		snprintf(a->text, sizeof(a->text), a->spec, va_arg(*ap, ptrdiff_t));
	else
		snprintf(a->text, sizeof(a->text), a->spec, va_arg(*ap, unsigned));
}

/* Render the argument of conversion C into A. */
static void
diag_render(struct diag_arg *a, const struct diag_conv *c, va_list *ap)
{
	const char *s;

	memcpy(a->spec, c->spec, sizeof(a->spec));
	if (c->conv == 's') {
		s = va_arg(*ap, const char *);
		snprintf(a->text, sizeof(a->text), a->spec, s ? s : "(null)");
	} else if (c->conv == 'c') {
		snprintf(a->text, sizeof(a->text), a->spec, va_arg(*ap, int));
	} else if (c->conv == 'd' || c->conv == 'i') {
		diag_render_signed(a, c->length, ap);
	} else {
		diag_render_unsigned(a, c->length, ap);
	}
}
#pragma GCC diagnostic pop

/* Keep FMT and its arguments for diag_message(); a format it cannot take
 * apart (too long, too many or unknown conversions) keeps only English. */
static void
diag_keep_args(struct diag *d, unsigned msgid_args, const char *fmt, va_list *ap)
{
	struct diag_conv c;

	d->n_args = 0;
	if (snprintf(d->fmt, sizeof(d->fmt), "%s", fmt) >= (int)sizeof(d->fmt))
		goto fail;
	for (const char *p = strchr(fmt, '%'); p; p = strchr(p, '%')) {
		if (p[1] == '%') {
			p += 2;
			continue;
		}
		diag_parse(p, &c);
		if (!c.conv || c.pos || d->n_args >= DIAG_MAX_ARGS)
			goto fail;
		diag_render(&d->args[d->n_args], &c, ap);
		d->args[d->n_args].msgid = c.conv == 's' && (msgid_args & (1u << d->n_args));
		d->n_args++;
		p += c.len;
	}
	return;
fail:
	d->fmt[0] = '\0';
	d->n_args = 0;
}

int
diag_setv(struct diag *d, enum diag_kind kind, int err, unsigned msgid_args, const char *fmt,
	  va_list ap)
{
	va_list english, args;

	if (err > 0)
		err = -err;
	if (!d)
		return err;
	d->kind = kind;
	va_copy(english, ap);
	vsnprintf(d->msg, sizeof(d->msg), fmt, english);
	va_end(english);
	va_copy(args, ap);
	diag_keep_args(d, msgid_args, fmt, &args);
	va_end(args);
	return err;
}

int
diag_set(struct diag *d, enum diag_kind kind, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err = diag_setv(d, kind, err, 0, fmt, ap);
	va_end(ap);
	return err;
}

int
diag_set_tr(struct diag *d, enum diag_kind kind, int err, unsigned msgid_args,
	    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err = diag_setv(d, kind, err, msgid_args, fmt, ap);
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

/* The argument the translated conversion C stands for, or NULL when it
 * does not match the msgid's. */
static const struct diag_arg *
diag_match(const struct diag *d, const struct diag_conv *c, unsigned *next)
{
	unsigned i = c->pos ? c->pos - 1 : (*next)++;

	if (!c->conv || i >= d->n_args || !streq(c->spec, d->args[i].spec))
		return NULL;
	return &d->args[i];
}

/* Fill the translated format T with D's arguments into SB. */
static int
diag_fill(const struct diag *d, diag_translate_fn *translate, const char *t, struct strbuf *sb)
{
	unsigned next = 0;
	int r = 0;

	while (r >= 0 && *t) {
		size_t n = strcspn(t, "%");
		const struct diag_arg *a;
		struct diag_conv c;

		r = strbuf_add(sb, t, n);
		t += n;
		if (r < 0 || !*t)
			break;
		if (t[1] == '%') {
			r = strbuf_adds(sb, "%");
			t += 2;
			continue;
		}
		diag_parse(t, &c);
		a = diag_match(d, &c, &next);
		if (!a)
			return -EINVAL;
		r = strbuf_adds(sb, a->msgid ? translate(a->text) : a->text);
		t += c.len;
	}
	return r;
}

const char *
diag_message(const struct diag *d, diag_translate_fn *translate, char *buf, size_t size)
{
	_cleanup_strbuf_ struct strbuf sb = STRBUF_INIT;

	snprintf(buf, size, "%s", d->msg);
	if (!d->fmt[0] || !translate)
		return buf;
	if (diag_fill(d, translate, translate(d->fmt), &sb) >= 0 && sb.buf)
		snprintf(buf, size, "%s", sb.buf);
	return buf;
}

/* The remembered messages (diag_strdup, diag_remember): a message's msgid
 * and arguments, found by its English text. */
struct diag_memo {
	char *msg;
	char *fmt;
	unsigned n_args;
	struct diag_arg args[DIAG_MAX_ARGS];
};

static struct diag_memo diag_memos[DIAG_MEMO_MAX];
static size_t diag_n_memos;

static const struct diag_memo *
diag_memo_find(const char *english)
{
	for (size_t i = 0; i < diag_n_memos; i++)
		if (streq(diag_memos[i].msg, english))
			return &diag_memos[i];
	return NULL;
}

void
diag_remember(const struct diag *d)
{
	struct diag_memo *m;

	/* a message that cannot be remembered is shown in English */
	if (!d || !d->fmt[0] || diag_memo_find(d->msg) || diag_n_memos >= DIAG_MEMO_MAX)
		return;
	m = &diag_memos[diag_n_memos];
	m->msg = strdup(d->msg);
	m->fmt = strdup(d->fmt);
	if (!m->msg || !m->fmt) {
		free(m->msg);
		free(m->fmt);
		*m = (struct diag_memo){ 0 };
		return;
	}
	m->n_args = d->n_args;
	memcpy(m->args, d->args, sizeof(m->args));
	diag_n_memos++;
}

char *
diag_strdup(const char *fmt, ...)
{
	struct diag d = { 0 };
	va_list ap;

	va_start(ap, fmt);
	diag_setv(&d, DIAG_FAILURE, 0, 0, fmt, ap);
	va_end(ap);
	diag_remember(&d);
	return strdup(d.msg);
}

const char *
diag_text(const char *english, diag_translate_fn *translate, char *buf, size_t size)
{
	const struct diag_memo *m = english ? diag_memo_find(english) : NULL;
	struct diag d = { 0 };

	if (!m) {
		snprintf(buf, size, "%s", english ? english : "");
		return buf;
	}
	snprintf(d.msg, sizeof(d.msg), "%s", m->msg);
	snprintf(d.fmt, sizeof(d.fmt), "%s", m->fmt);
	d.n_args = m->n_args;
	memcpy(d.args, m->args, sizeof(d.args));
	return diag_message(&d, translate, buf, size);
}
