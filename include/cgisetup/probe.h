/* probe.h - find the Apache of this host (or of --root) and describe it.
 *
 * Reads /etc/os-release, finds the main configuration, follows every
 * Include as httpd would (globs relative to ServerRoot, <IfModule> and
 * <IfDefine> evaluated) and, on the real system, asks the installed server
 * itself (`-V`, `-t -D DUMP_RUN_CFG`, `-t -D DUMP_INCLUDES`, `-M`), whose
 * answers win over the files. Read-only.
 */
#ifndef CGISETUP_PROBE_H
#define CGISETUP_PROBE_H

#include "cgisetup/diag.h"
#include "cgisetup/layout.h"
#include "cgisetup/live.h"
#include "cgisetup/model.h"
#include "cgisetup/request.h"

struct host {
	char *os_id;
	char *os_like;
	char *os_name;
	struct model model;
	struct model after; /* as read once the CGI module is loaded */
	bool have_after;
	bool have_live;
	struct live live;
	char *ctl_path;  /* the control program found on the real system */
	struct layout layout;
	char **warnings; /* English text, for the front end */
};

int probe_host(const struct request *req, struct host *ret, struct diag *d);
/* Ask the installed server its version (`-V`, about 20 ms): only the
 * front ends that show it need it. */
void probe_version(struct host *h);
void probe_host_release(struct host *h);

/* The configuration the planned change will run under: with the CGI
 * module loaded (HOST->after) when it is not loaded yet. */
const struct model *probe_effective_model(const struct host *h);

#endif
