/* service.c - systemd units over D-Bus with sd-bus (see service.h).
 *
 * Why it looks the way it does:
 * - The JobRemoved match is added synchronously and Subscribe is called
 *   before the job is enqueued. Signals that arrive while sd_bus_call waits
 *   for the job's object path are queued, not dispatched, and handled by
 *   sd_bus_process once we know which job is ours.
 * - libsystemd maps only the standard D-Bus error names to errno values;
 *   systemd's own (org.freedesktop.systemd1.NoSuchUnit, ...) arrive as EIO,
 *   so they are mapped here, by name.
 * - A job result alone does not say why a start failed; the service's
 *   Result property does (start-limit-hit, exit-code, timeout, ...), so a
 *   failure message quotes both.
 * - No signal may break a conversation with systemd. libsystemd 252's
 *   sd_bus_call() fails on a poll() interrupted by a signal, and a failed
 *   call leaves us not knowing whether the job was enqueued; a resize of the
 *   wizard's terminal (SIGWINCH) half a second into a reload was enough to
 *   roll everything back. So every public entry point holds back the signals
 *   a person can send from a terminal until it returns (they are delivered
 *   then: the wizard redraws, a Ctrl-C takes effect), and the job wait also
 *   retries -EINTR with what is left of its deadline.
 */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <stdarg.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-daemon.h>

#include "cgisetup/service.h"

#define SD_DEST "org.freedesktop.systemd1"
#define SD_PATH "/org/freedesktop/systemd1"
#define SD_MANAGER "org.freedesktop.systemd1.Manager"
#define SD_UNIT "org.freedesktop.systemd1.Unit"
#define SD_SERVICE "org.freedesktop.systemd1.Service"

/* Each failure as a whole sentence per verb, so that translators see the
 * sentence and not a verb to fit into one. The reason after the colon is a
 * msgid of its own (service_bus_errors, service_results, or a few fixed
 * ones below) or text from the system (strerror, systemd's message). */
struct service_sentences {
	const char *fail;             /* unit, reason */
	const char *fail_errno;       /* unit, reason, strerror */
	const char *job_failed;       /* unit, reason, job result */
	const char *job_failed_state; /* unit, reason, result, active/sub state, service result */
	const char *timeout;          /* unit, ms, job path */
};

static const struct service_sentences service_look_up = {
	.fail = N_("cannot look up '%s': %s"),
	.fail_errno = N_("cannot look up '%s': %s: %s"),
};

static const struct service_sentences service_read_state_of = {
	.fail = N_("cannot read the state of '%s': %s"),
	.fail_errno = N_("cannot read the state of '%s': %s: %s"),
};

static const struct {
	const char *method;
	struct service_sentences say;
} service_jobs[] = {
	[SERVICE_JOB_START] = { "StartUnit", {
		.fail = N_("cannot start '%s': %s"),
		.fail_errno = N_("cannot start '%s': %s: %s"),
		.job_failed = N_("cannot start '%s': %s (job result '%s')"),
		.job_failed_state = N_("cannot start '%s': %s (job result '%s', unit %s/%s, "
					 "service result '%s')"),
		.timeout = N_("cannot start '%s': no result after %u ms (job '%s' stays "
				"queued)"),
	} },
	[SERVICE_JOB_RESTART] = { "RestartUnit", {
		.fail = N_("cannot restart '%s': %s"),
		.fail_errno = N_("cannot restart '%s': %s: %s"),
		.job_failed = N_("cannot restart '%s': %s (job result '%s')"),
		.job_failed_state = N_("cannot restart '%s': %s (job result '%s', unit %s/%s, "
					 "service result '%s')"),
		.timeout = N_("cannot restart '%s': no result after %u ms (job '%s' stays "
				"queued)"),
	} },
	[SERVICE_JOB_RELOAD_OR_RESTART] = { "ReloadOrRestartUnit", {
		.fail = N_("cannot reload or restart '%s': %s"),
		.fail_errno = N_("cannot reload or restart '%s': %s: %s"),
		.job_failed = N_("cannot reload or restart '%s': %s (job result '%s')"),
		.job_failed_state = N_("cannot reload or restart '%s': %s (job result '%s', unit %s/%s, "
					 "service result '%s')"),
		.timeout = N_("cannot reload or restart '%s': no result after %u ms (job '%s' stays "
				"queued)"),
	} },
	[SERVICE_JOB_RELOAD] = { "ReloadUnit", {
		.fail = N_("cannot reload '%s': %s"),
		.fail_errno = N_("cannot reload '%s': %s: %s"),
		.job_failed = N_("cannot reload '%s': %s (job result '%s')"),
		.job_failed_state = N_("cannot reload '%s': %s (job result '%s', unit %s/%s, "
					 "service result '%s')"),
		.timeout = N_("cannot reload '%s': no result after %u ms (job '%s' stays "
				"queued)"),
	} },
	[SERVICE_JOB_STOP] = { "StopUnit", {
		.fail = N_("cannot stop '%s': %s"),
		.fail_errno = N_("cannot stop '%s': %s: %s"),
		.job_failed = N_("cannot stop '%s': %s (job result '%s')"),
		.job_failed_state = N_("cannot stop '%s': %s (job result '%s', unit %s/%s, "
					 "service result '%s')"),
		.timeout = N_("cannot stop '%s': no result after %u ms (job '%s' stays "
				"queued)"),
	} },
};

