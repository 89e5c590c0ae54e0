/* verify.c - prove over HTTP that the script runs (see verify.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgisetup/fetch.h"
#include "cgisetup/util.h"
#include "cgisetup/fsops.h"
#include "cgisetup/journald.h"
#include "cgisetup/verify.h"

#define LOG_READ_MAX 65536
#define LOG_TAIL_LINES 12
#define BASELINE_TIMEOUT_MS 3000
#define BODY_KEEP 4096

/* The address the Listen answers on: a wildcard answers on loopback. */
static const char *
verify_address(const struct layout *l)
{
	const char *host = l->listen_host;

	if (!host || !*host || streq(host, "*") || streq(host, "0.0.0.0"))
		return "127.0.0.1";
	if (streq(host, "[::]"))
		return "[::1]";
	return host;
}

char *
verify_url(const struct layout *l, const char *path)
{
	const char *host = l->vhost_name ? l->vhost_name : verify_address(l);
	const char *scheme = l->listen_tls ? "https" : "http";
	unsigned dflt = l->listen_tls ? 443 : 80;
	_cleanup_free_ char *port = l->listen_port == dflt ? strdup("")
							   : strdup_printf(":%u", l->listen_port);

	/* a vhost's name is pinned to the address (verify_pin) */
	return port ? strdup_printf("%s://%s%s%s", scheme, host, port, path) : NULL;
}

char *
verify_pin(const struct layout *l)
{
	if (!l->vhost_name)
		return NULL;
	return strdup_printf("%s:%u:%s", l->vhost_name, l->listen_port, verify_address(l));
}

/* The loopback address a followed redirect connects to: the TLS Listen's
 * own when it is a loopback address, else 127.0.0.1. */
static const char *
verify_loopback(const struct layout *l)
{
	if (l->tls_host && verdict_host_is_loopback(l->tls_host))
		return l->tls_host;
	return "127.0.0.1";
}

off_t
verify_log_offset(const struct layout *l)
{
	struct stat st;

	if (!l->error_log || stat(l->error_log, &st) < 0)
		return -1;
	return st.st_size;
}

