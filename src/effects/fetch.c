/* fetch.c - one HTTP GET with libcurl (see fetch.h).
 *
 * Why it looks the way it does:
 * - CURLOPT_NOPROXY "*": libcurl reads http_proxy from the environment, and
 *   a proxy would answer for a server that is down.
 * - The write callback stops the transfer once 64 KiB are kept; libcurl
 *   then reports CURLE_WRITE_ERROR, which here is a complete answer.
 * - CURLOPT_NOSIGNAL: timeouts must not use SIGALRM in a program that may
 *   run curses or hold a journal open.
 * - Refused vs timed out matters to the caller: refused means nothing
 *   listens (Apache down or still starting), a timeout means something
 *   listens but does not answer (a hanging CGI script).
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <curl/curl.h>

#include "cgisetup/fetch.h"

#define FETCH_TRY_MAX_MS 5000u
#define FETCH_PAUSE_MIN_MS 50u
#define FETCH_PAUSE_MAX_MS 500u

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "0"
#endif

struct fetch_sink {
	struct strbuf body;
	bool truncated;
	int error;
};

static void
fetch_curl_cleanupp(CURL **c)
{
	if (*c)
		curl_easy_cleanup(*c);
}

void
fetch_result_release(struct fetch_result *r)
{
	if (!r)
		return;
	free(r->content_type);
	free(r->body);
	free(r->error_text);
	free(r->location);
	memset(r, 0, sizeof(*r));
}

static uint64_t
fetch_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static size_t
fetch_on_data(char *data, size_t size, size_t nmemb, void *userdata)
{
	struct fetch_sink *sink = userdata;
	size_t n = size * nmemb, room = FETCH_BODY_MAX - sink->body.len;

	if (n > room) {
		n = room;
		sink->truncated = true;
	}
	if (n > 0 && strbuf_add(&sink->body, data, n) < 0) {
		sink->error = -ENOMEM;
		return 0;
	}
	/* returning less than offered stops the transfer */
	return sink->truncated ? 0 : size * nmemb;
}

static int
fetch_global_init(void)
{
	static bool done;

	if (done)
		return 0;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return -ENOMEM;
	done = true;
	return 0;
}

/* CURLOPT_PROTOCOLS is deprecated from 7.85 on, its successor missing
 * before; configure accepts 7.68. */
static CURLcode
fetch_http_only(CURL *c)
{
#if LIBCURL_VERSION_NUM >= 0x075500
	return curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	return curl_easy_setopt(c, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
}

/* The pin and the certificate choice of OPTS; *RET_PINS is freed by the
 * caller after the transfer (libcurl keeps the list's pointer). */
static int
fetch_setup_opts(CURL *c, const struct fetch_opts *opts, struct curl_slist **ret_pins)
{
	if (!opts)
		return 0;
	if (opts->pin) {
		*ret_pins = curl_slist_append(NULL, opts->pin);
		if (!*ret_pins || curl_easy_setopt(c, CURLOPT_RESOLVE, *ret_pins) != CURLE_OK)
			return -ENOMEM;
	}
	if (opts->any_certificate &&
	    (curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L) != CURLE_OK ||
	     curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L) != CURLE_OK))
		return -EINVAL;
	return 0;
}

static int
fetch_setup(CURL *c, const char *url, unsigned timeout_ms, struct fetch_sink *sink,
	char *errbuf)
{
	long ms = timeout_ms > 0 ? (long)timeout_ms : 1; /* 0 would mean "forever" */

	if (curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf) != CURLE_OK ||
		curl_easy_setopt(c, CURLOPT_URL, url) != CURLE_OK ||
		curl_easy_setopt(c, CURLOPT_NOPROXY, "*") != CURLE_OK ||
		curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L) != CURLE_OK ||
		fetch_http_only(c) != CURLE_OK ||
		curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, ms) != CURLE_OK ||
		curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, ms) != CURLE_OK ||
		curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
		curl_easy_setopt(c, CURLOPT_USERAGENT, "cgisetup/" PACKAGE_VERSION) != CURLE_OK ||
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, fetch_on_data) != CURLE_OK ||
		curl_easy_setopt(c, CURLOPT_WRITEDATA, sink) != CURLE_OK)
		return -EINVAL;
	return 0;
}

/* Fill RES->error from a failed transfer and say what happened. */
static int
fetch_fail(CURL *c, CURLcode cc, const char *url, unsigned timeout_ms, const char *errbuf,
	struct fetch_result *res, struct diag *d)
{
	const char *text = errbuf[0] ? errbuf : curl_easy_strerror(cc);
	long oserr = 0;

	res->error = FETCH_OTHER;
	res->error_text = strdup(text);
	switch (cc) {
	case CURLE_COULDNT_CONNECT:
		curl_easy_getinfo(c, CURLINFO_OS_ERRNO, &oserr);
		if (oserr == ECONNREFUSED) {
			res->error = FETCH_REFUSED;
			return diag_fail(d, ECONNREFUSED, N_("cannot fetch '%s': connection refused"),
				url);
		}
		return diag_fail(d, oserr > 0 ? (int)oserr : EIO,
			N_("cannot fetch '%s': cannot connect: %s"), url, text);
	case CURLE_OPERATION_TIMEDOUT:
		res->error = FETCH_TIMEOUT;
		return diag_fail(d, ETIMEDOUT, N_("cannot fetch '%s': no answer within %u ms"), url,
			timeout_ms);
	case CURLE_URL_MALFORMAT:
	case CURLE_UNSUPPORTED_PROTOCOL:
		return diag_usage(d, EINVAL, N_("cannot fetch '%s': %s"), url, text);
	case CURLE_OUT_OF_MEMORY:
		return diag_fail(d, ENOMEM, N_("cannot fetch '%s': %s"), url, strerror(ENOMEM));
	default:
		return diag_fail(d, EIO, N_("cannot fetch '%s': %s"), url, text);
	}
}