/* Method errors worth their own words; the rest quote systemd's text. */
static const struct {
	const char *name;
	int err;
	const char *why;
} service_bus_errors[] = {
	{ "org.freedesktop.systemd1.NoSuchUnit", ENOENT, N_("unit not found") },
	{ "org.freedesktop.systemd1.UnitMasked", ERFKILL, N_("unit is masked") },
	{ "org.freedesktop.systemd1.LoadFailed", EIO, N_("unit failed to load") },
	{ "org.freedesktop.systemd1.BadUnitSetting", ENOEXEC, N_("unit file has a bad setting") },
	{ "org.freedesktop.systemd1.JobTypeNotApplicable", EOPNOTSUPP,
		N_("the unit does not support this operation") },
	{ "org.freedesktop.systemd1.OnlyByDependency", EPERM,
		N_("the unit may only be started as a dependency") },
	{ "org.freedesktop.DBus.Error.AccessDenied", EACCES,
		N_("permission denied (run as root or allow it through polkit)") },
	{ "org.freedesktop.DBus.Error.InteractiveAuthorizationRequired", EACCES,
		N_("permission denied (run as root or allow it through polkit)") },
	{ "org.freedesktop.DBus.Error.ServiceUnknown", ENOTCONN,
		N_("systemd does not answer on the system bus") },
	{ "org.freedesktop.DBus.Error.NameHasNoOwner", ENOTCONN,
		N_("systemd does not answer on the system bus") },
};

/* Job results other than "done", after check_wait_response() in systemd's
 * src/shared/bus-wait-for-jobs.c. */
static const struct {
	const char *result;
	int err;
	const char *why;
} service_results[] = {
	{ "failed", EIO, N_("the job failed") },
	{ "dependency", EIO, N_("a unit it depends on failed") },
	{ "timeout", ETIMEDOUT, N_("the unit did not finish in time") },
	{ "canceled", ECANCELED, N_("the job was canceled") },
	{ "skipped", EOPNOTSUPP, N_("the job was skipped (unit not in a state it applies to)") },
	{ "invalid", EOPNOTSUPP, N_("the job does not apply to the unit in its state") },
	{ "unsupported", EOPNOTSUPP, N_("the unit type is not supported") },
	{ "assert", EIO, N_("an assertion of the unit failed") },
	{ "collected", EIO, N_("the unit was unloaded before the job ended") },
	{ "once", EALREADY, N_("the unit may only be started once") },
};

/* ---- signals held back for the length of one call ---- */

struct service_held_signals {
	sigset_t old;
};

static struct service_held_signals
service_hold_signals(void)
{
	static const int held[] = { SIGWINCH, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP,
		SIGCONT, SIGALRM, SIGUSR1, SIGUSR2 };
	struct service_held_signals h;
	sigset_t set;

	sigemptyset(&set);
	for (size_t i = 0; i < ELEMENTSOF(held); i++)
		sigaddset(&set, held[i]);
	sigprocmask(SIG_BLOCK, &set, &h.old);
	return h;
}