/* What the error log gained after OFFSET (at most the last 64 KiB). */
static char *
log_since(const char *path, off_t offset)
{
	struct stat st;
	char *buf;
	ssize_t n;
	int fd;

	if (!path || offset < 0)
		return NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || st.st_size <= offset) {
		close(fd);
		return NULL;
	}
	if (st.st_size - offset > LOG_READ_MAX)
		offset = st.st_size - LOG_READ_MAX;
	buf = calloc(1, LOG_READ_MAX + 1);
	n = buf ? fsops_pread_all(fd, buf, LOG_READ_MAX, offset) : -1;
	close(fd);
	if (n <= 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

static bool
is_redirect(long status)
{
	return status == 301 || status == 302 || status == 303 || status == 307 ||
	       status == 308;
}

/* The redirect in *F leads to https on this server: fetch its target on
 * loopback (the name pinned to the loopback address, so that Host and SNI
 * are the name's), accepting the server's own certificate. */
static int
follow_redirect(const struct layout *l, struct verify_result *v, struct fetch_result *f,
		unsigned total_ms)
{
	struct url_parts to = { 0 };
	_cleanup_free_ char *pin = NULL;
	char *target = f->location;
	int r;

	if (verdict_url_split(target, &to) < 0)
		return -EINVAL;
	/* an address literal needs no pin; a name is pinned to loopback */
	if (to.host[0] != '[' && to.host[strspn(to.host, "0123456789.")] != '\0')
		pin = strdup_printf("%s:%u:%s", to.host, to.port, verify_loopback(l));
	verdict_url_release(&to);
	f->location = NULL;
	free(v->redirected_from);
	v->redirected_from = v->url;
	v->url = target;
	v->any_certificate = true;
	fetch_result_release(f);
	r = fetch_get_retry_opts(target, &(struct fetch_opts){ .pin = pin, .any_certificate = true },
				 total_ms, f, NULL);
	return r;
}

static off_t
file_offset(const char *path)
{
	struct stat st;

	return path && stat(path, &st) == 0 ? st.st_size : -1;
}

/* The lines Apache logged for the proof: the vhost's own ErrorLog's
 * (--vhost), the main ErrorLog's (mod_cgid's daemon writes a script's
 * stderr there), the journal's when ErrorLog is syslog; NULL when none. */
static char *
proof_log(const struct layout *l, off_t own_offset, off_t offset, uint64_t since)
{
	_cleanup_free_ char *own = log_since(l->request_error_log, own_offset);
	_cleanup_free_ char *main_log = log_since(l->error_log, offset);
	_cleanup_free_ char *journal = NULL;

	if (l->error_log_journal && journald_since(l->unit, since, LOG_READ_MAX, &journal) < 0)
		journal = NULL;
	if (!own && !journal)
		return TAKE_PTR(main_log);
	return strdup_printf("%s%s%s", own ? own : "", main_log ? main_log : "",
			     journal ? journal : "");
}

int
verify_fetch(const struct layout *l, const char *url, const char *proof, unsigned total_ms,
	     struct verify_result *ret, struct diag *d)
{
	struct verify_result v = { .url = strdup(url), .any_certificate = !!startswith(url, "https:") };
	struct fetch_result f = { 0 };
	off_t offset = verify_log_offset(l), own_offset = file_offset(l->request_error_log);
	uint64_t since = journald_now();
	_cleanup_free_ char *log = NULL, *pin = verify_pin(l);
	int r = fetch_get_retry_opts(url, &(struct fetch_opts){ .pin = pin,
								.any_certificate = v.any_certificate },
				     total_ms, &f, NULL);

	if (r >= 0 && is_redirect(f.status) && f.location && v.url &&
	    verdict_follow_redirect(url, f.location, l->names))
		r = follow_redirect(l, &v, &f, total_ms);
	if (r >= 0 && is_redirect(f.status) && f.location)
		v.location = TAKE_PTR(f.location);
	struct http_answer a = {
		.answered = r >= 0, .refused = f.error == FETCH_REFUSED, .status = f.status,
		.content_type = f.content_type, .body = f.body, .proof = proof,
	};

	v.verdict = verdict_judge(&a);
	v.status = f.status;
	v.content_type = TAKE_PTR(f.content_type);
	v.body = f.body ? strndup(f.body, BODY_KEEP) : NULL;
	log = proof_log(l, own_offset, offset, since);
	v.log_tail = log ? verdict_log_tail(log, LOG_TAIL_LINES) : NULL;
	fetch_result_release(&f);
	if (!v.url) {
		verify_result_release(&v);
		return diag_fail(d, ENOMEM, N_("out of memory"));
	}
	*ret = v;
	return 0;
}

void
verify_result_release(struct verify_result *r)
{
	free(r->url);
	free(r->redirected_from);
	free(r->location);
	free(r->content_type);
	free(r->log_tail);
	free(r->body);
	*r = (struct verify_result){ 0 };
}

bool
verify_log_has(const struct layout *l, off_t offset, const char *needle)
{
	_cleanup_free_ char *log = log_since(l->error_log, offset);

	return log && strstr(log, needle);
}

int
verify_status(const struct layout *l, const char *path, long *ret_status)
{
	_cleanup_free_ char *url = verify_url(l, path), *pin = verify_pin(l);
	struct fetch_result f = { 0 };
	int r;

	if (!url)
		return -ENOMEM;
	r = fetch_get_retry_opts(url, &(struct fetch_opts){
					 .pin = pin, .any_certificate = !!startswith(url, "https:") },
				 BASELINE_TIMEOUT_MS, &f, NULL);
	*ret_status = r >= 0 ? f.status : 0;
	fetch_result_release(&f);
	return 0;
}

/* A line of /proc/net/unix: "Num RefCount Protocol Flags Type St Inode Path";
 * Flags 00010000 (__SO_ACCEPTCON) marks a listening socket. */
static bool
unix_line_listens(const char *line, const char *path)
{
	unsigned long flags = 0;
	int at = -1;

	if (sscanf(line, "%*s %*s %*s %lx %*s %*s %*s %n", &flags, &at) < 1 || at < 0)
		return false;
	return (flags & 0x10000) && strcmp(line + at, path) == 0;
}

bool
verify_socket_listening(const char *path)
{
	_cleanup_free_ char *text = NULL;
	char *save = NULL;

	if (fsops_read(NULL, "/proc/net/unix", &text, NULL, NULL) < 0)
		return false;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (unix_line_listens(line, path))
			return true;
	return false;
}
