/* live.h - what a running Apache says about itself.
 *
 * Parsers for the output of `ctl -V`, `ctl -t -D DUMP_RUN_CFG`,
 * `ctl -t -D DUMP_INCLUDES` and `ctl -M`. The programs are run by probe.c;
 * here the text is only read, so the parsers are unit-tested on captured
 * output of real servers.
 */
#ifndef CGISETUP_LIVE_H
#define CGISETUP_LIVE_H

#include <stdbool.h>

struct live {
	char *version;     /* "Apache/2.4.71 (Debian)" */
	char *mpm;         /* "event" */
	bool threaded;
	char *httpd_root;  /* HTTPD_ROOT */
	char *config_file; /* SERVER_CONFIG_FILE, absolute */
	char *server_root; /* DUMP_RUN_CFG ServerRoot */
	char *document_root;
	char *error_log;
	char *user;
	char *pid_file;
	char **includes;   /* DUMP_INCLUDES, in order */
	char **modules;    /* "cgid_module" ... */
};

int live_parse_version(struct live *l, const char *text);
int live_parse_run_cfg(struct live *l, const char *text);
int live_parse_includes(struct live *l, const char *text);
int live_parse_modules(struct live *l, const char *text);
void live_release(struct live *l);

#endif