static void
service_release_signals(struct service_held_signals *h)
{
	sigprocmask(SIG_SETMASK, &h->old, NULL);
}

/* diag_fail_tr() with a format from the tables above (checked by hand:
 * each has the conversions its comment names). MASK: which arguments are
 * msgids. */
static int
service_fail(struct diag *d, int err, unsigned mask, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err = diag_setv(d, DIAG_FAILURE, err, mask, fmt, ap);
	va_end(ap);
	return err;
}

/* The second argument (the reason) is a msgid. */
#define SERVICE_REASON (1u << 1)

void
service_state_release(struct service_state *s)
{
	if (!s)
		return;
	free(s->active_state);
	free(s->sub_state);
	free(s->result);
	free(s->invocation_id);
	memset(s, 0, sizeof(*s));
}

bool
service_systemd_running(void)
{
	return sd_booted() > 0;
}

/* Turn a failed call into our errno and message. */
static int
service_bus_error(const sd_bus_error *e, int r, const struct service_sentences *say,
	const char *unit, struct diag *d)
{
	char text[512];
	size_t n;

	for (size_t i = 0; i < ELEMENTSOF(service_bus_errors); i++)
		if (sd_bus_error_has_name(e, service_bus_errors[i].name))
			return service_fail(d, service_bus_errors[i].err, SERVICE_REASON, say->fail,
				unit, service_bus_errors[i].why);
	if (!sd_bus_error_is_set(e) || !e->message)
		return service_fail(d, r, 0, say->fail, unit, strerror(-r));
	/* systemd's sentences end with a period; ours do not */
	snprintf(text, sizeof(text), "%s", e->message);
	n = strlen(text);
	if (n > 0 && text[n - 1] == '.')
		text[n - 1] = '\0';
	snprintf(text + strlen(text), sizeof(text) - strlen(text), " (%s)", e->name);
	return service_fail(d, r, 0, say->fail, unit, text);
}

static int
service_bus_open(sd_bus **ret, struct diag *d)
{
	sd_bus *bus = NULL;
	int r;

	r = sd_bus_open_system(&bus);
	if (r < 0)
		return diag_fail(d, ENOTCONN, N_("cannot connect to the system bus: %s"),
			strerror(-r));
	*ret = bus;
	return 0;
}

static bool
service_is_denied(const sd_bus_error *e)
{
	return sd_bus_error_has_name(e, SD_BUS_ERROR_ACCESS_DENIED) ||
		sd_bus_error_has_name(e, SD_BUS_ERROR_INTERACTIVE_AUTHORIZATION_REQUIRED);
}

/* The object path of UNIT. LoadUnit loads it from disk when needed; where
 * policy forbids that, GetUnit still finds units that are already loaded. */
static int
service_unit_path(sd_bus *bus, const char *unit, char **ret_path, struct diag *d)
{
	_cleanup_(sd_bus_error_free) sd_bus_error err = SD_BUS_ERROR_NULL;
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
	const char *path;
	char *p;
	int r;

	r = sd_bus_call_method(bus, SD_DEST, SD_PATH, SD_MANAGER, "LoadUnit", &err, &reply,
		"s", unit);
	if (r < 0 && service_is_denied(&err)) {
		sd_bus_error_free(&err);
		r = sd_bus_call_method(bus, SD_DEST, SD_PATH, SD_MANAGER, "GetUnit", &err,
			&reply, "s", unit);
	}
	if (r < 0)
		return service_bus_error(&err, r, &service_look_up, unit, d);
	r = sd_bus_message_read(reply, "o", &path);
	if (r < 0)
		return diag_fail(d, r, N_("cannot look up '%s': bad reply from systemd: %s"),
			unit, strerror(-r));
	p = strdup(path);
	if (!p)
		return diag_fail(d, ENOMEM, N_("cannot look up '%s': %s"), unit, strerror(ENOMEM));
	*ret_path = p;
	return 0;
}

/* InvocationID is 16 bytes ("ay"); we hand it out as 32 hex digits, the
 * way systemctl show prints it. */
