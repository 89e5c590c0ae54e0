/* shellvars.h - read the shell-syntax files that sit beside Apache's config:
 * /etc/os-release, Debian's envvars, RHEL's /etc/sysconfig/httpd, Gentoo's
 * /etc/conf.d/apache2. Only plain NAME=VALUE assignments (optionally after
 * "export") are understood; $NAME and ${NAME} refer to earlier assignments
 * and expand to "" when unknown, as the shell would. Nothing is executed.
 */
#ifndef CGISETUP_SHELLVARS_H
#define CGISETUP_SHELLVARS_H

struct shellvars {
	char **names;
	char **values;
};

int shellvars_parse(const char *text, struct shellvars *ret);
const char *shellvars_get(const struct shellvars *v, const char *name);
void shellvars_release(struct shellvars *v);

/* Split httpd options such as "-D SSL -DINFO -DX=1" into define names and
 * values (NULL when none): calls CB(name, value, userdata) for each. */
int shellvars_for_each_define(const char *options,
			      int (*cb)(const char *name, const char *value, void *ud), void *ud);

#endif