/* A response arrived: keep its content type and body. */
static int
fetch_take_response(CURL *c, struct fetch_sink *sink, const char *url,
	struct fetch_result *res, struct diag *d)
{
	char *ct = NULL;

	if (curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK && ct) {
		res->content_type = strdup(ct);
		if (!res->content_type)
			goto oom;
	}
	ct = NULL;
	if (curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &ct) == CURLE_OK && ct) {
		res->location = strdup(ct);
		if (!res->location)
			goto oom;
	}
	res->body_len = sink->body.len;
	res->body = strbuf_detach(&sink->body);
	if (!res->body)
		goto oom;
	res->error = FETCH_OK;
	return 0;
oom:
	res->error = FETCH_OTHER;
	return diag_fail(d, ENOMEM, N_("cannot fetch '%s': %s"), url, strerror(ENOMEM));
}

int
fetch_get(const char *url, unsigned timeout_ms, struct fetch_result *ret, struct diag *d)
{
	return fetch_get_opts(url, NULL, timeout_ms, ret, d);
}

int
fetch_get_opts(const char *url, const struct fetch_opts *opts, unsigned timeout_ms,
	       struct fetch_result *ret, struct diag *d)
{
	_cleanup_(fetch_curl_cleanupp) CURL *c = NULL;
	struct curl_slist *pins = NULL;
	struct fetch_sink sink = { STRBUF_INIT, false, 0 };
	struct fetch_result res = { 0 };
	char errbuf[CURL_ERROR_SIZE] = "";
	CURLcode cc;
	int r;

	res.error = FETCH_OTHER;
	r = fetch_global_init();
	if (r >= 0 && !(c = curl_easy_init()))
		r = -ENOMEM;
	if (r >= 0)
		r = fetch_setup(c, url, timeout_ms, &sink, errbuf);
	if (r >= 0)
		r = fetch_setup_opts(c, opts, &pins);
	if (r < 0) {
		curl_slist_free_all(pins);
		*ret = res;
		return diag_fail(d, r, N_("cannot fetch '%s': cannot set up libcurl: %s"), url,
			strerror(-r));
	}
	cc = curl_easy_perform(c);
	if (cc == CURLE_WRITE_ERROR && sink.truncated && !sink.error)
		cc = CURLE_OK;
	if (sink.error)
		cc = CURLE_OUT_OF_MEMORY;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &res.status);
	if (cc != CURLE_OK)
		r = fetch_fail(c, cc, url, timeout_ms, errbuf, &res, d);
	else
		r = fetch_take_response(c, &sink, url, &res, d);
	strbuf_release(&sink.body);
	curl_easy_cleanup(TAKE_PTR(c));
	curl_slist_free_all(pins);
	*ret = res;
	return r;
}

/* Sleep until the CLOCK_MONOTONIC instant WHEN_MS; a signal does not cut it. */
static void
fetch_pause_until(uint64_t when_ms)
{
	struct timespec ts = {
		.tv_sec = (time_t)(when_ms / 1000),
		.tv_nsec = (long)(when_ms % 1000) * 1000000,
	};

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

static bool
fetch_worth_retry(const struct fetch_result *res)
{
	return res->error == FETCH_REFUSED || res->error == FETCH_TIMEOUT;
}

int
fetch_get_retry(const char *url, unsigned total_ms, struct fetch_result *ret, struct diag *d)
{
	return fetch_get_retry_opts(url, NULL, total_ms, ret, d);
}

int
fetch_get_retry_opts(const char *url, const struct fetch_opts *opts, unsigned total_ms,
		     struct fetch_result *ret, struct diag *d)
{
	uint64_t start = fetch_now_ms(), deadline = start + total_ms, now;
	unsigned pause = FETCH_PAUSE_MIN_MS, tries = 0, left;
	struct fetch_result res = { 0 };
	int r;

	for (;;) {
		now = fetch_now_ms();
		left = now < deadline ? (unsigned)(deadline - now) : 1;
		fetch_result_release(&res);
		r = fetch_get_opts(url, opts, left < FETCH_TRY_MAX_MS ? left : FETCH_TRY_MAX_MS,
				   &res, d);
		tries++;
		if (r >= 0 || !fetch_worth_retry(&res) || fetch_now_ms() >= deadline)
			break;
		now = fetch_now_ms();
		fetch_pause_until(now + pause < deadline ? now + pause : deadline);
		pause = pause * 2 < FETCH_PAUSE_MAX_MS ? pause * 2 : FETCH_PAUSE_MAX_MS;
	}
	if (r < 0 && tries > 1 && res.error == FETCH_REFUSED)
		r = diag_fail(d, r, N_("cannot fetch '%s': connection still refused after %u "
				       "tries in %u ms"), url, tries,
			(unsigned)(fetch_now_ms() - start));
	else if (r < 0 && tries > 1 && res.error == FETCH_TIMEOUT)
		r = diag_fail(d, r, N_("cannot fetch '%s': still no answer after %u tries in "
				       "%u ms"), url, tries, (unsigned)(fetch_now_ms() - start));
	*ret = res;
	return r;
}

int
fetch_version(const char **ret_built, char **ret_running)
{
	const curl_version_info_data *info = curl_version_info(CURLVERSION_NOW);
	char *running = NULL;

	if (info && info->version) {
		running = strdup(info->version);
		if (!running)
			return -ENOMEM;
	}
	*ret_built = LIBCURL_VERSION;
	*ret_running = running;
	return 0;
}