static int
service_get_invocation_id(sd_bus *bus, const char *path, char **ret, sd_bus_error *err)
{
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
	static const char hex[] = "0123456789abcdef";
	const uint8_t *id;
	size_t n;
	char *s;
	int r;

	r = sd_bus_get_property(bus, SD_DEST, path, SD_UNIT, "InvocationID", err, &reply, "ay");
	if (r < 0)
		return r;
	r = sd_bus_message_read_array(reply, 'y', (const void **)&id, &n);
	if (r < 0)
		return r;
	if (n != 0 && n != 16)
		return -EBADMSG;
	s = malloc(2 * n + 1);
	if (!s)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		s[2 * i] = hex[id[i] >> 4];
		s[2 * i + 1] = hex[id[i] & 15];
	}
	s[2 * n] = '\0';
	*ret = s;
	return 0;
}

/* Result and MainPID exist on services only: for other units, or units
 * that do not exist, they stay NULL and 0. */
static void
service_read_service_props(sd_bus *bus, const char *path, struct service_state *s)
{
	_cleanup_(sd_bus_error_free) sd_bus_error e1 = SD_BUS_ERROR_NULL;
	_cleanup_(sd_bus_error_free) sd_bus_error e2 = SD_BUS_ERROR_NULL;
	uint32_t pid;

	if (sd_bus_get_property_string(bus, SD_DEST, path, SD_SERVICE, "Result", &e1,
		    &s->result) < 0)
		s->result = NULL;
	if (sd_bus_get_property_trivial(bus, SD_DEST, path, SD_SERVICE, "MainPID", &e2, 'u',
		    &pid) >= 0)
		s->main_pid = pid;
}

static int
service_read_state(sd_bus *bus, const char *unit, const char *path,
	struct service_state *ret, struct diag *d)
{
	_cleanup_(sd_bus_error_free) sd_bus_error err = SD_BUS_ERROR_NULL;
	_cleanup_(service_state_release) struct service_state s = { 0 };
	_cleanup_free_ char *load = NULL;
	int r;

	r = sd_bus_get_property_string(bus, SD_DEST, path, SD_UNIT, "LoadState", &err, &load);
	if (r >= 0)
		r = sd_bus_get_property_string(bus, SD_DEST, path, SD_UNIT, "ActiveState", &err,
			&s.active_state);
	if (r >= 0)
		r = sd_bus_get_property_string(bus, SD_DEST, path, SD_UNIT, "SubState", &err,
			&s.sub_state);
	if (r >= 0)
		r = service_get_invocation_id(bus, path, &s.invocation_id, &err);
	if (r < 0)
		return service_bus_error(&err, r, &service_read_state_of, unit, d);
	service_read_service_props(bus, path, &s);
	s.loaded = streq(load, "loaded");
	s.masked = streq(load, "masked");
	*ret = s;
	memset(&s, 0, sizeof(s));
	return 0;
}

int
service_get_state(const char *unit, struct service_state *ret, struct diag *d)
{
	_cleanup_(service_release_signals) struct service_held_signals held =
		service_hold_signals();
	_cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
	_cleanup_free_ char *path = NULL;
	int r;

	r = service_bus_open(&bus, d);
	if (r < 0)
		return r;
	r = service_unit_path(bus, unit, &path, d);
	if (r < 0)
		return r;
	return service_read_state(bus, unit, path, ret, d);
}

static int
service_none_found(char *const *candidates, struct diag *d)
{
	_cleanup_strbuf_ struct strbuf names = STRBUF_INIT;

	/* each name once: the layout and the running server may name the
	 * same unit */
	for (size_t i = 0; candidates && candidates[i]; i++) {
		bool seen = false;

		for (size_t k = 0; k < i && !seen; k++)
			seen = streq(candidates[k], candidates[i]);
		if (!seen && strbuf_addf(&names, "%s'%s'", names.len ? ", " : "", candidates[i]) < 0)
			return diag_fail(d, ENOMEM, N_("cannot find the service: %s"),
				strerror(ENOMEM));
	}
	return diag_fail(d, ENOENT, N_("cannot find the service: systemd knows none of %s"),
		names.buf ? names.buf : "''");
}

