/* svc-probe.c - drive service.c and fetch.c from a test script.
 *
 *	svc-probe state UNIT
 *	svc-probe job UNIT start|restart|reload-or-restart|reload
 *	svc-probe find UNIT...
 *	svc-probe get URL
 *	svc-probe get-retry URL TOTAL_MS
 *
 * SVC_PROBE_TIMEOUT_MS in the environment overrides the job timeout (90 s).
 * Prints key=value lines on stdout. Exit 0 on success, 1 on failure with
 * the diag message on stderr, 2 on bad usage. Meant to run inside the rig's
 * container (tests/rig/rig.sh start NAME --bind-ro BUILD:/probe).
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <time.h>

#include "cgisetup/diag.h"
#include "cgisetup/fetch.h"
#include "cgisetup/service.h"

#define PROBE_JOB_TIMEOUT_MS 90000u
#define PROBE_GET_TIMEOUT_MS 5000u

static const struct {
	const char *name;
	enum service_job job;
} probe_jobs[] = {
	{ "start", SERVICE_JOB_START },
	{ "restart", SERVICE_JOB_RESTART },
	{ "reload-or-restart", SERVICE_JOB_RELOAD_OR_RESTART },
	{ "reload", SERVICE_JOB_RELOAD },
};

/* SVC_PROBE_TIMEOUT_MS overrides the job timeout (to test the wait itself). */
static unsigned
probe_job_timeout(void)
{
	const char *s = getenv("SVC_PROBE_TIMEOUT_MS");
	unsigned long v;
	char *end = NULL;

	if (!s)
		return PROBE_JOB_TIMEOUT_MS;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v > 600000)
		return PROBE_JOB_TIMEOUT_MS;
	return (unsigned)v;
}

static long
probe_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
probe_print_state(const char *suffix, const struct service_state *s)
{
	printf("loaded%s=%s\n", suffix, s->loaded ? "yes" : "no");
	printf("active_state%s=%s\n", suffix, s->active_state);
	printf("sub_state%s=%s\n", suffix, s->sub_state);
	printf("result%s=%s\n", suffix, s->result ? s->result : "");
	printf("invocation_id%s=%s\n", suffix, s->invocation_id);
	printf("main_pid%s=%u\n", suffix, (unsigned)s->main_pid);
}

static int
probe_state(int argc, char **argv, struct diag *d)
{
	_cleanup_(service_state_release) struct service_state s = { 0 };
	int r;

	if (argc != 1)
		return diag_usage(d, EINVAL, "usage: svc-probe state UNIT");
	r = service_get_state(argv[0], &s, d);
	if (r < 0)
		return r;
	printf("unit=%s\n", argv[0]);
	probe_print_state("", &s);
	return 0;
}

static int
probe_job(int argc, char **argv, struct diag *d)
{
	_cleanup_(service_state_release) struct service_state before = { 0 }, after = { 0 };
	_cleanup_free_ char *result = NULL;
	size_t i;
	long t0;
	int r;

	if (argc != 2)
		return diag_usage(d, EINVAL, "usage: svc-probe job UNIT start|restart|...");
	for (i = 0; i < ELEMENTSOF(probe_jobs) && !streq(probe_jobs[i].name, argv[1]); i++)
		;
	if (i == ELEMENTSOF(probe_jobs))
		return diag_usage(d, EINVAL, "unknown job '%s'", argv[1]);
	printf("unit=%s\njob=%s\n", argv[0], argv[1]);
	if (service_get_state(argv[0], &before, NULL) >= 0)
		printf("invocation_id_before=%s\n", before.invocation_id);
	t0 = probe_now_ms();
	r = service_run_job(argv[0], probe_jobs[i].job, probe_job_timeout(), &result, d);
	printf("elapsed_ms=%ld\n", probe_now_ms() - t0);
	if (result)
		printf("job_result=%s\n", result);
	if (r < 0)
		return r;
	r = service_get_state(argv[0], &after, d);
	if (r < 0)
		return r;
	probe_print_state("_after", &after);
	return 0;
}

static int
probe_find(int argc, char **argv, struct diag *d)
{
	_cleanup_free_ char *unit = NULL;
	int r;

	if (argc < 1)
		return diag_usage(d, EINVAL, "usage: svc-probe find UNIT...");
	r = service_find_unit(argv, &unit, d);
	if (r < 0)
		return r;
	printf("unit=%s\n", unit);
	return 0;
}

static void
probe_print_fetch(const struct fetch_result *res)
{
	static const char *const errors[] = {
		[FETCH_OK] = "ok",
		[FETCH_REFUSED] = "refused",
		[FETCH_TIMEOUT] = "timeout",
		[FETCH_OTHER] = "other",
	};
	size_t head = 0, n = 0;

	printf("error=%s\n", errors[res->error]);
	if (res->error_text)
		printf("error_text=%s\n", res->error_text);
	printf("status=%ld\n", res->status);
	printf("content_type=%s\n", res->content_type ? res->content_type : "");
	printf("body_len=%zu\n", res->body_len);
	while (head < res->body_len && isspace((unsigned char)res->body[head]))
		head++;
	while (head + n < res->body_len && n < 60 && res->body[head + n] != '\n')
		n++;
	printf("body_head=%.*s\n", (int)n, res->body ? res->body + head : "");
}

static int
probe_get(int argc, char **argv, struct diag *d)
{
	_cleanup_(fetch_result_release) struct fetch_result res = { 0 };
	int r;

	if (argc != 1)
		return diag_usage(d, EINVAL, "usage: svc-probe get URL");
	r = fetch_get(argv[0], PROBE_GET_TIMEOUT_MS, &res, d);
	printf("url=%s\n", argv[0]);
	probe_print_fetch(&res);
	return r;
}

static int
probe_get_retry(int argc, char **argv, struct diag *d)
{
	_cleanup_(fetch_result_release) struct fetch_result res = { 0 };
	unsigned long total;
	char *end = NULL;
	long t0;
	int r;

	if (argc != 2)
		return diag_usage(d, EINVAL, "usage: svc-probe get-retry URL TOTAL_MS");
	errno = 0;
	total = strtoul(argv[1], &end, 10);
	if (errno || end == argv[1] || *end || total > 600000)
		return diag_usage(d, EINVAL, "bad milliseconds '%s'", argv[1]);
	t0 = probe_now_ms();
	r = fetch_get_retry(argv[0], (unsigned)total, &res, d);
	printf("url=%s\nelapsed_ms=%ld\n", argv[0], probe_now_ms() - t0);
	probe_print_fetch(&res);
	return r;
}

static const struct {
	const char *name;
	int (*run)(int argc, char **argv, struct diag *d);
} probe_verbs[] = {
	{ "state", probe_state },
	{ "job", probe_job },
	{ "find", probe_find },
	{ "get", probe_get },
	{ "get-retry", probe_get_retry },
};

int
main(int argc, char **argv)
{
	struct diag d = { 0 };
	int r = -EINVAL;

	d.kind = DIAG_USAGE;
	snprintf(d.msg, sizeof(d.msg), "usage: svc-probe state|job|find|get|get-retry ...");
	for (size_t i = 0; argc >= 2 && i < ELEMENTSOF(probe_verbs); i++)
		if (streq(argv[1], probe_verbs[i].name)) {
			r = probe_verbs[i].run(argc - 2, argv + 2, &d);
			break;
		}
	fflush(stdout);
	if (r >= 0)
		return 0;
	fprintf(stderr, "svc-probe: %s\n", d.msg);
	return d.kind == DIAG_USAGE ? 2 : 1;
}
