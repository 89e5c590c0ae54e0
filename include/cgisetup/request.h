/* request.h - what the user asked for, filled by the CLI or the wizard.
 *
 * Both front ends fill the same struct and call request_validate(), so a
 * directory refused by one is refused by the other with the same words.
 */
#ifndef CGISETUP_REQUEST_H
#define CGISETUP_REQUEST_H

#include <stdbool.h>

#include "cgisetup/diag.h"

struct request {
	char *root;     /* "" for the real system; otherwise no trailing '/' */
	char *dir;      /* absolute, inside root, normalised by request_validate */
	char *url_path; /* NULL: derived from dir */
	char *vhost;    /* --vhost NAME: only in that virtual host; NULL: server-wide */
	bool userdir;   /* --userdir: every user's ~/public_html/cgi-bin (dir is the
			 * pattern REQUEST_USERDIR_DIR) */
	char **exts;    /* ".py" ... */
	char *config;   /* main config override, inside root, or NULL */
	bool yes;
	bool dry_run;
	bool json;
	bool force;     /* accept a world-writable directory */
	bool no_hello;  /* do not write hello.py */
	bool no_restart; /* edit only: the user restarts Apache */
	bool no_start;   /* a stopped Apache stays stopped: configure only */
	bool no_verify;  /* restart, but do not prove it over HTTP */
	bool force_restart; /* a full restart instead of the graceful path */
	unsigned wait_ms; /* how long to wait for another cgisetup's lock */
	char *undo_id;  /* --undo ID: the entry --status names; NULL: by dir, or the latest */
	bool forget;    /* --undo ID --forget: drop the entry, change no file */
	bool fix_scripts; /* --fix: also rewrite DIR's scripts that CRLF or a BOM breaks */
};

int request_init(struct request *req);
void request_release(struct request *req);

/* Parse "--ext .py,.cgi" into req->exts (replacing the default). */
int request_set_exts(struct request *req, const char *list, struct diag *d);

#define REQUEST_DEFAULT_WAIT_MS 10000
/* The section --userdir writes; mod_userdir serves it at /~USER/cgi-bin/. */
#define REQUEST_USERDIR_DIR "/home/*/public_html/cgi-bin"
#define REQUEST_USERDIR_SUB "public_html/cgi-bin"


/* Check and normalise dir, url_path and config: absolute, no "." or ".."
 * component, no control character or double quote, not a system directory. */
int request_validate(struct request *req, struct diag *d);

/* Normalise an absolute path in place: squeeze "//", drop a trailing '/'.
 * -EINVAL when it is relative or has a "." or ".." component. */
int request_normalize_path(char *path);

/* Whether hello.py, when it is written, is run as CGI: ".py" is among
 * REQ's extensions (always true with no_hello). */
bool request_hello_runs(const struct request *req);

/* Whether PATH is DIR itself or lies below it (both normalised). */
bool request_path_within(const char *path, const char *dir);

/* Where a change applies: the whole server, one virtual host (every copy
 * of it), or every user's ~/public_html/cgi-bin. */
enum request_scope {
	SCOPE_SERVER,
	SCOPE_VHOST,
	SCOPE_USERDIR,
};

enum request_scope request_scope(const struct request *req);
/* The scope's name in --json and the journal: "server-wide", "vhost",
 * "userdir" (never translated). */
const char *request_scope_name(enum request_scope s);

#endif