int
service_find_unit(char *const *candidates, char **ret_unit, struct diag *d)
{
	_cleanup_(service_release_signals) struct service_held_signals held =
		service_hold_signals();
	_cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
	const char *masked = NULL;
	int r;

	r = service_bus_open(&bus, d);
	if (r < 0)
		return r;
	for (size_t i = 0; candidates && candidates[i]; i++) {
		_cleanup_(service_state_release) struct service_state s = { 0 };
		_cleanup_free_ char *path = NULL;
		char *unit;

		r = service_unit_path(bus, candidates[i], &path, d);
		if (r == -ENOENT)
			continue; /* GetUnit: not loaded */
		if (r == -ERFKILL) { /* a systemd that refuses to load a masked unit */
			masked = masked ? masked : candidates[i];
			continue;
		}
		if (r < 0)
			return r;
		r = service_read_state(bus, candidates[i], path, &s, d);
		if (r < 0)
			return r;
		if (s.masked && !masked)
			masked = candidates[i];
		if (!s.loaded)
			continue;
		unit = strdup(candidates[i]);
		if (!unit)
			return diag_fail(d, ENOMEM, N_("cannot look up '%s': %s"), candidates[i],
				strerror(ENOMEM));
		*ret_unit = unit;
		return 0;
	}
	if (masked)
		return diag_fail(d, ERFKILL, N_("the service '%s' is masked: systemd will not start "
						"it ('systemctl unmask %s' allows it again)"),
				 masked, masked);
	return service_none_found(candidates, d);
}

/* ---- jobs ---- */

struct service_wait {
	char *job;    /* our job's object path, NULL until the reply came */
	char *result; /* its result, once JobRemoved named it */
	int error;
};

static int
service_on_job_removed(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
	struct service_wait *w = userdata;
	const char *path, *unit, *result;
	uint32_t id;

	(void)ret_error;
	if (sd_bus_message_read(m, "uoss", &id, &path, &unit, &result) < 0)
		return 0; /* a malformed signal is not about our job */
	if (!w->job || w->result || !streq(path, w->job))
		return 0;
	w->result = strdup(result);
	if (!w->result)
		w->error = -ENOMEM;
	return 0;
}

static uint64_t
service_now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* Install the match and subscribe: both must precede the job. */
static int
service_watch_jobs(sd_bus *bus, struct service_wait *w, sd_bus_slot **ret_slot,
	const struct service_sentences *say, const char *unit, struct diag *d)
{
	_cleanup_(sd_bus_error_free) sd_bus_error err = SD_BUS_ERROR_NULL;
	_cleanup_(sd_bus_slot_unrefp) sd_bus_slot *slot = NULL;
	int r;

	r = sd_bus_match_signal(bus, &slot, SD_DEST, SD_PATH, SD_MANAGER, "JobRemoved",
		service_on_job_removed, w);
	if (r < 0)
		return service_fail(d, r, SERVICE_REASON, say->fail_errno, unit,
			N_("cannot watch systemd's jobs"), strerror(-r));
	r = sd_bus_call_method(bus, SD_DEST, SD_PATH, SD_MANAGER, "Subscribe", &err, NULL, NULL);
	if (r < 0)
		return service_bus_error(&err, r, say, unit, d);
	*ret_slot = TAKE_PTR(slot);
	return 0;
}

static int
service_enqueue(sd_bus *bus, struct service_wait *w, enum service_job job, const char *unit,
	struct diag *d)
{
	_cleanup_(sd_bus_error_free) sd_bus_error err = SD_BUS_ERROR_NULL;
	_cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
	const struct service_sentences *say = &service_jobs[job].say;
	const char *path;
	int r;

	r = sd_bus_call_method(bus, SD_DEST, SD_PATH, SD_MANAGER, service_jobs[job].method,
		&err, &reply, "ss", unit, "replace");
	if (r < 0)
		return service_bus_error(&err, r, say, unit, d);
	r = sd_bus_message_read(reply, "o", &path);
	if (r < 0)
		return service_fail(d, r, SERVICE_REASON, say->fail_errno, unit,
			N_("bad reply from systemd"), strerror(-r));
	w->job = strdup(path);
	if (!w->job)
		return service_fail(d, ENOMEM, 0, say->fail, unit, strerror(ENOMEM));
	return 0;
}

/* Dispatch until our job is gone or the deadline passes. */
static int
service_wait_job(sd_bus *bus, struct service_wait *w, unsigned timeout_ms)
{
	uint64_t deadline = service_now_usec() + (uint64_t)timeout_ms * 1000;
	uint64_t now;
	int r;

	for (;;) {
		if (w->error)
			return w->error;
		if (w->result)
			return 0;
		r = sd_bus_process(bus, NULL);
		if (r < 0)
			return r;
		if (r > 0)
			continue;
		now = service_now_usec();
		if (now >= deadline)
			return -ETIMEDOUT;
		r = sd_bus_wait(bus, deadline - now);
		if (r < 0 && r != -EINTR) /* a signal we did not hold: wait on */
			return r;
	}
}

/* The job ended with RESULT != "done": say why, with the unit's state. */
static int
service_job_failed(sd_bus *bus, const char *unit, const struct service_sentences *say,
	const char *result, struct diag *d)
{
	_cleanup_(service_state_release) struct service_state s = { 0 };
	_cleanup_free_ char *path = NULL;
	const char *why = N_("the job ended with an unknown result");
	int err = EIO;

	for (size_t i = 0; i < ELEMENTSOF(service_results); i++)
		if (streq(result, service_results[i].result)) {
			why = service_results[i].why;
			err = service_results[i].err;
		}
	if (service_unit_path(bus, unit, &path, NULL) < 0 ||
		service_read_state(bus, unit, path, &s, NULL) < 0)
		return service_fail(d, err, SERVICE_REASON, say->job_failed, unit, why, result);
	if (streq(result, "failed") && streq_ptr(s.result, "start-limit-hit"))
		why = N_("it was started too often in a short time; "
			 "'systemctl reset-failed' clears the limit");
	return service_fail(d, err, SERVICE_REASON, say->job_failed_state, unit, why, result,
		s.active_state, s.sub_state, s.result ? s.result : "none");
}

int
service_run_job(const char *unit, enum service_job job, unsigned timeout_ms,
	char **ret_result, struct diag *d)
{
	_cleanup_(service_release_signals) struct service_held_signals held =
		service_hold_signals();
	_cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
	_cleanup_(sd_bus_slot_unrefp) sd_bus_slot *slot = NULL;
	_cleanup_free_ char *job_path = NULL, *result = NULL;
	struct service_wait w = { 0 };
	const struct service_sentences *say;
	int r;

	if ((unsigned)job >= ELEMENTSOF(service_jobs) || !unit)
		return diag_usage(d, EINVAL, N_("invalid service job %d"), (int)job);
	say = &service_jobs[job].say;
	r = service_bus_open(&bus, d);
	/* a hung manager must not hold us for sd-bus's default 25 s per call */
	if (r >= 0 && timeout_ms > 0)
		(void)sd_bus_set_method_call_timeout(bus, (uint64_t)timeout_ms * 1000);
	if (r >= 0)
		r = service_watch_jobs(bus, &w, &slot, say, unit, d);
	if (r >= 0)
		r = service_enqueue(bus, &w, job, unit, d);
	if (r < 0)
		return r;
	r = service_wait_job(bus, &w, timeout_ms);
	job_path = w.job;
	result = w.result;
	if (r == -ETIMEDOUT)
		return service_fail(d, r, 0, say->timeout, unit, timeout_ms, job_path);
	if (r < 0)
		return service_fail(d, r, SERVICE_REASON, say->fail_errno, unit,
			N_("lost the system bus while waiting"), strerror(-r));
	r = streq(result, "done") ? 0 : service_job_failed(bus, unit, say, result, d);
	if (ret_result)
		*ret_result = TAKE_PTR(result);
	return r;
}

int
service_version(const char **ret_built, char **ret_running)
{
	Dl_info info;
	char *path, *running = NULL;

	/* The file sd_bus_open_system was loaded from, links resolved: its
	 * name carries the library's version, which no call of libsystemd says. */
	if (dladdr((void *)sd_bus_open_system, &info) && info.dli_fname) {
		path = realpath(info.dli_fname, NULL);
		if (path) {
			running = strdup(strrchr(path, '/') ? strrchr(path, '/') + 1 : path);
			free(path);
			if (!running)
				return -ENOMEM;
		}
	}
	*ret_built = SYSTEMD_BUILD_VERSION;
	*ret_running = running;
	return 0;
}
